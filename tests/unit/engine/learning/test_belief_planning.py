"""What was learned reaches the planner: ``apply()``, predictions, and replay of a decision.

``predict()`` must agree with the planner's own travel model
(:class:`~senga_desktop.engine.travel.GreatCircleTravel`) under the belief ``apply()`` builds, and
a decision recorded with a belief version must plan the same again from that version's stored
document, however much was learned since.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import pytest

from senga_desktop.engine.learning import LearnedBelief, Leg, Prior, RouteObservation, Visit
from senga_desktop.engine.learning import corridor_key as key
from senga_desktop.engine.policies import CFAPolicy
from senga_desktop.engine.state import DEFAULT_SPEEDS_KMH, Belief, PlanningState
from senga_desktop.engine.travel import GreatCircleTravel, Point
from senga_desktop.gazetteer import haversine_km
from tests.unit.engine.builders import NAIROBI, order, state, town, truck
from tests.unit.engine.learning.synthetic import Truth, World

PRIOR = Prior(speeds_kmh=DEFAULT_SPEEDS_KMH)  # the planner's defaults, as the controller sets them
TRUTH = Truth(
    corridors={key("Nairobi", "Nakuru"): 1.75, key("Nairobi", "Thika"): 1.15},
    speeds={"medium": 44.0, "light": 70.0},
    default_service=32.0,
)


def learned(routes: int = 150, seed: int = 1) -> LearnedBelief:
    world = World(TRUTH, seed=seed, vehicle_types=("medium", "light"))
    belief = LearnedBelief.start(PRIOR)
    for obs in world.routes(routes):
        belief.update(obs)
    return belief


def test_apply_sets_the_corridors_and_speeds_with_evidence() -> None:
    belief = learned()
    base = Belief(arrival_rates={"Thika": 0.5}, loading_minutes=25.0)
    planned = belief.apply(base)
    assert planned.factor("Nakuru", "Nairobi") == belief.corridor_factor("Nairobi", "Nakuru")
    assert planned.factor("Nairobi", "Nakuru") == pytest.approx(1.75, rel=0.04)
    assert planned.factor("Nairobi", "Thika") == pytest.approx(1.15, rel=0.04)
    assert planned.factor("Mombasa", "Voi") == base.road_factor  # no evidence: the default
    assert planned.speed_kmh("medium") == pytest.approx(44.0, rel=0.04)
    assert planned.speed_kmh("light") == pytest.approx(70.0, rel=0.04)
    assert planned.speed_kmh("semi") == DEFAULT_SPEEDS_KMH["semi"]
    assert planned.service_minutes_per_stop == belief.service_minutes()
    # What learning does not touch is kept.
    assert planned.arrival_rates == base.arrival_rates
    assert planned.loading_minutes == 25.0
    assert planned.road_factor == base.road_factor
    corridors = {key(a, b) for a, b in planned.corridor_factors}
    learned_corridors = {e.key for e in belief.estimates() if e.kind == "corridor"}
    assert corridors == learned_corridors


def test_apply_of_nothing_learned_changes_only_the_service_time_to_its_default() -> None:
    base = Belief(service_minutes_per_stop=15.0)
    assert LearnedBelief.start(PRIOR).apply(base) == replace(base, service_minutes_per_stop=20.0)
    assert LearnedBelief.start(PRIOR).apply(Belief()) == Belief()


def test_apply_keeps_a_corridor_learned_within_one_town() -> None:
    # Two stops across town: a corridor from Thika to Thika, 4 km apart as the crow flies.
    legs = (
        Leg("Nairobi", "Thika", 38.0),
        Leg("Thika", "Thika", 4.0),
        Leg("Thika", "Nairobi", 38.0),
    )
    obs = RouteObservation("OUT-1", "medium", legs, (Visit("C-1"), Visit("C-2")), distance_km=110.0)
    belief = LearnedBelief.start(PRIOR)
    assert belief.update(obs).used
    planned = belief.apply(Belief())
    assert planned.factor("Thika", "Thika") == belief.corridor_factor("Thika", "Thika") > 1.3


ROUTE_TOWNS = ("Thika", "Nakuru", "Naivasha", "Limuru")


def route(vehicle_type: str) -> tuple[list[Point], RouteObservation]:
    """A route depot -> four towns -> depot as the planner's points and as an observation."""
    points = [Point(NAIROBI.town, NAIROBI.lat, NAIROBI.lon)]
    points += [Point(name, *town(name)) for name in ROUTE_TOWNS]
    points.append(points[0])
    legs = tuple(
        Leg(a.town, b.town, haversine_km(a.lat, a.lon, b.lat, b.lon))
        for a, b in itertools.pairwise(points)
    )
    visits = tuple(Visit(f"NEW-{n}") for n in range(len(ROUTE_TOWNS)))  # customers with no history
    obs = RouteObservation("plan", vehicle_type, legs, visits, cost_per_km_kes=80.0)
    return points, obs


