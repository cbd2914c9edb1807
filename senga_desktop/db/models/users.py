"""Accounts of the depot staff who sign in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, false, true
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
