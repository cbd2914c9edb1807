"""The policy interface: one ``decide(state) -> Decision`` for every class of Powell policy.

A policy has a name, named tunable parameters θ with defaults (stored with every decision so it can
be replayed and tuned), and :meth:`Policy.decide`, which returns a :class:`Decision`: the plan to
propose, every order left out with its reason, and — for policies that can tell — a confidence.
"""

from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType
from typing import ClassVar, Protocol

from senga_desktop.domain import PolicyName
from senga_desktop.engine.explain import Reason
from senga_desktop.engine.parallel import consecutive_seeds, solve_best_of
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.problem import CancelToken, ProgressCallback, RoutingProblem
from senga_desktop.engine.solver import solve
from senga_desktop.engine.state import OrderState, PlanningState, TruckState
from senga_desktop.engine.travel import GreatCircleTravel, TravelModel
from senga_desktop.errors import ValidationError

__all__ = [
    "BasePolicy",
    "Decision",
    "Policy",
    "covering",
    "pins_within",
    "sub_progress",
    "substate",
]


@dataclass(frozen=True)
class Decision:
    """What a policy decided at one planning moment.

    ``held`` gives every order of the state that is not on a route its reason — held by the
    policy, or impossible to carry now. ``confidence`` is in [0, 1] (DLA's agreement across sampled
    futures); ``None`` for policies with no such measure.
    """

    policy: PolicyName
    parameters: Mapping[str, float]
    seed: int
    plan: Plan
    held: Mapping[str, Reason]
    confidence: float | None
    runtime_s: float
    # The schedule (Plan.schedule) of every search the decision ran, in order: handed back to
    # make_policy(replay=...), the decision is replayed exactly even if it was time-limited.
    schedules: tuple[tuple[tuple[int, ...], ...], ...] = ()

    @property
    def dispatched(self) -> tuple[str, ...]:
        """The orders on the plan's routes."""
        return self.plan.order_ids


class Policy(Protocol):
    """A planning policy: decides what to dispatch now, on which truck, in which order."""

    @property
    def name(self) -> PolicyName: ...

    @property
    def parameters(self) -> Mapping[str, float]: ...

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
        """Decide for ``state``. With ``max_iterations`` and no ``time_limit`` the decision is
        reproducible for a given seed; a cancelled run raises ``PlanningCancelled``.

        ``warm_start`` (a plan for this state or part of it: a proposal, a committed plan, a
        plan being edited) is where every search starts; what no longer fits is dropped.
        ``pins`` (order id → vehicle id) keeps orders on chosen trucks: a pinned order goes on
        its truck or, if it cannot, is left out with the reason; the policy never holds it.
        """
        ...


