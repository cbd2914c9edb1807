"""Evaluation of a hand-edited plan on the 500-order depot day, one drag at a time.

The depot day of ``benchmarks/depot_day.py`` (500 orders, 40 trucks) is planned by a short CFA
solve, and the orders it held are spread over every truck (idle ones included), so that the plan
has a route per truck and a stop per order (40 routes, 500 stops) as a busy editing session would;
then each of ``--moves`` edits moves one random order to a random position on another
route, as a dispatcher's drag does, and is timed three ways:

* ``edit``: what the screen does after a drop — the two changed routes evaluated, then the whole
  plan (the other routes' results are kept);
* ``full plan, cold``: the whole plan with nothing kept, every route timed again;
* ``two routes``: :meth:`PlanEvaluator.evaluate_route` on the two changed routes alone.

Target: under 50 ms per full-plan call. The evaluator's one-off set-up (matrices) is printed too.

The worst cases are Python's full garbage collections (the process holds the state, the solver
and its matrices: a generation-2 pass over them takes 40-70 ms), not evaluation; so the objects
alive after set-up are frozen out of the collector (``gc.freeze()``, as an editing screen may do
once its session is loaded) unless ``--no-freeze``, and the collector's pauses are printed.

    .venv/bin/python benchmarks/plan_evaluation.py [--moves 200] [--time-limit 10]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from depot_day import build_records, build_state

from senga_desktop.engine.evaluate import DraftRoute, Evaluation, PlanEvaluator, drafts_of
from senga_desktop.engine.policies import CFAPolicy
from senga_desktop.engine.solver import solve
from senga_desktop.engine.travel import GreatCircleTravel


def moved(drafts: list[DraftRoute], rng: random.Random) -> tuple[list[DraftRoute], int, int]:
    """``drafts`` with one random order moved to a random place on another route."""
    source = rng.choice([n for n, d in enumerate(drafts) if d.order_ids])
    target = rng.choice([n for n in range(len(drafts)) if n != source])
    trips = [list(t) for t in drafts[source].trips]
    trip = rng.choice([t for t in trips if t])
    order = trip.pop(rng.randrange(len(trip)))
    into = [list(t) for t in drafts[target].trips] or [[]]
    where = rng.choice(into)
    where.insert(rng.randrange(len(where) + 1), order)
    edited = list(drafts)
    edited[source] = DraftRoute(drafts[source].vehicle_id, tuple(tuple(t) for t in trips))
    edited[target] = DraftRoute(drafts[target].vehicle_id, tuple(tuple(t) for t in into))
    return edited, source, target


def padded(
    drafts: list[DraftRoute], held: tuple[str, ...], trucks: list[str], rng: random.Random
) -> list[DraftRoute]:
    """Every truck on a route and every held order on one, round-robin at random positions."""
    used = {d.vehicle_id for d in drafts}
    routes = [list(d.order_ids) for d in drafts] + [[] for t in trucks if t not in used]
    names = [d.vehicle_id for d in drafts] + [t for t in trucks if t not in used]
    for n, order in enumerate(held):
        stops = routes[n % len(routes)]
        stops.insert(rng.randrange(len(stops) + 1), order)
    return [DraftRoute.of(vid, *stops) for vid, stops in zip(names, routes, strict=True)]


def report(name: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    print(f"  {name:<22} median {statistics.median(ms):6.2f} ms   p99 {p99:6.2f} ms   "
          f"worst {ms[-1]:6.2f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--trucks", type=int, default=40)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-freeze", action="store_true", help="leave gc.freeze() out")
    args = parser.parse_args()

    state = build_state(build_records(args.orders, args.trucks, seed=7))
    problem = CFAPolicy().routing_problem(state)
    travel = GreatCircleTravel(state.belief)
    plan = solve(problem, travel, seed=args.seed, time_limit=args.time_limit)

    started = time.perf_counter()
    evaluator = PlanEvaluator(problem, travel)
    setup = time.perf_counter() - started
    drafts = list(drafts_of(plan))
    first = evaluator.evaluate(drafts)
    assert first.plan.routes == plan.routes, "the engine's own plan must read back exactly"
    stops = sum(len(d.order_ids) for d in drafts)
    print(f"Plan evaluation: {len(state.orders)} orders, {len(state.trucks)} trucks; plan of "
          f"{len(drafts)} routes / {stops} stops (CFA problem, {args.time_limit:g} s solve), "
          f"{args.moves} moves")  # fmt: skip
    print(f"  set-up (layout, matrices) {setup * 1000:8.1f} ms")
    started = time.perf_counter()
    PlanEvaluator(problem, GreatCircleTravel(state.belief))
    print(f"  set-up, fresh travel model {(time.perf_counter() - started) * 1000:7.1f} ms")

    pauses = collector_pauses()
    if not args.no_freeze:
        gc.collect()
        gc.freeze()

    rng = random.Random(args.seed)
    drafts = padded(drafts, plan.unassigned, [t.vehicle_id for t in state.trucks], rng)
    stops = sum(len(d.order_ids) for d in drafts)
    print(f"  padded with the held orders: {len(drafts)} routes / {stops} stops")
    result = drag(evaluator, drafts, args.moves, rng)
    worst = max(pauses, default=0.0) * 1000
    frozen = "not frozen" if args.no_freeze else "frozen after set-up"
    print(f"  full garbage collections during the moves: {len(pauses)}, worst {worst:.1f} ms "
          f"({frozen})")  # fmt: skip
    print(f"  after the moves: cost KES {result.plan.cost_kes:,}, "
          f"{len(result.violations)} violations, feasible {result.feasible}")  # fmt: skip


def collector_pauses() -> list[float]:
    """Seconds of each full (generation 2) garbage collection from now on."""
    pauses: list[float] = []
    began = [0.0]

    def timed(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                began[0] = time.perf_counter()
            else:
                pauses.append(time.perf_counter() - began[0])

    gc.callbacks.append(timed)
    return pauses


def drag(
    evaluator: PlanEvaluator, drafts: list[DraftRoute], moves: int, rng: random.Random
) -> Evaluation:
    """Times ``moves`` random moves three ways (see the module notes); the last evaluation."""
    edits, colds, pairs = [], [], []
    result = evaluator.evaluate(drafts)
    for _ in range(moves):
        drafts, source, target = moved(drafts, rng)
        t0 = time.perf_counter()
        evaluator.evaluate_route(drafts[source])
        evaluator.evaluate_route(drafts[target])
        t1 = time.perf_counter()
        result = evaluator.evaluate(drafts)
        t2 = time.perf_counter()
        evaluator.forget()
        t3 = time.perf_counter()
        evaluator.evaluate(drafts)
        t4 = time.perf_counter()
        pairs.append(t1 - t0)
        edits.append(t2 - t0)
        colds.append(t4 - t3)
    report("edit (2 routes + plan)", edits)
    report("full plan, cold", colds)  # target < 50 ms
    report("two routes", pairs)
    return result


if __name__ == "__main__":
    main()
