"""The state S_t a decision saw, in readable form: :func:`snapshot_view`.

The snapshot is the decision's own record — what the engine was given — so orders and trucks are
shown as they were then, not as they are now. Only the customers' names are looked up (one
statement), because the snapshot keeps orders by number alone; an order deleted since shows no
customer. Grammes and litres become tonnes and cubic metres, and every belief figure a sentence
fragment with its unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.plan_views import (
    DepotPoint,
    SnapshotOrder,
    SnapshotTruck,
    SnapshotView,
)
from senga_desktop.db.models import Customer, Decision, Order
from senga_desktop.db.uow import unit_of_work
from senga_desktop.engine.state import Belief, OrderState, PlanningState, TruckState
from senga_desktop.errors import NotFound, ValidationError

__all__ = ["belief_figures", "snapshot_view"]

THOUSAND = Decimal(1000)


def _order(order: OrderState, customer: str) -> SnapshotOrder:
    return SnapshotOrder(
        order_id=order.order_id,
        customer=customer,
        town=order.town,
        weight_tonnes=Decimal(order.weight_kg) / THOUSAND,
        volume_m3=Decimal(order.volume_dm3) / THOUSAND,
        window_start=order.window_start,
        window_end=order.window_end,
        priority=str(order.priority.value),
        special_handling=tuple(sorted(order.special_handling)),
        revenue_kes=order.revenue_kes,
    )


def _truck(truck: TruckState) -> SnapshotTruck:
    return SnapshotTruck(
        vehicle_id=truck.vehicle_id,
        vehicle_type=truck.vehicle_type,
        town=truck.town,
        capacity_tonnes=Decimal(truck.capacity_kg) / THOUSAND,
        capacity_m3=Decimal(truck.capacity_dm3) / THOUSAND,
        free_from=truck.free_from,
        # No cap on the working day (a snapshot made outside the desktop) reads as infinite.
        shift_hours=truck.shift_hours if truck.shift_hours is not None else math.inf,
        trip_days=truck.trip_days,
        capabilities=tuple(sorted(truck.capabilities)),
        max_trips=truck.max_trips,
    )


def belief_figures(belief: Belief, coordinates: str = "wgs84") -> dict[str, str]:
    """The belief's figures other than speeds and arrival rates, name → value with its unit."""
    figures = {
        "Road distance": f"{belief.road_factor:.2f} times the straight line",
        "Speed of an unlisted truck type": f"{belief.default_speed_kmh:.0f} km/h",
        "Time at each stop": f"{belief.service_minutes_per_stop:.0f} min",
        "Loading at the depot": f"{belief.loading_minutes:.0f} min",
    }
    for (a, b), factor in belief.corridor_factors.items():
        figures[f"Road distance {a} to {b}"] = f"{factor:.2f} times the straight line"
    rates = belief.arrival_rates
    figures["Expected new orders"] = (
        f"{sum(rates.values()):.2f} an hour to {len(rates)} town{'s' if len(rates) != 1 else ''}"
        if rates
        else "not estimated (the pending orders stand in)"
    )
    if coordinates != "wgs84":
        figures["Coordinates"] = "plane (a benchmark instance, not a map)"
    return figures


def _customers(session: Session, order_ids: list[str]) -> Mapping[str, str]:
    """Each order's customer name (else its customer id), in one statement."""
    if not order_ids:
        return {}
    rows = session.execute(
        select(Order.order_id, Customer.customer_name, Customer.customer_id)
        .join(Customer, Customer.id == Order.customer_id)
        .where(Order.order_id.in_(order_ids))
    )
    return {order_id: name or key or "" for order_id, name, key in rows}


def snapshot_view(sessions: sessionmaker[Session], actor: Actor, decision_id: str) -> SnapshotView:
    """The orders, trucks and belief a decision saw; NotFound if there is no such decision,
    ValidationError if its stored snapshot cannot be read."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        document = session.scalar(
            select(Decision.state_snapshot).where(Decision.decision_id == decision_id)
        )
        if document is None:
            raise NotFound(f"There is no decision {decision_id}.")
        stored = document.get("state")
        if not isinstance(stored, Mapping):
            raise ValidationError(
                "state_snapshot", f"Decision {decision_id} has no readable state snapshot."
            )
        state = PlanningState.from_json(stored)
        customers = _customers(session, [o.order_id for o in state.orders])
    depot = state.depot
    return SnapshotView(
        decision_id=decision_id,
        now=state.now,
        depot=DepotPoint(depot.name, depot.town, depot.lat, depot.lon, depot.time_zone),
        orders=tuple(_order(o, customers.get(o.order_id, "")) for o in state.orders),
        trucks=tuple(_truck(t) for t in state.trucks),
        speeds_kmh=dict(state.belief.speeds_kmh),
        arrival_rates=dict(state.belief.arrival_rates),
        belief=belief_figures(state.belief, state.coordinates),
    )
