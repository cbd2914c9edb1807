"""The fleet board: every truck grouped by status, filtered in SQL, with today's use.

Read-only and open to everyone with ``fleet.view``. One call runs a handful of statements however
big the fleet is (trucks, status counts, filter choices and one aggregate over today's routes), so
a board of 1,000 trucks builds in tens of milliseconds (``benchmarks/fleet_board.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.fleet_rules import capabilities_for
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.settings import read_general
from senga_desktop.controllers.vehicle_types import load_vehicle_types
from senga_desktop.db.models import Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import RouteStatus, SpecialHandling, VehicleStatus
from senga_desktop.errors import NotFound

__all__ = [
    "BOARD_STATUSES",
    "COMMITTED_ROUTE_STATUSES",
    "STATUS_LABELS",
    "Board",
    "BoardGroup",
    "BoardQuery",
    "VehicleInfo",
    "board",
    "get_vehicle",
]

#: Routes that hold a truck: committed by a dispatcher and not finished.
COMMITTED_ROUTE_STATUSES = (RouteStatus.PLANNED, RouteStatus.IN_PROGRESS)

#: The board's columns, in order; retired trucks only appear when asked for.
BOARD_STATUSES = (
    VehicleStatus.AVAILABLE,
    VehicleStatus.ON_ROUTE,
    VehicleStatus.MAINTENANCE,
    VehicleStatus.OFF_DUTY,
)
STATUS_LABELS = {
    VehicleStatus.AVAILABLE: "Available",
    VehicleStatus.ON_ROUTE: "On route",
    VehicleStatus.MAINTENANCE: "Maintenance",
    VehicleStatus.OFF_DUTY: "Off duty",
    VehicleStatus.RETIRED: "Retired",
}
_KNOWN_CAPABILITIES = {c.value for c in SpecialHandling}
_SEARCH_JUNK = re.compile(r"[^0-9A-Z]+")


@dataclass(frozen=True, slots=True)
class VehicleInfo:
    """One truck as a board card or table row shows it, with its use of the day.

    ``available_at`` ``None`` means free now for an available truck and "no return time known"
    for one in maintenance or off duty. ``version`` goes back with an edit (optimistic lock).
    ``routes_today``, ``km_today`` and ``hours_today`` sum the truck's committed routes (planned
    or in progress) that start today in the depot's time zone, have no start time yet, or are
    under way.
    """

    id: int
    vehicle_id: str
    registration_plate: str | None
    vehicle_type: str
    capacity_weight_tonnes: Decimal
    capacity_volume_m3: Decimal
    location_name: str
    latitude: float | None
    longitude: float | None
    status: VehicleStatus
    available_at: datetime | None
    fuel_cost_per_km: Decimal
    driver_cost_per_hour: Decimal
    fixed_cost_kes: Decimal
    max_shift_hours: Decimal
    max_trip_days: int
    capabilities: tuple[SpecialHandling, ...]
    notes: str | None
    version: int
    routes_today: int = 0
    km_today: Decimal = Decimal(0)
    hours_today: Decimal = Decimal(0)

    @property
    def label(self) -> str:
        """What people call the truck: its plate, else its fleet number."""
        return self.registration_plate or self.vehicle_id

    def free_at(self, now: datetime) -> datetime:
        """When the truck is next free, ``now`` at the earliest."""
        return max(self.available_at or now, now)


@dataclass(frozen=True, slots=True)
class BoardQuery:
    """Filters for the board; empty fields do not filter.

    ``town`` is a location name as listed in :attr:`Board.towns`; ``vehicle_type`` a label (or a
    catalogue alias such as "10t"); ``capability`` keeps the trucks that can carry goods needing
    that handling (``covered`` also shows refrigerated trucks; ``fragile`` shows every truck);
    ``plate_text`` matches part of the plate or fleet number, ignoring case and spaces.
    """

    town: str | None = None
    vehicle_type: str | None = None
    capability: SpecialHandling | None = None
    plate_text: str | None = None
    include_retired: bool = False


@dataclass(frozen=True, slots=True)
class BoardGroup:
    """One column of the board: the trucks with one status, in the order to show them."""

    status: VehicleStatus
    label: str
    vehicles: tuple[VehicleInfo, ...]

    @property
    def count(self) -> int:
        return len(self.vehicles)


@dataclass(frozen=True, slots=True)
class Board:
    """The board as built at ``generated_at``.

    ``counts`` are the trucks shown per status (after filtering); ``fleet_counts`` count the whole
    fleet per status so the screen can say "3 of 8 available". ``towns`` and ``types`` are the
    choices for the filter drop-downs.
    """

    groups: tuple[BoardGroup, ...]
    counts: Mapping[VehicleStatus, int]
    fleet_counts: Mapping[VehicleStatus, int]
    towns: tuple[str, ...]
    types: tuple[str, ...]
    generated_at: datetime
    query: BoardQuery = field(default_factory=BoardQuery)

    def group(self, status: VehicleStatus) -> BoardGroup:
        """The group of ``status``; ``KeyError`` if it is not on this board (retired)."""
        for group in self.groups:
            if group.status is status:
                return group
        raise KeyError(status)

    @property
    def vehicles(self) -> tuple[VehicleInfo, ...]:
        """Every truck shown, group after group."""
        return tuple(v for group in self.groups for v in group.vehicles)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _location_name() -> ColumnElement[str]:
    name: ColumnElement[str] = Vehicle.current_location["name"].as_string()
    return name


_COLUMNS: tuple[Any, ...] = (
    Vehicle.id,
    Vehicle.vehicle_id,
    Vehicle.registration_plate,
    Vehicle.vehicle_type,
    Vehicle.capacity_weight_tonnes,
    Vehicle.capacity_volume_m3,
    Vehicle.current_location,
    Vehicle.status,
    Vehicle.available_at,
    Vehicle.fuel_cost_per_km,
    Vehicle.driver_cost_per_hour,
    Vehicle.fixed_cost_kes,
    Vehicle.max_shift_hours,
    Vehicle.max_trip_days,
    Vehicle.capabilities,
    Vehicle.notes,
    Vehicle.version,
)


@dataclass(frozen=True, slots=True)
class _Use:
    routes: int
    km: Decimal
    hours: Decimal


def _info(row: Any, use: _Use | None) -> VehicleInfo:
    location = row.current_location or {}
    lat, lon = location.get("lat"), location.get("lon")
    return VehicleInfo(
        id=row.id,
        vehicle_id=row.vehicle_id,
        registration_plate=row.registration_plate,
        vehicle_type=row.vehicle_type,
        capacity_weight_tonnes=row.capacity_weight_tonnes,
        capacity_volume_m3=row.capacity_volume_m3,
        location_name=str(location.get("name") or ""),
        latitude=float(lat) if lat is not None else None,
        longitude=float(lon) if lon is not None else None,
        status=row.status,
        available_at=row.available_at,
        fuel_cost_per_km=row.fuel_cost_per_km,
        driver_cost_per_hour=row.driver_cost_per_hour,
        fixed_cost_kes=row.fixed_cost_kes,
        max_shift_hours=row.max_shift_hours,
        max_trip_days=row.max_trip_days,
        # Values written by hand or by a newer version are skipped rather than crash the board.
        capabilities=tuple(
            SpecialHandling(c) for c in row.capabilities or () if c in _KNOWN_CAPABILITIES
        ),
        notes=row.notes,
        version=row.version,
        routes_today=use.routes if use else 0,
        km_today=use.km if use else Decimal(0),
        hours_today=use.hours if use else Decimal(0),
    )


def _today(session: Session, now: datetime) -> tuple[datetime, datetime]:
    """Midnight to midnight of ``now``'s date in the depot's time zone, in UTC."""
    zone = ZoneInfo(read_general(session).time_zone)
    day = now.astimezone(zone).date()
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _use_today(
    session: Session, now: datetime, vehicle_ids: list[int] | None = None
) -> dict[int, _Use]:
    """Committed routes of the day per truck, in one aggregate statement."""
    start, end = _today(session, now)
    query = (
        select(
            Route.vehicle_id,
            func.count(),
            func.coalesce(func.sum(Route.total_distance_km), 0),
            func.coalesce(func.sum(Route.estimated_duration_minutes), 0),
        )
        .where(
            Route.status.in_(COMMITTED_ROUTE_STATUSES),
            or_(
                Route.status == RouteStatus.IN_PROGRESS,
                Route.planned_start.is_(None),
                and_(Route.planned_start >= start, Route.planned_start < end),
            ),
        )
        .group_by(Route.vehicle_id)
    )
    if vehicle_ids is not None:
        query = query.where(Route.vehicle_id.in_(vehicle_ids))
    return {
        vehicle: _Use(
            int(count),
            Decimal(km).quantize(Decimal("0.1")),
            (Decimal(int(minutes)) / 60).quantize(Decimal("0.1")),
        )
        for vehicle, count, km, minutes in session.execute(query)
    }


def _filters(query: BoardQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not query.include_retired:
        conditions.append(Vehicle.status != VehicleStatus.RETIRED)
    if query.town and query.town.strip():
        conditions.append(func.lower(_location_name()) == query.town.strip().lower())
    if query.vehicle_type and query.vehicle_type.strip():
        known = load_vehicle_types().get(query.vehicle_type)
        label = known.label if known else query.vehicle_type.strip()
        conditions.append(func.lower(Vehicle.vehicle_type) == label.lower())
    if query.capability:
        accepted = capabilities_for(query.capability).get(SpecialHandling(query.capability))
        if accepted:  # None: the handling needs nothing special, every truck qualifies
            # Matching the quoted value in the JSON text is portable (SQLite has no JSONB
            # containment) and exact, since capability values are fixed words without quotes.
            text = cast(Vehicle.capabilities, Text)
            conditions.append(or_(*(text.like(f'%"{c}"%') for c in sorted(accepted))))
    needle = _SEARCH_JUNK.sub("", (query.plate_text or "").upper())
    if needle:

        def compact(column: Any) -> ColumnElement[str]:
            return func.replace(func.replace(func.upper(column), " ", ""), "-", "")

        conditions.append(
            or_(
                compact(Vehicle.registration_plate).like(f"%{needle}%"),
                compact(Vehicle.vehicle_id).like(f"%{needle}%"),
            )
        )
    return conditions


def _sort_key(info: VehicleInfo, now: datetime) -> tuple[datetime, str]:
    # Available trucks soonest-free first; others by expected return, unknown returns last.
    if info.status is VehicleStatus.AVAILABLE:
        return info.free_at(now), info.label
    return info.available_at or datetime.max.replace(tzinfo=UTC), info.label


def board(
    sessions: sessionmaker[Session],
    actor: Actor,
    query: BoardQuery | None = None,
    *,
    now: datetime | None = None,
) -> Board:
    """Build the board for ``query`` (everything but retired trucks by default)."""
    query = query or BoardQuery()
    now = now or datetime.now(UTC)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.FLEET_VIEW)
        rows = session.execute(select(*_COLUMNS).where(*_filters(query))).all()
        use = _use_today(session, now)
        fleet_counts: dict[VehicleStatus, int] = dict.fromkeys(VehicleStatus, 0)
        for status, count in session.execute(
            select(Vehicle.status, func.count()).group_by(Vehicle.status)
        ):
            fleet_counts[status] = int(count)
        in_service = Vehicle.status != VehicleStatus.RETIRED
        # Sorted here: a handful of values, and PostgreSQL will not ORDER BY a JSON expression
        # under DISTINCT when each copy of it carries its own bound parameter.
        towns = sorted(
            filter(None, session.scalars(select(_location_name()).where(in_service).distinct()))
        )
        types = sorted(session.scalars(select(Vehicle.vehicle_type).where(in_service).distinct()))
    statuses = (*BOARD_STATUSES, VehicleStatus.RETIRED) if query.include_retired else BOARD_STATUSES
    grouped: dict[VehicleStatus, list[VehicleInfo]] = {status: [] for status in statuses}
    for row in rows:
        info = _info(row, use.get(row.id))
        grouped.setdefault(info.status, []).append(info)
    groups = tuple(
        BoardGroup(
            status, STATUS_LABELS[status], tuple(sorted(items, key=lambda i: _sort_key(i, now)))
        )
        for status, items in grouped.items()
    )
    return Board(
        groups=groups,
        counts={group.status: group.count for group in groups},
        fleet_counts=fleet_counts,
        towns=tuple(towns),
        types=tuple(types),
        generated_at=now,
        query=query,
    )


def get_vehicle(
    sessions: sessionmaker[Session], actor: Actor, vehicle: int, *, now: datetime | None = None
) -> VehicleInfo:
    """One truck by database id, e.g. to fill the edit form; NotFound if it is gone."""
    now = now or datetime.now(UTC)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.FLEET_VIEW)
        row = session.execute(select(*_COLUMNS).where(Vehicle.id == vehicle)).first()
        if row is None:
            raise NotFound("That truck no longer exists.")
        return _info(row, _use_today(session, now, [vehicle]).get(vehicle))


def info_in_session(session: Session, vehicle: int, now: datetime) -> VehicleInfo:
    """The truck's info inside a caller's unit of work (after its changes were flushed)."""
    row = session.execute(select(*_COLUMNS).where(Vehicle.id == vehicle)).one()
    return _info(row, _use_today(session, now, [vehicle]).get(vehicle))
