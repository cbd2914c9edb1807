"""Writing a route's outcome (controllers/outcome_records.finish_route) on real databases: the
figures, the final states of the orders and the truck, the refusals, and bulk-import counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from senga_desktop.controllers.outcome_records import OrderResult, RouteActuals, finish_route
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Decision, OperationalOutcome, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import (
    DecisionType,
    FailureReason,
    OrderStatus,
    PolicyName,
    RouteStatus,
    StopResult,
    VehicleStatus,
)
from senga_desktop.errors import ValidationError
from tests.factories import make_customer, make_order, make_route, make_vehicle

DAY = datetime(2026, 11, 26, 5, tzinfo=UTC)  # 08:00 in Nairobi
NOW = datetime(2026, 11, 26, 16, tzinfo=UTC)
WINDOW_END = DAY + timedelta(hours=9)  # 14:00 UTC, 17:00 in Nairobi
_PLATES = count(1)
PRICES = (Decimal("10000.00"), Decimal("12000.00"), Decimal("8000.00"), Decimal("5000.00"))


@dataclass(frozen=True)
class Made:
    """The ids of a committed route made for a test."""

    route_id: str
    route_pk: int
    vehicle_pk: int
    orders: tuple[str, ...]  # in stop order: stop 1 has orders[0], stop 2 [1] and [2], stop 3 [3]
    stops: tuple[str, ...]


def committed_route(session: Session, *, vehicle: Vehicle | None = None, day: int = 0) -> Made:
    """A planned route of three stops (one, two and one order), its orders assigned, its truck
    on route: what committing a decision leaves behind."""
    truck = vehicle or make_vehicle(
        session,
        registration_plate=f"KDX {next(_PLATES):03d}X",
        fixed_cost_kes=Decimal("1000.00"),
        status=VehicleStatus.ON_ROUTE,
        current_location={"name": "Nakuru", "lat": -0.3031, "lon": 36.08},
    )
    decision = Decision(
        decision_id=f"DEC-T-{truck.id}-{day}",
        decision_type=DecisionType.PLANNING,
        policy_used=PolicyName.CFA,
        state_snapshot={"state": {}},
        total_cost_estimate=Decimal("15300.00"),
        computation_time_ms=5,
        committed=True,
    )
    session.add(decision)
    customer = make_customer(session, phone="+254 700 000111", address="Kenyatta Avenue 4")
    start = DAY + timedelta(days=day)
    orders = [
        make_order(
            session,
            customer,
            price_kes=price,
            status=OrderStatus.ASSIGNED,
            time_window_start=start + timedelta(hours=1),
            time_window_end=WINDOW_END + timedelta(days=day),
        )
        for price in PRICES
    ]
    route = make_route(session, truck, stops=3, status=RouteStatus.PLANNED, decision=decision,
                       planned_start=start, order_ids=[o.order_id for o in orders],
                       destination_cities=["Nakuru"])  # fmt: skip
    groups = ([orders[0]], [orders[1], orders[2]], [orders[3]])
    for stop, group in zip(route.stops, groups, strict=True):
        stop.order_ids = [o.order_id for o in group]
        stop.estimated_arrival = start + timedelta(hours=2 + stop.sequence_order)
        stop.estimated_departure = stop.estimated_arrival + timedelta(minutes=20)
    for order in orders:
        order.assigned_route_id = route.id
    session.flush()
    return Made(
        route.route_id,
        route.id,
        truck.id,
        tuple(o.order_id for o in orders),
        tuple(s.stop_id for s in route.stops),
    )


def _actuals(**fields: object) -> RouteActuals:
    values: dict[str, object] = {
        "distance_km": Decimal("180.500"),
        "duration_minutes": 300,
        "cost_kes": Decimal("19342.50"),
        "departed_at": DAY,
        "returned_at": DAY + timedelta(minutes=300),
        "fuel_litres": Decimal("40.5"),
        "notes": "rain on the escarpment",
    }
    return RouteActuals(**(values | fields))  # type: ignore[arg-type]


def _finish(database: Database, made: Made, results: list[OrderResult], **kw: object) -> str:
    with unit_of_work(database.sessions) as session:
        route = session.get_one(Route, made.route_pk)
        outcome = finish_route(
            session,
            route,
            kw.pop("actuals", _actuals()),  # type: ignore[arg-type]
            results,
            failed_to=kw.pop("failed_to", OrderStatus.PENDING),  # type: ignore[arg-type]
            recorded_by=None,
            now=NOW,
        )
        return outcome.outcome_id


def _results(made: Made) -> list[OrderResult]:
    a, b, c, d = made.orders
    return [
        OrderResult(a, StopResult.DELIVERED),
        OrderResult(b, StopResult.DELIVERED_LATE, minutes_late=25),
        OrderResult(c, StopResult.DELIVERED_LATE, minutes_late=25),
        OrderResult(d, StopResult.FAILED, failure_reason=FailureReason.REFUSED, note="wrong goods"),
    ]


def _made(database: Database, **kw: object) -> Made:
    with unit_of_work(database.sessions) as session:
        return committed_route(session, **kw)  # type: ignore[arg-type]


def _statuses(session: Session, made: Made) -> dict[str, tuple[OrderStatus, int | None]]:
    rows = session.scalars(select(Order).where(Order.order_id.in_(made.orders)))
    return {o.order_id: (o.status, o.assigned_route_id) for o in rows}


def test_the_outcome_holds_actuals_errors_revenue_counts_and_metrics(database: Database) -> None:
    made = _made(database)
    outcome_id = _finish(database, made, _results(made))
    assert outcome_id == "OUT-20261126-0001"  # the day in Nairobi
    with unit_of_work(database.sessions) as session:
        outcome = session.scalars(select(OperationalOutcome)).one()
        assert outcome.route_id == made.route_pk
        decision = session.scalars(select(Decision)).one()
        assert outcome.decision_id == decision.id
        assert outcome.actual_distance_km == Decimal("180.500")
        assert outcome.actual_duration_minutes == 300
        assert outcome.actual_cost_kes == Decimal("19342.50")
        assert outcome.distance_prediction_error_km == Decimal("20.000")  # 180.5 - 160.5
        assert outcome.duration_prediction_error_minutes == 60  # 300 - 240
        assert outcome.cost_prediction_error_kes == Decimal("4042.50")  # 19342.5 - 15300
        assert outcome.total_revenue_kes == Decimal("30000.00")  # the failed 5000 is not earned
        assert outcome.net_profit_kes == Decimal("10657.50")
        counts = (outcome.on_time_deliveries, outcome.late_deliveries, outcome.failed_deliveries)
        assert counts == (1, 2, 1)
        metrics = outcome.additional_metrics
        assert metrics["relative_errors"]["duration"] == pytest.approx(0.25)
        assert metrics["relative_errors"]["distance"] == pytest.approx(20 / 160.5)
        assert metrics["relative_errors"]["cost"] == pytest.approx(4042.5 / 15300)
        assert [s["minutes_late"] for s in metrics["stops"]] == [0, 25, 0]
        assert metrics["stops"][1]["order_ids"] == list(made.orders[1:3])
        assert metrics["failures"] == [
            {"order_id": made.orders[3], "stop_id": made.stops[2],
             "reason": "refused", "note": "wrong goods"}
        ]  # fmt: skip
        # 300 minutes at 600 KES an hour, 1000 KES fixed: the rest is what the kilometres cost.
        assert metrics["cost"]["hourly_kes"] == "3000.00"
        assert metrics["cost"]["fixed_kes"] == "1000.00"
        assert metrics["cost"]["km_cost_kes"] == "15342.50"
        assert metrics["cost"]["measured"] is True
        assert metrics["notes"] == "rain on the escarpment"
        assert metrics["fuel_litres"] == "40.5"
        route = session.get_one(Route, made.route_pk)
        assert route.status is RouteStatus.COMPLETED
        assert (route.actual_start, route.actual_end) == (DAY, DAY + timedelta(minutes=300))
        assert (route.actual_distance_km, route.actual_duration_minutes) == (Decimal("180.5"), 300)
        assert route.actual_cost_kes == Decimal("19342.50")
        assert route.stops[2].result is StopResult.FAILED  # given from its order's result
        assert route.stops[2].failure_reason is FailureReason.REFUSED
        truck = session.get_one(Vehicle, made.vehicle_pk)
        assert truck.status is VehicleStatus.AVAILABLE
        assert truck.current_location["name"] == "Senga Nairobi Depot"
        assert truck.available_at == DAY + timedelta(minutes=300)
        assert outcome.learning_status.value == "pending"


def test_delivered_orders_are_final_and_failed_ones_return_to_pending(database: Database) -> None:
    made = _made(database)
    _finish(database, made, _results(made))
    with unit_of_work(database.sessions) as session:
        statuses = _statuses(session, made)
        assert [statuses[o] for o in made.orders] == [
            (OrderStatus.DELIVERED, made.route_pk),
            (OrderStatus.DELIVERED, made.route_pk),
            (OrderStatus.DELIVERED, made.route_pk),
            (OrderStatus.PENDING, None),  # off the route: it can be planned again
        ]
        history = session.scalars(
            select(AuditLog)
            .where(AuditLog.entity_id == made.orders[3], AuditLog.action == "order.status_changed")
            .order_by(AuditLog.id)
        ).all()
        steps = [(e.details["from"], e.details["to"]) for e in history]
        assert steps == [
            ("assigned", "in_transit"),
            ("in_transit", "failed"),
            ("failed", "pending"),
        ]
        assert "refused" in history[1].details["reason"]
        completed = session.scalars(select(AuditLog).where(AuditLog.action == "route.completed"))
        assert completed.one().details["outcome"] == "OUT-20261126-0001"


def test_failed_orders_can_be_cancelled_instead(database: Database) -> None:
    made = _made(database)
    _finish(database, made, _results(made), failed_to=OrderStatus.CANCELLED)
    with unit_of_work(database.sessions) as session:
        assert _statuses(session, made)[made.orders[3]] == (OrderStatus.CANCELLED, None)


def test_bulk_counts_fill_in_the_orders_in_stop_order(database: Database) -> None:
    made = _made(database)
    actuals = _actuals(counts=(2, 1, 1), departed_at=None, returned_at=None, cost_measured=False)
    _finish(database, made, [], actuals=actuals)
    with unit_of_work(database.sessions) as session:
        outcome = session.scalars(select(OperationalOutcome)).one()
        assert (outcome.on_time_deliveries, outcome.late_deliveries) == (2, 1)
        assert outcome.failed_deliveries == 1
        assert outcome.total_revenue_kes == Decimal("30000.00")  # the last order failed
        assert outcome.additional_metrics["counts_stated"] is True
        assert outcome.additional_metrics["cost"]["measured"] is False
        statuses = _statuses(session, made)
        assert statuses[made.orders[3]] == (OrderStatus.PENDING, None)
        route = session.get_one(Route, made.route_pk)
        assert route.status is RouteStatus.COMPLETED
        truck = session.get_one(Vehicle, made.vehicle_pk)
        assert truck.available_at == NOW  # no return time stated: free from the recording


@pytest.mark.parametrize(
    ("counts", "results", "words"),
    [
        ((2, 1, 0), [], r"carries 4 order\(s\) but the counts add up to 3"),
        ((3, 1, 0), [("failed", 0)], "contradict"),
        (None, [], "Say what happened to"),
    ],
)
def test_counts_and_results_that_cannot_be_true_are_refused(
    database: Database,
    counts: tuple[int, int, int] | None,
    results: list[tuple[str, int]],
    words: str,
) -> None:
    made = _made(database)
    named = [
        OrderResult(made.orders[i], StopResult(kind), failure_reason=FailureReason.DAMAGED)
        for kind, i in results
    ]
    with pytest.raises(ValidationError, match=words):
        _finish(database, made, named, actuals=_actuals(counts=counts))
    with unit_of_work(database.sessions) as session:
        assert session.scalars(select(OperationalOutcome)).all() == []
        assert session.get_one(Route, made.route_pk).status is RouteStatus.PLANNED


def test_an_order_not_on_the_route_and_impossible_actuals_are_refused(database: Database) -> None:
    made = _made(database)
    stray = [*_results(made), OrderResult("ORD-ELSEWHERE", StopResult.DELIVERED)]
    with pytest.raises(ValidationError, match="ORD-ELSEWHERE is not on route") as caught:
        _finish(database, made, stray)
    assert caught.value.field == "results"
    backwards = _actuals(returned_at=DAY - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="cannot return before") as caught:
        _finish(database, made, _results(made), actuals=backwards)
    assert caught.value.field == "returned_at"
    with pytest.raises(ValidationError, match="cannot be negative") as caught:
        _finish(database, made, _results(made), actuals=_actuals(distance_km=Decimal(-1)))
    assert caught.value.field == "actual_distance_km"


def test_a_route_not_committed_gets_no_outcome(database: Database) -> None:
    made = _made(database)
    with unit_of_work(database.sessions) as session:
        session.get_one(Route, made.route_pk).status = RouteStatus.CANCELLED
    with pytest.raises(ValidationError, match="was cancelled; a cancelled route has no outcome"):
        _finish(database, made, _results(made))


def test_a_second_outcome_is_refused_by_the_check_and_by_the_index(database: Database) -> None:
    made = _made(database)
    _finish(database, made, _results(made))
    with unit_of_work(database.sessions) as session:
        session.get_one(Route, made.route_pk).status = RouteStatus.IN_PROGRESS  # pretend
    with pytest.raises(ValidationError, match=r"outcome recorded already \(OUT-20261126-0001\)"):
        _finish(database, made, [], actuals=_actuals(counts=(4, 0, 0)))
    with pytest.raises(IntegrityError), unit_of_work(database.sessions) as session:
        session.add(
            OperationalOutcome(
                outcome_id="OUT-SECOND",
                route_id=made.route_pk,
                actual_cost_kes=Decimal(1),
                actual_duration_minutes=1,
                actual_distance_km=Decimal(1),
            )
        )
        session.flush()
    with unit_of_work(database.sessions) as session:
        assert len(session.scalars(select(OperationalOutcome)).all()) == 1


def test_outcome_ids_count_on_within_and_across_units_of_work(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        made = [committed_route(session, day=0), committed_route(session, day=0)]
    with unit_of_work(database.sessions) as session:
        ids = []
        for one in made:
            route = session.get_one(Route, one.route_pk)
            ids.append(finish_route(session, route, _actuals(), _results(one),
                                    failed_to=OrderStatus.PENDING, recorded_by=None,
                                    now=NOW).outcome_id)  # fmt: skip
    third = _made(database, day=0)
    assert ids == ["OUT-20261126-0001", "OUT-20261126-0002"]
    assert _finish(database, third, _results(third)) == "OUT-20261126-0003"


def test_a_truck_with_another_committed_route_stays_on_route(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        first = committed_route(session, day=0)
        committed_route(session, vehicle=session.get_one(Vehicle, first.vehicle_pk), day=1)
    _finish(database, first, _results(first))
    with unit_of_work(database.sessions) as session:
        truck = session.get_one(Vehicle, first.vehicle_pk)
        assert truck.status is VehicleStatus.ON_ROUTE
        assert truck.current_location["name"] == "Senga Nairobi Depot"
