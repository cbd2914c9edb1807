"""Why an order was left out of a plan: a code for the software and a sentence for the dispatcher.

:func:`screen` finds the orders no truck can carry at all in this planning run — too heavy or
bulky for every compatible truck, a window that has closed or cannot be reached, a round trip
longer than any shift or trip length — using exactly the matrices the solver uses, so the
solver skips them.
:func:`explain_unassigned` then gives every order missing from a plan its reason: the screen's,
the policy's own (PFA, CFA and DLA say why they held an order), or one found by trying the order
at every position of every planned route and on every idle truck, with the solver's own
capacities, windows, shifts and return times (:mod:`~senga_desktop.engine.insertion`):

* some insertion is feasible and the cheapest costs more than the order is worth: "held for a
  better load" (:attr:`ReasonCode.HELD_BY_POLICY`), with that insertion and its cost;
* it costs no more (the search missed it, or the prize falls short only by rounding):
  :attr:`ReasonCode.FITS_ON_ROUTE`, so the dispatcher plans again or adds it by hand;
* none is feasible: the constraint that rules out the closest candidate — the truck is full
  (:attr:`ReasonCode.TRUCK_FULL`), a window would be missed (:attr:`ReasonCode.WINDOW_MISSED`),
  the shift or return time overrun (:attr:`ReasonCode.SHIFT_EXCEEDED`) — and why the other
  compatible trucks cannot take it either.

An order pinned to a truck (``problem.pins``) is tried on that truck alone, and its reason says
it is pinned there (``details["pinned_to"]``).

Every reason's ``details`` carries what re-checking the sentence needs (the truck, the position,
the constraint and its figures, times as ISO 8601); the tests re-check them against the plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from senga_desktop.engine.insertion import Inserter, Insertion, Options
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
    NO_TRUCK_FREE = "no_truck_free"  # compatible trucks are busy, or none is in this plan
    HELD_BY_POLICY = "held_by_policy"  # the policy chose to wait for a better load
    TRUCK_FULL = "truck_full"  # the closest compatible truck has no kg or m³ left for it
    WINDOW_MISSED = "window_missed"  # fitting it in would miss its window or a later stop's
    SHIFT_EXCEEDED = "shift_exceeded"  # fitting it in would overrun a shift or return time
    FITS_ON_ROUTE = "fits_on_route"  # a feasible insertion costs no more than it is worth


#: Screen verdicts no later run changes (the fleet cannot carry the order at all): they win over
#: a policy's "wait", which would wrongly promise that a later run plans the order.
NEVER_CARRIED = frozenset(
    {ReasonCode.NO_COMPATIBLE_TRUCK, ReasonCode.TOO_HEAVY, ReasonCode.TOO_BULKY,
     ReasonCode.BEYOND_SHIFT}
)  # fmt: skip


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

    An order no truck of the fleet can carry at all (:data:`NEVER_CARRIED`) says so first;
    otherwise ``held`` gives the policy's own reasons, which take precedence; then the
    screen's. Every
    other order is tried at every position of every planned route whose truck can carry it and
    on every compatible idle truck (:mod:`~senga_desktop.engine.insertion`): if some insertion
    is feasible, the cheapest is priced against the order's prize ("held for a better load" only
    when it really costs more; otherwise it fits and the dispatcher is told so); if none is, the
    constraint that rules out the closest candidate is named.
    """
    held = held or {}
    routed = set(plan.order_ids)
    screened = screen(layout)
    pins = layout.problem.pins
    reasons: dict[str, Reason] = {}
    inserter: Inserter | None = None
    pinned: dict[str, tuple[Layout, Inserter]] = {}
    for order in layout.state.orders:
        oid = order.order_id
        if oid in routed:
            continue
        if oid in screened and screened[oid].code in NEVER_CARRIED:
            reasons[oid] = screened[oid]
        elif oid in held and oid not in pins:
            reasons[oid] = held[oid]
        elif oid in screened:
            reasons[oid] = screened[oid]
        elif oid in pins:
            vid = pins[oid]
            if vid not in pinned:
                pinned[vid] = _on_truck(layout, plan, vid)
            own, own_inserter = pinned[vid]
            reasons[oid] = _pinned(own, order, vid, own_inserter)
        else:
            inserter = inserter or Inserter(layout, plan)
            reasons[oid] = _left_out(layout, order, inserter.options(order))
    return reasons


