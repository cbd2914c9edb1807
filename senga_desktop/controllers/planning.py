"""Planning runs as decision records: plan, commit, discard, replay.

A run reads S_t (one unit of work) — the pending orders and available trucks of the request's
:class:`PlanScope` — lets the policy decide outside any transaction (it may take half a minute),
then stores the decision with its proposed routes and stops and every held order with its reason
(a second unit of work). Committing is one transaction that refuses — writing nothing — if any
order or truck the decision saw has changed since, with a refusal that says who changed what
(:mod:`~senga_desktop.controllers.planning_stale`). Discarding keeps the decision as an audit
record.

A run may start from another decision (a warm start), keep some of its routes exactly (locks),
keep chosen orders on chosen trucks (pins) and let committed routes that have not started take
extra stops (:mod:`~senga_desktop.controllers.planning_warm`); committing such a run amends those
routes (:mod:`~senga_desktop.controllers.planning_amend`). Without ``extend_committed`` a
committed route's truck is on route, so re-planning keeps loaded trucks as they are.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.learning import fold_quietly
from senga_desktop.controllers.order_status import change_status
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.planning_amend import (
    amend_routes,
    extension_changes,
    split_extensions,
)
from senga_desktop.controllers.planning_records import (
    DecisionSummary,
    held_to_json,
    routes_from_plan,
    summarise,
)
from senga_desktop.controllers.planning_stale import (
    committed_elsewhere,
    conflicts_explained,
    find_changes,
    lock_rows,
    refusal,
    take_write_lock,
)
from senga_desktop.controllers.planning_state import (
    PlanScope,
    StateSnapshot,
    check_plannable,
    read_state,
)
from senga_desktop.controllers.planning_views import load_decision
from senga_desktop.controllers.planning_warm import Replan, prepare_replan, replan_from_json
from senga_desktop.db.models import Decision, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import DecisionType, OrderStatus, PolicyName, RouteStatus, VehicleStatus
from senga_desktop.engine.locks import decide_locked
from senga_desktop.engine.parallel import default_workers
from senga_desktop.engine.policies import make_policy
from senga_desktop.engine.problem import CancelToken, ProgressCallback
from senga_desktop.errors import ValidationError

__all__ = [
    "DecisionSummary",
    "PlanRequest",
    "PlanScope",
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

    ``base_decision_id`` starts the search from that decision's routes (those of its orders still
    pending in scope and trucks still available); ``locked_vehicle_ids`` keeps its routes of
    these trucks exactly; ``pins`` (order id → vehicle id) keeps orders on chosen trucks;
    ``extend_committed`` lets committed routes that have not started take extra stops;
    ``workers`` is how many search processes to use (``None``: one per core, at most four).
    """

    policy: PolicyName = PolicyName.CFA
    parameters: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    time_limit: float | None = 30.0
    max_iterations: int | None = None
    decision_type: DecisionType = DecisionType.PLANNING
    scope: PlanScope = field(default_factory=PlanScope)
    base_decision_id: str | None = None
    locked_vehicle_ids: frozenset[str] = frozenset()
    pins: Mapping[str, str] = field(default_factory=dict)
    extend_committed: bool = False
    workers: int | None = None

    def workers_to_use(self) -> int:
        """The number of search processes, the machine's default when none is given."""
        if self.workers is None:
            return default_workers()
        if self.workers < 1:
            raise ValidationError("workers", f"workers must be at least 1, got {self.workers}.")
        return self.workers


def _scope_json(scope: PlanScope) -> dict[str, Any]:
    """The scope as the decision's ``run`` record keeps it (the snapshot holds the orders)."""
    return {
        "towns": sorted(scope.towns),
        "due_before": scope.due_before.isoformat() if scope.due_before else None,
        "order_ids": sorted(scope.order_ids) if scope.order_ids is not None else None,
        "vehicle_ids": sorted(scope.vehicle_ids) if scope.vehicle_ids is not None else None,
    }


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
    """Run the policy on the current state and store the decision with its proposed routes.

    ``ValidationError`` (saying what to do) when the scope holds no pending order or no available
    truck, or the base decision, locks or pins do not fit; ``PlanningCancelled`` when ``cancel``
    is set during the run — nothing is written then.
    """
    started = time.perf_counter()
    workers = request.workers_to_use()
    policy = make_policy(request.policy, request.parameters, workers=workers)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
    # Outcomes recorded since the last run teach the belief this run plans with.
    fold_quietly(sessions)
    with unit_of_work(sessions) as session:
        snapshot = read_state(session, now=now, scope=request.scope)
        replan = prepare_replan(
            session,
            snapshot,
            base_decision_id=request.base_decision_id,
            locked_vehicle_ids=request.locked_vehicle_ids,
            pins=request.pins,
            extend_committed=request.extend_committed,
            vehicle_ids=request.scope.vehicle_ids,
        )
        snapshot = replan.snapshot
        check_plannable(session, request.scope, snapshot)
    read_done = time.perf_counter()
    decision = decide_locked(
        policy,
        snapshot.state,
        replan.locks,
        seed=request.seed,
        time_limit=request.time_limit,
        max_iterations=request.max_iterations,
        progress=progress,
        cancel=cancel,
        warm_start=replan.warm_start,
    )
    decided = time.perf_counter()
    run = {
        "time_limit": request.time_limit,
        "max_iterations": request.max_iterations,
        "iterations": decision.plan.iterations,
        "read_ms": round((read_done - started) * 1000),
        "decide_ms": round((decided - read_done) * 1000),
        "scope": _scope_json(request.scope),
        "workers": workers,
        # Iterations of every search, by round and seed: a time-limited run replays exactly.
        "schedules": [[list(counts) for counts in plan] for plan in decision.schedules],
        "extend_committed": request.extend_committed,
        **replan.to_json(),
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
            belief_version=snapshot.belief_version,
            orders_routed=list(decision.dispatched),
            held_orders=held_to_json(decision.held),
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
                                 "orders": len(decision.dispatched),
                                 **_replan_details(replan)})  # fmt: skip
        session.flush()
        return summarise(record, routes, decision.held)


