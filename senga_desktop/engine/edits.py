"""A dispatcher's edits of a plan: pure functions from drafts to drafts, each with its record.

A plan being edited is a tuple of :class:`~senga_desktop.engine.evaluate.DraftRoute` s (a truck
and its trips, each trip the order numbers in stop order); an order on no draft is held. Every
edit is a function that takes the tuple and returns a new one plus a :class:`PlanEdit` saying what
it did, never changing its input, so an undo stack can keep each tuple and undo by putting the
old one back:

* :func:`move_order` — an order to another route, another place on its own route, onto a free
  truck (a new route), off every route (held), or from held onto a route;
* :func:`reorder_stop` — an order to another place on its own trip;
* :func:`swap_truck` — two routes exchange trucks, or a route moves to a free truck;
* :func:`split_route` — the stops from a point on go to a free truck.

An edit that cannot be made (an unknown order or truck, a position out of range, splitting onto
a truck that has a route, an edit that would change nothing) raises ``ValueError`` with a
sentence to show the dispatcher; the drafts are left as they were. An edit that can be made but
breaks a constraint (an overloaded truck, a late stop) is made: the evaluation names what it
breaks (:class:`~senga_desktop.engine.evaluate.PlanEvaluator`).

Which orders and trucks exist is the caller's to say (:class:`Known`: the planning state's);
without it, only the orders and trucks on the drafts are known — a free truck can then be named
by an empty draft (``DraftRoute(vehicle_id, ((),))``). Edits tidy what they touch: a trip left
empty closes up and a route left with no stop is dropped, so the result has no empty trip or
route of its own making (:func:`normalised` tidies a whole tuple).

A recorded edit replays (:func:`apply_edit`, :func:`replay`): the same edit on the same drafts
gives the same drafts, so ``replay(base, edits)`` checks that a list of edits leads from the
engine's plan to an edited one. The record itself, :class:`~.plan_edit.PlanEdit`, lives in
:mod:`~senga_desktop.engine.plan_edit` (and is re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from senga_desktop.engine.evaluate import DraftRoute
from senga_desktop.engine.plan_edit import EditKind, PlanEdit, describe_place

__all__ = [
    "EditKind",
    "Known",
    "PlanEdit",
    "apply_edit",
    "held_orders",
    "move_order",
    "normalised",
    "reorder_stop",
    "replay",
    "same_plan",
    "split_route",
    "swap_truck",
]

Drafts = tuple[DraftRoute, ...]
Trips = list[list[str]]


@dataclass(frozen=True, slots=True)
class Known:
    """The orders and trucks an edit may name, e.g. a planning state's (held orders and free
    trucks included)."""

    orders: frozenset[str]
    trucks: frozenset[str]

    @classmethod
    def of(cls, order_ids: Iterable[str], vehicle_ids: Iterable[str]) -> Known:
        return cls(frozenset(order_ids), frozenset(vehicle_ids))


# -- the edits -------------------------------------------------------------------------------


def move_order(
    drafts: Sequence[DraftRoute],
    order_id: str,
    to_vehicle_id: str | None,
    index: int = 0,
    trip: int = 0,
    *,
    known: Known | None = None,
) -> tuple[Drafts, PlanEdit]:
    """``order_id`` moved to stop ``index`` of trip ``trip`` of ``to_vehicle_id``'s route, or
    held (``to_vehicle_id`` ``None``; ``index`` and ``trip`` are then ignored).

    ``trip`` and ``index`` count on the target as it is once the order is taken off it (the
    order's old trip stays in place until the move is done): ``index`` from 0 to the trip's
    length, ``trip`` from 0 to its number of trips — one more starts a new trip, at index 0. A
    truck without a route gets a new one (trip 0, index 0). A held order (one of ``known``'s on
    no draft) may be moved onto a route.
    """
    current = tuple(drafts)
    found = _locate(current, order_id)
    if found is None and (known is None or order_id not in known.orders):
        raise ValueError(f"{order_id} is not an order of this plan.")
    if to_vehicle_id is None:
        if found is None:
            raise ValueError(f"{order_id} is held already.")
        at, was_trip, was_index = found
        held_from = current[at].vehicle_id
        left = _trips(current[at])
        del left[was_trip][was_index]
        edit = PlanEdit(EditKind.MOVE, held_from, order_id, None, 0, 0, was_index, was_trip)
        return _replaced(current, {at: _draft(held_from, left)}), edit
    target = _route_at(current, to_vehicle_id)
    if target is None:
        _check_truck(current, to_vehicle_id, known)
    free = target is None or not current[target].order_ids
    changed: dict[int, Trips] = {}
    source: str | None = None
    from_trip: int | None = None
    from_index: int | None = None
    if found is not None:
        at, from_trip, from_index = found
        source = current[at].vehicle_id
        changed[at] = _trips(current[at])
        del changed[at][from_trip][from_index]
    trips = [] if target is None else changed.setdefault(target, _trips(current[target]))
    _check_place(to_vehicle_id, trips, trip, index)
    if source == to_vehicle_id and (from_trip, from_index) == (trip, index):
        raise ValueError(f"{order_id} is {describe_place(trip, index)} of {to_vehicle_id} already.")
    if trip == len(trips):
        trips.append([])
    trips[trip].insert(index, order_id)
    edit = PlanEdit(
        EditKind.MOVE, source, order_id, to_vehicle_id, index, trip, from_index, from_trip, free
    )
    result = _replaced(current, {n: _draft(current[n].vehicle_id, t) for n, t in changed.items()})
    if target is None:
        result = (*result, _draft(to_vehicle_id, trips))
    return result, edit


def reorder_stop(
    drafts: Sequence[DraftRoute],
    vehicle_id: str,
    order_id: str,
    new_index: int,
    *,
    known: Known | None = None,
) -> tuple[Drafts, PlanEdit]:
    """``order_id`` moved to stop ``new_index`` (from 0) of its own trip on ``vehicle_id``."""
    current = tuple(drafts)
    found = _locate(current, order_id)
    if found is None or current[found[0]].vehicle_id != vehicle_id:
        exists = found is not None or (known is not None and order_id in known.orders)
        if not exists:
            raise ValueError(f"{order_id} is not an order of this plan.")
        raise ValueError(f"{order_id} is not on {vehicle_id}'s route.")
    at, trip, index = found
    trips = _trips(current[at])
    stops = len(trips[trip])
    if not 0 <= new_index < stops:
        raise ValueError(
            f"{_trip_name(vehicle_id, trip, len(trips))} has {_stops(stops)}: choose a stop from 1 "
            f"to {stops}."
        )
    if new_index == index:
        raise ValueError(f"{order_id} is stop {index + 1} already.")
    trips[trip].insert(new_index, trips[trip].pop(index))
    edit = PlanEdit(EditKind.REORDER, vehicle_id, order_id, None, new_index, trip, index, trip)
    return _replaced(current, {at: _draft(vehicle_id, trips)}), edit


def swap_truck(
    drafts: Sequence[DraftRoute],
    vehicle_id: str,
    other_vehicle_id: str,
    *,
    known: Known | None = None,
) -> tuple[Drafts, PlanEdit]:
    """The routes of ``vehicle_id`` and ``other_vehicle_id`` exchanged; if the other truck has
    no route, ``vehicle_id``'s route moves to it and ``vehicle_id`` is free."""
    current = tuple(drafts)
    at = _route_at(current, vehicle_id, stops=True)
    if at is None:
        _check_truck(current, vehicle_id, known)
        raise ValueError(f"{vehicle_id} has no route to give to another truck.")
    if other_vehicle_id == vehicle_id:
        raise ValueError(f"Choose another truck than {vehicle_id} to swap with.")
    other = _route_at(current, other_vehicle_id)
    if other is None:
        _check_truck(current, other_vehicle_id, known)
    free = other is None or not current[other].order_ids
    changes = {at: DraftRoute(other_vehicle_id, current[at].trips)}
    if other is not None:
        changes[other] = DraftRoute(vehicle_id, current[other].trips)
    edit = PlanEdit(EditKind.SWAP, vehicle_id, None, other_vehicle_id, to_free_truck=free)
    return _replaced(current, changes), edit


def split_route(
    drafts: Sequence[DraftRoute],
    vehicle_id: str,
    at_index: int,
    new_vehicle_id: str,
    *,
    known: Known | None = None,
) -> tuple[Drafts, PlanEdit]:
    """``vehicle_id``'s route cut before stop ``at_index`` (from 0, counted over the whole
    route): the stops from there on, trips kept, become the route of ``new_vehicle_id``, a truck
    that has no route. The new route comes right after the old one."""
    current = tuple(drafts)
    at = _route_at(current, vehicle_id, stops=True)
    if at is None:
        _check_truck(current, vehicle_id, known)
        raise ValueError(f"{vehicle_id} has no route to split.")
    stops = len(current[at].order_ids)
    if stops < 2:
        raise ValueError(f"{vehicle_id}'s route has one stop: there is nothing to split.")
    if not 1 <= at_index < stops:
        where = "stop 2" if stops == 2 else f"stop 2 to {stops}"
        raise ValueError(
            f"{vehicle_id}'s route of {stops} stops can be split before {where}, not before "
            f"stop {at_index + 1}."
        )
    if new_vehicle_id == vehicle_id:
        raise ValueError(f"Choose another truck than {vehicle_id} for the split-off stops.")
    other = _route_at(current, new_vehicle_id)
    if other is None:
        _check_truck(current, new_vehicle_id, known)
    elif current[other].order_ids:
        raise ValueError(
            f"{new_vehicle_id} has a route already: split onto a free truck, or move the orders "
            "to it one by one."
        )
    head: Trips = []
    tail: Trips = []
    seen = 0
    for trip in current[at].trips:
        if not trip:
            continue
        cut = min(max(at_index - seen, 0), len(trip))
        if cut:
            head.append(list(trip[:cut]))
        if cut < len(trip):
            tail.append(list(trip[cut:]))
        seen += len(trip)
    routes = list(current)
    routes[at] = _draft(vehicle_id, head)
    routes.insert(at + 1, _draft(new_vehicle_id, tail))
    if other is not None:
        del routes[other + 1 if other > at else other]
    edit = PlanEdit(EditKind.SPLIT, vehicle_id, None, new_vehicle_id, at_index, to_free_truck=True)
    return tuple(routes), edit


# -- replaying and comparing ------------------------------------------------------------------


def apply_edit(
    drafts: Sequence[DraftRoute], edit: PlanEdit, *, known: Known | None = None
) -> Drafts:
    """``drafts`` after the recorded ``edit`` made again; ``ValueError`` (a sentence) if it
    cannot be made on them, or would not be the same edit."""
    if edit.kind is EditKind.MOVE:
        if edit.order_id is None:
            raise ValueError("A stored move names no order.")
        result, made = move_order(
            drafts, edit.order_id, edit.to_vehicle_id, edit.index, edit.trip, known=known
        )
    elif edit.kind is EditKind.REORDER:
        if edit.order_id is None or edit.vehicle_id is None:
            raise ValueError("A stored reordering names no order or no truck.")
        result, made = reorder_stop(drafts, edit.vehicle_id, edit.order_id, edit.index, known=known)
    elif edit.vehicle_id is None or edit.to_vehicle_id is None:
        raise ValueError(f"A stored {edit.kind.value} edit names no truck.")
    elif edit.kind is EditKind.SWAP:
        result, made = swap_truck(drafts, edit.vehicle_id, edit.to_vehicle_id, known=known)
    else:
        result, made = split_route(
            drafts, edit.vehicle_id, edit.index, edit.to_vehicle_id, known=known
        )
    if made != edit:
        raise ValueError(f"The edit “{edit.describe()}” does not fit the plan it is applied to.")
    return result


def replay(
    drafts: Sequence[DraftRoute], edits: Iterable[PlanEdit], *, known: Known | None = None
) -> Drafts:
    """``drafts`` after every edit of ``edits`` in turn (see :func:`apply_edit`)."""
    result = tuple(drafts)
    for edit in edits:
        result = apply_edit(result, edit, known=known)
    return result


def normalised(drafts: Iterable[DraftRoute]) -> Drafts:
    """``drafts`` without empty trips and without routes that have no stop."""
    tidy = (_draft(d.vehicle_id, [list(t) for t in d.trips]) for d in drafts)
    return tuple(d for d in tidy if d.order_ids)


def same_plan(a: Iterable[DraftRoute], b: Iterable[DraftRoute]) -> bool:
    """Whether two tuples of drafts are the same plan: the same trucks with the same trips,
    whatever the order of the routes and wherever empty trips or routes are."""
    return sorted(normalised(a), key=_draft_key) == sorted(normalised(b), key=_draft_key)


def _draft_key(draft: DraftRoute) -> tuple[str, tuple[tuple[str, ...], ...]]:
    return draft.vehicle_id, draft.trips


def held_orders(drafts: Iterable[DraftRoute], order_ids: Iterable[str]) -> tuple[str, ...]:
    """The orders of ``order_ids`` (in their order) that are on no draft."""
    routed = {o for d in drafts for o in d.order_ids}
    return tuple(o for o in order_ids if o not in routed)


# -- helpers ----------------------------------------------------------------------------------


def _locate(drafts: Drafts, order_id: str) -> tuple[int, int, int] | None:
    """(draft, trip, index) of the order's first stop, or ``None``."""
    for at, draft in enumerate(drafts):
        for trip, stops in enumerate(draft.trips):
            if order_id in stops:
                return at, trip, stops.index(order_id)
    return None


def _route_at(drafts: Drafts, vehicle_id: str, *, stops: bool = False) -> int | None:
    """The position of the truck's draft (with stops, if ``stops``): the first with stops, else
    the first at all."""
    first = None
    for at, draft in enumerate(drafts):
        if draft.vehicle_id == vehicle_id:
            if draft.order_ids:
                return at
            first = at if first is None else first
    return None if stops else first


def _check_truck(drafts: Drafts, vehicle_id: str, known: Known | None) -> None:
    on_drafts = any(d.vehicle_id == vehicle_id for d in drafts)
    if not on_drafts and (known is None or vehicle_id not in known.trucks):
        raise ValueError(f"{vehicle_id} is not a truck of this plan.")


def _check_place(vehicle_id: str, trips: Trips, trip: int, index: int) -> None:
    count = len(trips)
    if not 0 <= trip <= count:
        raise ValueError(
            f"{vehicle_id} makes {_count(count, 'trip')}: put the order on trip 1 to "
            f"{count + 1} (the last starts a new trip), not trip {trip + 1}."
        )
    stops = len(trips[trip]) if trip < count else 0
    if not 0 <= index <= stops:
        where = f"stop 1 to {stops + 1}" if stops else "stop 1"
        raise ValueError(
            f"{_trip_name(vehicle_id, trip, count)} has {_stops(stops)}: put the order at "
            f"{where}, not stop {index + 1}."
        )


def _trip_name(vehicle_id: str, trip: int, trips: int) -> str:
    if trip >= trips:
        return f"A new trip of {vehicle_id}"
    return f"Trip {trip + 1} of {vehicle_id}" if trips > 1 else f"{vehicle_id}'s route"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _stops(n: int) -> str:
    return "no stop" if n == 0 else _count(n, "stop")


def _trips(draft: DraftRoute) -> Trips:
    return [list(trip) for trip in draft.trips]


def _draft(vehicle_id: str, trips: Trips) -> DraftRoute:
    kept = tuple(tuple(t) for t in trips if t)
    return DraftRoute(vehicle_id, kept or ((),))


def _replaced(drafts: Drafts, changes: Mapping[int, DraftRoute]) -> Drafts:
    """``drafts`` with the drafts at the given positions replaced; replaced ones left with no
    stop are dropped."""
    result = []
    for at, draft in enumerate(drafts):
        new = changes.get(at)
        if new is None:
            result.append(draft)
        elif new.order_ids:
            result.append(new)
    return tuple(result)
