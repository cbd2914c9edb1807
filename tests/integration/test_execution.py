"""Recording a committed route as it runs and completing it (controllers/execution) on real
databases: partial saves resumed, the completion in one transaction, every refusal in words,
and nothing written when anything fails — including a conflict with another desktop."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError as OrmStaleDataError

from senga_desktop.controllers import execution, outcome_records, permissions, users
from senga_desktop.controllers.execution_views import ExecutionEntry, ExecutionView, StopEntry
from senga_desktop.controllers.permissions import Actor, Permission
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, OperationalOutcome, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import (
    FailureReason,
    OrderStatus,
    Role,
    RouteStatus,
    StopResult,
    VehicleStatus,
)
from senga_desktop.errors import PermissionDenied, StaleDataError, ValidationError
from tests.integration.test_outcome_records import DAY, NOW, Made, committed_route

H = timedelta(hours=1)
M = timedelta(minutes=1)


@pytest.fixture
def dispatcher(people: dict[str, Actor]) -> Actor:
    return people["otieno"]


@pytest.fixture
def made(database: Database) -> Made:
    with unit_of_work(database.sessions) as session:
        return committed_route(session)


def _entry(view: ExecutionView, stops: tuple[StopEntry, ...] = (), **fields: Any) -> ExecutionEntry:
    """The form as the screen would send it: what the view shows, changed by ``fields``."""
    recorded = dataclasses.asdict(view.recorded)
    given = {s.stop_id: s for s in stops}
    kept = tuple(
        given.get(
            s.stop_id,
            StopEntry(s.stop_id, s.arrived_at, s.departed_at, s.result, s.failure_reason, s.note),
        )
        for s in view.stops
    )
    return ExecutionEntry(view.route_id, view.version, stops=kept, **(recorded | fields))


def _full(view: ExecutionView, **fields: Any) -> ExecutionEntry:
    """Everything a completion needs: stop 2 late (its window ends 14:00 UTC), stop 3 failed."""
    s1, s2, s3 = (s.stop_id for s in view.stops)
    values: dict[str, Any] = {
        "departed_at": DAY,
        "departure_odometer_km": Decimal("40210.0"),
        "returned_at": DAY + 10 * H,
        "return_odometer_km": Decimal("40392.5"),
        "fuel_litres": Decimal("55"),
        "fuel_cost_kes": Decimal("14000"),
        "tolls_kes": Decimal("500"),
        "other_costs_kes": Decimal("200"),
        "notes": "  slow at the weighbridge ",
    }
    stops = (
        StopEntry(s1, DAY + 3 * H, DAY + 3 * H + 20 * M, StopResult.DELIVERED),
        StopEntry(s2, DAY + 9 * H + 25 * M, DAY + 9 * H + 40 * M, StopResult.DELIVERED_LATE),
        StopEntry(s3, DAY + 9 * H + 50 * M, DAY + 9 * H + 55 * M, StopResult.FAILED,
                  FailureReason.CUSTOMER_ABSENT, "gate locked"),
    )  # fmt: skip
    return _entry(view, stops, **(values | fields))


def _load(database: Database, actor: Actor, made: Made) -> ExecutionView:
    return execution.load_execution(database.sessions, actor, made.route_id)


def _nothing_written(database: Database, made: Made, *, version: int = 1) -> None:
    """The route as committing left it: planned, no outcome, orders assigned, truck on route."""
    with unit_of_work(database.sessions) as session:
        route = session.get_one(Route, made.route_pk)
        assert (route.status, route.version, route.actual_start) == (
            RouteStatus.PLANNED,
            version,
            None,
        )
        assert all(s.result is None and s.actual_arrival is None for s in route.stops)
        assert session.scalar(select(func.count()).select_from(OperationalOutcome)) == 0
        statuses = session.scalars(select(Order.status).where(Order.order_id.in_(made.orders)))
        assert set(statuses) == {OrderStatus.ASSIGNED}
        assert session.get_one(Vehicle, made.vehicle_pk).status is VehicleStatus.ON_ROUTE
        saved = select(func.count()).where(AuditLog.action.like("route.%"))
        assert session.scalar(saved) == 0


def test_a_route_is_recorded_stop_by_stop_and_resumed(
    database: Database, dispatcher: Actor, made: Made
) -> None:
    view = _load(database, dispatcher, made)
    assert view.status is RouteStatus.PLANNED
    assert view.time_zone == "Africa/Nairobi"
    assert [s.sequence for s in view.stops] == [1, 2, 3]
    assert view.stops[1].order_ids == made.orders[1:3]
    assert view.stops[0].phones == ("+254 700 000111",)
    assert view.stops[0].address == "Kenyatta Avenue"
    assert len(view.missing) == 7  # departure, odometer, three stops, return, odometer
    listed = execution.routes_to_record(database.sessions, dispatcher)
    assert [(r.route_id, r.progress) for r in listed] == [(made.route_id, "not started")]

    first = _entry(view, departed_at=DAY + 10 * M, departure_odometer_km=Decimal("40210"))
    view = execution.save_execution(database.sessions, dispatcher, first, now=NOW)
    assert view.status is RouteStatus.IN_PROGRESS
    with unit_of_work(database.sessions) as session:
        statuses = session.scalars(select(Order.status).where(Order.order_id.in_(made.orders)))
        assert set(statuses) == {OrderStatus.IN_TRANSIT}
        assert session.get_one(Vehicle, made.vehicle_pk).status is VehicleStatus.ON_ROUTE

    stop = StopEntry(view.stops[0].stop_id, DAY + 3 * H, None, StopResult.DELIVERED)
    execution.save_execution(database.sessions, dispatcher, _entry(view, (stop,)), now=NOW)

    again = _load(database, dispatcher, made)  # another day, another desktop: resumed
    assert again.recorded.departed_at == DAY + 10 * M
    assert again.recorded.departure_odometer_km == Decimal("40210")
    assert (again.stops[0].arrived_at, again.stops[0].result) == (DAY + 3 * H, StopResult.DELIVERED)
    assert again.stops[1].arrived_at is None
    assert again.version == view.version + 1
    assert len(again.missing) == 4
    assert again.missing[0].startswith("Record what happened at stop 2 (Nakuru)")
    listed = execution.routes_to_record(database.sessions, dispatcher, search="kdx")
    assert [r.progress for r in listed] == ["departed 08:10, 1 of 3 stops"]  # Nairobi time
    assert execution.routes_to_record(database.sessions, dispatcher, search="Mombasa") == []
    with unit_of_work(database.sessions) as session:
        saves = session.scalars(select(AuditLog).where(AuditLog.action == "route.execution_saved"))
        assert [e.details["stops_recorded"] for e in saves] == [0, 1]


def test_completing_writes_the_outcome_and_the_final_states(
    database: Database, dispatcher: Actor, made: Made
) -> None:
    view = _load(database, dispatcher, made)
    done = execution.complete_route(database.sessions, dispatcher, _full(view), now=NOW)
    assert done.outcome_id == "OUT-20261126-0001"
    assert (done.distance_km, done.duration_minutes) == (Decimal("182.5"), 600)
    # fuel 14,000 + tolls 500 + other 200 + 10 h at 600 + 1,000 fixed
    assert done.cost_kes == Decimal("21700.00")
    assert done.cost_measured is True
    assert done.duration_error_minutes == 360
    assert done.duration_error_relative == pytest.approx(1.5)
    assert done.distance_error_km == Decimal("22.000")
    assert done.cost_error_kes == Decimal("6400.00")
    assert done.revenue_kes == Decimal("30000.00")
    assert done.net_profit_kes == Decimal("8300.00")
    assert (done.on_time, done.late, done.failed) == (1, 2, 1)
    assert done.returned_orders == (made.orders[3],)
    with unit_of_work(database.sessions) as session:
        outcome = session.scalars(select(OperationalOutcome)).one()
        assert outcome.recorded_by == dispatcher.user_id
        assert [s["minutes_late"] for s in outcome.additional_metrics["stops"]] == [0, 25, 0]
        assert outcome.additional_metrics["notes"] == "slow at the weighbridge"
        assert outcome.additional_metrics["failures"][0]["note"] == "gate locked"
        route = session.get_one(Route, made.route_pk)
        assert route.status is RouteStatus.COMPLETED
        assert route.actual_cost_kes == Decimal("21700.00")
        orders = {o.order_id: o for o in session.scalars(select(Order))}
        assert [orders[o].status for o in made.orders] == [OrderStatus.DELIVERED] * 3 + [
            OrderStatus.PENDING
        ]
        assert orders[made.orders[3]].assigned_route_id is None
        truck = session.get_one(Vehicle, made.vehicle_pk)
        assert (truck.status, truck.available_at) == (VehicleStatus.AVAILABLE, DAY + 10 * H)
    after = _load(database, dispatcher, made)
    assert (after.status, after.outcome_id, after.missing) == (
        RouteStatus.COMPLETED,
        done.outcome_id,
        (),
    )
    assert execution.routes_to_record(database.sessions, dispatcher) == []


def test_failed_orders_can_be_cancelled_and_a_cost_without_fuel_is_estimated(
    database: Database, dispatcher: Actor, made: Made
) -> None:
    entry = _full(_load(database, dispatcher, made), fuel_cost_kes=None, tolls_kes=None)
    done = execution.complete_route(
        database.sessions, dispatcher, entry, failed_to=OrderStatus.CANCELLED, now=NOW
    )
    # 182.5 km at the truck's 85 KES + other 200 + 10 h at 600 + 1,000 fixed
    assert done.cost_kes == Decimal("22712.50")
    assert done.cost_measured is False
    with unit_of_work(database.sessions) as session:
        failed = session.scalars(select(Order).where(Order.order_id == made.orders[3])).one()
        assert failed.status is OrderStatus.CANCELLED
        outcome = session.scalars(select(OperationalOutcome)).one()
        assert outcome.additional_metrics["cost"]["measured"] is False


def test_completing_with_something_missing_is_refused_and_keeps_nothing(
    database: Database, dispatcher: Actor, made: Made
) -> None:
    view = _load(database, dispatcher, made)
    entry = _full(view, return_odometer_km=None, returned_at=None)
    with pytest.raises(ValidationError) as caught:
        execution.complete_route(database.sessions, dispatcher, entry, now=NOW)
    assert caught.value.field == "returned_at"
    assert "cannot be completed yet" in caught.value.message
    assert "Enter when the truck came back" in caught.value.message
    assert "odometer reading on return" in caught.value.message
    _nothing_written(database, made)  # not even the save: one transaction


def _bad(view: ExecutionView, case: str) -> ExecutionEntry:
    """A complete form with one thing wrong."""
    full = _full(view)
    stops = list(full.stops)

    def stop(index: int, **fields: Any) -> ExecutionEntry:
        stops[index] = dataclasses.replace(stops[index], **fields)
        return dataclasses.replace(full, stops=tuple(stops))

    return {
        "future": lambda: dataclasses.replace(full, departed_at=NOW + H),
        "odometer": lambda: dataclasses.replace(full, return_odometer_km=Decimal("40000")),
        "negative fuel": lambda: dataclasses.replace(full, fuel_cost_kes=Decimal("-1")),
        "negative tolls": lambda: dataclasses.replace(full, tolls_kes=Decimal("-5")),
        "return before departure": lambda: dataclasses.replace(full, returned_at=DAY - H),
        "return without departure": lambda: dataclasses.replace(
            full,
            departed_at=None,
            stops=tuple(dataclasses.replace(s, arrived_at=None, departed_at=None) for s in stops),
        ),
        "return before last stop": lambda: dataclasses.replace(full, returned_at=DAY + 9 * H),
        "left before arriving": lambda: stop(0, departed_at=DAY + 2 * H),
        "arrived before departure": lambda: stop(1, arrived_at=DAY - M),
        "left without arriving": lambda: stop(0, arrived_at=None),
        "failed without reason": lambda: stop(2, failure_reason=None),
        "other without note": lambda: stop(2, failure_reason=FailureReason.OTHER, note=" "),
        "reason without failure": lambda: stop(0, failure_reason=FailureReason.DAMAGED),
        "unknown stop": lambda: stop(0, stop_id="RT-ELSEWHERE-S9"),
        "stop in the future": lambda: stop(1, departed_at=NOW + H),
    }[case]()


@pytest.mark.parametrize(
    "rule",
    [
        ("future", "departed_at", "is in the future"),
        ("odometer", "return_odometer_km", "below the reading at departure"),
        ("negative fuel", "fuel_cost_kes", "fuel cost cannot be negative"),
        ("negative tolls", "tolls_kes", "tolls cannot be negative"),
        ("return before departure", "returned_at", "cannot return before it left"),
        ("return without departure", "departed_at", "before its return"),
        ("return before last stop", "returned_at", r"before the truck left stop 3 \(Nakuru\)"),
        ("left before arriving", "stops[0].departed_at", "cannot leave stop 1"),
        ("arrived before departure", "stops[1].arrived_at", "before the truck left"),
        ("left without arriving", "stops[0].arrived_at", "reached stop 1"),
        ("failed without reason", "stops[2].failure_reason", "choose why"),
        ("other without note", "stops[2].note", "Say in the note"),
        ("reason without failure", "stops[0].failure_reason", "only for a failed delivery"),
        ("unknown stop", "stops[0].stop_id", "is not a stop of route"),
        ("stop in the future", "stops[1].departed_at", "is in the future"),
    ],
)
@pytest.mark.parametrize("action", ["save", "complete"])
def test_each_rule_names_the_input_and_writes_nothing(
    database: Database,
    dispatcher: Actor,
    made: Made,
    rule: tuple[str, str, str],
    action: str,
) -> None:
    case, field, words = rule
    entry = _bad(_load(database, dispatcher, made), case)
    call = execution.save_execution if action == "save" else execution.complete_route
    with pytest.raises(ValidationError, match=words) as caught:
        call(database.sessions, dispatcher, entry, now=NOW)
    assert caught.value.field == field
    _nothing_written(database, made)


def test_the_departure_once_recorded_cannot_be_cleared(
    database: Database, dispatcher: Actor, made: Made
) -> None:
    view = _load(database, dispatcher, made)
    view = execution.save_execution(
        database.sessions, dispatcher, _entry(view, departed_at=DAY), now=NOW
    )
    with pytest.raises(ValidationError, match="do not clear it") as caught:
        execution.save_execution(
            database.sessions, dispatcher, _entry(view, departed_at=None), now=NOW
        )
    assert caught.value.field == "departed_at"


def test_a_save_over_another_desktops_save_is_refused(
    database: Database, dispatcher: Actor, made: Made
) -> None:
    view = _load(database, dispatcher, made)
    execution.save_execution(database.sessions, dispatcher, _entry(view, departed_at=DAY), now=NOW)
    late = _entry(view, departed_at=DAY + M, departure_odometer_km=Decimal(1))
    with pytest.raises(StaleDataError, match="saved on another desktop"):
        execution.save_execution(database.sessions, dispatcher, late, now=NOW)
    with pytest.raises(StaleDataError):
        execution.complete_route(database.sessions, dispatcher, _full(view), now=NOW)
    assert _load(database, dispatcher, made).recorded.departed_at == DAY


@pytest.fixture
def on_flush(database: Database) -> Iterator[Callable[[Callable[[Session], bool]], None]]:
    """Run ``change`` (another desktop's write, in its own transaction) at the first flush of the
    next unit of work where ``when(session)`` holds."""
    hooks: list[Callable[..., None]] = []

    def install(when: Callable[[Session], bool], change: Callable[[], None] | None = None) -> None:
        fired: list[bool] = []

        def hook(session: Session, *_: object) -> None:
            if not fired and when(session):
                fired.append(True)
                assert change is not None
                change()

        event.listen(database.sessions, "before_flush", hook)
        hooks.append(hook)

    yield install  # type: ignore[misc]
    for hook in hooks:
        event.remove(database.sessions, "before_flush", hook)


def test_a_truck_changed_meanwhile_leaves_nothing_half_written(
    database: Database, dispatcher: Actor, made: Made, on_flush: Any
) -> None:
    def fleet_manager_edits_the_truck() -> None:
        with database.engine.begin() as connection:
            connection.execute(
                update(Vehicle)
                .where(Vehicle.id == made.vehicle_pk)
                .values(notes="new tyres", version=Vehicle.version + 1)
            )

    def truck_read(session: Session) -> bool:
        """PostgreSQL: once this transaction has read the truck (its rows are written by
        then). SQLite lets one transaction write at a time: before this one writes anything."""
        if database.backend != "postgresql":
            return True
        return any(isinstance(row, Vehicle) for row in session.identity_map.values())

    on_flush(truck_read, fleet_manager_edits_the_truck)
    view = _load(database, dispatcher, made)
    with pytest.raises(StaleDataError, match="changed on another desktop meanwhile") as caught:
        execution.complete_route(database.sessions, dispatcher, _full(view), now=NOW)
    # PostgreSQL: the truck's UPDATE matched no row at its old version, after the route's and
    # the orders' rows were written; SQLite: the first write was refused.
    cause = OrmStaleDataError if database.backend == "postgresql" else OperationalError
    assert isinstance(caught.value.__cause__, cause)
    _nothing_written(database, made)


def test_a_failure_after_writes_rolls_everything_back(
    database: Database, dispatcher: Actor, made: Made, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session: Session, _context: object, route: Route, *_: object) -> None:
        session.flush()  # the orders, the route and its outcome are written by now
        assert session.scalar(select(Route.status).where(Route.id == route.id)) is (
            RouteStatus.COMPLETED
        )
        raise RuntimeError("power cut")

    monkeypatch.setattr(outcome_records, "_audit_completion", broken)
    view = _load(database, dispatcher, made)
    with pytest.raises(RuntimeError, match="power cut"):
        execution.complete_route(database.sessions, dispatcher, _full(view), now=NOW)
    _nothing_written(database, made)


def test_a_second_completion_is_refused_in_words(
    database: Database, dispatcher: Actor, made: Made
) -> None:
    view = _load(database, dispatcher, made)
    done = execution.complete_route(database.sessions, dispatcher, _full(view), now=NOW)
    again = dataclasses.replace(_full(view), version=_load(database, dispatcher, made).version)
    with pytest.raises(ValidationError, match="has its outcome recorded already"):
        execution.complete_route(database.sessions, dispatcher, again, now=NOW)
    with pytest.raises(ValidationError, match="recorded already"):
        execution.save_execution(database.sessions, dispatcher, again, now=NOW)
    with unit_of_work(database.sessions) as session:
        ids = session.scalars(select(OperationalOutcome.outcome_id)).all()
        assert ids == [done.outcome_id]


def test_another_desktops_outcome_at_the_same_moment_is_refused_in_words(
    database: Database, dispatcher: Actor, made: Made, on_flush: Any
) -> None:
    """The other outcome lands after this one's check: PostgreSQL's unique index refuses the
    insert; SQLite refuses the write of a transaction that read before the other's commit."""

    def other_desktop_records_it() -> None:
        with database.engine.begin() as connection:
            connection.execute(
                insert(OperationalOutcome).values(
                    outcome_id="OUT-OTHER",
                    route_id=made.route_pk,
                    actual_cost_kes=Decimal(1),
                    actual_duration_minutes=1,
                    actual_distance_km=Decimal(1),
                    learning_status="pending",
                    additional_metrics={},
                )
            )

    def inserting_outcome(session: Session) -> bool:
        if database.backend != "postgresql":
            return True  # before this transaction writes anything
        return any(isinstance(row, OperationalOutcome) for row in session.new)

    on_flush(inserting_outcome, other_desktop_records_it)
    view = _load(database, dispatcher, made)
    with pytest.raises(ValidationError, match="has its outcome recorded already") as caught:
        execution.complete_route(database.sessions, dispatcher, _full(view), now=NOW)
    if database.backend == "postgresql":  # the index caught it, not the check before
        assert isinstance(caught.value.__cause__, IntegrityError)
    with unit_of_work(database.sessions) as session:
        assert session.scalars(select(OperationalOutcome.outcome_id)).all() == ["OUT-OTHER"]
        assert session.get_one(Route, made.route_pk).status is RouteStatus.PLANNED


def test_recording_needs_the_permission_and_an_active_account(
    database: Database,
    people: dict[str, Actor],
    made: Made,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dispatcher = people["otieno"]
    without = permissions.ROLE_PERMISSIONS[Role.USER] - {Permission.OUTCOMES_RECORD}
    monkeypatch.setitem(permissions.ROLE_PERMISSIONS, Role.USER, without)
    with pytest.raises(PermissionDenied, match=r"outcomes\.record"):
        execution.routes_to_record(database.sessions, dispatcher)
    with pytest.raises(PermissionDenied):
        _load(database, dispatcher, made)
    monkeypatch.undo()
    view = _load(database, dispatcher, made)
    users.update_user(database.sessions, people["admin"], dispatcher.user_id, email=None,
                      role=Role.USER, is_active=False)  # fmt: skip
    with pytest.raises(PermissionDenied, match="no longer active"):
        execution.complete_route(database.sessions, dispatcher, _full(view), now=NOW)
    _nothing_written(database, made)
