"""Account management and the permission matrix, enforced in the controllers."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from senga_desktop.controllers import auth, settings, users
from senga_desktop.controllers.permissions import ROLE_PERMISSIONS, Actor, Permission
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role
from senga_desktop.errors import AlreadyExists, PermissionDenied, ValidationError

PASSWORD = "Twiga-Truck-2026"


@pytest.fixture
def admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")


def _new(database: Database, admin: Actor, name: str, role: Role) -> Actor:
    info = users.create_user(
        database.sessions, admin, username=name, email=None, role=role, password=PASSWORD
    )
    return Actor(info.id, info.username, info.role)


def test_the_matrix_grows_with_the_role() -> None:
    assert (
        ROLE_PERMISSIONS[Role.USER] < ROLE_PERMISSIONS[Role.MANAGER] < ROLE_PERMISSIONS[Role.ADMIN]
    )
    assert Permission.PLAN_COMMIT in ROLE_PERMISSIONS[Role.USER]
    assert Permission.FLEET_EDIT not in ROLE_PERMISSIONS[Role.USER]
    assert Permission.FLEET_EDIT in ROLE_PERMISSIONS[Role.MANAGER]
    assert Permission.USERS_MANAGE not in ROLE_PERMISSIONS[Role.MANAGER]


def test_an_admin_creates_a_dispatcher_who_then_signs_in(database: Database, admin: Actor) -> None:
    info = users.create_user(
        database.sessions,
        admin,
        username="Otieno",
        email="otieno@senga.co.ke",
        role=Role.USER,
        password=PASSWORD,
    )
    assert (info.username, info.role, info.must_change_password) == ("otieno", Role.USER, True)
    actor = auth.sign_in(database.sessions, "otieno", PASSWORD)
    assert actor.role is Role.USER
    with pytest.raises(AlreadyExists):
        users.create_user(
            database.sessions,
            admin,
            username="OTIENO",
            email=None,
            role=Role.USER,
            password=PASSWORD,
        )


@pytest.mark.parametrize("role", [Role.USER, Role.MANAGER])
def test_non_admins_are_refused_user_management(
    database: Database, admin: Actor, role: Role
) -> None:
    actor = _new(database, admin, "wanjiru", role)
    with pytest.raises(PermissionDenied, match="Ask an administrator"):
        users.list_users(database.sessions, actor)
    with pytest.raises(PermissionDenied):
        users.create_user(
            database.sessions,
            actor,
            username="sneaky",
            email=None,
            role=Role.ADMIN,
            password=PASSWORD,
        )
    with pytest.raises(PermissionDenied):
        users.update_user(
            database.sessions, actor, actor.user_id, email=None, role=Role.ADMIN, is_active=True
        )
    with pytest.raises(PermissionDenied):
        users.unlock(database.sessions, actor, admin.user_id)
    general = settings.load_general(database.sessions)
    with pytest.raises(PermissionDenied):
        settings.save_general(database.sessions, actor, general)
    assert [u.username for u in users.list_users(database.sessions, admin)] == ["amina", "wanjiru"]


def test_a_forged_actor_gets_the_role_stored_in_the_database(
    database: Database, admin: Actor
) -> None:
    dispatcher = _new(database, admin, "kamau", Role.USER)
    forged = dataclasses.replace(dispatcher, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        users.list_users(database.sessions, forged)


def test_demotion_and_deactivation_take_effect_at_once(database: Database, admin: Actor) -> None:
    second = _new(database, admin, "baraka", Role.ADMIN)
    assert len(users.list_users(database.sessions, second)) == 2
    users.update_user(
        database.sessions, admin, second.user_id, email=None, role=Role.MANAGER, is_active=True
    )
    with pytest.raises(PermissionDenied):
        users.list_users(database.sessions, second)
    users.update_user(
        database.sessions, admin, second.user_id, email=None, role=Role.ADMIN, is_active=False
    )
    with pytest.raises(PermissionDenied, match="no longer active"):
        users.list_users(database.sessions, second)


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(
    database: Database, admin: Actor
) -> None:
    for role, active in ((Role.MANAGER, True), (Role.ADMIN, False)):
        with pytest.raises(PermissionDenied, match="last active administrator"):
            users.update_user(
                database.sessions, admin, admin.user_id, email=None, role=role, is_active=active
            )
    second = _new(database, admin, "baraka", Role.ADMIN)
    users.update_user(
        database.sessions, second, admin.user_id, email=None, role=Role.MANAGER, is_active=True
    )
    with pytest.raises(PermissionDenied, match="last active administrator"):
        users.update_user(
            database.sessions, second, second.user_id, email=None, role=Role.USER, is_active=True
        )


def test_editing_email_role_and_activity_is_audited(database: Database, admin: Actor) -> None:
    actor = _new(database, admin, "chebet", Role.USER)
    users.update_user(
        database.sessions,
        admin,
        actor.user_id,
        email="chebet@senga.co.ke",
        role=Role.MANAGER,
        is_active=True,
    )
    with pytest.raises(ValidationError, match="not an e-mail address") as raised:
        users.update_user(
            database.sessions,
            admin,
            actor.user_id,
            email="chebet at senga",
            role=Role.MANAGER,
            is_active=True,
        )
    assert raised.value.field == "email"
    with unit_of_work(database.sessions) as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "user.updated")).one()
    assert entry.username == "amina"
    assert entry.entity_id == "chebet"
    assert entry.details["role"] == ["user", "manager"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"depot_name": "  "}, "depot_name"),
        ({"depot_town": "Atlantis"}, "depot_town"),
        ({"depot_latitude": 1.3090, "depot_longitude": -36.848}, "depot_latitude"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"idle_lock_minutes": -1}, "idle_lock_minutes"),
        ({"lockout_threshold": 0}, "lockout_threshold"),
    ],
)
def test_general_settings_are_validated_per_field(
    database: Database, admin: Actor, change: dict[str, object], field: str
) -> None:
    current = settings.load_general(database.sessions)
    with pytest.raises(ValidationError) as raised:
        settings.save_general(database.sessions, admin, dataclasses.replace(current, **change))
    assert raised.value.field == field
    assert settings.load_general(database.sessions) == current


def test_general_settings_are_saved_for_every_desktop(database: Database, admin: Actor) -> None:
    wanted = dataclasses.replace(
        settings.load_general(database.sessions),
        depot_name="Senga Mombasa Depot",
        depot_town="msa",
        depot_latitude=-4.05,
        depot_longitude=39.66,
        idle_lock_minutes=5,
    )
    saved = settings.save_general(database.sessions, admin, wanted)
    assert saved.depot_town == "Mombasa"
    assert settings.load_general(database.sessions) == saved
