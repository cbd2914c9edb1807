"""Customers: the list, type-to-search, entry and editing, deactivation.

Callers see typed fields (:class:`CustomerInput`, :class:`CustomerInfo`); the JSON documents of the
table stay inside this module: ``constraints`` holds ``max_wait_hours`` and ``preferences`` holds
the preferred delivery hours, the contact person and notes. Keys of those documents this module
does not know (written by planning, say) are kept on every update.

Everyone may look customers up (``customers.view``); managers and administrators change them
(``customers.edit``). Every change is audited with the fields' old and new values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.numbering import (
    CUSTOMER_KEYS,
    describe_change,
    retry_on_duplicate_key,
)
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.db.models import Customer
from senga_desktop.db.uow import unit_of_work
from senga_desktop.errors import AlreadyExists, NotFound, ValidationError

__all__ = [
    "CustomerInfo",
    "CustomerInput",
    "CustomerInvalid",
    "CustomerPage",
    "CustomerQuery",
    "CustomerRef",
    "InvalidInput",
    "create_customer",
    "customer_problems",
    "deactivate_customer",
    "get_customer",
    "list_customers",
    "normalise_phone",
    "reactivate_customer",
    "search_customers",
    "update_customer",
]

CUSTOMER_ID_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,31}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Kenyan numbers have 9 digits after the country code: mobiles 7xx / 1xx, landlines 20 (Nairobi),
#: 41 (Mombasa)… Excel drops the leading 0 of a number typed as 0722…, hence the bare 9 digits.
_PHONE = re.compile(r"^(?:\+254|00254|254|0)?([1-9]\d{8})$")
_PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")
DUPLICATE_CUSTOMER_ID = ("uq_customers_customer_id", "customers.customer_id")
MAX_WAIT_HOURS = 720  # 30 days


class InvalidInput(ValidationError):
    """Several fields are wrong at once: ``errors`` has one ValidationError per problem.

    ``field`` and the message are the first problem's, so code that shows one message still
    shows a sensible one. (Proposed for :mod:`senga_desktop.errors`.)
    """

    def __init__(self, errors: Sequence[ValidationError]) -> None:
        if not errors:
            raise ValueError("InvalidInput needs at least one error")
        super().__init__(errors[0].field, errors[0].message)
        self.errors = tuple(errors)
        if len(self.errors) > 1:
            self.message = "; ".join(f"{e.field}: {e.message}" for e in self.errors)

    def for_field(self, field: str) -> list[str]:
        """The messages to show under ``field``."""
        return [e.message for e in self.errors if e.field == field]


class CustomerInvalid(InvalidInput):
    """A customer was refused; each error names its field."""


@dataclass(frozen=True, slots=True)
class CustomerInput:
    """What the customer form (or an import row) holds. ``customer_id`` ``None``: generate one.

    The field names are the customers template's column names (plus ``notes``).
    """

    customer_name: str
    customer_id: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    contact_person: str | None = None
    max_wait_hours: int | None = None
    preferred_delivery_start: time | None = None
    preferred_delivery_end: time | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class CustomerInfo:
    """A customer as screens see it."""

    id: int
    customer_id: str
    customer_name: str
    email: str | None
    phone: str | None
    address: str | None
    contact_person: str | None
    max_wait_hours: int | None
    preferred_delivery_start: time | None
    preferred_delivery_end: time | None
    notes: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime

    def to_input(self) -> CustomerInput:
        """The form's starting values for editing this customer."""
        fields = {k: getattr(self, k) for k in CustomerInput.__dataclass_fields__}
        return CustomerInput(**fields)


@dataclass(frozen=True, slots=True)
class CustomerRef:
    """Just enough of a customer to validate orders against it."""

    pk: int
    customer_id: str
    name: str
    is_active: bool


@dataclass(frozen=True, slots=True)
class CustomerQuery:
    """One page of the customer list. ``active`` ``None`` lists active and inactive customers."""

    text: str = ""
    active: bool | None = True
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True, slots=True)
class CustomerPage:
    rows: tuple[CustomerInfo, ...]
    total: int


