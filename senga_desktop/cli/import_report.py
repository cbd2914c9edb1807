"""How every ``senga`` import reports a file: counts on stdout, each problem on stderr."""

from __future__ import annotations

from typing import Any

import click

from senga_desktop.controllers.imports import ImportPreview, ImportResult


def report_preview(preview: ImportPreview[Any]) -> None:
    """The preview's counts, any unused columns, and every problem as ``row N, column C: …``."""
    click.echo(
        f"{preview.source}: {preview.total} rows, {preview.good} good, {preview.bad} with problems."
    )
    if preview.ignored_columns:
        ignored = ", ".join(repr(c) for c in preview.ignored_columns)
        click.echo(f"Columns not used (check their spelling): {ignored}.", err=True)
    for problem in preview.problems:
        click.echo(str(problem), err=True)


def report_result(result: ImportResult, noun: str, *, show_keys: bool = True) -> None:
    """One line: how many were written, their keys' span, and how many bad rows were left out."""
    keys = result.keys
    span = f" ({keys[0]} to {keys[-1]})" if show_keys and len(keys) > 1 else ""
    dropped = f", left out {result.dropped} bad rows" if result.dropped else ""
    click.echo(f"Imported {result.written} {noun}{span}{dropped}.")
