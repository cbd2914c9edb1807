"""The Routes screen's table model: one page of committed and past routes, formatted here.

On the frame of :class:`~senga_desktop.ui.widgets.table_models.PageTableModel`: the model holds
only the :class:`~senga_desktop.controllers.plan_views.RouteRow` records of the page on screen,
read off the GUI thread and filtered and paged by the database; ``data()`` runs no SQL. Times are
shown in the depot's time zone.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QObject, Qt

from senga_desktop.controllers.plan_views import RouteRow
from senga_desktop.ui.pages.orders.formatting import (
    DEFAULT_TIME_ZONE,
    amount,
    depot_zone,
    local_time,
    money,
    zone_caption,
)
from senga_desktop.ui.pages.routes.formatting import (
    BADGE_ROLE,
    ROUTE_STATUS_LABELS,
    ROUTE_STATUS_NOTES,
)
from senga_desktop.ui.widgets.table_models import LEFT, RIGHT, PageTableModel

__all__ = ["HEADERS", "RouteColumn", "RouteTableModel"]

#: How many towns the Towns column names before "+ n more".
TOWNS_SHOWN = 4


class RouteColumn(enum.IntEnum):
    TRUCK = 0
    STATUS = 1
    TOWNS = 2
    STOPS = 3
    ORDERS = 4
    DISTANCE = 5
    COST = 6
    START = 7
    DECISION = 8
    ATTENTION = 9


HEADERS = {
    RouteColumn.TRUCK: "Truck",
    RouteColumn.STATUS: "Status",
    RouteColumn.TOWNS: "Towns",
    RouteColumn.STOPS: "Stops",
    RouteColumn.ORDERS: "Orders",
    RouteColumn.DISTANCE: "km",
    RouteColumn.COST: "Cost (KES)",
    RouteColumn.START: "Planned start",
    RouteColumn.DECISION: "Decision",
    RouteColumn.ATTENTION: "Attention",
}
NUMERIC = frozenset({RouteColumn.STOPS, RouteColumn.ORDERS, RouteColumn.DISTANCE, RouteColumn.COST})


def towns_text(towns: tuple[str, ...]) -> str:
    """ "Thika → Murang'a → Nyeri + 2 more"."""
    shown = " \N{RIGHTWARDS ARROW} ".join(towns[:TOWNS_SHOWN])
    rest = len(towns) - TOWNS_SHOWN
    return f"{shown} + {rest} more" if rest > 0 else shown


class RouteTableModel(PageTableModel):
    """Read-only rows of one page of routes; :meth:`route` gives the row's record."""

    columns = RouteColumn
    headers = HEADERS

    def __init__(
        self, *, time_zone: str = DEFAULT_TIME_ZONE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent=parent)
        self._zone = depot_zone(time_zone)

    def set_time_zone(self, name: str) -> None:
        self._zone = depot_zone(name)

    @property
    def zone(self) -> Any:
        return self._zone

    def route(self, row: int) -> RouteRow | None:
        return self.record(row)

    # -- the frame's hooks --------------------------------------------------------------------

    def _key(self, record: RouteRow) -> str:
        return record.route_id

    def _alignment(self, column: RouteColumn) -> Qt.AlignmentFlag:
        return RIGHT if column in NUMERIC else LEFT

    def _header_tooltip(self, column: RouteColumn) -> str | None:
        if column is RouteColumn.START:
            return f"When the truck leaves, in {zone_caption(self._zone)}"
        if column is RouteColumn.DISTANCE:
            return "Estimated distance by road, there and back"
        if column is RouteColumn.ATTENTION:
            return "Why a dispatcher should look at the route (a truck in maintenance, say)"
        return None

    def _display(self, route: RouteRow, column: RouteColumn) -> str:
        values = {
            RouteColumn.TRUCK: lambda: route.vehicle_id,
            RouteColumn.STATUS: lambda: ROUTE_STATUS_LABELS[route.status],
            RouteColumn.TOWNS: lambda: towns_text(route.towns),
            RouteColumn.STOPS: lambda: f"{route.stops:,}",
            RouteColumn.ORDERS: lambda: f"{route.orders:,}",
            RouteColumn.DISTANCE: lambda: amount(route.distance_km, places=1),
            RouteColumn.COST: lambda: money(route.cost_kes),
            RouteColumn.START: lambda: local_time(route.planned_start, self._zone),
            RouteColumn.DECISION: lambda: route.decision_id or "",
            RouteColumn.ATTENTION: lambda: route.attention or "",
        }
        return values[column]()

    def _tooltip(self, route: RouteRow, column: RouteColumn) -> str | None:
        if column is RouteColumn.STATUS:
            return ROUTE_STATUS_NOTES[route.status]
        if column is RouteColumn.TOWNS:
            return " \N{RIGHTWARDS ARROW} ".join(route.towns) or None
        if column is RouteColumn.START:
            return zone_caption(self._zone)
        if column is RouteColumn.ATTENTION:
            return route.attention
        if column is RouteColumn.DECISION and route.decision_id:
            return "The planning decision that made this route (Open decision shows it)"
        return None

    def _extra_data(self, route: RouteRow, column: RouteColumn, role: int) -> Any:
        if role == BADGE_ROLE and column is RouteColumn.STATUS:
            return route.status.value
        if (
            role == Qt.ItemDataRole.DecorationRole
            and column is RouteColumn.ATTENTION
            and route.attention
        ):
            return self._icon("mdi6.alert-outline")
        return None
