"""Changing one's own password: asked for after an administrator set it, or from My account.

The current password is checked and the new one hashed by the controller, off the GUI thread.
Its errors appear under the field at fault (``current_password``, ``new_password``); two differing
new passwords are caught here first.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from senga_desktop.controllers import auth
from senga_desktop.controllers.permissions import ROLE_LABELS, Actor
from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.auth import PASSWORD_POLICY_TEXT, AuthDialog
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.widgets.password_field import PasswordField

MISMATCH_TEXT = "The two new passwords differ: type the same password twice."
FORCED_INTRO = (
    "An administrator set the password of {username}. Choose a new one now, known only to you, "
    "to carry on. Signing out instead leaves the account as it is."
)
VOLUNTARY_INTRO = (
    "Signed in as {username} ({role}). Enter your current password, then the new one twice."
)
CHANGING_TEXT = "Changing the password\N{HORIZONTAL ELLIPSIS}"


class ChangePasswordDialog(AuthDialog):
    """Current, new and confirmed password; on success ``actor`` has ``must_change_password``
    False and ``password_changed(Actor)`` is emitted before the dialog is accepted.

    With ``forced=True`` (the account's password was set by an administrator) the text says a
    new one must be chosen now and the reject button reads "Sign out": the caller signs out when
    the dialog is rejected.
    """

    password_changed = Signal(object)

    def __init__(
        self,
        *,
        context: AppContext,
        actor: Actor,
        forced: bool,
        parent: QWidget | None = None,
    ) -> None:
        text = FORCED_INTRO if forced else VOLUNTARY_INTRO
        super().__init__(
            context=context,
            name="change_password_dialog",
            title="Choose a new password" if forced else "Change password",
            icon_name="mdi6.lock-reset" if forced else "mdi6.key-change",
            heading_text="Choose a new password" if forced else "Change your password",
            intro=text.format(username=actor.username, role=ROLE_LABELS[actor.role]),
            accept_text="Change password",
            reject_text="Sign out" if forced else "Cancel",
            busy_text=CHANGING_TEXT,
            parent=parent,
        )
        self.forced = forced
        self.signed_in_actor = actor
        self.actor: Actor | None = None
        self.current_edit = PasswordField()
        self.new_edit = PasswordField()
        self.confirm_edit = PasswordField()
        current_label = "&Password set by the administrator" if forced else "&Current password"
        self.add_field(current_label, "current_password", self.current_edit)
        self.add_field("&New password", "new_password", self.new_edit, hint=PASSWORD_POLICY_TEXT)
        self.add_field("C&onfirm new password", "confirm_password", self.confirm_edit)
        self.current_edit.setFocus()

    def _on_submit(self) -> None:
        if not self.current_edit.text():
            self.show_errors([ValidationError("current_password", "Enter your current password.")])
            return
        if self.new_edit.text() != self.confirm_edit.text():
            self.show_errors([ValidationError("confirm_password", MISMATCH_TEXT)])
            return
        self.start(
            auth.change_own_password,
            self.context.sessions,
            self.signed_in_actor,
            self.current_edit.text(),
            self.new_edit.text(),
        )

    def _on_succeeded(self, result: Actor) -> None:
        self.actor = result
        for field in (self.current_edit, self.new_edit, self.confirm_edit):
            field.clear_password()
        self.password_changed.emit(result)
        self.accept()

    def _on_failed(self, error: SengaError) -> None:
        self.show_errors(error)
        if getattr(error, "field", None) == "current_password":
            self.current_edit.clear_password()
            self.current_edit.setFocus()
