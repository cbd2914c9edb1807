"""Turn the plan read models (:mod:`senga_desktop.controllers.plan_views`) into :class:`MapData`.

Tooltips are written here, in the depot's time zone, so every screen that shows a map (planning,
routes, decisions) tells the same story about a stop: truck, stop number, town, customers,
orders, ETA against the window, and what is still on board after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from senga_desktop.controllers.plan_views import DepotPoint, HeldView, RouteView, StopView
from senga_desktop.ui.widgets.map.data import MapData, MapMarker, MapRoute, MapStop

__all__ = ["held_tooltip", "map_data", "route_tooltip", "stop_tooltip"]

_FALLBACK_ZONE = "Africa/Nairobi"
_DASH = "\u2013"  # en dash, for time ranges


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(_FALLBACK_ZONE)


def _clock(moment: datetime | None, zone: tzinfo, reference: datetime | None = None) -> str:
    """``14:20`` in the depot's zone; with the day when it is not the reference's day."""
    if moment is None:
        return "—"
    local = moment.astimezone(zone)
    if reference is not None and reference.astimezone(zone).date() == local.date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


def _number(value: Decimal, places: int = 1) -> str:
    return f"{value:,.{places}f}"


def _hours(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _window(stop: StopView, zone: tzinfo, reference: datetime | None) -> str:
    if stop.window_start is None and stop.window_end is None:
        return "no window"
    start = _clock(stop.window_start, zone, reference) if stop.window_start else "any time"
    end = (
        _clock(stop.window_end, zone, stop.window_start or reference) if stop.window_end else "open"
    )
    return f"window {start}{_DASH}{end}"


def stop_tooltip(route: RouteView, stop: StopView, zone: tzinfo) -> str:
    """The hover text of one stop."""
    reference = route.departure or stop.eta
    trip = f" · trip {stop.trip + 1} of {route.trip_count}" if route.trip_count > 1 else ""
    lines = [
        f"{route.vehicle_id} · stop {stop.sequence} of {len(route.stops)}{trip}",
        stop.town,
    ]
    if stop.customers:
        lines.append(", ".join(dict.fromkeys(stop.customers)))
    if stop.order_ids:
        label = "Order" if len(stop.order_ids) == 1 else "Orders"
        lines.append(f"{label}: {', '.join(stop.order_ids)}")
    eta = f"ETA {_clock(stop.eta, zone, reference)}, {_window(stop, zone, stop.eta or reference)}"
    if stop.late:
        eta += " — LATE"
    lines.append(eta)
    lines.append(
        f"Delivers {_number(stop.weight_tonnes)} t · {_number(stop.volume_m3)} m³; "
        f"on board after: {_number(stop.load_after_tonnes)} t · {_number(stop.load_after_m3)} m³"
    )
    if stop.special_handling:
        lines.append("Handling: " + ", ".join(stop.special_handling))
    return "\n".join(lines)


def route_tooltip(route: RouteView, zone: tzinfo) -> str:
    """The hover text of a route's line."""
    towns = " → ".join(route.towns) if route.towns else "no stops"
    lines = [
        f"{route.vehicle_id} ({route.vehicle_type}) · {len(route.stops)} stops",
        f"From {route.start_town}: {towns} → depot",
        f"{_number(route.load_tonnes)} of {_number(route.capacity_tonnes)} t "
        f"({route.weight_share:.0%}) · {_number(route.load_m3)} of {_number(route.capacity_m3)} m³ "
        f"({route.volume_share:.0%})",
        f"{_number(route.distance_km, 0)} km by road · {_hours(route.duration_minutes)} · "
        f"cost KES {_number(route.cost_kes, 0)}",
        f"Leaves {_clock(route.departure, zone)}, "
        f"back {_clock(route.return_at, zone, route.departure)}",
    ]
    if route.reloads:
        backs = ", ".join(_clock(r.arrival, zone, route.departure) for r in route.reloads)
        lines.append(f"{route.trip_count} trips: back at the depot to reload at {backs}")
    if route.attention:
        lines.append(f"Attention: {route.attention}")
    return "\n".join(lines)


def held_tooltip(held: HeldView, zone: tzinfo) -> str:
    """The hover text of a held order's marker."""
    lines = [
        f"Held: {held.order_id} — {held.customer}" if held.customer else f"Held: {held.order_id}",
        f"{held.town} · {_number(held.weight_tonnes)} t · {_number(held.volume_m3)} m³",
    ]
    if held.window_end is not None:
        lines.append(f"Window closes {_clock(held.window_end, zone)}")
    if held.message:
        lines.append(held.message)
    return "\n".join(lines)


def map_data(
    depot: DepotPoint, routes: Sequence[RouteView], held: Sequence[HeldView] = ()
) -> MapData:
    """The map of a plan, or of routes on the Routes screen; route ``i`` gets ``route_color(i)``."""
    zone = _zone(depot.time_zone)
    map_routes = tuple(
        MapRoute(
            route_id=route.route_id,
            title=route.vehicle_id,
            start_lat=route.start_lat,
            start_lon=route.start_lon,
            stops=tuple(
                MapStop(
                    stop.sequence,
                    stop.lat,
                    stop.lon,
                    stop.town,
                    stop_tooltip(route, stop, zone),
                    stop.trip,
                )
                for stop in route.stops
            ),
            tooltip=route_tooltip(route, zone),
        )
        for route in routes
    )
    markers = tuple(
        MapMarker(item.order_id, item.lat, item.lon, held_tooltip(item, zone), item.town)
        for item in held
    )
    return MapData(depot.name, depot.lat, depot.lon, map_routes, markers)
