"""The Outcomes screen's reading side: recorded outcomes against their estimates.

:func:`list_outcomes` filters, sorts and pages in the database, the error percentages included
(so "worst first" sorts all outcomes, not one page). The estimate of a route is what its plan
stored on the route (distance, duration, cost); the actual is the outcome's. Errors are *actual
minus estimate*, in per cent of the estimate. :func:`estimate_vs_actual_over_time` groups the
routes by the depot's weeks (Monday to Sunday), :func:`worst_routes` lists the routes whose
duration was furthest from the plan, and :func:`outcome_detail` opens one outcome with its stops.

A route's day is when it left; a route without a recorded departure (an imported outcome, say)
counts on its planned start, and one without either on the day its outcome was recorded.
Reading takes ``outcomes.record``, the permission of those who record them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Float, case, cast, func, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.outcome_views import (
    OUTCOME_RESULTS,
    CostPart,
    ErrorTrend,
    Figure,
    OutcomeDetail,
    OutcomeFilter,
    OutcomeFilterOptions,
    OutcomePage,
    OutcomeRow,
    OutcomeSort,
    StopOutcome,
    WeekErrors,
)
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import (
    Customer,
    Decision,
    OperationalOutcome,
    Order,
    Route,
    User,
    Vehicle,
)
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import LearningStatus
from senga_desktop.errors import NotFound, ValidationError

__all__ = [
    "MAX_PAGE",
    "MAX_WEEKS",
    "estimate_vs_actual_over_time",
    "list_outcomes",
    "outcome_detail",
    "outcome_filter_options",
    "worst_routes",
]

MAX_PAGE = 1000
MAX_WEEKS = 104
O = OperationalOutcome  # noqa: E741 - read as "the outcome" in the long statements below

#: The parts of the stored cost (``additional_metrics["cost"]``), in the order shown.
COST_PARTS = (
    ("fuel_kes", "Fuel"),
    ("tolls_kes", "Tolls"),
    ("other_kes", "Other costs"),
    ("hourly_kes", "Driver and hours"),
    ("fixed_kes", "Fixed cost"),
)
DISTANCE_PART = "Distance at the truck's rate per km"


def _departed() -> ColumnElement[datetime]:
    return func.coalesce(Route.actual_start, Route.planned_start)


def _day() -> ColumnElement[datetime]:
    """When the route ran, for the date filters and the weeks (see the module's note)."""
    return func.coalesce(Route.actual_start, Route.planned_start, O.recorded_at)


def _pct(actual: Any, estimate: Any) -> ColumnElement[float]:
    """(actual - estimate) / estimate in per cent; NULL without a positive estimate."""
    est = cast(estimate, Float)
    return case((est > 0, (cast(actual, Float) - est) * 100.0 / est), else_=None)


def _result() -> ColumnElement[str]:
    return case(
        (O.failed_deliveries > 0, "failed"), (O.late_deliveries > 0, "late"), else_="on_time"
    )


def _sorts() -> dict[OutcomeSort, Any]:
    return {
        OutcomeSort.ROUTE: Route.route_id,
        OutcomeSort.TRUCK: Vehicle.vehicle_id,
        OutcomeSort.DEPARTED: _day(),
        OutcomeSort.RESULT: case((O.failed_deliveries > 0, 2), (O.late_deliveries > 0, 1), else_=0),
        OutcomeSort.DISTANCE_ESTIMATED: Route.total_distance_km,
        OutcomeSort.DISTANCE_ACTUAL: O.actual_distance_km,
        OutcomeSort.DISTANCE_ERROR: _pct(O.actual_distance_km, Route.total_distance_km),
        OutcomeSort.DURATION_ESTIMATED: Route.estimated_duration_minutes,
        OutcomeSort.DURATION_ACTUAL: O.actual_duration_minutes,
        OutcomeSort.DURATION_ERROR: _pct(
            O.actual_duration_minutes, Route.estimated_duration_minutes
        ),
        OutcomeSort.COST_ESTIMATED: Route.estimated_cost_kes,
        OutcomeSort.COST_ACTUAL: O.actual_cost_kes,
        OutcomeSort.COST_ERROR: _pct(O.actual_cost_kes, Route.estimated_cost_kes),
        OutcomeSort.PROFIT: O.net_profit_kes,
        OutcomeSort.LEARNING: O.learning_status,
        OutcomeSort.RECORDED: O.recorded_at,
    }


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(session: Session, wanted: OutcomeFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.day_from is not None:
        conditions.append(_day() >= wanted.day_from)
    if wanted.day_to is not None:
        conditions.append(_day() < wanted.day_to)
    if wanted.vehicle_id and wanted.vehicle_id.strip():
        conditions.append(Vehicle.vehicle_id == wanted.vehicle_id.strip())
    if wanted.result:
        if wanted.result not in OUTCOME_RESULTS:
            raise ValidationError(
                "result",
                f"There is no result {wanted.result!r}: choose {', '.join(OUTCOME_RESULTS)}.",
            )
        conditions.append(_result() == wanted.result)
    text = wanted.search.strip()
    if text:
        pattern = f"%{_escaped(text)}%"
        if session.get_bind().dialect.name == "postgresql":
            conditions.append(Route.route_id.ilike(pattern, escape="\\"))
        else:
            conditions.append(Route.route_id.like(pattern, escape="\\"))
    return conditions


def _row_columns() -> tuple[Any, ...]:
    return (
        O.outcome_id,
        Route.route_id,
        Vehicle.vehicle_id,
        Vehicle.vehicle_type,
        _departed(),
        O.recorded_at,
        Route.total_distance_km,
        O.actual_distance_km,
        Route.estimated_duration_minutes,
        O.actual_duration_minutes,
        Route.estimated_cost_kes,
        O.actual_cost_kes,
        O.on_time_deliveries,
        O.late_deliveries,
        O.failed_deliveries,
        O.net_profit_kes,
        O.learning_status,
    )


def _row(values: Sequence[Any]) -> OutcomeRow:
    outcome_id, route_id, vehicle_id, vehicle_type, departed, recorded_at = values[:6]
    est_km, km, est_min, minutes, est_cost, cost = values[6:12]
    on_time, late, failed, profit, learning = values[12:]
    return OutcomeRow(
        outcome_id=outcome_id,
        route_id=route_id,
        vehicle_id=vehicle_id,
        vehicle_type=vehicle_type,
        departed_at=departed,
        recorded_at=recorded_at,
        distance_km=Figure(est_km, km),
        duration_minutes=Figure(None if est_min is None else Decimal(est_min), Decimal(minutes)),
        cost_kes=Figure(est_cost, cost),
        on_time=int(on_time or 0),
        late=int(late or 0),
        failed=int(failed or 0),
        net_profit_kes=profit,
        learning=LearningStatus(learning),
    )


def _joined(statement: Any) -> Any:
    return (
        statement.select_from(O)
        .join(Route, Route.id == O.route_id)
        .join(Vehicle, Vehicle.id == Route.vehicle_id)
    )


def list_outcomes(
    sessions: sessionmaker[Session],
    actor: Actor,
    wanted: OutcomeFilter | None = None,
    *,
    limit: int = 200,
    offset: int = 0,
) -> OutcomePage:
    """One page of outcomes matching ``wanted`` (``None``: all, latest route first) and how many
    match. Outcomes without the sorted figure (no estimate to compare) come last; ties go by the
    outcome's id, newest first, so pages never overlap. A page holds at most :data:`MAX_PAGE`."""
    wanted = wanted or OutcomeFilter()
    limit = max(0, min(limit, MAX_PAGE))
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.OUTCOMES_RECORD)
        conditions = _conditions(session, wanted)
        key = _sorts()[wanted.sort]
        order = key.desc().nulls_last() if wanted.descending else key.asc().nulls_last()
        statement = (
            _joined(select(*_row_columns()))
            .where(*conditions)
            .order_by(order, O.id.desc())
            .offset(max(0, offset))
            .limit(limit)
        )
        rows = tuple(_row(values) for values in session.execute(statement))
        total = session.scalar(_joined(select(func.count(O.id))).where(*conditions)) or 0
        return OutcomePage(rows, int(total))


def outcome_filter_options(sessions: sessionmaker[Session], actor: Actor) -> OutcomeFilterOptions:
    """The trucks that have a recorded outcome, sorted."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.OUTCOMES_RECORD)
        trucks = session.scalars(
            _joined(select(Vehicle.vehicle_id).distinct()).order_by(Vehicle.vehicle_id)
        ).all()
        return OutcomeFilterOptions(tuple(trucks))


def worst_routes(
    sessions: sessionmaker[Session],
    actor: Actor,
    limit: int = 10,
    *,
    day_from: datetime | None = None,
    day_to: datetime | None = None,
) -> tuple[OutcomeRow, ...]:
    """The ``limit`` routes whose duration was furthest from its estimate (in per cent, either
    way), worst first, among those that ran between ``day_from`` and ``day_to`` (UTC)."""
    limit = max(0, min(limit, MAX_PAGE))
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.OUTCOMES_RECORD)
        conditions = _conditions(session, OutcomeFilter(day_from=day_from, day_to=day_to))
        error = func.abs(_pct(O.actual_duration_minutes, Route.estimated_duration_minutes))
        statement = (
            _joined(select(*_row_columns()))
            .where(*conditions, Route.estimated_duration_minutes > 0)
            .order_by(error.desc(), O.id.desc())
            .limit(limit)
        )
        return tuple(_row(values) for values in session.execute(statement))


# -- over time ------------------------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), zone).astimezone(UTC)


def _errors(week: date, samples: Sequence[tuple[float | None, ...]]) -> WeekErrors:
    """The week's figures from its routes' (duration %, distance %, cost %, duration min)."""

    def mean(values: Iterable[float | None], *, absolute: bool = False) -> float | None:
        known = [abs(v) if absolute else v for v in values if v is not None]
        return sum(known) / len(known) if known else None

    duration, distance, cost, minutes = ([sample[n] for sample in samples] for n in range(4))
    return WeekErrors(
        week_start=week,
        routes=len(samples),
        duration_mape=mean(duration, absolute=True),
        distance_mape=mean(distance, absolute=True),
        cost_mape=mean(cost, absolute=True),
        duration_bias=mean(duration),
        distance_bias=mean(distance),
        cost_bias=mean(cost),
        duration_bias_minutes=mean(minutes),
    )


def _percent(actual: Any, estimate: Any) -> float | None:
    if estimate is None or float(estimate) <= 0:
        return None
    return (float(actual) - float(estimate)) * 100.0 / float(estimate)


def estimate_vs_actual_over_time(
    sessions: sessionmaker[Session],
    actor: Actor,
    *,
    weeks: int = 12,
    first_day: date | None = None,
    last_day: date | None = None,
    now: datetime | None = None,
) -> ErrorTrend:
    """Estimate against actual per week of the depot (Monday to Sunday, its time zone).

    Without ``first_day``/``last_day`` the range is the last ``weeks`` weeks, this one included
    (``now`` says when "this week" is; default the current time). Every week of the range is in
    the answer, those without routes too (``routes`` 0, errors ``None``), so a chart keeps its
    time axis honest.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError("weeks", f"Choose between 1 and {MAX_WEEKS} weeks.")
    if first_day and last_day and first_day > last_day:
        raise ValidationError("first_day", "The first day comes after the last: swap them.")
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.OUTCOMES_RECORD)
        zone_name = read_general(session).time_zone
        zone = ZoneInfo(zone_name)
        today = (now or datetime.now(UTC)).astimezone(zone).date()
        if first_day is not None:
            first = _monday(first_day)
            last = _monday(last_day) if last_day else max(first, _monday(today))
        else:
            last = _monday(last_day or today)
            first = last - timedelta(weeks=weeks - 1)
        if (last - first).days // 7 + 1 > MAX_WEEKS:
            raise ValidationError("first_day", f"Choose at most {MAX_WEEKS} weeks.")
        start, end = _midnight(first, zone), _midnight(last + timedelta(weeks=1), zone)
        statement = _joined(
            select(
                _day(),
                O.actual_duration_minutes,
                Route.estimated_duration_minutes,
                O.actual_distance_km,
                Route.total_distance_km,
                O.actual_cost_kes,
                Route.estimated_cost_kes,
            )
        ).where(_day() >= start, _day() < end)
        by_week: dict[date, list[tuple[float | None, ...]]] = {}
        every: list[tuple[float | None, ...]] = []
        for day, minutes, est_min, km, est_km, cost, est_cost in session.execute(statement):
            week = _monday(day.astimezone(zone).date())
            sample = (
                _percent(minutes, est_min),
                _percent(km, est_km),
                _percent(cost, est_cost),
                None if est_min is None else float(minutes - est_min),
            )
            by_week.setdefault(week, []).append(sample)
            every.append(sample)
    mondays = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return ErrorTrend(
        weeks=tuple(_errors(monday, by_week.get(monday, ())) for monday in mondays),
        overall=_errors(first, every),
        time_zone=zone_name,
    )


