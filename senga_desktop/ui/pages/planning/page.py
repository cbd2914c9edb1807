"""The Planning screen: choose a policy and the scope, press Plan, watch it work, commit.

The run goes through the task runner (``run_cancellable``), so the window stays usable and the
progress panel shows the engine's reports; Cancel sets the run's cancel event. When it ends the
proposal is shown in the shared :class:`~senga_desktop.ui.widgets.plan_panel.PlanPanel` with
Commit… and Discard. A stale commit is refused by the controller with a readable
:class:`~senga_desktop.errors.StaleDataError`; it is shown summary first, and offers to plan
again with the same settings.

The dispatcher may lock routes of the proposal and keep orders on their truck (the panel's
:class:`~senga_desktop.ui.widgets.plan_panel.locks.PlanLocksModel`), then **Re-plan the rest**
(:mod:`.replan`): the same run again, warm-started from the proposal, through the same progress
and cancel; the new proposal keeps the same routes locked. During the day the scope form offers
to let committed routes that have not left take extra stops; the routes that would amend a
committed route say so, and so does the commit confirmation.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers import planning, planning_day
from senga_desktop.controllers.permissions import Permission
from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.controllers.planning import PlanRequest
from senga_desktop.controllers.planning_day import Amendment, DayStatus
from senga_desktop.controllers.planning_views import (
    PlanningOptions,
    decision_view,
    planning_options,
)
from senga_desktop.errors import PlanningCancelled, SengaError, StaleDataError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.planning.dialogs import (
    StaleDialog,
    commit_text,
    committed_text,
    confirmation_box,
)
from senga_desktop.ui.pages.planning.policy_form import PolicyForm
from senga_desktop.ui.pages.planning.progress import ProgressPanel
from senga_desktop.ui.pages.planning.replan import (
    ReplanBar,
    fresh_request,
    policy_title,
    refusal_text,
    replan_request,
)
from senga_desktop.ui.pages.planning.scope_form import ScopeForm
from senga_desktop.ui.style import heading, icon, markdown_label, muted, unit
from senga_desktop.ui.tasks import TaskHandle, report_unexpected
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.forms import InlineMessage
from senga_desktop.ui.widgets.plan_panel import PlanPanel
from senga_desktop.ui.widgets.plan_panel.locks import LockState, PlanLocksModel

__all__ = ["EMPTY_TEXT", "PlannedView", "PlanningPage"]

EMPTY_TEXT = (
    "**Plan** asks the engine to turn the pending orders and free trucks into routes: which "
    "truck carries which orders, in which order, and when it reaches each customer. Choose the "
    "policy and what takes part on the left, then press Plan. Nothing is written to the fleet or "
    "the orders until you commit the proposal; every run is kept under Decisions."
)


@dataclass(frozen=True)
class PlannedView:
    """A run's result as the screen shows it: the decision and the committed routes it amends."""

    view: DecisionView
    amendments: tuple[Amendment, ...] = ()


