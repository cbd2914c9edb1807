"""The stop table of one route: when each stop is reached against its window, what stays on
board, and the marks of kept orders, added stops and broken constraints."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from senga_desktop.controllers.plan_views import ReloadView, RouteView, StopView
from senga_desktop.ui.widgets.plan_panel.formatting import (
    DASH,
    FALLBACK_ZONE,
    clock,
    number,
    window,
    zone_of,
)
from senga_desktop.ui.widgets.plan_panel.marks import mark_icon
from senga_desktop.ui.widgets.plan_panel.roles import (
    LEFT,
    PINNED_ROLE,
    PROBLEMS_ROLE,
    RIGHT,
    STOP_COLUMNS,
    Index,
)
from senga_desktop.ui.widgets.plan_panel.violation_marks import problem_tip

__all__ = ["StopTableModel", "trip_rows"]

_PROBLEM_ROLES = (
    PROBLEMS_ROLE,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole,
)


def trip_rows(route: RouteView) -> tuple[StopView | ReloadView, ...]:
    """The stop table's rows: the stops, and for a route of several trips a heading row before
    each trip (the first's has no arrival: the truck loads at the start of the route)."""
    if route.trip_count == 1:
        return route.stops
    rows: list[StopView | ReloadView] = []
    for trip in range(route.trip_count):
        rows.append(route.reload_before(trip) or ReloadView(trip, None, route.departure))
        rows.extend(route.trip_stops(trip))
    return tuple(rows)


class StopTableModel(QAbstractTableModel):
    """The stops of one route: when each is reached against its window, what stays on board.

    A route of several trips gets a heading row before each trip ("Trip 2 — back at the depot
    11:40, reload, out 12:10"), spanning the table (:meth:`heading_rows` says where); a route of
    one trip has none and looks as it always did.
    """

    def __init__(self, parent: Any = None, *, late_color: QColor | None = None) -> None:
        super().__init__(parent)
        self._route: RouteView | None = None
        self._rows: tuple[StopView | ReloadView, ...] = ()
        self._zone: tzinfo = zone_of(FALLBACK_ZONE)
        self._reference: datetime | None = None
        self._late = QBrush(late_color or QColor("#b3261e"))
        self._bold = QFont()
        self._bold.setBold(True)
        self._pinned: frozenset[str] = frozenset()  # orders kept on this route's truck
        self._added: frozenset[str] = frozenset()  # orders added to a committed route
        self._locked = False
        self._problems: Mapping[str, tuple[str, ...]] = {}  # sentences by order id
        self._by_row: dict[int, tuple[str, ...]] = {}  # the same, by row (the rows shown)
        self._warning: QIcon | None = None
        self._tint: QBrush | None = None

    def set_problems(
        self, problems: Mapping[str, tuple[str, ...]], *, icon: QIcon, tint: QColor
    ) -> None:
        """What each order's stop breaks (sentences by order id)."""
        self._problems = dict(problems)
        self._warning, self._tint = icon, QBrush(tint)
        self._index_problems()
        if self._rows:
            last = self.index(len(self._rows) - 1, len(STOP_COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def problems(self, row: int) -> tuple[str, ...]:
        """The sentences naming the orders of the stop on ``row``."""
        return self._by_row.get(row, ())

    def _index_problems(self) -> None:
        self._by_row = {}
        if not self._problems:
            return
        for row, stop in enumerate(self._rows):
            if isinstance(stop, StopView):
                found = (m for o in stop.order_ids for m in self._problems.get(o, ()))
                sentences = tuple(dict.fromkeys(found))
                if sentences:
                    self._by_row[row] = sentences

    def row_of_order(self, order_id: str) -> int | None:
        """The row of the stop delivering ``order_id``, or ``None``."""
        for row, item in enumerate(self._rows):
            if isinstance(item, StopView) and order_id in item.order_ids:
                return row
        return None

    def route(self) -> RouteView | None:
        return self._route

    def rows(self) -> tuple[StopView | ReloadView, ...]:
        """The table's rows: stops, and trip headings on a route of several trips."""
        return self._rows

    def set_route(self, route: RouteView | None, zone: tzinfo) -> None:
        self.beginResetModel()
        self._route = route
        self._rows = trip_rows(route) if route is not None else ()
        self._zone = zone
        self._reference = route.departure if route is not None else None
        self._index_problems()
        self.endResetModel()

    def set_marks(self, *, pinned: frozenset[str], added: frozenset[str], locked: bool) -> None:
        """Orders kept on the truck (a pin mark), orders a committed route takes in addition
        (a plus mark) and whether the whole route is locked."""
        self._pinned, self._added, self._locked = pinned, added, locked
        if self._rows:
            last = self.index(len(self._rows) - 1, len(STOP_COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def pinned(self, row: int) -> bool:
        """Every order of the stop on ``row`` is kept on this truck."""
        stop = self.stop(row)
        return stop is not None and bool(stop.order_ids) and self._pinned.issuperset(stop.order_ids)

    def stop(self, row: int) -> StopView | None:
        """The stop on ``row``, or ``None`` for a trip's heading row."""
        item = self._rows[row]
        return item if isinstance(item, StopView) else None

    def heading_rows(self) -> tuple[int, ...]:
        """The rows that head a trip (none for a route of one trip)."""
        return tuple(n for n, item in enumerate(self._rows) if isinstance(item, ReloadView))

    def heading(self, reload: ReloadView) -> str:
        """``Trip 2 — back at the depot 11:40, reload, out 12:10 · 2.4 t``"""
        route = self._route
        assert route is not None
        tonnes, m3 = route.trip_load(reload.trip)
        load = f"{number(tonnes)} t · {number(m3)} m³ on board"
        out = clock(reload.departure, self._zone, self._reference)
        if reload.trip == 0:
            return f"Trip 1 \N{EM DASH} loads at the depot, out {out} \N{MIDDLE DOT} {load}"
        back = clock(reload.arrival, self._zone, self._reference)
        return (
            f"Trip {reload.trip + 1} \N{EM DASH} back at the depot {back}, reload, out {out} "
            f"\N{MIDDLE DOT} {load}"
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(STOP_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(STOP_COLUMNS):
            return STOP_COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        stop = self._rows[index.row()]
        column = index.column()
        if isinstance(stop, ReloadView):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.heading(stop) if column == 0 else ""
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(stop, column)
        if self._by_row and role in _PROBLEM_ROLES:
            problems = self.problems(index.row())
            if role == PROBLEMS_ROLE:
                return problems
            if problems and role == Qt.ItemDataRole.BackgroundRole:
                return self._tint
            if problems and role == Qt.ItemDataRole.DecorationRole and column == 1:
                return self._warning
            if problems and role == Qt.ItemDataRole.ToolTipRole:
                other = self._mark_tip(stop) if column == 0 else None
                return "\n".join(filter(None, (problem_tip(problems), other)))
        elif role == PROBLEMS_ROLE:
            return ()
        if column == 0 and role in (Qt.ItemDataRole.DecorationRole, PINNED_ROLE):
            pinned = bool(self._pinned.intersection(stop.order_ids))
            if role == PINNED_ROLE:
                return pinned
            if pinned:
                return mark_icon("pin", True)
            return mark_icon("added", True) if self._added.intersection(stop.order_ids) else None
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return self._mark_tip(stop)
        if role == Qt.ItemDataRole.ForegroundRole and column in (4, 5) and stop.late:
            return self._late
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in (0, 6) else LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 4 and stop.late:
                return "Late: the truck arrives after the window closes."
            if column in (2, 3):
                return "\n".join(
                    f"{o} — {c}" for o, c in zip(stop.order_ids, stop.customers, strict=False)
                )
        return None

    def _mark_tip(self, stop: StopView) -> str | None:
        truck = self._route.vehicle_id if self._route is not None else ""
        if self._locked:
            return f"The route is locked: this stop stays on {truck}, in this place."
        kept = [o for o in stop.order_ids if o in self._pinned]
        if kept:
            return f"Kept on {truck} when re-planning: {', '.join(kept)}."
        added = [o for o in stop.order_ids if o in self._added]
        if added:
            return f"Added to the committed route: {', '.join(added)}."
        return None

    def _text(self, stop: StopView, column: int) -> str:
        match column:
            case 0:
                return str(stop.sequence)
            case 1:
                return stop.town
            case 2:
                names = tuple(dict.fromkeys(stop.customers))
                return (
                    names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "") if names else DASH
                )
            case 3:
                return ", ".join(stop.order_ids)
            case 4:
                eta = clock(stop.eta, self._zone, self._reference)
                return f"{eta} · late" if stop.late else eta
            case 5:
                return window(stop.window_start, stop.window_end, self._zone, stop.eta)
            case 6:
                return f"{number(stop.load_after_tonnes)} t · {number(stop.load_after_m3)} m³"
            case 7:
                return ", ".join(h.replace("_", " ") for h in stop.special_handling) or DASH
        return ""
