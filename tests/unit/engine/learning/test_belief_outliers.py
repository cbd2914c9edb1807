"""Absurd outcomes are flagged in words and teach nothing; plausible parts of a route still count.

A 10x typo in a route's distance must leave the belief exactly where it would be had the
distance (and the cost counted per km of it) never been recorded; a route whose distance and
duration are both absurd must leave it where it would be without that route at all.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from senga_desktop.engine.learning import (
    LearnedBelief,
    Leg,
    Prior,
    RouteObservation,
    UpdateResult,
    Visit,
    corridor_key,
)
from tests.unit.engine.learning.synthetic import Truth, World, totals_only

PRIOR = Prior(speeds_kmh={"medium": 55.0})
TRUTH = Truth(
    corridors={corridor_key("Nairobi", "Nakuru"): 1.8}, speeds={"medium": 45.0}, road_factor=1.35
)
FAR_OFF_DISTANCE = re.compile(
    r"^the distance [\d,]+ km is \d+\.\d times the [\d,]+ km expected (on|for the route) .+: "
    r"check the odometer readings$"
)


def stream(world: World, n: int, bulk: bool = False) -> list[RouteObservation]:
    routes = world.routes(n)
    return [totals_only(o) for o in routes] if bulk else routes


def fold(routes: list[RouteObservation]) -> tuple[LearnedBelief, list[UpdateResult]]:
    belief = LearnedBelief.start(PRIOR)
    return belief, [belief.update(obs) for obs in routes]


def typo(obs: RouteObservation, factor: float = 10.0) -> RouteObservation:
    assert obs.distance_km is not None
    return replace(obs, distance_km=obs.distance_km * factor)


def unmeasured_distance(obs: RouteObservation) -> RouteObservation:
    return replace(obs, distance_km=None, km_cost_kes=None)


@pytest.mark.parametrize("bulk", [False, True], ids=["on screen", "bulk import"])
@pytest.mark.parametrize("where", [0, 60, 149])
def test_distance_typo_changes_nothing_the_distance_would_have(bulk: bool, where: int) -> None:
    routes = stream(World(TRUTH, seed=2), 150, bulk)
    with_typo = [*routes[:where], typo(routes[where]), *routes[where + 1 :]]
    without = [*routes[:where], unmeasured_distance(routes[where]), *routes[where + 1 :]]
    belief, results = fold(with_typo)
    clean, _ = fold(without)
    assert belief.to_json() == clean.to_json()

    flagged = [r for r in results if r.flags]
    assert flagged == [results[where]]
    result = results[where]
    assert result.used  # the drive and stop times of that route still count
    distance_flag, cost_flag = result.flags
    assert FAR_OFF_DISTANCE.match(distance_flag), distance_flag
    assert cost_flag == "the cost was not used either, since it is counted per km of that distance"


@pytest.mark.parametrize("bulk", [False, True], ids=["on screen", "bulk import"])
def test_route_with_distance_and_duration_typos_is_refused_whole(bulk: bool) -> None:
    routes = stream(World(TRUTH, seed=4), 80, bulk)
    bad = routes[40]
    assert bad.duration_minutes is not None
    bad = replace(typo(bad), duration_minutes=bad.duration_minutes * 10)
    if not bulk:  # a route recorded on screen with absurd times at every leg and stop too
        bad = replace(
            bad,
            legs=tuple(replace(leg, minutes=(leg.minutes or 0) * 10) for leg in bad.legs),
            visits=tuple(replace(v, dwell_minutes=(v.dwell_minutes or 0) * 10) for v in bad.visits),
        )
    belief, results = fold([*routes[:40], bad, *routes[41:]])
    clean, _ = fold([*routes[:40], *routes[41:]])
    assert belief.to_json() == clean.to_json()
    assert belief.routes == 79

    result = results[40]
    assert not result.used
    assert result.flags[-1] == "nothing from this route was learned"
    assert FAR_OFF_DISTANCE.match(result.flags[0]), result.flags
    assert any(f.startswith("the duration ") and "times the" in f for f in result.flags)


def test_typo_on_the_very_first_route_is_flagged() -> None:
    obs = World(TRUTH, seed=6).route([("Nakuru", "C-001")])
    belief, clean = LearnedBelief.start(PRIOR), LearnedBelief.start(PRIOR)
    result = belief.update(typo(obs))
    clean.update(unmeasured_distance(obs))
    assert FAR_OFF_DISTANCE.match(result.flags[0]), result.flags
    assert "on Nairobi\u2013Nakuru" in result.flags[0]
    assert belief == clean  # the drive times still taught the corridor; the distance did not


def test_a_few_typos_in_a_long_stream_are_counted_and_only_they() -> None:
    routes = stream(World(TRUTH, seed=8), 200, bulk=True)
    bad_rows = {17, 64, 101, 150, 199}
    typoed = [typo(o) if i in bad_rows else o for i, o in enumerate(routes)]
    _, results = fold(typoed)
    assert {i for i, r in enumerate(results) if r.flags} == bad_rows


def test_after_learning_a_gross_error_within_three_times_is_still_flagged() -> None:
    # Not beyond the hard limit of x3, but far beyond what 60 routes made the belief expect.
    world = World(TRUTH, seed=9)
    nakuru = [("Nakuru", "C-002")]
    belief = LearnedBelief.start(PRIOR)
    for _ in range(60):
        belief.update(totals_only(world.route(nakuru)))
    clean = LearnedBelief.from_json(belief.to_json())
    obs = totals_only(world.route(nakuru))
    result = belief.update(typo(obs, 2.5))
    clean.update(unmeasured_distance(obs))
    assert FAR_OFF_DISTANCE.match(result.flags[0]), result.flags
    assert re.search(r"is 2\.\d times the", result.flags[0]), result.flags
    assert belief == clean


def test_one_odd_but_plausible_route_moves_a_confident_value_only_a_little() -> None:
    world = World(TRUTH, seed=10)
    nakuru = [("Nakuru", "C-002")]
    belief = LearnedBelief.start(PRIOR)
    for _ in range(60):
        belief.update(totals_only(world.route(nakuru)))
    before = belief.corridor_factor("Nairobi", "Nakuru")
    obs = typo(totals_only(world.route(nakuru)), 1.4)
    assert obs.km_cost_kes is not None
    result = belief.update(replace(obs, km_cost_kes=obs.km_cost_kes * 1.4))  # a real detour
    assert result.used
    assert result.flags == ()  # counted, with its weight capped (Huber)
    assert 1.0 < belief.corridor_factor("Nairobi", "Nakuru") / before < 1.03


@pytest.mark.parametrize(
    ("change", "start"),
    [
        ({"distance_km": 0.0}, "the distance 0.0 km cannot be right: check the odometer"),
        ({"duration_minutes": -5.0}, "the duration -5 min cannot be right: check the departure"),
        ({"km_cost_kes": 0.0}, "the distance cost KES 0 cannot be right: the recorded cost"),
    ],
)
def test_impossible_measurements_say_what_to_check(change: dict[str, float], start: str) -> None:
    obs = replace(totals_only(World(TRUTH, seed=12).route([("Nakuru", "C-002")])), **change)
    result = LearnedBelief.start(PRIOR).update(obs)
    assert any(flag.startswith(start) for flag in result.flags), result.flags


def test_stop_time_typo_is_flagged_and_the_rest_of_the_route_used() -> None:
    obs = World(TRUTH, seed=13).route([("Nakuru", "C-002"), ("Naivasha", "C-003")])
    bad = replace(obs, visits=(replace(obs.visits[0], dwell_minutes=20 * 60.0), obs.visits[1]))
    belief = LearnedBelief.start(PRIOR)
    result = belief.update(bad)
    assert result.used
    [flag] = result.flags
    assert flag.startswith("the stop at customer C-002 of 20 h is ")
    assert flag.endswith("check its arrival and departure times")
    # What the route's total leaves for that stop (its real 20 minutes) counts, not the typo.
    assert belief.service_minutes("C-002") < 25.0


def test_route_with_nothing_measured_says_so() -> None:
    obs = RouteObservation(
        key="OUT-1",
        vehicle_type="medium",
        legs=(Leg("Nairobi", "Thika", 40.0), Leg("Thika", "Nairobi", 40.0)),
        visits=(Visit("C-001"),),
    )
    belief = LearnedBelief.start(PRIOR)
    result = belief.update(obs)
    assert not result.used
    assert result.flags == (
        "the outcome records no distance, duration, stop times or cost the engine can learn from",
    )
    assert belief.routes == 0


def test_a_next_door_hop_recorded_as_zero_minutes_is_not_flagged() -> None:
    # Two consignees 300 m apart: both times fall in the same minute of the clock.
    legs = (Leg("Nairobi", "Thika", 38.0, 62.0), Leg("Thika", "Thika", 0.3, 0.0),
            Leg("Thika", "Nairobi", 38.0, 60.0))  # fmt: skip
    visits = (Visit("C-1", 25.0), Visit("C-2", 18.0))
    obs = RouteObservation("OUT-1", "medium", legs, visits, duration_minutes=195.0)
    result = LearnedBelief.start(PRIOR).update(obs)
    assert result.used
    assert result.flags == ()


def test_a_long_drive_recorded_as_zero_minutes_is_flagged() -> None:
    legs = (Leg("Nairobi", "Thika", 38.0, 0.0), Leg("Thika", "Nairobi", 38.0, 60.0))
    obs = RouteObservation("OUT-1", "medium", legs, (Visit("C-1", 25.0),))
    result = LearnedBelief.start(PRIOR).update(obs)
    assert result.flags[0] == (
        "the drive Nairobi\u2013Thika of 0 min cannot be right: "
        "check the times recorded at both ends"
    )


def test_a_distance_shorter_than_the_straight_line_is_flagged_even_on_the_first_route() -> None:
    """The prior is wide before any evidence, so only physics can catch this one: a route
    cannot be shorter than the straight lines between its stops."""
    from senga_desktop.engine.learning import LearnedBelief, Leg, Prior, RouteObservation

    belief = LearnedBelief.start(Prior())
    legs = (Leg("Nairobi", "Nakuru", 122.0), Leg("Nakuru", "Nairobi", 122.0))
    result = belief.update(
        RouteObservation("typo", "rigid", legs, (), distance_km=150.0, duration_minutes=400.0)
    )
    assert any("shorter than the straight line" in flag for flag in result.flags)
    # Only the route's duration (close to what was expected) still counts: no swing to 1.0.
    assert abs(belief.corridor_factor("Nairobi", "Nakuru") - Prior().road_factor) < 0.05
