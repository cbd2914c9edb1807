"""Copies of the database: SQLite's online backup, or pg_dump for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from senga_desktop.db.engine import Database, sqlite_path
from senga_desktop.errors import StorageUnavailable

PG_DUMP_TIMEOUT_S = 3600


def backup_path_beside(path: Path, label: str) -> Path:
    """A new file name next to ``path`` that says why and when the copy was taken."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    n = 2
    while candidate.exists():  # two copies within one second: number them
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{n}.bak")
        n += 1
    return candidate


def backup_sqlite(database: Database, destination: Path) -> Path:
    """A consistent copy of the SQLite file, taken while the app may be using it."""
    source = sqlite_path(database.url)
    if source is None:
        raise StorageUnavailable("Only SQLite databases can be copied this way.")
    if destination.exists():
        raise StorageUnavailable(f"{destination} exists already; choose another name.")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        # closing(): sqlite3's own context manager ends transactions but leaves files open,
        # which on Windows would keep the copy locked.
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(destination)) as dst,
        ):
            src.backup(dst)
    except (sqlite3.Error, OSError) as exc:
        destination.unlink(missing_ok=True)
        raise StorageUnavailable(f"Backing up {source} to {destination} failed: {exc}.") from exc
    return destination


def backup_database(database: Database, destination: Path) -> Path:
    """Back up either backend; PostgreSQL needs ``pg_dump`` on the PATH."""
    if destination.exists():
        raise StorageUnavailable(f"{destination} exists already; choose another name.")
    if database.backend == "sqlite":
        return backup_sqlite(database, destination)
    url = database.url
    pg_dump = shutil.which("pg_dump")
    hint = (
        f"pg_dump -Fc -h {url.host or 'localhost'} -p {url.port or 5432} "
        f"-U {url.username or '<user>'} -f {destination} {url.database}"
    )
    if pg_dump is None:
        raise StorageUnavailable(
            "This is a PostgreSQL database: back it up with PostgreSQL's own pg_dump, which is "
            f"not installed here. On a machine that has it run:  {hint}"
        )
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageUnavailable(f"Cannot create the folder {destination.parent}: {exc}.") from exc
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password  # never on the command line, where ps would show it
    args = [pg_dump, "--format=custom", f"--file={destination}", "--no-password"]
    args += [f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}"]
    if url.username:
        args.append(f"--username={url.username}")
    args.append(str(url.database))
    try:
        subprocess.run(
            args, env=env, check=True, capture_output=True, text=True, timeout=PG_DUMP_TIMEOUT_S
        )
    except subprocess.CalledProcessError as exc:
        destination.unlink(missing_ok=True)
        reason = (exc.stderr or "").strip().splitlines()
        raise StorageUnavailable(
            f"pg_dump failed: {reason[-1] if reason else exc}. Try by hand:  {hint}"
        ) from exc
    return destination
