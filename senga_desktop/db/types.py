"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Enum, Numeric
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC.

    PostgreSQL keeps it as ``timestamptz``; SQLite has no time zones, so the value is normalised to
    UTC and stored without an offset, which also keeps text comparison (check constraints, ORDER BY)
    chronological. Naive datetimes are refused: a wall-clock time without a zone is a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: give it a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: JSON documents; JSONB on PostgreSQL so they can be indexed and compared.
JSONDoc = JSON().with_variant(JSONB(), "postgresql")


def money() -> Numeric[Decimal]:
    """Kenyan shillings with cents, exact (never float)."""
    return Numeric(14, 2, asdecimal=True)


def quantity() -> Numeric[Decimal]:
    """Tonnes, cubic metres and kilometres to three decimals."""
    return Numeric(12, 3, asdecimal=True)


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum: VARCHAR plus a CHECK constraint on both backends, storing the values.

    Native PostgreSQL enums cannot gain values inside a transaction and do not exist on SQLite; a
    checked string behaves the same everywhere.
    """
    values: list[Any] = [member.value for member in enum_class]
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(str(v)) for v in values),
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )
