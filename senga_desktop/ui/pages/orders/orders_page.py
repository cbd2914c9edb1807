"""The Orders screen: the order list with its filters, pages, column choice and commands.

The list is a ``QTableView`` over :class:`~.order_model.OrderTableModel`. Filtering, sorting and
paging are the database's work (:func:`~senga_desktop.controllers.orders_query.list_orders`), run
on the task runner: the page asks for one page of :data:`PAGE_SIZE` rows whenever the filters, the
sort (a header click) or the page change, and only the newest answer is shown — an older one that
arrives late is dropped by its request number. Nothing on the GUI thread touches the database.

The header's context menu chooses the columns (:class:`~.columns.ColumnChooser`); columns, their
order and widths and the sort are remembered. The commands live in :class:`~.order_actions.
OrderActions`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QMenu, QPushButton, QVBoxLayout, QWidget

from senga_desktop.controllers.customers import CustomerQuery, list_customers
from senga_desktop.controllers.orders_query import OrderPage, OrderQuery, list_orders
from senga_desktop.controllers.permissions import Permission
from senga_desktop.errors import SengaError
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.orders.columns import ColumnChooser, fitting_widths
from senga_desktop.ui.pages.orders.filters import OrderFilters
from senga_desktop.ui.pages.orders.formatting import depot_zone, plural, zone_caption
from senga_desktop.ui.pages.orders.list_parts import (
    ListFrame,
    configure_table,
)
from senga_desktop.ui.pages.orders.order_actions import OrderActions
from senga_desktop.ui.pages.orders.order_dialog import CUSTOMER_LIMIT
from senga_desktop.ui.pages.orders.order_model import (
    COLUMN_OF_SORT,
    DEFAULT_SORT,
    HEADERS,
    HIDDEN_BY_DEFAULT,
    SORTS,
    Column,
    OrderTableModel,
)
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.list_controls import action_button

if TYPE_CHECKING:
    from senga_desktop.controllers.customers import CustomerPage
    from senga_desktop.controllers.orders_query import OrderRow
    from senga_desktop.ui.context import AppContext

#: Rows per page: a screenful or two, so a page is one quick query however many orders exist.
PAGE_SIZE = 100
#: A column's first width: what its widest usual value looks like (its title counts too).
COLUMN_SAMPLES = {
    Column.ORDER_NUMBER: "ORD-2611-00000", Column.CUSTOMER: "Kiambu Highlands Dairy",
    Column.TOWN: "Athi River", Column.WEIGHT: "00.000", Column.VOLUME: "00.0",
    Column.WINDOW_START: "00/00/0000 00:00", Column.WINDOW_END: "00:00", Column.PRIORITY: "Urgent",
    Column.STATUS: "Cancelled", Column.PRICE: "000,000.00",
    Column.HANDLING: "Refrigerated, fragile", Column.CREATED: "00/00/0000 00:00",
}  # fmt: skip
EMPTY_DATABASE = (
    "**No orders yet.** Enter the first with **New order…**, or bring a customer's spreadsheet "
    "in with **Import…** (**Download template…** gives the columns to use)."
)
NOT_SHOWN = "It is not on the page shown: the filters, the sort or the page leave it out."
NO_MATCH = "**No orders match these filters.** Clear them to see every order."


class OrdersPage(Page):
    """The order list, its filters and pages, and the order commands."""

    key = "orders"
    title = "Orders"
    icon_name = "mdi6.package-variant-closed"
    permission = Permission.ORDERS_VIEW

    #: A page of orders is on screen (the ``OrderPage``): for tests and timing.
    rows_shown = Signal(object)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        zone = depot_zone(context.general.time_zone)
        self.model = OrderTableModel(time_zone=zone.key, parent=self)
        self.filters = OrderFilters(zone=zone)
        self.order_actions = OrderActions(context=context, query=self.current_query, parent=self)
        self.offset = 0
        self._generation = 0
        self._request: int | None = None
        self._customers_loaded = False
        self._read_failed = False
        #: The order to select after the next load (one just changed by a command).
        self._keep: str | None = None
        self.frame = ListFrame(
            title=self.title, name="orders", busy_text="Loading orders…", parent=self
        )
        for action in (
            self.order_actions.new,
            self.order_actions.import_,
            self.order_actions.template,
            self.order_actions.export,
        ):
            self.frame.add_top_button(action_button(action))
        self.frame.add_filters(self.filters)
        self.table = self.frame.set_table(self.model, name="orders_table")
        self._build_empty_state()
        for action in self.order_actions.order_actions:
            self.frame.add_bottom_button(action_button(action))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.frame)
        self._setup_table()
        for action in (self.order_actions.new, self.order_actions.export):  # Ctrl+N, Ctrl+E
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        for action in self.order_actions.order_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(action)  # Enter opens, Ctrl+D duplicates: in the table only
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(300)
        self._busy_timer.timeout.connect(self.frame.busy_indicator.show)
        self.filters.filters_changed.connect(self._on_filters_changed)
        self.model.sort_changed.connect(self._on_sort_changed)
        self.frame.previous_button.clicked.connect(self._on_previous_clicked)
        self.frame.next_button.clicked.connect(self._on_next_clicked)
        self.order_actions.order_changed.connect(self._on_order_changed)
        self.order_actions.done.connect(self._on_action_done)
        self.order_actions.failed.connect(self._on_action_failed)

    def _build_empty_state(self) -> None:
        self.empty_new_button = action_button(self.order_actions.new, name="empty_new")
        self.empty_import_button = action_button(self.order_actions.import_, name="empty_import")
        self.empty_clear_button = QPushButton("Clear filters")
        self.empty_clear_button.setObjectName("empty_clear_filters")
        self.empty_clear_button.setAutoDefault(False)
        self.empty_clear_button.clicked.connect(self.filters.clear)
        self.frame.set_empty_state(
            icon_name="mdi6.package-variant-closed",
            buttons=[self.empty_new_button, self.empty_import_button, self.empty_clear_button],
        )

    def _setup_table(self) -> None:
        table = self.table
        configure_table(table)
        self.columns = ColumnChooser(
            header=table.horizontalHeader(),
            key="orders/list",
            titles={int(c): HEADERS[c] for c in Column},
            widths=fitting_widths(
                table,
                {int(c): (HEADERS[c], COLUMN_SAMPLES[c]) for c in Column},
                icons=[int(Column.STATUS)],
            ),
            hidden_by_default=[int(c) for c in HIDDEN_BY_DEFAULT],
            parent=self,
        )
        header = table.horizontalHeader()
        header.setToolTip("Click a column to sort by it; right-click to choose the columns.")
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COLUMN_OF_SORT[DEFAULT_SORT[0]], Qt.SortOrder.DescendingOrder)
        self.columns.restore()
        section, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if 0 <= section < len(Column) and Column(section) in SORTS:
            self.model.set_sort(SORTS[Column(section)], order == Qt.SortOrder.DescendingOrder)
        else:
            header.setSortIndicator(COLUMN_OF_SORT[DEFAULT_SORT[0]], Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)  # header clicks call model.sort(): the database sorts
        header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        table.doubleClicked.connect(self._on_row_double_clicked)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._on_context_menu_requested)

    # -- Page protocol --------------------------------------------------------------------------

    def activated(self) -> None:
        if not self._customers_loaded:
            self._load_customers()
        self.reload()

    def refresh(self) -> None:
        self._load_customers()
        self.reload()

    # -- loading --------------------------------------------------------------------------------

    def current_query(self) -> OrderQuery:
        """What the list shows now: the filters, the sort and the page."""
        sort, descending = self.model.sort_key
        base = OrderQuery(sort=sort, descending=descending, offset=self.offset, limit=PAGE_SIZE)
        return self.filters.apply(base)

    def reload(self) -> None:
        """Ask for the current page again; an answer still on its way is dropped."""
        if self.context.database is None or self.context.actor is None:
            return
        runner = self.context.runner
        if self._request is not None:
            runner.discard(self._request)  # only the newest answer counts
        self._generation += 1
        generation = self._generation
        query = self.current_query()
        self._busy_timer.start()
        request = runner.run(
            list_orders,
            self.context.sessions,
            self.context.actor,
            query,
            on_success=partial(self._on_page_loaded, generation, query),
            on_failure=partial(self._on_page_failed, generation),
        )
        self._request = request if runner.is_pending(request) else None

    def _load_customers(self) -> None:
        if self.context.database is None or self.context.actor is None:
            return
        self._customers_loaded = True
        self.context.runner.run(
            list_customers,
            self.context.sessions,
            self.context.actor,
            CustomerQuery(active=None, limit=CUSTOMER_LIMIT),
            on_success=self._on_customers_loaded,
            on_failure=self._on_customers_failed,
        )

    def _on_page_loaded(self, generation: int, query: OrderQuery, page: OrderPage) -> None:
        if generation != self._generation:
            return  # a newer request is on its way (or arrived): this answer is stale
        self._request = None
        self._busy_timer.stop()
        self.frame.busy_indicator.hide()
        if self._read_failed:  # read again: that problem is over (a command's refusal stays)
            self._read_failed = False
            self.frame.hide_problem()
        if not page.rows and page.total and query.offset:
            # The page emptied (orders cancelled out of the filter, say): show the last one.
            self.offset = max(0, (page.total - 1) // PAGE_SIZE * PAGE_SIZE)
            self.reload()
            return
        selected = self.selected_order()
        changed, self._keep = self._keep, None
        keep = changed or (selected.order_number if selected else None)
        self.model.set_time_zone(self.context.general.time_zone)
        self.model.set_page(page, offset=query.offset)
        if keep is not None and not self.select_order(keep) and changed:
            self.frame.show_notice(f"{self.frame.notice_label.text()} {NOT_SHOWN}")
        self._show_summary(page)
        self._on_selection_changed()
        self.rows_shown.emit(page)

    def _on_page_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._request = None
        self._busy_timer.stop()
        self.frame.busy_indicator.hide()
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self._read_failed = True
        self.frame.show_problem(f"The orders could not be read. {exc.message}")

    def _on_customers_loaded(self, page: CustomerPage) -> None:
        self.filters.set_customers(page.rows)

    def _on_customers_failed(self, exc: BaseException) -> None:
        self._customers_loaded = False
        if not isinstance(exc, SengaError):
            report_unexpected(exc)

    def _show_summary(self, page: OrderPage) -> None:
        zone = self.model.zone
        filtering = self.filters.is_filtering()
        count = plural(page.total, "order")
        shown = f"{count} match the filters" if filtering else f"{count} in all"
        if filtering and page.total == 1:
            shown = "1 order matches the filters"
        self.frame.subtitle_label.setText(f"{shown} · times in {zone_caption(zone)}")
        first, last = self.offset + 1, self.offset + len(page.rows)
        self.frame.set_pager(
            f"Rows {first:,}\N{EN DASH}{last:,} of {page.total:,}" if page.rows else "No rows",
            previous=self.offset > 0,
            following=last < page.total,
        )
        empty = page.total == 0
        self.frame.show_empty(empty, NO_MATCH if filtering else EMPTY_DATABASE)
        self.empty_new_button.setVisible(empty and not filtering)
        self.empty_import_button.setVisible(empty and not filtering)
        self.empty_clear_button.setVisible(empty and filtering)

    # -- selection ------------------------------------------------------------------------------

    def selected_order(self) -> OrderRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.order(rows[0].row()) if rows else None

    def select_order(self, order_number: str) -> bool:
        """Select the order if it is on the page shown."""
        row = self.model.row_of(order_number)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def open_item(self, item_id: str) -> bool:
        """Another screen asked for an order: select it if listed and open its form."""
        self.select_order(item_id)
        self.order_actions.open_order(item_id)
        return True

    # -- slots ----------------------------------------------------------------------------------

    def _on_filters_changed(self) -> None:
        self.offset = 0
        self.reload()

    def _on_sort_changed(self) -> None:
        self.offset = 0
        self.reload()

    def _on_sort_indicator_changed(self, section: int, _order: Qt.SortOrder) -> None:
        if 0 <= section < len(Column) and Column(section) in SORTS:
            return
        sort, descending = self.model.sort_key  # not sortable: put the indicator back
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(COLUMN_OF_SORT[sort], order)

    def _on_previous_clicked(self) -> None:
        self.offset = max(0, self.offset - PAGE_SIZE)
        self.reload()

    def _on_next_clicked(self) -> None:
        if self.offset + PAGE_SIZE < self.model.total:
            self.offset += PAGE_SIZE
            self.reload()

    def _on_selection_changed(self, *_args: QItemSelection) -> None:
        self.order_actions.set_order(self.selected_order())

    def _on_row_double_clicked(self, index: QModelIndex) -> None:
        order = self.model.order(index.row())
        if order is not None:
            self.select_order(order.order_number)
            self.order_actions.open.trigger()

    def _on_context_menu_requested(self, position: QPoint) -> None:
        if self.model.order(self.table.indexAt(position).row()) is None:
            return
        menu = QMenu(self)
        menu.addActions(list(self.order_actions.order_actions))
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _on_order_changed(self, order: object, message: str) -> None:
        self.frame.show_notice(message)
        self._keep = getattr(order, "order_number", None)
        self.reload()

    def _on_action_failed(self, message: str) -> None:
        """A command was refused: say why, and read the list again (the order may have moved
        on since it was read)."""
        self.frame.notice_box.hide()
        self.frame.show_problem(message)
        self.reload()

    def _on_action_done(self, message: str) -> None:
        self.frame.show_notice(message)
        self.reload()


__all__ = ["PAGE_SIZE", "OrdersPage"]
