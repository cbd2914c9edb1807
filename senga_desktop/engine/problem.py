"""The routing problem a policy hands to the solver, and the integer view of a state.

A :class:`RoutingProblem` says which orders of a state must go (``required``), what the others are
worth if carried now (``prizes``, KES), when orders are released (sampled future orders), and the
policy's safety knobs (a multiplier on travel times, a fraction of capacity kept free).

The solver and :mod:`~senga_desktop.engine.explain` both read the problem through :class:`Layout`,
so that an order the explainer calls unreachable is exactly one the solver could not route. All
times are integer seconds from ``state.now``; distances integer metres.

Multi-day trips: a truck with ``trip_days`` N > 1 may take a route of up to N x 24 h, but its
driver still works only ``shift_hours`` a day, so each leg longer than the working day carries an
overnight rest per day it spans (:func:`working_day`, :meth:`Layout.truck_durations`). Rests are
counted per leg, not over the whole route: many short legs adding up to more than a working day
get no rest (PyVRP has no driver breaks to model that).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Protocol

import numpy as np

from senga_desktop.engine.state import OrderState, PlanningState, TruckState
from senga_desktop.engine.travel import IntMatrix, Point, TravelModel

__all__ = [
    "UNBOUNDED",
    "UNITS_PER_KES",
    "CancelToken",
    "Layout",
    "ProgressCallback",
    "RoutingProblem",
    "kes_units",
    "seconds_after",
    "truck_rates",
    "working_day",
]

UNBOUNDED = int(np.iinfo(np.int64).max)
"""PyVRP's own default for an unconstrained time window, shift or capacity."""

UNITS_PER_KES = 1000
"""The solver's objective is in milli-shillings (see :func:`truck_rates`)."""
DAY = 24 * 3600  # seconds
REQUIRED_PRIZE_FACTOR = 3

ProgressCallback = Callable[[float, Decimal | None], None]
"""``progress(fraction done in [0, 1], cost in KES of the best feasible plan so far or None)``."""


class CancelToken(Protocol):
    """Anything with ``is_set()``, such as :class:`threading.Event`."""

    def is_set(self) -> bool: ...


def seconds_after(now: datetime, moment: datetime, *, round_up: bool = False) -> int:
    """Whole seconds from ``now`` to ``moment`` (negative if ``moment`` is earlier).

    Floored by default, which suits deadlines; ``round_up`` suits openings, so that integer time
    never puts a service or departure before the real moment.
    """
    second = timedelta(seconds=1)
    return -((now - moment) // second) if round_up else (moment - now) // second


@dataclass(frozen=True)
class RoutingProblem:
    """What to route: the state, which orders are required, what the others are worth.

    ``required`` ``None`` means every order is required. Optional orders without a prize are worth
    nothing and so are only carried when it costs nothing. ``hard_required`` makes required orders
    a hard constraint (benchmarks); otherwise they carry a prize far above any route's cost, so a
    fleet too small for all of them still yields a feasible plan that leaves the fewest out.

    ``pins`` (order id → vehicle id) keeps orders on chosen trucks: a pinned order may go only on
    its truck, and it is required (a soft requirement like the others unless ``hard_required``).
    """

    state: PlanningState
    required: frozenset[str] | None = None
    prizes: Mapping[str, Decimal] = field(default_factory=dict)
    release: Mapping[str, datetime] = field(default_factory=dict)
    duration_factor: float = 1.0
    capacity_factor: float = 1.0
    hard_required: bool = False
    pins: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.duration_factor) and self.duration_factor >= 1.0):
            raise ValueError(f"duration_factor must be >= 1, got {self.duration_factor}")
        if not (0.0 < self.capacity_factor <= 1.0):
            raise ValueError(f"capacity_factor must be in (0, 1], got {self.capacity_factor}")
        known = {o.order_id for o in self.state.orders}
        for name, ids in (("required", self.required or ()), ("prizes", self.prizes)):
            unknown = sorted(set(ids) - known)
            if unknown:
                raise ValueError(f"{name} names orders not in the state: {unknown[:5]}")
        unknown = sorted(set(self.pins) - known)
        if unknown:
            raise ValueError(f"pins name orders not in the state: {unknown[:5]}")
        trucks = {t.vehicle_id for t in self.state.trucks}
        strangers = sorted(set(self.pins.values()) - trucks)
        if strangers:
            raise ValueError(f"pins name trucks not in the state: {strangers[:5]}")

    def is_required(self, order_id: str) -> bool:
        """Whether the order must be carried (pinned orders always must)."""
        return self.required is None or order_id in self.required or order_id in self.pins

    def prize(self, order_id: str) -> Decimal:
        """What carrying an optional order now is worth (KES)."""
        return self.prizes.get(order_id, Decimal(0))


