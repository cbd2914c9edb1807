"""Alembic environment for Senga Dispatch.

The app passes its own open connection in ``config.attributes["connection"]``; a developer running
the ``alembic`` command instead gets an engine from ``SENGA_DATABASE_URL`` (see alembic.ini).
"""

from __future__ import annotations

import os
from typing import Any

from alembic import context
from sqlalchemy import Connection

from senga_desktop.db import models  # noqa: F401  (registers every table)
from senga_desktop.db.base import Base
from senga_desktop.db.types import UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Migrations must not import app types that may change later: write the plain column type.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        transaction_per_migration=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from senga_desktop.db.engine import open_database

    url = os.environ.get("SENGA_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("Set SENGA_DATABASE_URL to the database to migrate.")
    database = open_database(url)
    with database.engine.begin() as own_connection:
        _configure(own_connection)
        with context.begin_transaction():
            context.run_migrations()
    database.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; migrate a live database.")
run_migrations_online()
