"""Importing and exporting route outcomes on real SQLite and PostgreSQL.

The routes are made committed the way planning leaves them (route planned or in progress, its
orders assigned to it, its truck on route); the import completes them through finish_route.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import event, func, select

from senga_desktop.controllers.imports import ImportRefused, template_path
from senga_desktop.controllers.imports.outcomes import commit_outcomes, preview_outcomes
from senga_desktop.controllers.outcome_export import OUTCOME_EXPORT_COLUMNS, export_outcomes
from senga_desktop.controllers.permissions import COMMAND_LINE, Actor
from senga_desktop.db.engine import Database, open_database
from senga_desktop.db.models import (
    AuditLog,
    Customer,
    OperationalOutcome,
    Order,
    Route,
    RouteStop,
    Vehicle,
)
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import (
    OrderStatus,
    RouteStatus,
    StopResult,
    StopType,
    VehicleStatus,
)
from senga_desktop.errors import ValidationError
from tests.factories import NAKURU, make_customer, make_order, make_route, make_vehicle

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
EAT = ZoneInfo("Africa/Nairobi")
DAY = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
PREFIX = "DEC-261126-080000-AB12-R"
R1, R2, R3, R4, R5, R6 = (f"{PREFIX}{n:02d}" for n in range(1, 7))
HEADER = ["route_id", "actual_distance_km", "actual_duration_minutes", "actual_cost_kes",
          "delivered", "late", "failed", "failed_orders", "departed_at", "returned_at",
          "fuel_litres", "notes"]  # fmt: skip
GOOD = [
    [R1, "172.4", "395", "21,850", "1", "1", "1", "ord-a2", "26/11/2026 08:10",
     "26/11/2026 14:45", "61.5", "Customer absent at the second stop"],
    [R2.lower(), "88", "140", "9800", "1", "0", "0", "", "", "", "", ""],
]  # fmt: skip


def committed_route(
    session: Any,
    truck: Vehicle,
    customer: Customer,
    route_id: str,
    orders: Sequence[str],
    *,
    status: RouteStatus = RouteStatus.PLANNED,
) -> Route:
    """A route as planning leaves it once committed (or, for other statuses, as it left it)."""
    committed = status in (RouteStatus.PLANNED, RouteStatus.IN_PROGRESS)
    route = make_route(session, truck, stops=0, route_id=route_id, status=status,
                       order_ids=list(orders), destination_cities=["Nakuru"],
                       planned_start=DAY)  # fmt: skip
    for index, order_id in enumerate(orders):
        state = OrderStatus.PENDING
        if committed:
            started = status is RouteStatus.IN_PROGRESS
            state = OrderStatus.IN_TRANSIT if started else OrderStatus.ASSIGNED
        make_order(session, customer, order_id=order_id, status=state,
                   assigned_route=route if committed else None)  # fmt: skip
        route.stops.append(
            RouteStop(stop_id=f"{route_id}-S{index + 1:02d}", order_ids=[order_id],
                      location=NAKURU, stop_type=StopType.DELIVERY, sequence_order=index)
        )  # fmt: skip
    if committed:
        truck.status = VehicleStatus.ON_ROUTE
    session.flush()
    return route


def build_depot(database: Database, *, past: bool = True) -> None:
    """Two committed routes (R1 planned with three orders, R2 in progress with one) and, with
    ``past``, routes that cannot take an outcome: proposed, discarded, cancelled, recorded."""
    with unit_of_work(database.sessions) as session:
        customer = make_customer(session, customer_id="CUST-0001")
        one = make_vehicle(session, vehicle_id="KDA 001A")
        two = make_vehicle(session, vehicle_id="KDB 002B", vehicle_type="3 t van")
        committed_route(session, one, customer, R1, ["ORD-A1", "ORD-A2", "ORD-A3"])
        committed_route(session, two, customer, R2, ["ORD-B1"], status=RouteStatus.IN_PROGRESS)
        if not past:
            return
        three = make_vehicle(session, vehicle_id="KDC 003C")
        for key, status, order in (
            (R3, RouteStatus.PROPOSED, "ORD-C1"),
            (R4, RouteStatus.DISCARDED, "ORD-C2"),
            (R5, RouteStatus.CANCELLED, "ORD-C3"),
        ):
            committed_route(session, three, customer, key, [order], status=status)
        done = make_route(session, three, stops=0, route_id=R6, status=RouteStatus.COMPLETED)
        session.add(OperationalOutcome(outcome_id="OUT-20261120-0001", route_id=done.id,
                                       actual_cost_kes=Decimal(100), actual_duration_minutes=60,
                                       actual_distance_km=Decimal(10),
                                       recorded_at=DAY - timedelta(days=6)))  # fmt: skip


@pytest.fixture
def depot(database: Database) -> None:
    build_depot(database)


def write_csv(path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def outcome_count(database: Database) -> int:
    with unit_of_work(database.sessions) as session:
        return session.scalar(select(func.count()).select_from(OperationalOutcome)) or 0


def statuses(database: Database) -> dict[str, Any]:
    """What an import changes: routes', orders' and trucks' states."""
    with unit_of_work(database.sessions) as session:
        routes = {r.route_id: r.status for r in session.scalars(select(Route))}
        orders = {o.order_id: (o.status, o.assigned_route_id is not None)
                  for o in session.scalars(select(Order))}  # fmt: skip
        trucks = {v.vehicle_id: v.status for v in session.scalars(select(Vehicle))}
    return {"routes": routes, "orders": orders, "trucks": trucks}


