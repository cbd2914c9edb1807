"""Which orders and trucks take part in a run: all pending / by town / due before; all
available trucks / a chosen set; during the day, whether committed routes that have not left may
take extra stops (and how many trucks are out on route, which are never re-planned)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.planning import PlanScope
from senga_desktop.controllers.planning_day import DayStatus
from senga_desktop.controllers.planning_views import PlanningOptions
from senga_desktop.ui.style import muted
from senga_desktop.ui.widgets.depot_inputs import DepotDateTimeEdit
from senga_desktop.ui.widgets.plan_panel.formatting import number, zone_of

__all__ = ["ScopeForm"]


EXTEND_TEXT = "Committed routes that have not left may take extra stops"


class _ClickLabel(QLabel):
    """A check box's word-wrapped text: a click on it ticks or unticks the box."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.toggle()
        super().mouseReleaseEvent(event)


def _checkable_list(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setMaximumHeight(widget.fontMetrics().height() * 8)
    widget.setEnabled(False)
    return widget


class ScopeForm(QWidget):
    """The scope of a run, filled from :class:`PlanningOptions`; :meth:`scope` reads it."""

    changed = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._options: PlanningOptions | None = None

        orders = QGroupBox("Orders")
        self.all_orders = QRadioButton("All pending orders")
        self.all_orders.setObjectName("scope_all_orders")
        self.by_town = QRadioButton("Only orders to these towns")
        self.by_town.setObjectName("scope_by_town")
        self.due_before = QRadioButton("Only orders due before")
        self.due_before.setObjectName("scope_due_before")
        self.all_orders.setChecked(True)
        self.towns = _checkable_list("scope_towns")
        self.due_edit = DepotDateTimeEdit(name="scope_due_edit", zone=zone_of("Africa/Nairobi"))
        self.due_edit.setEnabled(False)
        self._order_group = QButtonGroup(self)
        for button in (self.all_orders, self.by_town, self.due_before):
            self._order_group.addButton(button)
        box = QVBoxLayout(orders)
        box.addWidget(self.all_orders)
        box.addWidget(self.by_town)
        box.addWidget(self.towns)
        box.addWidget(self.due_before)
        box.addWidget(self.due_edit)

        trucks = QGroupBox("Trucks")
        self.all_trucks = QRadioButton("All available trucks")
        self.all_trucks.setObjectName("scope_all_trucks")
        self.chosen_trucks = QRadioButton("Only these trucks")
        self.chosen_trucks.setObjectName("scope_chosen_trucks")
        self.all_trucks.setChecked(True)
        self.trucks = _checkable_list("scope_trucks")
        self._truck_group = QButtonGroup(self)
        self._truck_group.addButton(self.all_trucks)
        self._truck_group.addButton(self.chosen_trucks)
        tbox = QVBoxLayout(trucks)
        tbox.addWidget(self.all_trucks)
        tbox.addWidget(self.chosen_trucks)
        tbox.addWidget(self.trucks)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(orders)
        layout.addWidget(trucks)
        layout.addWidget(self._build_day())
        self._order_group.buttonToggled.connect(self._on_mode_changed)
        self._truck_group.buttonToggled.connect(self._on_mode_changed)
        self.towns.itemChanged.connect(self.changed)
        self.trucks.itemChanged.connect(self.changed)

    def _build_day(self) -> QGroupBox:
        """Re-planning during the day: shown once something is committed or out on route."""
        self._waiting = 0
        self.day_box = QGroupBox("Committed routes")
        self.day_box.setObjectName("scope_day")
        # A check box does not wrap its text: the sentence is a label beside it that ticks it.
        self.extend_committed = QCheckBox()
        self.extend_committed.setObjectName("scope_extend_committed")
        self.extend_committed.setAccessibleName(EXTEND_TEXT)
        self.extend_committed.toggled.connect(self.changed)
        self.extend_label = _ClickLabel(EXTEND_TEXT, self.extend_committed)
        self.extend_label.setObjectName("scope_extend_label")
        self.extend_help = muted(QLabel())
        self.extend_help.setObjectName("scope_extend_help")
        self.extend_help.setWordWrap(True)
        self.out_note = muted(QLabel())
        self.out_note.setObjectName("scope_out_on_route")
        self.out_note.setWordWrap(True)
        self.extend_row = QWidget()
        row = QHBoxLayout(self.extend_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.extend_committed, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.extend_label, 1)
        box = QVBoxLayout(self.day_box)
        box.addWidget(self.extend_row)
        box.addWidget(self.extend_help)
        box.addWidget(self.out_note)
        self.day_box.hide()
        return self.day_box

    def set_day(self, day: DayStatus) -> None:
        """Offer extending the committed routes that have not left; say how many trucks are out."""
        self._waiting = waiting = len(day.waiting)
        self.extend_row.setVisible(waiting > 0)
        self.extend_help.setVisible(waiting > 0)
        if not waiting:
            self.extend_committed.setChecked(False)
        self.extend_help.setText(
            "1 committed route has not left yet. Ticked, it may take extra stops; committing "
            "amends it."
            if waiting == 1
            else f"{waiting} committed routes have not left yet. Ticked, they may take extra "
            "stops; committing amends them."
        )
        out = len(day.out_on_route)
        self.out_note.setVisible(out > 0)
        self.out_note.setText(
            "1 truck is out on route: it is not re-planned."
            if out == 1
            else f"{out} trucks are out on route: they are not re-planned."
        )
        self.day_box.setVisible(not day.quiet)

    def plan_problem(self, options: PlanningOptions | None) -> str | None:
        """Why Plan cannot run, or ``None``. With no truck free, committed routes that have not
        left may still take the new orders — when the dispatcher allows it."""
        if options is None:
            return None
        if not options.pending_orders or options.trucks or not self._waiting:
            return options.problem
        if self.extending():
            return None
        return f"{options.problem} Or let committed routes that have not left take extra stops."

    def extending(self) -> bool:
        """Committed routes that have not left may take extra stops."""
        return self._waiting > 0 and self.extend_committed.isChecked()

    def set_options(self, options: PlanningOptions) -> None:
        """Offer the pending towns and available trucks; keeps what was ticked where it still is."""
        ticked_towns = self._ticked(self.towns)
        ticked_trucks = self._ticked(self.trucks)
        self._options = options
        self.towns.clear()
        for town in options.towns:
            item = QListWidgetItem(f"{town.town} ({town.pending})")
            item.setData(Qt.ItemDataRole.UserRole, town.town)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if town.town in ticked_towns else Qt.CheckState.Unchecked
            )
            self.towns.addItem(item)
        self.trucks.clear()
        for truck in options.trucks:
            text = (
                f"{truck.vehicle_id} · {truck.vehicle_type} · {number(truck.capacity_tonnes)} t"
                + (f" · {truck.town}" if truck.town else "")
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, truck.vehicle_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked
                if truck.vehicle_id in ticked_trucks
                else Qt.CheckState.Unchecked
            )
            self.trucks.addItem(item)
        self.due_edit.zone = zone_of(options.time_zone)  # type: ignore[assignment]
        if options.due_to is not None and not self.due_before.isChecked():
            soon = max(options.due_from or options.due_to, datetime.now(options.due_to.tzinfo))
            self.due_edit.set_value(soon + timedelta(hours=24))

    def scope(self) -> PlanScope:
        towns: frozenset[str] = frozenset()
        due = None
        vehicles = None
        if self.by_town.isChecked():
            towns = frozenset(self._ticked(self.towns))
        if self.due_before.isChecked():
            due = self.due_edit.value()
        if self.chosen_trucks.isChecked():
            vehicles = frozenset(self._ticked(self.trucks))
        return PlanScope(towns=towns, due_before=due, vehicle_ids=vehicles)

    def problem(self) -> str | None:
        """What is wrong with the scope as ticked, in words; ``None`` when it can run."""
        if self.by_town.isChecked() and not self._ticked(self.towns):
            return "Tick at least one town, or plan all pending orders."
        if self.chosen_trucks.isChecked() and not self._ticked(self.trucks):
            return "Tick at least one truck, or plan with every available truck."
        return None

    def tick(self, list_widget: QListWidget, keys: set[str]) -> None:
        for row in range(list_widget.count()):
            item = list_widget.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in keys
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    @staticmethod
    def _ticked(list_widget: QListWidget) -> set[str]:
        return {
            str(list_widget.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(list_widget.count())
            if list_widget.item(row).checkState() == Qt.CheckState.Checked
        }

    def _on_mode_changed(self) -> None:
        self.towns.setEnabled(self.by_town.isChecked())
        self.due_edit.setEnabled(self.due_before.isChecked())
        self.trucks.setEnabled(self.chosen_trucks.isChecked())
        self.changed.emit()
