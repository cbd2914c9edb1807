"""The board's filter bar: plate search, town, type and capability, and "Show retired".

The filters are applied in SQL by the board controller (:class:`BoardQuery`); this widget only
collects them. The town and type lists come from the last board read (``Board.towns`` and
``Board.types``), so they offer what the fleet actually has; a choice that disappears from the
fleet stays selected until the user changes it. Typing in the search box waits for a pause
before asking again, so a search is one query, not one per key.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QSizePolicy, QWidget

from senga_desktop.controllers.fleet import BoardQuery
from senga_desktop.domain import SpecialHandling
from senga_desktop.ui.pages.fleet.formatting import (
    CAPABILITY_ICONS,
    CAPABILITY_LABELS,
    CAPABILITY_ORDER,
)
from senga_desktop.ui.style import icon, unit
from senga_desktop.ui.widgets.list_controls import (
    FilterBar,
    clear_filters_button,
    search_line_edit,
)

#: How long typing must pause before the search runs.
SEARCH_DELAY_MS = 300
ALL_TOWNS = "All towns"
ALL_TYPES = "All types"
ANY_CAPABILITY = "Any capability"


class BoardFilters(FilterBar):
    """The filter controls above the board; :meth:`query` turns them into a ``BoardQuery``."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(name="fleet_filters", delay_ms=SEARCH_DELAY_MS, parent=parent)
        u = unit(self)
        chars = self.fontMetrics().averageCharWidth()
        self.search_edit = search_line_edit(
            self,
            name="plate_search",
            placeholder="Search plate or fleet number",
            accessible_name="Search by plate or fleet number",
            width_chars=30,
        )
        self.town_combo = self._combo("town_filter", ALL_TOWNS, chars * 18)
        self.type_combo = self._combo("type_filter", ALL_TYPES, chars * 22)
        self.capability_combo = self._combo("capability_filter", ANY_CAPABILITY, chars * 20)
        for capability in CAPABILITY_ORDER:
            self.capability_combo.addItem(
                icon(CAPABILITY_ICONS[capability], widget=self),
                CAPABILITY_LABELS[capability],
                capability,
            )
        self.capability_combo.setToolTip(
            "Trucks that can carry goods needing this: covered goods also fit a refrigerated truck."
        )
        self.retired_box = QCheckBox("Show retired")
        self.retired_box.setObjectName("show_retired")
        self.clear_button = clear_filters_button(self, "Clear filters")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(u)
        layout.addWidget(self.search_edit, 2)
        for combo in (self.town_combo, self.type_combo, self.capability_combo):
            layout.addWidget(combo, 1)
        layout.addSpacing(u)
        layout.addWidget(self.retired_box)
        layout.addWidget(self.clear_button)
        layout.addStretch(0)

        self.search_edit.textChanged.connect(self._on_typed)
        self.search_edit.returnPressed.connect(self._on_changed)
        for combo in (self.town_combo, self.type_combo, self.capability_combo):
            combo.currentIndexChanged.connect(self._on_changed)
        self.retired_box.toggled.connect(self._on_changed)
        self.clear_button.clicked.connect(self.clear)
        self._update_clear_button()

    @staticmethod
    def _combo(name: str, everything: str, width: int) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(everything, None)
        combo.setMinimumWidth(width)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        combo.setAccessibleName(everything.replace("All", "Filter by").replace("Any", "Filter by"))
        return combo

    # -- reading and setting ----------------------------------------------------------------------

    def query(self) -> BoardQuery:
        capability = self.capability_combo.currentData()
        return BoardQuery(
            town=self.town_combo.currentData(),
            vehicle_type=self.type_combo.currentData(),
            capability=SpecialHandling(capability) if capability else None,
            plate_text=self.search_edit.text().strip() or None,
            include_retired=self.retired_box.isChecked(),
        )

    def is_filtering(self) -> bool:
        """Whether anything hides trucks ("Show retired" shows more, so it does not count)."""
        query = self.query()
        return any((query.town, query.vehicle_type, query.capability, query.plate_text))

    def set_choices(self, towns: Sequence[str], types: Sequence[str]) -> None:
        """Offer ``towns`` and ``types``, keeping what is selected now."""
        for combo, values in ((self.town_combo, towns), (self.type_combo, types)):
            current = combo.currentData()
            wanted = list(values)
            if current is not None and current not in wanted:
                wanted.append(current)
            if [combo.itemData(i) for i in range(1, combo.count())] == wanted:
                continue
            combo.blockSignals(True)
            try:
                while combo.count() > 1:
                    combo.removeItem(1)
                for value in wanted:
                    combo.addItem(value, value)
                combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            finally:
                combo.blockSignals(False)

    def select(self, combo: QComboBox, value: str | SpecialHandling | None) -> bool:
        """Choose ``value`` in ``combo`` (``None``: everything); ``False`` if not offered."""
        index = 0 if value is None else combo.findData(value)
        if index < 0:
            return False
        combo.setCurrentIndex(index)
        return True

    # -- the bar's hooks ------------------------------------------------------------------------

    def _filter_inputs(self) -> tuple[QWidget, ...]:
        return (self.search_edit, self.town_combo, self.type_combo, self.capability_combo)

    def _reset(self) -> None:
        """Every truck in service again ("Show retired" is a view choice, not a filter)."""
        self.search_edit.clear()
        for combo in (self.town_combo, self.type_combo, self.capability_combo):
            combo.setCurrentIndex(0)
