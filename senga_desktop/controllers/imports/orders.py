"""Importing orders from a CSV or XLSX file: the preview and the all-or-nothing commit.

Columns (``resources/templates/orders-template.csv``): ``customer_id, destination_city,
destination_address, destination_lat, destination_lon, weight_tonnes, volume_m3, window_start,
window_end, priority, special_handling, price_kes``, plus an optional ``order_number`` (an export
carries it, so an export imports again with the same numbers; without it numbers are generated).
Each row is checked with the entry form's rules (:func:`order_problems`), against customers and
trucks loaded once, so 10,000 rows cost a handful of queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.imports.columns import Column, resolve_columns
from senga_desktop.controllers.imports.preview import (
    ImportPreview,
    ImportRefused,
    ImportResult,
    RowCells,
    build_preview,
    column_texts,
    rows_to_write,
)
from senga_desktop.controllers.imports.table import read_table
from senga_desktop.controllers.imports.values import parse_choice, parse_choices
from senga_desktop.controllers.numbering import order_keys, retry_on_duplicate_key
from senga_desktop.controllers.order_validation import (
    OrderContext,
    OrderInput,
    load_order_context,
    order_problems,
)
from senga_desktop.controllers.orders import DUPLICATE_ORDER_ID
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.db.models import Order
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Priority, SpecialHandling
from senga_desktop.errors import ValidationError

__all__ = [
    "ORDER_COLUMNS",
    "ORDER_EXPORT_COLUMNS",
    "ImportedOrder",
    "commit_orders",
    "preview_orders",
]

ORDER_COLUMNS = (
    Column(
        "order_number", "the order number", synonyms=("order_id", "order_no", "order", "order_ref")
    ),
    Column(
        "customer_id",
        "the customer ID (e.g. CUST-0001)",
        required=True,
        synonyms=("customer", "customer_code", "cust_id", "customer_no", "account"),
    ),
    Column(
        "destination_city",
        "the destination town",
        required=True,
        synonyms=("destination", "town", "city", "destination_town", "delivery_town"),
    ),
    Column(
        "destination_address",
        "the street address",
        required=True,
        synonyms=("address", "delivery_address", "street_address", "street"),
    ),
    Column(
        "destination_lat",
        "the latitude",
        synonyms=("lat", "latitude", "dest_lat", "destination_latitude"),
    ),
    Column(
        "destination_lon",
        "the longitude",
        synonyms=("lon", "lng", "long", "longitude", "dest_lon", "destination_longitude"),
    ),
    Column(
        "weight_tonnes",
        "the weight in tonnes",
        required=True,
        synonyms=("weight", "tonnes", "tons", "weight_t", "weight_tons", "tonnage"),
    ),
    Column(
        "volume_m3",
        "the volume in m³",
        required=True,
        synonyms=("volume", "m3", "cbm", "volume_cbm", "cubic_metres", "cubic_meters"),
    ),
    Column(
        "window_start",
        "the start of the delivery window",
        required=True,
        synonyms=("start", "from", "window_from", "time_window_start", "deliver_from"),
    ),
    Column(
        "window_end",
        "the end of the delivery window",
        required=True,
        synonyms=("end", "to", "window_to", "time_window_end", "deliver_by", "deadline"),
    ),
    Column("priority", "the priority", synonyms=("urgency",)),
    Column(
        "special_handling",
        "the special handling",
        synonyms=("handling", "special", "special_requirements"),
    ),
    Column(
        "price_kes",
        "the price in KES",
        required=True,
        synonyms=("price", "amount", "price_ksh", "kes", "ksh", "charge"),
    ),
)
#: The template's columns, in order; an export writes these after ``order_number``.
ORDER_EXPORT_COLUMNS = tuple(c.name for c in ORDER_COLUMNS)
#: Columns an export adds for people to read; an import passes over them silently.
INFORMATIONAL = ("customer_name", "status", "created_at")
LABELS = {c.name: c.label for c in ORDER_COLUMNS}

PRIORITY_SYNONYMS = {
    "medium": Priority.NORMAL,
    "standard": Priority.NORMAL,
    "critical": Priority.URGENT,
    "emergency": Priority.URGENT,
}
HANDLING_SYNONYMS = {
    "reefer": SpecialHandling.REFRIGERATED,
    "cold": SpecialHandling.REFRIGERATED,
    "chilled": SpecialHandling.REFRIGERATED,
    "frozen": SpecialHandling.REFRIGERATED,
    "cold_chain": SpecialHandling.REFRIGERATED,
    "hazmat": SpecialHandling.HAZARDOUS,
    "dangerous": SpecialHandling.HAZARDOUS,
    "dangerous_goods": SpecialHandling.HAZARDOUS,
    "taillift": SpecialHandling.TAIL_LIFT,
    "tarpaulin": SpecialHandling.COVERED,
}
ORDER_NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$")


@dataclass(frozen=True, slots=True)
class ImportedOrder:
    """A row read from the file: the order, and its number when the file gives one."""

    order_number: str | None
    order: OrderInput


def existing_order_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    """Which of ``numbers`` the database holds already (queried in chunks)."""
    wanted = sorted(set(numbers))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(session.scalars(select(Order.order_id).where(Order.order_id.in_(chunk))))
    return found


def _placeholders(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """Stand-ins for unreadable window cells, chosen so they cause no message of their own."""
    if start is None and end is None:
        return now + timedelta(hours=1), now + timedelta(hours=2)
    if start is None:
        assert end is not None
        return end - timedelta(hours=1), end
    return start, end if end is not None else start + timedelta(hours=1)


def _parse_row(
    cells: RowCells, context: OrderContext, taken: set[str], seen: dict[str, int]
) -> ImportedOrder | None:
    zone = context.time_zone
    number = cells.text("order_number")
    if number is not None:
        if not ORDER_NUMBER_PATTERN.match(number):
            cells.problem(
                "order_number",
                f"{number!r} is not an order number: up to 32 letters, "
                "digits, '-', '_', '.' or '/'; leave it empty to have one made.",
            )
        elif number in seen:
            cells.problem(
                "order_number",
                f"{number} appears twice in the file (first in row "
                f"{seen[number]}): give each order its own number.",
            )
        elif number in taken:
            cells.problem(
                "order_number",
                f"Order {number} exists already: leave the number "
                "empty to import it as a new order, or remove the row.",
            )
        seen.setdefault(number, cells.row_number)
    customer = cells.text("customer_id", required=True)
    town = cells.text("destination_city", required=True)
    address = cells.text("destination_address", required=True)
    lat = cells.number("destination_lat")
    lon = cells.number("destination_lon")
    weight = cells.decimal("weight_tonnes", required=True)
    volume = cells.decimal("volume_m3", required=True)
    start = cells.moment("window_start", zone, required=True)
    end = cells.moment("window_end", zone, required=True, end_of_day=True)
    priority = cells.read("priority", lambda v: parse_choice(v, Priority, PRIORITY_SYNONYMS))
    handling = cells.read(
        "special_handling", lambda v: parse_choices(v, SpecialHandling, HANDLING_SYNONYMS)
    )
    price = cells.decimal("price_kes", required=True)
    window_start, window_end = _placeholders(start, end, context.now)
    data = OrderInput(
        customer_id=customer or "",
        destination_city=town or "",
        destination_address=address or "",
        weight_tonnes=weight if weight is not None else Decimal("0.001"),
        volume_m3=volume if volume is not None else Decimal("0.001"),
        window_start=window_start,
        window_end=window_end,
        price_kes=price if price is not None else Decimal(0),
        priority=priority or Priority.NORMAL,
        special_handling=handling or frozenset(),
        destination_lat=lat,
        destination_lon=lon,
    )
    cells.add(order_problems(data, context)[0])
    return None if cells.problems else ImportedOrder(number, data)


def preview_orders(
    sessions: sessionmaker[Session],
    actor: Actor,
    path: str | Path,
    *,
    now: datetime | None = None,
) -> ImportPreview[ImportedOrder]:
    """Read and check every row of the file; write nothing."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    table = read_table(path)
    columns = resolve_columns(table, ORDER_COLUMNS, informational=INFORMATIONAL)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_EDIT)
        customers = column_texts(table, columns, "customer_id")
        context = load_order_context(session, customers, now=moment)
        taken = existing_order_numbers(session, column_texts(table, columns, "order_number"))
    seen: dict[str, int] = {}
    return build_preview(
        "orders", table, columns, LABELS, lambda cells: _parse_row(cells, context, taken, seen)
    )


