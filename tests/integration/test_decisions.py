"""The Decisions screen's controllers on real databases: the trail, a snapshot, a comparison."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine

from senga_desktop.controllers import auth, decisions, planning, users
from senga_desktop.controllers.demo_data import DEMO_ORDER_COUNT, seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_views import DecisionPage
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Customer, Decision, Order, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import PolicyName, Role
from senga_desktop.errors import NotFound, ValidationError

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def _request(policy: PolicyName, seed: int = 7) -> planning.PlanRequest:
    return planning.PlanRequest(policy=policy, seed=seed, time_limit=None, max_iterations=100)


@pytest.fixture
def dispatcher(database: Database) -> Actor:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    info = users.create_user(database.sessions, admin, username="otieno", email=None,
                             role=Role.USER, password="Matatu-Route-46")  # fmt: skip
    seed_demo(database.sessions, now=NOW)
    return Actor(info.id, info.username, info.role)


@dataclass(frozen=True)
class Trail:
    committed: planning.DecisionSummary
    discarded: planning.DecisionSummary  # the same run as ``committed``: identical routes
    proposed: planning.DecisionSummary  # another policy on the same state


@pytest.fixture
def trail(database: Database, dispatcher: Actor) -> Trail:
    """Three decisions on the same state, made in this order, then one committed, one discarded."""
    first = planning.plan(database.sessions, dispatcher, _request(PolicyName.CFA), now=NOW)
    again = planning.plan(database.sessions, dispatcher, _request(PolicyName.CFA), now=NOW)
    other = planning.plan(database.sessions, dispatcher, _request(PolicyName.PFA), now=NOW)
    committed = planning.commit_decision(database.sessions, dispatcher, first.decision_id)
    discarded = planning.discard_decision(database.sessions, dispatcher, again.decision_id)
    return Trail(committed, discarded, other)


def _ids(page: DecisionPage) -> list[str]:
    return [row.decision_id for row in page.rows]


def test_the_trail_lists_decisions_newest_first_with_their_figures(
    database: Database, dispatcher: Actor, trail: Trail
) -> None:
    page = decisions.list_decisions(database.sessions, dispatcher)
    newest_first = [trail.proposed, trail.discarded, trail.committed]
    assert _ids(page) == [d.decision_id for d in newest_first]
    assert page.total == 3
    for row, summary, status in zip(
        page.rows, newest_first, ["proposed", "discarded", "committed"], strict=True
    ):
        assert row.status == status
        assert row.created_by == "otieno"
        assert row.created_at == summary.created_at
        assert row.policy is summary.policy
        assert row.parameters == dict(summary.parameters)
        assert row.orders_routed == len(summary.orders_routed) > 0
        assert row.orders_held == len(summary.held)
        assert (
            row.orders_routed + row.orders_held == DEMO_ORDER_COUNT
        )  # every pending order of the demo
        assert row.routes == len(summary.routes)
        assert row.cost_kes == summary.total_cost_kes
        assert row.confidence == summary.confidence
        assert row.computation_ms == summary.computation_ms > 0


def test_the_trail_filters_by_status_and_policy_and_pages(
    database: Database, dispatcher: Actor, trail: Trail
) -> None:
    def listed(**kwargs: Any) -> list[str]:
        return _ids(decisions.list_decisions(database.sessions, dispatcher, **kwargs))

    assert listed(status="committed") == [trail.committed.decision_id]
    assert listed(status="discarded") == [trail.discarded.decision_id]
    assert listed(status="proposed") == [trail.proposed.decision_id]
    assert listed(policy=PolicyName.PFA) == [trail.proposed.decision_id]
    assert listed(policy=PolicyName.CFA) == [trail.discarded.decision_id,
                                             trail.committed.decision_id]  # fmt: skip
    assert listed(policy=PolicyName.CFA, status="proposed") == []
    assert listed(policy=PolicyName.DLA) == []
    pages = [
        decisions.list_decisions(database.sessions, dispatcher, limit=2, offset=offset)
        for offset in (0, 2)
    ]
    assert [len(p.rows) for p in pages] == [2, 1]
    assert {p.total for p in pages} == {3}
    assert [i for p in pages for i in _ids(p)] == listed()
    assert decisions.list_decisions(database.sessions, dispatcher, status="committed").total == 1
    with pytest.raises(ValidationError, match="no decision status 'done'"):
        decisions.list_decisions(database.sessions, dispatcher, status="done")


def test_a_decision_without_stored_held_orders_counts_them_from_its_snapshot(
    database: Database, dispatcher: Actor
) -> None:
    summary = planning.plan(database.sessions, dispatcher, _request(PolicyName.CFA), now=NOW)
    assert summary.held, "the demo depot should hold some orders"
    with unit_of_work(database.sessions) as session:
        session.execute(update(Decision).values(held_orders=[]))  # as made before revision 0007
    row = decisions.list_decisions(database.sessions, dispatcher).rows[0]
    assert row.orders_held == len(summary.held)
    assert row.orders_routed == len(summary.orders_routed)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_snapshot_reads_as_the_orders_trucks_and_belief_it_saw(
    database: Database, dispatcher: Actor
) -> None:
    summary = planning.plan(database.sessions, dispatcher, _request(PolicyName.CFA), now=NOW)
    with counted(database.engine) as statements:
        view = decisions.snapshot_view(database.sessions, dispatcher, summary.decision_id)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 3  # the account, the snapshot, every customer at once
    assert view.decision_id == summary.decision_id
    assert view.now == NOW
    assert view.depot.time_zone == "Africa/Nairobi"
    with unit_of_work(database.sessions) as session:
        orders = {
            order_id: (name, weight, price, town)
            for order_id, name, weight, price, town in session.execute(
                select(Order.order_id, Customer.customer_name, Order.weight_tonnes,
                       Order.price_kes, Order.destination_city)
                .join(Customer, Customer.id == Order.customer_id)
            )
        }  # fmt: skip
        trucks = {v.vehicle_id: v for v in session.scalars(select(Vehicle))}
        assert [o.order_id for o in view.orders] == sorted(orders)  # all pending at NOW
        for seen in view.orders:
            name, weight, price, town = orders[seen.order_id]
            assert (seen.customer, seen.weight_tonnes, seen.revenue_kes, seen.town) == (
                name, weight, price, town,
            )  # fmt: skip
            assert seen.window_end is not None
        assert {t.vehicle_id for t in view.trucks} <= set(trucks)
        for seen_truck in view.trucks:
            truck = trucks[seen_truck.vehicle_id]
            assert seen_truck.capacity_tonnes == truck.capacity_weight_tonnes
            assert seen_truck.capacity_m3 == truck.capacity_volume_m3
            assert seen_truck.shift_hours == float(truck.max_shift_hours)
            assert seen_truck.trip_days == truck.max_trip_days
            assert seen_truck.free_from >= NOW
    assert set(view.speeds_kmh) == {t.vehicle_type for t in view.trucks}
    assert all(0 < speed < 100 for speed in view.speeds_kmh.values())
    assert view.belief["Road distance"] == "1.30 times the straight line"
    assert view.belief["Time at each stop"].endswith(" min")
    assert "Expected new orders" in view.belief
    # An order deleted since shows no customer; the snapshot still lists it.
    with unit_of_work(database.sessions) as session:
        gone = view.orders[0].order_id
        session.delete(session.scalars(select(Order).where(Order.order_id == gone)).one())
    again = decisions.snapshot_view(database.sessions, dispatcher, summary.decision_id)
    assert again.orders[0].order_id == gone
    assert again.orders[0].customer == ""
    with pytest.raises(NotFound):
        decisions.snapshot_view(database.sessions, dispatcher, "DEC-NONE")


def test_identical_decisions_compare_with_no_moved_orders(
    database: Database, dispatcher: Actor, trail: Trail
) -> None:
    a, b = trail.committed, trail.discarded
    assert [(r.vehicle_id, r.order_ids) for r in a.routes] == [
        (r.vehicle_id, r.order_ids) for r in b.routes
    ]
    comparison = decisions.compare_decisions(database.sessions, dispatcher,
                                             a.decision_id, b.decision_id)  # fmt: skip
    assert comparison.moved == ()
    assert comparison.a.decision_id == a.decision_id
    assert comparison.b.decision_id == b.decision_id
    for side in (comparison.a, comparison.b):
        assert side.cost_kes == sum((r.cost_kes for r in a.routes), Decimal(0))
        assert side.distance_km == sum((r.distance_km for r in a.routes), Decimal(0))
        assert side.orders_routed == len(a.orders_routed)
        assert side.trucks_used == len({r.vehicle_id for r in a.routes})


def test_different_decisions_compare_with_the_orders_that_moved(
    database: Database, dispatcher: Actor, trail: Trail
) -> None:
    a, b = trail.committed, trail.proposed
    comparison = decisions.compare_decisions(database.sessions, dispatcher,
                                             a.decision_id, b.decision_id)  # fmt: skip
    truck_a = {o: r.vehicle_id for r in a.routes for o in r.order_ids}
    truck_b = {o: r.vehicle_id for r in b.routes for o in r.order_ids}
    expected = [
        (o, truck_a.get(o), truck_b.get(o))
        for o in sorted(truck_a.keys() | truck_b.keys())
        if truck_a.get(o) != truck_b.get(o)
    ]
    assert expected, "a different policy should place some order differently"
    assert [(m.order_id, m.truck_a, m.truck_b) for m in comparison.moved] == expected
    assert comparison.a.policy is PolicyName.CFA
    assert comparison.b.policy is PolicyName.PFA
    assert comparison.b.orders_routed == len(b.orders_routed)
    assert comparison.b.cost_kes == sum((r.cost_kes for r in b.routes), Decimal(0))
    backwards = decisions.compare_decisions(database.sessions, dispatcher,
                                            b.decision_id, a.decision_id)  # fmt: skip
    assert [(m.order_id, m.truck_b, m.truck_a) for m in backwards.moved] == expected
    with pytest.raises(NotFound, match="DEC-NONE"):
        decisions.compare_decisions(database.sessions, dispatcher, a.decision_id, "DEC-NONE")
