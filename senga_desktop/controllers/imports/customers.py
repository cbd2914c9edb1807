"""Importing customers from a CSV or XLSX file: the preview and the all-or-nothing commit.

Columns (``resources/templates/customers-template.csv``): ``customer_id, customer_name, email,
phone, address, contact_person, max_wait_hours, preferred_delivery_start,
preferred_delivery_end`` (and optional ``notes``). An empty ``customer_id`` gets the next
``CUST-NNNN``. A customer ID that exists already is an error: an import adds customers, it does not
silently overwrite ones that the depot has edited since.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.customers import (
    DUPLICATE_CUSTOMER_ID,
    CustomerInput,
    customer_columns,
    customer_problems,
    normalise_customer_id,
)
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
from senga_desktop.controllers.numbering import CUSTOMER_KEYS, retry_on_duplicate_key
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.db.models import Customer
from senga_desktop.db.uow import unit_of_work

__all__ = ["CUSTOMER_COLUMNS", "commit_customers", "preview_customers"]

CUSTOMER_COLUMNS = (
    Column(
        "customer_id",
        "the customer ID",
        synonyms=("id", "customer_code", "code", "account", "account_no", "cust_id"),
    ),
    Column(
        "customer_name",
        "the customer's name",
        required=True,
        synonyms=("name", "customer", "company", "company_name", "business_name"),
    ),
    Column("email", "the e-mail address", synonyms=("e_mail", "email_address", "mail")),
    Column(
        "phone",
        "the phone number",
        synonyms=("phone_number", "telephone", "tel", "mobile", "mobile_number"),
    ),
    Column("address", "the address", synonyms=("physical_address", "location", "street_address")),
    Column("contact_person", "the contact person", synonyms=("contact", "contact_name")),
    Column(
        "max_wait_hours",
        "the longest wait in hours",
        synonyms=("max_wait", "max_wait_h", "wait_hours"),
    ),
    Column(
        "preferred_delivery_start",
        "the start of the delivery hours",
        synonyms=("delivery_start", "delivery_from", "opens", "opening_time"),
    ),
    Column(
        "preferred_delivery_end",
        "the end of the delivery hours",
        synonyms=("delivery_end", "delivery_to", "closes", "closing_time"),
    ),
    Column("notes", "notes", synonyms=("note", "comments", "remarks")),
)
LABELS = {c.name: c.label for c in CUSTOMER_COLUMNS}


def existing_customer_ids(session: Session, keys: Iterable[str]) -> set[str]:
    wanted = sorted({normalise_customer_id(k) for k in keys if k})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        statement = select(Customer.customer_id).where(Customer.customer_id.in_(chunk))
        found.update(session.scalars(statement))
    return found


def _parse_row(cells: RowCells, taken: set[str], seen: dict[str, int]) -> CustomerInput | None:
    key = cells.text("customer_id")
    if key is not None:
        key = normalise_customer_id(key)
        if key in seen:
            cells.problem(
                "customer_id",
                f"{key} appears twice in the file (first in row "
                f"{seen[key]}): give each customer its own ID.",
            )
        elif key in taken:
            cells.problem(
                "customer_id",
                f"There is a customer {key} already: remove the row, "
                "or leave the ID empty to add a new customer.",
            )
        seen.setdefault(key, cells.row_number)
    data = CustomerInput(
        customer_name=cells.text("customer_name", required=True) or "",
        customer_id=key,
        email=cells.text("email"),
        phone=cells.text("phone"),
        address=cells.text("address"),
        contact_person=cells.text("contact_person"),
        max_wait_hours=cells.integer("max_wait_hours"),
        preferred_delivery_start=cells.time_of_day("preferred_delivery_start"),
        preferred_delivery_end=cells.time_of_day("preferred_delivery_end"),
        notes=cells.read("notes", lambda v: str(v).strip()),
    )
    errors, clean = customer_problems(data)
    cells.add(errors)
    return None if cells.problems else clean


def preview_customers(
    sessions: sessionmaker[Session], actor: Actor, path: str | Path
) -> ImportPreview[CustomerInput]:
    """Read and check every row of the file; write nothing."""
    table = read_table(path)
    columns = resolve_columns(table, CUSTOMER_COLUMNS)
    keys = column_texts(table, columns, "customer_id")
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.CUSTOMERS_EDIT)
        taken = existing_customer_ids(session, keys)
    seen: dict[str, int] = {}
    return build_preview(
        "customers", table, columns, LABELS, lambda cells: _parse_row(cells, taken, seen)
    )


def commit_customers(
    sessions: sessionmaker[Session],
    actor: Actor,
    preview: ImportPreview[CustomerInput],
    *,
    drop_bad_rows: bool = False,
) -> ImportResult:
    """Add every good row as a customer in one unit of work, or nothing."""
    rows = rows_to_write(preview, drop_bad_rows=drop_bad_rows)
    items = [row.value for row in rows if row.value is not None]
    explicit = [i.customer_id for i in items if i.customer_id]
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.CUSTOMERS_EDIT)
        taken = existing_customer_ids(session, explicit)
        problems = [
            preview.columns.error(
                row.number, "customer_id", f"There is a customer {item.customer_id} already."
            )
            for row, item in zip(rows, items, strict=True)
            if item.customer_id in taken
        ]
        if problems:
            raise ImportRefused(
                "Customers were added since the preview; nothing was imported. Preview the file "
                "again.",
                problems,
            )

        def insert_all() -> list[str]:
            if explicit and (clash := existing_customer_ids(session, explicit)):
                raise ImportRefused(
                    f"Customer {min(clash)} was added by someone else while "
                    "importing; nothing was imported. Preview the file again."
                )
            missing = sum(1 for i in items if not i.customer_id)
            fresh = iter(CUSTOMER_KEYS.block(session, Customer.customer_id, missing, explicit))
            keys = [i.customer_id or next(fresh) for i in items]
            session.execute(
                insert(Customer),
                [
                    {"customer_id": key, **customer_columns(item)}
                    for key, item in zip(keys, items, strict=True)
                ],
            )
            return keys

        keys = retry_on_duplicate_key(
            session, insert_all, markers=DUPLICATE_CUSTOMER_ID, sequence=CUSTOMER_KEYS
        )
        audit.record_by(
            session,
            actor,
            "customers.imported",
            entity_type="customer",
            details={"file": preview.source, "customers": keys, "bad_rows_dropped": preview.bad},
        )
    return ImportResult("customers", len(keys), preview.bad, tuple(keys))
