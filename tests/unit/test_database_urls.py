"""Database URLs: what is accepted, how it is shown, and the messages for what is not."""

from __future__ import annotations

import pytest

from senga_desktop.db.engine import mask_url, parse_database_url
from senga_desktop.errors import ConfigError


@pytest.mark.parametrize(
    ("raw", "driver"),
    [
        ("sqlite:///depot.sqlite3", "sqlite+pysqlite"),
        ("sqlite:////var/lib/senga/depot.sqlite3", "sqlite+pysqlite"),
        ("postgresql://dispatch:pw@db.local/senga", "postgresql+psycopg"),
        ("postgresql+psycopg://dispatch@db.local:5433/senga", "postgresql+psycopg"),
    ],
)
def test_supported_urls(raw: str, driver: str) -> None:
    assert parse_database_url(raw).drivername == driver


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        ("not a url", "cannot be parsed"),
        ("mysql://root@localhost/senga", "Unsupported database 'mysql'"),
        ("sqlite://", "must name a file"),
        ("sqlite:///:memory:", "must name a file"),
        ("postgresql://dispatch@db.local", "names no database"),
        ("postgresql+asyncpg://u@h/db", "not supported"),
    ],
)
def test_unsupported_urls_say_what_to_write(raw: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint) as raised:
        parse_database_url(raw)
    assert "sqlite:///" in str(raised.value) or "postgresql://" in str(raised.value)


@pytest.mark.parametrize(
    "raw",
    ["postgresql://dispatch:s3cret!@db.local/senga", "weird://dispatch:s3cret!@db.local"],
)
def test_passwords_are_masked(raw: str) -> None:
    shown = mask_url(raw)
    assert "s3cret" not in shown
    assert "dispatch" in shown
    assert "***" in shown
