"""Evaluation of hand-made plans: examples of every violation, and agreement with PyVRP.

The property tests do not trust the evaluator's arithmetic: each draft route is built as a
``pyvrp.Route`` on the solver's own model (:func:`~senga_desktop.engine.solver.build_model`),
reload depots between trips, and PyVRP's distance, duration, time warp and excess load are the
reference.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
import pyvrp
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pyvrp import Activity

from senga_desktop.engine.evaluate import (
    DraftRoute,
    PlanEvaluator,
    RouteEvaluation,
    ViolationCode,
    drafts_of,
)
from senga_desktop.engine.problem import Layout, RoutingProblem
from senga_desktop.engine.solver import Model, build_model, solve
from senga_desktop.engine.state import PlanningState, TruckState
from senga_desktop.engine.travel import GreatCircleTravel
from tests.unit.engine.builders import NOW, order, state, truck

CENTS = Decimal("0.01")
TOWNS = ["Thika", "Ruiru", "Machakos", "Kitengela", "Limuru", "Naivasha", "Nyeri", "Embu"]
FAR = ["Nakuru", "Mombasa", "Kisumu"]
TIMING = {
    ViolationCode.LATE,
    ViolationCode.BACK_LATE,
    ViolationCode.SHIFT_EXCEEDED,
    ViolationCode.TRIP_LENGTH_EXCEEDED,
}
Code = ViolationCode


def evaluator(
    s: PlanningState, *, capacity_factor: float = 1.0, hard_required: bool = False
) -> PlanEvaluator:
    problem = RoutingProblem(s, capacity_factor=capacity_factor, hard_required=hard_required)
    return PlanEvaluator(problem, GreatCircleTravel(s.belief))


def codes(result: RouteEvaluation) -> list[ViolationCode]:
    return [v.code for v in result.violations]


# --- examples, one per violation code ---


def test_a_feasible_route_has_no_violation_and_the_solvers_figures() -> None:
    s = state([order("A", "Thika"), order("B", "Ruiru")], [truck("T1")])
    ev = evaluator(s)
    result = ev.evaluate([DraftRoute.of("T1", "A", "B")])
    assert result.feasible
    assert result.violations == ()
    route = result.plan.routes[0]
    assert route.order_ids == ("A", "B")
    assert [x.trip for x in route.stops] == [0, 0]
    assert route.cost_kes == s.trucks[0].route_cost(route.distance_m, route.duration_s).quantize(
        CENTS
    )
    assert result.plan.cost_kes == route.cost_kes == result.plan.objective_kes
    assert route.stops[0].arrival <= route.stops[0].eta < route.stops[0].departure
    assert route.start == NOW
    assert route.end > route.stops[-1].departure


def test_over_capacity_in_kg_and_m3_per_trip() -> None:
    van = replace(truck("V1", "light", kg=1000, dm3=4000), max_trips=2)
    s = state([order("A", kg=700, dm3=3000), order("B", kg=600, dm3=2000)], [van])
    ev = evaluator(s)
    both = ev.evaluate_route(DraftRoute.of("V1", "A", "B"))
    assert codes(both) == [Code.OVER_WEIGHT, Code.OVER_VOLUME]
    kg, dm3 = both.violations
    assert (kg.amount, dm3.amount, kg.vehicle_id) == (300, 1000, "V1")
    assert kg.message == "V1 is loaded with 1,300 kg, 300 kg over the 1,000 kg it carries."
    assert dm3.message == "V1 is loaded with 5 m³, 1 m³ over the 4 m³ it carries."
    reloaded = ev.evaluate_route(DraftRoute("V1", (("A",), ("B",))))
    assert reloaded.violations == ()
    assert [t.load_kg for t in reloaded.trips] == [700, 600]
    assert reloaded.trips[0].back <= reloaded.trips[1].leaves
    route = reloaded.route
    assert route is not None
    assert [x.trip for x in route.stops] == [0, 1]
    assert route.load_kg == 700
    assert route.trip_count == 2
    (reload,) = route.reloads
    assert reload.arrival == reloaded.trips[0].back
    assert reload.departure == reloaded.trips[1].leaves + timedelta(minutes=30)  # loading


def test_capacity_margin_is_named() -> None:
    s = state([order("A", kg=960, dm3=100)], [truck("T1", kg=1000)])
    result = evaluator(s, capacity_factor=0.95).evaluate_route(DraftRoute.of("T1", "A"))
    (v,) = result.violations
    assert v.code is Code.OVER_WEIGHT
    assert v.amount == 10
    assert "the 950 kg it may carry (1,000 kg less 5 % kept free)" in v.message


def test_missed_window_says_by_how_long() -> None:
    s = state([order("A", "Nakuru", opens=0, closes=1)], [truck("T1")])
    (v,) = evaluator(s).evaluate_route(DraftRoute.of("T1", "A")).violations
    assert v.code is Code.LATE
    assert v.order_id == "A"
    assert v.vehicle_id == "T1"
    assert v.amount > 3600
    assert v.message.startswith("T1 would reach A in Nakuru at Mon ")
    assert "after its window closes at Mon 06:00 UTC." in v.message


def test_shift_and_trip_length() -> None:
    orders = [order("A", "Mombasa", closes=None)]
    short = evaluator(state(orders, [truck("T1", shift=8.0)])).evaluate_route(
        DraftRoute.of("T1", "A")
    )
    assert codes(short) == [Code.SHIFT_EXCEEDED]
    assert "over its 8 h 00 min shift" in short.violations[0].message
    s = state(orders, [truck("T2", "heavy", shift=10.0, days=3)])
    long = evaluator(s).evaluate_route(DraftRoute.of("T2", "A"))
    assert long.violations == ()  # a three-day truck rests overnight and makes it
    s = state(orders, [truck("T3", "heavy", shift=10.0, days=2)])
    over = evaluator(s).evaluate_route(DraftRoute.of("T3", "A"))
    assert codes(over) == [Code.TRIP_LENGTH_EXCEEDED]
    assert "over its 2-day trip length" in over.violations[0].message


def test_back_after_return_by() -> None:
    t = replace(truck("T1", shift=None), return_by=NOW + timedelta(hours=2))
    s = state([order("A", "Naivasha")], [t])
    (v,) = evaluator(s).evaluate_route(DraftRoute.of("T1", "A")).violations
    assert v.code is Code.BACK_LATE
    assert v.amount > 0
    assert "after it is due back at Mon 07:00 UTC" in v.message


def test_incompatible_truck() -> None:
    cold = order("A", handling=frozenset({"refrigerated"}))
    s = state([cold], [truck("T1")])
    (v,) = evaluator(s).evaluate_route(DraftRoute.of("T1", "A")).violations
    assert v.code is Code.INCOMPATIBLE
    assert v.order_id == "A"
    assert v.message == (
        "T1 cannot carry A for Thika: it needs refrigerated handling the truck is not fitted for."
    )


def test_an_order_pinned_to_another_truck() -> None:
    s = state([order("A"), order("B", "Ruiru")], [truck("T1"), truck("T2")])
    problem = RoutingProblem(s, pins={"A": "T1", "B": "T2"})
    ev = PlanEvaluator(problem, GreatCircleTravel(s.belief))
    result = ev.evaluate([DraftRoute.of("T1", "B")])
    assert [v.code for v in result.violations] == [Code.PINNED_ELSEWHERE, Code.REQUIRED_HELD]
    assert result.violations[0].message == "B is pinned to T2 but is on T1."


def test_an_order_twice_counts_once() -> None:
    s = state([order("A"), order("B", "Ruiru")], [truck("T1"), truck("T2")])
    ev = evaluator(s)
    once = ev.evaluate_route(DraftRoute.of("T1", "A", "B"))
    within = ev.evaluate_route(DraftRoute.of("T1", "A", "B", "A"))
    assert codes(within) == [Code.DUPLICATE_ORDER]
    assert within.route == once.route
    across = ev.evaluate([DraftRoute.of("T1", "A"), DraftRoute.of("T2", "A", "B")])
    (v,) = across.violations
    assert v.code is Code.DUPLICATE_ORDER
    assert v.vehicle_id == "T2"
    assert v.order_id == "A"
    assert "on T1 already" in v.message
    assert across.plan.routes[1].order_ids == ("B",)
    assert across.of_order("A") == (v,)
    assert across.of_truck("T2") == (v,)


def test_held_orders_are_allowed_unless_required() -> None:
    s = state([order("A"), order("B", "Ruiru")], [truck("T1")])
    optional = RoutingProblem(s, required=frozenset(), prizes={"B": Decimal("700")})
    ev = PlanEvaluator(optional, GreatCircleTravel(s.belief))
    result = ev.evaluate([DraftRoute.of("T1", "A")])
    assert result.violations == ()
    assert result.held == ("B",)
    assert result.feasible
    assert result.plan.objective_kes == result.plan.cost_kes + Decimal("700")
    soft = evaluator(s).evaluate([DraftRoute.of("T1", "A")])
    (v,) = soft.violations
    assert v.code is Code.REQUIRED_HELD
    assert v.order_id == "B"
    assert v.vehicle_id is None
    assert soft.feasible  # the solver would leave it out too, at a price
    hard = evaluator(s, hard_required=True).evaluate([DraftRoute.of("T1", "A")])
    assert not hard.feasible


def test_unknown_order_and_truck() -> None:
    s = state([order("A"), order("B", "Ruiru")], [truck("T1")])
    ev = evaluator(s)
    result = ev.evaluate([DraftRoute.of("T1", "A", "Z9"), DraftRoute.of("X1", "B")])
    assert [v.code for v in result.violations] == [Code.UNKNOWN_ORDER, Code.UNKNOWN_TRUCK,
                                                   Code.REQUIRED_HELD]  # fmt: skip
    assert [r.order_ids for r in result.plan.routes] == [("A",)]
    assert result.held == ("B",)
    assert not result.feasible
    assert result.routes[1].route is None


def test_a_truck_used_twice() -> None:
    s = state([order("A"), order("B", "Ruiru")], [truck("T1")])
    result = evaluator(s).evaluate([DraftRoute.of("T1", "A"), DraftRoute.of("T1", "B")])
    (v,) = result.violations
    assert v.code is Code.TRUCK_TWICE
    assert v.amount == 1
    assert "T1 has 2 routes" in v.message


def test_more_trips_than_allowed() -> None:
    van = replace(truck("V1", "light"), max_trips=2)
    s = state([order("A"), order("B", "Ruiru"), order("C", "Limuru")], [van, truck("T2")])
    ev = evaluator(s)
    (v,) = ev.evaluate_route(DraftRoute("V1", (("A",), ("B",), ("C",)))).violations
    assert v.code is Code.TOO_MANY_TRIPS
    assert v.amount == 1
    assert v.message == "V1 makes 3 trips; it may make 2."
    (w,) = ev.evaluate_route(DraftRoute("T2", (("A",), ("B",)))).violations
    assert "not set to reload" in w.message


def test_empty_routes_and_trips_are_ignored() -> None:
    s = state([order("A")], [truck("T1"), truck("T2")])
    ev = evaluator(s)
    result = ev.evaluate([DraftRoute("T1", ((), ("A",), ())), DraftRoute("T2", ((),))])
    assert [r.vehicle_id for r in result.plan.routes] == ["T1"]
    assert result.violations == ()
    assert result.routes[1].route is None


def test_the_solvers_own_plan_reads_back_exactly() -> None:
    orders = [order(f"O{i}", TOWNS[i % len(TOWNS)], kg=700, opens=i % 4, closes=i % 4 + 5)
              for i in range(10)]  # fmt: skip
    trucks = [truck("T1", "light", kg=2500), truck("T2", at="Thika"), truck("T3", "heavy")]
    s = state(orders, trucks)
    problem = RoutingProblem(s)
    travel = GreatCircleTravel(s.belief)
    plan = solve(problem, travel, seed=2, time_limit=None, max_iterations=400)
    result = PlanEvaluator(problem, travel).evaluate(drafts_of(plan))
    assert result.plan.routes == plan.routes
    assert result.plan.unassigned == plan.unassigned
    assert (result.plan.cost_kes, result.plan.objective_kes) == (plan.cost_kes, plan.objective_kes)
    assert result.feasible == plan.feasible


def test_unchanged_routes_are_not_evaluated_again() -> None:
    s = state([order("A"), order("B", "Ruiru")], [truck("T1"), truck("T2")])
    ev = evaluator(s)
    first = ev.evaluate([DraftRoute.of("T1", "A"), DraftRoute.of("T2", "B")])
    second = ev.evaluate([DraftRoute.of("T1", "A"), DraftRoute.of("T2", "B")])
    assert all(a is b for a, b in zip(first.routes, second.routes, strict=True))


# --- agreement with PyVRP on random plans ---


@st.composite
def days(draw: st.DrawFn) -> PlanningState:
    """A small depot day: trucks of all kinds (away from the depot, multi-day, reloading)."""
    trucks = []
    for k in range(draw(st.integers(1, 3))):
        t = truck(
            f"T{k}",
            draw(st.sampled_from(["light", "medium", "heavy"])),
            at=draw(st.sampled_from([None, None, "Thika", "Nakuru"])),
            kg=draw(st.integers(1000, 6000)),
            dm3=draw(st.integers(3000, 20000)),
            caps=draw(st.frozensets(st.sampled_from(["refrigerated"]))),
            free_in=draw(st.sampled_from([0.0, 0.0, 1.0, 3.0])),
            shift=draw(st.sampled_from([5.0, 8.0, 12.0, None])),
            days=draw(st.sampled_from([1, 1, 1, 2])),
            fixed=draw(st.sampled_from(["0", "4500"])),
        )
        back = draw(st.sampled_from([None, None, 4.0, 9.0]))
        if back is not None:
            t = replace(t, return_by=t.free_from + timedelta(hours=back))
        trucks.append(replace(t, max_trips=draw(st.sampled_from([1, 2, 3]))))
    orders = []
    for i in range(draw(st.integers(1, 12))):
        opens = draw(st.floats(0, 6))
        orders.append(
            order(
                f"O{i}",
                draw(st.sampled_from(TOWNS + TOWNS + FAR)),
                kg=draw(st.integers(100, 2500)),
                dm3=draw(st.integers(100, 7000)),
                opens=opens,
                closes=opens + draw(st.floats(0.5, 10)),
                handling=draw(st.frozensets(st.sampled_from(["refrigerated"]), max_size=1)),
                service=draw(st.sampled_from([None, 10.0, 30.0])),
            )
        )
    return state(orders, trucks, loading_minutes=draw(st.sampled_from([0.0, 30.0])))


def reloading(model: Model) -> pyvrp.ProblemData:
    """The model's data with reload trips at the depot for the trucks that may make them (the
    solver's own model may not offer them yet)."""
    assert model.data is not None
    types = [
        vt.replace(reload_depots=[0], max_reloads=max(t.max_trips for t in trucks) - 1)
        for vt, trucks in zip(model.data.vehicle_types(), model.vehicle_trucks, strict=True)
    ]
    return model.data.replace(vehicle_types=types)


