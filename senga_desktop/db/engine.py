"""Opening a database: URL checks, engine options per backend, and the session factory.

SQLite gets WAL (readers never wait for the writer), enforced foreign keys and a busy timeout;
PostgreSQL gets psycopg 3 with pre-ping and recycled connections so a desktop left open overnight
reconnects instead of failing on a dead socket.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop import APP_ID
from senga_desktop.errors import ConfigError, StorageUnavailable

SQLITE_BUSY_TIMEOUT_MS = 5000
PG_CONNECT_TIMEOUT_S = 5
PG_POOL_RECYCLE_S = 1800

_URL_HELP = (
    "Use sqlite:///PATH for a local file, "
    "or postgresql://USER:PASSWORD@HOST:PORT/DATABASE for a server."
)


def parse_database_url(raw: str) -> URL:
    """A validated URL for a supported backend; ConfigError with the fix otherwise."""
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise ConfigError(
            f"The database URL {mask_url(raw)!r} cannot be parsed. {_URL_HELP}"
        ) from exc
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.drivername not in ("sqlite", "sqlite+pysqlite"):
            raise ConfigError(f"SQLite driver {url.drivername!r} is not supported. {_URL_HELP}")
        if not url.database or url.database == ":memory:":
            raise ConfigError(f"A SQLite URL must name a file. {_URL_HELP}")
        return url.set(drivername="sqlite+pysqlite")
    if backend == "postgresql":
        if url.drivername not in ("postgresql", "postgresql+psycopg", "postgres"):
            raise ConfigError(
                f"PostgreSQL driver {url.drivername!r} is not supported; use postgresql:// "
                "(psycopg 3)."
            )
        if not url.database:
            raise ConfigError(f"The PostgreSQL URL names no database. {_URL_HELP}")
        return url.set(drivername="postgresql+psycopg")
    raise ConfigError(f"Unsupported database {backend!r}. {_URL_HELP}")


def mask_url(raw: str | URL) -> str:
    """The URL with any password replaced by ``***``, safe to show and log."""
    try:
        url = raw if isinstance(raw, URL) else make_url(raw)
    except ArgumentError:
        # Unparseable: hide anything between '//' user ':' and '@' by hand.
        text = str(raw)
        if "@" in text and "://" in text:
            scheme, rest = text.split("://", 1)
            creds, host = rest.rsplit("@", 1)
            return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
        return text
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL (``None`` for other backends)."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    database = url.database
    if database.startswith("file:"):  # URI form: file:/path?mode=ro
        database = database[len("file:") :].split("?", 1)[0]
    return Path(database)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            # A read-only file keeps its journal mode; a write then fails with a clear message.
            with contextlib.suppress(sqlite3.OperationalError):
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, much faster commits
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


@dataclass(frozen=True, slots=True)
class Database:
    """An open database: its engine and the session factory controllers receive."""

    url: URL
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @property
    def display_url(self) -> str:
        # The driver name is an implementation detail; people know "sqlite" and "postgresql".
        return mask_url(self.url.set(drivername=self.backend))

    @property
    def location(self) -> str:
        """Where the data lives, for the status bar: a file path or ``host:port/db``."""
        path = sqlite_path(self.url)
        if path is not None:
            return str(path)
        return f"{self.url.host or 'localhost'}:{self.url.port or 5432}/{self.url.database}"

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(raw_url: str | URL, *, echo: bool = False) -> Database:
    """An engine and session factory for the URL; nothing is connected yet."""
    url = parse_database_url(
        raw_url if isinstance(raw_url, str) else raw_url.render_as_string(False)
    )
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        assert path is not None
        _check_sqlite_location(path, read_only_uri="mode=ro" in str(url.query or ""))
        engine = create_engine(
            url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        _configure_sqlite(engine)
    else:
        engine = create_engine(
            url,
            echo=echo,
            pool_pre_ping=True,
            pool_recycle=PG_POOL_RECYCLE_S,
            pool_size=5,
            max_overflow=5,
            connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": APP_ID},
        )
    return Database(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def _check_sqlite_location(path: Path, *, read_only_uri: bool) -> None:
    """Create the folder for a new file; refuse clearly where the file cannot be written."""
    if read_only_uri:
        return
    if path.exists():
        if path.is_dir():
            raise StorageUnavailable(f"{path} is a folder, not a database file.")
        if not os.access(path, os.W_OK):
            raise StorageUnavailable(
                f"The database file {path} is read-only. Give your account write permission "
                "on it, or copy it somewhere writable and point the app there."
            )
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageUnavailable(
            f"Cannot create the folder {path.parent} for the database: {exc.strerror}."
        ) from exc
    if not os.access(path.parent, os.W_OK):
        raise StorageUnavailable(
            f"Cannot create the database file {path}: the folder {path.parent} is read-only."
        )
