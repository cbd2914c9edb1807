"""The Decisions screen: the audit trail of planning runs, a run's state, two runs compared.

:func:`list_decisions` pages the trail in the database without reading the big JSON documents:
the counts (orders routed and held, routes) are JSON array lengths taken by the database
(``json_array_length`` on SQLite, ``jsonb_array_length`` on PostgreSQL), and a decision's status
is worked out in SQL by the same rule as
:func:`~senga_desktop.controllers.planning_views.decision_status`. :func:`snapshot_view` (in
:mod:`~senga_desktop.controllers.decision_snapshot`) shows the state a decision saw, and
:func:`compare_decisions` sets two decisions side by side. Opening one is
:func:`~senga_desktop.controllers.planning_views.decision_view`; replaying one is
:func:`~senga_desktop.controllers.planning.replay_decision`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, exists, func, literal_column, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.decision_snapshot import snapshot_view
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.plan_views import (
    DecisionComparison,
    DecisionPage,
    DecisionRow,
    MovedOrder,
    SideFigures,
)
from senga_desktop.db.models import Decision, Route, User, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import PolicyName, RouteStatus
from senga_desktop.errors import NotFound, ValidationError

__all__ = [
    "DECISION_STATUSES",
    "MAX_PAGE",
    "compare_decisions",
    "list_decisions",
    "snapshot_view",
]

MAX_PAGE = 1000
DECISION_STATUSES = ("proposed", "committed", "discarded")
ZERO = Decimal(0)


def _array_length(session: Session, column: Any, *path: str) -> ColumnElement[int]:
    """The length of the JSON array in ``column`` (at ``path``), counted by the database."""
    if session.get_bind().dialect.name == "postgresql":
        # The path is constant: spelled inline, so no bind parameter needs a type.
        keys: list[ColumnElement[Any]] = [literal_column(f"'{key}'") for key in path]
        target = func.jsonb_extract_path(column, *keys) if path else column
        return func.coalesce(func.jsonb_array_length(target, type_=Integer), 0)
    if path:
        where = "$." + ".".join(path)
        return func.coalesce(func.json_array_length(column, where, type_=Integer), 0)
    return func.coalesce(func.json_array_length(column, type_=Integer), 0)


def _discarded() -> ColumnElement[bool]:
    """Not committed, with routes, and every one of them discarded."""
    has_routes = exists().where(Route.decision_id == Decision.id)
    has_open = exists().where(
        Route.decision_id == Decision.id, Route.status != RouteStatus.DISCARDED
    )
    return and_(Decision.committed.is_(False), has_routes, ~has_open)


def _status_condition(status: str) -> ColumnElement[bool]:
    if status == "committed":
        return Decision.committed.is_(True)
    if status == "discarded":
        return _discarded()
    if status == "proposed":
        return and_(Decision.committed.is_(False), ~_discarded())
    raise ValidationError(
        "status", f"There is no decision status {status!r}: choose {', '.join(DECISION_STATUSES)}."
    )


def list_decisions(
    sessions: sessionmaker[Session],
    actor: Actor,
    *,
    limit: int = 200,
    offset: int = 0,
    status: str | None = None,
    policy: PolicyName | None = None,
) -> DecisionPage:
    """One page of the decisions, newest first, and how many match ``status`` and ``policy``.

    ``status`` is "proposed", "committed" or "discarded" (``None``: all). Orders held are the
    stored held orders; a decision made before they were stored counts the orders its snapshot
    saw that it did not route.
    """
    limit = max(0, min(limit, MAX_PAGE))
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        conditions: list[ColumnElement[bool]] = []
        if status is not None:
            conditions.append(_status_condition(status))
        if policy is not None:
            conditions.append(Decision.policy_used == policy)
        routed = _array_length(session, Decision.orders_routed)
        stored_held = _array_length(session, Decision.held_orders)
        # Only decisions with no stored held orders pay for counting the snapshot's orders.
        seen = _array_length(session, Decision.state_snapshot, "state", "orders")
        larger = func.greatest if session.get_bind().dialect.name == "postgresql" else func.max
        held = case((stored_held > 0, stored_held), else_=larger(seen - routed, 0))
        state = case(
            (Decision.committed.is_(True), "committed"),
            (_discarded(), "discarded"),
            else_="proposed",
        )
        statement = (
            select(
                Decision.decision_id,
                Decision.created_at,
                User.username,
                Decision.policy_used,
                Decision.policy_parameters,
                routed,
                held,
                _array_length(session, Decision.routes_created),
                Decision.total_cost_estimate,
                Decision.decision_confidence,
                Decision.computation_time_ms,
                state,
                Decision.decision_type,
            )
            .outerjoin(User, User.id == Decision.created_by)
            .where(*conditions)
            .order_by(Decision.created_at.desc(), Decision.id.desc())
            .offset(max(0, offset))
            .limit(limit)
        )
        rows = tuple(
            DecisionRow(
                decision_id=decision_id,
                created_at=created_at,
                created_by=username,
                policy=policy_used,
                parameters=dict(parameters or {}),
                orders_routed=int(n_routed),
                orders_held=int(n_held),
                routes=int(n_routes),
                cost_kes=cost,
                confidence=confidence,
                computation_ms=computation_ms,
                status=str(row_status),
                decision_type=decision_type,
            )
            for (
                decision_id,
                created_at,
                username,
                policy_used,
                parameters,
                n_routed,
                n_held,
                n_routes,
                cost,
                confidence,
                computation_ms,
                row_status,
                decision_type,
            ) in session.execute(statement)
        )
        total = session.scalar(select(func.count()).select_from(Decision).where(*conditions)) or 0
        return DecisionPage(rows, total)


def _side(
    decision_id: str, policy: PolicyName, routes: Sequence[tuple[str, list[str], Decimal, Decimal]]
) -> tuple[SideFigures, dict[str, str]]:
    """A side's figures and which truck carries each of its orders."""
    trucks = {order_id: vehicle for vehicle, order_ids, _, _ in routes for order_id in order_ids}
    figures = SideFigures(
        decision_id=decision_id,
        policy=policy,
        cost_kes=sum((cost for _, _, cost, _ in routes), ZERO),
        distance_km=sum((km for _, _, _, km in routes), ZERO),
        orders_routed=len(trucks),
        trucks_used=len({vehicle for vehicle, _, _, _ in routes}),
    )
    return figures, trucks


