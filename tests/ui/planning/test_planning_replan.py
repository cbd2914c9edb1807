"""Lock routes, keep orders on their truck and re-plan the rest on the Planning screen; re-plan
during the day with committed routes that may take extra stops and trucks out on route.

Real migrated SQLite with the demo day, real controllers, the synchronous task runner, short
iteration limits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_views import DecisionView, RouteView
from senga_desktop.controllers.planning_day import Amendment
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Decision, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, RouteStatus, VehicleStatus
from senga_desktop.ui.pages.planning import PlanningPage
from senga_desktop.ui.pages.planning.replan import HOW_TO_KEEP
from senga_desktop.ui.widgets.plan_panel import PlanPanel
from senga_desktop.ui.widgets.plan_panel.locks import LockState
from senga_desktop.ui.widgets.plan_panel.marks import badges
from senga_desktop.ui.widgets.plan_panel.models import LOCKED_ROLE, PINNED_ROLE
from tests.factories import make_order
from tests.ui.plan_support import big_view, focused_page


def _page(qtbot: QtBot, database: Database, actor: Actor) -> PlanningPage:
    return focused_page(qtbot, database, actor, size=(1400, 850))


def _plan(page: PlanningPage) -> DecisionView:
    page.plan_button.click()
    assert page.state == page.RESULT, page.form_message.text()
    assert page.view is not None
    return page.view


def _shape(route: RouteView) -> tuple[object, ...]:
    """What a locked route must keep: truck, orders stop by stop in order, and the ETAs."""
    return (route.vehicle_id, tuple((s.order_ids, s.eta, s.trip) for s in route.stops))


def _route(view: DecisionView, vehicle_id: str) -> RouteView:
    return next(r for r in view.routes if r.vehicle_id == vehicle_id)


def _status(database: Database, decision_id: str) -> set[RouteStatus]:
    with unit_of_work(database.sessions) as session:
        record = session.scalars(select(Decision).where(Decision.decision_id == decision_id)).one()
        return {r.status for r in record.routes}


def test_lock_two_routes_and_replan_the_rest(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    assert len(first.routes) >= 3
    panel, model = page.panel, page.panel.route_model
    assert page.replan_bar.summary.text() == HOW_TO_KEEP
    assert not page.replan_bar.button.isEnabled()
    assert panel.route_table.verticalHeader().isVisible()  # the lock column

    # One route by its padlock in the lock column, one by Ctrl+K on the selected route.
    panel.route_table.verticalHeader().sectionClicked.emit(0)
    panel.select_route(first.routes[1].route_id)
    panel.route_table.setFocus()
    assert panel.lock_controls is not None
    assert panel.lock_controls.lock_action.text() == "Lock this route"
    qtbot.keyClick(panel.route_table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    locked = {first.routes[0].vehicle_id, first.routes[1].vehicle_id}
    assert page.locks.state.vehicle_ids == locked, "Ctrl+K locks the selected route"
    assert panel.lock_controls.lock_action.text() == "Unlock this route"
    assert [model.index(r, 0).data(LOCKED_ROLE) for r in range(3)] == [True, True, False]
    assert model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole)
    assert "Locked" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert {b.data(0) for b in badges(panel.map) if b.kind == "lock"} == {
        first.routes[0].route_id,
        first.routes[1].route_id,
    }
    assert "locked" in panel.stop_caption.text()
    assert page.replan_bar.summary.text().startswith("2 routes locked.")
    assert page.replan_bar.button.isEnabled()

    # The same from the context menu: lock a third route, then unlock it again.
    menu = panel.lock_controls.route_menu(2)
    [lock] = [a for a in menu.actions() if a.objectName() == "lock_route_action"]
    lock.trigger()
    assert page.locks.state.locked(first.routes[2].vehicle_id)
    panel.lock_controls.route_menu(2)
    lock.trigger()
    assert page.locks.state.vehicle_ids == locked

    page.replan_bar.button.click()
    assert page.state == page.RESULT, page.notice.text()
    again = page.view
    assert again is not None
    assert again.decision_id != first.decision_id
    for vid in locked:  # unchanged: truck, orders, stop order, ETAs
        assert _shape(_route(again, vid)) == _shape(_route(first, vid))
    kept = {o for vid in locked for o in _route(first, vid).order_ids}
    others = {o for r in again.routes if r.vehicle_id not in locked for o in r.order_ids}
    assert not kept & others
    # The new proposal keeps the same trucks locked; the old one stays a proposal.
    assert page.locks.state.decision_id == again.decision_id
    assert page.locks.state.vehicle_ids == locked
    rows = {
        model.route(r).vehicle_id: model.index(r, 0).data(LOCKED_ROLE)
        for r in range(len(again.routes))
    }
    assert {v for v, on in rows.items() if on} == locked
    assert _status(demo, first.decision_id) == {RouteStatus.PROPOSED}
    with unit_of_work(demo.sessions) as session:
        record = session.scalars(
            select(Decision).where(Decision.decision_id == again.decision_id)
        ).one()
        run = record.state_snapshot["run"]
        assert run["base_decision_id"] == first.decision_id
        assert set(run["locked_vehicle_ids"]) == locked
        assert session.scalar(select(func.count()).select_from(Decision)) == 2
    assert page.commit_button.isEnabled()
    assert page.notice.text().startswith("Re-planned the rest (2 routes locked)")
    assert page.progress.title.text().startswith("Planning the rest with ")  # the same run path


def test_a_plan_shown_again_is_drawn_again(qtbot: QtBot) -> None:
    """Showing a plan of the same extent (a re-plan often has one) lays its stops out again."""
    panel = PlanPanel()
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    qtbot.waitExposed(panel)
    view = big_view(routes=4, stops=12, held=0)
    for _ in range(2):
        panel.show_decision(view)
        viewport = panel.map.canvas().viewport().rect()
        points = [panel.map.stop_point(r.route_id, 1) for r in view.routes]
        assert all(p is not None and viewport.contains(p) for p in points)


def test_keep_an_order_on_its_truck(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    panel = page.panel
    route = next(r for r in first.routes if len(r.stops) >= 2)
    panel.select_route(route.route_id)
    controls = panel.lock_controls
    assert controls is not None
    row = next(n for n in range(panel.stop_model.rowCount()) if panel.stop_model.stop(n))
    stop = panel.stop_model.stop(row)
    assert stop is not None
    menu = controls.stop_menu(row)
    assert [a.text() for a in menu.actions()] == ["Keep on this truck"]
    menu.actions()[0].trigger()
    assert all(page.locks.state.pinned_to(o) == route.vehicle_id for o in stop.order_ids)
    assert panel.stop_model.index(row, 0).data(PINNED_ROLE)
    assert panel.stop_model.index(row, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    assert route.vehicle_id in panel.stop_model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert [(b.kind, b.data(0)) for b in badges(panel.map)] == [("pin", route.route_id)]
    assert page.replan_bar.summary.text().startswith(
        f"{len(stop.order_ids)} order" + (" kept on its truck" if len(stop.order_ids) == 1 else "s")
    )
    assert controls.stop_menu(row).actions()[0].text() == "Let the engine move it"

    # Locking the route makes the pin pointless: the whole route is kept.
    controls.lock_action.trigger()
    assert not page.locks.state.pins
    assert [a.text() for a in controls.stop_menu(row).actions()] == [
        "Kept: the whole route is locked"
    ]
    controls.lock_action.trigger()
    controls.stop_menu(row)  # selects the stop
    panel.stop_table.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(panel.stop_table, Qt.Key.Key_K, ctrl_shift)
    assert all(page.locks.state.pinned_to(o) == route.vehicle_id for o in stop.order_ids)

    page.replan_bar.button.click()
    again = page.view
    assert again is not None, page.notice.text()
    assert again.decision_id != first.decision_id
    for order_id in stop.order_ids:
        where = next((r.vehicle_id for r in again.routes if order_id in r.order_ids), None)
        held = next((h for h in again.held if h.order_id == order_id), None)
        assert where == route.vehicle_id or (held is not None and route.vehicle_id in held.message)
        assert page.locks.state.pinned_to(order_id) == route.vehicle_id  # still kept
    new_route = _route(again, route.vehicle_id)
    panel.select_route(new_route.route_id)
    shown = [
        n
        for n in range(panel.stop_model.rowCount())
        if panel.stop_model.index(n, 0).data(PINNED_ROLE)
    ]
    assert shown, "the kept order shows its pin on its truck's stops"


def test_a_refused_replan_says_why_and_keeps_the_proposal(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    first = _plan(page)
    route = first.routes[0]
    page.locks.toggle_route(route.vehicle_id)
    gone = route.order_ids[-1]
    with unit_of_work(demo.sessions) as session:  # meanwhile, someone cancels one of its orders
        order = session.scalars(select(Order).where(Order.order_id == gone)).one()
        order.status = OrderStatus.CANCELLED
    page.replan_bar.button.click()
    text = page.notice.text()
    assert text.startswith("Not re-planned: The route of " + route.vehicle_id + " cannot be kept")
    assert f"{gone} is cancelled" in text
    assert page.notice.isVisible()
    assert page.state == page.RESULT
    assert page.view is first
    assert page.locks.state.locked(route.vehicle_id)
    assert page.replan_bar.button.isEnabled()
    assert not page.form_message.isVisible()


def _committed_route(database: Database) -> Route:
    with unit_of_work(database.sessions) as session:
        route = session.scalars(select(Route).where(Route.status == RouteStatus.PLANNED)).one()
        session.expunge(route)
        return route


def _orders_at(database: Database, route_id: str, count: int) -> list[str]:
    """Small new orders delivered where the committed route already stops, in the same window;
    every other truck goes to the workshop, so only the committed truck can take them."""
    now = datetime.now(UTC)
    with unit_of_work(database.sessions) as session:
        for vehicle in session.scalars(
            select(Vehicle).where(Vehicle.status == VehicleStatus.AVAILABLE)
        ):
            vehicle.status = VehicleStatus.MAINTENANCE
        route = session.scalars(select(Route).where(Route.route_id == route_id)).one()
        template = session.scalars(select(Order).where(Order.order_id == route.order_ids[0])).one()
        ids = []
        for _ in range(count):
            order = make_order(
                session,
                template.customer,
                destination_city=template.destination_city,
                destination_location=dict(template.destination_location or {}),
                weight_tonnes=Decimal("0.02"),
                volume_m3=Decimal("0.05"),
                time_window_start=template.time_window_start,
                time_window_end=template.time_window_end,
                created_at=now - timedelta(hours=1),
            )
            ids.append(order.order_id)
        return ids


def test_extend_committed_routes_on_a_day_with_one_committed_route(
    qtbot: QtBot, demo: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, demo, admin)
    form = page.scope_form
    assert form.day_box.isHidden()  # a fresh day: nothing committed, nothing out
    # Commit one route: plan with one truck only.
    form.chosen_trucks.setChecked(True)
    assert page.options is not None
    van = next(t for t in page.options.trucks if "Depot" in t.town and t.capacity_tonnes <= 5)
    form.tick(form.trucks, {van.vehicle_id})  # a day trip from the depot
    one = _plan(page)
    assert len(one.routes) == 1
    monkeypatch.setattr(page, "ask_confirmation", lambda _t, _text: True)
    page.commit_button.click()
    committed = _committed_route(demo)
    truck = one.routes[0].vehicle_id
    added = _orders_at(demo, committed.route_id, 2)

    page.activated()
    assert not form.day_box.isHidden()
    assert not form.extend_row.isHidden()
    assert not form.extend_committed.isChecked()  # off by default
    assert form.extend_label.text() == "Committed routes that have not left may take extra stops"
    assert form.extend_help.text().startswith("1 committed route has not left yet.")
    assert form.out_note.isHidden()
    # No truck is free: Plan waits until the committed route may take the new orders.
    assert not page.plan_button.isEnabled()
    assert "Or let committed routes that have not left take extra stops" in (
        page.form_message.text()
    )

    form.all_trucks.setChecked(True)
    qtbot.mouseClick(form.extend_label, Qt.MouseButton.LeftButton)  # the sentence ticks it
    assert form.extend_committed.isChecked()
    assert page.plan_button.isEnabled()
    assert not page.form_message.isVisible()
    assert page.request().extend_committed
    view = _plan(page)
    [amendment] = page.amendments
    assert amendment.vehicle_id == truck
    assert amendment.route_id == committed.route_id
    assert set(amendment.added_orders) & set(added), "the new orders ride on the committed truck"
    row = page.panel.route_model.row_of(_route(view, truck).route_id)
    assert row is not None
    stops_text = page.panel.route_model.index(row, 2).data()
    assert f"(+{amendment.added_stops})" in stops_text if amendment.added_stops else stops_text
    tip = page.panel.route_model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert f"to committed route {committed.route_id}" in tip
    assert amendment.sentence.startswith("adds ")
    assert f"{truck} {amendment.sentence}" in page.replan_bar.amend_note.text()

    asked: list[str] = []
    monkeypatch.setattr(page, "ask_confirmation", lambda _t, text: asked.append(text) or True)
    page.commit_button.click()
    assert f"{truck} {amendment.sentence}" in asked[0]
    assert "amended, never a second route" in asked[0]
    assert asked[0].startswith(f"Add {len(amendment.added_orders)} orders to 1 committed route?")
    assert "1 committed route amended" in page.notice.text()
    with unit_of_work(demo.sessions) as session:
        planned = session.scalars(select(Route).where(Route.status == RouteStatus.PLANNED)).all()
        mine = [r for r in planned if r.vehicle.vehicle_id == truck]
        assert len(mine) == 1
        assert mine[0].route_id == committed.route_id
        assert set(amendment.added_orders) <= set(mine[0].order_ids)

        # The driver leaves: the truck is out on route and no longer offered for extra stops.
        for route in planned:
            route.actual_start = datetime.now(UTC)
    page.activated()
    assert form.out_note.text() == "1 truck is out on route: it is not re-planned."
    assert not form.out_note.isHidden()
    assert form.extend_row.isHidden()
    assert not page.request().extend_committed


def test_lock_state_keeps_no_pin_on_a_locked_truck() -> None:
    state = (
        LockState("DEC-1").with_pins(["ORD-1", "ORD-2"], "KDA 123B").with_pins(["ORD-3"], "KDB 1")
    )
    locked = state.toggled("KDA 123B")
    assert locked.vehicle_ids == {"KDA 123B"}
    assert dict(locked.pins) == {"ORD-3": "KDB 1"}  # the locked route keeps its orders anyway
    assert locked.with_pins(["ORD-4"], "KDA 123B") == locked
    assert locked.toggled("KDA 123B").vehicle_ids == frozenset()
    assert locked.request_fields() == (frozenset({"KDA 123B"}), {"ORD-3": "KDB 1"})
    assert locked.describe() == "1 route locked · 1 order kept on its truck"
    assert LockState().describe() == ""
    assert not LockState().editable


@pytest.mark.parametrize(
    ("added", "stops", "changed", "sentence"),
    [
        (("A", "B"), 2, False, "adds 2 stops to committed route R-1"),
        (("A", "B", "C"), 2, False, "adds 2 stops (3 orders) to committed route R-1"),
        (("A",), 0, False, "adds 1 order to stops of committed route R-1"),
        ((), 0, False, "keeps committed route R-1 as it is (no extra stop)"),
        (("A",), 1, True, "committed route R-1 changed since this plan was made"),
    ],
)
def test_what_an_amendment_says(
    added: tuple[str, ...], stops: int, changed: bool, sentence: str
) -> None:
    assert Amendment("KDA 123B", "R-1", "P-1", added, stops, changed).sentence == sentence