# --- the preview and the commit -------------------------------------------------------------------


@pytest.mark.usefixtures("depot")
def test_a_good_file_completes_its_routes_in_one_go(database: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "outcomes.csv", GOOD)
    preview = preview_outcomes(database.sessions, COMMAND_LINE, path, now=NOW)
    assert (preview.total, preview.good, preview.bad, preview.is_clean) == (2, 2, 0, True)
    assert outcome_count(database) == 1  # a preview writes nothing
    first = preview.rows[0].value
    assert first is not None
    assert (first.route_id, first.failed_orders) == (R1, ("ORD-A2",))
    assert first.departed_at == datetime(2026, 11, 26, 8, 10, tzinfo=EAT)
    assert preview.rows[1].value is not None
    assert preview.rows[1].value.route_id == R2  # typed in lower case, found all the same

    result = commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)
    assert result.keys == ("OUT-20261127-0001", "OUT-20261127-0002")
    after = statuses(database)
    assert (after["routes"][R1], after["routes"][R2]) == (RouteStatus.COMPLETED,) * 2
    assert {k: after["orders"][k] for k in ("ORD-A1", "ORD-A2", "ORD-A3", "ORD-B1")} == {
        "ORD-A1": (OrderStatus.DELIVERED, True),
        "ORD-A2": (OrderStatus.PENDING, False),  # failed: off the route, to plan again
        "ORD-A3": (OrderStatus.DELIVERED, True),
        "ORD-B1": (OrderStatus.DELIVERED, True),
    }
    assert (after["trucks"]["KDA 001A"], after["trucks"]["KDB 002B"]) == (
        VehicleStatus.AVAILABLE, VehicleStatus.AVAILABLE,
    )  # fmt: skip
    with unit_of_work(database.sessions) as session:
        outcome = session.scalars(
            select(OperationalOutcome).where(OperationalOutcome.outcome_id == result.keys[0])
        ).one()
        assert (outcome.actual_distance_km, outcome.actual_duration_minutes,
                outcome.actual_cost_kes) == (Decimal("172.400"), 395,
                                             Decimal("21850.00"))  # fmt: skip
        # Errors are actual - estimate (the factory's route: 160.5 km, 240 min, KES 15,300).
        assert (outcome.distance_prediction_error_km, outcome.duration_prediction_error_minutes,
                outcome.cost_prediction_error_kes) == (Decimal("11.900"), 155,
                                                       Decimal("6550.00"))  # fmt: skip
        assert (outcome.total_revenue_kes, outcome.net_profit_kes) == (
            Decimal("37000.00"), Decimal("15150.00"),
        )  # fmt: skip
        assert (outcome.on_time_deliveries, outcome.late_deliveries,
                outcome.failed_deliveries) == (1, 1, 1)  # fmt: skip
        assert [f["order_id"] for f in outcome.additional_metrics["failures"]] == ["ORD-A2"]
        route = session.scalars(select(Route).where(Route.route_id == R1)).one()
        assert route.actual_start == datetime(2026, 11, 26, 8, 10, tzinfo=EAT)
        assert [s.result for s in route.stops] == [
            StopResult.DELIVERED, StopResult.FAILED, StopResult.DELIVERED_LATE,
        ]  # fmt: skip
        entry = session.scalars(
            select(AuditLog).where(AuditLog.action == "outcomes.imported")
        ).one()
        assert entry.details == {"file": "outcomes.csv", "outcomes": 2,
                                 "first": "OUT-20261127-0001", "last": "OUT-20261127-0002",
                                 "on_time": 2, "late": 1, "failed": 1, "failed_to": "pending",
                                 "bad_rows_dropped": 0}  # fmt: skip


