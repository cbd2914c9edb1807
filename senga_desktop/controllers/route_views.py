"""Routes as screens read them: ORM routes with their stops and orders → :class:`RouteView`.

:func:`load_route_views` reads everything a set of routes needs in a fixed number of statements
whatever the number of routes (their trucks, stops, decisions and every order with its customer),
then :func:`route_view` builds each view from rows already in the session.

Where a route starts: the truck's position *when the route was planned*, as the decision's state
snapshot recorded it (the engine routes from there, through the depot to load, to the stops). A
route without a decision — or a snapshot that does not name its truck — falls back to the truck's
``current_location``, which is where it will start for a route not yet begun, but may have moved
on for an old one. When it returns: ``planned_start + estimated_duration_minutes``, the figure the
engine stored (the duration runs from the start to the end back at the depot).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, joinedload, load_only
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from senga_desktop.controllers.plan_views import ReloadView, RouteView, StopView
from senga_desktop.db.models import Decision, Order, Route, RouteStop, Vehicle

__all__ = [
    "StartPoint",
    "load_orders",
    "load_route_views",
    "route_view",
    "snapshot_starts",
]

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class StartPoint:
    """Where a truck was when a route was planned for it."""

    town: str
    lat: float
    lon: float


def snapshot_starts(snapshot: Mapping[str, Any] | None) -> dict[str, StartPoint]:
    """Each truck's position in a decision's stored state snapshot, by vehicle id."""
    state = (snapshot or {}).get("state") or {}
    starts: dict[str, StartPoint] = {}
    for truck in state.get("trucks") or ():
        try:
            starts[str(truck["vehicle_id"])] = StartPoint(
                str(truck["town"]), float(truck["lat"]), float(truck["lon"])
            )
        except (KeyError, TypeError, ValueError):
            continue  # a malformed entry: the truck's current location stands in
    return starts


def _current_start(vehicle: Vehicle) -> StartPoint:
    where = vehicle.current_location or {}
    try:
        return StartPoint(
            str(where.get("name") or ""), float(where.get("lat", 0.0)), float(where.get("lon", 0.0))
        )
    except (TypeError, ValueError):
        return StartPoint(str(where.get("name") or ""), 0.0, 0.0)


def _stop_view(
    stop: RouteStop, orders: Mapping[str, Order], on_board: tuple[Decimal, Decimal]
) -> StopView:
    found = [orders[o] for o in stop.order_ids if o in orders]
    where = stop.location or {}
    starts = [o.time_window_start for o in found if o.time_window_start is not None]
    ends = [o.time_window_end for o in found if o.time_window_end is not None]
    handling = sorted({h for o in found for h in (o.special_handling or ())})
    tonnes, m3 = on_board
    return StopView(
        sequence=stop.sequence_order + 1,
        order_ids=tuple(stop.order_ids),
        customers=tuple(
            orders[o].customer.customer_name if o in orders else "" for o in stop.order_ids
        ),
        town=str(where.get("name", "")),
        lat=float(where.get("lat", 0.0)),
        lon=float(where.get("lon", 0.0)),
        eta=stop.estimated_arrival,
        departure=stop.estimated_departure,
        window_start=max(starts) if starts else None,
        window_end=min(ends) if ends else None,
        weight_tonnes=sum((o.weight_tonnes for o in found), ZERO),
        volume_m3=sum((o.volume_m3 for o in found), ZERO),
        load_after_tonnes=tonnes,
        load_after_m3=m3,
        special_handling=tuple(handling),
        revenue_kes=sum((o.price_kes for o in found), ZERO),
        trip=stop.trip,
    )


def _reloads(stops: Sequence[RouteStop]) -> tuple[ReloadView, ...]:
    """The returns to the depot to reload: one before the first stop of each later trip."""
    views, trip = [], 0
    for stop in stops:
        if stop.trip > trip:
            views.append(ReloadView(stop.trip, stop.reload_arrival, stop.reload_departure))
            trip = stop.trip
    return tuple(views)


def route_view(
    route: Route, orders: Mapping[str, Order], *, start: StartPoint | None = None
) -> RouteView:
    """The view of one route; ``orders`` must hold its orders with their customers loaded.

    ``start`` is where the truck was when the route was planned (see the module docstring);
    ``None`` takes the truck's current location. Orders missing from ``orders`` (deleted since)
    count for nothing and show no customer.
    """
    vehicle = route.vehicle
    stops = sorted(route.stops, key=lambda s: s.sequence_order)
    loads: dict[int, tuple[Decimal, Decimal]] = {}  # what each trip loads at the depot
    for stop in stops:
        mine = [orders[o] for o in stop.order_ids if o in orders]
        kg, m3 = loads.get(stop.trip, (ZERO, ZERO))
        loads[stop.trip] = (
            kg + sum((o.weight_tonnes for o in mine), ZERO),
            m3 + sum((o.volume_m3 for o in mine), ZERO),
        )
    tonnes = max((t for t, _ in loads.values()), default=ZERO)
    m3 = max((v for _, v in loads.values()), default=ZERO)
    views: list[StopView] = []
    on_board = dict(loads)  # loaded at the depot, lighter after every stop
    for stop in stops:
        delivered = [orders[o] for o in stop.order_ids if o in orders]
        left_t, left_m3 = on_board[stop.trip]
        left_t -= sum((o.weight_tonnes for o in delivered), ZERO)
        left_m3 -= sum((o.volume_m3 for o in delivered), ZERO)
        on_board[stop.trip] = (left_t, left_m3)
        views.append(_stop_view(stop, orders, (left_t, left_m3)))
    start = start or _current_start(vehicle)
    departure = route.planned_start
    return RouteView(
        route_id=route.route_id,
        vehicle_id=vehicle.vehicle_id,
        vehicle_type=vehicle.vehicle_type,
        status=route.status,
        decision_id=route.decision.decision_id if route.decision is not None else None,
        start_town=start.town,
        start_lat=start.lat,
        start_lon=start.lon,
        stops=tuple(views),
        load_tonnes=tonnes,
        load_m3=m3,
        capacity_tonnes=vehicle.capacity_weight_tonnes,
        capacity_m3=vehicle.capacity_volume_m3,
        distance_km=route.total_distance_km,
        duration_minutes=route.estimated_duration_minutes,
        cost_kes=route.estimated_cost_kes,
        revenue_kes=sum((v.revenue_kes for v in views), ZERO),
        departure=departure,
        return_at=(
            departure + timedelta(minutes=route.estimated_duration_minutes)
            if departure is not None
            else None
        ),
        attention=route.attention_reason,
        reloads=_reloads(stops),
    )


def load_orders(session: Session, order_ids: Iterable[str]) -> dict[str, Order]:
    """The orders with these ids and their customers, in one statement, by order id."""
    wanted = sorted(set(order_ids))
    if not wanted:
        return {}
    rows = session.scalars(
        select(Order).options(joinedload(Order.customer)).where(Order.order_id.in_(wanted))
    ).all()
    return {o.order_id: o for o in rows}


def _missing(session: Session, model: type[Any], ids: Iterable[int | None]) -> list[int]:
    """The ids of ``model`` rows not in the session yet."""
    return sorted(
        {i for i in ids if i is not None and identity_key(model, i) not in session.identity_map}
    )


def _preload(session: Session, routes: Sequence[Route], *, snapshots: bool) -> list[object]:
    """Put every truck, decision and stop the routes need into the session, a statement each,
    so building the views runs no further SQL (many-to-one loads hit the identity map).
    Decisions' big snapshots are read only when ``snapshots`` is true. The caller keeps the
    returned rows alive: the identity map holds them only weakly."""
    kept: list[object] = []
    vehicle_ids = _missing(session, Vehicle, (r.vehicle_id for r in routes))
    if vehicle_ids:
        kept += session.scalars(select(Vehicle).where(Vehicle.id.in_(vehicle_ids))).all()
    decision_ids = _missing(session, Decision, (r.decision_id for r in routes))
    if decision_ids:
        query = select(Decision).where(Decision.id.in_(decision_ids))
        if not snapshots:
            query = query.options(load_only(Decision.id, Decision.decision_id))
        kept += session.scalars(query).all()
    bare = [r for r in routes if "stops" in inspect(r).unloaded]
    if bare:
        by_route: dict[int, list[RouteStop]] = {r.id: [] for r in bare}
        for stop in session.scalars(
            select(RouteStop)
            .where(RouteStop.route_id.in_(by_route))
            .order_by(RouteStop.route_id, RouteStop.sequence_order)
        ):
            by_route[stop.route_id].append(stop)
        for route in bare:
            set_committed_value(route, "stops", by_route[route.id])
    return kept


def load_route_views(
    session: Session,
    routes: Sequence[Route],
    *,
    starts: Mapping[str, StartPoint] | None = None,
) -> list[RouteView]:
    """Views of ``routes`` (in the given order) in a fixed number of statements.

    ``starts`` (by vehicle id) overrides where each truck started, for a caller that has the
    decision's snapshot at hand already; otherwise each route's decision snapshot is read.
    """
    if not routes:
        return []
    kept = _preload(session, routes, snapshots=starts is None)
    orders = load_orders(session, (o for r in routes for s in r.stops for o in s.order_ids))
    by_decision: dict[int, dict[str, StartPoint]] = {}
    views = []
    for route in routes:
        start: StartPoint | None = None
        vehicle_id = route.vehicle.vehicle_id
        if starts is not None:
            start = starts.get(vehicle_id)
        elif route.decision is not None:
            if route.decision.id not in by_decision:
                by_decision[route.decision.id] = snapshot_starts(route.decision.state_snapshot)
            start = by_decision[route.decision.id].get(vehicle_id)
        views.append(route_view(route, orders, start=start))
    del kept  # the trucks and decisions may go once the views are built
    return views