def _replan_details(replan: Replan) -> dict[str, Any]:
    """What the audit entry says about a warm start, locks, pins and extended routes."""
    details: dict[str, Any] = {}
    if replan.base_decision_id:
        details["base_decision_id"] = replan.base_decision_id
    if replan.locks.routes:
        details["locked"] = sorted(replan.locks.vehicle_ids)
    if replan.locks.pins:
        details["pins"] = len(replan.locks.pins)
    if replan.extends:
        details["extends"] = sorted(v["route_id"] for v in replan.extends.values())
    return details


def get_decision(
    sessions: sessionmaker[Session], actor: Actor, decision_id: str
) -> DecisionSummary:
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        record = load_decision(session, decision_id)
        return summarise(record, list(record.routes))


def _open_routes(record: Decision) -> list[Route]:
    routes = [r for r in record.routes if r.status is RouteStatus.PROPOSED]
    if record.committed:
        raise ValidationError("decision", f"Decision {record.decision_id} is committed already.")
    if not routes and record.routes_created:
        raise ValidationError("decision", f"Decision {record.decision_id} was discarded.")
    return routes


def commit_decision(
    sessions: sessionmaker[Session], actor: Actor, decision_id: str
) -> DecisionSummary:
    """Make the proposal real in one transaction: routes planned, orders assigned, trucks
    reserved. If anything it used changed since it was made, nothing is written and a readable
    :class:`StaleDataError` says what changed — whether that is seen before writing or only at
    the database (another desktop committing at the same moment): the transaction is rolled
    back and what changed is read afresh (:mod:`~senga_desktop.controllers.planning_stale`)."""
    conflict = (
        f"Decision {decision_id} was not committed: another desktop changed its routes at "
        "the same moment. Nothing was written. Open the decision again and retry."
    )
    with (
        conflicts_explained(sessions, decision_id, otherwise=conflict),
        unit_of_work(sessions) as session,
    ):
        take_write_lock(session, decision_id)
        authorize(session, actor, Permission.PLAN_COMMIT)
        record = load_decision(session, decision_id)
        routes = _open_routes(record)
        orders, vehicles = lock_rows(session, routes)
        # Another desktop may have committed this very decision while we waited for the
        # locks: read the flag afresh now that nobody else can commit it.
        session.refresh(record, ["committed", "committed_at"])
        if record.committed:
            raise committed_elsewhere(session, record)
        plain, amend = split_extensions(record, routes)
        changes = find_changes(session, record.state_snapshot, plain, orders, vehicles)
        changes += extension_changes(session, record.state_snapshot, amend, orders)
        if changes:
            raise refusal(session, decision_id, changes)
        make_routes_real(session, actor, record, plain, orders)
        amend_routes(session, actor, record, amend, orders)
        session.flush()
        return summarise(record, list(record.routes))


def make_routes_real(
    session: Session,
    actor: Actor,
    record: Decision,
    routes: list[Route],
    orders: Mapping[str, Order],
) -> None:
    """Commit ``record``'s ``routes`` in ``session``: the routes planned, their orders assigned,
    their trucks on route until their last stop, the decision committed and audited (the caller
    has checked that nothing is stale)."""
    decision_id = record.decision_id
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


def discard_decision(
    sessions: sessionmaker[Session], actor: Actor, decision_id: str
) -> DecisionSummary:
    """Set the proposal aside; the decision stays as an audit record. Committed or discarded
    elsewhere at the same moment: a readable :class:`StaleDataError` says by whom and when."""
    with (
        conflicts_explained(sessions, decision_id, doing="discarding"),
        unit_of_work(sessions) as session,
    ):
        take_write_lock(session, decision_id)
        authorize(session, actor, Permission.PLAN_RUN)
        record = load_decision(session, decision_id)
        for route in _open_routes(record):
            route.status = RouteStatus.DISCARDED
        audit.record_by(session, actor, "decision.discarded", entity_type="decision",
                        entity_id=decision_id)  # fmt: skip
        session.flush()
        return summarise(record, list(record.routes))


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
        record = load_decision(session, decision_id)
        document: dict[str, Any] = dict(record.state_snapshot)
        stored = tuple(
            (r.vehicle.vehicle_id, tuple(r.order_ids))
            for r in sorted(record.routes, key=lambda r: r.route_id)
        )
        run = document.get("run", {})
        policy = make_policy(
            record.policy_used,
            record.policy_parameters,
            workers=int(run.get("workers") or 1),
            replay=run.get("schedules"),  # absent in decisions made before schedules were kept
        )
        seed = record.seed or 0
    snapshot = StateSnapshot.from_json(document)
    replan = replan_from_json(snapshot, run)
    decision = decide_locked(
        policy,
        snapshot.state,
        replan.locks,
        seed=seed,
        time_limit=None,
        max_iterations=run.get("max_iterations") or run.get("iterations"),
        warm_start=replan.warm_start,
    )
    replayed = tuple(sorted((r.vehicle_id, r.order_ids) for r in decision.plan.routes))
    return ReplayResult(decision_id, tuple(sorted(stored)), replayed)
