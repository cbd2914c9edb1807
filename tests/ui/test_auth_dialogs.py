"""The sign-in, first-run and change-password dialogs on real databases (SQLite and PostgreSQL).

They are driven like a user would: typing, Enter, clicks. Password hashing is slow by design, so
each test hashes as few times as it can (the comments count the argon2 operations).
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import auth, users
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.settings import GeneralSettings
from senga_desktop.db.engine import Database
from senga_desktop.domain import Role
from senga_desktop.errors import StorageUnavailable
from senga_desktop.ui.auth import AuthDialog
from senga_desktop.ui.auth.change_password_dialog import ChangePasswordDialog
from senga_desktop.ui.auth.first_run_dialog import MISMATCH_TEXT, FirstRunDialog
from senga_desktop.ui.auth.sign_in_dialog import SignInDialog
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.tasks import SyncTaskRunner, TaskRunner
from senga_desktop.ui.widgets.password_field import HIDE_TEXT, SHOW_TEXT, PasswordField

ADMIN = "admin"
ADMIN_PASSWORD = "depot-admin-2026"
DISPATCHER = "jkamau"
DISPATCHER_PASSWORD = "first-password-from-admin"
WRONG = auth.WRONG_CREDENTIALS

# The offscreen platform plugin says so whenever a shown window has a minimum size: a limit of
# the test platform, not a problem of the app. Every other Qt warning still fails a test.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


@pytest.fixture
def context(database: Database) -> AppContext:
    return AppContext(runner=SyncTaskRunner(), database=database)


@pytest.fixture
def admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, ADMIN, ADMIN_PASSWORD)  # 1 hash


@pytest.fixture
def dispatcher(database: Database, admin: Actor) -> Actor:
    info = users.create_user(
        database.sessions,
        admin,
        username=DISPATCHER,
        email="jkamau@example.co.ke",
        role=Role.USER,
        password=DISPATCHER_PASSWORD,
    )  # 1 hash
    return Actor(info.id, info.username, info.role, info.must_change_password)


@pytest.fixture
def excepthook(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """What reached the app's error handler (``report_unexpected`` goes through it)."""
    reported: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: reported.append(exc))
    return reported


def _forbid(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[object, ...]]:
    """Replace ``auth.<name>`` by a recorder: a check that must stop the call records nothing."""
    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(auth, name, lambda *args, **kwargs: calls.append(args))
    return calls


def _show(qtbot: QtBot, dialog: QDialog) -> Any:
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):  # so the keyboard focus is real: QApplication.focusWidget()
        dialog.show()
        dialog.activateWindow()
    return dialog


def _sign_in_dialog(qtbot: QtBot, context: AppContext, **kwargs: Any) -> SignInDialog:
    dialog: SignInDialog = _show(qtbot, SignInDialog(context=context, **kwargs))
    return dialog


