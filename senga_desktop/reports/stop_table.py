"""The stop table of a driver's sheet: one measured row per stop, trip bands, totals, sign-off.

Every row is measured before anything is drawn (:func:`table_items`), so the sheet can paginate
— a row never splits across pages, a trip's band never ends a page alone — and repeat the
column headings on every page. A row reads left to right as a driver works through it: stop
number, when (ETA against the window), where (town, address), whom (customer, contact, phone),
what (order numbers, tonnes and m³), and a box to fill in at the door: who received it, their
signature and the time. Special handling runs under the row; dangerous and chilled goods in a
tinted band with a heavy bar and a symbol, so they stand out in black and white too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF

from senga_desktop.controllers.manifest_views import HandlingNote, ManifestStop, RouteSheet
from senga_desktop.domain import SpecialHandling
from senga_desktop.reports.canvas import Canvas, Ink, TextBlock
from senga_desktop.reports.formatting import clock, plural, quantity, window

__all__ = ["COLUMNS", "Item", "draw_table_header", "table_header_height", "table_items"]

#: Column titles and their share of the width (millimetres on an A4 page, scaled to the page).
COLUMNS: tuple[tuple[str, float], ...] = (
    ("#", 8.5),
    ("Arrive", 22.0),
    ("Deliver to", 40.0),
    ("Consignee", 40.0),
    ("Orders", 27.5),  # an order number (ORD-2612-00042) on one line
    ("Load", 14.0),
    ("Received by", 34.0),
)
PAD = 1.4  # mm inside a cell
SIGN_LINES = ("Name", "Signature", "Time")
SIGN_SPACING = 4.7  # mm between the lines of the signature box
SYMBOL = {
    SpecialHandling.HAZARDOUS: "\N{WARNING SIGN}",
    SpecialHandling.REFRIGERATED: "\N{SNOWFLAKE}",
}


@dataclass
class Item:
    """Something the table stacks: its height and how to draw it with its top at ``y``."""

    height: float
    draw: Callable[[float], None]
    keep_with_next: bool = False


def _columns(canvas: Canvas, left: float, width: float) -> list[tuple[float, float]]:
    """Each column's x and width in device pixels, scaled to ``width``."""
    total = sum(w for _, w in COLUMNS)
    spans, x = [], left
    for _, share in COLUMNS:
        w = width * share / total
        spans.append((x, w))
        x += w
    return spans


def table_header_height(canvas: Canvas) -> float:
    return canvas.mm(6.0)


def draw_table_header(canvas: Canvas, left: float, width: float, y: float) -> None:
    height = table_header_height(canvas)
    canvas.box(QRectF(left, y, width, height), fill=Ink.HEADER)
    pad = canvas.mm(PAD)
    for (title, _), (x, w) in zip(COLUMNS, _columns(canvas, left, width), strict=True):
        canvas.text(title, x + pad, y + canvas.mm(1.6), 6.8, bold=True, color=Ink.WHITE,
                    width=w - 2 * pad)  # fmt: skip


def _phone(number: str) -> str:
    """``+254 722 410 385`` for a Kenyan number in international form; others as stored."""
    digits = number.replace(" ", "")
    if digits.startswith("+254") and len(digits) == 13 and digits[1:].isdigit():
        return f"{digits[:4]} {digits[4:7]} {digits[7:10]} {digits[10:]}"
    return number


def _consignees(stop: ManifestStop) -> list[tuple[str, str, str]]:
    """Each distinct (customer, contact, phone) of the stop's orders, in order."""
    return list(dict.fromkeys((o.customer, o.contact, o.phone) for o in stop.orders))


