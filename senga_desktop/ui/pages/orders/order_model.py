"""The order list's table model: one page of orders, fetched by the database, formatted here.

On the frame of :class:`~senga_desktop.ui.widgets.table_models.PageTableModel`, the Anki pattern
for a big table: the model holds only the rows of the page on screen (an
:class:`~senga_desktop.controllers.orders_query.OrderPage` read off the GUI thread) and formats
them; ``data()`` runs no SQL. Sorting is the database's too: a header click calls :meth:`sort`,
which records the column and direction and emits :attr:`OrderTableModel.sort_changed`, and the
page asks the controller for the first page in that order. The rows are replaced only when that
answer arrives.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont

from senga_desktop.controllers.orders_query import OrderRow, OrderSort
from senga_desktop.domain import Priority
from senga_desktop.ui.pages.orders.formatting import (
    DEFAULT_TIME_ZONE,
    PRIORITY_LABELS,
    STATUS_ICONS,
    STATUS_LABELS,
    STATUS_NOTES,
    amount,
    depot_zone,
    handling_text,
    local_time,
    money,
    zone_caption,
)
from senga_desktop.ui.widgets.table_models import LEFT, RIGHT, PageTableModel


class Column(enum.IntEnum):
    """The list's columns, in their first order (the user may move and hide them)."""

    ORDER_NUMBER = 0
    CUSTOMER = 1
    TOWN = 2
    WEIGHT = 3
    VOLUME = 4
    WINDOW_START = 5
    WINDOW_END = 6
    PRIORITY = 7
    STATUS = 8
    PRICE = 9
    HANDLING = 10
    CREATED = 11


HEADERS = {
    Column.ORDER_NUMBER: "Order",
    Column.CUSTOMER: "Customer",
    Column.TOWN: "Town",
    Column.WEIGHT: "Tonnes",
    Column.VOLUME: "m³",
    Column.WINDOW_START: "Window start",
    Column.WINDOW_END: "Window end",
    Column.PRIORITY: "Priority",
    Column.STATUS: "Status",
    Column.PRICE: "Price (KES)",
    Column.HANDLING: "Special handling",
    Column.CREATED: "Entered",
}
#: The database sort behind each column; special handling has none (it is a list).
SORTS = {
    Column.ORDER_NUMBER: OrderSort.ORDER_NUMBER,
    Column.CUSTOMER: OrderSort.CUSTOMER,
    Column.TOWN: OrderSort.TOWN,
    Column.WEIGHT: OrderSort.WEIGHT,
    Column.VOLUME: OrderSort.VOLUME,
    Column.WINDOW_START: OrderSort.WINDOW_START,
    Column.WINDOW_END: OrderSort.WINDOW_END,
    Column.PRIORITY: OrderSort.PRIORITY,
    Column.STATUS: OrderSort.STATUS,
    Column.PRICE: OrderSort.PRICE,
    Column.CREATED: OrderSort.CREATED,
}
COLUMN_OF_SORT = {sort: column for column, sort in SORTS.items()}
NUMERIC = frozenset({Column.WEIGHT, Column.VOLUME, Column.PRICE})
TIMES = frozenset({Column.WINDOW_START, Column.WINDOW_END, Column.CREATED})
#: Shown when the list first opens; the rest are one right-click on the header away.
HIDDEN_BY_DEFAULT = frozenset({Column.CREATED})
#: Newest first, as the controller lists by default.
DEFAULT_SORT = (OrderSort.CREATED, True)


