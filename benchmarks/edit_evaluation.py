"""From a dropped order to the new cost and marks, on the 500-order depot day.

The depot day of ``benchmarks/plan_depot_day.py`` (500 orders, 40 trucks) is written to a fresh
SQLite database and planned through the controller (CFA, ``--time-limit`` seconds); then
:func:`~senga_desktop.controllers.plan_editing.open_plan_editor` opens an editor on the decision
(timed: one unit of work and the evaluator's matrices) and each of ``--moves`` edits moves one
random order (held ones included) to a random place on another route or a free truck, as a drop
does. Timed per move, what the screen waits for after a drop:
:meth:`PlanEditor.move_order` plus :meth:`PlanEditor.evaluate` — the edited plan's views, every
violation with its sentence, the cost change. Target: under 100 ms, median and worst.

Full garbage collections of the whole process (the solver's and the evaluator's objects) are
the worst pauses; the objects alive once the editor is open are frozen out of the collector
(``gc.freeze()``, as the editing screen may do once its session is loaded) unless
``--no-freeze``, and the collector's pauses are printed.

    .venv/bin/python benchmarks/edit_evaluation.py [--moves 300] [--time-limit 10]
"""

from __future__ import annotations

import argparse
import functools
import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from depot_day import NOW
from plan_depot_day import load
from plan_evaluation import collector_pauses

from senga_desktop.controllers import planning
from senga_desktop.controllers.database import open_configured
from senga_desktop.controllers.permissions import COMMAND_LINE
from senga_desktop.controllers.plan_editing import EditedPlan, PlanEditor, open_plan_editor
from senga_desktop.domain import PolicyName
from senga_desktop.engine.evaluate import DraftRoute


def random_move(
    editor: PlanEditor, drafts: tuple[DraftRoute, ...], rng: random.Random
) -> tuple[DraftRoute, ...]:
    """``drafts`` with one random order dropped at a random place on another truck."""
    order_id = rng.choice(sorted(editor.known.orders))
    source = next((d.vehicle_id for d in drafts if order_id in d.order_ids), None)
    trucks = sorted(editor.known.trucks - {source} if source else editor.known.trucks)
    target = rng.choice(trucks)
    route = next((d for d in drafts if d.vehicle_id == target and d.order_ids), None)
    trip = rng.randrange(len(route.trips)) if route else 0
    index = rng.randint(0, len(route.trips[trip])) if route else 0
    moved, _ = editor.move_order(drafts, order_id, target, index, trip)
    return moved


def report(name: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    print(f"  {name:<28} median {statistics.median(ms):6.2f} ms   p99 {p99:6.2f} ms   "
          f"worst {ms[-1]:6.2f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--trucks", type=int, default=40)
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-freeze", action="store_true", help="leave gc.freeze() out")
    args = parser.parse_args()

    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'edit-evaluation.sqlite3'}"
    load(url, args.orders, args.trucks)
    sessions = open_configured(url).database.sessions
    request = planning.PlanRequest(policy=PolicyName.CFA, seed=args.seed,
                                   time_limit=args.time_limit, workers=1)  # fmt: skip
    decision = functools.partial(planning.plan, now=NOW)(sessions, COMMAND_LINE, request)
    started = time.perf_counter()
    editor = open_plan_editor(sessions, COMMAND_LINE, decision.decision_id)
    opened = time.perf_counter() - started
    base = editor.base
    stops = sum(len(d.order_ids) for d in editor.base_drafts)
    print(f"Edit evaluation: {args.orders} orders, {args.trucks} trucks; decision of "
          f"{len(editor.base_drafts)} routes / {stops} stops, {len(base.view.held)} held, "
          f"{len(editor.free_trucks)} free trucks (CFA, {args.time_limit:g} s solve); "
          f"{args.moves} random moves")  # fmt: skip
    print(f"  open_plan_editor (read + matrices) {opened * 1000:8.1f} ms")

    if not args.no_freeze:
        gc.collect()
        gc.freeze()
    pauses = collector_pauses()
    rng = random.Random(args.seed)
    drafts = editor.base_drafts
    moves, evaluations = [], []
    edited: EditedPlan = base
    for _ in range(args.moves):
        t0 = time.perf_counter()
        drafts = random_move(editor, drafts, rng)
        t1 = time.perf_counter()
        edited = editor.evaluate(drafts)
        t2 = time.perf_counter()
        moves.append(t2 - t0)
        evaluations.append(t2 - t1)
    report("drop -> cost and marks", moves)  # target < 100 ms, median and worst
    report("  of which evaluate()", evaluations)
    worst = max(pauses, default=0.0) * 1000
    frozen = "not frozen" if args.no_freeze else "frozen after opening"
    print(f"  full garbage collections during the moves: {len(pauses)}, worst {worst:.1f} ms "
          f"({frozen})")  # fmt: skip
    routes = len(edited.view.routes)
    print(f"  after the moves: {routes} routes, cost change KES {edited.cost_change_kes:,}, "
          f"{len(edited.violations)} violations ({len(edited.introduced)} new)")  # fmt: skip


if __name__ == "__main__":
    main()
