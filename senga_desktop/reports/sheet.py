"""One route's sheet, laid out in pages: header, the route's facts and map, the stop table.

:func:`paginate` measures everything first and splits the table over as many pages as the route
needs; :func:`draw_page` then paints one of them. Every page repeats the header (truck, depot,
day, route and decision ids, "continued") and the column headings, and its footer says when and
by whom it was printed and "page 2 of 3" of this route, so loose pages find their way back.
The first page also carries the facts a driver checks before leaving — truck, a line for the
driver's name, departure and return, stops, load, distance — beside the small map, and any
warning for the whole route (dangerous or chilled goods on board, a route needing attention).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from senga_desktop.controllers.manifest_views import Manifest, RouteSheet
from senga_desktop.domain import SpecialHandling
from senga_desktop.reports.canvas import Canvas, Ink, TextBlock
from senga_desktop.reports.formatting import (
    clock,
    day_heading,
    distance,
    duration,
    plural,
    quantity,
    stamp,
    zone_name,
)
from senga_desktop.reports.route_map import draw_route_map
from senga_desktop.reports.stop_table import (
    Item,
    draw_table_header,
    table_header_height,
    table_items,
)

__all__ = ["SheetPage", "draw_page", "paginate"]

HEADER_MM = 19.0
FOOTER_MM = 7.0
MAP_MM = (66.0, 58.0)  # width, height of the small map
LABEL_MM = 19.0  # width of the facts' labels


@dataclass
class SheetPage:
    """One page of a route's sheet: the intro on the first, then a run of table items."""

    sheet: RouteSheet
    number: int  # 1, 2, … within the route
    intro: Item | None
    items: list[Item] = field(default_factory=list)
    count: int = 1  # pages of this route


def _facts(sheet: RouteSheet) -> list[tuple[str, str]]:
    plate = f" (plate {sheet.plate})" if sheet.plate and sheet.plate != sheet.vehicle_id else ""
    start = sheet.start.label
    leaves = f"{clock(sheet.departure, sheet.day)} from {sheet.depot_name}"
    if start and start != sheet.depot_name and sheet.start != sheet.depot:
        leaves = f"{clock(sheet.departure, sheet.day)} from {start}, loads at {sheet.depot_name}"
    towns = " \N{RIGHTWARDS ARROW} ".join(dict.fromkeys(s.town for s in sheet.stops))
    trips = f" in {sheet.trip_count} trips" if sheet.trip_count > 1 else ""
    share = (
        f" ({sheet.load_tonnes / sheet.capacity_tonnes:.0%} of {quantity(sheet.capacity_tonnes)} t)"
        if sheet.capacity_tonnes > 0
        else ""
    )
    return [
        ("Truck", f"{sheet.vehicle_id}{plate} \N{MIDDLE DOT} {sheet.vehicle_type} \N{MIDDLE DOT} "
                  f"{quantity(sheet.capacity_tonnes)} t, "
                  f"{quantity(sheet.capacity_m3, 1)} m³"),
        ("Driver", sheet.driver),
        ("Leaves", leaves),
        ("Back", f"about {clock(sheet.return_at, sheet.day)} at the depot{_days(sheet)}"),
        ("Stops", f"{plural(len(sheet.stops), 'stop')}{trips}, "
                  f"{plural(len(sheet.order_ids), 'order')}: {towns or 'none'}"),
        ("Load", f"{quantity(sheet.total_tonnes)} t, {quantity(sheet.total_m3, 1)} m³ to deliver; "
                 f"at most {quantity(sheet.load_tonnes)} t on board{share}"),
        ("Distance", f"{distance(sheet.distance_km)} by road \N{MIDDLE DOT} "
                     f"{duration(sheet.duration_minutes)} with stops"),
    ]  # fmt: skip


def _days(sheet: RouteSheet) -> str:
    """ " — a 2-day trip, resting overnight as planned" for a route back on a later day."""
    if sheet.departure is None or sheet.return_at is None:
        return ""
    days = (sheet.return_at.date() - sheet.departure.date()).days + 1
    return f" \N{EM DASH} a {days}-day trip, resting overnight as planned" if days > 1 else ""


