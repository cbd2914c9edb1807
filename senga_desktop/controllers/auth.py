"""Signing in: password checks, lockout after repeated failures, and the first administrator.

Unknown user names and wrong passwords get the same message and take the same time. Every sign-in,
failure and lock is written to the audit log. Password hashing happens outside any transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.passwords import (
    burn_verification_time,
    check_password_policy,
    hash_password,
    verify_password,
)
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.settings import GeneralSettings, read_general
from senga_desktop.controllers.users import (
    UserInfo,
    create_user_row,
    normalise_email,
    normalise_username,
)
from senga_desktop.db.models import User
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role
from senga_desktop.errors import (
    AccountLocked,
    AuthenticationFailed,
    PermissionDenied,
    ValidationError,
)

WRONG_CREDENTIALS = "Wrong user name or password."


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class StartInfo:
    """What the app needs to know once the database is open, before anyone signs in."""

    needs_first_admin: bool
    general: GeneralSettings


def start_info(sessions: sessionmaker[Session]) -> StartInfo:
    with unit_of_work(sessions) as session:
        users = session.scalar(select(func.count()).select_from(User)) or 0
        return StartInfo(needs_first_admin=users == 0, general=read_general(session))


def record_sign_out(sessions: sessionmaker[Session], actor: Actor, reason: str) -> None:
    """Audit a sign-out (``reason``: signed out, locked out, database switched…)."""
    with unit_of_work(sessions) as session:
        audit.record_by(
            session,
            actor,
            "sign_out",
            entity_type="user",
            entity_id=actor.username,
            details={"reason": reason},
        )


def needs_first_admin(sessions: sessionmaker[Session]) -> bool:
    """True on a database without any account: the app then asks for the first administrator."""
    with unit_of_work(sessions) as session:
        return not session.scalar(select(func.count()).select_from(User))


def create_first_admin(
    sessions: sessionmaker[Session], username: str, password: str, *, email: str | None = None
) -> Actor:
    """Create the first administrator; refused once any account exists."""
    name = normalise_username(username)
    check_password_policy(password, username=name)
    address = normalise_email(email)
    hashed = hash_password(password)
    with unit_of_work(sessions) as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise PermissionDenied(
                "An account exists already: sign in, or ask an administrator for an account."
            )
        user = create_user_row(session, name, address, Role.ADMIN, hashed, actor_name=name)
        user.last_login = _now()
        audit.record(
            session,
            "sign_in.succeeded",
            entity_type="user",
            entity_id=name,
            user_id=user.id,
            username=name,
            details={"first_run": True},
        )
        return Actor(user.id, user.username, user.role)


def sign_in(
    sessions: sessionmaker[Session], username: str, password: str, *, now: datetime | None = None
) -> Actor:
    """The signed-in actor, or AuthenticationFailed / AccountLocked with a message to show."""
    now = now or _now()
    try:
        name = normalise_username(username)
    except ValidationError:
        name = username.strip().lower()[:64]
    with unit_of_work(sessions) as session:
        user = session.scalars(select(User).where(User.username == name)).first()
        stored_hash = user.hashed_password if user else None
        locked_until = user.locked_until if user else None
    if stored_hash is None:
        burn_verification_time(password)
        _record_failure(sessions, name, now, reason="unknown user")
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    if locked_until is not None and locked_until > now:
        _audit_only(sessions, "sign_in.refused_locked", name)
        raise AccountLocked(_locked_message(locked_until))
    matches, new_hash = verify_password(password, stored_hash)
    if not matches:
        _record_failure(sessions, name, now, reason="wrong password")
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    with unit_of_work(sessions) as session:
        user = session.scalars(select(User).where(User.username == name)).one()
        if not user.is_active:
            audit.record(
                session,
                "sign_in.refused_inactive",
                entity_type="user",
                entity_id=name,
                username=name,
            )
            raise AuthenticationFailed(
                "This account is deactivated. Ask an administrator to activate it."
            )
        user.failed_login_count = 0
        user.locked_until = None
        user.last_login = now
        if new_hash:  # an old bcrypt hash, or argon2 with outdated cost: upgrade it now
            user.hashed_password = new_hash
        audit.record(
            session,
            "sign_in.succeeded",
            entity_type="user",
            entity_id=name,
            user_id=user.id,
            username=name,
            details={"rehashed": True} if new_hash else {},
        )
        return Actor(user.id, user.username, user.role, user.must_change_password)


def _locked_message(until: datetime) -> str:
    minutes = max(1, round((until - _now()).total_seconds() / 60))
    return (
        "This account is locked after too many failed sign-ins. Try again in about "
        f"{minutes} minute{'s' if minutes != 1 else ''}, or ask an administrator to unlock it."
    )


def _audit_only(sessions: sessionmaker[Session], action: str, name: str) -> None:
    with unit_of_work(sessions) as session:
        audit.record(session, action, entity_type="user", entity_id=name, username=name)


def _record_failure(
    sessions: sessionmaker[Session], name: str, now: datetime, *, reason: str
) -> None:
    with unit_of_work(sessions) as session:
        policy = read_general(session)
        user = session.scalars(select(User).where(User.username == name)).first()
        audit.record(
            session,
            "sign_in.failed",
            entity_type="user",
            entity_id=name,
            user_id=user.id if user else None,
            username=name,
            details={"reason": reason},
        )
        if user is None:
            return
        user.failed_login_count += 1
        if user.failed_login_count >= policy.lockout_threshold:
            user.locked_until = now + timedelta(minutes=policy.lockout_minutes)
            user.failed_login_count = 0
            audit.record(
                session,
                "account.locked",
                entity_type="user",
                entity_id=name,
                user_id=user.id,
                username=name,
                details={"minutes": policy.lockout_minutes},
            )


def change_own_password(
    sessions: sessionmaker[Session], actor: Actor, current: str, new: str
) -> Actor:
    """Change the signed-in user's password after checking the current one."""
    with unit_of_work(sessions) as session:
        user = session.get(User, actor.user_id)
        if user is None or not user.is_active:
            raise PermissionDenied("Your account is no longer active. Sign in again.")
        stored = user.hashed_password
    if not verify_password(current, stored)[0]:
        raise ValidationError("current_password", "The current password is not right.")
    if new == current:
        raise ValidationError("new_password", "Choose a password different from the current one.")
    try:
        check_password_policy(new, username=actor.username)
    except ValidationError as exc:
        raise ValidationError("new_password", exc.message) from exc
    hashed = hash_password(new)
    with unit_of_work(sessions) as session:
        user = session.get(User, actor.user_id)
        assert user is not None
        user.hashed_password = hashed
        user.must_change_password = False
        user.password_changed_at = _now()
        audit.record(
            session,
            "user.password_changed",
            entity_type="user",
            entity_id=actor.username,
            user_id=actor.user_id,
            username=actor.username,
        )
    return Actor(actor.user_id, actor.username, actor.role, must_change_password=False)


__all__ = [
    "WRONG_CREDENTIALS",
    "StartInfo",
    "UserInfo",
    "change_own_password",
    "create_first_admin",
    "needs_first_admin",
    "record_sign_out",
    "sign_in",
    "start_info",
]
