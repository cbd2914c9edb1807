"""The Planning screen on a real migrated database with the demo day: plan with each policy,
progress and cancel on the real task runner, commit, the stale refusal, discard, held orders,
what it says when nothing can be planned, and the last used parameters per user."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.planning_state import NO_ORDERS
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Decision, Order
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, PolicyName, Role
from senga_desktop.errors import StaleDataError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.planning import PlanningPage
from senga_desktop.ui.pages.planning.dialogs import StaleDialog
from senga_desktop.ui.pages.planning.page import EMPTY_TEXT
from senga_desktop.ui.tasks import BaseTaskRunner, SyncTaskRunner, TaskRunner
from tests.ui.support import make_user


def _page(
    qtbot: QtBot, database: Database, actor: Actor, runner: BaseTaskRunner | None = None
) -> PlanningPage:
    context = AppContext(runner=runner or SyncTaskRunner(), database=database, actor=actor)
    page = PlanningPage(context=context)
    qtbot.addWidget(page)
    page.resize(1400, 850)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _fast(page: PlanningPage, iterations: int = 60) -> None:
    page.policy_form.max_iterations.setValue(iterations)


def _decisions(database: Database) -> int:
    with unit_of_work(database.sessions) as session:
        return session.scalar(select(func.count()).select_from(Decision)) or 0


def test_empty_state_explains_what_plan_does(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    page = _page(qtbot, demo, admin)
    assert page.state == page.EMPTY
    assert page.empty_note.label.text() == EMPTY_TEXT
    assert page.plan_button.isEnabled()
    assert page.options is not None
    assert page.options.pending_orders > 0
    assert page.scope_form.towns.count() == len(page.options.towns)
    assert page.scope_form.trucks.count() == len(page.options.trucks)


@pytest.mark.parametrize("policy", [PolicyName.PFA, PolicyName.CFA, PolicyName.DLA])
def test_plan_with_each_policy(
    qtbot: QtBot, demo: Database, admin: Actor, policy: PolicyName
) -> None:
    page = _page(qtbot, demo, admin)
    page.policy_form.set_policy(policy)
    assert page.policy_form.summary.text() == page.policy_form.info().summary
    if policy is PolicyName.DLA:
        page.policy_form.spin("samples").setValue(1)
    _fast(page)
    page.plan_button.click()

    assert page.state == page.RESULT, page.form_message.text()
    view = page.view
    assert view is not None
    assert view.policy is policy
    assert page.panel.route_model.rowCount() == len(view.routes) > 0
    assert page.commit_button.isEnabled()
    assert page.discard_button.isEnabled()
    assert page.progress.bar.value() > 0  # the synchronous runner delivered every report
    assert _decisions(demo) == 1


def test_progress_arrives_and_cancel_stores_nothing(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    runner = TaskRunner()
    page = _page(qtbot, demo, admin, runner)
    qtbot.waitUntil(lambda: page.options is not None, timeout=5000)
    page.policy_form.time_limit.setValue(30)
    page.plan_button.click()
    assert page.state == page.RUNNING
    assert not page.plan_button.isEnabled()
    qtbot.waitUntil(lambda: page.progress.bar.value() > 0, timeout=15_000)
    qtbot.waitUntil(lambda: "KES" in page.progress.best.text(), timeout=15_000)
    assert "of 30 s" in page.progress.elapsed.text()

    page.progress.cancel_button.click()
    qtbot.waitUntil(lambda: page.handle is None, timeout=15_000)
    assert page.state == page.EMPTY
    assert page.plan_button.isEnabled()
    assert "cancelled" in page.notice.text().lower()
    assert _decisions(demo) == 0
    assert runner.shutdown()


def test_commit_after_confirmation(
    qtbot: QtBot, demo: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, demo, admin)
    _fast(page)
    page.plan_button.click()
    view = page.view
    assert view is not None
    asked: list[str] = []

    def decline(_title: str, text: str) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(page, "ask_confirmation", decline)
    page.commit_button.click()
    assert (
        f"Commit {len(view.routes)} routes carrying {view.totals.orders_routed} orders"
        in (asked[0])
    )
    assert view.routes[0].vehicle_id in asked[0]
    assert page.commit_button.isEnabled()  # declined: nothing happened

    monkeypatch.setattr(page, "ask_confirmation", lambda _t, _text: True)
    page.commit_button.click()
    assert page.notice.text().startswith(f"Committed: {len(view.routes)} routes")
    assert not page.commit_button.isEnabled()
    with unit_of_work(demo.sessions) as session:
        assigned = session.scalar(
            select(func.count()).select_from(Order).where(Order.status == OrderStatus.ASSIGNED)
        )
    assert assigned == view.totals.orders_routed
    with qtbot.waitSignal(page.navigation_requested) as blocker:
        page.notice.linkActivated.emit("routes")
    assert blocker.args == ["routes", ""]


def test_a_stale_commit_is_explained_and_offers_to_plan_again(
    qtbot: QtBot, demo: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _page(qtbot, demo, admin)
    _fast(first)
    first.plan_button.click()
    second = _page(qtbot, demo, admin)
    _fast(second)
    second.plan_button.click()
    monkeypatch.setattr(first, "ask_confirmation", lambda _t, _text: True)
    monkeypatch.setattr(second, "ask_confirmation", lambda _t, _text: True)
    second.commit_button.click()
    assert second.notice.text().startswith("Committed")

    refusals: list[StaleDataError] = []

    def plan_again(exc: StaleDataError) -> bool:
        refusals.append(exc)
        return True

    monkeypatch.setattr(first, "ask_plan_again", plan_again)
    stale_id = first.view.decision_id if first.view else ""
    first.commit_button.click()
    [refusal] = refusals
    assert refusal.summary
    assert refusal.summary in first.notice.text()
    # Planned again with the same settings, on what is left after the other commit.
    assert first.view is not None
    assert first.view.decision_id != stale_id, first.form_message.text()
    assert first.state == first.RESULT

    dialog = StaleDialog(summary=refusal.summary, details=refusal.details, parent=first)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == refusal.summary
    assert not dialog.details.isVisibleTo(dialog)
    dialog.details_button.click()
    assert dialog.details.isVisibleTo(dialog)
    assert dialog.details.toPlainText().splitlines() == list(refusal.details)


def test_discard_asks_then_clears(
    qtbot: QtBot, demo: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, demo, admin)
    _fast(page)
    page.plan_button.click()
    monkeypatch.setattr(page, "ask_confirmation", lambda _t, _text: True)
    page.discard_button.click()
    assert page.state == page.EMPTY
    assert page.view is None
    assert "Discarded" in page.notice.text()
    assert page.panel.route_model.rowCount() == 0


def test_open_a_held_order_and_the_proposal_stays_on_reentry(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    _fast(page)
    page.plan_button.click()
    view = page.view
    assert view is not None
    assert view.held
    held = page.panel.held_view
    order_id = view.held[0].order_id
    assert held.select_order(order_id)
    with qtbot.waitSignal(page.navigation_requested) as blocker:
        held.open_button.click()
    assert blocker.args == ["orders", order_id]
    page.activated()  # the user comes back from the Orders screen
    assert page.state == page.RESULT
    assert page.view is view


def test_no_pending_orders_says_what_to_do(qtbot: QtBot, database: Database, admin: Actor) -> None:
    page = _page(qtbot, database, admin)
    assert page.form_message.isVisibleTo(page)
    assert page.form_message.text() == NO_ORDERS
    assert "Orders screen" in page.form_message.text()
    assert not page.plan_button.isEnabled()


def test_scope_needs_a_ticked_town(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    page = _page(qtbot, demo, admin)
    page.scope_form.by_town.setChecked(True)
    page.plan_button.click()
    assert page.state == page.EMPTY
    assert "Tick at least one town" in page.form_message.text()
    town = page.options.towns[0] if page.options else None
    assert town is not None
    page.scope_form.tick(page.scope_form.towns, {town.town})
    _fast(page)
    page.plan_button.click()
    assert page.state == page.RESULT, page.form_message.text()
    assert page.view is not None
    assert {s.town for r in page.view.routes for s in r.stops} <= {town.town}


def test_last_used_parameters_are_remembered_per_user(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    page.policy_form.set_policy(PolicyName.PFA)
    page.policy_form.spin("wait_hours").setValue(36)
    _fast(page)
    page.plan_button.click()

    again = _page(qtbot, demo, admin)
    assert again.policy_form.policy() is PolicyName.PFA
    assert again.policy_form.spin("wait_hours").value() == 36
    again.policy_form.reset_defaults()
    assert again.policy_form.spin("wait_hours").value() == 24

    other = make_user(demo, admin, "otieno", Role.MANAGER)
    theirs = _page(qtbot, demo, other)
    assert theirs.policy_form.policy() is PolicyName.CFA
