"""The database health check behind ``senga db check`` and the status bar."""

from __future__ import annotations

import sqlite3
import statistics
import time
from dataclasses import dataclass

from alembic.migration import MigrationContext
from sqlalchemy import text

from senga_desktop.db.engine import Database
from senga_desktop.db.migrate import connect, head_revision

PING_SAMPLES = 5


@dataclass(frozen=True, slots=True)
class HealthReport:
    """A reachable database: what it is, how quick, and whether its schema is current."""

    backend: str
    location: str
    server_version: str
    latency_ms: float
    revision: str | None
    head_revision: str | None

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head_revision


def check_health(database: Database) -> HealthReport:
    """Connect, time a round trip (median of a few) and read the schema revision.

    Raises ``StorageUnavailable`` with the reason when the database cannot be reached.
    """
    with connect(database) as connection:
        samples = []
        for _ in range(PING_SAMPLES):
            started = time.perf_counter()
            connection.execute(text("SELECT 1")).scalar_one()
            samples.append((time.perf_counter() - started) * 1000)
        if database.backend == "sqlite":
            version = f"SQLite {sqlite3.sqlite_version}"
        else:
            version = "PostgreSQL " + str(connection.execute(text("SHOW server_version")).scalar())
        revision = MigrationContext.configure(connection).get_current_revision()
    return HealthReport(
        backend=database.backend,
        location=database.location,
        server_version=version,
        latency_ms=statistics.median(samples),
        revision=revision,
        head_revision=head_revision(),
    )
