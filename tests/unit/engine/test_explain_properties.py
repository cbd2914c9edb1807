"""Every reason given for a left-out order re-checks against the plan (property tests).

The re-check does not use the explainer's code: each insertion is built as a PyVRP route on the
solver's own model of the problem (:func:`~senga_desktop.engine.solver.build_model`), which says
whether it is feasible and what it costs, and the figures a sentence quotes (an arrival, a load)
are recomputed here by a plain forward pass over the layout's matrices.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

import pyvrp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from senga_desktop.engine.explain import Reason, ReasonCode, explain_unassigned, screen
from senga_desktop.engine.insertion import Inserter
from senga_desktop.engine.plan import Plan, PlannedRoute
from senga_desktop.engine.policies import CFAPolicy, DLAPolicy, PFAPolicy
from senga_desktop.engine.policies.base import covering
from senga_desktop.engine.problem import UNBOUNDED, Layout, RoutingProblem
from senga_desktop.engine.solver import Model, build_model, solve
from senga_desktop.engine.state import OrderState, PlanningState, TruckState
from senga_desktop.engine.travel import GreatCircleTravel
from tests.unit.engine.builders import order, state, truck

CENTS = Decimal("0.01")
TOWNS = ["Thika", "Ruiru", "Machakos", "Kitengela", "Limuru", "Naivasha", "Nyeri", "Embu"]
FAR = ["Nakuru", "Mombasa", "Kisumu"]
HANDLING = ["refrigerated", "fragile"]
INSERTION_CODES = {
    ReasonCode.FITS_ON_ROUTE,
    ReasonCode.TRUCK_FULL,
    ReasonCode.WINDOW_MISSED,
    ReasonCode.SHIFT_EXCEEDED,
}


@st.composite
def days(draw: st.DrawFn) -> PlanningState:
    """A small, crowded depot day: few trucks, tight windows, loads that do not all fit."""
    trucks = [
        truck(
            f"T{k}",
            draw(st.sampled_from(["light", "medium", "heavy"])),
            at=draw(st.sampled_from([None, None, None, "Thika", "Nakuru"])),
            kg=draw(st.integers(1000, 6000)),
            dm3=draw(st.integers(3000, 20000)),
            caps=draw(st.frozensets(st.sampled_from(HANDLING))),
            free_in=draw(st.sampled_from([0.0, 0.0, 1.0, 3.0])),
            shift=draw(st.sampled_from([5.0, 8.0, 12.0, None])),
            days=draw(st.sampled_from([1, 1, 1, 2])),
            fixed=draw(st.sampled_from(["0", "1500", "4500"])),
        )
        for k in range(draw(st.integers(1, 3)))
    ]
    back = draw(st.sampled_from([None, 3.0, 6.0, 9.0]))
    if back is not None:
        trucks[0] = replace(trucks[0], return_by=trucks[0].free_from + timedelta(hours=back))
    orders = []
    for i in range(draw(st.integers(2, 10))):
        opens = draw(st.floats(0, 6))
        orders.append(
            order(
                f"O{i}",
                draw(st.sampled_from(TOWNS + TOWNS + FAR)),
                kg=draw(st.integers(100, 2500)),
                dm3=draw(st.integers(100, 7000)),
                opens=opens,
                closes=opens + draw(st.floats(0.5, 8)),
                handling=draw(st.frozensets(st.sampled_from(HANDLING), max_size=1)),
                revenue=str(draw(st.integers(500, 40_000))),
                age_hours=draw(st.sampled_from([0.0, 10.0, 30.0])),
                service=draw(st.sampled_from([None, 10.0, 30.0])),
            )
        )
    return state(orders, trucks, loading_minutes=draw(st.sampled_from([0.0, 30.0])))


@dataclass(frozen=True)
class Option:
    """One insertion as the solver's model sees it."""

    truck: TruckState
    trip: str  # "route" or "own"
    position: int
    feasible: bool
    cost: Decimal  # what it adds, exactly


def options(layout: Layout, model: Model, plan: Plan, target: OrderState) -> list[Option]:
    """Every insertion of ``target`` into ``plan``: each position of each route, and a trip of
    its own on each idle truck; trucks that cannot carry it are included (and infeasible)."""
    assert model.data is not None
    clients = {order_id: n for n, order_id in enumerate(model.clients)}
    kinds = {t.vehicle_id: k for k, trucks in enumerate(model.vehicle_trucks) for t in trucks}
    lanes: list[tuple[TruckState, PlannedRoute | None]] = [
        (layout.state.truck(r.vehicle_id), r) for r in plan.routes
    ]
    used = {r.vehicle_id for r in plan.routes}
    lanes += [(t, None) for t in layout.state.trucks if t.vehicle_id not in used]
    found = []
    for t, route in lanes:
        stops = [] if route is None else list(route.order_ids)
        before = Decimal(0) if route is None else t.route_cost(route.distance_m, route.duration_s)
        for position in range(len(stops) + 1):
            visits = [*stops[:position], target.order_id, *stops[position:]]
            if t.vehicle_id not in kinds:  # the solver had no use for it (back before free)
                found.append(Option(t, "own", 0, False, Decimal(0)))
                continue
            r = pyvrp.Route(model.data, [clients[v] for v in visits], kinds[t.vehicle_id])
            cost = t.route_cost(r.distance(), r.duration()) - before
            trip = "own" if route is None else "route"
            feasible = r.is_feasible() and t.can_carry(target)
            found.append(Option(t, trip, position, feasible, cost))
    return found


