"""Choosing a truck for an edit: "Move to route…", "Swap truck…" and "Split route here".

:func:`truck_choices` lists the trucks an edit may go to — those with a route on the plan being
edited (with the room left on them) and, where the edit allows, the free ones (their whole
capacity) — and :class:`TruckPicker` lets the dispatcher choose one: truck, type, its route now
and the room left, so a move onto a full truck is a choice made knowingly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.plan_editing import FreeTruck
from senga_desktop.controllers.plan_views import RouteView
from senga_desktop.ui.style import error_color, heading, unit
from senga_desktop.ui.widgets.plan_panel.formatting import number

__all__ = ["TruckChoice", "TruckPicker", "truck_choices"]

VEHICLE_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_TOWNS = 3


@dataclass(frozen=True, slots=True)
class TruckChoice:
    """A truck an edit may go to: what it carries now and the room it has left."""

    vehicle_id: str
    vehicle_type: str
    route: str  # "4 stops: Thika → Nyeri" or "free, at Nairobi Depot"
    room_tonnes: Decimal  # capacity less the largest load of one trip (negative: over)
    room_m3: Decimal
    capacity_tonnes: Decimal
    has_route: bool

    @property
    def room(self) -> str:
        """``1.2 t · 3.4 m³ free of 5.0 t`` or ``over by 0.4 t``."""
        if self.room_tonnes < 0:
            return f"over by {number(-self.room_tonnes)} t"
        return (
            f"{number(self.room_tonnes)} t \N{MIDDLE DOT} {number(self.room_m3)} m³ free of "
            f"{number(self.capacity_tonnes)} t"
        )


def _route_text(route: RouteView) -> str:
    towns = list(route.towns)
    shown = " → ".join(towns[:MAX_TOWNS]) + (" …" if len(towns) > MAX_TOWNS else "")
    stops = len(route.stops)
    trips = f", {route.trip_count} trips" if route.trip_count > 1 else ""
    return f"{stops} stop{'s' * (stops != 1)}{trips}: {shown}"


def truck_choices(
    routes: Sequence[RouteView], free: Iterable[FreeTruck], *, exclude: str | None = None
) -> list[TruckChoice]:
    """The trucks with a route (in the plan's order), then the free ones; without ``exclude``
    (the truck the order or route is on now)."""
    choices = [
        TruckChoice(
            r.vehicle_id,
            r.vehicle_type,
            _route_text(r),
            r.capacity_tonnes - r.load_tonnes,
            r.capacity_m3 - r.load_m3,
            r.capacity_tonnes,
            True,
        )
        for r in routes
        if r.vehicle_id != exclude
    ]
    choices += [
        TruckChoice(
            t.vehicle_id,
            t.vehicle_type,
            f"free, at {t.town}",
            t.capacity_tonnes,
            t.capacity_m3,
            t.capacity_tonnes,
            False,
        )
        for t in sorted(free, key=lambda t: t.vehicle_id)
        if t.vehicle_id != exclude
    ]
    return choices


class TruckPicker(QDialog):
    """Choose one truck of ``choices``; :meth:`chosen` after ``exec()`` accepted."""

    def __init__(
        self,
        *,
        title: str,
        prompt: str,
        choices: Sequence[TruckChoice],
        ok_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("truck_picker")
        self.setWindowTitle(title)
        u = unit(self)
        self.prompt = QLabel(prompt)
        self.prompt.setObjectName("truck_picker_prompt")
        self.prompt.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("truck_picker_list")
        self.tree.setHeaderLabels(["Truck", "Type", "Now", "Room left"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        over = QBrush(QColor(error_color(self)))
        for choice in choices:
            item = QTreeWidgetItem(
                [choice.vehicle_id, choice.vehicle_type, choice.route, choice.room]
            )
            item.setData(0, VEHICLE_ROLE, choice.vehicle_id)
            item.setToolTip(2, choice.route)
            if choice.room_tonnes < 0:
                item.setForeground(3, over)
            self.tree.addTopLevelItem(item)
        self.tree.itemDoubleClicked.connect(lambda *_: self.accept())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.tree.currentItemChanged.connect(
            lambda current, _old: self.ok_button.setEnabled(current is not None)
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 3, u * 3, u * 3, u * 3)
        layout.setSpacing(u * 2)
        layout.addWidget(heading(title, level=2))
        layout.addWidget(self.prompt)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 110, self.fontMetrics().height() * (min(len(choices), 14) + 12))
        if choices:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def choose(self, vehicle_id: str) -> bool:
        """Select ``vehicle_id``'s row (as a click would); ``False`` if it is not listed."""
        for n in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(n)
            if item.data(0, VEHICLE_ROLE) == vehicle_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def chosen(self) -> str | None:
        item = self.tree.currentItem()
        value = item.data(0, VEHICLE_ROLE) if item is not None else None
        return str(value) if value else None
