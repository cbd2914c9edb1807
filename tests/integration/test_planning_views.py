"""Decisions and routes as the screens read them: decision_view and load_route_views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine

from senga_desktop.controllers import auth, planning, users
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.planning_state import read_state
from senga_desktop.controllers.planning_views import decision_view
from senga_desktop.controllers.route_views import load_route_views
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Decision, Order, Route, RouteStop, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import DecisionType, PolicyName, Role, RouteStatus, StopType
from senga_desktop.errors import NotFound, ValidationError
from tests.factories import make_customer, make_order, make_vehicle

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.CFA, seed=7, time_limit=None, max_iterations=150)


@pytest.fixture
def dispatcher(database: Database) -> Actor:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    info = users.create_user(database.sessions, admin, username="otieno", email=None,
                             role=Role.USER, password="Matatu-Route-46")  # fmt: skip
    seed_demo(database.sessions, now=NOW)
    return Actor(info.id, info.username, info.role)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_decision_view_holds_routes_stops_loads_and_held_orders(
    database: Database, dispatcher: Actor
) -> None:
    summary = planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    view = decision_view(database.sessions, dispatcher, summary.decision_id)
    assert view.decision_id == summary.decision_id
    assert view.created_by == "otieno"
    assert view.status == "proposed"
    assert not view.committed
    assert view.policy is PolicyName.CFA
    assert view.seed == 7
    assert view.time_limit is None
    assert view.iterations is not None
    assert view.iterations > 0
    assert view.depot.town
    assert view.depot.time_zone == "Africa/Nairobi"
    assert [r.route_id for r in view.routes] == [r.route_id for r in summary.routes]
    assert view.totals.orders_routed == len(summary.orders_routed)
    assert view.totals.trucks_used == len(summary.routes)
    assert view.totals.cost_kes == sum((r.cost_kes for r in summary.routes), Decimal(0))
    assert view.totals.margin_kes == view.totals.revenue_kes - view.totals.cost_kes
    with unit_of_work(database.sessions) as session:
        orders = {o.order_id: o for o in session.scalars(select(Order)).all()}
        names = {o.order_id: o.customer.customer_name for o in orders.values()}
        trucks = {v.vehicle_id: v for v in session.scalars(select(Vehicle)).all()}
        for route in view.routes:
            truck = trucks[route.vehicle_id]
            assert route.capacity_tonnes == truck.capacity_weight_tonnes
            assert route.start_town == truck.current_location["name"]
            # A van making several trips carries at once the largest of its trips' loads.
            trips = [route.trip_stops(n) for n in range(route.trip_count)]
            loads = [sum(orders[o].weight_tonnes for s in t for o in s.order_ids) for t in trips]
            assert route.load_tonnes == max(loads)
            assert route.load_tonnes <= route.capacity_tonnes
            assert route.departure is not None
            assert route.return_at is not None
            assert route.return_at >= max(s.departure for s in route.stops if s.departure)
            on_board = dict(enumerate(loads))
            for number, stop in enumerate(route.stops, start=1):
                assert stop.sequence == number
                on_board[stop.trip] -= stop.weight_tonnes
                assert stop.load_after_tonnes == on_board[stop.trip]
                assert stop.customers == tuple(names[o] for o in stop.order_ids)
                order = orders[stop.order_ids[0]]
                assert stop.window_end == order.time_window_end
                assert stop.revenue_kes == order.price_kes
                assert stop.town == order.destination_city
            assert route.stops[-1].load_after_tonnes == 0
    assert {h.order_id for h in view.held} == {h.order_id for h in summary.held}
    assert view.totals.orders_held == len(summary.held)
    for held in view.held:
        order = orders[held.order_id]
        assert held.message
        assert held.code
        assert held.customer == names[held.order_id]
        assert held.town == order.destination_city
        assert held.lat == pytest.approx(order.destination_location["lat"])
        assert held.weight_tonnes == order.weight_tonnes
        assert held.window_end == order.time_window_end


def test_a_decision_view_follows_commit_and_discard(database: Database, dispatcher: Actor) -> None:
    first = planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    planning.discard_decision(database.sessions, dispatcher, first.decision_id)
    assert decision_view(database.sessions, dispatcher, first.decision_id).status == "discarded"
    second = planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    planning.commit_decision(database.sessions, dispatcher, second.decision_id)
    view = decision_view(database.sessions, dispatcher, second.decision_id)
    assert view.status == "committed"
    assert view.committed_at is not None
    assert {r.status for r in view.routes} == {RouteStatus.PLANNED}
    with pytest.raises(ValidationError, match="committed already"):
        planning.discard_decision(database.sessions, dispatcher, second.decision_id)
    with pytest.raises(ValidationError, match="was discarded"):
        planning.discard_decision(database.sessions, dispatcher, first.decision_id)
    with pytest.raises(NotFound):
        decision_view(database.sessions, dispatcher, "DEC-000000-0000-XXXX")


def test_a_decision_made_before_held_orders_were_stored_shows_none(
    database: Database, dispatcher: Actor
) -> None:
    summary = planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    assert summary.held
    with unit_of_work(database.sessions) as session:
        session.execute(update(Decision).values(held_orders=[]))
    view = decision_view(database.sessions, dispatcher, summary.decision_id)
    assert view.held == ()
    assert view.routes
    assert planning.get_decision(database.sessions, dispatcher, summary.decision_id).held == ()


def test_get_decision_returns_the_stored_held_orders(database: Database, dispatcher: Actor) -> None:
    summary = planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    again = planning.get_decision(database.sessions, dispatcher, summary.decision_id)
    assert again.held == summary.held


def test_route_views_load_in_a_fixed_number_of_statements(
    database: Database, dispatcher: Actor
) -> None:
    summary = planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    assert len(summary.routes) >= 3
    counts = []
    for how_many in (1, len(summary.routes)):
        with unit_of_work(database.sessions) as session:
            routes = session.scalars(select(Route).order_by(Route.route_id)).all()[:how_many]
            with counted(database.engine) as statements:
                views = load_route_views(session, routes)
                assert all(v.stops and v.stops[0].customers[0] for v in views)
                assert all(v.decision_id == summary.decision_id for v in views)
            counts.append(len(statements))
    assert counts[0] == counts[1] <= 4  # trucks, decision, stops, orders with customers


def test_a_route_without_a_decision_starts_where_its_truck_is(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        customer = make_customer(session, customer_name="Duka la Mama")
        truck = make_vehicle(session)
        first = make_order(session, customer, weight_tonnes=Decimal("2"), price_kes=Decimal(100))
        second = make_order(session, customer, weight_tonnes=Decimal("3"), price_kes=Decimal(50))
        start = NOW + timedelta(hours=1)
        route = Route(
            route_id="RT-HAND-1",
            vehicle=truck,
            total_distance_km=Decimal(80),
            estimated_duration_minutes=300,
            estimated_cost_kes=Decimal(9000),
            order_ids=[first.order_id, second.order_id],
            planned_start=start,
        )
        for number, order in enumerate((first, second)):
            route.stops.append(
                RouteStop(
                    stop_id=f"RT-HAND-1-S{number}",
                    order_ids=[order.order_id],
                    location=order.destination_location,
                    stop_type=StopType.DELIVERY,
                    sequence_order=number,
                )
            )
        session.add(route)
    with unit_of_work(database.sessions) as session:
        (view,) = load_route_views(session, session.scalars(select(Route)).all())
    assert view.decision_id is None
    assert view.start_town == "Nairobi"
    assert view.return_at == start + timedelta(minutes=300)
    assert [s.load_after_tonnes for s in view.stops] == [Decimal(3), Decimal(0)]
    assert view.revenue_kes == Decimal(150)
    assert view.stops[0].customers == ("Duka la Mama",)
    assert view.weight_share == pytest.approx(0.5)


def _big_decision(database: Database, routes: int = 40, stops: int = 500) -> str:
    """A decision of ``routes`` routes and ``stops`` stops over as many orders, written directly
    (planning such a day takes half a minute), with every other pending order held."""
    with unit_of_work(database.sessions) as session:
        customers = [make_customer(session) for _ in range(20)]
        for number in range(stops + 40):
            make_order(
                session,
                customers[number % 20],
                order_id=f"ORD-BIG{number:04d}",
                time_window_start=NOW,
                time_window_end=NOW + timedelta(hours=30),
            )
        for _ in range(routes):
            make_vehicle(session)
        snapshot = read_state(session, now=NOW)
        order_ids = [o.order_id for o in snapshot.state.orders]
        trucks = [t.vehicle_id for t in snapshot.state.trucks][:routes]
        record = Decision(
            decision_id="DEC-BIG",
            decision_type=DecisionType.PLANNING,
            policy_used=PolicyName.CFA,
            policy_parameters={},
            seed=1,
            state_snapshot={**snapshot.to_json(), "run": {"iterations": 10}},
            orders_routed=order_ids[:stops],
            total_cost_estimate=Decimal(0),
            computation_time_ms=1,
            held_orders=[
                {"order_id": o, "code": "held_by_policy", "message": "Held.", "details": {}}
                for o in order_ids[stops:]
            ],
        )
        session.add(record)
        vehicles = {v.vehicle_id: v for v in session.scalars(select(Vehicle))}
        for r, vehicle_id in enumerate(trucks):
            mine = order_ids[r:stops:routes]
            route = Route(
                route_id=f"DEC-BIG-R{r:02d}",
                vehicle=vehicles[vehicle_id],
                decision=record,
                order_ids=mine,
                total_distance_km=Decimal(100),
                estimated_duration_minutes=600,
                estimated_cost_kes=Decimal(1000),
                planned_start=NOW,
            )
            for s, order_id in enumerate(mine):
                eta = NOW + timedelta(minutes=30 * (s + 1))
                route.stops.append(
                    RouteStop(
                        stop_id=f"{route.route_id}-S{s:02d}",
                        order_ids=[order_id],
                        location=dict(NAKURU_AT),
                        stop_type=StopType.DELIVERY,
                        sequence_order=s,
                        estimated_arrival=eta,
                        estimated_departure=eta + timedelta(minutes=20),
                    )
                )
            session.add(route)
    return "DEC-BIG"


NAKURU_AT = {"name": "Nakuru", "lat": -0.3031, "lon": 36.08}


def test_a_40_route_500_stop_decision_view_is_complete(
    database: Database, dispatcher: Actor
) -> None:
    decision_id = _big_decision(database)
    view = decision_view(database.sessions, dispatcher, decision_id)
    assert len(view.routes) == 40
    assert sum(len(r.stops) for r in view.routes) == 500
    assert len(view.held) >= 40
