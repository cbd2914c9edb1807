"""Travel models: great-circle x road factor with per-corridor overrides, and DIMACS Euclidean."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from senga_desktop.engine.state import Belief
from senga_desktop.engine.travel import EuclideanTravel, GreatCircleTravel, Point, TravelModel
from senga_desktop.gazetteer import haversine_km
from tests.unit.engine.builders import town

SOLOMON = Path("/work/shared/benchmarks/solomon")


def points(*names: str) -> list[Point]:
    return [Point(name, *town(name)) for name in names]


def test_both_models_satisfy_the_protocol() -> None:
    assert isinstance(GreatCircleTravel(Belief()), TravelModel)
    assert isinstance(EuclideanTravel(), TravelModel)


def test_great_circle_distance_is_haversine_times_road_factor() -> None:
    pts = points("Nairobi", "Nakuru", "Mombasa")
    metres = GreatCircleTravel(Belief(road_factor=1.3)).distances(pts)
    assert metres.dtype == np.int64
    for i, a in enumerate(pts):
        for j, b in enumerate(pts):
            expected = haversine_km(a.lat, a.lon, b.lat, b.lon) * 1.3 * 1000
            assert abs(metres[i, j] - expected) <= 0.5
    assert np.all(np.diag(metres) == 0)
    assert 560_000 < metres[0, 2] < 720_000  # Nairobi-Mombasa by road is about 480 km x 1.3


def test_a_corridor_override_applies_to_that_pair_only() -> None:
    pts = points("Nairobi", "Nakuru", "Mombasa")
    belief = Belief(road_factor=1.3, corridor_factors={("Nakuru", "Nairobi"): 1.1})
    plain = GreatCircleTravel(Belief(road_factor=1.3)).distances(pts)
    tuned = GreatCircleTravel(belief).distances(pts)
    a, b = pts[0], pts[1]
    assert tuned[0, 1] == tuned[1, 0] == round(haversine_km(a.lat, a.lon, b.lat, b.lon) * 1100)
    assert tuned[0, 2] == plain[0, 2]


def test_duration_follows_the_truck_types_speed() -> None:
    pts = points("Nairobi", "Nakuru")
    travel = GreatCircleTravel(Belief(speeds_kmh={"light": 60.0, "heavy": 40.0}))
    metres = travel.distances(pts)[0, 1]
    assert travel.durations(pts, "light")[0, 1] == round(metres / (60 / 3.6))
    assert travel.durations(pts, "heavy")[0, 1] == round(metres / (40 / 3.6))
    assert travel.durations(pts, "mystery")[0, 1] == round(metres / (50 / 3.6))  # the default


def test_matrices_are_cached_and_read_only() -> None:
    travel = GreatCircleTravel(Belief())
    pts = points("Nairobi", "Thika")
    first = travel.distances(pts)
    assert travel.distances(list(pts)) is first
    assert travel.durations(pts, "light") is travel.durations(pts, "light")
    with pytest.raises(ValueError, match="read-only"):
        first[0, 1] = 5


def test_euclidean_dimacs_truncates_ten_times_the_distance() -> None:
    pts = [Point("a", 0, 0), Point("b", 1, 1), Point("c", 4, 3)]  # lat = y, lon = x
    d = EuclideanTravel().distances(pts)
    assert d[0, 1] == 14  # 10 * sqrt(2) = 14.14
    assert d[0, 2] == 50  # a 3-4-5 triangle: exactly 10 * 5
    assert np.array_equal(EuclideanTravel().durations(pts, "any"), d)
    rounded = EuclideanTravel(scale=1, rounding="round").distances(
        [Point("a", 0, 0), Point("b", 1.5, 2)]
    )
    assert rounded[0, 1] == round(math.hypot(1.5, 2))


def test_euclidean_matches_vrplib_on_every_solomon_instance() -> None:
    vrplib = pytest.importorskip("vrplib")
    for path in sorted(SOLOMON.glob("*.txt"))[:56]:
        raw = vrplib.read_instance(str(path), instance_format="solomon")
        pts = [Point("", float(y), float(x)) for x, y in raw["node_coord"]]
        expected = (10 * raw["edge_weight"]).astype(np.int64)
        assert np.array_equal(EuclideanTravel().distances(pts), expected), path.name


def test_bad_euclidean_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        EuclideanTravel(scale=0)
    with pytest.raises(ValueError, match="rounding"):
        EuclideanTravel(rounding="ceil")  # type: ignore[arg-type]