def pyvrp_route(data: pyvrp.ProblemData, model: Model, draft: DraftRoute) -> pyvrp.Route:
    clients = {order_id: n for n, order_id in enumerate(model.clients)}
    kind = next(k for k, ts in enumerate(model.vehicle_trucks)
                if draft.vehicle_id in {t.vehicle_id for t in ts})  # fmt: skip
    activities = []
    for n, trip in enumerate(draft.trips):
        if n:
            activities.append(Activity("D0"))
        activities += [Activity(f"C{clients[o]}") for o in trip]
    return pyvrp.Route(data, activities, kind)


def random_drafts(model: Model, trucks: list[TruckState], seed: int) -> list[DraftRoute]:
    """Every routable order on a random truck and trip (within its allowance), or held."""
    rng = random.Random(seed)
    plan: dict[str, list[list[str]]] = {t.vehicle_id: [[] for _ in range(t.max_trips)]
                                        for t in trucks}  # fmt: skip
    for order_id in model.clients:
        if rng.random() > 0.15:
            t = rng.choice(trucks)
            plan[t.vehicle_id][rng.randrange(t.max_trips)].append(order_id)
    for trips in plan.values():
        for trip in trips:
            rng.shuffle(trip)
    return [DraftRoute(vid, tuple(tuple(trip) for trip in trips if trip))
            for vid, trips in plan.items() if any(trips)]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days(), st.integers(0, 10**6))
