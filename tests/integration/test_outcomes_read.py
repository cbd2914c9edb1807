"""The Outcomes screen's reading side on real databases: routes completed through
``finish_route``, then listed with their estimates, actuals and errors, filtered, sorted and paged
in the database, grouped by week, the worst routes picked, and one outcome opened with its stops.

:func:`ran_route` is shared with the screen's tests: it commits a route with real orders and
completes it the way the To record tab and the import do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from senga_desktop.controllers import users
from senga_desktop.controllers.outcome_records import OrderResult, RouteActuals, finish_route
from senga_desktop.controllers.outcome_views import OutcomeFilter, OutcomeSort
from senga_desktop.controllers.outcomes import (
    estimate_vs_actual_over_time,
    list_outcomes,
    outcome_detail,
    outcome_filter_options,
    worst_routes,
)
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import OperationalOutcome, Route, RouteStop, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import (
    FailureReason,
    LearningStatus,
    OrderStatus,
    RouteStatus,
    StopResult,
    StopType,
)
from senga_desktop.errors import NotFound, PermissionDenied, ValidationError
from tests.factories import NAKURU, make_customer, make_order, make_vehicle

# A Wednesday morning in Nairobi (UTC+3): "this week" starts on Monday 7 December 2026.
NOW = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
THIS_MONDAY = date(2026, 12, 7)


def ran_route(
    session: Session,
    vehicle: Vehicle,
    route_id: str,
    *,
    start: datetime,
    estimate: tuple[str, int, str],
    actual: tuple[str, int, str],
    results: Sequence[StopResult] = (StopResult.DELIVERED,),
    minutes_late: int = 0,
    now: datetime = NOW,
) -> str:
    """Commit ``route_id`` on ``vehicle`` with one order a result and complete it: ``estimate``
    and ``actual`` are (km, minutes, KES). Returns the outcome id."""
    customer = make_customer(session)
    route = Route(
        route_id=route_id,
        vehicle=vehicle,
        total_distance_km=Decimal(estimate[0]),
        estimated_duration_minutes=estimate[1],
        estimated_cost_kes=Decimal(estimate[2]),
        status=RouteStatus.PLANNED,
        planned_start=start,
        destination_cities=["Nakuru"],
    )
    session.add(route)
    orders = []
    for index, _ in enumerate(results):
        order = make_order(
            session,
            customer,
            order_id=f"ORD-{route_id}-{index + 1}",
            status=OrderStatus.ASSIGNED,
            time_window_start=start,
            time_window_end=start + timedelta(hours=8),
        )
        order.assigned_route = route
        orders.append(order)
        route.stops.append(
            RouteStop(
                stop_id=f"{route_id}-S{index + 1}",
                order_ids=[order.order_id],
                location=NAKURU,
                stop_type=StopType.DELIVERY,
                sequence_order=index,
                estimated_arrival=start + timedelta(hours=2 + index),
                actual_arrival=start + timedelta(hours=2 + index, minutes=minutes_late),
            )
        )
    route.order_ids = [o.order_id for o in orders]
    session.flush()
    outcome = finish_route(
        session,
        route,
        RouteActuals(
            distance_km=Decimal(actual[0]),
            duration_minutes=actual[1],
            cost_kes=Decimal(actual[2]),
            departed_at=start,
            returned_at=start + timedelta(minutes=actual[1]),
        ),
        [
            OrderResult(
                o.order_id,
                kind,
                minutes_late=minutes_late if kind is StopResult.DELIVERED_LATE else 0,
                failure_reason=FailureReason.CUSTOMER_ABSENT if kind is StopResult.FAILED else None,
            )
            for o, kind in zip(orders, results, strict=True)
        ],
        failed_to=OrderStatus.PENDING,
        recorded_by=None,
        now=now,
    )
    return outcome.outcome_id


def day(monday: date, days: int = 0, hour: int = 5) -> datetime:
    """A moment ``days`` after ``monday`` at ``hour`` UTC (8 in the morning in Nairobi)."""
    midnight = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return midnight + timedelta(days=days, hours=hour)


@pytest.fixture
def dispatcher(people: dict[str, Actor]) -> Actor:
    return people["otieno"]


@pytest.fixture
def history(database: Database) -> dict[str, str]:
    """Six routes over three weeks on two trucks: route id -> outcome id."""
    made: dict[str, str] = {}
    two_ago = THIS_MONDAY - timedelta(weeks=2)
    last = THIS_MONDAY - timedelta(weeks=1)
    with unit_of_work(database.sessions) as session:
        lorry = make_vehicle(session, vehicle_id="KDA 101L")
        van = make_vehicle(session, vehicle_id="KDB 202V", vehicle_type="3 t van")
        runs = [
            # route, truck, start, estimate (km, min, KES), actual, results
            ("RT-A1", lorry, day(two_ago), ("100", 200, "10000"), ("120", 260, "12000"), ()),
            ("RT-A2", van, day(two_ago, 1), ("80", 100, "5000"), ("80", 90, "5000"), ()),
            ("RT-B1", lorry, day(last), ("200", 300, "20000"), ("210", 330, "21000"),
             (StopResult.DELIVERED_LATE, StopResult.DELIVERED)),
            ("RT-B2", van, day(last, 2), ("50", 120, "4000"), ("55", 120, "4400"),
             (StopResult.FAILED,)),
            ("RT-C1", lorry, day(THIS_MONDAY), ("100", 100, "8000"), ("100", 150, "8000"), ()),
            ("RT-C2", van, day(THIS_MONDAY, 1), ("60", 200, "6000"), ("57", 190, "5700"), ()),
        ]  # fmt: skip
        for route_id, truck, start, estimate, actual, results in runs:
            made[route_id] = ran_route(
                session, truck, route_id, start=start, estimate=estimate, actual=actual,
                results=results or (StopResult.DELIVERED,), minutes_late=35,
            )  # fmt: skip
    return made


def test_each_outcome_is_listed_with_estimate_actual_and_error(
    database: Database, dispatcher: Actor, history: dict[str, str]
) -> None:
    page = list_outcomes(database.sessions, dispatcher)
    assert page.total == 6
    assert [r.route_id for r in page.rows] == ["RT-C2", "RT-C1", "RT-B2", "RT-B1", "RT-A2", "RT-A1"]
    first = next(r for r in page.rows if r.route_id == "RT-A1")
    assert first.outcome_id == history["RT-A1"]
    assert first.vehicle_id == "KDA 101L"
    assert (first.distance_km.estimated, first.distance_km.actual) == (
        Decimal("100"),
        Decimal("120"),
    )
    assert first.distance_km.error == Decimal("20")
    assert first.distance_km.error_pct == pytest.approx(20.0)
    assert first.duration_minutes.error_pct == pytest.approx(30.0)
    assert first.cost_kes.error_pct == pytest.approx(20.0)
    assert first.departed_at == day(THIS_MONDAY - timedelta(weeks=2))
    assert first.learning is LearningStatus.PENDING
    late = next(r for r in page.rows if r.route_id == "RT-B1")
    assert (late.on_time, late.late, late.failed, late.result) == (1, 1, 0, "late")
    assert next(r for r in page.rows if r.route_id == "RT-B2").result == "failed"


def test_filters_narrow_the_list_in_the_database(
    database: Database, dispatcher: Actor, history: dict[str, str]
) -> None:
    def ids(wanted: OutcomeFilter) -> list[str]:
        return sorted(r.route_id for r in list_outcomes(database.sessions, dispatcher, wanted).rows)

    assert ids(OutcomeFilter(vehicle_id="KDB 202V")) == ["RT-A2", "RT-B2", "RT-C2"]
    assert ids(OutcomeFilter(result="failed")) == ["RT-B2"]
    assert ids(OutcomeFilter(result="late")) == ["RT-B1"]
    assert ids(OutcomeFilter(result="on_time")) == ["RT-A1", "RT-A2", "RT-C1", "RT-C2"]
    assert ids(OutcomeFilter(search="b")) == ["RT-B1", "RT-B2"]  # any case
    assert ids(OutcomeFilter(search="%")) == []  # a wildcard is a character, not a pattern
    this_week = OutcomeFilter(day_from=day(THIS_MONDAY, hour=-3))  # Monday midnight, Nairobi
    assert ids(this_week) == ["RT-C1", "RT-C2"]
    last_week = OutcomeFilter(
        day_from=day(THIS_MONDAY - timedelta(weeks=1), hour=-3), day_to=day(THIS_MONDAY, hour=-3)
    )
    assert ids(last_week) == ["RT-B1", "RT-B2"]
    assert list_outcomes(database.sessions, dispatcher, this_week).total == 2
    with pytest.raises(ValidationError, match="There is no result 'lost'") as caught:
        list_outcomes(database.sessions, dispatcher, OutcomeFilter(result="lost"))
    assert caught.value.field == "result"
    assert outcome_filter_options(database.sessions, dispatcher).trucks == ("KDA 101L", "KDB 202V")


def test_sorting_by_an_error_sorts_every_outcome_not_one_page(
    database: Database, dispatcher: Actor, history: dict[str, str]
) -> None:
    worst_first = OutcomeFilter(sort=OutcomeSort.DURATION_ERROR, descending=True)
    pages = [
        list_outcomes(database.sessions, dispatcher, worst_first, limit=4, offset=offset)
        for offset in (0, 4)
    ]
    assert [r.route_id for p in pages for r in p.rows] == [
        "RT-C1",  # +50 %
        "RT-A1",  # +30 %
        "RT-B1",  # +10 %
        "RT-B2",  # 0
        "RT-C2",  # -5 %
        "RT-A2",  # -10 %
    ]
    assert pages[1].total == 6
    cheapest = OutcomeFilter(sort=OutcomeSort.COST_ACTUAL, descending=False)
    rows = list_outcomes(database.sessions, dispatcher, cheapest, limit=2).rows
    assert [r.route_id for r in rows] == ["RT-B2", "RT-A2"]
    by_route = OutcomeFilter(sort=OutcomeSort.ROUTE, descending=False)
    assert list_outcomes(database.sessions, dispatcher, by_route, limit=1).rows[0].route_id == (
        "RT-A1"
    )


def test_the_weeks_show_mean_absolute_error_and_bias(
    database: Database, dispatcher: Actor, history: dict[str, str]
) -> None:
    trend = estimate_vs_actual_over_time(database.sessions, dispatcher, weeks=4, now=NOW)
    assert [w.week_start for w in trend.weeks] == [
        THIS_MONDAY - timedelta(weeks=n) for n in (3, 2, 1, 0)
    ]
    assert [w.routes for w in trend.weeks] == [0, 2, 2, 2]
    empty, two_ago, last, this = trend.weeks
    assert empty.duration_mape is None
    assert empty.duration_bias is None
    # Two weeks ago: durations +30 % and -10 % -> MAPE 20 %, bias +10 %, +25 minutes.
    assert two_ago.duration_mape == pytest.approx(20.0)
    assert two_ago.duration_bias == pytest.approx(10.0)
    assert two_ago.duration_bias_minutes == pytest.approx(25.0)
    assert two_ago.distance_mape == pytest.approx(10.0)
    assert two_ago.cost_bias == pytest.approx(10.0)
    # Last week: distances +5 % and +10 %; costs +5 % and +10 %.
    assert last.distance_mape == pytest.approx(7.5)
    assert last.cost_mape == pytest.approx(7.5)
    # This week: durations +50 % and -5 %.
    assert this.duration_mape == pytest.approx(27.5)
    assert trend.overall.routes == 6
    assert trend.overall.duration_mape == pytest.approx((30 + 10 + 10 + 0 + 50 + 5) / 6)
    assert trend.time_zone == "Africa/Nairobi"

    ranged = estimate_vs_actual_over_time(
        database.sessions,
        dispatcher,
        first_day=THIS_MONDAY - timedelta(days=10),
        last_day=THIS_MONDAY - timedelta(days=1),
    )
    assert [(w.week_start, w.routes) for w in ranged.weeks] == [
        (THIS_MONDAY - timedelta(weeks=2), 2),
        (THIS_MONDAY - timedelta(weeks=1), 2),
    ]
    with pytest.raises(ValidationError, match="between 1 and"):
        estimate_vs_actual_over_time(database.sessions, dispatcher, weeks=0)
    with pytest.raises(ValidationError, match="swap them"):
        estimate_vs_actual_over_time(
            database.sessions, dispatcher, first_day=THIS_MONDAY, last_day=date(2026, 11, 1)
        )


def test_the_worst_routes_are_furthest_from_their_duration_either_way(
    database: Database, dispatcher: Actor, history: dict[str, str]
) -> None:
    worst = worst_routes(database.sessions, dispatcher, limit=3)
    assert [r.route_id for r in worst] == ["RT-C1", "RT-A1", "RT-B1"]
    # -10 % is as bad as +10 %: both count once they are in range.
    recent = worst_routes(
        database.sessions, dispatcher, limit=10, day_from=day(THIS_MONDAY, hour=-3)
    )
    assert [r.route_id for r in recent] == ["RT-C1", "RT-C2"]


def test_an_outcome_opens_with_its_stops_lateness_and_costs(
    database: Database, dispatcher: Actor, history: dict[str, str]
) -> None:
    detail = outcome_detail(database.sessions, dispatcher, history["RT-B1"])
    assert detail.row.route_id == "RT-B1"
    assert detail.departed_at == day(THIS_MONDAY - timedelta(weeks=1))
    assert detail.returned_at == detail.departed_at + timedelta(minutes=330)
    assert [s.result for s in detail.stops] == [StopResult.DELIVERED_LATE, StopResult.DELIVERED]
    assert [s.minutes_late for s in detail.stops] == [35, 0]
    assert detail.stops[0].town == "Nakuru"
    assert detail.stops[0].customers[0].startswith("Test Customer")
    assert detail.revenue_kes == Decimal("37000.00")  # two orders at 18,500
    assert detail.net_profit_kes == Decimal("16000.00")
    parts = {part.label: part.kes for part in detail.cost_parts}
    assert sum(parts.values()) == Decimal("21000")
    assert detail.cost_measured
    failed = outcome_detail(database.sessions, dispatcher, history["RT-B2"])
    assert failed.stops[0].result is StopResult.FAILED
    assert failed.stops[0].failure_reason is FailureReason.CUSTOMER_ABSENT
    with pytest.raises(NotFound, match="There is no outcome OUT-NOPE"):
        outcome_detail(database.sessions, dispatcher, "OUT-NOPE")


def test_the_list_says_what_learning_made_of_each_outcome(
    database: Database, dispatcher: Actor, history: dict[str, str]
) -> None:
    with unit_of_work(database.sessions) as session:
        outcome = session.scalars(
            select(OperationalOutcome).where(OperationalOutcome.outcome_id == history["RT-A2"])
        ).one()
        outcome.learning_status = LearningStatus.FLAGGED
        outcome.learning_note = "The distance is 10 times the corridor's: check it."
    row = list_outcomes(database.sessions, dispatcher, OutcomeFilter(search="RT-A2")).rows[0]
    assert row.learning is LearningStatus.FLAGGED
    detail = outcome_detail(database.sessions, dispatcher, history["RT-A2"])
    assert detail.learning_note == "The distance is 10 times the corridor's: check it."
    by_learning = OutcomeFilter(sort=OutcomeSort.LEARNING, descending=False)
    assert list_outcomes(database.sessions, dispatcher, by_learning).rows[0].route_id == "RT-A2"


def test_reading_needs_an_active_account(
    database: Database, people: dict[str, Actor], history: dict[str, str]
) -> None:
    dispatcher = people["otieno"]
    users.update_user(
        database.sessions, people["admin"], dispatcher.user_id, email=None, role=dispatcher.role,
        is_active=False,
    )  # fmt: skip
    for read in (
        lambda: list_outcomes(database.sessions, dispatcher),
        lambda: estimate_vs_actual_over_time(database.sessions, dispatcher),
        lambda: worst_routes(database.sessions, dispatcher),
        lambda: outcome_detail(database.sessions, dispatcher, history["RT-A1"]),
    ):
        with pytest.raises(PermissionDenied, match="no longer active"):
            read()
