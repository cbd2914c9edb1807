"""Importing and exporting orders from the Orders screen, on real databases: a file with a bad row
writes nothing and says "row N, column C", skipping bad rows imports the rest, the template is
saved where asked, and an exported view (CSV or Excel) imports again into another depot."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import orders
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.imports import commit_orders, preview_orders, template_path
from senga_desktop.controllers.order_validation import OrderInput
from senga_desktop.controllers.orders_query import OrderQuery, list_orders
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db import migrate
from senga_desktop.db.engine import Database, open_database
from senga_desktop.domain import OrderStatus, Priority, SpecialHandling
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders import OrdersPage
from senga_desktop.ui.pages.orders.order_actions import CSV_FILTER, XLSX_FILTER
from senga_desktop.ui.tasks import SyncTaskRunner
from senga_desktop.ui.widgets.import_preview import ImportPreviewDialog
from tests.ui.support import isolate_qsettings, make_admin

NAIROBI = ZoneInfo("Africa/Nairobi")
HEADER = ["Customer ID", "Destination City", "destination address", "weight (tonnes)",
          "Volume m3", "window_start", "window_end", "priority", "special handling",
          "price_kes"]  # fmt: skip


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def admin(database: Database) -> Actor:
    return make_admin(database)


@pytest.fixture
def demo(database: Database) -> Database:
    seed_demo(database.sessions)
    return database


def _page(qtbot: QtBot, database: Database, actor: Actor) -> OrdersPage:
    page = OrdersPage(context=AppContext(runner=SyncTaskRunner(), database=database, actor=actor))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _count(database: Database, actor: Actor) -> int:
    return list_orders(database.sessions, actor, OrderQuery(limit=0)).total


def _rows() -> list[list[str]]:
    """Five rows (spreadsheet rows 2 to 6): rows 3 and 5 are bad."""
    day = (datetime.now(NAIROBI) + timedelta(days=2)).strftime("%d/%m/%Y")
    good = ["CUST-0001", "Nakuru", "Plot 12, Kenyatta Avenue", "2.5", "8", f"{day} 08:00",
            f"{day} 17:00", "normal", "fragile", "18500"]  # fmt: skip
    return [
        good,
        [*good[:1], "Nakru", *good[2:]],  # row 3: no such town
        [*good[:3], "1.2", *good[4:]],
        [*good[:3], "2500", *good[4:]],  # row 5: kilograms, not tonnes
        [*good[:1], "kisumu", "Oginga Odinga Street", *good[3:]],
    ]


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "jamii-week-48.csv"
    lines = [",".join(f'"{cell}"' for cell in row) for row in [HEADER, *_rows()]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import_dialog(page: OrdersPage, path: Path) -> ImportPreviewDialog:
    page.order_actions.import_.trigger()
    dialog = page.order_actions.active_dialog
    assert isinstance(dialog, ImportPreviewDialog)
    dialog.ask_open_path = lambda: str(path)  # type: ignore[method-assign]
    dialog.choose_button.click()
    return dialog


def test_a_bad_row_writes_nothing_and_says_where(
    qtbot: QtBot, demo: Database, admin: Actor, tmp_path: Path
) -> None:
    page = _page(qtbot, demo, admin)
    before = _count(demo, admin)
    dialog = _import_dialog(page, _csv(tmp_path))
    assert dialog.windowTitle().startswith("Import orders")

    assert dialog.summary_label.text() == ("5 rows in jamii-week-48.csv: 3 ready, 2 with problems.")
    preview = dialog.preview
    assert preview is not None
    problems = [str(p) for p in preview.problems]
    assert problems[0].startswith("row 3, column Destination City: 'Nakru' is not a town we know")
    assert problems[1].startswith("row 5, column weight (tonnes): 2500 t is more than 40 t")
    model = dialog.problems_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["3", "5"]
    assert model.index(0, 1).data() == "Destination City"
    assert not dialog.import_button.isEnabled()
    dialog.import_rows()  # refused: nothing is written while a row is bad
    assert _count(demo, admin) == before

    dialog.skip_box.setChecked(True)
    assert dialog.import_button.text() == "Import 3 orders"
    with qtbot.waitSignal(page.rows_shown):
        dialog.import_button.click()
    assert _count(demo, admin) == before + 3
    notice = page.frame.notice_label.text()
    assert notice.startswith("Imported 3 orders (ORD-")
    assert notice.endswith("; 2 bad rows left out.")
    assert page.model.total == before + 3
    newest = page.model.order(0)
    assert newest is not None
    assert newest.destination_city in ("Nakuru", "Kisumu")


def test_an_excel_file_names_the_column_letter(
    qtbot: QtBot, demo: Database, admin: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "orders.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *_rows()]:
        sheet.append(row)
    workbook.save(path)
    page = _page(qtbot, demo, admin)
    dialog = _import_dialog(page, path)
    assert dialog.problems_model.index(0, 1).data() == "Destination City (B)"
    assert str(dialog.preview.problems[1]).startswith(  # type: ignore[union-attr]
        "row 5, column weight (tonnes) (D): "
    )


def test_the_template_is_saved_where_asked(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    page = _page(qtbot, database, admin)
    target = tmp_path / "downloads" / "orders-template.csv"
    target.parent.mkdir()
    asked: list[str] = []

    def ask(caption: str, name: str, filters: str) -> tuple[str, str]:
        asked.append(name)
        return str(target), filters

    page.order_actions.ask_save_path = ask  # type: ignore[method-assign]
    page.order_actions.template.trigger()
    assert asked == ["orders-template.csv"]
    assert target.read_bytes() == template_path("orders").read_bytes()
    assert page.frame.notice_label.text().startswith(f"The orders template is saved as {target}")


def _second_depot(tmp_path: Path) -> tuple[Database, Actor]:
    """Another depot's database with the same customers and trucks (and its own demo orders)."""
    other = open_database(f"sqlite:///{tmp_path / 'other-depot.sqlite3'}")
    migrate.upgrade(other, backup=False)
    seed_demo(other.sessions)
    return other, make_admin(other)


