"""The left side of the Planning screen: the policy, the scope, Plan, and why Plan cannot run.

:class:`PlanForm` holds the :class:`~.policy_form.PolicyForm`, the :class:`~.scope_form.ScopeForm`,
the form's inline message and the Plan button, in a scroll area. It turns what is filled in into
a :class:`~senga_desktop.controllers.planning.PlanRequest` (:meth:`PlanForm.request`) and says,
from the planning options and the day, what stops Plan from running (:meth:`PlanForm.blocker`,
:meth:`PlanForm.show_problem`); the page runs the plan.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QPushButton, QScrollArea, QVBoxLayout, QWidget

from senga_desktop.controllers.planning import PlanRequest
from senga_desktop.controllers.planning_views import PlanningOptions
from senga_desktop.ui.pages.planning.policy_form import PolicyForm
from senga_desktop.ui.pages.planning.scope_form import ScopeForm
from senga_desktop.ui.style import icon, unit
from senga_desktop.ui.widgets.forms import InlineMessage

__all__ = ["PlanForm"]


class PlanForm(QScrollArea):
    """Policy, scope and Plan (see the module's docstring)."""

    def __init__(self, *, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planning_form")
        u = unit(self)
        self.policy_form = PolicyForm(user=user)
        self.scope_form = ScopeForm()
        self.plan_button = QPushButton(icon("mdi6.play-circle-outline", widget=self), "Plan")
        self.plan_button.setObjectName("plan_button")
        self.plan_button.setDefault(True)
        self.plan_button.setMinimumHeight(u * 5)
        font = self.plan_button.font()
        font.setBold(True)
        self.plan_button.setFont(font)
        self.form_message = InlineMessage(name="plan_message")
        self._last_problem: str | None = None
        form = QWidget()
        layout = QVBoxLayout(form)
        layout.setContentsMargins(u, u, u * 2, u)
        layout.setSpacing(u * 2)
        layout.addWidget(self.policy_form)
        layout.addWidget(self.scope_form)
        layout.addWidget(self.form_message)
        layout.addWidget(self.plan_button)
        layout.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(form)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 44)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def request(self) -> PlanRequest:
        """The run the form describes."""
        form = self.policy_form
        return PlanRequest(
            policy=form.policy(),
            parameters=form.parameters(),
            seed=form.seed.value(),
            time_limit=form.time_limit_seconds(),
            max_iterations=form.iterations(),
            scope=self.scope_form.scope(),
            extend_committed=self.scope_form.extending(),
        )

    def set_running(self, running: bool) -> None:
        self.plan_button.setEnabled(not running)
        self.policy_form.setEnabled(not running)
        self.scope_form.setEnabled(not running)

    def blocker(self, options: PlanningOptions | None) -> str | None:
        """What stops Plan from running with ``options`` (no order, no truck…), or ``None``."""
        return self.scope_form.plan_problem(options)

    def show_problem(self, options: PlanningOptions | None, *, running: bool) -> None:
        """Say what stops Plan (and disable it), or take back what was said before."""
        problem = self.blocker(options)
        if problem:
            self.form_message.show_message(problem)
        elif self._last_problem and self.form_message.text() == self._last_problem:
            self.form_message.clear_message()
        self._last_problem = problem
        self.plan_button.setEnabled(problem is None and not running)
