"""A synthetic depot for the learning tests: a hidden truth, and routes driven under it.

The truth holds a road factor per corridor, a speed per truck type, a service time per customer
and a cost factor per truck type; :meth:`World.route` draws a route of real gazetteer towns and
measures it under that truth with multiplicative (log-normal) noise, as a driver's records
would be. Deterministic for a given seed.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from senga_desktop.engine.learning import Leg, RouteObservation, Visit, corridor_key
from senga_desktop.gazetteer import haversine_km, load_gazetteer

DEPOT = "Nairobi"
TOWNS = ("Thika", "Machakos", "Nakuru", "Nyeri", "Naivasha", "Embu", "Kitengela", "Limuru")
CUSTOMERS = ("C-001", "C-002", "C-003", "C-004", "C-005", "C-006")
RATE_KES_PER_KM = 90.0
LOADING_MINUTES = 30.0


def great_circle_km(town_a: str, town_b: str) -> float:
    """Great-circle km between two gazetteer towns' centres."""
    gazetteer = load_gazetteer()
    a, b = gazetteer.get(town_a), gazetteer.get(town_b)
    assert a is not None, town_a
    assert b is not None, town_b
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


@dataclass(frozen=True)
class Truth:
    """The hidden travel model the belief should find."""

    corridors: Mapping[str, float] = field(default_factory=dict)
    road_factor: float = 1.3
    speeds: Mapping[str, float] = field(default_factory=dict)
    default_speed: float = 50.0
    service: Mapping[str, float] = field(default_factory=dict)
    default_service: float = 20.0
    cost_factors: Mapping[str, float] = field(default_factory=dict)

    def factor(self, town_a: str, town_b: str) -> float:
        return self.corridors.get(corridor_key(town_a, town_b), self.road_factor)

    def speed(self, vehicle_type: str) -> float:
        return self.speeds.get(vehicle_type, self.default_speed)

    def service_minutes(self, customer_id: str) -> float:
        return self.service.get(customer_id, self.default_service)

    def cost_factor(self, vehicle_type: str) -> float:
        return self.cost_factors.get(vehicle_type, 1.0)


@dataclass
class World:
    """Routes from the depot to ``towns``, driven under ``truth`` with ``noise`` (log std)."""

    truth: Truth
    seed: int = 1
    noise: float = 0.05
    towns: tuple[str, ...] = TOWNS
    customers: tuple[str, ...] = CUSTOMERS
    vehicle_types: tuple[str, ...] = ("medium",)
    measure_legs: bool = True
    measure_stops: bool = True
    measure_cost: bool = True
    count: int = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def _noisy(self, value: float) -> float:
        return value * math.exp(self.rng.gauss(0.0, self.noise))

    def route(
        self, stops: list[tuple[str, str]] | None = None, vehicle_type: str | None = None
    ) -> RouteObservation:
        """One route: ``stops`` as (town, customer) pairs, else 1-4 random ones."""
        rng, truth = self.rng, self.truth
        if stops is None:
            stops = [
                (rng.choice(self.towns), rng.choice(self.customers))
                for _ in range(rng.randint(1, 4))
            ]
        kind = vehicle_type or rng.choice(self.vehicle_types)
        path = [DEPOT, *(town for town, _ in stops), DEPOT]
        legs: list[Leg] = []
        distance = duration = 0.0
        for a, b in itertools.pairwise(path):
            km = great_circle_km(a, b)
            road = self._noisy(km * truth.factor(a, b)) if km > 0 else 0.0
            minutes = self._noisy(road / truth.speed(kind) * 60.0) if road > 0 else 0.0
            distance += road
            duration += minutes
            legs.append(Leg(a, b, km, minutes if self.measure_legs else None))
        visits: list[Visit] = []
        for _, customer in stops:
            dwell = self._noisy(truth.service_minutes(customer))
            duration += dwell
            visits.append(Visit(customer, dwell if self.measure_stops else None))
        duration += LOADING_MINUTES
        self.count += 1
        cost = self._noisy(RATE_KES_PER_KM * truth.cost_factor(kind) * distance)
        return RouteObservation(
            key=f"OUT-{self.count:05d}",
            vehicle_type=kind,
            legs=tuple(legs),
            visits=tuple(visits),
            loadings=1,
            distance_km=distance,
            duration_minutes=duration,
            km_cost_kes=cost if self.measure_cost else None,
            cost_per_km_kes=RATE_KES_PER_KM if self.measure_cost else None,
        )

    def routes(self, n: int) -> list[RouteObservation]:
        return [self.route() for _ in range(n)]


def totals_only(obs: RouteObservation) -> RouteObservation:
    """The same route as a bulk import states it: its totals, no leg or stop times."""
    return replace(
        obs,
        legs=tuple(replace(leg, minutes=None) for leg in obs.legs),
        visits=tuple(replace(visit, dwell_minutes=None) for visit in obs.visits),
    )