def _warning_lines(sheet: RouteSheet) -> list[tuple[str, SpecialHandling | None]]:
    lines: list[tuple[str, SpecialHandling | None]] = []
    for note, stops in sheet.warnings:
        where = ", ".join(str(n) for n in stops)
        label = "stop" if len(stops) == 1 else "stops"
        lines.append(
            (f"{note.label.upper()} ON BOARD ({label} {where}): {note.instruction}", note.code)
        )
    if sheet.attention:
        lines.append((f"ATTENTION: {sheet.attention}", None))
    return lines


def _intro(canvas: Canvas, sheet: RouteSheet, left: float, width: float) -> Item:
    map_w, map_h = canvas.mm(MAP_MM[0]), canvas.mm(MAP_MM[1])
    gap = canvas.mm(5)
    label_w = canvas.mm(LABEL_MM)
    value_w = width - map_w - gap - label_w
    rows: list[tuple[str, TextBlock | None, float]] = []
    for label, value in _facts(sheet):
        if label == "Driver":
            rows.append((label, None, canvas.mm(8.5)))
            continue
        block = canvas.block(value, value_w, 8.6, bold=label == "Truck")
        rows.append((label, block, block.height + canvas.mm(1.5)))
    facts_h = sum(h for _, _, h in rows)
    warnings = [
        (canvas.block(text, width - canvas.mm(9), 7.8, bold=True, color=_colours(code)[1]), code)
        for text, code in _warning_lines(sheet)
    ]
    warn_h = sum(b.height + canvas.mm(3.4) for b, _ in warnings)
    top_h = max(facts_h, map_h + canvas.mm(4))  # the map and its caption
    height = top_h + (canvas.mm(3) + warn_h if warnings else 0) + canvas.mm(4)

    def draw(y: float) -> None:
        top = y
        for label, block, h in rows:
            canvas.text(label.upper(), left, top + canvas.mm(0.6), 6.4, bold=True, color=Ink.MUTED)
            if block is not None:
                canvas.draw_block(block, left + label_w, top)
            else:
                _driver_line(canvas, sheet, left + label_w, top, value_w)
            top += h
        draw_route_map(canvas, QRectF(left + width - map_w, y, map_w, map_h), sheet)
        canvas.text("Straight lines between stops: drive by road.", left + width - map_w,
                    y + map_h + canvas.mm(0.8), 5.8, color=Ink.FAINT)  # fmt: skip
        top = y + top_h + canvas.mm(3)
        for block, code in warnings:
            _warning_box(canvas, block, code, x=left, y=top, width=width)
            top += block.height + canvas.mm(3.4)

    return Item(height, draw)


def _driver_line(canvas: Canvas, sheet: RouteSheet, x: float, y: float, width: float) -> None:
    """The driver's name (or a line to write it on) and a line for their phone."""
    base = y + canvas.mm(5.2)
    name_w = width * 0.58
    if sheet.driver:
        canvas.text(sheet.driver, x, y, 8.6, width=name_w)
    else:
        canvas.text("name", x, base - canvas.mm(2.6), 5.6, color=Ink.FAINT)
    canvas.rule(x, base, x + name_w - canvas.mm(3), weight_mm=0.25)
    phone_x = x + name_w
    canvas.text("PHONE", phone_x, y + canvas.mm(0.6), 6.4, bold=True, color=Ink.MUTED)
    canvas.rule(phone_x + canvas.mm(12), base, x + width, weight_mm=0.25)


def _colours(code: SpecialHandling | None) -> tuple[QColor, QColor]:
    """Fill and ink of a warning: red for dangerous goods, blue for chilled, amber otherwise."""
    if code is SpecialHandling.HAZARDOUS:
        return Ink.HAZARD_FILL, Ink.HAZARD
    if code is SpecialHandling.REFRIGERATED:
        return Ink.COLD_FILL, Ink.COLD
    return Ink.NOTICE_FILL, Ink.NOTICE


def _warning_box(
    canvas: Canvas, block: TextBlock, code: SpecialHandling | None, *, x: float, y: float,
    width: float,
) -> None:  # fmt: skip
    fill, ink = _colours(code)
    rect = QRectF(x, y, width, block.height + canvas.mm(2.4))
    canvas.box(rect, fill=fill, border=ink, weight_mm=0.5)
    symbol = "\N{WARNING SIGN}" if code is not SpecialHandling.REFRIGERATED else "\N{SNOWFLAKE}"
    canvas.text(symbol, x + canvas.mm(2), y + canvas.mm(1.1), 9, bold=True, color=ink)
    canvas.draw_block(block, x + canvas.mm(7.5), y + canvas.mm(1.2))


