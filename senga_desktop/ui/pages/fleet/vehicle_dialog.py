"""Adding a truck or editing one: plate, fleet number, type, town, capacities, costs, capabilities.

Picking a type from the catalogue fills in its capacities, costs, shift, trip length and
capabilities; figures the manager already changed by hand are kept. Every rule is the controller's
(:func:`~senga_desktop.controllers.fleet.add_vehicle`, ``update_vehicle``): its
``VehicleInvalid`` puts each problem under its field at once. An edit is checked against the
version of the truck the form was filled from; if someone changed the truck meanwhile, the form
says so and reloads their version instead of overwriting it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import partial

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.fleet import (
    VehicleInfo,
    VehicleInput,
    add_vehicle,
    get_vehicle,
    update_vehicle,
)
from senga_desktop.controllers.vehicle_types import VehicleType, load_vehicle_types
from senga_desktop.domain import SpecialHandling, VehicleStatus
from senga_desktop.errors import NotFound, SengaError, StaleDataError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.fleet.dialog_base import FleetDialog
from senga_desktop.ui.pages.fleet.fields import (
    DepotTimeField,
    FigureSpin,
    TripDaysSpin,
    town_combo,
)
from senga_desktop.ui.pages.fleet.formatting import CAPABILITY_LABELS, CAPABILITY_ORDER, depot_zone
from senga_desktop.ui.settings.page import FieldMessage, hint_label
from senga_desktop.ui.style import heading, unit

CONFLICT_TEXT = (
    "Someone else changed {label} while this form was open. The form now shows their version: "
    "make your changes again and save."
)
GONE_TEXT = "This truck no longer exists: someone removed it meanwhile. Close the form."
TYPE_HINT = (
    "Picking a type fills in its capacities, costs, shift, trip length and capabilities; "
    "figures you changed are kept."
)
NOTES_LINES = 3

#: (field, label, decimals, spin maximum, unit, step). The maxima sit above the controller's
#: limits so that a slip is refused with the controller's explanation, not silently clamped;
#: the shift's is the controller's own (24 h): a longer journey is a trip of several days.
FIGURES: tuple[tuple[str, str, int, float, str, float], ...] = (
    ("capacity_weight_tonnes", "Capacity (&t):", 1, 100, "t", 0.5),
    ("capacity_volume_m3", "Capacity (&m³):", 1, 300, "m³", 1),
    ("fuel_cost_per_km", "&Running cost:", 2, 10_000, "KES/km", 5),
    ("driver_cost_per_hour", "D&river cost:", 2, 100_000, "KES/h", 50),
    ("fixed_cost_kes", "&Fixed cost:", 2, 10_000_000, "KES/day", 500),
    ("max_shift_hours", "&Shift:", 1, 24, "h", 0.5),
)


class VehicleDialog(FleetDialog):
    """Add a truck (``vehicle=None``) or edit ``vehicle``; emits ``vehicle_changed`` when saved."""

    def __init__(
        self,
        *,
        context: AppContext,
        vehicle: VehicleInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        adding = vehicle is None
        super().__init__(
            context=context,
            name="vehicle_dialog",
            title="Add a truck" if vehicle is None else f"Edit {vehicle.label}",
            icon_name="mdi6.truck-plus-outline" if adding else "mdi6.truck-outline",
            intro=(
                "The truck starts out available at its town. Only the plate and the type are "
                "needed; the type fills in the rest."
                if adding
                else "Status changes (maintenance, off duty, retiring) have their own buttons."
            ),
            accept_text="Add truck" if adding else "Save changes",
            busy_text="Saving…",
            parent=parent,
        )
        self.vehicle = vehicle
        #: Someone else changed the truck while the form was open (the board is out of date).
        self.conflict_seen = False
        self.catalogue = load_vehicle_types()
        #: The catalogue type whose figures the untouched fields hold.
        self._filled_from: VehicleType | None = None
        self.zone = depot_zone(context.general.time_zone)
        u = unit(self)
        columns = QHBoxLayout()
        columns.setSpacing(u * 4)
        columns.addLayout(self._section("Truck", self._build_identity(vehicle)), 3)
        right = self._section("Capacity and costs", self._build_figures())
        right.insertLayout(right.count() - 1, self._build_notes())
        columns.addLayout(right, 2)
        self.body.addLayout(columns)

        self.type_combo.textActivated.connect(self._on_type_chosen)
        self.type_combo.lineEdit().editingFinished.connect(self._on_type_edited)
        if vehicle is None:
            self.town_combo.set_text(context.general.depot_name)
            self.available_field.set_value(None, default=datetime.now(UTC))
        else:
            self._fill(vehicle)
        self.plate_edit.setFocus()

    def _build_identity(self, vehicle: VehicleInfo | None) -> QFormLayout:
        identity = self.form_layout()
        self.plate_edit = QLineEdit()
        self.plate_edit.setPlaceholderText("e.g. KDA 123B")
        self.add_row(identity, "Registration &plate:", "registration_plate", self.plate_edit)
        self.fleet_number_edit = QLineEdit()
        self.fleet_number_edit.setPlaceholderText("given on saving (TRK-0012)")
        self.add_row(identity, "Fleet &number:", "vehicle_id", self.fleet_number_edit)
        self.type_combo = QComboBox()
        self.type_combo.setEditable(True)
        self.type_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.type_combo.addItems(self.catalogue.labels())
        self.type_combo.setCurrentIndex(-1)
        self.type_combo.lineEdit().setPlaceholderText("Choose a type…")
        self.add_row(identity, "T&ype:", "vehicle_type", self.type_combo)
        identity.addRow("", hint_label(TYPE_HINT))
        depot = self.context.general.depot_name
        self.town_combo = town_combo(name="town_combo", depot_name=depot)
        self.add_row(identity, "&Town:", "town", self.town_combo)
        available = vehicle is None or vehicle.status is VehicleStatus.AVAILABLE
        self.available_field = DepotTimeField(
            name="available_field", zone=self.zone, none_text="Now" if available else "Not known"
        )
        label = "Free fro&m:" if available else "Back o&n:"
        self.add_row(identity, label, "available_from", self.available_field)
        self.capability_boxes = {c: QCheckBox(CAPABILITY_LABELS[c]) for c in CAPABILITY_ORDER}
        boxes = QWidget()
        boxes.setObjectName("capabilities")
        row = QHBoxLayout(boxes)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(unit(self) * 2)
        for capability, box in self.capability_boxes.items():
            box.setObjectName(f"capability_{capability.value}")
            row.addWidget(box)
            self.add_input(box)
        row.addStretch(1)
        self.add_row(identity, "Capa&bilities:", "capabilities", boxes)
        return identity

    def _build_figures(self) -> QFormLayout:
        figures = self.form_layout()
        self.figures: dict[str, FigureSpin] = {}
        for field, label, decimals, maximum, suffix, step in FIGURES:
            spin = FigureSpin(
                name=f"{field}_spin", decimals=decimals, maximum=maximum, suffix=suffix, step=step
            )
            self.figures[field] = spin
            self.add_row(figures, label, field, spin)
        self.trip_days_spin = TripDaysSpin(name="max_trip_days_spin")
        self.add_row(figures, "Trip &length:", "max_trip_days", self.trip_days_spin)
        return figures

    def _build_notes(self) -> QVBoxLayout:
        """Notes under the figures, as wide as their column: a heading, the text, its message."""
        u = unit(self)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * NOTES_LINES + u * 2)
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setPlaceholderText("Trailer plate, fittings, the driver's name…")
        message = FieldMessage(name="notes_error")
        self.errors.register("notes", self.notes_edit, message)
        self.add_input(self.notes_edit)
        caption = heading("N&otes", level=3)
        caption.setBuddy(self.notes_edit)
        notes = QVBoxLayout()
        notes.setSpacing(u)
        notes.addSpacing(u)
        notes.addWidget(caption)
        notes.addWidget(self.notes_edit)
        notes.addWidget(message)
        return notes

    def _section(self, title: str, form: QFormLayout) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(unit(self))
        column.addWidget(heading(title, level=3))
        column.addLayout(form)
        column.addStretch(1)
        return column

    # -- filling --------------------------------------------------------------------------------

    def _fill(self, vehicle: VehicleInfo) -> None:
        data = VehicleInput.from_info(vehicle)
        self.plate_edit.setText(data.registration_plate)
        self.fleet_number_edit.setText(data.vehicle_id or "")
        self.type_combo.setEditText(data.vehicle_type)
        self._filled_from = self.catalogue.get(data.vehicle_type)
        self.town_combo.set_text(data.town or self.context.general.depot_name)
        free = data.available_from
        now = datetime.now(UTC)
        if vehicle.status is VehicleStatus.AVAILABLE and free is not None and free <= now:
            free = None  # free already: "Now"
        self.available_field.set_value(free, default=now)
        for field, spin in self.figures.items():
            spin.set_decimal(getattr(data, field))
        self.trip_days_spin.setValue(int(data.max_trip_days or 1))
        have = set(data.capabilities or ())
        for capability, box in self.capability_boxes.items():
            box.setChecked(capability in have)
        self.notes_edit.setPlainText(data.notes or "")

    def _on_type_edited(self) -> None:
        self._on_type_chosen(self.type_combo.currentText())

    def _on_type_chosen(self, text: str) -> None:
        """Fill in the type's figures and capabilities, except where the user changed them."""
        kind = self.catalogue.get(text)
        if kind is None or kind is self._filled_from:
            return
        previous = self._filled_from
        self.type_combo.setEditText(kind.label)
        for field, spin in self.figures.items():
            current = spin.decimal()
            untouched = current == 0 or (
                previous is not None and current == getattr(previous, field)
            )
            if untouched:
                spin.set_decimal(getattr(kind, field))
        days = self.trip_days_spin.value()
        if days == (previous.max_trip_days if previous is not None else 1):
            self.trip_days_spin.setValue(kind.max_trip_days)
        ticked = {c for c, box in self.capability_boxes.items() if box.isChecked()}
        if not ticked or (previous is not None and ticked == set(previous.capabilities)):
            for capability, box in self.capability_boxes.items():
                box.setChecked(capability in kind.capabilities)
        self._filled_from = kind

    def data(self) -> VehicleInput:
        """What the form holds, as the controller takes it."""
        capabilities: tuple[SpecialHandling, ...] = tuple(
            c for c, box in self.capability_boxes.items() if box.isChecked()
        )
        figures: dict[str, Decimal] = {f: s.decimal() for f, s in self.figures.items()}
        return VehicleInput(
            registration_plate=self.plate_edit.text(),
            vehicle_type=self.type_combo.currentText().strip(),
            vehicle_id=self.fleet_number_edit.text().strip() or None,
            town=self.town_combo.text() or None,
            available_from=self.available_field.value(),
            max_trip_days=self.trip_days_spin.value(),
            capabilities=capabilities,
            notes=self.notes_edit.toPlainText(),
            **figures,
        )

    # -- saving ---------------------------------------------------------------------------------

    def _on_submit(self) -> None:
        actor = self.context.require_actor()
        data = self.data()  # read on the GUI thread: the call may run on a worker
        if self.vehicle is None:
            self.start(add_vehicle, self.context.sessions, actor, data)
        else:
            update = partial(update_vehicle, expected_version=self.vehicle.version)
            self.start(update, self.context.sessions, actor, self.vehicle.id, data)

    def _on_succeeded(self, result: VehicleInfo) -> None:
        self.vehicle_changed.emit(result)
        self.accept()

    def _on_failed(self, error: SengaError) -> None:
        if isinstance(error, StaleDataError) and self.vehicle is not None:
            self._reload()
        elif isinstance(error, NotFound):
            self.show_errors(SengaError(GONE_TEXT))
            self.accept_button.setEnabled(False)
        else:
            super()._on_failed(error)

    def _reload(self) -> None:
        """Fetch the truck as it is now and show it, with the reason."""
        assert self.vehicle is not None
        self.set_busy(True)
        runner = self.context.runner
        request_id = runner.run(
            get_vehicle,
            self.context.sessions,
            self.context.require_actor(),
            self.vehicle.id,
            on_success=self._on_reloaded,
            on_failure=self._on_task_failed,
        )
        self._request_id = request_id if runner.is_pending(request_id) else None

    def _on_reloaded(self, vehicle: VehicleInfo) -> None:
        self._request_id = None
        self.set_busy(False)
        self.vehicle = vehicle
        self._filled_from = None
        self._fill(vehicle)
        self.conflict_seen = True
        self.show_errors(SengaError(CONFLICT_TEXT.format(label=vehicle.label)))