@dataclass(frozen=True)
class Layout:
    """The integer view of a routing problem: points, matrices, windows and capacities.

    Point 0 is the depot, then one point per distinct truck start away from the depot, then one
    per order. Every route ends at the depot, because that is where freight is loaded: a truck
    starting elsewhere first drives to the depot and loads, so the row of a start point holds
    start → depot → order (and loading time), not the direct leg. The depot's row holds loading
    time too; columns (arrivals) never do.
    """

    problem: RoutingProblem
    travel: TravelModel
    _duration_cache: dict[tuple[str, int | None], IntMatrix] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def state(self) -> PlanningState:
        return self.problem.state

    @cached_property
    def start_points(self) -> tuple[Point, ...]:
        """Distinct truck start points other than the depot, in order of first appearance."""
        depot = self.depot_point
        seen: dict[Point, None] = {}
        for truck in self.state.trucks:
            point = truck_point(truck)
            if (point.lat, point.lon) != (depot.lat, depot.lon):
                seen.setdefault(point, None)
        return tuple(seen)

    @cached_property
    def depot_point(self) -> Point:
        d = self.state.depot
        return Point(d.town, d.lat, d.lon)

    @cached_property
    def points(self) -> tuple[Point, ...]:
        orders = tuple(Point(o.town, o.lat, o.lon) for o in self.state.orders)
        return (self.depot_point, *self.start_points, *orders)

    @property
    def first_order(self) -> int:
        """Index of the first order's point."""
        return 1 + len(self.start_points)

    def start_index(self, truck: TruckState) -> int:
        """The point (and PyVRP depot) a truck starts from: 0 is the depot itself."""
        point = truck_point(truck)
        if (point.lat, point.lon) == (self.depot_point.lat, self.depot_point.lon):
            return 0
        return 1 + self.start_points.index(point)

    @cached_property
    def distances(self) -> IntMatrix:
        """Metres, with start rows routed through the depot."""
        return self._through_depot(self.travel.distances(self.points), extra=0)

    def durations(self, vehicle_type: str, workday: int | None = None) -> IntMatrix:
        """Seconds for this truck type, scaled by the time buffer, with loading on start rows.

        ``workday`` (seconds, see :func:`working_day`) adds the overnight rests of a multi-day
        truck: a leg of T seconds spans ceil(T / workday) working days, so it carries one rest
        of 24 h - workday between each of them (a leg of exactly one working day none).
        """
        key = (vehicle_type, workday)
        if key not in self._duration_cache:
            if workday is None:
                base = self.travel.durations(self.points, vehicle_type)
                if self.problem.duration_factor != 1.0:
                    base = np.rint(base * self.problem.duration_factor).astype(np.int64)
                loading = round(self.state.belief.loading_minutes * 60)
                matrix = self._through_depot(base, extra=loading)
            else:
                plain = self.durations(vehicle_type)
                rests = np.maximum((plain - 1) // workday, 0)
                matrix = plain + rests * (DAY - workday)
            self._duration_cache[key] = matrix
        return self._duration_cache[key]

    def truck_durations(self, truck: TruckState) -> IntMatrix:
        """Seconds as this truck travels them: its type's speed, plus overnight rests if it
        makes multi-day trips."""
        return self.durations(truck.vehicle_type, working_day(truck))

    def _through_depot(self, base: IntMatrix, *, extra: int) -> IntMatrix:
        matrix = np.array(base, dtype=np.int64, copy=True)
        first = self.first_order
        for start in range(1, first):
            matrix[start, first:] = base[start, 0] + extra + base[0, first:]
        matrix[0, first:] += extra
        return matrix

    # --- orders ---

    def service_seconds(self, order: OrderState) -> int:
        minutes = order.service_minutes
        if minutes is None:
            minutes = self.state.belief.service_minutes_per_stop
        return round(minutes * 60)

    def window(self, order: OrderState) -> tuple[int, int]:
        """Earliest and latest service start, in seconds from now (latest may be negative).

        A window narrower than a second keeps its end: there is no whole second inside it.
        """
        now = self.state.now
        opens = order.window_start
        early = 0 if opens is None else max(0, seconds_after(now, opens, round_up=True))
        late = UNBOUNDED if order.window_end is None else seconds_after(now, order.window_end)
        return (min(early, late), late) if late >= 0 else (early, late)

    def release_seconds(self, order: OrderState) -> int:
        """Earliest departure of a trip carrying the order (sampled future orders), never after
        its window closes."""
        moment = self.problem.release.get(order.order_id)
        if moment is None:
            return 0
        release = max(0, seconds_after(self.state.now, moment, round_up=True))
        return min(release, max(self.window(order)[1], 0))

    # --- trucks ---

    def truck_window(self, truck: TruckState) -> tuple[int, int]:
        """Earliest departure and latest return, in seconds from now (the latter is below the
        former for a truck that must be back before it is free: it cannot take a route)."""
        now = self.state.now
        early = max(0, seconds_after(now, truck.free_from, round_up=True))
        late = UNBOUNDED if truck.return_by is None else seconds_after(now, truck.return_by)
        return early, late

    def shift_seconds(self, truck: TruckState) -> int:
        """The route duration cap; unbounded when the truck's own window is tighter anyway.

        The cap is the shift, or N x 24 h for a truck making trips of N > 1 days (whose rests
        are in :meth:`truck_durations`). Leaving a non-binding cap out keeps PyVRP's model
        identical to the benchmark's own.
        """
        if truck.shift_hours is None:
            return UNBOUNDED
        shift = round(truck.shift_hours * 3600)
        if truck.trip_days > 1:
            shift = max(shift, truck.trip_days * DAY)
        early, late = self.truck_window(truck)
        return UNBOUNDED if late != UNBOUNDED and shift >= late - early else shift

    def required_prizes(self, indices: list[int]) -> list[int]:
        """For the orders at ``indices``: 3 x :meth:`dearest_trips`, so dropping a required
        order never pays while a truck could take it."""
        return [REQUIRED_PRIZE_FACTOR * cost for cost in self.dearest_trips(indices)]

    def dearest_trips(self, indices: list[int]) -> list[int]:
        """For the orders at ``indices``: the dearest round trip to each on a compatible truck,
        fixed cost included (mKES)."""
        prizes = [1] * len(indices)
        if not indices:
            return prizes
        points = [self.first_order + i for i in indices]
        orders = [self.state.orders[i] for i in indices]
        dist = self.distances
        for truck in self.state.trucks:
            fixed, per_metre, per_second = truck_rates(truck)
            start = self.start_index(truck)
            dur = self.truck_durations(truck)
            costs = fixed + per_metre * (dist[start, points] + dist[points, 0])
            costs += per_second * (dur[start, points] + dur[points, 0])
            for n, order in enumerate(orders):
                if truck.can_carry(order):
                    prizes[n] = max(prizes[n], int(costs[n]))
        return prizes

    def capacity(self, truck: TruckState) -> tuple[int, int]:
        """Usable kg and dm³ after the policy's safety margin."""
        factor = self.problem.capacity_factor
        return math.floor(truck.capacity_kg * factor), math.floor(truck.capacity_dm3 * factor)


def working_day(truck: TruckState) -> int | None:
    """The driver's working day in seconds for a truck whose trips span several days, when it
    is short of 24 h (so the driver rests overnight); ``None`` for a truck back the same day."""
    if truck.trip_days == 1 or truck.shift_hours is None:
        return None
    workday = round(truck.shift_hours * 3600)
    return workday if 0 < workday < DAY else None


def truck_point(truck: TruckState) -> Point:
    """Where a truck starts."""
    return Point(truck.town, truck.lat, truck.lon)


def kes_units(kes: Decimal) -> int:
    """KES in the solver's objective units (mKES), rounded to the nearest unit."""
    return int((kes * UNITS_PER_KES).to_integral_value())


def truck_rates(truck: TruckState) -> tuple[int, int, int]:
    """A truck's fixed cost (mKES), distance rate (mKES/m) and duration rate (mKES/s).

    In milli-shillings a rate in KES/km is exactly mKES/m; a rate in KES/h is rate / 3.6 mKES/s.
    Both are rounded to whole units for the search only (a plan's costs use the exact rates).
    """
    per_metre = int(truck.cost_per_km.to_integral_value())
    per_second = int((truck.cost_per_hour * UNITS_PER_KES / 3600).to_integral_value())
    return kes_units(truck.fixed_cost), per_metre, per_second
