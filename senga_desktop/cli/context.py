"""What the subcommands share: the chosen URL and the database once opened."""

from __future__ import annotations

import click

from senga_desktop.controllers.database import OpenedDatabase, open_configured
from senga_desktop.db.engine import Database


class CliState:
    """Opens the configured database on first use, upgrading it, and closes it at exit."""

    def __init__(self, database_url: str | None) -> None:
        self.database_url = database_url
        self._opened: OpenedDatabase | None = None

    def open(self, *, upgrade: bool = True) -> Database:
        if self._opened is None:
            self._opened = open_configured(self.database_url, upgrade=upgrade)
            result = self._opened.upgrade
            if result.changed:
                note = f" (backup: {result.backup_path})" if result.backup_path else ""
                click.echo(
                    f"Upgraded the database schema from {result.from_revision or 'empty'} "
                    f"to {result.to_revision}{note}.",
                    err=True,
                )
        return self._opened.database

    def close(self) -> None:
        if self._opened is not None:
            self._opened.database.dispose()
            self._opened = None


def state() -> CliState:
    obj = click.get_current_context().find_object(CliState)
    assert obj is not None, "subcommands run under the senga group"
    return obj
