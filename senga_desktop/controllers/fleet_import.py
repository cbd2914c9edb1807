"""Importing trucks from a CSV or XLSX file: preview every row's problems, then all or nothing.

Built on the shared import package (:mod:`senga_desktop.controllers.imports`): its reader, header
matching, cell parsers, preview and refusal rules; this module only says what a vehicle row is.
Each row is checked by the same rules as the add form
(:func:`~senga_desktop.controllers.fleet_input.check_vehicle_input`) and against the trucks in
the database. :func:`commit_vehicle_import` writes the good rows in one unit of work, or nothing:
any bad row refuses the whole file unless the caller drops bad rows explicitly, and a truck added
by someone else since the preview refuses it too (preview again).

The import only adds trucks: a plate or fleet number already in the fleet is a problem. Columns
are those of ``resources/templates/vehicles-template.csv``; only the plate and the type are
required, blank figures and capabilities come from the type catalogue, and headers are matched
loosely ("Reg No", "Capacity (t)", "KES/km"…).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.fleet import insert_vehicles, taken_identifiers
from senga_desktop.controllers.fleet_input import (
    VehicleInput,
    check_vehicle_input,
    normalise_fleet_number,
)
from senga_desktop.controllers.fleet_rules import normalise_plate, parse_capabilities
from senga_desktop.controllers.imports.columns import CellError, Column, resolve_columns
from senga_desktop.controllers.imports.preview import (
    ImportPreview,
    ImportRefused,
    ImportResult,
    RowCells,
    build_preview,
    column_texts,
    rows_to_write,
)
from senga_desktop.controllers.imports.table import Cell, read_table
from senga_desktop.controllers.imports.values import CellValueError, cell_text
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.settings import GeneralSettings, read_general
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import VehicleStatus
from senga_desktop.errors import ValidationError
from senga_desktop.paths import resource_path

__all__ = [
    "VEHICLE_COLUMNS",
    "ImportedVehicle",
    "commit_vehicle_import",
    "import_vehicles",
    "preview_vehicle_import",
    "vehicles_template_path",
]

TEMPLATE = "vehicles-template.csv"
VEHICLE_COLUMNS = (
    Column(
        "registration_plate",
        "the registration plate (e.g. KDA 123B)",
        required=True,
        synonyms=(
            "plate", "registration", "reg_no", "reg", "number_plate", "registration_number",
            "registration_no", "plate_number", "plate_no", "vehicle_registration",
        ),
    ),
    Column(
        "vehicle_id",
        "the fleet number",
        synonyms=("fleet_number", "fleet_no", "fleet", "fleet_id", "truck_id", "truck_no"),
    ),
    Column(
        "vehicle_type",
        "the truck type (e.g. Light truck 3 t)",
        required=True,
        synonyms=("type", "truck_type"),
    ),
    Column(
        "capacity_weight_tonnes",
        "the capacity in tonnes",
        synonyms=(
            "capacity_t", "capacity_tonnes", "tonnes", "payload", "payload_t", "payload_tonnes",
            "capacity_weight", "weight_capacity", "capacity", "weight_t",
        ),
    ),
    Column(
        "capacity_volume_m3",
        "the capacity in m³",
        synonyms=("capacity_m3", "volume", "volume_m3", "m3", "capacity_volume", "cubic_metres"),
    ),
    Column(
        "town",
        "the town the truck is at",
        synonyms=("current_town", "location", "current_location", "base", "base_town"),
    ),
    Column(
        "available_from",
        "when it is free",
        synonyms=("available_at", "available", "free_from"),
    ),
    Column(
        "fuel_cost_per_km",
        "the running cost in KES per km",
        synonyms=(
            "running_cost_kes_km", "running_cost_per_km", "kes_per_km", "kes_km", "cost_per_km",
            "fuel_kes_km", "fuel_cost_kes_km", "fuel_cost",
        ),
    ),
    Column(
        "driver_cost_per_hour",
        "the driver cost in KES per hour",
        synonyms=("driver_cost_kes_h", "driver_kes_h", "kes_per_hour", "driver_cost"),
    ),
    Column(
        "fixed_cost_kes",
        "the fixed cost in KES per day",
        synonyms=("fixed_cost", "fixed_cost_per_day", "fixed_cost_kes_day", "daily_cost"),
    ),
    Column(
        "max_shift_hours",
        "the longest shift in hours",
        synonyms=("shift_hours", "shift_h", "shift", "max_hours"),
    ),
    Column(
        "max_trip_days",
        "the longest trip in days (1 to 7)",
        synonyms=(
            "trip_days", "days", "trip_length", "trip_length_days", "max_days", "days_max",
        ),
    ),
    Column("capabilities", "the capabilities", synonyms=("capability", "equipment", "features")),
    Column("status", "the status (available, maintenance or off duty)"),
    Column("notes", "notes", synonyms=("note", "comments", "remarks")),
)  # fmt: skip
LABELS = {c.name: c.label for c in VEHICLE_COLUMNS}
_NO_CAPABILITIES = {"none", "-", "no", "nil"}
_STATUSES = {
    "available": VehicleStatus.AVAILABLE,
    "maintenance": VehicleStatus.MAINTENANCE,
    "in maintenance": VehicleStatus.MAINTENANCE,
    "workshop": VehicleStatus.MAINTENANCE,
    "off duty": VehicleStatus.OFF_DUTY,
    "off_duty": VehicleStatus.OFF_DUTY,
    "off": VehicleStatus.OFF_DUTY,
}
_IDENTIFIERS = (("registration_plate", "plate"), ("vehicle_id", "fleet number"))


@dataclass(frozen=True, slots=True)
class ImportedVehicle:
    """A row read without problems: the truck as the add form would take it, and its status."""

    data: VehicleInput
    status: VehicleStatus = VehicleStatus.AVAILABLE


def vehicles_template_path() -> Path:
    """The bundled template: the header and three example trucks."""
    return resource_path("templates", TEMPLATE)


def _capabilities(value: Cell) -> tuple[str, ...]:
    text = cell_text(value)
    if text.casefold() in _NO_CAPABILITIES:
        return ()
    try:
        return tuple(c.value for c in parse_capabilities(text))
    except ValueError as exc:
        raise CellValueError(str(exc)) from None


def _status(value: Cell) -> VehicleStatus:
    status = _STATUSES.get(" ".join(cell_text(value).casefold().split()))
    if status is None:
        raise CellValueError(
            f"{cell_text(value)!r}: a new truck is available, in maintenance or off duty."
        )
    return status


def _identifiers(texts: list[str]) -> set[str]:
    """The plates and fleet numbers among ``texts`` in their stored form (others skipped)."""
    found = set()
    for text in texts:
        for normalise in (normalise_plate, normalise_fleet_number):
            try:
                found.add(normalise(text))
            except ValidationError:
                continue
    return found


def _parse_row(
    cells: RowCells, depot: GeneralSettings, taken: set[str], seen: dict[str, int]
) -> ImportedVehicle | None:
    zone = ZoneInfo(depot.time_zone)
    data = VehicleInput(
        registration_plate=cells.text("registration_plate", required=True) or "",
        vehicle_type=cells.text("vehicle_type", required=True) or "",
        vehicle_id=cells.text("vehicle_id"),
        capacity_weight_tonnes=cells.decimal("capacity_weight_tonnes"),
        capacity_volume_m3=cells.decimal("capacity_volume_m3"),
        town=cells.text("town"),
        available_from=cells.moment("available_from", zone),
        fuel_cost_per_km=cells.decimal("fuel_cost_per_km"),
        driver_cost_per_hour=cells.decimal("driver_cost_per_hour"),
        fixed_cost_kes=cells.decimal("fixed_cost_kes"),
        max_shift_hours=cells.decimal("max_shift_hours"),
        max_trip_days=cells.decimal("max_trip_days"),
        capabilities=cells.read("capabilities", _capabilities),
        notes=cells.read("notes", cell_text),
    )
    status = cells.read("status", _status) or VehicleStatus.AVAILABLE
    values, errors = check_vehicle_input(data, depot=depot)
    cells.add(errors)
    for name, what in _IDENTIFIERS:
        key = values.get(name)
        if not key or name in cells.failed:
            continue
        if key in taken:
            cells.problem(name, f"a truck with the {what} {key} is already in the fleet.")
        elif key in seen:
            cells.problem(name, f"{key} is also in row {seen[key]}: list each truck once.")
        seen.setdefault(key, cells.row_number)
    return None if cells.problems else ImportedVehicle(data, status)


def preview_vehicle_import(
    sessions: sessionmaker[Session], actor: Actor, path: str | Path
) -> ImportPreview[ImportedVehicle]:
    """Read and check every row of the file; write nothing.

    ``UnreadableFile`` when the file is not a usable CSV or XLSX file at all.
    """
    with unit_of_work(sessions) as session:  # refuse before reading someone's big file
        authorize(session, actor, Permission.FLEET_EDIT)
    table = read_table(path)
    columns = resolve_columns(table, VEHICLE_COLUMNS)
    texts = [t for name, _ in _IDENTIFIERS for t in column_texts(table, columns, name)]
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.FLEET_EDIT)
        depot = read_general(session)
        taken = taken_identifiers(session, _identifiers(texts))
    seen: dict[str, int] = {}
    return build_preview(
        "vehicles", table, columns, LABELS, lambda cells: _parse_row(cells, depot, taken, seen)
    )


def commit_vehicle_import(
    sessions: sessionmaker[Session],
    actor: Actor,
    preview: ImportPreview[ImportedVehicle],
    *,
    drop_bad_rows: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    """Add the previewed trucks in one unit of work, or nothing (``ImportRefused``).

    Available trucks without a time are free ``now``. The result's ``keys`` are the fleet
    numbers, in row order.
    """
    rows = rows_to_write(preview, drop_bad_rows=drop_bad_rows)
    now = now or datetime.now(UTC)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.FLEET_EDIT)
        depot = read_general(session)
        problems: list[CellError] = []
        checked: list[tuple[int, dict[str, Any]]] = []
        for row in rows:
            assert row.value is not None  # rows_to_write returns good rows only
            values, errors = check_vehicle_input(row.value.data, depot=depot)
            problems += [preview.columns.error(row.number, e.field, e.message) for e in errors]
            status = row.value.status
            # As on the add form, an available truck with no time given is free now.
            if status is VehicleStatus.AVAILABLE and values.get("available_at") is None:
                values["available_at"] = now
            checked.append((row.number, {**values, "status": status}))
        taken = taken_identifiers(
            session, [v[n] for _, v in checked for n, _ in _IDENTIFIERS if v.get(n)]
        )
        problems += [
            preview.columns.error(number, name, f"a truck with the {what} {v[name]} was added.")
            for number, v in checked
            for name, what in _IDENTIFIERS
            if v.get(name) in taken
        ]
        if problems:
            raise ImportRefused(
                "The fleet changed since the preview; nothing was imported. Preview the file "
                "again.",
                problems,
            )
        vehicles = insert_vehicles(session, [values for _, values in checked])
        keys = tuple(v.vehicle_id for v in vehicles)
        for (number, _), vehicle in zip(checked, vehicles, strict=True):
            audit.record_by(
                session,
                actor,
                "vehicle.created",
                entity_type="vehicle",
                entity_id=vehicle.vehicle_id,
                details={"imported_from": preview.source, "row": number},
            )
        audit.record_by(
            session,
            actor,
            "vehicles.imported",
            entity_type="vehicle",
            details={
                "file": preview.source,
                "vehicles": list(keys),
                "bad_rows_dropped": preview.bad,
            },
        )
    return ImportResult("vehicles", len(keys), preview.bad, keys)


def import_vehicles(
    sessions: sessionmaker[Session],
    actor: Actor,
    path: str | Path,
    *,
    drop_bad_rows: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    """Preview and commit in one go."""
    preview = preview_vehicle_import(sessions, actor, path)
    return commit_vehicle_import(sessions, actor, preview, drop_bad_rows=drop_bad_rows, now=now)
