"""The figures at the top of a plan, as a compact strip of labelled values.

A plan being edited (and a committed manual edit) also shows its cost against the engine's plan
("+KES 1,240", in the error colour when dearer); other plans have no such cell. When the strip is
too narrow for every cell on one line, the cells wrap onto more lines rather than being cut.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from senga_desktop.controllers.plan_views import DecisionView, PlanTotals
from senga_desktop.ui.style import error_color, muted, scaled_font, unit
from senga_desktop.ui.widgets.plan_panel.formatting import DASH, kes, number, seconds

__all__ = ["TOTAL_KEYS", "TotalsStrip", "cost_change"]

#: (key, caption) in reading order.
TOTAL_KEYS = (
    ("routed", "Orders routed"),
    ("held", "Held"),
    ("trucks", "Trucks"),
    ("tonnes", "Tonnes"),
    ("distance", "Distance"),
    ("cost", "Cost"),
    ("change", "vs engine's plan"),
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
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(u * 2, u, u * 2, u)
        self.grid.setHorizontalSpacing(u * 3)
        self.grid.setVerticalSpacing(u)
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        self._per_line = 0
        self._hidden: set[str] = {"change"}  # keys of the cells not shown
        big = scaled_font(self.font(), 1.3, QFont.Weight.DemiBold)
        for key, caption in TOTAL_KEYS:
            value = QLabel(DASH)
            value.setObjectName(f"total_{key}")
            value.setFont(big)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.captions[key] = muted(QLabel(caption))
        self._reflow(force=True)
        self._show_change(None)

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
        self._show_change(view.cost_change_kes if view is not None else None)
        self._reflow()

    def _show_change(self, change: Decimal | None) -> None:
        """The cost against the engine's plan; the cell is hidden for a plan nobody edited."""
        value = self.values["change"]
        if ("change" in self._hidden) == (change is not None):
            if change is None:
                self._hidden.add("change")
            else:
                self._hidden.discard("change")
            self._reflow(force=True)
        if change is None:
            return
        value.setText(cost_change(change))
        value.setStyleSheet(f"color: {error_color(self)};" if change > 0 else "")
        value.setToolTip(
            "What the edited plan's routes cost more (+) or less (\N{MINUS SIGN}) than the "
            "engine's plan."
        )

    def clear(self) -> None:
        for label in self.values.values():
            label.setText(DASH)
        self._show_change(None)

    # -- lines ----------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()

    def lines(self) -> int:
        """How many lines the cells take now."""
        shown = len(TOTAL_KEYS) - len(self._hidden)
        return -(-shown // max(1, self._per_line))

    def _reflow(self, *, force: bool = False) -> None:
        """As many cells a line as the width allows (all of them when it can); each cell is a
        value over its caption, two rows of the grid."""
        keys = [k for k, _ in TOTAL_KEYS if k not in self._hidden]
        margins = self.grid.contentsMargins()
        room = self.width() - margins.left() - margins.right() - 2 * self.frameWidth()
        spacing = self.grid.horizontalSpacing()
        widths = [
            max(self.values[k].sizeHint().width(), self.captions[k].sizeHint().width())
            for k in keys
        ]
        per_line = len(keys)
        while per_line > 1:
            columns = [max(widths[i::per_line]) for i in range(per_line)]
            # The stretch column after the last cell takes a spacing of its own.
            if sum(columns) + spacing * per_line <= room:
                break
            per_line -= 1
        if per_line == self._per_line and not force:
            return
        self._per_line = per_line
        for key, _ in TOTAL_KEYS:
            self.grid.removeWidget(self.values[key])
            self.grid.removeWidget(self.captions[key])
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
        for n, key in enumerate(keys):
            line, column = divmod(n, per_line)
            self.grid.addWidget(self.values[key], 2 * line, column)
            self.grid.addWidget(self.captions[key], 2 * line + 1, column)
        for key, _ in TOTAL_KEYS:
            shown = key not in self._hidden
            self.values[key].setVisible(shown)
            self.captions[key].setVisible(shown)
        self.grid.setColumnStretch(per_line, 1)


def cost_change(change: Decimal) -> str:
    """The cost against the engine's plan: ``+KES 1,240``, ``KES 0``, or a minus sign before
    ``KES 380`` when cheaper."""
    whole = change.quantize(Decimal(1))
    if whole == 0:
        return "KES 0"
    sign = "+" if whole > 0 else "\N{MINUS SIGN}"
    return f"{sign}{kes(abs(whole))}"
