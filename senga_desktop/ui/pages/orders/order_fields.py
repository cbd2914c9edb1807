"""Parts of the order form that are more than one input: coordinates, the pickup place, handling.

Each part builds its widgets into the form it is given, reads itself back into the values an
:class:`~senga_desktop.controllers.order_validation.OrderInput` takes, and reports what it cannot
read (a latitude that is not a number) as a :class:`~senga_desktop.errors.ValidationError` for its
field, so those problems are shown inline next to the controller's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from senga_desktop.controllers.order_validation import Place
from senga_desktop.controllers.settings import GeneralSettings
from senga_desktop.domain import SpecialHandling
from senga_desktop.errors import ValidationError
from senga_desktop.gazetteer import load_gazetteer
from senga_desktop.ui.pages.orders.formatting import HANDLING_LABELS, HANDLING_NOTES, HANDLING_ORDER
from senga_desktop.ui.pages.orders.pickers import CoordinateEdit, TownCombo
from senga_desktop.ui.settings.page import FieldMessage
from senga_desktop.ui.style import unit
from senga_desktop.ui.widgets.forms import FormErrors

__all__ = ["CoordinatePair", "HandlingBoxes", "PickupFields", "read_coordinate"]

Problems = list[ValidationError]


def read_coordinate(
    edit: CoordinateEdit, field: str, what: str, problems: Problems
) -> float | None:
    """The number in ``edit``; a problem for ``field`` when it is not one."""
    try:
        return edit.value()
    except ValueError:
        problems.append(
            ValidationError(
                field,
                f"{edit.text().strip()!r} is not a number: give the {what} in decimal degrees "
                f"(e.g. {'-1.29210' if what == 'latitude' else '36.82190'}), or leave it empty.",
            )
        )
        return None


class CoordinatePair(QWidget):
    """A latitude and a longitude side by side, each with its own message under the row."""

    def __init__(self, *, prefix: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lat_edit = CoordinateEdit(name=f"{prefix}_lat", placeholder="Latitude (optional)")
        self.lon_edit = CoordinateEdit(name=f"{prefix}_lon", placeholder="Longitude (optional)")
        self.lat_edit.setAccessibleName("Latitude")
        self.lon_edit.setAccessibleName("Longitude")
        self.setToolTip(hint)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(unit(self))
        row.addWidget(self.lat_edit, 1)
        row.addWidget(self.lon_edit, 1)
        self.setFocusProxy(self.lat_edit)

    def add_to(self, form: QFormLayout, label: str, errors: FormErrors, lat: str, lon: str) -> None:
        """Add the row and its two (hidden) messages, registered as fields ``lat`` and ``lon``."""
        form.addRow(label, self)
        for field, edit in ((lat, self.lat_edit), (lon, self.lon_edit)):
            message = FieldMessage(name=f"{field}_error")
            form.addRow("", message)
            errors.register(field, edit, message)

    def read(self, lat: str, lon: str, problems: Problems) -> tuple[float | None, float | None]:
        return (
            read_coordinate(self.lat_edit, lat, "latitude", problems),
            read_coordinate(self.lon_edit, lon, "longitude", problems),
        )

    def set_values(self, lat: float | None, lon: float | None) -> None:
        self.lat_edit.set_value(lat)
        self.lon_edit.set_value(lon)


class PickupFields(QWidget):
    """ "The depot" or another place: its name, town, address and (optional) coordinates.

    The place's coordinates default to its town's centre; the controller checks them against
    Kenya's borders and that the place has a name (field ``pickup``).
    """

    #: The choice between the depot and another place changed.
    choice_changed = Signal()

    def __init__(self, *, general: GeneralSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.general = general
        self.depot_radio = QRadioButton(f"The depot ({general.depot_name})")
        self.depot_radio.setObjectName("pickup_depot")
        self.other_radio = QRadioButton("Another place")
        self.other_radio.setObjectName("pickup_other")
        self._group = QButtonGroup(self)
        self._group.addButton(self.depot_radio)
        self._group.addButton(self.other_radio)
        self.depot_radio.setChecked(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(unit(self) * 2)
        row.addWidget(self.depot_radio)
        row.addWidget(self.other_radio)
        row.addStretch(1)
        self.setFocusProxy(self.depot_radio)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("pickup_name")
        self.name_edit.setPlaceholderText("e.g. Kenya Seed Company warehouse")
        self.town_combo = TownCombo(name="pickup_town", placeholder="Its town")
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("pickup_address")
        self.address_edit.setPlaceholderText("Plot, street, area")
        self.coordinates = CoordinatePair(
            prefix="pickup", hint="Optional: without them the town's centre is used."
        )
        self._form: QFormLayout | None = None
        self.other_radio.toggled.connect(self._on_choice_toggled)

    def inputs(self) -> list[QWidget]:
        return [
            self.depot_radio,
            self.other_radio,
            self.name_edit,
            self.town_combo,
            self.address_edit,
            self.coordinates,
        ]

    def add_to(
        self, form: QFormLayout, errors: FormErrors, add_input: Callable[[QWidget], None]
    ) -> FieldMessage:
        """The choice row, the other place's rows (shown when chosen) and the ``pickup`` message."""
        self._form = form
        form.addRow("Pickup:", self)
        form.addRow("Place name:", self.name_edit)
        form.addRow("Place town:", self.town_combo)
        form.addRow("Place address:", self.address_edit)
        form.addRow("Place coordinates:", self.coordinates)
        message = FieldMessage(name="pickup_error")
        form.addRow("", message)
        errors.register("pickup", self, message)
        for widget in self.inputs():
            add_input(widget)
        self._on_choice_toggled(self.other_radio.isChecked())
        return message

    def is_depot(self) -> bool:
        return self.depot_radio.isChecked()

    def is_depot_place(self, place: Place) -> bool:
        """Whether a stored pickup is the depot (by name and position)."""
        general = self.general
        return (
            place.name == general.depot_name
            and abs(place.lat - general.depot_latitude) < 1e-6
            and abs(place.lon - general.depot_longitude) < 1e-6
        )

    def set_place(self, place: Place | None) -> None:
        """Show ``place`` (``None`` or the depot: "The depot")."""
        if place is None or self.is_depot_place(place):
            self.depot_radio.setChecked(True)
            return
        self.other_radio.setChecked(True)
        self.name_edit.setText(place.name)
        self.address_edit.setText(place.address)
        self.town_combo.set_text("")
        self.coordinates.set_values(place.lat, place.lon)

    def read(self, problems: Problems) -> Place | None:
        """The other place (``None`` for the depot, or when it cannot be placed: a problem then)."""
        if self.is_depot():
            return None
        lat, lon = self.coordinates.read("pickup", "pickup", problems)
        town_text = self.town_combo.text()
        town = load_gazetteer().get(town_text) if town_text else None
        address = " ".join(self.address_edit.text().split())
        if town is not None and town.name.casefold() not in address.casefold():
            address = f"{address}, {town.name}" if address else town.name
        if lat is not None and lon is not None:
            return Place(self.name_edit.text(), address, lat, lon)
        if lat is not None or lon is not None:
            problems.append(ValidationError("pickup", "Give both pickup coordinates, or neither."))
            return None
        if town is not None:
            return Place(self.name_edit.text(), address, town.latitude, town.longitude)
        hint = load_gazetteer().suggest(town_text, limit=2) if town_text else []
        problems.append(
            ValidationError(
                "pickup",
                f"{town_text!r} is not a town we know"
                + (f" (did you mean {' or '.join(hint)}?)" if hint else "")
                + ": pick the pickup town from the list, or give its coordinates."
                if town_text
                else "Give the pickup place's town, or its coordinates, so trucks can find it.",
            )
        )
        return None

    def _on_choice_toggled(self, other: bool) -> None:
        if self._form is not None:
            for widget in (self.name_edit, self.town_combo, self.address_edit, self.coordinates):
                self._form.setRowVisible(widget, other)
        if other and self.isVisible():
            self.name_edit.setFocus()
        self.choice_changed.emit()


class HandlingBoxes(QWidget):
    """A check box per kind of special handling, two columns."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("special_handling")
        self.boxes: dict[SpecialHandling, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(unit(self) * 2)
        grid.setVerticalSpacing(unit(self) // 2)
        for index, handling in enumerate(HANDLING_ORDER):
            box = QCheckBox(HANDLING_LABELS[handling])
            box.setObjectName(f"handling_{handling.value}")
            box.setToolTip(HANDLING_NOTES[handling])
            self.boxes[handling] = box
            grid.addWidget(box, index // 2, index % 2)
        self.setFocusProxy(self.boxes[HANDLING_ORDER[0]])

    def values(self) -> frozenset[SpecialHandling]:
        return frozenset(h for h, box in self.boxes.items() if box.isChecked())

    def set_values(self, values: frozenset[SpecialHandling]) -> None:
        for handling, box in self.boxes.items():
            box.setChecked(handling in values)
