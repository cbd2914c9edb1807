"""``senga outcomes import`` and ``senga outcomes export``: what routes really took, in bulk.

An import checks every row first and writes all of them or nothing: with any bad row it prints
each problem as ``row N, column C: message`` and exits 1. ``--dry-run`` only checks.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from senga_desktop.cli.context import state
from senga_desktop.cli.import_report import report_preview, report_result
from senga_desktop.controllers.imports import ImportRefused
from senga_desktop.controllers.imports.outcomes import commit_outcomes, preview_outcomes
from senga_desktop.controllers.imports.values import CellValueError, parse_datetime
from senga_desktop.controllers.learning import fold_outcomes
from senga_desktop.controllers.outcome_export import export_outcomes
from senga_desktop.controllers.permissions import COMMAND_LINE
from senga_desktop.controllers.settings import load_general
from senga_desktop.domain import OrderStatus
from senga_desktop.errors import SengaError

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("outcomes")
def outcomes() -> None:
    """Record what routes really took from a CSV or XLSX file, or export the outcomes."""


@outcomes.command("import")
@click.argument("path", metavar="FILE", type=FILE)
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--failed-to",
    type=click.Choice([OrderStatus.PENDING.value, OrderStatus.CANCELLED.value]),
    default=OrderStatus.PENDING.value,
    show_default=True,
    help="What becomes of the orders that failed: back to pending to plan again, or cancelled.",
)
def import_outcomes(path: Path, dry_run: bool, failed_to: str) -> None:
    """Complete committed routes from FILE, one row per route (see outcomes-template.csv)."""
    database = state().open()
    preview = preview_outcomes(database.sessions, COMMAND_LINE, path)
    report_preview(preview)
    if dry_run:
        click.echo("Dry run: nothing was written.")
        if not preview.is_clean:
            raise SengaError("The file has problems (listed above).")
        return
    if preview.file_problems:
        raise SengaError("Nothing was imported: the header is not usable (see above).")
    if preview.bad:
        raise SengaError("Nothing was imported. Fix the rows listed above and run again.")
    try:
        result = commit_outcomes(
            database.sessions, COMMAND_LINE, preview, failed_to=OrderStatus(failed_to)
        )
    except ImportRefused as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SengaError(exc.message) from exc
    report_result(result, "outcomes")
    learned = fold_outcomes(database.sessions)
    if learned.used or learned.flagged:
        flagged = (
            f"; {learned.flagged} not used (flagged as implausible: see the Outcomes screen)"
            if learned.flagged
            else ""
        )
        click.echo(
            f"The engine learned from {learned.used} outcomes (belief version "
            f"{learned.version}){flagged}."
        )


def _day(text: str | None, zone: ZoneInfo, option: str, *, end: bool = False) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_datetime(text, zone, end_of_day=end)
    except CellValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


@outcomes.command("export")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--since", metavar="DATE", help="Only outcomes recorded from this day (or time).")
@click.option(
    "--until", metavar="DATE", help="Only outcomes recorded up to this day (inclusive) or time."
)
def export(path: Path, since: str | None, until: str | None) -> None:
    """Write the outcomes to FILE (.csv or .xlsx), oldest first; it imports again."""
    database = state().open()
    zone = ZoneInfo(load_general(database.sessions).time_zone)
    result = export_outcomes(
        database.sessions,
        COMMAND_LINE,
        path,
        since=_day(since, zone, "--since"),
        until=_day(until, zone, "--until", end=True),
    )
    click.echo(f"Exported {result.rows} outcomes to {result.path}.")
