"""How fast the driver manifests render: a whole plan of 40 routes and 500 stops by default.

Builds the manifest the way :mod:`senga_desktop.controllers.manifests` does — the plan's
``RouteView`` read models (the same synthetic depot day as ``benchmarks/map_view.py``) through
:func:`~senga_desktop.controllers.manifests.route_sheet`, with a consignee for every order
(names with non-ASCII letters among them, contacts, phones, addresses, and refrigerated,
hazardous and fragile freight) — then times, offscreen:

* rendering the whole plan into one PDF (median and worst of ``--repeat`` runs; target < 5 s),
* rendering one route's sheet (what "Save manifest as PDF…" on the Routes screen does),

and prints the pages and the file size. ``--png DIR`` renders the first page and the first
page with dangerous goods to PNG with pypdfium2, to look at.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/manifest_render.py [--routes 40]
        [--stops 500] [--repeat 3] [--png /tmp/manifest-pages]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.map_view import demo_plan
from senga_desktop.controllers.manifest_views import Manifest, ManifestOrder
from senga_desktop.controllers.manifests import HANDLING_NOTES, route_sheet
from senga_desktop.controllers.plan_views import RouteView
from senga_desktop.domain import RouteStatus, SpecialHandling
from senga_desktop.reports import ensure_gui_application, render_manifest

CUSTOMERS = (
    ("Jamii Supermarkets Ltd", "Wanjiku Kamau"),
    ("Kiambu Highlands Dairy Cooperative", "Njoroge Wanjikũ"),
    ("Müller Agro-Chemicals (Kenya) Ltd", "Jürgen Müller"),
    ("Afya Pharma Wholesalers Ltd", "Achieng Odhiambo"),
    ("Pwani Beverages Distributors", "Baraka Mwakio"),
    ("Shamba Bora Agrovet", "Chebet Kiptoo"),
    ("Café Kérugoya Roasters", "Ngũgĩ wa Kamau"),
    ("Lake Basin Fish Traders", "Akinyi Adhiambo"),
)
STREETS = ("Moi Avenue", "Kenyatta Avenue", "Station Road", "Hospital Road", "Uganda Road")
HANDLING = (
    (SpecialHandling.REFRIGERATED, 0.15),
    (SpecialHandling.HAZARDOUS, 0.06),
    (SpecialHandling.FRAGILE, 0.12),
)


def build_manifest(routes: int, stops: int, seed: int = 11) -> Manifest:
    """A committed plan's manifest with ``routes`` routes sharing ``stops`` stops."""
    depot, views, _held = demo_plan(routes=routes, stops=stops, held=0)
    rng = random.Random(seed)
    sheets = []
    for number, view in enumerate(views):
        orders: dict[str, ManifestOrder] = {}
        for stop in view.stops:
            for order_id in stop.order_ids:
                customer, contact = rng.choice(CUSTOMERS)
                handling = tuple(
                    HANDLING_NOTES[code] for code, share in HANDLING if rng.random() < share
                )
                orders[order_id] = ManifestOrder(
                    order_id=order_id,
                    customer=customer,
                    contact=contact,
                    phone=f"+2547{rng.randint(10_000_000, 99_999_999)}",
                    address=f"Plot {rng.randint(1, 480)}, {rng.choice(STREETS)}, {stop.town}",
                    weight_tonnes=stop.weight_tonnes / len(stop.order_ids),
                    volume_m3=stop.volume_m3 / len(stop.order_ids),
                    handling=handling,
                )
        plate = (
            f"K{'ABCDEFGH'[number % 8]}{'JKLMNPQR'[number % 8]} {100 + number}{'ABC'[number % 3]}"
        )
        sheets.append(route_sheet(_committed(view), orders, depot=depot, plate=plate))
    return Manifest(
        title="Decision DEC-BENCH",
        decision_id="DEC-BENCH",
        sheets=tuple(sheets),
        printed_at=datetime.now(UTC).astimezone(ZoneInfo(depot.time_zone)),
        printed_by="amina",
        time_zone=depot.time_zone,
    )


def _committed(view: RouteView) -> RouteView:
    return replace(view, status=RouteStatus.PLANNED, decision_id="DEC-BENCH")


def _only(manifest: Manifest, index: int) -> Manifest:
    return replace(manifest, title="Route", sheets=manifest.sheets[index : index + 1])


def _time(manifest: Manifest, path: Path, repeat: int) -> tuple[list[float], int]:
    samples, pages = [], 0
    for _ in range(repeat):
        began = time.perf_counter()
        pages = render_manifest(manifest, path).pages
        samples.append(time.perf_counter() - began)
    return samples, pages


def _pngs(manifest: Manifest, path: Path, folder: Path) -> None:
    """The plan's first page, and the first page of a route carrying dangerous goods."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    hazard = next(
        (i for i, s in enumerate(manifest.sheets)
         if any(n.code is SpecialHandling.HAZARDOUS for n, _ in s.warnings)), 0,
    )  # fmt: skip
    single = folder / "hazardous-route.pdf"
    render_manifest(_only(manifest, hazard), single)
    for name, source in (("first", path), ("hazardous", single)):
        document = pdfium.PdfDocument(str(source))
        try:
            target = folder / f"manifest-{name}-page.png"
            document[0].render(scale=150 / 72).to_pil().save(target)
            print(f"{name} page → {target}")
        finally:
            document.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routes", type=int, default=40)
    parser.add_argument("--stops", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--png", type=Path, help="render two pages to PNG in this folder")
    args = parser.parse_args()
    ensure_gui_application()
    manifest = build_manifest(args.routes, args.stops)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.pdf"
        samples, pages = _time(manifest, path, args.repeat)
        stops = sum(len(s.stops) for s in manifest.sheets)
        print(f"{len(manifest.sheets)} routes, {stops} stops → {pages} pages, "
              f"{path.stat().st_size / 1024:,.0f} KiB")  # fmt: skip
        print(f"whole plan: median {statistics.median(samples):.2f} s, worst {max(samples):.2f} s"
              f" over {len(samples)} runs (target < 5 s)")  # fmt: skip
        one = _only(manifest, 0)
        single, _ = _time(one, Path(folder) / "route.pdf", max(args.repeat, 5))
        print(
            f"one route ({len(one.sheets[0].stops)} stops): median "
            f"{statistics.median(single) * 1000:.0f} ms, worst {max(single) * 1000:.0f} ms"
        )
        if args.png is not None:
            _pngs(manifest, path, args.png)


if __name__ == "__main__":
    main()