@pytest.mark.usefixtures("depot")
def test_failed_orders_can_be_cancelled_instead(database: Database, tmp_path: Path) -> None:
    preview = preview_outcomes(database.sessions, COMMAND_LINE,
                               write_csv(tmp_path / "o.csv", GOOD[:1]), now=NOW)  # fmt: skip
    commit_outcomes(database.sessions, COMMAND_LINE, preview, failed_to=OrderStatus.CANCELLED,
                    now=NOW)  # fmt: skip
    assert statuses(database)["orders"]["ORD-A2"] == (OrderStatus.CANCELLED, False)
    with pytest.raises(ValidationError, match="back to pending or are cancelled"):
        commit_outcomes(database.sessions, COMMAND_LINE, preview,
                        failed_to=OrderStatus.DELIVERED, now=NOW)  # fmt: skip


@pytest.mark.usefixtures("depot")
def test_one_bad_row_writes_nothing_and_is_named(database: Database, tmp_path: Path) -> None:
    before = statuses(database)
    rows = [GOOD[0], [R2, "88", "140", "98OO", "1", "0", "0", "", "", "", "", ""]]
    preview = preview_outcomes(database.sessions, COMMAND_LINE,
                               write_csv(tmp_path / "bad.csv", rows), now=NOW)  # fmt: skip
    assert (preview.good, preview.bad) == (1, 1)
    assert [str(p) for p in preview.problems] == [
        "row 3, column actual_cost_kes: '98OO' is not a number."
    ]
    with pytest.raises(ImportRefused, match=r"1 of 2 rows of bad\.csv have problems") as caught:
        commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "actual_cost_kes")]
    assert outcome_count(database) == 1
    assert statuses(database) == before