def normalise_customer_id(raw: str) -> str:
    return raw.strip().upper()


def normalise_phone(raw: str | None) -> str | None:
    """``+2547XXXXXXXX`` from any usual Kenyan spelling; ValueError when it is not one."""
    if raw is None or not raw.strip():
        return None
    digits = _PHONE_PUNCTUATION.sub("", raw.strip())
    match = _PHONE.match(digits)
    if match is None:
        raise ValueError(
            f"{raw.strip()!r} is not a Kenyan phone number: write it as 0722 410 385 or "
            "+254 722 410 385."
        )
    return f"+254{match.group(1)}"


def _text(
    value: str | None, limit: int, field: str, what: str, errors: list[ValidationError]
) -> str | None:
    if value is None:
        return None
    clean = " ".join(value.split())
    if len(clean) > limit:
        errors.append(ValidationError(field, f"Keep the {what} under {limit} characters."))
    return clean or None


def customer_problems(
    data: CustomerInput,
) -> tuple[list[ValidationError], CustomerInput | None]:
    """Every problem of ``data`` and, when there is none, the normalised input."""
    errors: list[ValidationError] = []
    name = _text(data.customer_name, 200, "customer_name", "name", errors)
    if not name:
        errors.append(ValidationError("customer_name", "Give the customer's name."))
    key = None
    if data.customer_id is not None and data.customer_id.strip():
        key = normalise_customer_id(data.customer_id)
        if not CUSTOMER_ID_PATTERN.match(key):
            errors.append(
                ValidationError(
                    "customer_id",
                    "A customer ID has up to 32 letters, digits, '-', '_', '.' or '/' "
                    "(e.g. CUST-0042); leave it empty to have one made.",
                )
            )
    email = _text(data.email, 254, "email", "e-mail address", errors)
    if email and not EMAIL_PATTERN.match(email):
        errors.append(
            ValidationError("email", f"{email!r} is not an e-mail address (name@example.co.ke).")
        )
    phone = None
    try:
        phone = normalise_phone(data.phone)
    except ValueError as exc:
        errors.append(ValidationError("phone", str(exc)))
    hours = data.max_wait_hours
    if hours is not None and not 1 <= hours <= MAX_WAIT_HOURS:
        errors.append(
            ValidationError(
                "max_wait_hours",
                f"The longest wait must be between 1 and {MAX_WAIT_HOURS} hours (30 days); "
                "leave it empty for no limit.",
            )
        )
    start, end = data.preferred_delivery_start, data.preferred_delivery_end
    if (start is None) != (end is None):
        missing = "preferred_delivery_end" if end is None else "preferred_delivery_start"
        errors.append(ValidationError(missing, "Give both ends of the delivery hours, or neither."))
    elif start is not None and end is not None and end <= start:
        errors.append(
            ValidationError(
                "preferred_delivery_end",
                f"The delivery hours must end after they start ({start:%H:%M}).",
            )
        )
    clean = CustomerInput(
        customer_name=name or "",
        customer_id=key,
        email=email,
        phone=phone,
        address=_text(data.address, 500, "address", "address", errors),
        contact_person=_text(data.contact_person, 120, "contact_person", "contact name", errors),
        max_wait_hours=hours,
        preferred_delivery_start=start,
        preferred_delivery_end=end,
        notes=(data.notes or "").strip()[:2000] or None,
    )
    return errors, (None if errors else clean)


