"""What a hand-made plan costs, when its trucks arrive, and everything wrong with it.

A dispatcher's plan is a list of :class:`DraftRoute` s: a truck and its trips, each trip the order
numbers in stop order. :class:`PlanEvaluator` prices and times it exactly as the solver would
(the same :class:`~senga_desktop.engine.problem.Layout`, PyVRP's timing rules through
:func:`~senga_desktop.engine.timing.time_trips`, :meth:`TruckState.route_cost`), and names every
:class:`~senga_desktop.engine.violations.Violation`. The result is an ordinary
:class:`~senga_desktop.engine.plan.Plan`, so the screens show an edited plan like an engine plan.

Building the evaluator builds the layout's matrices once (the slow part); after that a whole
plan is re-evaluated in milliseconds, and each route's result is kept by its value, so that an
edit that touches two routes times only those two.

Where a plan keeps every constraint its figures are the solver's to the second and the cent. Where
it breaks a window the truck is late and stays late (PyVRP would "warp back" in time to the
window's end), so ETAs after a late stop are what the truck would really do.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from senga_desktop.engine.plan import Plan, PlannedReload, PlannedRoute, PlannedStop
from senga_desktop.engine.problem import Layout, RoutingProblem
from senga_desktop.engine.state import TruckState
from senga_desktop.engine.timing import HORIZON, StopTimes, time_trips
from senga_desktop.engine.travel import TravelModel
from senga_desktop.engine.violations import Violation, ViolationCode, Wording

__all__ = [
    "DraftRoute",
    "Evaluation",
    "PlanEvaluator",
    "RouteEvaluation",
    "TripSummary",
    "Violation",
    "ViolationCode",
    "drafts_of",
]

CENTS = Decimal("0.01")
CACHE_SIZE = 4096  # routes kept: many edits' worth for a 40-route plan
SECOND = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class DraftRoute:
    """A truck and its trips, each a tuple of order ids in stop order (empty trips are ignored)."""

    vehicle_id: str
    trips: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, vehicle_id: str, *orders: str) -> DraftRoute:
        """A one-trip route."""
        return cls(vehicle_id, (tuple(orders),))

    @classmethod
    def from_route(cls, route: PlannedRoute) -> DraftRoute:
        """A planned route's stops, grouped into trips by :attr:`PlannedStop.trip`."""
        groups = itertools.groupby(route.stops, key=lambda stop: stop.trip)
        trips = tuple(tuple(stop.order_id for stop in stops) for _, stops in groups)
        return cls(route.vehicle_id, trips or ((),))

    @property
    def order_ids(self) -> tuple[str, ...]:
        """Every stop's order, trip after trip."""
        return tuple(itertools.chain.from_iterable(self.trips))


def drafts_of(plan: Plan) -> tuple[DraftRoute, ...]:
    """A plan's routes as drafts, ready to be edited."""
    return tuple(DraftRoute.from_route(route) for route in plan.routes)


@dataclass(frozen=True, slots=True)
class TripSummary:
    """One trip of a route: its orders, its load, when it leaves and when it is back."""

    number: int  # 0-based, as PlannedStop.trip
    order_ids: tuple[str, ...]
    load_kg: int
    load_dm3: int
    leaves: datetime  # from the truck's start (first trip) or the depot
    back: datetime  # at the depot


@dataclass(frozen=True, slots=True)
class RouteEvaluation:
    """One draft route evaluated: the planned route (``None`` when it has no stop that can be
    timed: no stops, or an unknown truck), its trips and what is wrong with it."""

    draft: DraftRoute
    route: PlannedRoute | None
    trips: tuple[TripSummary, ...]
    violations: tuple[Violation, ...]


@dataclass(frozen=True)
class Evaluation:
    """A whole plan evaluated.

    ``plan`` holds the routes (with stops and ETAs), the orders on none (``unassigned``: held),
    the routes' cost and the solver's objective (route costs plus the prizes of optional orders
    held). ``feasible`` is the solver's judgement: no violation at all, except that a required
    order held counts only when required orders are hard (``RoutingProblem.hard_required``);
    otherwise it is reported (as the solver would leave it out, at a price) but allowed.
    """

    plan: Plan
    routes: tuple[RouteEvaluation, ...]
    violations: tuple[Violation, ...]
    feasible: bool

    @property
    def held(self) -> tuple[str, ...]:
        """Orders on no route, in the state's order."""
        return self.plan.unassigned

    def of_truck(self, vehicle_id: str) -> tuple[Violation, ...]:
        """The violations naming a truck."""
        return tuple(v for v in self.violations if v.vehicle_id == vehicle_id)

    def of_order(self, order_id: str) -> tuple[Violation, ...]:
        """The violations naming an order."""
        return tuple(v for v in self.violations if v.order_id == order_id)


