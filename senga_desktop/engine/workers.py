"""The seeds one process searches, and the loop of a search worker process.

A :class:`SeedGroup` builds the routing model once and keeps one resumable
:class:`~senga_desktop.engine.ils.Search` per seed for the whole call, so rounds of a parallel
search continue where they stopped instead of rebuilding the model and relearning penalties. The
same class runs in the caller's process when there is no pool, which is why a search gives the
same plan in or out of process under ``max_iterations``.

:func:`worker_main` is a worker process's loop (see :mod:`~senga_desktop.engine.parallel` for
the messages). It talks to the parent through one pipe: progress (the best feasible cost, at
most every :data:`PROGRESS_INTERVAL` seconds), each round's plans, and errors as text.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from multiprocessing.connection import Connection

import pyvrp

from senga_desktop.engine.ils import Search, route_cost
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.problem import UNITS_PER_KES, Layout, RoutingProblem
from senga_desktop.engine.solver import (
    PENALTY_UPDATES,
    PROGRESS_INTERVAL,
    build_model,
    initial_solution,
    new_search,
    read_solution,
)
from senga_desktop.engine.travel import TravelModel

__all__ = ["Job", "RoundResult", "SeedGroup", "Strategy", "worker_main"]

PENALTY_PACES = (PENALTY_UPDATES, PENALTY_UPDATES // 10)  # plans between updates, by position
FITTED_STARTS = (False, True)  # where the penalties start, by position (see Strategy)
STOP_CHECK = 0.05  # seconds between looks for a stop request during a round


@dataclass(frozen=True)
class Strategy:
    """How the seed at one position of the caller's list searches.

    Position 0 is the anchor: it searches exactly as PyVRP's own ``solve`` does (its penalty
    pace, penalties from the middle of the range) and never adopts another seed's plan, so a
    parallel search always holds PyVRP's own run among its seeds. (Adopting an early better plan
    can lead a 1000-customer search into a valley it would have avoided: on R1_10_1 a plan with
    more vehicles is cheaper for the first half minute.)
    Position 1 starts from penalties fitted to the data and revises them ten times as often,
    which follows tight time windows closely (RC108, the depot day); further positions take the
    other two combinations, then repeat.
    """

    penalty_updates: int
    fitted_start: bool
    adopts: bool

    @classmethod
    def at(cls, position: int) -> Strategy:
        cycle = position % 4
        fitted = FITTED_STARTS[(cycle + cycle // 2) % 2]
        return cls(PENALTY_PACES[cycle % 2], fitted, adopts=position != 0)


@dataclass(frozen=True)
class Job:
    """What a group searches: the problem, its seeds with their positions, where to start."""

    problem: RoutingProblem
    travel: TravelModel
    seeds: tuple[tuple[int, int], ...]  # (seed, position in the caller's list)
    warm_start: Plan | None = None


@dataclass(frozen=True)
class RoundResult:
    """One seed's state after a round: its best as a plan and as PyVRP's solution."""

    seed: int
    plan: Plan
    solution: pyvrp.Solution | None  # None when there was nothing to route
    iterations: int


class SeedGroup:
    """The searches of one process (see the module notes)."""

    def __init__(self, job: Job, on_best_cost: Callable[[Decimal], None] | None = None) -> None:
        self.started = time.perf_counter()
        self.model = build_model(Layout(job.problem, job.travel))
        self._on_best_cost = on_best_cost
        self.searches: dict[int, Search] = {}
        self.adopting: set[int] = set()
        if self.model.data is None:
            self.seeds = tuple(seed for seed, _ in job.seeds)
            return
        initial = None
        if job.warm_start is not None:
            initial = initial_solution(self.model, job.warm_start)
        for seed, position in job.seeds:
            strategy = Strategy.at(position)
            self.searches[seed] = new_search(
                self.model,
                seed=seed,
                initial=initial,
                penalty_updates=strategy.penalty_updates,
                fitted_start=strategy.fitted_start,
                on_best=self._best_found,
            )
            if strategy.adopts:
                self.adopting.add(seed)
        self.seeds = tuple(self.searches)

    def _best_found(self, best: pyvrp.Solution) -> None:
        if self._on_best_cost is not None and best.is_feasible():
            self._on_best_cost(Decimal(route_cost(best)) / UNITS_PER_KES)

    def run_round(
        self,
        *,
        deadline: float | None,
        iterations: int | Mapping[int, int] | None,
        should_stop: Callable[[], bool],
    ) -> list[RoundResult]:
        """Search every seed in turn until ``deadline`` (``time.time()``) is shared out, or for
        ``iterations`` each (or by seed); ``should_stop`` is asked every :data:`STOP_CHECK`
        seconds."""
        for number, seed in enumerate(self.searches):
            until = None
            if deadline is not None:
                now = time.time()
                until = now + max(deadline - now, 0.0) / (len(self.searches) - number)
            search = self.searches[seed]
            count = iterations.get(seed, 0) if isinstance(iterations, Mapping) else iterations
            search.run(_Stop(search, until, count, should_stop))
        return [self.result(seed) for seed in self.seeds]

    def result(self, seed: int) -> RoundResult:
        search = self.searches.get(seed)
        best = None if search is None else search.best
        done = 0 if search is None else search.iterations
        plan = read_solution(self.model, best, started=self.started, iterations=done, seed=seed)
        return RoundResult(seed, plan, best, done)

    def adopt(self, solution: pyvrp.Solution) -> None:
        """Every search here but the anchor's continues from ``solution`` if it beats its own
        best (see :class:`Strategy`)."""
        for seed in self.adopting:
            self.searches[seed].adopt(solution)


class _Stop:
    """A round's stopping rule for one search: its deadline, its iterations, a stop request."""

    def __init__(
        self,
        search: Search,
        until: float | None,
        iterations: int | None,
        should_stop: Callable[[], bool],
    ) -> None:
        self.until = until
        self.last_iteration = None if iterations is None else search.iterations + iterations
        self.search = search
        self.should_stop = should_stop
        self.next_check = time.perf_counter() + STOP_CHECK
        self.stopped = False

    def __call__(self, best_cost: int) -> bool:
        if self.last_iteration is not None and self.search.iterations >= self.last_iteration:
            return True
        now = time.perf_counter()
        if now >= self.next_check:
            self.next_check = now + STOP_CHECK
            if self.should_stop():
                self.stopped = True
                return True
        return self.until is not None and time.time() >= self.until


