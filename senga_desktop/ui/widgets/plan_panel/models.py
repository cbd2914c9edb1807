"""Table models of the plan panel: the route list and the stop table of one route."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from senga_desktop.controllers.plan_views import ReloadView, RouteView, StopView
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

__all__ = ["ROUTE_COLUMNS", "STOP_COLUMNS", "RouteListModel", "StopTableModel"]

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: Custom role: the share of capacity used (0 to 1), for the bar delegate.
SHARE_ROLE = Qt.ItemDataRole.UserRole + 1
ROUTE_ID_ROLE = Qt.ItemDataRole.UserRole + 2

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
    """One row per route; column 0 carries the route's map colour as its decoration."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._routes: tuple[RouteView, ...] = ()
        self._zone: tzinfo = zone_of(FALLBACK_ZONE)
        self._reference: datetime | None = None

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
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._routes):
            return None
        route = self._routes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(route, column)
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
                return f"{len(route.stops)}{trips}"
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

    def set_route(self, route: RouteView | None, zone: tzinfo) -> None:
        self.beginResetModel()
        self._route = route
        self._rows = trip_rows(route) if route is not None else ()
        self._zone = zone
        self._reference = route.departure if route is not None else None
        self.endResetModel()

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
