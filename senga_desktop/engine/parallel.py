"""Best of several seeds: PyVRP searches with different seeds in parallel processes, the best kept.

PyVRP's search is single-threaded; on a machine with spare cores, runs with different seeds in
the same wall-clock time give a better best-of than one run. :func:`solve_best_of` runs
:func:`~senga_desktop.engine.solver.solve` once per seed and returns the best plan:

* **Best.** Feasible before infeasible, then the fewest required orders left out, then the lowest
  exact objective (route costs at the unrounded rates plus the prizes of optional orders left
  out), then the lowest seed. Given the per-seed plans the choice is deterministic; with
  ``max_iterations`` (and no time limit) so are the per-seed plans, hence the result.
* **Rounds.** With ``rounds`` R > 1 the time (or iteration) budget is cut into R rounds; in
  each, every seed searches from the best plan of the round before (round 0 from scratch), with
  solver seed :func:`round_seed`. One long search per seed tends to sit in the same valley for
  the rest of its time; restarting every seed from the joint best spends both cores on the most
  promising plan while their different random streams still explore different ways out of it.
  On the Solomon benchmark four rounds beat independent seeds (see ``benchmarks/solomon_gap.py``).
* **Two paces.** Seeds take turns at two penalty-update paces, :data:`PENALTY_PACES` (the
  ``n``-th seed the ``n mod 2``-th): PyVRP's, revising the penalties every 500 plans, which
  stays longer on either side of feasibility, and one ten times faster, which follows tight time
  windows closely. Instances differ in which suits them (on the Solomon benchmark, RC101 the
  first and R210 the second); the two sharing the best plan every round beat either alone.
* **Processes.** A :class:`~concurrent.futures.ProcessPoolExecutor` with the ``spawn`` start
  method (no fork of a process running Qt threads; works in a frozen app, whose entry point must
  call :func:`multiprocessing.freeze_support` first). ``processes`` defaults to one per seed;
  with more seeds than processes they run in waves. With ``processes == 1``, a single seed, or a
  pool that cannot start (no ``spawn`` support, a daemonic parent, an OS limit), the seeds run one
  after another in this process.
* **Time.** ``time_limit`` is the wall-clock budget of the whole call, not of each seed: a worker
  searches for what is left of its round's share once started (process start-up and PyVRP's
  import come out of the budget; at least :data:`MIN_SHARE` of it is always searched), and
  sequential seeds (or waves) share a round equally. ``max_iterations`` is each seed's total,
  split equally between the rounds; the plan's ``iterations`` counts every search.
* **Cancellation.** A :class:`~.problem.CancelToken` cannot cross processes: the parent polls it
  every :data:`POLL_INTERVAL` seconds and, when set, terminates the workers and raises
  :class:`~senga_desktop.errors.PlanningCancelled`. In-process runs check it every iteration as
  :func:`~.solver.solve` does.
* **Progress.** In parallel, ``progress(fraction, cost)`` reports the elapsed fraction of the time
  limit (or the fraction of seeds finished when there is only an iteration limit) and the cost of
  the best feasible plan among the seeds *finished* so far (workers do not stream their best);
  in-process, each seed's own reports are scaled into its share. Once at the end: ``1.0`` and the
  chosen plan's cost.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import logging
import math
import multiprocessing
import time
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import Any

from senga_desktop.engine.plan import Plan
from senga_desktop.engine.problem import CancelToken, ProgressCallback, RoutingProblem
from senga_desktop.engine.solver import PENALTY_UPDATES, PROGRESS_INTERVAL, solve
from senga_desktop.engine.travel import TravelModel
from senga_desktop.errors import PlanningCancelled

__all__ = ["best_plan", "consecutive_seeds", "solve_best_of"]

logger = logging.getLogger(__name__)

POLL_INTERVAL = 0.05  # seconds between checks of the cancel token while workers run
ROUND_SEED_STEP = 1_000_003  # a prime: round seeds of nearby seeds never coincide
MIN_SHARE = 0.1  # a worker searches at least this fraction of the time limit, even if late
PENALTY_PACES = (PENALTY_UPDATES, PENALTY_UPDATES // 10)  # plans between updates, by seed


def consecutive_seeds(seed: int, count: int) -> tuple[int, ...]:
    """``seed, seed + 1, …``: ``count`` seeds (the CLI's ``--seeds N``)."""
    if count < 1:
        raise ValueError(f"need at least one seed, got {count}")
    return tuple(range(seed, seed + count))


def solve_best_of(
    problem: RoutingProblem,
    travel: TravelModel,
    *,
    seeds: Sequence[int],
    processes: int | None = None,
    time_limit: float | None = 10.0,
    max_iterations: int | None = None,
    rounds: int = 1,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    warm_start: Plan | None = None,
) -> Plan:
    """Solve ``problem`` once per seed (in parallel processes) and return the best plan.

    See the module notes for what "best", rounds, the time limit, cancellation and progress mean.
    """
    seeds = tuple(dict.fromkeys(seeds))  # duplicates would only repeat a run
    if not seeds:
        raise ValueError("need at least one seed")
    if time_limit is None and max_iterations is None:
        raise ValueError("give a time_limit, a max_iterations or both")
    if processes is not None and processes < 1:
        raise ValueError(f"processes must be at least 1, got {processes}")
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    workers = min(processes or len(seeds), len(seeds))
    started = time.perf_counter()
    iterations = None if max_iterations is None else max(1, math.ceil(max_iterations / rounds))
    best: Plan | None = warm_start
    spent = 0  # iterations of every search, all rounds and seeds
    with _Pool(workers) as pool:
        for number in range(rounds):
            limit = None
            if time_limit is not None:
                left = time_limit - (time.perf_counter() - started)
                limit = max(left / (rounds - number), MIN_SHARE * time_limit / rounds)
            run = _Round(
                problem,
                travel,
                seeds,
                number=number,
                time_limit=limit,
                max_iterations=iterations,
                warm_start=best,
                progress=_round_progress(progress, number, rounds, started, time_limit),
                cancel=cancel,
            )
            plans = pool.run(run) if pool.ready else None
            if plans is None:  # one process, or the pool could not start or broke
                plans = run.in_process()
            spent += sum(plan.iterations for plan in plans.values())
            best = best_plan(problem, list(plans.values()))
    assert best is not None
    if progress is not None:
        progress(1.0, best.cost_kes if best.feasible else None)
    return dataclasses.replace(best, runtime_s=time.perf_counter() - started, iterations=spent)


def best_plan(problem: RoutingProblem, plans: Sequence[Plan]) -> Plan:
    """The best of ``plans`` (see the module notes); ties go to the lowest seed."""
    return min(plans, key=lambda plan: _rank(problem, plan))


def pace(position: int) -> int:
    """The penalty-update pace of the seed at ``position`` in the caller's list."""
    return PENALTY_PACES[position % len(PENALTY_PACES)]


def round_seed(seed: int, number: int) -> int:
    """The solver seed of ``seed``'s search in round ``number`` (round 0: the seed itself)."""
    return (seed + number * ROUND_SEED_STEP) % 2**31


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


def _round_progress(
    progress: ProgressCallback | None,
    number: int,
    rounds: int,
    started: float,
    time_limit: float | None,
) -> ProgressCallback | None:
    """A round's progress (its own fraction) as a part of the whole call."""
    if progress is None:
        return None

    def report(fraction: float, cost: Decimal | None) -> None:
        whole = (number + fraction) / rounds
        if time_limit is not None and time_limit > 0:
            whole = max(whole, (time.perf_counter() - started) / time_limit)
        progress(min(whole, 0.99), cost)

    return report


@dataclasses.dataclass
class _Round:
    """One round: every seed searches, from ``warm_start`` when there is one."""

    problem: RoutingProblem
    travel: TravelModel
    seeds: tuple[int, ...]
    number: int
    time_limit: float | None
    max_iterations: int | None
    warm_start: Plan | None
    progress: ProgressCallback | None
    cancel: CancelToken | None

    def in_process(self) -> dict[int, Plan]:
        """The seeds one after another in this process, sharing the time limit equally."""
        share = None if self.time_limit is None else self.time_limit / len(self.seeds)
        plans: dict[int, Plan] = {}
        for index, seed in enumerate(self.seeds):
            plan = solve(
                self.problem,
                self.travel,
                seed=round_seed(seed, self.number),
                time_limit=share,
                max_iterations=self.max_iterations,
                progress=_scaled(self.progress, index, len(self.seeds), plans.values()),
                cancel=self.cancel,
                warm_start=self.warm_start,
                penalty_updates=pace(index),
            )
            plans[seed] = dataclasses.replace(plan, seed=seed)
        return plans


def _scaled(
    progress: ProgressCallback | None, index: int, count: int, done: Any
) -> ProgressCallback | None:
    """Seed ``index``'s progress as a part of the round; the cost is the best so far."""
    if progress is None:
        return None

    def report(fraction: float, cost: Decimal | None) -> None:
        costs = [p.cost_kes for p in done if p.feasible] + ([] if cost is None else [cost])
        progress(min((index + fraction) / count, 1.0), min(costs, default=None))

    return report


class _Pool:
    """Worker processes kept for every round; ``ready`` is false when there are none."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor: cf.ProcessPoolExecutor | None = None
        if workers > 1:
            _register_reducers()
            try:
                self.executor = cf.ProcessPoolExecutor(
                    workers, mp_context=multiprocessing.get_context("spawn")
                )
            except (OSError, ValueError, NotImplementedError) as exc:
                logger.warning("Cannot start solver processes (%s); solving in this process", exc)

    @property
    def ready(self) -> bool:
        return self.executor is not None

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.executor is not None:
            if error is not None:
                _terminate(self.executor)
            self.executor.shutdown(wait=True, cancel_futures=True)

    def run(self, job: _Round) -> dict[int, Plan] | None:
        """The round's seeds in the worker processes; ``None`` if they cannot run there."""
        assert self.executor is not None
        workers, seeds = self.workers, job.seeds
        waves = math.ceil(len(seeds) / workers)
        share = None if job.time_limit is None else job.time_limit / waves
        started, started_wall = time.perf_counter(), time.time()
        try:
            futures = {
                # Wave k's seeds start once wave k-1's end: their clock starts then too, roughly.
                self.executor.submit(
                    _solve_seed,
                    job.problem,
                    job.travel,
                    round_seed(seed, job.number),
                    time_limit=share,
                    max_iterations=job.max_iterations,
                    started_wall=started_wall + (share or 0.0) * (n // workers),
                    warm_start=job.warm_start,
                    penalty_updates=pace(n),
                ): seed
                for n, seed in enumerate(seeds)
            }
        except (OSError, AssertionError, BrokenProcessPool, RuntimeError) as exc:
            # AssertionError: "daemonic processes are not allowed to have children".
            logger.warning("Cannot start solver processes (%s); solving in this process", exc)
            self._close()
            return None
        plans: dict[int, Plan] = {}
        pending = set(futures)
        last_report = started
        while pending:
            done, pending = cf.wait(pending, timeout=POLL_INTERVAL)
            for future in done:
                try:
                    plan = future.result()
                except BrokenProcessPool as exc:
                    if plans:
                        raise
                    logger.warning("Solver processes failed (%s); solving in this process", exc)
                    self._close()
                    return None
                plans[futures[future]] = dataclasses.replace(plan, seed=futures[future])
            if job.cancel is not None and job.cancel.is_set():
                raise PlanningCancelled("Planning was cancelled.")
            now = time.perf_counter()
            if job.progress is not None and pending and now - last_report >= PROGRESS_INTERVAL:
                last_report = now
                limit = job.time_limit
                if limit is not None:
                    fraction = min((now - started) / limit, 0.99) if limit > 0 else 0.99
                else:
                    fraction = len(plans) / len(seeds)
                costs = [p.cost_kes for p in plans.values() if p.feasible]
                job.progress(fraction, min(costs, default=None))
        return plans

    def _close(self) -> None:
        if self.executor is not None:
            _terminate(self.executor)
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def _solve_seed(
    problem: RoutingProblem,
    travel: TravelModel,
    seed: int,
    *,
    time_limit: float | None,
    max_iterations: int | None,
    started_wall: float,
    warm_start: Plan | None = None,
    penalty_updates: int = PENALTY_UPDATES,
) -> Plan:
    """One seed in a worker process; process start-up counts against the time limit."""
    if time_limit is not None:
        elapsed = max(time.time() - started_wall, 0.0)
        time_limit = max(time_limit - elapsed, MIN_SHARE * time_limit)
    return solve(
        problem,
        travel,
        seed=seed,
        time_limit=time_limit,
        max_iterations=max_iterations,
        warm_start=warm_start,
        penalty_updates=penalty_updates,
    )


def _terminate(executor: cf.ProcessPoolExecutor) -> None:
    """Stop the workers now: the executor has no public way to (before Python 3.14)."""
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        if process.is_alive():
            process.terminate()


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
