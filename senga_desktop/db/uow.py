"""The unit of work: one session per user action, committed once, rolled back on any error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.db.failures import is_storage_failure, storage_failure


@contextmanager
def unit_of_work(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed when the block ends normally and undone otherwise.

    A lost connection or an unwritable file surfaces as ``StorageUnavailable`` with a message that
    says what to do; nothing is half-written because the transaction is rolled back.
    """
    session = sessions()
    try:
        yield session
        session.commit()
    except DBAPIError as exc:
        session.rollback()
        if is_storage_failure(exc):
            raise storage_failure(exc, session.get_bind().engine.url) from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
