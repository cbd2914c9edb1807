"""The demo depot's last four weeks: completed routes and what really happened on them.

A newcomer who opens the demo should see an Outcomes screen with history, and an engine that has
already learned something from it. The history is drawn from a hidden "true" depot that differs
from the planning defaults the way real Kenyan depots do — the Nakuru and Eldoret highway longer
and slower than its straight line suggests, heavy trucks slower on the climbs, the supermarket's
distribution centre slow to unload, diesel dearer for the big trucks — so the learned belief
moves where a dispatcher would expect it to.

Every route is written the way the screen writes one: committed (``planned``) with its orders
assigned, then completed through :func:`~senga_desktop.controllers.outcome_records.finish_route`
with its stop times recorded. The estimates are what planning predicts with the defaults
(great-circle distance x 1.3, the truck's speed by size, 20 minutes a stop, 30 minutes loading).
Deterministic (a fixed seed) and idempotent: nothing is added when the history exists already.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from senga_desktop.controllers.demo_data import (
    CUSTOMERS,
    DEMO_DEPOT,
    DEPOT_TZ,
    ROAD_FACTOR,
    TRUCKS,
    street_address,
)
from senga_desktop.controllers.outcome_records import OrderResult, RouteActuals, finish_route
from senga_desktop.controllers.planning_state import speed_for_capacity
from senga_desktop.db.models import Customer, Order, Route, RouteStop, Vehicle
from senga_desktop.domain import (
    FailureReason,
    OrderStatus,
    Priority,
    RouteStatus,
    StopResult,
    StopType,
    VehicleStatus,
)
from senga_desktop.gazetteer import haversine_km

__all__ = ["HISTORY_PREFIX", "seed_history"]

SEED = 20261207
HISTORY_PREFIX = "RT-HIST-"
HISTORY_DAYS = 28  # calendar days back from today; Sundays are rest days
ROUTES_PER_DAY = 3
SERVICE_MINUTES = 20.0  # the planning default per stop
LOADING_MINUTES = 30.0  # the planning default at the depot
FAILURE_SHARE = 0.04  # deliveries that fail (customer absent, mostly)

# Where the depot's trucks go, by truck kind: a route serves one cluster of towns.
CLUSTERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "light": (("Thika", "Ruiru"), ("Kiambu", "Limuru"), ("Athi River", "Kitengela"), ("Nairobi",)),
    "medium": (("Machakos", "Athi River"), ("Nyeri", "Karatina"), ("Murang'a", "Thika")),
    "heavy": (("Nakuru", "Naivasha"), ("Eldoret", "Nakuru"), ("Meru", "Embu")),
    "semi": (("Mombasa", "Voi"), ("Kisumu", "Kericho")),
}

# The hidden truth. Road distance per great-circle km where it is not the default 1.3.
TRUE_ROAD_FACTORS: dict[frozenset[str], float] = {
    frozenset({"Nairobi", "Nakuru"}): 1.45,
    frozenset({"Nakuru", "Eldoret"}): 1.5,
    frozenset({"Nairobi", "Mombasa"}): 1.2,
    frozenset({"Nairobi", "Nyeri"}): 1.4,
}
TRUE_SPEED_SHARE = {"light": 0.85, "medium": 0.95, "heavy": 0.8, "semi": 1.05}  # of planned
TRUE_SERVICE_MINUTES = {"Jamii Supermarkets Ltd": 45.0, "Kilimo Grain Millers Ltd": 40.0}
TRUE_FUEL_SHARE = {"heavy": 1.15, "semi": 1.1}  # diesel per km against the truck's rate


@dataclass(frozen=True)
class _Place:
    town: str
    lat: float
    lon: float


def seed_history(session: Session, *, now: datetime) -> int:
    """Add the demo's completed routes (inside the caller's unit of work); how many were added.

    Needs the demo's customers and trucks in ``session`` already.
    """
    if session.scalar(select(Route.id).where(Route.route_id.like(f"{HISTORY_PREFIX}%")).limit(1)):
        return 0
    rng = random.Random(SEED)
    customers = {c.customer_name: c for c in session.scalars(select(Customer))}
    trucks = {v.registration_plate: v for v in session.scalars(select(Vehicle))}
    at_depot = [t for t in TRUCKS if t.town is None and t.status is VehicleStatus.AVAILABLE]
    today = now.astimezone(DEPOT_TZ).date()
    added = 0
    for back in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() == 6:
            continue
        for number, spec in enumerate(rng.sample(at_depot, ROUTES_PER_DAY)):
            truck = trucks.get(spec.plate)
            if truck is None:
                continue
            where = _Slot(truck, spec.kind, day, number)
            _add_route(session, rng, where, customers, now=now)
            added += 1
    return added


@dataclass(frozen=True)
class _Slot:
    """One route of the history: which truck (of which kind) drove it, on which day."""

    truck: Vehicle
    kind: str
    day: date
    number: int  # of the day's routes


def _add_route(
    session: Session,
    rng: random.Random,
    slot: _Slot,
    customers: dict[str, Customer],
    *,
    now: datetime,
) -> None:
    truck, kind, day, number = slot.truck, slot.kind, slot.day, slot.number
    route_id = f"{HISTORY_PREFIX}{day:%Y%m%d}-{number + 1}"
    towns = rng.choice(CLUSTERS[kind])
    stops = rng.randint(1, 3) if kind in ("heavy", "semi") else rng.randint(2, 4)
    places: list[tuple[_Place, Order]] = []
    for index in range(stops):
        town = towns[index % len(towns)]
        profile = rng.choice([c for c in CUSTOMERS if not c.towns or town in c.towns])
        customer = customers.get(profile.name)
        if customer is None:
            continue
        where = street_address(rng, town)
        order = _order(rng, route_id, index, customer, where, slot)
        session.add(order)
        places.append((_Place(town, where["lat"], where["lon"]), order))
    if not places:
        return
    depot = _Place("Nairobi", DEMO_DEPOT.lat, DEMO_DEPOT.lon)
    visited = [p for p, _ in places]
    legs = list(zip([depot, *visited], [*visited, depot], strict=True))
    planned_speed = speed_for_capacity(truck.capacity_weight_tonnes)
    true_speed = planned_speed * TRUE_SPEED_SHARE[kind]
    start = datetime.combine(day, time(7, 0), DEPOT_TZ).astimezone(UTC)
    planned_km = sum(ROAD_FACTOR * _km(a, b) for a, b in legs)
    true_km = [_true_factor(a, b) * _km(a, b) * rng.lognormvariate(0, 0.03) for a, b in legs]
    route = Route(
        route_id=route_id,
        vehicle=truck,
        order_ids=[o.order_id for _, o in places],
        destination_cities=sorted({p.town for p, _ in places}),
        total_distance_km=_quantity(planned_km),
        estimated_duration_minutes=round(
            LOADING_MINUTES + planned_km / planned_speed * 60 + SERVICE_MINUTES * len(places)
        ),
        estimated_cost_kes=Decimal(0),
        status=RouteStatus.PLANNED,
        planned_start=start,
    )
    route.estimated_cost_kes = _money(
        truck.fuel_cost_per_km * _quantity(planned_km)
        + truck.driver_cost_per_hour * Decimal(route.estimated_duration_minutes) / 60
        + truck.fixed_cost_kes
    )
    session.add(route)
    for _, order in places:
        order.assigned_route = route
    planned_clock = true_clock = start + timedelta(minutes=LOADING_MINUTES)
    results: list[OrderResult] = []
    for index, ((place, order), km) in enumerate(zip(places, true_km, strict=False)):
        a, b = legs[index]
        planned_clock += timedelta(hours=ROAD_FACTOR * _km(a, b) / planned_speed)
        true_clock += timedelta(hours=km / true_speed * rng.lognormvariate(0, 0.08))
        dwell = TRUE_SERVICE_MINUTES.get(order.customer.customer_name, SERVICE_MINUTES)
        dwell *= rng.lognormvariate(0, 0.15)
        failed = rng.random() < FAILURE_SHARE
        late = max(0, math.ceil((true_clock - order.time_window_end).total_seconds() / 60))
        result = StopResult.FAILED if failed else StopResult.DELIVERED_LATE if late else None
        route.stops.append(
            RouteStop(
                stop_id=f"{route_id}-S{index + 1}",
                order_ids=[order.order_id],
                location={"name": place.town, "lat": place.lat, "lon": place.lon},
                stop_type=StopType.DELIVERY,
                sequence_order=index,
                estimated_arrival=planned_clock,
                estimated_departure=planned_clock + timedelta(minutes=SERVICE_MINUTES),
                actual_arrival=true_clock,
                actual_departure=true_clock + timedelta(minutes=dwell),
                result=result or StopResult.DELIVERED,
                failure_reason=FailureReason.CUSTOMER_ABSENT if failed else None,
            )
        )
        results.append(
            OrderResult(
                order.order_id,
                result or StopResult.DELIVERED,
                minutes_late=late if not failed else 0,
                failure_reason=FailureReason.CUSTOMER_ABSENT if failed else None,
            )
        )
        planned_clock += timedelta(minutes=SERVICE_MINUTES)
        true_clock += timedelta(minutes=dwell)
    true_clock += timedelta(hours=true_km[-1] / true_speed * rng.lognormvariate(0, 0.08))
    session.flush()
    _finish(session, route, slot, (start, true_clock), sum(true_km), results, now=now)


def _finish(  # noqa: PLR0917 - the route as it was driven, passed on
    session: Session,
    route: Route,
    slot: _Slot,
    times: tuple[datetime, datetime],
    km: float,
    results: Sequence[OrderResult],
    *,
    now: datetime,
) -> None:
    truck, kind = slot.truck, slot.kind
    start, end = times
    minutes = round((end - start).total_seconds() / 60)
    fuel = truck.fuel_cost_per_km * _quantity(km) * Decimal(str(TRUE_FUEL_SHARE.get(kind, 1.0)))
    cost = fuel + truck.driver_cost_per_hour * Decimal(minutes) / 60 + truck.fixed_cost_kes
    route.actual_start = start
    route.departure_odometer_km = Decimal(40_000 + route.id * 37)
    route.return_odometer_km = route.departure_odometer_km + _quantity(km)
    route.fuel_cost_kes = _money(fuel)
    actuals = RouteActuals(
        distance_km=_quantity(km),
        duration_minutes=minutes,
        cost_kes=_money(cost),
        departed_at=start,
        returned_at=end,
    )
    finish_route(
        session,
        route,
        actuals,
        results,
        failed_to=OrderStatus.CANCELLED,  # an old failure is not today's pending work
        recorded_by=None,
        now=min(now, end + timedelta(hours=2)),
    )


def _order(  # noqa: PLR0917 - one order of the route being built
    rng: random.Random,
    route_id: str,
    index: int,
    customer: Customer,
    where: dict[str, Any],
    slot: _Slot,
) -> Order:
    truck, day = slot.truck, slot.day
    tonnes = min(float(truck.capacity_weight_tonnes) / 4, rng.uniform(0.3, 3.0))
    opens = datetime.combine(day, time(8, 0), DEPOT_TZ).astimezone(UTC)
    price = 3500 + 16 * tonnes * ROAD_FACTOR * haversine_km(
        DEMO_DEPOT.lat, DEMO_DEPOT.lon, where["lat"], where["lon"]
    )
    return Order(
        order_id=f"ORD-HIST-{route_id.removeprefix(HISTORY_PREFIX)}-{index + 1}",
        customer=customer,
        pickup_location=DEMO_DEPOT.as_location(),
        destination_city=where["name"],
        destination_location=where,
        weight_tonnes=_quantity(tonnes),
        volume_m3=_quantity(tonnes * 3),
        time_window_start=opens,
        time_window_end=opens + timedelta(hours=rng.choice((6, 8, 10))),
        priority=Priority.NORMAL,
        special_handling=[],
        price_kes=Decimal(round(price)),
        status=OrderStatus.ASSIGNED,
        created_at=opens - timedelta(days=1),
    )


def _km(a: _Place, b: _Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _true_factor(a: _Place, b: _Place) -> float:
    return TRUE_ROAD_FACTORS.get(frozenset({a.town, b.town}), ROAD_FACTOR)


def _quantity(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
