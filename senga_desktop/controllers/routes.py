"""The Routes screen: committed and past routes, one route opened, a planned route cancelled.

:func:`list_routes` filters, sorts and pages in the database. The two list columns a route keeps
as JSON — its ``order_ids`` and ``destination_cities`` — are searched with a LIKE on the JSON
text, which works the same on SQLite (JSON stored as text) and PostgreSQL (``jsonb::text``). The
pattern keeps the quotes that delimit each element, so it matches whole elements, not any
substring of the document:

* a town matches a route that visits exactly that town (``"Nakuru"``, any case);
* an order search matches order numbers that *end* with the text: the whole number
  ("ORD-2611-00042") or its last digits ("00042", "42"). "ORD-1" therefore does not find a route
  that carries only ORD-10 — a dispatcher with a number on paper finds that order, not its
  neighbours.

:func:`cancel_route` is how a manager takes back a route that has not started; the orders go back
to pending (their history kept by :func:`~senga_desktop.controllers.order_status.change_status`)
and the truck is freed when it has no other committed route.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, cast, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError as OrmStaleDataError

from senga_desktop.controllers import audit
from senga_desktop.controllers.fleet_board import COMMITTED_ROUTE_STATUSES
from senga_desktop.controllers.order_status import change_status
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.plan_views import RouteFilter, RoutePage, RouteRow, RouteView
from senga_desktop.controllers.route_views import load_route_views
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import Decision, Order, Route, RouteStop, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, RouteStatus, VehicleStatus
from senga_desktop.errors import NotFound, StaleDataError, ValidationError
from senga_desktop.gazetteer import load_gazetteer

__all__ = [
    "LISTED_STATUSES",
    "MAX_PAGE",
    "RouteFilterOptions",
    "cancel_route",
    "list_routes",
    "route_detail",
    "route_filter_options",
]

MAX_PAGE = 1000
#: What the Routes screen lists unless asked for other statuses: committed and past routes.
LISTED_STATUSES = frozenset(RouteStatus) - {RouteStatus.PROPOSED, RouteStatus.DISCARDED}
SQLITE_BUSY_SNAPSHOT = 517  # sqlite3.h: (SQLITE_BUSY | (2 << 8))
_STALE = (
    "Someone else changed route {route} or its orders meanwhile; nothing was cancelled. "
    "Reload the routes and try again."
)


@dataclass(frozen=True, slots=True)
class RouteFilterOptions:
    """What the Routes screen's filters offer: trucks and towns that appear on listed routes."""

    trucks: tuple[str, ...]  # vehicle ids, sorted
    towns: tuple[str, ...]  # sorted


def _like(session: Session, column: ColumnElement[str], pattern: str) -> ColumnElement[bool]:
    """``column LIKE pattern`` ignoring case on both backends (SQLite's LIKE already does)."""
    if session.get_bind().dialect.name == "postgresql":
        return column.ilike(pattern, escape="\\")
    return column.like(pattern, escape="\\")


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _as_json(session: Session, value: str) -> str:
    """``value`` spelled as the database's JSON text spells it: SQLite keeps what Python's
    ``json.dumps`` wrote (non-ASCII as ``\\uXXXX``), PostgreSQL's ``jsonb::text`` writes it raw."""
    return json.dumps(value, ensure_ascii=session.get_bind().dialect.name != "postgresql")


def _json_text(column: Any) -> ColumnElement[str]:
    return cast(column, String)


def _conditions(session: Session, wanted: RouteFilter) -> list[ColumnElement[bool]]:
    statuses = wanted.statuses or LISTED_STATUSES
    conditions: list[ColumnElement[bool]] = [Route.status.in_(sorted(statuses))]
    if wanted.day_from is not None:
        conditions.append(Route.planned_start >= wanted.day_from)
    if wanted.day_to is not None:
        conditions.append(Route.planned_start < wanted.day_to)
    if wanted.vehicle_id and wanted.vehicle_id.strip():
        truck = select(Vehicle.id).where(Vehicle.vehicle_id == wanted.vehicle_id.strip())
        conditions.append(Route.vehicle_id.in_(truck))
    if wanted.town and wanted.town.strip():
        known = load_gazetteer().get(wanted.town)
        town = known.name if known else wanted.town.strip()
        element = _escaped(_as_json(session, town))  # with its quotes: the whole element
        conditions.append(_like(session, _json_text(Route.destination_cities), f"%{element}%"))
    text = wanted.order_search.strip()
    if text:
        ending = _escaped(_as_json(session, text)[1:])  # the closing quote anchors the end
        conditions.append(_like(session, _json_text(Route.order_ids), f"%{ending}%"))
    return conditions


