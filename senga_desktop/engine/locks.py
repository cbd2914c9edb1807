"""Locked routes and pinned orders: re-plan everything except what the dispatcher fixed.

A dispatcher who trusts some routes of a plan locks them; :func:`decide_locked` runs a policy on
the state without the locked routes' trucks and orders (and a warm start without them either),
then puts the locked routes back into the decision exactly as they were — the very same
:class:`~senga_desktop.engine.plan.PlannedRoute` objects, ETAs included — so the plan's routes,
totals and held orders cover the whole state. Pinned orders (order id → vehicle id) go to the
policy, which keeps each on its truck (:attr:`~.problem.RoutingProblem.pins`).

The locks are checked first (:func:`check_locks`), with sentences that say what to change: a
lock naming a truck or an order not in this run, an order or a truck on two locked routes, a pin
of an unknown order, to an unknown truck, to a locked truck or of an order on a locked route.

Locked routes are kept, not re-checked: whether a hand-made route keeps every constraint is the
evaluation's question, and the merged plan's ``feasible`` speaks only for the re-planned part.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import MappingProxyType

from senga_desktop.engine.plan import Plan, PlannedRoute
from senga_desktop.engine.policies.base import Decision, Policy
from senga_desktop.engine.problem import CancelToken, ProgressCallback
from senga_desktop.engine.state import PlanningState
from senga_desktop.errors import ValidationError

__all__ = ["PlanLocks", "check_locks", "decide_locked", "restrict_plan", "unlocked_state"]


@dataclass(frozen=True)
class PlanLocks:
    """Routes kept exactly as they are, and orders kept on chosen trucks."""

    routes: tuple[PlannedRoute, ...] = ()
    pins: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "routes", tuple(self.routes))
        object.__setattr__(self, "pins", MappingProxyType(dict(self.pins)))

    @property
    def vehicle_ids(self) -> frozenset[str]:
        """The trucks of the locked routes."""
        return frozenset(r.vehicle_id for r in self.routes)

    @property
    def order_ids(self) -> frozenset[str]:
        """The orders on the locked routes."""
        return frozenset(o for r in self.routes for o in r.order_ids)

    @property
    def empty(self) -> bool:
        """Nothing locked and nothing pinned."""
        return not self.routes and not self.pins


def check_locks(state: PlanningState, locks: PlanLocks) -> None:
    """``ValidationError`` with a sentence saying what to change, if ``locks`` do not fit
    ``state``; nothing otherwise."""
    trucks = {t.vehicle_id for t in state.trucks}
    orders = {o.order_id for o in state.orders}
    carried: dict[str, str] = {}
    locked: set[str] = set()
    for route in locks.routes:
        vid = route.vehicle_id
        if vid not in trucks:
            raise ValidationError(
                "locks",
                f"The locked route of {vid} cannot be kept: {vid} is not among the trucks of "
                "this run. Unlock it, or add the truck to the run.",
            )
        if vid in locked:
            raise ValidationError("locks", f"{vid} has two locked routes: keep only one.")
        locked.add(vid)
        for oid in route.order_ids:
            if oid not in orders:
                raise ValidationError(
                    "locks",
                    f"The locked route of {vid} carries {oid}, which is not among the orders "
                    "of this run. Unlock the route, or take the order off it.",
                )
            if oid in carried:
                other = carried[oid]
                where = "twice" if other == vid else f"and on that of {other}"
                raise ValidationError(
                    "locks",
                    f"{oid} is on the locked route of {vid} {where}: an order goes on one "
                    "route only.",
                )
            carried[oid] = vid
    for oid, vid in sorted(locks.pins.items()):
        if oid not in orders:
            raise ValidationError(
                "pins", f"{oid} is pinned but is not among the orders of this run: remove the pin."
            )
        if vid not in trucks:
            raise ValidationError(
                "pins",
                f"{oid} is pinned to {vid}, which is not among the trucks of this run: pin it to "
                "an available truck, or remove the pin.",
            )
        if vid in locked:
            raise ValidationError(
                "pins",
                f"{oid} is pinned to {vid}, whose route is locked: unlock the route to add "
                "orders to it, or pin the order elsewhere.",
            )
        if oid in carried:
            raise ValidationError(
                "pins",
                f"{oid} is on the locked route of {carried[oid]} and pinned to {vid}: unlock the "
                "route, or remove the pin.",
            )


def unlocked_state(state: PlanningState, locks: PlanLocks) -> PlanningState:
    """``state`` without the locked routes' trucks and orders: what is left to plan."""
    trucks, orders = locks.vehicle_ids, locks.order_ids
    return replace(
        state,
        orders=tuple(o for o in state.orders if o.order_id not in orders),
        trucks=tuple(t for t in state.trucks if t.vehicle_id not in trucks),
    )


