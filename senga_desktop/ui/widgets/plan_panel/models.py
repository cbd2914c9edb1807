"""Table models of the plan panel: the route list and the stop table of one route."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from senga_desktop.controllers.plan_views import ReloadView, RouteView, StopView
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
    window,
    zone_of,
)
from senga_desktop.ui.widgets.plan_panel.marks import LOCK_SHORTCUT, mark_icon

__all__ = ["ROUTE_COLUMNS", "STOP_COLUMNS", "RouteListModel", "StopTableModel"]

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: Custom role: the share of capacity used (0 to 1), for the bar delegate.
SHARE_ROLE = Qt.ItemDataRole.UserRole + 1
ROUTE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: Custom role: the route is locked / the stop's orders are kept on this truck (bool).
LOCKED_ROLE = Qt.ItemDataRole.UserRole + 3
PINNED_ROLE = Qt.ItemDataRole.UserRole + 4

Index = QModelIndex | QPersistentModelIndex

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

STOP_COLUMNS = (
    "#",
    "Town",
    "Customer",
    "Orders",
    "ETA",
    "Window",
    "On board after",
    "Handling",
)


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

    def set_marks(
        self, *, lockable: bool, locked: frozenset[str], notes: Mapping[str, Amendment]
    ) -> None:
        """Which routes are locked (by truck) and which amend a committed route."""
        self._lockable, self._locked, self._notes = lockable, locked, dict(notes)
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
        starts = [r.departure for r in self._routes if r.departure is not None]
        self._reference = min(starts) if starts else None
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

    def set_route(self, route: RouteView | None, zone: tzinfo) -> None:
        self.beginResetModel()
        self._route = route
        self._rows = trip_rows(route) if route is not None else ()
        self._zone = zone
        self._reference = route.departure if route is not None else None
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
