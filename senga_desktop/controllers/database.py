"""Opening, upgrading, checking, backing up and resetting the configured database.

Shared by the ``senga`` command and the app, so both treat a database the same way: whoever opens
it brings it to the schema this version expects, taking a backup first where that is possible.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData

from senga_desktop.config import DatabaseSetting, resolve_database
from senga_desktop.db import migrate
from senga_desktop.db.backup import backup_database, backup_path_beside, backup_sqlite
from senga_desktop.db.engine import Database, open_database, sqlite_path
from senga_desktop.db.health import HealthReport, check_health
from senga_desktop.db.migrate import UpgradeResult, connect

log = logging.getLogger(__name__)

__all__ = [
    "HealthReport",
    "OpenedDatabase",
    "UpgradeResult",
    "backup",
    "health",
    "open_configured",
    "reset",
]


@dataclass(frozen=True, slots=True)
class OpenedDatabase:
    """A database ready for use, where its URL came from, and what opening it upgraded."""

    database: Database
    setting: DatabaseSetting
    upgrade: UpgradeResult


def open_configured(cli_url: str | None = None, *, upgrade: bool = True) -> OpenedDatabase:
    """Open the database the settings name and, unless told not to, migrate it to the latest
    schema revision (a SQLite file holding data is copied beside itself first)."""
    setting = resolve_database(cli_url)
    database = open_database(setting.url)
    try:
        if upgrade:
            result = migrate.upgrade(database)
        else:
            current = migrate.current_revision(database)
            result = UpgradeResult(current, current, None)
    except BaseException:
        database.dispose()
        raise
    return OpenedDatabase(database, setting, result)


def health(database: Database) -> HealthReport:
    return check_health(database)


def backup(database: Database, destination: Path) -> Path:
    return backup_database(database, destination)


def reset(database: Database) -> Path | None:
    """Remove every table and recreate an empty schema at the latest revision.

    A SQLite file is copied first; the path of the copy is returned.
    """
    copy = None
    path = sqlite_path(database.url)
    if path is not None and path.exists():
        copy = backup_sqlite(database, backup_path_beside(path, "before-reset"))
    with connect(database) as connection:
        existing = MetaData()
        existing.reflect(connection)
        existing.drop_all(connection)
    migrate.upgrade(database, backup=False)
    log.warning("Database %s was reset (backup: %s)", database.display_url, copy)
    return copy
