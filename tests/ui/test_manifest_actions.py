"""Driver manifests from the window, on a real database with the demo depot planned and
committed: save a route's sheet from the Routes screen (and read the PDF back), through the file
dialog, onto a printer, a whole plan from the Decisions screen, and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from senga_desktop.controllers import planning, routes
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_views import RouteView
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Customer, Order
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import PolicyName, RouteStatus
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.decisions import DecisionsPage
from senga_desktop.ui.pages.routes import RoutesPage
from senga_desktop.ui.tasks import SyncTaskRunner
from senga_desktop.ui.widgets import manifest_actions
from senga_desktop.ui.widgets.manifest_actions import FOLDER_KEY
from tests.pdf_support import TABLE_START, assert_in_order, flat, pdf_pages
from tests.ui.support import committed_demo, isolate_qsettings

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.CFA, seed=3, time_limit=None, max_iterations=100)
RENAMED = "Wanjikũ Müller Ltd"
NAIROBI = ZoneInfo("Africa/Nairobi")


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def committed(database: Database) -> tuple[Database, Actor, str]:
    """The demo depot with one committed decision, its first customer spelled with accents."""
    admin, summary = committed_demo(database, QUICK, now=NOW)
    with unit_of_work(database.sessions) as session:
        first = summary.routes[0].stops[0].order_ids[0]
        customer = select(Order.customer_id).where(Order.order_id == first).scalar_subquery()
        session.execute(update(Customer).where(Customer.id == customer)
                        .values(customer_name=RENAMED))  # fmt: skip
    return database, admin, summary.decision_id


def _context(database: Database, actor: Actor) -> AppContext:
    return AppContext(runner=SyncTaskRunner(), database=database, actor=actor)


def _routes_page(qtbot: QtBot, database: Database, actor: Actor) -> RoutesPage:
    page = RoutesPage(context=_context(database, actor))
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _open_first_route(qtbot: QtBot, page: RoutesPage, decision_id: str) -> RouteView:
    route_id = f"{decision_id}-R01"
    with qtbot.waitSignal(page.route_shown):
        assert page.open_item(route_id)
    route = page.detail.route
    assert route is not None
    assert route.route_id == route_id
    return route


def _row_tokens(route: RouteView) -> list[str]:
    """What the sheet shows of each stop, in order: ETA (depot time), town, customer, orders."""
    tokens: list[str] = []
    for stop in route.stops:
        assert stop.eta is not None
        tokens += [f"{stop.eta.astimezone(NAIROBI):%H:%M}", stop.town]
        tokens += [c for c in dict.fromkeys(stop.customers) if c]
        tokens += stop.order_ids
    return tokens


def test_the_routes_screen_saves_a_route_sheet_as_pdf(
    qtbot: QtBot, committed: tuple[Database, Actor, str], tmp_path: Path
) -> None:
    database, admin, decision_id = committed
    page = _routes_page(qtbot, database, admin)
    manifest = page.manifest
    assert not manifest.button.isEnabled()  # nothing selected yet
    route = _open_first_route(qtbot, page, decision_id)
    assert manifest.button.isEnabled()
    assert manifest.button.isVisibleTo(page)
    assert manifest.target == ("route", route.route_id)
    assert [a.text() for a in manifest.menu.actions()] == [
        "Print manifest…", "Save manifest as PDF…",
    ]  # fmt: skip
    target = tmp_path / "route.pdf"
    with qtbot.waitSignal(manifest.rendered) as rendered:
        manifest.save_pdf(target)
    assert rendered.args[0].pages == 1
    assert page.frame.notice_label.text() == (f"Saved the driver manifest to {target} (1 page).")
    (text,) = pdf_pages(target)
    assert RENAMED in text  # exactly as spelled
    words = flat(text)
    assert f"Route {route.route_id}" in words
    assert_in_order(words, _row_tokens(route), start=words.find(TABLE_START))
    page.grab().save(str(tmp_path / "routes-with-manifest.png"))


def test_the_file_dialog_names_the_file_and_remembers_the_folder(
    qtbot: QtBot, committed: tuple[Database, Actor, str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    database, admin, decision_id = committed
    page = _routes_page(qtbot, database, admin)
    route = _open_first_route(qtbot, page, decision_id)
    offered: list[str] = []

    def choose(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(tmp_path / "for-the-driver"), "PDF documents (*.pdf)"

    monkeypatch.setattr(manifest_actions.QFileDialog, "getSaveFileName", staticmethod(choose))
    with qtbot.waitSignal(page.manifest.rendered):
        page.manifest.save_action.trigger()
    assert offered[0].endswith(f"manifest-{route.route_id}.pdf")
    assert (tmp_path / "for-the-driver.pdf").read_bytes().startswith(b"%PDF")
    with qtbot.waitSignal(page.manifest.rendered):
        page.manifest.save_action.trigger()
    assert offered[1] == str(tmp_path / f"manifest-{route.route_id}.pdf")  # the folder kept
    assert QSettings().value(FOLDER_KEY) == str(tmp_path)


def test_printing_draws_the_same_sheet_on_the_printer(
    qtbot: QtBot, committed: tuple[Database, Actor, str], tmp_path: Path
) -> None:
    database, admin, decision_id = committed
    page = _routes_page(qtbot, database, admin)
    route = _open_first_route(qtbot, page, decision_id)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(page.manifest.rendered):
        page.manifest.print_on(printer)
    assert page.frame.notice_label.text() == "Sent the driver manifest to the printer (1 page)."
    words = flat(" ".join(pdf_pages(tmp_path / "printed.pdf")))
    assert_in_order(words, _row_tokens(route), start=words.find(TABLE_START))


def test_an_unwritable_file_or_a_cancelled_route_is_said_plainly(
    qtbot: QtBot, committed: tuple[Database, Actor, str], tmp_path: Path
) -> None:
    database, admin, decision_id = committed
    page = _routes_page(qtbot, database, admin)
    route = _open_first_route(qtbot, page, decision_id)
    missing = tmp_path / "no-such-folder" / "route.pdf"
    with qtbot.waitSignal(page.manifest.failed) as failed:
        page.manifest.save_pdf(missing)
    assert failed.args[0].startswith("The manifest was not saved. Cannot write")
    assert page.frame.problem_label.text() == failed.args[0]
    assert not missing.parent.exists()
    # Another desktop cancels the route while this one still shows it: the controller refuses.
    cancelled = routes.cancel_route(database.sessions, admin, route.route_id, reason="no driver")
    with qtbot.waitSignal(page.manifest.failed) as failed:
        page.manifest.save_pdf(tmp_path / "route.pdf")
    assert failed.args[0] == (
        f"The manifest was not saved. Route {route.route_id} is cancelled; its orders are no "
        "longer on it."
    )
    assert not (tmp_path / "route.pdf").exists()
    assert cancelled.status is RouteStatus.CANCELLED
    page.manifest.set_route(cancelled)  # as the screen does once it shows the cancelled route
    assert not page.manifest.button.isEnabled()
    assert page.manifest.button.toolTip() == "Only committed routes have driver manifests."


def test_the_decisions_screen_saves_the_whole_plan(
    qtbot: QtBot, committed: tuple[Database, Actor, str], tmp_path: Path
) -> None:
    database, admin, decision_id = committed
    page = DecisionsPage(context=_context(database, admin))
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    with qtbot.waitSignal(page.detail.decision_shown) as shown:
        page.open_decision(decision_id)
    view = shown.args[0]
    manifest = page.detail.manifest
    assert manifest.target == ("decision", decision_id)
    assert manifest.button.isVisibleTo(page)
    target = tmp_path / "plan.pdf"
    with qtbot.waitSignal(manifest.rendered) as rendered:
        manifest.save_pdf(target)
    result = rendered.args[0]
    assert result.routes == len(view.routes)
    assert result.pages >= len(view.routes)
    assert page.detail.message_label.text().startswith(f"Saved the driver manifest to {target}")
    words = flat(" ".join(pdf_pages(target)))
    cursor = 0
    for route in view.routes:
        cursor = assert_in_order(words, [f"Route {route.route_id}", TABLE_START], start=cursor)
        cursor = assert_in_order(words, _row_tokens(route), start=cursor)
    page.grab().save(str(tmp_path / "decision-with-manifest.png"))
    # A proposal has no manifest.
    proposal = planning.plan(database.sessions, admin, QUICK)
    with qtbot.waitSignal(page.detail.decision_shown):
        page.open_decision(proposal.decision_id)
    assert manifest.target is None
    assert not manifest.button.isEnabled()
    assert "Commit the plan first" in manifest.button.toolTip()
