"""The order list's filter bar: free text, status, town, customer and a range of window starts.

The widget only collects the filters; :meth:`OrderFilters.apply` writes them into an
:class:`~senga_desktop.controllers.orders_query.OrderQuery` and the database does the filtering.
Typing (in the search box, the town or the customer) waits for a short pause before asking again,
so a search is one query rather than one per key; choosing from a list applies at once.

The delivery-window days are chosen with :class:`~.window_range.WindowRangeButton`, in the depot's
time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from senga_desktop.controllers.customers import CustomerInfo
from senga_desktop.controllers.orders_query import OrderQuery
from senga_desktop.domain import OrderStatus
from senga_desktop.ui.pages.orders.pickers import CustomerPicker, TownCombo
from senga_desktop.ui.pages.orders.window_range import WindowRangeButton
from senga_desktop.ui.style import unit
from senga_desktop.ui.widgets.list_controls import (
    FilterBar,
    clear_filters_button,
    search_line_edit,
)

__all__ = ["SEARCH_DELAY_MS", "STATUS_CHOICES", "OrderFilters"]

#: How long typing must pause before the list is asked for again.
SEARCH_DELAY_MS = 250
_S = OrderStatus
#: The status box's choices: everything, the open and the finished orders, or one status.
STATUS_CHOICES: tuple[tuple[str, frozenset[OrderStatus]], ...] = (
    ("All statuses", frozenset()),
    ("Open (pending, assigned, in transit)", frozenset({_S.PENDING, _S.ASSIGNED, _S.IN_TRANSIT})),
    ("Pending", frozenset({_S.PENDING})),
    ("Assigned", frozenset({_S.ASSIGNED})),
    ("In transit", frozenset({_S.IN_TRANSIT})),
    ("Delivered", frozenset({_S.DELIVERED})),
    ("Failed", frozenset({_S.FAILED})),
    ("Cancelled", frozenset({_S.CANCELLED})),
    ("Finished (delivered, failed, cancelled)", frozenset({_S.DELIVERED, _S.FAILED, _S.CANCELLED})),
)


class OrderFilters(FilterBar):
    """The filter controls above the order list."""

    def __init__(self, *, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(name="order_filters", delay_ms=SEARCH_DELAY_MS, parent=parent)
        self.zone = zone
        self.search_edit = search_line_edit(
            self,
            name="order_search",
            placeholder="Search orders",
            accessible_name="Search orders",
            width_chars=18,
        )
        self.search_edit.setToolTip("Order number, customer name, town or street address")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("status_filter")
        for label, statuses in STATUS_CHOICES:
            self.status_combo.addItem(label)
            self.status_combo.setItemData(
                self.status_combo.count() - 1,
                ", ".join(s.value.replace("_", " ") for s in sorted(statuses)) or "any status",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.status_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_combo.setMinimumContentsLength(10)
        self.status_combo.setAccessibleName("Filter by status")
        self.town_combo = TownCombo(name="town_filter", placeholder="All towns", chars=8)
        self.customer_picker = CustomerPicker(
            name="customer_filter", placeholder="All customers", chars=11
        )
        self.range_button = WindowRangeButton(zone=zone)
        self.clear_button = clear_filters_button(self, "Clear")
        self.clear_button.setToolTip("Clear the filters: show every order")
        self._lay_out()
        self._connect()
        self._update_clear_button()

    def _lay_out(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(unit(self))
        layout.addWidget(self.search_edit, 3)
        layout.addWidget(self.status_combo, 2)
        layout.addWidget(self.town_combo, 2)
        layout.addWidget(self.customer_picker, 3)
        layout.addWidget(self.range_button)
        layout.addWidget(self.clear_button)

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(self._on_typed)
        self.search_edit.returnPressed.connect(self.flush)
        for combo in (self.town_combo, self.customer_picker):
            combo.editTextChanged.connect(self._on_typed)
            combo.activated.connect(self._on_changed)
            combo.edit.returnPressed.connect(self.flush)
        self.status_combo.currentIndexChanged.connect(self._on_changed)
        self.range_button.range_changed.connect(self._on_changed)
        self.clear_button.clicked.connect(self.clear)

    # -- reading and setting --------------------------------------------------------------------

    def statuses(self) -> frozenset[OrderStatus]:
        return STATUS_CHOICES[max(0, self.status_combo.currentIndex())][1]

    def window_range(self) -> tuple[datetime | None, datetime | None]:
        """The window starts shown, in UTC: from (inclusive) and to (exclusive)."""
        return self.range_button.window_range()

    def apply(self, query: OrderQuery) -> OrderQuery:
        """``query`` with these filters (its sort and paging kept)."""
        window_from, window_to = self.window_range()
        return replace(
            query,
            statuses=self.statuses(),
            town=self.town_combo.town() or None,
            customer_id=self.customer_picker.customer_id() or None,
            window_from=window_from,
            window_to=window_to,
            text=self.search_edit.text().strip(),
        )

    def is_filtering(self) -> bool:
        query = self.apply(OrderQuery())
        return bool(
            query.statuses or query.town or query.customer_id or query.text or query.window_from
        )

    def set_customers(self, customers: Sequence[CustomerInfo]) -> None:
        self.customer_picker.set_customers(customers)

    def set_status(self, statuses: frozenset[OrderStatus]) -> bool:
        """Choose the status choice for exactly ``statuses``; ``False`` if there is none."""
        for index, (_, choice) in enumerate(STATUS_CHOICES):
            if choice == statuses:
                self.status_combo.setCurrentIndex(index)
                return True
        return False

    def set_window_range(self, first: datetime, last: datetime) -> None:
        """Show windows starting from ``first``'s day to ``last``'s day (depot time)."""
        zone = self.zone
        self.range_button.set_days(first.astimezone(zone).date(), last.astimezone(zone).date())

    # -- the bar's hooks ------------------------------------------------------------------------

    def _filter_inputs(self) -> tuple[QWidget, ...]:
        return (self.search_edit, self.status_combo, self.town_combo, self.customer_picker)

    def _reset(self) -> None:
        """Every order again; the range button is told not to emit (it is not blocked)."""
        self.search_edit.clear()
        self.status_combo.setCurrentIndex(0)
        self.town_combo.set_text("")
        self.customer_picker.set_text("")
        self.range_button.set_days(None, emit=False)