def _on_truck(layout: Layout, plan: Plan, vehicle_id: str) -> tuple[Layout, Inserter]:
    """The layout and plan seen by one truck alone: where its pinned orders may go."""
    problem = layout.problem
    state = replace(problem.state, trucks=(problem.state.truck(vehicle_id),))
    own = Layout(replace(problem, state=state, pins={}), layout.travel)
    routes = tuple(r for r in plan.routes if r.vehicle_id == vehicle_id)
    return own, Inserter(own, replace(plan, routes=routes))


def _pinned(layout: Layout, order: OrderState, vehicle_id: str, inserter: Inserter) -> Reason:
    """The reason for a pinned order left out, tried on its truck alone."""
    truck = layout.state.truck(vehicle_id)
    if not truck.can_carry(order):
        needs = ", ".join(sorted(order.special_handling))
        return Reason(
            order.order_id,
            ReasonCode.NO_COMPATIBLE_TRUCK,
            f"It is pinned to {vehicle_id}, which cannot carry {needs} freight: pin it to a "
            "truck that can, or remove the pin.",
            {"pinned_to": vehicle_id},
        )
    reason = _left_out(layout, order, inserter.options(order), pinned_to=vehicle_id)
    return replace(reason, details={**reason.details, "pinned_to": vehicle_id})


def _left_out(
    layout: Layout, order: OrderState, options: Options, *, pinned_to: str | None = None
) -> Reason:
    """The reason for an order the screen lets through that the plan does not carry
    (``pinned_to``: the truck it is pinned to, the only one ``options`` tried)."""
    oid = order.order_id
    required = layout.problem.is_required(oid)
    best = options.best
    if best is not None:
        cost = best.cost_kes
        prize = layout.problem.prize(oid).quantize(CENTS)
        details = {
            **_place(best),
            "insertion_cost_kes": str(cost),
            "required": str(required).lower(),
        }
        where = _where(best)
        if not required and cost > prize:
            return Reason(
                oid,
                ReasonCode.HELD_BY_POLICY,
                f"Held for a better load: carrying it now is worth KES {prize:,}; the cheapest "
                f"way, {where}, would cost KES {cost:,}.",
                {**details, "constraint": "cost", "prize_kes": str(prize)},
            )
        worth = "" if required else f" (worth KES {prize:,})"
        if not required:
            details["prize_kes"] = str(prize)
        pin = "" if pinned_to is None else f"It is pinned to {pinned_to}. "
        return Reason(
            oid,
            ReasonCode.FITS_ON_ROUTE,
            f"{pin}It fits as {where} for KES {cost:,}{worth}: plan again or add it by hand.",
            {**details, "constraint": "fits"},
        )
    counts = {f"{kind}_trucks": str(n) for kind, n in sorted(options.failures.items())}
    summary = {
        "compatible_trucks": str(options.trucks),
        "idle_trucks": str(options.idle),
        **counts,
    }
    closest = options.closest
    if closest is None or closest.kind is None:
        return Reason(
            oid,
            ReasonCode.NO_TRUCK_FREE,
            "No compatible truck is free to take it in this plan."
            if pinned_to is None
            else f"It is pinned to {pinned_to}, which is not free to take it in this plan.",
            summary,
        )
    code, sentence, figures = _miss(layout, order, closest)
    after = (
        _summary(options)
        if pinned_to is None
        else f" It is pinned to {pinned_to}: no other truck may take it."
    )
    return Reason(
        oid,
        code,
        f"{sentence}{after}",
        {**_place(closest), "constraint": closest.kind, **figures, **summary},
    )


def _miss(
    layout: Layout, order: OrderState, miss: Insertion
) -> tuple[ReasonCode, str, dict[str, str]]:
    """The code, sentence and figures of the constraint ``miss`` breaks."""
    if miss.kind in ("weight", "volume"):
        return _full(layout, order, miss)
    return _late(layout, order, miss)


def _full(
    layout: Layout, order: OrderState, miss: Insertion
) -> tuple[ReasonCode, str, dict[str, str]]:
    """The truck has no kg (or dm³) left for the order."""
    vid, route = miss.truck.vehicle_id, miss.route
    kg, dm3 = layout.capacity(miss.truck)
    if miss.kind == "weight":
        unit, symbol, need, cap = "kg", "t", order.weight_kg, kg
        load = 0 if route is None else route.load_kg
    else:
        unit, symbol, need, cap = "dm3", "m³", order.volume_dm3, dm3
        load = 0 if route is None else route.load_dm3
    figures = {f"load_{unit}": str(load), f"order_{unit}": str(need), f"capacity_{unit}": str(cap)}
    margin = " after the safety margin" if layout.problem.capacity_factor < 1 else ""
    if route is None:
        sentence = (
            f"{vid} takes only {_thousandths(cap)} {symbol}{margin}; this order needs "
            f"{_thousandths(need)} {symbol}."
        )
    else:
        sentence = (
            f"{vid} has no room for it: {_thousandths(load)} of {_thousandths(cap)} {symbol}"
            f"{margin} are taken and this order needs {_thousandths(need)} {symbol}."
        )
    return ReasonCode.TRUCK_FULL, sentence, figures


