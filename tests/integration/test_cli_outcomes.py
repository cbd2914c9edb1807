"""``senga outcomes import`` and ``senga outcomes export`` against real SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from senga_desktop.cli import cli
from senga_desktop.db.engine import Database
from senga_desktop.domain import OrderStatus, RouteStatus
from tests.integration.test_outcome_import import (
    GOOD,
    R1,
    R2,
    R5,
    build_depot,
    outcome_count,
    statuses,
    write_csv,
)


def run(database: Database, *args: str | Path) -> Result:
    url = database.url.render_as_string(hide_password=False)
    return CliRunner().invoke(cli, ["--database-url", url, *map(str, args)])


@pytest.fixture
def depot(database: Database) -> None:
    build_depot(database)


@pytest.mark.usefixtures("depot")
def test_a_bad_file_is_refused_with_row_and_column(database: Database, tmp_path: Path) -> None:
    before = statuses(database)
    cancelled = [R5, "10", "60", "100", "1", "0", "0", "", "", "", "", ""]
    bad = write_csv(tmp_path / "bad.csv", [GOOD[0], cancelled])
    result = run(database, "outcomes", "import", bad)
    assert result.exit_code == 1
    assert "bad.csv: 2 rows, 1 good, 1 with problems." in result.stdout
    assert (
        f"row 3, column route_id: Route {R5} was cancelled and never ran: remove the row."
        in result.stderr
    )
    assert "error: Nothing was imported. Fix the rows listed above and run again." in result.stderr
    assert outcome_count(database) == 1
    assert statuses(database) == before

    dry = run(database, "outcomes", "import", "--dry-run", bad)
    assert dry.exit_code == 1
    assert "Dry run: nothing was written." in dry.stdout
    assert "error: The file has problems (listed above)." in dry.stderr
    assert statuses(database) == before


@pytest.mark.usefixtures("depot")
def test_a_dry_run_then_the_import(database: Database, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", GOOD)
    before = statuses(database)
    dry = run(database, "outcomes", "import", "--dry-run", good)
    assert dry.exit_code == 0, dry.output
    assert "good.csv: 2 rows, 2 good, 0 with problems." in dry.stdout
    assert "Dry run: nothing was written." in dry.stdout
    assert statuses(database) == before

    imported = run(database, "outcomes", "import", "--failed-to", "cancelled", good)
    assert imported.exit_code == 0, imported.output
    assert "Imported 2 outcomes (OUT-" in imported.stdout
    after = statuses(database)
    assert (after["routes"][R1], after["routes"][R2]) == (RouteStatus.COMPLETED,) * 2
    assert after["orders"]["ORD-A2"] == (OrderStatus.CANCELLED, False)
    assert outcome_count(database) == 3

    again = run(database, "outcomes", "import", good)
    assert again.exit_code == 1
    assert f"row 2, column route_id: Route {R1} has its outcome recorded already" in again.stderr
    wrong = run(database, "outcomes", "import", "--failed-to", "delivered", good)
    assert wrong.exit_code == 2  # click's usage error
    assert "'delivered' is not one of 'pending', 'cancelled'" in wrong.stderr


@pytest.mark.usefixtures("depot")
def test_export_to_csv_and_xlsx(database: Database, tmp_path: Path) -> None:
    assert run(database, "outcomes", "import", write_csv(tmp_path / "in.csv", GOOD)).exit_code == 0
    exported = run(database, "outcomes", "export", tmp_path / "out.csv")
    assert exported.exit_code == 0, exported.output
    assert f"Exported 3 outcomes to {tmp_path / 'out.csv'}." in exported.stdout
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [line["route_id"] for line in lines][1:] == [R1, R2]
    # Recorded before 2026-11-21 (depot time): only the outcome the depot started with.
    older = run(database, "outcomes", "export", tmp_path / "old.xlsx", "--until", "20/11/2026")
    assert older.exit_code == 0, older.output
    assert "Exported 1 outcomes" in older.stdout
    workbook = openpyxl.load_workbook(tmp_path / "old.xlsx", read_only=True)
    try:
        values = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert values[0][:4] == ("route_id", "actual_distance_km", "actual_duration_minutes",
                             "actual_cost_kes")  # fmt: skip
    assert len(values) == 2
    bad_date = run(database, "outcomes", "export", tmp_path / "x.csv", "--since", "31/11/2026")
    assert bad_date.exit_code == 2
    assert "there is no day 31 in that month" in bad_date.stderr
    wrong = run(database, "outcomes", "export", tmp_path / "out.pdf")
    assert wrong.exit_code == 1
    assert "error: Export to a .csv or .xlsx file." in wrong.stderr
