"""Benchmark readers: Solomon text and VRPLIB files into the engine's own state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from senga_desktop.engine.instances import EPOCH, read_instance, read_solomon
from senga_desktop.engine.problem import Layout

BENCH = Path("/work/shared/benchmarks")
needs_data = pytest.mark.skipif(not BENCH.exists(), reason="shared benchmark data not present")


@needs_data
def test_c101_reads_into_engine_state() -> None:
    inst = read_instance(BENCH / "solomon" / "C101.txt")
    s = inst.state
    assert inst.name == "C101"
    assert len(s.orders) == 100
    assert len(s.trucks) == 25
    assert {t.capacity_kg for t in s.trucks} == {200}
    assert s.coordinates == "plane"
    first = s.orders[0]
    # Customer 1: 45 68, demand 10, ready 912, due 967, service 90 (DIMACS: times x 10).
    assert (first.order_id, first.lon, first.lat, first.weight_kg) == ("1", 45.0, 68.0, 10)
    assert first.window_start == EPOCH + timedelta(seconds=9120)
    assert first.window_end == EPOCH + timedelta(seconds=9670)
    assert first.service_minutes == 15.0
    assert s.trucks[0].return_by == EPOCH + timedelta(seconds=12360)
    assert inst.distance(8273) == 827.3


@needs_data
def test_the_engine_model_equals_pyvrps_reading_of_the_same_file() -> None:
    vrplib = pytest.importorskip("vrplib")
    path = BENCH / "solomon" / "RC208.txt"
    raw = vrplib.read_instance(str(path), instance_format="solomon")
    inst = read_instance(path)
    layout = Layout(inst.problem(), inst.travel)
    assert np.array_equal(layout.distances, (10 * raw["edge_weight"]).astype(np.int64))
    for o, (ready, due), service in zip(
        inst.state.orders, raw["time_window"][1:], raw["service_time"][1:], strict=True
    ):
        assert layout.window(o) == (10 * ready, 10 * due)
        assert layout.service_seconds(o) == 10 * service


@needs_data
def test_vrplib_vrptw_and_cvrp_files() -> None:
    tw = read_instance(BENCH / "homberger_1000" / "C1_10_1.vrp")
    assert len(tw.state.orders) == 1000
    assert tw.scale == 10
    assert tw.state.orders[0].service_minutes == 15.0  # SERVICE_TIME : 90
    cvrp = read_instance(BENCH / "cvrp_x" / "X-n101-k25.vrp")
    assert len(cvrp.state.orders) == 100
    assert cvrp.scale == 1
    assert cvrp.travel.rounding == "round"
    assert all(o.window_end is None for o in cvrp.state.orders)
    assert cvrp.state.trucks[0].capacity_kg == 206


def test_a_small_handwritten_solomon_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(
        "TINY\n\nVEHICLE\nNUMBER     CAPACITY\n  2         10\n\nCUSTOMER\n"
        "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n"
        "    0      0         0          0          0       1000          0\n"
        "    1      3         4          5          0        500         10\n"
        "    2      0         8          5         20        600         10\n"
    )
    inst = read_solomon(path)
    assert [o.order_id for o in inst.state.orders] == ["1", "2"]
    assert len(inst.state.trucks) == 2
    assert inst.state.orders[1].window_start == EPOCH + timedelta(seconds=200)


def test_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_text("hello\nworld\n")
    with pytest.raises(ValueError, match="not a Solomon instance"):
        read_instance(path)
    vrp = tmp_path / "junk.vrp"
    vrp.write_text("NAME : junk\nTYPE : CVRP\nNODE_COORD_SECTION\n1 0 0\nEOF\n")
    with pytest.raises(ValueError, match="not a supported VRPLIB instance"):
        read_instance(vrp)
