"""The ``senga`` command on real databases: what it prints, what it changes, what it refuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select, text

from senga_desktop import config
from senga_desktop.cli import cli
from senga_desktop.db import migrate
from senga_desktop.db.engine import Database, open_database
from senga_desktop.db.models import AuditLog, Customer, Order, User, Vehicle
from senga_desktop.db.uow import unit_of_work

SENGA = Path(sys.executable).with_name("senga")


def run(*args: str, url: str | None = None, stdin: str | None = None) -> Result:
    prefix = ["--database-url", url] if url else []
    return CliRunner().invoke(cli, [*prefix, *args], input=stdin)


def count(url: str, model: type) -> int:
    database = open_database(url)
    try:
        with unit_of_work(database.sessions) as session:
            return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        database.dispose()


def test_help_documents_every_command() -> None:
    result = subprocess.run([SENGA, "--help"], capture_output=True, text=True, check=True)
    for command in ("config", "db", "users"):
        assert command in result.stdout
    db_help = run("db", "--help").output
    for command in ("upgrade", "current", "check", "seed", "reset", "backup"):
        assert command in db_help


def test_upgrade_then_current_then_check(db_url: str) -> None:
    assert run("db", "current", url=db_url).output.startswith("(empty")
    result = run("db", "upgrade", url=db_url)
    assert result.exit_code == 0, result.output
    assert "Upgraded the database schema from empty" in result.stderr
    assert run("db", "current", url=db_url).output.strip() == f"{migrate.head_revision()} (latest)"
    check = run("db", "check", url=db_url)
    assert check.exit_code == 0, check.output
    assert "Round trip:" in check.output
    assert ("SQLite 3." if db_url.startswith("sqlite") else "PostgreSQL 1") in check.output
    assert check.output.rstrip().endswith("OK")


def test_check_says_when_the_schema_is_behind(empty_database: Database, db_url: str) -> None:
    with empty_database.engine.connect() as connection:  # creates the (empty) SQLite file
        connection.execute(text("SELECT 1"))
    result = run("db", "check", url=db_url)
    assert result.exit_code == 1
    assert "run `senga db upgrade`" in result.output


def test_check_does_not_create_a_missing_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.sqlite3"
    result = run("db", "check", url=f"sqlite:///{path}")
    assert result.exit_code == 2
    assert "There is no database file" in result.stderr
    assert not path.exists()


def test_an_unreachable_server_is_one_line_with_the_reason() -> None:
    result = subprocess.run(
        [SENGA, "--database-url", "postgresql://senga:hunter2pw@127.0.0.1:1/senga", "db", "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "connection was refused" in result.stderr
    assert "Traceback" not in result.stderr
    assert "hunter2pw" not in result.stderr + result.stdout


def test_a_bad_url_says_what_a_good_one_looks_like() -> None:
    result = run("db", "check", url="mysql://root@localhost/senga")
    assert result.exit_code == 2
    assert "Unsupported database 'mysql'" in result.stderr
    assert "sqlite:///" in result.stderr


def test_a_read_only_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "depot.sqlite3"
    database = open_database(f"sqlite:///{path}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE legacy_notes (note TEXT)"))
    database.dispose()
    before = path.read_bytes()
    result = run("db", "upgrade", url=f"sqlite:///file:{path}?mode=ro&uri=true")
    assert result.exit_code == 2
    assert f"The database file {path} is read-only" in result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_seed_demo_is_idempotent_and_creates_no_users(migrated_url: str) -> None:
    first = run("db", "seed", "--demo", url=migrated_url)
    assert first.exit_code == 0, first.output
    orders = count(migrated_url, Order)
    assert orders >= 80
    assert count(migrated_url, Vehicle) >= 12
    assert count(migrated_url, Customer) >= 8
    second = run("db", "seed", "--demo", url=migrated_url)
    assert second.exit_code == 0, second.output
    assert "added 0 customers, 0 trucks, 0 orders and 0 completed routes" in second.output
    assert count(migrated_url, Order) == orders
    assert count(migrated_url, User) == 0


def test_seed_without_a_kind_is_a_usage_error(migrated_url: str) -> None:
    result = run("db", "seed", url=migrated_url)
    assert result.exit_code == 2
    assert "--demo" in result.output


def test_reset_refuses_without_yes_and_changes_nothing(migrated_url: str) -> None:
    assert run("db", "seed", "--demo", url=migrated_url).exit_code == 0
    orders = count(migrated_url, Order)
    refused = run("db", "reset", url=migrated_url)
    assert refused.exit_code == 1
    assert "Nothing was changed" in refused.stderr
    assert count(migrated_url, Order) == orders


def test_reset_with_yes_empties_the_database(migrated_url: str, tmp_path: Path) -> None:
    assert run("db", "seed", "--demo", url=migrated_url).exit_code == 0
    result = run("db", "reset", "--yes", url=migrated_url)
    assert result.exit_code == 0, result.output
    assert count(migrated_url, Order) == 0
    assert run("db", "current", url=migrated_url).output.strip().endswith("(latest)")
    if migrated_url.startswith("sqlite"):
        saved = list(tmp_path.glob("*.before-reset-*.bak"))
        assert len(saved) == 1
        assert str(saved[0]) in result.output
        assert count(f"sqlite:///{saved[0]}", Order) >= 80


def test_backup(migrated_url: str, tmp_path: Path) -> None:
    assert run("db", "seed", "--demo", url=migrated_url).exit_code == 0
    target = tmp_path / "copies" / "depot-backup.sqlite3"
    result = run("db", "backup", str(target), url=migrated_url)
    assert result.exit_code == 0, result.output
    assert target.exists()
    if migrated_url.startswith("sqlite"):
        assert count(f"sqlite:///{target}", Order) == count(migrated_url, Order)
    else:
        assert target.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    again = run("db", "backup", str(target), url=migrated_url)
    assert again.exit_code == 2
    assert "exists already" in again.stderr


def test_backup_on_postgresql_without_pg_dump_says_how(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if migrated_url.startswith("sqlite"):
        pytest.skip("pg_dump is for PostgreSQL")
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run("db", "backup", str(tmp_path / "x.dump"), url=migrated_url)
    assert result.exit_code == 2
    assert "pg_dump" in result.stderr
    assert "-Fc" in result.stderr


def test_create_admin_hashes_with_argon2id_and_audits(db_url: str) -> None:
    password = "Karibu-Depot-2026"
    result = run(
        "users", "create-admin", "Wanjiku", "--email", "wanjiku@senga.co.ke",
        "--password-stdin", url=db_url, stdin=password + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    database = open_database(db_url)
    try:
        with unit_of_work(database.sessions) as session:
            user = session.scalars(select(User)).one()
            entry = session.scalars(select(AuditLog)).one()
    finally:
        database.dispose()
    assert user.username == "wanjiku"
    assert user.role.value == "admin"
    assert user.hashed_password.startswith("$argon2id$")
    assert password not in user.hashed_password
    assert (entry.action, entry.entity_id) == ("user.created", "wanjiku")
    assert password not in str(entry.details)

    again = run("users", "create-admin", "WANJIKU", "--password-stdin", url=db_url, stdin=password)
    assert again.exit_code == 1
    assert "exists already" in again.stderr


@pytest.mark.parametrize(
    ("username", "password", "complaint"),
    [
        ("amina", "short", "at least 10 characters"),
        ("amina-the-admin", "amina-the-admin", "must not be the user name"),
        ("a b", "long enough password", "letters, digits"),
    ],
)
def test_create_admin_refuses_weak_input(
    migrated_url: str, username: str, password: str, complaint: str
) -> None:
    result = run(
        "users", "create-admin", username, "--password-stdin", url=migrated_url, stdin=password
    )
    assert result.exit_code == 1
    assert complaint in result.stderr
    assert count(migrated_url, User) == 0


def test_create_admin_without_a_terminal_asks_for_password_stdin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    result = subprocess.run(
        [SENGA, "--database-url", url, "users", "create-admin", "amina"],
        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 1
    assert "--password-stdin" in result.stderr


def test_config_show_masks_the_password_and_names_the_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = run("config", "show")
    assert "Comes from:    default" in result.output
    monkeypatch.setenv("SENGA_DATABASE_URL", "postgresql://dispatch:s3cret@db.depot/senga")
    result = run("config", "show")
    assert result.exit_code == 0
    assert "postgresql://dispatch:***@db.depot/senga" in result.output
    assert "s3cret" not in result.output
    assert "environment (SENGA_DATABASE_URL)" in result.output
    result = run("config", "show", url="sqlite:///cli.sqlite3")
    assert "command line (--database-url)" in result.output


def test_config_set_database_writes_the_user_file() -> None:
    result = run("config", "set-database", "postgresql://dispatch:pw1@db.depot/senga")
    assert result.exit_code == 0
    assert "pw1" not in result.output
    shown = run("config", "show").output
    assert f"user config file: {config.user_config_path()}" in shown
    refused = run("config", "set-database", "oracle://x")
    assert refused.exit_code == 2
    assert "Unsupported database" in refused.stderr
