"""What is recorded for the route as a whole: leaving the depot, coming back, and what it cost.

Every value may be left empty (a route is recorded in several sittings), so the inputs are built
for "not recorded yet": :class:`RecordedTimeField` shows "Not recorded" until "Now" sets it to
the current minute in the depot's time (then it can be corrected, or cleared again), and
:class:`AmountEdit` is a figure that may be blank. The controller's field names
(``departed_at``, ``return_odometer_km``…) key the inline messages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.execution_views import RecordedRoute
from senga_desktop.errors import ValidationError
from senga_desktop.ui.settings.page import FieldMessage
from senga_desktop.ui.style import icon, muted, unit
from senga_desktop.ui.widgets.depot_inputs import DepotDateTimeEdit, zone_caption
from senga_desktop.ui.widgets.forms import FormErrors

__all__ = ["AmountEdit", "RecordedTimeField", "RouteFields", "figure_text"]

FIELD_TIME_FORMAT = "ddd dd/MM/yyyy HH:mm"
NOT_RECORDED = "Not recorded"


class RecordedTimeField(QWidget):
    """A time that may not be recorded yet: [time in depot time] [Now] [x]."""

    value_changed = Signal()

    def __init__(
        self,
        *,
        name: str,
        zone: ZoneInfo,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._clock = clock
        self._set = False
        self.edit = DepotDateTimeEdit(
            name=f"{name}_edit", zone=zone, display_format=FIELD_TIME_FORMAT
        )
        self.edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 22)
        self.not_recorded = muted(QLabel(NOT_RECORDED))
        self.not_recorded.setObjectName(f"{name}_unset")
        self.now_button = QPushButton(icon("mdi6.clock-check-outline", widget=self), "Now")
        self.now_button.setObjectName(f"{name}_now")
        self.now_button.setAutoDefault(False)
        self.now_button.setToolTip("Set to the current time (then correct it if need be)")
        self.clear_button = QToolButton()
        self.clear_button.setObjectName(f"{name}_clear")
        self.clear_button.setIcon(icon("mdi6.close", widget=self))
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip("Clear: not recorded yet")
        self.zone_label = muted(QLabel(zone_caption(zone)))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(unit(self))
        layout.addWidget(self.edit)
        layout.addWidget(self.not_recorded)
        layout.addWidget(self.now_button)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.zone_label)
        layout.addStretch(1)
        self.now_button.clicked.connect(self.set_now)
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        self.edit.dateTimeChanged.connect(lambda _value: self.value_changed.emit())
        self.setFocusProxy(self.now_button)
        self._show_state()

    def value(self) -> datetime | None:
        """The time in UTC, or ``None`` when not recorded."""
        return self.edit.value() if self._set else None

    def set_value(self, moment: datetime | None) -> None:
        self._set = moment is not None
        if moment is not None:
            self.edit.set_value(moment)
        self._show_state()
        self.value_changed.emit()

    def set_now(self) -> None:
        self.set_value(self._clock())
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_zone(self, zone: ZoneInfo) -> None:
        moment = self.value()
        self.edit.zone = zone
        self.zone_label.setText(zone_caption(zone))
        if moment is not None:
            self.edit.set_value(moment)

    def _show_state(self) -> None:
        self.edit.setVisible(self._set)
        self.not_recorded.setVisible(not self._set)
        self.clear_button.setEnabled(self._set)
        self.setFocusProxy(self.edit if self._set else self.now_button)


def figure_text(value: Decimal | None, *, money: bool = False) -> str:
    """``45,210`` for 45210.000 km, ``1,250.50`` for KES 1250.5: no noise, cents kept."""
    if value is None:
        return ""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if money and "." in text:
        whole, cents = text.split(".")
        text = f"{whole}.{cents:0<2}"
    return text


class AmountEdit(QLineEdit):
    """A figure that may be left blank: ``decimal()`` is ``None`` then, or exact otherwise."""

    def __init__(
        self, *, name: str, suffix: str, label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.field = name
        self.label = label
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(NOT_RECORDED)
        # Digits, thousands separators and one decimal point; a sign would only be refused later.
        self.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9][0-9, ]*(\.[0-9]*)?"))
        )
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * 18)
        self.suffix_label = muted(QLabel(suffix))

    def decimal(self) -> Decimal | None:
        text = self.text().replace(",", "").replace(" ", "").strip()
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                self.field, f"{self.label} must be a number, such as 1250.50, or left empty."
            ) from None

    def set_decimal(self, value: Decimal | None) -> None:
        self.setText(figure_text(value, money=self.suffix_label.text() == "KES"))

    def with_suffix(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(unit(self))
        row.addWidget(self)
        row.addWidget(self.suffix_label)
        row.addStretch(1)
        box.setFocusProxy(self)
        return box


class RouteFields(QWidget):
    """Departure and return of the route, its costs and notes, each with its inline message."""

    changed = Signal()

    def __init__(
        self, *, zone: ZoneInfo, clock: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("route_fields")
        u = unit(self)
        self.departed_edit = RecordedTimeField(name="departed_at", zone=zone, clock=clock)
        self.departure_odometer_edit = AmountEdit(
            name="departure_odometer_km", suffix="km", label="The odometer at departure"
        )
        self.returned_edit = RecordedTimeField(name="returned_at", zone=zone, clock=clock)
        self.return_odometer_edit = AmountEdit(
            name="return_odometer_km", suffix="km", label="The odometer on return"
        )
        self.fuel_litres_edit = AmountEdit(name="fuel_litres", suffix="litres", label="Fuel")
        self.fuel_cost_edit = AmountEdit(name="fuel_cost_kes", suffix="KES", label="The fuel cost")
        self.tolls_edit = AmountEdit(name="tolls_kes", suffix="KES", label="Tolls")
        self.other_costs_edit = AmountEdit(
            name="other_costs_kes", suffix="KES", label="Other costs"
        )
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText("Anything about the trip as a whole (optional)")
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + u * 2)
        self.amounts = (
            self.departure_odometer_edit, self.return_odometer_edit, self.fuel_litres_edit,
            self.fuel_cost_edit, self.tolls_edit, self.other_costs_edit,
        )  # fmt: skip
        self._rows: list[tuple[str, QWidget, FieldMessage]] = []
        self._build_layout()
        for field in (self.departed_edit, self.returned_edit):
            field.value_changed.connect(self.changed)
        for amount in self.amounts:
            amount.textChanged.connect(lambda _text: self.changed.emit())
        self.notes_edit.textChanged.connect(self.changed)

    def _build_layout(self) -> None:
        u = unit(self)
        departure = QGroupBox("Departure")
        departure.setObjectName("departure_group")
        form = self._form(departure)
        self._add(form, "&Left the depot:", "departed_at", self.departed_edit)
        self._add(form, "Odo&meter:", "departure_odometer_km", self.departure_odometer_edit)
        back = QGroupBox("Return")
        back.setObjectName("return_group")
        form_back = self._form(back)
        self._add(form_back, "&Back at the depot:", "returned_at", self.returned_edit)
        self._add(form_back, "Odomete&r:", "return_odometer_km", self.return_odometer_edit)
        self._add(form_back, "&Fuel:", "fuel_litres", self.fuel_litres_edit)
        self._add(form_back, "Fuel &cost:", "fuel_cost_kes", self.fuel_cost_edit)
        self._add(form_back, "&Tolls:", "tolls_kes", self.tolls_edit)
        self._add(form_back, "Ot&her costs:", "other_costs_kes", self.other_costs_edit)
        notes_label = QLabel("Trip &notes:")
        notes_label.setBuddy(self.notes_edit)
        self.notes_message = FieldMessage(name="notes_error")
        self._rows.append(("notes", self.notes_edit, self.notes_message))
        left = QVBoxLayout()
        left.setSpacing(u // 2)
        left.addWidget(departure)
        left.addSpacing(u // 2)
        left.addWidget(notes_label)
        left.addWidget(self.notes_edit)
        left.addWidget(self.notes_message)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(u * 2)
        layout.addLayout(left, 1)
        layout.addWidget(back, 1)

    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(unit(self) * 2)
        form.setVerticalSpacing(unit(self) // 2)
        return form

    def _add(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> None:
        shown = widget.with_suffix() if isinstance(widget, AmountEdit) else widget
        caption = QLabel(label)
        caption.setObjectName(f"{field}_label")
        caption.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        message = FieldMessage(name=f"{field}_error")
        form.addRow(caption, shown)
        form.addRow("", message)
        self._rows.append((field, widget, message))

    def register(self, errors: FormErrors) -> None:
        """Route the controller's messages for these fields to the messages under them."""
        for field, widget, message in self._rows:
            errors.register(field, widget, message)

    def inputs(self) -> list[QWidget]:
        return [widget for _, widget, _ in self._rows]

    def set_zone(self, zone: ZoneInfo) -> None:
        self.departed_edit.set_zone(zone)
        self.returned_edit.set_zone(zone)

    # -- values -----------------------------------------------------------------------------------

    def values(self) -> RecordedRoute:
        """What is entered; a figure that is not a number raises ``ValidationError``."""
        return RecordedRoute(
            departed_at=self.departed_edit.value(),
            departure_odometer_km=self.departure_odometer_edit.decimal(),
            returned_at=self.returned_edit.value(),
            return_odometer_km=self.return_odometer_edit.decimal(),
            fuel_litres=self.fuel_litres_edit.decimal(),
            fuel_cost_kes=self.fuel_cost_edit.decimal(),
            tolls_kes=self.tolls_edit.decimal(),
            other_costs_kes=self.other_costs_edit.decimal(),
            notes=self.notes_edit.toPlainText().strip() or None,
        )

    def set_values(self, values: RecordedRoute) -> None:
        self.departed_edit.set_value(values.departed_at)
        self.departure_odometer_edit.set_decimal(values.departure_odometer_km)
        self.returned_edit.set_value(values.returned_at)
        self.return_odometer_edit.set_decimal(values.return_odometer_km)
        self.fuel_litres_edit.set_decimal(values.fuel_litres)
        self.fuel_cost_edit.set_decimal(values.fuel_cost_kes)
        self.tolls_edit.set_decimal(values.tolls_kes)
        self.other_costs_edit.set_decimal(values.other_costs_kes)
        self.notes_edit.setPlainText(values.notes or "")

    def set_read_only(self, read_only: bool) -> None:
        for _, widget, _ in self._rows:
            widget.setEnabled(not read_only)