def compare_decisions(
    sessions: sessionmaker[Session], actor: Actor, a_id: str, b_id: str
) -> DecisionComparison:
    """Two decisions side by side: cost and km (summed over their routes, as an opened decision
    totals them), orders routed, trucks used, and every order only one routed or that the two put
    on different trucks. All the routes each proposed count, whatever became of them since."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        wanted_ids = sorted({a_id, b_id})
        # .all(): a Result has keys(), so dict() would take it for a mapping.
        found = dict(
            session.execute(
                select(Decision.decision_id, Decision.policy_used).where(
                    Decision.decision_id.in_(wanted_ids)
                )
            ).all()
        )
        for wanted in (a_id, b_id):
            if wanted not in found:
                raise NotFound(f"There is no decision {wanted}.")
        by_decision: dict[str, list[tuple[str, list[str], Decimal, Decimal]]] = {a_id: [], b_id: []}
        statement = (
            select(
                Decision.decision_id,
                Vehicle.vehicle_id,
                Route.order_ids,
                Route.estimated_cost_kes,
                Route.total_distance_km,
            )
            .join(Decision, Decision.id == Route.decision_id)
            .join(Vehicle, Vehicle.id == Route.vehicle_id)
            .where(Decision.decision_id.in_(wanted_ids))
            .order_by(Route.route_id)
        )
        for decision_id, vehicle_id, order_ids, cost, km in session.execute(statement):
            by_decision[decision_id].append((vehicle_id, list(order_ids or ()), cost, km))
    a, trucks_a = _side(a_id, found[a_id], by_decision[a_id])
    b, trucks_b = _side(b_id, found[b_id], by_decision[b_id])
    moved = tuple(
        MovedOrder(order_id, trucks_a.get(order_id), trucks_b.get(order_id))
        for order_id in sorted(trucks_a.keys() | trucks_b.keys())
        if trucks_a.get(order_id) != trucks_b.get(order_id)
    )
    return DecisionComparison(a, b, moved)
