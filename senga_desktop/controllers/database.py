"""Opening, upgrading, checking, backing up and resetting the configured database.

Shared by the ``senga`` command and the app, so both treat a database the same way: whoever opens
it brings it to the schema this version expects, taking a backup first where that is possible.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.config import DatabaseSetting, resolve_database, write_user_setting
from senga_desktop.controllers import audit
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.db import migrate
from senga_desktop.db.backup import backup_database, backup_path_beside, backup_sqlite
from senga_desktop.db.engine import Database, mask_url, open_database, sqlite_path
from senga_desktop.db.health import HealthReport, check_health
from senga_desktop.db.migrate import UpgradeResult, connect
from senga_desktop.db.uow import unit_of_work

log = logging.getLogger(__name__)

#: What controllers take to open their units of work (screens hold it without importing SQL).
SessionFactory = sessionmaker[Session]

__all__ = [
    "Database",
    "HealthReport",
    "OpenedDatabase",
    "SessionFactory",
    "UpgradeResult",
    "backup",
    "health",
    "open_configured",
    "reset",
    "switch_database",
    "test_connection",
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


def test_connection(url: str) -> HealthReport:
    """Connect to ``url`` and report on it, changing nothing (neither settings nor schema)."""
    database = open_database(url)
    try:
        return check_health(database)
    finally:
        database.dispose()


def switch_database(current: sessionmaker[Session], actor: Actor, url: str) -> OpenedDatabase:
    """Make ``url`` this user's database: migrate it, then save it in the user config file.

    Only an administrator may; the switch is audited on the database being left. If opening or
    migrating the new database fails, the settings are not touched.
    """
    with unit_of_work(current) as session:
        authorize(session, actor, Permission.DATABASE_MANAGE)
    database = open_database(url)
    try:
        result = migrate.upgrade(database)
    except BaseException:
        database.dispose()
        raise
    path = write_user_setting("database", "url", url)
    with unit_of_work(current) as session:
        audit.record_by(
            session,
            actor,
            "database.switched",
            entity_type="database",
            details={"to": mask_url(url), "config_file": str(path)},
        )
    log.warning("Switched to database %s (saved in %s)", mask_url(url), path)
    return OpenedDatabase(database, resolve_database(), result)


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
