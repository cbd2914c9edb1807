"""Writing a route's outcome: the one place a committed route becomes completed.

Both the Outcomes screen (route by route, :mod:`~senga_desktop.controllers.execution`) and the
bulk import call :func:`finish_route` inside their own unit of work. It writes, together:

* the ``operational_outcomes`` row: actuals, prediction errors (actual - estimate), revenue
  (prices of the delivered orders), net profit, the on-time / late / failed counts and
  ``additional_metrics`` (see :func:`finish_route` for its keys);
* the route completed with its actuals;
* its orders delivered, or failed and then returned to pending (to plan again) or cancelled;
* its truck back at the depot, available from its return.

Delivered, failed and cancelled are final in the order lifecycle
(:mod:`~senga_desktop.controllers.order_status`); completing a route is the one step that takes a
failed delivery on to pending or cancelled, because the dispatcher decides there and then what
becomes of the goods. Every step is audited as ``order.status_changed``, so an order's history
reads ``assigned -> in_transit -> failed -> pending`` as it happened.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError as OrmStaleDataError

from senga_desktop.controllers import audit
from senga_desktop.controllers.fleet_board import COMMITTED_ROUTE_STATUSES
from senga_desktop.controllers.fleet_input import depot_location
from senga_desktop.controllers.numbering import ATTEMPTS, KeySequence, is_duplicate_key, take_turn
from senga_desktop.controllers.order_status import transition_problem
from senga_desktop.controllers.outcome_rules import (
    cost_breakdown,
    fill_results,
    refusal,
    relative,
    stop_metrics,
    validate_actuals,
)
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import OperationalOutcome, Order, Route, User
from senga_desktop.domain import FailureReason, OrderStatus, RouteStatus, StopResult, VehicleStatus
from senga_desktop.errors import StaleDataError, ValidationError

__all__ = [
    "OUTCOME_ROUTE_CLASH",
    "OrderResult",
    "RouteActuals",
    "RouteFinish",
    "already_recorded",
    "finish_route",
    "finish_routes",
    "outcome_keys",
    "translate_conflict",
]

T = TypeVar("T")

#: How the one-outcome-per-route index shows in a unique-constraint error, per backend.
OUTCOME_ROUTE_CLASH = ("ix_operational_outcomes_route", "operational_outcomes.route_id")
_OUTCOME_ID_CLASH = ("uq_operational_outcomes_outcome_id", "operational_outcomes.outcome_id")
_CHUNK = 500  # ids per IN (...) list: well under every backend's bound-parameter limit
_NUMBERS = "senga.outcome_numbers"  # session.info: the last number taken per day, for imports
SQLITE_BUSY_SNAPSHOT = 517  # sqlite3.h: (SQLITE_BUSY | (2 << 8))
_STALE = (
    "Route {route}, its truck or its orders were changed on another desktop meanwhile; "
    "nothing was recorded. Reload the route and try again."
)


@dataclass(frozen=True, slots=True)
class RouteActuals:
    """What a route really took. ``counts`` (on time, late, failed) as a bulk import states
    them; ``None`` counts them from the order results."""

    distance_km: Decimal
    duration_minutes: int
    cost_kes: Decimal
    departed_at: datetime | None = None
    returned_at: datetime | None = None
    fuel_litres: Decimal | None = None
    notes: str | None = None
    cost_measured: bool = True  # False when the cost was estimated (no fuel cost entered)
    counts: tuple[int, int, int] | None = None


@dataclass(frozen=True, slots=True)
class RouteFinish:
    """One route of :func:`finish_routes`: the route (loaded with its truck and stops), what it
    really took and what happened to its orders."""

    route: Route
    actuals: RouteActuals
    results: Sequence[OrderResult]


@dataclass(frozen=True, slots=True)
class OrderResult:
    """What happened to one order of the route."""

    order_id: str
    result: StopResult
    minutes_late: int = 0
    failure_reason: FailureReason | None = None
    note: str | None = None


def translate_conflict(route_id: str, work: Callable[[], T]) -> T:
    """Run ``work`` (inside a unit of work); a row changed by another desktop since it was read
    becomes a :class:`StaleDataError` in words. On SQLite that shows as a refused write
    (SQLITE_BUSY_SNAPSHOT in WAL mode), which must be caught before the unit of work reports
    it as an unusable database."""
    try:
        return work()
    except OrmStaleDataError as exc:
        raise StaleDataError(_STALE.format(route=route_id), keys=[route_id]) from exc
    except OperationalError as exc:
        if getattr(exc.orig, "sqlite_errorcode", None) != SQLITE_BUSY_SNAPSHOT:
            raise
        raise StaleDataError(_STALE.format(route=route_id), keys=[route_id]) from exc


def outcome_keys(moment: datetime, zone: ZoneInfo) -> KeySequence:
    """Outcome ids of the day of ``moment`` in the depot's time zone: ``OUT-20261207-0001``."""
    return KeySequence(f"OUT-{moment.astimezone(zone):%Y%m%d}-", 4)