class PlanningPage(Page):
    """Run a policy in the background, review the proposal, commit or discard it."""

    key = "planning"
    title = "Planning"
    icon_name = "mdi6.map-marker-path"
    permission = Permission.PLAN_RUN

    EMPTY, RUNNING, RESULT = 0, 1, 2

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        u = unit(self)
        actor = context.actor
        self.options: PlanningOptions | None = None
        self.view: DecisionView | None = None
        self.handle: TaskHandle | None = None
        self.last_request: PlanRequest | None = None
        self.amendments: tuple[Amendment, ...] = ()
        self.locks = PlanLocksModel(self)
        self._carry: LockState | None = None  # what a running re-plan keeps
        self._view_request: PlanRequest | None = None  # the run that made the shown proposal

        scroll = self._build_form(u, actor.username if actor else "")
        self.stack = QStackedWidget()
        self.stack.setObjectName("planning_stack")
        for state in self._build_states(u, context):
            self.stack.addWidget(state)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(u, 0, 0, 0)
        right_layout.addWidget(self.notice)
        right_layout.addWidget(self.stack, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("planning_splitter")
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([self.fontMetrics().averageCharWidth() * 58, 10_000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        layout.setSpacing(u)
        layout.addWidget(heading("Planning"))
        layout.addWidget(self.splitter, 1)

    def _build_form(self, u: int, user: str) -> QScrollArea:
        self.policy_form = PolicyForm(user=user)
        self.scope_form = ScopeForm()
        self.scope_form.extend_committed.toggled.connect(lambda _on: self._update_problem())
        self.plan_button = QPushButton(icon("mdi6.play-circle-outline", widget=self), "Plan")
        self.plan_button.setObjectName("plan_button")
        self.plan_button.setDefault(True)
        self.plan_button.setMinimumHeight(u * 5)
        font = self.plan_button.font()
        font.setBold(True)
        self.plan_button.setFont(font)
        self.plan_button.clicked.connect(self.start_plan)
        self.form_message = InlineMessage(name="plan_message")
        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(u, u, u * 2, u)
        form_layout.setSpacing(u * 2)
        form_layout.addWidget(self.policy_form)
        form_layout.addWidget(self.scope_form)
        form_layout.addWidget(self.form_message)
        form_layout.addWidget(self.plan_button)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("planning_form")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form)
        scroll.setMinimumWidth(self.fontMetrics().averageCharWidth() * 44)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _build_states(self, u: int, context: AppContext) -> tuple[QWidget, QWidget, QWidget]:
        self.empty_note = NoteBox(
            name="planning_empty",
            icon_name="mdi6.map-marker-path",
            label=markdown_label(EMPTY_TEXT),
        )
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addWidget(self.empty_note)
        empty_layout.addStretch(1)

        self.progress = ProgressPanel()
        self.progress.cancel_requested.connect(self.cancel_plan)
        running = QWidget()
        running_layout = QVBoxLayout(running)
        running_layout.addWidget(self.progress)
        running_layout.addWidget(
            muted(QLabel("You can use the other screens while the plan runs.")), 0
        )
        running_layout.addStretch(1)

        self.panel = PlanPanel()
        self.panel.order_open_requested.connect(
            lambda order_id: self.navigation_requested.emit("orders", order_id)
        )
        self.panel.set_locks(self.locks)
        self.replan_bar = ReplanBar()
        self.replan_bar.replan_requested.connect(self.replan)
        self.locks.changed.connect(self._on_locks_changed)
        self.result_title = heading("Proposed plan", level=2, name="result_title")
        self.commit_button = QPushButton(icon("mdi6.check-bold", widget=self), "Commit…")
        self.commit_button.setObjectName("commit_button")
        self.commit_button.setVisible(context.can(Permission.PLAN_COMMIT))
        self.commit_button.clicked.connect(self.commit)
        self.discard_button = QPushButton(icon("mdi6.delete-outline", widget=self), "Discard…")
        self.discard_button.setObjectName("discard_button")
        self.discard_button.clicked.connect(self.discard)
        self.notice = QLabel()
        self.notice.setObjectName("plan_notice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.linkActivated.connect(self._on_notice_link)
        self.notice.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.result_title, 1)
        actions.addWidget(self.discard_button)
        actions.addWidget(self.commit_button)
        result = QWidget()
        result_layout = QVBoxLayout(result)
        result_layout.setContentsMargins(0, 0, 0, 0)
        result_layout.addLayout(actions)
        result_layout.addWidget(self.replan_bar)
        result_layout.addWidget(self.panel, 1)
        return empty, running, result

    # -- page hooks --------------------------------------------------------------------------

    def activated(self) -> None:
        if self.handle is None:
            self.refresh()

    def refresh(self) -> None:
        actor = self.context.require_actor()
        self.context.runner.run(
            planning_options,
            self.context.sessions,
            actor,
            on_success=self._on_options,
            on_failure=self._on_options_failed,
        )
        self.context.runner.run(
            planning_day.day_status,
            self.context.sessions,
            actor,
            on_success=self._on_day,
            on_failure=self._on_options_failed,
        )

    @property
    def state(self) -> int:
        return self.stack.currentIndex()

    # -- planning ----------------------------------------------------------------------------

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

    def replan(self) -> None:
        """Re-plan the rest: the shown proposal's run again, from it, keeping what is kept."""
        view, state = self.view, self.locks.state
        if self.handle is not None or view is None or state.empty or view.status != "proposed":
            return
        base = self._view_request or self.last_request or self.request()
        self.start_plan(replan_request(base, view, state), keep=state)

    def start_plan(
        self, request: PlanRequest | None = None, *, keep: LockState | None = None
    ) -> None:
        """Press Plan: run ``request`` (default: the form's) in the background; ``keep`` is what a
        re-plan keeps (carried to the new proposal)."""
        if self.handle is not None:
            return
        if request is None or not isinstance(request, PlanRequest):
            problem = self.scope_form.problem()
            if problem:
                self.form_message.show_message(problem)
                return
            self.policy_form.remember()
            request = self.request()
        self.form_message.clear_message()
        self.notice.hide()
        self.last_request = request
        self._carry = keep
        self._set_running(True)
        what = f"with {policy_title(request.policy)}"
        if keep is not None:
            what = f"the rest {what} ({keep.describe()})"
        self.progress.start(limit_seconds=request.time_limit, what=what)
        self.stack.setCurrentIndex(self.RUNNING)
        self.handle = handle = self.context.runner.run_cancellable(
            _plan_and_read,
            self.context.sessions,
            self.context.require_actor(),
            request,
            on_progress=self.progress.report,
            on_success=self._on_planned,
            on_failure=self._on_plan_failed,
        )
        if not handle.running:  # a synchronous runner has delivered already
            self.handle = None

    def cancel_plan(self) -> None:
        if self.handle is not None:
            self.handle.cancel()

    def _set_running(self, running: bool) -> None:
        self.plan_button.setEnabled(not running)
        self.policy_form.setEnabled(not running)
        self.scope_form.setEnabled(not running)
        self._on_locks_changed(running=running)

    def _finish_run(self) -> None:
        self.handle = None
        self.progress.stop()
        self._set_running(False)
        if self._blocker():
            self.plan_button.setEnabled(False)

    def _on_planned(self, result: PlannedView) -> None:
        keep, self._carry = self._carry, None
        self._view_request = self.last_request
        self._finish_run()
        self.show_view(result.view, result.amendments, keep=keep)
        self.refresh()

    def show_view(
        self,
        view: DecisionView,
        amendments: tuple[Amendment, ...] = (),
        *,
        keep: LockState | None = None,
    ) -> None:
        """Show ``view``; ``keep`` (what a re-plan kept) stays locked on it."""
        self.view = view
        self.amendments = amendments
        proposed = view.status == "proposed"
        if keep is not None and proposed:
            self.locks.set_state(keep.carried_to(view))
        else:
            self.locks.reset(view.decision_id if proposed else None)
        self.panel.show_decision(view)
        self.panel.set_amendments(amendments)
        self.replan_bar.show_amendments(amendments)
        self._on_locks_changed()
        routes, held = len(view.routes), len(view.held)
        committed = f" ({len(amendments)} committed)" if amendments else ""
        self.result_title.setText(
            f"Proposed plan: {routes} routes{committed}, {view.totals.orders_routed} orders, "
            f"{held} held · {view.decision_id}"
        )
        if keep is not None and proposed:
            self._show_notice(
                html.escape(
                    f"Re-planned the rest ({keep.describe()}). The earlier proposal stays "
                    "under Decisions."
                )
            )
        self.commit_button.setEnabled(proposed and routes > 0)
        self.discard_button.setEnabled(proposed)
        self.stack.setCurrentIndex(self.RESULT)

    def _on_plan_failed(self, exc: BaseException) -> None:
        replanning, self._carry = self._carry is not None, None
        self._finish_run()
        self.stack.setCurrentIndex(self.RESULT if self.view is not None else self.EMPTY)
        if isinstance(exc, PlanningCancelled):
            self._show_notice("Planning cancelled. Nothing was stored.")
        elif isinstance(exc, SengaError) and replanning:
            self._show_notice(html.escape(refusal_text(exc.message)))
        elif isinstance(exc, SengaError):
            self.form_message.show_message(exc.message)
        else:
            report_unexpected(exc)

    def _on_locks_changed(self, *, running: bool | None = None) -> None:
        view = self.view
        self.replan_bar.show_state(
            self.locks.state,
            proposed=view is not None and view.status == "proposed",
            running=self.handle is not None if running is None else running,
        )

    # -- options -----------------------------------------------------------------------------

    def _on_options(self, options: PlanningOptions) -> None:
        self.options = options
        self.scope_form.set_options(options)
        self._update_problem()

    _last_problem: str | None = None

    def _blocker(self) -> str | None:
        return self.scope_form.plan_problem(self.options)

    def _update_problem(self) -> None:
        problem = self._blocker()
        if problem:
            self.form_message.show_message(problem)
        elif self._last_problem and self.form_message.text() == self._last_problem:
            self.form_message.clear_message()
        self._last_problem = problem
        self.plan_button.setEnabled(problem is None and self.handle is None)

    def _on_day(self, day: DayStatus) -> None:
        self.scope_form.set_day(day)
        self._update_problem()

    def _on_options_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SengaError):
            self.form_message.show_message(exc.message)
        else:
            report_unexpected(exc)

    # -- commit / discard --------------------------------------------------------------------

    def ask_confirmation(self, title: str, text: str) -> bool:
        box = confirmation_box(self, title, text)
        return box.exec() == QMessageBox.StandardButton.Yes

    def ask_plan_again(self, error: StaleDataError) -> bool:
        """Show the stale refusal; ``True`` if the user chose Plan again."""
        dialog = StaleDialog(summary=error.summary, details=error.details, parent=self)
        return dialog.exec() == StaleDialog.PLAN_AGAIN

    def commit(self) -> None:
        view = self.view
        text = commit_text(view, self.amendments) if view is not None else ""
        if view is None or not self.ask_confirmation("Commit the plan", text):
            return
        self.commit_button.setEnabled(False)
        self.context.runner.run(
            planning.commit_decision,
            self.context.sessions,
            self.context.require_actor(),
            view.decision_id,
            on_success=lambda summary: self._on_committed(view, summary),
            on_failure=self._on_commit_failed,
        )

    def _on_committed(self, view: DecisionView, summary: Any) -> None:
        self._show_notice(
            f"{html.escape(committed_text(view, self.amendments))} "
            "<a href='routes'>See them on the Routes screen</a>."
        )
        self.locks.reset(None)
        self.discard_button.setEnabled(False)
        self.commit_button.setEnabled(False)
        self.result_title.setText(f"Committed plan · {view.decision_id}")
        self.refresh()

    def _on_commit_failed(self, exc: BaseException) -> None:
        if isinstance(exc, StaleDataError):
            self.commit_button.setEnabled(False)
            self._show_notice(f"Not committed. {exc.summary}")
            if self.ask_plan_again(exc):
                self.start_plan(fresh_request(self.last_request or self.request()))
        elif isinstance(exc, SengaError):
            self.commit_button.setEnabled(True)
            self._show_notice(exc.message)
        else:
            report_unexpected(exc)

    def discard(self) -> None:
        view = self.view
        if view is None or not self.ask_confirmation(
            "Discard the plan",
            f"Discard the proposal {view.decision_id}? Its {len(view.routes)} routes are set "
            "aside; the orders stay pending and the decision stays in the audit trail.",
        ):
            return
        self.context.runner.run(
            planning.discard_decision,
            self.context.sessions,
            self.context.require_actor(),
            view.decision_id,
            on_success=lambda _summary: self._on_discarded(view),
            on_failure=self._on_commit_failed,
        )

    def _on_discarded(self, view: DecisionView) -> None:
        self.view = None
        self.amendments = ()
        self.locks.reset(None)
        self.panel.clear()
        self.stack.setCurrentIndex(self.EMPTY)
        self._show_notice(f"Discarded {view.decision_id}. The orders stay pending.")

    # -- notices -----------------------------------------------------------------------------

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def _on_notice_link(self, link: str) -> None:
        if link == "routes":
            self.navigation_requested.emit("routes", "")


def _plan_and_read(
    sessions: Any, actor: Any, request: PlanRequest, *, progress: Any, cancel: Any
) -> PlannedView:
    """On the worker: plan, then read the decision (and the committed routes it would amend) as
    the screen shows it."""
    summary = planning.plan(sessions, actor, request, progress=progress, cancel=cancel)
    view = decision_view(sessions, actor, summary.decision_id)
    found = planning_day.amendments(sessions, actor, summary.decision_id)
    return PlannedView(view, found)
