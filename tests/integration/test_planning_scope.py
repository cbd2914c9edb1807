"""Planning a chosen part of the depot: the form's options, scopes, and runs that cannot start."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from senga_desktop.controllers import auth, planning, users
from senga_desktop.controllers.demo_data import DEMO_ORDER_COUNT, seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.planning_state import PlanScope
from senga_desktop.controllers.planning_views import planning_options
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Decision, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, PolicyName, Role, VehicleStatus
from senga_desktop.errors import PlanningCancelled, ValidationError

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.PFA, seed=2, time_limit=None, max_iterations=80)


@pytest.fixture
def dispatcher(database: Database) -> Actor:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    info = users.create_user(
        database.sessions,
        admin,
        username="otieno",
        email=None,
        role=Role.USER,
        password="Matatu-Route-46",
    )
    seed_demo(database.sessions, now=NOW)
    return Actor(info.id, info.username, info.role)


def _request(scope: PlanScope) -> planning.PlanRequest:
    return planning.PlanRequest(
        policy=QUICK.policy,
        seed=QUICK.seed,
        time_limit=None,
        max_iterations=QUICK.max_iterations,
        scope=scope,
    )


def test_the_options_count_pending_orders_by_town_and_the_trucks(
    database: Database, dispatcher: Actor
) -> None:
    options = planning_options(database.sessions, dispatcher)
    with unit_of_work(database.sessions) as session:
        pending = session.scalars(select(Order).where(Order.status == OrderStatus.PENDING)).all()
        available = session.scalars(
            select(Vehicle).where(Vehicle.status == VehicleStatus.AVAILABLE)
        ).all()
        fleet = session.scalar(select(func.count()).select_from(Vehicle))
    assert options.pending_orders == len(pending)
    by_town: dict[str, int] = {}
    for order in pending:
        by_town[order.destination_city] = by_town.get(order.destination_city, 0) + 1
    assert {t.town: t.pending for t in options.towns} == by_town
    assert options.due_from == min(o.time_window_end for o in pending)
    assert options.due_to == max(o.time_window_end for o in pending)
    assert options.due_from is not None
    assert options.due_from.tzinfo is not None
    assert [t.vehicle_id for t in options.trucks] == sorted(v.vehicle_id for v in available)
    assert len(options.trucks) + sum(options.unavailable.values()) == fleet
    assert options.time_zone == "Africa/Nairobi"
    assert options.problem is None


def test_a_run_plans_only_the_chosen_towns_and_trucks(
    database: Database, dispatcher: Actor
) -> None:
    options = planning_options(database.sessions, dispatcher)
    towns = frozenset(t.town for t in sorted(options.towns, key=lambda t: -t.pending)[:2])
    trucks = frozenset(t.vehicle_id for t in options.trucks[:3])
    scope = PlanScope(towns=towns, vehicle_ids=trucks)
    summary = planning.plan(database.sessions, dispatcher, _request(scope), now=NOW)
    with unit_of_work(database.sessions) as session:
        record = session.scalars(select(Decision)).one()
        seen = record.state_snapshot["state"]
        assert {o["town"] for o in seen["orders"]} == towns
        assert {t["vehicle_id"] for t in seen["trucks"]} == trucks
        assert record.state_snapshot["run"]["scope"]["towns"] == sorted(towns)
    assert {r.vehicle_id for r in summary.routes} <= trucks
    assert {s.town for r in summary.routes for s in r.stops} <= towns
    expected = sum(t.pending for t in options.towns if t.town in towns)
    assert len(summary.orders_routed) + len(summary.held) == expected


def test_a_run_plans_only_orders_due_before_the_limit_or_chosen_by_number(
    database: Database, dispatcher: Actor
) -> None:
    with unit_of_work(database.sessions) as session:
        pending = session.scalars(select(Order).where(Order.status == OrderStatus.PENDING)).all()
        ends = sorted(o.time_window_end for o in pending)
        limit = ends[len(ends) // 2]
        due = {o.order_id for o in pending if o.time_window_end < limit}
        chosen = frozenset(sorted(o.order_id for o in pending)[:5])
    summary = planning.plan(
        database.sessions, dispatcher, _request(PlanScope(due_before=limit)), now=NOW
    )
    assert set(summary.orders_routed) | {h.order_id for h in summary.held} == due
    summary = planning.plan(
        database.sessions, dispatcher, _request(PlanScope(order_ids=chosen)), now=NOW
    )
    assert set(summary.orders_routed) | {h.order_id for h in summary.held} == chosen


def test_an_empty_scope_says_what_to_do(database: Database, dispatcher: Actor) -> None:
    with pytest.raises(
        ValidationError, match=f"None of the {DEMO_ORDER_COUNT} pending orders is in the chosen"
    ):
        planning.plan(
            database.sessions, dispatcher, _request(PlanScope(towns=frozenset({"Lodwar"}))), now=NOW
        )
    with pytest.raises(ValidationError, match="due before") as raised:
        planning.plan(
            database.sessions,
            dispatcher,
            _request(PlanScope(due_before=NOW - timedelta(days=30))),
            now=NOW,
        )
    assert raised.value.field == "orders"
    options = planning_options(database.sessions, dispatcher)
    first = options.trucks[0].vehicle_id
    with unit_of_work(database.sessions) as session:
        session.execute(
            update(Vehicle)
            .where(Vehicle.vehicle_id == first)
            .values(status=VehicleStatus.MAINTENANCE)
        )
    with pytest.raises(ValidationError, match=f"{first} is in maintenance\\). Choose available"):
        planning.plan(
            database.sessions,
            dispatcher,
            _request(PlanScope(vehicle_ids=frozenset({first}))),
            now=NOW,
        )
    with pytest.raises(ValidationError, match="no longer in the fleet"):
        planning.plan(
            database.sessions,
            dispatcher,
            _request(PlanScope(vehicle_ids=frozenset({"KXX 000X"}))),
            now=NOW,
        )
    assert not _decisions(database)


def _decisions(database: Database) -> int:
    with unit_of_work(database.sessions) as session:
        return session.scalar(select(func.count()).select_from(Decision)) or 0


def test_no_available_truck_is_explained_by_status(database: Database, dispatcher: Actor) -> None:
    with unit_of_work(database.sessions) as session:
        ids = list(session.scalars(select(Vehicle.id).order_by(Vehicle.id)))
        session.execute(update(Vehicle).values(status=VehicleStatus.ON_ROUTE))
        session.execute(
            update(Vehicle).where(Vehicle.id == ids[0]).values(status=VehicleStatus.MAINTENANCE)
        )
    message = (
        f"No truck is available: {len(ids) - 1} on route, 1 in maintenance — mark trucks available "
        "on the Fleet board."
    )
    with pytest.raises(ValidationError) as raised:
        planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    assert str(raised.value) == message
    assert raised.value.field == "trucks"
    assert planning_options(database.sessions, dispatcher).problem == message
    with unit_of_work(database.sessions) as session:
        session.execute(update(Vehicle).values(status=VehicleStatus.RETIRED))
    with pytest.raises(ValidationError, match="no trucks in the fleet"):
        planning.plan(database.sessions, dispatcher, QUICK, now=NOW)


def test_no_pending_order_at_all_is_explained(database: Database, dispatcher: Actor) -> None:
    with unit_of_work(database.sessions) as session:
        session.execute(update(Order).values(status=OrderStatus.CANCELLED))
    with pytest.raises(ValidationError, match=r"no pending orders to plan\. Add or import"):
        planning.plan(
            database.sessions, dispatcher, _request(PlanScope(towns=frozenset({"Nakuru"}))), now=NOW
        )
    options = planning_options(database.sessions, dispatcher)
    assert options.pending_orders == 0
    assert options.towns == ()
    assert options.due_from is None
    assert options.problem is not None
    assert options.problem.startswith("There are no pending orders")


def test_a_cancelled_run_writes_nothing(database: Database, dispatcher: Actor) -> None:
    cancel = threading.Event()
    seen: list[object] = []

    def progress(*args: object) -> None:
        seen.append(args)
        cancel.set()  # the user presses Cancel at the first progress report

    request = planning.PlanRequest(
        policy=PolicyName.CFA, seed=1, time_limit=None, max_iterations=5000
    )
    with pytest.raises(PlanningCancelled):
        planning.plan(
            database.sessions, dispatcher, request, now=NOW, progress=progress, cancel=cancel
        )
    assert seen
    assert not _decisions(database)
    with unit_of_work(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Route)) == 0
