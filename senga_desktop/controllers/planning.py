"""Planning runs as decision records: plan, commit, discard, replay.

A run reads S_t (one unit of work), lets the policy decide outside any transaction (it may take
half a minute), then stores the decision with its proposed routes and stops (a second unit of
work). Committing is one transaction that refuses — writing nothing — if any order or truck the
decision saw has changed since. Discarding keeps the decision as an audit record.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.order_status import change_status
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.planning_records import (
    DecisionSummary,
    routes_from_plan,
    summarise,
)
from senga_desktop.controllers.planning_state import StateSnapshot, read_state
from senga_desktop.db.models import Decision, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import DecisionType, OrderStatus, PolicyName, RouteStatus, VehicleStatus
from senga_desktop.engine.policies import make_policy
from senga_desktop.engine.problem import CancelToken, ProgressCallback
from senga_desktop.errors import NotFound, StaleDataError, ValidationError

__all__ = [
    "DecisionSummary",
    "PlanRequest",
    "ReplayResult",
    "commit_decision",
    "discard_decision",
    "get_decision",
    "plan",
    "replay_decision",
]


@dataclass(frozen=True)
class PlanRequest:
    """What to run: the policy, its parameters (defaults for the rest), seed and limits.

    With ``max_iterations`` and no ``time_limit`` the run is exactly reproducible; with a time
    limit it is reproducible by replaying the number of iterations it reached.
    """

    policy: PolicyName = PolicyName.CFA
    parameters: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    time_limit: float | None = 30.0
    max_iterations: int | None = None
    decision_type: DecisionType = DecisionType.PLANNING


def _new_decision_id(now: datetime) -> str:
    return f"DEC-{now:%y%m%d-%H%M%S}-{secrets.token_hex(2).upper()}"


def plan(
    sessions: sessionmaker[Session],
    actor: Actor,
    request: PlanRequest,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    now: datetime | None = None,
) -> DecisionSummary:
    """Run the policy on the current state and store the decision with its proposed routes."""
    started = time.perf_counter()
    policy = make_policy(request.policy, request.parameters)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        snapshot = read_state(session, now=now)
    read_done = time.perf_counter()
    if not snapshot.state.orders:
        raise ValidationError("orders", "There are no pending orders to plan.")
    if not snapshot.state.trucks:
        raise ValidationError("trucks", "No truck is available: mark trucks available first.")
    decision = policy.decide(
        snapshot.state,
        seed=request.seed,
        time_limit=request.time_limit,
        max_iterations=request.max_iterations,
        progress=progress,
        cancel=cancel,
    )
    decided = time.perf_counter()
    run = {
        "time_limit": request.time_limit,
        "max_iterations": request.max_iterations,
        "iterations": decision.plan.iterations,
        "read_ms": round((read_done - started) * 1000),
        "decide_ms": round((decided - read_done) * 1000),
    }
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        decision_id = _new_decision_id(snapshot.state.now)
        record = Decision(
            decision_id=decision_id,
            decision_type=request.decision_type,
            policy_used=policy.name,
            policy_parameters=dict(policy.parameters),
            seed=request.seed,
            state_snapshot={**snapshot.to_json(), "run": run},
            orders_routed=list(decision.dispatched),
            total_cost_estimate=decision.plan.cost_kes.quantize(Decimal("0.01")),
            decision_confidence=decision.confidence,
            computation_time_ms=0,
            created_by=actor.user_id or None,
        )
        session.add(record)
        session.flush()
        routes = routes_from_plan(session, record, decision.plan, snapshot.state)
        record.routes_created = [route.route_id for route in routes]
        record.computation_time_ms = round((time.perf_counter() - started) * 1000)
        audit.record_by(session, actor, "decision.planned", entity_type="decision",
                        entity_id=decision_id,
                        details={"policy": policy.name.value, "routes": len(routes),
                                 "orders": len(decision.dispatched)})  # fmt: skip
        session.flush()
        return summarise(record, routes, decision.held)


def _load(session: Session, decision_id: str) -> Decision:
    record = session.scalars(select(Decision).where(Decision.decision_id == decision_id)).first()
    if record is None:
        raise NotFound(f"There is no decision {decision_id}.")
    return record


def get_decision(
    sessions: sessionmaker[Session], actor: Actor, decision_id: str
) -> DecisionSummary:
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        record = _load(session, decision_id)
        return summarise(record, list(record.routes), {})


def _open_routes(record: Decision) -> list[Route]:
    routes = [r for r in record.routes if r.status is RouteStatus.PROPOSED]
    if record.committed:
        raise ValidationError("decision", f"Decision {record.decision_id} is committed already.")
    if not routes and record.routes_created:
        raise ValidationError("decision", f"Decision {record.decision_id} was discarded.")
    return routes


def _stale(
    snapshot: StateSnapshot, routes: list[Route], orders: Mapping[str, Order]
) -> dict[str, str]:
    """What changed since the decision was made, by the id of each order or truck it uses."""
    problems: dict[str, str] = {}
    for order_id in sorted({oid for route in routes for oid in route.order_ids}):
        order = orders.get(order_id)
        if order is None:
            problems[order_id] = f"order {order_id} no longer exists"
        elif order.version != snapshot.order_versions.get(order_id):
            status = order.status.value.replace("_", " ")
            problems[order_id] = f"order {order_id} was changed ({status})"
        elif order.status is not OrderStatus.PENDING:
            problems[order_id] = f"order {order_id} is {order.status.value.replace('_', ' ')}"
    for route in routes:
        vehicle = route.vehicle
        status = vehicle.status.value.replace("_", " ")
        if vehicle.version != snapshot.vehicle_versions.get(vehicle.vehicle_id):
            problems[vehicle.vehicle_id] = f"truck {vehicle.vehicle_id} was changed ({status})"
        elif vehicle.status is not VehicleStatus.AVAILABLE:
            problems[vehicle.vehicle_id] = f"truck {vehicle.vehicle_id} is {status}"
    return problems


def commit_decision(
    sessions: sessionmaker[Session], actor: Actor, decision_id: str
) -> DecisionSummary:
    """Make the proposal real in one transaction: routes planned, orders assigned, trucks
    reserved. If anything it used changed since it was made, nothing is written."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_COMMIT)
        record = _load(session, decision_id)
        routes = _open_routes(record)
        snapshot = StateSnapshot.from_json(record.state_snapshot)
        wanted = [order_id for route in routes for order_id in route.order_ids]
        orders = {
            o.order_id: o for o in session.scalars(select(Order).where(Order.order_id.in_(wanted)))
        }
        problems = _stale(snapshot, routes, orders)
        if problems:
            raise StaleDataError(
                f"Decision {decision_id} is out of date and was not committed: "
                + "; ".join(problems.values())
                + ". Plan again.",
                keys=list(problems),
            )
        for route in routes:
            route.status = RouteStatus.PLANNED
            for order_id in route.order_ids:
                order = orders[order_id]
                change_status(session, actor, order, OrderStatus.ASSIGNED,
                              reason=f"decision {decision_id}")  # fmt: skip
                order.assigned_route_id = route.id
            vehicle: Vehicle = route.vehicle
            vehicle.status = VehicleStatus.ON_ROUTE
            ends = [s.estimated_departure for s in route.stops if s.estimated_departure]
            vehicle.available_at = max(ends) if ends else vehicle.available_at
        record.committed = True
        record.committed_at = datetime.now(UTC)
        audit.record_by(session, actor, "decision.committed", entity_type="decision",
                        entity_id=decision_id, details={"routes": len(routes)})  # fmt: skip
        session.flush()
        return summarise(record, list(record.routes), {})