def _time_text(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _parse_time(value: Any) -> time | None:
    if not isinstance(value, str):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def _info(row: Customer) -> CustomerInfo:
    constraints, preferences = row.constraints or {}, row.preferences or {}
    wait = constraints.get("max_wait_hours")
    return CustomerInfo(
        id=row.id,
        customer_id=row.customer_id,
        customer_name=row.customer_name,
        email=row.email,
        phone=row.phone,
        address=row.address,
        contact_person=preferences.get("contact_person"),
        max_wait_hours=int(wait) if isinstance(wait, int | float) else None,
        preferred_delivery_start=_parse_time(preferences.get("preferred_delivery_start")),
        preferred_delivery_end=_parse_time(preferences.get("preferred_delivery_end")),
        notes=preferences.get("notes"),
        is_active=row.is_active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def customer_columns(
    data: CustomerInput,
    constraints: dict[str, Any] | None = None,
    preferences: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Column values for validated ``data``, keeping unknown keys of the JSON documents."""
    kept_constraints = {k: v for k, v in (constraints or {}).items() if k != "max_wait_hours"}
    if data.max_wait_hours is not None:
        kept_constraints["max_wait_hours"] = data.max_wait_hours
    ours = {
        "preferred_delivery_start": _time_text(data.preferred_delivery_start),
        "preferred_delivery_end": _time_text(data.preferred_delivery_end),
        "contact_person": data.contact_person,
        "notes": data.notes,
    }
    kept_preferences = {k: v for k, v in (preferences or {}).items() if k not in ours}
    kept_preferences |= {k: v for k, v in ours.items() if v is not None}
    return {
        "customer_name": data.customer_name,
        "email": data.email,
        "phone": data.phone,
        "address": data.address,
        "constraints": kept_constraints,
        "preferences": kept_preferences,
    }


def contains_any(session: Session, columns: Iterable[Any], text: str) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``text``, ignoring case, with ``%`` and ``_`` taken literally.

    SQLite's LIKE already ignores ASCII case, and wrapping columns in lower() (what SQLAlchemy's
    ilike() does there) only slows the scan; PostgreSQL needs ILIKE.
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    postgres = session.get_bind().dialect.name == "postgresql"
    return or_(
        *(
            column.ilike(pattern, escape="\\") if postgres else column.like(pattern, escape="\\")
            for column in columns
        )
    )


def _filtered(session: Session, query: CustomerQuery) -> Select[Any]:
    statement = select(Customer)
    if query.active is not None:
        statement = statement.where(Customer.is_active.is_(query.active))
    text = query.text.strip()
    if text:
        columns = (Customer.customer_name, Customer.customer_id, Customer.email, Customer.phone)
        condition = contains_any(session, columns, text)
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 6:  # a phone number typed as 0722… matches the stored +254722…
            condition = condition | Customer.phone.like(f"%{digits.lstrip('0')}%")
        statement = statement.where(condition)
    return statement


def list_customers(
    sessions: sessionmaker[Session], actor: Actor, query: CustomerQuery = CustomerQuery()
) -> CustomerPage:
    """One page of customers by name (then id, so pages never overlap), and how many match."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.CUSTOMERS_VIEW)
        statement = _filtered(session, query)
        total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        page = statement.order_by(Customer.customer_name, Customer.id)
        page = page.offset(max(0, query.offset)).limit(max(0, query.limit))
        return CustomerPage(tuple(_info(c) for c in session.scalars(page)), total)


def search_customers(
    sessions: sessionmaker[Session], actor: Actor, text: str, *, limit: int = 20
) -> tuple[CustomerInfo, ...]:
    """Active customers matching ``text`` (name, ID, e-mail, phone): the order form's picker."""
    return list_customers(sessions, actor, CustomerQuery(text=text, limit=limit)).rows


def _by_key(session: Session, customer_id: str) -> Customer:
    key = normalise_customer_id(customer_id)
    row = session.scalars(select(Customer).where(Customer.customer_id == key)).first()
    if row is None:
        raise NotFound(f"There is no customer {key}.")
    return row


def get_customer(sessions: sessionmaker[Session], actor: Actor, customer_id: str) -> CustomerInfo:
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.CUSTOMERS_VIEW)
        return _info(_by_key(session, customer_id))


def load_customer_refs(session: Session, customer_ids: Iterable[str]) -> dict[str, CustomerRef]:
    """The customers with these keys (case-insensitive), for order validation; missing are left
    out. Queried in chunks so a 10,000-row import stays within any bound-parameter limit."""
    keys = sorted({normalise_customer_id(k) for k in customer_ids if k and k.strip()})
    found: dict[str, CustomerRef] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        statement = select(
            Customer.id, Customer.customer_id, Customer.customer_name, Customer.is_active
        ).where(Customer.customer_id.in_(chunk))
        for pk, key, name, active in session.execute(statement):
            found[key] = CustomerRef(pk, key, name, active)
    return found


def _invalid_or_clean(data: CustomerInput) -> CustomerInput:
    errors, clean = customer_problems(data)
    if clean is None:
        raise CustomerInvalid(errors)
    return clean


def create_customer(
    sessions: sessionmaker[Session], actor: Actor, data: CustomerInput
) -> CustomerInfo:
    """Add a customer, generating ``CUST-NNNN`` when no ID is given."""
    clean = _invalid_or_clean(data)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.CUSTOMERS_EDIT)

        def insert() -> Customer:
            # Checked on every try: a retry after a clash may be this very ID saved meanwhile.
            if clean.customer_id is not None:
                taken = select(Customer.id).where(Customer.customer_id == clean.customer_id)
                if session.scalar(taken) is not None:
                    raise AlreadyExists(f"There is a customer {clean.customer_id} already.")
            key = clean.customer_id or CUSTOMER_KEYS.block(session, Customer.customer_id, 1)[0]
            row = Customer(customer_id=key, **customer_columns(clean))
            session.add(row)
            session.flush()
            return row

        row = retry_on_duplicate_key(
            session, insert, markers=DUPLICATE_CUSTOMER_ID, sequence=CUSTOMER_KEYS
        )
        session.refresh(row)  # server-set timestamps and is_active
        info = _info(row)
        details = {k: str(v) for k, v in asdict(info.to_input()).items() if v is not None}
        audit.record_by(
            session,
            actor,
            "customer.created",
            entity_type="customer",
            entity_id=info.customer_id,
            details=details,
        )
        return info


def update_customer(
    sessions: sessionmaker[Session], actor: Actor, customer_id: str, data: CustomerInput
) -> CustomerInfo:
    """Change a customer's details; its ID stays (orders and files refer to it)."""
    clean = _invalid_or_clean(replace(data, customer_id=None))
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.CUSTOMERS_EDIT)
        row = _by_key(session, customer_id)
        before = _info(row)
        for name, value in customer_columns(clean, row.constraints, row.preferences).items():
            setattr(row, name, value)
        session.flush()
        session.refresh(row)
        after = _info(row)
        changes = {
            name: describe_change(getattr(before, name), getattr(after, name))
            for name in CustomerInput.__dataclass_fields__
            if getattr(before, name) != getattr(after, name)
        }
        if changes:
            audit.record_by(
                session,
                actor,
                "customer.updated",
                entity_type="customer",
                entity_id=row.customer_id,
                details=changes,
            )
        return after


def _set_active(
    sessions: sessionmaker[Session], actor: Actor, customer_id: str, active: bool
) -> CustomerInfo:
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.CUSTOMERS_EDIT)
        row = _by_key(session, customer_id)
        if row.is_active != active:
            row.is_active = active
            session.flush()
            session.refresh(row)
            action = "customer.reactivated" if active else "customer.deactivated"
            audit.record_by(
                session, actor, action, entity_type="customer", entity_id=row.customer_id
            )
        return _info(row)


def deactivate_customer(
    sessions: sessionmaker[Session], actor: Actor, customer_id: str
) -> CustomerInfo:
    """Hide a customer from order entry; its orders and history stay. Idempotent."""
    return _set_active(sessions, actor, customer_id, False)


def reactivate_customer(
    sessions: sessionmaker[Session], actor: Actor, customer_id: str
) -> CustomerInfo:
    return _set_active(sessions, actor, customer_id, True)
