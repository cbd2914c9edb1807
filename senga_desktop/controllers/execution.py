"""Recording what really happened on a committed route, and completing it.

A dispatcher records a route as it runs: the departure (time, odometer), each stop's arrival,
departure and result, and the return (time, odometer, fuel, tolls, other costs). Every save keeps
what was entered, so a half-recorded route is resumed later; the first departure puts the route
under way, its truck on route and its orders in transit. :func:`complete_route` saves the form
and, in the same transaction, writes the outcome through
:func:`~senga_desktop.controllers.outcome_records.finish_route` — or refuses, saying what is
still missing, and writes nothing.

Two desktops recording the same route: each save carries the route version the screen showed
and bumps it, so the second is refused in words (:class:`~senga_desktop.errors.StaleDataError`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.execution_entry import apply_entry, check_entry, minutes_late
from senga_desktop.controllers.execution_entry import missing as missing_inputs
from senga_desktop.controllers.execution_views import (
    CompletedRoute,
    ExecutionEntry,
    ExecutionStop,
    ExecutionView,
    RecordedRoute,
    RouteToRecord,
)
from senga_desktop.controllers.fleet_board import COMMITTED_ROUTE_STATUSES
from senga_desktop.controllers.learning import fold_quietly
from senga_desktop.controllers.outcome_records import (
    OrderResult,
    RouteActuals,
    already_recorded,
    finish_route,
    translate_conflict,
)
from senga_desktop.controllers.outcome_rules import recorded_cost
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.route_views import load_orders
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import Decision, OperationalOutcome, Order, Route, RouteStop, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, RouteStatus, StopResult
from senga_desktop.errors import NotFound, StaleDataError, ValidationError

__all__ = ["complete_route", "load_execution", "routes_to_record", "save_execution"]

T = TypeVar("T")
_VIEWABLE = (*COMMITTED_ROUTE_STATUSES, RouteStatus.COMPLETED)


def _zone(session: Session) -> ZoneInfo:
    return ZoneInfo(read_general(session).time_zone)


def _progress(route: Route, recorded: int, stops: int, zone: ZoneInfo) -> str:
    if route.actual_end is not None:
        return f"back {route.actual_end.astimezone(zone):%H:%M}, {recorded} of {stops} stops"
    if route.actual_start is not None:
        return f"departed {route.actual_start.astimezone(zone):%H:%M}, {recorded} of {stops} stops"
    return "not started"


def routes_to_record(
    sessions: sessionmaker[Session], actor: Actor, *, search: str = ""
) -> list[RouteToRecord]:
    """Committed routes not yet completed (planned and in progress), in departure order.

    ``search`` matches (ignoring case) part of the route or decision id, the truck's plate or
    fleet number, or a town.
    """
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.OUTCOMES_RECORD)
        zone = _zone(session)
        total = (
            select(func.count(RouteStop.id))
            .where(RouteStop.route_id == Route.id)
            .correlate(Route)
            .scalar_subquery()
        )
        done = (
            select(func.count(RouteStop.id))
            .where(RouteStop.route_id == Route.id, RouteStop.result.is_not(None))
            .correlate(Route)
            .scalar_subquery()
        )
        query = (
            select(Route, Vehicle, Decision.decision_id, total, done)
            .join(Vehicle, Vehicle.id == Route.vehicle_id)
            .outerjoin(Decision, Decision.id == Route.decision_id)
            .where(Route.status.in_(COMMITTED_ROUTE_STATUSES))
            .order_by(Route.planned_start.asc().nulls_last(), Route.route_id)
        )
        text = search.strip().lower()
        if text:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(
                or_(
                    *(
                        func.lower(column).like(pattern, escape="\\")
                        for column in (
                            Route.route_id,
                            Decision.decision_id,
                            Vehicle.registration_plate,
                            Vehicle.vehicle_id,
                            cast(Route.destination_cities, String),
                        )
                    )
                )
            )
        return [
            RouteToRecord(
                route_id=route.route_id,
                decision_id=decision_id,
                vehicle_plate=vehicle.registration_plate or vehicle.vehicle_id,
                vehicle_type=vehicle.vehicle_type,
                towns=tuple(route.destination_cities or ()),
                stops=int(stops or 0),
                planned_start=route.planned_start,
                status=route.status,
                progress=_progress(route, int(recorded or 0), int(stops or 0), zone),
                version=route.version,
            )
            for route, vehicle, decision_id, stops, recorded in session.execute(query)
        ]


def _route(session: Session, route_id: str, statuses: tuple[RouteStatus, ...]) -> Route:
    route = session.scalars(select(Route).where(Route.route_id == route_id)).first()
    if route is None:
        raise NotFound(f"There is no route {route_id}.")
    if route.status not in statuses:
        state = route.status.value.replace("_", " ")
        if route.status is RouteStatus.COMPLETED:
            raise already_recorded(route, None)
        raise ValidationError(
            "route_id",
            f"Route {route_id} is {state}: only a committed route (planned or under way) is "
            "recorded.",
        )
    return route


def _view(session: Session, route: Route) -> ExecutionView:
    stops = sorted(route.stops, key=lambda s: s.sequence_order)
    orders = load_orders(session, (o for s in stops for o in s.order_ids))
    outcome_id = session.scalar(
        select(OperationalOutcome.outcome_id).where(OperationalOutcome.route_id == route.id)
    )
    views = []
    for stop in stops:
        found = [orders[o] for o in stop.order_ids if o in orders]
        where = stop.location or {}
        ends = [o.time_window_end for o in found]
        address = str(where.get("address") or "") or next(
            (str(o.destination_location.get("address")) for o in found
             if (o.destination_location or {}).get("address")), "")  # fmt: skip
        views.append(
            ExecutionStop(
                stop_id=stop.stop_id,
                sequence=stop.sequence_order + 1,
                trip=stop.trip,
                town=str(where.get("name") or ""),
                address=address,
                customers=tuple(o.customer.customer_name for o in found),
                phones=tuple(o.customer.phone or "" for o in found),
                order_ids=tuple(stop.order_ids),
                window_start=max((o.time_window_start for o in found), default=None),
                window_end=min(ends, default=None),
                eta=stop.estimated_arrival,
                planned_departure=stop.estimated_departure,
                arrived_at=stop.actual_arrival,
                departed_at=stop.actual_departure,
                result=stop.result,
                failure_reason=stop.failure_reason,
                note=stop.result_note,
                minutes_late=minutes_late(stop.actual_arrival, min(ends, default=None)),
            )
        )
    vehicle = route.vehicle
    open_route = route.status in COMMITTED_ROUTE_STATUSES
    return ExecutionView(
        route_id=route.route_id,
        decision_id=route.decision.decision_id if route.decision is not None else None,
        vehicle_plate=vehicle.registration_plate or vehicle.vehicle_id,
        vehicle_type=vehicle.vehicle_type,
        status=route.status,
        version=route.version,
        planned_start=route.planned_start,
        estimated_duration_minutes=route.estimated_duration_minutes,
        estimated_distance_km=route.total_distance_km,
        estimated_cost_kes=route.estimated_cost_kes,
        stops=tuple(views),
        recorded=RecordedRoute(
            departed_at=route.actual_start,
            departure_odometer_km=route.departure_odometer_km,
            returned_at=route.actual_end,
            return_odometer_km=route.return_odometer_km,
            fuel_litres=route.fuel_litres,
            fuel_cost_kes=route.fuel_cost_kes,
            tolls_kes=route.tolls_kes,
            other_costs_kes=route.other_costs_kes,
            notes=route.execution_notes,
        ),
        time_zone=read_general(session).time_zone,
        missing=tuple(s for _, s in missing_inputs(route)) if open_route else (),
        outcome_id=outcome_id,
    )


def load_execution(sessions: sessionmaker[Session], actor: Actor, route_id: str) -> ExecutionView:
    """A committed route opened for recording, with what was recorded so far; a completed
    route reads the same way (with its outcome id), for looking back."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.OUTCOMES_RECORD)
        return _view(session, _route(session, route_id, _VIEWABLE))


