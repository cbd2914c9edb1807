"""The PyVRP adapter: the only module that imports PyVRP.

It turns a :class:`~senga_desktop.engine.problem.RoutingProblem` into PyVRP ``ProblemData``, runs
PyVRP's iterated local search and turns the best solution back into a pure-Python
:class:`~senga_desktop.engine.plan.Plan`. How the problem maps onto PyVRP:

* **Places.** PyVRP depot 0 is the depot; every distinct truck start away from it is a further
  PyVRP depot, used only as a start. Routes end at the depot (where the next load waits). A start
  row holds start → depot → order, loading included (see :class:`~.problem.Layout`).
* **Loads.** Up to two dimensions, kg and dm³; a dimension no order uses is left out.
* **Time.** Integer seconds from ``state.now``: order windows, release times (sampled future
  orders), service durations; a truck's window is ``[free_from, return_by]`` and its shift, or
  its trip length for a multi-day truck, caps the route's duration.
* **Trips.** A truck with ``max_trips`` N > 1 may come back to depot 0 and reload up to N - 1
  times (PyVRP's reload depots); its shift caps all its trips together and its capacity holds
  per trip. Each stop's ``trip`` and each reload's times are read back from the schedule.
* **Compatibility.** One routing profile per (truck type, relevant capabilities, working day): the
  type sets the speed and the working day of a multi-day truck its overnight rests (see
  :func:`~.problem.working_day`); in a profile every edge into an order the trucks cannot carry
  is prohibitive (:data:`PROHIBITIVE` metres and seconds), and every vehicle type then gets a
  maximum distance below it, so such a route is infeasible, not merely dear. PyVRP's
  neighbourhood takes the minimum over profiles, so it is unaffected. Pinned orders
  (``problem.pins``) are barred the same way from every truck but their own.
* **Costs.** The objective is in milli-shillings (see :func:`~.problem.truck_rates`): KES/km is
  exactly mKES/m, KES/h is rate / 3.6 mKES/s; the plan's costs use the exact Decimal rates.
* **Required orders** are hard constraints only with ``hard_required`` (benchmarks). Otherwise they
  are optional with a prize of 3 x their dearest round trip on a compatible truck, so a fleet
  that cannot carry them all still gets a feasible plan that leaves out as little as possible.
* **Penalties.** PyVRP's penalty range is scaled by the mean distance rate (see
  :func:`penalty_params`; 1 on benchmarks). The search starts from penalties fitted to the data,
  not from the middle of that range (:func:`initial_penalties`); everything else — the local
  search, its operators and neighbourhood, the penalty updates — is PyVRP's default.
* **Stopping.** A wall-clock ``time_limit`` and/or an iteration count ``max_iterations`` (use the
  latter for reproducible runs: a time limit is not deterministic). ``cancel`` is checked every
  iteration; when set, the search stops and :class:`~senga_desktop.errors.PlanningCancelled` is
  raised — a cancelled run returns no plan. ``progress(fraction, best_cost_kes)`` is called at
  most every :data:`PROGRESS_INTERVAL` seconds and once at the end.
"""

from __future__ import annotations

import itertools
import logging
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any, NamedTuple, cast

import numpy as np
import numpy.typing as npt
import pyvrp
from pyvrp import PenaltyManager, PenaltyParams

from senga_desktop.engine.explain import screen
from senga_desktop.engine.ils import Search, route_cost
from senga_desktop.engine.plan import Plan, PlannedReload, PlannedRoute, PlannedStop
from senga_desktop.engine.problem import (
    UNBOUNDED,
    UNITS_PER_KES,
    CancelToken,
    Layout,
    ProgressCallback,
    RoutingProblem,
    kes_units,
    truck_rates,
    working_day,
)
from senga_desktop.engine.state import OrderState, TruckState
from senga_desktop.engine.travel import EuclideanTravel, IntMatrix, TravelModel
from senga_desktop.errors import PlanningCancelled

