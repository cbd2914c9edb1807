"""Importing trucks from CSV and XLSX: preview, all or nothing, and ``senga fleet``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from senga_desktop.cli import cli
from senga_desktop.controllers import auth, fleet, users
from senga_desktop.controllers.fleet_import import (
    commit_vehicle_import,
    import_vehicles,
    preview_vehicle_import,
    vehicles_template_path,
)
from senga_desktop.controllers.imports import ImportRefused, UnreadableFile
from senga_desktop.controllers.permissions import COMMAND_LINE, Actor
from senga_desktop.db.engine import Database, open_database
from senga_desktop.db.models import AuditLog, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role, SpecialHandling, VehicleStatus
from senga_desktop.errors import PermissionDenied

NAIROBI = ZoneInfo("Africa/Nairobi")
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
HEADER = "registration_plate,vehicle_type,town,capacity_weight_tonnes,capabilities"
GOOD_AND_BAD = f"""{HEADER}
KDA 123B,5t,Nakuru,,
KDA 12B,5t,Nakuru,,
KDB 418K,Crane 40 t,Nakuuru,lots,crane
KDC 732F,3t,,,reefer
"""


def _count(database: Database, model: type[Vehicle | AuditLog] = Vehicle) -> int:
    with unit_of_work(database.sessions) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _write(tmp_path: Path, text: str, name: str = "trucks.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_template_imports_as_it_is(database: Database) -> None:
    preview = preview_vehicle_import(database.sessions, COMMAND_LINE, vehicles_template_path())
    assert preview.problems == ()
    assert preview.ignored_columns == ()
    assert preview.is_clean
    result = commit_vehicle_import(database.sessions, COMMAND_LINE, preview, now=NOW)
    assert result.keys == ("TRK-0101", "TRK-0102", "TRK-0103")
    assert (result.written, result.dropped) == (3, 0)

    trucks = {v.label: v for v in fleet.board(database.sessions, COMMAND_LINE, now=NOW).vehicles}
    light, van, heavy = trucks["KDH 201A"], trucks["KDJ 774C"], trucks["KCV 318D"]
    assert light.available_at == datetime(2026, 11, 26, 6, tzinfo=NAIROBI)  # day first, local
    assert light.capabilities == (SpecialHandling.COVERED, SpecialHandling.TAIL_LIFT)
    # Blank figures and capabilities come from the catalogue's refrigerated van.
    assert (van.capacity_weight_tonnes, van.fixed_cost_kes) == (2, 4500)
    assert van.capabilities == (SpecialHandling.REFRIGERATED,)
    assert (van.location_name, van.available_at) == ("Mombasa", NOW)
    assert heavy.status is VehicleStatus.MAINTENANCE
    assert heavy.available_at == datetime(2026, 11, 27, 14, tzinfo=NAIROBI)
    assert (light.max_trip_days, van.max_trip_days, heavy.max_trip_days) == (1, 1, 2)
    with unit_of_work(database.sessions) as session:
        entries = session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        assert [e.action for e in entries] == ["vehicle.created"] * 3 + ["vehicles.imported"]
        assert entries[0].details == {"imported_from": "vehicles-template.csv", "row": 2}
        assert entries[-1].details["vehicles"] == list(result.keys)


def test_bad_rows_are_all_reported_and_nothing_is_written(
    database: Database, tmp_path: Path
) -> None:
    preview = preview_vehicle_import(
        database.sessions, COMMAND_LINE, _write(tmp_path, GOOD_AND_BAD)
    )
    assert [r.number for r in preview.rows if r.ok] == [2, 5]
    assert not preview.is_clean
    problems = [(p.row, p.column) for p in preview.problems]
    assert problems == [
        (3, "registration_plate"),
        # Columns the file lacks come first, then the row's cells left to right.
        (4, "capacity_volume_m3"),
        (4, "fuel_cost_per_km"),
        (4, "driver_cost_per_hour"),
        (4, "fixed_cost_kes"),
        (4, "max_shift_hours"),
        (4, "town"),
        (4, "capacity_weight_tonnes"),  # "lots" is not a number: said once, not also "needed"
        (4, "capabilities"),
    ]
    assert str(preview.problems[0]).startswith("row 3, column registration_plate: 'KDA 12B' is")
    assert "'Crane 40 t' is not in the type catalogue" in preview.problems[1].message
    assert "Did you mean Nakuru" in preview.problems[6].message
    assert "not a number" in preview.problems[7].message

    with pytest.raises(ImportRefused, match=r"2 of 4 rows of trucks\.csv have problems") as caught:
        commit_vehicle_import(database.sessions, COMMAND_LINE, preview)
    assert len(caught.value.problems) == 9
    assert _count(database) == 0
    assert _count(database, AuditLog) == 0

    result = commit_vehicle_import(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True)
    assert (result.keys, result.dropped) == (("TRK-0001", "TRK-0002"), 2)
    plates = [v.label for v in fleet.board(database.sessions, COMMAND_LINE).vehicles]
    assert sorted(plates) == ["KDA 123B", "KDC 732F"]


def test_duplicates_in_the_file_and_in_the_fleet(database: Database, tmp_path: Path) -> None:
    fleet.add_vehicle(database.sessions, COMMAND_LINE, fleet.VehicleInput("KDA 123B", "5t"))
    text = """plate,type,fleet no
