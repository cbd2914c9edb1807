"""The declarative base with a constraint naming convention.

Named constraints make Alembic migrations reproducible on SQLite (batch mode needs the names) and on
PostgreSQL alike.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from senga_desktop.db.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """``created_at`` and ``updated_at``, set by the database server in UTC."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.current_timestamp(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        server_default=func.current_timestamp(),
        onupdate=func.current_timestamp(),
        nullable=False,
    )


class VersionedMixin:
    """An optimistic-locking counter: an UPDATE of a row changed meanwhile by someone else fails."""

    version: Mapped[int] = mapped_column(nullable=False, server_default="1")
