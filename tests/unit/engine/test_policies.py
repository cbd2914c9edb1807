"""PFA, CFA and DLA behind one interface: what each holds, what each dispatches, and why."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import TypedDict

import numpy as np
import pytest

from senga_desktop.domain import PolicyName, Priority
from senga_desktop.engine.explain import ReasonCode
from senga_desktop.engine.policies import (
    ArrivalModel,
    CFAPolicy,
    DLAPolicy,
    PFAPolicy,
    Policy,
    make_policy,
)
from senga_desktop.engine.policies.pfa import fill_trucks
from senga_desktop.engine.state import PlanningState
from senga_desktop.errors import ValidationError
from tests.unit.engine.builders import NOW, Checker, order, state, truck


class Fast(TypedDict):
    time_limit: float | None
    max_iterations: int


FAST: Fast = {"time_limit": None, "max_iterations": 150}


def fleet() -> list:  # type: ignore[type-arg]
    return [
        truck("L1", "light", kg=3000, dm3=15000),
        truck("M1", kg=5000),
        truck("H1", "heavy", kg=10000, dm3=40000),
    ]


# --- the common interface ---


@pytest.mark.parametrize("name", ["pfa", "cfa", "dla"])
def test_every_policy_decides_through_one_interface(name: str) -> None:
    policy: Policy = make_policy(name, {"samples": 2} if name == "dla" else None)
    s = state([order("O1", "Thika", closes=6), order("O2", "Ruiru", closes=6)], fleet())
    decision = policy.decide(s, seed=3, **FAST)
    assert decision.policy == PolicyName(name)
    assert decision.seed == 3
    assert dict(decision.parameters) == dict(policy.parameters)
    assert set(decision.dispatched) | set(decision.held) == {"O1", "O2"}
    assert Checker(s).check(decision.plan) == []


def test_parameters_are_checked() -> None:
    assert CFAPolicy().parameters["time_buffer"] == 1.1
    assert CFAPolicy({"time_buffer": 1.3}).theta("time_buffer") == 1.3
    with pytest.raises(ValidationError, match="no parameter"):
        CFAPolicy({"speed": 2.0})
    with pytest.raises(ValidationError, match="between"):
        PFAPolicy({"load_threshold": 1.5})
    with pytest.raises(ValidationError, match="unknown policy"):
        make_policy("vfa")


# --- PFA ---


def nakuru_orders(age_hours: float) -> list:  # type: ignore[type-arg]
    # 4 t of 10 t: below the 80 % rule; no window closes within 12 h.
    return [
        order(f"N{i}", "Nakuru", kg=2000, opens=14, closes=30, age_hours=age_hours)
        for i in range(2)
    ]


def test_pfa_holds_a_half_empty_town_until_its_oldest_order_has_waited() -> None:
    fresh = PFAPolicy().decide(state(nakuru_orders(age_hours=5), fleet()), **FAST)
    assert fresh.dispatched == ()
    reason = fresh.held["N0"]
    assert reason.code is ReasonCode.HELD_BY_POLICY
    assert "Nakuru" in reason.message
    assert "40%" in reason.message
    waited = PFAPolicy().decide(
        state(nakuru_orders(age_hours=25), fleet(), loading_minutes=0), **FAST
    )
    assert set(waited.dispatched) == {"N0", "N1"}


def test_pfa_dispatches_a_full_town_and_a_due_one() -> None:
    full = [
        order(f"F{i}", "Nakuru", kg=4500, opens=14, closes=30) for i in range(2)
    ]  # 90 % of 10 t
    assert set(PFAPolicy().decide(state(full, fleet()), **FAST).dispatched) == {"F0", "F1"}
    due = [order("D1", "Thika", kg=100, closes=6)]
    assert PFAPolicy().decide(state(due, fleet()), **FAST).dispatched == ("D1",)
    lenient = PFAPolicy({"load_threshold": 0.3})
    assert set(lenient.decide(state(nakuru_orders(0), fleet()), **FAST).dispatched) == {"N0", "N1"}


def test_pfa_fills_the_smallest_truck_that_takes_a_whole_town() -> None:
    orders = [
        order("T1", "Thika", kg=1000),
        order("T2", "Thika", kg=1500),
        order("K1", "Kiambu", kg=4000),
    ]
    loads = {
        t.vehicle_id: [o.order_id for o in load] for t, load in fill_trucks(tuple(fleet()), orders)
    }
    assert loads == {"L1": ["T2", "T1"], "M1": ["K1"]}


def test_pfa_splits_a_town_too_big_for_one_truck() -> None:
    orders = [order(f"B{i}", "Thika", kg=4000) for i in range(3)]
    loads = fill_trucks(tuple(fleet()), orders)
    assert sorted(len(load) for _, load in loads) == [1, 2]
    assert loads[0][0].vehicle_id == "H1"  # the largest first when none takes everything


# --- CFA ---


def test_cfa_requires_orders_due_soon_even_when_they_do_not_pay() -> None:
    s = state(
        [
            order("DUE", "Machakos", revenue="1", closes=8),
            order("LATER", "Machakos", revenue="1", opens=14, closes=20),
        ],
        fleet(),
    )
    cfa = CFAPolicy()
    assert cfa.is_required(s.now, s.orders[0])
    assert not cfa.is_required(s.now, s.orders[1])
    decision = cfa.decide(s, **FAST)
    assert "DUE" in decision.dispatched
    assert decision.held["LATER"].code is ReasonCode.HELD_BY_POLICY
    assert "KES 1" in decision.held["LATER"].message


def test_cfa_requires_urgent_and_overdue_orders() -> None:
    cfa = CFAPolicy()
    urgent = order("U", priority=Priority.URGENT, opens=20, closes=40)
    overdue = order("W", opens=20, closes=40, age_hours=30, max_wait=24)
    assert cfa.is_required(NOW, urgent)
    assert cfa.is_required(NOW, overdue)
    assert not cfa.is_required(NOW, order("X", opens=20, closes=40, age_hours=2, max_wait=24))


def test_cfa_holds_orders_beyond_its_horizon() -> None:
    s = state([order("NEXT", "Thika", opens=30, closes=34)], fleet())
    decision = CFAPolicy().decide(s, **FAST)
    assert decision.dispatched == ()
    assert "planning horizon" in decision.held["NEXT"].message


def test_cfa_prize_grows_with_urgency_age_priority_and_revenue() -> None:
    cfa = CFAPolicy()
    base = order("A", opens=20, closes=40)
    assert cfa.prize(NOW, order("B", opens=15, closes=20)) > cfa.prize(NOW, base)
    assert cfa.prize(NOW, order("C", opens=20, closes=40, age_hours=20)) > cfa.prize(NOW, base)
    assert cfa.prize(NOW, order("D", opens=20, closes=40, priority=Priority.HIGH)) > cfa.prize(
        NOW, base
    )
    assert cfa.prize(NOW, order("E", opens=20, closes=40, revenue="20000")) > cfa.prize(NOW, base)
    assert CFAPolicy({"revenue_weight": 0}).prize(NOW, base) == 0


def test_cfa_time_buffer_and_capacity_margin_shape_the_plan() -> None:
    orders = [order(f"O{i}", "Nakuru", kg=2400, closes=10) for i in range(2)]
    one_truck = [truck("M1", kg=5000)]
    tight = CFAPolicy({"capacity_margin": 0.1}).decide(state(orders, one_truck), **FAST)
    assert len(tight.dispatched) == 1  # 4,800 kg does not fit in 90 % of 5 t
    loose = CFAPolicy({"capacity_margin": 0.0}).decide(state(orders, one_truck), **FAST)
    assert len(loose.dispatched) == 2
    slow = CFAPolicy({"time_buffer": 1.5}).decide(state(orders[:1], one_truck), **FAST)
    quick = CFAPolicy({"time_buffer": 1.0}).decide(state(orders[:1], one_truck), **FAST)
    assert slow.plan.routes[0].duration_s > quick.plan.routes[0].duration_s


# --- DLA ---


def dla_state() -> PlanningState:
    orders = [
        order(f"O{i}", town, kg=800, opens=10, closes=22, age_hours=i)
        for i, town in enumerate(["Thika", "Thika", "Nakuru", "Machakos", "Ruiru"])
    ]
    return state(orders, fleet())


def test_dla_confidence_is_a_probability_and_deterministic_per_seed() -> None:
    arrivals = ArrivalModel({"Thika": 0.5, "Nakuru": 0.3}, dla_state().orders)
    policy = DLAPolicy({"samples": 3}, arrivals=arrivals)
    first = policy.decide(dla_state(), seed=5, **FAST)
    second = policy.decide(dla_state(), seed=5, **FAST)
    assert first.confidence is not None
    assert 0.0 <= first.confidence <= 1.0
    assert first.dispatched == second.dispatched
    assert first.confidence == second.confidence
    assert {k: r.message for k, r in first.held.items()} == {
        k: r.message for k, r in second.held.items()
    }


def test_dla_without_expected_arrivals_agrees_with_itself_completely() -> None:
    decision = DLAPolicy({"samples": 2}, arrivals=ArrivalModel({})).decide(dla_state(), **FAST)
    assert decision.confidence == 1.0
    cfa = CFAPolicy().decide(dla_state(), **FAST)
    assert set(decision.dispatched) == set(cfa.dispatched)


def test_dla_holds_what_futures_consolidate_where_the_cfa_would_send_it() -> None:
    # A small Nakuru order that pays for its own trip, with big Nakuru orders expected within hours.
    lone = order("LONE", "Nakuru", kg=200, revenue="300000", opens=8, closes=30)
    expected = order("X", "Nakuru", kg=1500, revenue="30000", opens=2, closes=20)
    arrivals = ArrivalModel({"Nakuru": 3.0}, [expected])
    s = state([lone], fleet())
    assert CFAPolicy().decide(s, **FAST).dispatched == ("LONE",)
    dla = DLAPolicy({"samples": 3, "lookahead_hours": 6}, arrivals=arrivals).decide(s, **FAST)
    assert dla.dispatched == ()
    assert dla.held["LONE"].code is ReasonCode.HELD_BY_POLICY
    assert "0 of 3 sampled futures" in dla.held["LONE"].message
    assert dla.confidence == 1.0  # every future agreed


def test_dla_samples_from_the_beliefs_arrival_rates_unless_given_a_model() -> None:
    lone = order("LONE", "Nakuru", kg=200, revenue="300000", opens=8, closes=30, age_hours=1)
    base = state([lone], fleet())
    expecting = replace(base, belief=replace(base.belief, arrival_rates={"Nakuru": 3.0}))
    dla = DLAPolicy({"samples": 3, "lookahead_hours": 6})
    model = dla.arrivals_for(expecting)
    assert model.rates == {"Nakuru": 3.0}
    assert [o.order_id for o in model.examples] == ["LONE"]
    # Without rates in the belief, the pending orders are the history: one order an hour old,
    # spread over the shortest history counted, a day.
    assert dla.arrivals_for(base).rates == {"Nakuru": pytest.approx(1 / 24)}
    configured = ArrivalModel({"Thika": 0.1})
    assert DLAPolicy(arrivals=configured).arrivals_for(expecting) is configured
    # Nakuru orders expected every 20 minutes: the lone order waits to share a truck with them.
    decision = dla.decide(expecting, **FAST)
    assert decision.dispatched == ()
    assert decision.held["LONE"].code is ReasonCode.HELD_BY_POLICY
    quiet = replace(base, belief=replace(base.belief, arrival_rates={"Nakuru": 0.0}))
    assert dla.decide(quiet, **FAST).dispatched == ("LONE",)


def test_arrival_rates_are_estimated_from_history_and_sampling_is_seeded() -> None:
    history = [order(f"H{i}", "Thika" if i % 3 else "Nakuru", age_hours=i) for i in range(31)]
    model = ArrivalModel.from_history(history)
    assert model.rates["Thika"] == pytest.approx(20 / 30)
    assert model.rates["Nakuru"] == pytest.approx(11 / 30)
    one = model.sample(NOW, 12, np.random.default_rng(1), "f")
    two = model.sample(NOW, 12, np.random.default_rng(1), "f")
    assert one == two
    for sampled, arrival in one:
        assert NOW <= arrival <= NOW + timedelta(hours=12)
        assert sampled.created_at == arrival
        assert sampled.window_start is not None
        assert sampled.window_end is not None
        assert sampled.window_end - sampled.window_start == timedelta(hours=24)
        assert sampled.window_start >= arrival


def test_decisions_record_money_as_decimal() -> None:
    decision = CFAPolicy().decide(state([order("O1", closes=6)], fleet()), **FAST)
    assert isinstance(decision.plan.cost_kes, Decimal)
    assert decision.plan.cost_kes == sum(r.cost_kes for r in decision.plan.routes)
