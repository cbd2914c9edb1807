"""Travel model: distance and duration matrices between points, per truck type.

The solver only sees integer matrices — metres and seconds — through the :class:`TravelModel`
protocol, so a road-network service (OSRM, a commercial API, a learned model) can replace the
offline models here without touching the solver.

* :class:`GreatCircleTravel` — the offline default for Kenyan depots: great-circle distance times
  the belief's road factor (per corridor where one was learned), and duration from the truck
  type's average speed.
* :class:`EuclideanTravel` — benchmark instances: plane distances scaled and truncated (the DIMACS
  convention: x10, truncated) or rounded (TSPLIB ``EUC_2D``), and travel time equal to distance.

Matrices are cached per model by the tuple of points (and truck type), and returned read-only so a
caller cannot corrupt the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from senga_desktop.engine.state import Belief
from senga_desktop.gazetteer import EARTH_RADIUS_KM

__all__ = [
    "EuclideanTravel",
    "GreatCircleTravel",
    "IntMatrix",
    "Point",
    "TravelModel",
]

IntMatrix = npt.NDArray[np.int64]
CACHE_SIZE = 16  # a planning run asks for a handful of (points, type) pairs; keep a few runs


class Point(NamedTuple):
    """A place for the travel model: its town (for corridor factors) and coordinates.

    In plane coordinates (benchmark instances) ``lon`` is x and ``lat`` is y.
    """

    town: str
    lat: float
    lon: float


@runtime_checkable
class TravelModel(Protocol):
    """What the solver needs to know about travel between points."""

    def distances(self, points: Sequence[Point]) -> IntMatrix:
        """The road distance in metres from each point (row) to each point (column)."""

    def durations(self, points: Sequence[Point], vehicle_type: str) -> IntMatrix:
        """The driving time in seconds for a truck of ``vehicle_type``, row to column."""


class _Cache:
    """A small least-recently-used store of read-only matrices."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[tuple[object, ...], IntMatrix] = OrderedDict()

    def get(self, key: tuple[object, ...], make: Callable[[], IntMatrix]) -> IntMatrix:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            return found
        matrix = make()
        matrix.setflags(write=False)
        self._items[key] = matrix
        if len(self._items) > self._size:
            self._items.popitem(last=False)
        return matrix


def haversine_matrix_km(lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Great-circle distances in km between all pairs of WGS84 points (same formula as
    :func:`senga_desktop.gazetteer.haversine_km`, vectorised)."""
    phi = np.radians(np.asarray(lats, dtype=np.float64))
    lam = np.radians(np.asarray(lons, dtype=np.float64))
    d_phi = phi[None, :] - phi[:, None]
    d_lam = lam[None, :] - lam[:, None]
    h = (
        np.sin(d_phi / 2) ** 2
        + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(d_lam / 2) ** 2
    )
    result: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
    return result


class GreatCircleTravel:
    """Great-circle distance x road factor; duration from the truck type's average speed.

    Distances are rounded to whole metres and durations to whole seconds (from the rounded
    distance, so a duration is always consistent with its distance).
    """

    def __init__(self, belief: Belief) -> None:
        self.belief = belief
        self._cache = _Cache()

    def distances(self, points: Sequence[Point]) -> IntMatrix:
        key = ("distance", tuple(points))
        return self._cache.get(key, lambda: self._distances(points))

    def durations(self, points: Sequence[Point], vehicle_type: str) -> IntMatrix:
        key = ("duration", tuple(points), vehicle_type)
        return self._cache.get(key, lambda: self._durations(points, vehicle_type))

    def _distances(self, points: Sequence[Point]) -> IntMatrix:
        if not points:
            return np.zeros((0, 0), dtype=np.int64)
        km = haversine_matrix_km([p.lat for p in points], [p.lon for p in points])
        return np.rint(km * self._factors(points) * 1000.0).astype(np.int64)

    def _factors(self, points: Sequence[Point]) -> npt.NDArray[np.float64]:
        """Road factor per pair of points: the default, or the corridor's where one is known."""
        towns = sorted({p.town for p in points})
        index = {town: i for i, town in enumerate(towns)}
        per_town = np.full((len(towns), len(towns)), self.belief.road_factor)
        for (a, b), factor in self.belief.corridor_factors.items():
            if a in index and b in index:
                per_town[index[a], index[b]] = per_town[index[b], index[a]] = factor
        which = np.array([index[p.town] for p in points])
        factors: npt.NDArray[np.float64] = per_town[np.ix_(which, which)]
        return factors

    def _durations(self, points: Sequence[Point], vehicle_type: str) -> IntMatrix:
        metres_per_second = self.belief.speed_kmh(vehicle_type) / 3.6
        return np.rint(self.distances(points) / metres_per_second).astype(np.int64)


class EuclideanTravel:
    """Plane distances for benchmark instances; travel time equals distance.

    ``rounding="trunc"`` with ``scale=10`` is the DIMACS convention of the Solomon and Homberger
    best-known solutions; ``rounding="round"`` with ``scale=1`` is TSPLIB's ``EUC_2D`` (the X
    instances). The integer result is what the solver calls metres and seconds.
    """

    def __init__(self, scale: int = 10, rounding: Literal["trunc", "round"] = "trunc") -> None:
        if scale <= 0:
            raise ValueError(f"scale must be positive, got {scale}")
        if rounding not in ("trunc", "round"):
            raise ValueError(f"unknown rounding {rounding!r}")
        self.scale = scale
        self.rounding = rounding
        self._cache = _Cache()

    def distances(self, points: Sequence[Point]) -> IntMatrix:
        return self._cache.get(("distance", tuple(points)), lambda: self._distances(points))

    def durations(self, points: Sequence[Point], vehicle_type: str) -> IntMatrix:
        return self.distances(points)

    def _distances(self, points: Sequence[Point]) -> IntMatrix:
        xs = np.array([p.lon for p in points], dtype=np.float64)
        ys = np.array([p.lat for p in points], dtype=np.float64)
        if np.all(xs == np.rint(xs)) and np.all(ys == np.rint(ys)):
            # Whole coordinates: the squared distance is an exact integer, so the square root is
            # correctly rounded and truncation gives exactly the published DIMACS values.
            xi, yi = xs.astype(np.int64), ys.astype(np.int64)
            squared = (xi[:, None] - xi[None, :]) ** 2 + (yi[:, None] - yi[None, :]) ** 2
            euclid = np.sqrt(squared.astype(np.float64))
        else:
            euclid = np.hypot(xs[:, None] - xs[None, :], ys[:, None] - ys[None, :])
        scaled: npt.NDArray[np.float64] = self.scale * euclid
        if self.rounding == "trunc":
            return scaled.astype(np.int64)
        return np.rint(scaled).astype(np.int64)