__all__ = ["CancelToken", "ProgressCallback", "solve"]

logger = logging.getLogger(__name__)

CENTS = Decimal("0.01")
PROHIBITIVE = 10_000_000  # metres (10,000 km) and seconds (116 days): more than any real route
PROGRESS_INTERVAL = 0.2  # seconds between progress reports
PENALTY_UPDATES = 500  # plans between penalty revisions: PyVRP's default pace


def solve(
    problem: RoutingProblem,
    travel: TravelModel,
    *,
    seed: int = 0,
    time_limit: float | None = 10.0,
    max_iterations: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    warm_start: Plan | None = None,
    penalty_updates: int = PENALTY_UPDATES,
) -> Plan:
    """Route ``problem`` with PyVRP and return the best plan found (see the module notes).

    ``warm_start``, a plan of the same problem (another run's best), is where the search starts
    instead of a random solution; its stops of orders the model does not route and its routes
    of trucks it does not have are dropped (:func:`initial_solution`). ``penalty_updates`` is
    how many plans pass between revisions of the penalties.
    """
    if time_limit is None and max_iterations is None:
        raise ValueError("give a time_limit, a max_iterations or both")
    started = time.perf_counter()
    if cancel is not None and cancel.is_set():
        raise PlanningCancelled("Planning was cancelled.")
    layout = Layout(problem, travel)
    model = build_model(layout)
    if model.data is None:  # nothing to route, or nothing to route with
        if progress is not None:
            progress(1.0, Decimal(0))
        return read_solution(model, None, started=started, iterations=0, seed=seed)
    budget = _Budget(time_limit, max_iterations, cancel, progress)
    result = search(
        model,
        budget,
        seed=seed,
        initial=None if warm_start is None else initial_solution(model, warm_start),
        penalty_updates=penalty_updates,
    )
    if budget.cancelled:
        raise PlanningCancelled("Planning was cancelled.")
    budget.report(1.0)
    plan = read_solution(
        model, result.best, started=started, iterations=result.iterations, seed=seed
    )
    plan = replace(plan, schedule=((plan.iterations,),))
    logger.debug("Solved %d orders: %d routes, %d left out, %d iterations in %.2f s",
                 len(problem.state.orders), len(plan.routes), len(plan.unassigned),
                 result.iterations, plan.runtime_s)  # fmt: skip
    return plan


@dataclass
class Model:
    """PyVRP data plus the maps back to orders and trucks."""

    layout: Layout
    data: pyvrp.ProblemData | None  # None when there are no orders to route or no trucks
    clients: list[str]  # order id of each PyVRP client
    vehicle_trucks: list[list[TruckState]]  # trucks of each PyVRP vehicle type, in order


