"""Best of several seeds: PyVRP searches with different seeds in parallel processes, sharing
their best plans between rounds.

PyVRP's search is single-threaded; on a machine with spare cores, searches with different seeds
in the same wall-clock time give a better best-of than one. :func:`solve_best_of` runs one
resumable search (:class:`~senga_desktop.engine.ils.Search`) per seed and returns the best plan:

* **Best.** Feasible before infeasible, then the fewest required orders left out, then the lowest
  exact objective (route costs at the unrounded rates plus the prizes of optional orders left
  out), then the lowest seed. With ``max_iterations`` (and no time limit) the result is
  deterministic, the same in worker processes or in this one.
* **Rounds.** The budget is cut into ``rounds`` rounds. Between two rounds every search but the
  anchor (the first seed, which searches exactly as PyVRP would alone: see
  :class:`~.workers.Strategy`) is handed the joint best plan and continues from it if it beats
  its own best — keeping its penalties and its late-acceptance history, and without rebuilding
  the model. (Restarting every search from
  scratch each round, as this module first did, cost a 1000-customer search most of its
  budget: see ``benchmarks/scale_gap.py``.) By default a time-limited search has one round per
  :data:`ROUND_SECONDS`, between :data:`MIN_ROUNDS` and :data:`MAX_ROUNDS`; an
  iteration-limited one :data:`MIN_ROUNDS`.
* **Strategies.** The anchor searches as PyVRP does alone: its penalty pace (revised every 500
  plans) and its starting penalties (the middle of the range). The second seed starts from
  penalties fitted to the data and revises them ten times as often, which follows tight time
  windows closely; further seeds take the other two combinations (:class:`~.workers.Strategy`).
* **Processes.** Worker processes started with ``spawn`` (no fork of a process running Qt
  threads; a frozen app's entry point must call :func:`multiprocessing.freeze_support` first)
  and **kept** between calls, so a re-plan does not pay for starting Python and importing PyVRP
  again; one call at a time uses them (a concurrent call starts its own). ``processes``
  defaults to one per seed; with more seeds than processes a process searches several in turn.
  With one process, one seed, or processes that cannot start or fail, everything runs in this
  process instead (a failure is logged).
* **Time.** ``time_limit`` is the wall-clock budget of the whole call: start-up and building
  the model come out of the first round. ``max_iterations`` is each seed's total, split equally
  between the rounds; the plan's ``iterations`` counts every search.
* **Cancellation.** The parent polls ``cancel`` every :data:`POLL_INTERVAL` seconds and asks
  the workers to stop; they stop within about :data:`~.workers.STOP_CHECK` seconds of their
  current move (a worker still building its model after :data:`STOP_GRACE` seconds is
  terminated). Then :class:`~senga_desktop.errors.PlanningCancelled` is raised.
* **Progress.** ``progress(fraction, cost)``: the elapsed fraction of the time limit (or of the
  rounds, under an iteration limit) and the best feasible cost found by any worker so far,
  streamed as they find it, at most every :data:`~.solver.PROGRESS_INTERVAL` seconds and at
  least once a second; ``1.0`` and the chosen plan's cost at the end.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import logging
import math
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import Any

from senga_desktop.engine.plan import Plan
from senga_desktop.engine.problem import CancelToken, ProgressCallback, RoutingProblem
from senga_desktop.engine.solver import PROGRESS_INTERVAL, solve
from senga_desktop.engine.travel import TravelModel
from senga_desktop.engine.workers import Job, RoundResult, SeedGroup, best_solution, worker_main
from senga_desktop.errors import PlanningCancelled

__all__ = ["best_plan", "consecutive_seeds", "default_workers", "solve_best_of"]

logger = logging.getLogger(__name__)

POLL_INTERVAL = 0.05  # seconds between looks at the workers and the cancel token
STOP_GRACE = 2.0  # seconds a worker may take to stop before it is terminated
ROUND_SECONDS = 5.0  # a time-limited search shares its best about this often
MIN_ROUNDS = 4
MAX_ROUNDS = 12
MAX_AUTO_WORKERS = 4  # more processes than this add start-up time sooner than quality


def default_workers() -> int:
    """Search processes to use when the caller does not say: one per core, at most four."""
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_WORKERS))


def consecutive_seeds(seed: int, count: int) -> tuple[int, ...]:
    """``seed, seed + 1, …``: ``count`` seeds (the CLI's ``--seeds N``)."""
    if count < 1:
        raise ValueError(f"need at least one seed, got {count}")
    return tuple(range(seed, seed + count))


def default_rounds(time_limit: float | None) -> int:
    """How many rounds a search of ``time_limit`` seconds has (see the module notes)."""
    if time_limit is None:
        return MIN_ROUNDS
    return max(MIN_ROUNDS, min(MAX_ROUNDS, round(time_limit / ROUND_SECONDS)))


def solve_best_of(
    problem: RoutingProblem,
    travel: TravelModel,
    *,
    seeds: Sequence[int],
    processes: int | None = None,
    time_limit: float | None = 10.0,
    max_iterations: int | None = None,
    rounds: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    warm_start: Plan | None = None,
    schedule: Sequence[Sequence[int]] | None = None,
) -> Plan:
    """Solve ``problem`` once per seed (in parallel processes) and return the best plan.

    See the module notes for what "best", rounds, the time limit, cancellation and progress mean.
    ``warm_start`` is where every search starts (see :func:`~.solver.solve`). ``schedule``, a
    plan's :attr:`~.plan.Plan.schedule` (iterations per round, per seed), replays that search
    exactly, whatever its time limit was: ``time_limit``, ``max_iterations`` and ``rounds`` are
    then ignored.
    """
    seeds = tuple(dict.fromkeys(seeds))  # duplicates would only repeat a search
    if not seeds:
        raise ValueError("need at least one seed")
    if schedule is not None:
        if not schedule or any(len(counts) != len(seeds) for counts in schedule):
            raise ValueError(f"a schedule needs a count for each of the {len(seeds)} seeds")
        time_limit, max_iterations, rounds = None, None, len(schedule)
    elif time_limit is None and max_iterations is None:
        raise ValueError("give a time_limit, a max_iterations or both")
    if processes is not None and processes < 1:
        raise ValueError(f"processes must be at least 1, got {processes}")
    if rounds is not None and rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    if len(seeds) == 1:
        return solve(
            problem,
            travel,
            seed=seeds[0],
            time_limit=time_limit,
            max_iterations=sum(c[0] for c in schedule) if schedule else max_iterations,
            progress=progress,
            cancel=cancel,
            warm_start=warm_start,
        )
    run = _Run(
        problem,
        travel,
        seeds,
        rounds=rounds or default_rounds(time_limit),
        time_limit=time_limit,
        max_iterations=max_iterations,
        progress=progress,
        cancel=cancel,
        warm_start=warm_start,
        schedule=None if schedule is None else tuple(tuple(c) for c in schedule),
    )
    workers = min(processes or len(seeds), len(seeds))
    results: list[RoundResult] | None = None
    if workers > 1:
        with _lease(workers) as pool:
            if pool:
                try:
                    results = run.in_workers(pool)
                except _WorkerFailed as exc:
                    logger.warning("Solver processes failed (%s); solving in this process", exc)
    if results is None:
        results = run.in_process()
    best = best_plan(problem, [r.plan for r in results])
    if progress is not None:
        progress(1.0, best.cost_kes if best.feasible else None)
    spent = sum(r.iterations for r in results)
    return dataclasses.replace(
        best,
        runtime_s=time.perf_counter() - run.started,
        iterations=spent,
        schedule=run.done_schedule(),
    )


def best_plan(problem: RoutingProblem, plans: Sequence[Plan]) -> Plan:
    """The best of ``plans`` (see the module notes); ties go to the lowest seed."""
    return min(plans, key=lambda plan: _rank(problem, plan))


def _rank(problem: RoutingProblem, plan: Plan) -> tuple[bool, int, Decimal, int]:
    trucks = {t.vehicle_id: t for t in problem.state.trucks}
    cost = sum(
        (trucks[r.vehicle_id].route_cost(r.distance_m, r.duration_s) for r in plan.routes),
        Decimal(0),
    )
    required_out = sum(1 for oid in plan.unassigned if problem.is_required(oid))
    declined = sum(
        (problem.prize(oid) for oid in plan.unassigned if not problem.is_required(oid)),
        Decimal(0),
    )
    return (not plan.feasible, required_out, cost + declined, plan.seed)


class _WorkerFailed(Exception):
    """A worker process died or raised: the search falls back to this process."""


@dataclasses.dataclass
class _Run:
    """One call's rounds, in worker processes or in this one."""

    problem: RoutingProblem
    travel: TravelModel
    seeds: tuple[int, ...]
    rounds: int
    time_limit: float | None
    max_iterations: int | None
    progress: ProgressCallback | None
    cancel: CancelToken | None
    warm_start: Plan | None
    schedule: tuple[tuple[int, ...], ...] | None = None
    started: float = dataclasses.field(default_factory=time.perf_counter)
    started_wall: float = dataclasses.field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.best_cost: Decimal | None = None
        self.last_report = self.started
        self.done: list[tuple[int, ...]] = []  # iterations of each seed in each round so far
        self.totals = dict.fromkeys(self.seeds, 0)
        self.iterations = (
            None
            if self.max_iterations is None
            else max(1, math.ceil(self.max_iterations / self.rounds))
        )

    def jobs(self, count: int) -> list[Job]:
        """The seeds dealt round-robin to ``count`` groups, each seed with its position."""
        dealt = [tuple((s, n) for n, s in enumerate(self.seeds) if n % count == k) for k in
                 range(count)]  # fmt: skip
        return [Job(self.problem, self.travel, group, self.warm_start) for group in dealt]

    def round_iterations(self, number: int) -> int | dict[int, int] | None:
        """Each seed's iterations in round ``number``: the replayed schedule's, or the limit's."""
        if self.schedule is not None:
            return dict(zip(self.seeds, self.schedule[number], strict=True))
        return self.iterations

    def record(self, results: list[RoundResult]) -> None:
        """Note how far each seed went this round, for the plan's schedule."""
        totals = {r.seed: r.iterations for r in results}
        self.done.append(tuple(totals[s] - self.totals[s] for s in self.seeds))
        self.totals = totals

    def done_schedule(self) -> tuple[tuple[int, ...], ...]:
        return tuple(self.done)

    def deadline(self, number: int) -> float | None:
        if self.time_limit is None:
            return None
        return self.started_wall + self.time_limit * (number + 1) / self.rounds

    def found(self, cost: Decimal) -> None:
        if self.best_cost is None or cost < self.best_cost:
            self.best_cost = cost
        self.report()

    def report(self, number: int | None = None) -> None:
        now = time.perf_counter()
        if self.progress is None or now - self.last_report < PROGRESS_INTERVAL:
            return
        self.last_report = now
        if self.time_limit is not None and self.time_limit > 0:
            fraction = (now - self.started) / self.time_limit
        else:
            fraction = (number or 0) / self.rounds
        self.progress(min(fraction, 0.99), self.best_cost)

    def _tick(self, number: int) -> bool:
        self.report(number)
        return self.cancelled()

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def in_process(self) -> list[RoundResult]:
        """Every seed in this process, one after another in each round."""
        if self.cancelled():
            raise PlanningCancelled("Planning was cancelled.")
        self.done, self.totals = [], dict.fromkeys(self.seeds, 0)
        group = SeedGroup(self.jobs(1)[0], on_best_cost=self.found)
        results: list[RoundResult] = []
        for number in range(self.rounds):
            results = group.run_round(
                deadline=self.deadline(number),
                iterations=self.round_iterations(number),
                should_stop=functools.partial(self._tick, number),
            )
            if self.cancelled():
                raise PlanningCancelled("Planning was cancelled.")
            self.record(results)
            if number + 1 < self.rounds:
                self._share(results, [group.adopt])
            self.report(number + 1)
        return results

    def in_workers(self, pool: list[_Worker]) -> list[RoundResult]:
        """The seeds spread over the pool's processes, which share their best between rounds."""
        jobs = self.jobs(len(pool))
        self.done, self.totals = [], dict.fromkeys(self.seeds, 0)
        for worker, job in zip(pool, jobs, strict=True):
            worker.send(("job", job))
        results: list[RoundResult] = []
        for number in range(self.rounds):
            for worker in pool:
                worker.send(("round", self.deadline(number), self.round_iterations(number)))
            results = self._collect(pool, number)
            self.record(results)
            if number + 1 < self.rounds:
                self._share(results, [functools.partial(_adopt, w) for w in pool])
        for worker in pool:
            worker.send(("release",))
        return results

    def _share(self, results: list[RoundResult], adopters: list[Callable[[Any], None]]) -> None:
        chosen = best_plan(self.problem, [r.plan for r in results])
        solution = best_solution(results, chosen)
        if solution is not None:
            for adopt in adopters:
                adopt(solution)

    def _collect(self, pool: list[_Worker], number: int) -> list[RoundResult]:
        """Wait for every worker's round, streaming progress and watching for a cancel."""
        waiting = {worker.conn: worker for worker in pool}
        results: dict[_Worker, list[RoundResult] | None] = {}
        stopping_since: float | None = None
        while waiting:
            for conn in wait(list(waiting), timeout=POLL_INTERVAL):
                worker = waiting[conn]  # type: ignore[index]
                kind, payload = worker.receive()
                if kind == "progress":
                    self.found(payload)
                elif kind == "round":
                    results[worker] = payload
                    del waiting[worker.conn]
                else:
                    raise _WorkerFailed(str(payload))
            if self.cancelled() and stopping_since is None:
                stopping_since = time.perf_counter()
                for worker in waiting.values():
                    worker.send(("stop",))
            if stopping_since is not None and time.perf_counter() - stopping_since > STOP_GRACE:
                for worker in waiting.values():
                    worker.kill()
                break
            self.report(number)
        if stopping_since is not None or self.cancelled():
            raise PlanningCancelled("Planning was cancelled.")
        return [r for worker in pool for r in results[worker] or ()]


def _adopt(worker: _Worker, solution: Any) -> None:
    worker.send(("adopt", solution))


class _Worker:
    """A search process and the parent's end of its pipe."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and not self.conn.closed

    def send(self, message: tuple[Any, ...]) -> None:
        try:
            self.conn.send(message)
        except (OSError, ValueError) as exc:
            raise _WorkerFailed(f"cannot reach a solver process: {exc}") from exc

    def receive(self) -> tuple[str, Any]:
        try:
            message: tuple[str, Any] = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise _WorkerFailed("a solver process ended unexpectedly") from exc
        return message

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=1.0)
        self.conn.close()

    def close(self) -> None:
        if self.alive:
            with suppress(OSError, ValueError):
                self.conn.send(("close",))
            self.process.join(timeout=1.0)
        self.kill()


class _Pool:
    """Worker processes kept for later calls (see the module notes)."""

    def __init__(self) -> None:
        self.workers: list[_Worker] = []

    def take(self, count: int) -> list[_Worker] | None:
        """``count`` live workers, starting any missing; ``None`` if processes cannot start."""
        self.workers = [w for w in self.workers if w.alive]
        try:
            _register_reducers()
            while len(self.workers) < count:
                self.workers.append(_Worker())
        except (OSError, ValueError, AssertionError, RuntimeError) as exc:
            # AssertionError: "daemonic processes are not allowed to have children".
            logger.warning("Cannot start solver processes (%s); solving in this process", exc)
            return None
        return self.workers[:count]

    def close(self) -> None:
        for worker in self.workers:
            worker.close()
        self.workers = []


_SHARED = _Pool()
_SHARED_LOCK = threading.Lock()
atexit.register(_SHARED.close)


@contextmanager
def _lease(count: int) -> Iterator[list[_Worker] | None]:
    """The shared pool's workers if no other call holds them, else a pool of this call's own.

    A call that ends by an error or a cancel hands back workers that may be mid-round: they are
    closed rather than kept.
    """
    shared = _SHARED_LOCK.acquire(blocking=False)
    pool = _SHARED if shared else _Pool()
    clean = False
    try:
        yield pool.take(count)
        clean = True
    finally:
        if not (shared and clean):
            pool.close()
        if shared:
            _SHARED_LOCK.release()


def shutdown_workers() -> None:
    """Stop the kept worker processes (they also stop when this process exits)."""
    with _SHARED_LOCK:
        _SHARED.close()


def _mappingproxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_mappingproxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[Any, ...]]:
    return _mappingproxy, (dict(proxy),)


def _register_reducers() -> None:
    """The state's read-only mappings (``Belief``) pickle as copies, for the worker processes.

    Registered with multiprocessing's own pickler only (idempotent), so pickling elsewhere is
    unchanged.
    """
    ForkingPickler.register(MappingProxyType, _reduce_mappingproxy)


def worker_pids() -> list[int]:
    """The process ids of the kept workers (for tests and diagnostics)."""
    return [w.process.pid for w in _SHARED.workers if w.alive and w.process.pid is not None]
