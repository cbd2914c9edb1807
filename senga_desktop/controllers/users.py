"""User accounts: the administrator's Users page and ``senga users``.

An administrator creates accounts, edits e-mail and role, activates and deactivates, resets a
password (the user must change it at the next sign-in) and unlocks a locked account. The last
active administrator can be neither demoted nor deactivated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.passwords import check_password_policy, hash_password
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.db.models import User
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role
from senga_desktop.errors import AlreadyExists, NotFound, PermissionDenied, ValidationError

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user as the rest of the app sees it: never with the password hash."""

    id: int
    username: str
    email: str | None
    role: Role
    is_active: bool
    last_login: datetime | None
    locked_until: datetime | None = None
    must_change_password: bool = False

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or datetime.now(UTC))


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.username,
        user.email,
        user.role,
        user.is_active,
        user.last_login,
        user.locked_until,
        user.must_change_password,
    )


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


def normalise_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    value = email.strip()
    if not EMAIL_PATTERN.match(value):
        raise ValidationError("email", f"{value!r} is not an e-mail address (name@example.co.ke).")
    return value


def create_user_row(
    session: Session,
    name: str,
    email: str | None,
    role: Role,
    hashed: str,
    *,
    actor_name: str,
    actor_id: int | None = None,
    must_change_password: bool = False,
) -> User:
    """Insert an account after checking its name and e-mail are free (inside a unit of work)."""
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise AlreadyExists(f"A user named {name!r} exists already.")
    if email and session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AlreadyExists(f"The e-mail address {email} belongs to another user.")
    user = User(
        username=name,
        email=email,
        hashed_password=hashed,
        role=role,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        "user.created",
        entity_type="user",
        entity_id=name,
        user_id=actor_id,
        username=actor_name,
        details={"role": role.value},
    )
    return user


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
    address = normalise_email(email)
    hashed = hash_password(password)  # slow by design: before the transaction opens
    with unit_of_work(sessions) as session:
        return _info(create_user_row(session, name, address, Role.ADMIN, hashed, actor_name=actor))


def list_users(sessions: sessionmaker[Session], actor: Actor) -> list[UserInfo]:
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.USERS_MANAGE)
        return [_info(u) for u in session.scalars(select(User).order_by(User.username))]


def create_user(
    sessions: sessionmaker[Session],
    actor: Actor,
    *,
    username: str,
    email: str | None,
    role: Role,
    password: str,
) -> UserInfo:
    """An administrator creates an account with a first password the user must change."""
    with unit_of_work(sessions) as session:  # refuse early, before slow hashing
        authorize(session, actor, Permission.USERS_MANAGE)
    name = normalise_username(username)
    check_password_policy(password, username=name)
    address = normalise_email(email)
    hashed = hash_password(password)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.USERS_MANAGE)
        user = create_user_row(
            session,
            name,
            address,
            role,
            hashed,
            actor_name=actor.username,
            actor_id=actor.user_id,
            must_change_password=True,
        )
        return _info(user)


def _active_admins(session: Session) -> int:
    query = select(func.count()).where(User.role == Role.ADMIN, User.is_active.is_(True))
    return session.scalar(query) or 0


def _target(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That account no longer exists.")
    return user


def update_user(
    sessions: sessionmaker[Session],
    actor: Actor,
    user_id: int,
    *,
    email: str | None,
    role: Role,
    is_active: bool,
) -> UserInfo:
    """Change e-mail, role and active flag, keeping at least one active administrator."""
    address = normalise_email(email)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.USERS_MANAGE)
        user = _target(session, user_id)
        loses_admin = user.role == Role.ADMIN and user.is_active
        loses_admin = loses_admin and (role != Role.ADMIN or not is_active)
        if loses_admin and _active_admins(session) <= 1:
            raise PermissionDenied(
                f"{user.username} is the last active administrator: make another account an "
                "administrator first, so someone can still manage users."
            )
        if address and address != user.email:
            taken = select(User.id).where(User.email == address, User.id != user.id)
            if session.scalar(taken) is not None:
                raise AlreadyExists(f"The e-mail address {address} belongs to another user.")
        changes = {
            key: [str(old), str(new)]
            for key, old, new in (
                ("email", user.email, address),
                ("role", user.role.value, role.value),
                ("is_active", user.is_active, is_active),
            )
            if old != new
        }
        user.email, user.role, user.is_active = address, role, is_active
        audit.record(
            session,
            "user.updated",
            entity_type="user",
            entity_id=user.username,
            user_id=actor.user_id,
            username=actor.username,
            details=changes,
        )
        return _info(user)


def reset_password(
    sessions: sessionmaker[Session], actor: Actor, user_id: int, temporary_password: str
) -> UserInfo:
    """Set a temporary password; the user must choose their own at the next sign-in."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.USERS_MANAGE)
        name = _target(session, user_id).username
    check_password_policy(temporary_password, username=name)
    hashed = hash_password(temporary_password)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.USERS_MANAGE)
        user = _target(session, user_id)
        user.hashed_password = hashed
        user.must_change_password = True
        user.failed_login_count = 0
        user.locked_until = None
        audit.record(
            session,
            "user.password_reset",
            entity_type="user",
            entity_id=name,
            user_id=actor.user_id,
            username=actor.username,
        )
        return _info(user)


def unlock(sessions: sessionmaker[Session], actor: Actor, user_id: int) -> UserInfo:
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.USERS_MANAGE)
        user = _target(session, user_id)
        user.locked_until = None
        user.failed_login_count = 0
        audit.record(
            session,
            "account.unlocked",
            entity_type="user",
            entity_id=user.username,
            user_id=actor.user_id,
            username=actor.username,
        )
        return _info(user)