class PlanEvaluator:
    """Evaluates plans of one routing problem; build it once per editing session."""

    def __init__(self, problem: RoutingProblem, travel: TravelModel) -> None:
        self.problem = problem
        self.layout = layout = Layout(problem, travel)
        state = problem.state
        self._times = StopTimes.of(layout)
        self._index = {o.order_id: i for i, o in enumerate(state.orders)}
        self._trucks = {t.vehicle_id: t for t in state.trucks}
        self._wording = Wording(state, problem.capacity_factor)
        self._loading = round(state.belief.loading_minutes * 60) * SECOND
        self._cache: dict[DraftRoute, RouteEvaluation] = {}
        layout.distances  # noqa: B018 - the matrices are built here, not on the first edit
        for truck in state.trucks:
            layout.truck_durations(truck)

    def evaluate(self, routes: Iterable[DraftRoute]) -> Evaluation:
        """The whole plan: every route, plus what only the plan as a whole can break (an order
        on two routes, a truck given two, a required order on none)."""
        state, wording = self.problem.state, self._wording
        results: list[RouteEvaluation] = []
        owner: dict[str, str] = {}  # order id -> the truck whose stop counts
        routes_of: Counter[str] = Counter()
        for draft in routes:
            result = self.evaluate_route(draft)
            if result.route is not None:
                taken = [o for o in result.route.order_ids if o in owner]
                if taken:  # the first route with the order keeps it
                    drop = set(taken)
                    pruned = DraftRoute(
                        draft.vehicle_id,
                        tuple(tuple(o for o in trip if o not in drop) for trip in draft.trips),
                    )
                    again = self.evaluate_route(pruned)
                    found = [wording.duplicate(draft.vehicle_id, o, owner[o]) for o in taken]
                    result = replace(again, draft=draft, violations=(*found, *again.violations))
                if result.route is not None:
                    routes_of[draft.vehicle_id] += 1
                    owner.update((o, draft.vehicle_id) for o in result.route.order_ids)
            results.append(result)
        extra = [wording.truck_twice(vid, n) for vid, n in routes_of.items() if n > 1]
        problem = self.problem
        held = tuple(o.order_id for o in state.orders if o.order_id not in owner)
        missing = [wording.required_held(state.orders[self._index[oid]])
                   for oid in held if problem.is_required(oid)]  # fmt: skip
        violations = (*(v for r in results for v in r.violations), *extra, *missing)
        feasible = all(
            v.code is ViolationCode.REQUIRED_HELD and not problem.hard_required for v in violations
        )
        planned = tuple(r.route for r in results if r.route is not None)
        cost = sum((r.cost_kes for r in planned), Decimal(0))
        declined = sum(
            (problem.prize(oid) for oid in held if not problem.is_required(oid)), Decimal(0)
        )
        plan = Plan(
            routes=planned,
            unassigned=held,
            cost_kes=cost,
            objective_kes=(cost + declined).quantize(CENTS),
            feasible=feasible,
            runtime_s=0.0,
            iterations=0,
            seed=0,
        )
        return Evaluation(plan, tuple(results), violations, feasible)

    def evaluate_route(self, route: DraftRoute) -> RouteEvaluation:
        """One route on its own (kept, so asking again for an unchanged route is free)."""
        result = self._cache.get(route)
        if result is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            result = self._cache[route] = self._evaluate_route(route)
        return result

    def forget(self) -> None:
        """Drop the kept route results, so the next call times every route again."""
        self._cache.clear()

    def _evaluate_route(self, draft: DraftRoute) -> RouteEvaluation:
        wording, vid = self._wording, draft.vehicle_id
        truck = self._trucks.get(vid)
        if truck is None:
            stops = sum(len(trip) for trip in draft.trips)
            found = (wording.unknown_truck(vid, stops),) if stops else ()
            return RouteEvaluation(draft, None, (), found)
        violations: list[Violation] = []
        trips: list[list[int]] = []
        seen: set[str] = set()
        for trip in draft.trips:
            kept: list[int] = []
            for oid in trip:
                index = self._index.get(oid)
                if index is None:
                    violations.append(wording.unknown_order(vid, oid))
                elif oid in seen:
                    violations.append(wording.duplicate(vid, oid, vid))
                else:
                    seen.add(oid)
                    kept.append(index)
            if kept:
                trips.append(kept)
        if not trips:
            return RouteEvaluation(draft, None, (), tuple(violations))
        if len(trips) > truck.max_trips:
            violations.append(wording.too_many_trips(truck, len(trips)))
        route, summaries, timing = self._schedule(truck, trips)
        return RouteEvaluation(draft, route, summaries, (*violations, *timing))

    def _schedule(
        self, truck: TruckState, trips: list[list[int]]
    ) -> tuple[PlannedRoute, tuple[TripSummary, ...], list[Violation]]:
        """Times, costs and checks one truck's trips (order indices, none empty)."""
        layout, times, wording = self.layout, self._times, self._wording
        orders, pins = self.problem.state.orders, self.problem.pins
        first = time_trips(layout, times, truck, trips)
        delay = first.delay
        # Leaving later absorbs waiting; the timeline from that departure is the solver's.
        line = first if not delay else time_trips(layout, times, truck, trips, leave=delay)
        found: list[Violation] = []
        cap_kg, cap_dm3 = layout.capacity(truck)
        now = self.problem.state.now
        stops: list[PlannedStop] = []
        summaries: list[TripSummary] = []
        k = 0
        for n, trip in enumerate(trips):
            kg = sum(orders[i].weight_kg for i in trip)
            dm3 = sum(orders[i].volume_dm3 for i in trip)
            if kg > cap_kg:
                found.append(wording.over_weight(truck, kg, cap_kg, n, len(trips)))
            if dm3 > cap_dm3:
                found.append(wording.over_volume(truck, dm3, cap_dm3, n, len(trips)))
            for i in trip:
                order, start = orders[i], line.starts[k]
                if not truck.can_carry(order):
                    found.append(wording.incompatible(truck, order, n))
                pin = pins.get(order.order_id)
                if pin is not None and pin != truck.vehicle_id:
                    found.append(wording.pinned_elsewhere(truck, order, pin, n))
                if start > times.late[i]:
                    found.append(wording.late(truck, order, start, times.late[i], n))
                stops.append(
                    PlannedStop(
                        order_id=order.order_id,
                        arrival=now + line.arrivals[k] * SECOND,
                        eta=now + start * SECOND,
                        departure=now + (start + times.service[i]) * SECOND,
                        trip=n,
                    )
                )
                k += 1
            summaries.append(
                TripSummary(
                    number=n,
                    order_ids=tuple(orders[i].order_id for i in trip),
                    load_kg=kg,
                    load_dm3=dm3,
                    leaves=now + line.leaves[n] * SECOND,
                    back=now + line.returns[n] * SECOND,
                )
            )
        latest = min(layout.truck_window(truck)[1], HORIZON)
        if line.end > latest:
            found.append(wording.back_late(truck, line.end, latest))
        shift = layout.shift_seconds(truck)
        if first.duration > shift:
            found.append(wording.too_long(truck, first.duration, shift))
        # The loading time is on the leg out of the depot, so the truck is out again that late.
        reloads = tuple(
            PlannedReload(
                arrival=now + line.returns[n - 1] * SECOND,
                departure=now + line.leaves[n] * SECOND + self._loading,
            )
            for n in range(1, len(trips))
        )
        route = PlannedRoute(
            vehicle_id=truck.vehicle_id,
            vehicle_type=truck.vehicle_type,
            stops=tuple(stops),
            start=now + line.depart * SECOND,
            end=now + line.end * SECOND,
            distance_m=first.distance,
            duration_s=first.duration,
            cost_kes=truck.route_cost(first.distance, first.duration).quantize(CENTS),
            load_kg=max(s.load_kg for s in summaries),
            load_dm3=max(s.load_dm3 for s in summaries),
            reloads=reloads,
        )
        return route, tuple(summaries), found
