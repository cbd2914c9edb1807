"""Locked routes come back exactly; pinned orders stay on their truck or say why they could not."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import TypedDict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from senga_desktop.engine.explain import explain_unassigned
from senga_desktop.engine.locks import PlanLocks, check_locks, decide_locked, restrict_plan
from senga_desktop.engine.policies import CFAPolicy, DLAPolicy, PFAPolicy, Policy, make_policy
from senga_desktop.engine.problem import Layout, RoutingProblem
from senga_desktop.engine.solver import build_model, solve
from senga_desktop.engine.state import PlanningState
from senga_desktop.engine.travel import GreatCircleTravel
from senga_desktop.errors import ValidationError
from tests.unit.engine.builders import Checker, order, state, truck

TOWNS = ["Thika", "Ruiru", "Kiambu", "Machakos", "Limuru", "Athi River", "Kitengela", "Kajiado"]
REEFER = frozenset({"refrigerated"})


class Fast(TypedDict):
    time_limit: float | None
    max_iterations: int


FAST: Fast = {"time_limit": None, "max_iterations": 80}


def day(orders: int = 14, trucks: int = 4) -> PlanningState:
    return state(
        [
            order(f"O{i}", TOWNS[i % len(TOWNS)], kg=300 + 45 * i, closes=12 + i % 3)
            for i in range(orders)
        ],
        [
            truck(f"T{k}", ("light", "medium", "heavy")[k % 3], kg=3000 + 2000 * k)
            for k in range(trucks)
        ],
    )


@st.composite
def locked_days(draw: st.DrawFn) -> tuple[PlanningState, str, int]:
    n_orders = draw(st.integers(3, 14))
    orders = [
        order(
            f"O{i}",
            draw(st.sampled_from(TOWNS)),
            kg=draw(st.integers(100, 2000)),
            closes=draw(st.sampled_from([8.0, 12.0, 20.0])),
            handling=draw(st.sampled_from([frozenset(), frozenset(), REEFER])),
        )
        for i in range(n_orders)
    ]
    trucks = [
        truck(
            f"T{k}",
            draw(st.sampled_from(["light", "medium", "heavy"])),
            kg=draw(st.integers(2000, 9000)),
            caps=draw(st.sampled_from([frozenset(), REEFER])),
        )
        for k in range(draw(st.integers(1, 5)))
    ]
    return state(orders, trucks), draw(st.sampled_from(["cfa", "pfa"])), draw(st.integers(0, 9))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(locked_days(), st.data())
def test_locked_routes_come_back_byte_identical(
    drawn: tuple[PlanningState, str, int], data: st.DataObject
) -> None:
    s, name, seed = drawn
    policy = make_policy(name, {"load_threshold": 0.0} if name == "pfa" else None)
    first = policy.decide(s, seed=seed, **FAST)
    locked = data.draw(
        st.lists(st.sampled_from(first.plan.routes), unique=True)
        if first.plan.routes
        else st.just([])
    )
    locks = PlanLocks(routes=tuple(locked))
    decision = decide_locked(policy, s, locks, seed=seed + 1, warm_start=first.plan, **FAST)
    plan = decision.plan
    assert plan.routes[: len(locked)] == tuple(locked)
    for mine, kept in zip(locked, plan.routes, strict=False):
        assert kept is mine  # the very objects: stops, ETAs, totals untouched
    others = plan.routes[len(locked) :]
    assert not {r.vehicle_id for r in others} & locks.vehicle_ids
    assert not {o for r in others for o in r.order_ids} & locks.order_ids
    routed = Counter(plan.order_ids)
    assert all(n == 1 for n in routed.values())
    assert set(routed) | set(plan.unassigned) == {o.order_id for o in s.orders}
    assert not set(routed) & set(plan.unassigned)
    assert set(decision.held) == set(plan.unassigned)
    assert plan.cost_kes == sum((r.cost_kes for r in plan.routes), Decimal(0))
    assert Checker(s, duration_factor=policy.parameters.get("time_buffer", 1.0),
                   capacity_factor=1 - policy.parameters.get("capacity_margin", 0.0)
                   ).check(plan) == []  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(locked_days(), st.data())
def test_pinned_orders_stay_on_their_truck(
    drawn: tuple[PlanningState, str, int], data: st.DataObject
) -> None:
    s, name, seed = drawn
    able = {o.order_id: [t.vehicle_id for t in s.trucks if t.can_carry(o)] for o in s.orders}
    chosen = data.draw(st.lists(st.sampled_from([o for o, t in able.items() if t] or ["-"]),
                                unique=True, max_size=4))  # fmt: skip
    pins = {oid: data.draw(st.sampled_from(able[oid])) for oid in chosen if oid != "-"}
    policy = make_policy(name, {"load_threshold": 0.9} if name == "pfa" else None)
    decision = decide_locked(policy, s, PlanLocks(pins=pins), seed=seed, **FAST)
    for oid, vid in pins.items():
        route = decision.plan.route_of(oid)
        if route is not None:
            assert route.vehicle_id == vid
        else:
            reason = decision.held[oid]
            assert vid in reason.message
            assert reason.details.get("pinned_to") == vid or reason.code.value in (
                "window_closed", "window_unreachable", "too_heavy", "too_bulky", "beyond_shift",
                "no_truck_free",
            )  # fmt: skip


def test_a_pinned_order_goes_on_its_truck_though_another_is_cheaper() -> None:
    s = state(
        [order("A", "Thika", kg=400), order("B", "Thika", kg=400)],
        [truck("CHEAP", fixed="100"), truck("DEAR", fixed="9000", per_km="90")],
    )
    travel = GreatCircleTravel(s.belief)
    plain = solve(RoutingProblem(s), travel, seed=0, time_limit=None, max_iterations=50)
    assert {r.vehicle_id for r in plain.routes} == {"CHEAP"}
    pinned = solve(
        RoutingProblem(s, pins={"A": "DEAR"}), travel, seed=0, time_limit=None, max_iterations=50
    )
    assert pinned.route_of("A") is not None
    assert pinned.route_of("A").vehicle_id == "DEAR"  # type: ignore[union-attr]
    # B is free to go anywhere: it joins A on the truck already paid for.
    assert pinned.route_of("B").vehicle_id == "DEAR"  # type: ignore[union-attr]


def test_pins_add_a_profile_per_pinned_truck_only() -> None:
    s = day(orders=8, trucks=6)
    travel = GreatCircleTravel(s.belief)

    def profiles(problem: RoutingProblem) -> int:
        data = build_model(Layout(problem, travel)).data
        assert data is not None
        return data.num_profiles

    base = profiles(RoutingProblem(s))
    assert profiles(RoutingProblem(s, pins={"O1": "T0", "O2": "T0", "O3": "T4"})) == base + 2


def test_a_pinned_order_that_cannot_go_says_it_is_pinned() -> None:
    s = state(
        [order("FAR", "Machakos", kg=4500), order("NEAR", "Thika", kg=300)],
        [truck("SMALL", "light", kg=3000), truck("BIG", "heavy", kg=9000)],
    )
    decision = decide_locked(CFAPolicy(), s, PlanLocks(pins={"FAR": "SMALL"}), **FAST)
    assert decision.plan.route_of("FAR") is None
    reason = decision.held["FAR"]
    assert reason.code.value == "truck_full"
    assert "pinned to SMALL" in reason.message
    assert reason.details["pinned_to"] == "SMALL"

    cold = state(
        [order("ICE", "Thika", handling=REEFER)], [truck("DRY"), truck("COLD", caps=REEFER)]
    )
    decision = decide_locked(PFAPolicy(), cold, PlanLocks(pins={"ICE": "DRY"}), **FAST)
    assert decision.held["ICE"].code.value == "no_compatible_truck"
    assert "pinned to DRY, which cannot carry refrigerated" in decision.held["ICE"].message


def test_explanations_try_a_pinned_order_on_its_truck_alone() -> None:
    s = state(
        [order("P", "Thika", kg=300)],
        [truck("BUSY", free_in=30.0), truck("IDLE")],
    )
    problem = RoutingProblem(s, pins={"P": "BUSY"})
    travel = GreatCircleTravel(s.belief)
    plan = solve(problem, travel, seed=0, time_limit=None, max_iterations=30)
    assert plan.route_of("P") is None  # BUSY is free after the window closes
    reason = explain_unassigned(Layout(problem, travel), plan)["P"]
    assert "pinned to BUSY" in reason.message
    assert "IDLE" not in reason.message


@pytest.mark.parametrize(
    "policy",
    [
        CFAPolicy(),
        PFAPolicy({"load_threshold": 1.0, "due_hours": 0}),
        DLAPolicy({"samples": 2, "agreement": 1.0}),
    ],
)
def test_no_policy_holds_a_pinned_order(policy: Policy) -> None:
    decision = decide_locked(policy, day(), PlanLocks(pins={"O5": "T3"}), **FAST)
    route = decision.plan.route_of("O5")
    assert route is not None
    assert route.vehicle_id == "T3"


def test_every_order_locked_needs_no_search() -> None:
    s = day(orders=5, trucks=2)
    first = CFAPolicy().decide(s, **FAST)
    covered = {o for r in first.plan.routes for o in r.order_ids}
    rest = state([o for o in s.orders if o.order_id in covered], list(s.trucks))
    decision = decide_locked(CFAPolicy(), rest, PlanLocks(routes=first.plan.routes), **FAST)
    assert decision.plan.routes == first.plan.routes
    assert decision.plan.iterations == 0
    assert decision.plan.cost_kes == first.plan.cost_kes


def test_a_warm_start_is_restricted_to_what_is_left() -> None:
    s = day()
    first = CFAPolicy().decide(s, **FAST)
    locked = first.plan.routes[0]
    rest = restrict_plan(first.plan, state(
        [o for o in s.orders if o.order_id not in locked.order_ids],
        [t for t in s.trucks if t.vehicle_id != locked.vehicle_id],
    ))  # fmt: skip
    assert locked.vehicle_id not in {r.vehicle_id for r in rest.routes}
    assert not set(locked.order_ids) & set(rest.order_ids)
    assert rest.routes == first.plan.routes[1:]


# --- validation, in words ---


def test_locks_that_do_not_fit_are_refused_in_words() -> None:
    s = state(
        [order(f"O{i}", TOWNS[i % len(TOWNS)], kg=900) for i in range(8)],
        [truck(f"T{k}", kg=2000) for k in range(5)],
    )
    plan = CFAPolicy().decide(s, **FAST).plan
    route = plan.routes[0]
    other = next(t.vehicle_id for t in s.trucks if t.vehicle_id != route.vehicle_id)
    stranger = route.__class__(**{**{f: getattr(route, f) for f in route.__slots__},
                                  "vehicle_id": "KXX 001X"})  # fmt: skip
    free = _free(s, route)
    cases = [
        (PlanLocks(routes=(stranger,)), "KXX 001X is not among the trucks of this run"),
        (PlanLocks(routes=(route, route)), "has two locked routes"),
        (PlanLocks(pins={"NOPE": route.vehicle_id}), "NOPE is pinned but is not among the orders"),
        (PlanLocks(pins={"O1": "KXX 001X"}), "pinned to KXX 001X, which is not among the trucks"),
        (PlanLocks(routes=(route,), pins={free: route.vehicle_id}), "whose route is locked"),
        (PlanLocks(routes=(route,), pins={route.order_ids[0]: other}), "is on the locked route of"),
    ]  # fmt: skip
    for locks, words in cases:
        with pytest.raises(ValidationError, match=words):
            check_locks(s, locks)
    gone = state([o for o in s.orders if o.order_id != route.order_ids[0]], list(s.trucks))
    with pytest.raises(ValidationError, match=f"carries {route.order_ids[0]}, which is not among"):
        check_locks(gone, PlanLocks(routes=(route,)))
    twin = stranger.__class__(**{**{f: getattr(route, f) for f in route.__slots__},
                                 "vehicle_id": other})  # fmt: skip
    with pytest.raises(ValidationError, match="an order goes on one route only"):
        check_locks(s, PlanLocks(routes=(route, twin)))


def _free(s: PlanningState, route: object) -> str:
    taken = set(getattr(route, "order_ids"))  # noqa: B009
    return next(o.order_id for o in s.orders if o.order_id not in taken)