def _save(session: Session, actor: Actor, entry: ExecutionEntry, now: datetime) -> Route:
    authorize(session, actor, Permission.OUTCOMES_RECORD)
    route = _route(session, entry.route_id, COMMITTED_ROUTE_STATUSES)
    if route.version != entry.version:
        raise StaleDataError(
            f"Route {route.route_id} was saved on another desktop since you opened it. "
            "Nothing was saved: reload the route and enter your changes again.",
            keys=[route.route_id],
        )
    check_entry(route, entry, now, _zone(session))
    apply_entry(session, actor, route, entry, now)
    session.flush()
    return route


def _explained(sessions: sessionmaker[Session], route_id: str, work: Callable[[], T]) -> T:
    """Run ``work``; a conflict with another desktop becomes a message that says what happened
    (a route completed meanwhile is refused as recorded already)."""
    try:
        return work()
    except StaleDataError:
        with unit_of_work(sessions) as session:
            route = session.scalars(select(Route).where(Route.route_id == route_id)).first()
            if route is not None:
                outcome = session.scalar(
                    select(OperationalOutcome.outcome_id).where(
                        OperationalOutcome.route_id == route.id
                    )
                )
                if outcome is not None:
                    raise already_recorded(route, outcome) from None
        raise


def save_execution(
    sessions: sessionmaker[Session],
    actor: Actor,
    entry: ExecutionEntry,
    *,
    now: datetime | None = None,
) -> ExecutionView:
    """Keep what was entered for a committed route (partial entry allowed); its view afresh.

    ``ValidationError`` naming the input at fault, ``StaleDataError`` when the route was saved
    elsewhere since ``entry.version``; nothing is written then.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)

    def work() -> ExecutionView:
        with unit_of_work(sessions) as session:
            return translate_conflict(
                entry.route_id, lambda: _view(session, _save(session, actor, entry, moment))
            )

    return _explained(sessions, entry.route_id, work)


def _results(session: Session, route: Route) -> list[OrderResult]:
    """Each order the route still carries gets its stop's result and its own lateness."""
    mine = {
        o.order_id: o
        for o in session.scalars(select(Order).where(Order.assigned_route_id == route.id))
    }
    results = []
    for stop in route.stops:
        for order_id in stop.order_ids:
            order = mine.get(order_id)
            if order is None or stop.result is None:
                continue
            failed = stop.result is StopResult.FAILED
            results.append(
                OrderResult(
                    order_id,
                    stop.result,
                    minutes_late=0 if failed else minutes_late(
                        stop.actual_arrival, order.time_window_end),
                    failure_reason=stop.failure_reason,
                    note=stop.result_note,
                )
            )  # fmt: skip
    return results


