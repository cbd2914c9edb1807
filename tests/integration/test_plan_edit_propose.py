"""A hand-edited plan stored as a proposal, on a real database: what "Re-plan the rest" of an
edited plan starts from. Nothing is committed, the engine's proposal stays, and a re-plan from
it keeps the edited routes it locks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from senga_desktop.controllers import planning
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_edit_commit import commit_edited_plan
from senga_desktop.controllers.plan_edit_propose import propose_edited_plan
from senga_desktop.controllers.plan_editing import open_plan_editor
from senga_desktop.controllers.planning_views import decision_view
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Decision, Order
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import DecisionType, OrderStatus, PolicyName, RouteStatus
from senga_desktop.errors import ValidationError

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(
    policy=PolicyName.CFA, seed=5, time_limit=None, max_iterations=120, workers=1
)


@pytest.fixture
def dispatcher(database: Database, people: dict[str, Actor]) -> Actor:
    seed_demo(database.sessions, now=NOW)
    return people["otieno"]


def _statuses(database: Database, decision_id: str) -> set[RouteStatus]:
    with unit_of_work(database.sessions) as session:
        record = session.scalars(select(Decision).where(Decision.decision_id == decision_id)).one()
        return {r.status for r in record.routes}


def test_an_edited_plan_stored_as_a_proposal_and_replanned_from(
    database: Database, dispatcher: Actor
) -> None:
    engine = planning.plan(database.sessions, dispatcher, QUICK, now=NOW).decision_id
    editor = open_plan_editor(database.sessions, dispatcher, engine)
    source, target = editor.base_drafts[0], editor.base_drafts[1]
    moved = source.order_ids[-1]
    drafts, edit = editor.move_order(editor.base_drafts, moved, target.vehicle_id, 0)
    edited = editor.evaluate(drafts)

    view = propose_edited_plan(database.sessions, dispatcher, engine, drafts, [edit])
    assert view.decision_type is DecisionType.MANUAL_EDIT
    assert view.status == "proposed"
    assert view.base_decision_id == engine
    assert view.edits == (edit.describe(),)
    assert view.accepted_violations == ()
    assert view.cost_change_kes == edited.cost_change_kes
    assert [r.order_ids for r in view.routes] == [r.order_ids for r in edited.view.routes]
    # Nothing committed, nothing set aside: the engine's proposal is still one.
    assert _statuses(database, engine) == {RouteStatus.PROPOSED}
    assert _statuses(database, view.decision_id) == {RouteStatus.PROPOSED}
    assert decision_view(database.sessions, dispatcher, engine).edited_as is None
    with unit_of_work(database.sessions) as session:
        pending = session.scalar(
            select(func.count()).select_from(Order).where(Order.status == OrderStatus.ASSIGNED)
        )
        assert pending == 0
        record = session.scalars(
            select(Decision).where(Decision.decision_id == view.decision_id)
        ).one()
        assert not record.committed
        assert record.state_snapshot["edit"]["proposed"] is True
        assert record.edits == [edit.to_json()]
        actions = set(session.scalars(select(AuditLog.action)))
    assert "decision.edit_proposed" in actions

    # Re-planning the rest from it keeps the edited route of the locked truck exactly.
    request = replace(QUICK, base_decision_id=view.decision_id,
                      locked_vehicle_ids=frozenset({target.vehicle_id}))  # fmt: skip
    again = planning.plan(database.sessions, dispatcher, request, now=NOW)
    replanned = decision_view(database.sessions, dispatcher, again.decision_id)
    kept = next(r for r in replanned.routes if r.vehicle_id == target.vehicle_id)
    assert kept.order_ids == (moved, *target.order_ids)
    # The engine's own proposal can still be edited and committed.
    committed = commit_edited_plan(database.sessions, dispatcher, engine, drafts, [edit],
                                   accept_violations=True)  # fmt: skip
    assert committed.committed


def test_the_engines_plan_itself_stores_nothing_and_bad_edits_are_refused(
    database: Database, dispatcher: Actor
) -> None:
    engine = planning.plan(database.sessions, dispatcher, QUICK, now=NOW).decision_id
    editor = open_plan_editor(database.sessions, dispatcher, engine)
    view = propose_edited_plan(database.sessions, dispatcher, engine, editor.base_drafts, [])
    assert view.decision_id == engine
    drafts, edit = editor.move_order(editor.base_drafts, editor.base_drafts[0].order_ids[0], None)
    with pytest.raises(ValidationError, match="do not lead from decision"):
        propose_edited_plan(database.sessions, dispatcher, engine, drafts, [])
    with unit_of_work(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 1
    assert edit.order_id is not None
