"""Hand-edited plans on real databases: open an editor on a planned demo day, evaluate edits,
commit them as a manual-edit decision (or refuse: violations not confirmed, stale data, edits
that do not lead to the plan, decisions that are no longer proposals)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from senga_desktop.controllers import auth, planning, users
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_edit_commit import commit_edited_plan
from senga_desktop.controllers.plan_edit_views import HELD_BY_DISPATCHER
from senga_desktop.controllers.plan_editing import PlanEditor, open_plan_editor
from senga_desktop.controllers.planning_views import decision_view
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Decision, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import (
    DecisionType,
    OrderStatus,
    PolicyName,
    Role,
    RouteStatus,
    VehicleStatus,
)
from senga_desktop.engine.edits import PlanEdit
from senga_desktop.engine.evaluate import DraftRoute, ViolationCode
from senga_desktop.errors import StaleDataError, ValidationError

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(
    policy=PolicyName.CFA, seed=7, time_limit=None, max_iterations=150, workers=1
)


@pytest.fixture
def people(database: Database) -> tuple[Actor, Actor]:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    info = users.create_user(database.sessions, admin, username="otieno", email=None,
                             role=Role.USER, password="Matatu-Route-46")  # fmt: skip
    seed_demo(database.sessions, now=NOW)
    return admin, Actor(info.id, info.username, info.role)


@pytest.fixture
def proposal(database: Database, people: tuple[Actor, Actor]) -> str:
    return planning.plan(database.sessions, people[1], QUICK, now=NOW).decision_id


def _overload(editor: PlanEditor) -> tuple[tuple[DraftRoute, ...], list[PlanEdit], str]:
    """Orders of the other routes moved onto the smallest truck until it is over its weight."""
    routes = sorted(editor.base_view.routes, key=lambda r: (r.capacity_tonnes, r.vehicle_id))
    small = routes[0]
    drafts, edits = editor.base_drafts, []
    room = small.capacity_tonnes - small.load_tonnes
    for other in reversed(routes[1:]):
        for stop in other.stops:
            drafts, edit = editor.move_order(drafts, stop.order_ids[0], small.vehicle_id, 0)
            edits.append(edit)
            room -= stop.weight_tonnes
            if room < 0:
                return drafts, edits, small.vehicle_id
    raise AssertionError("the demo plan's trucks cannot be overloaded")


def test_an_editor_reads_the_engines_plan_as_it_was_stored(
    database: Database, people: tuple[Actor, Actor], proposal: str
) -> None:
    _, otieno = people
    editor = open_plan_editor(database.sessions, otieno, proposal)
    stored = decision_view(database.sessions, otieno, proposal)
    assert editor.decision_id == proposal
    assert [d.vehicle_id for d in editor.base_drafts] == [r.vehicle_id for r in stored.routes]
    assert [d.order_ids for d in editor.base_drafts] == [r.order_ids for r in stored.routes]
    base = editor.base
    assert not base.changed
    assert base.cost_change_kes == 0
    assert base.introduced == ()
    assert base.view.totals == stored.totals
    assert {h.order_id for h in base.view.held} == {h.order_id for h in stored.held}
    for evaluated, kept in zip(base.view.routes, stored.routes, strict=True):
        assert evaluated.route_id == kept.route_id
        assert (evaluated.cost_kes, evaluated.distance_km) == (kept.cost_kes, kept.distance_km)
        assert evaluated.duration_minutes == kept.duration_minutes
        assert [s.eta for s in evaluated.stops] == [s.eta for s in kept.stops]
        assert [s.load_after_tonnes for s in evaluated.stops] == [
            s.load_after_tonnes for s in kept.stops
        ]
        assert all(s.customers[0] for s in evaluated.stops)
    used = {r.vehicle_id for r in stored.routes}
    assert editor.free_trucks
    assert all(t.vehicle_id not in used for t in editor.free_trucks)
    assert editor.free_in(editor.base_drafts) == editor.free_trucks


def test_an_overloading_move_names_the_truck_and_changes_the_cost(
    database: Database, people: tuple[Actor, Actor], proposal: str
) -> None:
    editor = open_plan_editor(database.sessions, people[1], proposal)
    drafts, edits, truck = _overload(editor)
    edited = editor.evaluate(drafts)
    assert edited.changed
    over = [v for v in edited.violations if v.code is ViolationCode.OVER_WEIGHT]
    assert [v.vehicle_id for v in over] == [truck]
    assert over[0] in edited.introduced
    assert over[0] in edited.of_truck(truck)
    assert over[0].message.startswith(f"{truck} is loaded with ")
    assert edited.cost_change_kes != 0
    assert edited.view.cost_change_kes == edited.cost_change_kes
    assert edited.view.totals.cost_kes == editor.base.view.totals.cost_kes + edited.cost_change_kes
    route = next(r for r in edited.view.routes if r.vehicle_id == truck)
    assert route.load_tonnes > route.capacity_tonnes
    assert edits[0].describe().startswith(f"Moved order {edits[0].order_id} from ")
    # The old tuple still evaluates to the engine's plan: undo is putting it back.
    assert editor.evaluate(editor.base_drafts).view == editor.base_view


def test_committing_an_edited_plan_asks_for_its_violations_then_records_the_edit(
    database: Database, people: tuple[Actor, Actor], proposal: str
) -> None:
    amina, otieno = people
    editor = open_plan_editor(database.sessions, otieno, proposal)
    drafts, edits, truck = _overload(editor)
    held_one = next(d for d in drafts if d.vehicle_id != truck).order_ids[0]
    drafts, hold = editor.move_order(drafts, held_one, None)
    edits.append(hold)
    edited = editor.evaluate(drafts)
    with pytest.raises(ValidationError) as refused:
        commit_edited_plan(database.sessions, amina, proposal, drafts, edits)
    assert refused.value.field == "violations"
    for violation in edited.introduced:
        assert violation.message in refused.value.message
    with unit_of_work(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 1

    view = commit_edited_plan(
        database.sessions, amina, proposal, drafts, edits, accept_violations=True
    )
    assert view.decision_type is DecisionType.MANUAL_EDIT
    assert view.status == "committed"
    assert view.base_decision_id == proposal
    assert view.created_by == "amina"
    assert view.edits == tuple(e.describe() for e in edits)
    assert view.accepted_violations == tuple(v.message for v in edited.introduced)
    assert view.cost_change_kes == edited.cost_change_kes
    assert [r.order_ids for r in view.routes] == [r.order_ids for r in edited.view.routes]
    assert next(h for h in view.held if h.order_id == held_one).code == HELD_BY_DISPATCHER
    with unit_of_work(database.sessions) as session:
        base = session.scalars(select(Decision).where(Decision.decision_id == proposal)).one()
        record = session.scalars(
            select(Decision).where(Decision.decision_id == view.decision_id)
        ).one()
        assert record.decision_type is DecisionType.MANUAL_EDIT
        assert record.base_decision_id == base.id
        assert record.edits == [e.to_json() for e in edits]
        assert record.committed
        assert not base.committed
        assert record.state_snapshot["state"] == base.state_snapshot["state"]
        assert record.state_snapshot["edit"]["base_decision_id"] == proposal
        assert Decimal(record.state_snapshot["edit"]["cost_change_kes"]) == edited.cost_change_kes
        assert (record.policy_used, record.seed) == (base.policy_used, base.seed)
        assert {r.status for r in base.routes} == {RouteStatus.DISCARDED}
        for route in record.routes:
            assert route.status is RouteStatus.PLANNED
            assert route.vehicle.status is VehicleStatus.ON_ROUTE
            assert {o.order_id for o in route.orders} == set(route.order_ids)
            assert {o.status for o in route.orders} == {OrderStatus.ASSIGNED}
        order = session.scalars(select(Order).where(Order.order_id == held_one)).one()
        assert order.status is OrderStatus.PENDING
        assert order.assigned_route_id is None
        actions = {
            (a.action, a.entity_id)
            for a in session.scalars(select(AuditLog).where(AuditLog.entity_type == "decision"))
        }
    assert ("decision.committed", view.decision_id) in actions
    assert ("decision.edited", view.decision_id) in actions
    assert ("decision.discarded", proposal) in actions
    engine = decision_view(database.sessions, otieno, proposal)
    assert engine.status == "discarded"
    assert engine.edited_as == view.decision_id
    with pytest.raises(ValidationError, match=f"edited and committed as {view.decision_id}"):
        open_plan_editor(database.sessions, otieno, proposal)
    with pytest.raises(ValidationError, match="was committed"):
        open_plan_editor(database.sessions, otieno, view.decision_id)


def test_drafts_equal_to_the_engines_plan_commit_the_engines_decision(
    database: Database, people: tuple[Actor, Actor], proposal: str
) -> None:
    editor = open_plan_editor(database.sessions, people[1], proposal)
    first = editor.base_drafts[0]
    drafts, there = editor.swap_truck(
        editor.base_drafts, first.vehicle_id, editor.free_trucks[0].vehicle_id
    )
    drafts, back = editor.swap_truck(drafts, editor.free_trucks[0].vehicle_id, first.vehicle_id)
    assert not editor.evaluate(drafts).changed
    view = commit_edited_plan(database.sessions, people[1], proposal, drafts, [there, back])
    assert view.decision_id == proposal
    assert view.decision_type is DecisionType.PLANNING
    assert view.status == "committed"
    with unit_of_work(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 1


def test_a_stale_edited_plan_is_refused_in_words_and_nothing_is_written(
    database: Database, people: tuple[Actor, Actor], proposal: str
) -> None:
    _, otieno = people
    editor = open_plan_editor(database.sessions, otieno, proposal)
    free = editor.free_trucks[0].vehicle_id
    drafts, edit = editor.swap_truck(editor.base_drafts, editor.base_drafts[-1].vehicle_id, free)
    moved = editor.base_drafts[-1].order_ids[0]
    with unit_of_work(database.sessions) as session:
        order = session.scalars(select(Order).where(Order.order_id == moved)).one()
        order.weight_tonnes += Decimal("0.1")  # edited on another desktop meanwhile
        truck = session.scalars(select(Vehicle).where(Vehicle.vehicle_id == free)).one()
        truck.status = VehicleStatus.MAINTENANCE
    with pytest.raises(StaleDataError) as raised:
        commit_edited_plan(
            database.sessions, otieno, proposal, drafts, [edit], accept_violations=True
        )
    assert raised.value.summary.startswith(f"Decision {proposal} is out of date")
    assert f"order {moved} was edited" in raised.value.details
    assert f"truck {free} is in maintenance" in raised.value.details
    with unit_of_work(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 1
        assert {r.status for r in session.scalars(select(Route))} == {RouteStatus.PROPOSED}


def test_edits_that_do_not_lead_to_the_plan_and_committed_decisions_are_refused(
    database: Database, people: tuple[Actor, Actor], proposal: str
) -> None:
    amina, otieno = people
    editor = open_plan_editor(database.sessions, otieno, proposal)
    drafts, edits, _ = _overload(editor)
    with pytest.raises(ValidationError, match="do not lead from decision"):
        commit_edited_plan(database.sessions, otieno, proposal, drafts, edits[:-1])
    ghost = (*drafts, DraftRoute.of("KZZ 999Z", "ORD-NOWHERE"))
    with pytest.raises(ValidationError, match="do not lead"):
        commit_edited_plan(database.sessions, otieno, proposal, ghost, edits)
    planning.commit_decision(database.sessions, amina, proposal)
    with pytest.raises(ValidationError, match="was committed"):
        open_plan_editor(database.sessions, otieno, proposal)
    with pytest.raises(ValidationError, match="was committed"):
        commit_edited_plan(database.sessions, otieno, proposal, drafts, edits)


def test_an_edited_plan_whose_orders_another_plan_took_names_who_committed_first(
    database: Database, people: tuple[Actor, Actor], proposal: str
) -> None:
    amina, otieno = people
    editor = open_plan_editor(database.sessions, otieno, proposal)
    drafts, edits, _ = _overload(editor)
    other = planning.plan(database.sessions, amina, QUICK, now=NOW).decision_id
    planning.commit_decision(database.sessions, amina, other)
    with pytest.raises(StaleDataError) as raised:
        commit_edited_plan(
            database.sessions, otieno, proposal, drafts, edits, accept_violations=True
        )
    assert raised.value.summary.startswith(
        f"Another plan was committed first: amina committed decision {other} at "
    )
    with unit_of_work(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 2
