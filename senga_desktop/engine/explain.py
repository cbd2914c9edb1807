"""Why an order was left out of a plan: a code for the software and a sentence for the dispatcher.

:func:`screen` finds the orders no truck can carry at all in this planning run — too heavy or
bulky for every compatible truck, a window that has closed or cannot be reached, a round trip
longer than any shift or trip length — using exactly the matrices the solver uses, so the
solver skips them.
:func:`explain_unassigned` then gives every order missing from a plan its reason: the screen's,
the policy's own (PFA and DLA say why they held an order), or, for an optional order the
optimiser declined, its prize against an estimate of what carrying it would cost.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from senga_desktop.engine.plan import Plan
from senga_desktop.engine.problem import UNBOUNDED, Layout
from senga_desktop.engine.state import Depot, OrderState, TruckState

__all__ = ["Reason", "ReasonCode", "explain_unassigned", "screen"]

CENTS = Decimal("0.01")


class ReasonCode(StrEnum):
    """Why an order is not in the plan."""

    NO_COMPATIBLE_TRUCK = "no_compatible_truck"  # no truck has the handling it needs
    TOO_HEAVY = "too_heavy"  # heavier than every compatible truck can carry
    TOO_BULKY = "too_bulky"  # more volume than every compatible truck holds
    WINDOW_CLOSED = "window_closed"  # its delivery window ended before now
    WINDOW_UNREACHABLE = "window_unreachable"  # no compatible truck can arrive in time
    BEYOND_SHIFT = "beyond_shift"  # longer than any compatible truck's shift or trip length
    NO_TRUCK_FREE = "no_truck_free"  # compatible trucks are busy, or full in this plan
    HELD_BY_POLICY = "held_by_policy"  # the policy chose to wait for a better load


@dataclass(frozen=True)
class Reason:
    """Why one order was left out; ``details`` carries the figures behind the sentence."""

    order_id: str
    code: ReasonCode
    message: str
    details: Mapping[str, str] = field(default_factory=dict)


def _clock(depot: Depot, now: datetime, seconds: int) -> str:
    return depot.local(now + timedelta(seconds=seconds))


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h"


def screen(layout: Layout) -> dict[str, Reason]:
    """The orders of ``layout``'s state that no truck can carry in this run, with the reason."""
    reasons: dict[str, Reason] = {}
    for index, order in enumerate(layout.state.orders):
        reason = _screen_order(layout, index, order)
        if reason is not None:
            reasons[order.order_id] = reason
    return reasons


def _screen_order(layout: Layout, index: int, order: OrderState) -> Reason | None:
    oid = order.order_id
    trucks = [t for t in layout.state.trucks if t.can_carry(order)]
    if not trucks:
        needs = ", ".join(sorted(order.special_handling))
        return Reason(oid, ReasonCode.NO_COMPATIBLE_TRUCK, f"No truck can carry {needs} freight.")
    fitting = [t for t in trucks if _fits(layout, t, order)]
    if not fitting:
        max_kg = max(layout.capacity(t)[0] for t in trucks)
        if order.weight_kg > max_kg:
            return Reason(
                oid,
                ReasonCode.TOO_HEAVY,
                f"It weighs {order.weight_kg} kg; the largest compatible truck takes {max_kg} kg.",
                {"weight_kg": str(order.weight_kg), "max_kg": str(max_kg)},
            )
        max_dm3 = max(layout.capacity(t)[1] for t in trucks)
        return Reason(
            oid,
            ReasonCode.TOO_BULKY,
            f"It needs {order.volume_dm3} dm³; the largest compatible truck holds {max_dm3} dm³.",
            {"volume_dm3": str(order.volume_dm3), "max_dm3": str(max_dm3)},
        )
    early, late = layout.window(order)
    if late < 0:
        return Reason(oid, ReasonCode.WINDOW_CLOSED, "Its delivery window has already closed.")
    point = layout.first_order + index
    service = layout.service_seconds(order)
    release = layout.release_seconds(order)
    verdicts = [
        _reach(layout, t, point, window=(early, late), service=service, release=release)
        for t in fitting
    ]
    if any(v == "ok" for v in verdicts):
        return None
    now = layout.state.now
    if any(v == "busy" for v in verdicts):
        free = min(layout.truck_window(t)[0] for t in fitting)
        return Reason(
            oid,
            ReasonCode.NO_TRUCK_FREE,
            "Every compatible truck that could reach it in time is busy until too late "
            f"(the first is free {_clock(layout.state.depot, now, free)}).",
        )
    if any(v == "late" for v in verdicts):
        best = min(layout.truck_durations(t)[layout.start_index(t), point] for t in fitting)
        latest = "" if late == UNBOUNDED else f" by {_clock(layout.state.depot, now, late)}"
        return Reason(
            oid,
            ReasonCode.WINDOW_UNREACHABLE,
            f"No compatible truck can arrive{latest}: the quickest needs {_hours(best)} "
            "from its start, loading at the depot included.",
            {"latest_arrival": "" if late == UNBOUNDED else _clock(layout.state.depot, now, late)},
        )
    trip = min(_round_trip(layout, t, point) for t in fitting)
    return Reason(
        oid,
        ReasonCode.BEYOND_SHIFT,
        f"The round trip takes at least {_hours(trip + service)}: longer than any compatible "
        "truck's shift or trip length, or past its return time. Allow multi-day trips on a "
        "long-haul truck in the fleet board.",
        {"round_trip_hours": f"{(trip + service) / 3600:.1f}"},
    )


