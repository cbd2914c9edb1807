"""The offline base map drawn under the routes: countries, lakes and neighbour names.

The data — read once per process from the bundled Natural Earth GeoJSON — and the projection
live in :mod:`senga_desktop.basemap` (Qt-free, shared with the driver manifests' small map);
this module re-exports them and adds the widget's side: :func:`project` as a ``QPointF`` and
:class:`BaseMapItem`, which draws the countries and lakes as one cached graphics item, so
panning and zooming repaint a pixmap rather than thousands of polygon vertices.

Scene units are the projection's kilometres (see :func:`senga_desktop.basemap.project_km`).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from senga_desktop.basemap import (
    BASEMAP_FILE,
    KENYA_ISO,
    BaseMap,
    Country,
    Place,
    Ring,
    load_basemap,
    parse_basemap,
    project_km,
    unproject_km,
)

__all__ = [
    "BASEMAP_FILE",
    "KENYA_ISO",
    "SEA",
    "BaseMap",
    "BaseMapItem",
    "Country",
    "Place",
    "load_basemap",
    "parse_basemap",
    "project",
    "unproject",
]

SEA = QColor("#cfe2ec")
_LAND = QColor("#eeebe4")
_LAND_EDGE = QColor("#bdb5a8")
_KENYA = QColor("#fdfcf8")
_KENYA_EDGE = QColor("#857a68")
_LAKE = QColor("#b9d5e5")
_LAKE_EDGE = QColor("#9dbfd3")


def project(lat: float, lon: float) -> QPointF:
    """The scene point (kilometres east and south of 0°, 0°) of a WGS84 position."""
    return QPointF(*project_km(lat, lon))


def unproject(point: QPointF) -> tuple[float, float]:
    """The ``(lat, lon)`` of a scene point: the inverse of :func:`project`."""
    return unproject_km(point.x(), point.y())


def _path(polygons: Iterable[tuple[Ring, ...]]) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)  # holes (lakes inside outlines) stay holes
    for polygon in polygons:
        for ring in polygon:
            path.addPolygon(QPolygonF([project(lat, lon) for lon, lat in ring]))
            path.closeSubpath()
    return path


# Neighbours named in small capitals where their land shows beside Kenya (lat, lon).
_COUNTRY_LABELS: dict[str, tuple[float, float]] = {
    "UGA": (1.9, 32.6),
    "TZA": (-4.6, 35.6),
    "ETH": (5.6, 39.0),
    "SOM": (2.4, 43.6),
    "SDS": (5.4, 31.4),
    "KEN": (1.4, 38.4),
}


class BaseMapItem(QGraphicsItem):
    """Countries (Kenya lighter, with a stronger border), lakes and neighbour names.

    Cached in device coordinates: while the user pans, Qt blits the pixmap; only a zoom redraws
    the polygons. The pens are cosmetic so borders stay one pixel at every zoom.
    """

    def __init__(self, basemap: BaseMap) -> None:
        super().__init__()
        self._land = [(_path(c.polygons), c.iso_a3 == KENYA_ISO) for c in basemap.countries]
        self._lakes = _path(p for lake in basemap.lakes for p in lake)
        self._names = [
            (project(*_COUNTRY_LABELS[c.iso_a3]), c.name.upper())
            for c in basemap.countries
            if c.iso_a3 in _COUNTRY_LABELS
        ]
        rect = QRectF()
        for path, _kenya in self._land:
            rect = rect.united(path.boundingRect())
        self._rect = rect.adjusted(-50, -50, 50, 50)
        self.setZValue(-100)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for kenya in (False, True):  # Kenya last, so its border is drawn over the neighbours'
            for path, is_kenya in self._land:
                if is_kenya != kenya:
                    continue
                pen = QPen(_KENYA_EDGE if kenya else _LAND_EDGE, 1.6 if kenya else 0.8)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.setBrush(QBrush(_KENYA if kenya else _LAND))
                painter.drawPath(path)
        pen = QPen(_LAKE_EDGE, 0.8)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(QBrush(_LAKE))
        painter.drawPath(self._lakes)
        self._paint_names(painter)

    def _paint_names(self, painter: QPainter) -> None:
        # Names are drawn at a fixed pixel size: undo the zoom around each anchor.
        scale = painter.worldTransform().m11()
        if scale <= 0:
            return
        font = painter.font()
        font.setPointSizeF(8.5)
        font.setLetterSpacing(font.SpacingType.PercentageSpacing, 130)
        painter.setFont(font)
        painter.setPen(QColor("#a49a8a"))
        for anchor, name in self._names:
            painter.save()
            painter.translate(anchor)
            painter.scale(1 / scale, 1 / scale)
            painter.drawText(QRectF(-120, -10, 240, 20), Qt.AlignmentFlag.AlignCenter, name)
            painter.restore()
