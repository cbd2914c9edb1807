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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TypeVar
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
    RouteFacts,
    check_failed_to,
    fill_results,
    order_steps,
    outcome_fields,
    refusal,
    truck_after,
    validate_actuals,
)
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import OperationalOutcome, Order, Route, User
from senga_desktop.domain import FailureReason, OrderStatus, RouteStatus, StopResult
from senga_desktop.errors import StaleDataError, ValidationError

__all__ = [
    "OUTCOME_ROUTE_CLASH",
    "OrderResult",
    "RouteActuals",
    "already_recorded",
    "finish_route",
    "next_outcome_id",
    "outcome_keys",
    "shared_result",
    "translate_conflict",
    "who_recorded",
]

T = TypeVar("T")

#: How the one-outcome-per-route index shows in a unique-constraint error, per backend.
OUTCOME_ROUTE_CLASH = ("ix_operational_outcomes_route", "operational_outcomes.route_id")
_OUTCOME_ID_CLASH = ("uq_operational_outcomes_outcome_id", "operational_outcomes.outcome_id")
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


def already_recorded(route: RouteFacts, outcome_id: str | None) -> ValidationError:
    """The refusal of a second outcome for ``route``, whichever check caught it."""
    which = f" ({outcome_id})" if outcome_id else ""
    return ValidationError(
        "route_id",
        f"Route {route.route_id} has its outcome recorded already{which}; a route has one "
        "outcome. Open it on the Outcomes screen instead of recording it again.",
    )


def next_outcome_id(session: Session, keys: KeySequence) -> str:
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
        outcome.outcome_id = next_outcome_id(session, keys)
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
    for order in orders:
        steps = order_steps(order.status, results[order.order_id], failed_to, route.route_id)
        for target, reason, lifecycle in steps:
            _step(session, who, order, target, reason, lifecycle=lifecycle)


def _settle_stops(route: Route, results: dict[str, OrderResult]) -> None:
    """Give a stop without a recorded result the one its orders share (a bulk import)."""
    for stop in route.stops:
        shared = shared_result(stop.result, stop.order_ids, results)
        if shared is not None:
            stop.result, stop.failure_reason, stop.result_note = shared


def shared_result(
    recorded: StopResult | None, order_ids: Sequence[str], results: Mapping[str, OrderResult]
) -> tuple[StopResult, FailureReason | None, str | None] | None:
    """The result a stop without one gets (the one all its orders share), or ``None``: it has
    one recorded already, or its orders fared differently."""
    mine = [results[o] for o in order_ids if o in results]
    if recorded is not None or not mine or len({r.result for r in mine}) != 1:
        return None
    if mine[0].result is StopResult.FAILED:
        return mine[0].result, mine[0].failure_reason or FailureReason.OTHER, mine[0].note
    return mine[0].result, None, None


def _release_truck(context: _Context, route: Route, returned: datetime) -> None:
    """The truck is back at the depot. Free from its return unless it has another committed
    route (it stays on route) or was sent to maintenance or off duty meanwhile (kept)."""
    vehicle = route.vehicle
    vehicle.current_location = dict(context.depot)
    vehicle.status, vehicle.available_at = truck_after(
        vehicle.status, vehicle.available_at, returned, busy=context.truck_busy
    )


def who_recorded(session: Session, recorded_by: int | None) -> tuple[int | None, str]:
    """The user id and name audits give (the command line's name for no user)."""
    user = session.get(User, recorded_by) if recorded_by else None
    return (user.id, user.username) if user else (None, audit.COMMAND_LINE_ACTOR)


class _Context:
    """What completing one route reads besides the route: who records it, the depot, the
    outcome numbering, an outcome recorded already, its orders and the truck's other routes."""

    def __init__(
        self, session: Session, route: Route, recorded_by: int | None, now: datetime
    ) -> None:
        self.who = who_recorded(session, recorded_by)
        general = read_general(session)
        self.depot = depot_location(general)
        self.keys = outcome_keys(now, ZoneInfo(general.time_zone))
        self.earlier = session.scalar(
            select(OperationalOutcome.outcome_id).where(OperationalOutcome.route_id == route.id)
        )
        self.orders = session.scalars(
            select(Order).where(Order.assigned_route_id == route.id).order_by(Order.id)
        ).all()
        self.truck_busy = (
            session.scalar(
                select(Route.id)
                .where(
                    Route.vehicle_id == route.vehicle_id,
                    Route.status.in_(COMMITTED_ROUTE_STATUSES),
                    Route.id != route.id,
                )
                .limit(1)
            )
            is not None
        )


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
    check_failed_to(failed_to)

    def finish() -> OperationalOutcome:
        context = _Context(session, route, recorded_by, now)
        outcome = _finish(session, context, route, actuals, results, failed_to, now)
        _insert_outcome(session, route, outcome, context.keys)
        _audit_completion(session, context, route, outcome, failed_to)
        return outcome

    return translate_conflict(route.route_id, finish)


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


def _finish(  # noqa: PLR0917 - the arguments of finish_route, passed on
    session: Session,
    context: _Context,
    route: Route,
    actuals: RouteActuals,
    results: Sequence[OrderResult],
    failed_to: OrderStatus,
    now: datetime,
) -> OperationalOutcome:
    """Settle the route, its orders and truck; the outcome row, not yet added (no id yet)."""
    problem = refusal(route)
    if problem is not None:
        raise ValidationError("route_id", problem)
    earlier = context.earlier
    if earlier is not None:
        raise already_recorded(route, earlier)
    validate_actuals(actuals)
    orders = context.orders
    named, filled = fill_results(route, orders, results, actuals.counts)
    by_order = named | {o: OrderResult(o, kind) for o, kind in filled.items()}
    fields = outcome_fields(route, orders, by_order, actuals)
    _settle_orders(session, context.who, route, orders, by_order, failed_to=failed_to)
    _settle_stops(route, by_order)
    route.status = RouteStatus.COMPLETED
    route.actual_start = actuals.departed_at or route.actual_start
    route.actual_end = actuals.returned_at
    route.actual_distance_km = actuals.distance_km
    route.actual_duration_minutes = actuals.duration_minutes
    route.actual_cost_kes = actuals.cost_kes
    _release_truck(context, route, actuals.returned_at or now)
    return OperationalOutcome(
        route_id=route.id, **fields, recorded_by=context.who[0], recorded_at=now
    )
