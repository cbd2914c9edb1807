"""Best of several seeds in parallel processes: the best plan, the same in or out of process."""

from __future__ import annotations

import dataclasses
import itertools
import os
import signal
import threading
import time
from decimal import Decimal

import pytest

from senga_desktop.engine import parallel
from senga_desktop.engine.parallel import best_plan, consecutive_seeds, solve_best_of
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.problem import RoutingProblem
from senga_desktop.engine.solver import solve
from senga_desktop.engine.state import Belief
from senga_desktop.engine.travel import GreatCircleTravel
from senga_desktop.errors import PlanningCancelled
from tests.unit.engine.builders import order, state, truck

TOWNS = ["Nairobi", "Thika", "Ruiru", "Kiambu", "Athi River", "Machakos", "Limuru", "Kajiado"]
ITERATIONS = 5  # short enough that seeds 1 and 2 end on different plans


def problem() -> RoutingProblem:
    # The great-circle model carries a Belief (read-only mappings): it must reach the workers.
    orders = [order(f"O{i}", TOWNS[i % len(TOWNS)]) for i in range(30)]
    return RoutingProblem(state(orders, [truck("T1"), truck("T2"), truck("T3")]))


def travel() -> GreatCircleTravel:
    return GreatCircleTravel(Belief())


def same(a: Plan, b: Plan) -> bool:
    return (a.seed, a.routes, a.unassigned, a.objective_kes, a.feasible) == (
        b.seed,
        b.routes,
        b.unassigned,
        b.objective_kes,
        b.feasible,
    )


def test_best_of_two_seeds_in_parallel_is_no_worse_than_either_seed() -> None:
    singles = [
        solve(problem(), travel(), seed=s, time_limit=None, max_iterations=ITERATIONS)
        for s in (1, 2)
    ]
    best = solve_best_of(
        problem(),
        travel(),
        seeds=(1, 2),
        processes=2,
        time_limit=None,
        max_iterations=ITERATIONS,
        rounds=1,  # no sharing: each seed searches as it would alone
    )
    assert singles[0].objective_kes != singles[1].objective_kes  # a real choice to make
    assert best.feasible
    assert all(best.objective_kes <= single.objective_kes for single in singles)
    assert same(best, best_plan(problem(), singles))


def best_of_two(processes: int) -> Plan:
    return solve_best_of(
        problem(),
        travel(),
        seeds=(1, 2),
        processes=processes,
        time_limit=None,
        max_iterations=ITERATIONS,
    )


def test_one_process_gives_the_same_plan_as_the_pool() -> None:
    assert same(best_of_two(processes=1), best_of_two(processes=2))


def test_one_seed_is_the_plain_solve() -> None:
    plain = solve(problem(), travel(), seed=3, time_limit=None, max_iterations=ITERATIONS)
    single = solve_best_of(
        problem(), travel(), seeds=(3,), time_limit=None, max_iterations=ITERATIONS
    )
    assert same(plain, single)


def test_ties_go_to_the_lowest_seed() -> None:
    plan = solve(problem(), travel(), seed=5, time_limit=None, max_iterations=ITERATIONS)
    twins = [dataclasses.replace(plan, seed=s) for s in (9, 4, 7)]
    assert best_plan(problem(), twins).seed == 4


def test_feasible_beats_cheaper_infeasible() -> None:
    plan = solve(problem(), travel(), seed=5, time_limit=None, max_iterations=ITERATIONS)
    cheap = dataclasses.replace(
        plan, routes=(), objective_kes=Decimal(0), cost_kes=Decimal(0), feasible=False, seed=1
    )
    assert best_plan(problem(), [cheap, plan]) is plan


def test_progress_ends_at_one_with_the_best_cost() -> None:
    reports: list[tuple[float, Decimal | None]] = []
    best = solve_best_of(
        problem(),
        travel(),
        seeds=(1, 2),
        time_limit=1.0,
        progress=lambda f, c: reports.append((f, c)),
    )
    assert reports[-1] == (1.0, best.cost_kes)
    assert all(0.0 <= f <= 1.0 for f, _ in reports)