def _enter_orders(database: Database, actor: Actor) -> list[str]:
    """Four orders entered today (numbered ORD-YYMM-NNNNN, unlike the demo's ORD-DEMO-NNNN)."""
    start = (datetime.now(NAIROBI) + timedelta(days=1)).replace(hour=8, minute=0, second=0,
                                                                 microsecond=0)  # fmt: skip
    numbers = []
    for n, (customer, town) in enumerate(
        [("CUST-0001", "Nakuru"), ("CUST-0002", "Kiambu"), ("CUST-0005", "Thika"),
         ("CUST-0012", "Kisumu")]
    ):  # fmt: skip
        data = OrderInput(
            customer_id=customer, destination_city=town, destination_address=f"Plot {n + 1}",
            weight_tonnes=Decimal("1.25") * (n + 1), volume_m3=Decimal(3 + n),
            window_start=start + timedelta(hours=n), window_end=start + timedelta(hours=n + 6),
            price_kes=Decimal("12500.50") + n, priority=tuple(Priority)[n],
            special_handling=frozenset({SpecialHandling.FRAGILE}) if n % 2 else frozenset(),
            destination_lat=-1.2 if n == 3 else None, destination_lon=36.8 if n == 3 else None,
        )  # fmt: skip
        numbers.append(orders.create_order(database.sessions, actor, data).order_number)
    return numbers


def _content(database: Database, actor: Actor, numbers: list[str]) -> list[tuple[object, ...]]:
    page = list_orders(database.sessions, actor, OrderQuery(limit=100))
    return sorted(
        (o.order_number, o.customer_id, o.destination_city, o.destination_address,
         o.destination_lat, o.destination_lon, o.weight_tonnes, o.volume_m3, o.window_start,
         o.window_end, o.priority, o.special_handling, o.price_kes)
        for o in page.rows
        if o.order_number in numbers
    )  # fmt: skip


@pytest.mark.parametrize(("suffix", "chosen"), [(".csv", CSV_FILTER), (".xlsx", XLSX_FILTER)])
def test_the_exported_view_imports_again(
    qtbot: QtBot, *, demo: Database, admin: Actor, tmp_path: Path, suffix: str, chosen: str
) -> None:
    numbers = _enter_orders(demo, admin)
    page = _page(qtbot, demo, admin)
    page.filters.set_status(frozenset({OrderStatus.PENDING}))
    page.filters.search_edit.setText(numbers[0][:8])  # "ORD-2611": this month's entries
    page.filters.flush()
    assert page.model.total == 4
    target = tmp_path / f"week-48{suffix}"
    page.order_actions.ask_save_path = (  # type: ignore[method-assign]
        lambda _caption, _name, _filters: (str(target.with_suffix("")), chosen)
    )
    page.order_actions.export.trigger()  # no extension typed: the chosen type's is added
    assert target.is_file()
    assert page.frame.notice_label.text() == f"Exported 4 orders to {target}."

    other, other_admin = _second_depot(tmp_path)
    try:
        preview = preview_orders(other.sessions, other_admin, target)
        assert preview.is_clean, preview.problems[:3]
        assert preview.ignored_columns == ()  # customer_name and status are passed over quietly
        result = commit_orders(other.sessions, other_admin, preview)
        assert sorted(result.keys) == sorted(numbers)  # the same numbers, in the other depot
        assert _content(other, other_admin, numbers) == _content(demo, admin, numbers)
    finally:
        other.dispose()
