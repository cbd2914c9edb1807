"""The offline base map: countries, lakes and places read from the bundled Natural Earth GeoJSON.

``resources/geo/east-africa.geojson`` (see ``resources/README.md``) holds the countries around
Kenya, their lakes and Kenyan populated places. :func:`load_basemap` reads it once per process
into plain tuples; :class:`BaseMapItem` draws the countries and lakes as one cached graphics
item, so panning and zooming repaint a pixmap rather than thousands of polygon vertices.

Coordinates go through one projection, :func:`project`: equirectangular with the longitude
scaled by cos(latitude) at Kenya's centre, in kilometres. Kenya spans only ±5° of latitude, so
the distortion is under 0.5 % and scene units read as kilometres.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from senga_desktop.paths import resource_path

__all__ = [
    "BASEMAP_FILE",
    "KENYA_ISO",
    "SEA",
    "BaseMap",
    "BaseMapItem",
    "Country",
    "Place",
    "load_basemap",
    "project",
    "unproject",
]

BASEMAP_FILE = ("geo", "east-africa.geojson")
KENYA_ISO = "KEN"

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON = 111.320
_REFERENCE_LAT = 0.5  # near Kenya's centre; the cos(latitude) scale of the projection
_LON_SCALE = KM_PER_DEGREE_LON * math.cos(math.radians(_REFERENCE_LAT))

SEA = QColor("#cfe2ec")
_LAND = QColor("#eeebe4")
_LAND_EDGE = QColor("#bdb5a8")
_KENYA = QColor("#fdfcf8")
_KENYA_EDGE = QColor("#857a68")
_LAKE = QColor("#b9d5e5")
_LAKE_EDGE = QColor("#9dbfd3")

Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs


def project(lat: float, lon: float) -> QPointF:
    """The scene point (kilometres east and south of 0°, 0°) of a WGS84 position."""
    return QPointF(lon * _LON_SCALE, -lat * KM_PER_DEGREE_LAT)


def unproject(point: QPointF) -> tuple[float, float]:
    """The ``(lat, lon)`` of a scene point: the inverse of :func:`project`."""
    return -point.y() / KM_PER_DEGREE_LAT, point.x() / _LON_SCALE


@dataclass(frozen=True, slots=True)
class Country:
    """A country outline: polygons, each an outer ring followed by its holes."""

    name: str
    iso_a3: str
    polygons: tuple[tuple[Ring, ...], ...]


@dataclass(frozen=True, slots=True)
class Place:
    """A populated place; a lower ``scalerank`` is more important (0 = Nairobi)."""

    name: str
    lat: float
    lon: float
    scalerank: int
    population: int


@dataclass(frozen=True, slots=True)
class BaseMap:
    """Everything drawn under the routes."""

    countries: tuple[Country, ...]
    lakes: tuple[tuple[tuple[Ring, ...], ...], ...]  # polygons of every lake
    places: tuple[Place, ...]

    def country(self, iso_a3: str) -> Country | None:
        return next((c for c in self.countries if c.iso_a3 == iso_a3), None)


def _rings(coordinates: Sequence[Any]) -> tuple[Ring, ...]:
    return tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in coordinates)


def _polygons(geometry: dict[str, Any]) -> tuple[tuple[Ring, ...], ...]:
    kind = geometry["type"]
    if kind == "Polygon":
        return (_rings(geometry["coordinates"]),)
    if kind == "MultiPolygon":
        return tuple(_rings(polygon) for polygon in geometry["coordinates"])
    raise ValueError(f"unexpected geometry {kind!r} in the base map")


def parse_basemap(document: dict[str, Any]) -> BaseMap:
    """Build a :class:`BaseMap` from a GeoJSON FeatureCollection with ``properties.kind``."""
    countries: list[Country] = []
    lakes: list[tuple[tuple[Ring, ...], ...]] = []
    places: list[Place] = []
    for feature in document.get("features", ()):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        kind = props.get("kind")
        if kind == "country":
            countries.append(
                Country(
                    str(props.get("name") or ""),
                    str(props.get("iso_a3") or ""),
                    _polygons(geometry),
                )
            )
        elif kind == "lake":
            lakes.append(_polygons(geometry))
        elif kind == "place" and geometry.get("type") == "Point":
            lon, lat = geometry["coordinates"][:2]
            rank = props.get("scalerank")  # 0 is Nairobi: test for None, not for falsiness
            name, population = str(props.get("name") or ""), int(props.get("population") or 0)
            places.append(
                Place(name, float(lat), float(lon), 10 if rank is None else int(rank), population)
            )
    places.sort(key=lambda p: (p.scalerank, -p.population))
    return BaseMap(tuple(countries), tuple(lakes), tuple(places))


@functools.cache
def load_basemap(path: Path | None = None) -> BaseMap:
    """Read the bundled base map (once per process); raise ``FileNotFoundError`` if missing."""
    file = path if path is not None else resource_path(*BASEMAP_FILE)
    with open(file, encoding="utf-8") as stream:
        return parse_basemap(json.load(stream))


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