def already_recorded(route: Route, outcome_id: str | None) -> ValidationError:
    """The refusal of a second outcome for ``route``, whichever check caught it."""
    which = f" ({outcome_id})" if outcome_id else ""
    return ValidationError(
        "route_id",
        f"Route {route.route_id} has its outcome recorded already{which}; a route has one "
        "outcome. Open it on the Outcomes screen instead of recording it again.",
    )


def _next_outcome_id(session: Session, keys: KeySequence) -> str:
    """The next free id of ``keys``. The number is read once per session and counted on in
    memory: an import finishing thousands of routes must not rescan the day's ids each time."""
    taken: dict[str, int] = session.info.setdefault(_NUMBERS, {})
    if keys.prefix not in taken:
        take_turn(session, keys)
        taken[keys.prefix] = keys.last_used(session, OperationalOutcome.outcome_id)
    taken[keys.prefix] += 1
    return keys.format(taken[keys.prefix])


def _insert_outcome(
    session: Session, route: Route, outcome: OperationalOutcome, keys: KeySequence
) -> None:
    """Add ``outcome`` with the next free id, in a savepoint: another desktop may have taken
    the id, or recorded this route, a moment ago."""
    for remaining in range(ATTEMPTS - 1, -1, -1):
        outcome.outcome_id = _next_outcome_id(session, keys)
        try:
            with session.begin_nested():
                session.add(outcome)
                session.flush()
            return
        except IntegrityError as exc:
            if is_duplicate_key(exc, OUTCOME_ROUTE_CLASH):
                raise already_recorded(route, None) from exc
            if remaining == 0 or not is_duplicate_key(exc, _OUTCOME_ID_CLASH):
                raise
            session.info.get(_NUMBERS, {}).pop(keys.prefix, None)  # read afresh


def _step(
    session: Session,
    who: tuple[int | None, str],
    order: Order,
    target: OrderStatus,
    reason: str,
    *,
    lifecycle: bool = True,
) -> None:
    """Move ``order`` on and audit it as :func:`~.order_status.change_status` does. Without
    ``lifecycle`` the failed -> pending / cancelled step of a completion (see module doc)."""
    if lifecycle and (problem := transition_problem(order.status, target)) is not None:
        raise ValidationError("status", f"Order {order.order_id}: {problem}")
    details = {"from": order.status.value, "to": target.value, "reason": reason}
    order.status = target
    if target in (OrderStatus.PENDING, OrderStatus.CANCELLED):
        order.assigned_route_id = None
    audit.record(
        session,
        "order.status_changed",
        entity_type="order",
        entity_id=order.order_id,
        user_id=who[0],
        username=who[1],
        details=details,
    )


