"""``senga solve``: route a benchmark instance through the engine (no database involved).

The instance is read into the engine's own state and travel model
(:mod:`senga_desktop.engine.instances`) and solved by the same adapter that plans a depot day,
with every customer required. ``--seeds N`` (by default one per core, at most
:data:`MAX_AUTO_SEEDS`) runs seeds ``seed, seed + 1, …`` in parallel processes within the same
time limit and keeps the best plan (:mod:`senga_desktop.engine.parallel`); ``--rounds R`` cuts
that time into R rounds, every seed continuing from the joint best after each (by default one
round per 5 s, 4 to 12). Give
``--seeds`` explicitly for a result that does not depend on the machine's core count. Distances
are reported in the instance's own units: DIMACS for Solomon-style instances (C101 ≈ 827.3),
nearest-integer Euclidean for CVRP.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click

from senga_desktop.engine.instances import read_instance
from senga_desktop.engine.parallel import MAX_AUTO_WORKERS, consecutive_seeds, solve_best_of
from senga_desktop.engine.solver import solve as solve_problem

MAX_AUTO_SEEDS = MAX_AUTO_WORKERS


@click.command()
@click.argument("instance", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds of search.",
)
@click.option(
    "--max-iterations",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many iterations instead (reproducible; overrides --time-limit).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option(
    "--seeds",
    "seed_count",
    type=click.IntRange(min=1),
    default=None,
    help="Run N seeds (SEED, SEED+1, ...) in parallel processes, one per core at most, in the "
    f"same time limit, and keep the best plan.  [default: one per core, at most {MAX_AUTO_SEEDS}]",
)
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=None,
    help="With several seeds: cut the search into N rounds; after each, every seed continues from "
    "the best plan so far.  [default: one round per 5 s, 4 to 12]",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON document.")
def solve(
    instance: Path,
    *,
    time_limit: float,
    max_iterations: int | None,
    seed: int,
    seed_count: int | None,
    rounds: int | None,
    as_json: bool,
) -> None:
    """Solve a Solomon .txt or VRPLIB .vrp benchmark INSTANCE and print the routes."""
    started = time.perf_counter()
    try:
        bench = read_instance(instance)
    except (OSError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="INSTANCE") from exc
    limit = None if max_iterations else time_limit
    cores = os.cpu_count() or 1
    if seed_count is None:
        seed_count = min(cores, MAX_AUTO_SEEDS)
    if seed_count == 1:
        plan = solve_problem(
            bench.problem(),
            bench.travel,
            seed=seed,
            time_limit=limit,
            max_iterations=max_iterations,
        )
    else:
        plan = solve_best_of(
            bench.problem(),
            bench.travel,
            seeds=consecutive_seeds(seed, seed_count),
            processes=min(seed_count, cores),
            time_limit=limit,
            max_iterations=max_iterations,
            rounds=rounds,
        )
    routes = [[int(order_id) for order_id in route.order_ids] for route in plan.routes]
    distance = bench.distance(plan.distance_m)
    result = {
        "instance": bench.name,
        "routes": routes,
        "vehicles": len(routes),
        "distance": round(distance, 1) if bench.scale == 10 else distance,
        "feasible": plan.feasible,
        "runtime_s": round(time.perf_counter() - started, 3),
    }
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(
        f"Instance {result['instance']}: {len(routes)} routes, distance {result['distance']}"
    )
    click.echo(f"Feasible: {'yes' if plan.feasible else 'NO'}; runtime {result['runtime_s']} s")
    for number, route in enumerate(routes, 1):
        click.echo(f"Route #{number}: {' '.join(map(str, route))}")
