"""The built wheel carries resources and migrations and works without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(out.glob("senga_desktop-*.whl"))
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_the_wheel_ships_resources_and_migrations(unpacked_wheel: Path) -> None:
    package = unpacked_wheel / "senga_desktop"
    assert (package / "resources" / "towns.csv").is_file()
    assert (package / "resources" / "common-passwords.txt").is_file()
    assert (package / "migrations" / "env.py").is_file()
    assert list((package / "migrations" / "versions").glob("*_0001_*.py"))


def test_the_installed_package_migrates_a_database_on_its_own(
    unpacked_wheel: Path, tmp_path: Path
) -> None:
    script = (
        "import senga_desktop, senga_desktop.paths as p;"
        "here = str(senga_desktop.__path__[0]);"
        "assert str(p.migrations_dir()).startswith(here), p.migrations_dir();"
        "from senga_desktop.cli import main; main(['db', 'upgrade'])"
    )
    env = dict(os.environ, PYTHONPATH=str(unpacked_wheel))
    env["SENGA_DATABASE_URL"] = f"sqlite:///{tmp_path / 'wheel.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "is at the latest revision" in result.stdout
