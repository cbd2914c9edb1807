"""Powell's state S_t: what the engine knows at a planning moment.

A :class:`PlanningState` holds the pending orders, the trucks that can take a route, the depot where
freight is loaded and the belief state (road factors, speeds, service and loading times). Every
class is a frozen dataclass, so a state can be shared between threads and stored as the decision's
``state_snapshot``: :meth:`PlanningState.to_json` and :meth:`PlanningState.from_json` round-trip
exactly (Decimals as strings, datetimes as ISO 8601 with offset, sets as sorted lists).

Times are aware datetimes normalised to UTC. Coordinates are WGS84 degrees, or, for benchmark
instances (``coordinates="plane"``), plane coordinates with ``lon`` as x and ``lat`` as y.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from senga_desktop.domain import MAX_TRIP_DAYS, MAX_TRIPS, Priority
from senga_desktop.errors import ValidationError

__all__ = [
    "SNAPSHOT_VERSION",
    "Belief",
    "Coordinates",
    "Depot",
    "OrderState",
    "PlanningState",
    "TruckState",
]

SNAPSHOT_VERSION = 1
Coordinates = Literal["wgs84", "plane"]


def _utc(value: datetime, where: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(where, f"{where} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _finite(value: float, where: str, *, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(where, f"{where} must be a finite number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValidationError(where, f"{where} must be at least {minimum}, got {value!r}")
    return float(value)


def _count(value: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(where, f"{where} must be a whole number >= 0, got {value!r}")
    return value


def _money(value: Decimal, where: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValidationError(where, f"{where} must be a finite Decimal >= 0 (KES), got {value!r}")
    return value


def _labels(values: frozenset[str], where: str) -> frozenset[str]:
    if isinstance(values, str) or not all(isinstance(v, str) and v for v in values):
        raise ValidationError(where, f"{where} must be a set of non-empty strings, got {values!r}")
    return frozenset(values)


def _name(value: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(where, f"{where} must be a non-empty string, got {value!r}")
    return value


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)  # normalising inside a frozen dataclass


@dataclass(frozen=True, slots=True)
class OrderState:
    """A pending order: where it goes, how much it weighs, when it may arrive and what it pays.

    ``window_end`` is the latest time service may *start* (the Solomon convention); ``None`` on
    either side of the window means unconstrained. ``service_minutes`` ``None`` takes the belief's
    per-stop default.
    """

    order_id: str
    town: str
    lat: float
    lon: float
    weight_kg: int
    volume_dm3: int
    window_start: datetime | None
    window_end: datetime | None
    service_minutes: float | None = None
    priority: Priority = Priority.NORMAL
    special_handling: frozenset[str] = frozenset()
    revenue_kes: Decimal = Decimal(0)
    created_at: datetime | None = None
    max_wait_hours: float | None = None

    def __post_init__(self) -> None:
        where = f"orders[{self.order_id!r}]"
        _name(self.order_id, f"{where}.order_id")
        _name(self.town, f"{where}.town")
        _finite(self.lat, f"{where}.lat")
        _finite(self.lon, f"{where}.lon")
        _count(self.weight_kg, f"{where}.weight_kg")
        _count(self.volume_dm3, f"{where}.volume_dm3")
        for name in ("window_start", "window_end", "created_at"):
            value = getattr(self, name)
            if value is not None:
                _set(self, name, _utc(value, f"{where}.{name}"))
        if self.window_start and self.window_end and self.window_end < self.window_start:
            raise ValidationError(f"{where}.window_end", f"{where} window ends before it starts")
        if self.service_minutes is not None:
            _finite(self.service_minutes, f"{where}.service_minutes", minimum=0)
        _set(self, "priority", Priority(self.priority))
        _set(self, "special_handling", _labels(self.special_handling, f"{where}.special_handling"))
        _money(self.revenue_kes, f"{where}.revenue_kes")
        if self.max_wait_hours is not None:
            _finite(self.max_wait_hours, f"{where}.max_wait_hours", minimum=0)


@dataclass(frozen=True, slots=True)
class TruckState:
    """A truck that can take a route: where and when it becomes free, what it carries and costs.

    ``shift_hours`` is the driver's working day (``None``: no cap). With ``trip_days`` 1 it caps
    the route's duration; a long-haul truck with ``trip_days`` N > 1 may take a route of up to N
    days, its driver resting overnight whenever a leg outlasts the working day (see
    :class:`~senga_desktop.engine.problem.Layout`). ``return_by`` is the latest time the truck may
    be back at the depot (``None``: no limit). ``max_trips`` > 1 lets the truck come back to the
    depot, reload and go out again within its shift, up to that many trips in one route.
    """

    vehicle_id: str
    vehicle_type: str
    town: str
    lat: float
    lon: float
    free_from: datetime
    capacity_kg: int
    capacity_dm3: int
    capabilities: frozenset[str] = frozenset()
    cost_per_km: Decimal = Decimal(0)
    cost_per_hour: Decimal = Decimal(0)
    fixed_cost: Decimal = Decimal(0)
    shift_hours: float | None = 10.0
    return_by: datetime | None = None
    trip_days: int = 1
    max_trips: int = 1

    def __post_init__(self) -> None:
        where = f"trucks[{self.vehicle_id!r}]"
        _name(self.vehicle_id, f"{where}.vehicle_id")
        _name(self.vehicle_type, f"{where}.vehicle_type")
        _name(self.town, f"{where}.town")
        _finite(self.lat, f"{where}.lat")
        _finite(self.lon, f"{where}.lon")
        _set(self, "free_from", _utc(self.free_from, f"{where}.free_from"))
        _count(self.capacity_kg, f"{where}.capacity_kg")
        _count(self.capacity_dm3, f"{where}.capacity_dm3")
        _set(self, "capabilities", _labels(self.capabilities, f"{where}.capabilities"))
        for name in ("cost_per_km", "cost_per_hour", "fixed_cost"):
            _money(getattr(self, name), f"{where}.{name}")
        if self.shift_hours is not None and _finite(self.shift_hours, f"{where}.shift_hours") <= 0:
            raise ValidationError(f"{where}.shift_hours", f"{where}.shift_hours must be positive")
        if not 1 <= _count(self.trip_days, f"{where}.trip_days") <= MAX_TRIP_DAYS:
            raise ValidationError(
                f"{where}.trip_days", f"{where}.trip_days must be from 1 to {MAX_TRIP_DAYS}"
            )
        if not 1 <= _count(self.max_trips, f"{where}.max_trips") <= MAX_TRIPS:
            raise ValidationError(
                f"{where}.max_trips", f"{where}.max_trips must be from 1 to {MAX_TRIPS}"
            )
        if self.return_by is not None:
            _set(self, "return_by", _utc(self.return_by, f"{where}.return_by"))
            if self.return_by < self.free_from:
                raise ValidationError(f"{where}.return_by", f"{where} must return after free_from")

    def can_carry(self, order: OrderState) -> bool:
        """Whether the truck has every capability the order's special handling needs."""
        return order.special_handling <= self.capabilities

    def route_cost(self, metres: int, seconds: int) -> Decimal:
        """KES for a route of this length and duration: fixed cost plus the exact rates."""
        return self.fixed_cost + self.variable_cost(metres, seconds)

    def variable_cost(self, metres: int, seconds: int) -> Decimal:
        """KES for driving ``metres`` and spending ``seconds`` (no fixed cost)."""
        return (
            self.cost_per_km * Decimal(metres) / 1000 + self.cost_per_hour * Decimal(seconds) / 3600
        )


