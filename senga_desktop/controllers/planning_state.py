"""Reading the planning state S_t out of the database: pending orders, free trucks, the depot.

Alongside the engine's :class:`~senga_desktop.engine.state.PlanningState` it records the version
of every order and truck it read, so committing a decision can tell whether any of them changed
since (a stale decision).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, joinedload

from senga_desktop.controllers.fleet_rules import can_carry
from senga_desktop.controllers.learning import current_belief
from senga_desktop.controllers.settings import read_general
from senga_desktop.controllers.settings_trips import TripSettings, read_trips
from senga_desktop.db.models import Order, Vehicle
from senga_desktop.domain import OrderStatus, SpecialHandling, VehicleStatus
from senga_desktop.engine.learning import LearnedBelief
from senga_desktop.engine.policies.dla import hourly_rates
from senga_desktop.engine.state import Belief, Depot, OrderState, PlanningState, TruckState
from senga_desktop.errors import ValidationError

__all__ = [
    "NO_ORDERS",
    "STATUS_WORDS",
    "LearnedTerms",
    "PlanScope",
    "StateSnapshot",
    "arrival_rates",
    "check_plannable",
    "fleet_counts",
    "no_truck_message",
    "read_state",
    "speed_for_capacity",
]

THOUSAND = Decimal(1000)
ARRIVAL_HISTORY = timedelta(days=28)  # orders this recent set the expected arrival rates


def speed_for_capacity(tonnes: Decimal) -> float:
    """Average speed on Kenyan roads by truck size: heavier trucks climb and queue slower."""
    if tonnes <= Decimal("3.5"):
        return 60.0
    if tonnes <= Decimal(7):
        return 55.0
    if tonnes <= Decimal(15):
        return 50.0
    return 45.0


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PlanScope:
    """Which orders and trucks take part in a run; every field narrows, the defaults take all.

    ``towns``: destination towns (empty: every town). ``due_before``: orders whose delivery window
    ends before this moment (every order has a window — ``time_window_end`` is required — so
    none is left out for lacking one). ``order_ids``: exactly these pending orders (``None``:
    all). ``vehicle_ids``: these trucks, of those available (``None``: every available truck).
    """

    towns: frozenset[str] = frozenset()
    due_before: datetime | None = None
    order_ids: frozenset[str] | None = None
    vehicle_ids: frozenset[str] | None = None

    @property
    def narrows_orders(self) -> bool:
        return bool(self.towns) or self.due_before is not None or self.order_ids is not None

    def describe_orders(self, time_zone: str) -> str:
        """The order filter in words, e.g. "to Nakuru or Thika, due before Mon 18:00"."""
        parts = []
        if self.towns:
            parts.append("to " + " or ".join(sorted(self.towns)))
        if self.due_before is not None:
            local = self.due_before.astimezone(ZoneInfo(time_zone))
            parts.append(f"due before {local:%a %d %b %H:%M}")
        if self.order_ids is not None:
            parts.append(f"among the {len(self.order_ids)} chosen")
        return ", ".join(parts)


@dataclass(frozen=True)
class StateSnapshot:
    """The engine's state, the versions of the rows it was read from and the version of the
    learned belief it plans with (``None``: nothing learned yet, today's defaults)."""

    state: PlanningState
    order_versions: Mapping[str, int]
    vehicle_versions: Mapping[str, int]
    belief_version: int | None = None
    #: What that belief changes in rows read later for the same run (not stored: the state is).
    learned: LearnedTerms | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.to_json(),
            "versions": {
                "orders": dict(self.order_versions),
                "vehicles": dict(self.vehicle_versions),
            },
            "belief_version": self.belief_version,
        }

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> StateSnapshot:
        versions = document.get("versions", {})
        return cls(
            PlanningState.from_json(document["state"]),
            dict(versions.get("orders", {})),
            dict(versions.get("vehicles", {})),
            document.get("belief_version"),
        )


class LearnedTerms:
    """What the learned belief changes in the rows read, beyond the belief's own numbers: the
    service time of each customer with history of its own, each truck type's cost per km."""

    def __init__(self, belief: LearnedBelief) -> None:
        self._belief = belief
        self._customers = frozenset(
            e.key for e in belief.estimates() if e.kind == "customer_service"
        )

    def service_of(self, customer_id: str) -> float | None:
        """The customer's learned minutes at a stop; ``None``: the belief's per stop."""
        return self._belief.service_minutes(customer_id) if customer_id in self._customers else None

    def cost_per_km(self, vehicle: Vehicle) -> Decimal:
        """The truck's own rate times what its type's outcomes taught (1.0 before any)."""
        factor = Decimal(repr(self._belief.cost_factor(vehicle.vehicle_type)))
        return (vehicle.fuel_cost_per_km * factor).quantize(Decimal("0.01"))


