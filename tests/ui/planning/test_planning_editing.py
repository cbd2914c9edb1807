"""Editing a proposal by hand on the Planning screen: drag an order to another route and see the
capacity violation and the cost change, undo and redo it, reorder stops and see the ETAs change,
hold and move orders from the keyboard and the context menus, swap and split routes, go back to
the engine's plan, commit an edited plan through its violation confirmation and find its edit
record on the Decisions screen, and re-plan the rest of an edited plan from the edited plan.

Real migrated SQLite with the demo day, real controllers, the synchronous task runner, short
iteration limits. Drops are delivered to the panel's viewports as Qt delivers them (drag-enter,
drag-move and drop events carrying the panel's own payload); ``SENGA_SCREENSHOTS`` (a folder)
saves the screens as PNGs.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_views import DecisionView, RouteView
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Decision
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import DecisionType
from senga_desktop.engine.violations import Violation, ViolationCode
from senga_desktop.ui.pages.decisions import DecisionsPage
from senga_desktop.ui.pages.planning import PlanningPage
from senga_desktop.ui.pages.planning.dialogs import ViolationsDialog
from senga_desktop.ui.pages.planning.edit_bar import HOW_TO_EDIT
from senga_desktop.ui.pages.planning.pickers import TruckChoice, TruckPicker
from senga_desktop.ui.widgets.plan_panel import PlanPanel
from senga_desktop.ui.widgets.plan_panel.drag import OrderDrag, order_mime
from senga_desktop.ui.widgets.plan_panel.models import PROBLEMS_ROLE
from senga_desktop.ui.widgets.plan_panel.violation_marks import ProblemMarks
from tests.ui.plan_support import big_view, focused_page

SHOTS = os.environ.get("SENGA_SCREENSHOTS")


def _page(qtbot: QtBot, database: Database, actor: Actor) -> PlanningPage:
    return focused_page(qtbot, database, actor, size=(1500, 950))


def _plan(page: PlanningPage) -> DecisionView:
    page.plan_button.click()
    assert page.state == page.RESULT, page.form_message.text()
    assert page.view is not None
    assert page.editing.ready, page.edit_bar.status.text()  # opened with the proposal
    return page.view


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        QApplication.processEvents()  # pending layouts first, as on screen
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _deliver(viewport: QWidget, pos: QPoint, data: QMimeData) -> bool:
    """A drag entering ``viewport``, moving to ``pos`` and dropped there, as Qt delivers it;
    whether the drop was accepted."""
    point = QPointF(pos)
    action, button, none = (
        Qt.DropAction.MoveAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(pos, action, data, button, none)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(pos, action, data, button, none)
    QApplication.sendEvent(viewport, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(point, action, data, button, none)
    QApplication.sendEvent(viewport, drop)
    return drop.isAccepted()


def _drag_stop(page: PlanningPage, route: RouteView, order_id: str) -> QMimeData:
    """What a drag started on ``order_id``'s stop carries (the stop selected first)."""
    panel = page.panel
    panel.select_route(route.route_id)
    row = panel.stop_model.row_of_order(order_id)
    assert row is not None
    point = panel.stop_table.visualRect(panel.stop_model.index(row, 1)).center()
    assert panel.drag is not None
    dragged = panel.drag.drag_at(panel.stop_table.viewport(), point)
    assert dragged == OrderDrag(order_id, route.vehicle_id)
    return order_mime(dragged)


def _row_point(page: PlanningPage, vehicle_id: str) -> QPoint:
    model = page.panel.route_model
    row = next(n for n in range(model.rowCount()) if model.route(n).vehicle_id == vehicle_id)
    return page.panel.route_table.visualRect(model.index(row, 1)).center()


def _overloading_move(view: DecisionView) -> tuple[RouteView, RouteView, str]:
    """(from, to, order): a stop of one route heavier than the room left on another."""
    for small in sorted(view.routes, key=lambda r: r.capacity_tonnes):
        room = small.capacity_tonnes - small.load_tonnes
        for big in sorted(view.routes, key=lambda r: -r.capacity_tonnes):
            stop = next((s for s in big.stops if s.weight_tonnes > room + 1), None)
            if big is not small and stop is not None:
                return big, small, stop.order_ids[0]
    raise AssertionError("no move of the demo plan overloads a truck")


