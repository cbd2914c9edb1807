"""Engine options per backend, the unit of work, and the health check."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from senga_desktop.db.engine import Database, open_database
from senga_desktop.db.health import check_health
from senga_desktop.db.migrate import head_revision
from senga_desktop.db.models import Customer
from senga_desktop.db.uow import unit_of_work
from senga_desktop.errors import StorageUnavailable
from tests.factories import make_customer


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    finally:
        database.dispose()


def test_sqlite_creates_the_folder_for_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "depot.sqlite3"
    database = open_database(f"sqlite:///{path}")
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        database.dispose()
    assert path.exists()


def test_a_folder_is_not_a_database_file(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailable, match="is a folder"):
        open_database(f"sqlite:///{tmp_path}")


def test_a_file_that_is_not_sqlite_is_named(tmp_path: Path) -> None:
    path = tmp_path / "orders.sqlite3"
    path.write_text("customer,town\nKamau,Nakuru\n" * 100, encoding="utf-8")
    database = open_database(f"sqlite:///{path}")
    try:
        with pytest.raises(StorageUnavailable, match="is not a SQLite database"):
            check_health(database)
    finally:
        database.dispose()


def test_postgresql_pings_and_recycles_connections(database: Database) -> None:
    if database.backend != "postgresql":
        pytest.skip("PostgreSQL pool options")
    assert database.engine.pool._pre_ping is True  # type: ignore[attr-defined]
    assert database.engine.pool._recycle == 1800  # type: ignore[attr-defined]
    with database.engine.connect() as connection:
        name = connection.execute(text("SHOW application_name")).scalar()
    assert name == "senga-dispatch"


def test_the_unit_of_work_commits_once_and_rolls_back_on_error(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        make_customer(session, customer_id="CUST-KEEP")
    with pytest.raises(RuntimeError), unit_of_work(database.sessions) as session:
        make_customer(session, customer_id="CUST-GONE")
        raise RuntimeError("the user's action failed half way")
    with unit_of_work(database.sessions) as session:
        keys = session.scalars(select(Customer.customer_id)).all()
    assert keys == ["CUST-KEEP"]


def test_health_reports_backend_version_latency_and_revision(database: Database) -> None:
    report = check_health(database)
    assert report.backend == database.backend
    expected = "SQLite 3." if database.backend == "sqlite" else "PostgreSQL "
    assert report.server_version.startswith(expected)
    assert 0 < report.latency_ms < 1000
    assert report.revision == head_revision()
    assert report.up_to_date


def test_health_of_an_empty_database_says_it_has_no_schema(empty_database: Database) -> None:
    report = check_health(empty_database)
    assert report.revision is None
    assert not report.up_to_date


def test_an_unreachable_server_gives_a_reason_not_a_traceback() -> None:
    database = open_database("postgresql://senga:pw@127.0.0.1:1/senga")
    try:
        with pytest.raises(StorageUnavailable, match="connection was refused") as raised:
            check_health(database)
    finally:
        database.dispose()
    assert "pw" not in str(raised.value)


def test_a_lost_connection_in_a_unit_of_work_is_a_storage_error(database: Database) -> None:
    with pytest.raises(StorageUnavailable), unit_of_work(database.sessions) as session:
        session.scalar(select(func.count()).select_from(Customer))
        if database.backend == "sqlite":
            session.execute(text("ATTACH DATABASE '/nonexistent/dir/x.db' AS x"))
        else:
            session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
