"""Input widgets the fleet dialogs share: a depot-time picker, a searchable town box, figures.

Times are picked as wall-clock time in the depot's zone (whatever zone the desk's computer is
set to) and handed to controllers as aware datetimes; figures are spin boxes whose values become
``Decimal`` with exactly the decimals shown, so a cost typed as 85.50 is stored as 85.50.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from senga_desktop.domain import MAX_TRIP_DAYS
from senga_desktop.gazetteer import load_gazetteer
from senga_desktop.ui.style import muted, unit
from senga_desktop.ui.widgets.depot_inputs import DepotDateTimeEdit, ExactSpin, zone_caption

#: The fleet's dialogs spell the month out (the order screens use the shorter numeric date).
DATE_TIME_FORMAT = "ddd d MMM yyyy  HH:mm"


class DepotTimeField(QWidget):
    """A date and time in the depot's zone, with an optional "not set" box.

    ``none_text`` labels a check box that, ticked, means "no time" (``value()`` is ``None``):
    "Now" for a truck free at once, "Not known yet" for a return date. Without it a time is
    always given.
    """

    #: The time (or "no time") changed, by the user or by :meth:`set_value`.
    value_changed = Signal()

    def __init__(
        self,
        *,
        name: str,
        zone: ZoneInfo,
        none_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.zone = zone
        #: Whether "no time" can be chosen (there is a ``none_text`` box).
        self.optional = none_text is not None
        self.edit = DepotDateTimeEdit(
            name=f"{name}_edit", zone=zone, display_format=DATE_TIME_FORMAT
        )
        self.none_box = QCheckBox(none_text or "")
        self.none_box.setObjectName(f"{name}_none")
        self.none_box.setVisible(self.optional)
        self.zone_label = muted(QLabel(zone_caption(zone)))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(unit(self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.zone_label)
        layout.addWidget(self.none_box)
        self.none_box.toggled.connect(self._on_none_toggled)
        self.edit.dateTimeChanged.connect(self._on_edited)
        self.setFocusProxy(self.edit)

    def value(self) -> datetime | None:
        """The picked time as an aware datetime in the depot's zone, or ``None``."""
        if self.optional and self.none_box.isChecked():
            return None
        return self.edit.local_value()

    def set_value(self, when: datetime | None, *, default: datetime | None = None) -> None:
        """Show ``when`` (``None``: tick the "not set" box and show ``default`` greyed)."""
        shown = when or default
        if shown is not None:
            self.edit.set_value(shown)
        self.none_box.setChecked(when is None and self.optional)
        self.edit.setEnabled(not self.none_box.isChecked())
        self.value_changed.emit()

    def _on_none_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(not checked)
        self.value_changed.emit()

    def _on_edited(self, _when: QDateTime) -> None:
        self.value_changed.emit()


class SearchableCombo(QComboBox):
    """An editable combo box whose completer finds entries by any part of their name."""

    def __init__(self, *, name: str, items: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        #: The text field (typed: ``lineEdit()`` may be ``None`` for non-editable combos).
        self.edit = QLineEdit()
        self.setLineEdit(self.edit)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.addItems(items)
        finder = QCompleter(items, self)
        finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        finder.setFilterMode(Qt.MatchFlag.MatchContains)
        finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(finder)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        """Show ``text``: the matching entry, or the text as typed."""
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(text)


def town_combo(*, name: str, depot_name: str) -> SearchableCombo:
    """The towns a truck can be at: the depot first, then every gazetteer town."""
    towns = [depot_name, *(t for t in load_gazetteer().names() if t != depot_name)]
    combo = SearchableCombo(name=name, items=towns)
    combo.edit.setPlaceholderText(depot_name)
    return combo


class FigureSpin(ExactSpin):
    """A figure with a unit suffix whose value reads back as an exact ``Decimal``."""

    def __init__(
        self, *, name: str, decimals: int, maximum: float, suffix: str, step: float = 1.0
    ) -> None:
        super().__init__(name=name, decimals=decimals, maximum=maximum)
        self.setSingleStep(step)
        self.setSuffix(f" {suffix}")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)


TRIP_DAYS_TOOLTIP = (
    "How many days one trip may take. 1: the truck is back at the depot the same day, within "
    "the shift. More: a long-haul truck (to Mombasa, Kisumu, Eldoret…) may be away for up to "
    "that many days; its driver still works only the shift each day and rests overnight on "
    "the way, and planning counts those rests in the trip's time and cost."
)


class TripDaysSpin(QSpinBox):
    """The trip length in whole days (1 to 7), read as "1 day", "3 days"."""

    def __init__(self, *, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setRange(1, MAX_TRIP_DAYS)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setToolTip(TRIP_DAYS_TOOLTIP)
        self.valueChanged.connect(self._on_value_changed)
        self._on_value_changed(self.value())

    def _on_value_changed(self, days: int) -> None:
        self.setSuffix(" day" if days == 1 else " days")
