"""Importing and exporting orders and customers on real SQLite and PostgreSQL, and from the CLI."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import event, func, select

from senga_desktop.cli import cli
from senga_desktop.controllers import auth, customers, exports, orders, users
from senga_desktop.controllers.imports import (
    ImportRefused,
    commit_customers,
    commit_orders,
    preview_customers,
    preview_orders,
    template_path,
)
from senga_desktop.controllers.order_validation import OrderInput
from senga_desktop.controllers.orders_query import OrderQuery, OrderRow, OrderSort, list_orders
from senga_desktop.controllers.permissions import COMMAND_LINE, Actor
from senga_desktop.db.engine import Database, open_database
from senga_desktop.db.models import AuditLog, Customer, Order
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Priority, Role, SpecialHandling
from senga_desktop.errors import PermissionDenied
from tests.factories import make_customer, make_vehicle

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
EAT = ZoneInfo("Africa/Nairobi")
HEADER = ["customer_id", "destination_city", "destination_address", "destination_lat",
          "destination_lon", "weight_tonnes", "volume_m3", "window_start", "window_end",
          "priority", "special_handling", "price_kes"]  # fmt: skip
GOOD = [
    ["CUST-0001", "Nakuru", "Plot 12, Kenyatta Avenue", "-0.2833", "36.0667", "2.5", "8",
     "26/11/2026 08:00", "26/11/2026 17:00", "high", "fragile;tail_lift", "18,500"],
    ["cust-0002", "mombasa", "Moi Avenue", "", "", "10", "30.5",
     "2026-11-27T09:00", "2026-11-27T15:00+03:00", "", "", "42000"],
    ["CUST-0001", "Eldoret", "Uganda Road", "", "", "0.75", "2",
     "27-11-2026 2:00 PM", "28/11/2026", "URGENT", "Refrigerated", "KES 9,800.50"],
]  # fmt: skip


@pytest.fixture
def depot(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        make_customer(session, customer_id="CUST-0001", customer_name="Jamii Supermarkets Ltd")
        make_customer(session, customer_id="CUST-0002", customer_name="Pwani Beverages")
        make_customer(session, customer_id="CUST-0003", customer_name="Gone Ltd", is_active=False)
        make_vehicle(session, capacity_weight_tonnes=Decimal(28), capacity_volume_m3=Decimal(76))


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER, **kw: Any
) -> Path:
    encoding = kw.pop("encoding", "utf-8")
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, **kw)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Orders"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def order_count(database: Database) -> int:
    with unit_of_work(database.sessions) as session:
        return session.scalar(select(func.count()).select_from(Order)) or 0


def all_rows(database: Database) -> list[OrderRow]:
    query = OrderQuery(sort=OrderSort.ORDER_NUMBER, descending=False, limit=1000)
    return list(list_orders(database.sessions, COMMAND_LINE, query).rows)


# --- orders: the preview and the commit -----------------------------------------------------------


@pytest.mark.usefixtures("depot")
def test_a_good_file_is_previewed_then_written_all_at_once(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "orders.csv", GOOD)
    preview = preview_orders(database.sessions, COMMAND_LINE, path, now=NOW)
    assert (preview.total, preview.good, preview.bad, preview.is_clean) == (3, 3, 0, True)
    assert order_count(database) == 0  # a preview writes nothing
    first = preview.rows[0]
    assert (first.number, first.cells[1]) == (2, "Nakuru")
    assert first.value is not None
    assert first.value.order.window_start == datetime(2026, 11, 26, 8, tzinfo=EAT)
    result = commit_orders(database.sessions, COMMAND_LINE, preview, now=NOW)
    assert result.keys == ("ORD-2611-00001", "ORD-2611-00002", "ORD-2611-00003")
    rows = all_rows(database)
    assert [(r.customer_id, r.destination_city, r.status) for r in rows] == [
        ("CUST-0001", "Nakuru", OrderStatus.PENDING),
        ("CUST-0002", "Mombasa", OrderStatus.PENDING),
        ("CUST-0001", "Eldoret", OrderStatus.PENDING),
    ]
    nakuru, mombasa, eldoret = rows
    assert (nakuru.destination_lat, nakuru.price_kes) == (-0.2833, Decimal("18500.00"))
    assert nakuru.special_handling == ("fragile", "tail_lift")
    assert mombasa.priority is Priority.NORMAL  # the default for an empty cell
    assert mombasa.window_end == datetime(2026, 11, 27, 12, tzinfo=UTC)  # +03:00 honoured
    # Day-first with AM/PM, and a date without a time ending at the end of that day.
    assert eldoret.window_start == datetime(2026, 11, 27, 14, tzinfo=EAT)
    assert eldoret.window_end == datetime(2026, 11, 29, 0, tzinfo=EAT)
    assert (eldoret.priority, eldoret.price_kes) == (Priority.URGENT, Decimal("9800.50"))
    with unit_of_work(database.sessions) as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "orders.imported")).one()
        assert entry.details == {"file": "orders.csv", "orders": 3, "first": "ORD-2611-00001",
                                 "last": "ORD-2611-00003", "bad_rows_dropped": 0}  # fmt: skip


BAD = [
    GOOD[0],
    ["CUST-0099", "Nakru", "", "", "", "2,5", "8", "31/11/2026 08:00", "26/11/2026 07:00",
     "asap", "glass", "-5"],
    ["CUST-0003", "Nakuru", "Plot 1", "95", "36.1", "50", "8", "26/11/2026 10:00",
     "26/11/2026 09:00", "", "", "100"],
    GOOD[1],
]  # fmt: skip


@pytest.mark.usefixtures("depot")
def test_a_file_with_bad_rows_writes_nothing(database: Database, tmp_path: Path) -> None:
    preview = preview_orders(database.sessions, COMMAND_LINE,
                             write_csv(tmp_path / "bad.csv", BAD), now=NOW)  # fmt: skip
    assert (preview.total, preview.good, preview.bad) == (4, 2, 2)
    problems = [str(p) for p in preview.problems]
    assert problems == [
        "row 3, column customer_id: There is no customer CUST-0099: choose one from the list, "
        "or create the customer first.",
        "row 3, column destination_city: 'Nakru' is not a town we know. Did you mean Nakuru or "
        "Narok?",
        "row 3, column destination_address: The street address is missing.",
        "row 3, column weight_tonnes: '2,5': write decimals with a point (2.5), thousands with "
        "commas (18,500).",
        "row 3, column window_start: '31/11/2026 08:00': there is no day 31 in that month.",
        "row 3, column priority: 'asap' is not one of: low, normal, high, urgent.",
        "row 3, column special_handling: 'glass' is not one of: refrigerated, fragile, "
        "hazardous, tail_lift, covered.",
        "row 3, column price_kes: The price cannot be negative: enter 0 for a free delivery.",
        "row 4, column customer_id: Gone Ltd (CUST-0003) is deactivated: reactivate the customer "
        "first.",
        "row 4, column destination_lat: Latitude 95.0 lies outside Kenya (-4.72 to 5.03). Check "
        "the signs: Kenya's latitudes are near 0, its longitudes east (positive).",
        "row 4, column weight_tonnes: 50 t is more than 40 t, which no truck carries: check the "
        "weight; it is in tonnes, not kilograms.",
        "row 4, column window_end: The window must end after it starts (26/11/2026 10:00): set a "
        "later end or an earlier start.",
    ]
    with pytest.raises(ImportRefused, match=r"2 of 4 rows of bad\.csv have problems") as caught:
        commit_orders(database.sessions, COMMAND_LINE, preview, now=NOW)
    assert [str(p) for p in caught.value.problems] == problems
    assert order_count(database) == 0
    # Dropping the bad rows explicitly writes the good ones.
    result = commit_orders(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True, now=NOW)
    assert (result.written, result.dropped) == (2, 2)
    assert [r.destination_city for r in all_rows(database)] == ["Nakuru", "Mombasa"]


@pytest.mark.usefixtures("depot")
def test_header_variations_semicolons_and_a_byte_order_mark(
    database: Database, tmp_path: Path
) -> None:
    header = [
        "Customer ID", "DESTINATION", "Delivery-Address", "Lat", "Lng", "Weight (t)",
        "Volume m³", "From", "To", "Priority", "Handling", "Price (KES)", "Notes",
    ]  # fmt: skip
    path = write_csv(tmp_path / "excel.csv", GOOD, header, delimiter=";", encoding="utf-8-sig")
    preview = preview_orders(database.sessions, COMMAND_LINE, path, now=NOW)
    assert preview.is_clean, preview.problems
    assert preview.ignored_columns == ("Notes",)
    assert preview.headers[0] == "Customer ID"  # no BOM glued to it


@pytest.mark.usefixtures("depot")
def test_a_missing_column_is_a_problem_in_row_1(database: Database, tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "weight_tonnes"]
    rows = [[c for i, c in enumerate(r) if HEADER[i] != "weight_tonnes"] for r in GOOD]
    preview = preview_orders(database.sessions, COMMAND_LINE,
                             write_csv(tmp_path / "o.csv", rows, header), now=NOW)  # fmt: skip
    assert [str(p) for p in preview.file_problems] == [
        "row 1, column weight_tonnes: the file has no weight_tonnes column, the weight in "
        "tonnes (also accepted: weight, tonnes, tons). Add it, or start from the template."
    ]
    assert preview.rows == ()
    with pytest.raises(ImportRefused, match="the header is not usable"):
        commit_orders(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True, now=NOW)


@pytest.mark.usefixtures("depot")
def test_xlsx_with_typed_cells_and_column_letters(database: Database, tmp_path: Path) -> None:
    rows = [
        ["CUST-0001", "Thika", "Garissa Road", None, None, 3, 12.5,
         datetime(2026, 11, 26, 8, 0), datetime(2026, 11, 26, 12, 30), "low", None, 15000],
        ["CUST-0001", "Thika", "Garissa Road", None, None, "heavy", 12.5,
         datetime(2026, 11, 26, 8, 0), "26/11/2026 06:00", "low", None, 15000],
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "orders.xlsx", rows)
    preview = preview_orders(database.sessions, COMMAND_LINE, path, now=NOW)
    assert [str(p) for p in preview.problems] == [
        "row 3, column weight_tonnes (F): 'heavy' is not a number.",
        "row 3, column window_end (I): The window must end after it starts (26/11/2026 08:00): "
        "set a later end or an earlier start.",
    ]
    commit_orders(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True, now=NOW)
    (row,) = all_rows(database)
    # Spreadsheet times carry no zone: they are the depot's.
    assert (row.window_start, row.window_end) == (
        datetime(2026, 11, 26, 8, tzinfo=EAT), datetime(2026, 11, 26, 12, 30, tzinfo=EAT),
    )  # fmt: skip
    assert (row.weight_tonnes, row.volume_m3) == (Decimal("3.000"), Decimal("12.500"))


@pytest.mark.usefixtures("depot")
def test_duplicate_order_numbers_in_the_file_and_in_the_database(
    database: Database, tmp_path: Path
) -> None:
    existing = orders.create_order(database.sessions, COMMAND_LINE, OrderInput(
        "CUST-0001", "Nakuru", "Plot 1", Decimal(1), Decimal(1), NOW + timedelta(days=1),
        NOW + timedelta(days=1, hours=2), Decimal(100)), now=NOW)  # fmt: skip
    header = ["order_number", *HEADER]
    rows = [["EXT-1", *GOOD[0]], ["EXT-1", *GOOD[1]], [existing.order_number, *GOOD[2]],
            ["", *GOOD[0]], ["ORD-2611-00009", *GOOD[1]]]  # fmt: skip
    preview = preview_orders(database.sessions, COMMAND_LINE,
                             write_csv(tmp_path / "o.csv", rows, header), now=NOW)  # fmt: skip
    assert [str(p) for p in preview.problems] == [
        "row 3, column order_number: EXT-1 appears twice in the file (first in row 2): give "
        "each order its own number.",
        "row 4, column order_number: Order ORD-2611-00001 exists already: leave the number empty "
        "to import it as a new order, or remove the row.",
    ]
    result = commit_orders(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True, now=NOW)
    # The generated number comes after every number in use, the file's own included.
    assert result.keys == ("EXT-1", "ORD-2611-00010", "ORD-2611-00009")


@pytest.mark.usefixtures("depot")
def test_the_commit_checks_the_database_again(database: Database, tmp_path: Path) -> None:
    preview = preview_orders(database.sessions, COMMAND_LINE,
                             write_csv(tmp_path / "o.csv", GOOD), now=NOW)  # fmt: skip
    assert preview.is_clean
    customers.deactivate_customer(database.sessions, COMMAND_LINE, "CUST-0002")
    with pytest.raises(ImportRefused, match="The database changed since the preview") as caught:
        commit_orders(database.sessions, COMMAND_LINE, preview, now=NOW)
    assert [p.row for p in caught.value.problems] == [3]
    assert order_count(database) == 0
    # Time passes too: windows that were in the future at the preview may not be any more.
    with pytest.raises(ImportRefused) as caught:
        commit_orders(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True,
                      now=NOW + timedelta(days=30))  # fmt: skip
    assert {p.column for p in caught.value.problems} >= {"window_end"}


@pytest.mark.usefixtures("depot")
def test_an_import_runs_a_fixed_number_of_statements(database: Database, tmp_path: Path) -> None:
    """Customers and trucks are looked up once and rows inserted in batches: no query per row."""
    rows = [GOOD[n % 3] for n in range(1500)]
    path = write_csv(tmp_path / "big.csv", rows)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        preview = preview_orders(database.sessions, COMMAND_LINE, path, now=NOW)
        previewed = len(statements)
        commit_orders(database.sessions, COMMAND_LINE, preview, now=NOW)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert preview.is_clean
    assert previewed < 15
    assert len(statements) - previewed < 30
    assert order_count(database) == 1500


def test_the_shipped_templates_import_cleanly(database: Database, tmp_path: Path) -> None:
    customers_preview = preview_customers(
        database.sessions, COMMAND_LINE, template_path("customers")
    )
    assert customers_preview.is_clean, customers_preview.problems
    with unit_of_work(database.sessions) as session:
        make_customer(session, customer_id="CUST-0001")
        make_vehicle(session)
    orders_preview = preview_orders(database.sessions, COMMAND_LINE, template_path("orders"),
                                    now=NOW)  # fmt: skip
    assert orders_preview.is_clean, orders_preview.problems


# --- customers ------------------------------------------------------------------------------------

CUSTOMER_HEADER = [
    "customer_id", "customer_name", "email", "phone", "address", "contact_person",
    "max_wait_hours", "preferred_delivery_start", "preferred_delivery_end",
]  # fmt: skip


def test_customers_import_with_generated_ids_and_duplicates(
    database: Database, tmp_path: Path
) -> None:
    with unit_of_work(database.sessions) as session:
        make_customer(session, customer_id="CUST-0007")
    rows = [
        ["", "Baraka Hardware", "orders@baraka.co.ke", "0722 410 385", "Nakuru", "Wanjiru", "48",
         "08:00", "5:00 PM"],
        ["cust-0100", "Upendo Dairies", "", "254733218904", "", "", "", "", ""],
        ["CUST-0100", "Second Upendo", "", "", "", "", "", "", ""],
        ["CUST-0007", "Taken Ltd", "", "", "", "", "", "", ""],
        ["", "Bad Phone Ltd", "not-an-email", "0722", "", "", "0", "17:00", "08:00"],
        ["", "Amani Millers", "", 722410386, "", "", 24, time(7), time(16)],
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "customers.xlsx", rows, CUSTOMER_HEADER)
    preview = preview_customers(database.sessions, COMMAND_LINE, path)
    assert [str(p) for p in preview.problems] == [
        "row 4, column customer_id (A): CUST-0100 appears twice in the file (first in row 3): "
        "give each customer its own ID.",
        "row 5, column customer_id (A): There is a customer CUST-0007 already: remove the row, "
        "or leave the ID empty to add a new customer.",
        "row 6, column email (C): 'not-an-email' is not an e-mail address (name@example.co.ke).",
        "row 6, column phone (D): '0722' is not a Kenyan phone number: write it as 0722 410 385 "
        "or +254 722 410 385.",
        "row 6, column max_wait_hours (G): The longest wait must be between 1 and 720 hours (30 "
        "days); leave it empty for no limit.",
        "row 6, column preferred_delivery_end (I): The delivery hours must end after they start "
        "(17:00).",
    ]
    with pytest.raises(ImportRefused):
        commit_customers(database.sessions, COMMAND_LINE, preview)
    result = commit_customers(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True)
    assert result.keys == ("CUST-0101", "CUST-0100", "CUST-0102")
    baraka = customers.get_customer(database.sessions, COMMAND_LINE, "CUST-0101")
    assert (baraka.phone, baraka.max_wait_hours, baraka.contact_person) == (
        "+254722410385", 48, "Wanjiru",
    )  # fmt: skip
    assert (baraka.preferred_delivery_start, baraka.preferred_delivery_end) == (time(8), time(17))
    amani = customers.get_customer(database.sessions, COMMAND_LINE, "CUST-0102")
    assert amani.phone == "+254722410386"  # Excel dropped the leading 0 of a number cell


def test_importing_customers_needs_the_customer_edit_right(
    database: Database, tmp_path: Path
) -> None:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    info = users.create_user(database.sessions, admin, username="otieno", email=None,
                             role=Role.USER, password="Twiga-Truck-2026")  # fmt: skip
    dispatcher = Actor(info.id, info.username, info.role)
    path = write_csv(tmp_path / "c.csv", [["", "New Ltd"]], ["customer_id", "customer_name"])
    with pytest.raises(PermissionDenied):
        preview_customers(database.sessions, dispatcher, path)
    with unit_of_work(database.sessions) as session:
        make_customer(session, customer_id="CUST-0001")
        make_vehicle(session)
    # Orders, however, are a dispatcher's daily work.
    preview = preview_orders(database.sessions, dispatcher,
                             write_csv(tmp_path / "o.csv", [GOOD[0]]), now=NOW)  # fmt: skip
    assert commit_orders(database.sessions, dispatcher, preview, now=NOW).written == 1


# --- export and the round trip --------------------------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path, _migrated_templates: dict[str, str]) -> Iterator[Database]:
    """Another, empty database (SQLite), to import an export into."""
    target = tmp_path / "fresh.sqlite3"
    shutil.copyfile(_migrated_templates["sqlite"], target)
    database = open_database(f"sqlite:///{target}")
    yield database
    database.dispose()


def content(row: OrderRow) -> dict[str, Any]:
    fields = asdict(row)
    for volatile in ("id", "created_at", "version", "status"):
        fields.pop(volatile)
    return fields


@pytest.mark.usefixtures("depot")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_export_imports_again_as_the_same_orders(
    database: Database, fresh: Database, tmp_path: Path, suffix: str
) -> None:
    preview = preview_orders(database.sessions, COMMAND_LINE,
                             write_csv(tmp_path / "in.csv", GOOD), now=NOW)  # fmt: skip
    commit_orders(database.sessions, COMMAND_LINE, preview, now=NOW)
    info = orders.get_order(database.sessions, COMMAND_LINE, "ORD-2611-00002")
    orders.cancel_order(database.sessions, COMMAND_LINE, info.order_number, version=info.version)
    path = tmp_path / f"export{suffix}"
    result = exports.export_orders(database.sessions, COMMAND_LINE, OrderQuery(), path)
    assert result.rows == 3
    # The same customers exist in the other depot's database.
    with unit_of_work(fresh.sessions) as session:
        for key, name in (
            ("CUST-0001", "Jamii Supermarkets Ltd"),
            ("CUST-0002", "Pwani Beverages"),
        ):
            make_customer(session, customer_id=key, customer_name=name)
        make_vehicle(session, capacity_weight_tonnes=Decimal(28), capacity_volume_m3=Decimal(76))
    again = preview_orders(fresh.sessions, COMMAND_LINE, path, now=NOW)
    assert again.is_clean, again.problems
    assert again.ignored_columns == ()  # customer_name and status are known export columns
    commit_orders(fresh.sessions, COMMAND_LINE, again, now=NOW)
    assert [content(r) for r in all_rows(fresh)] == [content(r) for r in all_rows(database)]


@pytest.mark.usefixtures("depot")
def test_an_export_is_the_list_view_without_paging(database: Database, tmp_path: Path) -> None:
    preview = preview_orders(database.sessions, COMMAND_LINE,
                             write_csv(tmp_path / "in.csv", GOOD * 3), now=NOW)  # fmt: skip
    commit_orders(database.sessions, COMMAND_LINE, preview, now=NOW)
    query = OrderQuery(customer_id="CUST-0001", sort=OrderSort.WEIGHT, descending=True, limit=2)
    path = tmp_path / "view.csv"
    assert exports.export_orders(database.sessions, COMMAND_LINE, query, path).rows == 6
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [line["weight_tonnes"] for line in lines] == ["2.500"] * 3 + ["0.750"] * 3
    assert lines[0]["window_start"] == "2026-11-26T08:00+03:00"
    assert lines[0]["special_handling"] == "fragile;tail_lift"
    assert (lines[0]["customer_name"], lines[0]["status"]) == ("Jamii Supermarkets Ltd", "pending")
    assert not list(tmp_path.glob(".*.part"))


def test_only_csv_and_xlsx_are_exported(database: Database, tmp_path: Path) -> None:
    from senga_desktop.errors import ValidationError

    with pytest.raises(ValidationError, match=r"Export to a \.csv or \.xlsx file"):
        exports.export_orders(database.sessions, COMMAND_LINE, OrderQuery(), tmp_path / "x.pdf")


# --- the command line -----------------------------------------------------------------------------


def run(database: Database, *args: str | Path) -> Result:
    url = database.url.render_as_string(hide_password=False)
    return CliRunner().invoke(cli, ["--database-url", url, *map(str, args)])


@pytest.mark.usefixtures("depot")
def test_cli_import_refuses_a_bad_file_then_imports_a_good_one(
    database: Database, tmp_path: Path
) -> None:
    # The command line uses the real clock: give it windows in the future.
    soon = datetime.now(EAT) + timedelta(days=2)
    shift = [*GOOD[0][:7], f"{soon:%d/%m/%Y} 08:00", f"{soon:%d/%m/%Y} 17:00", *GOOD[0][9:]]
    bad = write_csv(tmp_path / "bad.csv", [shift, ["CUST-0001", "Nakru", *shift[2:]]])
    result = run(database, "import", "orders", bad)
    assert result.exit_code == 1
    assert "bad.csv: 2 rows, 1 good, 1 with problems." in result.stdout
    assert "row 3, column destination_city: 'Nakru' is not a town we know." in result.stderr
    assert "error: Nothing was imported." in result.stderr
    assert order_count(database) == 0

    dry = run(database, "import", "orders", "--dry-run", bad)
    assert dry.exit_code == 1
    assert "Dry run: nothing was written." in dry.stdout
    assert order_count(database) == 0

    dropped = run(database, "import", "orders", "--drop-bad-rows", bad)
    assert dropped.exit_code == 0, dropped.output
    assert "Imported 1 orders, left out 1 bad rows." in dropped.stdout
    assert order_count(database) == 1

    good = write_csv(tmp_path / "good.csv", [shift, shift])
    assert run(database, "import", "orders", "--dry-run", good).exit_code == 0
    assert order_count(database) == 1
    imported = run(database, "import", "orders", good)
    assert imported.exit_code == 0, imported.output
    assert "Imported 2 orders (ORD-" in imported.stdout
    assert order_count(database) == 3


def test_cli_imports_customers_and_exports_orders(database: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "customers.csv",
                     [["", "Baraka Hardware", "", "0722410385", "", "", "", "", ""]],
                     CUSTOMER_HEADER)  # fmt: skip
    result = run(database, "import", "customers", path)
    assert result.exit_code == 0, result.output
    assert "Imported 1 customers." in result.stdout
    duplicate = write_csv(tmp_path / "again.csv", [["CUST-0001", "Again"]], ["id", "name"])
    again = run(database, "import", "customers", duplicate)
    assert again.exit_code == 1
    assert "row 2, column id: There is a customer CUST-0001 already" in again.stderr
    with unit_of_work(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 1
        make_vehicle(session)
    soon = datetime.now(EAT) + timedelta(days=2)
    for town in ("Nakuru", "Kisumu"):
        orders.create_order(database.sessions, COMMAND_LINE, OrderInput(
            "CUST-0001", town, "Plot 1", Decimal(1), Decimal(1), soon, soon + timedelta(hours=3),
            Decimal(100), special_handling=frozenset({SpecialHandling.COVERED})))  # fmt: skip
    exported = run(database, "export", "orders", tmp_path / "out.xlsx", "--town", "kisumu",
                   "--status", "pending")  # fmt: skip
    assert exported.exit_code == 0, exported.output
    assert f"Exported 1 orders to {tmp_path / 'out.xlsx'}." in exported.stdout
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    try:
        values = list(sheet.worksheets[0].iter_rows(values_only=True))
    finally:
        sheet.close()
    assert values[0][:3] == ("order_number", "customer_id", "destination_city")
    assert values[1][2] == "Kisumu"
    assert run(database, "export", "orders", tmp_path / "none.csv", "--status", "delivered")
    assert (tmp_path / "none.csv").read_text(encoding="utf-8-sig").count("\n") == 1
    wrong = run(database, "export", "orders", tmp_path / "out.pdf")
    assert wrong.exit_code == 1
    assert "error: Export to a .csv or .xlsx file." in wrong.stderr
