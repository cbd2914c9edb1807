"""Orders: entry, editing with an optimistic lock, duplication and the status lifecycle.

The status lifecycle is :mod:`senga_desktop.controllers.order_status`.

Editing: a pending order may change in every field. An assigned order may only change what does not
invalidate its route (price, priority, the street address text); anything else means setting it
back to pending first. Orders in transit or finished are not edited. Every write takes the
``version`` the caller read and refuses with :class:`~senga_desktop.errors.StaleDataError` when
someone saved the order in between.

Everyone enters orders (``orders.edit`` belongs to dispatchers too); every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError as OrmStaleDataError

from senga_desktop.controllers import audit
from senga_desktop.controllers.numbering import describe_change, order_keys, retry_on_duplicate_key
from senga_desktop.controllers.order_status import (
    TRANSITIONS,
    StatusChangeRefused,
    change_status,
    status_phrase,
    transition_problem,
)
from senga_desktop.controllers.order_validation import (
    OrderContext,
    OrderInput,
    OrderInvalid,
    OrderValues,
    Place,
    load_order_context,
    order_problems,
)
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.db.models import Order
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Priority, SpecialHandling
from senga_desktop.errors import NotFound, StaleDataError, ValidationError

__all__ = [
    "TRANSITIONS",
    "OrderInfo",
    "OrderInput",
    "OrderInvalid",
    "Place",
    "StatusChangeRefused",
    "cancel_order",
    "change_status",
    "create_order",
    "duplicate_order",
    "get_order",
    "set_status",
    "transition_problem",
    "update_order",
    "validate_order",
]

DUPLICATE_ORDER_ID = ("uq_orders_order_id", "orders.order_id")

#: Fields an assigned order may change without spoiling the route it is on.
EDITABLE_WHILE_ASSIGNED = frozenset({"price_kes", "priority", "destination_address"})


@dataclass(frozen=True, slots=True)
class OrderInfo:
    """An order as the form and detail views see it."""

    id: int
    order_number: str
    customer_id: str
    customer_name: str
    pickup: Place
    destination_city: str
    destination_address: str
    destination_lat: float
    destination_lon: float
    weight_tonnes: Decimal
    volume_m3: Decimal
    window_start: datetime
    window_end: datetime
    priority: Priority
    special_handling: frozenset[SpecialHandling]
    price_kes: Decimal
    status: OrderStatus
    version: int
    assigned_route_id: int | None
    created_at: datetime
    updated_at: datetime

    def to_input(self) -> OrderInput:
        """The form's starting values for editing (or duplicating) this order."""
        return OrderInput(
            customer_id=self.customer_id,
            destination_city=self.destination_city,
            destination_address=self.destination_address,
            weight_tonnes=self.weight_tonnes,
            volume_m3=self.volume_m3,
            window_start=self.window_start,
            window_end=self.window_end,
            price_kes=self.price_kes,
            priority=self.priority,
            special_handling=self.special_handling,
            destination_lat=self.destination_lat,
            destination_lon=self.destination_lon,
            pickup=self.pickup,
        )


def _handling(values: list[str]) -> frozenset[SpecialHandling]:
    known = {h.value for h in SpecialHandling}
    return frozenset(SpecialHandling(v) for v in values if v in known)


