"""The offline base map's data: countries, lakes and places from the bundled Natural Earth GeoJSON.

``resources/geo/east-africa.geojson`` (see ``resources/README.md``) holds the countries around
Kenya, their lakes and Kenyan populated places. :func:`load_basemap` reads it once per process
into plain tuples. Two painters draw it: the map widget
(:mod:`senga_desktop.ui.widgets.map.basemap`) and the driver manifests' small map
(:mod:`senga_desktop.reports.route_map`).

Coordinates go through one projection, :func:`project_km`: equirectangular with the longitude
scaled by cos(latitude) at Kenya's centre, in kilometres east and south of 0°, 0°. Kenya spans
only ±5° of latitude, so the distortion is under 0.5 % and projected units read as kilometres.

Pure Python on purpose: no Qt and no database, so every layer may import it.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from senga_desktop.paths import resource_path

__all__ = [
    "BASEMAP_FILE",
    "KENYA_ISO",
    "KM_PER_DEGREE_LAT",
    "KM_PER_DEGREE_LON",
    "BaseMap",
    "Country",
    "Place",
    "Ring",
    "load_basemap",
    "parse_basemap",
    "project_km",
    "unproject_km",
]

BASEMAP_FILE = ("geo", "east-africa.geojson")
KENYA_ISO = "KEN"

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON = 111.320
_REFERENCE_LAT = 0.5  # near Kenya's centre; the cos(latitude) scale of the projection
_LON_SCALE = KM_PER_DEGREE_LON * math.cos(math.radians(_REFERENCE_LAT))

Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs


def project_km(lat: float, lon: float) -> tuple[float, float]:
    """``(x, y)``: kilometres east and *south* of 0°, 0° (y grows downwards, as on screen)."""
    return lon * _LON_SCALE, -lat * KM_PER_DEGREE_LAT


def unproject_km(x: float, y: float) -> tuple[float, float]:
    """The ``(lat, lon)`` of a projected point: the inverse of :func:`project_km`."""
    return -y / KM_PER_DEGREE_LAT, x / _LON_SCALE


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
