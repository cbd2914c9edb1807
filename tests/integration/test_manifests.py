"""Driver manifests read from real databases: what a sheet says of a committed route or plan,
which routes are printed, and the refusals (unknown ids, proposals, cancelled routes, accounts
that may no longer see routes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from senga_desktop.controllers import planning, routes
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.manifests import (
    manifest_for_decision,
    manifest_for_id,
    manifest_for_route,
)
from senga_desktop.controllers.permissions import COMMAND_LINE, Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Customer, Order, User, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import PolicyName, RouteStatus, SpecialHandling
from senga_desktop.errors import NotFound, PermissionDenied, ValidationError

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.CFA, seed=7, time_limit=None, max_iterations=100)
RENAMED = "Wanjikũ Müller Ltd"


@pytest.fixture
def dispatcher(people: dict[str, Actor]) -> Actor:
    return people["otieno"]


@pytest.fixture
def committed(database: Database, dispatcher: Actor) -> planning.DecisionSummary:
    """The demo depot planned and committed; the first route's first customer renamed."""
    seed_demo(database.sessions, now=NOW)
    summary = planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    assert len(summary.routes) >= 2, "the demo depot should give several routes"
    committed = planning.commit_decision(database.sessions, dispatcher, summary.decision_id)
    first = committed.routes[0].stops[0].order_ids[0]
    with unit_of_work(database.sessions) as session:
        customer_id = session.scalar(select(Order.customer_id).where(Order.order_id == first))
        session.execute(update(Customer).where(Customer.id == customer_id)
                        .values(customer_name=RENAMED))  # fmt: skip
    return committed


def test_a_route_sheet_says_what_the_route_does_and_whom_to_ask(
    database: Database, dispatcher: Actor, committed: planning.DecisionSummary
) -> None:
    route = committed.routes[0]
    view = routes.route_detail(database.sessions, dispatcher, route.route_id)
    manifest = manifest_for_route(database.sessions, dispatcher, route.route_id, now=NOW)
    assert manifest.title == f"Route {route.route_id}"
    assert (manifest.decision_id, manifest.printed_by) == (committed.decision_id, "otieno")
    assert manifest.printed_at.utcoffset() == timedelta(hours=3)  # depot time, Nairobi
    (sheet,) = manifest.sheets
    assert (sheet.route_id, sheet.vehicle_id, sheet.status) == (
        route.route_id, route.vehicle_id, RouteStatus.PLANNED,
    )  # fmt: skip
    assert sheet.depot_name == "Senga Nairobi Depot"
    assert sheet.driver == ""  # the fleet records no drivers: a line to fill in
    # The same stops as the Routes screen shows, in the same order, at the same moments.
    assert [s.order_ids for s in sheet.stops] == [s.order_ids for s in view.stops]
    assert [s.town for s in sheet.stops] == [s.town for s in view.stops]
    assert [s.eta for s in sheet.stops] == [s.eta for s in view.stops]
    assert all(s.eta is None or s.eta.utcoffset() == timedelta(hours=3) for s in sheet.stops)
    assert sheet.departure == view.departure
    assert sheet.day == view.departure.astimezone(sheet.departure.tzinfo).date()
    assert (sheet.total_tonnes, sheet.load_tonnes) == (
        sum(s.weight_tonnes for s in view.stops), view.load_tonnes,
    )  # fmt: skip
    # The map's path: the truck's start, the depot to load, every stop, back to the depot.
    assert sheet.path[0] == sheet.start
    assert sheet.path[1] == sheet.path[-1] == sheet.depot
    visited = [(p.lat, p.lon) for p in sheet.path[2:-1] if p != sheet.depot]
    assert visited == [(s.lat, s.lon) for s in view.stops]
    with unit_of_work(database.sessions) as session:
        plate = session.scalar(select(Vehicle.registration_plate)
                               .where(Vehicle.vehicle_id == route.vehicle_id))  # fmt: skip
        order = session.scalars(select(Order).where(Order.order_id == view.order_ids[0])).one()
        customer = order.customer
        assert sheet.plate == plate
        line = sheet.stops[0].orders[0]
        assert line.customer == RENAMED == customer.customer_name
        assert line.contact == customer.preferences["contact_person"]
        assert line.phone == customer.phone
        assert line.address == order.destination_location["address"]
        assert (line.weight_tonnes, line.volume_m3) == (order.weight_tonnes, order.volume_m3)


