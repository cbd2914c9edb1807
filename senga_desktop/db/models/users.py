"""Accounts of the depot staff who sign in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, false, true
from sqlalchemy.orm import Mapped, mapped_column

from senga_desktop.db.base import Base, TimestampMixin
from senga_desktop.db.types import UTCDateTime, str_enum
from senga_desktop.domain import Role


class User(TimestampMixin, Base):
    """A person who signs in. Only a password hash is ever stored."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    hashed_password: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"), server_default=Role.USER.value)
    is_active: Mapped[bool] = mapped_column(server_default=true())
    is_superuser: Mapped[bool] = mapped_column(server_default=false())
    last_login: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Sign-in protection: consecutive failures lock the account until ``locked_until``.
    failed_login_count: Mapped[int] = mapped_column(server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when an administrator resets the password: the user must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(server_default=false())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("failed_login_count >= 0", name="failed_logins_not_negative"),
    )
