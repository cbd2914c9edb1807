"""The customer dialog: a new customer, or one to edit (or, for dispatchers, to read).

Proper fields for what the database keeps in JSON documents: the longest an order may wait
(``max_wait_hours``, "No limit" by default), the preferred delivery hours (a pair of times, or
none), the contact person and notes. The controller checks everything and answers with every
problem at once (:class:`~senga_desktop.controllers.customers.CustomerInvalid`); each is shown
under its own field. The customer ID is given once, at creation (empty: the next ``CUST-NNNN``),
because orders and files refer to it.
"""

from __future__ import annotations

from datetime import time
from functools import partial
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from senga_desktop.controllers.customers import (
    MAX_WAIT_HOURS,
    CustomerInfo,
    CustomerInput,
    create_customer,
    update_customer,
)
from senga_desktop.errors import AlreadyExists, SengaError, ValidationError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings.page import FieldMessage
from senga_desktop.ui.style import unit
from senga_desktop.ui.widgets.form_dialog import FormDialog

__all__ = ["CustomerDialog"]

NO_LIMIT = "No limit"
NEW_INTRO = "Only the name is needed; the rest helps planning and the drivers."
READ_ONLY_INTRO = "Managers and administrators change customers; this is for reading."


def _qtime(value: time | None, default: int) -> QTime:
    return QTime(value.hour, value.minute) if value is not None else QTime(default, 0)


