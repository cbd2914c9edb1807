"""The Outcomes tab's table model: one page of outcomes, estimate against actual, formatted here.

On the frame of :class:`~senga_desktop.ui.widgets.table_models.PageTableModel`: only the page on
screen is held, read off the GUI thread and filtered, sorted and paged by the database
(:func:`~senga_desktop.controllers.outcomes.list_outcomes`); ``data()`` runs no SQL. A header
click calls :meth:`OutcomeTableModel.sort`, which records the database sort and emits
:attr:`~OutcomeTableModel.sort_changed` for the tab to load the first page again.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont

from senga_desktop.controllers.outcome_views import Figure, OutcomeRow, OutcomeSort
from senga_desktop.ui.pages.orders.formatting import (
    DEFAULT_TIME_ZONE,
    amount,
    depot_zone,
    local_time,
    money,
    zone_caption,
)
from senga_desktop.ui.pages.outcomes.formatting import (
    LEARNING_LABELS,
    LEARNING_NOTES,
    RESULT_BADGES,
    RESULT_LABELS,
    RESULT_NOTES,
    error_text,
    minutes_text,
    pct_text,
)
from senga_desktop.ui.pages.routes.formatting import BADGE_ROLE
from senga_desktop.ui.widgets.table_models import LEFT, RIGHT, PageTableModel

__all__ = ["BIG_ERROR_PCT", "DEFAULT_SORT", "SORTS", "OutcomeColumn", "OutcomeTableModel"]

#: An error at least this large (either way, in per cent) is shown in the warning colour.
BIG_ERROR_PCT = 25.0


class OutcomeColumn(enum.IntEnum):
    ROUTE = 0
    TRUCK = 1
    DEPARTED = 2
    RESULT = 3
    DISTANCE_ESTIMATED = 4
    DISTANCE = 5
    DISTANCE_ERROR = 6
    DURATION_ESTIMATED = 7
    DURATION = 8
    DURATION_ERROR = 9
    COST_ESTIMATED = 10
    COST = 11
    COST_ERROR = 12
    LEARNING = 13
    RECORDED = 14


C = OutcomeColumn
HEADERS = {
    C.ROUTE: "Route",
    C.TRUCK: "Truck",
    C.DEPARTED: "Departed",
    C.RESULT: "Result",
    C.DISTANCE_ESTIMATED: "Est. km",
    C.DISTANCE: "km",
    C.DISTANCE_ERROR: "km error",
    C.DURATION_ESTIMATED: "Est. time",
    C.DURATION: "Time",
    C.DURATION_ERROR: "Time error",
    C.COST_ESTIMATED: "Est. KES",
    C.COST: "KES",
    C.COST_ERROR: "Cost error",
    C.LEARNING: "Learning",
    C.RECORDED: "Recorded",
}
SORTS = {
    C.ROUTE: OutcomeSort.ROUTE,
    C.TRUCK: OutcomeSort.TRUCK,
    C.DEPARTED: OutcomeSort.DEPARTED,
    C.RESULT: OutcomeSort.RESULT,
    C.DISTANCE_ESTIMATED: OutcomeSort.DISTANCE_ESTIMATED,
    C.DISTANCE: OutcomeSort.DISTANCE_ACTUAL,
    C.DISTANCE_ERROR: OutcomeSort.DISTANCE_ERROR,
    C.DURATION_ESTIMATED: OutcomeSort.DURATION_ESTIMATED,
    C.DURATION: OutcomeSort.DURATION_ACTUAL,
    C.DURATION_ERROR: OutcomeSort.DURATION_ERROR,
    C.COST_ESTIMATED: OutcomeSort.COST_ESTIMATED,
    C.COST: OutcomeSort.COST_ACTUAL,
    C.COST_ERROR: OutcomeSort.COST_ERROR,
    C.LEARNING: OutcomeSort.LEARNING,
    C.RECORDED: OutcomeSort.RECORDED,
}
COLUMN_OF_SORT = {sort: column for column, sort in SORTS.items()}
DEFAULT_SORT = (OutcomeSort.DEPARTED, True)
ERRORS = {C.DISTANCE_ERROR: "km", C.DURATION_ERROR: "min", C.COST_ERROR: "kes"}
TEXT_COLUMNS = frozenset({C.ROUTE, C.TRUCK, C.DEPARTED, C.RESULT, C.LEARNING, C.RECORDED})


def _figure(row: OutcomeRow, column: OutcomeColumn) -> Figure:
    if column in (C.DISTANCE_ESTIMATED, C.DISTANCE, C.DISTANCE_ERROR):
        return row.distance_km
    if column in (C.DURATION_ESTIMATED, C.DURATION, C.DURATION_ERROR):
        return row.duration_minutes
    return row.cost_kes


class OutcomeTableModel(PageTableModel):
    """Read-only rows of one page of outcomes; :meth:`outcome` gives the row's record."""

    #: The user asked for another order (a header click): the tab must load again.
    sort_changed = Signal()

    columns = OutcomeColumn
    headers = HEADERS

    def __init__(
        self, *, time_zone: str = DEFAULT_TIME_ZONE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent=parent)
        self._zone = depot_zone(time_zone)
        self._sort, self._descending = DEFAULT_SORT
        self.warning = QColor("#b3261e")

    def set_time_zone(self, name: str) -> None:
        self._zone = depot_zone(name)

    @property
    def zone(self) -> Any:
        return self._zone

    def outcome(self, row: int) -> OutcomeRow | None:
        return self.record(row)

    # -- sorting (done by the database) -------------------------------------------------------

    @property
    def sort_key(self) -> tuple[OutcomeSort, bool]:
        return self._sort, self._descending

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: remember the sort and ask for the first page again."""
        if not 0 <= column < len(C):
            return
        sort, descending = SORTS[C(column)], order == Qt.SortOrder.DescendingOrder
        if (sort, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = sort, descending
        self.sort_changed.emit()

    # -- the frame's hooks --------------------------------------------------------------------

    def _key(self, record: OutcomeRow) -> str:
        return record.outcome_id

    def _alignment(self, column: OutcomeColumn) -> Qt.AlignmentFlag:
        return LEFT if column in TEXT_COLUMNS else RIGHT

    def _header_tooltip(self, column: OutcomeColumn) -> str | None:
        if column in ERRORS:
            return "Actual minus estimate, in per cent of the estimate (+: more than planned)"
        if column is C.DEPARTED:
            return f"When the truck left (else its planned start), in {zone_caption(self._zone)}"
        if column is C.RECORDED:
            return f"When the outcome was recorded, in {zone_caption(self._zone)}"
        if column is C.LEARNING:
            return "Whether the engine has learned from the outcome"
        return None

    def _display(self, row: OutcomeRow, column: OutcomeColumn) -> str:
        if column in ERRORS:
            return pct_text(_figure(row, column).error_pct)
        figure = _figure(row, column)
        values = {
            C.ROUTE: lambda: row.route_id,
            C.TRUCK: lambda: row.vehicle_id,
            C.DEPARTED: lambda: local_time(row.departed_at, self._zone),
            C.RESULT: lambda: RESULT_LABELS[row.result],
            C.DISTANCE_ESTIMATED: lambda: amount(figure.estimated, places=1),
            C.DISTANCE: lambda: amount(figure.actual, places=1),
            C.DURATION_ESTIMATED: lambda: minutes_text(figure.estimated),
            C.DURATION: lambda: minutes_text(figure.actual),
            C.COST_ESTIMATED: lambda: money(figure.estimated),
            C.COST: lambda: money(figure.actual),
            C.LEARNING: lambda: LEARNING_LABELS[row.learning],
            C.RECORDED: lambda: local_time(row.recorded_at, self._zone),
        }
        return values[column]()

    def _tooltip(self, row: OutcomeRow, column: OutcomeColumn) -> str | None:
        if column in ERRORS:
            figure = _figure(row, column)
            return f"{error_text(figure.error, ERRORS[column])} against the estimate"
        if column is C.RESULT:
            counts = f"{row.on_time} on time, {row.late} late, {row.failed} failed"
            return f"{RESULT_NOTES[row.result]} ({counts})"
        if column is C.LEARNING:
            return LEARNING_NOTES[row.learning]
        if column is C.TRUCK:
            return row.vehicle_type
        if column is C.ROUTE:
            return f"Outcome {row.outcome_id}"
        return None

    def _extra_data(self, row: OutcomeRow, column: OutcomeColumn, role: int) -> Any:
        if role == BADGE_ROLE and column is C.RESULT:
            return RESULT_BADGES[row.result]
        if column in ERRORS and role == Qt.ItemDataRole.ForegroundRole:
            error = _figure(row, column).error_pct
            if error is not None and abs(error) >= BIG_ERROR_PCT:
                return self.warning
        if column in ERRORS and role == Qt.ItemDataRole.FontRole:
            error = _figure(row, column).error_pct
            if error is not None and abs(error) >= BIG_ERROR_PCT:
                font = QFont()
                font.setBold(True)
                return font
        return None