@pytest.mark.usefixtures("depot")
def test_every_row_error_names_its_row_and_column(database: Database, tmp_path: Path) -> None:
    blank = ["", "", "", "", ""]
    rows = [
        ["DEC-000000-000000-ZZZZ-R01", "10", "60", "100", "1", "0", "0", *blank],
        [R3, "10", "60", "100", "1", "0", "0", *blank],
        [R4, "10", "60", "100", "1", "0", "0", *blank],
        [R5, "10", "60", "100", "1", "0", "0", *blank],
        [R6, "10", "60", "100", "0", "0", "0", *blank],
        [R1, "10", "60", "100", "2", "0", "0", *blank],
        [R1, "10", "60", "100", "3", "0", "0", *blank],
        [R2, "10", "60", "100", "0", "0", "1", *blank],
        [R2.lower(), "10", "60", "100", "0", "0", "1", "ORD-A1", "", "", "", ""],
    ]
    again = [
        [R1, "10", "60", "100", "1", "0", "2", "ORD-A1", "", "", "", ""],
        [R2, "-4", "sixty", "100", "1", "0", "-1", "", "", "", "-2", ""],
        [R1, "6000", "20000", "9000000", "1", "0", "0", "", "", "", "4000", ""],
        [R1, "10", "60", "100", "3", "0", "0", "", "26/11/2026 10:00", "26/11/2026 09:00",
         "", ""],
        [R2, "10", "60", "100", "1", "0", "0", "", "26/11/2026 08:00", "26/11/2026 10:00",
         "", ""],
        [R2, "10", "60", "100", "1", "0", "0", "", "27/11/2026 14:00", "28/11/2026 08:00",
         "", ""],
    ]  # fmt: skip
    first = preview_outcomes(database.sessions, COMMAND_LINE,
                             write_csv(tmp_path / "a.csv", rows), now=NOW)  # fmt: skip
    assert [str(p) for p in first.problems] == [
        "row 2, column route_id: There is no route DEC-000000-000000-ZZZZ-R01: copy its number "
        "from the Routes screen (e.g. DEC-261125-083000-AB12-R01).",
        f"row 3, column route_id: Route {R3} was proposed but never committed, so it did not "
        "run: commit its decision first, or remove the row.",
        f"row 4, column route_id: Route {R4} belongs to a discarded plan and never ran: remove "
        "the row.",
        f"row 5, column route_id: Route {R5} was cancelled and never ran: remove the row.",
        f"row 6, column route_id: Route {R6} has its outcome recorded already "
        "(OUT-20261120-0001); a route has one outcome: remove the row.",
        f"row 7, column delivered: 2 on time + 0 late + 0 failed is 2, but route {R1} carries 3 "
        "orders: the three counts must add up to them.",
        f"row 8, column route_id: Route {R1} appears twice in the file (first in row 7): a route "
        "has one outcome; keep one row.",
        "row 9, column failed_orders: 1 orders failed: name them in a failed_orders column "
        "(order numbers separated by ;) so they can go back to pending.",
        f"row 10, column route_id: Route {R2.lower()} appears twice in the file (first in row "
        "9): a route has one outcome; keep one row.",
    ]
    second = preview_outcomes(database.sessions, COMMAND_LINE,
                              write_csv(tmp_path / "b.csv", again), now=NOW)  # fmt: skip
    assert [str(p) for p in second.problems[:7]] == [
        "row 2, column failed_orders: 1 order numbers are listed but failed says 2: list "
        "exactly the orders that were not delivered.",
        "row 3, column actual_distance_km: The distance driven in km cannot be negative.",
        "row 3, column actual_duration_minutes: 'sixty' is not a number.",
        "row 3, column failed: How many orders were not delivered cannot be negative.",
        "row 3, column fuel_litres: The fuel bought in litres cannot be negative.",
        "row 4, column route_id: Route DEC-261126-080000-AB12-R01 appears twice in the file "
        "(first in row 2): a route has one outcome; keep one row.",
        "row 4, column actual_distance_km: 6,000 is more than 5,000, which no route reaches: "
        "check it is in km.",
    ]
    assert [str(p) for p in second.problems[7:]] == [
        "row 4, column actual_duration_minutes: 20,000 is more than 10,080, which no route "
        "reaches: check it is in minutes (a week is 10,080).",
        "row 4, column actual_cost_kes: 9,000,000 is more than 5,000,000, which no route "
        "reaches: check it is in KES.",
        "row 4, column fuel_litres: 4,000 is more than 3,000, which no route reaches: check it "
        "is in litres.",
        f"row 5, column route_id: Route {R1} appears twice in the file (first in row 2): a "
        "route has one outcome; keep one row.",
        "row 5, column returned_at: The return is before the departure: check both dates and "
        "times.",
        f"row 6, column route_id: Route {R2} appears twice in the file (first in row 3): a "
        "route has one outcome; keep one row.",
        "row 6, column actual_duration_minutes: 60 minutes, but from departed_at to returned_at "
        "is 120 minutes: correct one of them (they may differ by 5).",
        f"row 7, column route_id: Route {R2} appears twice in the file (first in row 3): a "
        "route has one outcome; keep one row.",
        "row 7, column departed_at: This time is in the future: record a route after it returned.",
        "row 7, column returned_at: This time is in the future: record a route after it returned.",
    ]
    assert outcome_count(database) == 1


@pytest.mark.usefixtures("depot")
def test_failed_orders_must_be_on_the_route(database: Database, tmp_path: Path) -> None:
    rows = [[R1, "10", "60", "100", "2", "0", "1", "ORD-B1", "", "", "", ""],
            [R2, "10", "60", "100", "1", "0", "0", "ORD-B1", "", "", "", ""]]  # fmt: skip
    preview = preview_outcomes(database.sessions, COMMAND_LINE,
                               write_csv(tmp_path / "o.csv", rows), now=NOW)  # fmt: skip
    assert [str(p) for p in preview.problems] == [
        f"row 2, column failed_orders: ORD-B1 is not on route {R1} (its orders: ORD-A1, "
        "ORD-A2, ORD-A3).",
        "row 3, column failed_orders: 1 order numbers are listed but failed says 0: list "
        "exactly the orders that were not delivered.",
    ]


