"""Writing the audit trail; the entry joins the caller's unit of work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from senga_desktop.db.models import AuditLog

if TYPE_CHECKING:
    from senga_desktop.controllers.permissions import Actor

#: Actor name for changes made from the ``senga`` command line rather than a signed-in user.
COMMAND_LINE_ACTOR = "(command line)"


def record_by(
    session: Session,
    actor: Actor,
    action: str,
    *,
    entity_type: str | None = None,
    entity_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add one audit entry for something ``actor`` did (the command line has no account id)."""
    record(
        session,
        action,
        entity_type=entity_type,
        entity_id=entity_id,
        user_id=actor.user_id or None,
        username=actor.username,
        details=details,
    )


def record(
    session: Session,
    action: str,
    *,
    entity_type: str | None = None,
    entity_id: str | None = None,
    user_id: int | None = None,
    username: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add one audit entry. ``details`` must never contain a password or a hash."""
    session.add(
        AuditLog(
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            user_id=user_id,
            username=username,
            details=details or {},
        )
    )
