"""Fixtures shared by every test: an isolated home, and real databases on each backend.

Database tests take the ``db_url`` / ``database`` fixtures and so run once per backend: on a real
SQLite file always, and on a real PostgreSQL server too when ``SENGA_TEST_POSTGRES_URL`` names one
(``scripts/test.sh`` and CI start a throw-away cluster). With ``SENGA_REQUIRE_POSTGRES=1`` a missing
or unreachable server fails the run instead of quietly testing SQLite alone.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from senga_desktop.db import migrate
from senga_desktop.db.engine import Database, open_database

PG_URL = os.environ.get("SENGA_TEST_POSTGRES_URL", "").strip()
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("SENGA_REQUIRE_POSTGRES") == "1" and not PG_URL:
        raise pytest.UsageError(
            "SENGA_REQUIRE_POSTGRES=1 but SENGA_TEST_POSTGRES_URL is not set: no PostgreSQL to test"
        )


def pytest_report_header(config: pytest.Config) -> str:
    where = make_url(PG_URL).render_as_string(hide_password=True) if PG_URL else "not configured"
    return f"database backends: {', '.join(BACKENDS)} (PostgreSQL: {where})"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config, data and log folders and no inherited database URL."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_DIRS", "etc-xdg"),
    ):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("SENGA_DATABASE_URL", raising=False)
    return home


@pytest.fixture(autouse=True)
def _drop_log_handlers() -> Iterator[None]:
    """The CLI and the app attach log handlers to the root logger; detach them after each test
    so no handler outlives the stream or folder it writes to."""
    yield
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_senga", False):
            root.removeHandler(handler)
            handler.close()


def _pg_connect(database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
    url = make_url(PG_URL).set(drivername="postgresql", database=database)
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The admin URL of the test PostgreSQL server; fails (never skips) when it is unreachable."""
    try:
        with _pg_connect() as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        pytest.fail(f"PostgreSQL test server {PG_URL} unreachable: {exc}", pytrace=False)
    return PG_URL


def _pg_url(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


def _pg_create(name: str, template: str | None = None) -> str:
    with _pg_connect() as connection:
        suffix = f" TEMPLATE {template}" if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{suffix}')
    return _pg_url(name)


def _pg_drop(name: str) -> None:
    with _pg_connect() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql":
        request.getfixturevalue("pg_server")
    return name


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database on the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'senga-test.sqlite3'}"
        return
    name = f"senga_t_{uuid.uuid4().hex[:12]}"
    yield _pg_create(name)
    _pg_drop(name)


@pytest.fixture
def empty_database(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def _migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A database migrated to head once per backend, cloned for each test (much faster)."""
    templates: dict[str, str] = {}
    sqlite_file = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = open_database(f"sqlite:///{sqlite_file}")
    migrate.upgrade(database)
    database.dispose()
    templates["sqlite"] = str(sqlite_file)
    pg_template = f"senga_template_{uuid.uuid4().hex[:8]}"
    if PG_URL:
        database = open_database(_pg_create(pg_template))
        migrate.upgrade(database)
        database.dispose()
        templates["postgresql"] = pg_template
    yield templates
    if PG_URL:
        _pg_drop(pg_template)


@pytest.fixture
def migrated_url(
    backend: str, tmp_path: Path, _migrated_templates: dict[str, str]
) -> Iterator[str]:
    """The URL of a new database already at the latest schema revision."""
    if backend == "sqlite":
        target = tmp_path / "senga-test.sqlite3"
        shutil.copyfile(_migrated_templates["sqlite"], target)
        yield f"sqlite:///{target}"
        return
    name = f"senga_t_{uuid.uuid4().hex[:12]}"
    yield _pg_create(name, template=_migrated_templates["postgresql"])
    _pg_drop(name)


@pytest.fixture
def database(migrated_url: str) -> Iterator[Database]:
    """An open database at the latest schema revision, on the backend under test."""
    database = open_database(migrated_url)
    yield database
    database.dispose()
