"""Planning with what was learned, on real databases: a run folds the pending outcomes first,
reads the newest belief, and its decision records the version; a decision made earlier replays
with the belief it recorded, not the newest one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from senga_desktop.controllers import learning, planning
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.planning_state import StateSnapshot, read_state
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Customer, Decision, OperationalOutcome
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import LearningStatus, PolicyName, VehicleStatus
from senga_desktop.engine.snapshot import belief_to_json
from tests.factories import make_customer, make_order
from tests.integration.test_learning import (
    DAY,
    NAKURU,
    NORMAL,
    SERVICE,
    THIKA,
    make_truck,
    record_history,
)

NOW = DAY + timedelta(days=40)
QUICK = planning.PlanRequest(
    policy=PolicyName.CFA, seed=3, time_limit=None, max_iterations=60, workers=1
)


def _orders(database: Database, customers: dict[str, str]) -> None:
    """Pending orders for the day: two to Nakuru, one to Thika, each for its town's customer."""
    with unit_of_work(database.sessions) as session:
        for place, n in ((NAKURU, 2), (THIKA, 1)):
            customer = session.scalars(
                select(Customer).where(Customer.customer_id == customers[place["name"]])
            ).one()
            for _ in range(n):
                make_order(session, customer, destination_city=place["name"],
                           destination_location=place, weight_tonnes=Decimal("1.5"),
                           time_window_start=NOW + timedelta(hours=1),
                           time_window_end=NOW + timedelta(hours=14))  # fmt: skip


def _decision(database: Database, decision_id: str) -> tuple[int | None, dict[str, Any]]:
    with unit_of_work(database.sessions) as session:
        record = session.scalars(select(Decision).where(Decision.decision_id == decision_id)).one()
        return record.belief_version, dict(record.state_snapshot)


@pytest.fixture
def history(database: Database, people: dict[str, Actor]) -> dict[str, str]:
    made = record_history(database)
    customers = {"Nakuru": made.nakuru_customer, "Thika": made.thika_customer}
    _orders(database, customers)
    return customers


def test_a_plan_before_anything_is_learned_records_no_version(
    database: Database, people: dict[str, Actor]
) -> None:
    with unit_of_work(database.sessions) as session:
        make_truck(session, status=VehicleStatus.AVAILABLE)
        customer_ids = {p["name"]: make_customer(session).customer_id for p in (NAKURU, THIKA)}
    _orders(database, customer_ids)
    summary = planning.plan(database.sessions, people["otieno"], QUICK, now=NOW)
    version, document = _decision(database, summary.decision_id)
    assert version is None
    assert document["belief_version"] is None
    snapshot = StateSnapshot.from_json(document)
    assert snapshot.belief_version is None
    assert dict(snapshot.state.belief.corridor_factors) == {}
    assert snapshot.state.belief.service_minutes_per_stop == SERVICE
    assert all(o.service_minutes is None for o in snapshot.state.orders)


def test_planning_folds_first_and_the_decision_records_the_new_version(
    database: Database, people: dict[str, Actor], history: dict[str, str]
) -> None:
    summary = planning.plan(database.sessions, people["otieno"], QUICK, now=NOW)
    with unit_of_work(database.sessions) as session:
        statuses = set(session.scalars(select(OperationalOutcome.learning_status)))
        _, learned = learning.current_belief(session)
    assert statuses == {LearningStatus.USED}
    version, document = _decision(database, summary.decision_id)
    assert version == 1
    assert document["belief_version"] == 1
    state = StateSnapshot.from_json(document).state
    slow = learned.corridor_factor("Nairobi", "Nakuru")
    assert slow > 1.5
    assert state.belief.factor("Nakuru", "Nairobi") == pytest.approx(slow)
    assert state.belief.factor("Nairobi", "Thika") == pytest.approx(
        learned.corridor_factor("Nairobi", "Thika")
    )
    assert state.belief.speed_kmh("Heavy truck 10 t") == pytest.approx(
        learned.speed_kmh("Heavy truck 10 t")
    )
    # The customer with history gets its own service time; the others the belief's per stop.
    by_town = {o.town: o for o in state.orders}
    assert by_town["Thika"].service_minutes == pytest.approx(
        learned.service_minutes(history["Thika"])
    )
    assert by_town["Thika"].service_minutes > SERVICE
    truck = state.trucks[0]
    expected = (Decimal("85.00") * Decimal(repr(learned.cost_factor("Heavy truck 10 t")))).quantize(
        Decimal("0.01")
    )
    assert truck.cost_per_km == expected


def test_an_earlier_decision_replays_with_the_belief_it_recorded(
    database: Database, people: dict[str, Actor], history: dict[str, str]
) -> None:
    first = planning.plan(database.sessions, people["otieno"], QUICK, now=NOW)
    _, first_document = _decision(database, first.decision_id)
    recorded = StateSnapshot.from_json(first_document).state.belief
    assert recorded.factor("Nairobi", "Nakuru") > 1.5
    # A manager resets the corridor: version 2, back to the default.
    view = learning.reset_estimate(database.sessions, people["wanjiku"], "corridor",
                                   "Nairobi|Nakuru")  # fmt: skip
    assert view.version == 2
    second = planning.plan(database.sessions, people["otieno"], QUICK, now=NOW)
    version, document = _decision(database, second.decision_id)
    assert version == 2
    assert StateSnapshot.from_json(document).state.belief.factor("Nairobi", "Nakuru") == (
        pytest.approx(NORMAL)
    )
    with unit_of_work(database.sessions) as session:
        now_read = read_state(session, now=NOW)
    assert now_read.belief_version == 2
    # The replay of the first decision runs on the belief it stored, not on version 2.
    replay = planning.replay_decision(database.sessions, people["otieno"], first.decision_id)
    assert replay.same
    _, again = _decision(database, first.decision_id)
    replayed = StateSnapshot.from_json(again)
    assert replayed.belief_version == 1
    assert replayed.state.belief == recorded
    assert belief_to_json(replayed.state.belief) == first_document["state"]["belief"]
    assert replayed.state.belief != now_read.state.belief
