"""The Customers screen's commands, and the dialogs and background calls they start.

New customer…, Import customers…, Edit…, Deactivate… and Reactivate are ``QAction`` objects, so
the buttons, the row menu and double-click share one enabled state. A dispatcher (no
``customers.edit``) gets none of the changing commands — they stay hidden and disabled, and the
controllers would refuse anyway — and Edit… becomes View…, a read-only dialog.

Outcomes reach the page as sentences: :attr:`CustomerActions.customer_changed` (the page reloads
and selects the customer), :attr:`CustomerActions.done` and :attr:`CustomerActions.failed`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from senga_desktop.controllers.customers import (
    CustomerInfo,
    deactivate_customer,
    reactivate_customer,
)
from senga_desktop.controllers.imports import (
    ImportResult,
    commit_customers,
    preview_customers,
    template_path,
)
from senga_desktop.controllers.permissions import Permission
from senga_desktop.errors import SengaError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.customers.customer_dialog import CustomerDialog
from senga_desktop.ui.pages.orders.formatting import plural
from senga_desktop.ui.style import icon
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.import_preview import ImportPreviewDialog, ImportSpec
from senga_desktop.ui.widgets.list_controls import PageActions

__all__ = ["CUSTOMER_IMPORT", "CustomerActions"]

CUSTOMER_IMPORT = ImportSpec(
    title="Import customers",
    singular="customer",
    plural="customers",
    preview=preview_customers,
    commit=commit_customers,
    template=lambda: template_path("customers"),
    icon_name="mdi6.account-multiple-plus-outline",
)


class CustomerActions(PageActions):
    """The commands and their enabled state for the selected customer."""

    #: A customer was added or changed: the ``CustomerInfo`` and what happened.
    customer_changed = Signal(object, str)
    #: Customers were imported: a sentence saying how many.
    done = Signal(str)
    #: A command was refused or failed: the reason.
    failed = Signal(str)

    def __init__(self, *, context: AppContext, parent: QWidget) -> None:
        super().__init__(context=context, parent=parent)
        #: Whether the signed-in user may change customers at all.
        self.allowed = context.can(Permission.CUSTOMERS_EDIT)
        self.customer: CustomerInfo | None = None
        self.new = self._action(
            "new_customer", "&New customer…", "mdi6.account-plus-outline", self._on_new_triggered
        )
        self.import_ = self._action(
            "import_customers",
            "&Import customers…",
            "mdi6.file-import-outline",
            self._on_import_triggered,
        )
        self.edit = self._action(
            "edit_customer", "&Edit…", "mdi6.pencil-outline", self._on_edit_triggered
        )
        self.deactivate = self._action(
            "deactivate_customer",
            "&Deactivate…",
            "mdi6.account-off-outline",
            self._on_deactivate_triggered,
        )
        self.reactivate = self._action(
            "reactivate_customer",
            "&Reactivate",
            "mdi6.account-check-outline",
            self._on_reactivate_triggered,
        )
        self.row_actions = (self.edit, self.deactivate, self.reactivate)
        if not self.allowed:
            for action in (self.new, self.import_, self.deactivate, self.reactivate):
                action.setVisible(False)
                action.setEnabled(False)
            self.edit.setText("&View…")
            self.edit.setIcon(icon("mdi6.eye-outline", widget=parent))
        self.set_customer(None)

    def set_customer(self, customer: CustomerInfo | None) -> None:
        """The selected customer (``None``: none) decides what the row commands may do."""
        self.customer = customer
        self.edit.setEnabled(customer is not None)
        if self.allowed:
            self.deactivate.setEnabled(customer is not None and customer.is_active)
            self.reactivate.setEnabled(customer is not None and not customer.is_active)

    def ask_confirmation(self, title: str, text: str) -> bool:
        """A yes/no question (tests replace this)."""
        answer = QMessageBox.question(self._parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # -- dialogs --------------------------------------------------------------------------------

    def _on_new_triggered(self) -> None:
        dialog = CustomerDialog(context=self.context, parent=self._parent)
        dialog.customer_saved.connect(partial(self._on_changed, "{name} ({key}) is added."))
        self._open_dialog(dialog)

    def _on_edit_triggered(self) -> None:
        if self.customer is None:
            return
        dialog = CustomerDialog(
            context=self.context,
            customer=self.customer,
            read_only=not self.allowed,
            parent=self._parent,
        )
        dialog.customer_saved.connect(partial(self._on_changed, "The changes to {name} are saved."))
        self._open_dialog(dialog)

    def _on_import_triggered(self) -> None:
        dialog = ImportPreviewDialog(
            context=self.context, spec=CUSTOMER_IMPORT, parent=self._parent
        )
        dialog.imported.connect(self._on_imported)
        self._open_dialog(dialog)

    def _on_imported(self, result: ImportResult) -> None:
        text = f"Imported {plural(result.written, 'customer')}"
        if result.dropped:
            text += f"; {plural(result.dropped, 'bad row')} left out"
        self.done.emit(f"{text}.")

    # -- activation -----------------------------------------------------------------------------

    def _on_deactivate_triggered(self) -> None:
        customer = self.customer
        if customer is None or not self.ask_confirmation(
            "Deactivate customer",
            f"Deactivate {customer.customer_name} ({customer.customer_id})? New orders can no "
            "longer be entered for them; their orders and history stay, and Reactivate undoes it.",
        ):
            return
        self._change(
            deactivate_customer,
            customer,
            "{name} ({key}) is deactivated: it is no longer offered for new orders.",
        )

    def _on_reactivate_triggered(self) -> None:
        if self.customer is not None:
            self._change(reactivate_customer, self.customer, "{name} ({key}) is active again.")

    def _change(self, fn: Callable[..., Any], customer: CustomerInfo, text: str) -> None:
        self.context.runner.run(
            fn,
            self.context.sessions,
            self.context.require_actor(),
            customer.customer_id,
            on_success=partial(self._on_changed, text),
            on_failure=self._on_failure,
        )

    def _on_changed(self, text: str, customer: CustomerInfo) -> None:
        message = text.format(name=customer.customer_name, key=customer.customer_id)
        self.customer_changed.emit(customer, message)

    def _on_failure(self, exc: BaseException) -> None:
        if isinstance(exc, SengaError):
            self.failed.emit(exc.message)
        else:
            report_unexpected(exc)
