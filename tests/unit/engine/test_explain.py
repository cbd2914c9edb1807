"""Every order left out of a plan gets a reason: a code and a sentence for the dispatcher."""

from __future__ import annotations

from decimal import Decimal

from senga_desktop.engine.explain import (
    Reason,
    ReasonCode,
    explain_unassigned,
    marginal_cost,
    screen,
)
from senga_desktop.engine.problem import Layout, RoutingProblem
from senga_desktop.engine.solver import solve
from senga_desktop.engine.state import Belief, PlanningState
from senga_desktop.engine.travel import GreatCircleTravel
from tests.unit.engine.builders import order, state, truck

REEFER = frozenset({"refrigerated"})


def layout(s: PlanningState, **problem: object) -> Layout:
    return Layout(RoutingProblem(s, **problem), GreatCircleTravel(s.belief))  # type: ignore[arg-type]


def reason_for(s: PlanningState, order_id: str) -> Reason:
    return screen(layout(s))[order_id]


def test_an_order_every_truck_can_reach_is_not_screened() -> None:
    assert screen(layout(state([order("O1", "Thika")], [truck("T1")]))) == {}


def test_no_truck_with_the_handling() -> None:
    r = reason_for(state([order("COLD", handling=REEFER)], [truck("T1")]), "COLD")
    assert r.code is ReasonCode.NO_COMPATIBLE_TRUCK
    assert "refrigerated" in r.message


def test_heavier_or_bulkier_than_any_compatible_truck() -> None:
    s = state([order("HEAVY", kg=9000), order("BULKY", kg=100, dm3=90_000)], [truck("T1", kg=5000)])
    heavy, bulky = reason_for(s, "HEAVY"), reason_for(s, "BULKY")
    assert heavy.code is ReasonCode.TOO_HEAVY
    assert heavy.details["max_kg"] == "5000"
    assert "9000 kg" in heavy.message
    assert bulky.code is ReasonCode.TOO_BULKY
    # Only compatible trucks count: the big truck cannot carry chilled goods.
    s = state(
        [order("COLD", kg=4000, handling=REEFER)],
        [truck("BIG", kg=10_000), truck("SMALL", kg=3000, caps=REEFER)],
    )
    assert reason_for(s, "COLD").code is ReasonCode.TOO_HEAVY


def test_a_window_that_has_closed() -> None:
    r = reason_for(state([order("LATE", opens=-5, closes=-1)], [truck("T1")]), "LATE")
    assert r.code is ReasonCode.WINDOW_CLOSED


def test_a_window_too_soon_for_the_distance() -> None:
    r = reason_for(state([order("MSA", "Mombasa", opens=0, closes=2)], [truck("T1")]), "MSA")
    assert r.code is ReasonCode.WINDOW_UNREACHABLE
    assert "quickest needs" in r.message


def test_compatible_trucks_busy_until_too_late() -> None:
    s = state([order("O1", "Thika", closes=3)], [truck("T1", free_in=6)])
    r = reason_for(s, "O1")
    assert r.code is ReasonCode.NO_TRUCK_FREE
    assert "busy" in r.message


def test_a_round_trip_longer_than_every_shift() -> None:
    s = state([order("KSM", "Kisumu", closes=None)], [truck("T1", shift=4.0)])
    assert reason_for(s, "KSM").code is ReasonCode.BEYOND_SHIFT


def test_the_time_buffer_and_capacity_margin_count() -> None:
    s = state(
        [order("O1", "Nakuru", opens=0, closes=3.6, kg=4900)],
        [truck("T1", kg=5000)],
        loading_minutes=0,
    )
    assert screen(layout(s)) == {}
    tight = screen(layout(s, duration_factor=1.5, capacity_factor=0.95))
    assert tight["O1"].code is ReasonCode.TOO_HEAVY
    assert screen(layout(s, duration_factor=1.5))["O1"].code is ReasonCode.WINDOW_UNREACHABLE


def test_unassigned_orders_get_the_policy_or_solver_reason() -> None:
    s = state(
        [
            order("NEAR", "Ruiru"),
            order("FAR", "Kisumu", closes=None),
            order("HEAVY", kg=9000),
            order("MINE"),
        ],
        [truck("T1", shift=None)],
    )
    problem = RoutingProblem(s, required=frozenset({"NEAR", "HEAVY"}), prizes={"FAR": Decimal(100)})
    lay = Layout(problem, GreatCircleTravel(s.belief))
    plan = solve(problem, lay.travel, time_limit=None, max_iterations=200)
    policy = {"MINE": Reason("MINE", ReasonCode.HELD_BY_POLICY, "the rule says wait")}
    reasons = explain_unassigned(lay, plan, held=policy)
    assert set(reasons) == {"FAR", "HEAVY", "MINE"}
    assert reasons["MINE"].message == "the rule says wait"
    assert reasons["HEAVY"].code is ReasonCode.TOO_HEAVY
    far = reasons["FAR"]
    assert far.code is ReasonCode.HELD_BY_POLICY
    assert far.details["prize_kes"] == "100.00"
    assert Decimal(far.details["marginal_cost_kes"]) > 1000
    assert "extra stop on T1" in far.message


def test_a_required_order_with_no_room_left() -> None:
    s = state([order(f"O{i}", "Ruiru", kg=3000) for i in range(2)], [truck("T1", kg=5000)])
    problem = RoutingProblem(s)
    lay = Layout(problem, GreatCircleTravel(Belief()))
    plan = solve(problem, lay.travel, time_limit=None, max_iterations=100)
    (left,) = plan.unassigned
    assert explain_unassigned(lay, plan)[left].code is ReasonCode.NO_TRUCK_FREE


def test_marginal_cost_of_an_idle_truck_includes_its_fixed_cost() -> None:
    s = state([order("O1", "Thika")], [truck("T1", fixed="4500")])
    lay = layout(s)
    empty = solve(
        RoutingProblem(s, required=frozenset()), lay.travel, time_limit=None, max_iterations=10
    )
    cost, how = marginal_cost(lay, empty, s.orders[0])
    assert "trip of its own on T1" in how
    assert cost > Decimal(4500)
