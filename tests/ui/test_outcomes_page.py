"""The Outcomes screen on a real database: routes completed over the last weeks through
``finish_route``, listed with estimate, actual and error; the weekly comparison and the worst
routes; an outcomes file with a bad row refused with its row and column, then a good file
imported; the learned values shown to managers only, and a reset that asks first.

Every tab is rendered for a manager and a dispatcher under /tmp/shots/outui2/.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from senga_desktop.controllers.learning import fold_outcomes, learned_view, reset_estimate
from senga_desktop.controllers.outcome_records import OrderResult, RouteActuals, finish_route
from senga_desktop.controllers.outcomes import list_outcomes
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Route, RouteStop, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Role, RouteStatus, StopResult, StopType
from senga_desktop.errors import PermissionDenied
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.outcomes import OutcomesPage
from senga_desktop.ui.pages.outcomes.history import EMPTY
from senga_desktop.ui.pages.outcomes.history_model import OutcomeColumn
from senga_desktop.ui.pages.outcomes.learned import value_text
from senga_desktop.ui.pages.outcomes.page import TAB_TITLES
from senga_desktop.ui.tasks import SyncTaskRunner
from senga_desktop.ui.widgets.import_preview import ImportPreviewDialog
from tests.factories import NAKURU, make_customer, make_order, make_vehicle
from tests.integration.test_outcomes_read import ran_route
from tests.ui.support import isolate_qsettings, make_admin, make_user

SHOTS = Path("/tmp/shots/outui2")
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
# Round trips from Nairobi to Nakuru (about 245 km as the crow flies there and back), so what
# the engine learns from them is plausible.
RUNS = [
    # route, weeks back, estimate (km, min, KES), actual
    ("RT-W3-1", 3, ("300", 240, "14000"), ("390", 330, "17500")),
    ("RT-W3-2", 3, ("300", 240, "14000"), ("320", 300, "15000")),
    ("RT-W2-1", 2, ("300", 240, "14000"), ("300", 280, "14500")),
    ("RT-W2-2", 2, ("260", 150, "8000"), ("265", 140, "7900")),
    ("RT-W1-1", 1, ("300", 240, "14000"), ("304", 260, "14200")),
    ("RT-W0-1", 0, ("260", 150, "8000"), ("263", 156, "8100")),
]


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def admin(database: Database) -> Actor:
    return make_admin(database)


def _start(weeks_back: int) -> datetime:
    return NOW - timedelta(weeks=weeks_back, hours=2)


@pytest.fixture
def history(database: Database, admin: Actor) -> dict[str, str]:
    """Six routes completed over the last four weeks, and two committed routes to import."""
    made: dict[str, str] = {}
    with unit_of_work(database.sessions) as session:
        truck = make_vehicle(session, vehicle_id="KDA 101L")
        for route_id, back, estimate, actual in RUNS:
            made[route_id] = ran_route(
                session, truck, route_id, start=_start(back), estimate=estimate, actual=actual,
                results=(StopResult.DELIVERED, StopResult.DELIVERED_LATE)
                if route_id == "RT-W3-1" else (StopResult.DELIVERED,),
                minutes_late=40, now=NOW,
            )  # fmt: skip
        van = make_vehicle(session, vehicle_id="KDC 303V")
        for route_id in ("RT-OPEN-1", "RT-OPEN-2"):
            _committed(session, van, route_id)
    return made


def _committed(session: Session, vehicle: Vehicle, route_id: str) -> None:
    """A planned route with one assigned order and no outcome (for the import)."""
    customer = make_customer(session)
    route = Route(
        route_id=route_id,
        vehicle=vehicle,
        total_distance_km=120,
        estimated_duration_minutes=200,
        estimated_cost_kes=11000,
        status=RouteStatus.PLANNED,
        planned_start=NOW - timedelta(hours=10),
        destination_cities=["Nakuru"],
    )
    # In the session before the order links to it, or the autoflush inside make_order warns
    # that the route hanging off the vehicle is not being added.
    session.add(route)
    order = make_order(session, customer, order_id=f"ORD-{route_id}", status=OrderStatus.ASSIGNED)
    order.assigned_route = route
    route.order_ids = [order.order_id]
    route.stops.append(
        RouteStop(
            stop_id=f"{route_id}-S1",
            order_ids=[order.order_id],
            location=NAKURU,
            stop_type=StopType.DELIVERY,
            sequence_order=0,
        )
    )
    session.flush()


def _page(qtbot: QtBot, database: Database, actor: Actor) -> OutcomesPage:
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=actor)
    page = OutcomesPage(context=context)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _tab(page: OutcomesPage, title: str) -> None:
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    page.tabs.setCurrentIndex(titles.index(title))


def _shoot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    assert widget.grab().save(str(SHOTS / name))


@pytest.fixture
def manager(database: Database, admin: Actor) -> Actor:
    return make_user(database, admin, "wanjiku", Role.MANAGER)


@pytest.fixture
def dispatcher(database: Database, admin: Actor) -> Actor:
    return make_user(database, admin, "otieno", Role.USER)


def test_an_empty_depot_says_how_outcomes_arrive(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    page = _page(qtbot, database, admin)
    _tab(page, "Outcomes")
    assert page.history.frame.showing_empty
    assert page.history.frame.empty_label.text() == EMPTY
    assert "complete a route on the To record tab or import a file" in EMPTY
    _shoot(page, "empty_outcomes.png")
    _tab(page, "Estimate vs actual")
    assert page.trend.stack.currentIndex() == 1  # the empty note, not an empty chart
    _shoot(page, "empty_trend.png")


def test_the_list_shows_estimate_actual_and_error_and_opens_one(
    qtbot: QtBot, database: Database, history: dict[str, str], dispatcher: Actor
) -> None:
    page = _page(qtbot, database, dispatcher)
    _tab(page, "Outcomes")
    model = page.history.model
    assert model.total == 6
    row = model.row_of(history["RT-W3-1"])
    assert row is not None

    def cell(column: OutcomeColumn) -> str:
        return str(model.index(row, int(column)).data())

    assert cell(OutcomeColumn.ROUTE) == "RT-W3-1"
    assert (cell(OutcomeColumn.DISTANCE_ESTIMATED), cell(OutcomeColumn.DISTANCE)) == ("300", "390")
    assert cell(OutcomeColumn.DISTANCE_ERROR) == "+30.0 %"
    assert (cell(OutcomeColumn.DURATION_ESTIMATED), cell(OutcomeColumn.DURATION)) == (
        "4 h 00 min",
        "5 h 30 min",
    )
    assert cell(OutcomeColumn.DURATION_ERROR) == "+37.5 %"
    assert cell(OutcomeColumn.COST_ERROR) == "+25.0 %"
    assert cell(OutcomeColumn.RESULT) == "Late"
    w2 = model.row_of(history["RT-W2-2"])
    assert model.index(w2, int(OutcomeColumn.DURATION_ERROR)).data() == "\N{MINUS SIGN}6.7 %"

    # A header click sorts every outcome in the database: the worst duration first.
    with qtbot.waitSignal(page.history.rows_shown):
        page.history.table.sortByColumn(
            int(OutcomeColumn.DURATION_ERROR), Qt.SortOrder.DescendingOrder
        )
    assert model.outcome(0).route_id == "RT-W3-1"  # type: ignore[union-attr]

    with qtbot.waitSignal(page.history.outcome_shown) as shown:
        page.history.select_outcome(history["RT-W3-1"])
    detail = shown.args[0]
    assert [s.minutes_late for s in detail.stops] == [0, 40]
    view = page.history.detail
    assert view.cells[("duration", "pct")].text() == "+37.5 %"
    assert view.cells[("duration", "error")].text() == "+1 h 30 min"
    assert view.stops_model.rowCount() == 2
    assert view.stops_model.index(1, 6).data() == "Delivered late"
    assert view.stops_model.index(1, 7).data() == "40 min"
    with qtbot.waitSignal(page.navigation_requested) as asked:
        view.route_button.click()
    assert asked.args == ["routes", "RT-W3-1"]
    _shoot(page, "outcomes_dispatcher.png")

    # The filters go to the database.
    page.history.filters.choose_result("late")
    assert [model.outcome(r).route_id for r in range(model.rowCount())] == ["RT-W3-1"]  # type: ignore[union-attr]
    page.history.filters.clear()
    page.history.filters.range_button.last_days(7)
    # Today and the six days before: this week's route, not last week's (7 days 2 hours ago).
    assert model.total == 1
    assert model.outcome(0).route_id == "RT-W0-1"  # type: ignore[union-attr]


def test_the_chart_shows_the_weeks_and_the_worst_routes(
    qtbot: QtBot, database: Database, history: dict[str, str], manager: Actor
) -> None:
    page = _page(qtbot, database, manager)
    with qtbot.waitSignal(page.trend.worst_shown) as worst:
        _tab(page, "Estimate vs actual")
    trend = page.trend.trend
    assert trend is not None
    chart = page.trend.chart
    assert len(chart.categories) == 12
    names = [s.name for s in chart.series]
    assert names == ["Duration", "Distance", "Cost", "Routes"]
    routes = chart.series[3].values
    assert sum(v or 0 for v in routes) == 6
    assert routes[-4:] == (2.0, 2.0, 1.0, 1.0)
    duration = chart.series[0].values
    assert duration[:8] == (None,) * 8  # no routes then: gaps, not zeros
    assert duration[-4] == pytest.approx((37.5 + 25.0) / 2)
    assert page.trend.cards["routes"].value_label.text() == "6"
    # The point under the mouse names its week and value.
    point = chart.point_position(0, 8)
    assert point is not None
    assert chart.point_at(point) == (0, 8)
    assert "Duration: 31.2 %" in chart.tooltip_text(0, 8)
    assert chart.point_at(QPointF(2, 2)) is None
    # The worst routes: furthest from their duration either way.
    assert [r.route_id for r in worst.args[0]][:3] == ["RT-W3-1", "RT-W3-2", "RT-W2-1"]
    assert page.trend.worst_model.index(0, 6).data() == "+37.5 %"
    _shoot(page, "trend_manager.png")
    page.trend.measure_combo.setCurrentIndex(1)  # the bias
    assert page.trend.chart.series[0].values[-1] == pytest.approx(4.0)
    _shoot(page.trend.chart, "trend_bias_chart.png")

    with qtbot.waitSignal(page.history.outcome_shown):
        page.trend.worst_table.doubleClicked.emit(page.trend.worst_model.index(0, 0))
    assert page.tabs.currentWidget() is page.history


def _csv(path: Path, rows: list[list[str]]) -> Path:
    header = ["Route ID", "actual distance (km)", "actual_duration_minutes", "actual_cost_kes",
              "delivered", "late", "failed"]  # fmt: skip
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def test_importing_a_file_with_a_bad_row_writes_nothing_then_a_good_one_refreshes(
    qtbot: QtBot, database: Database, history: dict[str, str], dispatcher: Actor, tmp_path: Path
) -> None:
    page = _page(qtbot, database, dispatcher)
    _tab(page, "Outcomes")
    good = ["RT-OPEN-1", "131.5", "215", "11800", "1", "0", "0"]
    bad = _csv(tmp_path / "week-49.csv", [good, ["RT-NOPE", "90", "150", "8000", "1", "0", "0"]])
    page.actions.import_.trigger()
    dialog = page.actions.active_dialog
    assert isinstance(dialog, ImportPreviewDialog)
    dialog.ask_open_path = lambda: str(bad)  # type: ignore[method-assign]
    dialog.choose_button.click()
    assert dialog.preview is not None
    problems = [str(p) for p in dialog.preview.problems]
    assert problems[0].startswith("row 3, column Route ID: There is no route RT-NOPE")
    assert not dialog.import_button.isEnabled()
    _shoot(dialog, "import_bad_row.png")
    dialog.import_rows()  # refused: nothing is written while a row is bad
    assert list_outcomes(database.sessions, dispatcher).total == 6
    dialog.reject()

    fixed = _csv(tmp_path / "week-49-fixed.csv", [good, ["RT-OPEN-2", "118", "190", "10500", "1",
                                                          "0", "0"]])  # fmt: skip
    page.actions.import_.trigger()
    dialog = page.actions.active_dialog
    assert isinstance(dialog, ImportPreviewDialog)
    dialog.ask_open_path = lambda: str(fixed)  # type: ignore[method-assign]
    dialog.choose_button.click()
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(page.history.rows_shown):
        dialog.import_button.click()
    assert page.tabs.currentWidget() is page.history
    assert page.history.model.total == 8
    model = page.history.model
    rows = {model.outcome(r).route_id: r for r in range(model.rowCount())}  # type: ignore[union-attr]
    assert {"RT-OPEN-1", "RT-OPEN-2"} <= rows.keys()
    # The file's actuals against the plan's estimate (120 km, 200 min).
    imported = rows["RT-OPEN-1"]
    assert model.index(imported, int(OutcomeColumn.DISTANCE)).data() == "131.5"
    assert model.index(imported, int(OutcomeColumn.DISTANCE_ERROR)).data() == "+9.6 %"
    assert model.index(imported, int(OutcomeColumn.DURATION_ERROR)).data() == "+7.5 %"
    assert page.notice_label.text().startswith("Imported 2 outcomes")


def test_a_completion_on_the_to_record_tab_refreshes_the_list(
    qtbot: QtBot, database: Database, history: dict[str, str], dispatcher: Actor
) -> None:
    page = _page(qtbot, database, dispatcher)
    _tab(page, "Outcomes")
    assert page.history.model.total == 6
    with unit_of_work(database.sessions) as session:
        route = session.query(Route).filter(Route.route_id == "RT-OPEN-1").one()
        finish_route(
            session, route,
            RouteActuals(
                distance_km=Decimal("125"), duration_minutes=210, cost_kes=Decimal("11500")
            ),
            [OrderResult("ORD-RT-OPEN-1", StopResult.DELIVERED)],
            failed_to=OrderStatus.PENDING, recorded_by=dispatcher.user_id, now=NOW,
        )  # fmt: skip
    with qtbot.waitSignal(page.history.rows_shown):
        page.to_record.completed.emit("RT-OPEN-1")
    assert page.history.model.total == 7


def test_the_learned_tab_is_for_managers_and_a_reset_asks_first(
    qtbot: QtBot, database: Database, history: dict[str, str], dispatcher: Actor, manager: Actor
) -> None:
    seen = _page(qtbot, database, dispatcher)
    titles = [seen.tabs.tabText(i) for i in range(seen.tabs.count())]
    assert titles == list(TAB_TITLES[:3])
    assert seen.learned is None
    for title in titles:
        _tab(seen, title)
        _shoot(seen, f"dispatcher_{title.lower().replace(' ', '_')}.png")

    page = _page(qtbot, database, manager)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == list(TAB_TITLES)
    learned = page.learned
    assert learned is not None
    with qtbot.waitSignal(learned.view_shown) as first:
        _tab(page, "What the engine learned")
    assert first.args[0].pending == 6
    assert learned.learn_button.isVisible()
    with qtbot.waitSignal(learned.view_shown) as folded:
        learned.learn_button.click()
    view = folded.args[0]
    assert view.version is not None
    assert view.pending == 0
    again = fold_outcomes(database.sessions)  # nothing left to fold: no new version
    assert (again.version, again.used, again.flagged) == (view.version, 0, 0)
    rows = [r for r in view.rows if r.observations > 0]
    assert rows
    row = rows[0]
    # Each row: the default, the learned value, the outcomes it rests on and its uncertainty.
    model = learned.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:7] == ["What", "About", "Default", "Learned", "Change", "Outcomes",
                           "90 % interval"]  # fmt: skip
    shown = view.rows.index(row)
    cells = [model.index(shown, c).data() for c in range(7)]
    assert cells[1] == row.label
    assert cells[2] == value_text(row.default, row.unit)
    assert cells[3] == value_text(row.value, row.unit)
    assert cells[5] == str(row.observations)
    low, high = value_text(row.low, row.unit), value_text(row.high, row.unit)
    assert cells[6] == f"{low} \N{EN DASH} {high}"
    assert row.low <= row.value <= row.high
    assert row.low < row.high  # a few outcomes do not make it certain
    button = learned.reset_buttons[(row.kind, row.key)]
    assert button.isEnabled()
    _shoot(page, "learned_manager.png")

    asked: list[str] = []
    learned.ask_confirmation = lambda _t, text: asked.append(text) or False  # type: ignore[method-assign]
    button.click()
    assert asked
    assert row.label in asked[0]
    assert learned_view(database.sessions, manager).version == view.version  # said no

    learned.ask_confirmation = lambda _t, _text: True  # type: ignore[method-assign]
    with qtbot.waitSignal(learned.view_shown) as reset:
        learned.reset_buttons[(row.kind, row.key)].click()
    after = learned_view(database.sessions, manager)
    assert after.version == view.version + 1
    assert reset.args[0].version == after.version
    again = after.row(row.kind, row.key)
    assert again is None or again.observations == 0
    assert "back to its default" in learned.notice.text()

    # The controller, not just the hidden tab, keeps a dispatcher from resetting.
    reset_row = next(r for r in after.rows if r.observations > 0)
    with pytest.raises(PermissionDenied):
        reset_estimate(database.sessions, dispatcher, reset_row.kind, reset_row.key)
    assert learned_view(database.sessions, dispatcher).can_reset is False
    assert learned_view(database.sessions, manager).version == after.version
    for title in TAB_TITLES:
        _tab(page, title)
        _shoot(page, f"manager_{title.lower().replace(' ', '_')}.png")
