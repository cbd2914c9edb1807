"""The PyVRP adapter: optimal on tiny instances, keeps every constraint, repeatable, stoppable."""

from __future__ import annotations

import itertools
import math
import threading
import time
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from senga_desktop.engine.instances import EPOCH
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.problem import RoutingProblem
from senga_desktop.engine.solver import solve
from senga_desktop.engine.state import Belief, Depot, OrderState, PlanningState, TruckState
from senga_desktop.engine.travel import EuclideanTravel, GreatCircleTravel, Point
from senga_desktop.errors import PlanningCancelled
from tests.unit.engine.builders import NOW, Checker, order, state, truck

REEFER = frozenset({"refrigerated"})
TOWNS = ["Nairobi", "Thika", "Ruiru", "Kiambu", "Athi River", "Machakos", "Limuru", "Kajiado"]
# Legs longer than a short shift, so that multi-day trucks rest overnight on the way.
FAR_TOWNS = ["Nakuru", "Nyeri", "Kisumu", "Mombasa"]


def run(problem: RoutingProblem, *, iterations: int = 300, seed: int = 1) -> Plan:
    travel = GreatCircleTravel(problem.state.belief)
    return solve(problem, travel, seed=seed, time_limit=None, max_iterations=iterations)


# --- tiny instances with a brute-forced optimum ---


def plane(
    coords: list[tuple[int, int]],
    demand: list[int],
    *,
    capacity: int,
    vehicles: int,
    windows: list[tuple[int, int]] | None = None,
    service: int = 0,
) -> PlanningState:
    """A plane instance; node 0 is the depot; times in solver seconds."""

    def at(t: int) -> datetime:
        return EPOCH + timedelta(seconds=t)

    orders = tuple(
        OrderState(
            order_id=str(i),
            town=f"n{i}",
            lat=float(y),
            lon=float(x),
            weight_kg=demand[i],
            volume_dm3=0,
            window_start=at(windows[i][0]) if windows else None,
            window_end=at(windows[i][1]) if windows else None,
            service_minutes=service / 60,
        )
        for i, (x, y) in enumerate(coords)
        if i > 0
    )
    x0, y0 = coords[0]
    trucks = tuple(
        TruckState(
            f"V{k}",
            "v",
            "n0",
            float(y0),
            float(x0),
            EPOCH,
            capacity,
            0,
            cost_per_km=Decimal(1),
            shift_hours=None,
        )
        for k in range(vehicles)
    )
    return PlanningState(
        now=EPOCH,
        depot=Depot("depot", "n0", float(y0), float(x0)),
        orders=orders,
        trucks=trucks,
        belief=Belief(service_minutes_per_stop=0, loading_minutes=0),
        coordinates="plane",
    )


def brute_force(
    d: list[list[int]],
    demand: list[int],
    capacity: int,
    windows: list[tuple[int, int]] | None = None,
    service: int = 0,
) -> int:
    """Cheapest total distance over every split of every permutation into at most two routes."""
    clients = list(range(1, len(d)))

    def route_cost(route: tuple[int, ...]) -> float:
        if sum(demand[c] for c in route) > capacity:
            return math.inf
        clock, prev, total = 0, 0, 0
        for c in route:
            total += d[prev][c]
            clock += d[prev][c]
            if windows:
                clock = max(clock, windows[c][0])
                if clock > windows[c][1]:
                    return math.inf
            clock += service
            prev = c
        return total + d[prev][0]

    best = math.inf
    for perm in itertools.permutations(clients):
        for cut in range(len(perm) + 1):
            best = min(best, route_cost(perm[:cut]) + route_cost(perm[cut:]))
    return int(best)


def test_finds_the_optimum_of_a_small_cvrp() -> None:
    coords = [(50, 50), (10, 20), (80, 90), (15, 75), (60, 10), (90, 40), (35, 55)]
    demand = [0, 4, 3, 5, 2, 6, 3]
    travel = EuclideanTravel(scale=1, rounding="round")
    s = plane(coords, demand, capacity=12, vehicles=2)
    plan = solve(
        RoutingProblem(s, hard_required=True), travel, seed=3, time_limit=None, max_iterations=2000
    )
    d = travel.distances(_points(coords)).tolist()
    assert plan.feasible
    assert plan.distance_m == brute_force(d, demand, 12)
    assert sorted(plan.order_ids, key=int) == [str(i) for i in range(1, 7)]


