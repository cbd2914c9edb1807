"""``senga import`` and ``senga export``: orders and customers from and to spreadsheets.

An import checks every row first and writes all of them or nothing: with any bad row it prints
each problem as ``row N, column C: message`` and exits 1. ``--dry-run`` only checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from senga_desktop.cli.context import state
from senga_desktop.cli.import_report import report_preview, report_result
from senga_desktop.controllers import exports
from senga_desktop.controllers.imports import (
    ImportPreview,
    ImportRefused,
    commit_customers,
    commit_orders,
    preview_customers,
    preview_orders,
)
from senga_desktop.controllers.orders_query import OrderQuery
from senga_desktop.controllers.permissions import COMMAND_LINE
from senga_desktop.domain import OrderStatus
from senga_desktop.errors import SengaError

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("import")
def import_group() -> None:
    """Import orders or customers from a CSV or XLSX file (see the templates)."""


def _refuse(exc: ImportRefused) -> None:
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    raise SengaError(exc.message) from exc


def _finish(preview: ImportPreview[Any], dry_run: bool, drop_bad_rows: bool) -> bool:
    """Report; True when the import should go ahead."""
    report_preview(preview)
    if dry_run:
        click.echo("Dry run: nothing was written.")
        if not preview.is_clean:
            raise SengaError("The file has problems (listed above).")
        return False
    if preview.file_problems:
        raise SengaError("Nothing was imported: the header is not usable (see above).")
    if preview.bad and not drop_bad_rows:
        raise SengaError(
            "Nothing was imported. Fix the rows listed above, or run again with "
            "--drop-bad-rows to import only the good ones."
        )
    return True


@import_group.command("orders")
@click.argument("path", metavar="FILE", type=FILE)
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--drop-bad-rows", is_flag=True, help="Import the good rows, leave out bad ones.")
def import_orders(path: Path, dry_run: bool, drop_bad_rows: bool) -> None:
    """Import orders from FILE (columns as in orders-template.csv)."""
    database = state().open()
    preview = preview_orders(database.sessions, COMMAND_LINE, path)
    if not _finish(preview, dry_run, drop_bad_rows):
        return
    try:
        result = commit_orders(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True)
    except ImportRefused as exc:
        _refuse(exc)
        return
    report_result(result, "orders")


@import_group.command("customers")
@click.argument("path", metavar="FILE", type=FILE)
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--drop-bad-rows", is_flag=True, help="Import the good rows, leave out bad ones.")
def import_customers(path: Path, dry_run: bool, drop_bad_rows: bool) -> None:
    """Import customers from FILE (columns as in customers-template.csv)."""
    database = state().open()
    preview = preview_customers(database.sessions, COMMAND_LINE, path)
    if not _finish(preview, dry_run, drop_bad_rows):
        return
    try:
        result = commit_customers(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True)
    except ImportRefused as exc:
        _refuse(exc)
        return
    report_result(result, "customers", show_keys=False)


@click.group("export")
def export_group() -> None:
    """Export orders to a CSV or XLSX file that imports again."""


@export_group.command("orders")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in OrderStatus]),
    help="Only orders with this status (repeat for several).",
)
@click.option("--town", help="Only orders to this destination town.")
@click.option("--customer", help="Only this customer's orders (its customer ID).")
def export_orders(
    path: Path, statuses: tuple[str, ...], town: str | None, customer: str | None
) -> None:
    """Write orders to FILE (.csv or .xlsx), newest first."""
    database = state().open()
    query = OrderQuery(
        statuses=frozenset(OrderStatus(s) for s in statuses), town=town, customer_id=customer
    )
    result = exports.export_orders(database.sessions, COMMAND_LINE, query, path)
    click.echo(f"Exported {result.rows} orders to {result.path}.")
