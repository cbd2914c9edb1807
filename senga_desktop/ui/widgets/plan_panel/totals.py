"""The figures at the top of a plan, as a compact strip of labelled values."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from senga_desktop.controllers.plan_views import DecisionView, PlanTotals
from senga_desktop.ui.style import muted, scaled_font, unit
from senga_desktop.ui.widgets.plan_panel.formatting import DASH, kes, number, seconds

__all__ = ["TOTAL_KEYS", "TotalsStrip"]

#: (key, caption) in reading order.
TOTAL_KEYS = (
    ("routed", "Orders routed"),
    ("held", "Held"),
    ("trucks", "Trucks"),
    ("tonnes", "Tonnes"),
    ("distance", "Distance"),
    ("cost", "Cost"),
    ("revenue", "Revenue"),
    ("margin", "Margin"),
    ("confidence", "Confidence"),
    ("compute", "Compute time"),
    ("seed", "Seed"),
)


class TotalsStrip(QFrame):
    """Value over caption, one cell per figure; cells a decision does not have show a dash."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_totals")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        u = unit(self)
        grid = QGridLayout(self)
        grid.setContentsMargins(u * 2, u, u * 2, u)
        grid.setHorizontalSpacing(u * 3)
        grid.setVerticalSpacing(0)
        self.values: dict[str, QLabel] = {}
        big = scaled_font(self.font(), 1.3, QFont.Weight.DemiBold)
        for column, (key, caption) in enumerate(TOTAL_KEYS):
            value = QLabel(DASH)
            value.setObjectName(f"total_{key}")
            value.setFont(big)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(value, 0, column)
            grid.addWidget(muted(QLabel(caption)), 1, column)
            self.values[key] = value
        grid.setColumnStretch(len(TOTAL_KEYS), 1)

    def show_totals(self, totals: PlanTotals, view: DecisionView | None = None) -> None:
        texts = {
            "routed": f"{totals.orders_routed:,}",
            "held": f"{totals.orders_held:,}",
            "trucks": f"{totals.trucks_used:,}",
            "tonnes": f"{number(totals.tonnes)} t",
            "distance": f"{number(totals.distance_km, 0)} km",
            "cost": kes(totals.cost_kes),
            "revenue": kes(totals.revenue_kes),
            "margin": kes(totals.margin_kes),
            "confidence": DASH,
            "compute": DASH,
            "seed": DASH,
        }
        if view is not None:
            if view.confidence is not None:
                texts["confidence"] = f"{view.confidence * 100:.0f} %"
            texts["compute"] = seconds(view.computation_ms)
            texts["seed"] = str(view.seed) if view.seed is not None else DASH
        for key, text in texts.items():
            self.values[key].setText(text)
        margin = self.values["margin"]
        margin.setToolTip("Revenue minus the estimated cost of the routes.")

    def clear(self) -> None:
        for label in self.values.values():
            label.setText(DASH)