class _Channel:
    """The worker's side of the pipe: throttled progress, and stop requests seen mid-round."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.best: Decimal | None = None
        self.sent: Decimal | None = None
        self.last_sent = 0.0
        self.stop_requested = False

    def best_cost(self, cost: Decimal) -> None:
        if self.best is None or cost < self.best:
            self.best = cost
        self.flush()

    def flush(self, force: bool = False) -> None:
        now = time.perf_counter()
        if self.best != self.sent and (force or now - self.last_sent >= PROGRESS_INTERVAL):
            self.conn.send(("progress", self.best))
            self.sent, self.last_sent = self.best, now

    def should_stop(self) -> bool:
        self.flush()
        while not self.stop_requested and self.conn.poll():
            message = self.conn.recv()
            self.stop_requested = message[0] == "stop"
        return self.stop_requested


def worker_main(conn: Connection) -> None:
    """A search worker's loop: ``job``, then ``round`` / ``adopt`` messages, until ``close``."""
    group: SeedGroup | None = None
    channel = _Channel(conn)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        try:
            if kind == "close":
                return
            if kind == "job":
                channel = _Channel(conn)
                group = SeedGroup(message[1], on_best_cost=channel.best_cost)
            elif kind == "round" and group is not None:
                results = group.run_round(
                    deadline=message[1], iterations=message[2], should_stop=channel.should_stop
                )
                channel.flush(force=True)
                conn.send(("round", None if channel.stop_requested else results))
                channel.stop_requested = False
            elif kind == "adopt" and group is not None:
                group.adopt(message[1])
            elif kind == "release":
                group = None
        except Exception:  # every failure goes to the parent, which falls back
            conn.send(("error", traceback.format_exc()))
            group = None


def best_solution(results: Sequence[RoundResult], chosen: Plan) -> pyvrp.Solution | None:
    """The PyVRP solution behind ``chosen`` among ``results``."""
    for result in results:
        if result.plan is chosen:
            return result.solution
    return None
