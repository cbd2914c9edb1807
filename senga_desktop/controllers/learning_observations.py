"""What the learning engine is told about a completed route, built from its database rows.

A :class:`~senga_desktop.engine.learning.RouteObservation` is the route as driven: the legs from
the depot through every stop in order and back (a later trip passes the depot, where the truck
reloaded), the great-circle km of each leg, the driving minutes of a leg when the times at both
ends were recorded, the minutes spent at each stop likewise, the customers served, the number of
loadings, the truck type, and the route's actual distance, duration and km-dependent cost from
its outcome.

A route's start (``routes.actual_start``, the "departed" time) is when its clock starts as the
plan counts it, loading at the depot included, as its duration is counted from it: the first
leg's driving therefore starts ``loading_minutes`` later.

Times are optional: a route recorded stop by stop on the Outcomes screen has them, one imported
in bulk has only its totals. A leg or stop without both of its times is simply not measured;
the engine learns what it can from the rest.

A route that cannot be described (no stops, a stop without coordinates) raises
:class:`NotObservable` with a sentence for the manager; the fold flags the outcome with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import Customer, OperationalOutcome, Order, Route, RouteStop
from senga_desktop.engine.learning import Leg, RouteObservation, Visit
from senga_desktop.errors import SengaError
from senga_desktop.gazetteer import haversine_km

__all__ = ["DepotPlace", "NotObservable", "customers_of", "depot_place", "observe"]


class NotObservable(SengaError):
    """The route's rows do not describe a drive the engine can learn from; the message says
    why, in a sentence."""


@dataclass(frozen=True, slots=True)
class DepotPlace:
    """Where every route starts, reloads and ends."""

    town: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class _Point:
    town: str
    lat: float
    lon: float
    arrived: datetime | None
    departed: datetime | None


def depot_place(session: Session) -> DepotPlace:
    """The depot of the settings."""
    general = read_general(session)
    return DepotPlace(general.depot_town, general.depot_latitude, general.depot_longitude)


def customers_of(session: Session, routes: Sequence[Route]) -> dict[str, str]:
    """Customer id by order id for every order on ``routes``, in one query."""
    order_ids = sorted({oid for route in routes for stop in route.stops for oid in stop.order_ids})
    found: dict[str, str] = {}
    # Chunks keep the IN list within SQLite's limit on bound parameters.
    for start in range(0, len(order_ids), 500):
        chunk = order_ids[start : start + 500]
        rows = session.execute(
            select(Order.order_id, Customer.customer_id)
            .join(Customer, Order.customer_id == Customer.id)
            .where(Order.order_id.in_(chunk))
        )
        found.update(rows.all())
    return found


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    """Minutes from ``start`` to ``end`` when both were recorded and run forward; a time typed
    the wrong way round measures nothing rather than a negative drive."""
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 60


def _point(route: Route, stop: RouteStop) -> _Point:
    where = stop.location or {}
    try:
        lat, lon = float(where["lat"]), float(where["lon"])
    except (KeyError, TypeError, ValueError) as exc:
        raise NotObservable(
            f"Route {route.route_id}: stop {stop.sequence_order + 1} has no coordinates, so its "
            "legs cannot be measured."
        ) from exc
    town = str(where.get("name") or "").strip()
    if not town:
        raise NotObservable(f"Route {route.route_id}: stop {stop.sequence_order + 1} has no town.")
    return _Point(town, lat, lon, stop.actual_arrival, stop.actual_departure)


def _leg(start: _Point, end: _Point) -> Leg:
    km = haversine_km(start.lat, start.lon, end.lat, end.lon)
    return Leg(start.town, end.town, km, _minutes(start.departed, end.arrived))


def _legs(
    route: Route, stops: Sequence[RouteStop], depot: DepotPlace, loading_minutes: float
) -> tuple[Leg, ...]:
    """Depot -> stop 1 -> ... -> depot, through the depot again before each later trip.

    The reload times on a route's stops are the plan's, not measurements: the legs into and out
    of a reload are therefore not timed.
    """
    start = route.actual_start
    driving = start + timedelta(minutes=loading_minutes) if start is not None else None
    here = _Point(depot.town, depot.lat, depot.lon, None, driving)
    legs: list[Leg] = []
    trip = stops[0].trip
    for stop in stops:
        point = _point(route, stop)
        if stop.trip != trip:
            reload = _Point(depot.town, depot.lat, depot.lon, None, None)
            legs.append(_leg(here, reload))
            here, trip = reload, stop.trip
        legs.append(_leg(here, point))
        here = point
    legs.append(_leg(here, _Point(depot.town, depot.lat, depot.lon, route.actual_end, None)))
    return tuple(legs)


def _number(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def km_cost(outcome: OperationalOutcome, route: Route) -> float | None:
    """The actual cost less the truck's hourly and fixed costs; ``None`` when the cost was not
    measured (estimated from the truck's rate, as when no fuel cost was entered) or comes out
    negative (the total was smaller than the driver's hours and the fixed cost: a typing
    mistake, not a cost per km)."""
    breakdown: Mapping[str, Any] = (outcome.additional_metrics or {}).get("cost") or {}
    if breakdown.get("measured") is False:
        return None
    stated = _number(breakdown.get("km_cost_kes"))
    if stated is None:
        vehicle = route.vehicle
        hours = Decimal(outcome.actual_duration_minutes) / 60
        stated = (
            outcome.actual_cost_kes - vehicle.driver_cost_per_hour * hours - vehicle.fixed_cost_kes
        )
    return float(stated) if stated >= 0 else None


def _rate(outcome: OperationalOutcome, route: Route) -> float:
    """The truck's own cost per km the outcome was costed with (the completion keeps it)."""
    breakdown: Mapping[str, Any] = (outcome.additional_metrics or {}).get("cost") or {}
    stated = _number(breakdown.get("cost_per_km_kes"))
    return float(stated if stated is not None else route.vehicle.fuel_cost_per_km)


def observe(
    outcome: OperationalOutcome,
    route: Route,
    depot: DepotPlace,
    customers: Mapping[str, str],
    *,
    loading_minutes: float,
) -> RouteObservation:
    """The observation of ``route`` completed with ``outcome``; ``customers`` maps the route's
    order ids to customer ids (:func:`customers_of`); ``loading_minutes`` is the loading the
    route's clock starts with (the prior's). :class:`NotObservable` when the rows do not
    describe a drive."""
    stops = sorted(route.stops, key=lambda s: s.sequence_order)
    if not stops:
        raise NotObservable(f"Route {route.route_id} has no stops to learn from.")
    visits = tuple(
        Visit(
            _customer(stop, customers),
            _minutes(stop.actual_arrival, stop.actual_departure),
        )
        for stop in stops
    )
    return RouteObservation(
        key=outcome.outcome_id,
        vehicle_type=route.vehicle.vehicle_type,
        legs=_legs(route, stops, depot, loading_minutes),
        visits=visits,
        loadings=len({stop.trip for stop in stops}),
        distance_km=float(outcome.actual_distance_km),
        duration_minutes=float(outcome.actual_duration_minutes),
        km_cost_kes=km_cost(outcome, route),
        cost_per_km_kes=_rate(outcome, route),
    )


def _customer(stop: RouteStop, customers: Mapping[str, str]) -> str:
    for order_id in stop.order_ids:
        if order_id in customers:
            return customers[order_id]
    # An order no longer in the database: its stop still took time, but belongs to nobody
    # known, so it counts only towards the service time of every stop.
    return f"(unknown: {stop.stop_id})"
