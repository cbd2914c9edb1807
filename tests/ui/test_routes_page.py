"""The Routes screen on a real database with the demo depot planned and committed: the list,
filters applied by the database, a route's detail, opening its decision, and cancelling."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import orders, planning
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_views import RouteRow
from senga_desktop.db.engine import Database
from senga_desktop.domain import OrderStatus, PolicyName, Role, RouteStatus
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.routes import RoutesPage
from senga_desktop.ui.pages.routes.routes_model import RouteColumn
from senga_desktop.ui.tasks import SyncTaskRunner
from tests.ui.support import committed_demo, isolate_qsettings, make_admin, make_user

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.CFA, seed=3, time_limit=None, max_iterations=100)


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def committed(database: Database) -> tuple[Database, Actor, str]:
    """The demo depot with one committed decision; the admin and its id."""
    admin, summary = committed_demo(database, QUICK, now=NOW)
    return database, admin, summary.decision_id


def _page(qtbot: QtBot, database: Database, actor: Actor) -> RoutesPage:
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=actor)
    page = RoutesPage(context=context)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _routes(page: RoutesPage) -> list[RouteRow]:
    return [r for row in range(page.model.rowCount()) if (r := page.model.route(row))]


def test_an_empty_database_says_to_plan_first(qtbot: QtBot, database: Database) -> None:
    page = _page(qtbot, database, make_admin(database))
    assert page.frame.showing_empty
    assert "No committed routes yet" in page.frame.empty_label.text()
    assert page.empty_planning_button.isVisibleTo(page)
    with qtbot.waitSignal(page.navigation_requested) as signal:
        page.empty_planning_button.click()
    assert signal.args == ["planning", ""]


def test_the_list_shows_committed_routes_and_filters_in_the_database(
    qtbot: QtBot, committed: tuple[Database, Actor, str]
) -> None:
    database, admin, decision_id = committed
    page = _page(qtbot, database, admin)
    rows = _routes(page)
    assert rows
    assert all(r.status is RouteStatus.PLANNED for r in rows)
    assert all(r.decision_id == decision_id for r in rows)
    assert page.model.index(0, RouteColumn.STATUS).data() == "Planned"
    first = rows[0]
    # By truck: the combo offers the trucks on routes; only that truck's routes are left.
    assert page.filters.choose(page.filters.truck_combo, first.vehicle_id)
    assert {r.vehicle_id for r in _routes(page)} == {first.vehicle_id}
    page.filters.clear()
    # By town.
    town = first.towns[0]
    assert page.filters.choose(page.filters.town_combo, town)
    assert _routes(page)
    assert all(town in r.towns for r in _routes(page))
    page.filters.clear()
    # By status: nothing is completed yet.
    page.filters.set_status(frozenset({RouteStatus.COMPLETED}))
    assert page.model.rowCount() == 0
    assert "No routes match" in page.frame.empty_label.text()
    page.filters.clear()
    assert page.model.rowCount() == len(rows)
    # Search by order number: the route carrying it.
    page.select_route(first.route_id)
    order_id = page.detail.route.order_ids[0]
    page.filters.search_edit.setText(order_id)
    page.filters.flush()
    assert [r.route_id for r in _routes(page)] == [first.route_id]


def test_selecting_a_route_shows_its_stops_and_opens_its_decision(
    qtbot: QtBot, committed: tuple[Database, Actor, str]
) -> None:
    database, admin, decision_id = committed
    page = _page(qtbot, database, admin)
    assert page.detail.showing is None
    first = page.model.route(0)
    assert first is not None
    with qtbot.waitSignal(page.route_shown):
        page.table.selectRow(0)
    assert page.detail.showing == first.route_id
    assert page.detail.title_label.text().startswith(first.vehicle_id)
    assert page.detail.panel.routes()[0].route_id == first.route_id
    assert "Leaves" in page.detail.facts_label.text()
    assert page.decision_button.isEnabled()
    with qtbot.waitSignal(page.navigation_requested) as signal:
        page.decision_button.click()
    assert signal.args == ["decisions", decision_id]


def test_open_item_selects_the_route(qtbot: QtBot, committed: tuple[Database, Actor, str]) -> None:
    database, admin, _ = committed
    page = _page(qtbot, database, admin)
    last = page.model.route(page.model.rowCount() - 1)
    assert last is not None
    assert page.open_item(last.route_id)
    assert page.selected_route() == last
    assert page.detail.showing == last.route_id


def test_a_manager_cancels_a_planned_route_and_its_orders_are_pending_again(
    qtbot: QtBot, committed: tuple[Database, Actor, str]
) -> None:
    database, admin, _ = committed
    manager = make_user(database, admin, "wanjiru", Role.MANAGER)
    page = _page(qtbot, database, manager)
    page.table.selectRow(0)
    route = page.detail.route
    assert route is not None
    assert page.cancel_button.isVisible()
    page.cancel_button.click()
    dialog = page.active_dialog
    assert dialog is not None
    text = dialog.consequence_label.text()
    assert f"{len(route.order_ids)} order" in text
    assert "pending" in text
    assert not dialog.accept_button.isEnabled()  # a reason is required
    dialog.reason_edit.setText("Customer postponed the delivery")
    dialog.accept_button.click()
    assert page.active_dialog is None
    assert "was cancelled" in page.frame.notice_label.text()
    selected = page.selected_route()
    assert selected is not None
    assert selected.route_id == route.route_id
    assert selected.status is RouteStatus.CANCELLED
    assert not page.cancel_button.isEnabled()
    for order_id in route.order_ids:
        info = orders.get_order(database.sessions, manager, order_id)
        assert info.status is OrderStatus.PENDING


def test_a_refused_cancel_is_shown_in_the_dialog(
    qtbot: QtBot, committed: tuple[Database, Actor, str]
) -> None:
    from senga_desktop.controllers.routes import cancel_route

    database, admin, _ = committed
    page = _page(qtbot, database, admin)
    page.table.selectRow(0)
    route = page.detail.route
    assert route is not None
    page.cancel_button.click()
    dialog = page.active_dialog
    assert dialog is not None
    cancel_route(database.sessions, admin, route.route_id, reason="by someone else first")
    dialog.reason_edit.setText("Truck broke down")
    dialog.accept_button.click()
    assert page.active_dialog is dialog  # stays open, says why
    assert dialog.form_message.isVisibleTo(dialog)
    dialog.reject()


def test_a_dispatcher_has_no_cancel_button(
    qtbot: QtBot, committed: tuple[Database, Actor, str]
) -> None:
    database, admin, _ = committed
    dispatcher = make_user(database, admin, "otieno")
    page = _page(qtbot, database, dispatcher)
    page.table.selectRow(0)
    assert page.detail.route is not None
    assert not page.cancel_button.isVisibleTo(page)
    assert page.decision_button.isEnabled()
