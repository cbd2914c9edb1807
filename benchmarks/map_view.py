"""How fast the map draws a big plan: 40 routes and 500 stops over real Kenyan towns by default.

Builds a plan as the planning screen gets it (``RouteView``/``HeldView`` read models through
:func:`~senga_desktop.ui.widgets.map.map_data`), then times, offscreen:

* ``set_data`` (building every item and the first layout),
* the first full paint (``viewport().grab()``),
* a full repaint after each of ~50 zoom and pan steps (median, 90th percentile and worst).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/map_view.py [--routes 40] [--stops 500]
        [--held 30] [--steps 50] [--shots /tmp/shots]   # --shots saves PNGs of the map

Target: set_data + first paint well under 500 ms; a repaint well under 16 ms (60 frames/s).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from senga_desktop.controllers.plan_views import (
    DepotPoint,
    HeldView,
    RouteView,
    StopView,
)
from senga_desktop.domain import RouteStatus
from senga_desktop.gazetteer import Town, load_gazetteer
from senga_desktop.ui.widgets.map import MapData, MapView, map_data

DEPOT_TOWN = "Nairobi"
CUSTOMERS = ("Tuskys", "Naivas", "Quickmart", "Bidco", "Kapa Oil", "Unga", "Twiga", "Chandarana")


def _town_weights(towns: list[Town], depot: Town) -> list[float]:
    # Most deliveries go to the big towns near the depot, as on a real depot day.
    return [1.0 / (1.0 + depot.distance_km(t) / 150.0) for t in towns]


def demo_plan(
    routes: int = 40, stops: int = 500, held: int = 30, seed: int = 7
) -> tuple[DepotPoint, list[RouteView], list[HeldView]]:
    """A plan with ``routes`` routes sharing ``stops`` stops over gazetteer towns."""
    rng = random.Random(seed)
    gazetteer = load_gazetteer()
    depot_town = gazetteer.get(DEPOT_TOWN)
    assert depot_town is not None
    towns = [t for t in gazetteer.towns if t.name != DEPOT_TOWN]
    weights = _town_weights(towns, depot_town)
    depot = DepotPoint(
        "Nairobi depot", DEPOT_TOWN, depot_town.latitude, depot_town.longitude, "Africa/Nairobi"
    )
    start = datetime(2026, 12, 7, 4, 30, tzinfo=UTC)
    per_route = [stops // routes + (1 if i < stops % routes else 0) for i in range(routes)]
    views: list[RouteView] = []
    order = 1
    for number, count in enumerate(per_route):
        anchor = rng.choices(towns, weights)[0]
        near = [*sorted(towns, key=anchor.distance_km)[:5], depot_town]
        chosen = [rng.choice(near) for _ in range(count)]
        chosen.sort(key=depot_town.distance_km)  # out along the corridor, then back
        truck_start = depot_town if rng.random() < 0.8 else rng.choice(towns)
        stop_views = []
        clock = start + timedelta(minutes=30)
        on_board = Decimal("0.4") * count
        for sequence, town in enumerate(chosen, 1):
            clock += timedelta(minutes=rng.randint(20, 90))
            on_board -= Decimal("0.4")
            ids = tuple(f"ORD-{order + k:05d}" for k in range(rng.randint(1, 2)))
            order += len(ids)
            stop_views.append(
                StopView(
                    sequence,
                    ids,
                    tuple(rng.choice(CUSTOMERS) for _ in ids),
                    town.name,
                    town.latitude,
                    town.longitude,
                    clock,
                    clock + timedelta(minutes=15),
                    start,
                    start + timedelta(hours=12),
                    Decimal("0.4"),
                    Decimal("1.2"),
                    on_board,
                    on_board * 3,
                    (),
                )
            )
        views.append(
            RouteView(
                f"route-{number + 1}",
                f"KD{'ABCDEFGH'[number % 8]} {100 + number}A",
                "10 t truck",
                RouteStatus.PROPOSED,
                "decision-1",
                truck_start.name,
                truck_start.latitude,
                truck_start.longitude,
                tuple(stop_views),
                Decimal("0.4") * count,
                Decimal("0.5") * count,
                Decimal(10),
                Decimal(40),
                Decimal(320),
                600,
                Decimal(42000),
                Decimal(61000),
                start,
                clock + timedelta(hours=2),
            )
        )
    held_views = []
    for k in range(held):
        town = rng.choices(towns, weights)[0]
        held_views.append(
            HeldView(
                f"ORD-H{k:04d}",
                "window_unreachable",
                f"Would reach {town.name} after its window closes.",
                rng.choice(CUSTOMERS),
                town.name,
                town.latitude,
                town.longitude,
                Decimal(2),
                Decimal(5),
                start + timedelta(hours=6),
            )
        )
    return depot, views, held_views


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[max(0, round(len(ordered) * 0.9) - 1)]
    return (
        f"{name}: median {statistics.median(ordered):5.1f} ms, p90 {p90:5.1f} ms,"
        f" worst {ordered[-1]:5.1f} ms  ({len(ordered)} steps)"
    )


def _first_paint(
    view: MapView, depot: DepotPoint, routes: list[RouteView], held: list[HeldView]
) -> None:
    began = time.perf_counter()
    data: MapData = map_data(depot, routes, held)
    adapted = time.perf_counter()
    view.set_data(data)
    built = time.perf_counter()
    view.canvas().viewport().grab()
    painted = time.perf_counter()
    print(f"{len(routes)} routes, {sum(len(r.stops) for r in routes)} stops, {len(held)} held")
    print(f"map_data (adapter, tooltips): {_ms(adapted - began):7.1f} ms")
    print(f"set_data:                     {_ms(built - adapted):7.1f} ms")
    print(f"first full paint:             {_ms(painted - built):7.1f} ms")
    print(f"set_data + first paint:       {_ms(painted - adapted):7.1f} ms  (target < 500)")


def _zoom_pan_steps(view: MapView, steps: int) -> None:
    """Every third step zooms (in, then out), the others pan; each is followed by a repaint."""
    canvas = view.canvas()
    rng = random.Random(3)
    pans: list[float] = []
    zooms: list[float] = []
    for step in range(steps):
        t0 = time.perf_counter()
        if step % 3 == 0:
            (view.zoom_in if (step // 3) % 4 < 2 else view.zoom_out)()
        else:
            bar = canvas.horizontalScrollBar()
            bar.setValue(bar.value() + rng.randint(-120, 120))
            bar = canvas.verticalScrollBar()
            bar.setValue(bar.value() + rng.randint(-90, 90))
        canvas.viewport().repaint()
        (zooms if step % 3 == 0 else pans).append(_ms(time.perf_counter() - t0))
    print(_summary("zoom/pan step + repaint, all ", pans + zooms))
    print(_summary("  pan step + repaint        ", pans))
    print(_summary("  zoom step (relayout+paint)", zooms))


def _screenshots(view: MapView, routes: list[RouteView], shots: Path) -> None:
    shots.mkdir(parents=True, exist_ok=True)
    view.fit()
    view.grab().save(str(shots / "map_40_routes.png"))
    view.select_route(routes[3].route_id)
    view.grab().save(str(shots / "map_selected.png"))
    view.show_only(routes[3].route_id)
    view.grab().save(str(shots / "map_alone.png"))
    view.show_only(None)
    view.select_route(None)
    for _ in range(4):
        view.zoom_in()
    view.grab().save(str(shots / "map_zoomed.png"))
    print(f"screenshots in {shots}")


def run(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    depot, routes, held = demo_plan(args.routes, args.stops, args.held)
    view = MapView()
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    _first_paint(view, depot, routes, held)
    _zoom_pan_steps(view, args.steps)
    if args.shots:
        _screenshots(view, routes, Path(args.shots))
    view.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routes", type=int, default=40)
    parser.add_argument("--stops", type=int, default=500)
    parser.add_argument("--held", type=int, default=30)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--shots", default="")
    return run(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
