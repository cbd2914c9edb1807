"""Solomon VRPTW instances through the engine, raw PyVRP and OR-Tools, against best-known solutions.

For each instance, with the same time limit and seed:

(a) **engine** — the instance read into the engine's own state and Euclidean travel model
    (:mod:`senga_desktop.engine.instances`) and solved by the engine's PyVRP adapter;
(b) **pyvrp** — PyVRP called directly on ProblemData built from ``vrplib``'s parse, as
    ``pyvrp.read`` builds it for VRPLIB files (DIMACS: x10, truncated);
(c) **ortools** — OR-Tools routing, guided local search, the same DIMACS matrices.

Every solution is re-checked by an independent checker here (capacity, time windows, return to
the depot in time, each customer once) and its distance recomputed; gaps are to ``bks.csv``.
Two instances run at a time (``--jobs``), one core each. With ``--engine-seeds N`` (N > 1) the
engine runs the best of seeds ``seed … seed+N-1`` on N processes in the same time limit
(:func:`senga_desktop.engine.parallel.solve_best_of`, with ``--engine-rounds R`` restarting every
seed from the joint best R - 1 times), while raw PyVRP and OR-Tools stay single-seed on one core;
the engine's instances then run first, one at a time, so cores are not oversubscribed.
Needs the ``bench`` extra (ortools, vrplib).

    .venv/bin/python benchmarks/solomon_gap.py [--all | INSTANCE ...] [--time-limit 10]
        [--engine-seeds 2 --engine-rounds 4] [--solvers engine,pyvrp]
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(os.environ.get("SENGA_BENCHMARKS", "/work/shared/benchmarks"))
# The first two instances of each class: a rule, not a pick.
DEFAULT = ["C101", "C102", "C201", "C202", "R101", "R102", "R201", "R202", "RC101", "RC102",
           "RC201", "RC202"]  # fmt: skip
SOLVERS = ("engine", "pyvrp", "ortools")

Result = dict[str, Any]


def load(path: Path) -> dict[str, Any]:
    """The instance as vrplib parses it, with DIMACS integer data."""
    import vrplib

    raw = vrplib.read_instance(str(path), instance_format="solomon")
    return {
        "matrix": (10 * raw["edge_weight"]).astype(np.int64),
        "coords": (10 * raw["node_coord"]).astype(np.int64),
        "demand": raw["demand"].astype(np.int64),
        "tw": (10 * raw["time_window"]).astype(np.int64),
        "service": (10 * raw["service_time"]).astype(np.int64),
        "vehicles": int(raw["vehicles"]),
        "capacity": int(raw["capacity"]),
    }


def check(inst: dict[str, Any], routes: list[list[int]]) -> tuple[bool, int]:
    """Independent feasibility check and distance (x10 units) of routes of client numbers."""
    d, tw, service, demand = inst["matrix"], inst["tw"], inst["service"], inst["demand"]
    seen = sorted(c for r in routes for c in r)
    ok = seen == list(range(1, len(demand))) and len(routes) <= inst["vehicles"]
    total = 0
    for route in routes:
        ok = ok and int(demand[route].sum()) <= inst["capacity"]
        time_now, prev = int(tw[0][0]), 0
        for client in route:
            total += int(d[prev, client])
            time_now = max(time_now + int(d[prev, client]), int(tw[client][0]))
            ok = ok and time_now <= int(tw[client][1])
            time_now += int(service[client])
            prev = client
        total += int(d[prev, 0])
        ok = ok and time_now + int(d[prev, 0]) <= int(tw[0][1])
    return ok, total


def run_engine(
    path: Path, time_limit: float, seed: int, seeds: int = 1, rounds: int = 1
) -> list[list[int]]:
    from senga_desktop.engine.instances import read_instance
    from senga_desktop.engine.parallel import consecutive_seeds, solve_best_of
    from senga_desktop.engine.solver import solve

    bench = read_instance(path)
    if seeds == 1:
        plan = solve(bench.problem(), bench.travel, seed=seed, time_limit=time_limit)
    else:
        plan = solve_best_of(
            bench.problem(),
            bench.travel,
            seeds=consecutive_seeds(seed, seeds),
            processes=seeds,
            time_limit=time_limit,
            rounds=rounds,
        )
    return [[int(oid) for oid in route.order_ids] for route in plan.routes]


def run_pyvrp(inst: dict[str, Any], time_limit: float, seed: int) -> list[list[int]]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    tw, n = inst["tw"], len(inst["demand"])
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(x=float(x), y=float(y)) for x, y in inst["coords"]],
        clients=[
            pyvrp.Client(
                location=i,
                delivery=[int(inst["demand"][i])],
                service_duration=int(inst["service"][i]),
                tw_early=int(tw[i][0]),
                tw_late=int(tw[i][1]),
            )
            for i in range(1, n)
        ],
        depots=[pyvrp.Depot(location=0)],
        vehicle_types=[
            pyvrp.VehicleType(
                inst["vehicles"],
                capacity=[inst["capacity"]],
                tw_early=int(tw[0][0]),
                tw_late=int(tw[0][1]),
            )
        ],
        distance_matrices=[inst["matrix"]],
        duration_matrices=[inst["matrix"]],
    )
    result = pyvrp.solve(data, stop=MaxRuntime(time_limit), seed=seed, display=False)
    # Client k is location k + 1: the depot is location 0.
    return [[a.idx + 1 for a in route if a.is_client()] for route in result.best.routes()]


def run_ortools(inst: dict[str, Any], time_limit: float, seed: int) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    d, tw, n, v = inst["matrix"], inst["tw"], len(inst["demand"]), inst["vehicles"]
    manager = pywrapcp.RoutingIndexManager(n, v, 0)
    routing = pywrapcp.RoutingModel(manager)
    arc = routing.RegisterTransitMatrix(d.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    load = routing.RegisterUnaryTransitVector(inst["demand"].tolist())
    routing.AddDimensionWithVehicleCapacity(load, 0, [inst["capacity"]] * v, True, "Load")
    travel = (d + inst["service"][:, None]).tolist()  # service happens at the from-node
    horizon = int(tw[0][1])
    routing.AddDimension(routing.RegisterTransitMatrix(travel), horizon, horizon, False, "Time")
    time_dim = routing.GetDimensionOrDie("Time")
    for node in range(1, n):
        time_dim.CumulVar(manager.NodeToIndex(node)).SetRange(int(tw[node][0]), int(tw[node][1]))
    for vehicle in range(v):
        for index in (routing.Start(vehicle), routing.End(vehicle)):
            time_dim.CumulVar(index).SetRange(int(tw[0][0]), horizon)
    params = pywrapcp.DefaultRoutingSearchParameters()
    # Path-cheapest-arc finds no first solution on tight instances such as R101 in 10 s.
    strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.first_solution_strategy = strategy
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(time_limit * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return []
    routes = []
    for vehicle in range(v):
        index, route = solution.Value(routing.NextVar(routing.Start(vehicle))), []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


Job = tuple[str, float, int, int, int, tuple[str, ...]]


def run(job: Job) -> Result:
    """One instance through ``solvers`` (one core each, but the engine's ``engine_seeds``
    processes)."""
    name, time_limit, seed, engine_seeds, engine_rounds, solvers = job
    path = BENCH / "solomon" / f"{name}.txt"
    inst = load(path)
    row: Result = {"instance": name}
    for solver in solvers:
        started = time.perf_counter()
        if solver == "engine":
            routes = run_engine(path, time_limit, seed, engine_seeds, engine_rounds)
        elif solver == "pyvrp":
            routes = run_pyvrp(inst, time_limit, seed)
        else:
            routes = run_ortools(inst, time_limit, seed)
        feasible, distance = check(inst, routes)
        row[solver] = {
            "distance": distance / 10 if routes else None,
            "vehicles": len(routes),
            "feasible": feasible,
            "seconds": time.perf_counter() - started,
        }
    return row


def run_all(jobs: list[Job], at_a_time: int, engine_seeds: int) -> list[Result]:
    """Every instance: ``at_a_time`` single-core workers; when the engine runs several seeds it
    goes first, one instance at a time here (it uses the cores itself, and a daemonic pool worker
    could not start its processes), then the single-core solvers in the pool."""
    pooled = jobs
    rows: dict[str, Result] = {}
    if engine_seeds > 1:
        for job in jobs:
            rows[job[0]] = run((*job[:5], ("engine",)))
        pooled = [(*job[:5], tuple(s for s in job[5] if s != "engine")) for job in jobs]
    with multiprocessing.get_context("spawn").Pool(at_a_time, maxtasksperchild=1) as pool:
        for row in pool.map(run, pooled, chunksize=1):
            rows.setdefault(row["instance"], {}).update(row)
    return [rows[job[0]] for job in jobs]


def bks() -> dict[str, float]:
    with (BENCH / "bks.csv").open(newline="") as fh:
        return {r["instance"]: float(r["bks_distance"]) for r in csv.DictReader(fh)}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("instances", nargs="*", help=f"default: {' '.join(DEFAULT)}")
    parser.add_argument("--all", action="store_true", help="all 56 Solomon instances")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="instances solved at a time")
    parser.add_argument(
        "--solvers",
        default=",".join(SOLVERS),
        help="comma-separated subset of engine,pyvrp,ortools (engine and pyvrp are required)",
    )
    parser.add_argument(
        "--engine-seeds",
        type=int,
        default=1,
        help="engine: best of N seeds on N processes (then instances run one at a time)",
    )
    parser.add_argument(
        "--engine-rounds",
        type=int,
        default=1,
        help="engine: cut the time into N rounds, each seed restarting from the joint best",
    )
    args = parser.parse_args()
    args.solvers = tuple(x for x in SOLVERS if x in args.solvers.split(","))
    if not {"engine", "pyvrp"} <= set(args.solvers):
        parser.error("--solvers must include engine and pyvrp")
    if args.engine_rounds < 1:
        parser.error("--engine-rounds must be at least 1")
    if args.engine_seeds < 1:
        parser.error("--engine-seeds must be at least 1")
    return args


def main() -> None:
    args = parse_args()
    names = args.instances or DEFAULT
    if args.all:
        names = sorted(p.stem for p in (BENCH / "solomon").glob("*.txt"))
    best = bks()
    jobs: list[Job] = [
        (name, args.time_limit, args.seed, args.engine_seeds, args.engine_rounds, args.solvers)
        for name in names
    ]
    started = time.perf_counter()
    rows = run_all(jobs, args.jobs, args.engine_seeds)
    wall = time.perf_counter() - started

    gaps: dict[str, list[float]] = {s: [] for s in args.solvers}
    head = f"{'instance':9} {'BKS':>8} |" + "|".join(
        f" {s:>8} {'gap %':>6} {'veh':>3} ok " for s in args.solvers
    )
    print(f"Solomon VRPTW, {args.time_limit:g} s per solver and instance, seed {args.seed}, "
          f"{args.jobs} at a time (DIMACS distances)")  # fmt: skip
    if args.engine_seeds > 1:
        last = args.seed + args.engine_seeds - 1
        rounds = f" in {args.engine_rounds} rounds" if args.engine_rounds > 1 else ""
        print(f"engine: best of seeds {args.seed}..{last} on {args.engine_seeds} processes{rounds} "
              f"in the same {args.time_limit:g} s wall clock; pyvrp and ortools: seed {args.seed}, "
              "one core")  # fmt: skip
    else:
        print("engine, pyvrp and ortools: one seed, one core each")
    print(head)
    print("-" * len(head))
    for row in rows:
        ref = best[row["instance"]]
        cells = []
        for s in args.solvers:
            r = row[s]
            if r["distance"] is None:  # no solution within the limit
                gaps[s].append(float("inf"))
                cells.append(f" {'none':>8} {'-':>6} {'-':>3} N  ")
                continue
            gap = 100 * (r["distance"] - ref) / ref
            gaps[s].append(gap)
            mark = "y" if r["feasible"] else "N"
            cells.append(f" {r['distance']:8.1f} {gap:6.2f} {r['vehicles']:3d} {mark}  ")
        print(f"{row['instance']:9} {ref:8.1f} |" + "|".join(cells))
    print("-" * len(head))
    for s in args.solvers:
        feasible = sum(row[s]["feasible"] for row in rows)
        found = [g for g in gaps[s] if g != float("inf")]
        missing = f", no solution on {len(gaps[s]) - len(found)}" if len(found) < len(rows) else ""
        mean = statistics.fmean(found) if found else float("nan")
        print(f"{s:8} mean gap {mean:6.3f} %   max {max(found, default=float('nan')):6.3f} %   "
              f"feasible {feasible}/{len(rows)}{missing}")  # fmt: skip
    diff = statistics.fmean(gaps["engine"]) - statistics.fmean(gaps["pyvrp"])
    ok_mean = statistics.fmean(gaps["engine"]) <= 0.2
    ok_max = max(gaps["engine"]) <= 1.0
    ok_feasible = all(row["engine"]["feasible"] for row in rows)
    ok_parity = diff <= 0.1
    print(f"engine - pyvrp mean gap: {diff:+.3f} percentage points")
    verdict = ["PASS" if ok else "FAIL" for ok in (ok_mean, ok_max, ok_feasible, ok_parity)]
    print("targets: mean <= 0.2 % {}, max <= 1 % {}, all feasible {}, within 0.1 pp of pyvrp {}"
          .format(*verdict))  # fmt: skip
    print(f"wall time {wall:.0f} s")


if __name__ == "__main__":
    main()