def discard_decision(
    sessions: sessionmaker[Session], actor: Actor, decision_id: str
) -> DecisionSummary:
    """Set the proposal aside; the decision stays as an audit record."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        record = _load(session, decision_id)
        for route in _open_routes(record):
            route.status = RouteStatus.DISCARDED
        audit.record_by(session, actor, "decision.discarded", entity_type="decision",
                        entity_id=decision_id)  # fmt: skip
        session.flush()
        return summarise(record, list(record.routes), {})


@dataclass(frozen=True)
class ReplayResult:
    """The stored routes and the routes a new run on the stored snapshot produced."""

    decision_id: str
    stored: tuple[tuple[str, tuple[str, ...]], ...]
    replayed: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def same(self) -> bool:
        return self.stored == self.replayed


def replay_decision(
    sessions: sessionmaker[Session], actor: Actor, decision_id: str
) -> ReplayResult:
    """Run the stored policy again on the stored state and seed, for the same iterations."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        record = _load(session, decision_id)
        document: dict[str, Any] = dict(record.state_snapshot)
        stored = tuple(
            (r.vehicle.vehicle_id, tuple(r.order_ids))
            for r in sorted(record.routes, key=lambda r: r.route_id)
        )
        policy = make_policy(record.policy_used, record.policy_parameters)
        seed = record.seed or 0
    snapshot = StateSnapshot.from_json(document)
    run = document.get("run", {})
    decision = policy.decide(
        snapshot.state,
        seed=seed,
        time_limit=None,
        max_iterations=run.get("max_iterations") or run.get("iterations"),
    )
    replayed = tuple(sorted((r.vehicle_id, r.order_ids) for r in decision.plan.routes))
    return ReplayResult(decision_id, tuple(sorted(stored)), replayed)