kda 123 b,5t,
KDB 418K,5t,T-1
KDB418K,5t,T-1
"""
    preview = preview_vehicle_import(database.sessions, COMMAND_LINE, _write(tmp_path, text))
    assert [str(p) for p in preview.problems] == [
        "row 2, column plate: a truck with the plate KDA 123B is already in the fleet.",
        "row 4, column plate: KDB 418K is also in row 3: list each truck once.",
        "row 4, column fleet no: T-1 is also in row 3: list each truck once.",
    ]


def test_the_fleet_changing_after_the_preview_is_caught(database: Database, tmp_path: Path) -> None:
    path = _write(tmp_path, f"{HEADER}\nKDA 123B,5t,,,\nKDB 418K,5t,,,\n")
    preview = preview_vehicle_import(database.sessions, COMMAND_LINE, path)
    assert preview.is_clean
    fleet.add_vehicle(database.sessions, COMMAND_LINE, fleet.VehicleInput("KDB 418K", "3t"))
    for drop in (False, True):
        with pytest.raises(ImportRefused, match="changed since the preview") as caught:
            commit_vehicle_import(database.sessions, COMMAND_LINE, preview, drop_bad_rows=drop)
        assert [(p.row, p.column) for p in caught.value.problems] == [(3, "registration_plate")]
        assert _count(database) == 1
    again = preview_vehicle_import(database.sessions, COMMAND_LINE, path)
    result = commit_vehicle_import(database.sessions, COMMAND_LINE, again, drop_bad_rows=True)
    assert (result.written, result.dropped) == (1, 1)
    assert _count(database) == 2


def test_headers_and_values_are_read_the_way_people_write_them(
    database: Database, tmp_path: Path
) -> None:
    # Semicolons, a Windows code page, friendly headers, shillings with separators, AM/PM.
    text = (
        "Reg. No.;Fleet No;Type;Capacity (t);Volume (m³);Current Town;Available from;"
        "KES/km;Driver cost (KES/h);Fixed cost;Shift hours;Capabilities;Status;Remarks;Colour\n"
        "kcy-964p;12;Tipper 15 t;15;12.5;Murang'a;26/11/2026 2:30 PM;KES 95;1,200/=;"
        "12,000;9;none;Off duty;Bought in Nyeri ;Blue\n"
    )
    path = _write(tmp_path, text, encoding="cp1252")
    preview = preview_vehicle_import(database.sessions, COMMAND_LINE, path)
    assert preview.problems == ()
    assert preview.ignored_columns == ("Colour",)
    import_vehicles(database.sessions, COMMAND_LINE, path)
    (truck,) = fleet.board(database.sessions, COMMAND_LINE).vehicles
    assert (truck.registration_plate, truck.vehicle_id) == ("KCY 964P", "12")
    assert (truck.vehicle_type, truck.capacity_volume_m3) == ("Tipper 15 t", Decimal("12.5"))
    assert (truck.location_name, truck.status) == ("Murang'a", VehicleStatus.OFF_DUTY)
    assert truck.available_at == datetime(2026, 11, 26, 14, 30, tzinfo=NAIROBI)
    assert (truck.fuel_cost_per_km, truck.driver_cost_per_hour) == (95, 1200)
    assert (truck.fixed_cost_kes, truck.max_shift_hours) == (12000, 9)
    assert (truck.capabilities, truck.notes) == ((), "Bought in Nyeri")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("plate,capacity\nKDA 123B,5\n", "row 1, column vehicle_type: the file has no"),
        ("plate,Reg No,type\nKDA 123B,,5t\n", "row 1, column Reg No: this column and 'plate'"),
    ],
)
def test_a_wrong_header_stops_the_import(
    database: Database, tmp_path: Path, text: str, problem: str
) -> None:
    preview = preview_vehicle_import(database.sessions, COMMAND_LINE, _write(tmp_path, text))
    assert str(preview.file_problems[0]).startswith(problem)
    assert preview.rows == ()
    with pytest.raises(ImportRefused, match="header is not usable"):
        commit_vehicle_import(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True)


def test_trip_length_is_read_under_its_usual_names_and_checked(
    database: Database, tmp_path: Path
) -> None:
    text = """Reg No,Type,Trip length (days)
