"""The graphics items of the map: route lines, numbered stops, the depot, held orders, labels.

Symbols and labels keep their on-screen size at every zoom (``ItemIgnoresTransformations``);
route lines use cosmetic pens for the same reason. Each item knows the route (or held order)
it belongs to through :data:`ROUTE_KEY` / :data:`MARKER_KEY` item data, which is how the view
turns a click into ``route_clicked`` / ``marker_clicked``.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

__all__ = [
    "MARKER_KEY",
    "PALETTE",
    "ROUTE_KEY",
    "DepotItem",
    "HeldItem",
    "LabelItem",
    "RouteLayerItem",
    "RouteLineItem",
    "StartItem",
    "StopItem",
    "route_color",
    "route_dash",
]

ROUTE_KEY = 0  # QGraphicsItem.data key: the route id of a line or stop
MARKER_KEY = 1  # the held order's key of a hollow marker

# A qualitative palette (after Tableau 10 and ColorBrewer Dark2, grey and pale yellow left out)
# whose colours stay apart from each other and from the beige land and blue sea.
PALETTE: tuple[str, ...] = (
    "#1f77b4",  # blue
    "#d62728",  # red
    "#2ca02c",  # green
    "#9467bd",  # purple
    "#ff7f0e",  # orange
    "#17a2b8",  # cyan
    "#8c564b",  # brown
    "#e377c2",  # pink
    "#7a8b00",  # olive
    "#1b3a6b",  # navy
    "#b8860b",  # dark gold
    "#00806a",  # teal
)

HELD_COLOR = QColor("#b3261e")
DEPOT_COLOR = QColor("#202a36")
_HALO = QColor(255, 255, 255, 230)
_PAPER = QColor("#fdfcf8")  # Kenya's fill on the base map: what dimmed routes fade towards


def _mix(color: QColor, background: QColor, amount: float) -> QColor:
    """``color`` at ``amount`` strength over ``background``, as an opaque colour."""
    return QColor.fromRgbF(
        color.redF() * amount + background.redF() * (1 - amount),
        color.greenF() * amount + background.greenF() * (1 - amount),
        color.blueF() * amount + background.blueF() * (1 - amount),
    )


def route_color(index: int) -> QColor:
    """The colour of the ``index``-th route; past the palette the cycle repeats a shade darker."""
    cycle, slot = divmod(max(index, 0), len(PALETTE))
    color = QColor(PALETTE[slot])
    if cycle % 2:
        color = color.darker(145)
    return color


def route_dash(index: int) -> Qt.PenStyle:
    """The line style of the ``index``-th route: solid, then dashed from the third cycle on."""
    return (
        Qt.PenStyle.DashLine if (max(index, 0) // len(PALETTE)) % 4 >= 2 else Qt.PenStyle.SolidLine
    )


class RouteLineItem(QGraphicsPathItem):
    """The polyline of one route: start → stop 1 → … → stop n → depot.

    The pen is cosmetic (constant pixel width). The hit area is a stroke a few pixels wide
    around the line at the current zoom — never the polygon the open path would enclose, which
    ``QGraphicsPathItem`` would otherwise count as its shape.
    """

    HIT_PIXELS = 9.0

    def __init__(self, route_id: str, color: QColor, dash: Qt.PenStyle) -> None:
        super().__init__()
        self.route_id = route_id
        self.color = color
        self._dash = dash
        self._scale = 1.0
        self._shape: QPainterPath | None = None
        self.setData(ROUTE_KEY, route_id)
        # Drawn by the RouteLayerItem; this item is the line's hit area and tooltip.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.set_emphasis(selected=False, dimmed=False)

    def set_points(self, points: list[QPointF]) -> None:
        path = QPainterPath()
        path.addPolygon(QPolygonF(points))
        self._shape = None
        self.setPath(path)

    def set_view_scale(self, scale: float) -> None:
        """Tell the item how many pixels one scene unit is, so its hit area stays in pixels."""
        if scale > 0 and abs(scale - self._scale) > 1e-9:
            self.prepareGeometryChange()
            self._scale = scale
            self._shape = None

    def set_emphasis(self, *, selected: bool, dimmed: bool) -> None:
        # Opaque colours only, dimmed ones mixed with the land colour: a translucent pen (or an
        # item opacity below 1) made stroking 40 routes two to three times slower.
        color = _mix(self.color, _PAPER, 0.22) if dimmed else QColor(self.color)
        pen = QPen(color, 4.2 if selected else 2.0, self._dash)
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self.setPen(pen)
        self.setZValue(20 if selected else 1)

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(self.HIT_PIXELS / self._scale)
            self._shape = stroker.createStroke(self.path())
        return self._shape

    def boundingRect(self) -> QRectF:
        margin = self.HIT_PIXELS / self._scale
        return self.path().controlPointRect().adjusted(-margin, -margin, margin, margin)


class RouteLayerItem(QGraphicsItem):
    """Paints every route line in one cached picture.

    The :class:`RouteLineItem` objects carry the geometry, pens, tooltips and hit areas but
    draw nothing themselves; this one item paints them all, highlighted route last, into a
    device-coordinate cache. Forty antialiased polylines cost ~20 ms to stroke, far too much
    for every pan step; blitting the cached picture costs about one.
    """

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[RouteLineItem] = []
        self._rect = QRectF()
        self.setZValue(1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def refresh(self) -> None:
        """Call after any line changed its points, pen or visibility."""
        rect = QRectF()
        for line in self.lines:
            if line.isVisible():
                rect = rect.united(line.path().controlPointRect())
        rect = rect.adjusted(-1, -1, 1, 1)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for line in sorted((x for x in self.lines if x.isVisible()), key=lambda x: x.zValue()):
            painter.setPen(line.pen())
            painter.drawPath(line.path())


class _SymbolItem(QGraphicsItem):
    """A fixed-size symbol centred on its position (a stop, the depot, a held order)."""

    def __init__(self, radius: float) -> None:
        super().__init__()
        self._radius = radius
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptHoverEvents(True)
        self._hovered = False

    def boundingRect(self) -> QRectF:
        r = self._radius + 3
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        r = self._radius + 1.5
        path.addEllipse(QPointF(0, 0), r, r)
        return path

    def hoverEnterEvent(self, event: object) -> None:
        self._hovered = True
        self.update()

    def hoverLeaveEvent(self, event: object) -> None:
        self._hovered = False
        self.update()


class StopItem(_SymbolItem):
    """A stop: a filled circle in its route's colour, its sequence number inside when shown."""

    SMALL = 4.5  # radius without the number (zoomed out)
    LARGE = 8.5  # radius with the number

    def __init__(self, route_id: str, sequence: int, color: QColor, tooltip: str) -> None:
        super().__init__(self.SMALL)
        self.route_id = route_id
        self.sequence = sequence
        self.color = color
        self.numbered = False
        self.dimmed = False
        self.setData(ROUTE_KEY, route_id)
        # A stop is a few pixels: Qt keeps its picture and blits it, so a repaint of 500 stops
        # costs no Python paint() calls.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip(tooltip)
        self.setZValue(2)

    def set_numbered(self, numbered: bool) -> None:
        if numbered != self.numbered:
            self.prepareGeometryChange()
            self.numbered = numbered
            self._radius = self.LARGE if numbered else self.SMALL

    def set_emphasis(self, *, selected: bool, dimmed: bool) -> None:
        if dimmed != self.dimmed:
            self.dimmed = dimmed
            self.update()
        self.setZValue(21 if selected else 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = self._radius + (1.5 if self._hovered else 0)
        fill = QColor(self.color)
        edge = QColor("white")
        if self.dimmed:
            fill.setAlphaF(0.25)
            edge.setAlphaF(0.4)
        painter.setPen(QPen(edge, 1.4))
        painter.setBrush(QBrush(fill))
        painter.drawEllipse(QPointF(0, 0), r, r)
        if self.numbered and not self.dimmed:
            font = painter.font()
            font.setPixelSize(9 if self.sequence < 100 else 7)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(
                QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, str(self.sequence)
            )


class StartItem(_SymbolItem):
    """Where a truck starts when that is not the depot: a small square in its route's colour."""

    def __init__(self, route_id: str, color: QColor, tooltip: str) -> None:
        super().__init__(4.0)
        self.route_id = route_id
        self.color = color
        self.dimmed = False
        self.setData(ROUTE_KEY, route_id)
        self.setToolTip(tooltip)
        self.setZValue(2)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_emphasis(self, *, selected: bool, dimmed: bool) -> None:
        if dimmed != self.dimmed:
            self.dimmed = dimmed
            self.update()
        self.setZValue(21 if selected else 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        fill = QColor(self.color)
        fill.setAlphaF(0.25 if self.dimmed else 1.0)
        painter.setPen(QPen(QColor("white"), 1.4))
        painter.setBrush(QBrush(fill))
        painter.drawRect(QRectF(-4, -4, 8, 8))


class DepotItem(_SymbolItem):
    """The depot: a dark rounded square with a white house outline, above everything else."""

    def __init__(self, tooltip: str) -> None:
        super().__init__(9.0)
        self.setToolTip(tooltip)
        self.setZValue(40)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(QRectF(-9, -9, 18, 18))
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor("white"), 1.6))
        painter.setBrush(QBrush(DEPOT_COLOR))
        painter.drawRoundedRect(QRectF(-9, -9, 18, 18), 3, 3)
        painter.setPen(QPen(QColor("white"), 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        house = QPolygonF(
            [
                QPointF(-4.5, 4.5),
                QPointF(-4.5, -0.5),
                QPointF(0, -5),
                QPointF(4.5, -0.5),
                QPointF(4.5, 4.5),
            ]
        )
        painter.drawPolygon(house)


class HeldItem(_SymbolItem):
    """A held order: a hollow ring, so it reads as "not on any route"."""

    def __init__(self, key: str, tooltip: str) -> None:
        super().__init__(5.5)
        self.key = key
        self.dimmed = False
        self.setData(MARKER_KEY, key)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip(tooltip)
        self.setZValue(3)

    def set_emphasis(self, *, dimmed: bool) -> None:
        if dimmed != self.dimmed:
            self.dimmed = dimmed
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = self._radius + (1.5 if self._hovered else 0)
        edge = QColor(HELD_COLOR)
        edge.setAlphaF(0.4 if self.dimmed else 1.0)
        painter.setBrush(QBrush(QColor(255, 255, 255, 90 if self.dimmed else 200)))
        painter.setPen(QPen(edge, 2.2))
        painter.drawEllipse(QPointF(0, 0), r, r)


class LabelItem(QGraphicsItem):
    """A place name with a white halo, placed beside its point at a fixed pixel offset.

    ``offset`` is in pixels from the anchor (the item's position) to the text's left edge; the
    view decides which labels show, so that they never pile up.
    """

    def __init__(
        self,
        text: str,
        *,
        bold: bool = False,
        size: float = 11.0,
        color: QColor | None = None,
        dot: bool = False,
    ) -> None:
        super().__init__()
        self.text = text
        self.dot = dot  # a small grey dot at the anchor: a base-map place with no stop there
        self._font = QFont()
        self._font.setPixelSize(round(size))
        self._font.setBold(bold)
        self._color = color or QColor("#3b3f45")
        metrics = QFontMetricsF(self._font)
        self._size = (metrics.horizontalAdvance(text) + 4, metrics.height())
        self._ascent = metrics.ascent()
        self.offset = QPointF(7, 0)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(30)

    def set_offset(self, offset: QPointF) -> None:
        if offset != self.offset:
            self.prepareGeometryChange()
            self.offset = offset

    def text_rect(self) -> QRectF:
        """Where the text is, in pixels relative to the anchor (vertically centred on it)."""
        width, height = self._size
        return QRectF(self.offset.x(), self.offset.y() - height / 2, width, height)

    def boundingRect(self) -> QRectF:
        rect = self.text_rect().adjusted(-3, -3, 3, 3)
        return rect.united(QRectF(-3, -3, 6, 6)) if self.dot else rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self.dot:
            painter.setPen(QPen(QColor("white"), 1.0))
            painter.setBrush(QBrush(QColor("#7d776c")))
            painter.drawEllipse(QPointF(0, 0), 2.4, 2.4)
        rect = self.text_rect()
        path = QPainterPath()
        path.addText(QPointF(rect.left() + 2, rect.top() + self._ascent), self._font, self.text)
        painter.setPen(
            QPen(
                _HALO,
                3.0,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin,
            )
        )
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(self._color))
        painter.drawPath(path)