def _type(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()  # as a click or Tab would
    field.clear()
    qtbot.keyClicks(field, text)


def _attempt(qtbot: QtBot, dialog: SignInDialog, username: str, password: str) -> None:
    """Type both fields and press Enter in the password field."""
    _type(qtbot, dialog.username_edit, username)
    _type(qtbot, dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def _error(dialog: AuthDialog, field: str) -> str:
    message = dialog.errors.message_for(field)
    return "" if message.isHidden() else message.text()


def _form_message(dialog: AuthDialog) -> str:
    return "" if dialog.form_message.isHidden() else dialog.form_message.text()


# -- the password field ------------------------------------------------------------------------


def test_password_field_shows_and_hides_the_password(qtbot: QtBot) -> None:
    field = PasswordField(name="secret")
    qtbot.addWidget(field)
    qtbot.keyClicks(field, "pole pole")
    action = field.toggle_action
    assert field.echoMode() == QLineEdit.EchoMode.Password
    assert (action.toolTip(), action.text()) == (SHOW_TEXT, SHOW_TEXT)
    [button] = [w for w in action.associatedObjects() if isinstance(w, QWidget) and w is not field]
    assert button.accessibleName() == SHOW_TEXT

    with qtbot.waitSignal(field.revealed_changed) as blocker:
        action.trigger()
    assert blocker.args == [True]
    assert field.echoMode() == QLineEdit.EchoMode.Normal
    assert field.displayText() == "pole pole"
    assert (action.toolTip(), button.accessibleName()) == (HIDE_TEXT, HIDE_TEXT)

    action.trigger()
    assert field.echoMode() == QLineEdit.EchoMode.Password
    assert field.displayText() != "pole pole"

    field.set_revealed(True)
    field.clear_password()  # a shown password is masked again for the next person
    assert field.text() == ""
    assert not field.revealed


# -- first run ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ("A", "", "long enough password", "username", "A user name has 2 to 64 characters"),
        ("admin", "not-an-address", "long enough password", "email", "is not an e-mail address"),
        ("admin", "", "short", "password", "at least 10 characters"),
        ("administrator", "", "Administrator", "password", "must not be the user name"),
        ("admin", "", "password123", "password", "commonly used passwords"),
    ],
    ids=["user name", "e-mail", "too short", "the user name", "common"],
)
def test_first_run_shows_policy_errors_at_their_field(
    qtbot: QtBot, context: AppContext, database: Database, case: tuple[str, str, str, str, str]
) -> None:
    username, email, password, field, expected = case
    dialog = _show(qtbot, FirstRunDialog(context=context))
    texts = f"{dialog.heading_label.text()} {dialog.findChild(QWidget, 'password_hint').text()}"
    assert "Create the first administrator account" in texts
    assert "At least 10 characters, not the user name and not a commonly used" in texts

    _type(qtbot, dialog.username_edit, username)
    _type(qtbot, dialog.email_edit, email)
    _type(qtbot, dialog.password_edit, password)
    _type(qtbot, dialog.confirm_edit, password)
    qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)  # no hash: refused before

    assert expected in _error(dialog, field)
    others = {"username", "email", "password", "confirm_password"} - {field}
    assert not [f for f in others if _error(dialog, f)]
    assert dialog.focusWidget() is dialog.errors._fields[field][0]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.isVisible()
    assert auth.needs_first_admin(database.sessions)


def test_first_run_catches_differing_passwords_before_calling(
    qtbot: QtBot, context: AppContext, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _forbid(monkeypatch, "create_first_admin")
    dialog = _show(qtbot, FirstRunDialog(context=context))
    _type(qtbot, dialog.username_edit, ADMIN)
    _type(qtbot, dialog.password_edit, ADMIN_PASSWORD)
    _type(qtbot, dialog.confirm_edit, ADMIN_PASSWORD + "x")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)

    assert _error(dialog, "confirm_password") == MISMATCH_TEXT
    assert dialog.focusWidget() is dialog.confirm_edit
    assert calls == []
    assert auth.needs_first_admin(database.sessions)


def test_first_run_creates_the_administrator(
    qtbot: QtBot, context: AppContext, database: Database
) -> None:
    dialog = _show(qtbot, FirstRunDialog(context=context))
    _type(qtbot, dialog.username_edit, " Admin ")
    _type(qtbot, dialog.email_edit, "ops@senga.co.ke")
    _type(qtbot, dialog.password_edit, ADMIN_PASSWORD)
    _type(qtbot, dialog.confirm_edit, ADMIN_PASSWORD)

    with qtbot.waitSignal(dialog.account_created) as blocker:
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)  # 1 hash

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None
    assert blocker.args == [dialog.actor]
    assert (dialog.actor.username, dialog.actor.role) == (ADMIN, Role.ADMIN)
    assert not auth.needs_first_admin(database.sessions)
    assert dialog.password_edit.text() == ""  # nothing left behind in the widgets

    # A second first-run (two desktops at once) is refused under the form.
    second = _show(qtbot, FirstRunDialog(context=context))
    _type(qtbot, second.username_edit, "other")
    _type(qtbot, second.password_edit, ADMIN_PASSWORD)
    _type(qtbot, second.confirm_edit, ADMIN_PASSWORD)
    qtbot.mouseClick(second.accept_button, Qt.MouseButton.LeftButton)  # 1 hash
    assert "An account exists already" in _form_message(second)
    assert second.isVisible()
    assert second.accept_button.isEnabled()


