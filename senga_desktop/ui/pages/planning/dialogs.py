"""The planning screen's questions: what a commit will do, and a stale refusal explained."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.ui.style import heading, unit
from senga_desktop.ui.widgets.plan_panel.formatting import clock, zone_of

__all__ = ["StaleDialog", "commit_text", "confirmation_box"]

MAX_TRUCKS_LISTED = 12


def commit_text(view: DecisionView) -> str:
    """What committing ``view`` will do, in a few lines a dispatcher can check."""
    zone = zone_of(view.depot.time_zone)
    routes = sorted(view.routes, key=lambda r: (r.departure is None, r.departure, r.vehicle_id))
    orders = sum(len(r.order_ids) for r in routes)
    lines = [
        f"Commit {len(routes)} routes carrying {orders} orders?",
        "",
        "The orders become assigned and these trucks are reserved (on route):",
    ]
    reference = routes[0].departure if routes else None
    for route in routes[:MAX_TRUCKS_LISTED]:
        towns = ", ".join(route.towns)
        lines.append(
            f"  • {route.vehicle_id} leaves {clock(route.departure, zone, reference)} for {towns}"
        )
    if len(routes) > MAX_TRUCKS_LISTED:
        lines.append(f"  • … and {len(routes) - MAX_TRUCKS_LISTED} more trucks")
    if view.held:
        lines += ["", f"{len(view.held)} held orders stay pending for a later run."]
    return "\n".join(lines)


def confirmation_box(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A Yes/No question wide enough that a truck's line does not wrap."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    width = parent.fontMetrics().averageCharWidth() * 72
    box.setStyleSheet(f"QLabel#qt_msgbox_label {{ min-width: {width}px; }}")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box


class StaleDialog(QDialog):
    """The refusal of a stale commit: the summary first, every changed row behind "Show details",
    and "Plan again" (the dialog's result is then ``PLAN_AGAIN``)."""

    PLAN_AGAIN = 2

    def __init__(self, *, summary: str, details: tuple[str, ...], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("stale_dialog")
        self.setWindowTitle("The plan is out of date")
        u = unit(self)
        self.summary = QLabel(summary)
        self.summary.setObjectName("stale_summary")
        self.summary.setWordWrap(True)
        self.advice = QLabel(
            "Nothing was written. Plan again to make a plan from the orders and trucks as they "
            "are now."
        )
        self.advice.setWordWrap(True)
        self.details = QPlainTextEdit("\n".join(details))
        self.details.setObjectName("stale_details")
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(self.fontMetrics().height() * 10)
        self.details_button = QPushButton(f"Show details ({len(details)})")
        self.details_button.setObjectName("stale_show_details")
        self.details_button.setCheckable(True)
        self.details_button.setEnabled(bool(details))
        self.details_button.toggled.connect(self._on_details_toggled)

        buttons = QDialogButtonBox()
        self.plan_again = buttons.addButton("Plan again", QDialogButtonBox.ButtonRole.AcceptRole)
        self.plan_again.setObjectName("stale_plan_again")
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.plan_again.clicked.connect(lambda: self.done(self.PLAN_AGAIN))
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 3, u * 3, u * 3, u * 3)
        layout.setSpacing(u * 2)
        layout.addWidget(heading("Not committed: things changed since this plan was made", level=2))
        layout.addWidget(self.summary)
        layout.addWidget(self.advice)
        layout.addWidget(self.details_button)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 96)

    def _on_details_toggled(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(
            "Hide details" if shown else f"Show details ({self.details.blockCount()})"
        )
        self.adjustSize()
