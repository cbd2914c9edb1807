"""The order list on real databases: paging, filtering and sorting done by the database, the
model tester, remembered columns, cancelling and duplicating, empty states, and loading on the
real threaded task runner with stale answers dropped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import cycle
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QAction
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from senga_desktop.controllers import orders
from senga_desktop.controllers.demo_data import DEMO_ORDER_COUNT, seed_demo
from senga_desktop.controllers.orders_query import OrderQuery, OrderSort, list_orders
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Customer
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Priority, SpecialHandling
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders import OrdersPage
from senga_desktop.ui.pages.orders.order_dialog import OrderDialog
from senga_desktop.ui.pages.orders.order_model import Column, OrderTableModel
from senga_desktop.ui.pages.orders.window_range import WindowRangeButton
from senga_desktop.ui.tasks import BaseTaskRunner, SyncTaskRunner, TaskRunner
from tests.factories import make_order
from tests.ui.support import isolate_qsettings, make_admin

GENERATED = 160  # with the demo's orders: three pages of 100
TOTAL = GENERATED + DEMO_ORDER_COUNT
TOWNS = ("Kisumu", "Eldoret", "Nakuru", "Mombasa")
STATUSES = tuple(OrderStatus)
BASE = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def admin(database: Database) -> Actor:
    return make_admin(database)


@pytest.fixture
def busy(database: Database) -> Database:
    """The demo depot plus 160 orders in every status, four towns and many days."""
    seed_demo(database.sessions)
    with unit_of_work(database.sessions) as session:
        customers = list(session.scalars(select(Customer).order_by(Customer.customer_id)))
        for n, customer, town, status in zip(
            range(GENERATED), cycle(customers), cycle(TOWNS), cycle(STATUSES), strict=False
        ):
            start = BASE + timedelta(hours=7 * n)
            make_order(
                session, customer, order_id=f"ORD-T{n:05d}", destination_city=town, status=status,
                destination_location={"name": town, "address": f"Plot {n}, Oginga Odinga Street",
                                      "lat": -0.1, "lon": 34.75},
                weight_tonnes=Decimal(n % 23) + Decimal("0.5"), volume_m3=Decimal(n % 17 + 1),
                time_window_start=start, time_window_end=start + timedelta(hours=5),
                priority=tuple(Priority)[n % 4], price_kes=Decimal(1000 + 37 * n),
                special_handling=["fragile"] if n % 5 == 0 else [],
            )  # fmt: skip
    return database


def _page(
    qtbot: QtBot, database: Database, actor: Actor, runner: BaseTaskRunner | None = None
) -> OrdersPage:
    context = AppContext(runner=runner or SyncTaskRunner(), database=database, actor=actor)
    page = OrdersPage(context=context)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _rows(page: OrdersPage) -> Iterator[object]:
    for row in range(page.model.rowCount()):
        order = page.model.order(row)
        assert order is not None
        yield order


def _total(database: Database, actor: Actor, **fields: object) -> int:
    return list_orders(database.sessions, actor, OrderQuery(limit=0, **fields)).total  # type: ignore[arg-type]


@pytest.mark.usefixtures("qapp")
def test_the_model_passes_the_model_tester(
    qtmodeltester: ModelTester, busy: Database, admin: Actor
) -> None:
    model = OrderTableModel()
    qtmodeltester.check(model)  # empty
    model.set_page(list_orders(busy.sessions, admin, OrderQuery(limit=100)), offset=0)
    assert model.rowCount() == 100
    qtmodeltester.check(model)
    assert model.index(0, Column.STATUS).data(Qt.ItemDataRole.DecorationRole) is not None


def test_pages_of_a_hundred_with_previous_and_next(
    qtbot: QtBot, busy: Database, admin: Actor
) -> None:
    page = _page(qtbot, busy, admin)
    frame = page.frame
    assert page.model.total == TOTAL
    assert page.model.rowCount() == 100
    assert frame.pager_label.text() == f"Rows 1\N{EN DASH}100 of {TOTAL}"
    assert not frame.previous_button.isEnabled()
    assert frame.subtitle_label.text().startswith(f"{TOTAL} orders in all")
    first = {o.order_number for o in _rows(page)}  # type: ignore[attr-defined]

    frame.next_button.click()
    assert frame.pager_label.text() == f"Rows 101\N{EN DASH}200 of {TOTAL}"
    second = {o.order_number for o in _rows(page)}  # type: ignore[attr-defined]
    frame.next_button.click()
    assert frame.pager_label.text() == f"Rows 201\N{EN DASH}{TOTAL} of {TOTAL}"
    assert not frame.next_button.isEnabled()
    third = {o.order_number for o in _rows(page)}  # type: ignore[attr-defined]
    assert len(first | second | third) == TOTAL  # no row twice, none skipped
    frame.previous_button.click()
    assert page.offset == 100

    page.filters.set_status(frozenset({OrderStatus.PENDING}))  # a filter goes back to page one
    assert page.offset == 0


def test_filters_status_town_customer_dates_and_text(
    qtbot: QtBot, busy: Database, admin: Actor
) -> None:
    page = _page(qtbot, busy, admin)
    filters = page.filters

    filters.set_status(frozenset({OrderStatus.CANCELLED}))
    assert page.model.total == _total(busy, admin, statuses={OrderStatus.CANCELLED}) > 0
    assert {o.status for o in _rows(page)} == {OrderStatus.CANCELLED}  # type: ignore[attr-defined]
    assert "match the filters" in page.frame.subtitle_label.text()
    filters.set_status(frozenset())

    filters.town_combo.set_text("kisumu")  # typed: applied after the pause
    filters.flush()
    assert page.model.total == _total(busy, admin, town="Kisumu") >= GENERATED // 4
    assert {o.destination_city for o in _rows(page)} == {"Kisumu"}  # type: ignore[attr-defined]

    filters.customer_picker.set_text("Kilimo Grain")  # part of a name is enough
    filters.flush()
    assert {o.customer_id for o in _rows(page)} == {"CUST-0009"}  # type: ignore[attr-defined]
    assert page.model.total == _total(busy, admin, town="Kisumu", customer_id="CUST-0009")
    filters.clear()
    assert page.model.total == TOTAL

    first_day, last_day = BASE + timedelta(days=4), BASE + timedelta(days=6)
    filters.set_window_range(first_day, last_day)
    window_from, window_to = filters.window_range()
    assert window_from is not None
    assert window_to is not None
    assert window_to - window_from == timedelta(days=3)  # whole depot days, the last included
    starts = [o.window_start for o in _rows(page)]  # type: ignore[attr-defined]
    assert starts
    assert all(window_from <= s < window_to for s in starts)
    assert page.model.total == _total(busy, admin, window_from=window_from, window_to=window_to)
    button = filters.range_button
    _menu_action(button, "range_any_day").trigger()
    assert page.model.total == TOTAL
    assert button.text() == "Window: any day"
    _menu_action(button, "range_tomorrow").trigger()
    assert button.text() == "Window: tomorrow"
    tomorrow = button.today() + timedelta(days=1)
    assert {o.window_start.astimezone(filters.zone).date() for o in _rows(page)} == {tomorrow}  # type: ignore[attr-defined]
    first = BASE.astimezone(filters.zone).date() + timedelta(days=10)
    last = first + timedelta(days=1)
    button.from_edit.setDate(QDate(last.year, last.month, last.day))  # either order will do
    button.to_edit.setDate(QDate(first.year, first.month, first.day))
    button.apply_button.click()  # the custom range in the menu
    assert button.days() == (first, last)
    if first.year == last.year:
        assert button.text() == f"Window: {first:%d/%m}\N{EN DASH}{last:%d/%m/%Y}"
    days = {o.window_start.astimezone(filters.zone).date() for o in _rows(page)}  # type: ignore[attr-defined]
    assert days == {first, last}  # an order every 7 hours: some on each day
    window_from, window_to = button.window_range()
    assert page.model.total == _total(busy, admin, window_from=window_from, window_to=window_to)
    filters.clear()
    assert button.days() is None

    filters.search_edit.setText("oginga")
    filters.flush()
    assert page.model.total >= GENERATED
    assert all("Oginga" in o.destination_address for o in _rows(page))  # type: ignore[attr-defined]
    filters.search_edit.setText("ORD-T0001")
    filters.flush()
    assert [o.order_number for o in _rows(page)] == [  # type: ignore[attr-defined]
        f"ORD-T{n:05d}" for n in range(19, 9, -1)
    ]


def _menu_action(button: WindowRangeButton, name: str) -> QAction:
    action = button.range_menu.findChild(QAction, name)
    assert action is not None, name
    return action


def _click_header(qtbot: QtBot, page: OrdersPage, column: Column) -> None:
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_a_header_click_sorts_in_the_database(qtbot: QtBot, busy: Database, admin: Actor) -> None:
    page = _page(qtbot, busy, admin)
    _click_header(qtbot, page, Column.WEIGHT)
    sort, descending = page.model.sort_key
    assert sort is OrderSort.WEIGHT
    weights = [o.weight_tonnes for o in _rows(page)]  # type: ignore[attr-defined]
    assert weights == sorted(weights, reverse=descending)
    assert max(weights) == Decimal("22.5") if descending else min(weights) == Decimal("0.2")

    _click_header(qtbot, page, Column.WEIGHT)  # the other way round, from the first page
    assert page.model.sort_key == (OrderSort.WEIGHT, not descending)
    weights = [o.weight_tonnes for o in _rows(page)]  # type: ignore[attr-defined]
    assert weights == sorted(weights, reverse=not descending)

    page.frame.next_button.click()
    _click_header(qtbot, page, Column.PRICE)
    assert page.offset == 0
    prices = [o.price_kes for o in _rows(page)]  # type: ignore[attr-defined]
    assert prices == sorted(prices, reverse=page.model.sort_key[1])

    _click_header(qtbot, page, Column.HANDLING)  # not sortable: nothing changes
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == Column.PRICE
    assert page.model.sort_key[0] is OrderSort.PRICE


def test_columns_widths_and_sort_are_remembered(qtbot: QtBot, busy: Database, admin: Actor) -> None:
    page = _page(qtbot, busy, admin)
    header = page.table.horizontalHeader()
    assert header.isSectionHidden(Column.CREATED)  # "Entered" is offered, not shown
    menu = page.columns.build_menu()
    titles = [a.text() for a in menu.actions() if a.text()]
    assert titles[:3] == ["Order", "Customer", "Town"]
    assert titles[-1] == "Reset columns"
    town = next(a for a in menu.actions() if a.objectName() == f"column_{int(Column.TOWN)}")
    town.setChecked(False)
    assert header.isSectionHidden(Column.TOWN)
    created = next(a for a in menu.actions() if a.objectName() == f"column_{int(Column.CREATED)}")
    created.setChecked(True)
    header.resizeSection(Column.CUSTOMER, 333)
    _click_header(qtbot, page, Column.WINDOW_START)
    sort = page.model.sort_key
    page.close()
    page.deleteLater()

    again = _page(qtbot, busy, admin)
    header = again.table.horizontalHeader()
    assert header.isSectionHidden(Column.TOWN)
    assert not header.isSectionHidden(Column.CREATED)
    assert header.sectionSize(Column.CUSTOMER) == 333
    assert again.model.sort_key == sort
    starts = [o.window_start for o in _rows(again)]  # type: ignore[attr-defined]
    assert starts == sorted(starts, reverse=sort[1])

    again.columns.reset()
    assert not header.isSectionHidden(Column.TOWN)
    assert header.isSectionHidden(Column.CREATED)


def test_the_last_column_cannot_be_hidden(qtbot: QtBot, busy: Database, admin: Actor) -> None:
    page = _page(qtbot, busy, admin)
    for column in Column:
        if column is not Column.ORDER_NUMBER:
            page.columns.set_visible(column, False)
    assert page.columns.visible_columns() == [Column.ORDER_NUMBER]
    assert not page.columns.set_visible(Column.ORDER_NUMBER, False)
    menu = page.columns.build_menu()
    order = next(a for a in menu.actions() if a.text() == "Order")
    assert not order.isEnabled()


def _select(page: OrdersPage, order_number: str) -> None:
    if page.model.row_of(order_number) is None:
        page.filters.search_edit.setText(order_number)
        page.filters.flush()
    assert page.select_order(order_number)


def test_cancel_asks_first_and_the_lifecycle_refusal_is_shown(
    qtbot: QtBot, busy: Database, admin: Actor
) -> None:
    page = _page(qtbot, busy, admin)
    asked: list[str] = []
    answers = iter([False, True])

    def confirm(_title: str, text: str) -> bool:
        asked.append(text)
        return next(answers)

    page.order_actions.ask_confirmation = confirm  # type: ignore[method-assign]
    _select(page, "ORD-DEMO-0001")
    page.order_actions.cancel.trigger()  # "No"
    assert page.selected_order().status is OrderStatus.PENDING  # type: ignore[union-attr]
    page.order_actions.cancel.trigger()  # "Yes"
    assert asked[0].startswith("Cancel order ORD-DEMO-0001 (")
    cancelled = page.selected_order()
    assert cancelled is not None
    assert cancelled.status is OrderStatus.CANCELLED
    assert page.frame.notice_label.text() == "Order ORD-DEMO-0001 is cancelled."

    page.order_actions.cancel.trigger()  # a cancelled order: refused without asking
    assert len(asked) == 2
    assert not page.frame.problem_box.isHidden()
    assert page.frame.problem_label.text() == (
        "Order ORD-DEMO-0001: The order is cancelled already."
    )
    delivered = f"ORD-T{STATUSES.index(OrderStatus.DELIVERED):05d}"
    _select(page, delivered)
    assert "it is finished" in page.order_actions.cancel.toolTip()
    page.order_actions.cancel.trigger()
    assert page.frame.problem_label.text() == (
        f"Order {delivered}: A delivered order cannot be cancelled: it is finished."
    )
    assert len(asked) == 2


def test_duplicate_and_open_from_the_list(qtbot: QtBot, busy: Database, admin: Actor) -> None:
    page = _page(qtbot, busy, admin)
    failed = f"ORD-T{STATUSES.index(OrderStatus.FAILED):05d}"
    _select(page, failed)
    page.order_actions.duplicate.trigger()
    notice = page.frame.notice_label.text()
    assert notice.startswith(f"Order {failed} is duplicated as ORD-")
    assert notice.endswith(
        "It is not on the page shown: the filters, the sort or the page leave it out."
    )
    page.filters.clear()  # newest first: the copy heads the list
    copy = page.model.order(0)
    assert copy is not None
    assert copy.status is OrderStatus.PENDING
    assert copy.order_number != failed
    assert copy.special_handling == ()  # as the source: n = 4 has none

    index = page.model.index(0, Column.CUSTOMER)
    page.table.doubleClicked.emit(index)
    dialog = page.order_actions.active_dialog
    assert isinstance(dialog, OrderDialog)
    assert dialog.order is not None
    assert dialog.order.order_number == copy.order_number
    dialog.priority_combo.setCurrentIndex(dialog.priority_combo.findData(Priority.URGENT))
    dialog.accept_button.click()
    assert page.frame.notice_label.text() == f"The changes to order {copy.order_number} are saved."
    assert page.selected_order().priority is Priority.URGENT  # type: ignore[union-attr]


def test_the_empty_states_say_what_to_do(qtbot: QtBot, database: Database, admin: Actor) -> None:
    page = _page(qtbot, database, admin)
    assert page.frame.showing_empty
    assert "No orders yet" in page.frame.empty_label.text()
    assert not page.empty_new_button.isHidden()
    assert not page.empty_import_button.isHidden()
    assert page.empty_clear_button.isHidden()
    assert page.frame.pager_label.text() == "No rows"

    seed_demo(database.sessions)
    page.refresh()
    assert not page.frame.showing_empty
    page.filters.search_edit.setText("no such order anywhere")
    page.filters.flush()
    assert page.frame.showing_empty
    assert "No orders match these filters" in page.frame.empty_label.text()
    assert page.empty_new_button.isHidden()
    page.empty_clear_button.click()
    assert not page.frame.showing_empty
    assert page.model.total == DEMO_ORDER_COUNT


def test_the_threaded_runner_loads_off_the_gui_thread_newest_answer_wins(
    qtbot: QtBot, busy: Database, admin: Actor
) -> None:
    runner = TaskRunner()
    try:
        page = _page(qtbot, busy, admin, runner=runner)
        qtbot.waitUntil(lambda: page.model.rowCount() == 100, timeout=10_000)
        assert page.model.total == TOTAL

        shown: list[int] = []
        page.rows_shown.connect(lambda loaded: shown.append(loaded.total))
        page.filters.set_status(frozenset({OrderStatus.CANCELLED}))
        page.filters.set_status(frozenset({OrderStatus.PENDING}))  # before the first answered
        pending = _total(busy, admin, statuses={OrderStatus.PENDING})
        qtbot.waitUntil(lambda: page.model.total == pending and not runner.busy, timeout=10_000)
        assert shown == [pending]  # the superseded answer was never shown
        assert {o.status for o in _rows(page)} == {OrderStatus.PENDING}  # type: ignore[attr-defined]
    finally:
        assert runner.shutdown()


def test_handling_and_money_are_formatted(qtbot: QtBot, busy: Database, admin: Actor) -> None:
    page = _page(qtbot, busy, admin)
    _select(page, "ORD-T00150")
    row = page.model.row_of("ORD-T00150")
    assert row is not None
    cell = page.model.index(row, Column.PRICE).data()
    assert cell == "6,550.00"
    assert page.model.index(row, Column.HANDLING).data() == "Fragile"
    assert page.model.index(row, Column.WEIGHT).data() == "12.5"
    order = page.model.order(row)
    assert order is not None
    assert SpecialHandling.FRAGILE.value in order.special_handling


def test_cancelling_an_order_changed_meanwhile_says_so_and_reads_again(
    qtbot: QtBot, busy: Database, admin: Actor
) -> None:
    page = _page(qtbot, busy, admin)
    page.order_actions.ask_confirmation = lambda _title, _text: True  # type: ignore[method-assign]
    _select(page, "ORD-DEMO-0002")
    read = page.selected_order()
    assert read is not None
    info = orders.get_order(busy.sessions, admin, "ORD-DEMO-0002")  # someone else edits it
    orders.update_order(busy.sessions, admin, info.order_number,
                        replace(info.to_input(), price_kes=Decimal(9999)),
                        version=info.version)  # fmt: skip

    page.order_actions.cancel.trigger()
    assert "was changed by someone else" in page.frame.problem_label.text()
    assert not page.frame.problem_box.isHidden()  # still shown after the list was read again
    fresh = page.selected_order()
    assert fresh is not None
    assert fresh.version == read.version + 1
    assert fresh.price_kes == Decimal(9999)
    page.order_actions.cancel.trigger()  # now on the current version
    assert page.selected_order().status is OrderStatus.CANCELLED  # type: ignore[union-attr]