def test_finds_the_optimum_with_time_windows() -> None:
    coords = [(0, 0), (10, 0), (20, 5), (5, 15), (-10, 10), (-5, -12), (15, -10)]
    windows = [(0, 10_000), (0, 150), (100, 400), (300, 700), (0, 900), (500, 1200), (50, 250)]
    demand = [0, 1, 1, 1, 1, 1, 1]
    travel = EuclideanTravel()
    s = plane(coords, demand, capacity=4, vehicles=2, windows=windows, service=30)
    plan = solve(
        RoutingProblem(s, hard_required=True), travel, seed=1, time_limit=None, max_iterations=2000
    )
    d = travel.distances(_points(coords)).tolist()
    optimum = brute_force(d, demand, 4, windows, service=30)
    assert plan.feasible
    assert plan.distance_m == optimum
    assert Checker(s).check(plan) == []


def _points(coords: list[tuple[int, int]]) -> list[Point]:
    return [Point(f"n{i}", float(y), float(x)) for i, (x, y) in enumerate(coords)]


# --- every plan keeps every constraint (property) ---


@st.composite
def depot_days(draw: st.DrawFn) -> tuple[PlanningState, float, float]:
    n_trucks = draw(st.integers(1, 3))
    trucks = []
    for k in range(n_trucks):
        trucks.append(
            truck(
                f"T{k}",
                draw(st.sampled_from(["light", "medium", "heavy"])),
                at=draw(st.sampled_from([None, None, "Nakuru", "Thika"])),
                kg=draw(st.integers(500, 6000)),
                dm3=draw(st.integers(1000, 20000)),
                caps=draw(st.frozensets(st.sampled_from(["refrigerated", "fragile"]))),
                free_in=draw(st.sampled_from([0.0, 0.5, 2.0])),
                shift=draw(st.sampled_from([4.0, 8.0, 12.0, None])),
                days=draw(st.sampled_from([1, 1, 2, 3])),
            )
        )
    orders = []
    for i in range(draw(st.integers(1, 9))):
        opens = draw(st.floats(0, 8))
        orders.append(
            order(
                f"O{i}",
                draw(st.sampled_from(TOWNS + TOWNS + FAR_TOWNS)),
                kg=draw(st.integers(50, 3000)),
                dm3=draw(st.integers(50, 8000)),
                opens=opens,
                closes=opens + draw(st.floats(0.5, 10)),
                handling=draw(
                    st.frozensets(st.sampled_from(["refrigerated", "fragile"]), max_size=1)
                ),
                service=draw(st.sampled_from([None, 5.0, 30.0])),
            )
        )
    s = state(orders, trucks, loading_minutes=draw(st.sampled_from([0.0, 20.0])))
    return s, draw(st.sampled_from([1.0, 1.2])), draw(st.sampled_from([1.0, 0.9]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(depot_days(), st.booleans())
def test_plans_respect_capacity_windows_compatibility_and_shifts(
    day: tuple[PlanningState, float, float], all_required: bool
) -> None:
    s, buffer, capacity = day
    required = None if all_required else frozenset(o.order_id for o in s.orders[::2])
    prizes = {o.order_id: Decimal(50_000) for o in s.orders}
    problem = RoutingProblem(
        s,
        required=required,
        prizes={k: v for k, v in prizes.items() if not (required is None or k in required)},
        duration_factor=buffer,
        capacity_factor=capacity,
    )
    plan = run(problem, iterations=150)
    assert plan.feasible
    assert Checker(s, duration_factor=buffer, capacity_factor=capacity).check(plan) == []


# --- behaviour ---


def test_same_seed_and_iterations_give_the_same_plan() -> None:
    orders = [order(f"O{i}", TOWNS[i % len(TOWNS)], kg=400 + 37 * i, closes=14) for i in range(14)]
    orders[3] = order("O3", "Thika", handling=REEFER)
    trucks = [
        truck("T1", "light", kg=3000),
        truck("T2", kg=5000, caps=REEFER),
        truck("T3", "heavy", kg=10000),
    ]
    problem = RoutingProblem(state(orders, trucks))

    def summary(plan: Plan) -> dict[str, object]:
        doc = plan.to_json()
        doc.pop("runtime_s")
        return doc

    first, second = run(problem, iterations=400, seed=11), run(problem, iterations=400, seed=11)
    assert summary(first) == summary(second)
    assert first.iterations == 400


def test_special_handling_only_on_capable_trucks() -> None:
    orders = [order(f"C{i}", "Kiambu", kg=300, handling=REEFER) for i in range(3)]
    orders += [order(f"D{i}", "Kiambu", kg=300) for i in range(3)]
    trucks = [truck("PLAIN", fixed="100"), truck("COLD", caps=REEFER, fixed="5000")]
    plan = run(RoutingProblem(state(orders, trucks)))
    assert plan.unassigned == ()
    for route in plan.routes:
        if route.vehicle_id == "PLAIN":
            assert not {"C0", "C1", "C2"} & set(route.order_ids)


def test_a_truck_away_first_drives_to_the_depot_to_load() -> None:
    s = state([order("O1", "Thika")], [truck("NKR", at="Nakuru")], loading_minutes=30)
    plan = run(RoutingProblem(s))
    (route,) = plan.routes
    travel = GreatCircleTravel(s.belief)
    nkr, nbo, thk = (
        Point("Nakuru", s.trucks[0].lat, s.trucks[0].lon),
        Point("Nairobi", s.depot.lat, s.depot.lon),
        Point("Thika", s.orders[0].lat, s.orders[0].lon),
    )
    d = travel.distances([nkr, nbo, thk])
    assert route.distance_m == d[0, 1] + d[1, 2] + d[2, 1]
    assert Checker(s).check(plan) == []
    assert route.stops[0].arrival - route.start >= timedelta(hours=3)  # ~160 km + loading first


def test_required_orders_that_cannot_all_fit_still_give_a_feasible_plan() -> None:
    orders = [order(f"O{i}", "Ruiru", kg=3000) for i in range(3)]
    plan = run(RoutingProblem(state(orders, [truck("T1", kg=5000)])))
    assert plan.feasible
    assert len(plan.order_ids) == 1
    assert len(plan.unassigned) == 2


def test_hard_required_orders_that_cannot_fit_make_the_plan_infeasible() -> None:
    orders = [order(f"O{i}", "Ruiru", kg=3000) for i in range(3)]
    plan = run(RoutingProblem(state(orders, [truck("T1", kg=5000)]), hard_required=True))
    assert not plan.feasible


def test_optional_orders_go_only_when_their_prize_pays() -> None:
    s = state(
        [order("NEAR", "Ruiru"), order("FAR", "Kisumu", closes=None)], [truck("T1", shift=None)]
    )
    cheap = RoutingProblem(
        s, required=frozenset(), prizes={"NEAR": Decimal(9000), "FAR": Decimal(10)}
    )
    plan = run(cheap)
    assert plan.order_ids == ("NEAR",)
    assert plan.unassigned == ("FAR",)
    assert plan.objective_kes == plan.cost_kes + Decimal(10)


def test_route_cost_uses_the_exact_rates() -> None:
    s = state(
        [order("O1", "Machakos")], [truck("T1", per_km="55.5", per_hour="512.25", fixed="4500")]
    )
    (route,) = run(RoutingProblem(s)).routes
    expected = (
        Decimal(4500)
        + Decimal("55.5") * route.distance_km
        + Decimal("512.25") * Decimal(route.duration_s) / 3600
    )
    assert route.cost_kes == expected.quantize(Decimal("0.01"))
    assert route.load_kg == 500
    assert route.load_dm3 == 1000


def test_orders_no_truck_can_carry_are_left_out_before_solving() -> None:
    s = state([order("BIG", kg=9000), order("OK")], [truck("T1", kg=5000)])
    plan = run(RoutingProblem(s, hard_required=True))
    assert plan.unassigned == ("BIG",)
    assert plan.order_ids == ("OK",)


def test_empty_problems() -> None:
    assert run(RoutingProblem(state([], [truck("T1")]))).routes == ()
    plan = run(RoutingProblem(state([order("O1")], [])))
    assert plan.unassigned == ("O1",)
    with pytest.raises(ValueError, match="time_limit"):
        solve(RoutingProblem(state([], [])), GreatCircleTravel(Belief()), time_limit=None)


def test_progress_is_reported_and_ends_at_one() -> None:
    orders = [order(f"O{i}", TOWNS[i % len(TOWNS)]) for i in range(8)]
    seen: list[tuple[float, Decimal | None]] = []
    travel = GreatCircleTravel(Belief())
    solve(
        RoutingProblem(state(orders, [truck("T1"), truck("T2")])),
        travel,
        time_limit=0.6,
        progress=lambda f, c: seen.append((f, c)),
    )
    fractions = [f for f, _ in seen]
    assert len(seen) >= 2
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert isinstance(seen[-1][1], Decimal)


def test_cancel_before_start_raises() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(PlanningCancelled):
        solve(
            RoutingProblem(state([order("O1")], [truck("T1")])),
            GreatCircleTravel(Belief()),
            cancel=cancel,
        )


def test_cancel_during_the_search_stops_promptly() -> None:
    orders = [order(f"O{i}", TOWNS[i % len(TOWNS)]) for i in range(30)]
    cancel = threading.Event()
    started = time.perf_counter()
    with pytest.raises(PlanningCancelled):
        solve(
            RoutingProblem(state(orders, [truck("T1"), truck("T2")])),
            GreatCircleTravel(Belief()),
            time_limit=30,
            progress=lambda f, c: cancel.set(),
            cancel=cancel,
        )
    assert time.perf_counter() - started < 2.0


def test_awkward_times_do_not_trip_the_solver() -> None:
    from dataclasses import replace

    s = state([order("O1", "Thika", closes=6)], [truck("GONE"), truck("OK")])
    gone = replace(
        s.trucks[0], free_from=NOW - timedelta(hours=5), return_by=NOW - timedelta(hours=1)
    )
    narrow = replace(
        s.orders[0],
        order_id="NARROW",
        window_start=NOW + timedelta(hours=2, microseconds=200),
        window_end=NOW + timedelta(hours=2, microseconds=600),
    )
    s = replace(s, trucks=(gone, s.trucks[1]), orders=(s.orders[0], narrow))
    release = {"O1": NOW + timedelta(hours=7)}  # released after its window closes
    plan = run(RoutingProblem(s, release=release))
    assert plan.feasible
    assert all(r.vehicle_id == "OK" for r in plan.routes)
    assert "O1" in plan.unassigned


def test_penalties_start_at_the_datas_scale_within_a_range_fitted_to_the_costs() -> None:
    from pathlib import Path

    from pyvrp import PenaltyParams

    from senga_desktop.engine.instances import read_instance
    from senga_desktop.engine.problem import Layout
    from senga_desktop.engine.solver import build_model, initial_penalties, penalty_params

    c101 = Path("/work/shared/benchmarks/solomon/C101.txt")
    if c101.exists():
        model = build_model(Layout(read_instance(c101).problem(), read_instance(c101).travel))
        bounds = penalty_params(model)
        default = PenaltyParams()
        # Benchmarks cost 1 per unit of distance: PyVRP's range and pace.
        assert (bounds.min_penalty, bounds.max_penalty) == (0.1, default.max_penalty)
        assert bounds.solutions_between_updates == default.solutions_between_updates
        (load,), warp, excess = initial_penalties(model, bounds)
        # Time is distance here, so a unit of lateness weighs a unit of distance; a unit of
        # load weighs an average leg over an average order (a few hundred over ten-odd).
        assert warp == pytest.approx(1.0)
        assert excess == pytest.approx(1.0)
        assert 5 < load < 100
    s = state([order("O1", "Thika"), order("O2", "Ruiru")], [truck("T1", fixed="4500")])
    model = build_model(Layout(RoutingProblem(s), GreatCircleTravel(s.belief)))
    # One kg of overload must never be worth more than the fixed cost of another truck.
    assert penalty_params(model).max_penalty > 2 * 4500 * 1000
    bounds = penalty_params(model)
    loads, warp, excess = initial_penalties(model, bounds)
    assert all(bounds.min_penalty <= p <= bounds.max_penalty for p in [*loads, warp, excess])
    # Far below the ceiling: the search may cross infeasible plans on its way.
    assert max(*loads, warp, excess) < bounds.max_penalty / 100
