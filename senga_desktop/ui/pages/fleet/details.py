"""The pane beside the board: everything about the selected truck, and what can be done to it.

The board's cards show what a dispatcher scans for; this pane adds what a decision needs: the
costs, the shift and trip length, today's routes against the shift, notes, and routes flagged
because of the truck.
The page puts its action buttons (for managers) at the bottom, under :attr:`actions_layout`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from senga_desktop.controllers.fleet import VehicleInfo
from senga_desktop.ui.pages.fleet.formatting import (
    STATUS_LABELS,
    capabilities_text,
    capacity_text,
    free_text,
    kes,
    shift_text,
    status_color,
    use_text,
)
from senga_desktop.ui.settings.page import WrappedLabel
from senga_desktop.ui.style import heading, muted, unit

#: The pane's width in average characters.
PANE_CHARS = 40
NOTHING_SELECTED = "Select a truck to see its costs, shift, notes and flagged routes."

#: (key, label) of the facts, top to bottom.
FACTS = (
    ("capacity", "Capacity"),
    ("location", "Location"),
    ("free", "Availability"),
    ("capabilities", "Capabilities"),
    ("shift", "Shift"),
    ("today", "Today"),
    ("running", "Running cost"),
    ("driver", "Driver cost"),
    ("fixed", "Fixed cost"),
    ("flagged", "Flagged routes"),
    ("notes", "Notes"),
)


class TruckDetails(QFrame):
    """The selected truck's details (or a hint to select one) and the page's action buttons."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("truck_details")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setFixedWidth(self.fontMetrics().averageCharWidth() * PANE_CHARS)
        self.vehicle: VehicleInfo | None = None
        u = unit(self)
        self.facts = QWidget()
        facts_layout = QVBoxLayout(self.facts)
        facts_layout.setContentsMargins(0, 0, 0, 0)
        facts_layout.setSpacing(u)
        self._build_header(facts_layout)
        facts_layout.addSpacing(u // 2)
        facts_layout.addLayout(self._build_form())

        self.placeholder = muted(QLabel(NOTHING_SELECTED))
        self.placeholder.setObjectName("details_placeholder")
        self.placeholder.setWordWrap(True)
        #: The page's buttons for the selected truck go here.
        self.actions_layout = QVBoxLayout()
        self.actions_layout.setSpacing(u)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        layout.setSpacing(u * 2)
        layout.addWidget(self.facts)
        layout.addWidget(self.placeholder)
        layout.addStretch(1)
        layout.addLayout(self.actions_layout)
        self.show_vehicle(None)

    def _build_header(self, layout: QVBoxLayout) -> None:
        u = unit(self)
        self.title_label = heading("", level=2, name="details_title")
        self.subtitle_label = muted(QLabel())
        self.subtitle_label.setObjectName("details_subtitle")
        self.subtitle_label.setWordWrap(True)
        self.status_dot = QLabel()
        self.status_dot.setFixedSize(u * 3 // 2, u * 3 // 2)
        self.status_label = QLabel()
        self.status_label.setObjectName("details_status")
        self.status_label.setWordWrap(True)
        status_row = QHBoxLayout()
        status_row.setSpacing(u)
        status_row.addWidget(self.status_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        status_row.addWidget(self.status_label, 1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addLayout(status_row)

    def _build_form(self) -> QFormLayout:
        u = unit(self)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setHorizontalSpacing(u * 2)
        self.form.setVerticalSpacing(u * 3 // 4)
        self.values: dict[str, WrappedLabel] = {}
        for key, label in FACTS:
            value = WrappedLabel()
            value.setObjectName(f"details_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.form.addRow(muted(QLabel(label)), value)
        return self.form

    def show_vehicle(
        self,
        vehicle: VehicleInfo | None,
        zone: ZoneInfo | None = None,
        now: datetime | None = None,
    ) -> None:
        """Show ``vehicle`` as read at ``now`` (times in ``zone``), or the hint to pick one."""
        self.vehicle = vehicle
        self.facts.setVisible(vehicle is not None)
        self.placeholder.setVisible(vehicle is None)
        if vehicle is None or zone is None or now is None:
            return
        self.title_label.setText(vehicle.label)
        number = vehicle.vehicle_id if vehicle.vehicle_id != vehicle.label else ""
        self.subtitle_label.setText(" · ".join(filter(None, (number, vehicle.vehicle_type))))
        colour = status_color(vehicle.status, self).name()
        radius = self.status_dot.width() // 2
        self.status_dot.setStyleSheet(f"background: {colour}; border-radius: {radius}px;")
        self.status_label.setText(STATUS_LABELS[vehicle.status])
        # Planned, not yet exposed by every controller version: shown when the board has it.
        flagged: tuple[str, ...] = tuple(getattr(vehicle, "flagged_routes", ()) or ())
        texts = {
            "capacity": capacity_text(vehicle),
            "location": vehicle.location_name or "Unknown",
            "free": free_text(vehicle, zone, now),
            "capabilities": capabilities_text(vehicle),
            "shift": shift_text(vehicle),
            "today": use_text(vehicle),
            "running": f"{kes(vehicle.fuel_cost_per_km)} per km",
            "driver": f"{kes(vehicle.driver_cost_per_hour)} per hour",
            "fixed": f"{kes(vehicle.fixed_cost_kes)} per day used",
            "flagged": ", ".join(flagged),
            "notes": vehicle.notes or "",
        }
        for key, value in self.values.items():
            value.setText(texts[key])
            visible = bool(texts[key])
            value.setVisible(visible)
            self.form.labelForField(value).setVisible(visible)
