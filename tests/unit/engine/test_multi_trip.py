"""Multi-trip days: a van comes back to the depot, reloads and goes out again within its shift.

Plans are checked by :func:`check_trips`, which recomputes travel with the test builders' own
haversine arithmetic rather than trusting the engine: capacity per trip, the shift over the whole
route, reloads no sooner than the drive back allows, and each trip out no sooner than loading and
the drive allow.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from senga_desktop.engine.explain import ReasonCode, explain_unassigned
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.problem import Layout, RoutingProblem
from senga_desktop.engine.snapshot import state_from_json, state_to_json
from senga_desktop.engine.solver import build_model, initial_solution, solve
from senga_desktop.engine.state import OrderState, PlanningState, TruckState
from senga_desktop.engine.travel import GreatCircleTravel
from tests.unit.engine.builders import Checker, order, state, truck

METRO = ("Thika", "Ruiru", "Kiambu", "Athi River", "Limuru", "Kitengela")
SLACK = timedelta(seconds=2)  # rounding of the integer model


def van(vehicle_id: str = "VAN", *, trips: int, kg: int = 1000, shift: float = 10.0) -> TruckState:
    return replace(truck(vehicle_id, "light", kg=kg, dm3=10_000, shift=shift), max_trips=trips)


def plan_for(s: PlanningState, iterations: int = 1000, seed: int = 1) -> Plan:
    travel = GreatCircleTravel(s.belief)
    return solve(RoutingProblem(s), travel, seed=seed, time_limit=None, max_iterations=iterations)


def check_trips(s: PlanningState, plan: Plan) -> list[str]:
    """Every breach of capacity per trip, shift and physically possible times."""
    problems: list[str] = []
    checker = Checker(s)
    depot = (s.depot.town, s.depot.lat, s.depot.lon)
    loading = timedelta(minutes=s.belief.loading_minutes)
    for route in plan.routes:
        t = s.truck(route.vehicle_id)
        where = f"route of {t.vehicle_id}"
        if route.trip_count > t.max_trips:
            problems.append(f"{where} makes {route.trip_count} trips, allowed {t.max_trips}")
        if [x.trip for x in route.stops] != sorted(x.trip for x in route.stops):
            problems.append(f"{where} numbers its trips out of order")
        loads = route.trip_loads(weights(s))
        for n, (kg, dm3) in enumerate(loads):
            if kg > t.capacity_kg or dm3 > t.capacity_dm3:
                problems.append(f"{where} trip {n} over capacity: {kg} kg, {dm3} dm3")
            if not any(x.trip == n for x in route.stops):
                problems.append(f"{where} trip {n} delivers nothing")
        if route.load_kg != max(kg for kg, _ in loads):
            problems.append(f"{where} load_kg is not its largest trip load")
        assert t.shift_hours is not None
        if route.end - route.start > timedelta(hours=t.shift_hours) + SLACK:
            problems.append(f"{where} exceeds its shift")
        here, clock, current = depot, route.start + loading, 0
        for stop in route.stops:
            if stop.trip > current:
                if stop.trip > len(route.reloads):
                    problems.append(f"{where} has no reload before trip {stop.trip}")
                    break
                reload = route.reloads[stop.trip - 1]
                back = clock + timedelta(seconds=checker.seconds(here, depot, t.vehicle_type))
                if reload.arrival + SLACK < back:
                    problems.append(f"{where} is back to reload too soon")
                if reload.departure + SLACK < reload.arrival + loading:
                    problems.append(f"{where} reloads faster than loading takes")
                here, clock, current = depot, reload.departure, stop.trip
            o = s.order(stop.order_id)
            there = (o.town, o.lat, o.lon)
            earliest = clock + timedelta(seconds=checker.seconds(here, there, t.vehicle_type))
            if stop.arrival + SLACK < earliest:
                problems.append(f"{o.order_id} arrives too soon")
            if o.window_end is not None and stop.eta > o.window_end:
                problems.append(f"{o.order_id} served after its window")
            clock, here = stop.departure, there
        back = clock + timedelta(seconds=checker.seconds(here, depot, t.vehicle_type))
        if route.end + SLACK < back:
            problems.append(f"{where} returns too soon")
    return problems


def heavy_metro(count: int, kg: int) -> list[OrderState]:
    return [order(f"O{i}", METRO[i % len(METRO)], kg=kg, dm3=1000) for i in range(count)]


def test_off_by_default_a_truck_makes_one_trip() -> None:
    s = state(heavy_metro(6, 450), [truck("VAN", "light", kg=1000, dm3=10_000, shift=10)])
    assert s.trucks[0].max_trips == 1
    model = build_model(Layout(RoutingProblem(s), GreatCircleTravel(s.belief)))
    assert model.data is not None
    (kind,) = model.data.vehicle_types()
    assert list(kind.reload_depots) == []
    assert kind.max_trips == 1
    plan = plan_for(s)
    (route,) = plan.routes
    assert route.reloads == ()
    assert {st.trip for st in route.stops} == {0}
    assert route.load_kg <= 1000
    assert len(route.stops) == 2
    assert check_trips(s, plan) == []


def test_a_van_allowed_three_trips_carries_three_loads_in_its_shift() -> None:
    s = state(heavy_metro(6, 450), [van(trips=3)])
    plan = plan_for(s)
    assert plan.unassigned == ()
    (route,) = plan.routes
    assert route.trip_count == 3
    assert len(route.reloads) == 2
    assert [len([x for x in route.stops if x.trip == n]) for n in range(3)] == [2, 2, 2]
    assert route.load_kg == max(kg for kg, _ in route.trip_loads(weights(s)))
    assert route.reloads[0].departure - route.reloads[0].arrival >= timedelta(minutes=30)
    assert check_trips(s, plan) == []
    # The plan's JSON says each stop's trip and each reload.
    document = plan.to_json()["routes"][0]
    assert [x["trip"] for x in document["stops"]] == [x.trip for x in route.stops]
    assert len(document["reloads"]) == 2


def weights(s: PlanningState) -> dict[str, tuple[int, int]]:
    return {o.order_id: (o.weight_kg, o.volume_dm3) for o in s.orders}


def test_the_shift_caps_all_trips_together() -> None:
    # Each trip to Thika and back takes about 2.5 hours with loading; a 6 h shift holds two.
    # (A near-full trip is found late: the overload penalty must first outgrow the prizes.)
    thika = [order(f"T{i}", "Thika", kg=900, dm3=1000) for i in range(4)]
    s = state(thika, [van(trips=4, shift=6)])
    plan = plan_for(s, iterations=8000)
    (route,) = plan.routes
    assert route.trip_count == 2
    assert len(plan.unassigned) == 2
    assert check_trips(s, plan) == []


def test_a_warm_start_keeps_the_trips() -> None:
    s = state(heavy_metro(6, 450), [van(trips=3)])
    plan = plan_for(s)
    model = build_model(Layout(RoutingProblem(s), GreatCircleTravel(s.belief)))
    solution = initial_solution(model, plan)
    assert solution is not None
    assert solution.is_feasible()
    (route,) = solution.routes()
    assert route.num_trips() == 3
    again = solve(
        RoutingProblem(s),
        GreatCircleTravel(s.belief),
        seed=2,
        time_limit=None,
        max_iterations=50,
        warm_start=plan,
    )
    assert again.objective_kes <= plan.objective_kes


def test_the_snapshot_keeps_the_trips_a_day() -> None:
    s = state(heavy_metro(2, 450), [van(trips=3), truck("T2")])
    back = state_from_json(state_to_json(s))
    assert [t.max_trips for t in back.trucks] == [3, 1]
    document = state_to_json(s)
    del document["trucks"][0]["max_trips"]  # a snapshot made before multi-trip days
    assert state_from_json(document).trucks[0].max_trips == 1


def test_a_reloading_truck_is_never_called_full_for_an_order_that_fits_it() -> None:
    # The van's one trip is full (2 x 500 kg); a van that may reload could come back for the
    # third order, so whatever holds it, it is not that the truck has no room.
    orders = [*heavy_metro(2, 500), order("EXTRA", "Ruiru", kg=600, dm3=1000)]
    one = state(orders, [van(trips=1)])
    plan = plan_for(one)
    assert plan.unassigned == ("EXTRA",)
    full = explain_unassigned(Layout(RoutingProblem(one), GreatCircleTravel(one.belief)), plan)
    assert full["EXTRA"].code is ReasonCode.TRUCK_FULL
    two = state(orders, [van(trips=2)])
    held = explain_unassigned(Layout(RoutingProblem(two), GreatCircleTravel(two.belief)), plan)
    assert held["EXTRA"].code is not ReasonCode.TRUCK_FULL


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kgs=st.lists(st.integers(100, 1000), min_size=1, max_size=7),
    trips=st.integers(1, 3),
    shift=st.sampled_from([4.0, 6.0, 10.0]),
    seed=st.integers(0, 3),
)
def test_multi_trip_plans_respect_shift_and_capacity_per_trip(
    kgs: list[int], trips: int, shift: float, seed: int
) -> None:
    orders = [order(f"O{i}", METRO[i % len(METRO)], kg=kg, dm3=800) for i, kg in enumerate(kgs)]
    s = state(orders, [van("V1", trips=trips, shift=shift), van("V2", trips=1, kg=800)])
    plan = plan_for(s, iterations=300, seed=seed)
    assert plan.feasible
    assert check_trips(s, plan) == []
    for route in plan.routes:
        if s.truck(route.vehicle_id).max_trips == 1:
            assert route.reloads == ()


@pytest.mark.parametrize("trips", [0, 7])
def test_trips_a_day_out_of_range_are_refused(trips: int) -> None:
    from senga_desktop.errors import ValidationError

    with pytest.raises(ValidationError, match="max_trips"):
        van(trips=trips)
