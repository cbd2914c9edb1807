"""Writing thousands of rows in a few statements, on either backend, versions still checked.

SQLite runs an ``executemany`` in C, row after row, quickly. PostgreSQL pays a round trip per row
even when psycopg pipelines them, so there an UPDATE takes all its rows at once from arrays
(``UPDATE … FROM unnest(:ids, :versions, …)``) and an INSERT streams them with ``COPY``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from json import dumps
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    Integer,
    Numeric,
    String,
    Table,
    TypeDecorator,
    bindparam,
    column,
    func,
    insert,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from senga_desktop.db.base import Base

if TYPE_CHECKING:
    import psycopg

__all__ = ["insert_rows", "table_of", "update_rows"]

ROW = "b_id"  # the key of a row's primary key in the rows given
VERSION = "b_version"  # the version the row was read at (versioned tables)


def table_of(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def update_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """UPDATE each row of ``table`` named by ``rows[i]["b_id"]`` (and, when given, only while
    still at version ``"b_version"``) with the other keys of the row, which must be the same in
    every row. The number of rows updated: fewer than ``len(rows)`` means some changed meanwhile.
    """
    if not rows:
        return 0
    versioned = VERSION in rows[0]
    if session.get_bind().dialect.name == "postgresql" and _arrays_fit(table, rows[0]):
        return _update_from_arrays(session, table, rows, versioned=versioned)
    where = [table.c.id == bindparam(ROW)]
    if versioned:
        where.append(table.c.version == bindparam(VERSION))
    result = session.connection().execute(update(table).where(*where), list(rows))
    return int(result.rowcount)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` into ``table`` (every row with the same keys); PostgreSQL by COPY."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.connection().execute(insert(table), list(rows))
        return
    names = list(rows[0])
    quote = session.get_bind().dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    raw = cast("psycopg.Connection[Any]", session.connection().connection.dbapi_connection)
    convert = [(n, _converter(table, n)) for n in names]
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([c(row[n]) if c else row[n] for n, c in convert])


def _element_type(kind: TypeEngine[Any]) -> TypeEngine[Any] | None:
    """The array element type a column's values travel as, or ``None`` (JSON: row by row)."""
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    for plain in (Integer, Numeric, String, DateTime):
        if isinstance(kind, plain):
            return DateTime(timezone=True) if plain is DateTime else plain()
    return None


def _arrays_fit(table: Table, row: dict[str, Any]) -> bool:
    return all(_element_type(table.c[k].type) is not None for k in row if not k.startswith("b_"))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _json(value: Any) -> Any:
    return None if value is None else dumps(value)


def _converter(table: Table, name: str) -> Callable[[Any], Any] | None:
    """What a column's values need before they travel (``None``: nothing), by its type, looked
    up once per column rather than once per value: thousands of rows, a dozen columns."""
    kind = table.c[name].type
    if isinstance(kind, JSON):
        return _json
    if isinstance(kind, Enum):
        return _plain
    return None


def _update_from_arrays(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, versioned: bool
) -> int:
    names = [k for k in rows[0] if not k.startswith("b_")]
    keys = [ROW, *([VERSION] if versioned else []), *names]
    kinds: dict[str, TypeEngine[Any]] = {ROW: Integer(), VERSION: Integer()}
    for name in names:
        element = _element_type(table.c[name].type)
        assert element is not None  # _arrays_fit checked it
        kinds[name] = element
    arrays = func.unnest(*(bindparam(f"a_{k}", type_=ARRAY(kinds[k])) for k in keys))
    columns = (column(k, kinds[k]) for k in keys)
    given = arrays.table_valued(*columns).render_derived(name="given")
    where = [table.c.id == given.c[ROW]]
    if versioned:
        where.append(table.c.version == given.c[VERSION])
    statement = update(table).where(*where).values({n: given.c[n] for n in names})
    params: dict[str, list[Any]] = {}
    for key in keys:
        convert = _converter(table, key) if key in table.c else None
        params[f"a_{key}"] = [convert(r[key]) for r in rows] if convert else [r[key] for r in rows]
    return int(session.connection().execute(statement, params).rowcount)
