"""The manifest renderer on its own (no database): what a PDF says, in which order, on how many
pages, with which letters; the same drawing on a printer; refusals that leave nothing behind.

Sheets are built from plan read models with the controller's pure builder
(:func:`~senga_desktop.controllers.manifests.route_sheet`), as the app builds them. Qt needs a
GUI application (pytest-qt's, offscreen); no widget is made.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from senga_desktop.controllers.manifest_views import Manifest, ManifestOrder, RouteSheet
from senga_desktop.controllers.manifests import HANDLING_NOTES, route_sheet
from senga_desktop.controllers.plan_views import DepotPoint, ReloadView, RouteView, StopView
from senga_desktop.domain import RouteStatus, SpecialHandling
from senga_desktop.reports import ReportError, render_manifest
from tests.pdf_support import assert_sheets_in_order, flat, pdf_pages

DEPOT = DepotPoint("Senga Nairobi Depot", "Nairobi", -1.309, 36.848, "Africa/Nairobi")
START = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)  # 08:00 in Nairobi
TOWNS = (("Thika", -1.0333, 37.0693), ("Kérugoya", -0.4989, 37.2803), ("Nyeri", -0.4201, 36.9476),
         ("Karatina", -0.4833, 37.1333), ("Murang'a", -0.7210, 37.1526))  # fmt: skip
NON_ASCII = "Wanjikũ Müller Ltd"


@pytest.fixture(autouse=True)
def _gui(qapp: QApplication) -> None:
    """Fonts and paint devices need a GUI application (pytest-qt's, offscreen)."""


def _stop(n: int, trip: int = 0, orders: tuple[str, ...] | None = None) -> StopView:
    town, lat, lon = TOWNS[n % len(TOWNS)]
    eta = START + timedelta(minutes=40 * n + 30)
    ids = orders or (f"ORD-2612-{n:05d}",)
    return StopView(
        sequence=n, order_ids=ids, customers=("",) * len(ids), town=town, lat=lat + n * 0.001,
        lon=lon, eta=eta, departure=eta + timedelta(minutes=15), window_start=START,
        window_end=START + timedelta(hours=10), weight_tonnes=Decimal("0.8"),
        volume_m3=Decimal("2.5"), load_after_tonnes=Decimal(0), load_after_m3=Decimal(0),
        special_handling=(), trip=trip,
    )  # fmt: skip


def _route(route_id: str, stops: tuple[StopView, ...], *, reloads: tuple[ReloadView, ...] = ()
           ) -> RouteView:  # fmt: skip
    return RouteView(
        route_id=route_id, vehicle_id="KDA 123B", vehicle_type="Light truck 3 t",
        status=RouteStatus.PLANNED, decision_id="DEC-261208-050000-AB12", start_town="Ruiru",
        start_lat=-1.146, start_lon=36.96, stops=stops, load_tonnes=Decimal("2.4"),
        load_m3=Decimal("7.5"), capacity_tonnes=Decimal(3), capacity_m3=Decimal(15),
        distance_km=Decimal("182.4"), duration_minutes=500, cost_kes=Decimal(21000),
        revenue_kes=Decimal(43000), departure=START, return_at=START + timedelta(hours=9),
        reloads=reloads,
    )  # fmt: skip


def _orders(view: RouteView) -> dict[str, ManifestOrder]:
    lines = {}
    for stop in view.stops:
        for k, order_id in enumerate(stop.order_ids):
            customer = NON_ASCII if stop.sequence == 2 and k == 0 else f"Duka {stop.sequence}-{k}"
            handling: tuple[SpecialHandling, ...] = ()
            if stop.sequence == 3 and k == 1:
                handling = (SpecialHandling.HAZARDOUS,)
            if stop.sequence == 4:
                handling = (SpecialHandling.REFRIGERATED, SpecialHandling.FRAGILE)
            lines[order_id] = ManifestOrder(
                order_id, customer, "Njoroge Wanjikũ", "+254722410385",
                f"Plot {stop.sequence}, Moi Avenue, {stop.town}", Decimal("0.8"), Decimal("2.5"),
                tuple(HANDLING_NOTES[h] for h in handling),
            )  # fmt: skip
    return lines


def _sheet(route_id: str = "DEC-261208-050000-AB12-R01", stops: int = 5) -> RouteSheet:
    views = tuple(
        _stop(n, trip=0 if n <= 3 else 1,
              orders=(f"ORD-2612-{n:05d}", f"ORD-2612-{n:05d}B") if n == 3 else None)
        for n in range(1, stops + 1)
    )  # fmt: skip
    reload = ReloadView(1, START + timedelta(hours=3), START + timedelta(hours=3, minutes=30))
    view = _route(route_id, views, reloads=(reload,) if stops > 3 else ())
    return route_sheet(view, _orders(view), depot=DEPOT, plate="KDA 123B")


def _manifest(*sheets: RouteSheet) -> Manifest:
    printed = datetime(2026, 12, 7, 15, 2, tzinfo=UTC).astimezone(ZoneInfo("Africa/Nairobi"))
    return Manifest("Decision DEC-261208-050000-AB12", "DEC-261208-050000-AB12", sheets,
                    printed, "amina", "Africa/Nairobi")  # fmt: skip


def test_a_route_prints_its_stops_in_order_with_every_letter(tmp_path: Path) -> None:
    sheet = _sheet()
    result = render_manifest(_manifest(sheet), tmp_path / "route.pdf")
    assert (result.pages, result.routes, result.path) == (1, 1, tmp_path / "route.pdf")
    (text,) = pdf_pages(tmp_path / "route.pdf")
    assert "\t" not in text  # spaces read back as spaces, not as Qt's tabs
    assert NON_ASCII in text  # exactly as spelled, on one line
    assert "Njoroge Wanjikũ" in text
    words = flat(text)
    assert_sheets_in_order(words, [sheet])
    assert [f"{s.eta:%H:%M}" for s in sheet.stops] == ["09:10", "09:50", "10:30", "11:10", "11:50"]
    for expected in (
        "DRIVER MANIFEST", "KDA 123B · Light truck 3 t", "Senga Nairobi Depot · Tuesday 8 December "
        "2026", "Decision DEC-261208-050000-AB12", "Times in EAT (Africa/Nairobi)", "Page 1 of 1",
        "from Ruiru, loads at Senga Nairobi Depot", "Trip 1 of 2", "Trip 2 of 2 — back at the "
        "depot 11:00, reload, out 11:30", "window 08:00\N{EN DASH}18:00", "Tel. +254 722 410 385",
        "HAZARDOUS ON BOARD (stop 3): Dangerous goods (ADR)", "HAZARDOUS (ORD-2612-00003B)",
        "REFRIGERATED ON BOARD (stop 4)", "FRAGILE: Load last", "Name Signature Time",
        "Totals: 5 stops, 6 orders, 2 trips · 4.8 t · 15 m³", "Driver's signature",
        "Printed Mon 07 Dec 2026 18:02 by amina",
    ):  # fmt: skip
        assert expected in words, expected


def test_a_long_route_runs_over_pages_repeating_its_header(tmp_path: Path) -> None:
    sheet = _sheet(stops=32)
    result = render_manifest(_manifest(sheet), tmp_path / "long.pdf")
    pages = [flat(p) for p in pdf_pages(tmp_path / "long.pdf")]
    assert result.pages == len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert page.startswith("DRIVER MANIFEST (continued)" if number > 1 else "DRIVER MANIFEST")
        assert f"Route {sheet.route_id}" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "# Arrive Deliver to Consignee Orders Load Received by" in page
    assert "TRUCK" in pages[0]  # the facts and the map: on the first page only
    assert "TRUCK" not in pages[1]
    assert "Totals: 32 stops" in pages[-1]
    assert_sheets_in_order(" ".join(pages), [sheet])


def test_a_whole_plan_is_one_file_a_route_a_page(tmp_path: Path) -> None:
    sheets = [_sheet(f"DEC-261208-050000-AB12-R0{n}", stops=3 + n) for n in (1, 2, 3)]
    result = render_manifest(_manifest(*sheets), tmp_path / "plan.pdf")
    pages = [flat(p) for p in pdf_pages(tmp_path / "plan.pdf")]
    assert (result.pages, result.routes) == (3, 3)
    for n, page in enumerate(pages):
        assert f"Route {n + 1} of 3 · {sheets[n].route_id} · page 1 of 1" in page
    assert_sheets_in_order(" ".join(pages), sheets)
    document = pdfium.PdfDocument(str(tmp_path / "plan.pdf"))
    try:
        assert len(document) == 3
        width, height = document[0].get_size()
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        image = document[0].render(scale=0.5).to_pil()
        assert image.getbbox() is not None  # something was drawn
    finally:
        document.close()


def test_the_same_drawing_goes_to_a_printer(tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    sheet = _sheet()
    result = render_manifest(_manifest(sheet), printer)
    assert (result.pages, result.routes, result.path) == (1, 1, None)
    (text,) = pdf_pages(tmp_path / "printed.pdf")
    assert_sheets_in_order(flat(text), [sheet])
    assert NON_ASCII in flat(text)


def test_an_unwritable_path_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    manifest = _manifest(_sheet())
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ReportError, match=r"the folder .*missing does not exist"):
        render_manifest(manifest, out / "missing" / "route.pdf")
    with pytest.raises(ReportError, match="it is a folder"):
        render_manifest(manifest, out)
    with pytest.raises(ReportError, match="no route to print"):
        render_manifest(_manifest(), out / "empty.pdf")
    assert list(out.iterdir()) == []
    # Writing over an older file replaces it whole, through no leftover temporary file.
    target = out / "route.pdf"
    target.write_bytes(b"old")
    render_manifest(manifest, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.iterdir()] == ["route.pdf"]
