"""Committing and discarding the shown proposal, edited by hand or as the engine made it.

:class:`PlanCommitter` is the Planning page's Commit… and Discard…:

* an unedited proposal commits as it always did
  (:func:`~senga_desktop.controllers.planning.commit_decision`), after the confirmation that
  says what will happen;
* an edited one goes to
  :func:`~senga_desktop.controllers.plan_edit_commit.commit_edited_plan` with the session's
  drafts and edits. If it breaks constraints the engine's plan keeps, the controller refuses
  and the dispatcher sees each one (:class:`~.dialogs.ViolationsDialog`); "Commit anyway"
  retries with ``accept_violations=True``, and the manual-edit decision records them. The screen
  then shows the committed manual-edit decision, with a link to it on the Decisions screen;
* after either, the driver manifests of the committed plan can be printed or saved
  (:class:`~senga_desktop.ui.widgets.manifest_actions.ManifestActions`);
* a stale commit is explained and offers to plan again, as before.

The questions go through the page (``ask_confirmation``, ``ask_commit_anyway``,
``ask_plan_again``) so that tests can answer them.
"""

from __future__ import annotations

import html
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from senga_desktop.controllers import planning
from senga_desktop.controllers.plan_edit_commit import commit_edited_plan
from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.errors import SengaError, StaleDataError, ValidationError
from senga_desktop.ui.pages.planning.dialogs import commit_text, committed_text, refused_violations
from senga_desktop.ui.pages.planning.edit_bar import edits_summary
from senga_desktop.ui.pages.planning.replan import fresh_request
from senga_desktop.ui.tasks import report_unexpected

if TYPE_CHECKING:
    from senga_desktop.ui.pages.planning.page import PlanningPage

__all__ = ["DECISION_LINK", "PlanCommitter", "edited_commit_text"]

DECISION_LINK = "decision:"


def edited_commit_text(view: DecisionView, text: str, summary: str) -> str:
    """The commit question of an edited plan: what committing does, then what the edits are."""
    return (
        f"{text}\n\nYou edited this plan by hand ({summary}). It is stored as a decision of its "
        f"own that points at the engine's {view.decision_id}, with every edit; the engine's "
        "proposal is set aside."
    )


class PlanCommitter(QObject):
    """Commit… and Discard… of one Planning page (see the module's docstring)."""

    def __init__(self, *, page: PlanningPage) -> None:
        super().__init__(page)
        self.page = page

    # -- commit ---------------------------------------------------------------------------------

    def commit(self) -> None:
        page = self.page
        view, session = page.view, page.editing
        if view is None:
            return
        text = commit_text(view, page.amendments)
        plan = session.plan
        if plan is not None and plan.changed:
            summary = edits_summary(plan, len(session.edits))
            if page.ask_confirmation(
                "Commit the edited plan", edited_commit_text(view, text, summary)
            ):
                self._commit_edited(view, accept=False)
            return
        if not page.ask_confirmation("Commit the plan", text):
            return
        page.commit_button.setEnabled(False)
        page.context.runner.run(
            planning.commit_decision,
            page.context.sessions,
            page.context.require_actor(),
            view.decision_id,
            on_success=lambda summary: self._on_committed(view, summary),
            on_failure=self._on_failed,
        )

    def _commit_edited(self, view: DecisionView, *, accept: bool) -> None:
        page, session = self.page, self.page.editing
        plan = session.plan
        if plan is None:
            return
        page.commit_button.setEnabled(False)
        page.context.runner.run(
            partial(commit_edited_plan, accept_violations=accept),
            page.context.sessions,
            page.context.require_actor(),
            view.decision_id,
            plan.drafts,
            session.edits,
            on_success=self._on_edited_committed,
            on_failure=partial(self._on_edited_failed, view),
        )

    def _on_committed(self, view: DecisionView, _summary: Any) -> None:
        page = self.page
        page.show_notice(
            f"{html.escape(committed_text(view, page.amendments))} "
            "<a href='routes'>See them on the Routes screen</a>."
        )
        self.committed(replace(view, status="committed"), show=False)

    def _on_edited_committed(self, view: DecisionView) -> None:
        page = self.page
        accepted = len(view.accepted_violations)
        records = f"{len(view.edits)} edit{'s' * (len(view.edits) != 1)}"
        if accepted:
            records += f" and {accepted} accepted violation{'s' * (accepted != 1)}"
        self.committed(view, show=True)
        page.show_notice(
            f"{html.escape(committed_text(view))} Decision {html.escape(view.decision_id)} "
            f"records your {records}. <a href='{DECISION_LINK}{html.escape(view.decision_id)}'>"
            "See it on the Decisions screen</a> · <a href='routes'>the routes</a>."
        )

    def _on_edited_failed(self, view: DecisionView, exc: BaseException) -> None:
        page, plan = self.page, self.page.editing.plan
        if isinstance(exc, ValidationError) and exc.field == "violations":
            sentences = refused_violations(exc.message)
            if not sentences and plan is not None:
                sentences = [v.message for v in plan.introduced]
            if page.ask_commit_anyway(sentences):
                self._commit_edited(view, accept=True)
                return
            page.commit_button.setEnabled(True)
            page.show_notice(
                "Not committed: the edited plan still breaks what is listed under Problems. "
                "Edit on, or choose Commit… again to commit it anyway."
            )
            return
        self._on_failed(exc)

    def _on_failed(self, exc: BaseException) -> None:
        page = self.page
        if isinstance(exc, StaleDataError):
            page.commit_button.setEnabled(False)
            page.show_notice(f"Not committed. {exc.summary}")
            if page.ask_plan_again(exc):
                page.start_plan(fresh_request(page.last_request or page.request()))
        elif isinstance(exc, SengaError):
            page.commit_button.setEnabled(True)
            page.show_notice(exc.message)
        else:
            report_unexpected(exc)

    # -- after --------------------------------------------------------------------------------

    def committed(self, view: DecisionView, *, show: bool) -> None:
        """The shown plan was committed as ``view``; ``show`` it (a manual edit: another
        decision than the one shown). No more editing; the manifests can be printed."""
        page = self.page
        page.editing.close()
        page.edit_bar.hide()
        if show:
            page.show_view(view)
        page.view = view
        page.locks.reset(None)
        page.discard_button.setEnabled(False)
        page.commit_button.setEnabled(False)
        page.set_title(view)
        page.manifests.set_decision(view)
        page.manifests.button.show()
        page.refresh()

    def discarded(self, view: DecisionView) -> None:
        """The shown proposal was discarded: nothing shown, the orders stay pending."""
        page = self.page
        page.editing.close()
        page.view = None
        page.amendments = ()
        page.locks.reset(None)
        page.panel.clear()
        page.stack.setCurrentIndex(page.EMPTY)
        page.show_notice(f"Discarded {view.decision_id}. The orders stay pending.")

    # -- discard --------------------------------------------------------------------------------

    def discard(self) -> None:
        page = self.page
        view = page.view
        if view is None or not page.ask_confirmation(
            "Discard the plan",
            f"Discard the proposal {view.decision_id}? Its {len(view.routes)} routes are set "
            "aside; the orders stay pending and the decision stays in the audit trail."
            + (" Your edits are dropped." if page.editing.changed else ""),
        ):
            return
        page.context.runner.run(
            planning.discard_decision,
            page.context.sessions,
            page.context.require_actor(),
            view.decision_id,
            on_success=lambda _summary: self.discarded(view),
            on_failure=self._on_failed,
        )
