"""Storing a hand-edited plan as a *proposal*: what "Re-plan the rest" warm-starts from.

A plan being edited lives in the planning screen as drafts; a planning run can only start from a
stored decision (:attr:`~senga_desktop.controllers.planning.PlanRequest.base_decision_id`).
:func:`propose_edited_plan` stores the drafts as a decision of type manual edit that is *not*
committed: its routes are proposed, the engine's proposal stays as it was (nothing is set aside,
no order or truck changes), and its ``edit`` record says what it was made from — the engine's
decision, the edits, the violations it has (none accepted: nobody committed it) and the cost
change. A re-plan then names it as its base, so the locked routes are the edited routes and the
search starts from the edited plan.

It checks the drafts as a commit does (the edits must lead from the engine's plan to them, and
no order or truck may be unknown or given twice) but refuses no violation: a proposal is only a
starting point. Drafts equal to the engine's plan store nothing and return the engine's own
decision.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.plan_edit_commit import checked_edit, write_edit_record
from senga_desktop.controllers.plan_editing import EditedPlan, PlanEditor
from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.controllers.planning_views import build_decision_view, decision_view
from senga_desktop.db.models import Decision
from senga_desktop.db.uow import unit_of_work
from senga_desktop.engine.edits import PlanEdit
from senga_desktop.engine.evaluate import DraftRoute
from senga_desktop.errors import NotFound

__all__ = ["propose_edited_plan"]


def propose_edited_plan(
    sessions: sessionmaker[Session],
    actor: Actor,
    decision_id: str,
    drafts: Iterable[DraftRoute],
    edits: Iterable[PlanEdit],
) -> DecisionView:
    """Store ``drafts`` — proposed decision ``decision_id``'s plan after ``edits`` — as a new
    proposed manual-edit decision and return its view (the engine's own view, storing nothing,
    when the drafts are its plan). Run it through the task runner (it evaluates the plan).

    ``PermissionDenied`` without the right to plan; ``ValidationError`` (in words, nothing
    stored) when the decision is not a proposal, the edits do not lead to the drafts, or the
    drafts name orders or trucks the decision never saw.
    """
    started = time.perf_counter()
    edits = tuple(edits)
    editor, plan = checked_edit(
        sessions,
        actor,
        decision_id,
        drafts=drafts,
        edits=edits,
        permission=Permission.PLAN_RUN,
        accept_violations=True,
    )
    if not plan.changed:
        return decision_view(sessions, actor, decision_id)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        record = _store(session, actor, editor=editor, plan=plan, edits=edits)
        record.computation_time_ms = round((time.perf_counter() - started) * 1000)
        session.flush()
        return build_decision_view(session, record)


def _store(
    session: Session,
    actor: Actor,
    *,
    editor: PlanEditor,
    plan: EditedPlan,
    edits: tuple[PlanEdit, ...],
) -> Decision:
    """The proposed manual-edit decision and its proposed routes, written (not committed)."""
    context = editor.context
    base = session.scalars(
        select(Decision).where(Decision.decision_id == context.decision_id)
    ).first()
    if base is None:
        raise NotFound(f"There is no decision {context.decision_id}.")
    record, _routes = write_edit_record(
        session, actor, base, editor=editor, plan=plan, edits=edits, committed=False
    )
    audit.record_by(session, actor, "decision.edit_proposed", entity_type="decision",
                    entity_id=record.decision_id,
                    details={"base_decision_id": context.decision_id, "edits": len(edits),
                             "violations": len(plan.introduced),
                             "cost_change_kes": str(plan.cost_change_kes)})  # fmt: skip
    return record
