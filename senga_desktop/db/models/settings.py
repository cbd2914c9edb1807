"""Depot-wide settings shared by every desktop on the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from senga_desktop.db.base import Base
from senga_desktop.db.types import JSONDoc, UTCDateTime


class AppSetting(Base):
    """One named setting (depot name, time zone, sign-in policy…) as a JSON value."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONDoc)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
