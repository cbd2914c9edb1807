"""From a dropped order to the new cost and marks on the Planning screen, on the depot day.

The 500-order / 40-truck depot day of ``benchmarks/plan_depot_day.py`` is written to a fresh
SQLite database and planned through the controller (CFA, ``--time-limit`` seconds). The Planning
page is shown offscreen (1500 by 950 pixels) with that proposal; its editor opens as on screen
(the synchronous task runner, so it is ready at once). Then each of ``--moves`` moves takes a
random stop of a random route — its route selected first, as a dispatcher dragging from the stop
list has it — and drops it on another route's row of the route list, delivering a ``QDropEvent``
with the panel's own payload to the list's viewport: the same code path as a real drop (edit,
evaluation, undo command, route list, stops, totals, problem marks). Timed per move:

* **drop → cost and marks on screen** — from sending the drop until the event loop has laid out
  and painted what it changed (the totals strip, the Problems box, the changed rows of the route
  list, the stop table). Target: under 100 ms, median and worst. Also printed: the same with
  the totals, the Problems box, the whole route list and the stop table repainted on top
  (``repaint()``), an upper bound;
* of which the engine's evaluation (``PlanEditor.evaluate``);
* **map redrawn** — the map follows a moment later (``MAP_DELAY_MS`` after the last edit): its
  rebuild from cached route drawings, keeping the zoom, and its repaint, timed on their own.

Full garbage collections are counted: the editing session freezes the objects alive when its
editor opens (``gc.freeze()``); ``--no-freeze`` undoes that, to see the pauses it saves.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/edit_on_screen.py [--moves 200]
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from depot_day import NOW
from plan_depot_day import load
from plan_evaluation import collector_pauses
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from senga_desktop.controllers import auth, planning
from senga_desktop.controllers.database import open_configured
from senga_desktop.controllers.planning_views import decision_view
from senga_desktop.domain import PolicyName
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.planning import PlanningPage
from senga_desktop.ui.tasks import SyncTaskRunner
from senga_desktop.ui.widgets.plan_panel.drag import OrderDrag, order_mime

NO_KEYS = Qt.KeyboardModifier.NoModifier


def report(name: str, seconds: list[float], target: str = "") -> None:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    print(f"  {name:<34} median {statistics.median(ms):7.2f} ms   p90 {p90:7.2f} ms   "
          f"worst {ms[-1]:7.2f} ms{target}")  # fmt: skip


def main() -> None:  # noqa: PLR0915 - a linear script: set up, run, report
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--trucks", type=int, default=40)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-freeze", action="store_true",
                        help="undo the session's gc.freeze() (to see what it saves)")  # fmt: skip
    parser.add_argument("--profile", help="write a cProfile of the drops to this file")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])

    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'edit-on-screen.sqlite3'}"
    load(url, args.orders, args.trucks)
    database = open_configured(url).database
    actor = auth.create_first_admin(database.sessions, "bench", "Bench-Depot-2026")
    request = planning.PlanRequest(policy=PolicyName.CFA, seed=args.seed,
                                   time_limit=args.time_limit, workers=1)  # fmt: skip
    summary = functools.partial(planning.plan, now=NOW)(database.sessions, actor, request)
    view = decision_view(database.sessions, actor, summary.decision_id)

    page = PlanningPage(context=AppContext(runner=SyncTaskRunner(), database=database,
                                           actor=actor))  # fmt: skip
    page.resize(1500, 950)
    page.show()
    app.processEvents()
    started = time.perf_counter()
    page.show_view(view)  # opens the editor (synchronously here)
    app.processEvents()
    opened = time.perf_counter() - started
    editor = page.editing.editor
    assert editor is not None, page.edit_bar.status.text()
    panel = page.panel
    assert panel.drag is not None
    stops = sum(len(r.stops) for r in view.routes)
    print(f"Edit on screen: {args.orders} orders, {args.trucks} trucks; proposal of "
          f"{len(view.routes)} routes / {stops} stops, {len(view.held)} held (CFA, "
          f"{args.time_limit:g} s); {args.moves} drops on another route's row")  # fmt: skip
    print(f"  show the proposal and open its editor {opened * 1000:8.1f} ms")

    evaluations: list[float] = []
    evaluate = editor.evaluate

    def timed_evaluate(drafts: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return evaluate(drafts)
        finally:
            evaluations.append(time.perf_counter() - t0)

    editor.evaluate = timed_evaluate  # type: ignore[method-assign]
    if args.no_freeze:
        gc.unfreeze()
    pauses = collector_pauses()
    rng = random.Random(args.seed)
    viewport = panel.route_table.viewport()
    model = panel.route_model
    painted: list[float] = []
    whole: list[float] = []
    maps: list[float] = []
    changed = 0
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    for _ in range(args.moves):
        routes = [r for r in panel.routes() if r.stops]
        source = rng.choice(routes)
        order_id = rng.choice(source.stops).order_ids[0]
        target = rng.choice([r for r in panel.routes() if r.vehicle_id != source.vehicle_id])
        panel.select_route(source.route_id)  # the stop list the drag starts from
        row = model.row_of(target.route_id)
        assert row is not None
        panel.route_table.scrollTo(model.index(row, 1))
        app.processEvents()
        panel.live.map_timer.stop()
        point = QPointF(panel.route_table.visualRect(model.index(row, 1)).center())
        data = order_mime(OrderDrag(order_id, source.vehicle_id))
        before = len(page.editing.edits)
        move, left, none = Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton, NO_KEYS
        # The drag arrives over the row (not timed: it happens before the drop)...
        QApplication.sendEvent(viewport, QDragEnterEvent(point.toPoint(), move, data, left, none))
        QApplication.sendEvent(viewport, QDragMoveEvent(point.toPoint(), move, data, left, none))
        if profiler is not None:
            profiler.enable()
        t0 = time.perf_counter()  # ... and is dropped there.
        QApplication.sendEvent(viewport, QDropEvent(point, move, data, left, none))
        app.processEvents()  # the layouts and paints the drop asked for (the map waits)
        t1 = time.perf_counter()
        for widget in (panel.totals, panel.problems_box, viewport, panel.stop_table.viewport()):
            widget.repaint()
        t2 = time.perf_counter()
        if profiler is not None:
            profiler.disable()
        painted.append(t1 - t0)
        whole.append(t1 - t0 + t2 - t1)
        t1 = t2
        changed += len(page.editing.edits) > before
        panel.live.redraw_map()
        panel.map.canvas().viewport().repaint()
        maps.append(time.perf_counter() - t1)
    plan = page.editing.plan
    assert plan is not None
    print(f"  {changed} of {args.moves} drops made an edit (the others were refused in a sentence)")
    report("drop -> cost and marks on screen", painted, "   (target < 100 ms, median and worst)")
    report("  the same, every list repainted whole", whole)
    report("  of which evaluate()", evaluations[-len(painted) :])
    report("map redrawn and painted (later)", maps)
    worst = max(pauses, default=0.0) * 1000
    frozen = "unfrozen by --no-freeze" if args.no_freeze else "frozen by the editing session"
    print(f"  full garbage collections during the drops: {len(pauses)}, worst {worst:.1f} ms "
          f"({frozen})")  # fmt: skip
    print(f"  after the drops: {len(plan.view.routes)} routes, cost change KES "
          f"{plan.cost_change_kes:,.0f}, {len(plan.violations)} problems "
          f"({len(plan.introduced)} new)")  # fmt: skip
    if profiler is not None:
        profiler.dump_stats(args.profile)
    page.close()
    database.dispose()


if __name__ == "__main__":
    main()
