"""Fixtures of the Planning screen's tests: QSettings kept apart, an admin, the demo depot."""

from __future__ import annotations

from typing import Any

import pytest

from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from tests.ui.support import isolate_qsettings, make_admin


@pytest.fixture(autouse=True)
def _settings(tmp_path: Any) -> None:
    isolate_qsettings(tmp_path / "settings")


@pytest.fixture
def admin(database: Database) -> Actor:
    return make_admin(database)


@pytest.fixture
def demo(database: Database, admin: Actor) -> Database:
    seed_demo(database.sessions)
    return database