# -- signing in --------------------------------------------------------------------------------


def test_sign_in_succeeds(qtbot: QtBot, context: AppContext, admin: Actor) -> None:
    context.general = GeneralSettings(depot_name="Mombasa Road Depot")
    dialog = _sign_in_dialog(qtbot, context)
    assert dialog.intro_label.text() == "Mombasa Road Depot"
    assert dialog.focusWidget() is dialog.username_edit
    assert dialog.accept_button.isDefault()
    assert dialog.reject_button.text() == "Quit"

    with qtbot.waitSignal(dialog.signed_in) as blocker:
        _attempt(qtbot, dialog, "ADMIN", ADMIN_PASSWORD)  # 1 verify

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor == admin
    assert blocker.args == [admin]
    assert not dialog.busy


def test_enter_in_the_user_name_field_submits(
    qtbot: QtBot, context: AppContext, admin: Actor
) -> None:
    dialog = _sign_in_dialog(qtbot, context)
    _type(qtbot, dialog.password_edit, ADMIN_PASSWORD)
    _type(qtbot, dialog.username_edit, ADMIN)
    with qtbot.waitSignal(dialog.signed_in):
        qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Enter)  # 1 verify
    assert dialog.actor == admin


def test_empty_fields_are_caught_before_calling(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _forbid(monkeypatch, "sign_in")
    dialog = _sign_in_dialog(qtbot, context)
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Return)
    assert calls == []

    assert _error(dialog, "username") == "Enter your user name."
    assert _error(dialog, "password") == "Enter your password."
    assert dialog.focusWidget() is dialog.username_edit
    assert dialog.isVisible()


@pytest.mark.parametrize("username", [ADMIN, "nobody"])
def test_wrong_password_and_unknown_user_get_the_same_message(
    qtbot: QtBot, context: AppContext, admin: Actor, username: str
) -> None:
    dialog = _sign_in_dialog(qtbot, context)
    _attempt(qtbot, dialog, username, "not the password")  # 1 verify

    assert _form_message(dialog) == WRONG
    assert dialog.password_edit.text() == ""
    assert dialog.username_edit.text() == username
    assert dialog.focusWidget() is dialog.password_edit
    assert dialog.password_edit.isEnabled()
    assert dialog.accept_button.isEnabled()
    assert dialog.busy_indicator.isHidden()
    assert dialog.isVisible()
    assert dialog.actor is None

    # The next try clears the old message first.
    with qtbot.waitSignal(dialog.signed_in):
        _attempt(qtbot, dialog, ADMIN, ADMIN_PASSWORD)  # 1 verify
    assert dialog.actor == admin