@pytest.mark.usefixtures("depot")
def test_a_second_outcome_for_a_route_is_refused(database: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "o.csv", GOOD)
    preview = preview_outcomes(database.sessions, COMMAND_LINE, path, now=NOW)
    commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)
    # Committed twice from the same preview: the database changed since, nothing is written.
    with pytest.raises(ImportRefused, match="The database changed since the preview") as caught:
        commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "route_id"), (3, "route_id")]
    assert (
        "has its outcome recorded already (OUT-20261127-0001)" in caught.value.problems[0].message
    )
    # Previewed again, each row says so.
    again = preview_outcomes(database.sessions, COMMAND_LINE, path, now=NOW)
    assert again.bad == 2
    assert outcome_count(database) == 3


@pytest.mark.usefixtures("depot")
def test_the_commit_checks_the_database_again(database: Database, tmp_path: Path) -> None:
    preview = preview_outcomes(database.sessions, COMMAND_LINE,
                               write_csv(tmp_path / "o.csv", GOOD), now=NOW)  # fmt: skip
    assert preview.is_clean
    with unit_of_work(database.sessions) as session:  # cancelled on another desktop meanwhile
        route = session.scalars(select(Route).where(Route.route_id == R2)).one()
        route.status = RouteStatus.CANCELLED
    before = statuses(database)
    with pytest.raises(ImportRefused, match="The database changed since the preview") as caught:
        commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)
    assert [str(p) for p in caught.value.problems] == [
        f"row 3, column route_id: Route {R2} was cancelled and never ran: remove the row."
    ]
    assert statuses(database) == before  # R1 was not completed either
    assert outcome_count(database) == 1


@pytest.mark.usefixtures("depot")
def test_a_failure_while_writing_leaves_nothing(database: Database, tmp_path: Path) -> None:
    """The routes are settled first, then written table by table: a failure at the end (a full
    disk, made here when audit rows go in, after the orders, routes, trucks, stops and outcomes
    were written; PostgreSQL streams the outcomes by COPY, which no statement event sees) rolls
    back every route, order and truck."""
    preview = preview_outcomes(database.sessions, COMMAND_LINE,
                               write_csv(tmp_path / "o.csv", GOOD), now=NOW)  # fmt: skip
    assert preview.total >= 2
    before, outcomes_before = statuses(database), outcome_count(database)
    written: list[str] = []

    def disk_full(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        words = statement.split()
        if words[0] in ("INSERT", "UPDATE"):
            written.append(words[2] if words[0] == "INSERT" else words[1])
        if statement.startswith("INSERT INTO audit_log"):
            raise RuntimeError("disk full")

    event.listen(database.engine, "before_cursor_execute", disk_full)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)
    finally:
        event.remove(database.engine, "before_cursor_execute", disk_full)
    assert {"orders", "routes"} <= set(written)
    assert statuses(database) == before
    assert outcome_count(database) == outcomes_before


@pytest.mark.usefixtures("depot")
def test_xlsx_with_typed_cells_synonyms_and_column_letters(
    database: Database, tmp_path: Path
) -> None:
    header = ["Route No", "Distance (km)", "Minutes", "Cost KES", "On time", "Delivered late",
              "Failed deliveries", "Failed orders", "Departed", "Returned", "Fuel", "Remarks",
              "Driver"]  # fmt: skip
    rows = [
        [R1, 172.4, 395, 21850, 3, 0, 0, None, datetime(2026, 11, 26, 8, 10),
         datetime(2026, 11, 26, 14, 45), 61.5, None, "Kamau"],
        [R2, 88, 140, "lots", 1, 0, 0, None, None, None, None, None, "Achieng"],
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "outcomes.xlsx", rows, header)
    preview = preview_outcomes(database.sessions, COMMAND_LINE, path, now=NOW)
    assert preview.ignored_columns == ("Driver",)
    assert [str(p) for p in preview.problems] == [
        "row 3, column Cost KES (D): 'lots' is not a number."
    ]
    value = preview.rows[0].value
    assert value is not None
    # Spreadsheet times carry no zone: they are the depot's.
    assert value.returned_at == datetime(2026, 11, 26, 14, 45, tzinfo=EAT)
    with pytest.raises(ImportRefused):
        commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)
    assert outcome_count(database) == 1