def list_routes(
    sessions: sessionmaker[Session],
    actor: Actor,
    filter: RouteFilter | None = None,
    *,
    limit: int = 200,
    offset: int = 0,
) -> RoutePage:
    """One page of routes matching ``filter`` (``None``: every listed route), newest planned
    start first, and how many match.

    Routes without a planned start come last; ties go by the route's id, newest first, so pages
    never overlap. A page holds at most :data:`MAX_PAGE` rows.
    """
    limit = max(0, min(limit, MAX_PAGE))
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_VIEW)
        conditions = _conditions(session, filter or RouteFilter())
        stops = (
            select(func.count(RouteStop.id))
            .where(RouteStop.route_id == Route.id)
            .correlate(Route)
            .scalar_subquery()
        )
        statement = (
            select(Route, Vehicle.vehicle_id, Decision.decision_id, stops)
            .join(Vehicle, Vehicle.id == Route.vehicle_id)
            .outerjoin(Decision, Decision.id == Route.decision_id)
            .where(*conditions)
            .order_by(Route.planned_start.desc().nulls_last(), Route.id.desc())
            .offset(max(0, offset))
            .limit(limit)
        )
        rows = tuple(
            RouteRow(
                route_id=route.route_id,
                vehicle_id=vehicle_id,
                status=route.status,
                towns=tuple(route.destination_cities or ()),
                stops=int(stop_count or 0),
                orders=len(route.order_ids or ()),
                distance_km=route.total_distance_km,
                cost_kes=route.estimated_cost_kes,
                planned_start=route.planned_start,
                decision_id=decision_id,
                attention=route.attention_reason,
                version=route.version,
            )
            for route, vehicle_id, decision_id, stop_count in session.execute(statement)
        )
        total = session.scalar(select(func.count()).select_from(Route).where(*conditions)) or 0
        return RoutePage(rows, total)


def route_filter_options(sessions: sessionmaker[Session], actor: Actor) -> RouteFilterOptions:
    """The trucks and towns of the routes the screen lists (committed and past), two statements."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_VIEW)
        listed = Route.status.in_(sorted(LISTED_STATUSES))
        trucks = session.scalars(
            select(Vehicle.vehicle_id)
            .where(Vehicle.id.in_(select(Route.vehicle_id).where(listed)))
            .order_by(Vehicle.vehicle_id)
        ).all()
        # Distinct lists first: a depot repeats the same few tours, so few documents are parsed.
        lists = session.scalars(select(Route.destination_cities).where(listed).distinct()).all()
        towns = sorted({str(town) for cities in lists for town in cities or ()})
        return RouteFilterOptions(tuple(trucks), tuple(towns))


def _load(session: Session, route_id: str) -> Route:
    route = session.scalars(select(Route).where(Route.route_id == route_id)).first()
    if route is None:
        raise NotFound(f"There is no route {route_id}.")
    return route


def route_detail(sessions: sessionmaker[Session], actor: Actor, route_id: str) -> RouteView:
    """One route with its stops, loads and times; NotFound if there is none."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_VIEW)
        return load_route_views(session, [_load(session, route_id)])[0]


def _local(session: Session, when: datetime | None) -> str:
    if when is None:
        return "at an unknown time"
    return when.astimezone(ZoneInfo(read_general(session).time_zone)).strftime("%a %d %b %H:%M")


def _refusal(session: Session, route: Route) -> str | None:
    """Why ``route`` cannot be cancelled, or ``None`` when it can (only planned routes can)."""
    name = f"Route {route.route_id}"
    if route.status is RouteStatus.PLANNED:
        return None
    if route.status is RouteStatus.IN_PROGRESS:
        started = _local(session, route.actual_start or route.planned_start)
        return (
            f"{name} is under way (it started {started}), so it cannot be cancelled: record "
            "what happened to its deliveries instead."
        )
    return {
        RouteStatus.COMPLETED: f"{name} is completed; a finished route cannot be cancelled.",
        RouteStatus.CANCELLED: f"{name} is cancelled already.",
        RouteStatus.PROPOSED: (
            f"{name} is only proposed: discard or commit its decision on the Planning screen."
        ),
        RouteStatus.DISCARDED: f"{name} was discarded with its decision; there is nothing to undo.",
    }[route.status]


def _route_end(route: Route) -> datetime | None:
    """When the truck is back from ``route``: its last stop's departure, as a commit reckons."""
    ends = [s.estimated_departure for s in route.stops if s.estimated_departure is not None]
    if ends:
        return max(ends)
    if route.planned_start is not None:
        return route.planned_start + timedelta(minutes=route.estimated_duration_minutes)
    return None