def _late(
    layout: Layout, order: OrderState, miss: Insertion
) -> tuple[ReasonCode, str, dict[str, str]]:
    """Fitting the order in breaks a window, the return time or the shift."""
    truck, vid, where = miss.truck, miss.truck.vehicle_id, _where(miss)
    breach = miss.schedule.breach
    assert breach is not None  # a time miss always has its breach
    depot, now = layout.state.depot, layout.state.now
    at, limit = _clock(depot, now, breach.at), _clock(depot, now, breach.limit)
    if breach.kind == "window":
        stop = miss.sequence[breach.stop]
        figures = {
            "stop_order": stop.order_id,
            "stop_position": str(breach.stop),
            "town": stop.town,
            "arrival": _iso(now, breach.at),
            "window_end": _iso(now, breach.limit),
        }
        if stop.order_id == order.order_id:
            sentence = (
                f"{vid} would reach {stop.town} no earlier than {at} ({where}), after its "
                f"window closes at {limit}."
            )
        else:
            sentence = (
                f"As {where}, it would delay {vid}'s stop in {stop.town} ({stop.order_id}) to "
                f"{at} at the earliest, after that window closes at {limit}."
            )
        return ReasonCode.WINDOW_MISSED, sentence, figures
    if breach.kind == "return":
        figures = {"return_at": _iso(now, breach.at), "return_by": _iso(now, breach.limit)}
        sentence = (
            f"As {where}, {vid} would be back at the depot no earlier than {at}, after it "
            f"must return at {limit}."
        )
        return ReasonCode.SHIFT_EXCEEDED, sentence, figures
    cap = "shift" if truck.trip_days == 1 else f"{truck.trip_days}-day trip limit"
    figures = {"duration_s": str(breach.at), "shift_s": str(breach.limit)}
    sentence = (
        f"As {where}, {vid}'s route would take at least {_span(breach.at)}, over its "
        f"{_span(breach.limit)} {cap}."
    )
    return ReasonCode.SHIFT_EXCEEDED, sentence, figures


PHRASES = {
    "full": ("is full", "are full"),  # for this order: less room left than it needs
    "window": ("would miss a window", "would miss a window"),
    "return": ("would be back too late", "would be back too late"),
    "shift": ("would run over its shift", "would run over their shifts"),
}


def _summary(options: Options) -> str:
    """Why the other compatible trucks cannot take it either, in one sentence."""
    if options.trucks <= 1:
        return " No other truck can carry it."
    counts: Counter[str] = Counter()
    for kind, n in options.failures.items():
        counts["full" if kind in ("weight", "volume") else kind] += n
    parts = [f"{n} {PHRASES[kind][n > 1]}" for kind, n in counts.most_common()]
    idle = "" if options.idle else "; none is idle"
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f" Of the {options.trucks} compatible trucks, {listed}{idle}."


def _place(insertion: Insertion) -> dict[str, str]:
    return {
        "truck": insertion.truck.vehicle_id,
        "trip": "own" if insertion.route is None else "route",
        "position": str(insertion.position),
    }


def _where(insertion: Insertion) -> str:
    """Where the insertion puts the order, as a dispatcher reads it."""
    vid = insertion.truck.vehicle_id
    if insertion.route is None:
        return f"a trip of its own on {vid}"
    towns = [o.town for o in insertion.sequence]
    k = insertion.position
    if len(towns) == 1:
        return f"the only stop on {vid}"
    if k == 0:
        return f"an extra stop on {vid} before {towns[1]}"
    if k == len(towns) - 1:
        return f"an extra stop on {vid} after {towns[k - 1]}"
    before, after = towns[k - 1], towns[k + 1]
    if before == after:
        return f"an extra stop on {vid} between two stops in {before}"
    return f"an extra stop on {vid} between {before} and {after}"


def _iso(now: datetime, seconds: int) -> str:
    return (now + timedelta(seconds=seconds)).isoformat()


def _thousandths(amount: int) -> str:
    """kg as tonnes or dm³ as m³, exact to the unit (4900 → "4.9", 5000 → "5")."""
    return f"{amount / 1000:.3f}".rstrip("0").rstrip(".")


def _span(seconds: int) -> str:
    """A duration to the minute, rounded up so that an excess never reads as equal."""
    minutes = -(-seconds // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"