class BasePolicy(ABC):
    """Parameter handling shared by the policies: defaults, ranges and the travel model.

    Subclasses set :attr:`NAME`, :attr:`DEFAULTS` and :attr:`RANGES` (inclusive bounds).
    """

    NAME: ClassVar[PolicyName]
    DEFAULTS: ClassVar[Mapping[str, float]]
    RANGES: ClassVar[Mapping[str, tuple[float, float]]]

    def __init__(
        self,
        parameters: Mapping[str, float] | None = None,
        *,
        travel: TravelModel | None = None,
        workers: int = 1,
        replay: Sequence[Sequence[Sequence[int]]] | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        merged = dict(self.DEFAULTS)
        for key, value in (parameters or {}).items():
            if key not in self.DEFAULTS:
                known = ", ".join(sorted(self.DEFAULTS))
                raise ValidationError(key, f"{self.NAME} has no parameter {key!r} (known: {known})")
            low, high = self.RANGES[key]
            number = float(value)
            if not (math.isfinite(number) and low <= number <= high):
                raise ValidationError(key, f"{key} must be between {low} and {high}, got {value}")
            merged[key] = number
        self._parameters = MappingProxyType(merged)
        self._travel = travel
        self._workers = workers
        self._replay = None if replay is None else [tuple(map(tuple, s)) for s in replay]
        self._schedules: list[tuple[tuple[int, ...], ...]] = []
        self._default_travel: tuple[object, TravelModel] | None = None

    @property
    def name(self) -> PolicyName:
        """The policy's class in Powell's terms."""
        return self.NAME

    @property
    def parameters(self) -> Mapping[str, float]:
        """Every tunable θ with its value (defaults filled in)."""
        return self._parameters

    @abstractmethod
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
        """See :meth:`Policy.decide`."""

    @property
    def workers(self) -> int:
        """How many processes each search of this policy uses (1: in this process)."""
        return self._workers

    def optimise(
        self,
        problem: RoutingProblem,
        travel: TravelModel,
        *,
        seed: int,
        time_limit: float | None,
        max_iterations: int | None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        warm_start: Plan | None = None,
    ) -> Plan:
        """Route ``problem``: one search here, or the best of :attr:`workers` parallel seeds
        (``seed, seed + 1, …``) sharing their best plans (:mod:`~senga_desktop.engine.parallel`).

        A policy built with ``replay`` schedules runs each search for exactly the iterations of
        the next one (the limits given here are then ignored); every search's schedule is kept
        for the decision.
        """
        plan = self._search(
            problem,
            travel,
            seed=seed,
            time_limit=time_limit,
            max_iterations=max_iterations,
            progress=progress,
            cancel=cancel,
            warm_start=warm_start,
        )
        self._schedules.append(plan.schedule)
        return plan

    def _search(
        self,
        problem: RoutingProblem,
        travel: TravelModel,
        *,
        seed: int,
        time_limit: float | None,
        max_iterations: int | None,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
        warm_start: Plan | None,
    ) -> Plan:
        schedule = None
        if self._replay is not None:
            if not self._replay:
                raise ValueError("the replayed decision ran fewer searches than this one")
            schedule = self._replay.pop(0)
            time_limit, max_iterations = None, sum(counts[0] for counts in schedule)
        seeds = len(schedule[0]) if schedule else self._workers
        if seeds == 1:
            return solve(
                problem,
                travel,
                seed=seed,
                time_limit=time_limit,
                max_iterations=max_iterations,
                progress=progress,
                cancel=cancel,
                warm_start=warm_start,
            )
        return solve_best_of(
            problem,
            travel,
            seeds=consecutive_seeds(seed, seeds),
            time_limit=time_limit,
            max_iterations=max_iterations,
            progress=progress,
            cancel=cancel,
            warm_start=warm_start,
            schedule=schedule,
        )

    def theta(self, key: str) -> float:
        """One parameter's value."""
        return self._parameters[key]

    def travel_for(self, state: PlanningState) -> TravelModel:
        """The travel model given at construction, else great-circle travel on the belief."""
        if self._travel is not None:
            return self._travel
        if self._default_travel is None or self._default_travel[0] != state.belief:
            self._default_travel = (state.belief, GreatCircleTravel(state.belief))
        return self._default_travel[1]

    def _decision(
        self,
        seed: int,
        plan: Plan,
        held: Mapping[str, Reason],
        started: float,
        confidence: float | None = None,
    ) -> Decision:
        return Decision(
            policy=self.NAME,
            parameters=dict(self._parameters),
            seed=seed,
            plan=plan,
            held=dict(held),
            confidence=confidence,
            runtime_s=time.perf_counter() - started,
            schedules=self._take_schedules(),
        )

    def _take_schedules(self) -> tuple[tuple[tuple[int, ...], ...], ...]:
        taken, self._schedules = tuple(self._schedules), []
        return taken


def substate(
    state: PlanningState,
    orders: Sequence[OrderState],
    trucks: Sequence[TruckState] | None = None,
) -> PlanningState:
    """The same moment and belief with only ``orders`` (and only ``trucks``, if given)."""
    if trucks is None:
        return replace(state, orders=tuple(orders))
    return replace(state, orders=tuple(orders), trucks=tuple(trucks))


def pins_within(pins: Mapping[str, str] | None, state: PlanningState) -> dict[str, str]:
    """The pins whose order and truck are both in ``state`` (a policy's sub-problems)."""
    if not pins:
        return {}
    orders = {o.order_id for o in state.orders}
    trucks = {t.vehicle_id for t in state.trucks}
    return {o: v for o, v in pins.items() if o in orders and v in trucks}


def covering(plan: Plan, state: PlanningState) -> Plan:
    """``plan`` (solved for part of ``state``) listing every order of ``state`` it leaves out."""
    routed = set(plan.order_ids)
    left = tuple(o.order_id for o in state.orders if o.order_id not in routed)
    return replace(plan, unassigned=left)


def sub_progress(
    progress: ProgressCallback | None, start: float, end: float
) -> ProgressCallback | None:
    """Map a sub-task's progress in [0, 1] onto [start, end] of the whole decision."""
    if progress is None:
        return None

    def report(fraction: float, cost: Decimal | None) -> None:
        progress(start + (end - start) * min(max(fraction, 0.0), 1.0), cost)

    return report