def _snapshot_free_from(route: Route) -> datetime | None:
    """When the decision saw the truck become free (it may have been returning from a trip)."""
    if route.decision is None:
        return None
    trucks = ((route.decision.state_snapshot or {}).get("state") or {}).get("trucks") or ()
    for truck in trucks:
        if truck.get("vehicle_id") == route.vehicle.vehicle_id:
            try:
                return datetime.fromisoformat(str(truck["free_from"])).astimezone(UTC)
            except (KeyError, ValueError):
                return None
    return None


def _release_truck(session: Session, route: Route, now: datetime) -> bool:
    """Free the truck of a cancelled route; True if it is available again.

    With other committed routes it stays on route, free after the last of them. A truck in
    maintenance or off duty keeps that status: only the reservation is undone.
    """
    vehicle = route.vehicle
    others = session.scalars(
        select(Route).where(
            Route.vehicle_id == vehicle.id,
            Route.status.in_(COMMITTED_ROUTE_STATUSES),
            Route.id != route.id,
        )
    ).all()
    if vehicle.status is not VehicleStatus.ON_ROUTE:
        return False
    if others:
        ends = [end for other in others if (end := _route_end(other)) is not None]
        vehicle.available_at = max(ends) if ends else vehicle.available_at
        return False
    vehicle.status = VehicleStatus.AVAILABLE
    free_from = _snapshot_free_from(route)
    vehicle.available_at = max(free_from, now) if free_from is not None else now
    return True


def _snapshot_conflict(exc: OperationalError) -> bool:
    """SQLite refusing a write because another connection wrote since this transaction read
    (SQLITE_BUSY_SNAPSHOT in WAL mode): a concurrent change, not a busy or broken database."""
    return getattr(exc.orig, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT


def cancel_route(
    sessions: sessionmaker[Session],
    actor: Actor,
    route_id: str,
    *,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RouteView:
    """Cancel a planned route (managers and administrators): its orders go back to pending and
    unassigned, its truck back to available unless it has another committed route, and the
    cancellation is audited with ``reason``.

    ``ValidationError`` without a reason, for a route that is not planned (saying why), or when
    one of its orders has left the depot; ``StaleDataError`` when the route is not at
    ``expected_version`` (the version the screen showed) or changes while this runs. Nothing is
    written when it refuses.
    """
    why = reason.strip()
    if not why:
        raise ValidationError("reason", "Say why the route is cancelled; the audit trail keeps it.")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ROUTES_CANCEL)
        route = _load(session, route_id)
        if expected_version is not None and route.version != expected_version:
            raise StaleDataError(
                f"Route {route_id} was changed since you opened it (it is "
                f"{route.status.value.replace('_', ' ')} now). Reload the routes and try again.",
                keys=[route_id],
            )
        refusal = _refusal(session, route)
        if refusal is not None:
            raise ValidationError("status", refusal)
        # The orders the route really holds: one cancelled or moved since is no longer on it.
        mine = session.scalars(
            select(Order).where(Order.assigned_route_id == route.id).order_by(Order.order_id)
        ).all()
        gone = [o.order_id for o in mine if o.status is not OrderStatus.ASSIGNED]
        if gone:
            raise ValidationError(
                "status",
                f"Route {route_id} cannot be cancelled: {', '.join(gone)} "
                f"{'has' if len(gone) == 1 else 'have'} left the depot. Record what happened "
                "to its deliveries instead.",
            )
        note = f"route {route_id} cancelled: {why}"
        try:
            for order in mine:
                change_status(session, actor, order, OrderStatus.PENDING, reason=note)
            released = _release_truck(session, route, now)
            route.status = RouteStatus.CANCELLED
            session.flush()
        except (OrmStaleDataError, OperationalError) as exc:
            if isinstance(exc, OperationalError) and not _snapshot_conflict(exc):
                raise
            raise StaleDataError(_STALE.format(route=route_id), keys=[route_id]) from exc
        details: dict[str, Any] = {
            "reason": why,
            "vehicle": route.vehicle.vehicle_id,
            "vehicle_released": released,
            "orders": [o.order_id for o in mine],
            "decision": route.decision.decision_id if route.decision is not None else None,
            "cost_kes": str(route.estimated_cost_kes.quantize(Decimal("0.01"))),
        }
        audit.record_by(session, actor, "route.cancelled", entity_type="route",
                        entity_id=route_id, details=details)  # fmt: skip
        session.flush()
        return load_route_views(session, [route])[0]
