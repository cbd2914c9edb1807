"""Customers on real SQLite and PostgreSQL: entry, editing, the list, deactivation, permissions."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest
from sqlalchemy import select

from senga_desktop.controllers import auth, customers, users
from senga_desktop.controllers.customers import CustomerInput, CustomerInvalid, CustomerQuery
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Customer
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role
from senga_desktop.errors import AlreadyExists, NotFound, PermissionDenied
from tests.factories import make_customer

PASSWORD = "Twiga-Truck-2026"


@pytest.fixture
def admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")


def new_user(database: Database, admin: Actor, name: str, role: Role) -> Actor:
    info = users.create_user(
        database.sessions, admin, username=name, email=None, role=role, password=PASSWORD
    )
    return Actor(info.id, info.username, info.role)


BARAKA = CustomerInput(
    "Baraka Hardware Ltd",
    email="orders@barakahardware.co.ke",
    phone="0722 410 385",
    address="Biashara Street, Nakuru",
    contact_person="Wanjiru Mwangi",
    max_wait_hours=48,
    preferred_delivery_start=time(8),
    preferred_delivery_end=time(17),
    notes="Gate closes at 17:30.",
)


def audit_actions(database: Database, entity_id: str) -> list[tuple[str, dict[str, object]]]:
    with unit_of_work(database.sessions) as session:
        rows = session.scalars(
            select(AuditLog).where(AuditLog.entity_id == entity_id).order_by(AuditLog.id)
        )
        return [(row.action, row.details) for row in rows]


def test_create_generates_ids_and_stores_typed_fields_in_the_documents(
    database: Database, admin: Actor
) -> None:
    first = customers.create_customer(database.sessions, admin, BARAKA)
    second = customers.create_customer(database.sessions, admin, CustomerInput("Upendo Dairies"))
    assert (first.customer_id, second.customer_id) == ("CUST-0001", "CUST-0002")
    assert first.phone == "+254722410385"
    assert first.to_input() == replace(BARAKA, customer_id="CUST-0001", phone="+254722410385")
    assert (first.contact_person, first.max_wait_hours) == ("Wanjiru Mwangi", 48)
    assert (first.preferred_delivery_start, first.preferred_delivery_end) == (time(8), time(17))
    assert first.is_active
    with unit_of_work(database.sessions) as session:
        row = session.scalars(select(Customer).where(Customer.customer_id == "CUST-0001")).one()
        assert row.constraints == {"max_wait_hours": 48}
        assert row.preferences == {
            "preferred_delivery_start": "08:00",
            "preferred_delivery_end": "17:00",
            "contact_person": "Wanjiru Mwangi",
            "notes": "Gate closes at 17:30.",
        }
    action, details = audit_actions(database, "CUST-0001")[0]
    assert action == "customer.created"
    assert details["customer_name"] == "Baraka Hardware Ltd"


def test_generated_ids_follow_the_largest_in_use(database: Database, admin: Actor) -> None:
    with unit_of_work(database.sessions) as session:
        make_customer(session, customer_id="CUST-0041")
        make_customer(session, customer_id="CUST-T9999")  # not of the sequence: ignored
    info = customers.create_customer(database.sessions, admin, CustomerInput("Neema Traders"))
    assert info.customer_id == "CUST-0042"


def test_a_given_id_is_kept_upper_case_and_must_be_free(database: Database, admin: Actor) -> None:
    info = customers.create_customer(
        database.sessions, admin, CustomerInput("Amani Millers", customer_id="amani-01")
    )
    assert info.customer_id == "AMANI-01"
    with pytest.raises(AlreadyExists, match="There is a customer AMANI-01 already"):
        customers.create_customer(
            database.sessions, admin, CustomerInput("Other", customer_id="Amani-01")
        )


def test_invalid_input_lists_every_field(database: Database, admin: Actor) -> None:
    with pytest.raises(CustomerInvalid) as caught:
        customers.create_customer(
            database.sessions, admin, CustomerInput(" ", email="x@", phone="0722", max_wait_hours=0)
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {"customer_name", "email", "phone", "max_wait_hours"}
    assert caught.value.for_field("phone") == [
        "'0722' is not a Kenyan phone number: write it as 0722 410 385 or +254 722 410 385."
    ]
    assert customers.list_customers(database.sessions, admin).total == 0


def test_update_keeps_the_id_and_unknown_document_keys(database: Database, admin: Actor) -> None:
    with unit_of_work(database.sessions) as session:
        make_customer(
            session,
            customer_id="CUST-0007",
            constraints={"max_wait_hours": 24, "dock_height_m": 1.2},
            preferences={"language": "sw"},
        )
    changed = customers.update_customer(
        database.sessions, admin, "cust-0007",
        CustomerInput("Pwani Beverages", customer_id="CUST-9999", phone="+254 733 218 904",
                      max_wait_hours=None, contact_person="Baraka Mwakio"),
    )  # fmt: skip
    assert changed.customer_id == "CUST-0007"
    assert changed.max_wait_hours is None
    with unit_of_work(database.sessions) as session:
        row = session.scalars(select(Customer).where(Customer.customer_id == "CUST-0007")).one()
        assert row.constraints == {"dock_height_m": 1.2}
        assert row.preferences == {"language": "sw", "contact_person": "Baraka Mwakio"}
    action, details = audit_actions(database, "CUST-0007")[-1]
    assert action == "customer.updated"
    assert details["phone"] == ["", "+254733218904"]
    assert details["max_wait_hours"] == ["24", ""]


def test_deactivate_and_reactivate_are_audited(database: Database, admin: Actor) -> None:
    info = customers.create_customer(database.sessions, admin, BARAKA)
    off = customers.deactivate_customer(database.sessions, admin, info.customer_id)
    assert not off.is_active
    assert customers.deactivate_customer(database.sessions, admin, info.customer_id) == off
    assert customers.reactivate_customer(database.sessions, admin, info.customer_id).is_active
    assert [a for a, _ in audit_actions(database, info.customer_id)] == [
        "customer.created", "customer.deactivated", "customer.reactivated",
    ]  # fmt: skip
    with pytest.raises(NotFound, match="There is no customer CUST-0404"):
        customers.get_customer(database.sessions, admin, "CUST-0404")


def test_list_search_page_and_active_filter(database: Database, admin: Actor) -> None:
    with unit_of_work(database.sessions) as session:
        for n in range(1, 26):
            make_customer(
                session,
                customer_id=f"CUST-{n:04d}",
                customer_name=f"{'Jamii' if n % 5 == 0 else 'Simba'} Store {n:02d}",
                phone=f"+2547224100{n:02d}",
                is_active=n != 25,
            )
    page = customers.list_customers(database.sessions, admin, CustomerQuery(limit=10))
    assert page.total == 24  # the deactivated one is hidden by default
    assert [c.customer_name for c in page.rows][:2] == ["Jamii Store 05", "Jamii Store 10"]
    second = customers.list_customers(database.sessions, admin, CustomerQuery(offset=10, limit=10))
    assert not {c.id for c in page.rows} & {c.id for c in second.rows}
    everyone = customers.list_customers(database.sessions, admin, CustomerQuery(active=None))
    assert everyone.total == 25
    gone = customers.list_customers(database.sessions, admin, CustomerQuery(active=False))
    assert [c.customer_id for c in gone.rows] == ["CUST-0025"]
    found = customers.search_customers(database.sessions, admin, "jamii")
    assert [c.customer_name for c in found] == [f"Jamii Store {n:02d}" for n in (5, 10, 15, 20)]
    by_phone = customers.search_customers(database.sessions, admin, "0722 410 007")
    assert [c.customer_id for c in by_phone] == ["CUST-0007"]
    literal = customers.search_customers(database.sessions, admin, "100%")
    assert literal == ()  # % is taken literally, not as a wildcard


def test_only_managers_and_admins_edit_customers(database: Database, admin: Actor) -> None:
    dispatcher = new_user(database, admin, "otieno", Role.USER)
    manager = new_user(database, admin, "wanjiku", Role.MANAGER)
    info = customers.create_customer(database.sessions, manager, BARAKA)
    # A dispatcher looks customers up (to enter orders) but changes none.
    assert customers.get_customer(database.sessions, dispatcher, info.customer_id) == info
    assert customers.search_customers(database.sessions, dispatcher, "baraka") == (info,)
    for attempt in (
        lambda: customers.create_customer(database.sessions, dispatcher, BARAKA),
        lambda: customers.update_customer(database.sessions, dispatcher, info.customer_id, BARAKA),
        lambda: customers.deactivate_customer(database.sessions, dispatcher, info.customer_id),
    ):
        with pytest.raises(PermissionDenied, match="A dispatcher may not do this"):
            attempt()
    assert customers.update_customer(database.sessions, admin, info.customer_id, BARAKA).is_active
