"""Two decisions side by side: cost, km, orders routed and trucks used, and the orders that moved.

The figures come from :func:`~senga_desktop.controllers.decisions.compare_decisions` (run by the
page on the task runner); this dialog only shows the comparison it is given.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.plan_views import DecisionComparison, SideFigures
from senga_desktop.ui.context import APPLICATION_NAME
from senga_desktop.ui.pages.decisions.decisions_model import RecordColumn, RecordsModel
from senga_desktop.ui.pages.orders.formatting import amount, money, plural
from senga_desktop.ui.pages.orders.list_parts import configure_table
from senga_desktop.ui.pages.routes.formatting import POLICY_LABELS
from senga_desktop.ui.style import heading, muted, unit

__all__ = ["NOT_ROUTED", "CompareDialog"]

NOT_ROUTED = "not routed"


def _difference(a: Decimal | int, b: Decimal | int, text: str) -> str:
    """B against A: "+1,200.00", "minus 3" with a minus sign, or "same"."""
    delta = b - a
    if delta == 0:
        return "same"
    sign = "+" if delta > 0 else "\N{MINUS SIGN}"
    return f"{sign}{text.lstrip('-')}"


class CompareDialog(QDialog):
    """Decision A against decision B."""

    def __init__(self, *, comparison: DecisionComparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compare_dialog")
        self.comparison = comparison
        a, b = comparison.a, comparison.b
        self.setWindowTitle(f"Compare decisions \N{EM DASH} {APPLICATION_NAME}")
        u = unit(self)
        title = heading(f"{a.decision_id}  vs  {b.decision_id}", level=2, name="compare_title")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(u * 4)
        self.grid.setVerticalSpacing(u)
        headers = ("", self._side_title("A", a), self._side_title("B", b), "B against A")
        for column, text in enumerate(headers):
            label = QLabel(text)
            label.setStyleSheet("font-weight: 600")
            self.grid.addWidget(label, 0, column)
        rows = (
            ("Cost (KES)", a.cost_kes, b.cost_kes, money),
            ("Distance (km)", a.distance_km, b.distance_km, lambda v: amount(v, places=1)),
            ("Orders routed", a.orders_routed, b.orders_routed, lambda v: f"{v:,}"),
            ("Trucks used", a.trucks_used, b.trucks_used, lambda v: f"{v:,}"),
        )
        self.cells: dict[str, tuple[str, str, str]] = {}
        for row, (name, left, right, fmt) in enumerate(rows, start=1):
            texts = (fmt(left), fmt(right), _difference(left, right, fmt(abs(right - left))))
            self.cells[name] = texts
            self.grid.addWidget(QLabel(name), row, 0)
            for column, text in enumerate(texts, start=1):
                cell = QLabel(text)
                cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.grid.addWidget(cell, row, column)
        moved = comparison.moved
        self.moved_label = muted(
            QLabel(
                f"{plural(len(moved), 'order')} treated differently (orders on the same truck "
                "in both are left out)."
                if moved
                else "Every order is on the same truck in both decisions."
            )
        )
        self.moved_label.setObjectName("moved_summary")
        self.moved_label.setWordWrap(True)
        self.moved_model = RecordsModel(
            columns=[
                RecordColumn("Order", lambda m: m.order_id),
                RecordColumn("Truck in A", lambda m: m.truck_a or NOT_ROUTED),
                RecordColumn("Truck in B", lambda m: m.truck_b or NOT_ROUTED),
            ],
            parent=self,
        )
        self.moved_model.set_records(moved)
        self.moved_table = QTableView()
        self.moved_table.setObjectName("moved_orders")
        self.moved_table.setModel(self.moved_model)
        configure_table(self.moved_table)
        chars = self.fontMetrics().averageCharWidth()
        self.moved_table.resizeColumnsToContents()
        for column in range(3):
            width = max(self.moved_table.columnWidth(column), chars * 18)
            self.moved_table.setColumnWidth(column, width)
        self.moved_table.setVisible(bool(moved))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 3, u * 3, u * 3, u * 5 // 2)
        layout.setSpacing(u * 2)
        layout.addWidget(title)
        layout.addLayout(self.grid)
        layout.addWidget(heading("Orders that moved", level=3))
        layout.addWidget(self.moved_label)
        layout.addWidget(self.moved_table, 1)
        layout.addWidget(buttons)
        self.resize(chars * 80, self.fontMetrics().height() * 32)

    @staticmethod
    def _side_title(letter: str, side: SideFigures) -> str:
        return f"{letter}: {side.decision_id} ({POLICY_LABELS.get(side.policy, side.policy)})"