@pytest.mark.usefixtures("depot")
def test_a_missing_column_is_a_problem_in_row_1(database: Database, tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "late"]
    rows = [[c for i, c in enumerate(r) if HEADER[i] != "late"] for r in GOOD]
    preview = preview_outcomes(database.sessions, COMMAND_LINE,
                               write_csv(tmp_path / "o.csv", rows, header), now=NOW)  # fmt: skip
    assert [str(p) for p in preview.file_problems] == [
        "row 1, column late: the file has no late column, how many orders were delivered late "
        "(also accepted: delivered_late). Add it, or start from the template."
    ]
    with pytest.raises(ImportRefused, match="the header is not usable"):
        commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)


def test_the_shipped_template_imports_cleanly(database: Database) -> None:
    example = "DEC-261201-060000-AB12-R01"
    with unit_of_work(database.sessions) as session:
        orders = ["ORD-2612-00001", "ORD-2612-00002", "ORD-2612-00003"]
        committed_route(session, make_vehicle(session), make_customer(session), example, orders)
    later = datetime(2026, 12, 2, tzinfo=UTC)
    preview = preview_outcomes(database.sessions, COMMAND_LINE, template_path("outcomes"),
                               now=later)  # fmt: skip
    assert preview.is_clean, preview.problems
    assert preview.ignored_columns == ()


def test_a_preview_runs_a_fixed_number_of_statements(database: Database, tmp_path: Path) -> None:
    """Routes, their outcomes and orders are loaded for the whole file: no query per row."""
    with unit_of_work(database.sessions) as session:
        customer = make_customer(session)
        truck = make_vehicle(session)
        for n in range(600):
            committed_route(session, truck, customer, f"RT-{n:05d}", [f"ORD-{n:05d}"])
    rows = [[f"RT-{n:05d}", "10", "60", "100", "1", "0", "0"] for n in range(600)]
    path = write_csv(tmp_path / "big.csv", rows, HEADER[:7])
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        preview = preview_outcomes(database.sessions, COMMAND_LINE, path, now=NOW)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert preview.is_clean, preview.problems[:3]
    assert len(statements) < 12


def test_a_dispatcher_imports_and_is_recorded(
    database: Database, people: dict[str, Actor], tmp_path: Path
) -> None:
    build_depot(database, past=False)
    dispatcher = people["otieno"]
    preview = preview_outcomes(database.sessions, dispatcher,
                               write_csv(tmp_path / "o.csv", GOOD), now=NOW)  # fmt: skip
    commit_outcomes(database.sessions, dispatcher, preview, now=NOW)
    with unit_of_work(database.sessions) as session:
        recorded = set(session.scalars(select(OperationalOutcome.recorded_by)))
        entry = session.scalars(
            select(AuditLog).where(AuditLog.action == "outcomes.imported")
        ).one()
    assert recorded == {dispatcher.user_id}
    assert (entry.user_id, entry.username) == (dispatcher.user_id, "otieno")


# --- export and the round trip --------------------------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path, _migrated_templates: dict[str, str]) -> Iterator[Database]:
    """Another database (SQLite) with the same committed routes, to import an export into."""
    target = tmp_path / "fresh.sqlite3"
    shutil.copyfile(_migrated_templates["sqlite"], target)
    database = open_database(f"sqlite:///{target}")
    build_depot(database, past=False)
    yield database
    database.dispose()


