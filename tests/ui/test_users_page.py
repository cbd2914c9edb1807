"""The Users settings page on real databases: the table model and every account action.

An administrator creates a dispatcher (who can then sign in and must change the password), edits
e-mail and role, deactivates, resets a password and unlocks a locked account; the last-admin guard
is shown in the edit dialog. Password hashing is slow, so each test hashes only a few times.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import auth, users
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.settings import load_general
from senga_desktop.controllers.users import UserInfo
from senga_desktop.db import migrate
from senga_desktop.db.engine import Database
from senga_desktop.domain import Role
from senga_desktop.errors import AccountLocked, AuthenticationFailed
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings import SettingsDialog
from senga_desktop.ui.settings.user_edit_dialog import ResetPasswordDialog, UserEditDialog
from senga_desktop.ui.settings.users_model import Column, UsersTableModel
from senga_desktop.ui.settings.users_page import UsersPage
from senga_desktop.ui.tasks import SyncTaskRunner

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")

ADMIN_PASSWORD = "Simba-Depot-2026"
FIRST_PASSWORD = "Mombasa-Road-77"


@pytest.fixture
def admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, "amina", ADMIN_PASSWORD)


@pytest.fixture
def dispatcher(database: Database, admin: Actor) -> UserInfo:
    return users.create_user(
        database.sessions,
        admin,
        username="baraka",
        email="baraka@senga.co.ke",
        role=Role.USER,
        password=FIRST_PASSWORD,
    )


def _page(qtbot: QtBot, database: Database, actor: Actor) -> UsersPage:
    context = AppContext(
        runner=SyncTaskRunner(),
        database=database,
        revision=migrate.head_revision(),
        actor=actor,
        general=load_general(database.sessions),
    )
    dialog = SettingsDialog(context=context)
    qtbot.addWidget(dialog)
    assert dialog.open_page("users")
    page = dialog.page("users")
    assert isinstance(page, UsersPage)
    return page


def _cell(page: UsersPage, username: str, column: Column) -> str:
    for row in range(page.model.rowCount()):
        if page.model.user(row).username == username:
            return str(page.model.index(row, column).data())
    raise AssertionError(f"{username} is not listed")


def _select(page: UsersPage, username: str) -> None:
    user = next(
        u for u in map(page.model.user, range(page.model.rowCount())) if u.username == username
    )
    assert page.select_user(user.id)


def _error(widget: QWidget, field: str) -> QLabel:
    label = widget.findChild(QLabel, f"{field}_error")
    assert label is not None, field
    return label


def _edit_dialog(page: UsersPage) -> UserEditDialog:
    dialog = page.active_dialog
    assert isinstance(dialog, UserEditDialog)
    return dialog


# -- the model -------------------------------------------------------------------------------


def test_the_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    model = UsersTableModel(time_zone="Africa/Nairobi")
    qtmodeltester.check(model)  # empty
    model.set_users(
        [
            UserInfo(1, "amina", "amina@senga.co.ke", Role.ADMIN, True, now - timedelta(hours=4)),
            UserInfo(2, "baraka", None, Role.USER, True, None, now + timedelta(minutes=10)),
            UserInfo(3, "otieno", None, Role.MANAGER, False, None, now - timedelta(minutes=1)),
        ],
        now=now,
    )
    qtmodeltester.check(model)

    assert model.rowCount() == 3
    assert model.columnCount() == len(Column)
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert header == ["User name", "E-mail", "Role", "Active", "Locked until", "Last sign-in"]

    def row(number: int) -> list[str]:
        return [model.index(number, column).data() for column in Column]

    # 05:00 UTC is 08:00 in Nairobi (UTC+3, no daylight saving).
    assert row(0) == ["amina", "amina@senga.co.ke", "Administrator", "Yes", "—", "2026-03-02 08:00"]
    assert row(1) == ["baraka", "—", "Dispatcher", "Yes", "2026-03-02 12:10", "—"]
    assert row(2) == ["otieno", "—", "Manager", "No", "—", "—"]  # the lock ran out
    assert model.is_locked(1)
    assert not model.is_locked(2)
    assert model.row_of(3) == 2
    assert model.row_of(99) is None
    assert model.index(0, 0).data(Qt.ItemDataRole.EditRole) is None
    assert model.data(QModelIndex()) is None
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable

    model.set_time_zone("UTC")
    assert model.index(0, Column.LAST_LOGIN).data() == "2026-03-02 05:00"


# -- actions ---------------------------------------------------------------------------------


def test_buttons_follow_the_selection(
    qtbot: QtBot, database: Database, admin: Actor, dispatcher: UserInfo
) -> None:
    page = _page(qtbot, database, admin)
    assert page.model.rowCount() == 2
    assert page.new_button.isEnabled()
    assert not page.edit_button.isEnabled()
    assert not page.reset_button.isEnabled()
    assert not page.unlock_button.isEnabled()

    _select(page, "baraka")
    assert page.edit_button.isEnabled()
    assert page.reset_button.isEnabled()
    assert not page.unlock_button.isEnabled()  # not locked
    assert _cell(page, "amina", Column.ROLE) == "Administrator"
    assert _cell(page, "baraka", Column.LOCKED_UNTIL) == "—"


def test_an_admin_creates_a_dispatcher_who_can_then_sign_in(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    page = _page(qtbot, database, admin)
    page.new_button.click()
    dialog = _edit_dialog(page)
    assert dialog.windowTitle() == "New user"
    assert "must choose their own" in dialog.note.text()
    assert dialog.role_combo.currentText() == "Dispatcher"

    qtbot.keyClicks(dialog.username_edit, "Wanjiku.K")
    qtbot.keyClicks(dialog.email_edit, "wanjiku@senga.co.ke")
    qtbot.keyClicks(dialog.password_edit, FIRST_PASSWORD)
    qtbot.keyClicks(dialog.confirm_edit, FIRST_PASSWORD)
    dialog.save_button.click()

    assert page.active_dialog is None  # closed
    assert dialog.saved_user is not None
    assert _cell(page, "wanjiku.k", Column.ROLE) == "Dispatcher"
    assert _cell(page, "wanjiku.k", Column.EMAIL) == "wanjiku@senga.co.ke"
    selected = page.selected_user()
    assert selected is not None
    assert selected.username == "wanjiku.k"  # the new account stays selected
    assert "wanjiku.k can now sign in" in page.notice.text()

    actor = auth.sign_in(database.sessions, "wanjiku.k", FIRST_PASSWORD)
    assert actor.role is Role.USER
    assert actor.must_change_password


def test_create_errors_are_shown_inline_and_keep_the_dialog_open(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    page = _page(qtbot, database, admin)
    page.new_button.click()
    dialog = _edit_dialog(page)

    dialog.username_edit.setText("x")
    dialog.password_edit.setText(FIRST_PASSWORD)
    dialog.confirm_edit.setText(FIRST_PASSWORD + "!")
    dialog.save_button.click()
    assert not _error(dialog, "confirm_password").isHidden()
    assert _error(dialog, "username").isHidden()

    dialog.confirm_edit.setText(FIRST_PASSWORD)
    dialog.save_button.click()
    assert "2 to 64 characters" in _error(dialog, "username").text()
    assert _error(dialog, "confirm_password").isHidden()

    dialog.username_edit.setText("amina")  # taken
    dialog.save_button.click()
    assert "exists already" in _error(dialog, "username").text()

    dialog.username_edit.setText("otieno")
    dialog.email_edit.setText("otieno at senga")
    dialog.save_button.click()
    assert "is not an e-mail address" in _error(dialog, "email").text()
    assert _error(dialog, "username").isHidden()

    dialog.email_edit.clear()
    dialog.password_edit.setText("otieno")
    dialog.confirm_edit.setText("otieno")
    dialog.save_button.click()
    assert not _error(dialog, "password").isHidden()

    assert page.active_dialog is dialog
    assert dialog.isVisible()
    assert page.model.rowCount() == 1
    dialog.reject()
    assert page.active_dialog is None


def test_edit_role_and_email_then_deactivate(
    qtbot: QtBot, database: Database, admin: Actor, dispatcher: UserInfo
) -> None:
    page = _page(qtbot, database, admin)
    _select(page, "baraka")
    page.edit_button.click()
    dialog = _edit_dialog(page)
    assert dialog.windowTitle() == "Edit user baraka"
    assert dialog.email_edit.text() == "baraka@senga.co.ke"
    assert dialog.active_check.isChecked()

    dialog.email_edit.setText("not-an-address")
    dialog.save_button.click()
    assert not _error(dialog, "email").isHidden()

    dialog.email_edit.setText("baraka.o@senga.co.ke")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.MANAGER))
    dialog.save_button.click()
    assert page.active_dialog is None
    assert _cell(page, "baraka", Column.ROLE) == "Manager"
    assert _cell(page, "baraka", Column.EMAIL) == "baraka.o@senga.co.ke"
    selected = page.selected_user()
    assert selected is not None
    assert selected.username == "baraka"  # the selection survives the reload

    page.edit_button.click()
    dialog = _edit_dialog(page)
    dialog.active_check.setChecked(False)
    dialog.save_button.click()
    assert _cell(page, "baraka", Column.ACTIVE) == "No"
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        auth.sign_in(database.sessions, "baraka", FIRST_PASSWORD)


def test_the_last_admin_cannot_be_demoted(qtbot: QtBot, database: Database, admin: Actor) -> None:
    page = _page(qtbot, database, admin)
    _select(page, "amina")
    page.edit_button.click()
    dialog = _edit_dialog(page)
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.USER))
    dialog.save_button.click()

    assert not dialog.form_message.isHidden()
    assert "last active administrator" in dialog.form_message.text()
    assert page.active_dialog is dialog  # still open, for another choice
    assert _cell(page, "amina", Column.ROLE) == "Administrator"
    [amina] = users.list_users(database.sessions, admin)
    assert amina.role is Role.ADMIN

    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.ADMIN))
    dialog.active_check.setChecked(False)
    dialog.save_button.click()
    assert "last active administrator" in dialog.form_message.text()
    dialog.reject()


def test_reset_a_password(
    qtbot: QtBot, database: Database, admin: Actor, dispatcher: UserInfo
) -> None:
    page = _page(qtbot, database, admin)
    _select(page, "baraka")
    page.reset_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ResetPasswordDialog)
    assert "must choose their own at the next sign-in" in dialog.note.text()

    dialog.password_edit.setText("Temporary-Pass-42")
    dialog.confirm_edit.setText("Temporary-Pass-24")
    dialog.save_button.click()
    assert not _error(dialog, "confirm_password").isHidden()

    dialog.confirm_edit.setText("Temporary-Pass-42")
    dialog.save_button.click()
    assert page.active_dialog is None
    assert "temporary password" in page.notice.text()

    actor = auth.sign_in(database.sessions, "baraka", "Temporary-Pass-42")
    assert actor.must_change_password


def test_unlock_a_locked_account(
    qtbot: QtBot, database: Database, admin: Actor, dispatcher: UserInfo
) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(database.sessions, "baraka", "wrong-password-1")
    with pytest.raises(AccountLocked):
        auth.sign_in(database.sessions, "baraka", FIRST_PASSWORD)

    page = _page(qtbot, database, admin)
    assert _cell(page, "baraka", Column.LOCKED_UNTIL) != "—"
    _select(page, "amina")
    assert not page.unlock_button.isEnabled()
    _select(page, "baraka")
    assert page.unlock_button.isEnabled()

    page.unlock_button.click()

    assert _cell(page, "baraka", Column.LOCKED_UNTIL) == "—"
    assert not page.unlock_button.isEnabled()
    selected = page.selected_user()
    assert selected is not None
    assert selected.username == "baraka"
    assert "unlocked" in page.notice.text()
    assert auth.sign_in(database.sessions, "baraka", FIRST_PASSWORD).username == "baraka"


def test_a_refused_action_is_shown_on_the_page(
    qtbot: QtBot, database: Database, admin: Actor, dispatcher: UserInfo
) -> None:
    page = _page(qtbot, database, admin)
    _select(page, "baraka")
    # Meanwhile another administrator removes this admin's rights (here: the account's role).
    other = users.create_admin(database.sessions, "otieno", ADMIN_PASSWORD + "x")
    users.update_user(
        database.sessions,
        Actor(other.id, other.username, other.role),
        admin.user_id,
        email=None,
        role=Role.USER,
        is_active=True,
    )
    page.load()
    assert not page.message.isHidden()
    assert "may not do this" in page.message.text()
