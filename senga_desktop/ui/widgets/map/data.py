"""What the map draws: plain frozen data, independent of where it came from.

Screens build a :class:`MapData` (usually with
:func:`~senga_desktop.ui.widgets.map.adapters.map_data` from the plan read models) and hand it to
:meth:`MapView.set_data <senga_desktop.ui.widgets.map.view.MapView.set_data>`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MapData", "MapMarker", "MapRoute", "MapStop"]


@dataclass(frozen=True, slots=True)
class MapStop:
    """One numbered stop of a route."""

    sequence: int
    lat: float
    lon: float
    town: str
    tooltip: str
    trip: int = 0  # a new trip starts with a leg from the depot, after one back to it


@dataclass(frozen=True, slots=True)
class MapRoute:
    """A route: drawn from where its truck starts through its stops in order, back to the depot
    (and back to it between trips)."""

    route_id: str
    title: str  # the truck's id, shown in tooltips
    start_lat: float
    start_lon: float
    stops: tuple[MapStop, ...]
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class MapMarker:
    """A held order: a hollow marker at its destination."""

    key: str
    lat: float
    lon: float
    tooltip: str
    town: str = ""  # labels the place on the map when given


@dataclass(frozen=True)
class MapData:
    """Everything one map shows: the depot, the routes (in colour order) and the held orders."""

    depot_name: str
    depot_lat: float
    depot_lon: float
    routes: tuple[MapRoute, ...] = ()
    held: tuple[MapMarker, ...] = ()
