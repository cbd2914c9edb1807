"""The audit trail: who did what to which record, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from senga_desktop.db.base import Base
from senga_desktop.db.types import JSONDoc, UTCDateTime


class AuditLog(Base):
    """One audited action. ``username`` is copied so the trail survives a deleted account;
    ``details`` never holds a password."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.current_timestamp()
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str | None] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)

    __table_args__ = (
        Index("ix_audit_log_occurred", "occurred_at"),
        Index("ix_audit_log_entity", "entity_type", "entity_id"),
        Index("ix_audit_log_user_occurred", "user_id", "occurred_at"),
        Index("ix_audit_log_action_occurred", "action", "occurred_at"),
    )