def _settle_orders(
    session: Session,
    who: tuple[int | None, str],
    route: Route,
    orders: Sequence[Order],
    results: dict[str, OrderResult],
    *,
    failed_to: OrderStatus,
) -> None:
    name = f"route {route.route_id}"
    for order in orders:
        result = results[order.order_id]
        if order.status is OrderStatus.ASSIGNED:  # recorded afterwards: it did leave
            _step(session, who, order, OrderStatus.IN_TRANSIT, f"{name} departed")
        if result.result is StopResult.FAILED:
            why = (result.failure_reason or FailureReason.OTHER).value.replace("_", " ")
            _step(session, who, order, OrderStatus.FAILED, f"delivery failed on {name}: {why}")
            then = (
                "back to pending to plan again" if failed_to is OrderStatus.PENDING else "cancelled"
            )
            _step(session, who, order, failed_to, f"failed on {name}: {then}", lifecycle=False)
        else:
            _step(session, who, order, OrderStatus.DELIVERED, f"delivered on {name}")


def _settle_stops(route: Route, results: dict[str, OrderResult]) -> None:
    """Give a stop without a recorded result the one its orders share (a bulk import)."""
    for stop in route.stops:
        mine = [results[o] for o in stop.order_ids if o in results]
        if stop.result is not None or not mine or len({r.result for r in mine}) != 1:
            continue
        stop.result = mine[0].result
        if stop.result is StopResult.FAILED:
            stop.failure_reason = mine[0].failure_reason or FailureReason.OTHER
            stop.result_note = mine[0].note


def _release_truck(context: _Context, route: Route, returned: datetime) -> None:
    """The truck is back at the depot. Free from its return unless it has another committed
    route (it stays on route) or was sent to maintenance or off duty meanwhile (kept)."""
    vehicle = route.vehicle
    vehicle.current_location = dict(context.depot)
    committed = context.busy[vehicle.id]
    committed.discard(route.id)
    if vehicle.status is VehicleStatus.ON_ROUTE and not committed:
        vehicle.status = VehicleStatus.AVAILABLE
        vehicle.available_at = returned
    elif vehicle.status is VehicleStatus.AVAILABLE:
        vehicle.available_at = max(returned, vehicle.available_at or returned)


def _who(session: Session, recorded_by: int | None) -> tuple[int | None, str]:
    user = session.get(User, recorded_by) if recorded_by else None
    return (user.id, user.username) if user else (None, audit.COMMAND_LINE_ACTOR)


