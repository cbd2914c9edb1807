"""Turning an engine plan into proposed routes and stops, and decisions into plain summaries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from senga_desktop.db.models import Decision, Route, RouteStop, Vehicle
from senga_desktop.domain import PolicyName, RouteStatus, StopType
from senga_desktop.engine.explain import Reason
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.state import PlanningState

__all__ = [
    "DecisionSummary",
    "HeldOrder",
    "RouteSummary",
    "held_to_json",
    "routes_from_plan",
    "stored_held",
    "summarise",
]

CENT = Decimal("0.01")
MILLI = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class StopSummary:
    sequence: int
    order_ids: tuple[str, ...]
    town: str
    eta: datetime | None
    departure: datetime | None


@dataclass(frozen=True, slots=True)
class RouteSummary:
    """One proposed (or committed) route as screens and the CLI show it."""

    route_id: str
    vehicle_id: str
    status: RouteStatus
    order_ids: tuple[str, ...]
    towns: tuple[str, ...]
    distance_km: Decimal
    duration_minutes: int
    cost_kes: Decimal
    start: datetime | None
    stops: tuple[StopSummary, ...]


@dataclass(frozen=True, slots=True)
class HeldOrder:
    """An order left out of the plan, and why."""

    order_id: str
    code: str
    message: str


@dataclass(frozen=True)
class DecisionSummary:
    """A decision record: what was decided, by which policy, at what cost and confidence."""

    decision_id: str
    policy: PolicyName
    parameters: Mapping[str, float]
    seed: int | None
    committed: bool
    routes: tuple[RouteSummary, ...]
    held: tuple[HeldOrder, ...]
    orders_routed: tuple[str, ...]
    total_cost_kes: Decimal
    confidence: float | None
    computation_ms: int
    created_at: datetime | None


def routes_from_plan(
    session: Session, record: Decision, plan: Plan, state: PlanningState
) -> list[Route]:
    """Proposed ``routes`` and ``route_stops`` for the plan, linked to the decision."""
    vehicle_ids = [r.vehicle_id for r in plan.routes]
    vehicles = {
        v.vehicle_id: v
        for v in session.scalars(select(Vehicle).where(Vehicle.vehicle_id.in_(vehicle_ids)))
    }
    rows: list[Route] = []
    for number, planned in enumerate(plan.routes, start=1):
        route_id = f"{record.decision_id}-R{number:02d}"
        towns = [state.order(o).town for o in planned.order_ids]
        route = Route(
            route_id=route_id,
            vehicle=vehicles[planned.vehicle_id],
            decision=record,
            order_ids=list(planned.order_ids),
            destination_cities=list(dict.fromkeys(towns)),
            total_distance_km=planned.distance_km.quantize(MILLI),
            estimated_duration_minutes=round(planned.duration_s / 60),
            estimated_cost_kes=planned.cost_kes.quantize(CENT),
            status=RouteStatus.PROPOSED,
            planned_start=planned.start,
        )
        trip = 0
        for sequence, stop in enumerate(planned.stops):
            order = state.order(stop.order_id)
            # The first stop of each later trip keeps the reload before it.
            reload = planned.reloads[stop.trip - 1] if stop.trip > trip else None
            trip = stop.trip
            route.stops.append(
                RouteStop(
                    stop_id=f"{route_id}-S{sequence + 1:02d}",
                    order_ids=[stop.order_id],
                    location={"name": order.town, "lat": order.lat, "lon": order.lon},
                    stop_type=StopType.DELIVERY,
                    sequence_order=sequence,
                    trip=stop.trip,
                    reload_arrival=reload.arrival if reload else None,
                    reload_departure=reload.departure if reload else None,
                    estimated_arrival=stop.eta,
                    estimated_departure=stop.departure,
                )
            )
        session.add(route)
        rows.append(route)
    session.flush()
    return rows


def _route_summary(route: Route) -> RouteSummary:
    stops = tuple(
        StopSummary(
            s.sequence_order + 1,
            tuple(s.order_ids),
            str(s.location.get("name", "")),
            s.estimated_arrival,
            s.estimated_departure,
        )
        for s in sorted(route.stops, key=lambda s: s.sequence_order)
    )
    return RouteSummary(
        route_id=route.route_id,
        vehicle_id=route.vehicle.vehicle_id,
        status=route.status,
        order_ids=tuple(route.order_ids),
        towns=tuple(route.destination_cities),
        distance_km=route.total_distance_km,
        duration_minutes=route.estimated_duration_minutes,
        cost_kes=route.estimated_cost_kes,
        start=route.planned_start,
        stops=stops,
    )


def held_to_json(held: Mapping[str, Reason]) -> list[dict[str, Any]]:
    """The ``decisions.held_orders`` document: every held order with its reason, by order id."""
    return [
        {
            "order_id": order_id,
            "code": reason.code.value,
            "message": reason.message,
            "details": {str(k): str(v) for k, v in reason.details.items()},
        }
        for order_id, reason in sorted(held.items())
    ]


def stored_held(record: Decision) -> tuple[HeldOrder, ...]:
    """The held orders a decision stored (none for decisions made before revision 0007)."""
    return tuple(
        HeldOrder(str(h.get("order_id", "")), str(h.get("code", "")), str(h.get("message", "")))
        for h in record.held_orders or ()
    )


def summarise(
    record: Decision, routes: list[Route], held: Mapping[str, Reason] | None = None
) -> DecisionSummary:
    """The plain summary of a decision; ``held`` (the run's own reasons) or else the stored ones."""
    return DecisionSummary(
        decision_id=record.decision_id,
        policy=record.policy_used,
        parameters=dict(record.policy_parameters),
        seed=record.seed,
        committed=record.committed,
        routes=tuple(_route_summary(r) for r in sorted(routes, key=lambda r: r.route_id)),
        held=(
            stored_held(record)
            if held is None
            else tuple(
                HeldOrder(order_id, reason.code.value, reason.message)
                for order_id, reason in sorted(held.items())
            )
        ),
        orders_routed=tuple(record.orders_routed),
        total_cost_kes=record.total_cost_estimate,
        confidence=record.decision_confidence,
        computation_ms=record.computation_time_ms,
        created_at=record.created_at,
    )
