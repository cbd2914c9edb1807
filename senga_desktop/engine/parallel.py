"""Best of several seeds: one PyVRP search per seed, in parallel processes, the best plan kept.

PyVRP's search is single-threaded; on a machine with spare cores, runs with different seeds in
the same wall-clock time give a better best-of than one run. :func:`solve_best_of` runs
:func:`~senga_desktop.engine.solver.solve` once per seed and returns the best plan:

* **Best.** Feasible before infeasible, then the fewest required orders left out, then the lowest
  exact objective (route costs at the unrounded rates plus the prizes of optional orders left
  out), then the lowest seed. Given the per-seed plans the choice is deterministic; with
  ``max_iterations`` (and no time limit) so are the per-seed plans, hence the result.
* **Processes.** A :class:`~concurrent.futures.ProcessPoolExecutor` with the ``spawn`` start
  method (no fork of a process running Qt threads; works in a frozen app, whose entry point must
  call :func:`multiprocessing.freeze_support` first). ``processes`` defaults to one per seed;
  with more seeds than processes they run in waves. With ``processes == 1``, a single seed, or a
  pool that cannot start (no ``spawn`` support, a daemonic parent, an OS limit), the seeds run one
  after another in this process.
* **Time.** ``time_limit`` is the wall-clock budget of the whole call, not of each seed: a worker
  searches for what is left of it once started (process start-up and PyVRP's import come out
  of the budget; at least :data:`MIN_SHARE` of it is always searched), and sequential seeds (or
  waves) share it equally. ``max_iterations`` applies to each seed in full.
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
from senga_desktop.engine.solver import PROGRESS_INTERVAL, solve
from senga_desktop.engine.travel import TravelModel
from senga_desktop.errors import PlanningCancelled

__all__ = ["best_plan", "consecutive_seeds", "solve_best_of"]

logger = logging.getLogger(__name__)

POLL_INTERVAL = 0.05  # seconds between checks of the cancel token while workers run
MIN_SHARE = 0.1  # a worker searches at least this fraction of the time limit, even if late


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
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Plan:
    """Solve ``problem`` once per seed (in parallel processes) and return the best plan.

    See the module notes for what "best", the time limit, cancellation and progress mean here.
    """
    seeds = tuple(dict.fromkeys(seeds))  # duplicates would only repeat a run
    if not seeds:
        raise ValueError("need at least one seed")
    if time_limit is None and max_iterations is None:
        raise ValueError("give a time_limit, a max_iterations or both")
    if processes is not None and processes < 1:
        raise ValueError(f"processes must be at least 1, got {processes}")
    workers = min(processes or len(seeds), len(seeds))
    started = time.perf_counter()
    plans: dict[int, Plan] | None = None
    if workers > 1:
        plans = _in_pool(
            problem,
            travel,
            seeds,
            workers=workers,
            time_limit=time_limit,
            max_iterations=max_iterations,
            progress=progress,
            cancel=cancel,
        )
    if plans is None:  # one process, or the pool could not start
        limit = time_limit
        if limit is not None and workers > 1:  # the pool failed: what is left of the budget
            limit = max(limit - (time.perf_counter() - started), MIN_SHARE * limit)
        plans = _in_process(
            problem,
            travel,
            seeds,
            time_limit=limit,
            max_iterations=max_iterations,
            progress=progress,
            cancel=cancel,
        )
    best = best_plan(problem, list(plans.values()))
    if progress is not None:
        progress(1.0, best.cost_kes if best.feasible else None)
    return dataclasses.replace(best, runtime_s=time.perf_counter() - started)


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


def _in_process(
    problem: RoutingProblem,
    travel: TravelModel,
    seeds: tuple[int, ...],
    *,
    time_limit: float | None,
    max_iterations: int | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> dict[int, Plan]:
    """The seeds one after another in this process, sharing the time limit equally."""
    share = None if time_limit is None else time_limit / len(seeds)
    plans: dict[int, Plan] = {}
    for index, seed in enumerate(seeds):
        plans[seed] = solve(
            problem,
            travel,
            seed=seed,
            time_limit=share,
            max_iterations=max_iterations,
            progress=_scaled(progress, index, len(seeds), plans.values()),
            cancel=cancel,
        )
    return plans


def _scaled(
    progress: ProgressCallback | None, index: int, count: int, done: Any
) -> ProgressCallback | None:
    """Seed ``index``'s progress as a part of the whole; the cost is the best so far."""
    if progress is None:
        return None

    def report(fraction: float, cost: Decimal | None) -> None:
        costs = [p.cost_kes for p in done if p.feasible] + ([] if cost is None else [cost])
        progress(min((index + fraction) / count, 1.0), min(costs, default=None))

    return report


def _in_pool(
    problem: RoutingProblem,
    travel: TravelModel,
    seeds: tuple[int, ...],
    *,
    workers: int,
    time_limit: float | None,
    max_iterations: int | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> dict[int, Plan] | None:
    """The seeds in ``workers`` spawned processes; ``None`` if the pool cannot start."""
    waves = math.ceil(len(seeds) / workers)
    share = None if time_limit is None else time_limit / waves
    _register_reducers()
    started, started_wall = time.perf_counter(), time.time()
    try:
        executor = cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, ValueError, NotImplementedError) as exc:
        logger.warning("Cannot start solver processes (%s); solving in this process", exc)
        return None
    plans: dict[int, Plan] = {}
    finished = False
    try:
        try:
            futures = {
                # Wave k's seeds start once wave k-1's end: their clock starts then too, roughly.
                executor.submit(
                    _solve_seed,
                    problem,
                    travel,
                    seed,
                    time_limit=share,
                    max_iterations=max_iterations,
                    started_wall=started_wall + (share or 0.0) * (n // workers),
                ): seed
                for n, seed in enumerate(seeds)
            }
        except (OSError, AssertionError, BrokenProcessPool, RuntimeError) as exc:
            # AssertionError: "daemonic processes are not allowed to have children".
            logger.warning("Cannot start solver processes (%s); solving in this process", exc)
            return None
        pending = set(futures)
        last_report = started
        while pending:
            done, pending = cf.wait(pending, timeout=POLL_INTERVAL)
            for future in done:
                try:
                    plans[futures[future]] = future.result()
                except BrokenProcessPool as exc:
                    if plans:
                        raise
                    logger.warning("Solver processes failed (%s); solving in this process", exc)
                    return None
            if cancel is not None and cancel.is_set():
                raise PlanningCancelled("Planning was cancelled.")
            now = time.perf_counter()
            if progress is not None and pending and now - last_report >= PROGRESS_INTERVAL:
                last_report = now
                if time_limit is not None:
                    fraction = min((now - started) / time_limit, 0.99) if time_limit > 0 else 0.99
                else:
                    fraction = len(plans) / len(seeds)
                costs = [p.cost_kes for p in plans.values() if p.feasible]
                progress(fraction, min(costs, default=None))
        finished = True
    finally:
        if not finished:
            _terminate(executor)
        executor.shutdown(wait=True, cancel_futures=True)
    return plans


def _solve_seed(
    problem: RoutingProblem,
    travel: TravelModel,
    seed: int,
    *,
    time_limit: float | None,
    max_iterations: int | None,
    started_wall: float,
) -> Plan:
    """One seed in a worker process; process start-up counts against the time limit."""
    if time_limit is not None:
        elapsed = max(time.time() - started_wall, 0.0)
        time_limit = max(time_limit - elapsed, MIN_SHARE * time_limit)
    return solve(problem, travel, seed=seed, time_limit=time_limit, max_iterations=max_iterations)


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