def _chunks(values: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


class _Context:
    """What finishing routes reads from the database, read once for all of them: an import
    finishing thousands of routes must not query (and autoflush) per route."""

    def __init__(
        self, session: Session, routes: Sequence[Route], recorded_by: int | None, now: datetime
    ) -> None:
        self.who = _who(session, recorded_by)
        general = read_general(session)
        self.depot = depot_location(general)
        self.keys = outcome_keys(now, ZoneInfo(general.time_zone))
        route_ids = sorted({r.id for r in routes})
        truck_ids = sorted({r.vehicle_id for r in routes})
        self.recorded: dict[int, str] = {}
        self.orders: dict[int, list[Order]] = defaultdict(list)
        self.busy: dict[int, set[int]] = defaultdict(set)  # a truck's committed routes
        for chunk in _chunks(route_ids):
            rows = session.execute(
                select(OperationalOutcome.route_id, OperationalOutcome.outcome_id).where(
                    OperationalOutcome.route_id.in_(chunk)
                )
            )
            self.recorded.update((route, outcome) for route, outcome in rows)
            query = select(Order).where(Order.assigned_route_id.in_(chunk)).order_by(Order.id)
            for order in session.scalars(query):
                self.orders[order.assigned_route_id or 0].append(order)
        for chunk in _chunks(truck_ids):
            busy = session.execute(
                select(Route.vehicle_id, Route.id).where(
                    Route.vehicle_id.in_(chunk), Route.status.in_(COMMITTED_ROUTE_STATUSES)
                )
            )
            for truck, route_pk in busy:
                self.busy[truck].add(route_pk)


def finish_route(
    session: Session,
    route: Route,
    actuals: RouteActuals,
    results: Sequence[OrderResult],
    *,
    failed_to: OrderStatus,
    recorded_by: int | None,
    now: datetime,
) -> OperationalOutcome:
    """Complete the committed ``route`` with ``actuals`` inside the caller's unit of work.

    ``results`` names what happened to each order on the route. A bulk import that states only
    counts (``actuals.counts``) may leave orders out: they are given the remaining results in
    stop order (on time first, then late, then failed), and the counts must add up to the
    route's orders. ``failed_to`` is PENDING (the orders leave the route, to be planned again)
    or CANCELLED.

    ``ValidationError`` for a route that is not committed or has an outcome already (also when
    the unique index catches a second desktop), for impossible actuals or results;
    ``StaleDataError`` when the route, its truck or its orders changed meanwhile. The caller's
    unit of work then rolls back: nothing is written.

    ``additional_metrics`` holds: ``relative_errors`` {cost, duration, distance} (fractions of
    the estimate, ``None`` for a zero estimate); ``cost`` {measured, total_kes, km_cost_kes,
    hourly_kes, fixed_kes, fuel_kes, tolls_kes, other_kes, cost_per_km_kes} (text, exact KES;
    ``km_cost_kes`` is what learning reads); ``stops`` [{stop_id, sequence, town, order_ids,
    minutes_late, arrived_at, departed_at}]; ``failures`` [{order_id, stop_id, reason, note}];
    ``departed_at``, ``returned_at``, ``fuel_litres``, ``notes``, ``counts_stated``.
    """
    _check_failed_to(failed_to)

    def finish() -> OperationalOutcome:
        context = _Context(session, [route], recorded_by, now)
        outcome = _finish(session, context, RouteFinish(route, actuals, results), failed_to, now)
        _insert_outcome(session, route, outcome, context.keys)
        _audit_completion(session, context, route, outcome, failed_to)
        return outcome

    return translate_conflict(route.route_id, finish)


def finish_routes(
    session: Session,
    items: Sequence[RouteFinish],
    *,
    failed_to: OrderStatus,
    recorded_by: int | None,
    now: datetime,
) -> list[OperationalOutcome | ValidationError]:
    """:func:`finish_route` for many routes at once (a bulk import), inside the caller's unit
    of work: what it reads is read once, and everything is written in one flush at the end.

    One result per item, in order: its outcome, or the ``ValidationError`` that refused it (the
    caller decides whether the others may still be written; a refused route was left as it
    was). ``StaleDataError`` when another desktop changed or recorded any of them meanwhile.
    """
    _check_failed_to(failed_to)
    done: list[OperationalOutcome | ValidationError] = []
    with session.no_autoflush:
        context = _Context(session, [i.route for i in items], recorded_by, now)
        for item in items:
            try:
                outcome = _finish(session, context, item, failed_to, now)
            except ValidationError as exc:
                done.append(exc)
                continue
            outcome.outcome_id = _next_outcome_id(session, context.keys)
            session.add(outcome)
            _audit_completion(session, context, item.route, outcome, failed_to)
            done.append(outcome)
    name = items[0].route.route_id if len(items) == 1 else f"{items[0].route.route_id} and others"
    translate_conflict(name, lambda: _flush_batch(session))
    return done


def _flush_batch(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        if is_duplicate_key(exc, OUTCOME_ROUTE_CLASH):
            raise StaleDataError(
                "Another desktop recorded outcomes for some of these routes meanwhile; nothing "
                "was recorded. Check the file again and import what is left."
            ) from exc
        raise


def _check_failed_to(failed_to: OrderStatus) -> None:
    if failed_to not in (OrderStatus.PENDING, OrderStatus.CANCELLED):
        raise ValidationError("failed_to", "Failed orders go back to pending or are cancelled.")


def _audit_completion(
    session: Session,
    context: _Context,
    route: Route,
    outcome: OperationalOutcome,
    failed_to: OrderStatus,
) -> None:
    counts = [outcome.on_time_deliveries, outcome.late_deliveries, outcome.failed_deliveries]
    audit.record(session, "route.completed", entity_type="route", entity_id=route.route_id,
                 user_id=context.who[0], username=context.who[1],
                 details={"outcome": outcome.outcome_id, "cost_kes": str(outcome.actual_cost_kes),
                          "failed_to": failed_to.value, "counts": counts})  # fmt: skip


def _finish(
    session: Session,
    context: _Context,
    item: RouteFinish,
    failed_to: OrderStatus,
    now: datetime,
) -> OperationalOutcome:
    """Settle the route, its orders and truck; the outcome row, not yet added (no id yet)."""
    route, actuals, results = item.route, item.actuals, item.results
    problem = refusal(route)
    if problem is not None:
        raise ValidationError("route_id", problem)
    earlier = context.recorded.get(route.id)
    if earlier is not None:
        raise already_recorded(route, earlier)
    validate_actuals(actuals)
    orders = context.orders[route.id]
    named, filled = fill_results(route, orders, results, actuals.counts)
    by_order = named | {o: OrderResult(o, kind) for o, kind in filled.items()}
    delivered = [o for o in orders if by_order[o.order_id].result is not StopResult.FAILED]
    revenue = sum((o.price_kes for o in delivered), Decimal(0))
    counts = actuals.counts or (
        sum(1 for r in by_order.values() if r.result is StopResult.DELIVERED),
        sum(1 for r in by_order.values() if r.result is StopResult.DELIVERED_LATE),
        sum(1 for r in by_order.values() if r.result is StopResult.FAILED),
    )
    cost_error = actuals.cost_kes - route.estimated_cost_kes
    duration_error = actuals.duration_minutes - route.estimated_duration_minutes
    distance_error = actuals.distance_km - route.total_distance_km
    stops, failures = stop_metrics(route, by_order)
    metrics: dict[str, Any] = {
        "relative_errors": {
            "cost": relative(cost_error, route.estimated_cost_kes),
            "duration": relative(duration_error, route.estimated_duration_minutes),
            "distance": relative(distance_error, route.total_distance_km),
        },
        "cost": cost_breakdown(route, actuals),
        "stops": stops,
        "failures": failures,
        "departed_at": actuals.departed_at.isoformat() if actuals.departed_at else None,
        "returned_at": actuals.returned_at.isoformat() if actuals.returned_at else None,
        "fuel_litres": str(actuals.fuel_litres) if actuals.fuel_litres is not None else None,
        "notes": actuals.notes,
        "counts_stated": actuals.counts is not None,
    }
    who = context.who
    _settle_orders(session, who, route, orders, by_order, failed_to=failed_to)
    _settle_stops(route, by_order)
    route.status = RouteStatus.COMPLETED
    route.actual_start = actuals.departed_at or route.actual_start
    route.actual_end = actuals.returned_at
    route.actual_distance_km = actuals.distance_km
    route.actual_duration_minutes = actuals.duration_minutes
    route.actual_cost_kes = actuals.cost_kes
    _release_truck(context, route, actuals.returned_at or now)
    return OperationalOutcome(
        route_id=route.id,
        decision_id=route.decision_id,
        actual_cost_kes=actuals.cost_kes,
        actual_duration_minutes=actuals.duration_minutes,
        actual_distance_km=actuals.distance_km,
        cost_prediction_error_kes=cost_error,
        duration_prediction_error_minutes=duration_error,
        distance_prediction_error_km=distance_error,
        total_revenue_kes=revenue,
        net_profit_kes=revenue - actuals.cost_kes,
        on_time_deliveries=counts[0],
        late_deliveries=counts[1],
        failed_deliveries=counts[2],
        additional_metrics=metrics,
        recorded_by=who[0],
        recorded_at=now,
    )
