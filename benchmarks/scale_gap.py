"""The engine against raw PyVRP at 200 to 1000 customers, the same wall-clock, side by side.

For each instance, one after the other so that neither competes for the cores:

(a) **engine** — the instance read into the engine's own state and Euclidean travel model and
    solved as ``senga solve`` solves it: the best of one seed per core
    (:func:`senga_desktop.engine.parallel.solve_best_of`, default settings). Its time limit is
    the whole call's wall clock: process start-up and building the model come out of it.
(b) **pyvrp** — ``pyvrp.solve`` on one core, PyVRP's defaults, ``MaxRuntime`` of the same
    seconds (its reading and set-up are not counted), the same seed.

Every solution is re-checked here from the file as ``vrplib`` parses it — capacity, time
windows, return to the depot in time, every customer exactly once, the fleet limit — and its
distance recomputed (CVRP: nearest-integer Euclidean; time windows: DIMACS, x10 truncated).
Gaps are to ``bks.csv``. Needs the ``bench`` extra (vrplib).

    .venv/bin/python benchmarks/scale_gap.py [INSTANCE ...] [--time-limit 60] [--seed 1]
        [--solvers engine,pyvrp] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(os.environ.get("SENGA_BENCHMARKS", "/work/shared/benchmarks"))
# The list: the X and Homberger instances of 500+ customers, and the first 200-customer
# Homberger instance of four classes (a rule, not a pick).
DEFAULT = ["X-n502-k39", "X-n1001-k43", "C1_10_1", "R1_10_1", "RC2_10_1",
           "C1_2_1", "R1_2_1", "RC1_2_1", "RC2_2_1"]  # fmt: skip
SOLVERS = ("engine", "pyvrp")


def path_of(name: str) -> Path:
    folders = (("cvrp_x", ".vrp"), ("homberger_1000", ".vrp"), ("homberger_200", ".TXT"))
    for folder, suffix in folders:
        candidate = BENCH / folder / f"{name}{suffix}"
        if candidate.exists():
            return candidate
    raise SystemExit(f"no benchmark instance called {name} under {BENCH}")


def load(path: Path) -> dict[str, Any]:
    """The instance as vrplib parses it, in the integer units of its BKS convention."""
    import vrplib

    solomon = path.suffix.upper() == ".TXT"
    raw = vrplib.read_instance(str(path), instance_format="solomon" if solomon else "vrplib")
    coords = np.asarray(raw["node_coord"], dtype=np.float64)
    exact = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(axis=2))
    windows = "time_window" in raw
    n = len(coords)
    if windows:  # DIMACS: distances, times and service x10, truncated
        matrix = np.floor(10 * exact + 1e-9).astype(np.int64)
        tw = np.floor(10 * np.asarray(raw["time_window"], dtype=np.float64)).astype(np.int64)
        service = np.asarray(raw.get("service_time", np.zeros(n)), dtype=np.float64)
        service = np.broadcast_to(service, (n,)).copy()
        service[0] = 0
        service = np.floor(10 * service).astype(np.int64)
    else:  # TSPLIB EUC_2D: nearest integer
        matrix = np.floor(exact + 0.5).astype(np.int64)
        tw = None
        service = np.zeros(n, dtype=np.int64)
    vehicles = int(raw.get("vehicles", n - 1))
    return {
        "matrix": matrix,
        "tw": tw,
        "service": service,
        "demand": np.asarray(raw["demand"], dtype=np.int64),
        "capacity": int(np.asarray(raw["capacity"]).reshape(-1)[0]),
        "vehicles": vehicles,
        "scale": 10 if windows else 1,
    }


def check(inst: dict[str, Any], routes: list[list[int]]) -> tuple[bool, int]:
    """Independent feasibility check and distance (integer units) of routes of node numbers."""
    d, tw, service, demand = inst["matrix"], inst["tw"], inst["service"], inst["demand"]
    seen = sorted(c for r in routes for c in r)
    ok = seen == list(range(1, len(demand))) and len(routes) <= inst["vehicles"]
    total = 0
    for route in routes:
        ok = ok and int(demand[route].sum()) <= inst["capacity"]
        now, prev = (int(tw[0][0]) if tw is not None else 0), 0
        for client in route:
            total += int(d[prev, client])
            if tw is not None:
                now = max(now + int(d[prev, client]), int(tw[client][0]))
                ok = ok and now <= int(tw[client][1])
                now += int(service[client])
            prev = client
        total += int(d[prev, 0])
        if tw is not None:
            ok = ok and now + int(d[prev, 0]) <= int(tw[0][1])
    return ok, total


def run_engine(path: Path, time_limit: float, seed: int) -> list[list[int]]:
    from senga_desktop.engine.instances import read_instance
    from senga_desktop.engine.parallel import consecutive_seeds, default_workers, solve_best_of

    bench = read_instance(path)
    plan = solve_best_of(
        bench.problem(),
        bench.travel,
        seeds=consecutive_seeds(seed, default_workers()),
        time_limit=time_limit,
    )
    return [[int(oid) for oid in route.order_ids] for route in plan.routes]


def run_pyvrp(path: Path, inst: dict[str, Any], time_limit: float, seed: int) -> list[list[int]]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    if path.suffix.upper() == ".TXT":  # Solomon text, which PyVRP's reader does not take
        import solomon_gap  # the same raw-PyVRP set-up as the Solomon benchmark

        return solomon_gap.run_pyvrp(solomon_gap.load(path), time_limit, seed)
    data = pyvrp.read(str(path), round_func="dimacs" if inst["scale"] == 10 else "round")
    result = pyvrp.solve(data, stop=MaxRuntime(time_limit), seed=seed, display=False)
    # Activity idx k of a client is client k, node k + 1: the depot is node 0.
    return [[a.idx + 1 for a in route if a.is_client()] for route in result.best.routes()]


def _large(name: str) -> bool:
    """A 1000-customer instance (the issue's 2.5 % target is over these)."""
    return "_10_" in name or name == "X-n1001-k43"


def bks() -> dict[str, float]:
    with (BENCH / "bks.csv").open(newline="") as fh:
        return {r["instance"]: float(r["bks_distance"]) for r in csv.DictReader(fh)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("instances", nargs="*", help=f"default: {' '.join(DEFAULT)}")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--solvers", default=",".join(SOLVERS))
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    solvers = [s for s in args.solvers.split(",") if s]
    if not set(solvers) <= set(SOLVERS):
        parser.error(f"--solvers: choose from {', '.join(SOLVERS)}")
    from senga_desktop.engine.parallel import default_workers

    best = bks()
    names = args.instances or DEFAULT
    print(f"{args.time_limit:g} s per solver and instance, seed {args.seed}; engine: best of "
          f"{default_workers()} seeds on {default_workers()} processes (whole call timed); "
          f"pyvrp: one core, MaxRuntime; {os.cpu_count()} cores")  # fmt: skip
    head = f"{'instance':12} {'BKS':>9} |" + "|".join(
        f" {s:>9} {'gap %':>6} {'veh':>3} ok " for s in solvers
    )
    print(head)
    print("-" * len(head))
    rows = []
    for name in names:
        path = path_of(name)
        inst = load(path)
        row: dict[str, Any] = {"instance": name, "bks": best.get(name)}
        cells = []
        for solver in solvers:
            started = time.perf_counter()
            if solver == "engine":
                routes = run_engine(path, args.time_limit, args.seed)
            else:
                routes = run_pyvrp(path, inst, args.time_limit, args.seed)
            seconds = time.perf_counter() - started
            feasible, distance = check(inst, routes)
            value = distance / inst["scale"]
            ref = best.get(name)
            gap = 100 * (value - ref) / ref if ref else math.nan
            row[solver] = {"distance": value, "gap": gap, "vehicles": len(routes),
                           "feasible": feasible, "seconds": round(seconds, 2)}  # fmt: skip
            cells.append(f" {value:9.1f} {gap:6.2f} {len(routes):3d} {'y' if feasible else 'N'}  ")
        rows.append(row)
        print(f"{name:12} {row['bks'] or 0:9.1f} |" + "|".join(cells), flush=True)
    print("-" * len(head))
    for solver in solvers:
        gaps = [r[solver]["gap"] for r in rows if r[solver]["feasible"]]
        large = [r[solver]["gap"] for r in rows if r[solver]["feasible"] and _large(r["instance"])]
        print(
            f"{solver}: mean gap {statistics.fmean(gaps):.2f} % over {len(gaps)} feasible; "
            f"1000 customers {statistics.fmean(large) if large else math.nan:.2f} %"
        )
    if "engine" in solvers and "pyvrp" in solvers:
        wins = sum(r["engine"]["distance"] <= r["pyvrp"]["distance"] for r in rows)
        print(f"engine better or equal on {wins} of {len(rows)} instances")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
