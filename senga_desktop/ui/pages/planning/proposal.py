"""The Planning screen's result: a proposal's title and actions, its bars, and the plan panel.

:class:`ProposalView` lays out what the page shows once a run is done — the title ("Proposed
plan: 6 routes, 24 orders, 75 held · DEC-…", "· edited" once edited, "Committed plan …" after a
commit), the driver manifests (after a commit), Discard… and Commit…, the
:class:`~.edit_bar.EditBar`, the :class:`~.replan.ReplanBar` and the
:class:`~senga_desktop.ui.widgets.plan_panel.PlanPanel` — and owns none of the behaviour: the page
connects the buttons and bars.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from senga_desktop.controllers.permissions import Permission
from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.controllers.planning_day import Amendment
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.planning.edit_bar import EditBar
from senga_desktop.ui.pages.planning.replan import ReplanBar
from senga_desktop.ui.style import heading, icon
from senga_desktop.ui.widgets.manifest_actions import ManifestActions
from senga_desktop.ui.widgets.plan_panel import PlanPanel
from senga_desktop.ui.widgets.plan_panel.locks import PlanLocksModel

__all__ = ["ProposalView", "title_text"]


def title_text(view: DecisionView, amendments: Sequence[Amendment] = (), *, edited: bool) -> str:
    """The result's title for ``view`` (``edited``: the proposal was changed by hand)."""
    routes, held = len(view.routes), len(view.held)
    if view.committed:
        origin = f", edited from {view.base_decision_id}" if view.manual_edit else ""
        return (
            f"Committed plan: {routes} routes, {view.totals.orders_routed} orders \N{MIDDLE DOT} "
            f"{view.decision_id}{origin}"
        )
    committed = f" ({len(amendments)} committed)" if amendments else ""
    changed = " \N{MIDDLE DOT} edited" if edited else ""
    return (
        f"Proposed plan: {routes} routes{committed}, {view.totals.orders_routed} orders, "
        f"{held} held \N{MIDDLE DOT} {view.decision_id}{changed}"
    )


class ProposalView(QWidget):
    """The result state of the Planning page (see the module's docstring)."""

    def __init__(
        self,
        *,
        context: AppContext,
        locks: PlanLocksModel,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planning_result")
        self.panel = PlanPanel()
        self.panel.set_locks(locks)
        self.replan_bar = ReplanBar()
        self.edit_bar = EditBar(stack=undo_stack, host=self)
        self.edit_bar.hide()
        self.title = heading("Proposed plan", level=2, name="result_title")
        self.commit_button = QPushButton(icon("mdi6.check-bold", widget=self), "Commit…")
        self.commit_button.setObjectName("commit_button")
        self.commit_button.setVisible(context.can(Permission.PLAN_COMMIT))
        self.discard_button = QPushButton(icon("mdi6.delete-outline", widget=self), "Discard…")
        self.discard_button.setObjectName("discard_button")
        self.manifests = ManifestActions(context=context, parent=self)
        self.manifests.print_action.setText("Print manifests…")
        self.manifests.save_action.setText("Save manifests as PDF…")
        self.manifests.button.setText("Driver manifests")
        self.manifests.button.hide()

        actions = QHBoxLayout()
        actions.addWidget(self.title, 1)
        actions.addWidget(self.manifests.button)
        actions.addWidget(self.discard_button)
        actions.addWidget(self.commit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(actions)
        layout.addWidget(self.edit_bar)
        layout.addWidget(self.replan_bar)
        layout.addWidget(self.panel, 1)

    def show_title(
        self, view: DecisionView, amendments: Sequence[Amendment] = (), *, edited: bool
    ) -> None:
        self.title.setText(title_text(view, amendments, edited=edited))
