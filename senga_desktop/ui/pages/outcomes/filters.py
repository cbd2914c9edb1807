"""The Outcomes tab's filter bar: route search, result, truck and the days the routes ran.

The widget only collects the filters; :meth:`OutcomeFilters.apply` turns them into an
:class:`~senga_desktop.controllers.outcome_views.OutcomeFilter` and the database filters
(:func:`~senga_desktop.controllers.outcomes.list_outcomes`). The days look back — today, the
last 7 or 30 days, or any range — and are the depot's, midnight to midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from senga_desktop.controllers.outcome_views import OUTCOME_RESULTS, OutcomeFilter, OutcomeSort
from senga_desktop.ui.pages.orders.window_range import PRESETS, WindowRangeButton
from senga_desktop.ui.pages.outcomes.formatting import RESULT_LABELS
from senga_desktop.ui.style import unit
from senga_desktop.ui.widgets.list_controls import (
    FilterBar,
    clear_filters_button,
    search_line_edit,
)

__all__ = ["ALL_TRUCKS", "PAST_PRESETS", "OutcomeFilters", "RanOnButton"]

SEARCH_DELAY_MS = 250
ALL_TRUCKS = "All trucks"
#: The days a route ran, counted back from today (first and last day).
PAST_PRESETS: tuple[tuple[str, tuple[int, int] | None], ...] = (
    ("Any day", None),
    ("Today", (0, 0)),
    ("Last 7 days", (-6, 0)),
    ("Last 30 days", (-29, 0)),
)


class RanOnButton(WindowRangeButton):
    """The orders' day-range button, looking back: "Ran: last 7 days"."""

    def __init__(self, *, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(zone=zone, parent=parent)
        self.setObjectName("ran_range")
        self.setToolTip("Only routes that left on these days (depot time).")
        self.setAccessibleName("Days the routes ran")
        # The menu offers past days here: the orders' presets look ahead.
        for action in self.range_menu.actions()[: len(PRESETS)]:
            self.range_menu.removeAction(action)
        first = self.range_menu.actions()[0]
        for label, offsets in PAST_PRESETS:
            action = self.range_menu.addAction(label)
            action.setObjectName(f"range_{label.lower().replace(' ', '_')}")
            action.triggered.connect(lambda _checked=False, o=offsets: self._on_preset_chosen(o))
            self.range_menu.insertAction(first, action)
        self._show_text()

    def describe(self) -> str:
        days = self.days()
        if days is None:
            return "any day"
        today = self.today()
        for label, offsets in PAST_PRESETS[1:]:
            assert offsets is not None
            if days == (today + timedelta(offsets[0]), today + timedelta(offsets[1])):
                return label.lower()
        return super().describe()

    def _show_text(self) -> None:
        self.setText(f"Ran: {self.describe()}")

    def last_days(self, count: int) -> None:
        """Show the routes of the last ``count`` days, today included."""
        today: date = self.today()
        self.set_days(today - timedelta(days=count - 1), today)


class OutcomeFilters(FilterBar):
    """The filter controls above the outcome list."""

    def __init__(self, *, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(name="outcome_filters", delay_ms=SEARCH_DELAY_MS, parent=parent)
        chars = self.fontMetrics().averageCharWidth()
        self.search_edit = search_line_edit(
            self,
            name="outcome_route_search",
            placeholder="Search by route",
            accessible_name="Search outcomes by route",
            width_chars=20,
        )
        self.search_edit.setToolTip("Outcomes of routes whose id contains this text")
        self.result_combo = QComboBox()
        self.result_combo.setObjectName("outcome_result_filter")
        self.result_combo.setAccessibleName("Filter by result")
        self.result_combo.addItem("All results", "")
        for result in OUTCOME_RESULTS[::-1]:
            self.result_combo.addItem(RESULT_LABELS[result], result)
        self.truck_combo = QComboBox()
        self.truck_combo.setObjectName("outcome_truck_filter")
        self.truck_combo.setAccessibleName(ALL_TRUCKS)
        self.truck_combo.addItem(ALL_TRUCKS, "")
        self.truck_combo.setMinimumWidth(chars * 16)
        self.range_button = RanOnButton(zone=zone)
        self.clear_button = clear_filters_button(self, "Clear")
        self.clear_button.setToolTip("Clear the filters: show every outcome")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(unit(self))
        layout.addWidget(self.search_edit, 3)
        layout.addWidget(self.result_combo, 2)
        layout.addWidget(self.truck_combo, 2)
        layout.addWidget(self.range_button)
        layout.addWidget(self.clear_button)
        self.search_edit.textChanged.connect(self._on_typed)
        self.search_edit.returnPressed.connect(self.flush)
        for combo in (self.result_combo, self.truck_combo):
            combo.currentIndexChanged.connect(self._on_changed)
        self.range_button.range_changed.connect(self._on_changed)
        self.clear_button.clicked.connect(self.clear)
        self._update_clear_button()

    def apply(self, sort: OutcomeSort, descending: bool) -> OutcomeFilter:
        """The filter these controls describe, with the list's sort."""
        day_from, day_to = self.range_button.window_range()
        return OutcomeFilter(
            day_from=day_from,
            day_to=day_to,
            vehicle_id=self.truck_combo.currentData() or None,
            result=self.result_combo.currentData() or None,
            search=self.search_edit.text().strip(),
            sort=sort,
            descending=descending,
        )

    def is_filtering(self) -> bool:
        return bool(
            self.range_button.days()
            or self.truck_combo.currentData()
            or self.result_combo.currentData()
            or self.search_edit.text().strip()
        )

    def set_trucks(self, trucks: Sequence[str]) -> None:
        """Offer these trucks; a current choice stays even if no longer listed."""
        combo = self.truck_combo
        current = combo.currentData() or ""
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for value in sorted({*trucks, *([current] if current else [])}):
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
        finally:
            combo.blockSignals(False)

    def choose_result(self, result: str) -> bool:
        index = self.result_combo.findData(result)
        if index >= 0:
            self.result_combo.setCurrentIndex(index)
        return index >= 0

    def _filter_inputs(self) -> tuple[QWidget, ...]:
        return (self.search_edit, self.truck_combo, self.result_combo, self.range_button)

    def _reset(self) -> None:
        self.search_edit.clear()
        for combo in (self.truck_combo, self.result_combo):
            combo.setCurrentIndex(0)
        self.range_button.set_days(None, emit=False)
