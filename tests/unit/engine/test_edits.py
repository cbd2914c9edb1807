"""Hand edits of a plan: each edit by example, refusals in words, records that replay, and
Hypothesis invariants over random edit sequences (no order lost or duplicated; undoing by
putting an old tuple back is exact; a sequence of edits replays to the same drafts)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from senga_desktop.engine.edits import (
    EditKind,
    Known,
    PlanEdit,
    apply_edit,
    held_orders,
    move_order,
    normalised,
    reorder_stop,
    replay,
    same_plan,
    split_route,
    swap_truck,
)
from senga_desktop.engine.evaluate import DraftRoute, PlanEvaluator, ViolationCode
from senga_desktop.engine.problem import RoutingProblem
from senga_desktop.engine.travel import GreatCircleTravel
from tests.unit.engine.builders import order, state, truck

D = DraftRoute
KNOWN = Known.of(["A", "B", "C", "D", "E", "H"], ["KBX 123A", "KCA 456B", "KDA 789C"])
PLAN = (
    D("KBX 123A", (("A", "B"), ("C",))),
    D("KCA 456B", (("D", "E"),)),
)  # H is held, KDA 789C is free


def test_move_an_order_to_another_route() -> None:
    drafts, edit = move_order(PLAN, "A", "KCA 456B", 1, known=KNOWN)
    assert drafts == (D("KBX 123A", (("B",), ("C",))), D("KCA 456B", (("D", "A", "E"),)))
    assert edit == PlanEdit(EditKind.MOVE, "KBX 123A", "A", "KCA 456B", 1, 0, 0, 0)
    assert edit.describe() == "Moved order A from KBX 123A to KCA 456B (stop 2)."


def test_move_to_held_from_held_and_onto_a_free_truck() -> None:
    held, edit = move_order(PLAN, "D", None, known=KNOWN)
    assert held == (PLAN[0], D("KCA 456B", (("E",),)))
    assert edit.describe() == "Took order D off KCA 456B and held it."
    on, edit = move_order(PLAN, "H", "KCA 456B", 2, known=KNOWN)
    assert on[1] == D("KCA 456B", (("D", "E", "H"),))
    assert edit.describe() == "Put held order H on KCA 456B (stop 3)."
    free, edit = move_order(PLAN, "H", "KDA 789C", known=KNOWN)
    assert free == (*PLAN, D("KDA 789C", (("H",),)))
    assert edit.to_free_truck
    assert edit.describe() == "Put held order H on KDA 789C, a free truck (stop 1)."


def test_a_route_left_without_stops_is_dropped_and_an_emptied_trip_closes_up() -> None:
    drafts, _ = move_order(PLAN, "C", "KCA 456B", 0, known=KNOWN)
    assert drafts[0] == D("KBX 123A", (("A", "B"),))
    one = (D("KBX 123A", (("A",),)), PLAN[1])
    drafts, _ = move_order(one, "A", None, known=KNOWN)
    assert drafts == (PLAN[1],)
    assert held_orders(drafts, sorted(KNOWN.orders)) == ("A", "B", "C", "H")


def test_trips_count_on_the_target_as_it_is_once_the_order_is_off() -> None:
    # A new trip after the last one; and across trips of the same truck.
    drafts, edit = move_order(PLAN, "A", "KBX 123A", 0, 2, known=KNOWN)
    assert drafts[0] == D("KBX 123A", (("B",), ("C",), ("A",)))
    assert edit.describe() == "Moved order A on KBX 123A from trip 1, stop 1 to trip 3, stop 1."
    drafts, edit = move_order(PLAN, "C", "KBX 123A", 1, 0, known=KNOWN)
    assert drafts[0] == D("KBX 123A", (("A", "C", "B"),))
    assert edit.describe() == "Moved order C on KBX 123A from trip 2, stop 1 to trip 1, stop 2."


def test_reorder_a_stop_on_its_trip() -> None:
    drafts, edit = reorder_stop(PLAN, "KBX 123A", "B", 0, known=KNOWN)
    assert drafts[0] == D("KBX 123A", (("B", "A"), ("C",)))
    assert edit.describe() == "Moved order B on KBX 123A from stop 2 to stop 1."


def test_swap_the_trucks_of_two_routes_or_give_a_route_to_a_free_truck() -> None:
    drafts, edit = swap_truck(PLAN, "KBX 123A", "KCA 456B", known=KNOWN)
    assert drafts == (D("KCA 456B", PLAN[0].trips), D("KBX 123A", PLAN[1].trips))
    assert edit.describe() == "Swapped the routes of KBX 123A and KCA 456B."
    drafts, edit = swap_truck(PLAN, "KBX 123A", "KDA 789C", known=KNOWN)
    assert drafts == (D("KDA 789C", PLAN[0].trips), PLAN[1])
    assert edit.describe() == "Gave the route of KBX 123A to KDA 789C, a free truck."


def test_split_a_route_onto_a_free_truck_keeping_its_trips() -> None:
    drafts, edit = split_route(PLAN, "KBX 123A", 1, "KDA 789C", known=KNOWN)
    assert drafts == (
        D("KBX 123A", (("A",),)),
        D("KDA 789C", (("B",), ("C",))),
        PLAN[1],
    )
    assert edit.describe() == (
        "Split the route of KBX 123A before stop 2: stop 2 onwards goes to KDA 789C."
    )
    # A free truck named by an empty draft (no Known): the empty draft makes way.
    marked = (*PLAN, D("KDA 789C", ((),)))
    drafts, _ = split_route(marked, "KBX 123A", 2, "KDA 789C")
    assert drafts == (D("KBX 123A", (("A", "B"),)), D("KDA 789C", (("C",),)), PLAN[1])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda: move_order(PLAN, "Z", "KCA 456B", known=KNOWN), "Z is not an order of this plan."),
        (lambda: move_order(PLAN, "H", None, known=KNOWN), "H is held already."),
        (lambda: move_order(PLAN, "H", "KCA 456B"), "H is not an order of this plan."),
        (lambda: move_order(PLAN, "A", "KZZ 000Z", known=KNOWN), "KZZ 000Z is not a truck"),
        (lambda: move_order(PLAN, "A", "KDA 789C"), "KDA 789C is not a truck of this plan."),
        (lambda: move_order(PLAN, "A", "KCA 456B", 3, known=KNOWN), "stop 1 to 3, not stop 4."),
        (lambda: move_order(PLAN, "A", "KCA 456B", -1, known=KNOWN), "not stop 0."),
        (lambda: move_order(PLAN, "A", "KCA 456B", 0, 2, known=KNOWN), "on trip 1 to 2"),
        (lambda: move_order(PLAN, "A", "KCA 456B", 1, 1, known=KNOWN), "A new trip of KCA"),
        (lambda: move_order(PLAN, "A", "KBX 123A", 0, known=KNOWN), "A is stop 1 of KBX 123A"),
        (lambda: reorder_stop(PLAN, "KCA 456B", "A", 0), "A is not on KCA 456B's route."),
        (lambda: reorder_stop(PLAN, "KBX 123A", "A", 2), "choose a stop from 1 to 2."),
        (lambda: reorder_stop(PLAN, "KBX 123A", "A", 0), "A is stop 1 already."),
        (lambda: swap_truck(PLAN, "KDA 789C", "KBX 123A", known=KNOWN), "KDA 789C has no route"),
        (lambda: swap_truck(PLAN, "KBX 123A", "KBX 123A"), "Choose another truck"),
        (lambda: swap_truck(PLAN, "KBX 123A", "KZZ 000Z", known=KNOWN), "KZZ 000Z is not a"),
        (lambda: split_route(PLAN, "KCA 456B", 2, "KDA 789C", known=KNOWN), "before stop 2, not"),
        (lambda: split_route(PLAN, "KBX 123A", 0, "KDA 789C", known=KNOWN), "stop 2 to 3, not"),
        (lambda: split_route(PLAN, "KBX 123A", 1, "KCA 456B"), "KCA 456B has a route already"),
        (lambda: split_route(PLAN, "KBX 123A", 1, "KDA 789C"), "KDA 789C is not a truck"),
    ],
)
def test_impossible_edits_are_refused_in_a_sentence(edit: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        edit()
    assert str(raised.value).endswith(".")


def test_a_one_stop_route_cannot_be_split() -> None:
    with pytest.raises(ValueError, match="has one stop: there is nothing to split"):
        split_route((D.of("KBX 123A", "A"),), "KBX 123A", 1, "KDA 789C", known=KNOWN)


def test_records_round_trip_through_json_and_refuse_what_is_not_an_edit() -> None:
    _, edit = move_order(PLAN, "H", "KDA 789C", known=KNOWN)
    assert PlanEdit.from_json(edit.to_json()) == edit
    assert edit.to_json() == {
        "kind": "move_order",
        "vehicle_id": None,
        "order_id": "H",
        "to_vehicle_id": "KDA 789C",
        "to_free_truck": True,
    }
    for bad, words in [
        ({"kind": "teleport"}, "of no known kind"),
        ({"kind": "move_order", "index": "3"}, "bad index"),
        ({"kind": "move_order", "index": True}, "bad index"),
        ({"kind": "swap_truck", "vehicle_id": 7}, "bad vehicle_id"),
        ({"kind": "swap_truck", "colour": "red"}, "unknown fields: colour"),
        ([1, 2], "not a record"),
    ]:
        with pytest.raises(ValueError, match=words):
            PlanEdit.from_json(bad)  # type: ignore[arg-type]


def test_a_recorded_edit_replays_only_where_it_fits() -> None:
    edited, first = move_order(PLAN, "A", "KCA 456B", 1, known=KNOWN)
    edited, second = split_route(edited, "KCA 456B", 2, "KDA 789C", known=KNOWN)
    assert replay(PLAN, [first, second], known=KNOWN) == edited
    with pytest.raises(ValueError, match="does not fit the plan"):
        # A swap's index is unused: a stray value makes it another edit than the one made.
        apply_edit(edited, PlanEdit(EditKind.SWAP, "KBX 123A", None, "KCA 456B", index=5))
    with pytest.raises(ValueError, match="can be split before stop 2, not before stop 3"):
        replay(PLAN, [second, first], known=KNOWN)


def test_normalised_and_same_plan_ignore_route_order_and_empty_parts() -> None:
    messy = (PLAN[1], D("KDA 789C", ((),)), D("KBX 123A", (("A", "B"), (), ("C",))))
    assert normalised(messy) == (PLAN[1], PLAN[0])
    assert same_plan(messy, PLAN)
    assert not same_plan(PLAN, (PLAN[0],))


def test_an_edited_plan_evaluates_with_the_violation_it_makes() -> None:
    s = state(
        [order("A", kg=700), order("B", kg=600), order("C", kg=200)],
        [truck("T1", kg=1000), truck("T2", kg=1000)],
    )
    evaluator = PlanEvaluator(RoutingProblem(s), GreatCircleTravel(s.belief))
    plan = (D.of("T1", "A", "C"), D.of("T2", "B"))
    assert evaluator.evaluate(plan).feasible
    moved, _ = move_order(plan, "B", "T1", 1, known=Known.of("ABC", ["T1", "T2"]))
    result = evaluator.evaluate(moved)
    (violation,) = result.violations
    assert violation.code is ViolationCode.OVER_WEIGHT
    assert violation.vehicle_id == "T1"
    assert violation.amount == 500
    assert evaluator.evaluate(plan).feasible  # the old tuple is still the plan it was


# --- invariants over random edit sequences ---

ORDERS = [f"O{n}" for n in range(9)]
TRUCKS = [f"T{n}" for n in range(6)]
UNIVERSE = Known.of(ORDERS, TRUCKS)


@st.composite
def plans(draw: st.DrawFn) -> tuple[DraftRoute, ...]:
    """Some orders on some trucks, in one to three trips; the rest held, the rest free."""
    owners = draw(st.lists(st.sampled_from([None, *TRUCKS]), min_size=9, max_size=9))
    routes: dict[str, list[list[str]]] = {}
    for order_id, owner in zip(ORDERS, owners, strict=True):
        if owner is not None:
            trips = routes.setdefault(owner, [[]])
            if draw(st.booleans()) and len(trips) < 3 and trips[-1]:
                trips.append([])
            trips[-1].insert(draw(st.integers(0, len(trips[-1]))), order_id)
    return tuple(D(v, tuple(tuple(t) for t in trips)) for v, trips in routes.items())


EDIT = st.tuples(
    st.sampled_from(["move", "move", "hold", "reorder", "swap", "split"]),
    st.sampled_from(ORDERS),
    st.sampled_from(TRUCKS),
    st.integers(-1, 6),
    st.integers(0, 3),
    st.booleans(),  # wild: positions as drawn (often out of range), else brought into range
)
Step = tuple[str, str, str, int, int, bool]


def _attempt(drafts: tuple[DraftRoute, ...], step: Step) -> Any:
    kind, order_id, vehicle_id, index, trip, wild = step
    owner = next((d for d in drafts if order_id in d.order_ids), None)
    first = drafts[trip % len(drafts)] if drafts else D(vehicle_id, ((),))

    def fit(size: int) -> int:
        return index if wild else index % max(size, 1)

    if kind == "move":
        target = next((d for d in drafts if d.vehicle_id == vehicle_id), None)
        trips = target.trips if target else ()
        trip = trip if wild else trip % (len(trips) + 1)
        size = len(trips[trip]) + 1 if trip < len(trips) else 1
        return move_order(drafts, order_id, vehicle_id, fit(size), trip, known=UNIVERSE)
    if kind == "hold":
        return move_order(drafts, order_id, None, known=UNIVERSE)
    if kind == "reorder":
        stops = next((t for t in owner.trips if order_id in t), ()) if owner else ()
        truck_id = owner.vehicle_id if owner else vehicle_id
        return reorder_stop(drafts, truck_id, order_id, fit(len(stops)), known=UNIVERSE)
    if kind == "swap":
        return swap_truck(drafts, first.vehicle_id, vehicle_id, known=UNIVERSE)
    at = index if wild else 1 + index % max(len(first.order_ids) - 1, 1)
    free = [t for t in TRUCKS if t not in {d.vehicle_id for d in drafts}]
    onto = vehicle_id if wild or not free else free[index % len(free)]
    return split_route(drafts, first.vehicle_id, at, onto, known=UNIVERSE)


def _routed(drafts: tuple[DraftRoute, ...]) -> list[str]:
    return [o for d in drafts for o in d.order_ids]


@settings(max_examples=300, deadline=None)
@given(plans(), st.lists(EDIT, min_size=1, max_size=30))
def test_no_edit_sequence_loses_or_duplicates_an_order_and_undo_is_exact(
    base: tuple[DraftRoute, ...], steps: list[Step]
) -> None:
    history = [base]
    edits: list[PlanEdit] = []
    held = set(held_orders(base, ORDERS))
    sentences: list[str] = []  # every refusal's message
    for step in steps:
        drafts = history[-1]
        try:
            result, edit = _attempt(drafts, step)
        except ValueError as refused:
            sentences.append(str(refused))
            continue
        assert history[-1] == drafts  # the input tuple is untouched
        routed = _routed(result)
        assert len(routed) == len(set(routed)), "an order is on the plan twice"
        if edit.kind is EditKind.MOVE and edit.to_vehicle_id is None:
            held.add(edit.order_id)
        elif edit.kind is EditKind.MOVE and edit.vehicle_id is None:
            held.discard(edit.order_id)
        assert set(routed) | held == set(ORDERS), "an order was lost"
        assert not set(routed) & held
        trucks = [d.vehicle_id for d in result]
        assert len(trucks) == len(set(trucks)), "a truck has two routes"
        assert all(d.order_ids and all(d.trips) for d in result), "an empty trip or route"
        assert PlanEdit.from_json(edit.to_json()) == edit
        assert edit.describe().endswith(".")
        history.append(result)
        edits.append(edit)
    assert all(text.endswith(".") for text in sentences)
    # Undo: each earlier tuple is what replaying the edits before it gives, exactly.
    for k, drafts in enumerate(history):
        assert replay(base, edits[:k], known=UNIVERSE) == drafts