@dataclass(frozen=True, slots=True)
class Depot:
    """The depot: where freight is loaded and where every route ends.

    ``time_zone`` (an IANA name) is only for the times written in explanations: dispatchers read
    them in the depot's local time.
    """

    name: str
    town: str
    lat: float
    lon: float
    time_zone: str = "UTC"

    def __post_init__(self) -> None:
        _name(self.name, "depot.name")
        _name(self.town, "depot.town")
        _finite(self.lat, "depot.lat")
        _finite(self.lon, "depot.lon")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError(
                "depot.time_zone", f"unknown time zone {self.time_zone!r}"
            ) from exc

    def local(self, moment: datetime) -> str:
        """``moment`` as a dispatcher reads it: weekday and time at the depot."""
        text = moment.astimezone(ZoneInfo(self.time_zone)).strftime("%a %H:%M")
        return f"{text} UTC" if self.time_zone == "UTC" else text


DEFAULT_SPEEDS_KMH: Mapping[str, float] = MappingProxyType(
    {"light": 60.0, "medium": 55.0, "heavy": 50.0, "semi": 45.0}
)


@dataclass(frozen=True)
class Belief:
    """What the engine believes about travel and handling; learned from outcomes later.

    ``corridor_factors`` overrides the road factor (road km per great-circle km) for a pair of
    towns, keyed by the pair in sorted order; ``speeds_kmh`` gives the average speed per truck type.
    ``arrival_rates`` is the expected stream of new orders, orders per hour by destination town
    (the DLA samples its futures from it; empty: the DLA estimates it from the pending orders).
    """

    road_factor: float = 1.3  # Kenyan roads run about 30 % longer than the straight line
    corridor_factors: Mapping[tuple[str, str], float] = field(default_factory=dict)
    default_speed_kmh: float = 50.0
    speeds_kmh: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SPEEDS_KMH))
    service_minutes_per_stop: float = 20.0
    loading_minutes: float = 30.0
    arrival_rates: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _finite(self.road_factor, "belief.road_factor", minimum=1.0)
        corridors: dict[tuple[str, str], float] = {}
        for pair, factor in self.corridor_factors.items():
            if len(pair) != 2 or not all(isinstance(t, str) and t for t in pair):
                raise ValidationError("belief.corridor_factors", f"bad corridor {pair!r}")
            a, b = sorted(pair)
            corridors[(a, b)] = _finite(factor, f"belief.corridor_factors[{a}|{b}]", minimum=1.0)
        object.__setattr__(
            self, "corridor_factors", MappingProxyType(dict(sorted(corridors.items())))
        )
        if _finite(self.default_speed_kmh, "belief.default_speed_kmh") <= 0:
            raise ValidationError("belief.default_speed_kmh", "speeds must be positive")
        speeds = {}
        for kind, speed in sorted(self.speeds_kmh.items()):
            if _finite(speed, f"belief.speeds_kmh[{kind}]") <= 0:
                raise ValidationError(f"belief.speeds_kmh[{kind}]", "speeds must be positive")
            speeds[_name(kind, "belief.speeds_kmh")] = float(speed)
        object.__setattr__(self, "speeds_kmh", MappingProxyType(speeds))
        _finite(self.service_minutes_per_stop, "belief.service_minutes_per_stop", minimum=0)
        _finite(self.loading_minutes, "belief.loading_minutes", minimum=0)
        rates = {}
        for town, rate in sorted(self.arrival_rates.items()):
            where = f"belief.arrival_rates[{town}]"
            rates[_name(town, "belief.arrival_rates")] = _finite(rate, where, minimum=0)
        object.__setattr__(self, "arrival_rates", MappingProxyType(rates))

    def __hash__(self) -> int:
        return hash(
            (
                self.road_factor,
                tuple(self.corridor_factors.items()),
                self.default_speed_kmh,
                tuple(self.speeds_kmh.items()),
                self.service_minutes_per_stop,
                self.loading_minutes,
                tuple(self.arrival_rates.items()),
            )
        )

    def factor(self, town_a: str, town_b: str) -> float:
        """The road factor between two towns: the corridor's own, else the default."""
        a, b = sorted((town_a, town_b))
        return self.corridor_factors.get((a, b), self.road_factor)

    def speed_kmh(self, vehicle_type: str) -> float:
        """The average speed of a truck type, else the default speed."""
        return self.speeds_kmh.get(vehicle_type, self.default_speed_kmh)


