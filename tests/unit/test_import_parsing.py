"""Import building blocks without a database: files, headers, cells, order rules, lifecycle."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from senga_desktop.controllers.customers import CustomerInput, CustomerRef, customer_problems
from senga_desktop.controllers.customers import normalise_phone as phone
from senga_desktop.controllers.imports.columns import Column, header_key, resolve_columns
from senga_desktop.controllers.imports.orders import ORDER_COLUMNS
from senga_desktop.controllers.imports.table import (
    Table,
    TableRow,
    UnreadableFile,
    column_letter,
    read_table,
)
from senga_desktop.controllers.imports.templates import template_path
from senga_desktop.controllers.imports.values import (
    CellValueError,
    parse_choice,
    parse_choices,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_time_of_day,
)
from senga_desktop.controllers.numbering import CUSTOMER_KEYS, order_keys
from senga_desktop.controllers.order_status import TRANSITIONS, transition_problem
from senga_desktop.controllers.order_validation import (
    OrderContext,
    OrderInput,
    Place,
    order_problems,
)
from senga_desktop.controllers.orders import shifted_window
from senga_desktop.domain import OrderStatus, Priority, SpecialHandling

NAIROBI = ZoneInfo("Africa/Nairobi")
EAT = timedelta(hours=3)


# --- reading files -----------------------------------------------------------------------------


def test_csv_with_bom_and_semicolons_keeps_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    text = '\ufeffcustomer_id;weight\r\nCUST-0001;2.5\r\n;\r\n\r\nCUST-0002;"multi\nline"\r\n'
    path.write_bytes(text.encode("utf-8"))
    table = read_table(path)
    assert table.headers == ("customer_id", "weight")  # no BOM in the first header
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, ("CUST-0001", "2.5")),
        (5, ("CUST-0002", "multi\nline")),  # blank rows 3 and 4 skipped but counted
    ]
    assert not table.has_letters


def test_csv_saved_by_excel_in_windows_1252_is_read(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes("town,address\r\nMurang\u2019a,Caf\u00e9 Road\r\n".encode("cp1252"))
    assert read_table(path).rows[0].cells == ("Murang\u2019a", "Caf\u00e9 Road")


def test_xlsx_first_sheet_with_typed_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Weight", "Start"])
    sheet.append([])
    sheet.append([2.5, datetime(2026, 11, 26, 8, 0)])
    workbook.create_sheet("Other").append(["ignored"])
    path = tmp_path / "orders.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.kind == "xlsx"
    assert table.has_letters
    assert table.rows == (TableRow(3, (2.5, datetime(2026, 11, 26, 8, 0))),)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n\n", "is empty"),
        (b"\xd0\xcf\x11\xe0rest", "old Excel .xls"),
        (b"PK\x03\x04not really a zip", "not a readable XLSX"),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read_table(path)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip


# --- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("destination_city", "destination_city"),
        (" Destination City ", "destination_city"),
        ("Destination-City", "destination_city"),
        ("DESTINATION__CITY", "destination_city"),
        ("Weight (Tonnes)", "weight_tonnes"),
        ("Volume m³", "volume_m3"),
        ("Price (KES)", "price_kes"),
    ],
)
def test_header_keys_ignore_case_spacing_and_punctuation(header: str, key: str) -> None:
    assert header_key(header) == key


def _table(*headers: str, rows: tuple[tuple[object, ...], ...] = ()) -> Table:
    body = tuple(TableRow(n, cells) for n, cells in enumerate(rows, 2))  # type: ignore[arg-type]
    return Table("t.xlsx", "xlsx", headers, body)


def test_synonyms_and_variations_find_the_template_columns() -> None:
    table = _table("Customer", "Town", "Address", "Weight", "M3", "From", "To", "Price", "Remarks")
    columns = resolve_columns(table, ORDER_COLUMNS)
    assert not columns.problems
    assert columns.positions["destination_city"] == 1
    assert columns.positions["weight_tonnes"] == 3
    assert columns.header("window_start") == "From"
    assert columns.letter("price_kes") == "H"
    assert columns.ignored == ("Remarks",)


def test_header_problems_are_in_row_1() -> None:
    table = _table("customer_id", "weight", "tonnes", "", rows=(("C", 1, 2, "x"),))
    columns = resolve_columns(
        table, [Column("customer_id", "the customer"), Column(
            "weight_tonnes", "the weight", required=True, synonyms=("weight", "tonnes")
        ), Column("price_kes", "the price in KES", required=True, synonyms=("price",))],
    )  # fmt: skip
    messages = [str(p) for p in columns.problems]
    assert all(p.row == 1 for p in columns.problems)
    assert (
        "row 1, column tonnes (C): this column and 'weight' both give the weight_tonnes"
        in (messages[0])
    )
    assert messages[1] == "row 1: column D has data but no header: name it."
    assert (
        "the file has no price_kes column, the price in KES (also accepted: price)" in (messages[2])
    )


# --- cells ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("2.5", Decimal("2.5")),
        (" 18,500 ", Decimal(18500)),
        ("KES 1,250,000.50", Decimal("1250000.50")),
        ("Ksh 900", Decimal(900)),
        ("12000/=", Decimal(12000)),
        ("\u22121.5", Decimal("-1.5")),
        (2.5, Decimal("2.5")),
        (0.1, Decimal("0.1")),  # not 0.1000000000000000055…
        (7, Decimal(7)),
    ],
)
def test_numbers(cell: object, value: Decimal) -> None:
    assert parse_decimal(cell) == value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("2,5", "write decimals with a point"),
        ("two", "is not a number"),
        ("nan", "is not a number"),
        (True, "is not a number"),
    ],
)
def test_bad_numbers(cell: object, message: str) -> None:
    with pytest.raises(CellValueError, match=message):
        parse_decimal(cell)  # type: ignore[arg-type]


def test_whole_numbers() -> None:
    assert parse_int("48") == 48
    assert parse_int(48.0) == 48
    with pytest.raises(CellValueError, match="not a whole number"):
        parse_int("4.5")


def _eat(*args: int) -> datetime:
    return datetime(*args, tzinfo=NAIROBI)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("cell", "moment"),
    [
        ("2026-11-25T14:00", _eat(2026, 11, 25, 14)),
        ("2026-11-25 14:00:30", _eat(2026, 11, 25, 14, 0, 30)),
        ("2026-11-25T11:00Z", datetime(2026, 11, 25, 11, tzinfo=UTC)),
        ("2026-11-25T14:00+03:00", _eat(2026, 11, 25, 14)),
        ("25/11/2026 14:00", _eat(2026, 11, 25, 14)),
        ("25-11-2026 2:00 PM", _eat(2026, 11, 25, 14)),
        ("25-11-2026 12:30 am", _eat(2026, 11, 25, 0, 30)),
        ("5/1/2027 9.15", _eat(2027, 1, 5, 9, 15)),
        ("25.11.26 08:00", _eat(2026, 11, 25, 8)),
        ("25 Nov 2026 14:00", _eat(2026, 11, 25, 14)),
        ("1 September 2026", _eat(2026, 9, 1)),
        ("25/11/2026", _eat(2026, 11, 25)),
        ("2026-11-25", _eat(2026, 11, 25)),
        (datetime(2026, 11, 25, 14), _eat(2026, 11, 25, 14)),  # XLSX: naive, depot time
        (date(2026, 11, 25), _eat(2026, 11, 25)),
    ],
)
def test_dates_iso_and_day_first_in_the_depot_zone(cell: object, moment: datetime) -> None:
    parsed = parse_datetime(cell, NAIROBI)  # type: ignore[arg-type]
    assert parsed == moment
    assert parsed.utcoffset() is not None


def test_a_date_without_time_ends_at_the_end_of_that_day() -> None:
    assert parse_datetime("25/11/2026", NAIROBI, end_of_day=True) == _eat(2026, 11, 26)
    assert parse_datetime("2026-11-25", NAIROBI, end_of_day=True) == _eat(2026, 11, 26)
    # With a time, the end is that time.
    assert parse_datetime("25/11/2026 17:00", NAIROBI, end_of_day=True) == _eat(2026, 11, 25, 17)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("11/25/2026", "25 is not a month"),
        ("13/13/2026", r"13 is not a month\.$"),
        ("07/13/2026 10:00", "13 is not a month. Dates are day first"),
        ("31/11/2026", "no day 31"),
        ("25/11/2026 25:00", "not a time of day"),
        ("25/11/2026 13:00 PM", "with AM/PM the hour goes from 1 to 12"),
        ("25 Noc 2026", "'Noc' is not a month"),
        ("tomorrow", "write it as 25/11/2026 14:00 or 2026-11-25T14:00"),
        (46000, "is not a date"),
    ],
)
def test_bad_dates_say_how_to_write_them(cell: object, message: str) -> None:
    with pytest.raises(CellValueError, match=message):
        parse_datetime(cell, NAIROBI)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "clock"),
    [
        ("06:00", time(6)),
        ("6:00 AM", time(6)),
        ("6pm", time(18)),
        ("14h30", time(14, 30)),
        (time(7, 30), time(7, 30)),
        (0.25, time(6)),  # an Excel time stored as a fraction of a day
        (datetime(1899, 12, 30, 17, 0), time(17)),
    ],
)
def test_times_of_day(cell: object, clock: time) -> None:
    assert parse_time_of_day(cell) == clock  # type: ignore[arg-type]


def test_choices_ignore_case_spacing_and_know_synonyms() -> None:
    assert parse_choice("URGENT", Priority) is Priority.URGENT
    assert parse_choice("Tail Lift", SpecialHandling) is SpecialHandling.TAIL_LIFT
    assert parse_choices("fragile; Tail-lift", SpecialHandling) == {
        SpecialHandling.FRAGILE,
        SpecialHandling.TAIL_LIFT,
    }
    assert parse_choices("", SpecialHandling) == frozenset()
    synonyms = {"reefer": SpecialHandling.REFRIGERATED}
    assert parse_choice("Reefer", SpecialHandling, synonyms) is SpecialHandling.REFRIGERATED
    with pytest.raises(CellValueError, match="'asap' is not one of: low, normal, high, urgent"):
        parse_choice("asap", Priority)


@pytest.mark.parametrize(
    "raw",
    ["0722410385", "0722 410 385", "+254 722 410 385", "254722410385", "722410385",
     "(0722) 410-385", "00254722410385"],
)  # fmt: skip
def test_kenyan_mobile_numbers_are_normalised(raw: str) -> None:
    assert phone(raw) == "+254722410385"


def test_other_kenyan_numbers_and_bad_ones() -> None:
    assert phone("0110 123 456") == "+254110123456"
    assert phone("020 2345678") == "+254202345678"  # a Nairobi landline
    assert phone("  ") is None
    for bad in ("0722 41 03", "+256 772 123456", "hello"):
        with pytest.raises(ValueError, match="not a Kenyan phone number"):
            phone(bad)


# --- keys ----------------------------------------------------------------------------------------


def test_readable_keys() -> None:
    assert CUSTOMER_KEYS.format(7) == "CUST-0007"
    assert CUSTOMER_KEYS.format(12345) == "CUST-12345"
    assert CUSTOMER_KEYS.parse("CUST-0042") == 42
    assert CUSTOMER_KEYS.parse("CUST-T0042") is None
    # The month is the depot's: 23:30 UTC on 30 November is already December in Nairobi.
    keys = order_keys(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), NAIROBI)
    assert keys.format(42) == "ORD-2612-00042"


# --- order rules (pure, with a hand-made context) ------------------------------------------------

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
CONTEXT = OrderContext(
    now=NOW,
    depot=Place("Senga Nairobi Depot", "Nairobi", -1.309, 36.848),
    time_zone=NAIROBI,
    customers={
        "CUST-0001": CustomerRef(1, "CUST-0001", "Jamii Supermarkets Ltd", True),
        "CUST-0002": CustomerRef(2, "CUST-0002", "Old Traders", False),
    },
    max_weight_tonnes=Decimal(28),
    max_volume_m3=Decimal(76),
)


def good_order(**changes: object) -> OrderInput:
    start = NOW + timedelta(days=1)
    fields: dict[str, object] = {
        "customer_id": "cust-0001",
        "destination_city": " nakuru ",
        "destination_address": "Plot 12,  Kenyatta Avenue",
        "weight_tonnes": Decimal("2.5"),
        "volume_m3": Decimal(8),
        "window_start": start,
        "window_end": start + timedelta(hours=6),
        "price_kes": Decimal("18500"),
    }
    return OrderInput(**(fields | changes))  # type: ignore[arg-type]


def test_a_good_order_is_normalised() -> None:
    errors, values = order_problems(good_order(), CONTEXT)
    assert errors == []
    assert values is not None
    assert values.customer_pk == 1
    assert values.destination_city == "Nakuru"
    assert values.destination == Place("Nakuru", "Plot 12, Kenyatta Avenue", -0.285, 36.07)
    assert values.pickup == CONTEXT.depot
    assert values.price_kes == Decimal("18500.00")


def fields_and_messages(data: OrderInput) -> dict[str, str]:
    errors, values = order_problems(data, CONTEXT)
    assert values is None
    return {e.field: e.message for e in errors}


def test_every_problem_is_reported_at_its_field_at_once() -> None:
    problems = fields_and_messages(
        good_order(
            customer_id="CUST-0099",
            destination_city="Nakru",
            destination_address=" ",
            destination_lat=1.0,
            destination_lon=None,
            weight_tonnes=Decimal(0),
            volume_m3=Decimal(200),
            window_end=NOW,
            price_kes=Decimal(-5),
        )
    )
    assert set(problems) == {
        "customer_id", "destination_city", "destination_address", "destination_lon",
        "weight_tonnes", "volume_m3", "window_end", "price_kes",
    }  # fmt: skip
    assert "There is no customer CUST-0099" in problems["customer_id"]
    assert "Did you mean Nakuru" in problems["destination_city"]
    assert "Give the street address" in problems["destination_address"]
    assert "Give both coordinates" in problems["destination_lon"]
    assert problems["weight_tonnes"] == "The weight must be more than 0 t."
    assert "200 m³ is more than 120 m³" in problems["volume_m3"]
    assert "must end after it starts" in problems["window_end"]
    assert "cannot be negative" in problems["price_kes"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"customer_id": "CUST-0002"}, "customer_id",
         "Old Traders (CUST-0002) is deactivated: reactivate the customer first."),
        ({"customer_id": ""}, "customer_id", "Choose the customer."),
        ({"weight_tonnes": Decimal(45)}, "weight_tonnes", "45 t is more than 40 t"),
        ({"weight_tonnes": Decimal(30)}, "weight_tonnes",
         "No truck can carry 30 t: the largest carries 28 t."),
        ({"volume_m3": Decimal(80)}, "volume_m3", "the largest carries 76 m³"),
        ({"volume_m3": Decimal(-1)}, "volume_m3", "more than 0 m³"),
        ({"window_start": NOW - timedelta(hours=9), "window_end": NOW - timedelta(hours=1)},
         "window_end", "The window ended on 25/11/2026 08:00, in the past"),
        ({"window_start": NOW + timedelta(days=400), "window_end": NOW + timedelta(days=401)},
         "window_start", "more than a year ahead"),
        ({"window_start": datetime(2026, 11, 26, 8)}, "window_start", "no time zone"),
        ({"destination_city": "Xyzzy"}, "destination_city", "Pick a town from the list."),
        ({"destination_lat": 1.3, "destination_lon": 32.0}, "destination_lon",
         "Longitude 32.0 lies outside Kenya"),
        ({"price_kes": Decimal("1e9")}, "price_kes", "check for extra zeros"),
        ({"pickup": Place("", "", -1.3, 36.8)}, "pickup", "Name the pickup place."),
        ({"pickup": Place("Mombasa port", "", -4.05, 60.0)}, "pickup", "outside Kenya"),
    ],
)  # fmt: skip
def test_each_message_is_at_its_field(changes: dict[str, object], field: str, message: str) -> None:
    problems = fields_and_messages(good_order(**changes))
    assert list(problems) == [field]
    assert message in problems[field]


def test_swapped_coordinates_are_named_as_such() -> None:
    problems = fields_and_messages(good_order(destination_lat=36.8, destination_lon=-1.3))
    assert list(problems) == ["destination_lat", "destination_lon"]
    assert all("Latitude and longitude look swapped." in m for m in problems.values())


def test_an_old_window_is_accepted_when_not_checking_the_past() -> None:
    old = good_order(window_start=NOW - timedelta(hours=9), window_end=NOW - timedelta(hours=1))
    assert order_problems(old, CONTEXT, check_past=False)[0] == []


def test_no_truck_in_the_fleet_means_no_capacity_check() -> None:
    from dataclasses import replace

    empty = replace(CONTEXT, max_weight_tonnes=None, max_volume_m3=None)
    assert order_problems(good_order(weight_tonnes=Decimal(39)), empty)[0] == []


def test_explicit_coordinates_and_pickup_are_kept() -> None:
    pickup = Place("Mombasa Road yard", "Mombasa Road", -1.35, 36.9)
    _, values = order_problems(
        good_order(destination_lat=-0.30, destination_lon=36.08, pickup=pickup), CONTEXT
    )
    assert values is not None
    assert (values.destination.lat, values.destination.lon) == (-0.30, 36.08)
    assert values.pickup == pickup


def test_customer_rules() -> None:
    errors, clean = customer_problems(
        CustomerInput(" Baraka  Hardware ", customer_id="cust-0101", phone="0722 410 385",
                      email="ORDERS@baraka.co.ke", max_wait_hours=48,
                      preferred_delivery_start=time(8), preferred_delivery_end=time(17))
    )  # fmt: skip
    assert errors == []
    assert clean is not None
    assert (clean.customer_name, clean.customer_id, clean.phone) == (
        "Baraka Hardware", "CUST-0101", "+254722410385",
    )  # fmt: skip
    errors, clean = customer_problems(
        CustomerInput("", customer_id="bad id!", email="nope", phone="12", max_wait_hours=0,
                      preferred_delivery_start=time(17), preferred_delivery_end=time(8))
    )  # fmt: skip
    assert clean is None
    assert [e.field for e in errors] == [
        "customer_name", "customer_id", "email", "phone", "max_wait_hours",
        "preferred_delivery_end",
    ]  # fmt: skip
    errors, _ = customer_problems(CustomerInput("X", preferred_delivery_start=time(8)))
    assert [(e.field, e.message) for e in errors] == [
        ("preferred_delivery_end", "Give both ends of the delivery hours, or neither.")
    ]


# --- lifecycle -----------------------------------------------------------------------------------

S = OrderStatus


def test_the_lifecycle_table() -> None:
    allowed = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert allowed == {
        (S.PENDING, S.ASSIGNED), (S.PENDING, S.CANCELLED),
        (S.ASSIGNED, S.PENDING), (S.ASSIGNED, S.IN_TRANSIT), (S.ASSIGNED, S.CANCELLED),
        (S.IN_TRANSIT, S.DELIVERED), (S.IN_TRANSIT, S.FAILED),
    }  # fmt: skip
    for current in S:
        for target in S:
            refused = transition_problem(current, target)
            assert (refused is None) == ((current, target) in allowed)


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (S.DELIVERED, S.CANCELLED, "A delivered order cannot be cancelled: it is finished."),
        (S.IN_TRANSIT, S.CANCELLED,
         "An order in transit cannot be cancelled: record it as delivered or failed."),
        (S.PENDING, S.DELIVERED, "A pending order cannot be marked delivered: it has not left "
         "the depot."),
        (S.PENDING, S.IN_TRANSIT, "A pending order cannot be marked in transit: put it on a "
         "route first."),
        (S.CANCELLED, S.PENDING, "A cancelled order cannot be set back to pending: duplicate it "
         "to send the goods after all."),
        (S.FAILED, S.IN_TRANSIT, "A failed order cannot be marked in transit: duplicate it to "
         "send the goods again."),
        (S.PENDING, S.PENDING, "The order is pending already."),
        (S.IN_TRANSIT, S.IN_TRANSIT, "The order is in transit already."),
    ],
)  # fmt: skip
def test_refusals_say_why(current: OrderStatus, target: OrderStatus, message: str) -> None:
    assert transition_problem(current, target) == message


def test_duplicated_windows_move_by_whole_days() -> None:
    start = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)  # 08:00 in Nairobi, five days ago
    moved = shifted_window(start, start + timedelta(hours=4), NOW)
    assert moved == (start + timedelta(days=6), start + timedelta(days=6, hours=4))
    assert moved[0] > NOW
    later = NOW + timedelta(hours=2)
    exact = NOW - timedelta(days=2)  # exactly two days ago: moved two days, to now
    assert shifted_window(exact, exact + timedelta(hours=1), NOW)[0] == NOW
    assert shifted_window(later, later + timedelta(hours=1), NOW) == (
        later, later + timedelta(hours=1),
    )  # fmt: skip


def test_templates_ship_with_the_template_columns() -> None:
    orders = template_path("orders").read_text(encoding="utf-8").splitlines()
    assert orders[0].split(",") == [c.name for c in ORDER_COLUMNS if c.name != "order_number"]
    assert len(orders) == 2
    customers = template_path("customers").read_text(encoding="utf-8").splitlines()
    assert customers[0] == (
        "customer_id,customer_name,email,phone,address,contact_person,max_wait_hours,"
        "preferred_delivery_start,preferred_delivery_end"
    )
