"""The customer list's table model: one page of customers, as the controller read them.

Like the order list, the model holds only the page on screen (a
:class:`~senga_desktop.controllers.customers.CustomerPage` read off the GUI thread, searched and
paged by the database) and formats it; ``data()`` runs no SQL. Customers are listed by name.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from senga_desktop.controllers.customers import CustomerInfo, CustomerPage
from senga_desktop.ui.pages.orders.formatting import NONE_SHOWN, clock
from senga_desktop.ui.style import icon

AnyIndex = QModelIndex | QPersistentModelIndex
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


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


class CustomersTableModel(QAbstractTableModel):
    """Read-only rows of one page of customers; :meth:`customer` gives the row's record."""

    def __init__(self, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[CustomerInfo, ...] = ()
        self._total = 0
        self._offset = 0
        self._inactive_icon: QIcon | None = None

    def set_page(self, page: CustomerPage, *, offset: int) -> None:
        self.beginResetModel()
        self._rows = page.rows
        self._total = page.total
        self._offset = offset
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    @property
    def offset(self) -> int:
        return self._offset

    def customer(self, row: int) -> CustomerInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, customer_id: str) -> int | None:
        for row, customer in enumerate(self._rows):
            if customer.customer_id == customer_id:
                return row
        return None

    # -- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column is Column.MAX_WAIT else _LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(Column):
            return None
        customer = self.customer(index.row())
        if customer is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(customer, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(customer, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column is Column.MAX_WAIT else _LEFT
        if role == Qt.ItemDataRole.DecorationRole and column is Column.ACTIVE:
            return None if customer.is_active else self._inactive()
        if role == Qt.ItemDataRole.UserRole:
            return customer.customer_id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # -- formatting ---------------------------------------------------------------------------

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

    def _inactive(self) -> QIcon:
        if self._inactive_icon is None:
            self._inactive_icon = icon("mdi6.account-off-outline")
        return self._inactive_icon