def order_info(row: Order) -> OrderInfo:
    """The info of a loaded order (its customer is loaded too)."""
    destination = Place.from_location(row.destination_location)
    return OrderInfo(
        id=row.id,
        order_number=row.order_id,
        customer_id=row.customer.customer_id,
        customer_name=row.customer.customer_name,
        pickup=Place.from_location(row.pickup_location),
        destination_city=row.destination_city,
        destination_address=destination.address,
        destination_lat=destination.lat,
        destination_lon=destination.lon,
        weight_tonnes=row.weight_tonnes,
        volume_m3=row.volume_m3,
        window_start=row.time_window_start,
        window_end=row.time_window_end,
        priority=row.priority,
        special_handling=_handling(row.special_handling or []),
        price_kes=row.price_kes,
        status=row.status,
        version=row.version,
        assigned_route_id=row.assigned_route_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _now(now: datetime | None) -> datetime:
    return now.astimezone(UTC) if now is not None else datetime.now(UTC)


def _load(session: Session, order_number: str, *, for_version: int | None = None) -> Order:
    statement = (
        select(Order).options(joinedload(Order.customer)).where(Order.order_id == order_number)
    )
    row = session.scalars(statement).first()
    if row is None:
        raise NotFound(f"There is no order {order_number}: it may have been deleted.")
    if for_version is not None and row.version != for_version:
        raise StaleDataError(
            f"Order {order_number} was changed by someone else since you opened it. "
            "Reopen it to see their changes, then make yours again.",
            keys=[order_number],
        )
    return row


def _validated(data: OrderInput, context: OrderContext, *, check_past: bool = True) -> OrderValues:
    errors, values = order_problems(data, context, check_past=check_past)
    if values is None:
        raise OrderInvalid(errors)
    return values


def validate_order(
    sessions: sessionmaker[Session], actor: Actor, data: OrderInput, *, now: datetime | None = None
) -> list[ValidationError]:
    """Every problem of ``data`` as it stands in the database now (empty when it can be saved).

    For the entry form's inline messages; saving checks again.
    """
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_EDIT)
        context = load_order_context(session, [data.customer_id], now=_now(now))
        return order_problems(data, context)[0]


def get_order(sessions: sessionmaker[Session], actor: Actor, order_number: str) -> OrderInfo:
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_VIEW)
        return order_info(_load(session, order_number))


def _insert(session: Session, values: OrderValues, context: OrderContext) -> Order:
    keys = order_keys(context.now, context.time_zone)

    def attempt() -> Order:
        row = Order(
            order_id=keys.block(session, Order.order_id, 1)[0],
            status=OrderStatus.PENDING,
            **values.columns(),
        )
        session.add(row)
        session.flush()
        return row

    row = retry_on_duplicate_key(session, attempt, markers=DUPLICATE_ORDER_ID, sequence=keys)
    session.refresh(row)
    return row


def _audit_details(values: OrderValues) -> dict[str, Any]:
    return {
        "customer": values.customer_name,
        "destination_city": values.destination_city,
        "weight_tonnes": str(values.weight_tonnes),
        "volume_m3": str(values.volume_m3),
        "window_start": values.window_start.isoformat(),
        "window_end": values.window_end.isoformat(),
        "price_kes": str(values.price_kes),
    }


