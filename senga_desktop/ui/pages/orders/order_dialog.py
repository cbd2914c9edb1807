"""The order entry and edit dialog.

Two columns: who and where (customer, pickup, destination town, street address, coordinates) and
what and when (tonnes, m³, the delivery window in the depot's time zone, priority, price, special
handling). Saving sends the whole order to the controller, which checks every field and answers
with all the problems at once (:class:`~senga_desktop.controllers.order_validation.OrderInvalid`);
each is shown under its own field and nothing is saved until the whole order is valid. Text the
form itself cannot read (a latitude that is not a number) is checked by the controller's
``validate_order`` alongside, so those messages appear together with the rest.

Editing follows the controller's rules: a pending order changes freely; an assigned one only in
price, priority and street address (the other inputs are disabled); orders in transit or finished
are shown read-only. Saving over someone else's change (the optimistic lock) says so and loads
their version into the form.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from senga_desktop.controllers.customers import CustomerInfo, CustomerQuery, list_customers
from senga_desktop.controllers.order_status import status_phrase
from senga_desktop.controllers.order_validation import OrderInput
from senga_desktop.controllers.orders import (
    EDITABLE_WHILE_ASSIGNED,
    OrderInfo,
    create_order,
    get_order,
    update_order,
    validate_order,
)
from senga_desktop.domain import OrderStatus, Priority
from senga_desktop.errors import SengaError, StaleDataError, ValidationError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders.formatting import (
    PRIORITY_LABELS,
    STATUS_LABELS,
    depot_zone,
    local_time,
    zone_caption,
)
from senga_desktop.ui.pages.orders.order_fields import CoordinatePair, HandlingBoxes, PickupFields
from senga_desktop.ui.pages.orders.pickers import (
    CustomerPicker,
    DecimalSpin,
    DepotDateTimeEdit,
    TownCombo,
)
from senga_desktop.ui.settings.page import add_section
from senga_desktop.ui.style import unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.form_dialog import FormDialog, merged_errors

__all__ = ["CUSTOMER_LIMIT", "OrderDialog"]

#: Customers offered by the picker (a depot has hundreds; the list stays instant up to this).
CUSTOMER_LIMIT = 5000
NEW_INTRO = (
    "Every field is checked when you save, and nothing is saved until the whole order is right. "
    "The order number is given when it is saved."
)
ASSIGNED_INTRO = (
    "This order is on a route: only its price, priority and street address can change here. "
    "Set it back to pending to change the rest."
)
CONFLICT_AFTER = "The form now shows the order as it was saved; make your changes again."
#: Where each form field goes when it cannot change (assigned orders keep these open).
_FIELDS = (
    "customer_id",
    "pickup",
    "destination_city",
    "destination_address",
    "destination_lat",
    "weight_tonnes",
    "volume_m3",
    "window_start",
    "window_end",
    "priority",
    "special_handling",
    "price_kes",
)


def default_window(now: datetime, zone: Any) -> tuple[datetime, datetime]:
    """Tomorrow, 08:00 to 17:00 depot time: the usual next-day delivery."""
    tomorrow = (now.astimezone(zone) + timedelta(days=1)).date()
    start = datetime.combine(tomorrow, time(8), tzinfo=zone)
    return start, start.replace(hour=17)


class OrderDialog(FormDialog):
    """Enter a new order (``order=None``) or open one to edit (or to read, once it has left)."""

    #: The order as the controller saved it (an ``OrderInfo``).
    order_saved = Signal(object)

    def __init__(
        self, *, context: AppContext, order: OrderInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            context=context,
            name="order_dialog",
            title="New order" if order is None else f"Order {order.order_number}",
            icon_name="mdi6.package-variant-plus" if order is None else "mdi6.package-variant",
            intro=NEW_INTRO,
            accept_text="Save order" if order is None else "Save changes",
            busy_text="Saving…",
            parent=parent,
        )
        self.order = order
        self.zone = depot_zone(context.general.time_zone)
        #: The order after a successful save.
        self.saved_order: OrderInfo | None = None
        #: True once a conflicting save loaded someone else's version into the form.
        self.reloaded_after_conflict = False
        self._pending = ""
        self._conflict = ""
        self._form_problems: list[ValidationError] = []
        self._customers_request: int | None = None
        self._build()
        if order is None:
            start, end = default_window(datetime.now(self.zone), self.zone)
            self.start_edit.set_value(start)
            self.end_edit.set_value(end)
        else:
            self.show_order(order)
        self._load_customers()
        self.resize(self.fontMetrics().averageCharWidth() * 150, 0)
        self.fit_height()

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.customer_picker = CustomerPicker(name="customer_picker")
        self.pickup = PickupFields(general=self.context.general)
        self.town_combo = TownCombo(name="town_combo", placeholder="Type a town, e.g. Nakuru")
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("address_edit")
        self.address_edit.setPlaceholderText("Plot, street, area, e.g. Plot 12, Kenyatta Avenue")
        self.coordinates = CoordinatePair(
            prefix="destination", hint="Optional: without them the town's centre is used."
        )
        self.weight_spin = DecimalSpin(name="weight_spin", decimals=3, maximum=100_000, suffix=" t")
        self.volume_spin = DecimalSpin(
            name="volume_spin", decimals=3, maximum=100_000, suffix=" m³"
        )
        self.start_edit = DepotDateTimeEdit(name="window_start_edit", zone=self.zone)
        self.end_edit = DepotDateTimeEdit(name="window_end_edit", zone=self.zone)
        self.priority_combo = QComboBox()
        self.priority_combo.setObjectName("priority_combo")
        for priority in Priority:
            self.priority_combo.addItem(PRIORITY_LABELS[priority], priority)
        self.priority_combo.setCurrentIndex(self.priority_combo.findData(Priority.NORMAL))
        self.price_spin = DecimalSpin(
            name="price_spin", decimals=2, maximum=10_000_000_000, prefix="KES "
        )
        self.handling = HandlingBoxes()

        where = self.form_layout()
        add_section(where, "Customer and destination")
        self.add_row(where, "&Customer:", "customer_id", self.customer_picker)
        self.pickup.add_to(where, self.errors, self.add_input)
        self.add_row(where, "&Town:", "destination_city", self.town_combo)
        self.add_row(where, "Street &address:", "destination_address", self.address_edit)
        self.coordinates.add_to(
            where, "Coordinates:", self.errors, "destination_lat", "destination_lon"
        )
        self.add_input(self.coordinates)
        what = self.form_layout()
        add_section(what, f"Load and delivery window ({zone_caption(self.zone)})")
        self.add_row(what, "&Weight:", "weight_tonnes", self.weight_spin)
        self.add_row(what, "&Volume:", "volume_m3", self.volume_spin)
        self.add_row(what, "Window &start:", "window_start", self.start_edit)
        self.add_row(what, "Window &end:", "window_end", self.end_edit)
        self.add_row(what, "&Priority:", "priority", self.priority_combo)
        self.add_row(what, "P&rice:", "price_kes", self.price_spin)
        self.add_row(what, "Special &handling:", "special_handling", self.handling)
        columns = QHBoxLayout()
        columns.setSpacing(unit(self) * 4)
        columns.addLayout(where, 1)
        columns.addLayout(what, 1)
        self.body.addLayout(columns)
        self.customer_picker.setFocus()

    def _load_customers(self) -> None:
        if self.context.actor is None or self.context.database is None:
            return
        runner = self.context.runner
        query = CustomerQuery(active=True, limit=CUSTOMER_LIMIT)
        request = runner.run(
            list_customers,
            self.context.sessions,
            self.context.actor,
            query,
            on_success=self._on_customers_loaded,
            on_failure=self._on_customers_failed,
        )
        self._customers_request = request if runner.is_pending(request) else None

    # -- showing an order -----------------------------------------------------------------------

    def show_order(self, order: OrderInfo) -> None:
        """Fill the form with ``order`` and lock what may not change in its status."""
        self.order = order
        self.customer_picker.set_customer(order.customer_id, order.customer_name)
        self.pickup.set_place(order.pickup)
        self.town_combo.set_text(order.destination_city)
        self.address_edit.setText(order.destination_address)
        self.coordinates.set_values(order.destination_lat, order.destination_lon)
        self.weight_spin.set_decimal(order.weight_tonnes)
        self.volume_spin.set_decimal(order.volume_m3)
        self.start_edit.set_value(order.window_start)
        self.end_edit.set_value(order.window_end)
        self.priority_combo.setCurrentIndex(self.priority_combo.findData(order.priority))
        self.price_spin.set_decimal(order.price_kes)
        self.handling.set_values(order.special_handling)
        entered = local_time(order.created_at, self.zone)
        status = STATUS_LABELS[order.status]
        if order.status is OrderStatus.ASSIGNED:
            self.set_intro(f"{status}, entered {entered}. {ASSIGNED_INTRO}")
        elif not self.editable:
            self.set_intro(
                f"{status_phrase(order.status).capitalize()} cannot be edited: duplicate it to "
                "send the goods again."
            )
            self.accept_button.hide()
            self.reject_button.setText("Close")
        else:
            self.set_intro(f"{status}, entered {entered}, customer {order.customer_id}.")
        self._apply_locks()

    @property
    def editable(self) -> bool:
        return self.order is None or self.order.status in (
            OrderStatus.PENDING,
            OrderStatus.ASSIGNED,
        )

    def open_fields(self) -> frozenset[str]:
        """The fields that may change now."""
        if self.order is None or self.order.status is OrderStatus.PENDING:
            return frozenset(_FIELDS)
        if self.order.status is OrderStatus.ASSIGNED:
            return frozenset(EDITABLE_WHILE_ASSIGNED)
        return frozenset()

    def _apply_locks(self) -> None:
        open_fields = self.open_fields()
        widgets: dict[str, list[QWidget]] = {
            "customer_id": [self.customer_picker],
            "pickup": self.pickup.inputs(),
            "destination_city": [self.town_combo],
            "destination_address": [self.address_edit],
            "destination_lat": [self.coordinates],
            "weight_tonnes": [self.weight_spin],
            "volume_m3": [self.volume_spin],
            "window_start": [self.start_edit],
            "window_end": [self.end_edit],
            "priority": [self.priority_combo],
            "special_handling": [self.handling],
            "price_kes": [self.price_spin],
        }
        for field, inputs in widgets.items():
            for widget in inputs:
                widget.setEnabled(field in open_fields and not self.busy)

    def _after_busy(self) -> None:
        self._apply_locks()

    # -- reading --------------------------------------------------------------------------------

    def read_input(self) -> tuple[OrderInput, list[ValidationError]]:
        """The order as typed, and what the form itself could not read."""
        problems: list[ValidationError] = []
        lat, lon = self.coordinates.read("destination_lat", "destination_lon", problems)
        pickup = self.pickup.read(problems)
        data = OrderInput(
            customer_id=self.customer_picker.customer_id(),
            destination_city=self.town_combo.town(),
            destination_address=self.address_edit.text(),
            weight_tonnes=self.weight_spin.decimal(),
            volume_m3=self.volume_spin.decimal(),
            window_start=self.start_edit.value(),
            window_end=self.end_edit.value(),
            price_kes=self.price_spin.decimal(),
            priority=Priority(self.priority_combo.currentData()),
            special_handling=self.handling.values(),
            destination_lat=lat,
            destination_lon=lon,
            pickup=pickup,
        )
        return data, problems

    # -- saving ---------------------------------------------------------------------------------

    def _on_submit(self) -> None:
        if self.busy or not self.editable:
            return
        data, problems = self.read_input()
        sessions, actor = self.context.sessions, self.context.require_actor()
        self._form_problems = problems
        if problems:  # not savable: ask for every other problem too, to show them together
            self._pending = "validate"
            self.start(validate_order, sessions, actor, data)
        elif self.order is None:
            self._pending = "save"
            self.start(create_order, sessions, actor, data)
        else:
            self._pending = "save"
            save = partial(update_order, version=self.order.version)
            self.start(save, sessions, actor, self.order.order_number, data)

    def _on_succeeded(self, result: Any) -> None:
        pending, self._pending = self._pending, ""
        if pending == "validate":
            self.show_errors(merged_errors([*self._form_problems, *result]))
        elif pending == "reload":
            self.show_order(result)
            self.reloaded_after_conflict = True
            self.form_message.show_message(f"{self._conflict} {CONFLICT_AFTER}")
            self.fit_height()
        else:
            self.saved_order = result
            self.order_saved.emit(result)
            self.accept()

    def _on_failed(self, error: SengaError) -> None:
        self._pending = ""
        if isinstance(error, StaleDataError) and self.order is not None:
            self._conflict = error.message
            self._pending = "reload"
            self.start(
                get_order,
                self.context.sessions,
                self.context.require_actor(),
                self.order.order_number,
            )
            return
        self.show_errors(error)

    # -- the customers list ---------------------------------------------------------------------

    def _on_customers_loaded(self, page: Any) -> None:
        self._customers_request = None
        customers: tuple[CustomerInfo, ...] = page.rows
        typed = self.customer_picker.edit.text()
        self.customer_picker.set_customers(customers)
        if self.order is not None and not typed:
            self.customer_picker.set_customer(self.order.customer_id, self.order.customer_name)

    def _on_customers_failed(self, exc: BaseException) -> None:
        self._customers_request = None
        if isinstance(exc, SengaError):
            self.form_message.show_message(f"The customer list could not be read: {exc.message}")
        else:
            report_unexpected(exc)

    def done(self, result: int) -> None:
        if self._customers_request is not None:
            self.context.runner.discard(self._customers_request)
            self._customers_request = None
        super().done(result)
