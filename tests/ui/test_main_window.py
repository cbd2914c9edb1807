"""The main window on real databases: figures, empty state, refresh, status bar, geometry,
the failure page, the entry point and the background task runner."""

from __future__ import annotations

import dataclasses
import logging
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, QSize, Qt, QThread
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from senga_desktop import __version__, app
from senga_desktop.controllers.database import OpenedDatabase
from senga_desktop.controllers.overview import depot_overview
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Customer, Order, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, VehicleStatus
from senga_desktop.errors import StorageUnavailable
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.errors import crash_message, install_excepthook
from senga_desktop.ui.main_window import EMPTY_STATE_TEXT, MainWindow, WindowState
from senga_desktop.ui.tasks import SyncTaskRunner, TaskRunner

REFUSED_URL = "postgresql://u:pw@127.0.0.1:1/x"  # nothing listens on port 1: refused at once
DEPOT = {"name": "Nairobi", "address": "Enterprise Road", "lat": -1.309, "lon": 36.848}


@pytest.fixture(autouse=True)
def qsettings_dir(tmp_path: Path) -> Path:
    """Window settings go to the test's folder (Qt caches its settings path per process)."""
    folder = tmp_path / "qsettings"
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))
    return folder


def _context(database: Database | None = None, **kwargs: Any) -> AppContext:
    return AppContext(
        controllers=app.build_controllers(), runner=SyncTaskRunner(), database=database, **kwargs
    )


def _window(qtbot: QtBot, context: AppContext) -> MainWindow:
    window = MainWindow(context=context)
    qtbot.addWidget(window)
    return window


def _add_depot(database: Database, *, orders: int) -> None:
    """One customer, two trucks (one in the workshop) and ``orders`` pending orders."""
    with unit_of_work(database.sessions) as session:
        customer = session.query(Customer).filter_by(customer_id="CUST-0001").one_or_none()
        if customer is None:
            customer = Customer(customer_id="CUST-0001", customer_name="Thika Road Millers")
            session.add(customer)
            for plate, status in (
                ("KCA 123A", VehicleStatus.AVAILABLE),
                ("KCB 456B", VehicleStatus.MAINTENANCE),
            ):
                session.add(
                    Vehicle(
                        vehicle_id=plate,
                        vehicle_type="Isuzu FVZ 10 t",
                        capacity_weight_tonnes=Decimal("10.000"),
                        capacity_volume_m3=Decimal("40.000"),
                        current_location=DEPOT,
                        status=status,
                        fuel_cost_per_km=Decimal("42.50"),
                        driver_cost_per_hour=Decimal("350.00"),
                    )
                )
        existing = session.query(Order).count()
        for number in range(existing + 1, existing + orders + 1):
            start = datetime(2026, 3, 2, 5, 0, tzinfo=UTC) + timedelta(hours=number)
            session.add(
                Order(
                    order_id=f"ORD-{number:05d}",
                    customer=customer,
                    pickup_location=DEPOT,
                    destination_city="Nakuru",
                    destination_location={"name": "Nakuru", "lat": -0.303, "lon": 36.080},
                    weight_tonnes=Decimal("2.500"),
                    volume_m3=Decimal("8.000"),
                    time_window_start=start,
                    time_window_end=start + timedelta(hours=4),
                    price_kes=Decimal("18500.00"),
                    status=OrderStatus.PENDING,
                )
            )


def _figure(window: MainWindow, key: str) -> str:
    label = window.findChild(QLabel, f"{key}_value")
    assert label is not None, key
    return label.text()


def _figures(window: MainWindow) -> dict[str, str]:
    return {
        k: _figure(window, k) for k in ("customers", "trucks", "pending", "orders", "decisions")
    }


def _all_texts(window: MainWindow) -> list[str]:
    """Every string the window can show: labels, buttons, tooltips, menus, the status bar."""
    texts = [window.windowTitle(), window.statusBar().currentMessage(), window.about_text()]
    for widget in window.findChildren(QWidget):
        for name in ("text", "title", "toolTip", "statusTip", "whatsThis", "windowTitle"):
            getter = getattr(widget, name, None)
            if callable(getter):
                value = getter()
                if isinstance(value, str):
                    texts.append(value)
    for action in window.findChildren(QAction):
        texts += [action.text(), action.toolTip(), action.statusTip()]
    texts += [menu.title() for menu in window.findChildren(QMenu)]
    return [t for t in texts if t]


def test_figures_match_the_depot_overview(qtbot: QtBot, database: Database) -> None:
    _add_depot(database, orders=3)
    window = _window(qtbot, _context(database))

    overview = depot_overview(database.sessions)
    assert window.state is WindowState.OVERVIEW
    assert _figures(window) == {
        "customers": str(overview.customers),
        "trucks": f"{overview.vehicles_available} / {overview.vehicles}",
        "pending": str(overview.orders_pending),
        "orders": str(overview.orders_total),
        "decisions": str(overview.decisions),
    }
    assert _figures(window)["trucks"] == "1 / 2"
    assert window.overview_page.empty_box.isHidden()