class OrderTableModel(PageTableModel):
    """Read-only rows of one page of the order list; :meth:`order` gives the row's record."""

    #: The user asked for another order (a header click): the page must load again.
    sort_changed = Signal()

    columns = Column
    headers = HEADERS

    def __init__(
        self, *, time_zone: str = DEFAULT_TIME_ZONE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent=parent)
        self._zone = depot_zone(time_zone)
        self._sort, self._descending = DEFAULT_SORT
        self._bold: QFont | None = None

    # -- feeding ------------------------------------------------------------------------------

    def set_time_zone(self, name: str) -> None:
        zone = depot_zone(name)
        if zone == self._zone:
            return
        self._zone = zone
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1)
            )

    @property
    def zone(self) -> Any:
        return self._zone

    def order(self, row: int) -> OrderRow | None:
        return self.record(row)

    # -- sorting (done by the database) -------------------------------------------------------

    @property
    def sort_key(self) -> tuple[OrderSort, bool]:
        """The database sort and whether it is descending."""
        return self._sort, self._descending

    def set_sort(self, sort: OrderSort, descending: bool) -> None:
        """Record the sort without asking for a reload (restoring a saved header)."""
        self._sort, self._descending = sort, descending

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: remember the sort and ask the page to load the first page again."""
        if not 0 <= column < len(Column) or Column(column) not in SORTS:
            return  # special handling cannot be sorted: the page puts the indicator back
        sort = SORTS[Column(column)]
        descending = order == Qt.SortOrder.DescendingOrder
        if (sort, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = sort, descending
        self.sort_changed.emit()

    # -- the frame's hooks --------------------------------------------------------------------

    def _key(self, record: OrderRow) -> str:
        return record.order_number

    def _header_tooltip(self, column: Column) -> str | None:
        if column in TIMES:
            return f"{HEADERS[column]}, in {zone_caption(self._zone)}"
        if column not in SORTS:
            return "Not sortable: an order may need several kinds of handling."
        return None

    def _alignment(self, column: Column) -> Qt.AlignmentFlag:
        return RIGHT if column in NUMERIC else LEFT

    def _extra_data(self, record: OrderRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATUS:
            return self._icon(STATUS_ICONS[record.status])
        if role == Qt.ItemDataRole.FontRole and (
            column is Column.PRIORITY and record.priority is Priority.URGENT
        ):
            return self._bold_font()
        return None

    # -- formatting ---------------------------------------------------------------------------

    def _display(self, order: OrderRow, column: Column) -> str:
        values = {
            Column.ORDER_NUMBER: lambda: order.order_number,
            Column.CUSTOMER: lambda: order.customer_name,
            Column.TOWN: lambda: order.destination_city,
            Column.WEIGHT: lambda: amount(order.weight_tonnes),
            Column.VOLUME: lambda: amount(order.volume_m3),
            Column.WINDOW_START: lambda: local_time(order.window_start, self._zone),
            Column.WINDOW_END: lambda: self._window_end(order),
            Column.PRIORITY: lambda: PRIORITY_LABELS[order.priority],
            Column.STATUS: lambda: STATUS_LABELS[order.status],
            Column.PRICE: lambda: money(order.price_kes),
            Column.HANDLING: lambda: handling_text(order.special_handling),
            Column.CREATED: lambda: local_time(order.created_at, self._zone),
        }
        return values[column]()

    def _window_end(self, order: OrderRow) -> str:
        """Just the time when the window ends on the day it starts (most do), else day and time."""
        start, end = (
            order.window_start.astimezone(self._zone),
            order.window_end.astimezone(self._zone),
        )
        if start.date() == end.date():
            return end.strftime("%H:%M")
        return local_time(order.window_end, self._zone)

    def _tooltip(self, order: OrderRow, column: Column) -> str | None:
        if column is Column.CUSTOMER:
            return f"{order.customer_name} ({order.customer_id})"
        if column is Column.TOWN:
            return order.destination_address or None
        if column is Column.STATUS:
            return STATUS_NOTES[order.status]
        if column is Column.WINDOW_END:
            return f"{local_time(order.window_end, self._zone)}, {zone_caption(self._zone)}"
        if column in TIMES:
            return zone_caption(self._zone)
        if column is Column.HANDLING:
            return handling_text(order.special_handling) or "No special handling"
        return None

    def _bold_font(self) -> QFont:
        if self._bold is None:
            self._bold = QFont()
            self._bold.setWeight(QFont.Weight.DemiBold)
        return self._bold
