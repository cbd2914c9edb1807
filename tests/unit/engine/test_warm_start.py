"""Warm starts: a search that starts from a plan keeps what still fits and never ends worse."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from senga_desktop.engine.parallel import solve_best_of
from senga_desktop.engine.plan import Plan, PlannedRoute
from senga_desktop.engine.policies import CFAPolicy, DLAPolicy, PFAPolicy
from senga_desktop.engine.problem import Layout, RoutingProblem, truck_rates
from senga_desktop.engine.solver import Model, build_model, initial_solution, solve
from senga_desktop.engine.state import PlanningState
from senga_desktop.engine.travel import GreatCircleTravel, TravelModel
from tests.unit.engine.builders import Checker, order, state, truck

TOWNS = ["Thika", "Ruiru", "Kiambu", "Machakos", "Limuru", "Athi River", "Kitengela", "Kajiado"]


def objective(problem: RoutingProblem, travel: TravelModel, plan: Plan) -> int:
    """What PyVRP minimises, in its own units (mKES at the rounded rates): route costs plus the
    prize of every order left out, required orders' soft prizes included."""
    data = build_model(Layout(problem, travel)).data
    clients = [] if data is None else data.clients()  # None: the screen left nothing to route
    trucks = {t.vehicle_id: t for t in problem.state.trucks}
    total = 0
    for route in plan.routes:
        fixed, per_metre, per_second = truck_rates(trucks[route.vehicle_id])
        total += fixed + per_metre * route.distance_m + per_second * route.duration_s
    routed = set(plan.order_ids)
    total += sum(c.prize for c in clients if c.name not in routed)
    return total


@st.composite
def days(draw: st.DrawFn) -> RoutingProblem:
    trucks = [
        truck(
            f"T{k}",
            draw(st.sampled_from(["light", "medium", "heavy"])),
            kg=draw(st.integers(1500, 8000)),
            caps=draw(st.frozensets(st.sampled_from(["refrigerated"]))),
            shift=draw(st.sampled_from([6.0, 10.0, 12.0])),
            per_km=draw(st.sampled_from(["55", "61.5", "80"])),
            per_hour=draw(st.sampled_from(["360", "500", "733"])),
        )
        for k in range(draw(st.integers(1, 4)))
    ]
    orders = []
    for i in range(draw(st.integers(2, 12))):
        opens = draw(st.floats(0, 6))
        orders.append(
            order(
                f"O{i}",
                draw(st.sampled_from(TOWNS)),
                kg=draw(st.integers(100, 2500)),
                opens=opens,
                closes=opens + draw(st.floats(1, 10)),
                handling=draw(st.frozensets(st.sampled_from(["refrigerated"]), max_size=1)),
            )
        )
    s = state(orders, trucks)
    optional = draw(st.frozensets(st.sampled_from([o.order_id for o in orders])))
    prizes = {oid: Decimal(draw(st.sampled_from([500, 5000, 50_000]))) for oid in optional}
    required = frozenset(o.order_id for o in orders) - optional
    return RoutingProblem(s, required=required, prizes=prizes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days(), st.integers(0, 50), st.booleans())
def test_a_warm_start_from_a_feasible_plan_never_ends_worse(
    problem: RoutingProblem, seed: int, best_of: bool
) -> None:
    travel = GreatCircleTravel(problem.state.belief)
    first = solve(problem, travel, seed=seed, time_limit=None, max_iterations=60)
    if not first.feasible:
        return  # nothing to keep: only a feasible start is promised not to get worse
    if best_of:
        again = solve_best_of(
            problem,
            travel,
            seeds=(seed + 1, seed + 2),
            processes=1,
            rounds=2,
            time_limit=None,
            max_iterations=40,
            warm_start=first,
        )
    else:
        again = solve(
            problem, travel, seed=seed + 1, time_limit=None, max_iterations=40, warm_start=first
        )
    assert again.feasible
    assert objective(problem, travel, again) <= objective(problem, travel, first)
    assert Checker(problem.state).check(again) == []


def test_a_warm_start_through_worker_processes_never_ends_worse() -> None:
    orders = [order(f"O{i}", TOWNS[i % len(TOWNS)], kg=300 + 40 * i, closes=14) for i in range(16)]
    problem = RoutingProblem(state(orders, [truck("T1"), truck("T2", "light", kg=3000)]))
    travel = GreatCircleTravel(problem.state.belief)
    first = solve(problem, travel, seed=1, time_limit=None, max_iterations=30)
    assert first.feasible
    again = solve_best_of(
        problem, travel, seeds=(5, 6), time_limit=None, max_iterations=30, warm_start=first
    )
    assert objective(problem, travel, again) <= objective(problem, travel, first)


