"""``senga manifest`` on a real database: the PDF it writes, what it prints, what it refuses,
and that it runs without a display (a real process, no QT_QPA_PLATFORM, no DISPLAY)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PySide6.QtWidgets import QApplication

from senga_desktop.cli import cli
from senga_desktop.controllers import planning
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.manifests import manifest_for_id
from senga_desktop.controllers.permissions import COMMAND_LINE
from senga_desktop.db.engine import Database
from senga_desktop.domain import PolicyName
from tests.pdf_support import assert_sheets_in_order, flat, pdf_pages

SENGA = Path(sys.executable).with_name("senga")
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(policy=PolicyName.CFA, seed=5, time_limit=None, max_iterations=100)


@pytest.fixture(autouse=True)
def _gui(qapp: QApplication) -> None:
    """In this process the command finds pytest-qt's application (a QApplication, which other
    tests need) instead of making a QGuiApplication of its own."""


@pytest.fixture
def committed(database: Database) -> str:
    seed_demo(database.sessions, now=NOW)
    summary = planning.plan(database.sessions, COMMAND_LINE, QUICK, now=NOW)
    planning.commit_decision(database.sessions, COMMAND_LINE, summary.decision_id)
    return summary.decision_id


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", url, "manifest", *args])


def test_a_plan_is_written_to_one_pdf(
    database: Database, migrated_url: str, committed: str, tmp_path: Path
) -> None:
    target = tmp_path / "plan.pdf"
    result = run(migrated_url, committed, "--output", str(target))
    assert result.exit_code == 0, result.output
    manifest = manifest_for_id(database.sessions, COMMAND_LINE, committed)
    pages = pdf_pages(target)
    routes = len(manifest.sheets)
    assert result.output == (
        f"Wrote {target}: {len(pages)} page{'s' if len(pages) > 1 else ''}, "
        f"{routes} route{'s' if routes > 1 else ''} (Decision {committed}).\n"
    )
    assert len(pages) >= routes
    assert_sheets_in_order(flat(" ".join(pages)), manifest.sheets)


def test_one_route_and_the_refusals(
    database: Database, migrated_url: str, committed: str, tmp_path: Path
) -> None:
    route_id = f"{committed}-R01"
    target = tmp_path / "route.pdf"
    result = run(migrated_url, route_id, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"1 route (Route {route_id}).\n")
    (sheet,) = manifest_for_id(database.sessions, COMMAND_LINE, route_id).sheets
    assert_sheets_in_order(flat(" ".join(pdf_pages(target))), [sheet])

    unknown = run(migrated_url, "DEC-NOPE", "-o", str(tmp_path / "x.pdf"))
    assert unknown.exit_code == 1
    assert "error: There is no route or decision 'DEC-NOPE'" in unknown.output
    missing = run(migrated_url, route_id, "-o", str(tmp_path / "no" / "such" / "x.pdf"))
    assert missing.exit_code == 1
    assert f"error: Cannot write {tmp_path / 'no' / 'such' / 'x.pdf'}: the folder" in missing.output
    folder = run(migrated_url, route_id, "-o", str(tmp_path))
    assert folder.exit_code == 1
    assert "it is a folder" in folder.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == ["route.pdf"]
    no_output = CliRunner().invoke(cli, ["--database-url", migrated_url, "manifest", route_id])
    assert no_output.exit_code == 2
    assert "Missing option '-o' / '--output'" in no_output.output


def test_it_runs_without_a_display(migrated_url: str, committed: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}  # fmt: skip
    target = tmp_path / "headless.pdf"
    done = subprocess.run(
        [SENGA, "--database-url", migrated_url, "manifest", f"{committed}-R01", "-o", str(target)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Wrote {target}: ")
    assert target.read_bytes().startswith(b"%PDF")