def build_model(layout: Layout) -> Model:
    """Build PyVRP's problem data for a layout (orders the screen rejects are left out)."""
    screened = screen(layout)
    routable = [i for i, o in enumerate(layout.state.orders) if o.order_id not in screened]
    orders = [layout.state.orders[i] for i in routable]
    dims = (any(o.weight_kg for o in orders), any(o.volume_dm3 for o in orders))
    first = layout.first_order
    keep = np.array([*range(first), *(first + i for i in routable)], dtype=np.int64)
    scale = float(travel_scale(layout.travel))
    points = [layout.points[k] for k in keep]
    locations = [pyvrp.Location(x=p.lon * scale, y=p.lat * scale) for p in points]
    depots = [pyvrp.Depot(location=k) for k in range(first)]
    labels = frozenset().union(*(o.special_handling for o in orders))
    profiles, distances, durations = _profiles(layout, keep, orders, labels)
    clients = _clients(layout, routable, dims)
    groups = _vehicle_groups(layout, dims, labels, profiles)
    pinned = layout.problem.pins
    prohibited = bool(pinned.keys() & {o.order_id for o in orders}) or any(
        not o.special_handling <= key.caps for key in profiles for o in orders
    )
    vehicle_types = [
        pyvrp.VehicleType(
            num_available=len(trucks),
            capacity=list(key.capacity),
            start_depot=key.start,
            end_depot=0,
            fixed_cost=key.fixed,
            tw_early=key.early,
            tw_late=key.late,
            shift_duration=key.shift,
            max_distance=PROHIBITIVE - 1 if prohibited else UNBOUNDED,
            unit_distance_cost=key.per_metre,
            unit_duration_cost=key.per_second,
            profile=key.profile,
            # A truck allowed several trips reloads at the depot (PyVRP depot 0) between them.
            reload_depots=[0] if key.max_trips > 1 else [],
            max_reloads=key.max_trips - 1,
            name=trucks[0].vehicle_type,
        )
        for key, trucks in groups.items()
    ]
    data = None
    if clients and vehicle_types:
        # PyVRP's stub spells the matrix type oddly (ndarray[int]); these are int64 matrices.
        matrices = cast("tuple[list[Any], list[Any]]", (distances, durations))
        data = pyvrp.ProblemData(locations, clients, depots, vehicle_types, *matrices)
    return Model(layout, data, [o.order_id for o in orders], list(groups.values()))


class _ProfileKey(NamedTuple):
    """What sets a routing profile: the speed, the orders barred, the overnight rests, and for
    a truck with pinned orders the truck itself (see :func:`_profiles`)."""

    vehicle_type: str
    caps: frozenset[str]
    workday: int | None
    pinned_to: str | None = None


def _profile_key(
    truck: TruckState, labels: frozenset[str], pins: Mapping[str, str] | None = None
) -> _ProfileKey:
    pinned = truck.vehicle_id if pins and truck.vehicle_id in pins.values() else None
    return _ProfileKey(truck.vehicle_type, truck.capabilities & labels, working_day(truck), pinned)


def _profiles(
    layout: Layout, keep: IntMatrix, orders: list[OrderState], labels: frozenset[str]
) -> tuple[dict[_ProfileKey, int], list[IntMatrix], list[IntMatrix]]:
    """One routing profile per (truck type, capabilities that matter to these orders, working
    day), with prohibitive edges into the orders those trucks cannot carry.

    Pinned orders (``problem.pins``) are barred the same way: every truck with pins gets a
    profile of its own in which only the other trucks' pinned orders are barred, and they are
    all barred in the shared profiles. Trucks without pins keep sharing, so the number of
    profiles grows only by the number of pinned trucks.
    """
    pins = layout.problem.pins
    keys: dict[_ProfileKey, int] = {}
    for truck in layout.state.trucks:
        keys.setdefault(_profile_key(truck, labels, pins), len(keys))
    first = layout.first_order
    base = layout.distances[np.ix_(keep, keep)]
    distances, durations = [], []
    for key in keys:
        dist = base.copy()
        dur = layout.durations(key.vehicle_type, key.workday)[np.ix_(keep, keep)].copy()
        barred = [
            first + n
            for n, o in enumerate(orders)
            if not o.special_handling <= key.caps
            or pins.get(o.order_id, key.pinned_to) != key.pinned_to
        ]
        if barred:
            dist[:, barred] = PROHIBITIVE
            dur[:, barred] = PROHIBITIVE
            np.fill_diagonal(dist, 0)
            np.fill_diagonal(dur, 0)
        distances.append(dist)
        durations.append(dur)
    return keys, distances, durations


