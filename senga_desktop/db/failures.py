"""Turning driver errors into messages a depot clerk or IT can act on."""

from __future__ import annotations

from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, DBAPIError, InterfaceError, OperationalError

from senga_desktop.db.engine import mask_url, sqlite_path
from senga_desktop.errors import StorageUnavailable

_SQLITE_HINTS = (
    (
        "readonly database",
        "The database file {path} is read-only. Give your account write "
        "permission on it, or copy it somewhere writable and point the app there.",
    ),
    (
        "unable to open database file",
        "Cannot open the database file {path}. Check that the "
        "folder exists and that your account may write to it.",
    ),
    (
        "file is not a database",
        "{path} is not a SQLite database. Point the app at a Senga "
        "Dispatch database file, or at a new file name to start afresh.",
    ),
    (
        "database is locked",
        "The database file {path} is busy: another program kept it locked "
        "for too long. Close other copies of the app working on it and try again.",
    ),
    ("disk i/o error", "Reading or writing {path} failed (disk I/O error). Check the disk."),
    ("database or disk is full", "The disk holding {path} is full. Free some space."),
)

_PG_HINTS = (
    (
        "connection refused",
        "Cannot reach PostgreSQL at {where}: the connection was refused. "
        "Check that the server is running and that the host and port are right.",
    ),
    (
        "timeout expired",
        "Cannot reach PostgreSQL at {where}: no answer within the time limit. "
        "Check the host name, the network and any firewall.",
    ),
    (
        "could not translate host name",
        "Cannot reach PostgreSQL at {where}: the host name is "
        "unknown. Check the spelling of the host.",
    ),
    (
        "password authentication failed",
        "PostgreSQL at {where} refused the user name or password. Check both in the database URL.",
    ),
    (
        "no password supplied",
        "PostgreSQL at {where} asks for a password; put it in the database URL or in ~/.pgpass.",
    ),
    (
        "does not exist",
        "PostgreSQL at {where} says: {detail}. Create it first (createdb) or correct the URL.",
    ),
    (
        "permission denied",
        "PostgreSQL at {where} refused: {detail}. Ask the database "
        "administrator for the needed rights.",
    ),
)


def is_storage_failure(exc: BaseException) -> bool:
    """Whether ``exc`` means the database cannot be reached, opened or written (as opposed to a
    refused statement such as a broken constraint, which is the caller's to handle)."""
    return isinstance(exc, OperationalError | InterfaceError) or type(exc) is DatabaseError


def storage_failure(exc: BaseException, url: URL) -> StorageUnavailable:
    """A :class:`StorageUnavailable` explaining ``exc`` for the database at ``url``."""
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    detail = (str(original).strip().splitlines() or [type(original).__name__])[0]
    lowered = str(original).lower()
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        for needle, message in _SQLITE_HINTS:
            if needle in lowered:
                return StorageUnavailable(message.format(path=path))
        return StorageUnavailable(f"The database file {path} cannot be used: {detail}.")
    where = f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}"
    for needle, message in _PG_HINTS:
        if needle in lowered:
            return StorageUnavailable(message.format(where=where, detail=detail))
    return StorageUnavailable(f"The database {mask_url(url)} cannot be used: {detail}.")