def _header(canvas: Canvas, page: SheetPage, area: QRectF) -> None:
    sheet = page.sheet
    left, right, y = area.left(), area.right(), area.top()
    canvas.text("DRIVER MANIFEST" + ("  (continued)" if page.number > 1 else ""), left, y, 7,
                bold=True, color=Ink.MUTED)  # fmt: skip
    title = f"{sheet.vehicle_id} \N{MIDDLE DOT} {sheet.vehicle_type}"
    canvas.text(title, left, y + canvas.mm(3.6), 15, bold=True, width=area.width() * 0.6)
    canvas.text(f"{sheet.depot_name} \N{MIDDLE DOT} {day_heading(sheet.day)}", left,
                y + canvas.mm(11.2), 9, width=area.width() * 0.6)  # fmt: skip
    canvas.text(f"Route {sheet.route_id}", left, y + canvas.mm(0.6), 9, bold=True, right=right)
    decision = f"Decision {sheet.decision_id}" if sheet.decision_id else "No decision recorded"
    canvas.text(decision, left, y + canvas.mm(5.4), 7.6, right=right)
    canvas.text(f"Times in {zone_name(sheet.departure, sheet.time_zone)}", left,
                y + canvas.mm(9.2), 7, color=Ink.MUTED, right=right)  # fmt: skip
    canvas.text(f"Page {page.number} of {page.count}", left, y + canvas.mm(12.6), 7.6,
                bold=True, right=right)  # fmt: skip
    canvas.rule(left, y + canvas.mm(HEADER_MM - 2.5), right, color=Ink.HEADER, weight_mm=0.5)


def _footer(canvas: Canvas, manifest: Manifest, page: SheetPage, area: QRectF, index: int) -> None:
    y = area.bottom() - canvas.mm(FOOTER_MM) + canvas.mm(2.2)
    canvas.rule(area.left(), y - canvas.mm(1.2), area.right(), color=Ink.HAIRLINE, weight_mm=0.15)
    printed = f"Printed {stamp(manifest.printed_at)} by {manifest.printed_by} \N{MIDDLE DOT} " \
              "Senga Dispatch"  # fmt: skip
    canvas.text(printed, area.left(), y, 6.4, color=Ink.MUTED, width=area.width() * 0.6)
    where = f"{page.sheet.route_id} \N{MIDDLE DOT} page {page.number} of {page.count}"
    if len(manifest.sheets) > 1:
        where = f"Route {index + 1} of {len(manifest.sheets)} \N{MIDDLE DOT} {where}"
    canvas.text(where, area.left(), y, 6.4, color=Ink.MUTED, right=area.right())


def paginate(canvas: Canvas, sheet: RouteSheet, area: QRectF) -> list[SheetPage]:
    """The route's pages: items placed while they fit, a band kept with the row after it."""
    left, width = area.left(), area.width()
    body = area.height() - canvas.mm(HEADER_MM + FOOTER_MM) - table_header_height(canvas)
    intro = _intro(canvas, sheet, left, width)
    pages = [SheetPage(sheet, 1, intro)]
    room = body - intro.height
    items = table_items(canvas, sheet, left, width)
    for index, item in enumerate(items):
        needed = item.height
        if item.keep_with_next and index + 1 < len(items):
            needed += items[index + 1].height
        if needed > room and pages[-1].items:
            pages.append(SheetPage(sheet, len(pages) + 1, None))
            room = body
        pages[-1].items.append(item)
        room -= item.height
    for page in pages:
        page.count = len(pages)
    return pages


def draw_page(
    canvas: Canvas, manifest: Manifest, page: SheetPage, area: QRectF, index: int
) -> None:
    """Paint ``page`` into ``area`` (the page's printable rectangle, device pixels)."""
    _header(canvas, page, area)
    y = area.top() + canvas.mm(HEADER_MM)
    if page.intro is not None:
        page.intro.draw(y)
        y += page.intro.height
    draw_table_header(canvas, area.left(), area.width(), y)
    y += table_header_height(canvas)
    for item in page.items:
        item.draw(y)
        y += item.height
    _footer(canvas, manifest, page, area, index)