def _clients(layout: Layout, routable: list[int], dims: tuple[bool, bool]) -> list[pyvrp.Client]:
    problem = layout.problem
    prizes = layout.required_prizes(routable)
    clients = []
    for n, index in enumerate(routable):
        order = layout.state.orders[index]
        early, late = layout.window(order)
        required = problem.is_required(order.order_id)
        prize = kes_units(problem.prize(order.order_id))
        if required and not problem.hard_required:
            required, prize = False, prizes[n]
        amounts = (order.weight_kg, order.volume_dm3)
        clients.append(
            pyvrp.Client(
                location=layout.first_order + n,
                delivery=[q for q, on in zip(amounts, dims, strict=True) if on],
                service_duration=layout.service_seconds(order),
                tw_early=early,
                tw_late=late,
                release_time=layout.release_seconds(order),
                prize=prize,
                required=required,
                name=order.order_id,
            )
        )
    return clients


def _vehicle_groups(
    layout: Layout,
    dims: tuple[bool, bool],
    labels: frozenset[str],
    profiles: dict[_ProfileKey, int],
) -> dict[_TypeKey, list[TruckState]]:
    """Trucks grouped into PyVRP vehicle types: identical trucks share one (PyVRP searches a
    fleet of 25 identical trucks far better as one type than as 25)."""
    groups: dict[_TypeKey, list[TruckState]] = {}
    for truck in layout.state.trucks:
        fixed, per_metre, per_second = truck_rates(truck)
        early, late = layout.truck_window(truck)
        if late < early:
            continue  # due back before it is free: no route possible
        key = _TypeKey(
            start=layout.start_index(truck),
            capacity=tuple(c for c, on in zip(layout.capacity(truck), dims, strict=True) if on),
            profile=profiles[_profile_key(truck, labels, layout.problem.pins)],
            early=early,
            late=late,
            shift=layout.shift_seconds(truck),
            max_trips=truck.max_trips,
            fixed=fixed,
            per_metre=per_metre,
            per_second=per_second,
        )
        groups.setdefault(key, []).append(truck)
    return groups


class _TypeKey(NamedTuple):
    """What makes trucks interchangeable: they share one PyVRP vehicle type."""

    start: int
    capacity: tuple[int, ...]
    profile: int
    early: int
    late: int
    shift: int
    fixed: int
    per_metre: int
    per_second: int
    max_trips: int = 1


def initial_solution(model: Model, plan: Plan) -> pyvrp.Solution | None:
    """``plan`` as a PyVRP solution of ``model``, keeping what fits: stops of orders the model
    does not route or bars on that truck (handling it lacks, an order pinned to another truck),
    a repeat of an order already placed, and routes of trucks it does not have (or a second
    route of one truck) are dropped. A pinned order not on its truck is put there, where it adds
    the least distance, so the search starts with every pin kept. ``None`` when no route is left.

    Dropping stops keeps a feasible plan feasible whenever travel obeys the triangle
    inequality, so a warm start from a feasible plan starts the search from a feasible one. A
    route that breaks a constraint (an edited plan, or one time has overtaken) loses, one by
    one, the stops whose removal mends it most, pinned orders last: the search keeps a best
    plan only once it is feasible, and from an infeasible start it may not get there in time.
    """
    data = model.data
    assert data is not None
    start = _WarmStart(model, data)
    lanes: dict[str, list[PlannedStop]] = {}
    for route in plan.routes:
        if route.vehicle_id in start.kinds and route.vehicle_id not in lanes:
            start.shapes[route.vehicle_id] = route
            lanes[route.vehicle_id] = [s for s in route.stops if start.take(route.vehicle_id, s)]
    now = model.layout.state.now
    for oid, vid in model.layout.problem.pins.items():
        if vid in start.kinds and start.take(vid, PlannedStop(oid, now, now, now)):
            lane = lanes.setdefault(vid, [])
            at = start.cheapest_place(vid, lane, oid)
            trip = lane[at - 1].trip if at else (lane[0].trip if lane else 0)
            lane.insert(at, PlannedStop(oid, now, now, now, trip=trip))
    routes = [start.repaired(vid, stops) for vid, stops in lanes.items() if stops]
    return pyvrp.Solution(data, routes) if routes else None


