"""The Settings dialog on real databases: pages per role, My account, General and Database.

The Users page has its own module (``test_users_page.py``). Every test runs on SQLite and, when a
server is configured, on PostgreSQL, with the synchronous task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from senga_desktop.config import DatabaseSetting, SettingSource, read_config_file, user_config_path
from senga_desktop.controllers import auth, users
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.settings import GeneralSettings, load_general
from senga_desktop.db import migrate
from senga_desktop.db.engine import Database
from senga_desktop.domain import Role
from senga_desktop.errors import PermissionDenied
from senga_desktop.gazetteer import load_gazetteer
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings import PAGE_CLASSES, SettingsDialog
from senga_desktop.ui.settings.account_page import AccountPage
from senga_desktop.ui.settings.database_page import DatabasePage, entered_url
from senga_desktop.ui.settings.general_page import GeneralPage
from senga_desktop.ui.settings.users_page import UsersPage
from senga_desktop.ui.tasks import SyncTaskRunner, TaskRunner

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")

ADMIN_PASSWORD = "Simba-Depot-2026"
REFUSED_URL = "postgresql://u:secret@127.0.0.1:1/x"  # nothing listens on port 1


@pytest.fixture
def admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, "amina", ADMIN_PASSWORD)


def _context(database: Database, actor: Actor) -> AppContext:
    url = database.url.render_as_string(hide_password=False)
    return AppContext(
        runner=SyncTaskRunner(),
        database=database,
        setting=DatabaseSetting(url, SettingSource.COMMAND_LINE),
        revision=migrate.head_revision(),
        actor=actor,
        general=load_general(database.sessions),
    )


def _dialog(qtbot: QtBot, context: AppContext) -> SettingsDialog:
    dialog = SettingsDialog(context=context)
    qtbot.addWidget(dialog)
    return dialog


def _texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.text()]


def _error(widget: QWidget, field: str) -> QLabel:
    label = widget.findChild(QLabel, f"{field}_error")
    assert label is not None, field
    return label


# -- pages per role ----------------------------------------------------------------------------


def test_an_admin_sees_every_page(qtbot: QtBot, database: Database, admin: Actor) -> None:
    dialog = _dialog(qtbot, _context(database, admin))

    assert dialog.page_keys() == ["account", "users", "database", "general", "trips"]
    assert [p.key for p in PAGE_CLASSES] == dialog.page_keys()
    titles = [dialog.page_list.item(row).text() for row in range(dialog.page_list.count())]
    assert titles == ["My account", "Users", "Database", "General", "Trips a day"]
    assert all(not dialog.page_list.item(row).icon().isNull() for row in range(4))
    assert isinstance(dialog.current_page(), AccountPage)

    assert dialog.open_page("database")
    assert isinstance(dialog.current_page(), DatabasePage)
    assert dialog.stack.currentIndex() == 2
    assert dialog.size().width() >= 900
    assert dialog.size().height() >= 600


def test_a_dispatcher_sees_only_my_account_and_the_controller_refuses_them(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    info = users.create_user(
        database.sessions,
        admin,
        username="wanjiku.k",
        email=None,
        role=Role.USER,
        password="Mombasa-Road-77",
    )
    dispatcher = Actor(info.id, info.username, info.role)
    dialog = _dialog(qtbot, _context(database, dispatcher))

    assert dialog.page_keys() == ["account"]
    assert dialog.page_list.count() == 1
    assert not dialog.open_page("users")
    assert dialog.page("users") is None
    assert dialog.findChild(QWidget, "users_page") is None
    assert isinstance(dialog.current_page(), AccountPage)
    account = dialog.page("account")
    assert isinstance(account, AccountPage)
    assert account.username_label.text() == "wanjiku.k"
    assert account.role_label.text() == "Dispatcher"

    with pytest.raises(PermissionDenied):
        users.list_users(database.sessions, dispatcher)


def test_a_manager_sees_no_admin_pages(qtbot: QtBot, database: Database, admin: Actor) -> None:
    manager = Actor(admin.user_id + 1000, "otieno", Role.MANAGER)  # visibility only
    dialog = _dialog(qtbot, _context(database, manager))
    assert dialog.page_keys() == ["account", "trips"]  # trips a day are the fleet's


def test_ok_without_changes_just_closes(qtbot: QtBot, database: Database, admin: Actor) -> None:
    dialog = _dialog(qtbot, _context(database, admin))
    assert not dialog.apply_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


# -- My account ----------------------------------------------------------------------------------


def test_change_own_password(qtbot: QtBot, database: Database, admin: Actor) -> None:
    context = _context(database, admin)
    dialog = _dialog(qtbot, context)
    page = dialog.page("account")
    assert isinstance(page, AccountPage)
    assert page.username_label.text() == "amina"
    assert page.role_label.text() == "Administrator"
    assert not page.change_button.isEnabled()

    # A wrong current password: shown at that field, nothing saved, the dialog stays open.
    page.current_edit.setText("not-the-password")
    page.new_edit.setText("Kilimanjaro-Base-9")
    page.confirm_edit.setText("Kilimanjaro-Base-9")
    assert dialog.apply_button.isEnabled()
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.current_page() is page
    assert not _error(page, "current_password").isHidden()
    assert _error(page, "current_password").text() == "The current password is not right."
    assert _error(page, "new_password").isHidden()

    # The repeated password differs: caught before anything is sent.
    page.current_edit.setText(ADMIN_PASSWORD)
    page.confirm_edit.setText("Kilimanjaro-Base-8")
    assert not page.check()
    assert not _error(page, "confirm_password").isHidden()
    assert _error(page, "current_password").isHidden()

    # Right: saved by the page's own button; the fields empty and a confirmation shows.
    page.confirm_edit.setText("Kilimanjaro-Base-9")
    page.new_edit.set_revealed(True)
    page.change_button.click()
    assert not page.new_edit.revealed  # masked again for the next person at the desk
    assert page.notice.text().startswith("Your password was changed")
    assert not page.notice.isHidden()
    assert (page.current_edit.text(), page.new_edit.text(), page.confirm_edit.text()) == ("",) * 3
    assert not page.is_dirty()
    assert not dialog.apply_button.isEnabled()
    assert context.actor is not None
    assert not context.actor.must_change_password

    signed_in = auth.sign_in(database.sessions, "amina", "Kilimanjaro-Base-9")
    assert signed_in.user_id == admin.user_id


def test_a_new_password_breaking_the_policy_is_shown_at_its_field(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    dialog = _dialog(qtbot, _context(database, admin))
    page = dialog.page("account")
    assert isinstance(page, AccountPage)
    page.current_edit.setText(ADMIN_PASSWORD)
    page.new_edit.setText("short")
    page.confirm_edit.setText("short")
    page.change_button.click()
    assert "at least 10 characters" in _error(page, "new_password").text()
    assert not _error(page, "new_password").isHidden()
    assert page.is_dirty()


# -- General ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ("depot_name", "   ", "Give the depot a name."),
        ("depot_town", "Atlantis", "'Atlantis' is not a known town."),
        ("depot_latitude", 12.5, "outside Kenya"),
        ("time_zone", "Africa/Narnia", "is not a time zone"),
    ],
    ids=lambda case: case[0],
)
def test_general_errors_are_shown_at_their_field(
    qtbot: QtBot, database: Database, admin: Actor, case: tuple[str, Any, str]
) -> None:
    field, value, complaint = case
    before = load_general(database.sessions)
    dialog = _dialog(qtbot, _context(database, admin))
    dialog.open_page("account")
    page = dialog.page("general")
    assert isinstance(page, GeneralPage)
    setters: dict[str, Callable[[Any], None]] = {
        "depot_name": page.name_edit.setText,
        "depot_town": page.town_combo.setEditText,
        "depot_latitude": page.latitude_spin.setValue,
        "time_zone": page.zone_combo.setEditText,
    }
    setters[field](value)
    assert page.is_dirty()

    with qtbot.assertNotEmitted(dialog.general_changed):
        dialog.ok_button.click()

    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.current_page() is page  # the page with the error came to the front
    message = _error(page, field)
    assert not message.isHidden()
    assert complaint in message.text()
    others = {"depot_name", "depot_town", "depot_latitude", "time_zone"} - {field}
    assert all(_error(page, other).isHidden() for other in others)
    assert load_general(database.sessions) == before


def test_general_save_emits_the_new_settings(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    context = _context(database, admin)
    dialog = _dialog(qtbot, context)
    page = dialog.page("general")
    assert isinstance(page, GeneralPage)
    assert page.settings() == GeneralSettings()  # a new database has the defaults
    assert page.zone_combo.currentText() == "Africa/Nairobi"
    assert not page.is_dirty()

    nakuru = load_gazetteer().get("Nakuru")
    assert nakuru is not None
    page.name_edit.setText("  Senga Nakuru Depot ")
    page.town_combo.setEditText("Nakuru")
    page.town_combo.textActivated.emit("Nakuru")  # as when the user picks it from the list
    assert page.latitude_spin.value() == pytest.approx(nakuru.latitude, abs=1e-4)
    assert page.longitude_spin.value() == pytest.approx(nakuru.longitude, abs=1e-4)
    page.idle_spin.setValue(0)
    assert page.idle_spin.text() == "Never"
    page.threshold_spin.setValue(3)

    with qtbot.waitSignal(dialog.general_changed, timeout=1000) as changed:
        dialog.ok_button.click()

    assert changed.args is not None
    saved = changed.args[0]
    assert isinstance(saved, GeneralSettings)
    assert saved.depot_name == "Senga Nakuru Depot"  # trimmed
    assert saved.depot_town == "Nakuru"
    assert saved.idle_lock_minutes == 0
    assert saved.lockout_threshold == 3
    assert load_general(database.sessions) == saved
    assert context.general == saved
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_leaving_the_town_field_fills_the_coordinates_once(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    dialog = _dialog(qtbot, _context(database, admin))
    page = dialog.page("general")
    assert isinstance(page, GeneralPage)
    page.latitude_spin.setValue(-1.3)  # tuned by hand for the same town: kept
    page.town_combo.edit.editingFinished.emit()
    assert page.latitude_spin.value() == pytest.approx(-1.3)

    page.town_combo.setEditText("eldoret")
    page.town_combo.edit.editingFinished.emit()
    eldoret = load_gazetteer().get("Eldoret")
    assert eldoret is not None
    assert page.town_combo.currentText() == "Eldoret"
    assert page.latitude_spin.value() == pytest.approx(eldoret.latitude, abs=1e-4)


# -- Database --------------------------------------------------------------------------------


def test_database_page_describes_the_connection_without_the_password(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    dialog = _dialog(qtbot, _context(database, admin))
    page = dialog.page("database")
    assert isinstance(page, DatabasePage)

    backend = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[database.backend]
    assert page.current_backend.text().startswith(backend)
    assert page.current_location.text() == database.location
    assert page.current_source.text() == SettingSource.COMMAND_LINE.value
    head = migrate.head_revision()
    assert head is not None
    assert page.current_revision.text() == f"{head} (current)"
    assert page.current_latency.text().endswith(" ms")
    assert page.current_message.isHidden()
    password = database.url.password
    if password:
        assert not [text for text in _texts(dialog) if password in text]
    assert not page.switch_button.isEnabled()


def test_a_failed_test_shows_why_and_changes_nothing(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    dialog = _dialog(qtbot, _context(database, admin))
    page = dialog.page("database")
    assert isinstance(page, DatabasePage)
    dialog.open_page("database")

    qtbot.keyClicks(page.url_edit, REFUSED_URL)
    page.test_button.click()

    assert not page.test_message.isHidden()
    assert "127.0.0.1:1/x" in page.test_message.text()
    assert "refused" in page.test_message.text()
    assert not page.has_result()
    assert not page.switch_button.isEnabled()
    assert page.tested_url() is None
    assert page.test_button.isEnabled()
    assert not [text for text in _texts(dialog) if "secret" in text]
    assert not user_config_path().exists()


def test_a_successful_test_enables_switch_and_switching_saves_the_setting(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, _context(database, admin))
    page = dialog.page("database")
    assert isinstance(page, DatabasePage)
    dialog.open_page("database")
    other = tmp_path / "branch depot.sqlite3"
    url = entered_url(str(other))
    assert url == f"sqlite:///{other.as_posix()}"

    page.url_edit.setText(str(other))  # a plain path means a SQLite file
    page.test_button.click()
    assert page.has_result()
    assert page.result_title.text().startswith("Connected to SQLite ")
    assert page.test_location.text() == str(other)
    assert page.test_revision.text().startswith("empty")
    assert page.test_latency.text().endswith(" ms")
    assert page.test_message.isHidden()
    assert page.switch_button.isEnabled()
    assert page.tested_url() == url

    # Any edit disables Switch until exactly that text has been tested.
    page.url_edit.setText(str(other) + "x")
    assert not page.switch_button.isEnabled()
    assert not page.has_result()
    page.url_edit.setText(str(other))
    assert not page.switch_button.isEnabled()
    page.test_button.click()
    assert page.switch_button.isEnabled()

    # Cancelling the confirmation switches nothing.
    page.switch_button.click()
    assert page.confirmation is not None
    assert "signed out" in page.confirmation.informativeText()
    page.confirmation.reject()
    assert not user_config_path().exists()
    assert dialog.result() != QDialog.DialogCode.Accepted

    page.switch_button.click()
    assert page.confirmation is not None
    assert page.confirm_switch_button is not None
    with qtbot.waitSignal(dialog.database_switched, timeout=5000) as switched:
        page.confirm_switch_button.click()

    assert switched.args is not None
    opened = switched.args[0]
    try:
        assert opened.database.location == str(other)
        assert opened.upgrade.to_revision == migrate.head_revision()
        assert opened.setting.source is SettingSource.USER_CONFIG
        assert read_config_file(user_config_path())["database"]["url"] == url
    finally:
        opened.database.dispose()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_testing_the_database_in_use_offers_no_switch(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    dialog = _dialog(qtbot, _context(database, admin))
    page = dialog.page("database")
    assert isinstance(page, DatabasePage)
    page.url_edit.setText(database.url.render_as_string(hide_password=False))
    page.test_button.click()
    assert page.has_result()
    assert page.result_title.text() == "This is the database in use already."
    assert not page.switch_button.isEnabled()


# -- OK / Apply across pages ---------------------------------------------------------------------


def test_ok_checks_every_changed_page_and_fronts_the_first_error(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    dialog = _dialog(qtbot, _context(database, admin))
    account = dialog.page("account")
    general = dialog.page("general")
    assert isinstance(account, AccountPage)
    assert isinstance(general, GeneralPage)
    dialog.open_page("database")
    account.current_edit.setText(ADMIN_PASSWORD)
    account.new_edit.setText("Kilimanjaro-Base-9")
    account.confirm_edit.setText("Kilimanjaro-Base-0")
    general.name_edit.clear()

    dialog.apply_button.click()

    assert dialog.current_page() is account  # the first page with an error
    assert not _error(account, "confirm_password").isHidden()
    assert not _error(general, "depot_name").isHidden()  # checked too
    assert account.is_dirty()
    assert general.is_dirty()

    # Both right: Apply saves both and keeps the dialog open.
    account.confirm_edit.setText("Kilimanjaro-Base-9")
    general.name_edit.setText("Senga Athi River Depot")
    with qtbot.waitSignal(dialog.general_changed, timeout=1000):
        dialog.apply_button.click()
    assert not dialog.dirty_pages()
    assert not dialog.apply_button.isEnabled()
    assert dialog.ok_button.isEnabled()
    assert load_general(database.sessions).depot_name == "Senga Athi River Depot"
    assert auth.sign_in(database.sessions, "amina", "Kilimanjaro-Base-9").username == "amina"
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_a_failed_save_stops_the_others(qtbot: QtBot, database: Database, admin: Actor) -> None:
    dialog = _dialog(qtbot, _context(database, admin))
    account = dialog.page("account")
    general = dialog.page("general")
    assert isinstance(account, AccountPage)
    assert isinstance(general, GeneralPage)
    account.current_edit.setText("not-the-password")  # refused by the controller, not check()
    account.new_edit.setText("Kilimanjaro-Base-9")
    account.confirm_edit.setText("Kilimanjaro-Base-9")
    general.name_edit.setText("Senga Thika Depot")
    dialog.open_page("general")

    with qtbot.assertNotEmitted(dialog.general_changed):
        dialog.ok_button.click()

    assert dialog.current_page() is account
    assert not _error(account, "current_password").isHidden()
    assert general.is_dirty()  # not saved: the account page failed first
    assert load_general(database.sessions).depot_name == GeneralSettings().depot_name
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.ok_button.isEnabled()


def test_the_pages_work_with_the_background_runner(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    context = _context(database, admin)
    context.runner = TaskRunner()
    dialog = _dialog(qtbot, context)
    try:
        database_page = dialog.page("database")
        users_page = dialog.page("users")
        general = dialog.page("general")
        assert isinstance(database_page, DatabasePage)
        assert isinstance(users_page, UsersPage)
        assert isinstance(general, GeneralPage)
        qtbot.waitUntil(lambda: database_page.current_latency.text().endswith(" ms"), timeout=5000)
        qtbot.waitUntil(lambda: users_page.model.rowCount() == 1, timeout=5000)

        database_page.url_edit.setText(str(tmp_path / "other.sqlite3"))
        database_page.test_button.click()
        assert not database_page.test_button.isEnabled()  # running
        qtbot.waitUntil(database_page.switch_button.isEnabled, timeout=5000)
        assert database_page.test_button.text() == "Test"

        general.name_edit.setText("Senga Kisumu Depot")
        with qtbot.waitSignal(dialog.accepted, timeout=5000):
            dialog.ok_button.click()
            assert not dialog.ok_button.isEnabled()  # saving
        assert context.general.depot_name == "Senga Kisumu Depot"
    finally:
        assert context.runner.shutdown()
