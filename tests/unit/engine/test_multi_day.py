"""Multi-day trips: long-haul trucks reach the coast and the lake, resting overnight on the way."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest

from senga_desktop.engine.explain import ReasonCode, screen
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.problem import DAY, UNBOUNDED, Layout, RoutingProblem, working_day
from senga_desktop.engine.solver import solve
from senga_desktop.engine.state import OrderState, PlanningState, TruckState
from senga_desktop.engine.travel import GreatCircleTravel
from tests.unit.engine.builders import NOW, Checker, order, state, truck

HOUR = 3600


def semi(
    vehicle_id: str = "SEMI",
    *,
    days: int,
    shift: float = 12.0,
    return_by: datetime | None = None,
) -> TruckState:
    kind = truck(vehicle_id, "semi", kg=28_000, dm3=76_000, shift=shift, days=days)
    return replace(kind, return_by=return_by)


def layout(s: PlanningState) -> Layout:
    return Layout(RoutingProblem(s), GreatCircleTravel(s.belief))


def plan_for(s: PlanningState) -> Plan:
    return solve(
        RoutingProblem(s), GreatCircleTravel(s.belief), seed=3, time_limit=None, max_iterations=200
    )


def mombasa(*, opens: float | None = 0.0, closes: float | None = 24.0) -> OrderState:
    return order("MSA", "Mombasa", kg=18_000, dm3=50_000, opens=opens, closes=closes)


def test_a_one_day_semi_cannot_take_mombasa_and_is_told_about_trip_length() -> None:
    reason = screen(layout(state([mombasa(closes=None)], [semi(days=1)])))["MSA"]
    assert reason.code is ReasonCode.BEYOND_SHIFT
    assert "trip length" in reason.message
    assert "multi-day trips" in reason.message
    assert float(reason.details["round_trip_hours"]) > 24


def test_a_two_day_semi_is_still_too_short_for_mombasa() -> None:
    # About 25 h of driving at 45 km/h plus two nights' rest: more than 48 h.
    reason = screen(layout(state([mombasa(closes=None)], [semi(days=2)])))["MSA"]
    assert reason.code is ReasonCode.BEYOND_SHIFT
    assert float(reason.details["round_trip_hours"]) > 48


def test_a_three_day_semi_takes_mombasa_with_a_night_out_each_way() -> None:
    s = state([mombasa(closes=None)], [semi(days=3)])
    lay = layout(s)
    assert screen(lay) == {}
    plan = plan_for(s)
    assert plan.unassigned == ()
    (route,) = plan.routes
    assert route.vehicle_id == "SEMI"
    plain = lay.durations("semi")
    out, back = int(plain[0, lay.first_order]), int(plain[lay.first_order, 0])
    # One rest each way.
    assert 12 * HOUR < out < 24 * HOUR
    assert 12 * HOUR < back < 24 * HOUR
    rest = DAY - 12 * HOUR
    service = lay.service_seconds(s.orders[0])
    assert route.duration_s == out + rest + service + back + rest
    assert route.duration_s <= 3 * DAY
    # The dispatcher sees the rest: the truck arrives a night after it leaves.
    (stop,) = route.stops
    assert stop.arrival - route.start == timedelta(seconds=out + rest)
    # The rest is paid for: the driver's hours cover the whole trip.
    cost = s.trucks[0].route_cost(route.distance_m, route.duration_s)
    assert route.cost_kes == cost.quantize(Decimal("0.01"))
    assert Checker(s).check(plan) == []


def test_the_plan_keeps_a_window_on_the_second_day() -> None:
    # Delivery between 08:00 and 12:00 Nairobi time the day after tomorrow (NOW is 08:00 EAT).
    s = state([mombasa(opens=48.0, closes=52.0)], [semi(days=3)])
    plan = plan_for(s)
    (route,) = plan.routes
    (stop,) = route.stops
    assert NOW + timedelta(hours=48) <= stop.eta <= NOW + timedelta(hours=52)
    assert route.duration_s <= 3 * DAY
    assert Checker(s).check(plan) == []


def test_trucks_of_one_type_with_different_trip_lengths_route_apart() -> None:
    # Same type, same capabilities: only the overnight rests tell their routing profiles apart.
    s = state(
        [mombasa(closes=None), order("THK", "Thika", closes=10.0)],
        [semi("LONG", days=3), semi("DAY", days=1)],
    )
    plan = plan_for(s)
    assert plan.unassigned == ()
    routes = {r.vehicle_id: r.order_ids for r in plan.routes}
    assert "MSA" in routes["LONG"]
    assert Checker(s).check(plan) == []


def test_rests_come_between_working_days_only() -> None:
    s = state([mombasa(closes=None)], [semi(days=3)])
    lay = layout(s)
    plain = lay.durations("semi")
    leg = int(plain[0, lay.first_order])
    # A leg of exactly one working day needs no rest; a second more needs one.
    assert lay.durations("semi", leg)[0, lay.first_order] == leg
    assert lay.durations("semi", leg - 1)[0, lay.first_order] == leg + DAY - (leg - 1)
    # Exactly two working days: one rest, not two.
    if leg % 2 == 0:
        assert lay.durations("semi", leg // 2)[0, lay.first_order] == leg + DAY - leg // 2
    assert np.array_equal(np.diag(lay.durations("semi", HOUR)), np.zeros(len(lay.points)))


def test_one_day_trucks_behave_as_before() -> None:
    day_truck = truck("DAY", "semi", shift=12.0)
    s = state([mombasa(closes=None)], [day_truck])
    lay = layout(s)
    assert working_day(day_truck) is None
    assert lay.truck_durations(day_truck) is lay.durations("semi")
    assert lay.shift_seconds(day_truck) == 12 * HOUR
    # A 24-hour working day leaves no time to rest: the trip length is the only change.
    round_the_clock = semi(days=3, shift=24.0)
    assert working_day(round_the_clock) is None
    assert lay.shift_seconds(round_the_clock) == 3 * DAY


def test_the_return_time_wins_when_it_is_tighter_than_the_trip() -> None:
    back_tomorrow = semi(days=3, return_by=NOW + timedelta(hours=30))
    s = state([mombasa(closes=None)], [back_tomorrow])
    lay = layout(s)
    assert lay.shift_seconds(back_tomorrow) == UNBOUNDED  # the window caps the route instead
    assert screen(lay)["MSA"].code is ReasonCode.BEYOND_SHIFT


@pytest.mark.parametrize("days", [1, 3])
def test_the_trip_cap_is_days_times_24_hours(days: int) -> None:
    lay = layout(state([], [semi(days=days)]))
    assert lay.shift_seconds(lay.state.trucks[0]) == (12 * HOUR if days == 1 else days * DAY)
