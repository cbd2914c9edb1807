"""Depot-wide settings: the depot, its time zone, idle lock and sign-in protection.

Stored in the database so every desktop on it agrees; read by anyone, changed by administrators.
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.db.models import AppSetting
from senga_desktop.db.uow import unit_of_work
from senga_desktop.errors import ValidationError
from senga_desktop.gazetteer import in_kenya, load_gazetteer

GENERAL_KEY = "general"


@dataclass(frozen=True, slots=True)
class GeneralSettings:
    """What the General settings page edits. Zero idle minutes means the window never locks."""

    depot_name: str = "Senga Nairobi Depot"
    depot_town: str = "Nairobi"
    depot_latitude: float = -1.3090
    depot_longitude: float = 36.8480
    time_zone: str = "Africa/Nairobi"
    idle_lock_minutes: int = 15
    lockout_threshold: int = 5
    lockout_minutes: int = 15


@cache
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _from_stored(value: Any) -> GeneralSettings:
    names = {field.name for field in dataclasses.fields(GeneralSettings)}
    known = {key: val for key, val in (value or {}).items() if key in names}
    return dataclasses.replace(GeneralSettings(), **known)


def read_general(session: Session) -> GeneralSettings:
    """The settings inside an open unit of work (for other controllers)."""
    row = session.get(AppSetting, GENERAL_KEY)
    return _from_stored(row.value if row else None)


def load_general(sessions: sessionmaker[Session]) -> GeneralSettings:
    with unit_of_work(sessions) as session:
        return read_general(session)


def validate_general(settings: GeneralSettings) -> GeneralSettings:
    """The settings with text trimmed; ValidationError naming the first field at fault."""
    name = settings.depot_name.strip()
    if not name:
        raise ValidationError("depot_name", "Give the depot a name.")
    if len(name) > 120:
        raise ValidationError("depot_name", "Keep the depot name under 120 characters.")
    town = load_gazetteer().get(settings.depot_town)
    if town is None:
        hints = load_gazetteer().suggest(settings.depot_town)
        hint = f" Did you mean {', '.join(hints)}?" if hints else ""
        raise ValidationError("depot_town", f"{settings.depot_town!r} is not a known town.{hint}")
    if not in_kenya(settings.depot_latitude, settings.depot_longitude):
        raise ValidationError(
            "depot_latitude", "The depot's coordinates lie outside Kenya: check their signs."
        )
    if settings.time_zone not in time_zones():
        raise ValidationError(
            "time_zone", f"{settings.time_zone!r} is not a time zone (e.g. Africa/Nairobi)."
        )
    for field, low, high, what in (
        ("idle_lock_minutes", 0, 480, "Idle lock minutes"),
        ("lockout_threshold", 1, 20, "Failed sign-ins before locking"),
        ("lockout_minutes", 1, 1440, "Lock duration"),
    ):
        value = getattr(settings, field)
        if not low <= value <= high:
            raise ValidationError(field, f"{what} must be between {low} and {high}.")
    return dataclasses.replace(settings, depot_name=name, depot_town=town.name)


def save_general(
    sessions: sessionmaker[Session], actor: Actor, settings: GeneralSettings
) -> GeneralSettings:
    clean = validate_general(settings)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.SETTINGS_MANAGE)
        before = read_general(session)
        row = session.scalars(select(AppSetting).where(AppSetting.key == GENERAL_KEY)).first()
        value = dataclasses.asdict(clean)
        if row is None:
            session.add(AppSetting(key=GENERAL_KEY, value=value, updated_by=actor.user_id))
        else:
            row.value = value
            row.updated_by = actor.user_id
        changes = {
            key: [getattr(before, key), new]
            for key, new in value.items()
            if getattr(before, key) != new
        }
        audit.record(
            session,
            "settings.changed",
            entity_type="settings",
            entity_id=GENERAL_KEY,
            user_id=actor.user_id,
            username=actor.username,
            details=changes,
        )
    return clean
