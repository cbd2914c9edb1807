"""Committing a hand-edited plan: a decision of its own that points at the engine's.

:func:`commit_edited_plan` trusts nothing the screen computed. It reads the engine's decision
again, replays the dispatcher's edits on the engine's plan (they must lead to the drafts sent),
evaluates the drafts itself, and refuses the violations the engine's plan does not have unless
the dispatcher confirmed them. Then, in one unit of work, it stores a decision of type manual edit
— the engine decision's policy, parameters, seed and state snapshot, its own routes and held
orders, the edits, the accepted violations and the cost difference (the snapshot's ``edit``
record) — sets the engine's proposal aside, and commits the new decision exactly as
:func:`~senga_desktop.controllers.planning.commit_decision` commits one: orders assigned, trucks
reserved, committed routes it extends amended, and the same readable refusal
(:mod:`~senga_desktop.controllers.planning_stale`) when an order or truck changed since the
engine's decision was made. Drafts equal to the engine's plan simply commit the engine's
decision.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.plan_editing import EditedPlan, PlanEditor, read_edit_context
from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.controllers.planning import commit_decision, make_routes_real
from senga_desktop.controllers.planning_amend import (
    amend_routes,
    extension_changes,
    split_extensions,
)
from senga_desktop.controllers.planning_records import routes_from_plan
from senga_desktop.controllers.planning_stale import (
    Change,
    committed_elsewhere,
    conflicts_explained,
    depot_clock,
    find_changes,
    lock_rows,
    refusal,
    take_write_lock,
)
from senga_desktop.controllers.planning_views import build_decision_view, decision_view
from senga_desktop.db.models import Decision, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import DecisionType, RouteStatus
from senga_desktop.engine.edits import PlanEdit, same_plan
from senga_desktop.engine.evaluate import DraftRoute, Violation, ViolationCode
from senga_desktop.errors import NotFound, StaleDataError, ValidationError

__all__ = [
    "UNSTORABLE",
    "checked_edit",
    "commit_edited_plan",
    "violations_to_json",
    "write_edit_record",
]

CENT = Decimal("0.01")
#: What no confirmation makes storable: a plan naming orders or trucks the decision never saw,
#: or giving an order or a truck twice (the edits never make these; hand-built drafts might).
UNSTORABLE = frozenset(
    {
        ViolationCode.UNKNOWN_ORDER,
        ViolationCode.UNKNOWN_TRUCK,
        ViolationCode.DUPLICATE_ORDER,
        ViolationCode.TRUCK_TWICE,
    }
)


def commit_edited_plan(
    sessions: sessionmaker[Session],
    actor: Actor,
    decision_id: str,
    drafts: Iterable[DraftRoute],
    edits: Iterable[PlanEdit],
    *,
    accept_violations: bool = False,
) -> DecisionView:
    """Commit ``drafts`` — the engine's plan of proposed decision ``decision_id`` after
    ``edits`` (in order: those an undo stack has not undone) — and return the committed
    decision's view: the new manual-edit decision's, or the engine's own when the drafts are
    its plan. Run it through the task runner (it evaluates the plan again).

    Refusals, nothing written: ``PermissionDenied`` without the right to commit;
    ``ValidationError`` when the decision is not a proposal, the edits do not lead to the
    drafts, the drafts name orders or trucks the decision never saw, or (field
    ``"violations"``) the plan breaks constraints the engine's plan keeps and
    ``accept_violations`` is false — its message lists every such violation's sentence, for a
    confirmation; ``StaleDataError`` (readable, as for an engine decision) when an order or
    truck changed since the decision was made or another desktop committed first.
    """
    started = time.perf_counter()
    edits = tuple(edits)
    editor, plan = checked_edit(
        sessions,
        actor,
        decision_id,
        drafts=drafts,
        edits=edits,
        permission=Permission.PLAN_COMMIT,
        accept_violations=accept_violations,
    )
    if not plan.changed:
        commit_decision(sessions, actor, decision_id)
        return decision_view(sessions, actor, decision_id)
    conflict = (
        f"The edited plan of decision {decision_id} was not committed: another desktop "
        "changed its orders or trucks at the same moment. Nothing was written. Open the "
        "decision again and retry."
    )
    with (
        conflicts_explained(sessions, decision_id, otherwise=conflict),
        unit_of_work(sessions) as session,
    ):
        take_write_lock(session, decision_id)
        authorize(session, actor, Permission.PLAN_COMMIT)
        record = _store(session, actor, editor=editor, plan=plan, edits=edits, started=started)
        return build_decision_view(session, record)


def _checked(
    editor: PlanEditor,
    drafts: tuple[DraftRoute, ...],
    edits: tuple[PlanEdit, ...],
    accept_violations: bool,
) -> EditedPlan:
    """The drafts evaluated, or the refusal (see :func:`commit_edited_plan`)."""
    decision_id = editor.decision_id
    try:
        replayed = editor.replay(edits)
    except ValueError as exc:
        raise ValidationError(
            "edits",
            f"The edits cannot be made again on decision {decision_id}'s plan: {exc} Nothing "
            "was committed.",
        ) from exc
    if not same_plan(replayed, drafts):
        raise ValidationError(
            "edits",
            f"The edits listed do not lead from decision {decision_id}'s plan to the plan to "
            "commit. Nothing was committed: start again from the engine's plan.",
        )
    plan = editor.evaluate(drafts)
    broken = [v.message for v in plan.violations if v.code in UNSTORABLE]
    if broken:
        raise ValidationError(
            "plan", "This plan cannot be stored: " + " ".join(broken) + " Nothing was committed."
        )
    if plan.changed and plan.introduced and not accept_violations:
        count = len(plan.introduced)
        raise ValidationError(
            "violations",
            f"The edited plan breaks {count} constraint{'s' if count != 1 else ''} the engine's "
            "plan keeps; commit it only if you accept "
            f"{'them' if count != 1 else 'it'}:\n"
            + "\n".join(f"• {v.message}" for v in plan.introduced),
        )
    return plan


def _new_decision_id() -> str:
    return f"DEC-{datetime.now(UTC):%y%m%d-%H%M%S}-{secrets.token_hex(2).upper()}"


def violations_to_json(violations: Sequence[Violation]) -> list[dict[str, Any]]:
    """Violations as the ``edit`` record keeps them."""
    return [
        {
            "code": v.code.value,
            "message": v.message,
            "vehicle_id": v.vehicle_id,
            "order_id": v.order_id,
            "amount": v.amount,
            "trip": v.trip,
        }
        for v in violations
    ]


def _held_records(editor: PlanEditor, plan: EditedPlan) -> list[dict[str, Any]]:
    """The ``held_orders`` document: the engine's stored reasons where it held the order too,
    "taken off by hand" for the others."""
    stored = {str(h.get("order_id")): h for h in editor.context.held_records}
    records = []
    for held in plan.view.held:
        kept = stored.get(held.order_id)
        if kept is None:
            kept = {"order_id": held.order_id, "code": held.code, "message": held.message}
        records.append({"details": {}, **kept})
    return sorted(records, key=lambda r: str(r.get("order_id")))


def _base_open_routes(session: Session, base: Decision) -> list[Route]:
    """The engine decision's proposed routes, read afresh; the refusal if there are none left."""
    routes = session.scalars(
        select(Route).where(Route.decision_id == base.id).execution_options(populate_existing=True)
    ).all()
    open_routes = [r for r in routes if r.status is RouteStatus.PROPOSED]
    if open_routes or not routes:
        return open_routes
    edited = session.execute(
        select(Decision.decision_id, Decision.created_at)
        .where(Decision.base_decision_id == base.id, Decision.committed.is_(True))
        .order_by(Decision.id.desc())
        .limit(1)
    ).first()
    if edited is None:
        raise ValidationError("decision", f"Decision {base.decision_id} was discarded.")
    raise StaleDataError(
        f"Decision {base.decision_id} was edited and committed as {edited[0]} at "
        f"{depot_clock(session, edited[1])} while you were editing it. Nothing was written.",
        keys=[base.decision_id],
        details=[f"decision {base.decision_id} was committed as {edited[0]}"],
    )