# -- one outcome ----------------------------------------------------------------------------------


def _lateness(metrics: Mapping[str, Any]) -> dict[str, int]:
    """Minutes late per order id, from the per-stop lateness
    :func:`~senga_desktop.controllers.outcome_records.finish_route` keeps in
    ``additional_metrics["stops"]`` ([{order_ids, minutes_late, …}]); malformed entries are
    passed over (the document is JSON anyone with the database could have edited)."""
    late: dict[str, int] = {}
    stops = metrics.get("stops")
    for stop in stops if isinstance(stops, list) else ():
        minutes = stop.get("minutes_late") if isinstance(stop, Mapping) else None
        ids = stop.get("order_ids") if isinstance(stop, Mapping) else None
        if isinstance(minutes, int | float) and isinstance(ids, list):
            late.update((str(order_id), int(minutes)) for order_id in ids)
    return late


def _kes(value: Any) -> Decimal | None:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _cost_parts(metrics: Mapping[str, Any]) -> tuple[tuple[CostPart, ...], bool]:
    """The parts of the actual cost and whether it was measured. Without a fuel cost the
    distance was costed at the truck's rate: that part is what the others leave of the total."""
    cost = metrics.get("cost")
    if not isinstance(cost, Mapping):
        return (), True
    parts = [
        CostPart(label, kes)
        for key, label in COST_PARTS
        if (kes := _kes(cost.get(key))) is not None and kes != 0
    ]
    total = _kes(cost.get("total_kes"))
    if total is not None and _kes(cost.get("fuel_kes")) is None:
        rest = total - sum((part.kes for part in parts), Decimal(0))
        if rest > 0:
            parts.insert(0, CostPart(DISTANCE_PART, rest))
    return tuple(parts), bool(cost.get("measured", True))


