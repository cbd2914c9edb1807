"""Recording a committed route on screen, on a real database with the demo day committed.

The execution dialog is driven as a dispatcher would: "Now" buttons and typed figures for the
route, the stops table cell by cell (by keyboard where it matters), Save, close, reopen to resume,
then "Complete route…". What was saved or completed is checked through the controllers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import orders, planning
from senga_desktop.controllers.execution import load_execution, routes_to_record
from senga_desktop.controllers.execution_views import RouteToRecord
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.domain import (
    FailureReason,
    OrderStatus,
    PolicyName,
    RouteStatus,
    StopResult,
)
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.outcomes.to_record import ToRecordTab
from senga_desktop.ui.pages.routes import RoutesPage
from senga_desktop.ui.tasks import SyncTaskRunner
from senga_desktop.ui.widgets.depot_inputs import DepotDateTimeEdit
from senga_desktop.ui.widgets.execution import CompleteRouteDialog, ExecutionDialog
from senga_desktop.ui.widgets.execution.stop_editors import ChoiceDelegate
from senga_desktop.ui.widgets.execution.stop_table import StopColumn, StopTableModel
from tests.ui.support import committed_demo, isolate_qsettings

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.CFA, seed=3, time_limit=None, max_iterations=100)
SHOTS = Path("/tmp/shots/execui")


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def committed(database: Database) -> tuple[Database, Actor]:
    admin, _ = committed_demo(database, QUICK, now=NOW)
    return database, admin


class Clock:
    """The dialog's "now": a minute that moves on each time it is read, in the past (the
    controller refuses times in the future)."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        self.moment += timedelta(minutes=25)
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=10))


def _context(database: Database, actor: Actor) -> AppContext:
    return AppContext(runner=SyncTaskRunner(), database=database, actor=actor)


def _route_with_stops(database: Database, actor: Actor, count: int) -> RouteToRecord:
    return next(r for r in routes_to_record(database.sessions, actor) if r.stops >= count)


