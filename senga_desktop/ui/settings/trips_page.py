"""The "Trips a day" settings page (managers and administrators): multi-trip days per truck type.

One row per type of the truck catalogue: how many trips a truck of that type may make within its
shift, coming back to the depot to reload between them (1 = no reloading, the default). The
numbers live in the database, so every desk plans with the same ones. ``check()`` runs the
controller's validation and shows a problem at its type's field (a long-haul type may not reload).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox, QWidget

from senga_desktop.controllers.permissions import Permission
from senga_desktop.controllers.settings_trips import (
    TripSettings,
    load_trips,
    save_trips,
    trip_rows,
    validate_trips,
)
from senga_desktop.domain import MAX_TRIPS
from senga_desktop.errors import ValidationError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings.page import add_field_row, add_section, hint_label
from senga_desktop.ui.settings.stored_page import SettingsStore, StoredSettingsPage

__all__ = ["TripsPage"]

FIELD_CHARS = 22
OFF_TEXT = "1 (no reloading)"
HINT = (
    "A truck allowed several trips comes back to the depot, reloads (the loading time) and goes "
    "out again; all its trips together fit its shift and each trip fits its capacity. The "
    "planner uses a second trip only where it is cheaper than another truck."
)
SAVED_NOTICE = "Saved. The next plan on any desk uses these numbers."


class TripsPage(StoredSettingsPage):
    """Trips a day for each truck type of the catalogue."""

    key = "trips"
    title = "Trips a day"
    icon_name = "mdi6.truck-fast-outline"
    description = "Let vans and light trucks reload at the depot and go out again in one shift."
    permission = Permission.FLEET_EDIT
    store = SettingsStore(load=load_trips, save=save_trips, validate=validate_trips)
    saved_notice = SAVED_NOTICE

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        form = self.form_layout()
        add_section(form, "Trips a truck may make in one shift")
        chars = self.fontMetrics().averageCharWidth()
        #: The spin box of each catalogue type, by type key.
        self.spins: dict[str, QSpinBox] = {}
        for row in trip_rows(TripSettings()):
            spin = QSpinBox()
            spin.setObjectName(f"max_trips_{row.key}")
            spin.setRange(1, MAX_TRIPS)
            spin.setSuffix(" trips")
            spin.setSpecialValueText(OFF_TEXT)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.setFixedWidth(chars * FIELD_CHARS)
            spin.valueChanged.connect(self._on_edited)
            add_field_row(self.errors, form, f"{row.label}:", f"max_trips.{row.key}", spin)
            self.spins[row.key] = spin
        form.addRow("", hint_label(HINT))
        form.addRow("", self.notice)
        self.body.addLayout(form)
        self.body.addStretch(1)

    # -- the form <-> settings ----------------------------------------------------------------

    def values(self) -> dict[str, int]:
        """What the form holds now, by type key (not yet validated)."""
        return {key: spin.value() for key, spin in self.spins.items()}

    def form_values(self) -> dict[str, int]:
        return self.values()

    def _show(self, settings: TripSettings) -> None:
        for row in trip_rows(settings):
            spin = self.spins.get(row.key)
            if spin is not None:
                spin.blockSignals(True)
                spin.setValue(row.max_trips)
                spin.blockSignals(False)

    def _on_edited(self) -> None:
        self.notice.clear_message()
        self.errors.clear()
        try:  # say at once, at the field, what OK would refuse
            validate_trips(self.values())
        except ValidationError as exc:
            self.errors.show(exc)
        self.edited.emit()
