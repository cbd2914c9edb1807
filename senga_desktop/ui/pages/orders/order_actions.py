"""The order list's commands, and the dialogs and background calls they start.

New order…, Open…, Duplicate, Cancel order…, Import…, Download template… and Export view… are
``QAction`` objects, so the page's buttons, the row menu, double-click and the keyboard share one
enabled state. Every order has them (``orders.edit`` belongs to dispatchers too). What the
lifecycle allows comes from the controller: Cancel asks
:func:`~senga_desktop.controllers.order_status.transition_problem` first and shows its refusal,
and the controller refuses again if the order moved on meanwhile.

Each outcome is reported to the page as a sentence: :attr:`OrderActions.order_changed` (the page
reloads and selects the order), :attr:`OrderActions.done` (a notice) or
:attr:`OrderActions.failed` (a problem).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from senga_desktop.controllers.exports import ExportResult, export_orders
from senga_desktop.controllers.imports import ImportResult, commit_orders, preview_orders
from senga_desktop.controllers.imports import template_path as bundled_template
from senga_desktop.controllers.order_status import transition_problem
from senga_desktop.controllers.orders import OrderInfo, cancel_order, duplicate_order, get_order
from senga_desktop.controllers.orders_query import OrderQuery, OrderRow
from senga_desktop.domain import OrderStatus
from senga_desktop.errors import SengaError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders.formatting import depot_zone, local_time, plural
from senga_desktop.ui.pages.orders.order_dialog import OrderDialog
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.import_preview import ImportPreviewDialog, ImportSpec
from senga_desktop.ui.widgets.list_controls import PageActions

__all__ = ["EXPORT_FILTERS", "ORDER_IMPORT", "OrderActions"]

ORDER_IMPORT = ImportSpec(
    title="Import orders",
    singular="order",
    plural="orders",
    preview=preview_orders,
    commit=commit_orders,
    template=lambda: bundled_template("orders"),
    intro=(
        "Choose a CSV or Excel file of orders, one a row, in the template's columns (header case "
        "and spacing do not matter; dates as 2026-11-26 08:00 or 26/11/2026 08:00). Nothing is "
        "written until you press Import, and then every row is imported or none."
    ),
)
CSV_FILTER = "CSV file (*.csv)"
XLSX_FILTER = "Excel workbook (*.xlsx)"
EXPORT_FILTERS = f"{CSV_FILTER};;{XLSX_FILTER}"


class OrderActions(PageActions):
    """The commands and their enabled state for the selected order."""

    #: An order was saved, duplicated or cancelled: the ``OrderInfo`` and what happened.
    order_changed = Signal(object, str)
    #: Something finished that changed no single order (import, export, template): a sentence.
    done = Signal(str)
    #: A command was refused or failed: the reason, for the page's problem box.
    failed = Signal(str)

    def __init__(
        self, *, context: AppContext, query: Callable[[], OrderQuery], parent: QWidget
    ) -> None:
        super().__init__(context=context, parent=parent)
        self._query = query
        self.order: OrderRow | None = None
        self.new = self._action(
            "new_order",
            "&New order…",
            "mdi6.package-variant-plus",
            self._on_new_triggered,
            "Ctrl+N",
        )
        self.open = self._action(
            "open_order", "&Open…", "mdi6.pencil-outline", self._on_open_triggered, "Return"
        )
        self.duplicate = self._action(
            "duplicate_order",
            "&Duplicate",
            "mdi6.content-copy",
            self._on_duplicate_triggered,
            "Ctrl+D",
        )
        self.cancel = self._action(
            "cancel_order", "&Cancel order…", "mdi6.cancel", self._on_cancel_triggered
        )
        self.import_ = self._action(
            "import_orders", "&Import…", "mdi6.file-import-outline", self._on_import_triggered
        )
        self.template = self._action(
            "download_template",
            "Download &template…",
            "mdi6.download-outline",
            self._on_template_triggered,
        )
        self.export = self._action(
            "export_orders",
            "&Export view…",
            "mdi6.file-export-outline",
            self._on_export_triggered,
            "Ctrl+E",
        )
        self.export.setToolTip("Write the orders the filters show (every page) to CSV or Excel.")
        self.order_actions = (self.open, self.duplicate, self.cancel)
        self.set_order(None)

    def set_order(self, order: OrderRow | None) -> None:
        """The selected order (``None``: none) decides what the row commands may do."""
        self.order = order
        for action in self.order_actions:
            action.setEnabled(order is not None)
        if order is not None:
            problem = transition_problem(order.status, OrderStatus.CANCELLED)
            self.cancel.setToolTip(problem or f"Cancel order {order.order_number}")
            editable = order.status in (OrderStatus.PENDING, OrderStatus.ASSIGNED)
            self.open.setText("&Open…" if editable else "&View…")

    # -- asking the user (tests replace these) --------------------------------------------------

    def ask_confirmation(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self._parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_save_path(self, caption: str, name: str, filters: str) -> tuple[str, str]:
        return QFileDialog.getSaveFileName(self._parent, caption, name, filters)

    # -- running --------------------------------------------------------------------------------

    def _run(self, fn: Callable[..., Any], *args: Any, on_success: Callable[[Any], None]) -> None:
        self.context.runner.run(fn, *args, on_success=on_success, on_failure=self._on_failure)

    def _on_failure(self, exc: BaseException) -> None:
        if isinstance(exc, SengaError):
            self.failed.emit(exc.message)
        elif isinstance(exc, OSError):
            self.failed.emit(f"The file could not be written: {exc.strerror or exc}.")
        else:
            report_unexpected(exc)

    def open_order_dialog(self, order: OrderInfo | None) -> None:
        """The entry form for a new order (``None``), or ``order`` to edit or read; it is
        :attr:`active_dialog` while open."""
        dialog = OrderDialog(context=self.context, order=order, parent=self._parent)
        dialog.order_saved.connect(partial(self._on_order_saved, order is None))
        self._open_dialog(dialog)

    # -- slots ----------------------------------------------------------------------------------

    def _on_new_triggered(self) -> None:
        self.open_order_dialog(None)

    def _on_open_triggered(self) -> None:
        if self.order is not None:
            self.open_order(self.order.order_number)

    def open_order(self, order_number: str) -> None:
        """Read the order and open it in its form (from this list or from another screen)."""
        self._run(
            get_order,
            self.context.sessions,
            self.context.require_actor(),
            order_number,
            on_success=self.open_order_dialog,
        )

    def _on_order_saved(self, created: bool, order: OrderInfo) -> None:
        zone = depot_zone(self.context.general.time_zone)
        if created:
            message = (
                f"Order {order.order_number} is saved: {order.customer_name} to "
                f"{order.destination_city}, window from "
                f"{local_time(order.window_start, zone)}."
            )
        else:
            message = f"The changes to order {order.order_number} are saved."
        self.order_changed.emit(order, message)

    def _on_duplicate_triggered(self) -> None:
        if self.order is None:
            return
        source = self.order.order_number
        self._run(
            duplicate_order,
            self.context.sessions,
            self.context.require_actor(),
            source,
            on_success=partial(self._on_duplicated, source),
        )

    def _on_duplicated(self, source: str, order: OrderInfo) -> None:
        zone = depot_zone(self.context.general.time_zone)
        self.order_changed.emit(
            order,
            f"Order {source} is duplicated as {order.order_number} (pending, window from "
            f"{local_time(order.window_start, zone)}).",
        )

    def _on_cancel_triggered(self) -> None:
        order = self.order
        if order is None:
            return
        problem = transition_problem(order.status, OrderStatus.CANCELLED)
        if problem is not None:
            self.failed.emit(f"Order {order.order_number}: {problem}")
            return
        question = (
            f"Cancel order {order.order_number} ({order.customer_name} to "
            f"{order.destination_city})? A cancelled order stays on record and cannot "
            "be reopened; duplicate it to send the goods after all."
        )
        if not self.ask_confirmation("Cancel order", question):
            return
        self._run(
            partial(cancel_order, version=order.version),
            self.context.sessions,
            self.context.require_actor(),
            order.order_number,
            on_success=self._on_cancelled,
        )

    def _on_cancelled(self, order: OrderInfo) -> None:
        self.order_changed.emit(order, f"Order {order.order_number} is cancelled.")

    def _on_import_triggered(self) -> None:
        dialog = ImportPreviewDialog(context=self.context, spec=ORDER_IMPORT, parent=self._parent)
        dialog.imported.connect(self._on_imported)
        self._open_dialog(dialog)

    def _on_imported(self, result: ImportResult) -> None:
        text = f"Imported {plural(result.written, 'order')}"
        if result.keys:
            text += f" ({result.keys[0]} to {result.keys[-1]})"
        if result.dropped:
            text += f"; {plural(result.dropped, 'bad row')} left out"
        self.done.emit(f"{text}.")

    def _on_template_triggered(self) -> None:
        path, _ = self.ask_save_path("Save the orders template", "orders-template.csv", CSV_FILTER)
        if path:
            self.save_template(Path(path))

    def save_template(self, target: Path) -> None:
        """Copy the bundled orders template to ``target`` (in the background)."""
        self._run(
            lambda: Path(shutil.copyfile(bundled_template("orders"), target)),
            on_success=lambda path: self.done.emit(
                f"The orders template is saved as {path}. Fill it in and use Import…."
            ),
        )

    def _on_export_triggered(self) -> None:
        name = f"orders-{date.today():%Y-%m-%d}.csv"
        path, chosen = self.ask_save_path("Export the orders shown", name, EXPORT_FILTERS)
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            target = target.with_name(target.name + (".xlsx" if chosen == XLSX_FILTER else ".csv"))
        self.export_to(target)

    def export_to(self, target: Path) -> None:
        """Write every order of the current filters and sort to ``target`` (.csv or .xlsx)."""
        self._run(
            export_orders,
            self.context.sessions,
            self.context.require_actor(),
            self._query(),
            target,
            on_success=self._on_exported,
        )

    def _on_exported(self, result: ExportResult) -> None:
        self.done.emit(f"Exported {plural(result.rows, 'order')} to {result.path}.")
