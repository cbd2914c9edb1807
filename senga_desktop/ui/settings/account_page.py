"""The "My account" settings page: who is signed in, and changing one's own password.

Everyone sees this page. The password change asks for the current password; the new one is checked
against the password policy by the controller, and every problem is shown under its field. The
change is saved by the page's own button or by OK / Apply while the fields are filled in.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from senga_desktop.controllers.auth import change_own_password
from senga_desktop.controllers.passwords import MIN_PASSWORD_LENGTH
from senga_desktop.controllers.permissions import ROLE_LABELS, Actor
from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings.page import (
    FieldMessage,
    Notice,
    SettingsPage,
    add_field_row,
    add_section,
    hint_label,
    password_edit,
)
from senga_desktop.ui.style import icon
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.forms import FormErrors
from senga_desktop.ui.widgets.password_field import PasswordField

PASSWORD_HINT = (
    f"At least {MIN_PASSWORD_LENGTH} characters, not your user name and not a commonly used "
    "password. A few unrelated words make a strong one."
)
PASSWORD_FIELD_CHARS = 40
CHANGED_NOTICE = "Your password was changed. Use the new one from your next sign-in on."


class AccountPage(SettingsPage):
    """The signed-in user's name and role, and the password change form."""

    key = "account"
    title = "My account"
    icon_name = "mdi6.account-circle-outline"
    description = "The account you are signed in with, and its password."
    permission = None

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        form = self.form_layout()
        self.username_label = QLabel()
        self.username_label.setObjectName("username_value")
        self.role_label = QLabel()
        self.role_label.setObjectName("role_value")
        form.addRow("User name:", self.username_label)
        form.addRow("Role:", self.role_label)

        add_section(form, "Change password")
        hint = hint_label(PASSWORD_HINT)
        form.addRow(hint)
        self.form_message = FieldMessage(name="account_form_message")
        form.addRow(self.form_message)
        self.errors = FormErrors(form_message=self.form_message)
        self.current_edit = password_edit(name="current_password")
        self.new_edit = password_edit(name="new_password")
        self.confirm_edit = password_edit(name="confirm_password")
        width = self.fontMetrics().averageCharWidth() * PASSWORD_FIELD_CHARS
        for edit in self._edits:
            edit.setMaximumWidth(width)
            edit.textChanged.connect(self._on_text_changed)
        add_field_row(self.errors, form, "Current password:", "current_password", self.current_edit)
        add_field_row(self.errors, form, "New password:", "new_password", self.new_edit)
        add_field_row(
            self.errors, form, "Repeat new password:", "confirm_password", self.confirm_edit
        )

        self.change_button = QPushButton(icon("mdi6.key-outline", widget=self), "Change password")
        self.change_button.setObjectName("change_password_button")
        self.change_button.setAutoDefault(False)
        self.change_button.setEnabled(False)
        self.change_button.clicked.connect(self._on_change_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        self.notice = Notice(name="account_notice")
        form.addRow("", self.notice)
        self.body.addLayout(form)
        self.body.addStretch(1)

    @property
    def _edits(self) -> tuple[PasswordField, ...]:
        return (self.current_edit, self.new_edit, self.confirm_edit)

    # -- protocol -----------------------------------------------------------------------------

    def load(self) -> None:
        actor = self.context.require_actor()
        self.username_label.setText(actor.username)
        self.role_label.setText(ROLE_LABELS[actor.role])

    def is_dirty(self) -> bool:
        return any(edit.text() for edit in self._edits)

    def check(self) -> bool:
        self.errors.clear()
        if not self.is_dirty():
            return True
        problems = []
        if not self.current_edit.text():
            problems.append(ValidationError("current_password", "Enter your current password."))
        if not self.new_edit.text():
            problems.append(ValidationError("new_password", "Enter the new password."))
        elif self.confirm_edit.text() != self.new_edit.text():
            problems.append(
                ValidationError("confirm_password", "This differs from the new password above.")
            )
        if problems:
            self.errors.show(problems)
        return not problems

    def save(self) -> None:
        if not self.is_dirty():
            self.saved.emit()
            return
        self._set_busy(True)
        self.context.runner.run(
            change_own_password,
            self.context.sessions,
            self.context.require_actor(),
            self.current_edit.text(),
            self.new_edit.text(),
            on_success=self._on_password_changed,
            on_failure=self._on_change_failed,
        )

    # -- slots --------------------------------------------------------------------------------

    def _on_text_changed(self) -> None:
        self.notice.clear_message()
        self.change_button.setEnabled(self.is_dirty())
        self.edited.emit()

    def _on_change_clicked(self) -> None:
        if self.check():
            self.save()

    def _on_password_changed(self, actor: Actor) -> None:
        self.context.actor = actor  # must_change_password is cleared now
        self._set_busy(False)
        for edit in self._edits:
            edit.blockSignals(True)
            edit.clear_password()  # empty and masked again for the next person at the desk
            edit.blockSignals(False)
        self.change_button.setEnabled(False)
        self.errors.clear()
        self.notice.show_message(CHANGED_NOTICE)
        self.edited.emit()
        self.saved.emit()

    def _on_change_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, SengaError):
            self.errors.show(exc)
        else:
            report_unexpected(exc)
        self.save_failed.emit()

    def _set_busy(self, busy: bool) -> None:
        for edit in self._edits:
            edit.setEnabled(not busy)
        self.change_button.setEnabled(not busy and self.is_dirty())
        self.change_button.setText("Changing…" if busy else "Change password")