def _dialog(qtbot: QtBot, context: AppContext, route_id: str, clock: Clock) -> ExecutionDialog:
    dialog = ExecutionDialog(context=context, route_id=route_id, clock=clock)
    qtbot.addWidget(dialog)
    dialog.resize(1180, 760)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _shoot(widget: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    widget.grab().save(str(SHOTS / name))  # type: ignore[attr-defined]


def _record_stop(
    qtbot: QtBot, dialog: ExecutionDialog, row: int, result: StopResult | None = None
) -> None:
    """Arrival and departure by the "now" buttons, the result from the table's editor."""
    table = dialog.table
    table.setCurrentIndex(dialog.model.index(row, int(StopColumn.ARRIVED)))
    dialog.arrived_now_button.click()
    dialog.departed_now_button.click()
    if result is not None:
        _choose(qtbot, dialog, row, StopColumn.RESULT, result)


def _choose(
    qtbot: QtBot, dialog: ExecutionDialog, row: int, column: StopColumn, value: object
) -> None:
    """Pick ``value`` in a choice cell with the keyboard: Enter opens the list, a pick commits."""
    table = dialog.table
    table.setFocus()
    table.setCurrentIndex(dialog.model.index(row, int(column)))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert table.state() == QAbstractItemView.State.EditingState
    editor = table.indexWidget(table.currentIndex())
    assert isinstance(editor, QComboBox)
    delegate = table.itemDelegateForColumn(int(column))
    assert isinstance(delegate, ChoiceDelegate)
    editor.setCurrentIndex(delegate.position_of(value))
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # commits and closes the editor (queued)
    QApplication.processEvents()
    assert table.state() != QAbstractItemView.State.EditingState
    assert dialog.model.data(table.currentIndex(), Qt.ItemDataRole.EditRole) == value


def test_record_save_resume_and_complete_a_route(
    qtbot: QtBot, committed: tuple[Database, Actor], clock: Clock
) -> None:
    database, admin = committed
    context = _context(database, admin)
    tab = ToRecordTab(context=context)
    qtbot.addWidget(tab)
    tab.resize(1200, 600)
    tab.show()
    tab.refresh()
    before = tab.model.rowCount()
    route = _route_with_stops(database, admin, 3)
    _shoot(tab, "to_record_tab.png")

    dialog = tab.record(route.route_id)
    assert dialog.model.rowCount() == route.stops
    assert route.route_id in dialog.heading_label.text()
    assert "estimated" in dialog.intro_label.text()
    dialog.reject_button.click()  # nothing entered: closes without asking
    assert tab.active_dialog is None

    dialog = _dialog(qtbot, context, route.route_id, clock)
    _shoot(dialog, "dialog_empty.png")
    # Departure: "Now" sets the current minute, and the odometer is typed.
    dialog.fields.departed_edit.now_button.click()
    departed = dialog.fields.departed_edit.value()
    assert departed is not None
    qtbot.keyClicks(dialog.fields.departure_odometer_edit, "45,210.5")
    _record_stop(qtbot, dialog, 0, StopResult.DELIVERED)
    _record_stop(qtbot, dialog, 1)  # arrived and left; the result comes later
    assert dialog.is_modified()
    with qtbot.waitSignal(dialog.saved):
        dialog.accept_button.click()
    assert dialog.saved_notice.text().startswith("Saved")
    assert not dialog.is_modified()
    _shoot(dialog, "dialog_half.png")
    saved = load_execution(database.sessions, admin, route.route_id)
    assert saved.status is RouteStatus.IN_PROGRESS
    assert saved.recorded.departed_at == departed
    assert saved.recorded.departure_odometer_km == Decimal("45210.5")
    assert saved.stops[0].result is StopResult.DELIVERED
    assert saved.stops[1].arrived_at is not None
    assert saved.stops[1].result is None
    dialog.reject_button.click()
    assert not dialog.isVisible()
    tab.refresh()
    assert "departed" in tab.model.route(tab.model.row_of(route.route_id) or 0).progress

    # Reopened: what was saved is back, and recording goes on from there.
    # (Its clock is the real one now: later than everything recorded so far.)
    dialog = tab.record(route.route_id)
    assert dialog.fields.departed_edit.value() == departed
    assert dialog.fields.departure_odometer_edit.text() == "45,210.5"
    assert dialog.model.row(0).result is StopResult.DELIVERED
    assert dialog.model.row(1).arrived_at == saved.stops[1].arrived_at
    _choose(qtbot, dialog, 1, StopColumn.RESULT, StopResult.FAILED)
    assert dialog.model.flags(dialog.model.index(1, int(StopColumn.REASON))) & (
        Qt.ItemFlag.ItemIsEditable
    )
    _choose(qtbot, dialog, 1, StopColumn.REASON, FailureReason.CUSTOMER_ABSENT)
    for row in range(2, route.stops):
        _record_stop(qtbot, dialog, row, StopResult.DELIVERED)
    dialog.fields.returned_edit.now_button.click()
    qtbot.keyClicks(dialog.fields.return_odometer_edit, "45460")
    qtbot.keyClicks(dialog.fields.fuel_cost_edit, "21500")
    failed_orders = dialog.model.row(1).stop.order_ids

    dialog.complete_button.click()
    confirm = dialog.active_dialog
    assert isinstance(confirm, CompleteRouteDialog)
    assert confirm.tally.failed == 1
    assert confirm.figure_labels["Distance"][2].text() == "249.5 km"
    assert confirm.pending_radio.isChecked()
    assert confirm.pending_radio.isVisibleTo(confirm)
    _shoot(confirm, "complete_dialog.png")
    with qtbot.waitSignal(tab.completed) as signal:
        confirm.accept_button.click()
    assert signal.args == [route.route_id]
    assert dialog.outcome is not None
    assert dialog.outcome.failed == 1
    assert dialog.outcome.returned_orders == failed_orders
    assert dialog.outcome_box.isVisibleTo(dialog)
    assert dialog.outcome.outcome_id in dialog.outcome_label.text()
    assert not dialog.accept_button.isVisibleTo(dialog)
    assert "(completed)" in dialog.heading_label.text()
    _shoot(dialog, "dialog_completed.png")

    done = load_execution(database.sessions, admin, route.route_id)
    assert done.status is RouteStatus.COMPLETED
    assert done.outcome_id == dialog.outcome.outcome_id
    for order_id in failed_orders:
        assert orders.get_order(database.sessions, admin, order_id).status is OrderStatus.PENDING
    # The list refreshed after the completion: the route has left it.
    assert tab.model.row_of(route.route_id) is None
    assert tab.model.rowCount() == before - 1
    assert tab.notice_box.isVisibleTo(tab)
    dialog.close()


def test_return_before_departure_is_shown_at_the_field_and_nothing_is_saved(
    qtbot: QtBot, committed: tuple[Database, Actor], clock: Clock
) -> None:
    database, admin = committed
    route = _route_with_stops(database, admin, 1)
    dialog = _dialog(qtbot, _context(database, admin), route.route_id, clock)
    departed = clock()
    dialog.fields.departed_edit.set_value(departed)
    dialog.fields.returned_edit.set_value(departed - timedelta(hours=2))
    dialog.accept_button.click()
    message = dialog.findChild(type(dialog.stops_message), "returned_at_error")
    assert message is not None
    assert message.isVisibleTo(dialog)
    assert "cannot return before it left" in message.text()
    assert not dialog.saved_notice.isVisibleTo(dialog)
    _shoot(dialog, "dialog_error.png")
    unchanged = load_execution(database.sessions, admin, route.route_id)
    assert unchanged.status is RouteStatus.PLANNED
    assert unchanged.recorded.departed_at is None
    assert unchanged.recorded.returned_at is None


def test_a_refused_stop_is_marked_at_its_cell(
    qtbot: QtBot, committed: tuple[Database, Actor], clock: Clock
) -> None:
    database, admin = committed
    route = _route_with_stops(database, admin, 3)
    dialog = _dialog(qtbot, _context(database, admin), route.route_id, clock)
    departed = clock()
    dialog.fields.departed_edit.set_value(departed)
    # The third stop "arrived" before the truck left: refused as stops[2].arrived_at.
    dialog.model.set_value(2, StopColumn.ARRIVED, departed - timedelta(minutes=30))
    dialog.accept_button.click()
    cell = dialog.model.index(2, int(StopColumn.ARRIVED))
    assert (2, int(StopColumn.ARRIVED)) in dialog.model.error_cells()
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "before the truck left" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert dialog.stops_message.text().startswith("Stop 3:")
    assert dialog.table.currentIndex() == cell
    assert load_execution(database.sessions, admin, route.route_id).recorded.departed_at is None
    # Correcting the cell clears its mark.
    dialog.model.set_value(2, StopColumn.ARRIVED, departed + timedelta(minutes=30))
    assert not dialog.model.error_cells()


def test_complete_lists_what_is_missing_inline(
    qtbot: QtBot, committed: tuple[Database, Actor], clock: Clock
) -> None:
    database, admin = committed
    route = _route_with_stops(database, admin, 2)
    dialog = _dialog(qtbot, _context(database, admin), route.route_id, clock)
    dialog.fields.departed_edit.set_value(clock())
    dialog.model.set_value(0, StopColumn.RESULT, StopResult.FAILED)
    dialog.complete_button.click()
    assert dialog.active_dialog is None  # no confirmation while something is missing
    assert dialog.missing_box.isVisibleTo(dialog)
    text = dialog.missing_label.text()
    assert "Enter the odometer reading at departure." in text
    assert "Enter when the truck came back to the depot." in text
    assert "Choose why stop 1" in text
    assert "Enter when the truck left the depot." not in text
    assert dialog.errors.message_for("return_odometer_km").isVisibleTo(dialog)
    assert (0, int(StopColumn.REASON)) in dialog.model.error_cells()
    assert (1, int(StopColumn.RESULT)) in dialog.model.error_cells()
    _shoot(dialog, "dialog_missing.png")
    assert load_execution(database.sessions, admin, route.route_id).status is RouteStatus.PLANNED


def test_closing_with_unsaved_changes_asks(
    qtbot: QtBot, committed: tuple[Database, Actor], clock: Clock
) -> None:
    database, admin = committed
    route = _route_with_stops(database, admin, 1)
    dialog = _dialog(qtbot, _context(database, admin), route.route_id, clock)
    qtbot.keyClicks(dialog.fields.tolls_edit, "1200")
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save])
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(next(answers)).click()

    QTimer.singleShot(0, answer)
    dialog.reject()  # Cancel: keep recording
    assert dialog.isVisible()
    assert asked
    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(dialog.finished):
        dialog.reject()  # Save: saved, then closed
    assert len(asked) == 2
    assert route.route_id in asked[0]
    saved = load_execution(database.sessions, admin, route.route_id)
    assert saved.recorded.tolls_kes == Decimal("1200")


