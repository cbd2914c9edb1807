"""The order lifecycle: which status changes are allowed, and why the others are not.

::

    pending ──► assigned ──► in_transit ──► delivered
       │  ◄──────┘   │            └───────► failed
       └──────┬──────┘
              ▼
          cancelled

``assigned → pending`` is how an order comes off a route. Delivered, failed and cancelled are
final: a failed or cancelled consignment that must go again is duplicated, so the record of what
happened (which the planner learns from) is never rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from senga_desktop.controllers import audit
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.models import Order
from senga_desktop.domain import OrderStatus
from senga_desktop.errors import ValidationError

__all__ = [
    "TRANSITIONS",
    "StatusChangeRefused",
    "change_status",
    "status_phrase",
    "transition_problem",
]

TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.ASSIGNED, OrderStatus.CANCELLED}),
    OrderStatus.ASSIGNED: frozenset(
        {OrderStatus.PENDING, OrderStatus.IN_TRANSIT, OrderStatus.CANCELLED}
    ),
    OrderStatus.IN_TRANSIT: frozenset({OrderStatus.DELIVERED, OrderStatus.FAILED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.FAILED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

_LABEL = {
    OrderStatus.PENDING: "a pending order",
    OrderStatus.ASSIGNED: "an assigned order",
    OrderStatus.IN_TRANSIT: "an order in transit",
    OrderStatus.DELIVERED: "a delivered order",
    OrderStatus.FAILED: "a failed order",
    OrderStatus.CANCELLED: "a cancelled order",
}
_VERB = {
    OrderStatus.PENDING: "set back to pending",
    OrderStatus.ASSIGNED: "assigned",
    OrderStatus.IN_TRANSIT: "marked in transit",
    OrderStatus.DELIVERED: "marked delivered",
    OrderStatus.FAILED: "marked failed",
    OrderStatus.CANCELLED: "cancelled",
}
_HINT = {
    OrderStatus.PENDING: {
        OrderStatus.IN_TRANSIT: "put it on a route first",
        OrderStatus.DELIVERED: "it has not left the depot",
        OrderStatus.FAILED: "it has not left the depot",
    },
    OrderStatus.ASSIGNED: {
        OrderStatus.DELIVERED: "mark it in transit when the truck leaves",
        OrderStatus.FAILED: "mark it in transit when the truck leaves",
    },
    OrderStatus.IN_TRANSIT: dict.fromkeys(
        (OrderStatus.PENDING, OrderStatus.ASSIGNED, OrderStatus.CANCELLED),
        "record it as delivered or failed",
    ),
    OrderStatus.DELIVERED: dict.fromkeys(OrderStatus, "it is finished"),
    OrderStatus.FAILED: dict.fromkeys(OrderStatus, "duplicate it to send the goods again"),
    OrderStatus.CANCELLED: dict.fromkeys(OrderStatus, "duplicate it to send the goods after all"),
}


def status_phrase(status: OrderStatus) -> str:
    """ "a delivered order", "an order in transit"… for messages."""
    return _LABEL[status]


class StatusChangeRefused(ValidationError):
    """The lifecycle does not allow this change (field ``status``)."""

    def __init__(self, message: str) -> None:
        super().__init__("status", message)


def transition_problem(current: OrderStatus, target: OrderStatus) -> str | None:
    """Why the lifecycle refuses ``current → target``, or ``None`` when it allows it."""
    if target in TRANSITIONS[current]:
        return None
    if target == current:
        return f"The order is {target.value.replace('_', ' ')} already."
    hint = _HINT.get(current, {}).get(target)
    message = f"{_LABEL[current].capitalize()} cannot be {_VERB[target]}"
    return f"{message}: {hint}." if hint else f"{message}."


def change_status(
    session: Session, actor: Actor, row: Order, target: OrderStatus, *, reason: str | None = None
) -> None:
    """Move a loaded order to ``target`` inside the caller's unit of work, and audit it.

    For other controllers too (planning assigns orders when it commits a route). Coming off a
    route (back to pending, or cancelled) clears the route link.
    """
    problem = transition_problem(row.status, target)
    if problem is not None:
        raise StatusChangeRefused(problem)
    details: dict[str, Any] = {"from": row.status.value, "to": target.value}
    if reason:
        details["reason"] = reason
    row.status = target
    if target in (OrderStatus.PENDING, OrderStatus.CANCELLED):
        row.assigned_route_id = None
    audit.record_by(
        session,
        actor,
        "order.status_changed",
        entity_type="order",
        entity_id=row.order_id,
        details=details,
    )