def test_evaluation_agrees_with_pyvrp(s: PlanningState, seed: int) -> None:
    problem = RoutingProblem(s)
    travel = GreatCircleTravel(s.belief)
    model = build_model(Layout(problem, travel))
    if model.data is None:
        return
    data = reloading(model)
    trucks = [t for ts in model.vehicle_trucks for t in ts]
    ev = PlanEvaluator(problem, travel)
    drafts = random_drafts(model, trucks, seed)
    result = ev.evaluate(drafts)
    assert len(result.routes) == len(drafts)
    for draft, evaluated in zip(drafts, result.routes, strict=True):
        check_route(data, model, s, draft, evaluated)
        start = "away" if s.truck(draft.vehicle_id).town != "Nairobi" else "depot"
        event(f"{len(draft.trips)} trip(s), {start} start")
        found = sorted(set(codes(evaluated)))
        event("feasible" if not found else "breaks " + ", ".join(found))
    routed = {o for d in drafts for o in d.order_ids}
    assert set(result.held) == {o.order_id for o in s.orders} - routed


def check_route(
    data: pyvrp.ProblemData,
    model: Model,
    s: PlanningState,
    draft: DraftRoute,
    evaluated: RouteEvaluation,
) -> None:
    t = s.truck(draft.vehicle_id)
    found = set(codes(evaluated))
    route = evaluated.route
    assert route is not None
    assert route.order_ids == draft.order_ids
    r = pyvrp_route(data, model, draft)
    if Code.INCOMPATIBLE in found:
        assert r.excess_distance() > 0  # PyVRP bars the edge into such an order
        return
    assert r.excess_distance() == 0
    assert route.distance_m == r.distance()
    timing = found & TIMING
    assert (r.time_warp() > 0) == bool(timing), (r.time_warp(), evaluated.violations)
    dims = (any(o.weight_kg for o in s.orders if o.order_id in model.clients),
            any(o.volume_dm3 for o in s.orders if o.order_id in model.clients))  # fmt: skip
    excess = iter(r.excess_load())
    over_kg = next(excess) > 0 if dims[0] else False
    over_dm3 = next(excess) > 0 if dims[1] else False
    assert over_kg == (Code.OVER_WEIGHT in found)
    assert over_dm3 == (Code.OVER_VOLUME in found)
    assert (r.is_feasible()) == (not found)
    if timing:
        return
    assert route.duration_s == r.duration()
    assert route.cost_kes == t.route_cost(r.distance(), r.duration()).quantize(CENTS)
    now = s.now
    assert route.start == now + timedelta(seconds=r.start_time())
    assert route.end == now + timedelta(seconds=r.end_time())
    visits = [v for v in r.schedule() if v.is_client()]
    assert [x.eta for x in route.stops] == [now + timedelta(seconds=v.start_time) for v in visits]
    assert [x.arrival for x in route.stops] == [
        now + timedelta(seconds=v.start_time - v.wait_duration) for v in visits
    ]
    assert [x.departure for x in route.stops] == [
        now + timedelta(seconds=v.end_time) for v in visits
    ]
    assert [x.trip for x in route.stops] == [v.trip for v in visits]
    loading = timedelta(seconds=round(s.belief.loading_minutes * 60))
    depots = [v for v in r.schedule()[1:-1] if v.is_depot()]
    assert [(x.arrival, x.departure) for x in route.reloads] == [
        (now + timedelta(seconds=v.start_time - v.wait_duration),
         now + timedelta(seconds=v.end_time) + loading)
        for v in depots
    ]  # fmt: skip