class _WarmStart:
    """What :func:`initial_solution` needs to know of the model while it places stops."""

    def __init__(self, model: Model, data: pyvrp.ProblemData) -> None:
        self.data = data
        self.clients = {order_id: n for n, order_id in enumerate(model.clients)}
        self.kinds = {
            t.vehicle_id: k for k, trucks in enumerate(model.vehicle_trucks) for t in trucks
        }
        self.first = model.layout.first_order
        self.pins = model.layout.problem.pins
        self.shapes: dict[str, PlannedRoute] = {}
        self.placed: set[str] = set()
        self._matrices: dict[int, npt.NDArray[np.int64]] = {}

    def distances(self, vehicle_id: str) -> npt.NDArray[np.int64]:
        profile = self.data.vehicle_type(self.kinds[vehicle_id]).profile
        if profile not in self._matrices:
            self._matrices[profile] = np.asarray(self.data.distance_matrix(profile))
        return self._matrices[profile]

    def take(self, vehicle_id: str, stop: PlannedStop) -> bool:
        """Whether the stop goes on the truck: routed by the model, allowed on the truck, not
        placed already (and then it is placed)."""
        oid = stop.order_id
        if oid not in self.clients or oid in self.placed:
            return False
        if self.distances(vehicle_id)[0, self.first + self.clients[oid]] >= PROHIBITIVE:
            return False
        self.placed.add(oid)
        return True

    def cheapest_place(self, vehicle_id: str, stops: list[PlannedStop], order_id: str) -> int:
        """Where in ``stops`` an extra stop for ``order_id`` adds the least distance."""
        kind = self.data.vehicle_type(self.kinds[vehicle_id])
        d = self.distances(vehicle_id)
        points = [kind.start_depot, *(self.first + self.clients[s.order_id] for s in stops)]
        points.append(kind.end_depot)
        new = self.first + self.clients[order_id]
        added = [int(d[a, new] + d[new, b] - d[a, b]) for a, b in itertools.pairwise(points)]
        return added.index(min(added))

    def route(self, vehicle_id: str, stops: list[PlannedStop]) -> pyvrp.Route:
        kind = self.kinds[vehicle_id]
        shape = self.shapes.get(vehicle_id)
        if shape is None:
            return pyvrp.Route(self.data, [self.clients[s.order_id] for s in stops], kind)
        trips = self.data.vehicle_type(kind).max_trips
        visits = _activities(replace(shape, stops=tuple(stops)), self.clients, trips)
        return pyvrp.Route(self.data, visits, kind)

    def repaired(self, vehicle_id: str, stops: list[PlannedStop]) -> pyvrp.Route:
        """The truck's route, less the stops that break its constraints (see above)."""
        found = self.route(vehicle_id, stops)
        while not found.is_feasible() and len(stops) > 1:
            movable = [n for n, s in enumerate(stops) if s.order_id not in self.pins]
            trials = [
                (self.route(vehicle_id, stops[:n] + stops[n + 1 :]), n)
                for n in movable or range(len(stops))
            ]
            found, worst = min(trials, key=lambda t: (_violation(t[0]), t[1]))
            del stops[worst]
        return found


def _violation(route: pyvrp.Route) -> int:
    """How far a route breaks its constraints, all kinds summed (for ranking repairs only)."""
    return route.excess_distance() + route.time_warp() + sum(route.excess_load())


def _activities(
    route: PlannedRoute, clients: dict[str, int], max_trips: int
) -> list[int] | list[pyvrp.Activity]:
    """The route's visits for :class:`pyvrp.Route`: client numbers, with a reload at depot 0
    before each new trip the vehicle type allows (trips beyond that join the last one)."""
    visits = [clients[stop.order_id] for stop in route.stops]
    if max_trips <= 1 or all(stop.trip == 0 for stop in route.stops):
        return visits
    activities: list[pyvrp.Activity] = []
    trip = 0
    for stop, client in zip(route.stops, visits, strict=True):
        if stop.trip > trip and trip < max_trips - 1 and activities:
            activities.append(pyvrp.Activity(pyvrp.ActivityType.DEPOT, 0))
            trip += 1
        activities.append(pyvrp.Activity(pyvrp.ActivityType.CLIENT, client))
    return activities