def _route(view: DecisionView, vehicle_id: str) -> RouteView:
    return next(r for r in view.routes if r.vehicle_id == vehicle_id)


def test_drag_an_order_onto_another_route_see_the_violation_and_undo_it(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    panel = page.panel
    assert page.edit_bar.status.text() == HOW_TO_EDIT
    assert not page.edit_bar.undo_button.isEnabled()
    assert not panel.totals.values["change"].isVisible()  # nothing edited yet
    source, target, order_id = _overloading_move(first)

    data = _drag_stop(page, source, order_id)
    assert _deliver(panel.route_table.viewport(), _row_point(page, target.vehicle_id), data)

    edited = page.view
    assert edited is not None
    assert edited.decision_id == first.decision_id
    assert order_id in _route(edited, target.vehicle_id).order_ids
    assert order_id not in _route(edited, source.vehicle_id).order_ids
    plan = page.editing.plan
    assert plan is not None
    assert plan.changed
    over = [v for v in plan.introduced if v.code.value == "over_weight"]
    assert [v.vehicle_id for v in over] == [target.vehicle_id]
    # The cost change in the totals, against the engine's plan.
    change = panel.totals.values["change"]
    assert change.isVisible()
    assert plan.cost_change_kes != 0
    assert change.text().startswith("+KES " if plan.cost_change_kes > 0 else "\N{MINUS SIGN}KES ")
    assert panel.totals.values["cost"].text() != ""
    # The violation on its route: warning icon, tint, tooltip; and in the Problems box.
    model = panel.route_model
    row = model.row_of(_route(edited, target.vehicle_id).route_id)
    assert row is not None
    assert over[0].message in model.index(row, 0).data(PROBLEMS_ROLE)
    assert model.index(row, 1).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(row, 4).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert over[0].message in model.index(row, 5).data(Qt.ItemDataRole.ToolTipRole)
    box = panel.problems_box
    assert box.isVisible()
    assert over[0].message in box.texts()
    assert box.title.text().startswith(f"Problems ({len(plan.violations)})")
    assert page.edit_bar.status.text().startswith("1 edit \N{MIDDLE DOT} ")
    assert page.result_title.text().endswith("\N{MIDDLE DOT} edited")
    undo_tip = page.edit_bar.undo_button.toolTip()
    assert undo_tip.startswith(f"Undo: Moved order {order_id} from {source.vehicle_id} to ")
    assert "Ctrl+Z" in undo_tip
    # Clicking the problem selects its route.
    box.activate(box.texts().index(over[0].message))
    assert panel.selected_route() == _route(edited, target.vehicle_id).route_id
    page.edit_actions.panel.live.redraw_map()  # what the map shows a moment later
    assert panel.map.selected_route() == panel.selected_route()
    _shot(page, "planning-edit-violation")

    # Undo (Ctrl+Z): the engine's plan again with only its own problems, no cost change.
    engine_own = [t for t in box.texts() if t.endswith("(the engine's plan too)")]
    panel.route_table.setFocus()
    qtbot.keyClick(panel.route_table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = page.view
    assert back is not None
    assert [r.order_ids for r in back.routes] == [r.order_ids for r in first.routes]
    assert not page.editing.changed
    assert box.isVisible()
    assert box.texts() == engine_own
    assert over[0].message not in box.texts()
    assert "new with your edits" not in box.title.text()
    assert change.text() == "KES 0"
    assert page.edit_bar.redo_button.isEnabled()
    assert page.edit_bar.redo_button.toolTip().startswith(f"Redo: Moved order {order_id}")
    assert not page.result_title.text().endswith("edited")
    _shot(page, "planning-edit-undone")

    # Redo with Ctrl+Shift+Z, undo with the button, redo with Ctrl+Y.
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(panel.route_table, Qt.Key.Key_Z, shift_ctrl)
    assert order_id in _route(page.view, target.vehicle_id).order_ids
    page.edit_bar.undo_button.click()
    assert order_id in _route(page.view, source.vehicle_id).order_ids
    qtbot.keyClick(panel.route_table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert order_id in _route(page.view, target.vehicle_id).order_ids
    assert page.locks.state.decision_id == first.decision_id  # locks are not part of an edit


def test_reorder_stops_with_alt_up_and_by_dropping_and_the_etas_change(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    panel = page.panel
    # One trip: the stop table's first row is then the first stop, not a trip's heading.
    route = next(r for r in first.routes if r.trip_count == 1 and len(r.stops) >= 3)
    panel.select_route(route.route_id)
    second = route.stops[1]
    moved = second.order_ids[0]
    row = panel.stop_model.row_of_order(moved)
    assert row is not None
    panel.stop_table.selectRow(row)
    panel.stop_table.setFocus()
    assert panel.edit_controls is not None
    assert panel.edit_controls.up_action.isEnabled()
    qtbot.keyClick(panel.stop_table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)

    after = _route(page.view, route.vehicle_id)
    assert after.stops[0].order_ids == (moved,)
    assert after.stops[1].order_ids == route.stops[0].order_ids
    assert after.stops[0].eta != second.eta, "the moved stop is reached at another time"
    assert [s.eta for s in after.stops] != [s.eta for s in route.stops]
    assert panel.current_stop_order() == moved, "the moved stop stays selected"
    assert panel.stop_model.index(0, 3).data() == moved
    assert page.edit_bar.undo_button.toolTip().startswith(
        f"Undo: Moved order {moved} on {route.vehicle_id} from stop 2 to stop 1."
    )
    assert not panel.edit_controls.up_action.isEnabled()  # the first stop of its trip now

    # Dropping the last stop of the trip above the first row puts it first.
    trip = after.trip_stops(0)
    last = trip[-1].order_ids[0]
    data = _drag_stop(page, after, last)
    top = panel.stop_table.visualRect(panel.stop_model.index(0, 1))
    assert _deliver(panel.stop_table.viewport(), QPoint(top.center().x(), top.top() + 2), data)
    again = _route(page.view, route.vehicle_id)
    assert again.stops[0].order_ids == (last,)
    assert again.stops[1].order_ids == (moved,)
    assert len(page.editing.edits) == 2
    assert page.editing.stack.count() == 2


def test_hold_and_move_orders_from_the_keyboard_and_the_menus(
    qtbot: QtBot, demo: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    panel = page.panel
    controls = panel.edit_controls
    assert controls is not None
    route = next(r for r in first.routes if len(r.stops) >= 3)
    taken = route.stops[-1].order_ids[0]
    panel.select_route(route.route_id)
    row = panel.stop_model.row_of_order(taken)
    assert row is not None

    # The stop's context menu: the lock action, then the edits.
    menu = controls.stop_menu(row)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Keep on this truck", "Move to route…", "Hold", "Move up", "Move down",
                     "Split route here"]  # fmt: skip
    [hold] = [a for a in menu.actions() if a.objectName() == "hold_order_action"]
    assert hold.isEnabled()
    hold.trigger()
    held = next(h for h in page.view.held if h.order_id == taken)
    assert held.message.startswith(f"Taken off {route.vehicle_id}'s route by hand")
    assert taken not in _route(page.view, route.vehicle_id).order_ids
    assert "Held orders (" in panel.tabs.tabText(1)

    # Ctrl+H on the selected stop holds it too.
    other = _route(page.view, route.vehicle_id).stops[0].order_ids[0]
    panel.stop_table.selectRow(panel.stop_model.row_of_order(other) or 0)
    panel.stop_table.setFocus()
    qtbot.keyClick(panel.stop_table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert any(h.order_id == other for h in page.view.held)

    # Dropping a held order on the held list says it is held already; nothing changes.
    edits = len(page.editing.edits)
    assert _deliver(panel.held_view.tree.viewport(), QPoint(20, 20),
                    order_mime(OrderDrag(taken)))  # fmt: skip
    assert page.edit_bar.message.text() == f"Not changed: {taken} is held already."
    assert len(page.editing.edits) == edits

    # "Move to route…" from the held order's menu: the picker lists trucks with their room.
    asked: list[Sequence[TruckChoice]] = []
    free = page.editing.editor.free_trucks[0] if page.editing.editor else None
    assert free is not None

    def choose(_title: str, prompt: str, choices: Sequence[TruckChoice], _ok: str) -> str:
        asked.append(choices)
        assert taken in prompt
        return free.vehicle_id

    monkeypatch.setattr(page, "ask_truck", choose)
    panel.tabs.setCurrentWidget(panel.held_view)
    held_menu = controls.held_menu(taken)
    [move] = [a for a in held_menu.actions() if a.objectName() == "move_order_action"]
    move.trigger()
    [choices] = asked
    assert {c.vehicle_id for c in choices if not c.has_route} >= {free.vehicle_id}
    assert all(c.room.endswith(" t") or c.room.startswith("over") for c in choices)
    new_route = _route(page.view, free.vehicle_id)
    assert new_route.order_ids == (taken,)
    assert panel.route_model.row_of(new_route.route_id) is not None  # a new row in the list

    # The picker itself lists every truck and returns the one chosen.
    picker = TruckPicker(title="Move to route", prompt="Which truck?", choices=choices,
                         ok_text="Move here", parent=page)  # fmt: skip
    qtbot.addWidget(picker)
    assert picker.tree.topLevelItemCount() == len(choices)
    assert picker.choose(choices[-1].vehicle_id)
    assert picker.chosen() == choices[-1].vehicle_id
    _shot(picker, "planning-truck-picker")


def test_swap_split_and_back_to_the_engines_plan(
    qtbot: QtBot, demo: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    panel = page.panel
    controls = panel.edit_controls
    editor = page.editing.editor
    assert controls is not None
    assert editor is not None
    free = [t.vehicle_id for t in editor.free_trucks]
    answers = iter(free)
    monkeypatch.setattr(page, "ask_truck", lambda *_args: next(answers))
    route = next(r for r in first.routes if len(r.stops) >= 3)
    row = panel.route_model.row_of(route.route_id)
    assert row is not None

    menu = controls.route_menu(row)
    [swap] = [a for a in menu.actions() if a.objectName() == "swap_truck_action"]
    swap.trigger()
    assert route.vehicle_id not in {r.vehicle_id for r in page.view.routes}
    swapped = _route(page.view, free[0])
    assert swapped.order_ids == route.order_ids

    panel.select_route(swapped.route_id)
    panel.stop_table.selectRow(panel.stop_model.row_of_order(swapped.stops[1].order_ids[0]) or 0)
    controls.split_action.trigger()
    head, tail = _route(page.view, free[0]), _route(page.view, free[1])
    assert head.order_ids == route.order_ids[:1]
    assert tail.order_ids == route.order_ids[1:]
    assert page.editing.stack.count() == 2

    page.edit_bar.back_button.click()
    assert [r.order_ids for r in page.view.routes] == [r.order_ids for r in first.routes]
    assert page.editing.edits == ()
    assert page.editing.stack.undoText() == "Back to the engine's plan"
    page.edit_bar.undo_button.click()  # back is an edit too
    assert _route(page.view, free[1]).order_ids == route.order_ids[1:]
    assert len(page.editing.edits) == 2


def test_drop_on_the_map_and_refused_edits_say_why(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    panel = page.panel
    source = next(r for r in first.routes if len(r.stops) >= 2)
    target = next(r for r in first.routes if r is not source)
    order_id = source.stops[0].order_ids[0]

    # On its own route's row: refused in a sentence, nothing changes.
    data = _drag_stop(page, source, order_id)
    assert _deliver(panel.route_table.viewport(), _row_point(page, source.vehicle_id), data)
    assert page.edit_bar.message.text().startswith(
        f"Not changed: {order_id} is on {source.vehicle_id}'s route already"
    )
    assert page.editing.stack.count() == 0

    # On the other route's stop on the map (the route chosen, so it is drawn on top).
    panel.select_route(target.route_id)
    point = panel.map.stop_point(target.route_id, 1)
    assert point is not None
    assert _deliver(panel.map.canvas().viewport(), point, order_mime(OrderDrag(order_id,
                    source.vehicle_id)))  # fmt: skip
    assert order_id in _route(page.view, target.vehicle_id).order_ids
    assert not page.edit_bar.message.isVisible()

    # Not our payload: refused by the view (no drop).
    foreign = QMimeData()
    foreign.setText(order_id)
    assert not _deliver(panel.route_table.viewport(), _row_point(page, source.vehicle_id), foreign)


def test_commit_an_edited_plan_confirm_its_violations_and_see_the_edit_record(
    qtbot: QtBot, demo: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    panel = page.panel
    source, target, order_id = _overloading_move(first)
    assert _deliver(panel.route_table.viewport(), _row_point(page, target.vehicle_id),
                    _drag_stop(page, source, order_id))  # fmt: skip
    plan = page.editing.plan
    assert plan is not None
    assert plan.introduced
    asked: list[str] = []
    listed: list[Sequence[str]] = []
    monkeypatch.setattr(page, "ask_confirmation", lambda _t, text: asked.append(text) or True)
    monkeypatch.setattr(page, "ask_commit_anyway", lambda v: listed.append(v) or False)

    page.commit_button.click()  # refused for its violations, and declined
    assert "You edited this plan by hand (1 edit" in asked[0]
    assert listed == [[v.message for v in plan.introduced]]
    assert page.commit_button.isEnabled()
    assert page.notice.text().startswith("Not committed: the edited plan still breaks")
    with unit_of_work(demo.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 1

    # The dialog itself lists each violation and says the decision records them.
    dialog = ViolationsDialog(violations=listed[0], parent=page)
    qtbot.addWidget(dialog)
    assert dialog.sentences() == list(listed[0])
    assert "records each of these" in dialog.explanation.text()
    assert dialog.back.isDefault()
    dialog.show()
    _shot(dialog, "planning-edit-violations-dialog")
    dialog.close()

    monkeypatch.setattr(page, "ask_commit_anyway", lambda v: listed.append(v) or True)
    page.commit_button.click()
    view = page.view
    assert view is not None
    assert view.decision_type is DecisionType.MANUAL_EDIT
    assert view.committed
    assert view.base_decision_id == first.decision_id
    assert view.accepted_violations == tuple(v.message for v in plan.introduced)
    assert page.result_title.text().startswith("Committed plan: ")
    assert page.result_title.text().endswith(f"edited from {first.decision_id}")
    assert not page.commit_button.isEnabled()
    assert not page.editing.ready
    assert not page.edit_bar.isVisible()
    assert page.manifests.button.isVisible()
    assert page.manifests.target == ("decision", view.decision_id)
    assert [a.text() for a in page.manifests.menu.actions()] == [
        "Print manifests…",
        "Save manifests as PDF…",
    ]
    assert f"records your 1 edit and {len(plan.introduced)} accepted violation" in (
        page.notice.text()
    )
    with qtbot.waitSignal(page.navigation_requested) as blocker:
        page.notice.linkActivated.emit(f"decision:{view.decision_id}")
    assert blocker.args == ["decisions", view.decision_id]
    _shot(page, "planning-edit-committed")

    # The Decisions screen shows the edit record.
    decisions = DecisionsPage(context=page.context)
    qtbot.addWidget(decisions)
    decisions.resize(1400, 900)
    decisions.show()
    decisions.activated()
    with qtbot.waitSignal(decisions.detail.decision_shown):
        assert decisions.open_item(view.decision_id)
    note = decisions.detail.edit_note.label.text()
    assert f"Edited by amina from decision [{first.decision_id}]" in note
    assert "1 edit" in note
    listed_edits = decisions.detail.edits_panel.edits_label.text()
    assert f"Moved order {order_id} from {source.vehicle_id} to {target.vehicle_id}" in (
        listed_edits
    )


def test_replan_the_rest_of_an_edited_plan_starts_from_the_edited_plan(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    panel = page.panel
    source = next(r for r in first.routes if len(r.stops) >= 2)
    target = next(r for r in first.routes if r is not source)
    order_id = source.stops[-1].order_ids[0]
    assert _deliver(panel.route_table.viewport(), _row_point(page, target.vehicle_id),
                    _drag_stop(page, source, order_id))  # fmt: skip
    edited = _route(page.view, target.vehicle_id)
    page.locks.toggle_route(target.vehicle_id)  # keep the edited route exactly
    assert page.replan_bar.button.isEnabled()

    page.replan_bar.button.click()
    assert page.state == page.RESULT, page.notice.text()
    again = page.view
    assert again is not None
    assert again.decision_id != first.decision_id
    kept = _route(again, target.vehicle_id)
    assert kept.order_ids == edited.order_ids, "the locked route is the edited one"
    assert order_id in kept.order_ids
    assert page.locks.state.locked(target.vehicle_id)
    assert page.editing.ready
    assert not page.editing.changed
    with unit_of_work(demo.sessions) as session:
        record = session.scalars(
            select(Decision).where(Decision.decision_id == again.decision_id)
        ).one()
        base_id = record.state_snapshot["run"]["base_decision_id"]
        stored = session.scalars(select(Decision).where(Decision.decision_id == base_id)).one()
        assert stored.decision_type is DecisionType.MANUAL_EDIT
        assert not stored.committed
        assert stored.state_snapshot["edit"]["base_decision_id"] == first.decision_id
        assert stored.state_snapshot["edit"]["proposed"] is True


def test_problem_marks_on_routes_and_stops_and_an_edit_shown_in_place(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    """The panel on its own, with a 40-route plan: a late stop and an overloaded route marked,
    the Problems box leading to them, and an edited plan put in place row by row."""
    panel = PlanPanel()
    qtbot.addWidget(panel)
    panel.resize(1400, 800)
    panel.show()
    qtbot.waitExposed(panel)
    view = big_view(routes=40, stops=500, held=10)
    panel.show_decision(view)
    route, other = view.routes[3], view.routes[7]
    late_order = route.stops[2].order_ids[0]
    late = Violation(ViolationCode.LATE, f"{route.vehicle_id} would reach {late_order} late.",
                     route.vehicle_id, late_order, 600, 0)  # fmt: skip
    heavy = Violation(ViolationCode.OVER_WEIGHT, f"{other.vehicle_id} is loaded over.",
                      other.vehicle_id, None, 400, 0)  # fmt: skip
    marks = ProblemMarks.of([late, heavy], introduced=[heavy])
    assert [p.message for p in marks.problems] == [heavy.message, late.message]  # new first
    panel.set_problems(marks)
    model = panel.route_model
    assert model.index(3, 0).data(PROBLEMS_ROLE) == (late.message,)
    assert model.index(7, 2).data(PROBLEMS_ROLE) == (heavy.message,)
    assert model.index(5, 0).data(PROBLEMS_ROLE) == ()
    assert model.index(5, 1).data(Qt.ItemDataRole.DecorationRole) is None
    assert panel.problems_box.texts() == [heavy.message, f"{late.message} (the engine's plan too)"]
    assert panel.problems_box.title.text() == "Problems (2) \N{MIDDLE DOT} 1 new with your edits"

    # Clicking the late stop's problem selects its route and the stop, which is marked.
    panel.problems_box.activate(1)
    assert panel.selected_route() == route.route_id
    assert panel.current_stop_order() == late_order
    stops = panel.stop_model
    qtmodeltester.check(stops)
    assert stops.index(2, 0).data(PROBLEMS_ROLE) == (late.message,)
    assert stops.index(2, 1).data(Qt.ItemDataRole.DecorationRole) is not None
    assert stops.index(2, 4).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert late.message in stops.index(2, 6).data(Qt.ItemDataRole.ToolTipRole)
    assert stops.index(1, 0).data(PROBLEMS_ROLE) == ()

    # An edit of that route: only its row changes, the selection and the stop stay.
    changed = dataclasses.replace(route, stops=(route.stops[1], route.stops[0], *route.stops[2:]))
    edited = dataclasses.replace(view, routes=(*view.routes[:3], changed, *view.routes[4:]))
    rows: list[int] = []

    def redrawn(top: QModelIndex, bottom: QModelIndex, _roles: object) -> None:
        rows.extend(range(top.row(), bottom.row() + 1))

    model.dataChanged.connect(redrawn)
    panel.show_edited(edited)
    assert set(rows) == {3}
    assert panel.selected_route() == route.route_id
    assert panel.current_stop_order() == late_order
    assert panel.stop_model.index(0, 3).data() == route.stops[1].order_ids[0]
    assert panel.live.map_timer.isActive()  # the map follows a moment later
    panel.live.redraw_map()
    assert panel.map.selected_route() == route.route_id
    assert panel.map.stop_point(route.route_id, 1) is not None
