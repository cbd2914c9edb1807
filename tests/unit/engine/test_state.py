"""The planning state: validation, and an exact JSON round trip (the decision snapshot)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senga_desktop.domain import Priority, SpecialHandling
from senga_desktop.engine.state import Belief, Depot, OrderState, PlanningState, TruckState
from senga_desktop.errors import ValidationError
from tests.unit.engine.builders import NAIROBI, NOW, order, state, truck

# --- validation ---


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        PlanningState(now=datetime(2026, 1, 1), depot=NAIROBI, orders=(), trucks=())


def test_times_are_normalised_to_utc() -> None:
    nairobi = timezone(timedelta(hours=3))
    s = PlanningState(
        now=datetime(2026, 1, 1, 8, tzinfo=nairobi), depot=NAIROBI, orders=(), trucks=()
    )
    assert s.now == datetime(2026, 1, 1, 5, tzinfo=UTC)
    assert s.now.tzinfo is UTC


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_kg": -1}, "weight_kg"),
        ({"weight_kg": 1.5}, "weight_kg"),
        ({"volume_dm3": True}, "volume_dm3"),
        ({"revenue_kes": Decimal("-1")}, "revenue_kes"),
        ({"revenue_kes": 100}, "revenue_kes"),
        ({"lat": float("nan")}, "lat"),
        ({"order_id": " "}, "order_id"),
        ({"service_minutes": -5.0}, "service_minutes"),
        ({"special_handling": "refrigerated"}, "special_handling"),
    ],
)
def test_bad_order_fields_name_the_field(changes: dict[str, object], message: str) -> None:
    fields = {
        "order_id": "O1",
        "town": "Thika",
        "lat": -1.0,
        "lon": 37.0,
        "weight_kg": 10,
        "volume_dm3": 10,
        "window_start": None,
        "window_end": None,
    }
    fields.update(changes)
    with pytest.raises(ValidationError, match=message) as caught:
        OrderState(**fields)  # type: ignore[arg-type]
    assert message in caught.value.field


def test_window_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="ends before it starts"):
        order("O1", opens=5, closes=4)


def test_truck_validation() -> None:
    with pytest.raises(ValidationError, match="shift_hours"):
        truck("T1", shift=0.0)
    with pytest.raises(ValidationError, match="capacity_kg"):
        truck("T1", kg=-5)
    for days in (0, 8):
        with pytest.raises(ValidationError, match="trip_days"):
            truck("T1", days=days)


def test_duplicate_ids_and_bad_coordinates_are_refused() -> None:
    with pytest.raises(ValidationError, match="appears twice"):
        state([order("O1"), order("O1")], [])
    with pytest.raises(ValidationError, match="appears twice"):
        state([], [truck("T1"), truck("T1")])
    far = OrderState("O9", "Nowhere", 95.0, 10.0, 1, 1, None, None)
    with pytest.raises(ValidationError, match="not a WGS84 point"):
        state([far], [])
    # Benchmark instances use plane coordinates, where any finite value is fine.
    plane = PlanningState(NOW, NAIROBI, (far,), (), coordinates="plane")
    assert plane.orders == (far,)


def test_belief_normalises_corridors_and_checks_values() -> None:
    belief = Belief(corridor_factors={("Thika", "Nairobi"): 1.5})
    assert belief.factor("Nairobi", "Thika") == belief.factor("Thika", "Nairobi") == 1.5
    assert belief.factor("Nairobi", "Nakuru") == 1.3
    assert belief.speed_kmh("heavy") == 50.0
    assert belief.speed_kmh("unknown type") == belief.default_speed_kmh
    assert hash(belief) == hash(Belief(corridor_factors={("Nairobi", "Thika"): 1.5}))
    with pytest.raises(ValidationError, match="road_factor"):
        Belief(road_factor=0.9)
    with pytest.raises(ValidationError, match="speeds"):
        Belief(speeds_kmh={"light": 0.0})
    with pytest.raises(ValidationError, match=r"arrival_rates\[Thika\]"):
        Belief(arrival_rates={"Thika": -0.5})
    with pytest.raises(ValidationError, match="arrival_rates"):
        Belief(arrival_rates={"Thika": float("nan")})
    rates = Belief(arrival_rates={"Thika": 0.5, "Athi River": 0.0})
    assert list(rates.arrival_rates) == ["Athi River", "Thika"]
    assert hash(rates) != hash(Belief())


def test_malformed_snapshots_raise_validation_errors() -> None:
    document = state([order("O1")], [truck("T1")]).to_json()
    with pytest.raises(ValidationError, match="version"):
        PlanningState.from_json({**document, "version": 99})
    broken = {**document, "orders": [{"order_id": "O1"}]}
    with pytest.raises(ValidationError, match="malformed"):
        PlanningState.from_json(broken)


# --- JSON round trip ---

aware = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=3)), timezone(timedelta(hours=-5))]),
)
money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
labels = st.frozensets(st.sampled_from([str(h) for h in SpecialHandling]) | st.text(min_size=1))
names = st.text(min_size=1).filter(str.strip)


@st.composite
def orders(draw: st.DrawFn, order_id: str) -> OrderState:
    start = draw(st.none() | aware)
    end = draw(st.none() | aware)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return OrderState(
        order_id=order_id,
        town=draw(names),
        lat=draw(st.floats(-90, 90)),
        lon=draw(st.floats(-180, 180)),
        weight_kg=draw(st.integers(0, 10**6)),
        volume_dm3=draw(st.integers(0, 10**6)),
        window_start=start,
        window_end=end,
        service_minutes=draw(st.none() | st.floats(0, 10**4)),
        priority=draw(st.sampled_from(Priority)),
        special_handling=draw(labels),
        revenue_kes=draw(money),
        created_at=draw(st.none() | aware),
        max_wait_hours=draw(st.none() | st.floats(0, 1000)),
    )


@st.composite
def trucks(draw: st.DrawFn, vehicle_id: str) -> TruckState:
    free = draw(aware)
    back = draw(st.none() | st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)))
    return TruckState(
        vehicle_id=vehicle_id,
        vehicle_type=draw(names),
        town=draw(names),
        lat=draw(st.floats(-90, 90)),
        lon=draw(st.floats(-180, 180)),
        free_from=free,
        capacity_kg=draw(st.integers(0, 10**6)),
        capacity_dm3=draw(st.integers(0, 10**6)),
        capabilities=draw(labels),
        cost_per_km=draw(money),
        cost_per_hour=draw(money),
        fixed_cost=draw(money),
        shift_hours=draw(st.none() | st.floats(0.01, 1000)),
        return_by=None if back is None else free + back,
        trip_days=draw(st.integers(1, 7)),
    )


@st.composite
def states(draw: st.DrawFn) -> PlanningState:
    n_orders, n_trucks = draw(st.integers(0, 5)), draw(st.integers(0, 3))
    positive = st.floats(0.1, 500)
    belief = Belief(
        road_factor=draw(st.floats(1.0, 3.0)),
        corridor_factors=draw(
            st.dictionaries(st.tuples(names, names), st.floats(1.0, 5.0), max_size=3)
        ),
        default_speed_kmh=draw(positive),
        speeds_kmh=draw(st.dictionaries(names, positive, max_size=3)),
        service_minutes_per_stop=draw(st.floats(0, 600)),
        loading_minutes=draw(st.floats(0, 600)),
        arrival_rates=draw(st.dictionaries(names, st.floats(0, 50), max_size=3)),
    )
    depot = Depot(draw(names), draw(names), draw(st.floats(-90, 90)), draw(st.floats(-180, 180)))
    return PlanningState(
        now=draw(aware),
        depot=depot,
        orders=tuple(draw(orders(f"O{i}")) for i in range(n_orders)),
        trucks=tuple(draw(trucks(f"T{i}")) for i in range(n_trucks)),
        belief=belief,
        coordinates="wgs84",
    )


@settings(max_examples=60, deadline=None)
@given(states())
def test_json_round_trip_is_exact(original: PlanningState) -> None:
    document = json.loads(json.dumps(original.to_json()))  # through real JSON text
    rebuilt = PlanningState.from_json(document)
    assert rebuilt == original
    assert rebuilt.to_json() == original.to_json()
    assert all(
        o.revenue_kes == r.revenue_kes for o, r in zip(original.orders, rebuilt.orders, strict=True)
    )


def test_json_document_is_readable() -> None:
    s = state([order("O1", handling=frozenset({"fragile", "covered"}))], [truck("T1")])
    doc = s.to_json()
    assert doc["version"] == 1
    assert doc["now"] == "2026-03-02T05:00:00+00:00"
    assert doc["orders"][0]["special_handling"] == ["covered", "fragile"]
    assert doc["orders"][0]["revenue_kes"] == "10000"
    assert doc["trucks"][0]["cost_per_km"] == "55"
    assert doc["trucks"][0]["trip_days"] == 1


def test_a_multi_day_truck_round_trips_and_old_snapshots_still_load() -> None:
    s = state([order("O1", "Mombasa")], [truck("LONG", "semi", days=3), truck("DAY")])
    document = json.loads(json.dumps(s.to_json()))
    assert [t["trip_days"] for t in document["trucks"]] == [3, 1]
    assert PlanningState.from_json(document) == s
    # Snapshots stored before multi-day trips have no trip_days: every truck was back the same day.
    for doc in document["trucks"]:
        del doc["trip_days"]
    old = PlanningState.from_json(document)
    assert [t.trip_days for t in old.trucks] == [1, 1]
    assert old.truck("LONG").shift_hours == 12.0
    document["trucks"][0]["trip_days"] = 9
    with pytest.raises(ValidationError, match="trip_days"):
        PlanningState.from_json(document)


def test_arrival_rates_round_trip_and_old_snapshots_load_without_them() -> None:
    s = state([order("O1")], [truck("T1")])
    s = PlanningState(s.now, s.depot, s.orders, s.trucks, Belief(arrival_rates={"Thika": 0.25}))
    document = json.loads(json.dumps(s.to_json()))
    assert document["belief"]["arrival_rates"] == {"Thika": 0.25}
    assert PlanningState.from_json(document) == s
    del document["belief"]["arrival_rates"]  # stored before the rates were kept
    assert PlanningState.from_json(document).belief.arrival_rates == {}


def test_the_depot_writes_times_in_its_own_zone_and_keeps_it_in_the_snapshot() -> None:
    depot = Depot("Senga Nairobi Depot", "Nairobi", -1.309, 36.848, "Africa/Nairobi")
    moment = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
    assert depot.local(moment) == "Wed 09:30"
    assert Depot("D", "Nairobi", -1.3, 36.8).local(moment) == "Wed 06:30 UTC"
    state = PlanningState(now=moment, depot=depot, orders=(), trucks=())
    assert PlanningState.from_json(state.to_json()).depot.time_zone == "Africa/Nairobi"
    with pytest.raises(ValidationError, match="time zone"):
        Depot("D", "Nairobi", -1.3, 36.8, "Mars/Olympus")
