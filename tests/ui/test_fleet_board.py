"""The Fleet screen on real databases: grouping, filters, the managers' dialogs, read-only
dispatchers, refreshing without losing the user's place, and a 1,000-truck fleet."""

from __future__ import annotations

import dataclasses
import logging
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from senga_desktop.controllers import fleet
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.fleet import BoardQuery, VehicleInput
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role, RouteStatus, SpecialHandling, VehicleStatus
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.fleet import FleetPage
from senga_desktop.ui.pages.fleet.board_model import FleetBoardModel
from senga_desktop.ui.pages.fleet.status_dialogs import MarkAvailableDialog, ServiceStopDialog
from senga_desktop.ui.pages.fleet.vehicle_dialog import CONFLICT_TEXT, VehicleDialog
from senga_desktop.ui.shell.main_window import MainWindow
from senga_desktop.ui.tasks import BaseTaskRunner, SyncTaskRunner
from tests.factories import make_route
from tests.ui.support import ADMIN_PASSWORD, isolate_qsettings, make_admin, make_user

log = logging.getLogger(__name__)

GROUPS = ["Available", "On route", "Maintenance", "Off duty"]


@pytest.fixture
def admin(database: Database) -> Actor:
    return make_admin(database)


@pytest.fixture
def demo(database: Database) -> Database:
    seed_demo(database.sessions)
    return database


def _page(qtbot: QtBot, database: Database, actor: Actor, *, height: int = 700) -> FleetPage:
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=actor)
    page = FleetPage(context=context)
    qtbot.addWidget(page)
    page.resize(1200, height)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _plates(page: FleetPage) -> list[str]:
    model = page.model
    return [v.label for row in range(model.rowCount()) if (v := model.vehicle(row))]


def _headers(page: FleetPage) -> list[str]:
    model = page.model
    return [model.index(row, 0).data() for row in model.header_rows()]


def _truck(database: Database, plate: str) -> int:
    with unit_of_work(database.sessions) as session:
        found = session.scalar(select(Vehicle.id).where(Vehicle.registration_plate == plate))
        assert found is not None, plate
        return found


def _set(database: Database, plate: str, **values: object) -> None:
    with unit_of_work(database.sessions) as session:
        vehicle = session.scalars(select(Vehicle).where(Vehicle.registration_plate == plate)).one()
        for name, value in values.items():
            setattr(vehicle, name, value)


# -- the board --------------------------------------------------------------------------------