def test_the_stop_model_holds_to_the_qt_contract(
    qtbot: QtBot, qtmodeltester: ModelTester, committed: tuple[Database, Actor]
) -> None:
    database, admin = committed
    route = _route_with_stops(database, admin, 2)
    view = load_execution(database.sessions, admin, route.route_id)
    model = StopTableModel(zone=ZoneInfo(view.time_zone))
    model.set_stops(view.stops, zone=model.zone)
    qtmodeltester.check(model)
    # A reason is only for a failed stop; choosing another result clears it.
    reason = model.index(0, int(StopColumn.REASON))
    assert not model.flags(reason) & Qt.ItemFlag.ItemIsEditable
    assert not model.set_value(0, StopColumn.REASON, FailureReason.REFUSED)
    model.set_value(0, StopColumn.RESULT, StopResult.FAILED)
    assert model.set_value(0, StopColumn.REASON, FailureReason.REFUSED)
    model.set_value(0, StopColumn.RESULT, StopResult.DELIVERED)
    assert model.row(0).failure_reason is None
    # Late is suggested when the arrival is after the window.
    end = model.row(1).stop.window_end
    if end is not None:
        model.set_value(1, StopColumn.RESULT, StopResult.DELIVERED)
        model.set_value(1, StopColumn.ARRIVED, end + timedelta(minutes=40))
        assert model.row(1).result is StopResult.DELIVERED_LATE
        assert "40 min after the window" in model.index(1, int(StopColumn.RESULT)).data(
            Qt.ItemDataRole.ToolTipRole
        )
    assert model.is_modified()


