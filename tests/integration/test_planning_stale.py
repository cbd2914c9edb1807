"""Committing a decision that went out of date: every way it surfaces ends in a readable refusal."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError as OrmStaleDataError

from senga_desktop.cli import cli
from senga_desktop.controllers import auth, planning, users
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database, open_database
from senga_desktop.db.models import Decision, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, PolicyName, Role, RouteStatus, VehicleStatus
from senga_desktop.errors import StaleDataError, ValidationError

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.CFA, seed=7, time_limit=None, max_iterations=120)
OTHER = planning.PlanRequest(policy=PolicyName.PFA, seed=3, time_limit=None, max_iterations=120)


@pytest.fixture
def people(database: Database) -> tuple[Actor, Actor]:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    info = users.create_user(database.sessions, admin, username="otieno", email=None,
                             role=Role.USER, password="Matatu-Route-46")  # fmt: skip
    seed_demo(database.sessions, now=NOW)
    return admin, Actor(info.id, info.username, info.role)


def _nothing_written(database: Database, decision_id: str) -> None:
    with unit_of_work(database.sessions) as session:
        record = session.scalars(select(Decision).where(Decision.decision_id == decision_id)).one()
        assert not record.committed
        assert {r.status for r in record.routes} == {RouteStatus.PROPOSED}


def _overlap(a: planning.DecisionSummary, b: planning.DecisionSummary) -> tuple[int, int]:
    orders = set(a.orders_routed) & set(b.orders_routed)
    trucks = {r.vehicle_id for r in a.routes} & {r.vehicle_id for r in b.routes}
    return len(orders), len(trucks)


def test_a_plan_committed_first_is_named_with_who_when_and_how_much_it_took(
    database: Database, people: tuple[Actor, Actor]
) -> None:
    amina, otieno = people
    first = planning.plan(database.sessions, otieno, QUICK, now=NOW)
    second = planning.plan(database.sessions, otieno, OTHER, now=NOW)
    orders, trucks = _overlap(first, second)
    assert orders > 0
    assert trucks > 0
    planning.commit_decision(database.sessions, amina, first.decision_id)
    with unit_of_work(database.sessions) as session:
        committed_at = session.scalars(
            select(Decision.committed_at).where(Decision.decision_id == first.decision_id)
        ).one()
    assert committed_at is not None
    clock = committed_at.astimezone(ZoneInfo("Africa/Nairobi")).strftime("%H:%M")

    with pytest.raises(StaleDataError) as raised:
        planning.commit_decision(database.sessions, otieno, second.decision_id)
    refusal = raised.value
    assert refusal.summary == (
        f"Another plan was committed first: amina committed decision {first.decision_id} at "
        f"{clock} (depot time), taking {orders} of this plan's orders and {trucks} of its "
        f"trucks. Plan again to use what is left."
    )
    assert str(refusal) == refusal.summary
    assert len(refusal.details) == len(refusal.keys) == orders + trucks
    assert all(first.decision_id in line for line in refusal.details)
    assert set(refusal.keys) == (set(first.orders_routed) & set(second.orders_routed)) | (
        {r.vehicle_id for r in first.routes} & {r.vehicle_id for r in second.routes}
    )
    _nothing_written(database, second.decision_id)


def test_edited_and_cancelled_orders_are_summed_up_by_kind(
    database: Database, people: tuple[Actor, Actor]
) -> None:
    _, otieno = people
    summary = planning.plan(database.sessions, otieno, QUICK, now=NOW)
    routed = sorted(summary.orders_routed)
    edited, cancelled = routed[:4], routed[4]
    with unit_of_work(database.sessions) as session:
        for order in session.scalars(select(Order).where(Order.order_id.in_(edited))):
            order.weight_tonnes += Decimal("0.1")
        session.scalars(
            select(Order).where(Order.order_id == cancelled)
        ).one().status = OrderStatus.CANCELLED
    with pytest.raises(StaleDataError) as raised:
        planning.commit_decision(database.sessions, otieno, summary.decision_id)
    assert raised.value.summary == (
        f"Decision {summary.decision_id} is out of date and was not committed: since it was "
        f"made, 4 orders were edited and 1 order was cancelled ({cancelled}). Plan again."
    )
    assert sorted(raised.value.details) == sorted(
        [f"order {o} was edited" for o in edited] + [f"order {cancelled} is cancelled"]
    )
    _nothing_written(database, summary.decision_id)


def test_a_truck_sent_to_maintenance_is_named(
    database: Database, people: tuple[Actor, Actor]
) -> None:
    _, otieno = people
    summary = planning.plan(database.sessions, otieno, QUICK, now=NOW)
    truck = summary.routes[0].vehicle_id
    with unit_of_work(database.sessions) as session:
        vehicle = session.scalars(select(Vehicle).where(Vehicle.vehicle_id == truck)).one()
        vehicle.status = VehicleStatus.MAINTENANCE
    with pytest.raises(StaleDataError) as raised:
        planning.commit_decision(database.sessions, otieno, summary.decision_id)
    assert raised.value.summary == (
        f"Decision {summary.decision_id} is out of date and was not committed: since it was "
        f"made, 1 truck was sent to maintenance ({truck}). Plan again."
    )
    assert raised.value.keys == (truck,)
    assert raised.value.details == (f"truck {truck} is in maintenance",)
    _nothing_written(database, summary.decision_id)


def _during_first_flush(action: Callable[[], None]) -> Callable[[], None]:
    """Run ``action`` (another desktop's whole unit of work) when a session first flushes —
    after the commit read and checked everything, before it writes a row. Returns the undo."""
    fired: list[bool] = []

    def before_flush(session: Session, *_: Any) -> None:
        if not fired:
            fired.append(True)
            action()

    event.listen(Session, "before_flush", before_flush)
    return lambda: event.remove(Session, "before_flush", before_flush)


def test_a_change_that_only_surfaces_at_the_database_is_refused_readably(
    database: Database, people: tuple[Actor, Actor], migrated_url: str
) -> None:
    """Another desktop discards the decision between our checks and our writes: the database
    refuses our writes (no row matched the version: SQLAlchemy's own StaleDataError at the
    flush), and that too ends in the readable refusal."""
    if database.backend == "sqlite":
        pytest.skip("SQLite serialises writers: a commit holds the write lock from the start")
    amina, otieno = people
    summary = planning.plan(database.sessions, otieno, QUICK, now=NOW)
    other_desktop = open_database(migrated_url)

    def discard_elsewhere() -> None:
        planning.discard_decision(other_desktop.sessions, amina, summary.decision_id)

    undo = _during_first_flush(discard_elsewhere)
    try:
        with pytest.raises(StaleDataError) as raised:
            planning.commit_decision(database.sessions, otieno, summary.decision_id)
    finally:
        undo()
        other_desktop.dispose()
    assert re.fullmatch(
        rf"amina discarded decision {summary.decision_id} at \d\d:\d\d \(depot time\) while you "
        r"were committing it\. Nothing was written\. Plan again\.",
        raised.value.summary,
    )
    assert isinstance(raised.value.__cause__, OrmStaleDataError)
    with unit_of_work(database.sessions) as session:
        assert not session.scalars(select(Decision)).one().committed
        assert {r.status for r in session.scalars(select(Route))} == {RouteStatus.DISCARDED}
        assert (
            session.scalar(
                select(func.count()).select_from(Order).where(Order.status != OrderStatus.PENDING)
            )
            == 0
        )


def test_two_desktops_committing_at_once_one_wins_the_other_is_told_why(
    database: Database, people: tuple[Actor, Actor], migrated_url: str
) -> None:
    amina, otieno = people
    first = planning.plan(database.sessions, otieno, QUICK, now=NOW)
    second = planning.plan(database.sessions, otieno, OTHER, now=NOW)
    assert _overlap(first, second)[0] > 0
    desktops = [open_database(migrated_url), open_database(migrated_url)]
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def commit(desktop: Database, actor: Actor, decision_id: str) -> None:
        start.wait()
        try:
            outcomes[decision_id] = planning.commit_decision(desktop.sessions, actor, decision_id)
        except Exception as exc:  # the test inspects whatever came out
            outcomes[decision_id] = exc

    threads = [
        threading.Thread(target=commit, args=(desktops[0], amina, first.decision_id)),
        threading.Thread(target=commit, args=(desktops[1], otieno, second.decision_id)),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for desktop in desktops:
            desktop.dispose()
    won = [d for d, o in outcomes.items() if isinstance(o, planning.DecisionSummary)]
    lost = [o for o in outcomes.values() if not isinstance(o, planning.DecisionSummary)]
    assert len(won) == 1, outcomes
    assert len(lost) == 1, outcomes
    refusal = lost[0]
    assert type(refusal) is StaleDataError, repr(refusal)
    winner = "amina" if won[0] == first.decision_id else "otieno"
    assert refusal.summary.startswith(
        f"Another plan was committed first: {winner} committed decision {won[0]} at "
    )
    assert refusal.details
    with unit_of_work(database.sessions) as session:
        committed = session.scalars(select(Decision.decision_id).where(Decision.committed)).all()
        assert committed == won
        winning = {r.id for r in session.scalars(select(Route).where(Route.status == "planned"))}
        assigned = session.scalars(select(Order).where(Order.status == OrderStatus.ASSIGNED)).all()
        assert assigned
        assert {o.assigned_route_id for o in assigned} <= winning


def test_senga_plan_commit_prints_the_summary_and_the_list_and_exits_1(
    database: Database, people: tuple[Actor, Actor], migrated_url: str
) -> None:
    amina, otieno = people
    first = planning.plan(database.sessions, otieno, QUICK, now=NOW)
    second = planning.plan(database.sessions, otieno, OTHER, now=NOW)
    planning.commit_decision(database.sessions, amina, first.decision_id)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--database-url", migrated_url, "plan", "--decision", second.decision_id, "--commit"]
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: Another plan was committed first: amina committed")
    assert lines[1] == f"What changed since decision {second.decision_id} was made:"
    assert len(lines) == 2 + sum(_overlap(first, second))
    assert all(line.startswith("  ") and first.decision_id in line for line in lines[2:])
    assert "Traceback" not in result.output
    shown = runner.invoke(cli, ["--database-url", migrated_url, "plan", "--decision",
                                second.decision_id, "--json"])  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert '"committed": false' in shown.stdout


def test_discarding_a_decision_committed_elsewhere_meanwhile_says_so(
    database: Database, people: tuple[Actor, Actor], migrated_url: str
) -> None:
    if database.backend == "sqlite":
        pytest.skip("SQLite serialises writers: a discard holds the write lock from the start")
    amina, otieno = people
    summary = planning.plan(database.sessions, otieno, QUICK, now=NOW)
    other_desktop = open_database(migrated_url)

    def commit_elsewhere() -> None:
        planning.commit_decision(other_desktop.sessions, amina, summary.decision_id)

    undo = _during_first_flush(commit_elsewhere)
    try:
        with pytest.raises(StaleDataError) as raised:
            planning.discard_decision(database.sessions, otieno, summary.decision_id)
    finally:
        undo()
        other_desktop.dispose()
    assert re.fullmatch(
        rf"amina committed decision {summary.decision_id} at \d\d:\d\d \(depot time\) while you "
        r"were discarding it: its routes are planned already\. It can no longer be discarded: "
        r"cancel its routes on the Routes screen instead\.",
        raised.value.summary,
    )
    with unit_of_work(database.sessions) as session:
        assert session.scalars(select(Decision)).one().committed
        assert {r.status for r in session.scalars(select(Route))} == {RouteStatus.PLANNED}


def test_two_desktops_committing_the_same_decision_one_wins(
    database: Database, people: tuple[Actor, Actor], migrated_url: str
) -> None:
    amina, otieno = people
    summary = planning.plan(database.sessions, otieno, QUICK, now=NOW)
    desktops = [open_database(migrated_url), open_database(migrated_url)]
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def commit(desktop: Database, actor: Actor) -> None:
        start.wait()
        try:
            outcomes.append(planning.commit_decision(desktop.sessions, actor, summary.decision_id))
        except Exception as exc:  # the test inspects whatever came out
            outcomes.append(exc)

    threads = [
        threading.Thread(target=commit, args=(desktop, actor))
        for desktop, actor in zip(desktops, (amina, otieno), strict=True)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for desktop in desktops:
            desktop.dispose()
    won = [o for o in outcomes if isinstance(o, planning.DecisionSummary)]
    lost = [o for o in outcomes if not isinstance(o, planning.DecisionSummary)]
    assert len(won) == 1, outcomes
    assert len(lost) == 1, outcomes
    # Either it waited and saw the decision committed, or it started after the winner finished.
    assert isinstance(lost[0], StaleDataError | ValidationError), repr(lost[0])
    assert "committed" in str(lost[0])