def test_demo_trucks_are_grouped_by_status_with_counts(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    _set(demo, "KCY 964P", status=VehicleStatus.ON_ROUTE)
    _set(demo, "KDE 205T", status=VehicleStatus.OFF_DUTY, available_at=None)
    page = _page(qtbot, demo, admin)

    assert _headers(page) == ["Available (12)", "On route (1)", "Maintenance (1)", "Off duty (1)"]
    assert page.model.vehicle_count() == 15
    expected = fleet.board(demo.sessions, admin)
    assert _plates(page) == [v.label for v in expected.vehicles]  # the controller's order
    rows = page.model.header_rows()
    assert page.model.vehicle(rows[1] + 1).label == "KCY 964P"  # type: ignore[union-attr]
    assert page.subtitle_label.text().startswith("15 trucks in service · 12 available · as of")
    assert page.board_stack.currentIndex() == 0
    assert not page.model.flags(page.model.index(rows[0], 0)) & Qt.ItemFlag.ItemIsSelectable

    fleet.retire_vehicle(demo.sessions, admin, _truck(demo, "KDE 903S"))
    page.filters.retired_box.setChecked(True)
    assert _headers(page)[-1] == "Retired (1)"
    assert "KDE 903S" in _plates(page)
    page.filters.retired_box.setChecked(False)
    assert "KDE 903S" not in _plates(page)


def test_filters_by_town_type_capability_and_plate(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    filters = page.filters
    towns = [filters.town_combo.itemText(i) for i in range(filters.town_combo.count())]
    assert towns == ["All towns", "Eldoret", "Mombasa", "Nakuru", "Senga Nairobi Depot"]
    assert not filters.clear_button.isEnabled()

    assert filters.select(filters.town_combo, "Mombasa")
    assert _plates(page) == ["KCW 376N"]
    assert _headers(page)[0] == "Available (1 of 14)"
    assert filters.clear_button.isEnabled()

    filters.select(filters.town_combo, None)
    filters.select(filters.type_combo, "Heavy truck 10 t")
    assert sorted(_plates(page)) == ["KCZ 519G", "KDB 650H", "KDC 277W", "KDG 148E"]

    filters.select(filters.type_combo, None)
    filters.select(filters.capability_combo, SpecialHandling.REFRIGERATED)
    assert sorted(_plates(page)) == ["KDA 587M", "KDB 418K", "KDD 311Q", "KDE 205T"]
    filters.select(filters.capability_combo, SpecialHandling.COVERED)  # reefers are covered too
    query = BoardQuery(capability=SpecialHandling.COVERED)
    assert _plates(page) == [v.label for v in fleet.board(demo.sessions, admin, query).vehicles]

    filters.select(filters.capability_combo, None)
    filters.search_edit.setText("kdb-4")  # case, spaces and hyphens do not matter
    filters.flush()
    assert _plates(page) == ["KDB 418K"]

    filters.search_edit.setText("nothing like it")
    filters.flush()
    assert page.board_stack.currentIndex() == 1
    assert "No truck matches these filters" in page.empty_label.text()
    assert page.clear_filters_button.isVisibleTo(page)
    page.clear_filters_button.click()
    assert page.model.vehicle_count() == 15
    assert filters.search_edit.text() == ""


def test_an_empty_fleet_says_what_to_do(qtbot: QtBot, database: Database, admin: Actor) -> None:
    page = _page(qtbot, database, admin)
    assert page.board_stack.currentIndex() == 1
    assert "No trucks yet" in page.empty_label.text()
    assert "Add truck…" in page.empty_label.text()
    assert "Import…" in page.empty_label.text()
    assert not page.clear_filters_button.isVisibleTo(page)
    assert not page.details.isVisibleTo(page)


def test_details_show_costs_shift_notes_and_todays_routes(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    truck = _truck(demo, "KDB 418K")
    _set(demo, "KDB 418K", notes="Driver Otieno")
    with unit_of_work(demo.sessions) as session:
        vehicle = session.get(Vehicle, truck)
        make_route(session, vehicle, status=RouteStatus.PLANNED, planned_start=None)
    page = _page(qtbot, demo, admin)
    assert page.details.placeholder.isVisibleTo(page)
    assert page.select_vehicle(truck)
    values = {key: label.text() for key, label in page.details.values.items()}
    assert page.details.title_label.text() == "KDB 418K"
    assert values["capabilities"] == "Refrigerated"
    assert values["today"] == "1 route · 160.5 km · 4 of 10 h shift"
    assert values["shift"] == "10 h shift · back the same day"
    assert values["running"] == "KES 40 per km"
    assert values["fixed"] == "KES 3,500 per day used"
    assert values["notes"] == "Driver Otieno"
    assert "KES 450/h driver" in page.model.index(page.model.row_of(truck), 0).data(  # type: ignore[arg-type]
        Qt.ItemDataRole.ToolTipRole
    )
    semi = _truck(demo, "KDE 903S")
    with unit_of_work(demo.sessions) as session:  # a committed trip to the coast and back
        make_route(
            session,
            session.get(Vehicle, semi),
            status=RouteStatus.PLANNED,
            planned_start=None,
            total_distance_km=Decimal("1150"),
            estimated_duration_minutes=50 * 60,
        )
    page.refresh()
    assert page.select_vehicle(semi)
    assert page.details.values["today"].text() == "1 route · 1,150 km · 50 h of a 3-day trip"
    assert page.details.values["shift"].text() == "12 h shift · trips up to 3 days"
    assert "Shift: 12 h shift · trips up to 3 days" in page.model.index(
        page.model.row_of(semi), 0
    ).data(Qt.ItemDataRole.ToolTipRole)  # type: ignore[arg-type]


# -- managers' actions ------------------------------------------------------------------------


def test_a_manager_adds_a_truck_after_an_inline_error(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    manager = make_user(demo, admin, "wambui", Role.MANAGER)
    page = _page(qtbot, demo, manager)
    assert page.add_button.isVisible()
    assert page.import_button.isVisible()
    page.add_button.click()
    dialog = page.fleet_actions.active_dialog
    assert isinstance(dialog, VehicleDialog)
    combo = dialog.type_combo
    combo.setCurrentIndex(combo.findText("Medium truck 5 t"))
    combo.textActivated.emit("Medium truck 5 t")  # what picking it from the list sends
    assert dialog.figures["capacity_weight_tonnes"].decimal() == Decimal("5.0")
    assert dialog.figures["fixed_cost_kes"].decimal() == Decimal("5000.00")
    assert dialog.capability_boxes[SpecialHandling.COVERED].isChecked()
    trip = dialog.trip_days_spin
    assert (trip.value(), trip.text()) == (1, "1 day")
    assert "rests overnight" in trip.toolTip()
    assert dialog.figures["max_shift_hours"].maximum() == 24  # the controller's limit
    dialog.figures["fuel_cost_per_km"].setValue(61)  # changed by hand: kept on a new type
    combo.setCurrentIndex(combo.findText("Heavy truck 10 t"))
    combo.textActivated.emit("Heavy truck 10 t")
    assert dialog.figures["capacity_weight_tonnes"].decimal() == Decimal("10.0")
    assert dialog.figures["fuel_cost_per_km"].decimal() == Decimal("61.00")
    assert (trip.value(), trip.text()) == (2, "2 days")  # rigids make two-day trips

    dialog.plate_edit.setText("ZD 1234")
    dialog.figures["capacity_volume_m3"].setValue(200)
    dialog.accept_button.click()
    assert dialog.isVisible()
    assert "trailer plate" in dialog.errors.message_for("registration_plate").text()
    assert "at most 150" in dialog.errors.message_for("capacity_volume_m3").text()
    assert fleet.board(demo.sessions, admin).total == 15  # nothing written

    dialog.plate_edit.setText("kdk 902e")
    dialog.figures["capacity_volume_m3"].setValue(40)
    dialog.town_combo.set_text("Kisumu")
    dialog.accept_button.click()
    assert not dialog.isVisible()
    assert page.fleet_actions.active_dialog is None
    added = page.selected_vehicle()
    assert added is not None
    assert added.label == "KDK 902E"
    assert (added.location_name, added.fuel_cost_per_km) == ("Kisumu", Decimal("61.00"))
    assert added.max_trip_days == 2
    assert page.notice_label.text().startswith("KDK 902E is on the board as TRK-")
    assert page.notice_box.isVisibleTo(page)
    assert page.model.vehicle_count() == 16


def test_an_edit_conflict_reloads_the_form(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    truck = _truck(demo, "KDA 123B")
    page = _page(qtbot, demo, admin)
    page.select_vehicle(truck)
    page.fleet_actions.edit.trigger()
    dialog = page.fleet_actions.active_dialog
    assert isinstance(dialog, VehicleDialog)
    assert dialog.plate_edit.text() == "KDA 123B"
    dialog.notes_edit.setPlainText("Mine")

    theirs = fleet.get_vehicle(demo.sessions, admin, truck)  # someone else saves first
    data = dataclasses.replace(VehicleInput.from_info(theirs), notes="Theirs")
    fleet.update_vehicle(demo.sessions, admin, truck, data, expected_version=theirs.version)

    dialog.accept_button.click()
    assert dialog.isVisible()
    assert dialog.form_message.text() == CONFLICT_TEXT.format(label="KDA 123B")
    assert dialog.notes_edit.toPlainText() == "Theirs"
    dialog.notes_edit.setPlainText("Theirs, and mine")
    dialog.accept_button.click()
    assert not dialog.isVisible()
    assert fleet.get_vehicle(demo.sessions, admin, truck).notes == "Theirs, and mine"
    assert page.details.values["notes"].text() == "Theirs, and mine"


def test_a_truck_is_allowed_multi_day_trips_from_its_form(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    truck = _truck(demo, "KDC 277W")
    page = _page(qtbot, demo, admin)
    page.select_vehicle(truck)
    page.fleet_actions.edit.trigger()
    dialog = page.fleet_actions.active_dialog
    assert isinstance(dialog, VehicleDialog)
    assert dialog.trip_days_spin.value() == 2  # the demo's rigids make two-day trips
    dialog.trip_days_spin.setValue(3)
    dialog.accept_button.click()
    assert not dialog.isVisible()
    assert fleet.get_vehicle(demo.sessions, admin, truck).max_trip_days == 3
    assert page.details.values["shift"].text() == "10 h shift · trips up to 3 days"


def test_maintenance_on_a_committed_route_is_confirmed_first(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    truck = _truck(demo, "KDC 277W")
    with unit_of_work(demo.sessions) as session:
        vehicle = session.get(Vehicle, truck)
        route = make_route(session, vehicle, status=RouteStatus.PLANNED,
                           planned_start=datetime.now(UTC) + timedelta(hours=2),
                           destination_cities=["Nakuru"], order_ids=["ORD-1", "ORD-2"])  # fmt: skip
        route_id = route.route_id
    page = _page(qtbot, demo, admin)
    page.select_vehicle(truck)
    page.fleet_actions.maintenance.trigger()
    dialog = page.fleet_actions.active_dialog
    assert isinstance(dialog, ServiceStopDialog)
    assert dialog.until_field is not None
    assert dialog.until_field.value() is not None

    dialog.accept_button.click()
    assert dialog.isVisible()
    assert dialog.routes_box.isVisibleTo(dialog)
    table = dialog.routes_table
    assert [table.item(0, c).text() for c in (0, 3, 4)] == [route_id, "Nakuru", "2"]
    assert dialog.accept_button.text() == "Send to maintenance and flag 1 route"
    assert fleet.get_vehicle(demo.sessions, admin, truck).status is VehicleStatus.AVAILABLE

    dialog.until_field.none_box.setChecked(True)  # another time: ask again
    assert not dialog.routes_box.isVisibleTo(dialog)
    dialog.accept_button.click()
    assert dialog.routes_box.isVisibleTo(dialog)
    dialog.accept_button.click()
    assert not dialog.isVisible()
    info = fleet.get_vehicle(demo.sessions, admin, truck)
    assert (info.status, info.available_at) == (VehicleStatus.MAINTENANCE, None)
    with unit_of_work(demo.sessions) as session:
        reason = session.scalar(select(Route.attention_reason).where(Route.route_id == route_id))
    assert reason is not None
    assert "KDC 277W was sent to maintenance" in reason
    assert route_id in page.notice_label.text()
    assert page.selected_vehicle().status is VehicleStatus.MAINTENANCE  # type: ignore[union-attr]
    assert "Maintenance (2)" in _headers(page)


def test_mark_available_off_duty_and_retire(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    truck = _truck(demo, "KDG 148E")  # in maintenance in the demo
    page = _page(qtbot, demo, admin)
    page.select_vehicle(truck)
    page.fleet_actions.available.trigger()
    dialog = page.fleet_actions.active_dialog
    assert isinstance(dialog, MarkAvailableDialog)
    dialog.town_combo.set_text("Atlantis")
    dialog.accept_button.click()
    assert "not a known town" in dialog.errors.message_for("town").text()
    dialog.town_combo.set_text("Naivasha")
    dialog.accept_button.click()
    assert not dialog.isVisible()
    assert page.selected_vehicle().location_name == "Naivasha"  # type: ignore[union-attr]
    assert "is available at Naivasha: free now" in page.notice_label.text()

    page.fleet_actions.off_duty.trigger()
    off = page.fleet_actions.active_dialog
    assert isinstance(off, ServiceStopDialog)
    assert off.until_field is not None
    assert off.until_field.value() is None  # until further notice, by default
    off.accept_button.click()
    assert page.selected_vehicle().status is VehicleStatus.OFF_DUTY  # type: ignore[union-attr]

    page.fleet_actions.retire.trigger()
    retire = page.fleet_actions.active_dialog
    assert isinstance(retire, ServiceStopDialog)
    assert retire.reason_edit is not None
    retire.reason_edit.setText("Sold")
    retire.accept_button.click()
    assert page.selected_vehicle() is None  # retired trucks leave the board
    assert truck not in [v.id for v in page.model.board.vehicles]  # type: ignore[union-attr]
    page.filters.retired_box.setChecked(True)
    assert page.select_vehicle(truck)
    assert not page.fleet_actions.retire.isEnabled()
    assert page.fleet_actions.available.text() == "Bring &back…"


def test_a_dispatcher_sees_the_board_read_only(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    dispatcher = make_user(demo, admin, "otieno")
    page = _page(qtbot, demo, dispatcher)
    assert page.model.vehicle_count() == 15
    actions = page.fleet_actions
    for action in (actions.add, actions.import_, *actions.vehicle_actions):
        assert not action.isVisible()
        assert not action.isEnabled()
    assert not page.add_button.isVisible()
    assert not page.import_button.isVisible()
    page.select_vehicle(_truck(demo, "KDA 123B"))
    assert not any(b.isVisible() for b in page.details.findChildren(type(page.add_button)))
    assert page.details.findChild(type(page.subtitle_label), "read_only_note").isVisible()
    page.view.doubleClicked.emit(page.view.currentIndex())
    assert actions.active_dialog is None


# -- refreshing -------------------------------------------------------------------------------


def test_refresh_keeps_the_selection_and_the_scroll_position(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin, height=520)
    truck = _truck(demo, "KCW 376N")  # free latest: the last available card
    assert page.select_vehicle(truck)
    bar = page.view.verticalScrollBar()
    assert bar.value() > 0
    row = page.model.row_of(truck)
    top = page.view.visualRect(page.model.index(row, 0)).top()  # type: ignore[arg-type]
    value = bar.value()

    _set(demo, "KCW 376N", notes="Back from Mombasa tonight")
    _set(demo, "KDA 123B", current_location={"name": "Thika", "lat": -1.03, "lon": 37.07})
    page.refresh()
    assert page.selected_vehicle().id == truck  # type: ignore[union-attr]
    assert page.details.values["notes"].text() == "Back from Mombasa tonight"
    assert bar.value() == value

    # A truck added above the selected one: the card stays where the eye left it.
    fleet.add_vehicle(demo.sessions, admin, VehicleInput("KDK 902E", "3t"))
    page.refresh()
    assert page.selected_vehicle().id == truck  # type: ignore[union-attr]
    row = page.model.row_of(truck)
    assert page.view.visualRect(page.model.index(row, 0)).top() == top  # type: ignore[arg-type]
    assert bar.value() > value

    # Nothing changed: no reset at all, so nothing moves.
    assert not page.model.set_board(fleet.board(demo.sessions, admin))


def test_the_board_refreshes_itself_while_visible(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    assert page.refresh_timer.isActive()
    assert page.refresh_timer.interval() == 30_000
    page.select_vehicle(_truck(demo, "KDD 311Q"))
    _set(demo, "KDD 311Q", status=VehicleStatus.ON_ROUTE)
    page.refresh_timer.timeout.emit()
    assert page.selected_vehicle().status is VehicleStatus.ON_ROUTE  # type: ignore[union-attr]
    page.hide()
    assert not page.refresh_timer.isActive()


def test_f5_in_the_main_window_keeps_the_selection(
    qtbot: QtBot, demo: Database, tmp_path: Path
) -> None:
    isolate_qsettings(tmp_path / "qsettings")
    make_admin(demo)
    window = MainWindow(context=AppContext(runner=SyncTaskRunner(), database=demo))
    qtbot.addWidget(window)
    dialog = window.dialog
    dialog.username_edit.setText("amina")  # type: ignore[union-attr]
    dialog.password_edit.setText(ADMIN_PASSWORD)  # type: ignore[union-attr]
    dialog.accept_button.click()  # type: ignore[union-attr]
    assert window.show_page("fleet")
    page = window.workspace.pages["fleet"]  # type: ignore[union-attr]
    assert isinstance(page, FleetPage)
    assert page.title == "Fleet"
    truck = _truck(demo, "KDE 205T")
    assert page.select_vehicle(truck)
    _set(demo, "KDE 205T", notes="Tyres due")
    window.refresh_action.trigger()
    assert page.selected_vehicle().id == truck  # type: ignore[union-attr]
    assert page.details.values["notes"].text() == "Tyres due"


class _DeferredRunner(BaseTaskRunner):
    """Holds calls until :meth:`finish` runs them, as a busy worker thread would."""

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[tuple[int, Any, tuple[Any, ...]]] = []

    def _start(self, request_id: int, fn: Any, args: tuple[Any, ...]) -> None:
        self.queue.append((request_id, fn, args))

    def finish(self) -> None:
        while self.queue:
            request_id, fn, args = self.queue.pop(0)
            self._deliver_success(request_id, fn(*args))


def test_slow_reads_only_the_newest_counts_and_hidden_pages_read_again(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    runner = _DeferredRunner()
    page = FleetPage(context=AppContext(runner=runner, database=demo, actor=admin))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    page.filters.search_edit.setText("KCW")  # asked before the first answer came
    page.filters.flush()
    assert len(runner.queue) == 2
    runner.finish()
    assert _plates(page) == ["KCW 376N"]  # the older, unfiltered answer was dropped

    page.filters.clear()
    page.hide()  # e.g. another page came to the front, or signing out
    assert not runner.busy
    runner.finish()
    assert _plates(page) == ["KCW 376N"]
    page.show()
    runner.finish()
    assert page.model.vehicle_count() == 15


# -- models and scale -------------------------------------------------------------------------


def test_the_board_model_passes_the_model_tester(
    qtmodeltester: ModelTester, demo: Database, admin: Actor
) -> None:
    model = FleetBoardModel()
    qtmodeltester.check(model)  # empty
    model.set_board(fleet.board(demo.sessions, admin))
    qtmodeltester.check(model)
    model.set_board(fleet.board(demo.sessions, admin, BoardQuery(include_retired=True)))
    qtmodeltester.check(model)


def test_a_thousand_trucks_load_as_one_list(qtbot: QtBot, database: Database, admin: Actor) -> None:
    towns = ("Nairobi", "Nakuru", "Mombasa", "Kisumu", "Eldoret")
    statuses = (VehicleStatus.AVAILABLE,) * 7 + (VehicleStatus.ON_ROUTE, VehicleStatus.MAINTENANCE,
                                                 VehicleStatus.OFF_DUTY)  # fmt: skip
    with unit_of_work(database.sessions) as session:
        session.add_all(
            Vehicle(vehicle_id=f"TRK-{n:04d}", vehicle_type="Heavy truck 10 t",
                    capacity_weight_tonnes=Decimal(10), capacity_volume_m3=Decimal(40),
                    current_location={"name": towns[n % 5], "lat": -1.0, "lon": 37.0},
                    status=statuses[n % 10], fuel_cost_per_km=Decimal(80),
                    driver_cost_per_hour=Decimal(550), capabilities=["covered"])
            for n in range(1000)
        )  # fmt: skip
    page = _page(qtbot, database, admin)
    started = time.perf_counter()
    page.refresh()
    page.view.viewport().repaint()
    elapsed = time.perf_counter() - started
    log.info("1,000 trucks: board + model reset + paint in %.0f ms", elapsed * 1000)
    assert page.model.vehicle_count() == 1000
    assert page.model.rowCount() == 1004
    assert _headers(page) == [
        "Available (700)", "On route (100)", "Maintenance (100)", "Off duty (100)"
    ]  # fmt: skip
    assert page.view.findChildren(type(page.details)) == []  # cards are painted, not widgets