def complete_route(
    sessions: sessionmaker[Session],
    actor: Actor,
    entry: ExecutionEntry,
    *,
    failed_to: OrderStatus = OrderStatus.PENDING,
    now: datetime | None = None,
) -> CompletedRoute:
    """Save ``entry`` and complete the route in one transaction: its outcome written, its
    orders delivered or failed (then ``failed_to``: pending or cancelled), its truck back.

    Refused (``ValidationError``, nothing written) while something is missing — the departure
    and return times, both odometer readings, a result for every stop — and for a route with
    an outcome already.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)

    def save_and_complete(session: Session) -> CompletedRoute:
        route = _save(session, actor, entry, moment)
        needs = missing_inputs(route)
        if needs:
            raise ValidationError(
                needs[0][0],
                f"Route {route.route_id} cannot be completed yet. "
                + " ".join(sentence for _, sentence in needs),
            )
        return _complete(session, actor, route, failed_to, moment)

    def work() -> CompletedRoute:
        with unit_of_work(sessions) as session:
            return translate_conflict(entry.route_id, lambda: save_and_complete(session))

    completed = _explained(sessions, entry.route_id, work)
    fold_quietly(sessions)  # the next plan, and the Learned tab, know this route at once
    return completed


def _complete(
    session: Session, actor: Actor, route: Route, failed_to: OrderStatus, now: datetime
) -> CompletedRoute:
    # All four are there: missing_inputs checked them.
    assert route.actual_start is not None
    assert route.actual_end is not None
    assert route.departure_odometer_km is not None
    assert route.return_odometer_km is not None
    distance = route.return_odometer_km - route.departure_odometer_km
    minutes = round((route.actual_end - route.actual_start).total_seconds() / 60)
    cost, measured = recorded_cost(
        route.vehicle,
        distance,
        minutes,
        fuel_kes=route.fuel_cost_kes,
        tolls_kes=route.tolls_kes,
        other_kes=route.other_costs_kes,
    )
    results = _results(session, route)
    actuals = RouteActuals(
        distance_km=distance,
        duration_minutes=minutes,
        cost_kes=cost,
        departed_at=route.actual_start,
        returned_at=route.actual_end,
        fuel_litres=route.fuel_litres,
        notes=route.execution_notes,
        cost_measured=measured,
    )
    outcome = finish_route(session, route, actuals, results, failed_to=failed_to,
                           recorded_by=actor.user_id or None, now=now)  # fmt: skip
    errors = outcome.additional_metrics["relative_errors"]
    return CompletedRoute(
        outcome_id=outcome.outcome_id,
        route_id=route.route_id,
        distance_km=distance,
        duration_minutes=minutes,
        cost_kes=cost,
        cost_measured=measured,
        estimated_distance_km=route.total_distance_km,
        estimated_duration_minutes=route.estimated_duration_minutes,
        estimated_cost_kes=route.estimated_cost_kes,
        distance_error_km=outcome.distance_prediction_error_km or Decimal(0),
        duration_error_minutes=outcome.duration_prediction_error_minutes or 0,
        cost_error_kes=outcome.cost_prediction_error_kes or Decimal(0),
        distance_error_relative=errors["distance"],
        duration_error_relative=errors["duration"],
        cost_error_relative=errors["cost"],
        revenue_kes=outcome.total_revenue_kes or Decimal(0),
        net_profit_kes=outcome.net_profit_kes or Decimal(0),
        on_time=outcome.on_time_deliveries,
        late=outcome.late_deliveries,
        failed=outcome.failed_deliveries,
        failed_to=failed_to,
        returned_orders=tuple(r.order_id for r in results if r.result is StopResult.FAILED),
    )
