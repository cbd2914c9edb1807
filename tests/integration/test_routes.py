"""The Routes screen's controllers on real databases: list, filter, search, open, cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from senga_desktop.controllers import planning, routes
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_views import RouteFilter, RoutePage
from senga_desktop.controllers.planning_state import read_state
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, PolicyName, RouteStatus, VehicleStatus
from senga_desktop.errors import NotFound, PermissionDenied, StaleDataError, ValidationError
from tests.factories import make_route, make_vehicle

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.CFA, seed=7, time_limit=None, max_iterations=100)
DAY = datetime(2026, 11, 20, 5, tzinfo=UTC)


@pytest.fixture
def dispatcher(people: dict[str, Actor]) -> Actor:
    return people["otieno"]


@pytest.fixture
def manager(people: dict[str, Actor]) -> Actor:
    return people["wanjiku"]


def _made_routes(database: Database) -> dict[str, str]:
    """Six routes on two trucks over three days, in every status, with known orders and towns."""
    made: dict[str, str] = {}
    with unit_of_work(database.sessions) as session:
        one = make_vehicle(session, vehicle_id="KDA 001A")
        two = make_vehicle(session, vehicle_id="KDB 002B")
        specs = [  # key, truck, status, days after DAY, towns, orders
            ("a", one, RouteStatus.PLANNED, 0, ["Nakuru", "Naivasha"], ["ORD-10", "ORD-11"]),
            ("b", two, RouteStatus.COMPLETED, 0, ["Thika"], ["ORD-1"]),
            ("c", one, RouteStatus.IN_PROGRESS, 1, ["Nakuru"], ["ORD-2611-00042"]),
            ("d", two, RouteStatus.CANCELLED, 2, ["Kérugoya", "Embu"], ["ORD-2611-00142"]),
            ("e", one, RouteStatus.PROPOSED, 1, ["Nakuru"], ["ORD-20"]),
            ("f", two, RouteStatus.DISCARDED, 2, ["Thika"], ["ORD-21"]),
        ]
        for key, truck, status, days, towns, orders in specs:
            route = make_route(session, truck, stops=len(orders), status=status,
                               planned_start=DAY + timedelta(days=days, hours=len(made)),
                               destination_cities=towns, order_ids=orders)  # fmt: skip
            made[key] = route.route_id
    return made


def _ids(page: RoutePage) -> list[str]:
    return [row.route_id for row in page.rows]


def test_committed_and_past_routes_are_listed_newest_first(
    database: Database, dispatcher: Actor
) -> None:
    made = _made_routes(database)
    page = routes.list_routes(database.sessions, dispatcher, RouteFilter())
    assert _ids(page) == [made["d"], made["c"], made["b"], made["a"]]
    assert page.total == 4
    row = page.rows[-1]
    assert row.vehicle_id == "KDA 001A"
    assert row.status is RouteStatus.PLANNED
    assert row.towns == ("Nakuru", "Naivasha")
    assert (row.stops, row.orders) == (2, 2)
    assert row.distance_km == Decimal("160.5")
    assert row.planned_start == DAY + timedelta(hours=0)
    assert row.decision_id is None
    assert row.version == 1
    asked = RouteFilter(statuses=frozenset({RouteStatus.PROPOSED, RouteStatus.DISCARDED}))
    assert _ids(routes.list_routes(database.sessions, dispatcher, asked)) == [
        made["f"],
        made["e"],
    ]


def test_each_filter_narrows_the_list(database: Database, dispatcher: Actor) -> None:
    made = _made_routes(database)

    def listed(**fields: object) -> set[str]:
        wanted = RouteFilter(**fields)  # type: ignore[arg-type]
        page = routes.list_routes(database.sessions, dispatcher, wanted)
        assert page.total == len(page.rows)
        return set(_ids(page))

    assert listed(vehicle_id="KDB 002B") == {made["b"], made["d"]}
    assert listed(vehicle_id="KDZ 999Z") == set()
    assert listed(town="Nakuru") == {made["a"], made["c"]}
    assert listed(town="nakuru ") == {made["a"], made["c"]}
    assert listed(town="Naivasha") == {made["a"]}
    assert listed(town="Kérugoya") == {made["d"]}  # spelled with an accent in the JSON
    assert listed(town="Naiv") == set()  # a town is a whole town
    assert listed(day_from=DAY + timedelta(days=1)) == {made["c"], made["d"]}
    assert listed(day_to=DAY + timedelta(days=1)) == {made["a"], made["b"]}
    one_day = {"day_from": DAY + timedelta(days=1), "day_to": DAY + timedelta(days=2)}
    assert listed(**one_day) == {made["c"]}
    assert listed(statuses=frozenset({RouteStatus.COMPLETED})) == {made["b"]}
    assert listed(town="Nakuru", statuses=frozenset({RouteStatus.PLANNED})) == {made["a"]}


def test_an_order_search_matches_whole_numbers_or_their_ends(
    database: Database, dispatcher: Actor
) -> None:
    made = _made_routes(database)

    def found(text: str) -> set[str]:
        return set(_ids(routes.list_routes(database.sessions, dispatcher,
                                           RouteFilter(order_search=text))))  # fmt: skip

    assert found("ORD-1") == {made["b"]}  # not the route with ORD-10 and ORD-11
    assert found("ORD-10") == {made["a"]}
    assert found("ord-2611-00042") == {made["c"]}
    assert found("00042") == {made["c"]}
    assert found("42") == {made["c"], made["d"]}  # the last digits of both
    assert found("2611") == set()  # the middle of a number is not its end
    assert found("ORD-20") == set()  # proposed routes are not listed
    assert found("%") == set()  # taken literally
    assert found("  ") == {made[k] for k in "abcd"}


def test_paging_covers_every_route_once(database: Database, dispatcher: Actor) -> None:
    made = _made_routes(database)
    everything = _ids(routes.list_routes(database.sessions, dispatcher))
    pages = [
        routes.list_routes(database.sessions, dispatcher, None, limit=3, offset=offset)
        for offset in (0, 3)
    ]
    assert [len(p.rows) for p in pages] == [3, 1]
    assert all(p.total == 4 for p in pages)
    assert [i for p in pages for i in _ids(p)] == everything
    assert set(everything) == {made[k] for k in "abcd"}


def test_the_filters_offer_trucks_and_towns_of_listed_routes(
    database: Database, dispatcher: Actor
) -> None:
    _made_routes(database)
    with unit_of_work(database.sessions) as session:
        make_vehicle(session, vehicle_id="KDC 003C")  # on no route
    options = routes.route_filter_options(database.sessions, dispatcher)
    assert options.trucks == ("KDA 001A", "KDB 002B")
    assert options.towns == ("Embu", "Kérugoya", "Naivasha", "Nakuru", "Thika")


@pytest.fixture
def committed(database: Database, dispatcher: Actor) -> planning.DecisionSummary:
    seed_demo(database.sessions, now=NOW)
    summary = planning.plan(database.sessions, dispatcher, QUICK, now=NOW)
    assert len(summary.routes) >= 2, "the demo depot should give several routes"
    return planning.commit_decision(database.sessions, dispatcher, summary.decision_id)


def test_a_committed_route_opens_with_its_stops_and_decision(
    database: Database, dispatcher: Actor, committed: planning.DecisionSummary
) -> None:
    first = committed.routes[0]
    view = routes.route_detail(database.sessions, dispatcher, first.route_id)
    assert view.route_id == first.route_id
    assert view.status is RouteStatus.PLANNED
    assert view.decision_id == committed.decision_id
    assert view.order_ids == first.order_ids
    assert view.vehicle_id == first.vehicle_id
    listed = routes.list_routes(database.sessions, dispatcher, RouteFilter())
    assert set(_ids(listed)) == {r.route_id for r in committed.routes}
    assert {row.decision_id for row in listed.rows} == {committed.decision_id}
    with pytest.raises(NotFound, match="no route RT-NONE"):
        routes.route_detail(database.sessions, dispatcher, "RT-NONE")


def test_a_manager_cancels_a_planned_route(
    database: Database, manager: Actor, committed: planning.DecisionSummary
) -> None:
    route = committed.routes[0]
    row = routes.list_routes(
        database.sessions, manager, RouteFilter(vehicle_id=route.vehicle_id)
    ).rows[0]
    later = NOW + timedelta(minutes=10)
    view = routes.cancel_route(database.sessions, manager, route.route_id,
                               reason="  Customer closed for stock-taking ",
                               expected_version=row.version, now=later)  # fmt: skip
    assert view.status is RouteStatus.CANCELLED
    assert view.order_ids == route.order_ids  # what it was to carry stays readable
    with unit_of_work(database.sessions) as session:
        stored = session.scalars(select(Route).where(Route.route_id == route.route_id)).one()
        assert stored.status is RouteStatus.CANCELLED
        assert stored.version == (row.version or 0) + 1
        orders = session.scalars(select(Order).where(Order.order_id.in_(route.order_ids))).all()
        assert len(orders) == len(route.order_ids)
        assert all(o.status is OrderStatus.PENDING for o in orders)
        assert all(o.assigned_route_id is None for o in orders)
        truck = session.scalars(select(Vehicle).where(Vehicle.vehicle_id == route.vehicle_id)).one()
        assert truck.status is VehicleStatus.AVAILABLE
        assert truck.available_at is not None
        assert truck.available_at >= later
        last_departure = route.stops[-1].departure
        assert last_departure is not None
        assert truck.available_at < last_departure  # not still reserved for the trip
        cancelled = session.scalars(
            select(AuditLog).where(AuditLog.action == "route.cancelled")
        ).one()
        assert cancelled.entity_id == route.route_id
        assert cancelled.username == "wanjiku"
        assert cancelled.details["reason"] == "Customer closed for stock-taking"
        assert cancelled.details["orders"] == sorted(route.order_ids)
        assert cancelled.details["vehicle_released"] is True
        history = session.scalars(
            select(AuditLog)
            .where(AuditLog.action == "order.status_changed",
                   AuditLog.entity_id == route.order_ids[0])
            .order_by(AuditLog.id)
        ).all()  # fmt: skip
        assert [(h.details["from"], h.details["to"]) for h in history] == [
            ("pending", "assigned"),
            ("assigned", "pending"),
        ]
        assert "Customer closed for stock-taking" in history[-1].details["reason"]
        state = read_state(session, now=later).state
    # The next plan sees the orders and the truck again; the other routes keep theirs.
    assert set(route.order_ids) <= {o.order_id for o in state.orders}
    assert route.vehicle_id in {t.vehicle_id for t in state.trucks}
    others = {r.vehicle_id for r in committed.routes[1:]}
    assert others.isdisjoint(t.vehicle_id for t in state.trucks)
    with pytest.raises(ValidationError, match="cancelled already"):
        routes.cancel_route(database.sessions, manager, route.route_id, reason="again")


def test_a_truck_with_another_planned_route_stays_reserved(
    database: Database, manager: Actor, committed: planning.DecisionSummary
) -> None:
    route = committed.routes[0]
    with unit_of_work(database.sessions) as session:
        truck = session.scalars(select(Vehicle).where(Vehicle.vehicle_id == route.vehicle_id)).one()
        start = NOW + timedelta(days=2)
        later = make_route(session, truck, status=RouteStatus.PLANNED, planned_start=start)
        later_end = start + timedelta(minutes=later.estimated_duration_minutes)
    routes.cancel_route(database.sessions, manager, route.route_id, reason="Road closed")
    with unit_of_work(database.sessions) as session:
        truck = session.scalars(select(Vehicle).where(Vehicle.vehicle_id == route.vehicle_id)).one()
        assert truck.status is VehicleStatus.ON_ROUTE
        assert truck.available_at == later_end


def test_cancelling_is_refused_and_writes_nothing(
    database: Database,
    dispatcher: Actor,
    manager: Actor,
    committed: planning.DecisionSummary,
) -> None:
    first, second = committed.routes[0], committed.routes[1]
    with pytest.raises(PermissionDenied, match="dispatcher may not"):
        routes.cancel_route(database.sessions, dispatcher, first.route_id, reason="No driver")
    with pytest.raises(ValidationError, match="Say why") as raised:
        routes.cancel_route(database.sessions, manager, first.route_id, reason="   ")
    assert raised.value.field == "reason"
    with pytest.raises(StaleDataError, match="changed since you opened it") as stale:
        routes.cancel_route(database.sessions, manager, first.route_id, reason="No driver",
                            expected_version=0)  # fmt: skip
    assert stale.value.keys == (first.route_id,)
    with unit_of_work(database.sessions) as session:
        done = session.scalars(select(Route).where(Route.route_id == second.route_id)).one()
        done.status = RouteStatus.COMPLETED
        started = session.scalars(select(Route).where(Route.route_id == first.route_id)).one()
        started.status = RouteStatus.IN_PROGRESS
        started.actual_start = NOW
    with pytest.raises(ValidationError, match="completed; a finished route"):
        routes.cancel_route(database.sessions, manager, second.route_id, reason="No driver")
    with pytest.raises(ValidationError, match="is under way"):
        routes.cancel_route(database.sessions, manager, first.route_id, reason="No driver")
    with pytest.raises(NotFound):
        routes.cancel_route(database.sessions, manager, "RT-NONE", reason="No driver")
    with unit_of_work(database.sessions) as session:
        assert not session.scalars(
            select(AuditLog).where(AuditLog.action == "route.cancelled")
        ).all()
        assigned = session.scalars(select(Order).where(Order.order_id.in_(first.order_ids)))
        assert {o.status for o in assigned} == {OrderStatus.ASSIGNED}


def test_a_route_whose_order_left_the_depot_is_not_cancelled(
    database: Database, manager: Actor, committed: planning.DecisionSummary
) -> None:
    route = committed.routes[0]
    with unit_of_work(database.sessions) as session:
        order = session.scalars(select(Order).where(Order.order_id == route.order_ids[0])).one()
        order.status = OrderStatus.IN_TRANSIT
    with pytest.raises(ValidationError, match=f"{route.order_ids[0]} has left the depot"):
        routes.cancel_route(database.sessions, manager, route.route_id, reason="No driver")
    with unit_of_work(database.sessions) as session:
        stored = session.scalars(select(Route).where(Route.route_id == route.route_id)).one()
        assert stored.status is RouteStatus.PLANNED


@pytest.mark.parametrize("changed", ["route", "order"])
def test_a_route_changed_while_it_is_cancelled_is_refused_readably(
    database: Database, manager: Actor, committed: planning.DecisionSummary, changed: str
) -> None:
    """Another desktop changes the route or one of its orders between this call's read and its
    write: on PostgreSQL the versioned UPDATE matches no row, on SQLite (WAL) the write is refused
    because the transaction's snapshot is out of date; both end in the same refusal."""
    route = committed.routes[0]
    done: list[bool] = []

    def other_desktop(session: Session, *args: Any) -> None:
        if done:
            return
        done.append(True)
        with database.engine.begin() as connection:
            if changed == "route":
                connection.execute(
                    update(Route)
                    .where(Route.route_id == route.route_id)
                    .values(version=Route.version + 1, attention_reason="Driver called in sick")
                )
            else:
                connection.execute(
                    update(Order)
                    .where(Order.order_id == route.order_ids[-1])
                    .values(version=Order.version + 1, price_kes=Decimal("1.00"))
                )

    event.listen(database.sessions, "before_flush", other_desktop)
    try:
        with pytest.raises(StaleDataError, match=r"changed route .* meanwhile") as raised:
            routes.cancel_route(database.sessions, manager, route.route_id, reason="No driver")
    finally:
        event.remove(database.sessions, "before_flush", other_desktop)
    assert done
    assert raised.value.keys == (route.route_id,)
    with unit_of_work(database.sessions) as session:
        stored = session.scalars(select(Route).where(Route.route_id == route.route_id)).one()
        assert stored.status is RouteStatus.PLANNED
        orders = session.scalars(select(Order).where(Order.order_id.in_(route.order_ids)))
        assert {o.status for o in orders} == {OrderStatus.ASSIGNED}
        assert not session.scalars(
            select(AuditLog).where(AuditLog.action == "route.cancelled")
        ).all()