def test_empty_database_shows_the_empty_state(qtbot: QtBot, database: Database) -> None:
    window = _window(qtbot, _context(database))

    assert _figures(window) == {
        "customers": "0",
        "trucks": "0 / 0",
        "pending": "0",
        "orders": "0",
        "decisions": "0",
    }
    assert not window.overview_page.empty_box.isHidden()
    assert window.overview_page.empty_label.text() == EMPTY_STATE_TEXT
    assert "senga db seed --demo" in EMPTY_STATE_TEXT


def test_refresh_shows_new_orders(qtbot: QtBot, database: Database) -> None:
    window = _window(qtbot, _context(database))
    assert _figure(window, "orders") == "0"

    _add_depot(database, orders=2)
    assert _figure(window, "orders") == "0"  # nothing changes by itself
    window.refresh_action.trigger()

    assert _figure(window, "orders") == "2"
    assert _figure(window, "pending") == "2"
    assert window.overview_page.empty_box.isHidden()
    assert window.refresh_action.shortcut().toString() == "F5"


def test_status_bar_names_backend_and_location_not_the_password(
    qtbot: QtBot, database: Database
) -> None:
    window = _window(qtbot, _context(database))

    shown = window.database_status.text()
    assert {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[database.backend] in shown
    assert database.location in shown
    assert window.revision_status.text().startswith("Schema ")
    assert window.revision_status.text() != "Schema empty"
    assert window.connection_status.text() == "connected"
    password = database.url.password
    if password:
        assert not [t for t in _all_texts(window) if password in t]


def test_a_failed_refresh_keeps_the_figures_and_says_why(qtbot: QtBot, database: Database) -> None:
    _add_depot(database, orders=1)
    controllers = app.build_controllers()
    server_down = False

    def health(db: Database) -> Any:
        if server_down:
            raise StorageUnavailable("Cannot reach PostgreSQL at db:5432/senga. Check the server.")
        return controllers.health(db)

    context = _context(database)
    context.controllers = dataclasses.replace(controllers, health=health)
    window = _window(qtbot, context)
    assert window.overview_page.problem_box.isHidden()

    server_down = True
    window.refresh_action.trigger()

    assert not window.overview_page.problem_box.isHidden()
    assert "db:5432/senga" in window.overview_page.problem_label.text()
    status = window.connection_status.text()
    assert status == "unreachable: Cannot reach PostgreSQL at db:5432/senga"
    assert _figure(window, "orders") == "1"  # the last figures stay

    server_down = False
    window.refresh_action.trigger()
    assert window.overview_page.problem_box.isHidden()
    assert window.connection_status.text() == "connected"


def test_about_names_version_qt_and_database(qtbot: QtBot, database: Database) -> None:
    window = _window(qtbot, _context(database))

    about = window.about_text()
    assert __version__ in about
    assert "Qt" in about
    assert database.location in about


def test_window_geometry_is_remembered(
    qtbot: QtBot, database: Database, qsettings_dir: Path
) -> None:
    first = _window(qtbot, _context(database))
    assert first.size() == QSize(1200, 800)  # nothing saved yet
    # Within the offscreen screen (800 by 600): restoring clamps a window to the screen it is on.
    first.setGeometry(30, 40, 720, 510)
    first.close()

    second = _window(qtbot, _context(database))
    assert second.size() == QSize(720, 510)
    assert second.geometry().topLeft() == QPoint(30, 40)
    assert list(qsettings_dir.rglob("Senga Dispatch.conf"))


def test_closing_the_window_closes_the_database(qtbot: QtBot, database: Database) -> None:
    context = _context(database)
    window = _window(qtbot, context)
    window.close()
    assert context.closed


def test_failure_page_offers_retry_and_hides_the_password(qtbot: QtBot) -> None:
    attempts: list[str | None] = []
    controllers = app.build_controllers()

    def counting_open(url: str | None) -> OpenedDatabase:
        attempts.append(url)
        return controllers.open_database(url)

    context = AppContext(
        controllers=dataclasses.replace(controllers, open_database=counting_open),
        runner=SyncTaskRunner(),
        database_url=REFUSED_URL,
    )
    window = _window(qtbot, context)

    assert window.state is WindowState.FAILED
    message = window.failure_page.message_label.text()
    assert "127.0.0.1:1/x" in message
    assert "refused" in message
    hint = window.findChild(QLabel, "failure_hint")
    assert hint is not None
    assert "senga config show" in hint.text()
    assert window.connection_status.text().startswith("unreachable: ")
    retry = window.findChild(QPushButton, "retry_button")
    assert retry is not None
    assert retry.text() == "Retry"

    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert len(attempts) == 2
    assert window.state is WindowState.FAILED

    texts = _all_texts(window)
    assert texts
    assert not [t for t in texts if "pw" in t]


def test_opening_with_demo_seeds_the_depot(qtbot: QtBot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    context = AppContext(
        controllers=app.build_controllers(demo=True), runner=SyncTaskRunner(), database_url=url
    )
    window = _window(qtbot, context)

    assert window.state is WindowState.OVERVIEW
    assert context.database is not None
    assert context.setting is not None
    figures = _figures(window)
    assert int(figures["orders"]) > 0
    assert int(figures["customers"]) > 0
    assert window.overview_page.empty_box.isHidden()
    assert str(tmp_path / "demo.sqlite3") in window.database_status.text()


def test_version_prints_and_opens_no_window(capsys: pytest.CaptureFixture[str]) -> None:
    before = QApplication.instance()
    windows_before = set(QApplication.topLevelWidgets()) if before else set()

    assert app.main(["--version"]) == 0

    assert capsys.readouterr().out.strip() == f"Senga Dispatch {__version__}"
    after = QApplication.instance()
    assert after is before
    if after is not None:
        assert set(QApplication.topLevelWidgets()) == windows_before


def test_window_opens_the_database_in_the_background(qtbot: QtBot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"  # a fresh machine: the file does not exist
    context = AppContext(controllers=app.build_controllers(), runner=TaskRunner(), database_url=url)
    window = _window(qtbot, context)
    assert window.state is WindowState.OPENING  # the window is there before the database

    qtbot.waitUntil(lambda: window.connection_status.text() == "connected", timeout=10_000)

    assert window.state is WindowState.OVERVIEW
    assert _figure(window, "orders") == "0"
    assert not window.overview_page.empty_box.isHidden()
    window.close()
    assert context.closed


def _worker_call(value: int) -> tuple[int, int]:
    return value * 2, threading.get_ident()


def _worker_failure() -> None:
    raise StorageUnavailable("the server went away")


def test_task_runner_delivers_results_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    received: list[tuple[Any, QThread]] = []

    with qtbot.waitSignal(runner.task_succeeded, timeout=5000) as blocker:
        request = runner.run(
            _worker_call,
            21,
            on_success=lambda result: received.append((result, QThread.currentThread())),
        )

    assert blocker.args is not None
    assert blocker.args[0] == request
    [(result, thread)] = received
    assert result[0] == 42
    assert result[1] != threading.get_ident()  # it ran on a worker
    assert thread is QThread.currentThread()  # and came back to the test's (GUI) thread
    assert not runner.busy
    assert runner.shutdown()


def test_task_runner_delivers_exceptions(qtbot: QtBot) -> None:
    runner = TaskRunner()
    failures: list[BaseException] = []

    with qtbot.waitSignal(runner.task_failed, timeout=5000):
        runner.run(_worker_failure, on_failure=failures.append)

    [failure] = failures
    assert isinstance(failure, StorageUnavailable)
    assert failure.message == "the server went away"
    assert runner.shutdown()


def test_unhandled_task_failures_reach_the_excepthook(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: hooked.append(exc))
    runner = TaskRunner()

    with qtbot.waitSignal(runner.task_failed, timeout=5000):
        runner.run(_worker_failure)

    assert [type(e) for e in hooked] == [StorageUnavailable]
    assert runner.shutdown()


def test_discarded_results_are_dropped(qtbot: QtBot) -> None:
    runner = SyncTaskRunner()
    seen: list[Any] = []
    runner.run(lambda: 1, on_success=seen.append)
    runner.discard(99)  # unknown ids are ignored
    assert seen == [1]


def test_excepthook_logs_and_shows_bugs_and_known_errors(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    crashes: list[BaseException] = []
    messages: list[str] = []
    previous = sys.excepthook

    def show_crash(_parent: QWidget | None, exc: BaseException) -> None:
        crashes.append(exc)

    def show_expected(_parent: QWidget | None, _title: str, message: str) -> None:
        messages.append(message)

    parent: Callable[[], QWidget | None] = lambda: None  # noqa: E731
    try:
        install_excepthook(parent, show_crash=show_crash, show_expected=show_expected)
        bug = RuntimeError("boom")
        with caplog.at_level(logging.ERROR):
            sys.excepthook(RuntimeError, bug, None)
        sys.excepthook(StorageUnavailable, StorageUnavailable("disk full"), None)
    finally:
        sys.excepthook = previous

    assert crashes == [bug]
    assert messages == ["disk full"]
    assert any(r.exc_info and r.exc_info[1] is bug for r in caplog.records)
    text = crash_message(bug)
    assert "RuntimeError: boom" in text
    assert "senga.log" in text