@pytest.mark.parametrize("seed", range(3))
def test_single_trip_start_away_agrees_with_pyvrp(seed: int) -> None:
    orders = [order(f"O{i}", TOWNS[(i * 3 + seed) % len(TOWNS)], kg=400, opens=i % 3,
                    closes=i % 3 + 8) for i in range(8)]  # fmt: skip
    trucks = [truck("A", at="Nakuru"), truck("B", at="Thika", free_in=1.0), truck("C")]
    s = state(orders, trucks)
    problem = RoutingProblem(s)
    travel = GreatCircleTravel(s.belief)
    model = build_model(Layout(problem, travel))
    data = reloading(model)
    drafts = random_drafts(model, [t for ts in model.vehicle_trucks for t in ts], seed)
    result = PlanEvaluator(problem, travel).evaluate(drafts)
    for draft, evaluated in zip(drafts, result.routes, strict=True):
        check_route(data, model, s, draft, evaluated)


@st.composite
def reload_days(draw: st.DrawFn) -> tuple[RoutingProblem, DraftRoute]:
    """One van that reloads, all orders near Nairobi, split into two or three trips; some
    orders released only later (as the DLA's sampled orders are)."""
    trips = draw(st.integers(2, 3))
    van = truck(
        "V",
        "light",
        at=draw(st.sampled_from([None, "Thika"])),
        kg=draw(st.integers(800, 2500)),
        shift=draw(st.sampled_from([6.0, 10.0, None])),
        free_in=draw(st.sampled_from([0.0, 2.0])),
    )
    orders = [
        order(
            f"O{i}",
            draw(st.sampled_from(TOWNS[:5])),
            kg=draw(st.integers(100, 700)),
            opens=(opens := draw(st.floats(0, 8))),
            closes=opens + draw(st.floats(1, 12)),
            service=draw(st.sampled_from([None, 10.0])),
        )
        for i in range(draw(st.integers(trips, 9)))
    ]
    ids = draw(st.permutations([o.order_id for o in orders]))
    if draw(st.booleans()):  # in order of their windows: mostly on time
        opening = {o.order_id: o.window_start or NOW for o in orders}
        ids = sorted(ids, key=opening.__getitem__)
    cuts = sorted(draw(st.lists(st.integers(1, len(ids) - 1), min_size=trips - 1,
                                max_size=trips - 1, unique=True)))  # fmt: skip
    bounds = [0, *cuts, len(ids)]
    draft = DraftRoute("V", tuple(tuple(ids[a:b]) for a, b in itertools.pairwise(bounds)))
    s = state(orders, [replace(van, max_trips=trips)],
              loading_minutes=draw(st.sampled_from([0.0, 30.0])))  # fmt: skip
    later = draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
    release = {oid: NOW + timedelta(hours=draw(st.floats(0, 6))) for oid in later}
    return RoutingProblem(s, release=release), draft


