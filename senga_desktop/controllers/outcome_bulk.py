"""Completing thousands of routes at once (a bulk outcome import), by the same rules as one.

:func:`~senga_desktop.controllers.outcome_records.finish_route` completes one route through the
ORM: fine for a route recorded on screen, but a month's import of 10,000 routes would load
60,000 objects and flush them one versioned UPDATE at a time. :func:`finish_routes` reads the
same facts as plain rows in a few queries, applies the same rules
(:mod:`~senga_desktop.controllers.outcome_rules`: the results, the outcome's figures, the
orders' steps, the truck's state afterwards) and writes with one ``executemany`` per table.
Versions are still checked: each UPDATE names the version it read, and a count of rows
updated short of the rows sent means another desktop changed one meanwhile (nothing is written
then: the caller's unit of work rolls back).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from senga_desktop.controllers.bulk_writes import insert_rows, table_of, update_rows
from senga_desktop.controllers.fleet_board import COMMITTED_ROUTE_STATUSES
from senga_desktop.controllers.fleet_input import depot_location
from senga_desktop.controllers.numbering import is_duplicate_key
from senga_desktop.controllers.order_status import transition_problem
from senga_desktop.controllers.outcome_records import (
    OUTCOME_ROUTE_CLASH,
    OrderResult,
    RouteActuals,
    already_recorded,
    next_outcome_id,
    outcome_keys,
    shared_result,
    who_recorded,
)
from senga_desktop.controllers.outcome_rules import (
    check_failed_to,
    fill_results,
    order_steps,
    outcome_fields,
    refusal,
    truck_after,
    validate_actuals,
)
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import AuditLog, OperationalOutcome, Order, Route, RouteStop, Vehicle
from senga_desktop.domain import OrderStatus, RouteStatus, VehicleStatus
from senga_desktop.errors import StaleDataError, ValidationError

__all__ = ["RouteFinish", "finish_routes"]

_STALE = (
    "Some of these routes, their trucks or orders were changed on another desktop meanwhile; "
    "nothing was recorded. Preview the file again and import it."
)


@dataclass(frozen=True, slots=True)
class RouteFinish:
    """One route of an import: its id, what it really took and what happened to its orders."""

    route_id: str
    actuals: RouteActuals
    results: Sequence[OrderResult]


@dataclass(slots=True)
class _Stop:
    id: int
    stop_id: str
    sequence_order: int
    location: dict[str, Any]
    order_ids: list[str]
    actual_arrival: datetime | None
    actual_departure: datetime | None
    result: Any


@dataclass(slots=True)
class _Truck:
    id: int
    version: int
    status: VehicleStatus
    available_at: datetime | None
    fuel_cost_per_km: Decimal
    driver_cost_per_hour: Decimal
    fixed_cost_kes: Decimal
    busy: set[int] = field(default_factory=set)  # its committed routes
    changed: bool = False


@dataclass(slots=True)
class _Route:
    id: int
    route_id: str
    version: int
    status: RouteStatus
    decision_id: int | None
    total_distance_km: Decimal
    estimated_duration_minutes: int
    estimated_cost_kes: Decimal
    fuel_cost_kes: Decimal | None
    tolls_kes: Decimal | None
    other_costs_kes: Decimal | None
    actual_start: datetime | None
    vehicle: _Truck
    stops: list[_Stop] = field(default_factory=list)


@dataclass(slots=True)
class _Order:
    id: int
    order_id: str
    version: int
    status: OrderStatus
    price_kes: Decimal


@dataclass
class _Writes:
    """The rows to write, by table, gathered while the routes are settled."""

    orders: list[dict[str, Any]] = field(default_factory=list)
    routes: list[dict[str, Any]] = field(default_factory=list)
    stops: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)


class _Facts:
    """Every route of the import with its stops, truck, orders and existing outcome: plain
    rows, read in a few queries."""

    def __init__(self, session: Session, route_ids: Sequence[str]) -> None:
        self.routes: dict[str, _Route] = {}
        self.orders: dict[int, list[_Order]] = defaultdict(list)
        self.recorded: dict[int, str] = {}
        trucks: dict[int, _Truck] = {}
        rows: list[Any] = []
        for start in range(0, len(route_ids), 500):
            names = list(route_ids[start : start + 500])
            rows += session.execute(
                select(Route.__table__, Vehicle.__table__.c.version.label("truck_version"),
                       Vehicle.status.label("truck_status"), Vehicle.available_at,
                       Vehicle.fuel_cost_per_km, Vehicle.driver_cost_per_hour,
                       Vehicle.fixed_cost_kes)
                .join(Vehicle, Vehicle.id == Route.vehicle_id)
                .where(Route.route_id.in_(names))
            ).all()  # fmt: skip
        for r in rows:
            truck = trucks.get(r.vehicle_id) or _Truck(
                r.vehicle_id, r.truck_version, r.truck_status, r.available_at,
                r.fuel_cost_per_km, r.driver_cost_per_hour, r.fixed_cost_kes,
            )  # fmt: skip
            trucks[truck.id] = truck
            self.routes[r.route_id] = _Route(
                r.id, r.route_id, r.version, r.status, r.decision_id, r.total_distance_km,
                r.estimated_duration_minutes, r.estimated_cost_kes, r.fuel_cost_kes, r.tolls_kes,
                r.other_costs_kes, r.actual_start, truck,
            )  # fmt: skip
        by_id = {r.id: r for r in self.routes.values()}
        for chunk in _chunks(sorted(by_id)):
            self._read_route_rows(session, chunk, by_id)
        for chunk in _chunks(sorted(trucks)):
            busy = session.execute(
                select(Route.vehicle_id, Route.id).where(
                    Route.vehicle_id.in_(chunk), Route.status.in_(COMMITTED_ROUTE_STATUSES)
                )
            )
            for truck_id, route_pk in busy:
                trucks[truck_id].busy.add(route_pk)
        self.trucks = trucks

    def _read_route_rows(
        self, session: Session, chunk: list[int], by_id: dict[int, _Route]
    ) -> None:
        stops = select(RouteStop.__table__).where(RouteStop.route_id.in_(chunk))
        for s in session.execute(stops.order_by(RouteStop.route_id, RouteStop.sequence_order)):
            by_id[s.route_id].stops.append(
                _Stop(
                    s.id,
                    s.stop_id,
                    s.sequence_order,
                    s.location,
                    list(s.order_ids),
                    s.actual_arrival,
                    s.actual_departure,
                    s.result,
                )
            )
        orders = select(
            Order.id, Order.order_id, Order.version, Order.status, Order.price_kes,
            Order.assigned_route_id,
        ).where(Order.assigned_route_id.in_(chunk))  # fmt: skip
        for o in session.execute(orders.order_by(Order.id)):
            self.orders[o.assigned_route_id].append(
                _Order(o.id, o.order_id, o.version, o.status, o.price_kes)
            )
        outcomes = select(OperationalOutcome.route_id, OperationalOutcome.outcome_id).where(
            OperationalOutcome.route_id.in_(chunk)
        )
        self.recorded.update((route_pk, outcome) for route_pk, outcome in session.execute(outcomes))


def _chunks(values: Sequence[int]) -> Iterator[list[int]]:
    """``values`` in lists short enough for one ``IN (...)`` on every backend."""
    for start in range(0, len(values), 500):
        yield list(values[start : start + 500])


def finish_routes(
    session: Session,
    items: Sequence[RouteFinish],
    *,
    failed_to: OrderStatus,
    recorded_by: int | None,
    now: datetime,
) -> list[str | ValidationError]:
    """Complete each route of ``items`` inside the caller's unit of work, as
    :func:`~senga_desktop.controllers.outcome_records.finish_route` completes one.

    One result per item, in order: the outcome id, or the ``ValidationError`` that refused it
    (unknown route, not committed, recorded already, impossible figures); the caller decides
    whether the others are written. ``StaleDataError`` when another desktop changed any of the
    rows meanwhile.
    """
    check_failed_to(failed_to)
    who = who_recorded(session, recorded_by)
    general = read_general(session)
    keys = outcome_keys(now, ZoneInfo(general.time_zone))
    depot = depot_location(general)
    facts = _Facts(session, [i.route_id for i in items])
    writes = _Writes()
    done: list[str | ValidationError] = []
    for item in items:
        try:
            outcome = _finish(facts, item, failed_to, who, now, writes)
        except ValidationError as exc:
            done.append(exc)
            continue
        outcome["outcome_id"] = next_outcome_id(session, keys)
        writes.outcomes.append(outcome)
        done.append(outcome["outcome_id"])
    _write(session, facts, writes, depot, who)
    return done


def _finish(  # noqa: PLR0917 - one route of finish_routes, with its state
    facts: _Facts,
    item: RouteFinish,
    failed_to: OrderStatus,
    who: tuple[int | None, str],
    now: datetime,
    writes: _Writes,
) -> dict[str, Any]:
    route = facts.routes.get(item.route_id)
    if route is None:
        raise ValidationError("route_id", f"There is no route {item.route_id}.")
    problem = refusal(route)
    if problem is not None:
        raise ValidationError("route_id", problem)
    earlier = facts.recorded.get(route.id)
    if earlier is not None:
        raise already_recorded(route, earlier)
    actuals = item.actuals
    validate_actuals(actuals)
    orders = facts.orders[route.id]
    named, filled = fill_results(route, orders, item.results, actuals.counts)
    by_order = named | {o: OrderResult(o, kind) for o, kind in filled.items()}
    fields = outcome_fields(route, orders, by_order, actuals)
    audits: list[dict[str, Any]] = []
    for order in orders:
        status = order.status
        for target, reason, lifecycle in order_steps(
            status, by_order[order.order_id], failed_to, route.route_id
        ):
            if lifecycle and (problem := transition_problem(status, target)) is not None:
                raise ValidationError("status", f"Order {order.order_id}: {problem}")
            details = {"from": status.value, "to": target.value, "reason": reason}
            audits.append(_audit("order.status_changed", "order", order.order_id, who, details))
            status = target
        keeps_route = status not in (OrderStatus.PENDING, OrderStatus.CANCELLED)
        writes.orders.append({"b_id": order.id, "b_version": order.version, "status": status,
                              "assigned_route_id": route.id if keeps_route else None,
                              "version": order.version + 1})  # fmt: skip
    for stop in route.stops:
        shared = shared_result(stop.result, stop.order_ids, by_order)
        if shared is not None:
            result, why, note = shared
            writes.stops.append({"b_id": stop.id, "result": result, "failure_reason": why,
                                 "result_note": note})  # fmt: skip
    writes.routes.append({
        "b_id": route.id, "b_version": route.version, "status": RouteStatus.COMPLETED,
        "actual_start": actuals.departed_at or route.actual_start,
        "actual_end": actuals.returned_at, "actual_distance_km": actuals.distance_km,
        "actual_duration_minutes": actuals.duration_minutes, "actual_cost_kes": actuals.cost_kes,
        "version": route.version + 1,
    })  # fmt: skip
    route.status = RouteStatus.COMPLETED  # the same route twice in one file is refused
    truck = route.vehicle
    truck.busy.discard(route.id)
    truck.status, truck.available_at = truck_after(
        truck.status, truck.available_at, actuals.returned_at or now, busy=bool(truck.busy)
    )
    truck.changed = True
    writes.audits += audits
    counts = [fields["on_time_deliveries"], fields["late_deliveries"], fields["failed_deliveries"]]
    writes.audits.append(_audit("route.completed", "route", route.route_id, who,
                                {"outcome": None, "cost_kes": str(actuals.cost_kes),
                                 "failed_to": failed_to.value, "counts": counts}))  # fmt: skip
    return {"route_id": route.id, **fields, "recorded_by": who[0], "recorded_at": now}


def _audit(
    action: str, kind: str, key: str, who: tuple[int | None, str], details: dict[str, Any]
) -> dict[str, Any]:
    return {"action": action, "entity_type": kind, "entity_id": key, "user_id": who[0],
            "username": who[1], "details": details}  # fmt: skip


def _write(
    session: Session,
    facts: _Facts,
    writes: _Writes,
    depot: dict[str, Any],
    who: tuple[int | None, str],
) -> None:
    # The route.completed audits name their outcome: fill the ids in, in the order written.
    completed = iter(o["outcome_id"] for o in writes.outcomes)
    for row in writes.audits:
        if row["action"] == "route.completed":
            row["details"]["outcome"] = next(completed)
    trucks = [
        {"b_id": t.id, "b_version": t.version, "status": t.status, "available_at": t.available_at,
         "current_location": dict(depot), "version": t.version + 1}
        for t in facts.trucks.values() if t.changed
    ]  # fmt: skip
    expected = len(writes.orders) + len(writes.routes) + len(trucks)
    updated = (
        update_rows(session, table_of(Order), writes.orders)
        + update_rows(session, table_of(Route), writes.routes)
        + update_rows(session, table_of(Vehicle), trucks)
    )
    if updated != expected:
        raise StaleDataError(_STALE)
    update_rows(session, table_of(RouteStop), writes.stops)
    try:
        insert_rows(session, table_of(OperationalOutcome), writes.outcomes)
    except IntegrityError as exc:
        if is_duplicate_key(exc, OUTCOME_ROUTE_CLASH):
            raise StaleDataError(_STALE) from exc
        raise
    insert_rows(session, table_of(AuditLog), writes.audits)