def checked_edit(
    sessions: sessionmaker[Session],
    actor: Actor,
    decision_id: str,
    *,
    drafts: Iterable[DraftRoute],
    edits: tuple[PlanEdit, ...],
    permission: Permission,
    accept_violations: bool,
) -> tuple[PlanEditor, EditedPlan]:
    """The editor of proposed decision ``decision_id`` (read under ``permission``) and its
    evaluation of ``drafts``, checked as :func:`_checked` checks them."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, permission)
        context = read_edit_context(session, decision_id)
    editor = PlanEditor(context)
    return editor, _checked(editor, tuple(drafts), edits, accept_violations)


def write_edit_record(
    session: Session,
    actor: Actor,
    base: Decision,
    *,
    editor: PlanEditor,
    plan: EditedPlan,
    edits: tuple[PlanEdit, ...],
    committed: bool,
) -> tuple[Decision, list[Route]]:
    """The manual-edit decision made from ``base`` and its routes, written but not committed.

    Its ``edit`` record keeps the base, the cost change, the violations the edits brought in
    and — when it is to be ``committed`` — those the dispatcher accepted; a proposal (see
    :mod:`.plan_edit_propose`) accepted none.
    """
    context = editor.context
    engine_plan = plan.evaluation.plan
    introduced = violations_to_json(plan.introduced)
    record = Decision(
        decision_id=_new_decision_id(),
        decision_type=DecisionType.MANUAL_EDIT,
        policy_used=base.policy_used,
        policy_parameters=dict(base.policy_parameters),
        seed=base.seed,
        state_snapshot={
            **context.document,
            "edit": {
                "base_decision_id": base.decision_id,
                "base_cost_kes": str(editor.base.evaluation.plan.cost_kes),
                "cost_change_kes": str(plan.cost_change_kes),
                "margin_change_kes": str(plan.margin_change_kes),
                "violations": introduced,
                "accepted_violations": introduced if committed else [],
                "feasible": plan.feasible,
                "proposed": not committed,
            },
        },
        orders_routed=list(engine_plan.order_ids),
        held_orders=_held_records(editor, plan),
        total_cost_estimate=engine_plan.cost_kes.quantize(CENT),
        decision_confidence=None,
        computation_time_ms=0,
        created_by=actor.user_id or None,
        base_decision_id=base.id,
        edits=[edit.to_json() for edit in edits],
    )
    session.add(record)
    session.flush()
    routes = routes_from_plan(session, record, engine_plan, context.state)
    record.routes_created = [route.route_id for route in routes]
    return record, routes


def _store(
    session: Session,
    actor: Actor,
    *,
    editor: PlanEditor,
    plan: EditedPlan,
    edits: tuple[PlanEdit, ...],
    started: float,
) -> Decision:
    """The manual-edit decision written and committed, the engine's proposal set aside."""
    context = editor.context
    decision_id = context.decision_id
    base = session.scalars(select(Decision).where(Decision.decision_id == decision_id)).first()
    if base is None:
        raise NotFound(f"There is no decision {decision_id}.")
    base_routes = _base_open_routes(session, base)
    lock_rows(session, base_routes)  # the rows a commit of the engine's decision would lock
    session.refresh(base, ["committed", "committed_at"])
    if base.committed:
        raise committed_elsewhere(session, base)
    base_routes = _base_open_routes(session, base)
    engine_plan = plan.evaluation.plan
    wanted = sorted({r.vehicle_id for r in engine_plan.routes})
    found = set(session.scalars(select(Vehicle.vehicle_id).where(Vehicle.vehicle_id.in_(wanted))))
    gone = [Change(v, "truck", "deleted", f"truck {v} no longer exists") for v in wanted
            if v not in found]  # fmt: skip
    if gone:
        raise refusal(session, decision_id, gone)
    record, routes = write_edit_record(
        session, actor, base, editor=editor, plan=plan, edits=edits, committed=True
    )
    orders, vehicles = lock_rows(session, routes)
    plain, amend = split_extensions(record, routes)
    changes = find_changes(session, context.document, plain, orders, vehicles)
    changes += extension_changes(session, context.document, amend, orders)
    if changes:
        raise refusal(session, decision_id, changes)
    for route in base_routes:
        route.status = RouteStatus.DISCARDED
    audit.record_by(session, actor, "decision.discarded", entity_type="decision",
                    entity_id=decision_id,
                    details={"edited_as": record.decision_id})  # fmt: skip
    audit.record_by(session, actor, "decision.edited", entity_type="decision",
                    entity_id=record.decision_id,
                    details={"base_decision_id": decision_id, "edits": len(edits),
                             "violations_accepted": len(plan.introduced),
                             "cost_change_kes": str(plan.cost_change_kes)})  # fmt: skip
    make_routes_real(session, actor, record, plain, orders)
    amend_routes(session, actor, record, amend, orders)
    record.computation_time_ms = round((time.perf_counter() - started) * 1000)
    session.flush()
    return record