KDA 123B,28t,3
KDB 418K,28t,
KDC 732F,5t,2.0
KDE 205T,28t,10
KDF 092A,28t,1.5
KDG 148E,28t,two
"""
    preview = preview_vehicle_import(database.sessions, COMMAND_LINE, _write(tmp_path, text))
    assert preview.ignored_columns == ()
    assert [str(p) for p in preview.problems] == [
        "row 5, column Trip length (days): Trip length (days) must be from 1 (back the same day) "
        "to 7 days (got 10).",
        "row 6, column Trip length (days): Trip length (days) must be a whole number of days "
        "(got 1.5).",
        "row 7, column Trip length (days): 'two' is not a number.",
    ]
    commit_vehicle_import(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True)
    days = {v.label: v.max_trip_days for v in fleet.board(database.sessions, COMMAND_LINE).vehicles}
    # A blank cell takes the catalogue's: semis make three-day trips.
    assert days == {"KDA 123B": 3, "KDB 418K": 3, "KDC 732F": 2}
    for header in ("trip_days", "max_trip_days", "Days"):
        path = _write(tmp_path, f"plate,type,{header}\nKDH 201A,3t,1\n", name="more.csv")
        preview = preview_vehicle_import(database.sessions, COMMAND_LINE, path)
        assert preview.is_clean
        assert preview.ignored_columns == ()
        assert preview.rows[0].value is not None
        assert preview.rows[0].value.data.max_trip_days == 1


def test_a_status_a_new_truck_cannot_have(database: Database, tmp_path: Path) -> None:
    path = _write(tmp_path, "plate,type,status\nKDA 123B,5t,on route\nKDB 418K,5t,workshop\n")
    preview = preview_vehicle_import(database.sessions, COMMAND_LINE, path)
    (problem,) = preview.problems
    assert (problem.row, problem.column) == (2, "status")
    assert preview.rows[1].value is not None
    assert preview.rows[1].value.status is VehicleStatus.MAINTENANCE


def test_xlsx_workbooks_are_read_with_their_types(database: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Registration plate", "Fleet number", "Type", "Available from", "Tonnes"])
    sheet.append(["KDA 123B", 7, "10 t", datetime(2026, 11, 26, 8, 0), 9.5])
    sheet.append([None, None, None, None, None])  # blank rows are skipped, numbering kept
    sheet.append(["KDB 418K", 8.0, "3t", date(2026, 11, 27), "three"])
    path = tmp_path / "fleet.xlsx"
    book.save(path)

    preview = preview_vehicle_import(database.sessions, COMMAND_LINE, path)
    assert [str(p) for p in preview.problems] == [
        "row 4, column Tonnes (E): 'three' is not a number."
    ]
    good = preview.rows[0].value
    assert good is not None
    assert good.data.vehicle_id == "7"
    assert good.data.available_from == datetime(2026, 11, 26, 8, tzinfo=NAIROBI)
    assert good.data.capacity_weight_tonnes == Decimal("9.5")
    result = commit_vehicle_import(database.sessions, COMMAND_LINE, preview, drop_bad_rows=True)
    assert (result.keys, result.dropped) == (("7",), 1)
    (truck,) = fleet.board(database.sessions, COMMAND_LINE).vehicles
    assert (truck.vehicle_type, truck.capacity_weight_tonnes) == ("Heavy truck 10 t", 9.5)


def test_unreadable_files_are_refused_clearly(database: Database, tmp_path: Path) -> None:
    for name, content, message in (
        ("old.xls", b"\xd0\xcf\x11\xe0 legacy", "old Excel .xls file"),
        ("broken.xlsx", b"PK\x03\x04 not really", "not a readable XLSX workbook"),
        ("missing.csv", None, "Cannot read"),
        ("empty.csv", b"\n\n", "is empty"),
    ):
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(UnreadableFile, match=message):
            preview_vehicle_import(database.sessions, COMMAND_LINE, path)


def test_only_managers_import(database: Database, tmp_path: Path) -> None:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    info = users.create_user(
        database.sessions,
        admin,
        username="otieno",
        email=None,
        role=Role.USER,
        password="Twiga-Truck-2026",
    )
    dispatcher = Actor(info.id, info.username, info.role)
    path = _write(tmp_path, f"{HEADER}\nKDA 123B,5t,,,\n")
    with pytest.raises(PermissionDenied):
        preview_vehicle_import(database.sessions, dispatcher, path)
    preview = preview_vehicle_import(database.sessions, admin, path)
    with pytest.raises(PermissionDenied):
        commit_vehicle_import(database.sessions, dispatcher, preview)
    assert _count(database) == 0


# -- the command line -----------------------------------------------------------------------


def _run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", url, "fleet", *args])


def test_cli_import_reports_problems_and_writes_all_or_nothing(
    migrated_url: str, tmp_path: Path
) -> None:
    path = str(_write(tmp_path, GOOD_AND_BAD))
    dry = _run(migrated_url, "import", path, "--dry-run")
    assert dry.exit_code == 1
    assert "trucks.csv: 4 rows, 2 good, 2 with problems." in dry.stdout
    assert "row 3, column registration_plate: 'KDA 12B' is not a Kenyan" in dry.stderr
    assert "row 4, column town: 'Nakuuru' is not a known town." in dry.stderr
    assert "Dry run: nothing was written." in dry.stdout
    assert "error: The file has problems" in dry.stderr

    refused = _run(migrated_url, "import", path)
    assert refused.exit_code == 1
    assert "nothing was imported" in refused.stderr
    assert "Or use --drop-bad-rows." in refused.stderr
    database = open_database(migrated_url)
    try:
        assert _count(database) == 0
        dropped = _run(migrated_url, "import", path, "--drop-bad-rows")
        assert dropped.exit_code == 0, dropped.output
        assert "Imported 2 trucks (TRK-0001 to TRK-0002), left out 2 bad rows." in dropped.stdout
        assert _count(database) == 2
    finally:
        database.dispose()

    again = _run(migrated_url, "import", path, "--drop-bad-rows")
    assert again.exit_code == 1  # every row is bad now: the good ones exist already
    assert "already in the fleet" in again.stderr
    assert "has no row to import" in again.stderr

    header_only = _write(tmp_path, "plate,capacity\nKDA 123B,5\n", name="short.csv")
    wrong = _run(migrated_url, "import", str(header_only))
    assert wrong.exit_code == 1
    assert "row 1, column vehicle_type: the file has no vehicle_type column" in wrong.stderr
    assert "--drop-bad-rows" not in wrong.stderr  # dropping rows would not help
    assert _run(migrated_url, "import", str(tmp_path / "nowhere.csv")).exit_code == 2


def test_cli_list_prints_the_fleet_as_a_table(migrated_url: str) -> None:
    database = open_database(migrated_url)
    try:
        for plate, kind, town in (("KDA 123B", "3t", "Nakuru"), ("KDB 418K", "reefer van", None)):
            fleet.add_vehicle(
                database.sessions, COMMAND_LINE, fleet.VehicleInput(plate, kind, town=town)
            )
        later = datetime.now(UTC) + timedelta(days=3)
        truck = fleet.board(database.sessions, COMMAND_LINE).vehicles[0]
        fleet.send_to_maintenance(database.sessions, COMMAND_LINE, truck.id, later)
    finally:
        database.dispose()
    listed = _run(migrated_url, "list")
    assert listed.exit_code == 0, listed.output
    header, *rows, summary = listed.stdout.splitlines()
    assert header.split()[:4] == ["Fleet", "no", "Plate", "Type"]
    assert len(rows) == 2
    assert "KDB 418K" in rows[0]
    assert "Refrigerated van 2 t" in rows[0]
    assert "Maintenance" in rows[1]
    assert summary == "2 truck(s): 1 available, 0 on route, 1 maintenance, 0 off duty."
    cold = _run(
        migrated_url, "list", "--capability", "refrigerated", "--town", "senga nairobi depot"
    )
    assert cold.stdout.splitlines()[-1].startswith("1 truck(s)")
    assert (
        _run(migrated_url, "list", "--plate", "kzz").stdout.splitlines()[-1].startswith("0 truck")
    )