def commit_orders(
    sessions: sessionmaker[Session],
    actor: Actor,
    preview: ImportPreview[ImportedOrder],
    *,
    drop_bad_rows: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    """Write every good row as a pending order in one unit of work, or nothing.

    Refused (ImportRefused, nothing written) when any row is bad and ``drop_bad_rows`` is false,
    or when the database changed since the preview so that a row no longer passes (a customer
    deactivated, a number taken, a window now past).
    """
    rows = rows_to_write(preview, drop_bad_rows=drop_bad_rows)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.ORDERS_EDIT)
        items = [row.value for row in rows if row.value is not None]
        context = load_order_context(session, [i.order.customer_id for i in items], now=moment)
        explicit = [i.order_number for i in items if i.order_number]
        taken = existing_order_numbers(session, explicit)
        problems = []
        records = []
        for row, item in zip(rows, items, strict=True):
            errors, values = order_problems(item.order, context)
            if item.order_number in taken:
                errors.append(
                    ValidationError("order_number", f"Order {item.order_number} exists already.")
                )
            problems += [preview.columns.error(row.number, e.field, e.message) for e in errors]
            if values is not None:
                records.append((item.order_number, values.columns()))
        if problems:
            raise ImportRefused(
                "The database changed since the preview and some rows no longer pass; nothing "
                "was imported. Preview the file again.",
                problems,
            )
        sequence = order_keys(moment, context.time_zone)

        def insert_all() -> list[str]:
            # A retry after a clash: the clash may be a file's own number saved meanwhile.
            if explicit and (clash := existing_order_numbers(session, explicit)):
                raise ImportRefused(
                    f"Order {min(clash)} was saved by someone else while "
                    "importing; nothing was imported. Preview the file again."
                )
            missing = sum(1 for number, _ in records if number is None)
            fresh = iter(sequence.block(session, Order.order_id, missing, also=explicit))
            keys = [number or next(fresh) for number, _ in records]
            session.execute(
                insert(Order),
                [
                    {"order_id": key, "status": OrderStatus.PENDING, **columns}
                    for key, (_, columns) in zip(keys, records, strict=True)
                ],
            )
            return keys

        keys = retry_on_duplicate_key(
            session, insert_all, markers=DUPLICATE_ORDER_ID, sequence=sequence
        )
        audit.record_by(
            session,
            actor,
            "orders.imported",
            entity_type="order",
            details={
                "file": preview.source,
                "orders": len(keys),
                "first": keys[0],
                "last": keys[-1],
                "bad_rows_dropped": preview.bad,
            },
        )
    return ImportResult("orders", len(keys), preview.bad, tuple(keys))
