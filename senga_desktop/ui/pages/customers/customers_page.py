"""The Customers screen: who sends freight through the depot, with search and paging.

The list is searched (name, ID, e-mail, phone) and paged by the database through the task
runner, like the order list, and only the newest answer is shown. Managers and administrators get
New customer…, Edit…, Deactivate…, Reactivate and Import customers…; dispatchers see the same list
read-only (double-click shows a customer's details) and the controllers would refuse them anyway.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.customers import (
    CustomerInfo,
    CustomerPage,
    CustomerQuery,
    list_customers,
)
from senga_desktop.controllers.permissions import Permission
from senga_desktop.errors import SengaError
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.customers.customer_actions import CustomerActions
from senga_desktop.ui.pages.customers.customers_model import HEADERS, Column, CustomersTableModel
from senga_desktop.ui.pages.orders.columns import ColumnChooser, fitting_widths
from senga_desktop.ui.pages.orders.filters import SEARCH_DELAY_MS
from senga_desktop.ui.pages.orders.formatting import plural
from senga_desktop.ui.pages.orders.list_parts import ListFrame, configure_table
from senga_desktop.ui.style import icon, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.list_controls import action_button

if TYPE_CHECKING:
    from senga_desktop.ui.context import AppContext

PAGE_SIZE = 100
#: A column's first width: what its widest usual value looks like (its title counts too).
COLUMN_SAMPLES = {
    Column.CUSTOMER_ID: "CUST-0000", Column.NAME: "Kiambu Highlands Dairy Co",
    Column.PHONE: "+254 722 410 385", Column.EMAIL: "logistics@jamiisupermarkets",
    Column.CONTACT: "Nyambura Wairimu", Column.ADDRESS: "Lusaka Road, Industrial Area",
    Column.MAX_WAIT: "720 h", Column.HOURS: "00:00\N{EN DASH}00:00", Column.ACTIVE: "Yes",
}  # fmt: skip
EMPTY_FOR_MANAGERS = (
    "**No customers yet.** Add the first with **New customer…**, or bring a list in from a "
    "spreadsheet with **Import customers…** (the import window has a template to start from)."
)
EMPTY_FOR_DISPATCHERS = "**No customers yet.** A manager or administrator adds them."
NO_MATCH = "**No customer matches this search.** Clear it to see every customer."


class CustomersPage(Page):
    """The customer list with search, "Show inactive" and (for managers) the commands."""

    key = "customers"
    title = "Customers"
    icon_name = "mdi6.account-group-outline"
    permission = Permission.CUSTOMERS_VIEW

    #: A page of customers is on screen (the ``CustomerPage``).
    rows_shown = Signal(object)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        self.customer_actions = CustomerActions(context=context, parent=self)
        self.allowed = self.customer_actions.allowed
        self.model = CustomersTableModel(parent=self)
        self.offset = 0
        self._generation = 0
        self._request: int | None = None
        self._keep: str | None = None
        actions = self.customer_actions
        self.frame = ListFrame(
            title=self.title, name="customers", busy_text="Loading customers…", parent=self
        )
        for action in (actions.new, actions.import_):
            self.frame.add_top_button(action_button(action))
        self.frame.add_filters(self._build_search())
        self.table = self.frame.set_table(self.model, name="customers_table")
        self._setup_table()
        self.frame.set_empty_state(icon_name=self.icon_name, buttons=[])
        for action in actions.row_actions:
            self.frame.add_bottom_button(action_button(action))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.frame)
        self.frame.previous_button.clicked.connect(self._on_previous_clicked)
        self.frame.next_button.clicked.connect(self._on_next_clicked)
        actions.customer_changed.connect(self._on_customer_changed)
        actions.done.connect(self._on_imported)
        actions.failed.connect(self.frame.show_problem)

    def _build_search(self) -> QWidget:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(unit(self) * 2)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("customer_search")
        self.search_edit.setPlaceholderText("Search name, ID, e-mail or phone")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(
            icon("mdi6.magnify", widget=self), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search_edit.setMaximumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.inactive_box = QCheckBox("Show inactive")
        self.inactive_box.setObjectName("show_inactive")
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.inactive_box)
        row.addStretch(1)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_changed)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self._on_search_changed)
        self.inactive_box.toggled.connect(self._on_search_changed)
        return bar

    def _setup_table(self) -> None:
        configure_table(self.table)
        self.columns = ColumnChooser(
            header=self.table.horizontalHeader(),
            key="customers/list",
            titles={int(c): HEADERS[c] for c in Column},
            widths=fitting_widths(
                self.table,
                {int(c): (HEADERS[c], COLUMN_SAMPLES[c]) for c in Column},
                icons=[int(Column.ACTIVE)],
            ),
            parent=self,
        )
        self.columns.restore()
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.doubleClicked.connect(self._on_row_double_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_context_menu_requested)

    # -- Page protocol and loading --------------------------------------------------------------

    def activated(self) -> None:
        self.reload()

    def refresh(self) -> None:
        self.reload()

    def current_query(self) -> CustomerQuery:
        return CustomerQuery(
            text=self.search_edit.text().strip(),
            active=None if self.inactive_box.isChecked() else True,
            offset=self.offset,
            limit=PAGE_SIZE,
        )

    def reload(self) -> None:
        if self.context.database is None or self.context.actor is None:
            return
        runner = self.context.runner
        if self._request is not None:
            runner.discard(self._request)
        self._generation += 1
        query = self.current_query()
        request = runner.run(
            list_customers,
            self.context.sessions,
            self.context.actor,
            query,
            on_success=partial(self._on_page_loaded, self._generation, query),
            on_failure=partial(self._on_failed, self._generation),
        )
        self._request = request if runner.is_pending(request) else None

    def _on_page_loaded(self, generation: int, query: CustomerQuery, page: CustomerPage) -> None:
        if generation != self._generation:
            return  # superseded by a newer search
        self._request = None
        self.frame.hide_problem()
        selected = self.selected_customer()
        keep = self._keep or (selected.customer_id if selected else None)
        self._keep = None
        self.model.set_page(page, offset=query.offset)
        if keep is not None:
            self.select_customer(keep)
        first, last = query.offset + 1, query.offset + len(page.rows)
        searching = bool(query.text)
        count = plural(page.total, "customer")
        where = "" if query.active is None else " active"
        self.frame.subtitle_label.setText(
            f"{count} match the search"
            if searching
            else f"{page.total:,}{where} {'customer' if page.total == 1 else 'customers'}"
        )
        self.frame.set_pager(
            f"Rows {first:,}\N{EN DASH}{last:,} of {page.total:,}" if page.rows else "No rows",
            previous=query.offset > 0,
            following=last < page.total,
        )
        empty_text = (
            NO_MATCH
            if searching
            else (EMPTY_FOR_MANAGERS if self.allowed else EMPTY_FOR_DISPATCHERS)
        )
        self.frame.show_empty(page.total == 0, empty_text)
        self._update_actions()
        self.rows_shown.emit(page)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.frame.show_problem(exc.message)

    # -- selection ------------------------------------------------------------------------------

    def selected_customer(self) -> CustomerInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.customer(rows[0].row()) if rows else None

    def select_customer(self, customer_id: str) -> bool:
        row = self.model.row_of(customer_id)
        if row is None:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True

    def _update_actions(self, *_args: object) -> None:
        self.customer_actions.set_customer(self.selected_customer())

    # -- after a command -----------------------------------------------------------------------

    def _on_customer_changed(self, customer: CustomerInfo, message: str) -> None:
        self.frame.show_notice(message)
        self._keep = customer.customer_id
        self.reload()

    def _on_imported(self, message: str) -> None:
        self.frame.show_notice(message)
        self.reload()

    # -- slots ----------------------------------------------------------------------------------

    def _on_search_changed(self, *_args: object) -> None:
        self._search_timer.stop()
        self.offset = 0
        self.reload()

    def _on_previous_clicked(self) -> None:
        self.offset = max(0, self.offset - PAGE_SIZE)
        self.reload()

    def _on_next_clicked(self) -> None:
        if self.offset + PAGE_SIZE < self.model.total:
            self.offset += PAGE_SIZE
            self.reload()

    def _on_row_double_clicked(self, index: QModelIndex) -> None:
        customer = self.model.customer(index.row())
        if customer is not None:
            self.select_customer(customer.customer_id)
            self.customer_actions.edit.trigger()

    def _on_context_menu_requested(self, position: QPoint) -> None:
        if self.model.customer(self.table.indexAt(position).row()) is None:
            return
        menu = QMenu(self)
        for action in self.customer_actions.row_actions:
            if action.isVisible():
                menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))