def test_special_handling_comes_with_what_to_do(
    database: Database, dispatcher: Actor, committed: planning.DecisionSummary
) -> None:
    manifest = manifest_for_decision(database.sessions, dispatcher, committed.decision_id)
    lines = [o for sheet in manifest.sheets for s in sheet.stops for o in s.orders]
    with unit_of_work(database.sessions) as session:
        handling = dict(session.execute(
            select(Order.order_id, Order.special_handling)
            .where(Order.order_id.in_([o.order_id for o in lines]))
        ).all())  # fmt: skip
    assert any(handling.values()), "the demo plan carries chilled and fragile freight"
    for line in lines:
        assert {n.code for n in line.handling} == {
            SpecialHandling(h) for h in handling[line.order_id]
        }
    chilled = next(n for o in lines for n in o.handling if n.code is SpecialHandling.REFRIGERATED)
    assert chilled.warning
    assert "cold chain" in chilled.instruction
    sheet = next(s for s in manifest.sheets if s.warnings)
    note, stops = sheet.warnings[0]
    assert all(any(n.code is note.code for n in sheet.stops[k - 1].handling) for k in stops)


def test_a_whole_plan_is_every_committed_route_but_the_cancelled(
    database: Database, people: dict[str, Actor], committed: planning.DecisionSummary
) -> None:
    manager = people["wanjiku"]
    manifest = manifest_for_decision(database.sessions, manager, committed.decision_id)
    assert manifest.title == f"Decision {committed.decision_id}"
    assert manifest.route_ids == tuple(sorted(r.route_id for r in committed.routes))
    assert manifest.skipped == ()
    cancelled = committed.routes[-1].route_id
    routes.cancel_route(database.sessions, manager, cancelled, reason="truck broke down")
    again = manifest_for_decision(database.sessions, manager, committed.decision_id)
    assert cancelled not in again.route_ids
    assert again.skipped == (cancelled,)
    assert len(again.sheets) == len(committed.routes) - 1
    with pytest.raises(ValidationError, match=f"Route {cancelled} is cancelled"):
        manifest_for_route(database.sessions, manager, cancelled)


def test_either_id_is_taken_and_unknown_ones_are_named(
    database: Database, committed: planning.DecisionSummary
) -> None:
    route_id = committed.routes[0].route_id
    assert manifest_for_id(database.sessions, COMMAND_LINE, route_id).route_ids == (route_id,)
    whole = manifest_for_id(database.sessions, COMMAND_LINE, f" {committed.decision_id} ")
    assert len(whole.sheets) == len(committed.routes)
    assert whole.printed_by == "(command line)"
    with pytest.raises(NotFound, match="There is no route DEC-0-R01"):
        manifest_for_route(database.sessions, COMMAND_LINE, "DEC-0-R01")
    with pytest.raises(NotFound, match="There is no decision DEC-0"):
        manifest_for_decision(database.sessions, COMMAND_LINE, "DEC-0")
    with pytest.raises(NotFound, match="no route or decision 'RT-9'"):
        manifest_for_id(database.sessions, COMMAND_LINE, "RT-9")


def test_a_proposal_is_not_printed(database: Database, dispatcher: Actor) -> None:
    seed_demo(database.sessions, now=NOW)
    proposal = planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    with pytest.raises(ValidationError, match="is not committed: commit it before printing"):
        manifest_for_decision(database.sessions, dispatcher, proposal.decision_id)
    with pytest.raises(ValidationError, match="is only proposed: commit its decision"):
        manifest_for_route(database.sessions, dispatcher, proposal.routes[0].route_id)


def test_an_account_switched_off_may_not_print(
    database: Database, dispatcher: Actor, committed: planning.DecisionSummary
) -> None:
    with unit_of_work(database.sessions) as session:
        session.execute(update(User).where(User.id == dispatcher.user_id).values(is_active=False))
    with pytest.raises(PermissionDenied, match="no longer active"):
        manifest_for_route(database.sessions, dispatcher, committed.routes[0].route_id)