def search(
    model: Model,
    budget: _Budget,
    *,
    seed: int,
    initial: pyvrp.Solution | None = None,
    penalty_updates: int = PENALTY_UPDATES,
) -> Search:
    """PyVRP's iterated local search on ``model``, as :func:`pyvrp.solve` sets it up, but
    starting from :func:`initial_penalties` rather than the middle of the penalty range; run
    until ``budget`` says stop. The returned search can be resumed (see :mod:`~.ils`)."""
    found = new_search(
        model, seed=seed, initial=initial, penalty_updates=penalty_updates, on_best=budget.on_best
    )
    found.run(budget)
    return found


def new_search(
    model: Model,
    *,
    seed: int,
    initial: pyvrp.Solution | None = None,
    penalty_updates: int = PENALTY_UPDATES,
    fitted_start: bool = True,
    on_best: Callable[[pyvrp.Solution], None] | None = None,
) -> Search:
    """A resumable search of ``model`` with our penalty range and pace; its penalties start
    from :func:`initial_penalties` (``fitted_start``) or, as PyVRP's, from the middle of the range.

    Without ``initial`` it starts, as :func:`pyvrp.solve` does, from a random solution improved
    under the largest penalties, so that it keeps every constraint wherever one is easy to keep.
    """
    data = model.data
    assert data is not None
    bounds = penalty_params(model, updates=penalty_updates)
    start = initial_penalties(model, bounds) if fitted_start else bounds.midpoint_penalties(data)
    penalties = PenaltyManager(start, bounds)
    return Search(data, penalties, seed=seed, initial=initial, on_best=on_best)


def initial_penalties(model: Model, bounds: PenaltyParams) -> tuple[list[float], float, float]:
    """Where the penalties start: one unit of each violation costs what an average leg costs
    per unit of that quantity (an average leg's cost over an average order's load, over an
    average leg's duration, over its distance), clipped to the range of ``bounds``
    (:func:`penalty_params`).

    PyVRP starts at the middle of the range (5·10⁴ per unit with its defaults), which makes
    time windows as good as hard for the first tens of thousands of iterations; on tightly
    windowed instances the search then settles in a valley it cannot leave through infeasible
    plans. Starting near the data's own scale lets the penalty manager find the balance at once.
    Measured at 10 s on one core: RC108 from 1.55 % above the best known to 0.0 %, the mean gap
    over the 56 Solomon instances from 0.166 % to 0.131 %; on the 500-order depot day at 30 s the
    objective (route costs plus the prizes of orders left out) about 6 % lower over three seeds.
    """
    data = model.data
    assert data is not None
    legs = [np.asarray(m, dtype=np.float64) for m in data.distance_matrices()]
    times = [np.asarray(m, dtype=np.float64) for m in data.duration_matrices()]
    distance = _typical(legs)
    duration = _typical(times)
    leg_cost = statistics.fmean(
        vt.unit_distance_cost * distance + vt.unit_duration_cost * duration
        for vt in data.vehicle_types()
    )
    leg_cost = max(leg_cost, 1.0)
    loads = np.array([c.delivery for c in data.clients()], dtype=np.float64)
    per_load = [leg_cost / max(float(mean), 1.0) for mean in loads.mean(axis=0)]
    values = [*per_load, leg_cost / max(duration, 1.0), leg_cost / max(distance, 1.0)]
    clipped = np.clip(values, bounds.min_penalty, bounds.max_penalty).tolist()
    return clipped[:-2], clipped[-2], clipped[-1]


