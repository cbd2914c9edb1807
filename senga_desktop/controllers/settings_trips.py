"""Trips a day per truck type: whether a van or light truck may come back, reload and go out again.

One settings row (``app_settings`` key ``trips_per_day``) maps catalogue type keys
(:mod:`~senga_desktop.controllers.vehicle_types`) to the number of trips a truck of that type may
make within its shift, 1 to :data:`~senga_desktop.domain.MAX_TRIPS`. A type missing from the row,
or a truck whose type is not in the catalogue, makes one trip: multi-trip days are off until a
manager or administrator turns them on. Reading is open to every signed-in user (the planning
state reads it); changing it needs ``fleet.edit`` and is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.vehicle_types import VehicleTypeCatalogue, load_vehicle_types
from senga_desktop.db.models import AppSetting
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import MAX_TRIPS
from senga_desktop.errors import ValidationError

__all__ = [
    "TRIPS_KEY",
    "TripSettings",
    "TypeTrips",
    "load_trips",
    "read_trips",
    "save_trips",
    "trip_rows",
    "validate_trips",
    "write_trips",
]

TRIPS_KEY = "trips_per_day"


@dataclass(frozen=True)
class TripSettings:
    """Trips a day by catalogue type key; a type not named makes one."""

    by_type: Mapping[str, int] = field(default_factory=dict)

    def for_type(self, name: str, catalogue: VehicleTypeCatalogue | None = None) -> int:
        """The trips a truck of type ``name`` (key, label or alias) may make in a day."""
        kind = (catalogue or load_vehicle_types()).get(name)
        return 1 if kind is None else self.by_type.get(kind.key, 1)


@dataclass(frozen=True, slots=True)
class TypeTrips:
    """One line of the settings editor: a catalogue type and its trips a day."""

    key: str
    label: str
    max_trips: int


def trip_rows(settings: TripSettings) -> tuple[TypeTrips, ...]:
    """Every catalogue type with its trips a day, in catalogue order."""
    return tuple(
        TypeTrips(kind.key, kind.label, settings.by_type.get(kind.key, 1))
        for kind in load_vehicle_types()
    )


def _from_stored(value: Any) -> TripSettings:
    """The stored row, keeping only known types with a whole number in range (a row written by
    a newer version, or edited by hand, cannot break planning)."""
    known = {kind.key for kind in load_vehicle_types()}
    trips = {
        key: count
        for key, count in (value if isinstance(value, Mapping) else {}).items()
        if key in known and isinstance(count, int) and 1 < count <= MAX_TRIPS
    }
    return TripSettings(trips)


def read_trips(session: Session) -> TripSettings:
    """The settings inside an open unit of work (for the planning state)."""
    row = session.get(AppSetting, TRIPS_KEY)
    return _from_stored(row.value if row else None)


def load_trips(sessions: sessionmaker[Session]) -> TripSettings:
    with unit_of_work(sessions) as session:
        return read_trips(session)


def validate_trips(trips: Mapping[str, int]) -> TripSettings:
    """The settings for ``trips`` (type key, label or alias → trips a day); ValidationError
    naming the first field at fault (``max_trips.<type key>``)."""
    return TripSettings({k: v for k, v in _clean(trips).items() if v > 1})


def _clean(trips: Mapping[str, int]) -> dict[str, int]:
    """``trips`` by catalogue key, 1s included (they turn a type off)."""
    catalogue = load_vehicle_types()
    clean: dict[str, int] = {}
    for key, count in trips.items():
        kind = catalogue.get(key)
        if kind is None:
            raise ValidationError(f"max_trips.{key}", f"{key!r} is not a truck type.")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_TRIPS:
            raise ValidationError(
                f"max_trips.{kind.key}",
                f"{kind.label}: trips a day must be a whole number from 1 (no reloading) "
                f"to {MAX_TRIPS}.",
            )
        if count > 1 and kind.max_trip_days > 1:
            raise ValidationError(
                f"max_trips.{kind.key}",
                f"{kind.label} makes trips of several days; reloading is for trucks back at the "
                "depot within their shift. Leave it at 1.",
            )
        clean[kind.key] = count
    return clean


def write_trips(session: Session, settings: TripSettings, *, user_id: int | None) -> None:
    """Store ``settings`` inside the caller's unit of work (no permission check: the caller's)."""
    value = dict(settings.by_type)
    row = session.get(AppSetting, TRIPS_KEY)
    if row is None:
        session.add(AppSetting(key=TRIPS_KEY, value=value, updated_by=user_id))
    else:
        row.value = value
        row.updated_by = user_id


def save_trips(
    sessions: sessionmaker[Session], actor: Actor, trips: Mapping[str, int]
) -> TripSettings:
    """Change the trips a day of the types in ``trips`` (a manager or administrator; types not
    named keep theirs); audited with every type whose number changed, as ``[before, after]``."""
    clean = _clean(trips)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.FLEET_EDIT)
        before = read_trips(session)
        merged = TripSettings(
            {k: v for k, v in sorted({**before.by_type, **clean}.items()) if v > 1}
        )
        write_trips(session, merged, user_id=actor.user_id)
        keys = sorted(set(before.by_type) | set(merged.by_type))
        changes = {
            k: [before.by_type.get(k, 1), merged.by_type.get(k, 1)]
            for k in keys
            if before.by_type.get(k, 1) != merged.by_type.get(k, 1)
        }
        audit.record(
            session,
            "settings.changed",
            entity_type="settings",
            entity_id=TRIPS_KEY,
            user_id=actor.user_id,
            username=actor.username,
            details=changes,
        )
    return merged