def _stop_item(canvas: Canvas, sheet: RouteSheet, stop: ManifestStop, left: float,
               width: float) -> Item:  # fmt: skip
    spans = _columns(canvas, left, width)
    pad = canvas.mm(PAD)
    inner = [w - 2 * pad for _, w in spans]
    cells: list[list[TextBlock]] = [[] for _ in COLUMNS]
    number = str(stop.sequence)
    cells[0].append(canvas.block(number, inner[0], 9.5 if len(number) < 3 else 7.5, bold=True))
    day = stop.eta.date() if stop.eta is not None else sheet.day
    if stop.eta is not None and day != sheet.day:  # a later day of a long trip: say which
        cells[1].append(canvas.block(f"{stop.eta:%a %d %b}", inner[1], 6.8, bold=True))
    cells[1].append(canvas.block(clock(stop.eta), inner[1], 10, bold=True))
    cells[1].append(canvas.block(f"window {window(stop.window_start, stop.window_end, day)}",
                                 inner[1], 6.8, color=Ink.MUTED))  # fmt: skip
    if stop.late and stop.eta is not None and stop.window_end is not None:
        minutes = int((stop.eta - stop.window_end).total_seconds() // 60)
        cells[1].append(canvas.block(f"LATE +{minutes} min", inner[1], 6.8, bold=True,
                                     color=Ink.HAZARD))  # fmt: skip
    cells[2].append(canvas.block(stop.town, inner[2], 8.6, bold=True))
    for address in dict.fromkeys(o.address for o in stop.orders if o.address):
        cells[2].append(canvas.block(address, inner[2], 7.4))
    for customer, contact, phone in _consignees(stop):
        cells[3].append(canvas.block(customer or "\N{EM DASH}", inner[3], 8.0, bold=True))
        if contact:
            cells[3].append(canvas.block(contact, inner[3], 7.4))
        if phone:
            cells[3].append(canvas.block(f"Tel. {_phone(phone)}", inner[3], 7.4))
    for order in stop.orders:
        cells[4].append(canvas.block(order.order_id, inner[4], 7.4))
    cells[5].append(canvas.block(f"{quantity(stop.weight_tonnes)} t", inner[5], 7.6))
    cells[5].append(canvas.block(f"{quantity(stop.volume_m3, 1)} m³", inner[5], 7.6,
                                 color=Ink.MUTED))  # fmt: skip
    notes_width = spans[5][0] + spans[5][1] - spans[1][0] - 2 * pad
    notes = [
        _note_block(canvas, note, _carried_by(stop, note), notes_width - canvas.mm(3))
        for note in stop.handling
    ]
    content = max(sum(b.height for b in blocks) for blocks in cells)
    notes_height = sum(b.height + canvas.mm(1.2) for _, b in notes)
    sign_height = canvas.mm(SIGN_SPACING * len(SIGN_LINES) + 0.8)
    height = max(content + notes_height, sign_height) + 2 * pad + canvas.mm(0.4)

    def draw(y: float) -> None:
        for blocks, (x, w) in zip(cells[:-1], spans[:-1], strict=True):
            top = y + pad
            for block in blocks:
                right = x + w - pad if blocks is cells[5] else None
                top = canvas.draw_block(block, x + pad, top, right=right)
        _draw_sign_box(canvas, spans[-1], y, height)
        top = y + pad + content
        for note, block in notes:
            top += canvas.mm(1.2)
            _draw_note(canvas, note, block, x=spans[1][0] + pad, y=top, width=notes_width)
            top += block.height
        canvas.rule(left, y + height, left + width, color=Ink.HAIRLINE, weight_mm=0.15)

    return Item(height, draw)


def _carried_by(stop: ManifestStop, note: HandlingNote) -> str:
    """ " (ORD-…)" when only some of a stop's orders need ``note``; "" when all do."""
    ids = [o.order_id for o in stop.orders if any(n.code is note.code for n in o.handling)]
    return f" ({', '.join(ids)})" if len(ids) < len(stop.orders) else ""


def _note_block(
    canvas: Canvas, note: HandlingNote, which: str, width: float
) -> tuple[HandlingNote, TextBlock]:
    symbol = SYMBOL.get(note.code, "\N{BLACK CIRCLE}")
    # A warning's full instruction heads the sheet; the stop repeats what and where to look.
    said = "see the warning at the top of the sheet" if note.warning else note.instruction
    text = f"{symbol} {note.label.upper()}{which}: {said}"
    color = Ink.HAZARD if note.code is SpecialHandling.HAZARDOUS else (
        Ink.COLD if note.code is SpecialHandling.REFRIGERATED else Ink.TEXT)  # fmt: skip
    return note, canvas.block(text, width, 7.0, bold=note.warning, color=color)


def _draw_note(
    canvas: Canvas, note: HandlingNote, block: TextBlock, *, x: float, y: float, width: float
) -> None:
    if note.warning:
        fill = Ink.HAZARD_FILL if note.code is SpecialHandling.HAZARDOUS else Ink.COLD_FILL
        rect = QRectF(x, y - canvas.mm(0.5), width, block.height + canvas.mm(1.0))
        canvas.box(rect, fill=fill)
        canvas.box(QRectF(x, rect.top(), canvas.mm(1.0), rect.height()), fill=block.color)
    canvas.draw_block(block, x + canvas.mm(2.2), y)


def _draw_sign_box(canvas: Canvas, span: tuple[float, float], y: float, height: float) -> None:
    x, w = span
    pad = canvas.mm(PAD)
    canvas.box(QRectF(x, y, w, height), fill=Ink.BAND)
    line_y = y + pad + canvas.mm(SIGN_SPACING) - canvas.mm(0.6)
    font = canvas.font(5.6)
    start = x + pad + max(canvas.width(label, font) for label in SIGN_LINES) + canvas.mm(1.2)
    for label in SIGN_LINES:
        canvas.text(label, x + pad, line_y - canvas.mm(2.3), 5.6, color=Ink.MUTED)
        canvas.rule(start, line_y, x + w - pad, color=Ink.RULE, weight_mm=0.2)
        line_y += canvas.mm(SIGN_SPACING)


def _band(canvas: Canvas, text: str, left: float, width: float, *, strong: bool = False,
          keep_with_next: bool = True) -> Item:  # fmt: skip
    block = canvas.block(text, width - canvas.mm(2 * PAD), 7.8, bold=True)
    height = block.height + canvas.mm(2.4)

    def draw(y: float) -> None:
        canvas.box(QRectF(left, y, width, height), fill=Ink.HAIRLINE if strong else Ink.BAND)
        canvas.draw_block(block, left + canvas.mm(PAD), y + canvas.mm(1.2))

    return Item(height, draw, keep_with_next=keep_with_next)


def _trip_text(sheet: RouteSheet, trip: int) -> str:
    stops = [s for s in sheet.stops if s.trip == trip]
    load = f"{quantity(sum((s.weight_tonnes for s in stops), Decimal(0)))} t on board"
    if trip == 0:
        return f"Trip 1 of {sheet.trip_count} \N{EM DASH} loaded at the depot, out " \
               f"{clock(sheet.departure, sheet.day)} \N{MIDDLE DOT} {load}"  # fmt: skip
    reload = sheet.reload_before(trip)
    back = clock(reload.arrival, sheet.day) if reload else "\N{EM DASH}"
    out = clock(reload.departure, sheet.day) if reload else "\N{EM DASH}"
    return (f"Trip {trip + 1} of {sheet.trip_count} \N{EM DASH} back at the depot {back}, "
            f"reload, out {out} \N{MIDDLE DOT} {load}")  # fmt: skip


def _totals(canvas: Canvas, sheet: RouteSheet, left: float, width: float) -> Item:
    trips = f", {sheet.trip_count} trips" if sheet.trip_count > 1 else ""
    text = (
        f"Totals: {plural(len(sheet.stops), 'stop')}, {plural(len(sheet.order_ids), 'order')}"
        f"{trips} \N{MIDDLE DOT} {quantity(sheet.total_tonnes)} t \N{MIDDLE DOT} "
        f"{quantity(sheet.total_m3, 1)} m³ \N{MIDDLE DOT} back at {sheet.depot_name} about "
        f"{clock(sheet.return_at, sheet.day)}"
    )
    return _band(canvas, text, left, width, strong=True)


def _sign_off(canvas: Canvas, left: float, width: float) -> Item:
    fields = ("Loaded and checked by (depot)", "Driver's signature", "Odometer out (km)",
              "Odometer back (km)", "Back at the depot (time)")  # fmt: skip
    height = canvas.mm(14)

    def draw(y: float) -> None:
        top = y + canvas.mm(2.5)
        canvas.box(QRectF(left, top, width, height - canvas.mm(2.5)), border=Ink.RULE)
        cell = width / len(fields)
        for index, label in enumerate(fields):
            x = left + index * cell
            canvas.text(label, x + canvas.mm(PAD), top + canvas.mm(1.0), 6.0, color=Ink.MUTED,
                        width=cell - canvas.mm(2 * PAD))  # fmt: skip
            if index:
                canvas.painter.drawLine(QPointF(x, top), QPointF(x, top + height - canvas.mm(2.5)))

    return Item(height, draw)


def table_items(canvas: Canvas, sheet: RouteSheet, left: float, width: float) -> list[Item]:
    """Everything under the column headings, in order, measured."""
    items: list[Item] = []
    trip = None
    for stop in sheet.stops:
        if stop.trip != trip and sheet.trip_count > 1:
            items.append(_band(canvas, _trip_text(sheet, stop.trip), left, width))
        trip = stop.trip
        items.append(_stop_item(canvas, sheet, stop, left, width))
    if not sheet.stops:
        items.append(_band(canvas, "No stops on this route.", left, width, keep_with_next=False))
    items.append(_totals(canvas, sheet, left, width))
    items.append(_sign_off(canvas, left, width))
    return items