def create_order(
    sessions: sessionmaker[Session], actor: Actor, data: OrderInput, *, now: datetime | None = None
) -> OrderInfo:
    """Save a new pending order with a generated number; OrderInvalid lists every problem."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_EDIT)
        context = load_order_context(session, [data.customer_id], now=_now(now))
        values = _validated(data, context)
        row = _insert(session, values, context)
        audit.record_by(
            session,
            actor,
            "order.created",
            entity_type="order",
            entity_id=row.order_id,
            details=_audit_details(values),
        )
        return order_info(row)


def _snapshot(customer_id: str, values: OrderValues) -> dict[str, Any]:
    """The normalised content of an order by OrderInput field, to tell what an edit changes."""
    return {
        "customer_id": customer_id,
        "destination_city": values.destination_city,
        "destination_address": values.destination.address,
        "weight_tonnes": values.weight_tonnes,
        "volume_m3": values.volume_m3,
        "window_start": values.window_start,
        "window_end": values.window_end,
        "price_kes": values.price_kes,
        "priority": values.priority,
        "special_handling": ",".join(values.special_handling),
        "destination_lat": values.destination.lat,
        "destination_lon": values.destination.lon,
        "pickup": values.pickup,
    }


def _info_snapshot(info: OrderInfo) -> dict[str, Any]:
    return {
        "customer_id": info.customer_id,
        "destination_city": info.destination_city,
        "destination_address": info.destination_address,
        "weight_tonnes": info.weight_tonnes,
        "volume_m3": info.volume_m3,
        "window_start": info.window_start,
        "window_end": info.window_end,
        "price_kes": info.price_kes,
        "priority": info.priority,
        "special_handling": ",".join(sorted(h.value for h in info.special_handling)),
        "destination_lat": info.destination_lat,
        "destination_lon": info.destination_lon,
        "pickup": info.pickup,
    }


def update_order(
    sessions: sessionmaker[Session],
    actor: Actor,
    order_number: str,
    data: OrderInput,
    *,
    version: int,
    now: datetime | None = None,
) -> OrderInfo:
    """Save changes to an order read at ``version`` (see the module notes for what may change)."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_EDIT)
        row = _load(session, order_number, for_version=version)
        before = order_info(row)
        if row.status not in (OrderStatus.PENDING, OrderStatus.ASSIGNED):
            raise StatusChangeRefused(
                f"{status_phrase(row.status).capitalize()} cannot be edited: duplicate it instead."
            )
        context = load_order_context(session, [data.customer_id], now=_now(now))
        moved = (data.window_start, data.window_end) != (before.window_start, before.window_end)
        values = _validated(data, context, check_past=moved)
        key = data.customer_id.strip().upper()
        old, new = _info_snapshot(before), _snapshot(key, values)
        changed = [name for name in old if old[name] != new[name]]
        if row.status is OrderStatus.ASSIGNED:
            locked = [name for name in changed if name not in EDITABLE_WHILE_ASSIGNED]
            if locked:
                raise OrderInvalid(
                    [
                        ValidationError(
                            name,
                            "The order is on a route: set it back to pending before changing this.",
                        )
                        for name in locked
                    ]
                )
        for name, value in values.columns().items():
            setattr(row, name, value)
        try:
            session.flush()
        except OrmStaleDataError as exc:  # saved by someone else between our read and write
            raise StaleDataError(
                f"Order {order_number} was changed by someone else while you were saving. "
                "Reopen it to see their changes.",
                keys=[order_number],
            ) from exc
        session.refresh(row)
        after = order_info(row)
        if changed:
            audit.record_by(
                session,
                actor,
                "order.updated",
                entity_type="order",
                entity_id=order_number,
                details={name: describe_change(old[name], new[name]) for name in changed},
            )
        return after


def set_status(
    sessions: sessionmaker[Session],
    actor: Actor,
    order_number: str,
    target: OrderStatus,
    *,
    version: int,
    reason: str | None = None,
) -> OrderInfo:
    """Move an order read at ``version`` along its lifecycle."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_EDIT)
        row = _load(session, order_number, for_version=version)
        change_status(session, actor, row, target, reason=reason)
        try:
            session.flush()
        except OrmStaleDataError as exc:
            raise StaleDataError(
                f"Order {order_number} was changed by someone else meanwhile. Reopen it.",
                keys=[order_number],
            ) from exc
        session.refresh(row)
        return order_info(row)


def cancel_order(
    sessions: sessionmaker[Session],
    actor: Actor,
    order_number: str,
    *,
    version: int,
    reason: str | None = None,
) -> OrderInfo:
    return set_status(
        sessions, actor, order_number, OrderStatus.CANCELLED, version=version, reason=reason
    )


def shifted_window(start: datetime, end: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The window moved on by whole days until it starts in the future; unchanged if it does.

    Whole days keep the time of day the customer asked for.
    """
    if start >= now:
        return start, end
    days = -((start - now) // timedelta(days=1))  # the fewest whole days that reach ``now``
    return start + timedelta(days=days), end + timedelta(days=days)


def duplicate_order(
    sessions: sessionmaker[Session],
    actor: Actor,
    order_number: str,
    *,
    now: datetime | None = None,
) -> OrderInfo:
    """A new pending order with the same content and a new number (the window moved if past)."""
    moment = _now(now)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_EDIT)
        source = order_info(_load(session, order_number))
        start, end = shifted_window(source.window_start, source.window_end, moment)
        data = replace(source.to_input(), window_start=start, window_end=end)
        context = load_order_context(session, [data.customer_id], now=moment)
        values = _validated(data, context)
        row = _insert(session, values, context)
        details = _audit_details(values) | {"duplicate_of": order_number}
        audit.record_by(
            session,
            actor,
            "order.created",
            entity_type="order",
            entity_id=row.order_id,
            details=details,
        )
        return order_info(row)
