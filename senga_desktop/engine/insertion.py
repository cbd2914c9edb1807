"""Could an order left out of a plan still join it? Exact insertion checks on the solver's model.

:class:`Inserter` tries an order at every position of every planned route whose truck can carry
it, and as a trip of its own on every compatible idle truck, with exactly the numbers the solver
used (:class:`~senga_desktop.engine.problem.Layout`): kg and dm³ after the policy's capacity
margin, the order's window and every later stop's window (an extra stop pushes them back), the
truck's latest return, and its shift or trip length.

Time follows PyVRP's model. A route leaves its start no earlier than the truck is free and its
orders are released; a truck that arrives before a window opens waits; service must start by the
window's end; the route's duration is the least over all departure times that keep every window
(leaving later absorbs waiting) and must fit the shift. :meth:`Inserter.simulate` computes that
for one sequence of stops (with :func:`~senga_desktop.engine.timing.time_trips`, shared with the
evaluation of hand-made plans). Checking every position that way would cost a pass over the route
per position, so :meth:`Inserter.options` checks them all at once from each route's schedule
(Savelsbergh's forward time slack: how far a stop's service may slip before some window, or the
return, breaks), vectorised with numpy over all positions of all routes, and re-simulates only
the insertions it reports.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt

from senga_desktop.engine.plan import Plan, PlannedRoute
from senga_desktop.engine.problem import Layout, working_day
from senga_desktop.engine.state import OrderState, TruckState
from senga_desktop.engine.timing import HORIZON, StopTimes, time_trips

__all__ = ["Breach", "Evaluation", "Inserter", "Insertion", "Options", "Schedule"]

NORMAL_SHIFT = 12 * 3600  # scale of a time shortfall on a truck without a shift cap
CENTS = Decimal("0.01")
COLUMNS = (
    "lane",  # which lane (route or idle truck) the slot is on
    "prev",  # point before the slot (the truck's start for the first)
    "next",  # point after it (the depot for the last)
    "dprev",  # departure from prev, leaving as early as possible
    "anext",  # arrival at next
    "cumw",  # waiting up to and including prev
    "pmin",  # least slip the stops before the slot allow (waiting included)
    "mstop",  # least slip the stops after it allow
    "mend",  # slip the return allows
    "waits",  # the lane's waiting in all
    "end",  # its return
    "depart",  # its earliest departure
    "shift",  # its duration cap
    "base",  # metres of the leg prev → next the slot replaces (0 on an idle truck)
    "olddur",  # the lane's least duration now
)

Kind = Literal["weight", "volume", "window", "return", "shift"]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Breach:
    """The first constraint a sequence of stops breaks, with the figures behind it.

    ``window``: stop ``stop`` is reached at ``at`` at the earliest, after its window ends at
    ``limit``; ``return``: back at the depot at ``at`` at the earliest, after ``limit``;
    ``shift``: the least duration ``at`` is over the cap ``limit``. Times are seconds from now.
    """

    kind: Literal["window", "return", "shift"]
    at: int
    limit: int
    stop: int = -1


@dataclass(frozen=True)
class Schedule:
    """A sequence of stops timed from its earliest departure (seconds from now)."""

    depart: int
    arrivals: tuple[int, ...]
    starts: tuple[int, ...]  # service starts
    end: int  # back at the depot, leaving at ``depart``
    duration: int  # the least over departure times that keep every window
    distance: int  # metres
    breach: Breach | None


@dataclass(frozen=True)
class Insertion:
    """One way to carry an order: an extra stop on a planned route, or a trip of its own.

    ``position`` is how many of the route's stops come before it; ``kind`` the constraint it
    breaks (``None``: it is feasible); ``cost_kes`` what it adds to the plan's cost, an idle
    truck's fixed cost included.
    """

    truck: TruckState
    route: PlannedRoute | None  # None: a trip of its own on an idle truck
    position: int
    sequence: tuple[OrderState, ...]  # the route's orders with this one inserted
    schedule: Schedule
    kind: Kind | None
    cost_kes: Decimal


@dataclass(frozen=True)
class Options:
    """What an order could join: the cheapest feasible insertion, or else the closest miss.

    ``failures`` counts the compatible trucks by the constraint that rules each out (the one it
    fails by most); ``idle`` is how many compatible trucks have no route.
    """

    best: Insertion | None
    closest: Insertion | None
    failures: Counter[str]
    trucks: int
    idle: int


@dataclass(frozen=True)
class Evaluation:
    """Per slot (position on a lane): by how much each constraint is broken (> 0 broken),
    the least duration and the added cost (KES, float: for ranking only)."""

    compatible: npt.NDArray[np.bool_]
    kg_over: Ints  # per lane
    dm3_over: Ints  # per lane
    window: Ints
    returns: Ints
    over: Ints  # duration over the shift
    duration: Ints
    cost: npt.NDArray[np.float64]
    feasible: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class _Lane:
    """A truck and its planned stops (none for an idle truck)."""

    truck: TruckState
    route: PlannedRoute | None
    orders: tuple[OrderState, ...]
    schedule: Schedule
    first: int  # index of its first slot


class Inserter:
    """Insertion checks of orders into a plan, on the layout the plan was solved on."""

    def __init__(self, layout: Layout, plan: Plan) -> None:
        self.layout = layout
        state = layout.state
        self._point = {o.order_id: layout.first_order + i for i, o in enumerate(state.orders)}
        self._orders = {o.order_id: o for o in state.orders}
        self._times = StopTimes.of(layout)
        self._early, self._late = self._times.early, self._times.late
        self._service, self._release = self._times.service, self._times.release
        used = {route.vehicle_id for route in plan.routes}
        lanes: list[tuple[TruckState, PlannedRoute | None, tuple[OrderState, ...]]] = [
            (state.truck(r.vehicle_id), r, tuple(self._orders[o] for o in r.order_ids))
            for r in plan.routes
        ]
        lanes += [(t, None, ()) for t in state.trucks if t.vehicle_id not in used]
        self._lanes: list[_Lane] = []
        self._build(lanes)

    # --- one sequence, exactly ---

    def simulate(self, truck: TruckState, orders: Sequence[OrderState]) -> Schedule:
        """Time ``orders`` in sequence on ``truck`` from its earliest departure."""
        layout = self.layout
        latest = min(layout.truck_window(truck)[1], HORIZON)
        shift = min(layout.shift_seconds(truck), HORIZON)
        index = [self._point[o.order_id] - layout.first_order for o in orders]
        line = time_trips(layout, self._times, truck, [index] if index else [])
        if not orders:  # an idle truck does not drive
            return Schedule(line.depart, (), (), line.depart, 0, 0, None)
        breach: Breach | None = None
        for n, i in enumerate(index):
            if line.starts[n] > self._late[i]:
                breach = Breach("window", line.arrivals[n], self._late[i], n)
                break
        if breach is None and line.end > latest:
            breach = Breach("return", line.end, latest)
        if breach is None and line.duration > shift:
            breach = Breach("shift", line.duration, shift)
        return Schedule(
            line.depart, line.arrivals, line.starts, line.end, line.duration, line.distance, breach
        )

    def cost(self, truck: TruckState, schedule: Schedule) -> Decimal:
        """What a route with this schedule costs, as the solver's plan states it."""
        if not schedule.arrivals:
            return Decimal(0)
        return truck.route_cost(schedule.distance, schedule.duration)

    # --- every position at once ---

    def _build(
        self, lanes: list[tuple[TruckState, PlannedRoute | None, tuple[OrderState, ...]]]
    ) -> None:
        """Per slot (a position on a lane): the schedule figures the O(1) check needs."""
        rows: list[tuple[int, ...]] = []
        for n, (truck, route, orders) in enumerate(lanes):
            schedule = self.simulate(truck, orders)
            self._lanes.append(_Lane(truck, route, orders, schedule, len(rows)))
            rows += [(n, *row) for row in self._slots(truck, orders, schedule)]
        table = np.array(rows, dtype=np.int64).reshape(len(rows), len(COLUMNS))
        self._cols = {name: table[:, k] for k, name in enumerate(COLUMNS)}
        lane = self._cols["lane"]
        self._groups: dict[tuple[str, int | None], Ints] = {}
        for key in {(t.vehicle_type, working_day(t)) for t, _, _ in lanes}:
            members = [n for n, (t, _, _) in enumerate(lanes)
                       if (t.vehicle_type, working_day(t)) == key]  # fmt: skip
            self._groups[key] = np.flatnonzero(np.isin(lane, members))
        trucks = [x.truck for x in self._lanes]
        caps = np.array([self.layout.capacity(t) for t in trucks], dtype=np.int64)
        # A truck that may reload has its whole capacity free on a trip of its own, so only an
        # order larger than the truck makes it "full" (the extra trip's time is not modelled).
        loads = [(0, 0) if x.truck.max_trips > 1 else
                 (sum(o.weight_kg for o in x.orders), sum(o.volume_dm3 for o in x.orders))
                 for x in self._lanes]  # fmt: skip
        self._cap_kg, self._cap_dm3 = caps.reshape(-1, 2).T
        self._load_kg, self._load_dm3 = np.array(loads, dtype=np.int64).reshape(-1, 2).T
        self._per_km = np.array([float(t.cost_per_km) for t in trucks])
        self._per_hour = np.array([float(t.cost_per_hour) for t in trucks])
        self._fixed = np.array(
            [0.0 if x.orders else float(x.truck.fixed_cost) for x in self._lanes]
        )

    def _slots(
        self, truck: TruckState, orders: tuple[OrderState, ...], schedule: Schedule
    ) -> list[tuple[int, ...]]:
        """One row per position on this lane, in :data:`COLUMNS` order (after ``lane``)."""
        layout = self.layout
        dur, dist = layout.truck_durations(truck), layout.distances
        latest = min(layout.truck_window(truck)[1], HORIZON)
        shift = min(layout.shift_seconds(truck), HORIZON)
        points = [layout.start_index(truck), *(self._point[o.order_id] for o in orders), 0]
        index = [p - layout.first_order for p in points[1:-1]]
        # cum: waiting so far after each stop; terms: how far its service may slip, waiting
        # included (Savelsbergh's forward time slack, taken as prefix and suffix minima).
        cum, terms, total = [0], [], 0
        for k, i in enumerate(index):
            total += schedule.starts[k] - schedule.arrivals[k]
            cum.append(total)
            terms.append(total + self._late[i] - schedule.starts[k])
        end = schedule.end if orders else schedule.depart + int(dur[points[0], 0])
        leave = [schedule.depart]
        leave += [s + self._service[i] for s, i in zip(schedule.starts, index, strict=True)]
        arrive = [*schedule.arrivals, end]
        suffix = [HORIZON] * (len(index) + 1)
        for k in range(len(index) - 1, -1, -1):
            suffix[k] = min(suffix[k + 1], terms[k])
        prefix = [HORIZON, *itertools.accumulate(terms, min)]
        return [
            (
                points[k],
                points[k + 1],
                leave[k],
                arrive[k],
                cum[k],
                prefix[k],
                suffix[k],
                total + latest - end,
                total,
                end,
                schedule.depart,
                shift,
                int(dist[points[k], points[k + 1]]) if orders else 0,
                schedule.duration,
            )
            for k in range(len(index) + 1)
        ]

    def options(self, order: OrderState) -> Options:
        """Every way to carry ``order`` in the plan: the cheapest that is feasible, or else the
        one that fails by the least."""
        lanes = self._lanes
        compatible = self._compatible(order)
        idle = sum(1 for x, ok in zip(lanes, compatible, strict=True) if ok and not x.orders)
        if not lanes or not compatible.any():
            return Options(None, None, Counter(), 0, idle)
        ev = self.evaluate(order)
        best = self._cheapest(order, np.flatnonzero(ev.feasible), ev.cost)
        if best is not None:
            return Options(best, None, Counter(), int(compatible.sum()), idle)
        misses = self._misses(ev, compatible)
        if not misses:
            return Options(None, None, Counter(), int(compatible.sum()), idle)
        failures: Counter[str] = Counter(kind for _, _, _, kind in misses)
        _, _, slot, kind = min(misses)
        closest = self._insertion(slot, order, kind)
        breach = closest.schedule.breach
        if kind not in ("weight", "volume"):
            if breach is None:  # the check and the full pass disagree: state nothing false
                return Options(None, None, +failures, int(compatible.sum()), idle)
            # The full pass names the first constraint in time, which is the one to state.
            failures[kind] -= 1
            failures[breach.kind] += 1
            closest = replace(closest, kind=breach.kind)
        return Options(None, closest, +failures, int(compatible.sum()), idle)

    def _compatible(self, order: OrderState) -> npt.NDArray[np.bool_]:
        """Per lane: whether its truck can carry the order."""
        return np.array([x.truck.can_carry(order) for x in self._lanes], dtype=bool)

    def _misses(
        self, ev: Evaluation, compatible: npt.NDArray[np.bool_]
    ) -> list[tuple[float, int, int, Kind]]:
        """For each compatible lane: by how much its best slot fails (a share of capacity or of
        the shift), the lane, the slot and the constraint it fails by most."""
        c = self._cols
        time_short = np.maximum.reduce([ev.window, ev.returns, ev.over]) / np.maximum(
            np.minimum(c["shift"], NORMAL_SHIFT), 1
        )
        kg_short = _share(ev.kg_over, self._cap_kg)
        dm3_short = _share(ev.dm3_over, self._cap_dm3)
        misses: list[tuple[float, int, int, Kind]] = []
        for n in np.flatnonzero(compatible):
            lane = self._lanes[n]
            slots = slice(lane.first, lane.first + len(lane.orders) + 1)
            slot = lane.first + int(np.argmin(time_short[slots]))
            timing = float(time_short[slot])
            load = max(float(kg_short[n]), float(dm3_short[n]))
            if max(timing, load) <= 0:
                continue  # feasible by the check but refused by the full pass: not a miss
            kind: Kind
            if load > 0 and load >= timing:
                kind = "weight" if kg_short[n] >= dm3_short[n] else "volume"
            elif ev.window[slot] > 0:
                kind = "window"
            else:
                kind = "return" if ev.returns[slot] > 0 else "shift"
            misses.append((max(timing, load), int(n), slot, kind))
        return misses

    def slots(self) -> list[tuple[TruckState, PlannedRoute | None, int]]:
        """The slots :meth:`evaluate` checks, in its order: truck, route (``None``: a trip of
        its own on an idle truck) and how many of the route's stops come before the order."""
        return [
            (lane.truck, lane.route, k) for lane in self._lanes for k in range(len(lane.orders) + 1)
        ]

    def evaluate(self, order: OrderState) -> Evaluation:
        """Every slot (see :meth:`slots`) checked for ``order`` at once."""
        compatible = self._compatible(order)
        c = self._cols
        i = self._point[order.order_id] - self.layout.first_order
        point = self.layout.first_order + i
        early, late, service = self._early[i], self._late[i], self._service[i]
        t_in = np.empty(len(c["lane"]), dtype=np.int64)
        t_out = np.empty_like(t_in)
        for (kind, workday), slots in self._groups.items():
            matrix = self.layout.durations(kind, workday)
            t_in[slots] = matrix[c["prev"][slots], point]
            t_out[slots] = matrix[point, c["next"][slots]]
        shifted = np.maximum(self._release[i] - c["depart"], 0)  # a later release delays all
        arrive = c["dprev"] + np.maximum(shifted - c["cumw"], 0) + t_in
        start = np.maximum(arrive, early)
        leave = start + service
        push = leave + t_out - c["anext"]  # how much later the next stop (or return) is reached
        before = c["mstop"] - c["cumw"]  # slack of the later stops' windows
        back = c["mend"] - c["cumw"]  # slack of the return
        waits = np.maximum(c["cumw"] - shifted, 0) + (start - arrive)
        later_waits = c["waits"] - c["cumw"]
        end = c["end"] + np.maximum(push - later_waits, 0)
        total_waits = waits + np.maximum(later_waits - push, 0)
        slack = np.minimum(
            np.minimum(c["pmin"] - shifted, waits + late - start),
            waits + np.minimum(before, back) - push,
        )
        duration = end - (c["depart"] + shifted) - np.minimum(slack, total_waits)
        window = np.maximum.reduce([start - late, shifted - c["pmin"], push - before])
        returns = push - back
        over = duration - c["shift"]
        lane = c["lane"]
        metres = (
            self.layout.distances[c["prev"], point]
            + self.layout.distances[point, c["next"]]
            - c["base"]
        )
        # An earlier arrival downstream (legs that break the triangle inequality, e.g. an
        # overnight rest saved) cannot break a window, but its duration needs a full pass.
        exact = np.flatnonzero((push < 0) & compatible[lane] & (window <= 0))
        for slot in exact:
            window[slot] = returns[slot] = -1
            sched = self._insert(int(slot), order)[1]
            duration[slot] = sched.duration
            over[slot] = 1 if sched.breach else sched.duration - c["shift"][slot]
        cost = self._fixed[lane] + (
            self._per_km[lane] * metres / 1000
            + self._per_hour[lane] * (duration - c["olddur"]) / 3600
        )
        kg_over = self._load_kg + order.weight_kg - self._cap_kg
        dm3_over = self._load_dm3 + order.volume_dm3 - self._cap_dm3
        fits = compatible & (kg_over <= 0) & (dm3_over <= 0)
        timely = (window <= 0) & (returns <= 0) & (over <= 0)
        return Evaluation(
            compatible[lane],
            kg_over,
            dm3_over,
            window,
            returns,
            over,
            duration,
            cost,
            fits[lane] & timely,
        )

    def _insert(self, slot: int, order: OrderState) -> tuple[_Lane, Schedule, int]:
        lane = self._lanes[int(self._cols["lane"][slot])]
        position = slot - lane.first
        sequence = (*lane.orders[:position], order, *lane.orders[position:])
        return lane, self.simulate(lane.truck, sequence), position

    def _insertion(self, slot: int, order: OrderState, kind: Kind | None) -> Insertion:
        lane, schedule, position = self._insert(slot, order)
        sequence = (*lane.orders[:position], order, *lane.orders[position:])
        added = self.cost(lane.truck, schedule) - self.cost(lane.truck, lane.schedule)
        return Insertion(
            lane.truck, lane.route, position, sequence, schedule, kind, added.quantize(CENTS)
        )

    def _cheapest(
        self, order: OrderState, feasible: Ints, cost: npt.NDArray[np.float64]
    ) -> Insertion | None:
        """The cheapest feasible insertion, confirmed by a full pass and priced exactly."""
        if not feasible.size:
            return None
        ranked = feasible[np.argsort(cost[feasible], kind="stable")]
        found: list[Insertion] = []
        for slot in ranked:
            if found and cost[slot] > float(found[0].cost_kes) + 0.01:
                break  # nothing further can be cheaper once priced exactly
            insertion = self._insertion(int(slot), order, None)
            if insertion.schedule.breach is None:
                found.append(insertion)
        return min(found, key=lambda x: x.cost_kes) if found else None


def _share(excess: Ints, capacity: Ints) -> npt.NDArray[np.float64]:
    """``excess`` as a share of ``capacity`` (infinite for a positive excess on no capacity)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share = excess / capacity
    return np.where(capacity > 0, share, np.where(excess > 0, np.inf, 0.0))
