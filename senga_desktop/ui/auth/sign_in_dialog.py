"""The sign-in dialog: user name and password, checked off the GUI thread.

Checking a password takes a noticeable moment on purpose (argon2id), so the call runs through the
task runner while the dialog shows "Signing in…". A wrong password and an unknown user name get the
same message (the controller makes sure of that), shown under the form; the password is cleared
and focused for the next try.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from senga_desktop.controllers import auth
from senga_desktop.controllers.permissions import Actor
from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.auth import AuthDialog
from senga_desktop.ui.context import APPLICATION_NAME, AppContext
from senga_desktop.ui.style import APP_ICON
from senga_desktop.ui.widgets.password_field import PasswordField

SIGNING_IN_TEXT = "Signing in\N{HORIZONTAL ELLIPSIS}"


class SignInDialog(AuthDialog):
    """Asks for a user name and password; on success ``actor`` holds who signed in.

    ``signed_in(Actor)`` is emitted just before the dialog is accepted. ``username`` pre-fills
    the user name (for signing in again), and the password field then has the focus.
    ``cancel_text`` names the reject button: "Quit" at start-up, "Cancel" elsewhere.
    """

    signed_in = Signal(object)

    def __init__(
        self,
        *,
        context: AppContext,
        username: str = "",
        cancel_text: str = "Quit",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            context=context,
            name="sign_in_dialog",
            title="Sign in",
            icon_name=APP_ICON,
            heading_text=APPLICATION_NAME,
            intro=context.general.depot_name,
            accept_text="Sign in",
            reject_text=cancel_text,
            busy_text=SIGNING_IN_TEXT,
            parent=parent,
        )
        self.actor: Actor | None = None
        self.username_edit = QLineEdit()
        self.username_edit.setMaxLength(64)
        self.password_edit = PasswordField()
        self.add_field("&User name", "username", self.username_edit)
        self.add_field("&Password", "password", self.password_edit)
        self.username_edit.setText(username)
        (self.password_edit if username else self.username_edit).setFocus()

    def _on_submit(self) -> None:
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        missing = []
        if not username:
            missing.append(ValidationError("username", "Enter your user name."))
        if not password:
            missing.append(ValidationError("password", "Enter your password."))
        if missing:
            self.show_errors(missing)
            return
        self.start(auth.sign_in, self.context.sessions, username, password)

    def _on_succeeded(self, result: Actor) -> None:
        self.actor = result
        self.password_edit.clear_password()
        self.signed_in.emit(result)
        self.accept()

    def _on_failed(self, error: SengaError) -> None:
        """Wrong credentials, a locked or deactivated account, an unreachable database."""
        self.show_errors(error)
        self.password_edit.clear_password()
        self.password_edit.setFocus()