def _plan(routes: list[PlannedRoute]) -> Plan:
    return Plan(
        routes=tuple(routes),
        unassigned=(),
        cost_kes=Decimal(0),
        objective_kes=Decimal(0),
        feasible=True,
        runtime_s=0.0,
        iterations=0,
        seed=0,
    )


def _orders(model: Model, route: Any) -> list[str]:
    """The order ids a PyVRP route visits, in order."""
    return [model.clients[a.idx] for a in route.schedule() if a.is_client()]


def _solved(s: PlanningState) -> Plan:
    problem = RoutingProblem(s)
    return solve(problem, GreatCircleTravel(s.belief), seed=0, time_limit=None, max_iterations=80)


def test_a_partial_warm_start_keeps_what_still_fits() -> None:
    orders = [order(f"O{i}", TOWNS[i % 4], kg=400) for i in range(8)]
    whole = state(orders, [truck(f"T{k}", kg=1300) for k in range(4)])
    plan = _solved(whole)
    # Two orders went out of scope (another desktop took them), one truck left for the day.
    gone = {"O1", "O6"}
    used = plan.routes[0].vehicle_id
    now = replace(
        whole,
        orders=tuple(o for o in orders if o.order_id not in gone),
        trucks=tuple(t for t in whole.trucks if t.vehicle_id != used),
    )
    model = build_model(Layout(RoutingProblem(now), GreatCircleTravel(now.belief)))
    assert model.data is not None
    solution = initial_solution(model, plan)
    assert solution is not None
    kept = [_orders(model, route) for route in solution.routes()]
    expected = [
        [o for o in r.order_ids if o not in gone] for r in plan.routes if r.vehicle_id != used
    ]
    assert kept == [e for e in expected if e]


def test_a_warm_start_with_repeats_and_strangers_is_cut_down_not_refused() -> None:
    orders = [order(f"O{i}", TOWNS[i % 4], kg=400) for i in range(4)]
    s = state(orders, [truck("T1"), truck("T2")])
    plan = _solved(s)
    route = plan.routes[0]
    stranger = replace(route, vehicle_id="GONE")
    twice = replace(route, vehicle_id="T2" if route.vehicle_id == "T1" else "T1")
    model = build_model(Layout(RoutingProblem(s), GreatCircleTravel(s.belief)))
    solution = initial_solution(model, _plan([stranger, route, twice, route]))
    assert solution is not None
    # The stranger's truck is dropped, the first real route kept; the repeat of its orders on
    # the other truck is empty and dropped too, and so is the truck's second route.
    assert [_orders(model, r) for r in solution.routes()] == [list(route.order_ids)]
    assert initial_solution(model, _plan([stranger])) is None
    warm = solve(
        RoutingProblem(s),
        GreatCircleTravel(s.belief),
        seed=2,
        time_limit=None,
        max_iterations=20,
        warm_start=_plan([stranger, route]),
    )
    assert warm.feasible


def test_every_policy_takes_a_warm_start() -> None:
    orders = [order(f"O{i}", TOWNS[i % len(TOWNS)], kg=500 + 30 * i, closes=10) for i in range(10)]
    s = state(orders, [truck("T1"), truck("T2", "light", kg=3000), truck("H", "heavy", kg=9000)])
    for policy in (CFAPolicy(), PFAPolicy(), DLAPolicy({"samples": 2})):
        cold = policy.decide(s, seed=4, time_limit=None, max_iterations=80)
        warm = policy.decide(s, seed=5, time_limit=None, max_iterations=40, warm_start=cold.plan)
        assert Checker(s).check(warm.plan) == []
        assert set(warm.dispatched) | set(warm.held) == {o.order_id for o in orders}


def test_pfa_sequences_each_truck_from_the_warm_start() -> None:
    # One town, one truck: the warm start's order of stops is a local optimum the search keeps
    # for a single iteration.
    orders = [order(f"O{i}", TOWNS[i], kg=300, closes=20) for i in range(5)]
    s = state(orders, [truck("T1")])
    policy = PFAPolicy({"load_threshold": 0.0})
    cold = policy.decide(s, seed=0, time_limit=None, max_iterations=200)
    (route,) = cold.plan.routes
    warm = policy.decide(s, seed=9, time_limit=None, max_iterations=1, warm_start=cold.plan)
    assert warm.plan.routes[0].order_ids == route.order_ids
    assert warm.plan.cost_kes <= cold.plan.cost_kes
