"""The small map on a driver's sheet: the route's path over the Kenya outline (QtGui only).

The view is fitted to the route — its start, the depot and every stop — with a margin and a
floor of :data:`MIN_SPAN_KM`, so a round of Nairobi drops is as readable as a run to Mombasa.
When the view shows only part of the country, an inset of Kenya marks where it is. Countries
and lakes come from the bundled Natural Earth base map (:mod:`senga_desktop.basemap`), projected
as the app's map widget projects them, culled to the view and thinned to what paper can show.

Lines are straight between stops (the sheet says so): the driver follows the road. The leg from
the truck's start to the depot is dotted, legs back to the depot (to reload, or at the end) are
dashed, delivery legs solid; stops are numbered as in the table beside the map.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen, QPolygonF

from senga_desktop.basemap import KENYA_ISO, Ring, load_basemap, project_km
from senga_desktop.controllers.manifest_views import MapPoint, RouteSheet
from senga_desktop.reports.canvas import Canvas, Ink

__all__ = ["MIN_SPAN_KM", "draw_route_map"]

MIN_SPAN_KM = 24.0  # the smallest area a map shows: a town and its surroundings
INSET_BELOW_KM = 420.0  # views narrower than this get an inset of Kenya
_SEA = QColor("#d6e6ef")
_LAND = QColor("#efece6")
_LAND_EDGE = QColor("#b9b1a4")
_KENYA = QColor("#fdfcf9")
_KENYA_EDGE = QColor("#6f6657")
_LAKE = QColor("#c4dbe8")
_HALO = QColor(255, 255, 255, 190)  # behind labels, so lines under them stay readable
_NICE_KM = (1, 2, 5, 10, 20, 50, 100, 200, 500)

Box = tuple[float, float, float, float]  # min x, min y, max x, max y (projected km)


@dataclass(frozen=True, slots=True)
class _Shape:
    """A country or lake, projected once: its rings in km and their bounding box."""

    kenya: bool
    lake: bool
    rings: Rings
    box: Box


def _bbox(points: Iterable[tuple[float, float]]) -> Box:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


Rings = tuple[tuple[tuple[float, float], ...], ...]


def _project_rings(polygons: Iterable[tuple[Ring, ...]]) -> Rings:
    return tuple(
        tuple(project_km(lat, lon) for lon, lat in ring) for polygon in polygons for ring in polygon
    )


@functools.cache
def _shapes() -> tuple[_Shape, ...]:
    """Every country and lake of the base map, projected (once per process)."""
    basemap = load_basemap()
    shapes = []
    for country in basemap.countries:
        rings = _project_rings(country.polygons)
        shapes.append(
            _Shape(country.iso_a3 == KENYA_ISO, False, rings, _bbox(p for r in rings for p in r))
        )
    for lake in basemap.lakes:
        rings = _project_rings(lake)
        shapes.append(_Shape(False, True, rings, _bbox(p for r in rings for p in r)))
    return tuple(shapes)


class _View:
    """Projected km → device pixels for one map rectangle."""

    def __init__(self, box: Box, rect: QRectF) -> None:
        x0, y0, x1, y1 = box
        self.scale = min(rect.width() / (x1 - x0), rect.height() / (y1 - y0))
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.dx = rect.center().x() - cx * self.scale
        self.dy = rect.center().y() - cy * self.scale
        half_w, half_h = rect.width() / 2 / self.scale, rect.height() / 2 / self.scale
        self.box: Box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)

    def point(self, x: float, y: float) -> QPointF:
        return QPointF(x * self.scale + self.dx, y * self.scale + self.dy)

    def place(self, where: MapPoint) -> QPointF:
        return self.point(*project_km(where.lat, where.lon))

    def sees(self, box: Box) -> bool:
        return not (box[2] < self.box[0] or box[0] > self.box[2] or box[3] < self.box[1]
                    or box[1] > self.box[3])  # fmt: skip


def _fit(points: Sequence[MapPoint]) -> Box:
    """The area to show: the points with a margin, at least MIN_SPAN_KM across."""
    x0, y0, x1, y1 = _bbox(project_km(p.lat, p.lon) for p in points)
    span = max(x1 - x0, y1 - y0, MIN_SPAN_KM)
    pad = span * 0.14
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max(x1 - x0, MIN_SPAN_KM) / 2 + pad
    half_h = max(y1 - y0, MIN_SPAN_KM) / 2 + pad
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def _path(view: _View, shapes: Iterable[_Shape], min_step: float) -> QPainterPath:
    """The shapes' rings as one path, each ring thinned to vertices ``min_step`` px apart."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for shape in shapes:
        for ring in shape.rings:
            polygon = QPolygonF()
            last = QPointF(math.inf, math.inf)
            for x, y in ring:
                point = view.point(x, y)
                if abs(point.x() - last.x()) + abs(point.y() - last.y()) >= min_step:
                    polygon.append(point)
                    last = point
            if polygon.size() >= 3:
                path.addPolygon(polygon)
                path.closeSubpath()
    return path