def test_cancel_terminates_the_workers_promptly() -> None:
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.perf_counter()
    with pytest.raises(PlanningCancelled):
        solve_best_of(problem(), travel(), seeds=(1, 2), time_limit=30, cancel=cancel)
    assert time.perf_counter() - started < 3.0


def test_cancel_in_process() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(PlanningCancelled):
        solve_best_of(problem(), travel(), seeds=(1, 2), processes=1, cancel=cancel)


def test_the_pool_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    parallel.shutdown_workers()
    monkeypatch.setattr(parallel, "_Worker", refuse)
    assert same(best_of_two(processes=2), best_of_two(processes=1))


def test_a_worker_that_dies_falls_back_to_this_process() -> None:
    best_of_two(processes=2)
    for pid in parallel.worker_pids():
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert same(best_of_two(processes=2), best_of_two(processes=1))


def test_workers_are_kept_between_calls() -> None:
    best_of_two(processes=2)
    before = parallel.worker_pids()
    best_of_two(processes=2)
    assert len(before) == 2
    assert parallel.worker_pids() == before


def test_progress_streams_the_best_while_workers_search() -> None:
    reports: list[tuple[float, float, Decimal | None]] = []
    started = time.perf_counter()
    best = solve_best_of(
        problem(),
        travel(),
        seeds=(1, 2),
        time_limit=3.0,
        rounds=1,  # one round: no seed finishes before the end
        progress=lambda f, c: reports.append((time.perf_counter() - started, f, c)),
    )
    before_end = [(t, c) for t, f, c in reports if f < 1.0]
    assert any(c is not None for _, c in before_end)  # a cost arrived while searching
    costs = [c for _, c in before_end if c is not None]
    assert costs == sorted(costs, reverse=True)  # the best so far never rises
    assert costs[-1] >= best.cost_kes
    gaps = [b - a for (a, _), (b, _) in itertools.pairwise(before_end)]
    assert max(gaps) < 1.0  # at least once a second


def test_bad_arguments() -> None:
    assert consecutive_seeds(7, 3) == (7, 8, 9)
    with pytest.raises(ValueError, match="seed"):
        consecutive_seeds(1, 0)
    with pytest.raises(ValueError, match="seed"):
        solve_best_of(problem(), travel(), seeds=())
    with pytest.raises(ValueError, match="processes"):
        solve_best_of(problem(), travel(), seeds=(1,), processes=0)
    with pytest.raises(ValueError, match="rounds"):
        solve_best_of(problem(), travel(), seeds=(1,), rounds=0)


def rounds_of_two(rounds: int, processes: int, iterations: int) -> Plan:
    return solve_best_of(
        problem(),
        travel(),
        seeds=(1, 2),
        processes=processes,
        time_limit=None,
        max_iterations=iterations,
        rounds=rounds,
    )


def test_later_rounds_start_from_the_best_so_far_and_never_lose_it() -> None:
    first_round = rounds_of_two(rounds=1, processes=2, iterations=ITERATIONS)
    three_rounds = rounds_of_two(rounds=3, processes=2, iterations=3 * ITERATIONS)
    assert three_rounds.feasible
    assert three_rounds.objective_kes <= first_round.objective_kes
    assert three_rounds.seed in (1, 2)  # the caller's seed, not a round's solver seed
    assert three_rounds.iterations >= 2 * 3 * ITERATIONS  # every search is counted


def test_rounds_are_the_same_in_or_out_of_process() -> None:
    assert same(
        rounds_of_two(rounds=2, processes=1, iterations=2 * ITERATIONS),
        rounds_of_two(rounds=2, processes=2, iterations=2 * ITERATIONS),
    )


def test_more_seeds_than_processes_search_in_turn_with_the_same_result() -> None:
    def four(processes: int) -> Plan:
        return solve_best_of(
            problem(),
            travel(),
            seeds=(1, 2, 3, 4),
            processes=processes,
            time_limit=None,
            max_iterations=2 * ITERATIONS,
            rounds=2,
        )

    assert same(four(processes=2), four(processes=1))


