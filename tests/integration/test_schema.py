"""The schema holds: keys, foreign keys, cascades, checks, enums, time zones, money, versions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm.exc import StaleDataError

from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Customer, Order, Route, RouteStop, User, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Priority, RouteStatus
from tests.factories import make_customer, make_order, make_route, make_vehicle


def _fails(database: Database, build: object) -> None:
    """The change made by ``build(session)`` is refused by the database and nothing is kept."""
    with pytest.raises(IntegrityError), unit_of_work(database.sessions) as session:
        build(session)  # type: ignore[operator]
        session.flush()


def test_business_keys_are_unique(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        make_customer(session, customer_id="CUST-1")
        make_vehicle(session, vehicle_id="KDA 001A")
        session.add(User(username="wanjiru", email="w@senga.co.ke", hashed_password="x"))
    _fails(database, lambda s: make_customer(s, customer_id="CUST-1"))
    _fails(database, lambda s: make_vehicle(s, vehicle_id="KDA 001A"))
    _fails(database, lambda s: s.add(User(username="wanjiru", hashed_password="y")))
    _fails(
        database,
        lambda s: s.add(User(username="otieno", email="w@senga.co.ke", hashed_password="y")),
    )
    with unit_of_work(database.sessions) as session:
        customer = make_customer(session)
        make_order(session, customer, order_id="ORD-1")
    _fails(database, lambda s: make_order(s, make_customer(s), order_id="ORD-1"))


def test_a_customer_with_orders_cannot_be_deleted(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        customer = make_customer(session)
        make_order(session, customer)
        customer_pk = customer.id
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(text("DELETE FROM customers WHERE id = :id"), {"id": customer_pk})
    with unit_of_work(database.sessions) as session:
        assert session.get(Customer, customer_pk) is not None


def test_an_order_must_name_an_existing_customer(database: Database) -> None:
    def orphan(session: object) -> None:
        customer = make_customer(session)  # type: ignore[arg-type]
        order = make_order(session, customer)  # type: ignore[arg-type]
        order.customer_id = 999_999

    _fails(database, orphan)


def test_route_stops_go_with_their_route_and_orders_are_released(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        route = make_route(session, make_vehicle(session), stops=3)
        order = make_order(session, make_customer(session), assigned_route=route)
        route_pk, order_pk = route.id, order.id
    with database.engine.begin() as connection:  # plain SQL: the database does the cascading
        connection.execute(text("DELETE FROM routes WHERE id = :id"), {"id": route_pk})
    with unit_of_work(database.sessions) as session:
        stops = session.scalar(
            select(func.count()).select_from(RouteStop).where(RouteStop.route_id == route_pk)
        )
        assert stops == 0
        released = session.get(Order, order_pk)
        assert released is not None
        assert released.assigned_route_id is None


def test_a_truck_with_routes_cannot_be_deleted(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        vehicle = make_vehicle(session)
        make_route(session, vehicle)
        vehicle_pk = vehicle.id
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(text("DELETE FROM vehicles WHERE id = :id"), {"id": vehicle_pk})


def test_deleting_a_user_keeps_their_audit_trail(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        user = User(username="kiprop", hashed_password="x")
        session.add(user)
        session.flush()
        session.add(AuditLog(action="user.signed_in", user_id=user.id, username="kiprop"))
        user_pk = user.id
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM users WHERE id = :id"), {"id": user_pk})
    with unit_of_work(database.sessions) as session:
        entry = session.scalars(select(AuditLog)).one()
        assert entry.user_id is None
        assert entry.username == "kiprop"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weight_tonnes", Decimal("-1")),
        ("weight_tonnes", Decimal("0")),
        ("volume_m3", Decimal("-0.5")),
        ("price_kes", Decimal("-100")),
    ],
)
def test_impossible_order_quantities_are_refused(
    database: Database, field: str, value: Decimal
) -> None:
    _fails(database, lambda s: make_order(s, make_customer(s), **{field: value}))


def test_a_time_window_ending_before_it_starts_is_refused(database: Database) -> None:
    start = datetime(2026, 11, 26, 12, tzinfo=UTC)
    _fails(
        database,
        lambda s: make_order(
            s,
            make_customer(s),
            time_window_start=start,
            time_window_end=start - timedelta(hours=1),
        ),
    )


@pytest.mark.parametrize("field", ["capacity_weight_tonnes", "capacity_volume_m3"])
@pytest.mark.parametrize("value", [Decimal("0"), Decimal("-5")])
def test_truck_capacity_must_be_positive(database: Database, field: str, value: Decimal) -> None:
    _fails(database, lambda s: make_vehicle(s, **{field: value}))


def test_enums_refuse_unknown_values_on_every_backend(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        order = make_order(session, make_customer(session))
        order_pk = order.id
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(
            text("UPDATE orders SET status = 'lost' WHERE id = :id"), {"id": order_pk}
        )
    with pytest.raises(StatementError), unit_of_work(database.sessions) as session:
        session.execute(text("SELECT 1"))
        loaded = session.get(Order, order_pk)
        assert loaded is not None
        loaded.priority = "whenever"  # type: ignore[assignment]
        session.flush()
    with unit_of_work(database.sessions) as session:
        loaded = session.get(Order, order_pk)
        assert loaded is not None
        assert loaded.status is OrderStatus.PENDING
        assert loaded.priority is Priority.NORMAL
        stored = session.execute(
            text("SELECT status, priority FROM orders WHERE id = :id"), {"id": order_pk}
        ).one()
        assert tuple(stored) == ("pending", "normal")  # the value, not the Python name


def test_timestamps_come_back_as_the_same_instant_in_utc(database: Database) -> None:
    nairobi = timezone(timedelta(hours=3))
    start = datetime(2026, 11, 26, 9, 30, tzinfo=nairobi)
    with unit_of_work(database.sessions) as session:
        order = make_order(
            session,
            make_customer(session),
            time_window_start=start,
            time_window_end=start + timedelta(hours=4),
        )
        order_pk = order.id
    with unit_of_work(database.sessions) as session:
        loaded = session.get(Order, order_pk)
        assert loaded is not None
        assert loaded.time_window_start == start
        assert loaded.time_window_start.utcoffset() == timedelta(0)
        assert loaded.time_window_start.hour == 6
        assert loaded.created_at.tzinfo is not None
        assert abs(loaded.created_at - datetime.now(UTC)) < timedelta(minutes=5)


def test_naive_timestamps_are_refused(database: Database) -> None:
    with (
        pytest.raises(StatementError, match="naive datetime"),
        unit_of_work(database.sessions) as session,
    ):
        make_order(
            session,
            make_customer(session),
            time_window_start=datetime(2026, 11, 26, 8),
            time_window_end=datetime(2026, 11, 26, 12),
        )


def test_money_is_exact_and_json_round_trips(database: Database) -> None:
    handling = ["refrigerated", "fragile"]
    with unit_of_work(database.sessions) as session:
        order = make_order(
            session,
            make_customer(session),
            price_kes=Decimal("1234567.89"),
            special_handling=handling,
        )
        order_pk = order.id
    with unit_of_work(database.sessions) as session:
        loaded = session.get(Order, order_pk)
        assert loaded is not None
        assert loaded.price_kes == Decimal("1234567.89")
        assert isinstance(loaded.price_kes, Decimal)
        assert loaded.special_handling == handling
        assert loaded.destination_location["lat"] == pytest.approx(-0.3031)


def test_concurrent_edits_are_caught_by_the_version_column(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        vehicle = make_vehicle(session)
        vehicle_pk = vehicle.id
        assert vehicle.version == 1
    first, second = database.sessions(), database.sessions()
    try:
        mine = first.get(Vehicle, vehicle_pk)
        first.commit()  # the screen has shown it; the user starts editing
        theirs = second.get(Vehicle, vehicle_pk)
        assert mine is not None
        assert theirs is not None
        theirs.fuel_cost_per_km = Decimal("90.00")
        second.commit()
        mine.fuel_cost_per_km = Decimal("80.00")
        with pytest.raises(StaleDataError):
            first.commit()
        first.rollback()
    finally:
        first.close()
        second.close()
    with unit_of_work(database.sessions) as session:
        stored = session.get(Vehicle, vehicle_pk)
        assert stored is not None
        assert stored.fuel_cost_per_km == Decimal("90.00")
        assert stored.version == 2


def test_route_defaults_and_checks(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        route = make_route(session, make_vehicle(session))
        session.refresh(route)
        assert route.status is RouteStatus.PROPOSED
        assert route.version == 1
    _fails(database, lambda s: make_route(s, make_vehicle(s), total_distance_km=Decimal("-1")))

    def two_stops_in_one_place(session: object) -> None:
        route = make_route(session, make_vehicle(session), stops=0)  # type: ignore[arg-type]
        for stop_id in ("a", "b"):
            route.stops.append(
                RouteStop(stop_id=stop_id, location={}, stop_type="delivery", sequence_order=1)
            )

    _fails(database, two_stops_in_one_place)
    with unit_of_work(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Route)) == 1