def test_prefilled_user_name_focuses_the_password(
    qtbot: QtBot, context: AppContext, admin: Actor
) -> None:
    dialog = _sign_in_dialog(qtbot, context, username=ADMIN, cancel_text="Cancel")
    assert dialog.username_edit.text() == ADMIN
    assert dialog.focusWidget() is dialog.password_edit
    assert QApplication.focusWidget() is dialog.password_edit
    assert dialog.reject_button.text() == "Cancel"
    qtbot.keyClicks(QApplication.focusWidget(), ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # 1 verify


def test_five_failures_lock_the_account_until_an_admin_unlocks_it(
    qtbot: QtBot, context: AppContext, database: Database, admin: Actor
) -> None:
    dialog = _sign_in_dialog(qtbot, context)
    for _ in range(context.general.lockout_threshold):  # 5 verifies
        _attempt(qtbot, dialog, ADMIN, "guessing again")
        assert _form_message(dialog) == WRONG

    _attempt(qtbot, dialog, ADMIN, ADMIN_PASSWORD)  # refused before any verify
    message = _form_message(dialog)
    assert message.startswith("This account is locked after too many failed sign-ins.")
    # Once the layout has run, the dialog has grown for the long message: nothing is cut off.
    qtbot.waitUntil(lambda: dialog.height() >= dialog.heightForWidth(dialog.width()), timeout=2000)
    assert dialog.form_message.height() >= dialog.form_message.heightForWidth(
        dialog.form_message.width()
    )
    assert "15 minutes" in message
    assert "ask an administrator to unlock it" in message
    assert dialog.actor is None
    assert dialog.focusWidget() is dialog.password_edit

    users.unlock(database.sessions, admin, admin.user_id)
    with qtbot.waitSignal(dialog.signed_in):
        _attempt(qtbot, dialog, ADMIN, ADMIN_PASSWORD)  # 1 verify
    assert dialog.actor == admin


def test_an_inactive_user_cannot_sign_in(
    qtbot: QtBot, context: AppContext, database: Database, admin: Actor, dispatcher: Actor
) -> None:
    users.update_user(
        database.sessions,
        admin,
        dispatcher.user_id,
        email="jkamau@example.co.ke",
        role=Role.USER,
        is_active=False,
    )
    dialog = _sign_in_dialog(qtbot, context)
    _attempt(qtbot, dialog, DISPATCHER, DISPATCHER_PASSWORD)  # 1 verify

    assert "deactivated" in _form_message(dialog)
    assert "Ask an administrator" in _form_message(dialog)
    assert dialog.actor is None
    assert dialog.isVisible()


def test_storage_failures_are_shown_under_the_form(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*_args: object) -> Actor:
        raise StorageUnavailable("Cannot reach PostgreSQL at db:5432/senga. Check the server.")

    monkeypatch.setattr(auth, "sign_in", unreachable)
    dialog = _sign_in_dialog(qtbot, context)
    _attempt(qtbot, dialog, ADMIN, ADMIN_PASSWORD)
    assert _form_message(dialog).startswith("Cannot reach PostgreSQL at db:5432/senga")
    assert dialog.password_edit.text() == ""


def test_unexpected_errors_reach_the_error_handler_and_the_form_comes_back(
    qtbot: QtBot,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    excepthook: list[BaseException],
) -> None:
    bug = RuntimeError("boom")

    def broken(*_args: object) -> Actor:
        raise bug

    monkeypatch.setattr(auth, "sign_in", broken)
    dialog = _sign_in_dialog(qtbot, context)
    _attempt(qtbot, dialog, ADMIN, ADMIN_PASSWORD)

    assert excepthook == [bug]
    assert not dialog.busy
    assert dialog.username_edit.isEnabled()
    assert dialog.password_edit.isEnabled()
    assert dialog.accept_button.isEnabled()
    assert dialog.focusWidget() is dialog.password_edit  # back where Enter was pressed
    assert _form_message(dialog) == ""
    assert dialog.isVisible()


def test_signing_in_runs_off_the_gui_thread_and_shows_it_is_busy(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    runner = TaskRunner()
    context = AppContext(runner=runner, database=database)
    dialog = _sign_in_dialog(qtbot, context)
    _type(qtbot, dialog.username_edit, ADMIN)
    _type(qtbot, dialog.password_edit, ADMIN_PASSWORD)
    seen_while_running: list[tuple[bool, bool, bool, bool]] = []

    def probe() -> None:  # runs on the GUI thread while the worker verifies the password
        seen_while_running.append(
            (
                dialog.busy,
                dialog.busy_indicator.isVisible(),
                dialog.password_edit.isEnabled(),
                dialog.accept_button.isEnabled(),
            )
        )

    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # 1 verify, on a worker
    # The result can only come back through the event loop, so this is still the busy state.
    assert dialog.busy
    assert dialog.busy_indicator.isVisible()
    assert dialog.busy_indicator.label.text() == "Signing in\N{HORIZONTAL ELLIPSIS}"
    assert not dialog.username_edit.isEnabled()
    assert not dialog.password_edit.isEnabled()
    assert not dialog.accept_button.isEnabled()
    assert dialog.reject_button.isEnabled()
    assert dialog.focusWidget() is not dialog.reject_button
    QTimer.singleShot(0, probe)

    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as blocker:
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # a second Enter while busy does nothing

    assert seen_while_running == [(True, True, False, False)]  # the GUI thread kept running
    assert blocker.args == [admin]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.busy
    assert runner.shutdown()


def test_closing_while_signing_in_drops_the_result(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    runner = TaskRunner()
    context = AppContext(runner=runner, database=database)
    dialog = _sign_in_dialog(qtbot, context)
    _type(qtbot, dialog.username_edit, ADMIN)
    _type(qtbot, dialog.password_edit, ADMIN_PASSWORD)

    with qtbot.assertNotEmitted(dialog.signed_in):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # 1 verify, on a worker
        assert dialog.busy
        qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
        assert runner.shutdown()  # the worker has finished ...
        QApplication.processEvents()  # ... and its result was delivered, to nobody

    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.actor is None
    assert not runner.busy


# -- a password set by an administrator ---------------------------------------------------------


def test_forced_password_change_after_an_admin_created_the_account(
    qtbot: QtBot, context: AppContext, database: Database, dispatcher: Actor
) -> None:
    sign_in = _sign_in_dialog(qtbot, context)
    with qtbot.waitSignal(sign_in.signed_in):
        _attempt(qtbot, sign_in, DISPATCHER, DISPATCHER_PASSWORD)  # 1 verify
    actor = sign_in.actor
    assert actor is not None
    assert actor.must_change_password

    dialog = _show(qtbot, ChangePasswordDialog(context=context, actor=actor, forced=True))
    intro = dialog.intro_label.text()
    assert "An administrator set the password of jkamau" in intro
    assert "Choose a new one now" in intro
    assert dialog.heading_label.text() == "Choose a new password"
    assert dialog.reject_button.text() == "Sign out"
    assert dialog.accept_button.text() == "Change password"
    assert dialog.focusWidget() is dialog.current_edit

    def submit(current: str, new: str, confirm: str) -> None:
        _type(qtbot, dialog.current_edit, current)
        _type(qtbot, dialog.new_edit, new)
        _type(qtbot, dialog.confirm_edit, confirm)
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)

    submit("not the first password", "a-brand-new-secret", "a-brand-new-secret")  # 1 verify
    assert _error(dialog, "current_password") == "The current password is not right."
    assert dialog.current_edit.text() == ""
    assert dialog.focusWidget() is dialog.current_edit

    submit(DISPATCHER_PASSWORD, "password123", "password123")  # 1 verify
    assert "commonly used passwords" in _error(dialog, "new_password")
    assert _error(dialog, "current_password") == ""
    assert dialog.focusWidget() is dialog.new_edit

    submit(DISPATCHER_PASSWORD, "a-brand-new-secret", "a-brand-new-secret!")  # no hash
    assert "differ" in _error(dialog, "confirm_password")
    assert dialog.isVisible()

    with qtbot.waitSignal(dialog.password_changed) as blocker:
        submit(DISPATCHER_PASSWORD, "a-brand-new-secret", "a-brand-new-secret")  # 1 verify+hash
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None
    assert not dialog.actor.must_change_password
    assert blocker.args == [dialog.actor]

    again = auth.sign_in(database.sessions, DISPATCHER, "a-brand-new-secret")  # 1 verify
    assert not again.must_change_password


def test_voluntary_change_offers_cancel(qtbot: QtBot, context: AppContext) -> None:
    actor = Actor(7, "wanjiru", Role.MANAGER)
    dialog = _show(qtbot, ChangePasswordDialog(context=context, actor=actor, forced=False))
    assert dialog.reject_button.text() == "Cancel"
    assert "Signed in as wanjiru (Manager)" in dialog.intro_label.text()
    qtbot.keyClick(dialog.current_edit, Qt.Key.Key_Return)
    assert _error(dialog, "current_password") == "Enter your current password."
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