def routes_of(plan: Plan) -> set[tuple[str, ...]]:
    return {route.order_ids for route in plan.routes}


def test_warm_start_is_where_the_search_begins() -> None:
    start = solve(problem(), travel(), seed=1, time_limit=None, max_iterations=ITERATIONS)
    # No iteration at all: the search's best is where it started.
    kept = solve(problem(), travel(), seed=9, time_limit=None, max_iterations=0, warm_start=start)
    cold = solve(problem(), travel(), seed=9, time_limit=None, max_iterations=0)
    assert routes_of(kept) == routes_of(start)
    assert routes_of(cold) != routes_of(start)
    again = solve(problem(), travel(), seed=9, time_limit=None, max_iterations=3, warm_start=start)
    assert again.objective_kes <= start.objective_kes


def test_a_warm_start_that_does_not_fit_the_problem_is_ignored() -> None:
    start = solve(problem(), travel(), seed=1, time_limit=None, max_iterations=ITERATIONS)
    stranger = dataclasses.replace(
        start, routes=(dataclasses.replace(start.routes[0], vehicle_id="NOT-A-TRUCK"),)
    )
    cold = solve(problem(), travel(), seed=9, time_limit=None, max_iterations=0)
    ignored = solve(
        problem(), travel(), seed=9, time_limit=None, max_iterations=0, warm_start=stranger
    )
    assert same(ignored, cold)


def test_a_time_limited_search_replays_exactly_from_its_schedule() -> None:
    timed = solve_best_of(problem(), travel(), seeds=(1, 2), time_limit=1.0, rounds=3)
    assert len(timed.schedule) == 3
    assert all(len(counts) == 2 for counts in timed.schedule)
    assert sum(map(sum, timed.schedule)) == timed.iterations
    for processes in (1, 2):
        again = solve_best_of(
            problem(), travel(), seeds=(1, 2), processes=processes, schedule=timed.schedule
        )
        assert same(again, timed)
        assert again.schedule == timed.schedule


def test_the_anchor_seed_searches_as_it_would_alone() -> None:
    # The first seed never adopts another's plan: with rounds it still ends where it would alone.
    from senga_desktop.engine.workers import Job, SeedGroup

    alone = SeedGroup(Job(problem(), travel(), ((1, 0),)))
    shared = SeedGroup(Job(problem(), travel(), ((1, 0), (2, 1))))
    for _ in range(3):
        alone.run_round(deadline=None, iterations=ITERATIONS, should_stop=lambda: False)
        results = shared.run_round(deadline=None, iterations=ITERATIONS, should_stop=lambda: False)
        best = best_plan(problem(), [r.plan for r in results])
        shared.adopt(next(r.solution for r in results if r.plan is best))
    assert alone.result(1).plan.routes == shared.result(1).plan.routes


def test_the_anchor_starts_from_pyvrp_penalties_and_the_others_from_fitted_ones() -> None:
    from senga_desktop.engine.solver import initial_penalties, penalty_params
    from senga_desktop.engine.workers import Job, SeedGroup, Strategy

    group = SeedGroup(Job(problem(), travel(), ((1, 0), (2, 1))))
    data = group.model.data
    assert data is not None
    anchor_bounds = penalty_params(group.model, updates=Strategy.at(0).penalty_updates)
    other_bounds = penalty_params(group.model, updates=Strategy.at(1).penalty_updates)
    midpoint = anchor_bounds.midpoint_penalties(data)
    fitted = initial_penalties(group.model, other_bounds)
    assert midpoint != fitted
    assert flat(group.searches[1].penalties.penalties()) == pytest.approx(flat(midpoint))
    assert flat(group.searches[2].penalties.penalties()) == pytest.approx(flat(fitted))


def flat(penalties: tuple[list[float], float, float]) -> list[float]:
    load, time_warp, distance = penalties
    return [*load, time_warp, distance]
