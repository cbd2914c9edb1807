"""Table models of the plan panel: the route list and the stop table of one route.

Both mark what a plan being edited breaks (:meth:`RouteListModel.set_problems`,
:meth:`StopTableModel.set_problems`): a warning icon in the towns column, a tinted row and the
sentences as the row's tooltip. After an edit the route list is updated in place
(:meth:`RouteListModel.update_routes`): only the rows whose route changed are redrawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon

from senga_desktop.controllers.plan_views import RouteView
from senga_desktop.controllers.planning_day import Amendment
from senga_desktop.ui.widgets.map import route_color
from senga_desktop.ui.widgets.plan_panel.formatting import (
    DASH,
    FALLBACK_ZONE,
    clock,
    duration,
    kes,
    number,
    percent,
    zone_of,
)
from senga_desktop.ui.widgets.plan_panel.marks import LOCK_SHORTCUT, mark_icon
from senga_desktop.ui.widgets.plan_panel.roles import (
    LEFT,
    LOCKED_ROLE,
    PINNED_ROLE,
    PROBLEMS_ROLE,
    RIGHT,
    ROUTE_ID_ROLE,
    SHARE_ROLE,
    STOP_COLUMNS,
    Index,
)
from senga_desktop.ui.widgets.plan_panel.stop_model import StopTableModel, trip_rows
from senga_desktop.ui.widgets.plan_panel.violation_marks import problem_tip

# The roles and the stop model are re-exported: screens and tests import them from here.
__all__ = [
    "LOCKED_ROLE",
    "PINNED_ROLE",
    "PROBLEMS_ROLE",
    "ROUTE_COLUMNS",
    "ROUTE_ID_ROLE",
    "SHARE_ROLE",
    "STOP_COLUMNS",
    "RouteListModel",
    "StopTableModel",
    "trip_rows",
]

ROUTE_COLUMNS = (
    "Truck",
    "Towns in order",
    "Stops",
    "Weight used",
    "Volume used",
    "Distance",
    "Duration",
    "Cost",
    "Departs",
    "Returns",
)
_ROUTE_RIGHT = {2, 5, 6, 7}


class RouteListModel(QAbstractTableModel):
    """One row per route; column 0 carries the route's map colour as its decoration.

    With :meth:`set_marks` the vertical header becomes the lock column (a padlock per row) and
    routes that amend a committed route say so in their stop count and tooltips.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._routes: tuple[RouteView, ...] = ()
        self._zone: tzinfo = zone_of(FALLBACK_ZONE)
        self._reference: datetime | None = None
        self._lockable = False
        self._locked: frozenset[str] = frozenset()  # vehicle ids
        self._notes: Mapping[str, Amendment] = {}  # by vehicle id
        self._problems: Mapping[str, tuple[str, ...]] = {}  # sentences by vehicle id
        self._warning: QIcon | None = None
        self._tint: QBrush | None = None

    def set_problems(
        self, problems: Mapping[str, tuple[str, ...]], *, icon: QIcon, tint: QColor
    ) -> None:
        """What each truck's route breaks (sentences by truck); the rows whose marks change
        are redrawn."""
        old, self._problems = self._problems, dict(problems)
        self._warning, self._tint = icon, QBrush(tint)
        for row, route in enumerate(self._routes):
            if old.get(route.vehicle_id) != self._problems.get(route.vehicle_id):
                self._row_changed(row)

    def problems(self, row: int) -> tuple[str, ...]:
        return self._problems.get(self._routes[row].vehicle_id, ())

    def update_routes(self, routes: Sequence[RouteView]) -> bool:
        """Show ``routes`` — the same route ids in the same order as now — redrawing only the
        rows whose route changed; ``False`` (and nothing done) if the ids differ."""
        new = tuple(routes)
        old = self._routes
        if [r.route_id for r in new] != [r.route_id for r in old]:
            return False
        self._routes = new
        reference = self._reference
        self._reference = _first_departure(new)
        if reference != self._reference and new:  # every clock may read another day
            last = self.index(len(new) - 1, len(ROUTE_COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return True
        for row, (a, b) in enumerate(zip(old, new, strict=True)):
            if a is not b and a != b:
                self._row_changed(row)
        return True

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(ROUTE_COLUMNS) - 1))

    def set_marks(
        self, *, lockable: bool, locked: frozenset[str], notes: Mapping[str, Amendment]
    ) -> None:
        """Which routes are locked (by truck) and which amend a committed route."""
        marks = (lockable, locked, dict(notes))
        if marks == (self._lockable, self._locked, self._notes):
            return  # nothing to redraw: new routes redraw their rows themselves
        self._lockable, self._locked, self._notes = marks
        rows = len(self._routes)
        if rows:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, rows - 1)
            last = self.index(rows - 1, len(ROUTE_COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def locked(self, row: int) -> bool:
        return self._routes[row].vehicle_id in self._locked

    def note(self, row: int) -> Amendment | None:
        return self._notes.get(self._routes[row].vehicle_id)

    def set_routes(self, routes: Sequence[RouteView], zone: tzinfo) -> None:
        self.beginResetModel()
        self._routes = tuple(routes)
        self._zone = zone
        self._reference = _first_departure(self._routes)
        self.endResetModel()

    def route(self, row: int) -> RouteView:
        return self._routes[row]

    def row_of(self, route_id: str) -> int | None:
        for row, route in enumerate(self._routes):
            if route.route_id == route_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._routes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ROUTE_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(ROUTE_COLUMNS):
            return ROUTE_COLUMNS[section]
        if not horizontal and 0 <= section < len(self._routes):
            return self._lock_header(section, role)
        return None

    def _lock_header(self, row: int, role: int) -> Any:
        """The lock column: a padlock, closed and in the accent colour when locked."""
        locked = self.locked(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return ""
        if role == Qt.ItemDataRole.DecorationRole and self._lockable:
            return mark_icon("lock", True) if locked else mark_icon("unlocked")
        if role == Qt.ItemDataRole.ToolTipRole and self._lockable:
            truck = self._routes[row].vehicle_id
            if locked:
                return (
                    f"Locked: {truck}'s route is kept exactly. Click to unlock ({LOCK_SHORTCUT})."
                )
            return f"Click to lock {truck}'s route: re-planning keeps it exactly ({LOCK_SHORTCUT})."
        if role == LOCKED_ROLE:
            return locked
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._routes):
            return None
        route = self._routes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(route, column)
        if role == LOCKED_ROLE:
            return route.vehicle_id in self._locked
        problems = self._problems.get(route.vehicle_id, ())
        if problems:
            marked = self._problem_data(route, problems, column, role)
            if marked is not None:
                return marked
        if role == PROBLEMS_ROLE:
            return problems
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 2):
            marks = self._marks(route)
            if marks:
                return marks
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return route_color(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in _ROUTE_RIGHT else LEFT
        if role == SHARE_ROLE and column in (3, 4):
            return route.weight_share if column == 3 else route.volume_share
        if role == ROUTE_ID_ROLE:
            return route.route_id
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return " → ".join(route.towns)
            if column in (3, 4):
                return (
                    f"{number(route.load_tonnes)} of {number(route.capacity_tonnes)} t, "
                    f"{number(route.load_m3)} of {number(route.capacity_m3)} m³"
                )
            if column == 0 and route.attention:
                return route.attention
            if column == 2 and route.trip_count > 1:
                return f"{route.trip_count} trips, reloading at the depot between them"
        return None

    def _problem_data(
        self, route: RouteView, problems: tuple[str, ...], column: int, role: int
    ) -> Any:
        """The marks of a route that breaks something: icon, tint, the sentences as tooltip."""
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return self._warning
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._tint
        if role == PROBLEMS_ROLE:
            return problems
        if role == Qt.ItemDataRole.ToolTipRole:
            count = len(problems)
            head = f"{route.vehicle_id}'s route breaks {count} constraint{'s' * (count != 1)}:"
            rest = self._marks(route)
            return "\n".join(filter(None, (head, problem_tip(problems), rest)))
        return None

    def _text(self, route: RouteView, column: int) -> str:
        match column:
            case 0:
                return route.vehicle_id
            case 1:
                return " → ".join(route.towns) or DASH
            case 2:
                trips = f" · {route.trip_count} trips" if route.trip_count > 1 else ""
                note = self._notes.get(route.vehicle_id)
                added = f" (+{note.added_stops})" if note and note.added_stops else ""
                return f"{len(route.stops)}{added}{trips}"
            case 3:
                return f"{percent(route.weight_share)} · {number(route.load_tonnes)} t"
            case 4:
                return f"{percent(route.volume_share)} · {number(route.load_m3)} m³"
            case 5:
                return f"{number(route.distance_km, 0)} km"
            case 6:
                return duration(route.duration_minutes)
            case 7:
                return kes(route.cost_kes)
            case 8:
                return clock(route.departure, self._zone, self._reference)
            case 9:
                return clock(route.return_at, self._zone, route.departure)
        return ""

    def _marks(self, route: RouteView) -> str:
        """The tooltip of a locked route or one that amends a committed route."""
        lines = []
        if route.vehicle_id in self._locked:
            lines.append("Locked: re-planning keeps this route exactly (truck, orders, order).")
        note = self._notes.get(route.vehicle_id)
        if note is not None:
            lines.append(f"{route.vehicle_id} {note.sentence}.")
        if route.attention:
            lines.append(route.attention)
        if route.trip_count > 1:
            lines.append(f"{route.trip_count} trips, reloading at the depot between them")
        return "\n".join(lines)


def _first_departure(routes: Sequence[RouteView]) -> datetime | None:
    starts = [r.departure for r in routes if r.departure is not None]
    return min(starts) if starts else None
