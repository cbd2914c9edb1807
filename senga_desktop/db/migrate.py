"""Bringing a database to the schema this version of the app expects, through Alembic.

Alembic is configured in code (no ``alembic.ini`` at run time) so the same migrations serve a
source checkout, a wheel and a frozen installer build. Before an existing SQLite file is upgraded a
copy is taken beside it, so a failed or regretted upgrade can be undone by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DBAPIError

from senga_desktop.db.backup import backup_path_beside, backup_sqlite
from senga_desktop.db.base import Base
from senga_desktop.db.engine import Database, sqlite_path
from senga_desktop.db.failures import is_storage_failure, storage_failure
from senga_desktop.errors import StorageUnavailable
from senga_desktop.paths import migrations_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UpgradeResult:
    """What an upgrade did: revisions before and after, and the backup taken (if any)."""

    from_revision: str | None
    to_revision: str | None
    backup_path: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


@contextmanager
def connect(database: Database) -> Iterator[Connection]:
    try:
        with database.engine.begin() as connection:
            yield connection
    except DBAPIError as exc:
        if is_storage_failure(exc):
            raise storage_failure(exc, database.url) from exc
        raise


def current_revision(database: Database) -> str | None:
    """The schema revision stored in the database, ``None`` for an empty one."""
    with connect(database) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _has_data_tables(connection: Connection) -> bool:
    return any(name != "alembic_version" for name in inspect(connection).get_table_names())


def upgrade(database: Database, *, target: str = "head", backup: bool = True) -> UpgradeResult:
    """Migrate to ``target``; a SQLite file holding data is copied first."""
    head = head_revision()
    with connect(database) as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        has_tables = _has_data_tables(connection)
    if before is not None and before not in known_revisions():
        raise StorageUnavailable(
            f"The database is at schema revision {before}, which this version of Senga Dispatch "
            "does not know: it was upgraded by a newer version. Install that version or newer."
        )
    if target == "head" and before == head:
        return UpgradeResult(before, before, None)
    backup_path = None
    path = sqlite_path(database.url)
    if backup and path is not None and has_tables:
        backup_path = backup_path_beside(path, f"before-{before or 'unversioned'}")
        backup_sqlite(database, backup_path)
        log.info("Backed up %s to %s before upgrading", path, backup_path)
    _run(database, lambda config: command.upgrade(config, target))
    after = current_revision(database)
    log.info("Database schema upgraded from %s to %s", before, after)
    return UpgradeResult(before, after, backup_path)


def downgrade(database: Database, target: str) -> None:
    _run(database, lambda config: command.downgrade(config, target))


def _run(database: Database, action: Any) -> None:
    try:
        with connect(database) as connection:
            action(alembic_config(connection))
    except CommandError as exc:
        raise StorageUnavailable(f"Migration failed: {exc}") from exc


def schema_differences(database: Database) -> list[Any]:
    """What Alembic autogenerate would change: empty when models and database agree."""
    from senga_desktop.db import models  # noqa: F401  (registers every table)

    with connect(database) as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        diff: list[Any] = compare_metadata(context, Base.metadata)
    return diff
