"""``senga solve``: a benchmark instance through the engine, printed as JSON, no database."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from senga_desktop.cli import cli

C101 = Path("/work/shared/benchmarks/solomon/C101.txt")


@pytest.fixture
def small_instance(tmp_path: Path) -> Path:
    """The first 25 customers of C101 (the depot first), as a Solomon file."""
    lines = C101.read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("CUST NO"))
    rows = [line for line in lines[header + 1 :] if line.strip()][:26]
    path = tmp_path / "C101-25.txt"
    path.write_text("\n".join([*lines[: header + 1], "", *rows]) + "\n")
    return path


@pytest.mark.skipif(not C101.exists(), reason="shared benchmark data not present")
def test_solve_prints_routes_as_json_without_a_database(
    small_instance: Path, isolated_home: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["solve", str(small_instance), "--max-iterations", "500", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"instance", "routes", "vehicles", "distance", "feasible", "runtime_s"}
    assert out["instance"] == "C101"
    assert out["feasible"] is True
    assert out["vehicles"] == len(out["routes"])
    assert sorted(c for route in out["routes"] for c in route) == list(range(1, 26))
    assert 150 < out["distance"] < 250  # DIMACS units, one decimal
    assert not list(isolated_home.rglob("*.sqlite3"))  # no database was created


@pytest.mark.skipif(not C101.exists(), reason="shared benchmark data not present")
def test_solve_with_seeds_in_rounds(small_instance: Path) -> None:
    args = ["--seeds", "2", "--rounds", "2", "--max-iterations", "200", "--json"]
    result = CliRunner().invoke(cli, ["solve", str(small_instance), *args])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["feasible"] is True
    assert sorted(c for route in out["routes"] for c in route) == list(range(1, 26))


@pytest.mark.skipif(not C101.exists(), reason="shared benchmark data not present")
def test_solve_uses_one_seed_per_core_by_default(small_instance: Path) -> None:
    from senga_desktop.cli.solve_command import MAX_AUTO_SEEDS

    cores = min(os.cpu_count() or 1, MAX_AUTO_SEEDS)
    runs = []
    for seeds in ([], ["--seeds", str(cores)]):
        args = ["solve", str(small_instance), "--max-iterations", "300", *seeds, "--json"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        runs.append(json.loads(result.output)["routes"])
    assert runs[0] == runs[1]


@pytest.mark.skipif(not C101.exists(), reason="shared benchmark data not present")
def test_solve_reaches_the_best_known_c101_quickly() -> None:
    args = ["--seeds", "1", "--time-limit", "1.5", "--json"]
    result = CliRunner().invoke(cli, ["solve", str(C101), *args])
    out = json.loads(result.output)
    assert out["feasible"]
    assert out["distance"] == pytest.approx(827.3, abs=2.0)


def test_solve_reports_unreadable_instances(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("not an instance\n")
    result = CliRunner().invoke(cli, ["solve", str(junk)])
    assert result.exit_code == 2
    assert "not a Solomon instance" in result.output


def test_solve_prints_a_readable_summary(small_instance: Path) -> None:
    result = CliRunner().invoke(cli, ["solve", str(small_instance), "--max-iterations", "200"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Instance C101:")
    assert "Route #1:" in result.output