def _order_state(order: Order, learned: LearnedTerms | None = None) -> OrderState:
    where = order.destination_location or {}
    max_wait = (order.customer.constraints or {}).get("max_wait_hours")
    return OrderState(
        order_id=order.order_id,
        town=order.destination_city,
        lat=float(where.get("lat", 0.0)),
        lon=float(where.get("lon", 0.0)),
        weight_kg=_whole(order.weight_tonnes * THOUSAND),
        volume_dm3=_whole(order.volume_m3 * THOUSAND),
        window_start=order.time_window_start,
        window_end=order.time_window_end,
        priority=order.priority,
        special_handling=frozenset(order.special_handling or ()),
        revenue_kes=order.price_kes,
        service_minutes=learned.service_of(order.customer.customer_id) if learned else None,
        created_at=order.created_at,
        max_wait_hours=float(max_wait) if max_wait is not None else None,
    )


def _handling_served(capabilities: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Every special handling the truck can serve, by the fleet's rules (a reefer is covered,
    fragile goods need no special truck), so the engine's "handling ⊆ capabilities" holds."""
    return frozenset(h.value for h in SpecialHandling if can_carry(capabilities, h.value))


def _truck_state(
    vehicle: Vehicle,
    now: datetime,
    depot: Depot,
    trips: TripSettings | None = None,
    learned: LearnedTerms | None = None,
) -> TruckState:
    where = vehicle.current_location or {}
    free_from = max(vehicle.available_at or now, now)
    return TruckState(
        vehicle_id=vehicle.vehicle_id,
        vehicle_type=vehicle.vehicle_type,
        town=str(where.get("name") or depot.town),
        lat=float(where.get("lat", depot.lat)),
        lon=float(where.get("lon", depot.lon)),
        free_from=free_from,
        capacity_kg=_whole(vehicle.capacity_weight_tonnes * THOUSAND),
        capacity_dm3=_whole(vehicle.capacity_volume_m3 * THOUSAND),
        capabilities=_handling_served(vehicle.capabilities or ()),
        cost_per_km=learned.cost_per_km(vehicle) if learned else vehicle.fuel_cost_per_km,
        cost_per_hour=vehicle.driver_cost_per_hour,
        fixed_cost=vehicle.fixed_cost_kes,
        shift_hours=float(vehicle.max_shift_hours),
        trip_days=vehicle.max_trip_days,
        # Reloading between trips is for one-day trucks; a multi-day trip is one long trip.
        max_trips=(trips or TripSettings()).for_type(vehicle.vehicle_type)
        if vehicle.max_trip_days == 1
        else 1,
    )


def arrival_rates(session: Session, now: datetime) -> dict[str, float]:
    """Orders per hour by destination town over the last :data:`ARRIVAL_HISTORY` (cancelled
    orders too: they arrived all the same), by the engine's rule (:func:`hourly_rates`)."""
    since = now - ARRIVAL_HISTORY
    rows = session.execute(
        select(Order.destination_city, func.count(), func.min(Order.created_at))
        .where(Order.created_at > since, Order.created_at <= now)
        .group_by(Order.destination_city)
    ).all()
    if not rows:
        return {}
    first = min(row[2] for row in rows)
    return hourly_rates({town: count for town, count, _ in rows}, first, now)


def _order_filter(scope: PlanScope) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Order.status == OrderStatus.PENDING]
    if scope.towns:
        where.append(Order.destination_city.in_(sorted(scope.towns)))
    if scope.due_before is not None:
        where.append(Order.time_window_end < scope.due_before)
    if scope.order_ids is not None:
        where.append(Order.order_id.in_(sorted(scope.order_ids)))
    return where


def _vehicle_filter(scope: PlanScope) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Vehicle.status == VehicleStatus.AVAILABLE]
    if scope.vehicle_ids is not None:
        where.append(Vehicle.vehicle_id.in_(sorted(scope.vehicle_ids)))
    return where


