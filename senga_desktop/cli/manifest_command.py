"""``senga manifest``: the driver manifest of a committed route or plan, written to a PDF.

It reads the manifest with the same controller as the window
(:mod:`senga_desktop.controllers.manifests`) and draws it with the same renderer
(:mod:`senga_desktop.reports`), so a sheet printed from either is the same sheet. Drawing needs
a ``QGuiApplication`` (no widgets): on a machine without a display, Qt's offscreen platform is
used. Qt is imported only when the command runs, so the rest of ``senga`` starts without it.
"""

from __future__ import annotations

from pathlib import Path

import click

from senga_desktop.cli.context import state
from senga_desktop.controllers.manifests import manifest_for_id
from senga_desktop.controllers.permissions import COMMAND_LINE


def _count(number: int, what: str) -> str:
    return f"{number:,} {what}{'' if number == 1 else 's'}"


@click.command("manifest")
@click.argument("key", metavar="ROUTE_ID|DECISION_ID")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE.pdf",
    type=click.Path(path_type=Path),
    help="Where to write the PDF (replaced if it exists).",
)
def manifest(*, key: str, output: Path) -> None:
    """Write the driver manifest of a committed route, or of every route of a committed
    decision (one route a page, or more for a long route), as a PDF ready to print.

    ROUTE_ID is a route's id as on the Routes screen (DEC-…-R01); DECISION_ID a decision's
    (DEC-…). Routes cancelled since the plan was committed are left out and named.
    """
    from senga_desktop.reports import check_output, ensure_gui_application, render_manifest

    output = output.expanduser()
    check_output(output)  # refuse an unwritable path before reading anything
    database = state().open()
    sheets = manifest_for_id(database.sessions, COMMAND_LINE, key)
    ensure_gui_application()
    result = render_manifest(sheets, output)
    click.echo(
        f"Wrote {output}: {_count(result.pages, 'page')}, {_count(result.routes, 'route')} "
        f"({sheets.title})."
    )
    if sheets.skipped:
        click.echo(f"Left out, cancelled since: {', '.join(sheets.skipped)}.")
