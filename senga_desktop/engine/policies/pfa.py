"""PFA — a policy function approximation: a dispatcher's rule of thumb, with tunable thresholds.

A town's pending orders go when any of these holds, else they all wait for a fuller load:

``load_threshold``
    their load fills at least this share of the largest free truck (kg or dm³, whichever is
    fuller);
``wait_hours``
    the oldest of them has waited this long;
``due_hours``
    one of them must be delivered within this many hours (so the rule never lets a window pass).

Dispatched towns are served in order of urgency, each filling trucks greedily: its orders (the
hardest to place first) go on a truck already serving the town if they fit, else on the smallest
free compatible truck that takes the rest of the town's load (or the largest, if none does). A
truck serves one town. Each truck's stops are then sequenced by the solver, which also drops any
stop the truck cannot reach in time.

Pinned orders skip the rule: each pinned truck carries its pinned orders (and only those), and
the other trucks are filled as above. With a warm start, each truck's search starts from the
warm start's order of stops on that truck, when it has a route there.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import ClassVar

from senga_desktop.domain import PolicyName
from senga_desktop.engine.explain import Reason, ReasonCode, explain_unassigned, screen
from senga_desktop.engine.plan import Plan, PlannedRoute
from senga_desktop.engine.policies.base import (
    BasePolicy,
    Decision,
    pins_within,
    sub_progress,
    substate,
)
from senga_desktop.engine.problem import CancelToken, Layout, ProgressCallback, RoutingProblem
from senga_desktop.engine.state import OrderState, PlanningState, TruckState

__all__ = ["PFAPolicy"]

HOUR = timedelta(hours=1)


class PFAPolicy(BasePolicy):
    """Dispatch a town when its load, its oldest order's wait or a due date says so."""

    NAME = PolicyName.PFA
    DEFAULTS: ClassVar[Mapping[str, float]] = {
        "load_threshold": 0.8,
        "wait_hours": 24.0,
        "due_hours": 12.0,
    }
    RANGES: ClassVar[Mapping[str, tuple[float, float]]] = {
        "load_threshold": (0.0, 1.0),
        "wait_hours": (0.0, 720.0),
        "due_hours": (0.0, 168.0),
    }

    def decide(
        self,
        state: PlanningState,
        *,
        seed: int = 0,
        time_limit: float | None = 10.0,
        max_iterations: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        warm_start: Plan | None = None,
        pins: Mapping[str, str] | None = None,
    ) -> Decision:
        """Apply the rule, fill trucks greedily, sequence each truck with the solver."""
        started = time.perf_counter()
        travel = self.travel_for(state)
        pinned = pins_within(pins, state)
        whole = RoutingProblem(state)
        impossible = screen(Layout(whole, travel))
        candidates = [o for o in state.orders if o.order_id not in impossible]
        dispatch, held = self.apply_rule(state, [o for o in candidates if o.order_id not in pinned])
        loads = pinned_loads(state, [o for o in candidates if o.order_id in pinned], pinned)
        taken = {truck.vehicle_id for truck, _ in loads}
        loads += fill_trucks(tuple(t for t in state.trucks if t.vehicle_id not in taken), dispatch)
        routes: list[PlannedRoute] = []
        iterations = 0
        feasible = True
        for n, (truck, orders) in enumerate(loads):
            share = time_limit / len(loads) if time_limit is not None else None
            plan = self.optimise(
                RoutingProblem(substate(state, orders, (truck,))),
                travel,
                seed=seed,
                time_limit=share,
                max_iterations=max_iterations,
                progress=sub_progress(progress, n / len(loads), (n + 1) / len(loads)),
                cancel=cancel,
                # The solver keeps only this truck's route of the warm start, and of it only
                # the orders of this load.
                warm_start=warm_start,
            )
            routes.extend(plan.routes)
            iterations += plan.iterations
            feasible = feasible and plan.feasible
        routed = {oid for r in routes for oid in r.order_ids}
        cost = sum((r.cost_kes for r in routes), Decimal(0))
        plan = Plan(
            routes=tuple(routes),
            unassigned=tuple(o.order_id for o in state.orders if o.order_id not in routed),
            cost_kes=cost,
            objective_kes=cost,
            feasible=feasible,
            runtime_s=time.perf_counter() - started,
            iterations=iterations,
            seed=seed,
        )
        if progress is not None:
            progress(1.0, cost)
        required = frozenset(o.order_id for o in dispatch)
        explained = RoutingProblem(state, required=required, pins=pinned)
        reasons = explain_unassigned(Layout(explained, travel), plan, held=held)
        return self._decision(seed, plan, reasons, started)

    def apply_rule(
        self, state: PlanningState, orders: list[OrderState]
    ) -> tuple[list[OrderState], dict[str, Reason]]:
        """Split ``orders`` into those whose town is dispatched now and those held."""
        if not state.trucks:
            return [], {}
        ref_kg = max(t.capacity_kg for t in state.trucks)
        ref_dm3 = max(t.capacity_dm3 for t in state.trucks)
        by_town: dict[str, list[OrderState]] = defaultdict(list)
        for order in orders:
            by_town[order.town].append(order)
        ranked: list[tuple[tuple[float, float, float], list[OrderState]]] = []
        held: dict[str, Reason] = {}
        for town, group in by_town.items():
            kg, dm3 = sum(o.weight_kg for o in group), sum(o.volume_dm3 for o in group)
            load = max(kg / ref_kg if ref_kg else 0.0, dm3 / ref_dm3 if ref_dm3 else 0.0)
            waited = max(_age_hours(state, o) for o in group)
            due_in = min(_hours_left(state, o) for o in group)
            if (
                load >= self.theta("load_threshold")
                or waited >= self.theta("wait_hours")
                or due_in <= self.theta("due_hours")
            ):
                ranked.append(((due_in, -waited, -load), group))
                continue
            message = (
                f"{town}'s {len(group)} order(s) fill {load:.0%} of a truck (rule: "
                f"{self.theta('load_threshold'):.0%}), the oldest has waited {waited:.1f} h (rule: "
                f"{self.theta('wait_hours'):g} h) and none is due within "
                f"{self.theta('due_hours'):g} h: waiting for a fuller load."
            )
            details = {"town": town, "load_share": f"{load:.4f}", "oldest_wait_h": f"{waited:.2f}"}
            for order in group:
                held[order.order_id] = Reason(
                    order.order_id, ReasonCode.HELD_BY_POLICY, message, details
                )
        ranked.sort(key=lambda item: item[0])
        return [order for _, group in ranked for order in group], held


