"""Offline gazetteer of Kenyan towns.

Order entry validates destination towns against it, the route planner takes coordinates from it
and the demo data picks towns from it.  The data ship as ``resources/towns.csv`` (see
:mod:`senga_desktop.paths`); :func:`load_gazetteer` reads that file once per process.

Pure Python on purpose: no Qt and no database, so every layer may import it.
"""

from __future__ import annotations

import csv
import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from senga_desktop.paths import resource_path

__all__ = [
    "EARTH_RADIUS_KM",
    "KENYA_BOUNDS",
    "Gazetteer",
    "Town",
    "haversine_km",
    "in_kenya",
    "load_gazetteer",
    "normalise_name",
]

KENYA_BOUNDS: tuple[float, float, float, float] = (-4.72, 5.03, 33.90, 41.91)
"""Bounding box of Kenya as ``(min_lat, max_lat, min_lon, max_lon)`` in decimal degrees."""

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG) used for great-circle distances."""

TOWNS_FILE = "towns.csv"
REQUIRED_COLUMNS = ("name", "county", "latitude", "longitude", "aliases")

# Apostrophes vanish so that "Murang'a" and "Muranga" meet; other punctuation separates words
# so that "Athi-River" and "Athi River" meet.
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+")


def in_kenya(lat: float, lon: float) -> bool:
    """Return whether the point lies inside Kenya's bounding box (:data:`KENYA_BOUNDS`)."""
    min_lat, max_lat, min_lon, max_lon = KENYA_BOUNDS
    return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    # Rounding can push h a hair above 1 for antipodal points, which asin rejects.
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def normalise_name(text: str) -> str:
    """Return the lookup key for a town name: case, accents, spacing and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    without_apostrophes = _APOSTROPHES.sub("", stripped.casefold())
    return _NON_WORD.sub(" ", without_apostrophes).strip()


@dataclass(frozen=True, slots=True)
class Town:
    """A town of the gazetteer: its canonical name, county, centre and alternative names."""

    name: str
    county: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...] = ()

    def distance_km(self, other: Town) -> float:
        """Return the great-circle distance to ``other`` in kilometres."""
        return haversine_km(self.latitude, self.longitude, other.latitude, other.longitude)


class Gazetteer:
    """A read-only collection of towns, looked up by name or alias.

    Lookups ignore case, accents, surrounding or repeated whitespace and punctuation, so
    ``" nairobi  CITY "`` finds Nairobi and ``"Athi-River"`` finds Athi River.
    """

    def __init__(self, towns: Iterable[Town]) -> None:
        """Index ``towns``; raise ``ValueError`` if two towns share a name or alias."""
        self._towns = tuple(sorted(towns, key=lambda town: (town.name.casefold(), town.name)))
        self._index: dict[str, Town] = {}
        for town in self._towns:
            for label in (town.name, *town.aliases):
                key = normalise_name(label)
                if not key:
                    raise ValueError(f"town {town.name!r} has an empty name or alias")
                known = self._index.setdefault(key, town)
                if known is not town:
                    raise ValueError(
                        f"{label!r} of town {town.name!r} clashes with town {known.name!r}"
                    )

    @property
    def towns(self) -> tuple[Town, ...]:
        """All towns, sorted by name."""
        return self._towns

    def get(self, name: str) -> Town | None:
        """Return the town called ``name`` (or having it as an alias), or ``None``."""
        return self._index.get(normalise_name(name))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __len__(self) -> int:
        return len(self._towns)

    def __iter__(self) -> Iterator[Town]:
        return iter(self._towns)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self._towns)} towns)"

    def names(self) -> list[str]:
        """Return the canonical town names, sorted."""
        return [town.name for town in self._towns]

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """Return up to ``limit`` canonical names close to ``text``, best first.

        Meant for "did you mean …" messages; aliases count too, but only canonical names are
        returned, each once.
        """
        key = normalise_name(text)
        if not key or limit <= 0:
            return []
        # Ask difflib for spare matches because several aliases may point at the same town.
        close = difflib.get_close_matches(key, self._index, n=limit * 4, cutoff=0.6)
        # A truncated entry ("nai") scores too low for difflib but is still worth offering.
        prefixed = sorted(k for k in self._index if len(key) >= 3 and k.startswith(key))
        suggestions: list[str] = []
        for match in (*close, *prefixed):
            name = self._index[match].name
            if name not in suggestions:
                suggestions.append(name)
                if len(suggestions) == limit:
                    break
        return suggestions

    @classmethod
    def from_csv(cls, path: str | Path) -> Gazetteer:
        """Read a gazetteer from a CSV file with the columns of ``resources/towns.csv``.

        Raise ``ValueError`` naming the file, row (the header is row 1, as in a spreadsheet)
        and column of the first bad value.
        """
        path = Path(path)
        # utf-8-sig because spreadsheet programs like to prepend a byte-order mark.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            if header is None:
                raise ValueError(f"{path}: the file is empty; expected a header row")
            missing = [column for column in REQUIRED_COLUMNS if column not in header]
            if missing:
                raise ValueError(f"{path}: row 1 (header) lacks column(s) {', '.join(missing)}")
            towns: list[Town] = []
            owners: dict[str, tuple[str, int]] = {}
            for record in reader:
                row = reader.line_num
                town = _parse_row(path, row, record)
                labels = (("name", town.name), *(("aliases", alias) for alias in town.aliases))
                for column, label in labels:
                    key = normalise_name(label)
                    owner = owners.get(key)
                    if owner is not None and owner[0] != town.name:
                        raise ValueError(
                            f"{path}: row {row}, column {column!r}: {label!r} is already used by "
                            f"{owner[0]!r} (row {owner[1]})"
                        )
                    if owner is not None and column == "name":
                        raise ValueError(
                            f"{path}: row {row}, column 'name': duplicate town {label!r} "
                            f"(first in row {owner[1]})"
                        )
                    owners.setdefault(key, (town.name, row))
                towns.append(town)
        if not towns:
            raise ValueError(f"{path}: the file holds no towns")
        return cls(towns)


def _parse_row(path: Path, row: int, record: dict[str | None, str | None]) -> Town:
    """Turn one CSV record into a :class:`Town`, raising ``ValueError`` on bad data."""

    def fail(column: str, problem: str) -> ValueError:
        return ValueError(f"{path}: row {row}, column {column!r}: {problem}")

    if record.get(None):
        raise ValueError(f"{path}: row {row}: more values than header columns")

    def text(column: str) -> str:
        return " ".join((record.get(column) or "").split())

    name = text("name")
    if not normalise_name(name):
        raise fail("name", "town name is missing")
    county = text("county")
    if not county:
        raise fail("county", f"county of {name!r} is missing")

    def coordinate(column: str, low: float, high: float) -> float:
        raw = text(column)
        if not raw:
            raise fail(column, f"{column} of {name!r} is missing")
        try:
            value = float(raw)
        except ValueError:
            raise fail(column, f"{raw!r} is not a number") from None
        if not math.isfinite(value):
            raise fail(column, f"{raw!r} is not a finite number")
        if not low <= value <= high:
            raise fail(
                column,
                f"{value} puts {name!r} outside Kenya ({column} must lie between {low} and "
                f"{high}; are latitude and longitude swapped or the sign wrong?)",
            )
        return value

    min_lat, max_lat, min_lon, max_lon = KENYA_BOUNDS
    latitude = coordinate("latitude", min_lat, max_lat)
    longitude = coordinate("longitude", min_lon, max_lon)

    aliases: list[str] = []
    for raw_alias in (record.get("aliases") or "").split(";"):
        alias = " ".join(raw_alias.split())
        if not alias:
            continue
        if not normalise_name(alias):
            raise fail("aliases", f"alias {alias!r} of {name!r} has no letters or digits")
        aliases.append(alias)
    return Town(name, county, latitude, longitude, tuple(aliases))


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Return the gazetteer bundled as ``resources/towns.csv``, read once per process."""
    return Gazetteer.from_csv(resource_path(TOWNS_FILE))
