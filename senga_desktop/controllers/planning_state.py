"""Reading the planning state S_t out of the database: pending orders, free trucks, the depot.

Alongside the engine's :class:`~senga_desktop.engine.state.PlanningState` it records the version
of every order and truck it read, so committing a decision can tell whether any of them changed
since (a stale decision).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from senga_desktop.controllers.fleet_rules import can_carry
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import Order, Vehicle
from senga_desktop.domain import OrderStatus, SpecialHandling, VehicleStatus
from senga_desktop.engine.policies.dla import hourly_rates
from senga_desktop.engine.state import Belief, Depot, OrderState, PlanningState, TruckState

__all__ = ["StateSnapshot", "arrival_rates", "read_state", "speed_for_capacity"]

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
class StateSnapshot:
    """The engine's state and the versions of the rows it was read from."""

    state: PlanningState
    order_versions: Mapping[str, int]
    vehicle_versions: Mapping[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.to_json(),
            "versions": {
                "orders": dict(self.order_versions),
                "vehicles": dict(self.vehicle_versions),
            },
        }

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> StateSnapshot:
        versions = document.get("versions", {})
        return cls(
            PlanningState.from_json(document["state"]),
            dict(versions.get("orders", {})),
            dict(versions.get("vehicles", {})),
        )


def _order_state(order: Order) -> OrderState:
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
        created_at=order.created_at,
        max_wait_hours=float(max_wait) if max_wait is not None else None,
    )


def _handling_served(capabilities: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Every special handling the truck can serve, by the fleet's rules (a reefer is covered,
    fragile goods need no special truck), so the engine's "handling ⊆ capabilities" holds."""
    return frozenset(h.value for h in SpecialHandling if can_carry(capabilities, h.value))


def _truck_state(vehicle: Vehicle, now: datetime, depot: Depot) -> TruckState:
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
        cost_per_km=vehicle.fuel_cost_per_km,
        cost_per_hour=vehicle.driver_cost_per_hour,
        fixed_cost=vehicle.fixed_cost_kes,
        shift_hours=float(vehicle.max_shift_hours),
        trip_days=vehicle.max_trip_days,
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


def read_state(session: Session, *, now: datetime | None = None) -> StateSnapshot:
    """S_t inside the caller's unit of work: every pending order, every available truck, and
    the belief's speeds and expected order arrivals."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    general = read_general(session)
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
        .where(Order.status == OrderStatus.PENDING)
        .order_by(Order.order_id)
    ).all()
    vehicles = session.scalars(
        select(Vehicle)
        .where(Vehicle.status == VehicleStatus.AVAILABLE)
        .order_by(Vehicle.vehicle_id)
    ).all()
    speeds = {v.vehicle_type: speed_for_capacity(v.capacity_weight_tonnes) for v in vehicles}
    state = PlanningState(
        now=now,
        depot=depot,
        orders=tuple(_order_state(o) for o in orders),
        trucks=tuple(_truck_state(v, now, depot) for v in vehicles),
        belief=Belief(speeds_kmh=speeds, arrival_rates=arrival_rates(session, now)),
    )
    return StateSnapshot(
        state,
        {o.order_id: o.version for o in orders},
        {v.vehicle_id: v.version for v in vehicles},
    )