def test_the_routes_screen_opens_the_execution_of_a_planned_route(
    qtbot: QtBot, committed: tuple[Database, Actor]
) -> None:
    database, admin = committed
    page = RoutesPage(context=_context(database, admin))
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.activated()
    assert page.record_button.isVisibleTo(page)
    assert not page.record_button.isEnabled()  # nothing selected yet
    with qtbot.waitSignal(page.route_shown):
        page.table.selectRow(0)
    assert page.record_button.isEnabled()
    page.record_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ExecutionDialog)
    assert dialog.route_id == page.detail.showing
    dialog.reject()


def test_a_time_cell_opens_on_its_time_or_on_now(
    qtbot: QtBot, committed: tuple[Database, Actor], clock: Clock
) -> None:
    database, admin = committed
    route = _route_with_stops(database, admin, 2)
    dialog = _dialog(qtbot, _context(database, admin), route.route_id, clock)
    table = dialog.table
    arrived = clock() - timedelta(hours=1)
    dialog.model.set_value(0, StopColumn.ARRIVED, arrived)
    for row, expected in ((0, arrived), (1, clock.moment + timedelta(minutes=25))):
        table.setFocus()
        table.setCurrentIndex(dialog.model.index(row, int(StopColumn.ARRIVED)))
        qtbot.keyClick(table, Qt.Key.Key_Return)
        editor = table.indexWidget(table.currentIndex())
        assert isinstance(editor, DepotDateTimeEdit)
        assert editor.value() == expected
        assert editor.displayFormat().startswith("ddd")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()
    assert dialog.model.row(0).arrived_at == arrived
    assert dialog.model.row(1).arrived_at == clock.moment
    # Delete clears a cell.
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert dialog.model.row(1).arrived_at is None
