"""The main window on real databases: opening, first run, signing in and out, forced password
change, navigation by role, locking, the status bar and remembered geometry."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from senga_desktop.controllers import auth, users
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role
from senga_desktop.ui.auth.change_password_dialog import ChangePasswordDialog
from senga_desktop.ui.auth.first_run_dialog import FirstRunDialog
from senga_desktop.ui.auth.sign_in_dialog import SignInDialog
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.shell.main_window import MainWindow, WindowState
from senga_desktop.ui.tasks import SyncTaskRunner, TaskRunner
from tests.ui.support import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    all_texts,
    isolate_qsettings,
    make_admin,
    make_user,
)

REFUSED_URL = "postgresql://u:hunter2pw@127.0.0.1:1/x"  # nothing listens on port 1
ALL_PAGES = [
    "overview", "orders", "customers", "fleet", "planning", "routes", "decisions", "outcomes",
]  # fmt: skip


@pytest.fixture(autouse=True)
def qsettings_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "qsettings"
    isolate_qsettings(folder)
    return folder


def _window(qtbot: QtBot, context: AppContext) -> MainWindow:
    window = MainWindow(context=context)
    qtbot.addWidget(window)
    return window


def _open(qtbot: QtBot, database: Database) -> MainWindow:
    return _window(qtbot, AppContext(runner=SyncTaskRunner(), database=database))


def _sign_in(window: MainWindow, username: str, password: str) -> SignInDialog:
    dialog = window.dialog
    assert isinstance(dialog, SignInDialog)
    dialog.username_edit.setText(username)
    dialog.password_edit.setText(password)
    dialog.accept_button.click()
    return dialog


def _actions(database: Database) -> list[str]:
    with unit_of_work(database.sessions) as session:
        return list(session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_first_run_asks_for_the_first_administrator(qtbot: QtBot, database: Database) -> None:
    window = _open(qtbot, database)
    assert window.state is WindowState.SIGNED_OUT
    dialog = window.dialog
    assert isinstance(dialog, FirstRunDialog)

    dialog.username_edit.setText("amina")
    dialog.password_edit.setText("password123")
    dialog.confirm_edit.setText("password123")
    dialog.accept_button.click()
    assert "commonly used" in dialog.errors.message_for("password").text()
    assert window.state is WindowState.SIGNED_OUT

    dialog.password_edit.setText(ADMIN_PASSWORD)
    dialog.confirm_edit.setText(ADMIN_PASSWORD)
    dialog.accept_button.click()

    assert window.state is WindowState.WORKSPACE
    assert window.workspace is not None
    assert window.workspace.keys() == ALL_PAGES
    assert window.status.user.text() == "amina (Administrator)"
    assert "amina" in window.windowTitle()
    assert not auth.needs_first_admin(database.sessions)


def test_sign_in_wrong_password_then_success(qtbot: QtBot, database: Database) -> None:
    make_admin(database)
    window = _open(qtbot, database)
    dialog = _sign_in(window, "amina", "not-the-password")
    assert window.state is WindowState.SIGNED_OUT
    assert dialog.form_message.text() == auth.WRONG_CREDENTIALS
    assert dialog.password_edit.text() == ""

    _sign_in(window, "amina", ADMIN_PASSWORD)
    assert window.state is WindowState.WORKSPACE
    assert window.workspace is not None
    assert window.workspace.current_key() == "overview"
    assert window.settings_action.isEnabled()
    assert _actions(database)[-1] == "sign_in.succeeded"


def test_an_admin_created_dispatcher_must_change_the_password_first(
    qtbot: QtBot, database: Database
) -> None:
    admin = make_admin(database)
    users.create_user(database.sessions, admin, username="otieno", email=None, role=Role.USER,
                      password="First-Pass-123")  # fmt: skip
    window = _open(qtbot, database)
    _sign_in(window, "otieno", "First-Pass-123")

    dialog = window.dialog
    assert isinstance(dialog, ChangePasswordDialog)
    assert dialog.forced
    assert window.state is WindowState.SIGNED_OUT  # not in until the password is changed
    dialog.current_edit.setText("First-Pass-123")
    dialog.new_edit.setText(USER_PASSWORD)
    dialog.confirm_edit.setText(USER_PASSWORD)
    dialog.accept_button.click()

    assert window.state is WindowState.WORKSPACE
    assert window.status.user.text() == "otieno (Dispatcher)"
    assert window.context.actor is not None
    assert not window.context.actor.must_change_password


def test_refusing_the_forced_change_keeps_the_user_out(qtbot: QtBot, database: Database) -> None:
    admin = make_admin(database)
    users.create_user(database.sessions, admin, username="otieno", email=None, role=Role.USER,
                      password="First-Pass-123")  # fmt: skip
    window = _open(qtbot, database)
    _sign_in(window, "otieno", "First-Pass-123")
    dialog = window.dialog
    assert isinstance(dialog, ChangePasswordDialog)
    dialog.reject_button.click()
    assert window.state is WindowState.SIGNED_OUT
    assert window.workspace is None
    assert _actions(database)[-1] == "sign_out"


def test_a_dispatcher_works_without_admin_screens(qtbot: QtBot, database: Database) -> None:
    make_user(database, make_admin(database), "wanjiru")
    window = _open(qtbot, database)
    _sign_in(window, "wanjiru", USER_PASSWORD)
    assert window.state is WindowState.WORKSPACE
    assert window.workspace is not None
    assert window.workspace.keys() == ALL_PAGES  # every screen is for dispatchers too
    assert window.status.user.text() == "wanjiru (Dispatcher)"
    window.open_settings()
    keys = window.dialog.page_keys()  # type: ignore[union-attr]
    assert keys == ["account"]


def test_navigation_by_list_and_shortcut_menu(qtbot: QtBot, database: Database) -> None:
    make_admin(database)
    window = _open(qtbot, database)
    _sign_in(window, "amina", ADMIN_PASSWORD)
    assert window.workspace is not None
    assert [a.text() for a in window.go_menu.actions()] == [
        "Overview", "Orders", "Customers", "Fleet", "Planning", "Routes", "Decisions",
        "Outcomes",
    ]  # fmt: skip
    assert window.go_menu.actions()[3].shortcut().toString() == "Ctrl+4"
    window.go_menu.actions()[3].trigger()
    assert window.workspace.current_key() == "fleet"
    window.workspace.navigation.setCurrentRow(1)
    assert window.workspace.current_key() == "orders"
    assert not window.show_page("users")


def test_sign_out_discards_the_workspace_and_asks_again(qtbot: QtBot, database: Database) -> None:
    make_admin(database)
    window = _open(qtbot, database)
    _sign_in(window, "amina", ADMIN_PASSWORD)
    signed_out: list[bool] = []
    window.signed_out.connect(lambda: signed_out.append(True))

    window.sign_out_action.trigger()

    assert signed_out == [True]
    assert window.state is WindowState.SIGNED_OUT
    assert window.workspace is None
    assert window.context.actor is None
    assert isinstance(window.dialog, SignInDialog)
    assert not window.settings_action.isEnabled()
    assert not window.lock_action.isEnabled()
    assert _actions(database)[-1] == "sign_out"


def test_lock_keeps_unsaved_input_and_unlocks_with_the_password(
    qtbot: QtBot, database: Database
) -> None:
    make_admin(database)
    window = _open(qtbot, database)
    window.show()
    _sign_in(window, "amina", ADMIN_PASSWORD)
    assert window.workspace is not None
    draft = QLineEdit(window.workspace.pages["orders"])
    draft.setText("half-typed order for Nakuru")

    window.idle.idle_timed_out.emit()  # as after the idle minutes

    assert window.locked
    assert not window.settings_action.isEnabled()
    window.lock_screen.password_edit.setText("wrong-password-9")
    window.lock_screen.unlock_button.click()
    assert window.locked
    window.lock_screen.password_edit.setText(ADMIN_PASSWORD)
    window.lock_screen.unlock_button.click()
    assert not window.locked
    assert window.settings_action.isEnabled()
    assert draft.text() == "half-typed order for Nakuru"


def test_the_idle_time_comes_from_the_depot_settings(qtbot: QtBot, database: Database) -> None:
    make_admin(database)
    window = _open(qtbot, database)
    _sign_in(window, "amina", ADMIN_PASSWORD)
    assert window.idle.minutes == window.context.general.idle_lock_minutes == 15


def test_status_bar_names_backend_and_location_never_a_password(
    qtbot: QtBot, database: Database
) -> None:
    make_admin(database)
    window = _open(qtbot, database)
    _sign_in(window, "amina", ADMIN_PASSWORD)
    assert window.status.database.text() == (
        f"{'SQLite' if database.backend == 'sqlite' else 'PostgreSQL'}: {database.location}"
    )
    assert window.status.connection.text() == "connected"
    assert window.status.revision.text().startswith("Schema 00")
    password = database.url.password
    if password:
        assert not [t for t in all_texts(window) if str(password) in t]


def test_failure_page_offers_retry_and_hides_the_password(qtbot: QtBot) -> None:
    window = _window(qtbot, AppContext(runner=SyncTaskRunner(), database_url=REFUSED_URL))
    assert window.state is WindowState.FAILED
    message = window.failure_page.message_label.text()
    assert "127.0.0.1:1/x" in message
    assert "refused" in message
    hint = window.findChild(QLabel, "failure_hint")
    assert hint is not None
    assert "senga config show" in hint.text()
    assert window.status.connection.text().startswith("unreachable: ")
    retry = window.findChild(QPushButton, "retry_button")
    assert retry is not None
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert window.state is WindowState.FAILED
    assert not [t for t in all_texts(window) if "hunter2pw" in t]


def test_a_fresh_machine_opens_in_the_background_then_asks_for_an_admin(
    qtbot: QtBot, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"  # the file does not exist yet
    context = AppContext(runner=TaskRunner(), database_url=url, demo=True)
    window = _window(qtbot, context)
    assert window.state is WindowState.OPENING  # the window is there before the database

    qtbot.waitUntil(lambda: isinstance(window.dialog, FirstRunDialog), timeout=20_000)
    qtbot.waitUntil(lambda: window.status.connection.text() == "connected", timeout=10_000)
    assert context.database is not None
    assert (tmp_path / "fresh.sqlite3").exists()
    window.close()
    assert context.closed


def test_window_geometry_is_remembered(
    qtbot: QtBot, database: Database, qsettings_dir: Path
) -> None:
    first = _open(qtbot, database)
    assert first.size() == QSize(1200, 800)  # nothing saved yet
    # Within the offscreen screen (800 by 600): restoring clamps a window to the screen it is on.
    first.setGeometry(30, 40, 720, 510)
    first.close()
    second = _open(qtbot, database)
    assert second.size() == QSize(720, 510)
    assert second.geometry().topLeft() == QPoint(30, 40)
    assert list(qsettings_dir.rglob("Senga Dispatch.conf"))


def test_about_names_version_qt_and_database(qtbot: QtBot, database: Database) -> None:
    from senga_desktop import __version__

    window = _open(qtbot, database)
    about = window.about_text()
    assert __version__ in about
    assert "Qt" in about
    assert database.location in about
