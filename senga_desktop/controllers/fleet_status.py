"""Status changes of a truck: maintenance, off duty, retirement and back to available.

A truck on a committed route (planned or in progress) is not sent to maintenance, off duty or into
retirement without ``confirm=True``: the first call raises :class:`VehicleHasCommittedRoutes`
listing the routes so the screen can ask; the confirmed call flags those routes with an
``attention_reason`` for the dispatchers and audits each flag. Only the routes that start before
the truck is back (or are under way) count: a route for next week survives a day in the workshop.

Use these through :mod:`senga_desktop.controllers.fleet`, which re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError as OrmStaleDataError

from senga_desktop.controllers import audit
from senga_desktop.controllers.fleet_board import (
    COMMITTED_ROUTE_STATUSES,
    VehicleInfo,
    info_in_session,
)
from senga_desktop.controllers.fleet_input import resolve_location
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import RouteStatus, VehicleStatus
from senga_desktop.errors import (
    AlreadyExists,
    NotFound,
    SengaError,
    StaleDataError,
    ValidationError,
)

__all__ = [
    "AffectedRoute",
    "VehicleHasCommittedRoutes",
    "mark_available",
    "retire_vehicle",
    "send_to_maintenance",
    "set_off_duty",
]

_STALE = "Someone else changed {label} meanwhile. Reload the board and try again."


@dataclass(frozen=True, slots=True)
class AffectedRoute:
    """A committed route that a change to its truck disrupts."""

    route_id: str
    status: RouteStatus
    planned_start: datetime | None
    destination_cities: tuple[str, ...]
    order_count: int


class VehicleHasCommittedRoutes(SengaError):
    """The truck is on committed routes: repeat the call with ``confirm=True`` to go ahead and
    flag them. ``routes`` says which, so the screen can show the consequences."""

    def __init__(self, label: str, action: str, routes: tuple[AffectedRoute, ...]) -> None:
        names = ", ".join(route.route_id for route in routes)
        super().__init__(
            f"{label} is on {len(routes)} committed route(s) ({names}). Going ahead ({action}) "
            "flags them for a dispatcher to reassign."
        )
        self.label = label
        self.action = action
        self.routes = routes


def audit_value(value: Any) -> Any:
    """``value`` as the audit trail's JSON holds it (Decimals and times as text)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return value.get("name")  # a location: its name is what a reader of the trail needs
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def vehicle_label(vehicle: Vehicle) -> str:
    """What people call the truck: its plate, else its fleet number."""
    return vehicle.registration_plate or vehicle.vehicle_id


def load_vehicle(session: Session, vehicle_pk: int, expected_version: int | None) -> Vehicle:
    """The truck to change; NotFound, or StaleDataError if it is not the version seen."""
    vehicle = session.get(Vehicle, vehicle_pk)
    if vehicle is None:
        raise NotFound("That truck no longer exists.")
    if expected_version is not None and vehicle.version != expected_version:
        raise StaleDataError(_STALE.format(label=vehicle_label(vehicle)), keys=[vehicle.vehicle_id])
    return vehicle


def flush_vehicle(session: Session, label: str) -> None:
    """Write now, so conflicts surface as messages the person understands."""
    try:
        session.flush()
    except OrmStaleDataError as exc:
        raise StaleDataError(_STALE.format(label=label), keys=[label]) from exc
    except IntegrityError as exc:
        raise AlreadyExists(
            f"Another truck took the plate or fleet number of {label} just now. Try again."
        ) from exc


def _affected_routes(session: Session, vehicle: Vehicle, until: datetime | None) -> list[Route]:
    """The truck's committed routes that fall before ``until`` (all of them when ``None``)."""
    before_until: ColumnElement[bool] = (
        or_(Route.planned_start.is_(None), Route.planned_start < until) if until else true()
    )
    query = (
        select(Route)
        .where(
            Route.vehicle_id == vehicle.id,
            Route.status.in_(COMMITTED_ROUTE_STATUSES),
            or_(Route.status == RouteStatus.IN_PROGRESS, before_until),
        )
        .order_by(Route.planned_start, Route.route_id)
    )
    return list(session.scalars(query))


def _guard_routes(
    session: Session,
    actor: Actor,
    vehicle: Vehicle,
    *,
    action: str,
    reason: str,
    until: datetime | None,
    confirm: bool,
) -> list[str]:
    """Refuse, or with ``confirm`` flag and audit, the routes the change disrupts."""
    routes = _affected_routes(session, vehicle, until)
    if routes and not confirm:
        raise VehicleHasCommittedRoutes(
            vehicle_label(vehicle),
            action,
            tuple(
                AffectedRoute(
                    r.route_id,
                    r.status,
                    r.planned_start,
                    tuple(r.destination_cities or ()),
                    len(r.order_ids or ()),
                )
                for r in routes
            ),
        )
    for route in routes:
        note = f"{reason} (by {actor.username}): reassign this route's orders or its truck."
        # Keep an earlier flag nobody has dealt with yet: both need a dispatcher's eye.
        earlier = route.attention_reason
        route.attention_reason = f"{earlier}\n{note}" if earlier else note
        audit.record_by(
            session,
            actor,
            "route.flagged",
            entity_type="route",
            entity_id=route.route_id,
            details={"vehicle": vehicle.vehicle_id, "reason": note},
        )
    return [route.route_id for route in routes]


