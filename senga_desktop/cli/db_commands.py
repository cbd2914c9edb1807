"""``senga db``: schema upgrades, health, demo data, reset and backup."""

from __future__ import annotations

from pathlib import Path

import click

from senga_desktop.cli.context import state
from senga_desktop.config import resolve_database
from senga_desktop.controllers import database as db_controller
from senga_desktop.db import migrate
from senga_desktop.db.engine import mask_url, parse_database_url, sqlite_path
from senga_desktop.errors import SengaError, StorageUnavailable


@click.group()
def db() -> None:
    """Look after the database."""


@db.command()
def upgrade() -> None:
    """Bring the database to the latest schema revision (SQLite: backup first)."""
    database = state().open(upgrade=True)
    click.echo(
        f"Database {database.display_url} is at the latest revision {migrate.head_revision()}."
    )


@db.command()
def current() -> None:
    """Print the database's schema revision and whether it is the latest."""
    database = state().open(upgrade=False)
    revision = migrate.current_revision(database)
    head = migrate.head_revision()
    if revision is None:
        click.echo(f"(empty: no schema yet; `senga db upgrade` creates revision {head})")
    elif revision == head:
        click.echo(f"{revision} (latest)")
    else:
        click.echo(f"{revision} (the latest is {head}: run `senga db upgrade`)")


def _refuse_missing_sqlite_file() -> None:
    """A health check must not create the file it checks."""
    setting = resolve_database(state().database_url)
    path = sqlite_path(parse_database_url(setting.url))
    if path is not None and not path.exists():
        raise StorageUnavailable(
            f"There is no database file at {path} yet. The app or `senga db upgrade` creates it."
        )


@db.command()
def check() -> None:
    """Check the database: backend, server version, round-trip time, schema revision.

    Exits 0 when reachable and current, 1 when the schema is behind, 2 when unreachable.
    """
    _refuse_missing_sqlite_file()
    database = state().open(upgrade=False)
    report = db_controller.health(database)
    schema = report.revision or "empty"
    if report.up_to_date:
        schema += " (latest)"
    else:
        schema += f" (behind: the latest is {report.head_revision}; run `senga db upgrade`)"
    click.echo(f"Database:   {database.display_url}")
    click.echo(f"Backend:    {report.server_version}")
    click.echo(f"Location:   {report.location}")
    click.echo(f"Round trip: {report.latency_ms:.2f} ms (median of 5)")
    click.echo(f"Schema:     {schema}")
    if not report.up_to_date:
        raise SengaError("The database schema is not the latest.")
    click.echo("OK")


@db.command()
@click.option("--demo", is_flag=True, help="Add the demo depot: towns, customers, trucks, orders.")
def seed(demo: bool) -> None:
    """Add demo data (idempotent: running it again adds nothing twice). Creates no users."""
    if not demo:
        raise click.UsageError("Say what to seed: --demo is the only kind so far.")
    from senga_desktop.controllers.demo_data import seed_demo

    database = state().open()
    report = seed_demo(database.sessions, history=True)
    click.echo(
        f"Demo depot: added {report.customers_added} customers, {report.vehicles_added} trucks, "
        f"{report.orders_added} orders and {report.history_routes_added} completed routes of the "
        "last four weeks (the engine has learned from them)."
    )
    click.echo(
        f"The database now holds {report.customers_total} customers, {report.vehicles_total} "
        f"trucks and {report.orders_total} orders."
    )


@db.command()
@click.option("--yes", is_flag=True, help="Confirm that every record may be deleted.")
def reset(yes: bool) -> None:
    """Delete everything and recreate an empty database (SQLite: backup first)."""
    setting = resolve_database(state().database_url)
    if not yes:
        raise SengaError(
            f"This deletes every record in {mask_url(setting.url)}. Nothing was changed. "
            "Run `senga db reset --yes` to confirm."
        )
    database = state().open(upgrade=False)
    copy = db_controller.reset(database)
    click.echo(f"Reset {database.display_url}: empty, at revision {migrate.head_revision()}.")
    if copy:
        click.echo(f"The previous contents were saved in {copy}.")


@db.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Copy the database to PATH (SQLite online backup; PostgreSQL through pg_dump)."""
    _refuse_missing_sqlite_file()
    database = state().open(upgrade=False)
    written = db_controller.backup(database, path)
    click.echo(f"Backed up {database.display_url} to {written}.")
