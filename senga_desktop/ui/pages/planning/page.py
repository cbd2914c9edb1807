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

A shown proposal can be **edited by hand** (:mod:`.editing`, :mod:`.edit_actions`): its editor
opens in the background, then stops are dragged between routes, to held and into place, or moved
from the keyboard and context menus; each edit is checked at once (cost change, problems marked
on routes and stops), and undone or redone from the :class:`~.edit_bar.EditBar`. Committing an
edited plan stores it as a manual-edit decision (:mod:`.committing`); re-planning the rest of an
edited plan first stores it as a proposal of its own and starts from that.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers import planning, planning_day
from senga_desktop.controllers.permissions import Permission
from senga_desktop.controllers.plan_edit_propose import propose_edited_plan
from senga_desktop.controllers.plan_editing import EditedPlan
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
from senga_desktop.ui.pages.planning.committing import DECISION_LINK, PlanCommitter
from senga_desktop.ui.pages.planning.dialogs import StaleDialog, ViolationsDialog, confirmation_box
from senga_desktop.ui.pages.planning.edit_actions import EditActions
from senga_desktop.ui.pages.planning.editing import EditSession
from senga_desktop.ui.pages.planning.pickers import TruckChoice, TruckPicker
from senga_desktop.ui.pages.planning.plan_form import PlanForm
from senga_desktop.ui.pages.planning.progress import ProgressPanel
from senga_desktop.ui.pages.planning.proposal import ProposalView
from senga_desktop.ui.pages.planning.replan import (
    policy_title,
    refusal_text,
    replan_request,
)
from senga_desktop.ui.style import heading, markdown_label, muted, unit
from senga_desktop.ui.tasks import TaskHandle, report_unexpected
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.plan_panel.locks import LockState, PlanLocksModel
from senga_desktop.ui.widgets.plan_panel.violation_marks import ProblemMarks

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
        self.editing = EditSession(context=context, parent=self)
        self.committer = PlanCommitter(page=self)

        self.form = scroll = PlanForm(user=actor.username if actor else "")
        self.policy_form, self.scope_form = self.form.policy_form, self.form.scope_form
        self.plan_button, self.form_message = self.form.plan_button, self.form.form_message
        self.scope_form.extend_committed.toggled.connect(lambda _on: self._update_problem())
        self.plan_button.clicked.connect(self.start_plan)
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

    def _build_states(self, u: int, context: AppContext) -> tuple[QWidget, QWidget, QWidget]:
        """The three states of the right side: nothing planned, a run, its result."""
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

        result = ProposalView(context=context, locks=self.locks, undo_stack=self.editing.stack)
        self.proposal = result
        self.panel, self.replan_bar = result.panel, result.replan_bar
        self.result_title, self.edit_bar = result.title, result.edit_bar
        self.commit_button, self.discard_button = result.commit_button, result.discard_button
        self.manifests = result.manifests
        self.panel.order_open_requested.connect(
            lambda order_id: self.navigation_requested.emit("orders", order_id)
        )
        self.replan_bar.replan_requested.connect(self.replan)
        self.locks.changed.connect(self._on_locks_changed)
        self.commit_button.clicked.connect(self.commit)
        self.discard_button.clicked.connect(self.discard)
        self.manifests.done.connect(lambda text: self.show_notice(html.escape(text)))
        self.manifests.failed.connect(lambda text: self.show_notice(html.escape(text)))
        self.notice = QLabel()
        self.notice.setObjectName("plan_notice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.linkActivated.connect(self._on_notice_link)
        self.notice.hide()
        self.edit_bar.back_requested.connect(self.editing.back_to_engine)
        self.edit_actions = EditActions(panel=self.panel, session=self.editing, asker=self)
        self.editing.ready_changed.connect(self._on_editing_ready)
        self.editing.open_failed.connect(self.edit_bar.show_unavailable)
        self.editing.plan_changed.connect(self._on_plan_edited)
        self.editing.refused.connect(self.edit_bar.show_refused)
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
        return self.form.request()

    def replan(self) -> None:
        """Re-plan the rest: the shown proposal's run again, from it, keeping what is kept. An
        edited plan is stored as a proposal of its own first, and the run starts from that."""
        view, state = self.view, self.locks.state
        if self.handle is not None or view is None or state.empty or view.status != "proposed":
            return
        base = self._view_request or self.last_request or self.request()
        plan = self.editing.plan
        if plan is None or not plan.changed:
            self.start_plan(replan_request(base, view, state), keep=state)
            return
        self.replan_bar.button.setEnabled(False)
        self.context.runner.run(
            propose_edited_plan,
            self.context.sessions,
            self.context.require_actor(),
            view.decision_id,
            plan.drafts,
            self.editing.edits,
            on_success=lambda stored: self.start_plan(
                replan_request(base, stored, state), keep=state
            ),
            on_failure=self._on_replan_refused,
        )

    def _on_replan_refused(self, exc: BaseException) -> None:
        self._on_locks_changed()
        if isinstance(exc, SengaError):
            self._show_notice(html.escape(refusal_text(exc.message)))
        else:
            report_unexpected(exc)

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
        self.form.set_running(running)
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
        self.set_title(view)
        routes = len(view.routes)
        self.manifests.button.hide()
        self.edit_bar.setVisible(proposed)
        self.edit_bar.show_opening()
        if proposed:
            self.editing.open(view.decision_id)
        else:
            self.editing.close()
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

    def set_title(self, view: DecisionView) -> None:
        self.proposal.show_title(view, self.amendments, edited=self.editing.changed)

    # -- editing -----------------------------------------------------------------------------

    def _on_editing_ready(self, ready: bool) -> None:
        self.panel.set_editable(ready)
        plan = self.editing.plan
        if ready and plan is not None:
            self.edit_bar.show_plan(plan, 0)
            self.panel.set_problems(ProblemMarks.of(plan.violations, plan.introduced))

    def _on_plan_edited(self, plan: EditedPlan) -> None:
        """After an edit, an undo or a redo: the plan, its cost change and problems, at once."""
        self.view = plan.view
        self.panel.show_edited(plan.view)
        # The engine's own problems stay listed after an undo: the plan still has them.
        self.panel.set_problems(ProblemMarks.of(plan.violations, plan.introduced))
        self.edit_bar.show_plan(plan, len(self.editing.edits))
        self.set_title(plan.view)

    def ask_truck(
        self, title: str, prompt: str, choices: Sequence[TruckChoice], ok_text: str
    ) -> str | None:
        """The truck the dispatcher chooses for an edit, or ``None``."""
        picker = TruckPicker(title=title, prompt=prompt, choices=choices, ok_text=ok_text,
                             parent=self)  # fmt: skip
        return picker.chosen() if picker.exec() == TruckPicker.DialogCode.Accepted else None

    def ask_commit_anyway(self, violations: Sequence[str]) -> bool:
        """Show what the edited plan breaks; ``True`` if the dispatcher commits it anyway."""
        dialog = ViolationsDialog(violations=violations, parent=self)
        return dialog.exec() == ViolationsDialog.COMMIT_ANYWAY

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

    def _blocker(self) -> str | None:
        return self.form.blocker(self.options)

    def _update_problem(self) -> None:
        self.form.show_problem(self.options, running=self.handle is not None)

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
        """Commit…: the shown plan, edited or not (see :mod:`.committing`)."""
        self.committer.commit()

    def discard(self) -> None:
        self.committer.discard()

    # -- notices -----------------------------------------------------------------------------

    def show_notice(self, text: str) -> None:
        """``text`` (rich text) above the proposal."""
        self.notice.setText(text)
        self.notice.show()

    _show_notice = show_notice

    def _on_notice_link(self, link: str) -> None:
        if link == "routes":
            self.navigation_requested.emit("routes", "")
        elif link.startswith(DECISION_LINK):
            self.navigation_requested.emit("decisions", link.removeprefix(DECISION_LINK))


def _plan_and_read(
    sessions: Any, actor: Any, request: PlanRequest, *, progress: Any, cancel: Any
) -> PlannedView:
    """On the worker: plan, then read the decision (and the committed routes it would amend) as
    the screen shows it."""
    summary = planning.plan(sessions, actor, request, progress=progress, cancel=cancel)
    view = decision_view(sessions, actor, summary.decision_id)
    found = planning_day.amendments(sessions, actor, summary.decision_id)
    return PlannedView(view, found)