@settings(max_examples=200, deadline=None)
@given(reload_days())
def test_reload_trips_agree_with_pyvrp(case: tuple[RoutingProblem, DraftRoute]) -> None:
    problem, draft = case
    s = problem.state
    travel = GreatCircleTravel(s.belief)
    model = build_model(Layout(problem, travel))
    routable = set(model.clients)  # the solver's model leaves out orders no truck can reach
    trips = tuple(t for t in (tuple(o for o in trip if o in routable) for trip in draft.trips) if t)
    if model.data is None or not trips:
        return
    draft = DraftRoute(draft.vehicle_id, trips)
    (evaluated,) = PlanEvaluator(problem, travel).evaluate([draft]).routes
    check_route(reloading(model), model, s, draft, evaluated)
    event(f"{len(draft.trips)} trips: " + (", ".join(sorted(set(codes(evaluated)))) or "feasible"))


def test_the_solvers_multi_trip_plan_reads_back_exactly() -> None:
    orders = [order(f"O{i}", TOWNS[i % 5], kg=600, opens=i % 5, closes=i % 5 + 6)
              for i in range(12)]  # fmt: skip
    vans = [replace(truck(f"V{k}", "light", kg=1300), max_trips=3) for k in range(2)]
    s = state(orders, vans)
    problem = RoutingProblem(s)
    travel = GreatCircleTravel(s.belief)
    plan = solve(problem, travel, seed=1, time_limit=None, max_iterations=500)
    assert any(r.reloads for r in plan.routes)
    result = PlanEvaluator(problem, travel).evaluate(drafts_of(plan))
    assert result.plan.routes == plan.routes
    assert (result.plan.cost_kes, result.plan.objective_kes) == (plan.cost_kes, plan.objective_kes)
    assert result.feasible == plan.feasible