def _local(session: Session, when: datetime) -> str:
    zone = ZoneInfo(read_general(session).time_zone)
    return when.astimezone(zone).strftime("%a %d %b %H:%M")


def _check_future(field: str, when: datetime | None, now: datetime) -> None:
    if when is None:
        return
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValidationError(field, "The time needs a time zone (a bug if seen).")
    if when <= now:
        raise ValidationError(field, "Choose a time in the future.")


def _set_status(
    sessions: sessionmaker[Session],
    actor: Actor,
    vehicle: int,
    status: VehicleStatus,
    *,
    until: datetime | None,
    expected_version: int | None,
    confirm: bool,
    now: datetime,
    note: str | None = None,
) -> VehicleInfo:
    """Maintenance, off duty or retirement: the truck stops serving until ``until``."""
    _check_future("until", until, now)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.FLEET_EDIT)
        row = load_vehicle(session, vehicle, expected_version)
        label = vehicle_label(row)
        if row.status is VehicleStatus.RETIRED:
            raise ValidationError(
                "status", f"{label} is retired: mark it available first to bring it back."
            )
        words = {
            VehicleStatus.MAINTENANCE: "sent to maintenance",
            VehicleStatus.OFF_DUTY: "set off duty",
            VehicleStatus.RETIRED: "retired",
        }[status]
        reason = f"{label} was {words}"
        if until is not None:
            reason += f" until {_local(session, until)}"
        flagged = _guard_routes(
            session, actor, row, action=words, reason=reason, until=until, confirm=confirm
        )
        before = row.status
        row.status, row.available_at = status, until
        flush_vehicle(session, label)
        details: dict[str, Any] = {"from": before.value, "until": audit_value(until)}
        if flagged:
            details["flagged_routes"] = flagged
        if note:
            details["note"] = note
        audit.record_by(
            session,
            actor,
            f"vehicle.{status.value}",
            entity_type="vehicle",
            entity_id=row.vehicle_id,
            details=details,
        )
        return info_in_session(session, row.id, now)


def send_to_maintenance(
    sessions: sessionmaker[Session],
    actor: Actor,
    vehicle: int,
    until: datetime | None,
    *,
    confirm: bool = False,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> VehicleInfo:
    """Take a truck into the workshop until ``until`` (``None``: return time unknown).

    Its committed routes before ``until`` raise :class:`VehicleHasCommittedRoutes` unless
    ``confirm``; confirmed, they are flagged with an ``attention_reason``.
    """
    return _set_status(
        sessions,
        actor,
        vehicle,
        VehicleStatus.MAINTENANCE,
        until=until,
        expected_version=expected_version,
        confirm=confirm,
        now=now or datetime.now(UTC),
    )


def set_off_duty(
    sessions: sessionmaker[Session],
    actor: Actor,
    vehicle: int,
    until: datetime | None = None,
    *,
    confirm: bool = False,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> VehicleInfo:
    """Stand a truck down (no driver, a holiday) until ``until``; committed routes as for
    :func:`send_to_maintenance`."""
    return _set_status(
        sessions,
        actor,
        vehicle,
        VehicleStatus.OFF_DUTY,
        until=until,
        expected_version=expected_version,
        confirm=confirm,
        now=now or datetime.now(UTC),
    )


def retire_vehicle(
    sessions: sessionmaker[Session],
    actor: Actor,
    vehicle: int,
    *,
    reason: str | None = None,
    confirm: bool = False,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> VehicleInfo:
    """Take a truck out of service for good (sold, written off); it stays in the database for its
    route history. All its committed routes are affected, so they need ``confirm``."""
    return _set_status(
        sessions,
        actor,
        vehicle,
        VehicleStatus.RETIRED,
        until=None,
        expected_version=expected_version,
        confirm=confirm,
        now=now or datetime.now(UTC),
        note=(reason or "").strip() or None,
    )


def mark_available(
    sessions: sessionmaker[Session],
    actor: Actor,
    vehicle: int,
    town: str | None = None,
    from_time: datetime | None = None,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> VehicleInfo:
    """The truck is free at ``town`` (empty: the depot) from ``from_time`` (``None``: now).

    Also brings a retired truck back into service.
    """
    now = now or datetime.now(UTC)
    if from_time is not None and (from_time.tzinfo is None or from_time.utcoffset() is None):
        raise ValidationError("from_time", "The time needs a time zone (a bug if seen).")
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.FLEET_EDIT)
        row = load_vehicle(session, vehicle, expected_version)
        location = resolve_location(town, read_general(session), row.current_location)
        before = (row.status, row.current_location.get("name"))
        row.status = VehicleStatus.AVAILABLE
        row.current_location = location
        row.available_at = (from_time or now).astimezone(UTC)
        flush_vehicle(session, vehicle_label(row))
        audit.record_by(
            session,
            actor,
            "vehicle.available",
            entity_type="vehicle",
            entity_id=row.vehicle_id,
            details={
                "from": before[0].value,
                "was_at": before[1],
                "at": location["name"],
                "available_at": row.available_at.isoformat(),
            },
        )
        return info_in_session(session, row.id, now)
