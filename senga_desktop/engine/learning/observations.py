"""What the learning engine is told about a finished route, and what it answers.

An outcome reaches the engine as a :class:`RouteObservation`: the legs the truck drove (town pair
and great-circle km, with the driving minutes where the times at both ends were recorded), the
stops it made (with the time spent at each where recorded) and the route's totals. Everything is
a plain frozen dataclass, so a controller builds one from database rows and a simulator builds one
from its own hidden truth, and both run the same estimator.

Structural mistakes (an empty town name, a negative great-circle distance) are programming errors
of the caller and raise :class:`~senga_desktop.errors.ValidationError`; *implausible measurements*
(a distance of 0 km, a typo of ten times the real distance) are not errors here: the estimator
flags them in its :class:`UpdateResult` and learns nothing from them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from senga_desktop.errors import ValidationError

__all__ = [
    "CORRIDOR_SEPARATOR",
    "Estimate",
    "Leg",
    "Prediction",
    "Prior",
    "RouteObservation",
    "UpdateResult",
    "Visit",
    "corridor_key",
]

CORRIDOR_SEPARATOR = "|"


def corridor_key(town_a: str, town_b: str) -> str:
    """The key of the corridor between two towns: both names sorted, ``'Nairobi|Nakuru'``."""
    a, b = sorted((town_a, town_b))
    return f"{a}{CORRIDOR_SEPARATOR}{b}"


def _town(value: str, where: str) -> None:
    if not isinstance(value, str) or not value.strip() or CORRIDOR_SEPARATOR in value:
        raise ValidationError(
            where, f"{where} must be a town name without {CORRIDOR_SEPARATOR!r}, got {value!r}"
        )


def _optional_number(value: float | None, where: str) -> None:
    # NaN and infinity are not measurements; 0 or negative ones are, and get flagged later.
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(where, f"{where} must be a finite number or None, got {value!r}")


def _positive(value: float, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(where, f"{where} must be a finite number, got {value!r}")
    if value <= 0:
        raise ValidationError(where, f"{where} must be positive, got {value!r}")
    return float(value)


@dataclass(frozen=True, slots=True)
class Leg:
    """One drive between two points of a route: the towns (for the corridor), the great-circle
    km between the two points, and the measured driving minutes when the times at both ends were
    recorded (``None``: not measured)."""

    town_a: str
    town_b: str
    great_circle_km: float
    minutes: float | None = None

    def __post_init__(self) -> None:
        _town(self.town_a, "leg.town_a")
        _town(self.town_b, "leg.town_b")
        km = self.great_circle_km
        if isinstance(km, bool) or not isinstance(km, int | float) or not math.isfinite(km):
            raise ValidationError("leg.great_circle_km", f"bad great-circle distance {km!r}")
        if km < 0:
            raise ValidationError("leg.great_circle_km", f"negative great-circle distance {km!r}")
        _optional_number(self.minutes, "leg.minutes")

    @property
    def corridor(self) -> str:
        """The corridor this leg drives, in :func:`corridor_key` form."""
        return corridor_key(self.town_a, self.town_b)


@dataclass(frozen=True, slots=True)
class Visit:
    """One stop of a route: the customer served and, when recorded, the minutes from arrival to
    departure (``None``: not measured)."""

    customer_id: str
    dwell_minutes: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.customer_id, str) or not self.customer_id.strip():
            raise ValidationError("visit.customer_id", f"bad customer id {self.customer_id!r}")
        _optional_number(self.dwell_minutes, "visit.dwell_minutes")


@dataclass(frozen=True, slots=True)
class RouteObservation:
    """What really happened on one route, as the estimator reads it.

    ``legs`` run depot -> stop 1 -> ... -> depot in order (a reload trip passes the depot town);
    ``visits`` hold one entry per stop, in order. ``duration_minutes`` runs from the route's
    start to its return as the plan counts it: loading at the depot included (``loadings``
    times the prior's loading minutes, which are not learned). ``km_cost_kes`` is the actual cost
    less the truck's hourly and fixed costs, and ``cost_per_km_kes`` the truck's own rate the plan
    assumed; both are needed to learn the truck type's cost factor.
    """

    key: str
    vehicle_type: str
    legs: tuple[Leg, ...]
    visits: tuple[Visit, ...]
    loadings: int = 1
    distance_km: float | None = None
    duration_minutes: float | None = None
    km_cost_kes: float | None = None
    cost_per_km_kes: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise ValidationError("observation.key", f"bad observation key {self.key!r}")
        if not isinstance(self.vehicle_type, str) or not self.vehicle_type.strip():
            raise ValidationError("observation.vehicle_type", "the truck type is missing")
        object.__setattr__(self, "legs", tuple(self.legs))
        object.__setattr__(self, "visits", tuple(self.visits))
        if not all(isinstance(leg, Leg) for leg in self.legs):
            raise ValidationError("observation.legs", "legs must be Leg objects")
        if not all(isinstance(visit, Visit) for visit in self.visits):
            raise ValidationError("observation.visits", "visits must be Visit objects")
        loadings = self.loadings
        if isinstance(loadings, bool) or not isinstance(loadings, int) or loadings < 0:
            raise ValidationError("observation.loadings", f"bad number of loadings {loadings!r}")
        for name in ("distance_km", "duration_minutes", "km_cost_kes", "cost_per_km_kes"):
            _optional_number(getattr(self, name), f"observation.{name}")

    @property
    def towns(self) -> tuple[str, ...]:
        """The towns the route passes, in order, a town repeated only when left and come back."""
        sequence: list[str] = []
        for town in (self.legs[0].town_a, *(leg.town_b for leg in self.legs)) if self.legs else ():
            if not sequence or sequence[-1] != town:
                sequence.append(town)
        return tuple(sequence)


@dataclass(frozen=True)
class Prior:
    """Today's defaults, the starting point of every estimate (the planning defaults).

    ``speeds_kmh`` gives the assumed speed per truck type; a type not in it starts from
    ``default_speed_kmh``. ``loading_minutes`` per loading at the depot is taken as known.
    """

    road_factor: float = 1.3
    speeds_kmh: Mapping[str, float] = field(default_factory=dict)
    default_speed_kmh: float = 50.0
    service_minutes: float = 20.0
    loading_minutes: float = 30.0

    def __post_init__(self) -> None:
        if _positive(self.road_factor, "prior.road_factor") < 1.0:
            raise ValidationError("prior.road_factor", "a road factor is at least 1.0")
        speeds: dict[str, float] = {}
        for kind in sorted(self.speeds_kmh):
            if not isinstance(kind, str) or not kind.strip():
                raise ValidationError("prior.speeds_kmh", f"bad truck type {kind!r}")
            speeds[kind] = _positive(self.speeds_kmh[kind], f"prior.speeds_kmh[{kind}]")
        object.__setattr__(self, "speeds_kmh", MappingProxyType(speeds))
        _positive(self.default_speed_kmh, "prior.default_speed_kmh")
        _positive(self.service_minutes, "prior.service_minutes")
        if not (isinstance(self.loading_minutes, int | float) and self.loading_minutes >= 0):
            raise ValidationError("prior.loading_minutes", "loading minutes must be >= 0")

    def __hash__(self) -> int:
        return hash(
            (
                self.road_factor,
                tuple(self.speeds_kmh.items()),
                self.default_speed_kmh,
                self.service_minutes,
                self.loading_minutes,
            )
        )

    def speed_kmh(self, vehicle_type: str) -> float:
        """The assumed speed of a truck type before any evidence."""
        return float(self.speeds_kmh.get(vehicle_type, self.default_speed_kmh))


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the belief expects of a route: road km, minutes from start to return (loading
    included) and the km-dependent cost (``None`` without the truck's rate)."""

    distance_km: float
    duration_minutes: float
    km_cost_kes: float | None


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """Whether an observation changed the belief, and sentences saying why an observation (or a
    part of it) was not used; ``used`` is ``False`` when nothing of it was."""

    used: bool
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Estimate:
    """One learned value for the manager's screen.

    ``kind`` is ``'corridor'`` (key ``'Nairobi|Nakuru'``, unit ``'x'`` road factor),
    ``'speed'`` (truck type, ``'km/h'``), ``'service'`` (key ``''``, the global minutes per
    stop), ``'customer_service'`` (customer id, ``'min'``) or ``'cost_per_km'`` (truck type,
    ``'x'`` multiplier of the truck's own rate). ``low`` and ``high`` bound the 90 % interval;
    ``observations`` counts the outcomes the value rests on.
    """

    kind: str
    key: str
    default: float
    value: float
    low: float
    high: float
    observations: int
    unit: str