def _typical(matrices: list[npt.NDArray[np.float64]]) -> float:
    """The mean off-diagonal entry, barred legs (:data:`PROHIBITIVE`) left out."""
    values = np.concatenate([m[~np.eye(len(m), dtype=bool)] for m in matrices])
    allowed = values[values < PROHIBITIVE]
    return float(allowed.mean()) if allowed.size else 0.0


def penalty_params(model: Model, *, updates: int = PENALTY_UPDATES) -> PenaltyParams:
    """PyVRP's penalty range and update rule, fitted to our cost scale.

    PyVRP's defaults (0.1 to 10⁵ per unit of excess load, time warp or distance) suit benchmark
    data costing 1 per unit of distance and no prizes. Here one kg or one second of violation can
    buy a whole order's prize or save a whole truck: with a smaller largest penalty the search
    settles on a slightly overloaded plan and never returns to a feasible one (Hypothesis found
    both cases). So the range is scaled by the mean distance rate, and the maximum is at least
    twice the largest prize or single-order round trip, so the manager can always raise the
    penalty above anything one unit of violation could gain.

    The penalties are revised every ``updates`` plans (PyVRP's 500 by default;
    :mod:`~.parallel` runs every other seed at a faster pace).
    """
    default = PenaltyParams()
    if model.data is None:
        return replace(default, solutions_between_updates=updates)
    rates = [vt.unit_distance_cost for vt in model.data.vehicle_types()]
    factor = max(1, round(sum(rates) / len(rates)))
    layout = model.layout
    clients = set(model.clients)
    routed = [i for i, o in enumerate(layout.state.orders) if o.order_id in clients]
    gain = max([*layout.dearest_trips(routed), *(c.prize for c in model.data.clients())])
    return PenaltyParams(
        solutions_between_updates=updates,
        min_penalty=default.min_penalty * factor,
        max_penalty=max(default.max_penalty * factor, 2.0 * gain),
    )


def travel_scale(travel: TravelModel) -> int:
    """Coordinates are scaled like the benchmark's own reader does, so that PyVRP's geometry
    (its route sectors) sees the same numbers as when it reads the file itself."""
    return travel.scale if isinstance(travel, EuclideanTravel) else 1


class _Budget:
    """PyVRP stopping criterion: time and iteration limits, cancellation and progress."""

    def __init__(
        self,
        time_limit: float | None,
        max_iterations: int | None,
        cancel: CancelToken | None,
        progress: ProgressCallback | None,
    ) -> None:
        self.time_limit = time_limit
        self.max_iterations = max_iterations
        self.cancel = cancel
        self.progress = progress
        self.iterations = 0
        self.cancelled = False
        self.best_cost: int | None = None
        self.started = time.perf_counter()
        self.last_report = self.started

    def __call__(self, best_cost: int) -> bool:
        self.iterations += 1
        if self.cancel is not None and self.cancel.is_set():
            self.cancelled = True
            return True
        now = time.perf_counter()
        fraction = self.fraction(now)
        if self.progress is not None and now - self.last_report >= PROGRESS_INTERVAL:
            self.last_report = now
            self.report(min(fraction, 1.0))
        return fraction >= 1.0

    def fraction(self, now: float) -> float:
        done = 0.0
        if self.time_limit is not None:
            done = (now - self.started) / self.time_limit if self.time_limit > 0 else 1.0
        if self.max_iterations is not None:
            # PyVRP calls the criterion once before its first iteration, hence the +1.
            done = max(done, (self.iterations - 1) / max(self.max_iterations, 1))
            if self.iterations > self.max_iterations:
                done = 1.0
        return done

    def on_best(self, best: pyvrp.Solution) -> None:
        """Record the cost of each new best feasible solution, for progress reports."""
        if best.is_feasible():
            self.best_cost = route_cost(best)

    def report(self, fraction: float) -> None:
        if self.progress is not None:
            cost = None if self.best_cost is None else Decimal(self.best_cost) / UNITS_PER_KES
            self.progress(fraction, cost)


