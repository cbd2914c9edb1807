"""The Decisions screen on a hand-edited plan: the list's type column, the manual edit opened
with where it came from, its edits, accepted violations and cost difference, and the engine
decision it replaced pointing at it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import planning
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_edit_commit import commit_edited_plan
from senga_desktop.controllers.plan_editing import open_plan_editor
from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.db.engine import Database
from senga_desktop.domain import PolicyName
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.decisions import DecisionsPage
from senga_desktop.ui.pages.decisions.decisions_model import DecisionColumn
from senga_desktop.ui.pages.decisions.edit_record import cost_change_text
from senga_desktop.ui.tasks import SyncTaskRunner
from tests.ui.support import isolate_qsettings, make_admin

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(
    policy=PolicyName.CFA, seed=3, time_limit=None, max_iterations=100, workers=1
)
SHOTS = os.environ.get("SENGA_SCREENSHOTS")  # a folder: the screens are saved there as PNGs


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def edited(database: Database) -> tuple[Database, Actor, str, DecisionView]:
    """An engine decision, edited by amina (two orders onto the smallest truck, which overloads
    it, and one held) and committed with its violations accepted."""
    admin = make_admin(database)
    seed_demo(database.sessions, now=NOW)
    engine = planning.plan(database.sessions, admin, QUICK, now=NOW).decision_id
    editor = open_plan_editor(database.sessions, admin, engine)
    routes = sorted(editor.base_view.routes, key=lambda r: (r.capacity_tonnes, r.vehicle_id))
    small, big = routes[0], routes[-1]
    drafts, edits = editor.base_drafts, []
    for order_id in big.order_ids[:2]:
        drafts, edit = editor.move_order(drafts, order_id, small.vehicle_id, 0)
        edits.append(edit)
    drafts, edit = editor.move_order(drafts, routes[1].order_ids[0], None)
    edits.append(edit)
    view = commit_edited_plan(
        database.sessions, admin, engine, drafts, edits, accept_violations=True
    )
    return database, admin, engine, view


def _page(qtbot: QtBot, database: Database, actor: Actor) -> DecisionsPage:
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=actor)
    page = DecisionsPage(context=context)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _shot(page: DecisionsPage, name: str) -> None:
    if SHOTS:
        page.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_the_list_reads_manual_edit_and_the_edit_record_shows_on_both_decisions(
    qtbot: QtBot, edited: tuple[Database, Actor, str, DecisionView]
) -> None:
    database, admin, engine, view = edited
    page = _page(qtbot, database, admin)
    types = {
        page.model.decision(row).decision_id: page.model.index(row, DecisionColumn.TYPE).data()
        for row in range(page.model.rowCount())
    }
    assert types == {engine: "Engine", view.decision_id: "Manual edit"}
    statuses = {
        page.model.decision(row).decision_id: page.model.index(row, DecisionColumn.STATUS).data()
        for row in range(page.model.rowCount())
    }
    assert statuses == {engine: "Discarded", view.decision_id: "Committed"}
    _shot(page, "decisions-list")

    with qtbot.waitSignal(page.detail.decision_shown):
        page.open_decision(view.decision_id)
    detail = page.detail
    note = detail.edit_note.label.text()
    assert detail.edit_note.isVisible()
    assert f"**Edited by amina from decision [{engine}](decision:{engine}) (engine, CFA).**" in note
    assert cost_change_text(view.cost_change_kes)[1:] in note
    assert "KES " in note
    assert "3 edits" in note
    assert f"{len(view.accepted_violations)} violation" in note
    assert "edited by hand" in detail.title_label.text()
    assert detail.subtitle_label.text().startswith("Edited by amina at ")
    assert not detail.replay_button.isEnabled()
    edits_tab = detail.tabs.indexOf(detail.edits_panel)
    assert detail.tabs.isTabVisible(edits_tab)
    detail.tabs.setCurrentIndex(edits_tab)
    listed = detail.edits_panel.edits_label.text()
    for number, sentence in enumerate(view.edits, start=1):
        assert f"{number}. {sentence}" in listed
    assert "Took order " in listed
    accepted = detail.edits_panel.violations_label.text()
    assert view.accepted_violations
    for sentence in view.accepted_violations:
        assert sentence in accepted
    assert detail.edits_panel.edits_heading.text() == "Edits (3)"
    assert detail.parameters_panel.values()["Decision type"] == "Manual edit"
    _shot(page, "decision-manual-edit")

    # The engine decision points at its edit; the link opens it.
    with qtbot.waitSignal(page.detail.decision_shown):
        detail.edit_note.label.linkActivated.emit(f"decision:{engine}")
    assert detail.decision_id == engine
    assert f"**Edited and committed as [{view.decision_id}]" in detail.edit_note.label.text()
    assert not detail.tabs.isTabVisible(detail.tabs.indexOf(detail.edits_panel))
    assert detail.replay_button.isEnabled()
    detail.tabs.setCurrentIndex(0)
    _shot(page, "decision-engine-edited")
    with qtbot.waitSignal(page.detail.decision_shown):
        detail.edit_note.label.linkActivated.emit(f"decision:{view.decision_id}")
    assert detail.decision_id == view.decision_id


def test_a_decision_nobody_edited_shows_no_edit_record(qtbot: QtBot, database: Database) -> None:
    admin = make_admin(database)
    seed_demo(database.sessions, now=NOW)
    decision_id = planning.plan(database.sessions, admin, QUICK, now=NOW).decision_id
    page = _page(qtbot, database, admin)
    with qtbot.waitSignal(page.detail.decision_shown):
        page.open_decision(decision_id)
    assert not page.detail.edit_note.isVisible()
    assert not page.detail.tabs.isTabVisible(page.detail.tabs.indexOf(page.detail.edits_panel))
    assert page.model.index(0, DecisionColumn.TYPE).data() == "Engine"
