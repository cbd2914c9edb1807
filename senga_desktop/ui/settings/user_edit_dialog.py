"""The small dialogs of the Users page: create or edit an account, and reset its password.

Each dialog calls its controller itself, through the task runner (password hashing is slow), and
stays open when the controller refuses, showing the reason inline: a ``ValidationError`` under its
field, a refusal such as the last-administrator guard as the form's message at the top.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.permissions import ROLE_LABELS
from senga_desktop.controllers.users import UserInfo, create_user, reset_password, update_user
from senga_desktop.domain import Role
from senga_desktop.errors import AlreadyExists, SengaError, ValidationError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings.page import FieldMessage, add_field_row, hint_label, password_edit
from senga_desktop.ui.style import unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.forms import FormErrors

FIRST_PASSWORD_NOTE = (
    "This is a first password only: {who} must choose their own when they first sign in. "
    "Tell it to them in person, not by e-mail."
)
RESET_NOTE = (
    "Give {who} a temporary password. They must choose their own at the next sign-in. "
    "A lock after failed sign-ins is lifted too."
)
PASSWORDS_DIFFER = "This differs from the password above."
DIALOG_WIDTH_CHARS = 90


def _conflict_field(exc: AlreadyExists) -> str:
    """The field an AlreadyExists refusal is about (the controller says it in words only)."""
    return "email" if "e-mail" in exc.message else "username"


class _AccountDialog(QDialog):
    """What the account dialogs share: the form, its inline errors, the buttons, the busy state."""

    #: The account as the controller returned it after the change.
    user_saved = Signal(object)

    def __init__(
        self, *, context: AppContext, title: str, action: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(title)
        self.setModal(True)
        self._action = action
        space = unit(self)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(space * 3, space * 3, space * 3, space * 2)
        layout.setSpacing(space * 2)
        #: The controller's refusals that belong to no field (e.g. the last-admin guard).
        self.form_message = FieldMessage(name="form_message")
        layout.addWidget(self.form_message)
        self.errors = FormErrors(form_message=self.form_message)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setHorizontalSpacing(space * 2)
        self.form.setVerticalSpacing(space)
        layout.addLayout(self.form)
        self.note = hint_label("")
        self.note.setObjectName("dialog_note")
        self.note.hide()
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox()
        self.save_button: QPushButton = self.buttons.addButton(
            action, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("save_button")
        self.save_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * DIALOG_WIDTH_CHARS, 0)
        #: The account after a successful change.
        self.saved_user: UserInfo | None = None

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()
        self.fit_height()

    def fit_height(self) -> None:
        """Grow to show every line: a window does not follow its wrapped labels by itself."""
        layout = self._layout
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def show_errors(self, errors: list[ValidationError] | SengaError) -> None:
        self.errors.show(errors)
        self.fit_height()

    # -- running the controller ---------------------------------------------------------------

    def _problems(self) -> list[ValidationError]:
        """Checks that need no database (e.g. the repeated password); none by default."""
        return []

    def _call(self) -> Callable[[], Any]:
        raise NotImplementedError

    def _on_save_clicked(self) -> None:
        problems = self._problems()
        if problems:
            self.show_errors(problems)
            return
        self.errors.clear()
        self._set_busy(True)
        self.context.runner.run(
            self._call(), on_success=self._on_succeeded, on_failure=self._on_failed
        )

    def _on_succeeded(self, user: UserInfo) -> None:
        self._set_busy(False)
        self.saved_user = user
        self.user_saved.emit(user)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, AlreadyExists):
            self.show_errors([ValidationError(_conflict_field(exc), exc.message)])
        elif isinstance(exc, SengaError):
            self.show_errors(exc)
        else:
            report_unexpected(exc)

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setText(f"{self._action.rstrip('.')}…" if busy else self._action)
        for child in self.findChildren(QLineEdit) + self.findChildren(QComboBox):
            child.setEnabled(not busy)


def _role_combo(current: Role) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("role_combo")
    for role in (Role.USER, Role.MANAGER, Role.ADMIN):
        combo.addItem(ROLE_LABELS[role], role)
    combo.setCurrentIndex(combo.findData(current))
    return combo


class UserEditDialog(_AccountDialog):
    """Create an account (``user=None``) or edit one's e-mail, role and active flag."""

    def __init__(
        self, *, context: AppContext, user: UserInfo | None = None, parent: QWidget | None = None
    ) -> None:
        creating = user is None
        super().__init__(
            context=context,
            title="New user" if user is None else f"Edit user {user.username}",
            action="Create user" if creating else "Save",
            parent=parent,
        )
        self.setObjectName("user_edit_dialog")
        self.user = user
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username_edit")
        self.username_edit.setPlaceholderText("e.g. wanjiku.k")
        self.email_edit = QLineEdit((user.email or "") if user else "")
        self.email_edit.setObjectName("email_edit")
        self.email_edit.setPlaceholderText("name@example.co.ke (optional)")
        self.role_combo = _role_combo(user.role if user else Role.USER)
        self.active_check = QCheckBox("Active: the account can sign in")
        self.active_check.setObjectName("active_check")
        self.active_check.setChecked(user.is_active if user else True)
        self.password_edit = password_edit(name="password_edit")
        self.confirm_edit = password_edit(name="confirm_edit")
        if user is None:
            add_field_row(self.errors, self.form, "User name:", "username", self.username_edit)
        else:
            name = QLabel(user.username)
            name.setObjectName("username_value")
            self.form.addRow("User name:", name)
        add_field_row(self.errors, self.form, "E-mail:", "email", self.email_edit)
        self.form.addRow("Role:", self.role_combo)
        if creating:
            add_field_row(self.errors, self.form, "First password:", "password", self.password_edit)
            add_field_row(
                self.errors, self.form, "Repeat password:", "confirm_password", self.confirm_edit
            )
            self.show_note(FIRST_PASSWORD_NOTE.format(who="the new user"))
            self.username_edit.setFocus()
        else:
            self.form.addRow("", self.active_check)
            self.email_edit.setFocus()

    def _problems(self) -> list[ValidationError]:
        if self.user is None and self.confirm_edit.text() != self.password_edit.text():
            return [ValidationError("confirm_password", PASSWORDS_DIFFER)]
        return []

    def _call(self) -> Callable[[], Any]:
        role = Role(self.role_combo.currentData())
        email = self.email_edit.text().strip() or None
        if self.user is None:
            return partial(
                create_user,
                self.context.sessions,
                self.context.require_actor(),
                username=self.username_edit.text(),
                email=email,
                role=role,
                password=self.password_edit.text(),
            )
        return partial(
            update_user,
            self.context.sessions,
            self.context.require_actor(),
            self.user.id,
            email=email,
            role=role,
            is_active=self.active_check.isChecked(),
        )


class ResetPasswordDialog(_AccountDialog):
    """Give an account a temporary password that must be changed at the next sign-in."""

    def __init__(
        self, *, context: AppContext, user: UserInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            context=context,
            title=f"Reset the password of {user.username}",
            action="Reset password",
            parent=parent,
        )
        self.setObjectName("reset_password_dialog")
        self.user = user
        self.password_edit = password_edit(name="password_edit")
        self.confirm_edit = password_edit(name="confirm_edit")
        add_field_row(self.errors, self.form, "Temporary password:", "password", self.password_edit)
        add_field_row(
            self.errors, self.form, "Repeat password:", "confirm_password", self.confirm_edit
        )
        self.show_note(RESET_NOTE.format(who=user.username))
        self.password_edit.setFocus()

    def _problems(self) -> list[ValidationError]:
        if self.confirm_edit.text() != self.password_edit.text():
            return [ValidationError("confirm_password", PASSWORDS_DIFFER)]
        return []

    def _call(self) -> Callable[[], Any]:
        return partial(
            reset_password,
            self.context.sessions,
            self.context.require_actor(),
            self.user.id,
            self.password_edit.text(),
        )