def _visits(model: Model, route: pyvrp.Route) -> tuple[list[PlannedStop], list[PlannedReload]]:
    """A PyVRP route's deliveries, each with its trip, and its returns to reload between trips.

    PyVRP puts the loading time on the leg out of the depot (:class:`~.problem.Layout`), so the
    truck is out again that long after the reload visit ends.
    """
    now = model.layout.state.now
    loading = timedelta(seconds=round(model.layout.state.belief.loading_minutes * 60))
    stops: list[PlannedStop] = []
    reloads: list[PlannedReload] = []
    pending: PlannedReload | None = None  # a reload counts once a delivery follows it
    for visit in route.schedule()[1:-1]:
        if not visit.is_client():
            if stops and pending is None:
                pending = PlannedReload(
                    arrival=now + timedelta(seconds=visit.start_time),
                    departure=now + timedelta(seconds=visit.end_time) + loading,
                )
            continue
        if pending is not None:
            reloads.append(pending)
            pending = None
        eta = now + timedelta(seconds=visit.start_time)
        stops.append(
            PlannedStop(
                order_id=model.clients[visit.idx],
                arrival=eta - timedelta(seconds=visit.wait_duration),
                eta=eta,
                departure=now + timedelta(seconds=visit.end_time),
                trip=len(reloads),
            )
        )
    return stops, reloads


def read_solution(
    model: Model, best: pyvrp.Solution | None, *, started: float, iterations: int, seed: int
) -> Plan:
    """Turn PyVRP's best solution into a :class:`Plan` (``None``: nothing to route)."""
    layout = model.layout
    state, problem = layout.state, layout.problem
    orders = {o.order_id: o for o in state.orders}
    now = state.now
    routes: list[PlannedRoute] = []
    feasible = True
    if best is not None:
        feasible = best.is_feasible()
        next_truck = [0] * len(model.vehicle_trucks)
        for route in best.routes():
            kind = route.vehicle_type()
            truck = model.vehicle_trucks[kind][next_truck[kind]]
            next_truck[kind] += 1
            stops, reloads = _visits(model, route)
            carried = [orders[s.order_id] for s in stops]
            feasible = feasible and all(truck.can_carry(o) for o in carried)
            trips = [[o for s, o in zip(stops, carried, strict=True) if s.trip == n]
                     for n in range(len(reloads) + 1)]  # fmt: skip
            routes.append(
                PlannedRoute(
                    vehicle_id=truck.vehicle_id,
                    vehicle_type=truck.vehicle_type,
                    stops=tuple(stops),
                    start=now + timedelta(seconds=route.start_time()),
                    end=now + timedelta(seconds=route.end_time()),
                    distance_m=route.distance(),
                    duration_s=route.duration(),
                    cost_kes=truck.route_cost(route.distance(), route.duration()).quantize(CENTS),
                    load_kg=max(sum(o.weight_kg for o in trip) for trip in trips),
                    load_dm3=max(sum(o.volume_dm3 for o in trip) for trip in trips),
                    reloads=tuple(reloads),
                )
            )
    routed = {oid for r in routes for oid in r.order_ids}
    unassigned = tuple(o.order_id for o in state.orders if o.order_id not in routed)
    if problem.hard_required:
        feasible = feasible and not any(problem.is_required(oid) for oid in unassigned)
    cost = sum((r.cost_kes for r in routes), Decimal(0))
    declined = sum(
        (problem.prize(oid) for oid in unassigned if not problem.is_required(oid)), Decimal(0)
    )
    return Plan(
        routes=tuple(routes),
        unassigned=unassigned,
        cost_kes=cost,
        objective_kes=(cost + declined).quantize(CENTS),
        feasible=feasible,
        runtime_s=time.perf_counter() - started,
        iterations=iterations,
        seed=seed,
    )
