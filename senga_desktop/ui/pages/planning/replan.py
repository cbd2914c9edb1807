"""Re-planning the rest of a proposal: the bar under its title, the request, the words.

The bar says what the dispatcher keeps (``2 routes locked · 1 order kept on its truck``) or how to
keep something, and offers **Re-plan the rest** once something is kept. The re-plan runs the
proposal's own policy and scope again, warm-started from it (``base_decision_id``), with the locks
and pins (:func:`replan_request`). When the proposal adds stops to committed routes, the bar says
which (:func:`amendments_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QWidget

from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.controllers.planning import PlanRequest
from senga_desktop.controllers.planning_day import Amendment, added_counts
from senga_desktop.controllers.planning_policies import policy_catalogue
from senga_desktop.domain import PolicyName
from senga_desktop.ui.style import icon, muted, unit
from senga_desktop.ui.widgets.plan_panel.locks import LockState
from senga_desktop.ui.widgets.plan_panel.marks import LOCK_SHORTCUT, PIN_SHORTCUT

__all__ = [
    "HOW_TO_KEEP",
    "ReplanBar",
    "amendments_text",
    "fresh_request",
    "policy_title",
    "refusal_text",
    "replan_request",
]

HOW_TO_KEEP = (
    f"To keep part of this plan, lock routes with the padlock column ({LOCK_SHORTCUT}) or keep a "
    f"stop's orders on their truck (right-click the stop, {PIN_SHORTCUT}), then re-plan the rest."
)


def policy_title(name: PolicyName) -> str:
    return next((info.title for info in policy_catalogue() if info.name is name), name.value)


def replan_request(base: PlanRequest, view: DecisionView, state: LockState) -> PlanRequest:
    """``base`` (the run that made ``view``) again, from ``view``, keeping what ``state`` keeps."""
    locked, pins = state.request_fields()
    return replace(base, base_decision_id=view.decision_id, locked_vehicle_ids=locked, pins=pins)


def fresh_request(request: PlanRequest) -> PlanRequest:
    """``request`` without its warm start, locks and pins: a plan from the state as it is now
    (what "Plan again" runs after a stale commit, whose proposal can no longer be kept)."""
    return replace(request, base_decision_id=None, locked_vehicle_ids=frozenset(), pins={})


def refusal_text(message: str) -> str:
    """A controller's refusal of a re-plan, as the page's notice shows it."""
    return (
        f"Not re-planned: {message} Nothing was stored; the proposal and what you kept are "
        "unchanged."
    )


def amendments_text(amendments: Sequence[Amendment]) -> str:
    """``Adds stops to 1 committed route (committing amends it …): KDF 092A adds 2 stops to
    committed route R-…. 3 committed routes stay as they are.`` (empty for a plain plan)."""
    if not amendments:
        return ""
    changing = [a for a in amendments if a.added_orders or a.changed]
    routes, _orders = added_counts(changing)
    parts = []
    if changing:
        them = "it" if routes == 1 else "them"
        lead = (
            f"Adds stops to {_plural(routes, 'committed route', 'committed routes')} "
            f"(committing amends {them}; no truck gets a second route): "
            if routes
            else ""
        )
        parts.append(lead + "; ".join(f"{a.vehicle_id} {a.sentence}" for a in changing) + ".")
    staying = len(amendments) - len(changing)
    if staying:
        verb = "stays" if staying == 1 else "stay"
        parts.append(
            f"{_plural(staying, 'committed route', 'committed routes')} {verb} as committed "
            "(shown for reference; no extra stop)."
        )
    return " ".join(parts)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class ReplanBar(QFrame):
    """What is kept, how to keep more, and Re-plan the rest (``replan_requested``)."""

    replan_requested = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replan_bar")
        u = unit(self)
        self.summary = QLabel(HOW_TO_KEEP)
        self.summary.setObjectName("replan_summary")
        self.summary.setWordWrap(True)
        self.amend_note = QLabel()
        self.amend_note.setObjectName("amend_note")
        self.amend_note.setWordWrap(True)
        self.amend_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.amend_note.hide()
        self.button = QPushButton(icon("mdi6.lock-reset", widget=self), "Re-plan the rest")
        self.button.setObjectName("replan_button")
        self.button.setToolTip(
            "Plan again with the same policy and orders, starting from this proposal: locked "
            "routes are kept exactly, kept orders stay on their truck, the rest may change."
        )
        self.button.setEnabled(False)
        self.button.clicked.connect(self.replan_requested)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, u // 2, 0, u // 2)
        layout.setHorizontalSpacing(u * 2)
        layout.addWidget(self.summary, 0, 0)
        layout.addWidget(self.button, 0, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.amend_note, 1, 0, 1, 2)
        layout.setColumnStretch(0, 1)

    def show_state(self, state: LockState, *, proposed: bool, running: bool) -> None:
        """What ``state`` keeps; the button when there is something kept on a proposal. A
        committed or discarded plan cannot be re-planned: the bar says nothing then."""
        kept = state.describe()
        editable = proposed and state.editable
        self.summary.setVisible(editable)
        self.button.setVisible(editable)
        if not editable:
            self.amend_note.hide()
        elif kept:
            self.summary.setText(f"{kept}. Re-plan the rest keeps them and plans everything else.")
            self.summary.setForegroundRole(QPalette.ColorRole.WindowText)
        else:
            self.summary.setText(HOW_TO_KEEP)
            muted(self.summary)
        self.button.setEnabled(editable and bool(kept) and not running)

    def show_amendments(self, amendments: Sequence[Amendment]) -> None:
        text = amendments_text(amendments)
        self.amend_note.setText(text)
        self.amend_note.setVisible(bool(text))
