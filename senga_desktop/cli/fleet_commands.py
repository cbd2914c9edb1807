"""``senga fleet``: list the trucks and import them from a spreadsheet.

Both call the same controllers as the fleet board, as the command line actor (audited under that
name). The import reports like ``senga import orders`` and could later also be offered there as
``senga import vehicles``, calling :func:`~senga_desktop.controllers.fleet_import.
preview_vehicle_import` and :func:`~senga_desktop.controllers.fleet_import.commit_vehicle_import`
exactly as below.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from senga_desktop.cli.context import state
from senga_desktop.cli.import_report import report_preview, report_result
from senga_desktop.controllers import fleet_import
from senga_desktop.controllers.fleet import BoardQuery, VehicleInfo, board
from senga_desktop.controllers.fleet_board import STATUS_LABELS
from senga_desktop.controllers.imports.preview import ImportRefused
from senga_desktop.controllers.permissions import COMMAND_LINE
from senga_desktop.controllers.settings import load_general
from senga_desktop.domain import SpecialHandling, VehicleStatus
from senga_desktop.errors import SengaError


@click.group()
def fleet() -> None:
    """List the trucks, or import them from a CSV or XLSX file."""


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _when(info: VehicleInfo, now: datetime, zone: ZoneInfo) -> str:
    if info.available_at is None:
        return "now" if info.status is VehicleStatus.AVAILABLE else "-"
    if info.status is VehicleStatus.AVAILABLE and info.available_at <= now:
        return "now"
    return info.available_at.astimezone(zone).strftime("%d/%m %H:%M")


@fleet.command("list")
@click.option("--all", "include_retired", is_flag=True, help="Include retired trucks.")
@click.option("--town", help="Only trucks at this place (e.g. Nakuru).")
@click.option("--type", "vehicle_type", help="Only trucks of this type (e.g. '10 t').")
@click.option(
    "--capability",
    type=click.Choice([h.value for h in SpecialHandling]),
    help="Only trucks that can carry goods needing this handling.",
)
@click.option("--plate", help="Only trucks whose plate or fleet number contains this.")
def list_(
    include_retired: bool,
    town: str | None,
    vehicle_type: str | None,
    capability: str | None,
    plate: str | None,
) -> None:
    """Print the fleet as a table, grouped by status as on the board."""
    database = state().open()
    query = BoardQuery(
        town=town,
        vehicle_type=vehicle_type,
        capability=SpecialHandling(capability) if capability else None,
        plate_text=plate,
        include_retired=include_retired,
    )
    now = datetime.now(UTC)
    result = board(database.sessions, COMMAND_LINE, query, now=now)
    zone = ZoneInfo(load_general(database.sessions).time_zone)
    header = ("Fleet no", "Plate", "Type", "Status", "At", "Free from", "t", "m³", "KES/km", "Can")
    rows = [
        (
            v.vehicle_id,
            v.registration_plate or "-",
            v.vehicle_type,
            STATUS_LABELS[v.status],
            v.location_name,
            _when(v, now, zone),
            _number(v.capacity_weight_tonnes),
            _number(v.capacity_volume_m3),
            _number(v.fuel_cost_per_km),
            ", ".join(c.value for c in v.capabilities) or "-",
        )
        for v in result.vehicles
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    numeric = {6, 7, 8}
    for row in (header, *rows):
        cells = [
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        click.echo("  ".join(cells).rstrip())
    summary = ", ".join(f"{group.count} {group.label.lower()}" for group in result.groups)
    click.echo(f"{result.total} truck(s): {summary}.")


@fleet.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--drop-bad-rows",
    is_flag=True,
    help="Import the good rows and leave out the bad ones (default: import nothing when any "
    "row has a problem).",
)
def import_(file: Path, dry_run: bool, drop_bad_rows: bool) -> None:
    """Add the trucks listed in FILE (.csv or .xlsx), all or nothing.

    Columns as in vehicles-template.csv; only registration_plate and vehicle_type are required,
    blank figures come from the type catalogue. Each problem is printed as `row N, column C:
    message` (the header is row 1) and the exit status is 1 when nothing was imported.
    """
    database = state().open()
    preview = fleet_import.preview_vehicle_import(database.sessions, COMMAND_LINE, file)
    report_preview(preview)
    if dry_run:
        click.echo("Dry run: nothing was written.")
        if not preview.is_clean:
            raise SengaError("The file has problems (listed above).")
        return
    try:
        result = fleet_import.commit_vehicle_import(
            database.sessions, COMMAND_LINE, preview, drop_bad_rows=drop_bad_rows
        )
    except ImportRefused as exc:
        if exc.problems != preview.problems:  # found at commit: not printed yet
            for problem in exc.problems:
                click.echo(str(problem), err=True)
        hint = "" if drop_bad_rows or preview.file_problems else " Or use --drop-bad-rows."
        raise SengaError(f"{exc.message}{hint}") from exc
    report_result(result, "trucks")
