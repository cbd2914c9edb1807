"""The "Users" settings page (administrators): the accounts on this database.

Each action is saved at once by its own button (New…, Edit…, Reset password…, Unlock), so the page
is never "dirty" and OK simply closes the dialog. After each change the list is read again and the
changed account stays selected.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from senga_desktop.controllers.permissions import Permission
from senga_desktop.controllers.users import UserInfo, list_users, unlock
from senga_desktop.errors import SengaError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings.page import FieldMessage, Notice, SettingsPage
from senga_desktop.ui.settings.user_edit_dialog import ResetPasswordDialog, UserEditDialog
from senga_desktop.ui.settings.users_model import Column, UsersTableModel
from senga_desktop.ui.style import icon, unit
from senga_desktop.ui.tasks import report_unexpected

DONE_MESSAGES = {
    "created": "{name} can now sign in with the first password, and must then choose their own.",
    "updated": "The changes to {name} are saved.",
    "reset": "{name} has a temporary password and must choose their own at the next sign-in.",
    "unlocked": "{name} is unlocked and can sign in again.",
}


class _SpacedDelegate(QStyledItemDelegate):
    """Cells a little wider than their text, so columns without grid lines stay apart."""

    def __init__(self, *, padding: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._padding = padding

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return super().sizeHint(option, index) + QSize(self._padding, 0)


class UsersPage(SettingsPage):
    """The list of accounts with New…, Edit…, Reset password… and Unlock."""

    key = "users"
    title = "Users"
    icon_name = "mdi6.account-multiple-outline"
    description = (
        "Who may sign in on this database, and with which role. Each change is saved at once."
    )
    permission = Permission.USERS_MANAGE

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        self.model = UsersTableModel(time_zone=context.general.time_zone, parent=self)
        #: The dialog opened by New…, Edit… or Reset password…, while it is open.
        self.active_dialog: QDialog | None = None
        self._keep_user_id: int | None = None

        actions = QHBoxLayout()
        actions.setSpacing(unit(self))
        self.new_button = self._button("new_user_button", "New…", "mdi6.account-plus-outline")
        self.edit_button = self._button("edit_user_button", "Edit…", "mdi6.pencil-outline")
        self.reset_button = self._button(
            "reset_password_button", "Reset password…", "mdi6.lock-reset"
        )
        self.unlock_button = self._button(
            "unlock_button", "Unlock", "mdi6.lock-open-variant-outline"
        )
        for button in (self.new_button, self.edit_button, self.reset_button, self.unlock_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.body.addLayout(actions)

        self.table = QTableView()
        self.table.setObjectName("users_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setItemDelegate(_SpacedDelegate(padding=unit(self) * 2, parent=self.table))
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column in Column:
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column is Column.EMAIL
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(self._on_row_double_clicked)
        self.body.addWidget(self.table, 1)

        self.message = FieldMessage(name="users_message")
        self.body.addWidget(self.message)
        self.notice = Notice(name="users_notice")
        self.body.addWidget(self.notice)

        self.new_button.clicked.connect(self._on_new_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self._update_buttons()

    def _button(self, name: str, text: str, icon_name: str) -> QPushButton:
        button = QPushButton(icon(icon_name, widget=self), text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    # -- protocol -----------------------------------------------------------------------------

    def load(self) -> None:
        self.context.runner.run(
            list_users,
            self.context.sessions,
            self.context.require_actor(),
            on_success=self._on_users_loaded,
            on_failure=self._on_action_failed,
        )

    # -- selection ----------------------------------------------------------------------------

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_user(self) -> UserInfo | None:
        row = self.selected_row()
        return None if row is None else self.model.user(row)

    def select_user(self, user_id: int) -> bool:
        row = self.model.row_of(user_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.edit_button.setEnabled(row is not None)
        self.reset_button.setEnabled(row is not None)
        self.unlock_button.setEnabled(row is not None and self.model.is_locked(row))

    # -- slots --------------------------------------------------------------------------------

    def _on_users_loaded(self, users: list[UserInfo]) -> None:
        keep = self._keep_user_id
        if keep is None and (selected := self.selected_user()) is not None:
            keep = selected.id
        self.model.set_time_zone(self.context.general.time_zone)
        self.model.set_users(users)
        self.message.clear_message()
        if keep is not None:
            self.select_user(keep)
        self._keep_user_id = None
        self._update_buttons()

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _on_row_double_clicked(self, _index: QModelIndex) -> None:
        self._on_edit_clicked()

    def _on_new_clicked(self) -> None:
        self._open(UserEditDialog(context=self.context, parent=self), "created")

    def _on_edit_clicked(self) -> None:
        user = self.selected_user()
        if user is not None:
            self._open(UserEditDialog(context=self.context, user=user, parent=self), "updated")

    def _on_reset_clicked(self) -> None:
        user = self.selected_user()
        if user is not None:
            self._open(ResetPasswordDialog(context=self.context, user=user, parent=self), "reset")

    def _on_unlock_clicked(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        self.unlock_button.setEnabled(False)
        self.context.runner.run(
            unlock,
            self.context.sessions,
            self.context.require_actor(),
            user.id,
            on_success=partial(self._on_user_changed, "unlocked"),
            on_failure=self._on_action_failed,
        )

    def _open(self, dialog: UserEditDialog | ResetPasswordDialog, done: str) -> None:
        self.notice.clear_message()
        self.message.clear_message()
        dialog.user_saved.connect(partial(self._on_user_changed, done))
        dialog.finished.connect(self._on_dialog_finished)
        self.active_dialog = dialog
        dialog.open()

    def _on_dialog_finished(self, _result: int) -> None:
        if self.active_dialog is not None:
            self.active_dialog.deleteLater()
        self.active_dialog = None

    def _on_user_changed(self, done: str, user: UserInfo) -> None:
        self.notice.show_message(DONE_MESSAGES[done].format(name=user.username))
        self._keep_user_id = user.id
        self.load()

    def _on_action_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, SengaError):
            self.notice.clear_message()
            self.message.show_message(str(exc))
        else:
            report_unexpected(exc)

    def showEvent(self, event: QShowEvent) -> None:
        # The General page may have changed the depot's time zone meanwhile.
        self.model.set_time_zone(self.context.general.time_zone)
        super().showEvent(event)