def restrict_plan(plan: Plan, state: PlanningState) -> Plan:
    """``plan`` cut down to ``state``: routes of its trucks, stops of its orders (a warm start
    for part of a state). Times and totals are left as they were; the solver reads only which
    orders go on which truck, in which order."""
    trucks = {t.vehicle_id for t in state.trucks}
    orders = {o.order_id for o in state.orders}
    routes = []
    for route in plan.routes:
        if route.vehicle_id not in trucks:
            continue
        stops = tuple(s for s in route.stops if s.order_id in orders)
        if stops:
            routes.append(route if len(stops) == len(route.stops) else replace(route, stops=stops))
    routed = {s.order_id for r in routes for s in r.stops}
    unassigned = tuple(o.order_id for o in state.orders if o.order_id not in routed)
    return replace(plan, routes=tuple(routes), unassigned=unassigned)


def decide_locked(
    policy: Policy,
    state: PlanningState,
    locks: PlanLocks,
    *,
    seed: int = 0,
    time_limit: float | None = 10.0,
    max_iterations: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    warm_start: Plan | None = None,
) -> Decision:
    """``policy``'s decision for ``state`` with the locked routes kept exactly and the pinned
    orders on their trucks (see the module notes); ``ValidationError`` if the locks do not fit.
    """
    check_locks(state, locks)
    if not locks.routes:
        return policy.decide(
            state,
            seed=seed,
            time_limit=time_limit,
            max_iterations=max_iterations,
            progress=progress,
            cancel=cancel,
            warm_start=warm_start,
            pins=dict(locks.pins) or None,
        )
    rest = unlocked_state(state, locks)
    if not rest.orders:
        return _locked_only(policy, state, locks, seed, progress)
    decision = policy.decide(
        rest,
        seed=seed,
        time_limit=time_limit,
        max_iterations=max_iterations,
        progress=progress,
        cancel=cancel,
        warm_start=None if warm_start is None else restrict_plan(warm_start, rest),
        pins=dict(locks.pins) or None,
    )
    return merge_locked(decision, locks, state)


def merge_locked(decision: Decision, locks: PlanLocks, state: PlanningState) -> Decision:
    """``decision`` (for the unlocked rest of ``state``) with the locked routes put back first,
    unchanged, and the plan's totals and left-out orders over the whole state."""
    plan = decision.plan
    locked_cost = sum((r.cost_kes for r in locks.routes), Decimal(0))
    routes = (*locks.routes, *plan.routes)
    routed = {oid for r in routes for oid in r.order_ids}
    merged = replace(
        plan,
        routes=routes,
        unassigned=tuple(o.order_id for o in state.orders if o.order_id not in routed),
        cost_kes=locked_cost + plan.cost_kes,
        objective_kes=locked_cost + plan.objective_kes,
    )
    return replace(decision, plan=merged)


def _locked_only(
    policy: Policy,
    state: PlanningState,
    locks: PlanLocks,
    seed: int,
    progress: ProgressCallback | None,
) -> Decision:
    """Every order is on a locked route: the decision is the locked routes, no search."""
    started = time.perf_counter()
    cost = sum((r.cost_kes for r in locks.routes), Decimal(0))
    plan = Plan(
        routes=tuple(locks.routes),
        unassigned=(),
        cost_kes=cost,
        objective_kes=cost,
        feasible=True,
        runtime_s=0.0,
        iterations=0,
        seed=seed,
    )
    if progress is not None:
        progress(1.0, cost)
    return Decision(
        policy=policy.name,
        parameters=dict(policy.parameters),
        seed=seed,
        plan=plan,
        held={},
        confidence=None,
        runtime_s=time.perf_counter() - started,
    )