@dataclass(frozen=True)
class PlanningState:
    """S_t: the moment, the depot, the pending orders, the trucks and the belief state."""

    now: datetime
    depot: Depot
    orders: tuple[OrderState, ...]
    trucks: tuple[TruckState, ...]
    belief: Belief = field(default_factory=Belief)
    coordinates: Coordinates = "wgs84"

    def __post_init__(self) -> None:
        object.__setattr__(self, "now", _utc(self.now, "now"))
        object.__setattr__(self, "orders", tuple(self.orders))
        object.__setattr__(self, "trucks", tuple(self.trucks))
        if self.coordinates not in ("wgs84", "plane"):
            raise ValidationError("coordinates", f"unknown coordinates {self.coordinates!r}")
        for kind, items, key in (
            ("order", self.orders, "order_id"),
            ("truck", self.trucks, "vehicle_id"),
        ):
            seen: set[str] = set()
            for item in items:
                ident = getattr(item, key)
                if ident in seen:
                    raise ValidationError(f"{kind}s", f"{kind} {ident!r} appears twice")
                seen.add(ident)
        if self.coordinates == "wgs84":
            places: list[tuple[str, float, float]] = [("depot", self.depot.lat, self.depot.lon)]
            places += [(f"orders[{o.order_id!r}]", o.lat, o.lon) for o in self.orders]
            places += [(f"trucks[{t.vehicle_id!r}]", t.lat, t.lon) for t in self.trucks]
            for where, lat, lon in places:
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValidationError(where, f"{where} is not a WGS84 point: ({lat}, {lon})")

    def order(self, order_id: str) -> OrderState:
        """The order with this id; ``KeyError`` if there is none."""
        for order in self.orders:
            if order.order_id == order_id:
                return order
        raise KeyError(order_id)

    def truck(self, vehicle_id: str) -> TruckState:
        """The truck with this id; ``KeyError`` if there is none."""
        for truck in self.trucks:
            if truck.vehicle_id == vehicle_id:
                return truck
        raise KeyError(vehicle_id)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready document from which :meth:`from_json` rebuilds an equal state."""
        from senga_desktop.engine.snapshot import state_to_json

        return state_to_json(self)

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> PlanningState:
        """Rebuild a state from :meth:`to_json`'s document; ``ValidationError`` if malformed."""
        from senga_desktop.engine.snapshot import state_from_json

        try:
            return state_from_json(document)
        except ValidationError:
            raise
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError) as exc:
            raise ValidationError("state_snapshot", f"malformed state snapshot: {exc!r}") from exc
