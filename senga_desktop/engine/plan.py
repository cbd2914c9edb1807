"""A plan as the solver returns it: plain frozen dataclasses, no PyVRP objects.

Controllers turn a :class:`Plan` into proposed ``routes`` and ``route_stops``; nothing here refers
to the solver, so a plan can be built, compared and stored without importing PyVRP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

__all__ = ["Plan", "PlannedReload", "PlannedRoute", "PlannedStop"]

KM = Decimal(1000)


@dataclass(frozen=True, slots=True)
class PlannedStop:
    """One delivery on a route: when the truck arrives, starts service and leaves.

    ``trip`` numbers the route's trips from 0: a truck allowed several trips a day comes back to
    the depot to reload between them (see ``TruckState.max_trips``).
    """

    order_id: str
    arrival: datetime
    eta: datetime  # service start: the arrival, or the window's opening if the truck waits
    departure: datetime
    trip: int = 0

    @property
    def wait_seconds(self) -> int:
        """How long the truck waits for the window to open."""
        return int((self.eta - self.arrival).total_seconds())


@dataclass(frozen=True, slots=True)
class PlannedReload:
    """A return to the depot between two trips: back at ``arrival``, loaded and out again at
    ``departure``."""

    arrival: datetime
    departure: datetime


@dataclass(frozen=True, slots=True)
class PlannedRoute:
    """One truck's route: from its start, through the depot to load, to its stops and back.

    ``distance_m`` and ``duration_s`` include the drive from a start away from the depot;
    ``cost_kes`` is the truck's fixed cost plus its per-km and per-hour rates on them.

    A truck allowed several trips a day may come back to reload: ``reloads`` holds one entry per
    return between trips (empty for a single trip), and each stop says its ``trip``. The whole
    route, every trip included, fits the shift. ``load_kg`` and ``load_dm3`` are the largest load
    of any one trip, what the truck carries at once (so a load as a share of capacity never
    exceeds 100 %); :meth:`trip_loads` gives each trip's.
    """

    vehicle_id: str
    vehicle_type: str
    stops: tuple[PlannedStop, ...]
    start: datetime
    end: datetime
    distance_m: int
    duration_s: int
    cost_kes: Decimal
    load_kg: int
    load_dm3: int
    reloads: tuple[PlannedReload, ...] = ()

    @property
    def trip_count(self) -> int:
        """How many trips the route makes (1 without reloads)."""
        return len(self.reloads) + 1

    def trip_loads(self, weights: dict[str, tuple[int, int]]) -> tuple[tuple[int, int], ...]:
        """(kg, dm³) on board leaving the depot for each trip, from each order's (kg, dm³)."""
        loads = [[0, 0] for _ in range(self.trip_count)]
        for stop in self.stops:
            kg, dm3 = weights[stop.order_id]
            loads[stop.trip][0] += kg
            loads[stop.trip][1] += dm3
        return tuple((kg, dm3) for kg, dm3 in loads)

    @property
    def order_ids(self) -> tuple[str, ...]:
        """The orders in delivery order."""
        return tuple(stop.order_id for stop in self.stops)

    @property
    def distance_km(self) -> Decimal:
        """The route's distance in km (exact: metres / 1000)."""
        return Decimal(self.distance_m) / KM


@dataclass(frozen=True)
class Plan:
    """The solver's answer: routes, the orders it left out, and what the plan costs.

    ``objective_kes`` is what the solver minimised: route costs plus the value (prize) of every
    optional order left out. ``feasible`` is false only if the solver found no plan respecting
    every hard constraint (hard-required orders, capacity, windows, shifts, compatibility).
    """

    routes: tuple[PlannedRoute, ...]
    unassigned: tuple[str, ...]
    cost_kes: Decimal
    objective_kes: Decimal
    feasible: bool
    runtime_s: float
    iterations: int
    seed: int
    # Iterations of each seed in each round of the search that found it: replaying this schedule
    # (see parallel.solve_best_of) gives the same plan, even of a time-limited search.
    schedule: tuple[tuple[int, ...], ...] = ()

    @property
    def order_ids(self) -> tuple[str, ...]:
        """Every routed order, route by route."""
        return tuple(order for route in self.routes for order in route.order_ids)

    @property
    def distance_m(self) -> int:
        """Total distance of all routes in metres."""
        return sum(route.distance_m for route in self.routes)

    def route_of(self, order_id: str) -> PlannedRoute | None:
        """The route carrying an order, or ``None``."""
        for route in self.routes:
            if order_id in route.order_ids:
                return route
        return None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary (money as strings, times as ISO 8601)."""
        return {
            "routes": [
                {
                    "vehicle_id": r.vehicle_id,
                    "vehicle_type": r.vehicle_type,
                    "start": r.start.isoformat(),
                    "end": r.end.isoformat(),
                    "distance_m": r.distance_m,
                    "duration_s": r.duration_s,
                    "cost_kes": str(r.cost_kes),
                    "load_kg": r.load_kg,
                    "load_dm3": r.load_dm3,
                    "stops": [
                        {
                            "order_id": s.order_id,
                            "arrival": s.arrival.isoformat(),
                            "eta": s.eta.isoformat(),
                            "departure": s.departure.isoformat(),
                            "trip": s.trip,
                        }
                        for s in r.stops
                    ],
                    "reloads": [
                        {"arrival": x.arrival.isoformat(), "departure": x.departure.isoformat()}
                        for x in r.reloads
                    ],
                }
                for r in self.routes
            ],
            "unassigned": list(self.unassigned),
            "cost_kes": str(self.cost_kes),
            "objective_kes": str(self.objective_kes),
            "feasible": self.feasible,
            "runtime_s": self.runtime_s,
            "iterations": self.iterations,
            "seed": self.seed,
        }