@pytest.mark.parametrize("routes", [0, 5, 150])
@pytest.mark.parametrize("vehicle_type", ["medium", "light", "semi"])
def test_predict_agrees_with_the_planners_travel_model(routes: int, vehicle_type: str) -> None:
    belief = learned(routes)
    points, obs = route(vehicle_type)
    planned = belief.apply(Belief())
    travel = GreatCircleTravel(planned)
    metres = travel.distances(points)
    seconds = travel.durations(points, vehicle_type)
    steps = range(len(points) - 1)
    planner_km = sum(int(metres[i, i + 1]) for i in steps) / 1000
    planner_minutes = (
        sum(int(seconds[i, i + 1]) for i in steps) / 60
        + len(obs.visits) * planned.service_minutes_per_stop
        + obs.loadings * planned.loading_minutes
    )
    prediction = belief.predict(obs)
    legs = len(obs.legs)
    assert prediction.distance_km == pytest.approx(planner_km, abs=0.0005 * legs)  # whole metres
    assert prediction.duration_minutes == pytest.approx(planner_minutes, abs=legs / 60)  # seconds
    assert prediction.km_cost_kes == pytest.approx(
        80.0 * belief.cost_factor(vehicle_type) * prediction.distance_km
    )


def test_predict_uses_a_customers_own_service_time() -> None:
    belief = learned()
    world = World(replace(TRUTH, service={"C-009": 75.0}), seed=8)
    for _ in range(40):
        belief.update(world.route([("Thika", "C-009")], "medium"))
    _, obs = route("medium")
    usual = belief.predict(obs).duration_minutes
    with_slow = replace(obs, visits=(Visit("C-009"), *obs.visits[1:]))
    extra = belief.predict(with_slow).duration_minutes - usual
    assert extra == pytest.approx(belief.service_minutes("C-009") - belief.service_minutes())
    assert belief.service_minutes("C-009") == pytest.approx(75.0, rel=0.1)


def planning_state(belief: Belief) -> PlanningState:
    orders = [order(f"O-{n}", where) for n, where in enumerate(ROUTE_TOWNS * 2)]
    trucks = [truck("T-1", "medium"), truck("T-2", "light", kg=3000, dm3=12000)]
    return replace(state(orders, trucks), belief=belief)


def test_a_decision_replays_with_the_belief_version_it_recorded() -> None:
    # The version a decision recorded is stored as JSON; learning goes on afterwards.
    world = World(TRUTH, seed=21, vehicle_types=("medium", "light"))
    live = LearnedBelief.start(PRIOR)
    for obs in world.routes(60):
        live.update(obs)
    stored = json.dumps(live.to_json())
    base = Belief()
    original = live.apply(base)
    decided = CFAPolicy().decide(planning_state(original), seed=5, time_limit=None,
                                 max_iterations=200)  # fmt: skip
    for obs in world.routes(60):
        live.update(obs)
    assert live.apply(base) != original  # the next plan uses the new version

    replayed = LearnedBelief.from_json(json.loads(stored)).apply(base)
    assert replayed == original
    assert hash(replayed) == hash(original)
    again = CFAPolicy().decide(planning_state(replayed), seed=5, time_limit=None,
                               max_iterations=200)  # fmt: skip
    assert again.plan.routes == decided.plan.routes
    assert again.plan.cost_kes == decided.plan.cost_kes
    assert again.held == decided.held
    assert planning_state(replayed).to_json() == planning_state(original).to_json()
