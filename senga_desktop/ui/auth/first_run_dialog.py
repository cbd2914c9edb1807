"""The first-run dialog: on a database without any account, create the first administrator.

The password policy is stated up front; the controller enforces it and names the field at fault
(``username``, ``email`` or ``password``), and its message appears under that field. Two differing
passwords are caught here, before any (slow) hashing.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from senga_desktop.controllers import auth
from senga_desktop.controllers.permissions import Actor
from senga_desktop.errors import ValidationError
from senga_desktop.ui.auth import PASSWORD_POLICY_TEXT, AuthDialog
from senga_desktop.ui.context import APPLICATION_NAME, AppContext
from senga_desktop.ui.widgets.password_field import PasswordField

MISMATCH_TEXT = "The two passwords differ: type the same password twice."
CREATING_TEXT = "Creating the account\N{HORIZONTAL ELLIPSIS}"


class FirstRunDialog(AuthDialog):
    """Creates the first administrator; on success ``actor`` is that administrator, signed in.

    ``account_created(Actor)`` is emitted just before the dialog is accepted. Rejecting it
    ("Quit") leaves the database without accounts, so the app asks again at the next start.
    """

    account_created = Signal(object)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context=context,
            name="first_run_dialog",
            title="First start",
            icon_name="mdi6.shield-account-outline",
            heading_text="Create the first administrator account",
            intro=(
                f"Welcome to {APPLICATION_NAME}. This database has no accounts yet. The "
                "administrator you create now signs in at once and can then add accounts for "
                "the rest of the depot's staff."
            ),
            accept_text="Create account",
            reject_text="Quit",
            busy_text=CREATING_TEXT,
            parent=parent,
        )
        self.actor: Actor | None = None
        self.username_edit = QLineEdit()
        self.username_edit.setMaxLength(64)
        self.username_edit.setPlaceholderText("for example jkamau")
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText("name@example.co.ke")
        self.password_edit = PasswordField()
        self.confirm_edit = PasswordField()
        self.add_field("&User name", "username", self.username_edit)
        self.add_field("&E-mail (optional)", "email", self.email_edit)
        self.add_field("&Password", "password", self.password_edit, hint=PASSWORD_POLICY_TEXT)
        self.add_field("&Confirm password", "confirm_password", self.confirm_edit)
        self.username_edit.setFocus()

    def _on_submit(self) -> None:
        if self.password_edit.text() != self.confirm_edit.text():
            self.show_errors([ValidationError("confirm_password", MISMATCH_TEXT)])
            return
        email = self.email_edit.text().strip() or None
        create = functools.partial(auth.create_first_admin, email=email)
        self.start(
            create, self.context.sessions, self.username_edit.text(), self.password_edit.text()
        )

    def _on_succeeded(self, result: Actor) -> None:
        self.actor = result
        self.password_edit.clear_password()
        self.confirm_edit.clear_password()
        self.account_created.emit(result)
        self.accept()