def _round_trip(layout: Layout, truck: TruckState, point: int) -> int:
    """Seconds from the truck's start to ``point`` and back to the depot, rests included."""
    durations = layout.truck_durations(truck)
    return int(durations[layout.start_index(truck), point] + durations[point, 0])


def _fits(layout: Layout, truck: TruckState, order: OrderState) -> bool:
    kg, dm3 = layout.capacity(truck)
    return order.weight_kg <= kg and order.volume_dm3 <= dm3


def _reach(
    layout: Layout,
    truck: TruckState,
    point: int,
    *,
    window: tuple[int, int],
    service: int,
    release: int,
) -> str:
    """``ok``; ``busy`` (reachable were the truck free now); ``late``; or ``shift``."""
    durations = layout.truck_durations(truck)
    out = int(durations[layout.start_index(truck), point])
    back = int(durations[point, 0])
    early, late = window
    free, latest_return = layout.truck_window(truck)
    shift = layout.shift_seconds(truck)

    def verdict(depart: int) -> str:
        arrive = depart + out
        if arrive > late:
            return "late"
        start = max(arrive, early)
        if latest_return != UNBOUNDED and start + service + back > latest_return:
            return "shift"
        # Departure can slide later to avoid waiting, so only the driving and service count.
        return "shift" if out + service + back > shift else "ok"

    result = verdict(max(free, release))
    if result == "late" and free > release and verdict(release) == "ok":
        return "busy"
    return result


def explain_unassigned(
    layout: Layout, plan: Plan, *, held: Mapping[str, Reason] | None = None
) -> dict[str, Reason]:
    """A reason for every order of the state that is not on a route of ``plan``.

    ``held`` gives the policy's own reasons, which take precedence; then the screen's; then an
    optional order is "held by the policy" with its prize against the estimated cost of carrying
    it, and a required one found no free truck with room and time left.
    """
    held = held or {}
    routed = set(plan.order_ids)
    screened = screen(layout)
    reasons: dict[str, Reason] = {}
    for order in layout.state.orders:
        oid = order.order_id
        if oid in routed:
            continue
        if oid in held:
            reasons[oid] = held[oid]
        elif oid in screened:
            reasons[oid] = screened[oid]
        elif not layout.problem.is_required(oid):
            reasons[oid] = _declined(layout, plan, order)
        else:
            reasons[oid] = Reason(
                oid,
                ReasonCode.NO_TRUCK_FREE,
                "Every compatible truck that could reach it is full or has no time left in "
                "this plan.",
            )
    return reasons


def _declined(layout: Layout, plan: Plan, order: OrderState) -> Reason:
    prize = layout.problem.prize(order.order_id).quantize(CENTS)
    cost, how = marginal_cost(layout, plan, order)
    return Reason(
        order.order_id,
        ReasonCode.HELD_BY_POLICY,
        f"Held for a better load: carrying it now is worth KES {prize:,} against an estimated "
        f"KES {cost:,} ({how}).",
        {"prize_kes": str(prize), "marginal_cost_kes": str(cost), "estimate": how},
    )


def marginal_cost(layout: Layout, plan: Plan, order: OrderState) -> tuple[Decimal, str]:
    """Cheapest estimate of what carrying ``order`` adds: inserted into a planned route of a
    compatible truck, or on a compatible idle truck of its own (windows and capacity ignored)."""
    state = layout.state
    point = layout.first_order + state.orders.index(order)
    index = {o.order_id: layout.first_order + i for i, o in enumerate(state.orders)}
    service = layout.service_seconds(order)
    best: tuple[Decimal, str] | None = None
    used = {route.vehicle_id for route in plan.routes}
    for route in plan.routes:
        truck = state.truck(route.vehicle_id)
        if not truck.can_carry(order):
            continue
        path = [layout.start_index(truck), *(index[o] for o in route.order_ids), 0]
        dist, dur = layout.distances, layout.truck_durations(truck)
        for a, b in itertools.pairwise(path):
            extra_m = int(dist[a, point] + dist[point, b] - dist[a, b])
            extra_s = int(dur[a, point] + dur[point, b] - dur[a, b]) + service
            cost = truck.variable_cost(extra_m, extra_s)
            if best is None or cost < best[0]:
                best = (cost, f"an extra stop on {truck.vehicle_id}")
    for truck in state.trucks:
        if truck.vehicle_id in used or not truck.can_carry(order):
            continue
        start = layout.start_index(truck)
        dur = layout.truck_durations(truck)
        metres = int(layout.distances[start, point] + layout.distances[point, 0])
        seconds = int(dur[start, point] + dur[point, 0]) + service
        cost = truck.route_cost(metres, seconds)
        if best is None or cost < best[0]:
            best = (cost, f"a trip of its own on {truck.vehicle_id}")
    if best is None:
        return Decimal(0), "no compatible truck"
    return best[0].quantize(CENTS), best[1]