def content(database: Database) -> list[dict[str, Any]]:
    with unit_of_work(database.sessions) as session:
        query = (
            select(OperationalOutcome, Route.route_id)
            .join(Route, OperationalOutcome.route_id == Route.id)
            .where(OperationalOutcome.outcome_id.like("OUT-20261127-%"))
            .order_by(OperationalOutcome.outcome_id)
        )
        return [
            {
                "route": route_id,
                "outcome": (
                    o.outcome_id,
                    o.actual_distance_km,
                    o.actual_duration_minutes,
                    o.actual_cost_kes,
                    o.on_time_deliveries,
                    o.late_deliveries,
                    o.failed_deliveries,
                    o.total_revenue_kes,
                    o.net_profit_kes,
                    o.cost_prediction_error_kes,
                ),
                "metrics": {
                    k: o.additional_metrics[k]
                    for k in ("departed_at", "returned_at", "fuel_litres", "notes", "failures")
                },
            }
            for o, route_id in session.execute(query)
        ]


@pytest.mark.usefixtures("depot")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_export_imports_again_as_the_same_outcomes(
    database: Database, fresh: Database, tmp_path: Path, suffix: str
) -> None:
    preview = preview_outcomes(database.sessions, COMMAND_LINE,
                               write_csv(tmp_path / "in.csv", GOOD), now=NOW)  # fmt: skip
    commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)
    path = tmp_path / f"export{suffix}"
    result = export_outcomes(database.sessions, COMMAND_LINE, path)
    assert result.rows == 3  # the one recorded before too
    again = preview_outcomes(fresh.sessions, COMMAND_LINE, path, now=NOW)
    assert again.ignored_columns == ()  # the estimate and error columns are known ones
    # The outcome recorded before is of a route the other database does not have.
    assert [(p.row, p.column) for p in again.problems] == [(2, "route_id")]
    commit_outcomes(fresh.sessions, COMMAND_LINE, again, drop_bad_rows=True, now=NOW)
    assert content(fresh) == content(database)
    assert len(content(fresh)) == 2


@pytest.mark.usefixtures("depot")
def test_an_export_writes_estimates_errors_and_local_times(
    database: Database, tmp_path: Path
) -> None:
    preview = preview_outcomes(database.sessions, COMMAND_LINE,
                               write_csv(tmp_path / "in.csv", GOOD), now=NOW)  # fmt: skip
    commit_outcomes(database.sessions, COMMAND_LINE, preview, now=NOW)
    path = tmp_path / "out.csv"
    since = datetime(2026, 11, 27, tzinfo=EAT)
    assert export_outcomes(database.sessions, COMMAND_LINE, path, since=since).rows == 2
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert tuple(lines[0]) == OUTCOME_EXPORT_COLUMNS
    first = lines[0]
    assert {k: first[k] for k in HEADER} == {
        "route_id": R1, "actual_distance_km": "172.400", "actual_duration_minutes": "395",
        "actual_cost_kes": "21850.00", "delivered": "1", "late": "1", "failed": "1",
        "failed_orders": "ORD-A2", "departed_at": "2026-11-26T08:10+03:00",
        "returned_at": "2026-11-26T14:45+03:00", "fuel_litres": "61.500",
        "notes": "Customer absent at the second stop",
    }  # fmt: skip
    assert {k: first[k] for k in ("estimated_distance_km", "distance_error_km",
                                  "distance_error_pct", "duration_error_minutes",
                                  "duration_error_pct", "cost_error_pct", "revenue_kes",
                                  "net_profit_kes", "recorded_at", "recorded_by")} == {
        "estimated_distance_km": "160.500", "distance_error_km": "11.900",
        "distance_error_pct": "7.4", "duration_error_minutes": "155",
        "duration_error_pct": "64.6", "cost_error_pct": "42.8", "revenue_kes": "37000.00",
        "net_profit_kes": "15150.00", "recorded_at": "2026-11-27T12:00+03:00", "recorded_by": "",
    }  # fmt: skip
    until = datetime(2026, 11, 27, tzinfo=EAT)
    assert export_outcomes(database.sessions, COMMAND_LINE, path, until=until).rows == 1
    with pytest.raises(ValidationError, match=r"Export to a \.csv or \.xlsx file"):
        export_outcomes(database.sessions, COMMAND_LINE, tmp_path / "x.pdf")
    assert not list(tmp_path.glob(".*.part"))


def test_an_empty_export_still_writes_its_header(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    assert export_outcomes(database.sessions, COMMAND_LINE, path).rows == 0
    assert path.read_text(encoding="utf-8-sig").splitlines() == [",".join(OUTCOME_EXPORT_COLUMNS)]
