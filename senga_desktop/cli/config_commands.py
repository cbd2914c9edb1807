"""``senga config``: which settings are in force and where they come from."""

from __future__ import annotations

import click

from senga_desktop.cli.context import state
from senga_desktop.config import (
    resolve_database,
    system_config_path,
    user_config_path,
    user_data_dir,
    write_user_setting,
)
from senga_desktop.db.engine import mask_url, parse_database_url
from senga_desktop.logs import log_file_path


@click.group()
def config() -> None:
    """Show or change settings."""


def _exists(path: object) -> str:
    from pathlib import Path

    return "present" if Path(str(path)).exists() else "not present"


@config.command("show")
def show() -> None:
    """Print the effective database URL (password masked) and where it came from."""
    setting = resolve_database(state().database_url)
    rows = [
        ("Database URL", mask_url(setting.url)),
        ("Comes from", setting.describe_source()),
        ("User config", f"{user_config_path()} ({_exists(user_config_path())})"),
        ("System config", f"{system_config_path()} ({_exists(system_config_path())})"),
        ("Data folder", str(user_data_dir())),
        ("Log file", str(log_file_path())),
    ]
    width = max(len(label) for label, _ in rows) + 1
    for label, value in rows:
        click.echo(f"{label + ':':<{width}} {value}")


@config.command("set-database")
@click.argument("url")
def set_database(url: str) -> None:
    """Store URL as this user's database in the user config file.

    Without a password in the URL, PostgreSQL asks ~/.pgpass (or the server trusts the user).
    """
    parse_database_url(url)
    path = write_user_setting("database", "url", url)
    click.echo(f"Saved {mask_url(url)} in {path}.")