def _draw_land(canvas: Canvas, view: _View, rect: QRectF, shapes: Sequence[_Shape]) -> None:
    painter = canvas.painter
    canvas.box(rect, fill=_SEA if shapes else _KENYA)
    seen = [s for s in shapes if view.sees(s.box)]
    step = canvas.mm(0.3)
    for layer, fill, edge, weight in (
        ([s for s in seen if not s.lake and not s.kenya], _LAND, _LAND_EDGE, 0.15),
        ([s for s in seen if s.kenya], _KENYA, _KENYA_EDGE, 0.35),
        ([s for s in seen if s.lake], _LAKE, None, 0.0),
    ):
        if not layer:
            continue
        painter.setPen(QPen(edge, canvas.mm(weight)) if edge is not None else Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPath(_path(view, layer, step))
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _leg_pen(canvas: Canvas, style: Qt.PenStyle, color: QColor, weight_mm: float) -> QPen:
    pen = QPen(color, canvas.mm(weight_mm))
    pen.setStyle(style)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _draw_path(canvas: Canvas, view: _View, sheet: RouteSheet) -> None:
    painter = canvas.painter
    points = [view.place(p) for p in sheet.path]
    for index in range(len(points) - 1):
        if index == 0:
            pen = _leg_pen(canvas, Qt.PenStyle.DotLine, Ink.MUTED, 0.35)
        elif sheet.path[index + 1] == sheet.depot:
            pen = _leg_pen(canvas, Qt.PenStyle.DashLine, Ink.ROUTE, 0.35)
        else:
            pen = _leg_pen(canvas, Qt.PenStyle.SolidLine, Ink.ROUTE, 0.5)
        painter.setPen(pen)
        painter.drawLine(points[index], points[index + 1])


def _label(canvas: Canvas, text: str, anchor: QPointF, taken: list[QRectF], bound: QRectF) -> None:
    """A small label beside ``anchor`` — right, left, above or below, the first place where it
    overlaps no other label or mark; none if there is no such place."""
    font = canvas.font(5.5)
    metrics = canvas.metrics(font)
    width, height = metrics.horizontalAdvance(text), metrics.height()
    gap = canvas.mm(2.0)
    x, y = anchor.x(), anchor.y()
    for left, top in (
        (x + gap, y - height / 2),
        (x - gap - width, y - height / 2),
        (x - width / 2, y - gap - height),
        (x - width / 2, y + gap),
    ):
        box = QRectF(left, top, width, height)
        if bound.contains(box) and not any(box.intersects(t) for t in taken):
            taken.append(box)
            halo = canvas.mm(0.4)
            canvas.box(box.adjusted(-halo, 0, halo, 0), fill=_HALO)
            canvas.painter.setFont(font)
            canvas.painter.setPen(Ink.TEXT)
            canvas.painter.drawText(QPointF(box.left(), box.top() + metrics.ascent()), text)
            return


def _draw_marks(
    canvas: Canvas, view: _View, sheet: RouteSheet, rect: QRectF, *, avoid: QRectF | None
) -> None:
    painter = canvas.painter
    taken: list[QRectF] = [avoid] if avoid is not None else []
    depot = view.place(sheet.depot)
    side = canvas.mm(2.6)
    canvas.box(QRectF(depot.x() - side / 2, depot.y() - side / 2, side, side),
               fill=Ink.HEADER, border=Ink.WHITE, weight_mm=0.3)  # fmt: skip
    taken.append(QRectF(depot.x() - side / 2, depot.y() - side / 2, side, side))
    start = view.place(sheet.start)
    if abs(start.x() - depot.x()) + abs(start.y() - depot.y()) > canvas.mm(1.5):
        painter.setPen(QPen(Ink.MUTED, canvas.mm(0.4)))
        painter.setBrush(Ink.WHITE)
        painter.drawEllipse(start, canvas.mm(1.1), canvas.mm(1.1))
        _label(canvas, f"Start: {sheet.start.label}" if sheet.start.label else "Start", start,
               taken, rect)  # fmt: skip
    radius = canvas.mm(1.7)
    number_font = canvas.font(5.0, bold=True)
    metrics = canvas.metrics(number_font)
    for stop in reversed(sheet.stops):  # the first stops end up on top
        centre = view.place(MapPoint(stop.lat, stop.lon))
        painter.setPen(QPen(Ink.WHITE, canvas.mm(0.3)))
        painter.setBrush(Ink.ROUTE)
        painter.drawEllipse(centre, radius, radius)
        label = str(stop.sequence)
        painter.setFont(number_font)
        painter.setPen(Ink.WHITE)
        painter.drawText(
            QPointF(centre.x() - metrics.horizontalAdvance(label) / 2,
                    centre.y() + (metrics.ascent() - metrics.descent()) / 2), label)  # fmt: skip
        taken.append(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    _label(canvas, "Depot", depot, taken, rect)
    named: set[str] = set()
    for stop in sheet.stops:
        if stop.town and stop.town not in named:
            named.add(stop.town)
            _label(canvas, stop.town, view.place(MapPoint(stop.lat, stop.lon)), taken, rect)


def _draw_scale(canvas: Canvas, view: _View, rect: QRectF) -> None:
    wanted = rect.width() / 4 / view.scale
    km = max((n for n in _NICE_KM if n <= wanted), default=_NICE_KM[0])
    length = km * view.scale
    x, y = rect.left() + canvas.mm(2.5), rect.bottom() - canvas.mm(2.5)
    canvas.box(QRectF(x - canvas.mm(1), y - canvas.mm(3.6), length + canvas.mm(9), canvas.mm(4.6)),
               fill=QColor(255, 255, 255, 200))  # fmt: skip
    pen = QPen(Ink.TEXT, canvas.mm(0.35))
    canvas.painter.setPen(pen)
    canvas.painter.drawLine(QPointF(x, y), QPointF(x + length, y))
    for end in (x, x + length):
        canvas.painter.drawLine(QPointF(end, y), QPointF(end, y - canvas.mm(1.2)))
    canvas.text(f"{km} km", x + length + canvas.mm(1), y - canvas.mm(2.9), 5.5)


def _inset_rect(canvas: Canvas, view: _View, rect: QRectF, sheet: RouteSheet) -> QRectF:
    """The corner (not the scale bar's) where the inset hides the fewest of the route's places."""
    size, gap = canvas.mm(17), canvas.mm(1.5)
    corners = (
        QRectF(rect.right() - size - gap, rect.top() + gap, size, size),
        QRectF(rect.left() + gap, rect.top() + gap, size, size),
        QRectF(rect.right() - size - gap, rect.bottom() - size - gap, size, size),
    )
    places = [view.place(p) for p in sheet.path]
    return min(corners, key=lambda c: sum(c.adjusted(-gap, -gap, gap, gap).contains(p)
                                          for p in places))  # fmt: skip


def _draw_inset(canvas: Canvas, view: _View, inset: QRectF, shapes: Sequence[_Shape]) -> None:
    """Kenya in a corner, the area of the main view marked on it."""
    kenya = [s for s in shapes if s.kenya]
    if not kenya:
        return
    box = _bbox(p for s in kenya for r in s.rings for p in r)
    canvas.box(inset, fill=Ink.WHITE, border=Ink.RULE, weight_mm=0.15)
    small = _View(box, inset.adjusted(canvas.mm(1), canvas.mm(1), -canvas.mm(1), -canvas.mm(1)))
    painter = canvas.painter
    painter.setPen(QPen(_KENYA_EDGE, canvas.mm(0.15)))
    painter.setBrush(_LAND)
    painter.drawPath(_path(small, kenya, canvas.mm(0.2)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x0, y0, x1, y1 = view.box
    marked = QRectF(small.point(x0, y0), small.point(x1, y1))
    minimum = canvas.mm(1.2)
    if marked.width() < minimum:
        marked = QRectF(marked.center().x() - minimum / 2, marked.center().y() - minimum / 2,
                        minimum, minimum)  # fmt: skip
    painter.setPen(QPen(Ink.HAZARD, canvas.mm(0.3)))
    painter.drawRect(marked)


def draw_route_map(canvas: Canvas, rect: QRectF, sheet: RouteSheet) -> None:
    """Draw ``sheet``'s route into ``rect`` (device pixels), framed, clipped to the frame."""
    painter = canvas.painter
    painter.save()
    painter.setClipRect(rect)
    points = [*sheet.path, sheet.depot] if sheet.path else [sheet.depot]
    view = _View(_fit(points), rect)
    try:
        shapes = _shapes()
    except (OSError, ValueError):
        shapes = ()  # no base map (an incomplete install): the route on plain paper still helps
    _draw_land(canvas, view, rect, shapes)
    _draw_path(canvas, view, sheet)
    inset = None
    if shapes and max(view.box[2] - view.box[0], view.box[3] - view.box[1]) < INSET_BELOW_KM:
        inset = _inset_rect(canvas, view, rect, sheet)
    _draw_marks(canvas, view, sheet, rect, avoid=inset)
    _draw_scale(canvas, view, rect)
    if inset is not None:
        _draw_inset(canvas, view, inset, shapes)
    painter.restore()
    canvas.box(rect, border=Ink.RULE, weight_mm=0.25)
