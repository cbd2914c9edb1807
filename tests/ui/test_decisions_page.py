"""The Decisions screen on a real database with demo decisions: the audit trail with its
statuses and filters, a decision opened on each tab, replay, compare, and navigation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import planning
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.domain import PolicyName
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.decisions import DecisionsPage
from senga_desktop.ui.pages.decisions.compare_dialog import NOT_ROUTED
from senga_desktop.ui.pages.decisions.decisions_model import DecisionColumn
from senga_desktop.ui.tasks import SyncTaskRunner
from tests.ui.support import isolate_qsettings, make_admin

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def _quick(policy: PolicyName, seed: int) -> planning.PlanRequest:
    return planning.PlanRequest(policy=policy, seed=seed, time_limit=None, max_iterations=100)


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def decisions(database: Database) -> tuple[Database, Actor, dict[str, str]]:
    """Three decisions on the demo depot: discarded (PFA), committed (CFA), proposed (CFA)."""
    admin = make_admin(database)
    seed_demo(database.sessions, now=NOW)
    sessions = database.sessions
    discarded = planning.plan(sessions, admin, _quick(PolicyName.PFA, 1)).decision_id
    planning.discard_decision(sessions, admin, discarded)
    committed = planning.plan(sessions, admin, _quick(PolicyName.CFA, 2)).decision_id
    planning.commit_decision(sessions, admin, committed)
    proposed = planning.plan(sessions, admin, _quick(PolicyName.CFA, 3)).decision_id
    ids = {"discarded": discarded, "committed": committed, "proposed": proposed}
    return database, admin, ids


def _page(qtbot: QtBot, database: Database, actor: Actor) -> DecisionsPage:
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=actor)
    page = DecisionsPage(context=context)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def test_no_decisions_yet(qtbot: QtBot, database: Database) -> None:
    page = _page(qtbot, database, make_admin(database))
    assert page.frame.showing_empty
    assert "No planning runs yet" in page.frame.empty_label.text()


def test_the_audit_trail_lists_every_status_and_filters(
    qtbot: QtBot, decisions: tuple[Database, Actor, dict[str, str]]
) -> None:
    database, admin, ids = decisions
    page = _page(qtbot, database, admin)
    shown = {
        page.model.decision(row).decision_id: page.model.index(row, DecisionColumn.STATUS).data()
        for row in range(page.model.rowCount())
    }
    assert shown == {
        ids["discarded"]: "Discarded",
        ids["committed"]: "Committed",
        ids["proposed"]: "Proposed",
    }
    assert page.model.index(0, DecisionColumn.USER).data() == "amina"
    page.status_combo.setCurrentIndex(page.status_combo.findData("committed"))
    assert [page.model.decision(r).decision_id for r in range(page.model.rowCount())] == [
        ids["committed"]
    ]
    page.clear_filters()
    page.policy_combo.setCurrentIndex(page.policy_combo.findData("pfa"))
    assert page.model.rowCount() == 1
    assert page.model.index(0, DecisionColumn.POLICY).data() == "PFA"


def test_open_a_past_decision_on_each_tab_and_replay_it(
    qtbot: QtBot, decisions: tuple[Database, Actor, dict[str, str]]
) -> None:
    database, admin, ids = decisions
    page = _page(qtbot, database, admin)
    assert page.select_decision(ids["committed"])
    with qtbot.waitSignal(page.detail.decision_shown):
        page.open_button.click()
    detail = page.detail
    assert page.stack.currentWidget() is detail
    view = detail.view
    assert view is not None
    assert view.decision_id == ids["committed"]
    assert ids["committed"] in detail.title_label.text()
    assert "Committed" in detail.status_label.text()
    # Plan: the routes on the panel.
    assert [r.route_id for r in detail.panel.routes()] == [r.route_id for r in view.routes]
    # State it saw: the orders the decision saw include the ones it routed.
    snapshot = detail.snapshot
    assert snapshot is not None
    seen = {o.order_id for o in snapshot.orders}
    assert {o for r in view.routes for o in r.order_ids} <= seen
    assert detail.snapshot_panel.orders_model.rowCount() == len(snapshot.orders)
    assert detail.snapshot_panel.trucks_model.rowCount() == len(snapshot.trucks)
    assert "pending order" in detail.snapshot_panel.summary_label.text()
    # Parameters: the seed and iterations of the run.
    values = detail.parameters_panel.values()
    assert values["Seed"] == "2"
    assert values["Iterations"] != ""
    # Replay: identical.
    with qtbot.waitSignal(detail.replayed) as signal:
        detail.replay_button.click()
    assert signal.args[0].same
    assert "Replay matches" in detail.message_label.text()
    assert f"{len(view.routes)} route" in detail.message_label.text()
    detail.back_button.click()
    assert page.stack.currentWidget() is page.frame


def test_compare_two_decisions(
    qtbot: QtBot, decisions: tuple[Database, Actor, dict[str, str]]
) -> None:
    database, admin, ids = decisions
    page = _page(qtbot, database, admin)
    assert not page.compare_button.isEnabled()
    page.select_decision(ids["discarded"])
    page.select_decision(ids["committed"], add=True)
    assert page.compare_button.isEnabled()
    with qtbot.waitSignal(page.compared) as signal:
        page.compare_button.click()
    comparison = signal.args[0]
    dialog = page.active_dialog
    assert dialog is not None
    assert {comparison.a.decision_id, comparison.b.decision_id} == {
        ids["discarded"],
        ids["committed"],
    }
    routed_a, routed_b, _ = dialog.cells["Orders routed"]
    assert routed_a == f"{comparison.a.orders_routed:,}"
    assert routed_b == f"{comparison.b.orders_routed:,}"
    assert dialog.moved_model.rowCount() == len(comparison.moved)
    for row, moved in enumerate(comparison.moved):
        assert dialog.moved_model.index(row, 1).data() == (moved.truck_a or NOT_ROUTED)
    dialog.reject()
    assert page.active_dialog is None


# A popup menu asks the offscreen platform to raise it and grab the keyboard, which it cannot.
@pytest.mark.qt_log_ignore(r"^This plugin does not support (raise|grabbing)")
def test_compare_with_from_an_opened_decision(
    qtbot: QtBot, decisions: tuple[Database, Actor, dict[str, str]]
) -> None:
    database, admin, ids = decisions
    page = _page(qtbot, database, admin)
    page.open_decision(ids["proposed"])
    page.detail.compare_button.click()
    actions = [a for a in page.compare_menu.actions() if a.data()]
    assert {a.data() for a in actions} == {ids["committed"], ids["discarded"]}
    with qtbot.waitSignal(page.compared) as signal:
        next(a for a in actions if a.data() == ids["committed"]).trigger()
    assert signal.args[0].a.decision_id == ids["proposed"]
    page.compare_menu.close()
    assert page.active_dialog is not None
    page.active_dialog.reject()


def test_navigation_opens_a_decision(
    qtbot: QtBot, decisions: tuple[Database, Actor, dict[str, str]]
) -> None:
    from senga_desktop.ui.shell.workspace import Workspace

    database, admin, ids = decisions
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=admin)
    workspace = Workspace(context=context)
    qtbot.addWidget(workspace)
    workspace.resize(1400, 900)
    workspace.show()
    assert workspace.open_item("decisions", ids["discarded"])
    page = workspace.pages["decisions"]
    assert isinstance(page, DecisionsPage)
    assert page.stack.currentWidget() is page.detail
    assert page.detail.decision_id == ids["discarded"]
    # A route's "Open decision" on the Routes screen lands here too.
    routes = workspace.pages["routes"]
    routes.navigation_requested.emit("decisions", ids["committed"])
    assert workspace.current_key() == "decisions"
    assert page.detail.decision_id == ids["committed"]
