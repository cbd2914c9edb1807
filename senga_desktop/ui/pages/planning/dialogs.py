"""The planning screen's questions: what a commit will do (new routes, amended committed routes),
a stale refusal explained, and the constraints an edited plan breaks before it is committed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.controllers.planning_day import Amendment, added_counts
from senga_desktop.ui.style import heading, unit
from senga_desktop.ui.widgets.plan_panel.formatting import clock, zone_of
from senga_desktop.ui.widgets.plan_panel.violation_marks import warning_icon

__all__ = [
    "StaleDialog",
    "ViolationsDialog",
    "commit_text",
    "committed_text",
    "confirmation_box",
    "refused_violations",
]

MAX_TRUCKS_LISTED = 12


def commit_text(view: DecisionView, amendments: Sequence[Amendment] = ()) -> str:
    """What committing ``view`` will do, in a few lines a dispatcher can check: the new routes
    and their trucks, then the committed routes it amends and what it adds to them."""
    zone = zone_of(view.depot.time_zone)
    amended = {a.vehicle_id for a in amendments}
    routes = sorted(
        (r for r in view.routes if r.vehicle_id not in amended),
        key=lambda r: (r.departure is None, r.departure, r.vehicle_id),
    )
    orders = sum(len(r.order_ids) for r in routes)
    extending, added = added_counts(amendments)
    parts = [f"commit {len(routes)} routes carrying {orders} orders"] if routes else []
    if extending:
        route_word = "route" if extending == 1 else "routes"
        parts.append(f"add {added} orders to {extending} committed {route_word}")
    question = " and ".join(parts)
    question = (
        question[0].upper() + question[1:] + "?"
        if question
        else "Commit this plan? It adds no route and no stop."
    )
    lines = [question, ""]
    if routes:
        lines.append("The orders become assigned and these trucks are reserved (on route):")
    elif amendments:
        lines.append("No new truck is reserved.")
    reference = routes[0].departure if routes else None
    for route in routes[:MAX_TRUCKS_LISTED]:
        towns = ", ".join(route.towns)
        lines.append(
            f"  • {route.vehicle_id} leaves {clock(route.departure, zone, reference)} for {towns}"
        )
    if len(routes) > MAX_TRUCKS_LISTED:
        lines.append(f"  • … and {len(routes) - MAX_TRUCKS_LISTED} more trucks")
    lines += _amendment_lines(amendments)
    if view.held:
        lines += ["", f"{len(view.held)} held orders stay pending for a later run."]
    return "\n".join(lines)


def committed_text(view: DecisionView, amendments: Sequence[Amendment] = ()) -> str:
    """``Committed: 4 routes, 17 orders, 4 trucks reserved. 1 committed route amended (2
    orders added).`` — what committing ``view`` did."""
    amended = {a.vehicle_id for a in amendments}
    routes = [r for r in view.routes if r.vehicle_id not in amended]
    trucks = len({r.vehicle_id for r in routes})
    orders = sum(len(r.order_ids) for r in routes)
    text = f"Committed: {len(routes)} routes, {orders} orders, {trucks} trucks reserved."
    changed, added = added_counts(amendments)
    if changed:
        routes_word = "route" if changed == 1 else "routes"
        text += f" {changed} committed {routes_word} amended ({added} orders added)."
    return text


def _amendment_lines(amendments: Sequence[Amendment]) -> list[str]:
    """The committed routes that change (amended, never a second route) and those that stay."""
    changing = [a for a in amendments if a.added_orders or a.changed]
    staying = len(amendments) - len(changing)
    lines = []
    if changing:
        lines += ["", "Committed routes that have not left (amended, never a second route):"]
        lines += [f"  • {a.vehicle_id} {a.sentence}" for a in changing]
    if staying:
        routes = "1 committed route stays" if staying == 1 else f"{staying} committed routes stay"
        lines += ["", f"{routes} exactly as committed (no extra stop)."]
    return lines


def confirmation_box(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A Yes/No question wide enough that a truck's line does not wrap."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    width = parent.fontMetrics().averageCharWidth() * 84  # a committed route id fits
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


def refused_violations(message: str) -> list[str]:
    """The violation sentences of a commit refused for them (the message's bullet lines)."""
    return [line[2:].strip() for line in message.splitlines() if line.startswith("\N{BULLET} ")]


class ViolationsDialog(QDialog):
    """An edited plan breaks constraints the engine's plan keeps: each one listed, and the
    choice to commit it anyway (the dialog's result is then ``COMMIT_ANYWAY``) or go back."""

    COMMIT_ANYWAY = 2

    def __init__(self, *, violations: Sequence[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("violations_dialog")
        self.setWindowTitle("Commit a plan that breaks constraints?")
        u = unit(self)
        count = len(violations)
        what = "constraint" if count == 1 else "constraints"
        self.title = heading(f"The edited plan breaks {count} {what} the engine's plan keeps",
                             level=2)  # fmt: skip
        self.explanation = QLabel(
            "If you commit it anyway, the decision records each of these as accepted by you, "
            "with your edits and the cost against the engine's plan; they show on the Decisions "
            "screen. Drivers get the routes as they are."
        )
        self.explanation.setObjectName("violations_explanation")
        self.explanation.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("violations_list")
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setFrameShape(QFrame.Shape.StyledPanel)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        icon = warning_icon(self)
        for sentence in violations:
            self.list.addItem(QListWidgetItem(icon, sentence))
        lines = self.fontMetrics().lineSpacing() + 8
        self.list.setMinimumHeight(lines * min(max(count, 2), 8))

        buttons = QDialogButtonBox()
        self.commit_anyway = buttons.addButton(
            "Commit anyway", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.commit_anyway.setObjectName("commit_anyway")
        self.commit_anyway.setAutoDefault(False)
        self.back = buttons.addButton("Back to editing", QDialogButtonBox.ButtonRole.RejectRole)
        self.back.setObjectName("back_to_editing")
        self.back.setDefault(True)
        self.commit_anyway.clicked.connect(lambda: self.done(self.COMMIT_ANYWAY))
        self.back.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 3, u * 3, u * 3, u * 3)
        layout.setSpacing(u * 2)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 96)

    def sentences(self) -> list[str]:
        return [self.list.item(n).text() for n in range(self.list.count())]
