"""The "General" settings page (administrators): depot, time zone, idle lock, lockout.

These settings live in the database, so every desk sharing it agrees. Picking the depot's town
from the gazetteer fills in its coordinates (which can then be fine-tuned). ``check()`` runs the
controller's own validation and shows the problem at its field; a successful save updates
``context.general`` and emits :attr:`GeneralPage.general_changed`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from senga_desktop.controllers.permissions import Permission
from senga_desktop.controllers.settings import (
    GeneralSettings,
    load_general,
    save_general,
    time_zones,
    validate_general,
)
from senga_desktop.gazetteer import load_gazetteer
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings.page import (
    add_field_row,
    add_section,
    hint_label,
)
from senga_desktop.ui.settings.stored_page import SettingsStore, StoredSettingsPage
from senga_desktop.ui.style import unit

COORDINATE_DECIMALS = 4
WIDE_FIELD_CHARS = 48
NUMBER_FIELD_CHARS = 14
COORDINATES_HINT = "Picking a town fills in its coordinates; adjust them to the depot gate."
SAVED_NOTICE = "Saved. Every desk on this database uses these settings from now on."


class _SearchableCombo(QComboBox):
    """An editable combo box whose completer finds entries by any part of their name."""

    def __init__(self, *, name: str, items: list[str]) -> None:
        super().__init__()
        self.setObjectName(name)
        #: The text field (typed: ``lineEdit()`` may be ``None`` for non-editable combos).
        self.edit = QLineEdit()
        self.setLineEdit(self.edit)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.addItems(items)
        self.finder = QCompleter(items, self)
        self.finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.finder.setFilterMode(Qt.MatchFlag.MatchContains)
        self.finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(self.finder)

    def set_text(self, text: str) -> None:
        """Show ``text``: the matching entry, or the text as typed."""
        index = self.findText(text)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(text)


def _spin(name: str, low: int, high: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin


def _coordinate(name: str, limit: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setDecimals(COORDINATE_DECIMALS)
    spin.setRange(-limit, limit)
    spin.setSingleStep(0.001)
    spin.setSuffix("°")
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin


class GeneralPage(StoredSettingsPage):
    """Depot name and place, time zone, idle lock and the sign-in lockout policy."""

    key = "general"
    title = "General"
    icon_name = "mdi6.tune-variant"
    description = "Settings shared by every desk on this database."
    permission = Permission.SETTINGS_MANAGE
    store = SettingsStore(load=load_general, save=save_general, validate=validate_general)
    saved_notice = SAVED_NOTICE

    #: Saved: the new ``GeneralSettings`` (``context.general`` holds them already).
    general_changed = Signal(object)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        #: The town whose centre the coordinate fields hold (so leaving the town field again
        #: does not undo coordinates tuned by hand).
        self._coordinates_of = ""
        form = self.form_layout()
        self._add_depot_rows(form)
        self._add_policy_rows(form)
        form.addRow("", self.notice)
        self.body.addLayout(form)
        self.body.addStretch(1)

        for edit in (self.name_edit, self.town_combo.edit, self.zone_combo.edit):
            edit.textChanged.connect(self._on_edited)
        for spin in self._spins:
            spin.valueChanged.connect(self._on_edited)
        self._fill(context.general)

    @property
    def _spins(self) -> tuple[QSpinBox | QDoubleSpinBox, ...]:
        return (
            self.latitude_spin,
            self.longitude_spin,
            self.idle_spin,
            self.threshold_spin,
            self.lock_spin,
        )

    def _add_depot_rows(self, form: QFormLayout) -> None:
        chars = self.fontMetrics().averageCharWidth()
        add_section(form, "Depot")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("depot_name")
        self.name_edit.setMaxLength(200)
        self.name_edit.setMaximumWidth(chars * WIDE_FIELD_CHARS)
        self.town_combo = _SearchableCombo(name="depot_town", items=load_gazetteer().names())
        self.town_combo.setMaximumWidth(chars * WIDE_FIELD_CHARS)
        self.town_combo.textActivated.connect(self._on_town_picked)
        self.town_combo.finder.activated.connect(self._on_town_picked)
        self.town_combo.edit.editingFinished.connect(self._on_town_edited)
        self.latitude_spin = _coordinate("depot_latitude", 90.0)
        self.longitude_spin = _coordinate("depot_longitude", 180.0)
        where = QWidget()
        row = QHBoxLayout(where)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(unit(self))
        for text, spin in (("Latitude", self.latitude_spin), ("Longitude", self.longitude_spin)):
            spin.setFixedWidth(chars * NUMBER_FIELD_CHARS)
            label = QLabel(text)
            label.setBuddy(spin)
            row.addWidget(label)
            row.addWidget(spin)
            row.addSpacing(unit(self))
        row.addStretch(1)
        add_field_row(self.errors, form, "Name:", "depot_name", self.name_edit)
        add_field_row(self.errors, form, "Town:", "depot_town", self.town_combo)
        message = add_field_row(self.errors, form, "Coordinates:", "depot_latitude", where)
        # Both coordinates share one message; each takes the focus for its own error.
        self.errors.register("depot_latitude", self.latitude_spin, message)
        self.errors.register("depot_longitude", self.longitude_spin, message)
        hint = hint_label(COORDINATES_HINT)
        form.addRow("", hint)

    def _add_policy_rows(self, form: QFormLayout) -> None:
        chars = self.fontMetrics().averageCharWidth()
        add_section(form, "Time and sign-in protection")
        self.zone_combo = _SearchableCombo(name="time_zone", items=list(time_zones()))
        self.zone_combo.setMaximumWidth(chars * WIDE_FIELD_CHARS)
        self.idle_spin = _spin("idle_lock_minutes", 0, 480, " min")
        self.idle_spin.setSpecialValueText("Never")
        self.idle_spin.setToolTip("0 (Never) keeps the window open however long nobody uses it.")
        self.threshold_spin = _spin("lockout_threshold", 1, 20, "")
        self.lock_spin = _spin("lockout_minutes", 1, 1440, " min")
        for spin in (self.idle_spin, self.threshold_spin, self.lock_spin):
            spin.setFixedWidth(chars * NUMBER_FIELD_CHARS)
        add_field_row(self.errors, form, "Time zone:", "time_zone", self.zone_combo)
        add_field_row(
            self.errors, form, "Lock the window after:", "idle_lock_minutes", self.idle_spin
        )
        add_field_row(
            self.errors,
            form,
            "Failed sign-ins before locking:",
            "lockout_threshold",
            self.threshold_spin,
        )
        add_field_row(
            self.errors, form, "Keep an account locked for:", "lockout_minutes", self.lock_spin
        )

    # -- the form <-> GeneralSettings ---------------------------------------------------------

    def settings(self) -> GeneralSettings:
        """What the form holds now (not yet validated)."""
        return GeneralSettings(
            depot_name=self.name_edit.text(),
            depot_town=self.town_combo.currentText().strip(),
            depot_latitude=self.latitude_spin.value(),
            depot_longitude=self.longitude_spin.value(),
            time_zone=self.zone_combo.currentText().strip(),
            idle_lock_minutes=self.idle_spin.value(),
            lockout_threshold=self.threshold_spin.value(),
            lockout_minutes=self.lock_spin.value(),
        )

    def form_values(self) -> GeneralSettings:
        return self.settings()

    def _show(self, settings: GeneralSettings) -> None:
        widgets = (
            self.name_edit,
            self.town_combo,
            self.latitude_spin,
            self.longitude_spin,
            self.zone_combo,
            self.idle_spin,
            self.threshold_spin,
            self.lock_spin,
        )
        for widget in widgets:
            widget.blockSignals(True)
        for edit in (self.town_combo.edit, self.zone_combo.edit):
            edit.blockSignals(True)
        try:
            self.name_edit.setText(settings.depot_name)
            self.town_combo.set_text(settings.depot_town)
            self.latitude_spin.setValue(settings.depot_latitude)
            self.longitude_spin.setValue(settings.depot_longitude)
            self.zone_combo.set_text(settings.time_zone)
            self.idle_spin.setValue(settings.idle_lock_minutes)
            self.threshold_spin.setValue(settings.lockout_threshold)
            self.lock_spin.setValue(settings.lockout_minutes)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
            for edit in (self.town_combo.edit, self.zone_combo.edit):
                edit.blockSignals(False)
        self._coordinates_of = settings.depot_town

    def _stored(self, settings: GeneralSettings) -> None:
        self.context.general = settings
        self.general_changed.emit(settings)

    def _on_edited(self) -> None:
        self.notice.clear_message()
        self.edited.emit()

    def _on_town_picked(self, text: str) -> None:
        town = load_gazetteer().get(text)
        if town is None:
            return
        self.town_combo.set_text(town.name)
        self.latitude_spin.setValue(town.latitude)
        self.longitude_spin.setValue(town.longitude)
        self._coordinates_of = town.name

    def _on_town_edited(self) -> None:
        town = load_gazetteer().get(self.town_combo.currentText())
        if town is not None and town.name != self._coordinates_of:
            self._on_town_picked(town.name)