NO_ORDERS = (
    "There are no pending orders to plan. Add or import orders on the Orders screen, or wait "
    "for new ones."
)
NO_FLEET = "There are no trucks in the fleet. Add trucks on the Fleet board first."
STATUS_WORDS = {
    VehicleStatus.AVAILABLE: "available",
    VehicleStatus.ON_ROUTE: "on route",
    VehicleStatus.MAINTENANCE: "in maintenance",
    VehicleStatus.OFF_DUTY: "off duty",
    VehicleStatus.RETIRED: "retired",
}


def no_truck_message(counts: Mapping[VehicleStatus, int]) -> str:
    """What to do when no truck is available, from the fleet's count of trucks by status."""
    busy = [
        f"{counts[s]} {STATUS_WORDS[s]}"
        for s in VehicleStatus
        if counts.get(s) and s not in (VehicleStatus.AVAILABLE, VehicleStatus.RETIRED)
    ]
    if not busy:
        return NO_FLEET
    return f"No truck is available: {', '.join(busy)} — mark trucks available on the Fleet board."


def fleet_counts(session: Session) -> dict[VehicleStatus, int]:
    """How many trucks the fleet has in each status."""
    rows = session.execute(select(Vehicle.status, func.count()).group_by(Vehicle.status))
    counts: dict[VehicleStatus, int] = dict(rows.all())
    return counts


def check_plannable(session: Session, scope: PlanScope, snapshot: StateSnapshot) -> None:
    """``ValidationError`` saying what to do when the run would have no order or no truck."""
    state = snapshot.state
    if not state.orders:
        pending = session.scalar(
            select(func.count()).select_from(Order).where(Order.status == OrderStatus.PENDING)
        )
        if not pending or not scope.narrows_orders:
            raise ValidationError("orders", NO_ORDERS)
        raise ValidationError(
            "orders",
            f"None of the {pending} pending orders is in the chosen scope "
            f"({scope.describe_orders(state.depot.time_zone)}). Widen the filter or plan all "
            "pending orders.",
        )
    if state.trucks:
        return
    if scope.vehicle_ids is not None:
        chosen = session.execute(
            select(Vehicle.vehicle_id, Vehicle.status)
            .where(Vehicle.vehicle_id.in_(sorted(scope.vehicle_ids)))
            .order_by(Vehicle.vehicle_id)
        ).all()
        why = ", ".join(f"{v} is {STATUS_WORDS[st]}" for v, st in chosen)
        raise ValidationError(
            "trucks",
            f"None of the chosen trucks is available ({why or 'they are no longer in the fleet'})."
            " Choose available trucks, or plan with every available truck.",
        )
    raise ValidationError("trucks", no_truck_message(fleet_counts(session)))


def read_state(
    session: Session, *, now: datetime | None = None, scope: PlanScope | None = None
) -> StateSnapshot:
    """S_t inside the caller's unit of work: the pending orders and available trucks of the
    scope (all by default), and the belief's speeds and expected order arrivals."""
    scope = scope or PlanScope()
    now = (now or datetime.now(UTC)).astimezone(UTC)
    general = read_general(session)
    trips = read_trips(session)
    depot = Depot(
        name=general.depot_name,
        town=general.depot_town,
        lat=general.depot_latitude,
        lon=general.depot_longitude,
        time_zone=general.time_zone,
    )
    orders = session.scalars(
        select(Order)
        .options(joinedload(Order.customer))
        .where(*_order_filter(scope))
        .order_by(Order.order_id)
    ).all()
    vehicles = session.scalars(
        select(Vehicle).where(*_vehicle_filter(scope)).order_by(Vehicle.vehicle_id)
    ).all()
    speeds = {v.vehicle_type: speed_for_capacity(v.capacity_weight_tonnes) for v in vehicles}
    base = Belief(speeds_kmh=speeds, arrival_rates=arrival_rates(session, now))
    version, belief = current_belief(session)
    learned = LearnedTerms(belief) if version is not None else None
    state = PlanningState(
        now=now,
        depot=depot,
        orders=tuple(_order_state(o, learned) for o in orders),
        trucks=tuple(_truck_state(v, now, depot, trips, learned) for v in vehicles),
        belief=belief.apply(base) if version is not None else base,
    )
    return StateSnapshot(
        state,
        {o.order_id: o.version for o in orders},
        {v.vehicle_id: v.version for v in vehicles},
        version,
        learned,
    )
