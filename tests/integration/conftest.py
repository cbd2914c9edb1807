"""Fixtures shared by the controller tests: the depot's people, one per role."""

from __future__ import annotations

import pytest

from senga_desktop.controllers import auth, users
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.domain import Role


@pytest.fixture
def people(database: Database) -> dict[str, Actor]:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    actors = {"admin": Actor(admin.user_id, admin.username, admin.role)}
    for name, role in (("otieno", Role.USER), ("wanjiku", Role.MANAGER)):
        info = users.create_user(database.sessions, admin, username=name, email=None,
                                 role=role, password="Matatu-Route-46")  # fmt: skip
        actors[name] = Actor(info.id, info.username, info.role)
    return actors
