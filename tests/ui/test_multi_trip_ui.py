"""Multi-trip days on screen: the Trips a day settings page, and trips in the plan panel.

The settings page runs on real databases (SQLite, and PostgreSQL when configured) with the
synchronous task runner; the plan panel is shown a route of three trips built from the read
models, next to one of a single trip that must look as it always did.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from senga_desktop.config import DatabaseSetting, SettingSource
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_views import ReloadView, RouteView
from senga_desktop.controllers.settings import load_general
from senga_desktop.controllers.settings_trips import load_trips
from senga_desktop.db import migrate
from senga_desktop.db.engine import Database
from senga_desktop.domain import Role
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.routes.route_detail import route_facts, route_towns
from senga_desktop.ui.settings import SettingsDialog
from senga_desktop.ui.settings.trips_page import OFF_TEXT, TripsPage
from senga_desktop.ui.tasks import SyncTaskRunner
from senga_desktop.ui.widgets.map.adapters import map_data
from senga_desktop.ui.widgets.plan_panel import PlanPanel
from tests.ui.plan_support import NAIROBI, big_view
from tests.ui.support import make_admin, make_user

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")
SHOTS = os.environ.get("SENGA_SCREENSHOTS")  # a folder: save PNGs of the screens to look at


def _context(database: Database, actor: Actor) -> AppContext:
    url = database.url.render_as_string(hide_password=False)
    return AppContext(
        runner=SyncTaskRunner(),
        database=database,
        setting=DatabaseSetting(url, SettingSource.COMMAND_LINE),
        revision=migrate.head_revision(),
        actor=actor,
        general=load_general(database.sessions),
    )


def _trips_page(qtbot: QtBot, database: Database, actor: Actor) -> tuple[SettingsDialog, TripsPage]:
    dialog = SettingsDialog(context=_context(database, actor))
    qtbot.addWidget(dialog)
    assert dialog.open_page("trips")
    page = dialog.page("trips")
    assert isinstance(page, TripsPage)
    page.load()
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, page


def _save(widget: QLabel | None, path: str) -> None:
    if SHOTS and widget is not None:
        widget.grab().save(str(Path(SHOTS) / path))


def test_a_manager_turns_on_three_trips_for_light_trucks(qtbot: QtBot, database: Database) -> None:
    admin = make_admin(database)
    manager = make_user(database, admin, "wanjiku", Role.MANAGER)
    dialog, page = _trips_page(qtbot, database, manager)
    light = page.spins["light_3t"]
    assert light.value() == 1
    assert light.text() == OFF_TEXT  # off until a manager turns it on
    light.setValue(3)
    assert page.is_dirty()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.ok_button.click()
    assert load_trips(database.sessions).by_type == {"light_3t": 3}


def test_a_long_haul_type_is_refused_at_its_field(qtbot: QtBot, database: Database) -> None:
    dialog, page = _trips_page(qtbot, database, make_admin(database))
    page.spins["rigid_10t"].setValue(2)
    message = page.findChild(QLabel, "max_trips.rigid_10t_error")
    assert message is not None
    assert message.isVisible()
    assert "several days" in message.text()
    _save(dialog, "trips-settings-error.png")
    dialog.ok_button.click()
    assert dialog.isVisible()  # nothing saved, the dialog stays open
    assert load_trips(database.sessions).by_type == {}


def _three_trips() -> RouteView:
    """The first route of the synthetic plan, split into three trips with two reloads."""
    route = big_view(routes=4, stops=24, held=0).routes[0]
    stops = tuple(dataclasses.replace(s, trip=min(n // 2, 2)) for n, s in enumerate(route.stops))
    reloads = tuple(
        ReloadView(
            trip,
            stops[2 * trip - 1].departure + timedelta(minutes=40),  # type: ignore[operator]
            stops[2 * trip - 1].departure + timedelta(minutes=70),  # type: ignore[operator]
        )
        for trip in (1, 2)
    )
    return dataclasses.replace(route, stops=stops, reloads=reloads)


def test_the_plan_panel_heads_each_trip(qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    single = big_view(routes=4, stops=24, held=0).routes[1]
    route = _three_trips()
    panel = PlanPanel()
    qtbot.addWidget(panel)
    panel.resize(1400, 800)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_routes(NAIROBI, [route, single])

    assert panel.route_model.index(0, 2).data() == f"{len(route.stops)} · 3 trips"
    assert panel.route_model.index(1, 2).data() == str(len(single.stops))

    panel.select_route(single.route_id)
    model = panel.stop_model
    assert model.rowCount() == len(single.stops)  # one trip: no headings, as always
    assert model.heading_rows() == ()

    panel.select_route(route.route_id)
    qtmodeltester.check(model)
    assert model.rowCount() == len(route.stops) + 3
    assert model.heading_rows() == (0, 3, 6)
    assert panel.stop_table.columnSpan(3, 0) == model.columnCount()
    first, second = model.index(0, 0).data(), model.index(3, 0).data()
    assert first.startswith("Trip 1 — loads at the depot, out ")
    assert second.startswith("Trip 2 — back at the depot ")
    assert ", reload, out " in second
    assert model.stop(0) is None
    assert model.stop(1) == route.stops[0]
    assert "3 trips" in panel.stop_caption.text()
    _save(panel, "plan-panel-trips.png")


def test_route_detail_and_map_show_the_returns_to_the_depot() -> None:
    route = _three_trips()
    towns = route_towns(route)
    assert towns.count("depot") == 2
    assert "in 3 trips" in route_facts(route, "Africa/Nairobi")
    (drawn,) = map_data(NAIROBI, [route]).routes
    assert [s.trip for s in drawn.stops] == [s.trip for s in route.stops]
    assert "3 trips: back at the depot to reload at" in drawn.tooltip
    assert "trip 2 of 3" in drawn.stops[2].tooltip
