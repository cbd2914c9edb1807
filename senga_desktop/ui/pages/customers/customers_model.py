"""The customer list's table model: one page of customers, as the controller read them.

Like the order list, the model holds only the page on screen (a
:class:`~senga_desktop.controllers.customers.CustomerPage` read off the GUI thread, searched and
paged by the database) and formats it; ``data()`` runs no SQL. Customers are listed by name.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import Qt

from senga_desktop.controllers.customers import CustomerInfo
from senga_desktop.ui.pages.orders.formatting import NONE_SHOWN, clock
from senga_desktop.ui.widgets.table_models import LEFT, RIGHT, PageTableModel


class Column(enum.IntEnum):
    """The customer list's columns, in order."""

    CUSTOMER_ID = 0
    NAME = 1
    PHONE = 2
    EMAIL = 3
    CONTACT = 4
    ADDRESS = 5
    MAX_WAIT = 6
    HOURS = 7
    ACTIVE = 8


HEADERS = {
    Column.CUSTOMER_ID: "ID",
    Column.NAME: "Name",
    Column.PHONE: "Phone",
    Column.EMAIL: "E-mail",
    Column.CONTACT: "Contact person",
    Column.ADDRESS: "Address",
    Column.MAX_WAIT: "Longest wait",
    Column.HOURS: "Delivery hours",
    Column.ACTIVE: "Active",
}
TOOLTIPS = {
    Column.MAX_WAIT: "The longest an order of this customer may wait for delivery, in hours.",
    Column.HOURS: "When the customer prefers deliveries (depot time).",
    Column.ACTIVE: "Deactivated customers are not offered for new orders; their orders stay.",
}


def phone_text(phone: str | None) -> str:
    """``+254 722 410 385`` from the stored ``+254722410385``."""
    if not phone:
        return NONE_SHOWN
    if phone.startswith("+254") and len(phone) == 13:
        return f"+254 {phone[4:7]} {phone[7:10]} {phone[10:]}"
    return phone


def hours_text(customer: CustomerInfo) -> str:
    start, end = customer.preferred_delivery_start, customer.preferred_delivery_end
    if start is None or end is None:
        return NONE_SHOWN
    return f"{clock(start)}\N{EN DASH}{clock(end)}"


class CustomersTableModel(PageTableModel):
    """Read-only rows of one page of customers; :meth:`customer` gives the row's record."""

    columns = Column
    headers = HEADERS

    def customer(self, row: int) -> CustomerInfo | None:
        return self.record(row)

    # -- formatting ---------------------------------------------------------------------------

    def _key(self, record: CustomerInfo) -> str:
        return record.customer_id

    def _header_tooltip(self, column: Column) -> str | None:
        return TOOLTIPS.get(column)

    def _alignment(self, column: Column) -> Qt.AlignmentFlag:
        return RIGHT if column is Column.MAX_WAIT else LEFT

    def _extra_data(self, record: CustomerInfo, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column is Column.ACTIVE:
            return None if record.is_active else self._icon("mdi6.account-off-outline")
        return None

    @staticmethod
    def _display(customer: CustomerInfo, column: Column) -> str:
        if column is Column.CUSTOMER_ID:
            return customer.customer_id
        if column is Column.NAME:
            return customer.customer_name
        if column is Column.PHONE:
            return phone_text(customer.phone)
        if column is Column.EMAIL:
            return customer.email or NONE_SHOWN
        if column is Column.CONTACT:
            return customer.contact_person or NONE_SHOWN
        if column is Column.ADDRESS:
            return customer.address or NONE_SHOWN
        if column is Column.MAX_WAIT:
            wait = customer.max_wait_hours
            return NONE_SHOWN if wait is None else f"{wait:,} h"
        if column is Column.HOURS:
            return hours_text(customer)
        return "Yes" if customer.is_active else "No"

    @staticmethod
    def _tooltip(customer: CustomerInfo, column: Column) -> str | None:
        if column is Column.NAME and customer.notes:
            return customer.notes
        if column is Column.ADDRESS and customer.address:
            return customer.address
        if column is Column.ACTIVE and not customer.is_active:
            return TOOLTIPS[Column.ACTIVE]
        return None