def pinned_loads(
    state: PlanningState, orders: list[OrderState], pins: Mapping[str, str]
) -> list[tuple[TruckState, list[OrderState]]]:
    """Each pinned truck with its pinned orders, in the state's order of trucks."""
    loads: dict[str, list[OrderState]] = {}
    for order in orders:
        loads.setdefault(pins[order.order_id], []).append(order)
    return [(t, loads[t.vehicle_id]) for t in state.trucks if t.vehicle_id in loads]


def fill_trucks(
    trucks: tuple[TruckState, ...], orders: list[OrderState]
) -> list[tuple[TruckState, list[OrderState]]]:
    """Greedy first-fit, one town per truck, in the order the towns come in ``orders``."""
    free = sorted(trucks, key=lambda t: (t.free_from, -t.capacity_kg, t.vehicle_id))
    loads: list[tuple[TruckState, list[OrderState]]] = []
    towns: dict[str, list[OrderState]] = defaultdict(list)
    for order in orders:
        towns[order.town].append(order)
    for group in towns.values():
        # Special handling first (fewer trucks can take it), then the heaviest.
        pending = sorted(group, key=lambda o: (-len(o.special_handling), -o.weight_kg))
        mine: list[tuple[TruckState, list[OrderState], list[int]]] = []
        for order in pending:
            target = next((m for m in mine if _room(m[0], m[2], order)), None)
            if target is None:
                truck = _pick_truck(free, order, pending[pending.index(order) :])
                if truck is None:
                    continue  # no free truck fits: explain() reports it
                free.remove(truck)
                target = (truck, [], [0, 0])
                mine.append(target)
            target[1].append(order)
            target[2][0] += order.weight_kg
            target[2][1] += order.volume_dm3
        loads.extend((truck, load) for truck, load, _ in mine)
    return loads


def _room(truck: TruckState, used: list[int], order: OrderState) -> bool:
    return (
        truck.can_carry(order)
        and used[0] + order.weight_kg <= truck.capacity_kg
        and used[1] + order.volume_dm3 <= truck.capacity_dm3
    )


def _pick_truck(
    free: list[TruckState], order: OrderState, rest: list[OrderState]
) -> TruckState | None:
    """The smallest compatible truck taking all of ``rest``, else the largest taking ``order``."""
    able = [t for t in free if _room(t, [0, 0], order)]
    if not able:
        return None
    kg, dm3 = sum(o.weight_kg for o in rest), sum(o.volume_dm3 for o in rest)
    whole = [t for t in able if t.capacity_kg >= kg and t.capacity_dm3 >= dm3]
    if whole:
        return min(whole, key=lambda t: (t.capacity_kg, t.capacity_dm3))
    return max(able, key=lambda t: (t.capacity_kg, t.capacity_dm3))


def _age_hours(state: PlanningState, order: OrderState) -> float:
    return 0.0 if order.created_at is None else (state.now - order.created_at) / HOUR


def _hours_left(state: PlanningState, order: OrderState) -> float:
    return float("inf") if order.window_end is None else (order.window_end - state.now) / HOUR
