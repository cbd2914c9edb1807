"""The ``senga`` command: database upkeep, accounts and (later) imports and planning.

It calls the same controllers as the app. Expected failures print one line saying what is wrong
and how to fix it, and exit non-zero; only bugs print a traceback.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from senga_desktop import __version__
from senga_desktop.cli.context import CliState
from senga_desktop.errors import ConfigError, SengaError, StorageUnavailable

EXIT_REFUSED = 1
EXIT_UNAVAILABLE = 2


class _Group(click.Group):
    """Turns expected failures into a one-line message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (StorageUnavailable, ConfigError) as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_UNAVAILABLE)
        except SengaError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_REFUSED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database-url",
    metavar="URL",
    help="Database to use, e.g. sqlite:///depot.sqlite3 or postgresql://user@host/db. "
    "Overrides SENGA_DATABASE_URL and the config files.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.version_option(__version__, prog_name="senga")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, verbose: bool) -> None:
    """Senga Dispatch from the command line.

    The database is taken from --database-url, else SENGA_DATABASE_URL, else the user's and then
    the system's config file, else a SQLite file in the user data folder (see `senga config show`).
    Commands that open the database first bring it to the latest schema revision.
    """
    from senga_desktop.logs import setup_logging

    setup_logging(level=logging.INFO if verbose else logging.WARNING, to_stderr=True)
    ctx.obj = CliState(database_url=database_url)
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    from senga_desktop.cli import (
        config_commands,
        db_commands,
        fleet_commands,
        import_commands,
        manifest_command,
        outcomes_commands,
        plan_command,
        solve_command,
        user_commands,
    )

    cli.add_command(config_commands.config)
    cli.add_command(db_commands.db)
    cli.add_command(user_commands.users)
    cli.add_command(import_commands.import_group)
    cli.add_command(import_commands.export_group)
    cli.add_command(fleet_commands.fleet)
    cli.add_command(plan_command.plan)
    cli.add_command(manifest_command.manifest)
    cli.add_command(solve_command.solve)
    cli.add_command(outcomes_commands.outcomes)


_register()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``senga`` console script."""
    cli.main(args=argv, prog_name="senga")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
