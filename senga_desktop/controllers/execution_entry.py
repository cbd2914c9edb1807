"""Checking and applying what a dispatcher records for a running route.

:func:`check_entry` refuses, with the input at fault (``stops[2].arrived_at``,
``return_odometer_km``), anything that cannot have happened; :func:`apply_entry` writes the entry
onto the loaded route; :func:`missing` says what completing the route still needs. Times are
compared in UTC and quoted in the depot's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from senga_desktop.controllers import audit
from senga_desktop.controllers.execution_views import ExecutionEntry, StopEntry
from senga_desktop.controllers.order_status import change_status
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.models import Order, Route, RouteStop
from senga_desktop.domain import FailureReason, OrderStatus, RouteStatus, StopResult, VehicleStatus
from senga_desktop.errors import ValidationError

__all__ = ["FUTURE_SLACK", "apply_entry", "check_entry", "minutes_late", "missing"]

#: A time this far past the desktop's clock is refused: times record what happened, and a
#: little slack absorbs a driver's phone running ahead of the office clock.
FUTURE_SLACK = timedelta(minutes=15)
MAX_ODOMETER_KM = Decimal(5_000_000)
MAX_AMOUNT_KES = Decimal(100_000_000)
MAX_LITRES = Decimal(100_000)
MAX_NOTE = 2000

_AMOUNTS = (
    ("departure_odometer_km", MAX_ODOMETER_KM, "odometer reading at departure"),
    ("return_odometer_km", MAX_ODOMETER_KM, "odometer reading on return"),
    ("fuel_litres", MAX_LITRES, "fuel bought"),
    ("fuel_cost_kes", MAX_AMOUNT_KES, "fuel cost"),
    ("tolls_kes", MAX_AMOUNT_KES, "tolls"),
    ("other_costs_kes", MAX_AMOUNT_KES, "other costs"),
)


def minutes_late(arrival: datetime | None, window_end: datetime | None) -> int:
    """Whole minutes (rounded up) by which ``arrival`` missed ``window_end``; 0 if it did not."""
    if arrival is None or window_end is None or arrival <= window_end:
        return 0
    return -int(-(arrival - window_end).total_seconds() // 60)


def _stop_name(stop: RouteStop) -> str:
    town = str((stop.location or {}).get("name") or "")
    return f"stop {stop.sequence_order + 1}" + (f" ({town})" if town else "")


def _check_time(field: str, when: datetime | None, now: datetime, zone: ZoneInfo) -> None:
    if when is None:
        return
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValidationError(field, "The time needs a time zone (a bug if seen).")
    if when > now + FUTURE_SLACK:
        raise ValidationError(
            field,
            f"{when.astimezone(zone):%a %d %b %H:%M} is in the future: enter the time it "
            "really happened.",
        )


def _check_amounts(entry: ExecutionEntry) -> None:
    for field, ceiling, what in _AMOUNTS:
        value: Decimal | None = getattr(entry, field)
        if value is None:
            continue
        if value < 0:
            raise ValidationError(field, f"The {what} cannot be negative.")
        if value >= ceiling:
            raise ValidationError(field, f"The {what} ({value}) is far too large: check it.")
    if (
        entry.departure_odometer_km is not None
        and entry.return_odometer_km is not None
        and entry.return_odometer_km < entry.departure_odometer_km
    ):
        raise ValidationError(
            "return_odometer_km",
            f"The odometer on return ({entry.return_odometer_km} km) is below the reading at "
            f"departure ({entry.departure_odometer_km} km): check both readings.",
        )
    if entry.notes and len(entry.notes) > MAX_NOTE:
        raise ValidationError("notes", f"Keep the notes under {MAX_NOTE} characters.")


def _check_result(field: str, name: str, stop: StopEntry) -> None:
    if stop.result is not StopResult.FAILED:
        if stop.failure_reason is not None:
            raise ValidationError(
                f"{field}.failure_reason", f"Give a reason only for a failed delivery ({name})."
            )
        return
    if stop.failure_reason is None:
        raise ValidationError(
            f"{field}.failure_reason",
            f"The delivery at {name} failed: choose why (customer absent, refused, damaged, "
            "road closed or other).",
        )
    if stop.failure_reason is FailureReason.OTHER and not (stop.note or "").strip():
        raise ValidationError(f"{field}.note", f"Say in the note what went wrong at {name}.")
    if stop.note and len(stop.note) > MAX_NOTE:
        raise ValidationError(f"{field}.note", f"Keep the note under {MAX_NOTE} characters.")


def check_entry(route: Route, entry: ExecutionEntry, now: datetime, zone: ZoneInfo) -> None:
    """ValidationError naming the first input that cannot be right; nothing is changed."""
    for field in ("departed_at", "returned_at"):
        _check_time(field, getattr(entry, field), now, zone)
    _check_amounts(entry)
    if entry.departed_at is None and route.status is RouteStatus.IN_PROGRESS:
        raise ValidationError(
            "departed_at",
            "The truck has left already: correct its departure time, do not clear it.",
        )
    if entry.returned_at is not None:
        if entry.departed_at is None:
            raise ValidationError("departed_at", "Enter when the truck left before its return.")
        if entry.returned_at < entry.departed_at:
            raise ValidationError("returned_at", "The truck cannot return before it left.")
    stops = {s.stop_id: s for s in route.stops}
    seen: set[str] = set()
    latest: tuple[datetime, str] | None = None
    for index, given in enumerate(entry.stops):
        field = f"stops[{index}]"
        stop = stops.get(given.stop_id)
        if stop is None:
            raise ValidationError(
                f"{field}.stop_id", f"{given.stop_id} is not a stop of route {route.route_id}."
            )
        if given.stop_id in seen:
            raise ValidationError(f"{field}.stop_id", f"{given.stop_id} is entered twice.")
        seen.add(given.stop_id)
        name = _stop_name(stop)
        _check_time(f"{field}.arrived_at", given.arrived_at, now, zone)
        _check_time(f"{field}.departed_at", given.departed_at, now, zone)
        if given.departed_at is not None and given.arrived_at is None:
            raise ValidationError(
                f"{field}.arrived_at", f"Enter when the truck reached {name} before it left."
            )
        if given.arrived_at is not None:
            if entry.departed_at is None:
                raise ValidationError("departed_at", f"Enter when the truck left before {name}.")
            if given.arrived_at < entry.departed_at:
                raise ValidationError(
                    f"{field}.arrived_at",
                    f"The arrival at {name} is before the truck left "
                    f"({entry.departed_at.astimezone(zone):%H:%M}).",
                )
            if given.departed_at is not None and given.departed_at < given.arrived_at:
                raise ValidationError(
                    f"{field}.departed_at",
                    f"The truck cannot leave {name} before it arrived "
                    f"({given.arrived_at.astimezone(zone):%H:%M}).",
                )
            last = given.departed_at or given.arrived_at
            if latest is None or last > latest[0]:
                latest = (last, name)
        _check_result(field, name, given)
    for stop in route.stops:  # stops the entry leaves as they were recorded
        kept = stop.actual_departure or stop.actual_arrival
        if stop.stop_id not in seen and kept is not None and (latest is None or kept > latest[0]):
            latest = (kept, _stop_name(stop))
    if entry.returned_at is not None and latest is not None and entry.returned_at < latest[0]:
        raise ValidationError(
            "returned_at",
            f"The return is before the truck left {latest[1]} "
            f"({latest[0].astimezone(zone):%H:%M}).",
        )


def _depart(session: Session, actor: Actor, route: Route) -> None:
    """The first departure recorded: the route under way, its truck out, its orders loaded."""
    route.status = RouteStatus.IN_PROGRESS
    route.vehicle.status = VehicleStatus.ON_ROUTE
    orders = session.scalars(
        select(Order).where(Order.assigned_route_id == route.id).order_by(Order.order_id)
    ).all()
    for order in orders:
        if order.status is OrderStatus.ASSIGNED:
            change_status(session, actor, order, OrderStatus.IN_TRANSIT,
                          reason=f"route {route.route_id} departed")  # fmt: skip


def apply_entry(
    session: Session, actor: Actor, route: Route, entry: ExecutionEntry, now: datetime
) -> None:
    """Write the checked ``entry`` onto ``route`` and audit it."""
    if entry.departed_at is not None and route.status is RouteStatus.PLANNED:
        _depart(session, actor, route)
    route.actual_start = entry.departed_at
    route.actual_end = entry.returned_at
    for field, _, _ in _AMOUNTS:
        setattr(route, field, getattr(entry, field))
    route.execution_notes = (entry.notes or "").strip() or None
    stops = {s.stop_id: s for s in route.stops}
    for given in entry.stops:
        stop = stops[given.stop_id]
        stop.actual_arrival = given.arrived_at
        stop.actual_departure = given.departed_at
        stop.result = given.result
        stop.failure_reason = given.failure_reason
        stop.result_note = (given.note or "").strip() or None
    # Stops live in their own table: touching the route makes every save bump its version, so
    # two desktops recording the same route cannot both win.
    route.updated_at = now
    flag_modified(route, "updated_at")  # even when saved twice in the same second
    recorded = sum(1 for s in route.stops if s.result is not None)
    details = {
        "status": route.status.value,
        "departed": entry.departed_at is not None,
        "returned": entry.returned_at is not None,
        "stops_recorded": recorded,
        "stops": len(route.stops),
    }
    audit.record_by(session, actor, "route.execution_saved", entity_type="route",
                    entity_id=route.route_id, details=details)  # fmt: skip


def missing(route: Route) -> list[tuple[str, str]]:
    """What completing ``route`` still needs: (input, sentence) pairs, in form order."""
    needs: list[tuple[str, str]] = []
    if route.actual_start is None:
        needs.append(("departed_at", "Enter when the truck left the depot."))
    if route.departure_odometer_km is None:
        needs.append(("departure_odometer_km", "Enter the odometer reading at departure."))
    stops: Sequence[RouteStop] = sorted(route.stops, key=lambda s: s.sequence_order)
    for index, stop in enumerate(stops):
        if stop.result is None:
            orders = ", ".join(stop.order_ids)
            needs.append(
                (
                    f"stops[{index}].result",
                    f"Record what happened at {_stop_name(stop)}"
                    + (f" to {orders}." if orders else "."),
                )
            )
    if route.actual_end is None:
        needs.append(("returned_at", "Enter when the truck came back to the depot."))
    if route.return_odometer_km is None:
        needs.append(("return_odometer_km", "Enter the odometer reading on return."))
    return needs
