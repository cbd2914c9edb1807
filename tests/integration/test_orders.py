"""Orders on real SQLite and PostgreSQL: entry, editing, lifecycle, numbering and the list."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from senga_desktop.controllers import auth, orders, users
from senga_desktop.controllers.numbering import KeySequence
from senga_desktop.controllers.order_status import StatusChangeRefused
from senga_desktop.controllers.order_validation import OrderInput, OrderInvalid, Place
from senga_desktop.controllers.orders_query import OrderQuery, OrderSort, list_orders
from senga_desktop.controllers.permissions import COMMAND_LINE, Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Order
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Priority, Role, SpecialHandling, VehicleStatus
from senga_desktop.errors import NotFound, PermissionDenied, StaleDataError
from tests.factories import make_customer, make_order, make_route, make_vehicle

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
S = OrderStatus


@pytest.fixture
def admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")


@pytest.fixture
def depot(database: Database) -> None:
    """Two customers (one deactivated) and trucks: the largest in service carries 28 t, 76 m³."""
    with unit_of_work(database.sessions) as session:
        make_customer(session, customer_id="CUST-0001", customer_name="Jamii Supermarkets Ltd")
        make_customer(session, customer_id="CUST-0002", customer_name="Old Traders",
                      is_active=False)  # fmt: skip
        make_vehicle(session, capacity_weight_tonnes=Decimal(10), capacity_volume_m3=Decimal(40))
        make_vehicle(session, capacity_weight_tonnes=Decimal(28), capacity_volume_m3=Decimal(76))
        make_vehicle(session, capacity_weight_tonnes=Decimal(40), capacity_volume_m3=Decimal(110),
                     status=VehicleStatus.RETIRED)  # fmt: skip


def entry(**changes: Any) -> OrderInput:
    start = NOW + timedelta(days=1)
    fields: dict[str, Any] = {
        "customer_id": "CUST-0001",
        "destination_city": "Nakuru",
        "destination_address": "Plot 12, Kenyatta Avenue",
        "weight_tonnes": Decimal("2.5"),
        "volume_m3": Decimal(8),
        "window_start": start,
        "window_end": start + timedelta(hours=6),
        "price_kes": Decimal(18500),
        "priority": Priority.HIGH,
        "special_handling": frozenset({SpecialHandling.FRAGILE}),
    }
    return OrderInput(**(fields | changes))


def audit_trail(database: Database, entity_id: str) -> list[tuple[str, dict[str, Any]]]:
    with unit_of_work(database.sessions) as session:
        rows = session.scalars(
            select(AuditLog).where(AuditLog.entity_id == entity_id).order_by(AuditLog.id)
        )
        return [(row.action, row.details) for row in rows]


def count_orders(database: Database) -> int:
    return list_orders(database.sessions, COMMAND_LINE, OrderQuery(limit=0)).total


# --- entry ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("depot")
def test_a_new_order_gets_a_readable_number_and_the_depot_as_pickup(
    database: Database, admin: Actor
) -> None:
    first = orders.create_order(database.sessions, admin, entry(), now=NOW)
    second = orders.create_order(database.sessions, admin, entry(), now=NOW)
    assert (first.order_number, second.order_number) == ("ORD-2611-00001", "ORD-2611-00002")
    assert first.status is S.PENDING
    assert first.version == 1
    assert first.pickup == Place("Senga Nairobi Depot", "Nairobi", -1.309, 36.848)
    assert (first.destination_lat, first.destination_lon) == (-0.285, 36.07)  # the town's
    assert first.customer_name == "Jamii Supermarkets Ltd"
    assert first.special_handling == {SpecialHandling.FRAGILE}
    assert first.price_kes == Decimal("18500.00")
    assert orders.get_order(database.sessions, admin, first.order_number) == first
    action, details = audit_trail(database, first.order_number)[0]
    assert action == "order.created"
    assert details["customer"] == "Jamii Supermarkets Ltd"
    # A new month starts a new sequence.
    first_december = datetime(2026, 12, 1, 9, tzinfo=UTC)
    later = entry(window_start=first_december + timedelta(hours=2),
                  window_end=first_december + timedelta(hours=5))  # fmt: skip
    december = orders.create_order(database.sessions, admin, later, now=first_december)
    assert december.order_number == "ORD-2612-00001"


@pytest.mark.usefixtures("depot")
def test_nothing_is_saved_until_every_field_is_valid(database: Database, admin: Actor) -> None:
    bad = entry(customer_id="CUST-0002", weight_tonnes=Decimal(30), volume_m3=Decimal(80),
                destination_city="Nakru", window_end=NOW + timedelta(hours=1))  # fmt: skip
    problems = orders.validate_order(database.sessions, admin, bad, now=NOW)
    assert {p.field: p.message for p in problems} == {
        "customer_id": "Old Traders (CUST-0002) is deactivated: reactivate the customer first.",
        "destination_city": "'Nakru' is not a town we know. Did you mean Nakuru or Narok?",
        # The retired 40 t truck does not count.
        "weight_tonnes": "No truck can carry 30 t: the largest carries 28 t. Split the "
        "consignment into several orders.",
        "volume_m3": "No truck can carry 80 m³: the largest carries 76 m³. Split the "
        "consignment into several orders.",
        "window_end": "The window must end after it starts (26/11/2026 09:00): set a later end "
        "or an earlier start.",
    }
    with pytest.raises(OrderInvalid) as caught:
        orders.create_order(database.sessions, admin, bad, now=NOW)
    assert [e.field for e in caught.value.errors] == [p.field for p in problems]
    assert count_orders(database) == 0
    assert orders.validate_order(database.sessions, admin, entry(), now=NOW) == []


@pytest.mark.usefixtures("depot")
def test_another_pickup_place_is_kept(database: Database, admin: Actor) -> None:
    yard = Place("Mombasa Road yard", "Mombasa Road, Nairobi", -1.35, 36.9)
    info = orders.create_order(database.sessions, admin, entry(pickup=yard), now=NOW)
    assert info.pickup == yard


# --- editing --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("depot")
def test_an_update_needs_the_version_it_was_read_at(database: Database, admin: Actor) -> None:
    info = orders.create_order(database.sessions, admin, entry(), now=NOW)
    heavier = replace(info.to_input(), weight_tonnes=Decimal(5), destination_city="nku")
    saved = orders.update_order(
        database.sessions, admin, info.order_number, heavier, version=info.version, now=NOW
    )
    assert (saved.weight_tonnes, saved.destination_city, saved.version) == (
        Decimal("5.000"), "Nakuru", 2,
    )  # fmt: skip
    # A second clerk still holding version 1 is refused, and nothing changes.
    with pytest.raises(StaleDataError, match="changed by someone else") as caught:
        orders.update_order(database.sessions, admin, info.order_number, info.to_input(),
                            version=info.version, now=NOW)  # fmt: skip
    assert caught.value.keys == (info.order_number,)
    assert orders.get_order(database.sessions, admin, info.order_number) == saved
    action, details = audit_trail(database, info.order_number)[-1]
    assert action == "order.updated"
    assert details == {"weight_tonnes": ["2.500", "5.000"]}  # the alias "nku" changed nothing


@pytest.mark.usefixtures("depot")
def test_a_save_racing_another_is_refused(
    database: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database.backend == "sqlite":
        pytest.skip("SQLite serialises writers: the second writer fails to start, not to save")
    info = orders.create_order(database.sessions, admin, entry(), now=NOW)
    real = orders.order_problems

    def someone_saves_meanwhile(*args: Any, **kwargs: Any) -> Any:
        with unit_of_work(database.sessions) as session:
            session.execute(update(Order).values(version=Order.version + 1))
        return real(*args, **kwargs)

    monkeypatch.setattr(orders, "order_problems", someone_saves_meanwhile)
    with pytest.raises(StaleDataError, match="while you were saving"):
        orders.update_order(database.sessions, admin, info.order_number,
                            replace(info.to_input(), price_kes=Decimal(1)),
                            version=info.version, now=NOW)  # fmt: skip


@pytest.mark.usefixtures("depot")
def test_an_assigned_order_changes_only_what_spares_its_route(
    database: Database, admin: Actor
) -> None:
    info = orders.create_order(database.sessions, admin, entry(), now=NOW)
    info = orders.set_status(database.sessions, admin, info.order_number, S.ASSIGNED,
                             version=info.version)  # fmt: skip
    cheaper = replace(info.to_input(), price_kes=Decimal(17000), priority=Priority.URGENT)
    info = orders.update_order(database.sessions, admin, info.order_number, cheaper,
                               version=info.version, now=NOW)  # fmt: skip
    assert (info.price_kes, info.priority) == (Decimal("17000.00"), Priority.URGENT)
    moved = replace(info.to_input(), weight_tonnes=Decimal(9), destination_city="Naivasha",
                    destination_lat=None, destination_lon=None)  # fmt: skip
    with pytest.raises(OrderInvalid) as caught:
        orders.update_order(database.sessions, admin, info.order_number, moved,
                            version=info.version, now=NOW)  # fmt: skip
    fields = {e.field for e in caught.value.errors}
    assert fields == {"weight_tonnes", "destination_city", "destination_lat", "destination_lon"}
    assert "set it back to pending" in caught.value.for_field("weight_tonnes")[0]


@pytest.mark.usefixtures("depot")
def test_finished_orders_are_not_edited(database: Database, admin: Actor) -> None:
    info = orders.create_order(database.sessions, admin, entry(), now=NOW)
    for status in (S.ASSIGNED, S.IN_TRANSIT, S.DELIVERED):
        info = orders.set_status(database.sessions, admin, info.order_number, status,
                                 version=info.version)  # fmt: skip
    with pytest.raises(StatusChangeRefused, match="A delivered order cannot be edited"):
        orders.update_order(database.sessions, admin, info.order_number, info.to_input(),
                            version=info.version, now=NOW)  # fmt: skip


# --- lifecycle ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("depot")
def test_the_lifecycle_is_enforced_and_audited(database: Database, admin: Actor) -> None:
    info = orders.create_order(database.sessions, admin, entry(), now=NOW)
    number = info.order_number
    with pytest.raises(StatusChangeRefused, match="A pending order cannot be marked delivered"):
        orders.set_status(database.sessions, admin, number, S.DELIVERED, version=info.version)
    for status in (S.ASSIGNED, S.IN_TRANSIT, S.DELIVERED):
        info = orders.set_status(database.sessions, admin, number, status, version=info.version)
        assert info.status is status
    assert info.version == 4
    with pytest.raises(StatusChangeRefused) as caught:
        orders.cancel_order(database.sessions, admin, number, version=info.version)
    assert caught.value.message == "A delivered order cannot be cancelled: it is finished."
    assert caught.value.field == "status"
    trail = [(a, d) for a, d in audit_trail(database, number) if a == "order.status_changed"]
    assert [(d["from"], d["to"]) for _, d in trail] == [
        ("pending", "assigned"), ("assigned", "in_transit"), ("in_transit", "delivered"),
    ]  # fmt: skip


@pytest.mark.usefixtures("depot")
def test_a_stale_status_change_is_refused(database: Database, admin: Actor) -> None:
    info = orders.create_order(database.sessions, admin, entry(), now=NOW)
    orders.cancel_order(database.sessions, admin, info.order_number, version=info.version,
                        reason="customer called")  # fmt: skip
    with pytest.raises(StaleDataError):
        orders.set_status(database.sessions, admin, info.order_number, S.ASSIGNED,
                          version=info.version)  # fmt: skip
    _, details = audit_trail(database, info.order_number)[-1]
    assert details == {"from": "pending", "to": "cancelled", "reason": "customer called"}


@pytest.mark.usefixtures("depot")
def test_coming_off_a_route_clears_the_route(database: Database, admin: Actor) -> None:
    with unit_of_work(database.sessions) as session:
        route = make_route(session, make_vehicle(session))
        order = make_order(session, make_customer(session), status=S.ASSIGNED,
                           assigned_route_id=route.id, order_id="ORD-2611-00900")  # fmt: skip
        version = order.version
    info = orders.set_status(database.sessions, admin, "ORD-2611-00900", S.PENDING,
                             version=version)  # fmt: skip
    assert (info.status, info.assigned_route_id) == (S.PENDING, None)
    with pytest.raises(NotFound, match="There is no order ORD-0"):
        orders.get_order(database.sessions, admin, "ORD-0")


@pytest.mark.usefixtures("depot")
def test_duplicate_gets_a_new_number_and_a_future_window(database: Database, admin: Actor) -> None:
    source = orders.create_order(database.sessions, admin, entry(), now=NOW)
    week_later = NOW + timedelta(days=7)
    copy = orders.duplicate_order(database.sessions, admin, source.order_number, now=week_later)
    assert copy.order_number == "ORD-2612-00001"  # 2 December
    assert copy.status is S.PENDING
    assert copy.window_start >= week_later
    assert copy.window_start - source.window_start == timedelta(days=6)  # whole days
    assert copy.window_end - copy.window_start == source.window_end - source.window_start
    same = {"customer_id", "destination_city", "destination_address", "weight_tonnes",
            "volume_m3", "priority", "special_handling", "price_kes", "pickup"}  # fmt: skip
    assert {k: getattr(copy, k) for k in same} == {k: getattr(source, k) for k in same}
    _, details = audit_trail(database, copy.order_number)[0]
    assert details["duplicate_of"] == source.order_number


# --- numbers under concurrency --------------------------------------------------------------------


@pytest.mark.usefixtures("depot")
def test_a_number_taken_meanwhile_is_retried(
    database: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    orders.create_order(database.sessions, admin, entry(), now=NOW)
    real = KeySequence.last_used
    calls: list[int] = []

    def last_used(self: KeySequence, *args: Any, **kwargs: Any) -> int:
        calls.append(1)  # the first attempt believes no number is in use yet, as a desk would
        return 0 if len(calls) == 1 else real(self, *args, **kwargs)  # that read before a save

    monkeypatch.setattr(KeySequence, "last_used", last_used)
    info = orders.create_order(database.sessions, admin, entry(), now=NOW)
    assert info.order_number == "ORD-2611-00002"
    assert len(calls) == 2
    assert count_orders(database) == 2


@pytest.mark.usefixtures("depot")
def test_desktops_saving_at_once_get_distinct_numbers(database: Database) -> None:
    if database.backend == "sqlite":
        pytest.skip("several desktops share a database through PostgreSQL")
    per_desk, desks = 8, 4
    barrier = threading.Barrier(desks)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def desk() -> None:
        barrier.wait()
        try:
            for _ in range(per_desk):
                info = orders.create_order(database.sessions, COMMAND_LINE, entry(), now=NOW)
                numbers.append(info.order_number)
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=desk) for _ in range(desks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(numbers) == [f"ORD-2611-{n:05d}" for n in range(1, per_desk * desks + 1)]


# --- permissions ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("depot")
def test_dispatchers_enter_and_move_orders(database: Database, admin: Actor) -> None:
    info = users.create_user(database.sessions, admin, username="otieno", email=None,
                             role=Role.USER, password="Twiga-Truck-2026")  # fmt: skip
    dispatcher = Actor(info.id, info.username, info.role)
    order = orders.create_order(database.sessions, dispatcher, entry(), now=NOW)
    order = orders.set_status(database.sessions, dispatcher, order.order_number, S.ASSIGNED,
                              version=order.version)  # fmt: skip
    assert list_orders(database.sessions, dispatcher).total == 1
    users.update_user(database.sessions, admin, info.id, email=None, role=Role.USER,
                      is_active=False)  # fmt: skip
    with pytest.raises(PermissionDenied, match="no longer active"):
        orders.duplicate_order(database.sessions, dispatcher, order.order_number, now=NOW)


# --- the list -------------------------------------------------------------------------------------


@pytest.fixture
def book(database: Database) -> list[dict[str, Any]]:
    """30 orders across 3 customers, 3 towns, every status and priority; their expected rows."""
    towns = [("Nakuru", "Plot 4, Kenyatta Avenue"), ("Mombasa", "Moi Avenue"),
             ("Eldoret", "Uganda Road")]  # fmt: skip
    expected = []
    with unit_of_work(database.sessions) as session:
        people = [
            make_customer(session, customer_id=f"CUST-010{n}", customer_name=name)
            for n, name in enumerate(("Baraka Hardware", "Afya Pharma", "Zawadi Flowers"))
        ]
        for n in range(30):
            town, street = towns[n % 3]
            start = NOW + timedelta(hours=7 * n % 50)
            order = make_order(
                session, people[n % 3] if n % 4 else people[1],
                order_id=f"ORD-2611-{n + 1:05d}", destination_city=town,
                destination_location={"name": town, "address": street, "lat": -1.0, "lon": 37.0},
                weight_tonnes=Decimal(n % 7 + 1), volume_m3=Decimal(30 - n % 5),
                time_window_start=start, time_window_end=start + timedelta(hours=n % 3 + 2),
                priority=list(Priority)[n % 4], status=list(S)[n % 6],
                price_kes=Decimal(1000 * (n % 9)), created_at=NOW + timedelta(minutes=n // 2),
            )  # fmt: skip
            expected.append({"id": order.id, "order_number": order.order_id,
                             "customer_name": order.customer.customer_name,
                             "destination_city": town, "weight_tonnes": order.weight_tonnes,
                             "volume_m3": order.volume_m3, "window_start": start,
                             "window_end": order.time_window_end, "priority": order.priority,
                             "status": order.status, "price_kes": order.price_kes,
                             "created_at": order.created_at, "address": street})  # fmt: skip
    return expected


RANK = {
    "priority": {p: i for i, p in enumerate(Priority)},
    "status": {s: i for i, s in enumerate(S)},
}


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", list(OrderSort))
def test_every_sort_is_stable_and_pages_do_not_overlap(
    database: Database, book: list[dict[str, Any]], sort: OrderSort, descending: bool
) -> None:
    def key(row: dict[str, Any]) -> tuple[Any, int]:
        value = row[sort.value]
        return RANK.get(sort.value, {}).get(value, value), row["id"]

    expected = [r["order_number"] for r in sorted(book, key=key, reverse=descending)]
    pages = [
        list_orders(database.sessions, COMMAND_LINE,
                    OrderQuery(sort=sort, descending=descending, offset=offset, limit=7))
        for offset in range(0, 35, 7)
    ]  # fmt: skip
    assert {page.total for page in pages} == {30}
    assert [row.order_number for page in pages for row in page.rows] == expected


def numbers(database: Database, **fields: Any) -> list[str]:
    query = OrderQuery(sort=OrderSort.ORDER_NUMBER, descending=False, limit=100, **fields)
    page = list_orders(database.sessions, COMMAND_LINE, query)
    assert page.total == len(page.rows)
    return [row.order_number for row in page.rows]


def test_filters_run_in_sql(database: Database, book: list[dict[str, Any]]) -> None:
    def expect(predicate: Any) -> list[str]:
        return sorted(r["order_number"] for r in book if predicate(r))

    assert numbers(database, statuses=frozenset({S.PENDING, S.FAILED})) == expect(
        lambda r: r["status"] in (S.PENDING, S.FAILED)
    )
    assert numbers(database, town="nku") == expect(lambda r: r["destination_city"] == "Nakuru")
    assert numbers(database, customer_id="cust-0101") == expect(
        lambda r: r["customer_name"] == "Afya Pharma"
    )
    since, until = NOW + timedelta(hours=10), NOW + timedelta(hours=30)
    assert numbers(database, window_from=since, window_to=until) == expect(
        lambda r: since <= r["window_start"] < until
    )
    assert numbers(database, text="PHARMA") == expect(lambda r: r["customer_name"] == "Afya Pharma")
    assert numbers(database, text="uganda road") == expect(lambda r: r["address"] == "Uganda Road")
    assert numbers(database, text="mombasa") == expect(lambda r: r["destination_city"] == "Mombasa")
    assert numbers(database, text="-00012") == ["ORD-2611-00012"]
    assert numbers(database, text="_") == []  # a literal underscore, not "any character"
    combined = numbers(database, text="pharma", statuses=frozenset({S.PENDING}), town="Nakuru")
    assert combined == expect(
        lambda r: r["customer_name"] == "Afya Pharma" and r["status"] is S.PENDING
        and r["destination_city"] == "Nakuru"
    )  # fmt: skip


def test_rows_are_flat_and_complete(database: Database, book: list[dict[str, Any]]) -> None:
    row = list_orders(database.sessions, COMMAND_LINE, OrderQuery(text="ORD-2611-00002")).rows[0]
    assert (row.order_number, row.customer_id, row.customer_name) == (
        "ORD-2611-00002", "CUST-0101", "Afya Pharma",
    )  # fmt: skip
    assert (row.destination_city, row.destination_address) == ("Mombasa", "Moi Avenue")
    assert (row.weight_tonnes, row.volume_m3, row.price_kes) == (
        Decimal("2.000"), Decimal("29.000"), Decimal("1000.00"),
    )  # fmt: skip
    assert row.window_start == NOW + timedelta(hours=7)
    assert (row.priority, row.status, row.version) == (Priority.NORMAL, S.ASSIGNED, 1)
    assert row.special_handling == ()