class DeliveryHours(QWidget):
    """ "Prefers deliveries between [08:00] and [17:00]", or no preference."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("delivery_hours")
        self.check = QCheckBox("Between")
        self.check.setObjectName("hours_check")
        self.start_edit = QTimeEdit(QTime(8, 0))
        self.start_edit.setObjectName("hours_start")
        self.end_edit = QTimeEdit(QTime(17, 0))
        self.end_edit.setObjectName("hours_end")
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(unit(self))
        row.addWidget(self.check)
        row.addWidget(self.start_edit)
        row.addWidget(QLabel("and"))
        row.addWidget(self.end_edit)
        row.addStretch(1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self._on_check_toggled)
        self._on_check_toggled(False)

    def values(self) -> tuple[time | None, time | None]:
        if not self.check.isChecked():
            return None, None
        start, end = self.start_edit.time(), self.end_edit.time()
        return time(start.hour(), start.minute()), time(end.hour(), end.minute())

    def set_values(self, start: time | None, end: time | None) -> None:
        self.check.setChecked(start is not None or end is not None)
        self.start_edit.setTime(_qtime(start, 8))
        self.end_edit.setTime(_qtime(end, 17))

    def _on_check_toggled(self, checked: bool) -> None:
        self.start_edit.setEnabled(checked and self.check.isEnabled())
        self.end_edit.setEnabled(checked and self.check.isEnabled())

    def setEnabled(self, enabled: bool) -> None:  # keeps the times off while unticked
        super().setEnabled(enabled)
        self._on_check_toggled(self.check.isChecked())


class CustomerDialog(FormDialog):
    """New customer (``customer=None``), or edit one; ``read_only`` for dispatchers."""

    #: The customer as the controller saved it (a ``CustomerInfo``).
    customer_saved = Signal(object)

    def __init__(
        self,
        *,
        context: AppContext,
        customer: CustomerInfo | None = None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        title = "New customer" if customer is None else customer.customer_name
        super().__init__(
            context=context,
            name="customer_dialog",
            title=title,
            icon_name="mdi6.account-plus-outline" if customer is None else "mdi6.account-outline",
            intro=NEW_INTRO if customer is None else f"Customer {customer.customer_id}.",
            accept_text="Add customer" if customer is None else "Save changes",
            busy_text="Saving…",
            parent=parent,
        )
        self.customer = customer
        self.read_only = read_only
        #: The customer after a successful save.
        self.saved_customer: CustomerInfo | None = None
        self._build()
        if customer is not None:
            self.show_customer(customer)
        if read_only:
            self.set_intro(READ_ONLY_INTRO)
            for widget in self._inputs:
                widget.setEnabled(False)
            self.accept_button.hide()
            self.reject_button.setText("Close")
        self.resize(self.fontMetrics().averageCharWidth() * 90, 0)
        self.fit_height()

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _build(self) -> None:
        self.name_edit = self._line("name_edit", "e.g. Jamii Supermarkets Ltd")
        self.id_edit = self._line("id_edit", "Leave empty to have one made, e.g. CUST-0013")
        self.phone_edit = self._line("phone_edit", "e.g. 0722 410 385")
        self.email_edit = self._line("email_edit", "e.g. logistics@example.co.ke")
        self.address_edit = self._line("address_edit", "e.g. Mombasa Road, Nairobi")
        self.contact_edit = self._line("contact_edit", "Who receives the goods")
        self.wait_spin = QSpinBox()
        self.wait_spin.setObjectName("wait_spin")
        self.wait_spin.setRange(0, MAX_WAIT_HOURS)
        self.wait_spin.setSpecialValueText(NO_LIMIT)
        self.wait_spin.setSuffix(" hours")
        self.wait_spin.setToolTip("How long an order may wait for delivery; planning keeps to it.")
        self.hours = DeliveryHours()
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notes_edit")
        self.notes_edit.setPlaceholderText("Gate times, access, who signs for the goods…")
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.notes_edit.setTabChangesFocus(True)
        form = self.form_layout()
        self.add_row(form, "&Name:", "customer_name", self.name_edit)
        if self.customer is None:
            self.add_row(form, "Customer &ID:", "customer_id", self.id_edit)
        self.add_row(form, "&Phone:", "phone", self.phone_edit)
        self.add_row(form, "&E-mail:", "email", self.email_edit)
        self.add_row(form, "&Address:", "address", self.address_edit)
        self.add_row(form, "&Contact person:", "contact_person", self.contact_edit)
        self.add_row(form, "Longest &wait:", "max_wait_hours", self.wait_spin)
        self._add_hours_row(form)
        self.add_row(form, "N&otes:", "notes", self.notes_edit)
        self.body.addLayout(form)
        self.name_edit.setFocus()

    def _add_hours_row(self, form: QFormLayout) -> None:
        caption = QLabel("&Delivery hours:")
        caption.setBuddy(self.hours.check)
        form.addRow(caption, self.hours)
        for field, edit in (
            ("preferred_delivery_start", self.hours.start_edit),
            ("preferred_delivery_end", self.hours.end_edit),
        ):
            message = FieldMessage(name=f"{field}_error")
            form.addRow("", message)
            self.errors.register(field, edit, message)
        self.add_input(self.hours)

    def show_customer(self, customer: CustomerInfo) -> None:
        self.name_edit.setText(customer.customer_name)
        self.phone_edit.setText(customer.phone or "")
        self.email_edit.setText(customer.email or "")
        self.address_edit.setText(customer.address or "")
        self.contact_edit.setText(customer.contact_person or "")
        self.wait_spin.setValue(customer.max_wait_hours or 0)
        self.hours.set_values(customer.preferred_delivery_start, customer.preferred_delivery_end)
        self.notes_edit.setPlainText(customer.notes or "")

    def read_input(self) -> CustomerInput:
        start, end = self.hours.values()
        return CustomerInput(
            customer_name=self.name_edit.text(),
            customer_id=self.id_edit.text().strip() or None if self.customer is None else None,
            email=self.email_edit.text().strip() or None,
            phone=self.phone_edit.text().strip() or None,
            address=self.address_edit.text().strip() or None,
            contact_person=self.contact_edit.text().strip() or None,
            max_wait_hours=self.wait_spin.value() or None,
            preferred_delivery_start=start,
            preferred_delivery_end=end,
            notes=self.notes_edit.toPlainText().strip() or None,
        )

    # -- saving ---------------------------------------------------------------------------------

    def _on_submit(self) -> None:
        if self.busy or self.read_only:
            return
        data = self.read_input()
        sessions, actor = self.context.sessions, self.context.require_actor()
        if self.customer is None:
            self.start(create_customer, sessions, actor, data)
        else:
            self.start(partial(update_customer, sessions, actor, self.customer.customer_id), data)

    def _on_succeeded(self, result: Any) -> None:
        self.saved_customer = result
        self.customer_saved.emit(result)
        self.accept()

    def _on_failed(self, error: SengaError) -> None:
        if isinstance(error, AlreadyExists):
            self.show_errors([ValidationError("customer_id", error.message)])
        else:
            self.show_errors(error)
