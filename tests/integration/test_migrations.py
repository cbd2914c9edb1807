"""Migrations: every revision goes up, down and up again; models and migrations agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from senga_desktop.db import migrate
from senga_desktop.db.base import Base
from senga_desktop.db.engine import Database, open_database
from senga_desktop.errors import StorageUnavailable


def _revisions_in_order() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _tables(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        return set(inspect(connection).get_table_names()) - {"alembic_version"}


def test_every_revision_upgrades_downgrades_and_upgrades_again(empty_database: Database) -> None:
    revisions = _revisions_in_order()
    assert revisions, "no migrations found"
    previous = "base"
    for revision in revisions:
        migrate.upgrade(empty_database, target=revision)
        assert migrate.current_revision(empty_database) == revision
        migrate.downgrade(empty_database, previous)
        assert migrate.current_revision(empty_database) == (
            None if previous == "base" else previous
        )
        migrate.upgrade(empty_database, target=revision)
        assert migrate.current_revision(empty_database) == revision
        previous = revision
    assert _tables(empty_database) == set(Base.metadata.tables)
    migrate.downgrade(empty_database, "base")
    assert _tables(empty_database) == set()


def test_models_and_migrations_do_not_differ(database: Database) -> None:
    assert migrate.current_revision(database) == migrate.head_revision()
    assert migrate.schema_differences(database) == []


def test_upgrading_an_up_to_date_database_changes_nothing(database: Database) -> None:
    result = migrate.upgrade(database)
    assert not result.changed
    assert result.backup_path is None


def test_an_existing_sqlite_file_is_backed_up_before_upgrading(tmp_path: Path) -> None:
    path = tmp_path / "depot.sqlite3"
    database = open_database(f"sqlite:///{path}")
    try:
        with database.engine.begin() as connection:  # a file that already holds data
            connection.execute(text("CREATE TABLE legacy_notes (note TEXT)"))
            connection.execute(text("INSERT INTO legacy_notes VALUES ('keep me')"))
        result = migrate.upgrade(database)
        assert "legacy_notes" in _tables(database)  # the upgrade leaves unknown tables alone
    finally:
        database.dispose()
    assert result.changed
    assert result.backup_path is not None
    assert result.backup_path.parent == path.parent
    assert result.backup_path.name.startswith("depot.sqlite3.before-unversioned-")
    backup = open_database(f"sqlite:///{result.backup_path}")
    try:
        with backup.engine.connect() as connection:
            notes = connection.execute(text("SELECT note FROM legacy_notes")).scalars().all()
        assert _tables(backup) == {"legacy_notes"}  # the copy is the file as it was
    finally:
        backup.dispose()
    assert notes == ["keep me"]


def test_a_new_file_needs_no_backup(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        result = migrate.upgrade(database)
    finally:
        database.dispose()
    assert result.from_revision is None
    assert result.to_revision == migrate.head_revision()
    assert result.backup_path is None
    assert list(tmp_path.glob("*.bak")) == []


def test_a_database_from_a_newer_version_is_refused(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    with pytest.raises(StorageUnavailable, match="newer version"):
        migrate.upgrade(database)