def forward(
    layout: Layout, t: TruckState, stops: list[OrderState]
) -> tuple[list[datetime], datetime]:
    """Arrivals at each stop and the return, leaving as early as the truck is free (a plain
    pass: wait for a window to open, never leave later)."""
    now = layout.state.now
    dur = layout.truck_durations(t)
    clock = max(layout.truck_window(t)[0], *(layout.release_seconds(o) for o in stops))
    here = layout.start_index(t)
    arrivals = []
    for o in stops:
        point = layout.first_order + layout.state.orders.index(o)
        clock += int(dur[here, point])
        arrivals.append(now + timedelta(seconds=clock))
        clock = max(clock, layout.window(o)[0]) + layout.service_seconds(o)
        here = point
    return arrivals, now + timedelta(seconds=clock + int(dur[here, 0]))


def recheck(layout: Layout, plan: Plan, reasons: dict[str, Reason]) -> None:
    """Every insertion-based reason in ``reasons`` holds against ``plan`` on ``layout``."""
    assert set(reasons) == set(plan.unassigned)
    model = build_model(layout)
    for oid, reason in reasons.items():
        details = reason.details
        cost_based = reason.code is ReasonCode.HELD_BY_POLICY and "insertion_cost_kes" in details
        if reason.code not in INSERTION_CODES and not cost_based:
            continue
        target = layout.state.order(oid)
        found = options(layout, model, plan, target)
        feasible = [o for o in found if o.feasible]
        if reason.code in {ReasonCode.FITS_ON_ROUTE, ReasonCode.HELD_BY_POLICY}:
            stated = Decimal(details["insertion_cost_kes"])
            named = [
                o
                for o in feasible
                if (o.truck.vehicle_id, o.trip, str(o.position))
                == (details["truck"], details["trip"], details["position"])
            ]
            assert named, f"{oid}: the named insertion is not feasible: {reason.message}"
            assert named[0].cost.quantize(CENTS) == stated
            cheapest = min(o.cost for o in feasible).quantize(CENTS)
            assert stated == cheapest, f"{oid}: a cheaper insertion exists ({cheapest})"
            prize = layout.problem.prize(oid)
            if reason.code is ReasonCode.HELD_BY_POLICY:
                assert not layout.problem.is_required(oid)
                assert stated > prize.quantize(CENTS), reason.message
            elif not layout.problem.is_required(oid):
                assert stated <= prize.quantize(CENTS), reason.message
            continue
        assert not feasible, f"{oid}: {reason.message} but {feasible[0]} is feasible"
        recheck_miss(layout, model, plan, target, reason)


def recheck_miss(
    layout: Layout, model: Model, plan: Plan, target: OrderState, reason: Reason
) -> None:
    """The figures of a "cannot fit" sentence, recomputed."""
    details = reason.details
    t = layout.state.truck(details["truck"])
    assert t.can_carry(target)
    route = next((r for r in plan.routes if r.vehicle_id == t.vehicle_id), None)
    assert (route is None) == (details["trip"] == "own")
    stops = [] if route is None else [layout.state.order(o) for o in route.order_ids]
    constraint = details["constraint"]
    kg, dm3 = layout.capacity(t)
    if constraint in {"weight", "volume"}:
        assert reason.code is ReasonCode.TRUCK_FULL
        unit, cap = ("kg", kg) if constraint == "weight" else ("dm3", dm3)
        load = sum(o.weight_kg if unit == "kg" else o.volume_dm3 for o in stops)
        need = target.weight_kg if unit == "kg" else target.volume_dm3
        assert (int(details[f"load_{unit}"]), int(details[f"capacity_{unit}"])) == (load, cap)
        assert int(details[f"order_{unit}"]) == need
        assert load + need > cap
        return
    position = int(details["position"])
    sequence = [*stops[:position], target, *stops[position:]]
    arrivals, back = forward(layout, t, sequence)
    if constraint == "window":
        assert reason.code is ReasonCode.WINDOW_MISSED
        k = int(details["stop_position"])
        stop = sequence[k]
        assert stop.order_id == details["stop_order"]
        assert stop.window_end is not None
        assert arrivals[k].isoformat() == details["arrival"]
        assert arrivals[k] > stop.window_end
    elif constraint == "return":
        assert reason.code is ReasonCode.SHIFT_EXCEEDED
        assert t.return_by is not None
        assert back.isoformat() == details["return_at"]
        assert back > t.return_by
    else:
        assert constraint == "shift"
        assert reason.code is ReasonCode.SHIFT_EXCEEDED
        shift = layout.shift_seconds(t)
        assert shift != UNBOUNDED
        assert int(details["shift_s"]) == shift
        # The solver's own least duration of that route (its only breach is the shift).
        assert model.data is not None
        clients = {order_id: n for n, order_id in enumerate(model.clients)}
        kind = next(k for k, ts in enumerate(model.vehicle_trucks) if t in ts)
        r = pyvrp.Route(model.data, [clients[o.order_id] for o in sequence], kind)
        assert r.duration() == int(details["duration_s"]) > shift
        assert all(
            a <= o.window_end for a, o in zip(arrivals, sequence, strict=True) if o.window_end
        )