def outcome_detail(sessions: sessionmaker[Session], actor: Actor, outcome_id: str) -> OutcomeDetail:
    """One outcome with its route's stops, lateness and costs; NotFound if there is none."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.OUTCOMES_RECORD)
        found = session.execute(
            _joined(select(*_row_columns(), O.id)).where(O.outcome_id == outcome_id)
        ).first()
        if found is None:
            raise NotFound(f"There is no outcome {outcome_id}.")
        row = _row(found[:-1])
        outcome = session.get(O, found[-1])
        assert outcome is not None  # just read in this unit of work
        route = outcome.route
        metrics = dict(outcome.additional_metrics or {})
        late = _lateness(metrics)
        cost_parts, measured = _cost_parts(metrics)
        order_ids = sorted({o for stop in route.stops for o in stop.order_ids})
        names: dict[str, str] = dict(
            session.execute(
                select(Order.order_id, Customer.customer_name)
                .join(Customer, Customer.id == Order.customer_id)
                .where(Order.order_id.in_(order_ids))
            ).all()
        )
        stops = tuple(
            StopOutcome(
                sequence=stop.sequence_order + 1,
                town=str((stop.location or {}).get("name", "")),
                order_ids=tuple(stop.order_ids),
                customers=tuple(names.get(o, "") for o in stop.order_ids),
                estimated_arrival=stop.estimated_arrival,
                actual_arrival=stop.actual_arrival,
                actual_departure=stop.actual_departure,
                result=stop.result,
                failure_reason=stop.failure_reason,
                note=stop.result_note,
                minutes_late=max((late[o] for o in stop.order_ids if o in late), default=None),
            )
            for stop in route.stops
        )
        decision_id = (
            session.scalar(select(Decision.decision_id).where(Decision.id == outcome.decision_id))
            if outcome.decision_id is not None
            else None
        )
        recorded_by = (
            session.scalar(select(User.username).where(User.id == outcome.recorded_by))
            if outcome.recorded_by is not None
            else None
        )
        return OutcomeDetail(
            row=row,
            decision_id=decision_id,
            recorded_by=recorded_by,
            departed_at=route.actual_start,
            returned_at=route.actual_end,
            revenue_kes=outcome.total_revenue_kes,
            net_profit_kes=outcome.net_profit_kes,
            fuel_litres=route.fuel_litres
            if route.fuel_litres is not None
            else _kes(metrics.get("fuel_litres")),
            notes=route.execution_notes or _text(metrics.get("notes")),
            learning_note=outcome.learning_note,
            belief_version=outcome.belief_version,
            stops=stops,
            cost_parts=cost_parts,
            cost_measured=measured,
        )


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value.strip() else None
