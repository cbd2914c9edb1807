"""The Routes screen's filter bar: order-number search, days, truck, town and status.

The widget only collects the filters; :meth:`RouteFilters.apply` turns them into a
:class:`~senga_desktop.controllers.plan_views.RouteFilter` and the database does the filtering
(:func:`~senga_desktop.controllers.routes.list_routes`). Typing in the search box waits for a
short pause; choosing from a list applies at once. The truck and town lists come from
:func:`~senga_desktop.controllers.routes.route_filter_options` — the trucks and towns that appear
on listed routes. The days are the depot's (a route's planned start, midnight to midnight).
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from senga_desktop.controllers.plan_views import RouteFilter
from senga_desktop.domain import RouteStatus
from senga_desktop.ui.pages.orders.window_range import WindowRangeButton
from senga_desktop.ui.style import unit
from senga_desktop.ui.widgets.list_controls import (
    FilterBar,
    clear_filters_button,
    search_line_edit,
)

__all__ = ["ALL_TOWNS", "ALL_TRUCKS", "STATUS_CHOICES", "DayRangeButton", "RouteFilters"]

SEARCH_DELAY_MS = 250
ALL_TRUCKS = "All trucks"
ALL_TOWNS = "All towns"
_R = RouteStatus
STATUS_CHOICES: tuple[tuple[str, frozenset[RouteStatus]], ...] = (
    ("All statuses", frozenset()),
    ("Open (planned, in progress)", frozenset({_R.PLANNED, _R.IN_PROGRESS})),
    ("Planned", frozenset({_R.PLANNED})),
    ("In progress", frozenset({_R.IN_PROGRESS})),
    ("Completed", frozenset({_R.COMPLETED})),
    ("Cancelled", frozenset({_R.CANCELLED})),
)


class DayRangeButton(WindowRangeButton):
    """The orders' day-range button, reading "Start: …": the days routes are planned to leave."""

    def __init__(self, *, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(zone=zone, parent=parent)
        self.setObjectName("day_range")
        self.setToolTip("Only routes planned to leave on these days (depot time).")
        self.setAccessibleName("Planned start days")

    def _show_text(self) -> None:
        self.setText(f"Start: {self.describe()}")


class RouteFilters(FilterBar):
    """The filter controls above the route list."""

    def __init__(self, *, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(name="route_filters", delay_ms=SEARCH_DELAY_MS, parent=parent)
        chars = self.fontMetrics().averageCharWidth()
        self.search_edit = search_line_edit(
            self,
            name="route_order_search",
            placeholder="Search by order number",
            accessible_name="Search routes by order number",
            width_chars=22,
        )
        self.search_edit.setToolTip(
            "Routes carrying this order: the whole number or its last digits (00042)"
        )
        self.range_button = DayRangeButton(zone=zone)
        self.truck_combo = self._combo("truck_filter", ALL_TRUCKS, chars * 16)
        self.town_combo = self._combo("route_town_filter", ALL_TOWNS, chars * 16)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("route_status_filter")
        self.status_combo.setAccessibleName("Filter by status")
        for label, statuses in STATUS_CHOICES:
            self.status_combo.addItem(label)
            self.status_combo.setItemData(
                self.status_combo.count() - 1,
                ", ".join(s.value.replace("_", " ") for s in sorted(statuses))
                or "committed and past routes",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.clear_button = clear_filters_button(self, "Clear")
        self.clear_button.setToolTip("Clear the filters: show every committed and past route")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(unit(self))
        layout.addWidget(self.search_edit, 3)
        layout.addWidget(self.status_combo, 2)
        layout.addWidget(self.truck_combo, 2)
        layout.addWidget(self.town_combo, 2)
        layout.addWidget(self.range_button)
        layout.addWidget(self.clear_button)
        self.search_edit.textChanged.connect(self._on_typed)
        self.search_edit.returnPressed.connect(self.flush)
        for combo in (self.truck_combo, self.town_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._on_changed)
        self.range_button.range_changed.connect(self._on_changed)
        self.clear_button.clicked.connect(self.clear)
        self._update_clear_button()

    @staticmethod
    def _combo(name: str, everything: str, width: int) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(everything, "")
        combo.setAccessibleName(everything)
        combo.setMinimumWidth(width)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        return combo

    # -- reading and setting --------------------------------------------------------------------

    def statuses(self) -> frozenset[RouteStatus]:
        return STATUS_CHOICES[max(0, self.status_combo.currentIndex())][1]

    def apply(self) -> RouteFilter:
        """The filter these controls describe."""
        day_from, day_to = self.range_button.window_range()
        return RouteFilter(
            day_from=day_from,
            day_to=day_to,
            vehicle_id=self.truck_combo.currentData() or None,
            town=self.town_combo.currentData() or None,
            statuses=self.statuses(),
            order_search=self.search_edit.text().strip(),
        )

    def is_filtering(self) -> bool:
        wanted = self.apply()
        return bool(
            wanted.day_from
            or wanted.vehicle_id
            or wanted.town
            or wanted.statuses
            or wanted.order_search
        )

    def set_options(self, trucks: Sequence[str], towns: Sequence[str]) -> None:
        """Offer these trucks and towns; a current choice stays even if no longer listed."""
        for combo, values in ((self.truck_combo, trucks), (self.town_combo, towns)):
            current = combo.currentData() or ""
            combo.blockSignals(True)
            try:
                while combo.count() > 1:
                    combo.removeItem(1)
                for value in sorted({*values, *([current] if current else [])}):
                    combo.addItem(value, value)
                combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            finally:
                combo.blockSignals(False)

    def set_status(self, statuses: frozenset[RouteStatus]) -> bool:
        for index, (_, choice) in enumerate(STATUS_CHOICES):
            if choice == statuses:
                self.status_combo.setCurrentIndex(index)
                return True
        return False

    def choose(self, combo: QComboBox, value: str) -> bool:
        """Pick ``value`` in ``combo`` (the truck or town list); ``False`` if it is not offered."""
        index = combo.findData(value)
        if index < 0:
            return False
        combo.setCurrentIndex(index)
        return True

    # -- the bar's hooks ------------------------------------------------------------------------

    def _filter_inputs(self) -> tuple[QWidget, ...]:
        return (self.search_edit, self.truck_combo, self.town_combo, self.status_combo)

    def _reset(self) -> None:
        self.search_edit.clear()
        for combo in (self.truck_combo, self.town_combo, self.status_combo):
            combo.setCurrentIndex(0)
        self.range_button.set_days(None, emit=False)
