"""The shared plan panel on a real plan of the demo day: totals, routes, stops, held orders,
the map in step with the list, and the paint time of a 40-route / 500-stop plan."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.db.engine import Database
from senga_desktop.ui.widgets.plan_panel import REASON_TITLES, PlanPanel
from tests.ui.plan_support import big_view, planned_view
from tests.ui.support import make_admin


@pytest.fixture
def view(database: Database) -> DecisionView:
    actor: Actor = make_admin(database)
    seed_demo(database.sessions)
    return planned_view(database, actor)


def _panel(qtbot: QtBot) -> PlanPanel:
    panel = PlanPanel()
    qtbot.addWidget(panel)
    panel.resize(1400, 800)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_totals_routes_and_stops_of_a_real_plan(
    qtbot: QtBot, qtmodeltester: ModelTester, view: DecisionView
) -> None:
    panel = _panel(qtbot)
    panel.show_decision(view)
    assert view.routes, "the demo day must plan some routes"

    totals = panel.totals.values
    assert totals["routed"].text() == f"{view.totals.orders_routed:,}"
    assert totals["held"].text() == f"{len(view.held):,}"
    assert totals["cost"].text().startswith("KES ")
    assert f"{view.totals.cost_kes.quantize(1):,}" in totals["cost"].text()
    assert totals["seed"].text() == str(view.seed)

    model = panel.route_model
    qtmodeltester.check(model)
    assert model.rowCount() == len(view.routes)
    # A one-trip route (multi-trip routes are covered in test_multi_trip_ui).
    row, first = next((n, r) for n, r in enumerate(view.routes) if r.trip_count == 1)
    assert model.index(row, 0).data() == first.vehicle_id
    assert model.index(row, 1).data() == " → ".join(first.towns)
    assert model.index(row, 2).data() == str(len(first.stops))
    assert model.index(row, 3).data().endswith(" t")
    assert "%" in model.index(row, 3).data()

    assert panel.stop_model.rowCount() == 0
    with qtbot.waitSignal(panel.route_selected) as blocker:
        panel.select_route(first.route_id)
    assert blocker.args == [first.route_id]
    assert panel.selected_route() == first.route_id
    assert panel.map.selected_route() == first.route_id  # the list drives the map
    qtmodeltester.check(panel.stop_model)
    assert panel.stop_model.rowCount() == len(first.stops)
    assert panel.stop_model.index(0, 1).data() == first.stops[0].town
    assert panel.stop_model.index(0, 3).data() == ", ".join(first.stops[0].order_ids)
    assert first.vehicle_id in panel.stop_caption.text()


def test_clicking_a_route_on_the_map_selects_it_in_the_list(
    qtbot: QtBot, view: DecisionView
) -> None:
    panel = _panel(qtbot)
    panel.show_decision(view)
    route = view.routes[-1]
    panel.map.show_only(route.route_id)  # nothing else under the pointer
    point = panel.map.stop_point(route.route_id, 1)
    assert point is not None
    with qtbot.waitSignal(panel.route_selected) as blocker:
        qtbot.mouseClick(panel.map.canvas().viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [route.route_id]
    assert panel.selected_route() == route.route_id
    assert panel.route_table.selectionModel().isRowSelected(len(view.routes) - 1)


def test_show_this_route_alone(qtbot: QtBot, view: DecisionView) -> None:
    panel = _panel(qtbot)
    panel.show_decision(view)
    assert not panel.alone_box.isEnabled()
    panel.select_route(view.routes[0].route_id)
    panel.alone_box.setChecked(True)
    assert panel.map.shown_only() == view.routes[0].route_id
    if len(view.routes) > 1:
        panel.select_route(view.routes[1].route_id)  # alone follows the selection
        assert panel.map.shown_only() == view.routes[1].route_id
    panel.alone_box.setChecked(False)
    assert panel.map.shown_only() is None


def test_held_orders_are_grouped_and_open(qtbot: QtBot, view: DecisionView) -> None:
    panel = _panel(qtbot)
    panel.show_decision(view)
    held = panel.held_view
    assert view.held, "the demo day holds a few orders"
    titles = held.group_titles()
    codes = {h.code for h in view.held}
    assert len(titles) == len(codes)
    for code in codes:
        count = sum(1 for h in view.held if h.code == code)
        assert f"{REASON_TITLES.get(code, code)} ({count})" in titles or any(
            t.endswith(f"({count})") for t in titles
        )
    assert panel.tabs.tabText(1) == f"Held orders ({len(view.held)})"

    panel.tabs.setCurrentWidget(held)
    order = sorted(view.held, key=lambda h: h.order_id)[0]
    assert held.select_order(order.order_id)
    item = held.tree.currentItem()
    assert item.text(1) == order.message  # the sentence, in full
    with qtbot.waitSignal(panel.order_open_requested) as blocker:
        held.open_button.click()
    assert blocker.args == [order.order_id]
    with qtbot.waitSignal(panel.order_open_requested) as blocker:
        held.tree.itemDoubleClicked.emit(item, 1)
    assert blocker.args == [order.order_id]


def test_routes_without_totals_and_clear(qtbot: QtBot, view: DecisionView) -> None:
    panel = _panel(qtbot)
    panel.set_totals_visible(False)
    panel.show_routes(view.depot, view.routes[:1])
    assert not panel.totals.isVisible()
    assert panel.route_model.rowCount() == 1
    assert panel.tabs.tabText(1) == "Held orders"
    panel.clear()
    assert panel.route_model.rowCount() == 0
    assert panel.map.data() is None
    assert panel.selected_route() is None


def test_a_40_route_500_stop_plan_is_shown_whole(qtbot: QtBot) -> None:
    """Speed is measured by benchmarks/planning_screen.py; here, that all of it is there."""
    panel = _panel(qtbot)
    big = big_view()
    assert sum(len(r.stops) for r in big.routes) == 500
    panel.show_decision(big)
    panel.repaint()
    panel.map.canvas().viewport().repaint()
    QApplication.processEvents()
    assert panel.route_model.rowCount() == 40
    assert sorted(panel.map.route_ids()) == sorted(r.route_id for r in big.routes)
