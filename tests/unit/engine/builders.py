"""Builders for engine test states, and an independent checker of plans.

The checker recomputes travel from :func:`senga_desktop.gazetteer.haversine_km` (or plain Euclidean
geometry) rather than trusting the engine's travel model, and checks every promise a plan makes:
each order at most once, capacity in both dimensions, compatibility, windows, shifts (or trip
lengths), and ETAs no earlier than physically possible, overnight rests of multi-day trips included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from senga_desktop.domain import Priority
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.state import Belief, Depot, OrderState, PlanningState, TruckState
from senga_desktop.gazetteer import haversine_km, load_gazetteer

NOW = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
NAIROBI = Depot(name="Test depot", town="Nairobi", lat=-1.3090, lon=36.8480)


def town(name: str) -> tuple[float, float]:
    place = load_gazetteer().get(name)
    assert place is not None, name
    return place.latitude, place.longitude


def order(
    order_id: str,
    where: str = "Thika",
    *,
    kg: int = 500,
    dm3: int = 1000,
    opens: float | None = 0.0,
    closes: float | None = 24.0,
    handling: frozenset[str] = frozenset(),
    revenue: str = "10000",
    age_hours: float = 0.0,
    max_wait: float | None = None,
    priority: Priority = Priority.NORMAL,
    service: float | None = None,
) -> OrderState:
    """An order to ``where``; ``opens`` and ``closes`` are hours from NOW."""
    lat, lon = town(where)
    return OrderState(
        order_id=order_id,
        town=where,
        lat=lat,
        lon=lon,
        weight_kg=kg,
        volume_dm3=dm3,
        window_start=None if opens is None else NOW + timedelta(hours=opens),
        window_end=None if closes is None else NOW + timedelta(hours=closes),
        service_minutes=service,
        priority=priority,
        special_handling=handling,
        revenue_kes=Decimal(revenue),
        created_at=NOW - timedelta(hours=age_hours),
        max_wait_hours=max_wait,
    )


def truck(
    vehicle_id: str,
    kind: str = "medium",
    *,
    at: str | None = None,
    kg: int = 5000,
    dm3: int = 25000,
    caps: frozenset[str] = frozenset(),
    free_in: float = 0.0,
    shift: float | None = 12.0,
    days: int = 1,
    per_km: str = "55",
    per_hour: str = "500",
    fixed: str = "4500",
) -> TruckState:
    """A truck at the depot (or in town ``at``), free ``free_in`` hours from NOW, making trips
    of up to ``days`` days."""
    lat, lon = (NAIROBI.lat, NAIROBI.lon) if at is None else town(at)
    return TruckState(
        vehicle_id=vehicle_id,
        vehicle_type=kind,
        town=at or "Nairobi",
        lat=lat,
        lon=lon,
        free_from=NOW + timedelta(hours=free_in),
        capacity_kg=kg,
        capacity_dm3=dm3,
        capabilities=caps,
        cost_per_km=Decimal(per_km),
        cost_per_hour=Decimal(per_hour),
        fixed_cost=Decimal(fixed),
        shift_hours=shift,
        trip_days=days,
    )


def state(orders: list[OrderState], trucks: list[TruckState], **belief: Any) -> PlanningState:
    return PlanningState(
        now=NOW, depot=NAIROBI, orders=tuple(orders), trucks=tuple(trucks), belief=Belief(**belief)
    )


@dataclass
class Checker:
    """Checks a plan against a state with its own travel arithmetic; collects every breach."""

    state: PlanningState
    duration_factor: float = 1.0
    capacity_factor: float = 1.0
    problems: list[str] = field(default_factory=list)

    def seconds(self, a: tuple[str, float, float], b: tuple[str, float, float], kind: str) -> int:
        belief = self.state.belief
        if self.state.coordinates == "plane":
            return math.floor(10 * math.hypot(a[1] - b[1], a[2] - b[2]))
        factor = belief.factor(a[0], b[0])
        metres = round(haversine_km(a[1], a[2], b[1], b[2]) * factor * 1000)
        return math.floor(metres / (belief.speed_kmh(kind) / 3.6) * self.duration_factor)

    def rested(self, seconds: int, t: TruckState) -> int:
        """A leg's seconds with the overnight rests of a multi-day truck: one between each two
        working days the leg spans."""
        if t.trip_days == 1 or t.shift_hours is None or t.shift_hours >= 24:
            return seconds
        workday = round(t.shift_hours * 3600)
        rests = max(0, math.ceil(seconds / workday) - 1)
        return seconds + rests * (24 * 3600 - workday)

    def check(self, plan: Plan) -> list[str]:
        seen: set[str] = set()
        depot = (self.state.depot.town, self.state.depot.lat, self.state.depot.lon)
        loading = round(self.state.belief.loading_minutes * 60)
        for route in plan.routes:
            t = self.state.truck(route.vehicle_id)
            orders = [self.state.order(s.order_id) for s in route.stops]
            where = f"route of {t.vehicle_id}"
            self.expect(not seen & set(route.order_ids), f"{where} repeats an order")
            seen |= set(route.order_ids)
            kg = sum(o.weight_kg for o in orders)
            dm3 = sum(o.volume_dm3 for o in orders)
            self.expect(kg <= t.capacity_kg * self.capacity_factor, f"{where} over kg: {kg}")
            self.expect(dm3 <= t.capacity_dm3 * self.capacity_factor, f"{where} over dm3: {dm3}")
            self.expect(
                all(t.can_carry(o) for o in orders), f"{where} carries incompatible freight"
            )
            self.expect(route.start >= t.free_from, f"{where} starts before the truck is free")
            if t.shift_hours is not None:
                # A multi-day truck's cap is its trip length; a one-day truck's its shift.
                days = 24.0 * t.trip_days if t.trip_days > 1 else 0.0
                limit = timedelta(hours=max(t.shift_hours, days))
                self.expect(route.end - route.start <= limit, f"{where} exceeds its shift or trip")
            # Physically possible times, allowing 2 s for rounding of the integer model.
            slack = timedelta(seconds=2)
            here = (t.town, t.lat, t.lon)
            clock = route.start
            # The first leg runs start → depot, loading, depot → first stop without a break.
            first_leg = loading
            if (t.lat, t.lon) != (depot[1], depot[2]):
                first_leg += self.seconds(here, depot, t.vehicle_type)
            here = depot
            for stop, o in zip(route.stops, orders, strict=True):
                there = (o.town, o.lat, o.lon)
                leg = first_leg + self.seconds(here, there, t.vehicle_type)
                first_leg = 0
                earliest = clock + timedelta(seconds=self.rested(leg, t))
                self.expect(stop.arrival + slack >= earliest, f"{o.order_id} arrives too soon")
                self.expect(stop.eta >= stop.arrival, f"{o.order_id} served before arrival")
                if o.window_start is not None:
                    self.expect(stop.eta >= o.window_start, f"{o.order_id} served before window")
                if o.window_end is not None:
                    self.expect(stop.eta <= o.window_end, f"{o.order_id} served after window")
                service = o.service_minutes
                if service is None:
                    service = self.state.belief.service_minutes_per_stop
                self.expect(
                    abs(stop.departure - stop.eta - timedelta(minutes=service)) <= slack,
                    f"{o.order_id} service time wrong",
                )
                clock, here = stop.departure, there
            back = clock + timedelta(
                seconds=self.rested(self.seconds(here, depot, t.vehicle_type), t)
            )
            self.expect(route.end + slack >= back, f"{where} returns too soon")
            if t.return_by is not None:
                self.expect(route.end <= t.return_by, f"{where} returns too late")
        known = {o.order_id for o in self.state.orders}
        self.expect(seen <= known, "plan carries unknown orders")
        self.expect(set(plan.unassigned) == known - seen, "unassigned list is wrong")
        return self.problems

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.problems.append(message)
