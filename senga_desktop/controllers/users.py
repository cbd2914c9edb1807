"""User accounts: creating the first administrator (more account management comes with sign-in)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.passwords import check_password_policy, hash_password
from senga_desktop.db.models import User
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role
from senga_desktop.errors import AlreadyExists, ValidationError

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user as the rest of the app sees it: never with the password hash."""

    id: int
    username: str
    email: str | None
    role: Role
    is_active: bool
    last_login: datetime | None


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.email, user.role, user.is_active, user.last_login)


def normalise_username(username: str) -> str:
    """User names are case-insensitive: stored lower-case, checked for allowed characters."""
    name = username.strip().lower()
    if not USERNAME_PATTERN.match(name):
        raise ValidationError(
            "username",
            "A user name has 2 to 64 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter or digit.",
        )
    return name


def _normalise_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    value = email.strip()
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value):
        raise ValidationError("email", f"{value!r} is not an e-mail address (name@example.co.ke).")
    return value


def count_users(sessions: sessionmaker[Session]) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def create_admin(
    sessions: sessionmaker[Session],
    username: str,
    password: str,
    *,
    email: str | None = None,
    actor: str = audit.COMMAND_LINE_ACTOR,
) -> UserInfo:
    """Create an administrator account (the command line's way in on a new database)."""
    name = normalise_username(username)
    check_password_policy(password, username=name)
    address = _normalise_email(email)
    hashed = hash_password(password)  # slow by design: before the transaction opens
    with unit_of_work(sessions) as session:
        if session.scalar(select(User.id).where(User.username == name)) is not None:
            raise AlreadyExists(f"A user named {name!r} exists already.")
        if address and session.scalar(select(User.id).where(User.email == address)) is not None:
            raise AlreadyExists(f"The e-mail address {address} belongs to another user.")
        user = User(username=name, email=address, hashed_password=hashed, role=Role.ADMIN)
        session.add(user)
        session.flush()
        audit.record(
            session,
            "user.created",
            entity_type="user",
            entity_id=name,
            username=actor,
            details={"role": Role.ADMIN.value},
        )
        return _info(user)
