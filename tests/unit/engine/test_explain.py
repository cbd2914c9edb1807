"""Every order left out of a plan gets a reason: a code and a sentence for the dispatcher."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from senga_desktop.engine.explain import Reason, ReasonCode, explain_unassigned, screen
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.policies.base import covering
from senga_desktop.engine.problem import Layout, RoutingProblem
from senga_desktop.engine.solver import solve
from senga_desktop.engine.state import PlanningState
from senga_desktop.engine.travel import GreatCircleTravel
from tests.unit.engine.builders import NOW, order, state, truck

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
    assert far.details["constraint"] == "cost"
    assert Decimal(far.details["insertion_cost_kes"]) > 1000
    assert "extra stop on T1" in far.message


# --- orders the screen lets through: tried on every route and every idle truck ---


def left_out(
    s: PlanningState, missing: set[str], **problem: object
) -> tuple[Layout, Plan, dict[str, Reason]]:
    """A plan solved without ``missing``, explained on the whole state (as the CFA does)."""
    sub = replace(s, orders=tuple(o for o in s.orders if o.order_id not in missing))
    travel = GreatCircleTravel(s.belief)
    knobs = {k: v for k, v in problem.items() if k != "prizes"}
    solved = solve(RoutingProblem(sub, **knobs), travel, time_limit=None, max_iterations=100)  # type: ignore[arg-type]
    plan = covering(solved, s)
    lay = Layout(RoutingProblem(s, **problem), travel)  # type: ignore[arg-type]
    return lay, plan, explain_unassigned(lay, plan)


def test_a_required_order_that_fits_says_so() -> None:
    s = state([order("A", "Thika"), order("B", "Ruiru")], [truck("T1")])
    _, plan, reasons = left_out(s, {"B"})
    assert plan.order_ids == ("A",)
    r = reasons["B"]
    assert r.code is ReasonCode.FITS_ON_ROUTE
    assert r.details["truck"] == "T1"
    assert r.details["trip"] == "route"
    assert r.details["constraint"] == "fits"
    assert r.details["required"] == "true"
    assert 0 < Decimal(r.details["insertion_cost_kes"]) < 1000  # Ruiru is on the way
    assert "plan again or add it by hand" in r.message


def test_better_load_only_when_the_cheapest_insertion_costs_more_than_the_prize() -> None:
    s = state([order("A", "Thika"), order("B", "Ruiru")], [truck("T1")])
    cheap = left_out(s, {"B"}, required=frozenset({"A"}), prizes={"B": Decimal(1)})[2]["B"]
    assert cheap.code is ReasonCode.HELD_BY_POLICY
    assert cheap.message.startswith("Held for a better load: carrying it now is worth KES 1.00;")
    assert Decimal(cheap.details["insertion_cost_kes"]) > Decimal(cheap.details["prize_kes"])
    assert "extra stop on T1" in cheap.message
    dear = left_out(s, {"B"}, required=frozenset({"A"}), prizes={"B": Decimal(50_000)})[2]["B"]
    assert dear.code is ReasonCode.FITS_ON_ROUTE
    assert "(worth KES 50,000.00)" in dear.message
    assert dear.details["insertion_cost_kes"] == cheap.details["insertion_cost_kes"]


def test_an_idle_truck_trip_includes_its_fixed_cost() -> None:
    s = state(
        [order("A", "Thika", kg=4000), order("B", "Ruiru", kg=2000)],
        [truck("T1", fixed="4500"), truck("T2", fixed="100")],
    )
    _, plan, reasons = left_out(s, {"B"})
    (route,) = plan.routes
    idle = "T1" if route.vehicle_id == "T2" else "T2"
    r = reasons["B"]
    assert r.code is ReasonCode.FITS_ON_ROUTE
    assert (r.details["trip"], r.details["truck"]) == ("own", idle)
    assert f"a trip of its own on {idle}" in r.message
    fixed = s.truck(idle).fixed_cost
    assert Decimal(r.details["insertion_cost_kes"]) > fixed


def test_a_full_truck_is_named_with_its_load() -> None:
    s = state([order("A", "Thika", kg=4000), order("B", "Ruiru", kg=2000)], [truck("T1")])
    r = left_out(s, {"B"})[2]["B"]
    assert r.code is ReasonCode.TRUCK_FULL
    assert r.details["constraint"] == "weight"
    assert (r.details["load_kg"], r.details["order_kg"], r.details["capacity_kg"]) == (
        "4000",
        "2000",
        "5000",
    )
    assert r.message.startswith("T1 has no room for it: 4 of 5 t are taken")
    margin = left_out(s, {"B"}, capacity_factor=0.9)[2]["B"]
    assert margin.details["capacity_kg"] == "4500"
    assert "after the safety margin" in margin.message


def test_a_truck_without_room_by_volume() -> None:
    s = state(
        [order("A", "Thika", kg=100, dm3=20_000), order("B", "Ruiru", kg=100, dm3=6000)],
        [truck("T1", dm3=25_000)],
    )
    r = left_out(s, {"B"})[2]["B"]
    assert r.code is ReasonCode.TRUCK_FULL
    assert r.details["constraint"] == "volume"
    assert "20 of 25 m³ are taken and this order needs 6 m³" in r.message


def test_its_own_window_missed_after_the_route_stops() -> None:
    s = state([order("A", "Thika", closes=2), order("C", "Machakos", closes=2.2)], [truck("T1")])
    r = left_out(s, {"C"})[2]["C"]
    assert r.code is ReasonCode.WINDOW_MISSED
    assert (r.details["stop_order"], r.details["position"]) == ("C", "1")
    assert r.details["window_end"] == (NOW + timedelta(hours=2.2)).isoformat()
    assert r.details["arrival"] > r.details["window_end"]
    assert "would reach Machakos no earlier than Mon 08:08 UTC" in r.message
    assert "after its window closes at Mon 07:12 UTC" in r.message
    assert "No other truck can carry it." in r.message


def test_a_later_stop_pushed_past_its_window() -> None:
    s = state([order("A", "Thika", closes=1.5), order("C", "Ruiru", closes=1.2)], [truck("T1")])
    r = left_out(s, {"C"})[2]["C"]
    assert r.code is ReasonCode.WINDOW_MISSED
    assert (r.details["stop_order"], r.details["position"]) == ("A", "0")
    assert "it would delay T1's stop in Thika (A)" in r.message


def test_a_shift_or_a_return_time_overrun() -> None:
    orders = [order("A", "Nyeri", closes=None), order("C", "Machakos", closes=None)]
    r = left_out(state(orders, [truck("T1", shift=6)]), {"C"})[2]["C"]
    assert r.code is ReasonCode.SHIFT_EXCEEDED
    assert r.details["constraint"] == "shift"
    assert int(r.details["duration_s"]) > int(r.details["shift_s"]) == 6 * 3600
    assert "over its 6 h 00 min shift" in r.message
    back = replace(truck("T1", shift=None), return_by=NOW + timedelta(hours=6))
    r = left_out(state(orders, [back]), {"C"})[2]["C"]
    assert r.code is ReasonCode.SHIFT_EXCEEDED
    assert r.details["constraint"] == "return"
    assert r.details["return_at"] > r.details["return_by"] == back.return_by.isoformat()  # type: ignore[union-attr]


def test_the_summary_counts_why_each_compatible_truck_fails() -> None:
    s = state(
        # Only T1 can take A: T2 is too small and T3 free too late.
        [
            order("A", "Thika", kg=4000, handling=REEFER),
            order("C", "Ruiru", kg=2000, handling=REEFER),
        ],
        [
            truck("T1", caps=REEFER),
            truck("T2", kg=1000, caps=REEFER),
            truck("T3", free_in=30, caps=REEFER),
            truck("PLAIN"),  # cannot carry chilled goods: not counted
        ],
    )
    _, plan, reasons = left_out(s, {"C"})
    assert [r.vehicle_id for r in plan.routes] == ["T1"]
    r = reasons["C"]
    assert r.code is ReasonCode.TRUCK_FULL, r.message
    assert r.details["weight_trucks"] == "2"
    assert r.details["window_trucks"] == "1"
    assert "Of the 3 compatible trucks, 2 are full and 1 would miss a window." in r.message