POLICIES = st.sampled_from(["cfa", "cfa-tight", "pfa", "dla"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days(), POLICIES, st.integers(0, 3))
def test_every_reason_a_policy_gives_rechecks(s: PlanningState, name: str, seed: int) -> None:
    travel = GreatCircleTravel(s.belief)
    cfa_params = {"time_buffer": 1.2, "capacity_margin": 0.1} if name == "cfa-tight" else {}
    cfa = CFAPolicy(cfa_params, travel=travel)
    if name == "pfa":
        decision = PFAPolicy(travel=travel).decide(s, seed=seed, time_limit=None, max_iterations=40)
        layout = Layout(RoutingProblem(s), travel)
    else:
        policy = DLAPolicy({"samples": 2}, travel=travel) if name == "dla" else cfa
        decision = policy.decide(s, seed=seed, time_limit=None, max_iterations=40)
        layout = Layout(cfa.routing_problem(s), travel)
    recheck(layout, decision.plan, dict(decision.held))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days(), st.data())
def test_every_reason_for_orders_a_plan_never_saw_rechecks(
    s: PlanningState, data: st.DataObject
) -> None:
    """Plans solved without some orders, as the CFA plans without those beyond its horizon:
    many of the left-out orders fit, some only at a loss."""
    ids = [o.order_id for o in s.orders]
    missing = set(data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)))
    required = frozenset(data.draw(st.lists(st.sampled_from(ids), unique=True)))
    prizes = {i: Decimal(data.draw(st.integers(0, 20_000))) for i in ids if i not in required}
    buffer = data.draw(st.sampled_from([1.0, 1.2]))
    margin = data.draw(st.sampled_from([1.0, 0.9]))
    travel = GreatCircleTravel(s.belief)
    sub = replace(s, orders=tuple(o for o in s.orders if o.order_id not in missing))
    seen = RoutingProblem(sub, duration_factor=buffer, capacity_factor=margin)
    plan = covering(solve(seen, travel, time_limit=None, max_iterations=40), s)
    whole = RoutingProblem(
        s, required=required, prizes=prizes, duration_factor=buffer, capacity_factor=margin
    )
    layout = Layout(whole, travel)
    recheck(layout, plan, explain_unassigned(layout, plan))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days(), st.data())
def test_the_all_positions_check_agrees_with_the_solver_at_every_position(
    s: PlanningState, data: st.DataObject
) -> None:
    """The vectorised check of every position is exact, not just a filter: feasibility, the
    least duration and the added cost agree with PyVRP's own evaluation of each route."""
    ids = [o.order_id for o in s.orders]
    missing = set(data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)))
    travel = GreatCircleTravel(s.belief)
    problem = RoutingProblem(s, duration_factor=data.draw(st.sampled_from([1.0, 1.2])))
    sub = replace(
        problem, state=replace(s, orders=tuple(o for o in s.orders if o.order_id not in missing))
    )
    plan = covering(solve(sub, travel, time_limit=None, max_iterations=40), s)
    layout = Layout(problem, travel)
    model = build_model(layout)
    if model.data is None:  # every order screened out: nothing to insert
        assert set(screen(layout)) == set(ids)
        return
    inserter = Inserter(layout, plan)
    clients = {order_id: n for n, order_id in enumerate(model.clients)}
    kinds = {t.vehicle_id: k for k, trucks in enumerate(model.vehicle_trucks) for t in trucks}
    screened = screen(layout)
    for oid in sorted(missing - set(screened)):
        target = layout.state.order(oid)
        ev = inserter.evaluate(target)
        for n, (t, route, k) in enumerate(inserter.slots()):
            if not t.can_carry(target) or t.vehicle_id not in kinds:
                assert not ev.feasible[n]
                continue
            stops = [] if route is None else list(route.order_ids)
            visits = [clients[v] for v in [*stops[:k], oid, *stops[k:]]]
            r = pyvrp.Route(model.data, visits, kinds[t.vehicle_id])
            assert bool(ev.feasible[n]) == r.is_feasible(), (oid, t.vehicle_id, k)
            if r.is_feasible():
                assert int(ev.duration[n]) == r.duration()
                before = (
                    Decimal(0)
                    if route is None
                    else t.route_cost(route.distance_m, route.duration_s)
                )
                exact = t.route_cost(r.distance(), r.duration()) - before
                assert abs(float(exact) - float(ev.cost[n])) < 1e-6
