"""The fleet: adding and editing trucks, and the one module screens and the CLI import.

Managers and administrators (``fleet.edit``) change trucks; everyone may view the board. Every
change is one unit of work with its audit entry; trucks are retired, never deleted, so route
history keeps them. Edits are checked against the version the person saw (``expected_version``):
a truck changed meanwhile raises ``StaleDataError`` instead of silently overwriting that change.

The board (:mod:`.fleet_board`), the status actions (:mod:`.fleet_status`) and the capability
rules (:mod:`.fleet_rules`) are re-exported here, so callers need only this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.fleet_board import (
    Board,
    BoardQuery,
    VehicleInfo,
    board,
    get_vehicle,
    info_in_session,
)
from senga_desktop.controllers.fleet_input import VehicleInput, VehicleInvalid, check_vehicle_input
from senga_desktop.controllers.fleet_rules import can_carry, missing_capabilities
from senga_desktop.controllers.fleet_status import (
    AffectedRoute,
    VehicleHasCommittedRoutes,
    audit_value,
    flush_vehicle,
    load_vehicle,
    mark_available,
    retire_vehicle,
    send_to_maintenance,
    set_off_duty,
    vehicle_label,
)
from senga_desktop.controllers.numbering import KeySequence, retry_on_duplicate_key
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import VehicleStatus
from senga_desktop.errors import AlreadyExists, ValidationError

__all__ = [
    "AffectedRoute",
    "Board",
    "BoardQuery",
    "VehicleHasCommittedRoutes",
    "VehicleInfo",
    "VehicleInput",
    "VehicleInvalid",
    "add_vehicle",
    "board",
    "can_carry",
    "get_vehicle",
    "mark_available",
    "missing_capabilities",
    "retire_vehicle",
    "send_to_maintenance",
    "set_off_duty",
    "update_vehicle",
]

#: Fleet numbers given to trucks added without one: TRK-0001, TRK-0002…
FLEET_NUMBERS = KeySequence("TRK-", 4)
#: How a clash on the fleet number shows in a unique-constraint error, per backend.
FLEET_NUMBER_CLASH = ("uq_vehicles_vehicle_id", "vehicles.vehicle_id")


def taken_identifiers(
    session: Session, values: Iterable[str], *, exclude: int | None = None
) -> set[str]:
    """Which of ``values`` are already a plate or fleet number of another truck.

    Both columns are checked for both: trucks added before plates had a column of their own
    carry the plate as their fleet number.
    """
    wanted = sorted(set(values))
    found: set[str] = set()
    # In chunks: an import may ask about thousands, more than a statement should carry.
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(Vehicle.registration_plate, Vehicle.vehicle_id).where(
            or_(Vehicle.registration_plate.in_(chunk), Vehicle.vehicle_id.in_(chunk))
        )
        if exclude is not None:
            query = query.where(Vehicle.id != exclude)
        found.update(v for row in session.execute(query) for v in row if v in chunk)
    return found


def _checked(
    session: Session, data: VehicleInput, *, current: Vehicle | None = None
) -> dict[str, Any]:
    values, problems = check_vehicle_input(
        data,
        depot=read_general(session),
        current_location=current.current_location if current else None,
    )
    if problems:
        raise VehicleInvalid(problems)
    exclude = current.id if current else None
    plate = values["registration_plate"]
    if plate in taken_identifiers(session, [plate], exclude=exclude):
        raise ValidationError("registration_plate", f"Another truck has the plate {plate}.")
    fleet_number = values["vehicle_id"]
    if fleet_number is None:
        # Kept on an edit; numbered on insert (see insert_vehicles).
        values["vehicle_id"] = current.vehicle_id if current else None
    elif fleet_number in taken_identifiers(session, [fleet_number], exclude=exclude):
        raise ValidationError("vehicle_id", f"Fleet number {fleet_number} is taken.")
    return values


def insert_vehicles(session: Session, rows: list[dict[str, Any]]) -> list[Vehicle]:
    """Add trucks from checked column values, numbering those without a fleet number.

    A fleet number taken by another desktop at the same moment is retried with the next one.
    """

    def attempt() -> list[Vehicle]:
        given = [r["vehicle_id"] for r in rows if r["vehicle_id"]]
        fresh = iter(
            FLEET_NUMBERS.block(session, Vehicle.vehicle_id, len(rows) - len(given), also=given)
        )
        vehicles = [Vehicle(**{**r, "vehicle_id": r["vehicle_id"] or next(fresh)}) for r in rows]
        session.add_all(vehicles)
        session.flush()
        return vehicles

    try:
        return retry_on_duplicate_key(session, attempt, markers=FLEET_NUMBER_CLASH)
    except IntegrityError as exc:
        raise AlreadyExists(
            "Another desktop added a truck with the same plate or fleet number just now. "
            "Reload the board and try again."
        ) from exc


def add_vehicle(
    sessions: sessionmaker[Session],
    actor: Actor,
    data: VehicleInput,
    *,
    now: datetime | None = None,
) -> VehicleInfo:
    """Add a truck, available at its town from ``data.available_from`` (or now)."""
    now = now or datetime.now(UTC)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.FLEET_EDIT)
        values = _checked(session, data)
        values["available_at"] = values["available_at"] or now
        (vehicle,) = insert_vehicles(session, [{**values, "status": VehicleStatus.AVAILABLE}])
        values["vehicle_id"] = vehicle.vehicle_id
        audit.record_by(
            session,
            actor,
            "vehicle.created",
            entity_type="vehicle",
            entity_id=vehicle.vehicle_id,
            details={k: audit_value(v) for k, v in values.items() if v is not None},
        )
        return info_in_session(session, vehicle.id, now)


def update_vehicle(
    sessions: sessionmaker[Session],
    actor: Actor,
    vehicle: int,
    data: VehicleInput,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> VehicleInfo:
    """Replace a truck's details with ``data`` (see :meth:`VehicleInput.from_info`) if it is
    still at ``expected_version``. Its status changes through the actions of :mod:`.fleet_status`.
    """
    now = now or datetime.now(UTC)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.FLEET_EDIT)
        row = load_vehicle(session, vehicle, expected_version)
        values = _checked(session, data, current=row)
        if values["available_at"] is None and row.status is VehicleStatus.AVAILABLE:
            values["available_at"] = now
        changes = {}
        for key, new in values.items():
            old = getattr(row, key)
            if audit_value(old) != audit_value(new):
                changes[key] = [audit_value(old), audit_value(new)]
                setattr(row, key, new)
        if changes:
            flush_vehicle(session, vehicle_label(row))
            audit.record_by(
                session,
                actor,
                "vehicle.updated",
                entity_type="vehicle",
                entity_id=row.vehicle_id,
                details=changes,
            )
        return info_in_session(session, row.id, now)
