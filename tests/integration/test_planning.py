"""Planning runs as decision records on real databases: plan, commit, stale, discard, replay."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from senga_desktop.cli import cli
from senga_desktop.controllers import auth, planning, users
from senga_desktop.controllers.demo_data import DEMO_ORDER_COUNT, build_demo_data, seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.planning_state import arrival_rates, read_state
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Decision, Order, Route, RouteStop, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, PolicyName, Role, RouteStatus, VehicleStatus
from senga_desktop.errors import PermissionDenied, StaleDataError, ValidationError
from tests.factories import make_customer, make_order

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.CFA, seed=7, time_limit=None, max_iterations=150)


@pytest.fixture
def dispatcher(database: Database) -> Actor:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    info = users.create_user(database.sessions, admin, username="otieno", email=None,
                             role=Role.USER, password="Matatu-Route-46")  # fmt: skip
    seed_demo(database.sessions, now=NOW)
    return Actor(info.id, info.username, info.role)


def _plan(database: Database, actor: Actor) -> planning.DecisionSummary:
    summary = planning.plan(database.sessions, actor, QUICK, now=NOW)
    assert summary.routes, "the demo depot should give at least one route"
    return summary


def test_a_run_stores_the_decision_and_proposed_routes(
    database: Database, dispatcher: Actor
) -> None:
    summary = _plan(database, dispatcher)
    with unit_of_work(database.sessions) as session:
        record = session.scalars(select(Decision)).one()
        routes = session.scalars(select(Route)).all()
        stops = session.scalar(select(func.count()).select_from(RouteStop))
        pending = session.scalar(
            select(func.count()).select_from(Order).where(Order.status == OrderStatus.PENDING)
        )
        assert record.decision_id == summary.decision_id
        assert record.policy_used is PolicyName.CFA
        assert record.policy_parameters == dict(summary.parameters)
        assert record.seed == 7
        assert not record.committed
        assert record.computation_time_ms > 0
        assert record.state_snapshot["state"]["orders"]
        assert set(record.routes_created) == {r.route_id for r in routes}
        assert sorted(record.orders_routed) == sorted(o for r in routes for o in r.order_ids)
        assert all(r.status is RouteStatus.PROPOSED for r in routes)
        assert stops == sum(len(r.order_ids) for r in routes)
        assert pending == DEMO_ORDER_COUNT  # nothing is assigned before a commit
        total = sum((r.estimated_cost_kes for r in routes), Decimal(0))
        assert abs(total - record.total_cost_estimate) <= Decimal("0.01") * len(routes)
    route = summary.routes[0]
    assert route.distance_km > 0
    assert all(stop.eta is not None and stop.eta >= NOW for stop in route.stops)
    held = {h.order_id for h in summary.held}
    assert held.isdisjoint(summary.orders_routed)
    assert len(held) + len(summary.orders_routed) == DEMO_ORDER_COUNT
    assert all(h.message for h in summary.held)


def test_commit_assigns_orders_and_reserves_trucks_in_one_go(
    database: Database, dispatcher: Actor
) -> None:
    summary = _plan(database, dispatcher)
    committed = planning.commit_decision(database.sessions, dispatcher, summary.decision_id)
    assert committed.committed
    with unit_of_work(database.sessions) as session:
        for route in session.scalars(select(Route)):
            assert route.status is RouteStatus.PLANNED
            assert route.vehicle.status is VehicleStatus.ON_ROUTE
            for order in route.orders:
                assert order.status is OrderStatus.ASSIGNED
            assert {o.order_id for o in route.orders} == set(route.order_ids)
        actions = set(session.scalars(select(AuditLog.action)))
    assert {"decision.planned", "decision.committed", "order.status_changed"} <= actions
    with pytest.raises(ValidationError, match="committed already"):
        planning.commit_decision(database.sessions, dispatcher, summary.decision_id)


def test_a_stale_decision_is_refused_and_nothing_is_written(
    database: Database, dispatcher: Actor
) -> None:
    summary = _plan(database, dispatcher)
    changed_order = summary.routes[0].order_ids[0]
    changed_truck = summary.routes[-1].vehicle_id
    with unit_of_work(database.sessions) as session:
        order = session.scalars(select(Order).where(Order.order_id == changed_order)).one()
        order.weight_tonnes += Decimal("0.5")  # someone edits the order meanwhile
        truck = session.scalars(select(Vehicle).where(Vehicle.vehicle_id == changed_truck)).one()
        truck.status = VehicleStatus.MAINTENANCE

    with pytest.raises(StaleDataError) as raised:
        planning.commit_decision(database.sessions, dispatcher, summary.decision_id)
    assert changed_order in str(raised.value)
    assert changed_truck in str(raised.value)
    assert changed_order in raised.value.keys
    assert changed_truck in raised.value.keys  # whole plates, spaces included ("KDB 418K")
    with unit_of_work(database.sessions) as session:
        assert not session.scalars(select(Decision)).one().committed
        assert {r.status for r in session.scalars(select(Route))} == {RouteStatus.PROPOSED}
        assert (
            session.scalar(
                select(func.count()).select_from(Order).where(Order.status != OrderStatus.PENDING)
            )
            == 0
        )


def test_discarding_keeps_the_decision_as_a_record(database: Database, dispatcher: Actor) -> None:
    summary = _plan(database, dispatcher)
    planning.discard_decision(database.sessions, dispatcher, summary.decision_id)
    with unit_of_work(database.sessions) as session:
        assert session.scalars(select(Decision)).one().decision_id == summary.decision_id
        assert {r.status for r in session.scalars(select(Route))} == {RouteStatus.DISCARDED}
    with pytest.raises(ValidationError, match="discarded"):
        planning.commit_decision(database.sessions, dispatcher, summary.decision_id)


def test_replaying_a_decision_gives_the_same_routes(database: Database, dispatcher: Actor) -> None:
    summary = _plan(database, dispatcher)
    result = planning.replay_decision(database.sessions, dispatcher, summary.decision_id)
    assert result.stored
    assert result.same


def test_a_time_limited_run_replays_by_its_iteration_count(
    database: Database, dispatcher: Actor
) -> None:
    request = planning.PlanRequest(policy=PolicyName.CFA, seed=3, time_limit=1.0)
    summary = planning.plan(database.sessions, dispatcher, request, now=NOW)
    assert planning.replay_decision(database.sessions, dispatcher, summary.decision_id).same


def test_expected_arrivals_are_read_from_the_last_four_weeks_of_orders(
    database: Database,
) -> None:
    with unit_of_work(database.sessions) as session:
        assert arrival_rates(session, NOW) == {}
        customer = make_customer(session)
        ages = {"Nakuru": [48, 30, 5, 1, 24 * 40], "Thika": [20, 2]}  # hours before NOW
        for town, hours in ages.items():
            for age in hours:
                make_order(session, customer, destination_city=town,
                           created_at=NOW - timedelta(hours=age))  # fmt: skip
        make_order(session, customer, destination_city="Thika", status=OrderStatus.CANCELLED,
                   created_at=NOW - timedelta(hours=3))  # fmt: skip
        make_order(session, customer, created_at=NOW + timedelta(minutes=5))  # after "now"
    with unit_of_work(database.sessions) as session:
        # Counted over the 48 hours since the first order of the last four weeks.
        expected = {"Nakuru": 4 / 48, "Thika": 3 / 48}
        assert arrival_rates(session, NOW) == pytest.approx(expected)
        assert read_state(session, now=NOW).state.belief.arrival_rates == pytest.approx(expected)
        # A history younger than a day is spread over a day.
        younger = arrival_rates(session, NOW - timedelta(hours=40))
        assert younger == pytest.approx({"Nakuru": 1 / 24})


def test_a_dla_decision_keeps_its_arrival_rates_and_replays(
    database: Database, dispatcher: Actor
) -> None:
    with unit_of_work(database.sessions) as session:
        customer = make_customer(session)
        for hours in (30, 20, 10):
            make_order(session, customer, destination_city="Nakuru", status=OrderStatus.DELIVERED,
                       created_at=NOW - timedelta(hours=hours))  # fmt: skip
    request = planning.PlanRequest(policy=PolicyName.DLA, parameters={"samples": 2}, seed=5,
                                   time_limit=None, max_iterations=100)  # fmt: skip
    summary = planning.plan(database.sessions, dispatcher, request, now=NOW)
    with unit_of_work(database.sessions) as session:
        record = session.scalars(select(Decision)).one()
        rates = record.state_snapshot["state"]["belief"]["arrival_rates"]
    # The three history orders and the demo's own Nakuru orders, entered in the last hours.
    demo = [o for o in build_demo_data(NOW).orders.values() if o["destination_city"] == "Nakuru"]
    assert rates["Nakuru"] == pytest.approx((3 + len(demo)) / 30)
    assert summary.confidence is not None
    assert planning.replay_decision(database.sessions, dispatcher, summary.decision_id).same


LONG_HAUL = {"Mombasa", "Kisumu", "Eldoret"}


def test_long_haul_orders_go_on_multi_day_trucks(database: Database, dispatcher: Actor) -> None:
    summary = _plan(database, dispatcher)
    with unit_of_work(database.sessions) as session:
        days = dict(session.execute(select(Vehicle.vehicle_id, Vehicle.max_trip_days)).all())
    far = [
        (route, stop) for route in summary.routes for stop in route.stops if stop.town in LONG_HAUL
    ]
    assert far, "the demo's heavy trucks and semis should take some up-country orders"
    for route, stop in far:
        assert days[route.vehicle_id] > 1
        # A round trip to the lake or the coast outlasts the driver's working day.
        assert route.duration_minutes > 10 * 60
        assert stop.eta is not None
        assert stop.eta >= NOW
    assert planning.replay_decision(database.sessions, dispatcher, summary.decision_id).same


def test_with_day_trips_only_long_haul_orders_are_beyond_every_shift(
    database: Database, dispatcher: Actor
) -> None:
    with unit_of_work(database.sessions) as session:
        session.execute(update(Vehicle).values(max_trip_days=1))
    summary = _plan(database, dispatcher)
    towns = {stop.town for route in summary.routes for stop in route.stops}
    assert not towns & LONG_HAUL
    beyond = [h for h in summary.held if h.code == "beyond_shift"]
    assert beyond
    assert all("multi-day trips" in h.message for h in beyond)


def test_planning_needs_orders_and_trucks(database: Database) -> None:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    with pytest.raises(ValidationError, match="no pending orders"):
        planning.plan(database.sessions, admin, QUICK, now=NOW)


def test_an_inactive_account_cannot_plan(database: Database, dispatcher: Actor) -> None:
    admin = auth.sign_in(database.sessions, "amina", "Simba-Depot-2026")
    users.update_user(database.sessions, admin, dispatcher.user_id, email=None, role=Role.USER,
                      is_active=False)  # fmt: skip
    with pytest.raises(PermissionDenied):
        planning.plan(database.sessions, dispatcher, QUICK, now=NOW)


def test_senga_plan_prints_json_and_commits(migrated_url: str) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["--database-url", migrated_url, "db", "seed", "--demo"]).exit_code == 0
    )
    # The proposal first: once the plan is committed every demo truck may be out on a trip.
    human = runner.invoke(cli, ["--database-url", migrated_url, "plan", "--time-limit", "1"])
    assert human.exit_code == 0, human.output
    assert human.output.startswith("Decision DEC-")
    result = runner.invoke(
        cli,
        ["--database-url", migrated_url, "plan", "--policy", "pfa", "--max-iterations", "100",
         "--seed", "1", "--commit", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["policy"] == "pfa"
    assert document["committed"] is True
    assert len(document["routes"]) + len(document["held"]) >= 1
    assert "Proposed (not committed)." in human.output
