"""Signing in, lockout, first run, password changes, and the audit trail they leave."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import bcrypt
import pytest
from sqlalchemy import select

from senga_desktop.controllers import auth, settings, users
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, User
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role
from senga_desktop.errors import (
    AccountLocked,
    AuthenticationFailed,
    PermissionDenied,
    ValidationError,
)

ADMIN_PASSWORD = "Simba-Depot-2026"
USER_PASSWORD = "Matatu-Route-46"


def _admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, "amina", ADMIN_PASSWORD)


def _actions(database: Database) -> list[str]:
    with unit_of_work(database.sessions) as session:
        return list(session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_first_run_creates_the_first_admin_only_once(database: Database) -> None:
    assert auth.needs_first_admin(database.sessions)
    admin = _admin(database)
    assert admin.role is Role.ADMIN
    assert not auth.needs_first_admin(database.sessions)
    with pytest.raises(PermissionDenied, match="exists already"):
        auth.create_first_admin(database.sessions, "intruder", "Another-Long-Password")
    assert users.count_users(database.sessions) == 1


@pytest.mark.parametrize(
    ("username", "password", "field", "complaint"),
    [
        ("amina", "short1", "password", "at least 10"),
        ("amina1234567", "AMINA1234567", "password", "user name"),
        ("amina", "password123", "password", "commonly used"),
        ("amina", "qwertyuiop", "password", "commonly used"),
        ("?", "Long-Enough-Password", "username", "2 to 64 characters"),
    ],
)
def test_first_admin_password_policy(
    database: Database, username: str, password: str, field: str, complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint) as raised:
        auth.create_first_admin(database.sessions, username, password)
    assert raised.value.field == field
    assert auth.needs_first_admin(database.sessions)


def test_sign_in_records_last_login_and_audits(database: Database) -> None:
    _admin(database)
    actor = auth.sign_in(database.sessions, "  AMINA ", ADMIN_PASSWORD)
    assert (actor.username, actor.role) == ("amina", Role.ADMIN)
    with unit_of_work(database.sessions) as session:
        user = session.scalars(select(User)).one()
        assert user.last_login is not None
        assert datetime.now(UTC) - user.last_login < timedelta(minutes=1)
    assert _actions(database)[-1] == "sign_in.succeeded"


def test_unknown_user_and_wrong_password_get_the_same_message(database: Database) -> None:
    _admin(database)
    with pytest.raises(AuthenticationFailed) as unknown:
        auth.sign_in(database.sessions, "nobody", ADMIN_PASSWORD)
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.sign_in(database.sessions, "amina", "not-the-password")
    assert str(unknown.value) == str(wrong.value) == auth.WRONG_CREDENTIALS
    assert _actions(database)[-2:] == ["sign_in.failed", "sign_in.failed"]
    with unit_of_work(database.sessions) as session:
        details = [e.details for e in session.scalars(select(AuditLog))]
    assert all(ADMIN_PASSWORD not in str(d) and "not-the-password" not in str(d) for d in details)


def test_five_failures_lock_the_account_until_time_passes_or_an_admin_unlocks(
    database: Database,
) -> None:
    admin = _admin(database)
    dispatcher = users.create_user(
        database.sessions,
        admin,
        username="otieno",
        email=None,
        role=Role.USER,
        password=USER_PASSWORD,
    )
    for _ in range(4):
        with pytest.raises(AuthenticationFailed) as raised:
            auth.sign_in(database.sessions, "otieno", "wrong-password-1")
        assert not isinstance(raised.value, AccountLocked)
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(database.sessions, "otieno", "wrong-password-1")
    assert "account.locked" in _actions(database)
    with pytest.raises(AccountLocked, match="locked"):
        auth.sign_in(database.sessions, "otieno", USER_PASSWORD)  # even the right password
    later = datetime.now(UTC) + timedelta(minutes=16)
    assert auth.sign_in(database.sessions, "otieno", USER_PASSWORD, now=later).username == "otieno"

    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(database.sessions, "otieno", "wrong-password-2")
    assert users.list_users(database.sessions, admin)[1].is_locked()
    users.unlock(database.sessions, admin, dispatcher.id)
    assert auth.sign_in(database.sessions, "otieno", USER_PASSWORD).username == "otieno"
    assert "account.unlocked" in _actions(database)


def test_the_lockout_policy_is_configurable(database: Database) -> None:
    admin = _admin(database)
    current = settings.load_general(database.sessions)
    settings.save_general(
        database.sessions, admin, dataclasses.replace(current, lockout_threshold=2)
    )
    users.create_user(
        database.sessions,
        admin,
        username="wafula",
        email=None,
        role=Role.USER,
        password=USER_PASSWORD,
    )
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(database.sessions, "wafula", "wrong-password-3")
    with pytest.raises(AccountLocked):
        auth.sign_in(database.sessions, "wafula", USER_PASSWORD)


def test_inactive_users_cannot_sign_in(database: Database) -> None:
    admin = _admin(database)
    info = users.create_user(
        database.sessions,
        admin,
        username="njeri",
        email=None,
        role=Role.USER,
        password=USER_PASSWORD,
    )
    users.update_user(
        database.sessions, admin, info.id, email=None, role=Role.USER, is_active=False
    )
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        auth.sign_in(database.sessions, "njeri", USER_PASSWORD)
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        auth.sign_in(database.sessions, "njeri", "a-wrong-guess-1")  # no hint without the password


def test_a_reset_password_must_be_changed_at_next_sign_in(database: Database) -> None:
    admin = _admin(database)
    info = users.create_user(
        database.sessions,
        admin,
        username="kiprop",
        email=None,
        role=Role.USER,
        password=USER_PASSWORD,
    )
    first = auth.sign_in(database.sessions, "kiprop", USER_PASSWORD)
    assert first.must_change_password  # an admin chose the first password
    changed = auth.change_own_password(database.sessions, first, USER_PASSWORD, "Kiprop-Own-Pass-9")
    assert not changed.must_change_password
    assert not auth.sign_in(database.sessions, "kiprop", "Kiprop-Own-Pass-9").must_change_password

    users.reset_password(database.sessions, admin, info.id, "Temporary-Pass-77")
    actor = auth.sign_in(database.sessions, "kiprop", "Temporary-Pass-77")
    assert actor.must_change_password
    with pytest.raises(ValidationError, match="current password") as raised:
        auth.change_own_password(database.sessions, actor, "wrong", "Kiprop-New-Pass-10")
    assert raised.value.field == "current_password"
    with pytest.raises(ValidationError, match="at least 10") as raised:
        auth.change_own_password(database.sessions, actor, "Temporary-Pass-77", "short")
    assert raised.value.field == "new_password"
    auth.change_own_password(database.sessions, actor, "Temporary-Pass-77", "Kiprop-New-Pass-10")
    assert "user.password_reset" in _actions(database)


def test_old_bcrypt_hashes_are_accepted_and_rehashed(database: Database) -> None:
    legacy = bcrypt.hashpw(b"Legacy-System-Pass", bcrypt.gensalt(rounds=4)).decode()
    with unit_of_work(database.sessions) as session:
        session.add(User(username="legacy", hashed_password=legacy, role=Role.MANAGER))
    actor = auth.sign_in(database.sessions, "legacy", "Legacy-System-Pass")
    assert actor.role is Role.MANAGER
    with unit_of_work(database.sessions) as session:
        stored = session.scalars(select(User.hashed_password)).one()
    assert stored.startswith("$argon2id$")
    assert auth.sign_in(database.sessions, "legacy", "Legacy-System-Pass").username == "legacy"
