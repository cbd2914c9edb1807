"""The estimator finds a known truth on synthetic routes, and follows it when it changes.

Each test drives routes of real gazetteer towns under a hidden :class:`Truth` different from the
defaults (:mod:`tests.unit.engine.learning.synthetic`), with 5 % noise on every measurement, and
checks that what the belief learned is close to that truth, and that its 90 % interval narrowed.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest

from senga_desktop.engine.learning import LearnedBelief, Prior, corridor_key
from tests.unit.engine.learning.synthetic import Truth, World, totals_only

PRIOR = Prior(speeds_kmh={"medium": 55.0, "light": 60.0})
TRUTH = Truth(
    corridors={
        corridor_key("Nairobi", "Nakuru"): 1.8,  # the escarpment: 40 % longer than the default
        corridor_key("Nairobi", "Nyeri"): 1.6,
        corridor_key("Nairobi", "Thika"): 1.15,  # the superhighway: straighter than the default
    },
    speeds={"medium": 40.0, "light": 72.0},  # mediums slower, lights 20 % faster than assumed
    service={"C-001": 45.0, "C-002": 12.0},
    default_service=25.0,
    cost_factors={"medium": 1.3},
)


def learn(world: World, routes: int, prior: Prior = PRIOR) -> LearnedBelief:
    belief = LearnedBelief.start(prior)
    for obs in world.routes(routes):
        result = belief.update(obs)
        assert result.used, result.flags
        assert result.flags == (), result.flags  # 5 % noise is never an outlier
    return belief


def estimate_of(belief: LearnedBelief, kind: str, key: str) -> tuple[float, float, int]:
    """(low, high, observations) of one estimate."""
    found = [e for e in belief.estimates() if (e.kind, e.key) == (kind, key)]
    assert len(found) == 1, (kind, key)
    return found[0].low, found[0].high, found[0].observations


@pytest.fixture(scope="module")
def screen_belief() -> LearnedBelief:
    """400 routes recorded stop by stop on screen (legs' minutes and stops' dwell measured)."""
    return learn(World(TRUTH, seed=3, vehicle_types=("medium", "light")), 400)


@pytest.fixture(scope="module")
def bulk_belief() -> LearnedBelief:
    """The same 400 routes imported in bulk: only their totals."""
    world = World(TRUTH, seed=3, vehicle_types=("medium", "light"))
    belief = LearnedBelief.start(PRIOR)
    for obs in world.routes(400):
        assert belief.update(totals_only(obs)).used
    return belief


@pytest.mark.parametrize(
    ("town", "truth"), [("Nakuru", 1.8), ("Nyeri", 1.6), ("Thika", 1.15), ("Embu", 1.3)]
)
@pytest.mark.parametrize("mode", ["screen_belief", "bulk_belief"])
def test_corridor_factors_converge(
    request: pytest.FixtureRequest, mode: str, town: str, truth: float
) -> None:
    belief: LearnedBelief = request.getfixturevalue(mode)
    assert belief.corridor_factor("Nairobi", town) == pytest.approx(truth, rel=0.03)
    assert belief.corridor_factor(town, "Nairobi") == belief.corridor_factor("Nairobi", town)
    low, high, seen = estimate_of(belief, "corridor", corridor_key("Nairobi", town))
    assert low < truth < high
    assert seen > 50


@pytest.mark.parametrize(("kind", "truth"), [("medium", 40.0), ("light", 72.0)])
@pytest.mark.parametrize("mode", ["screen_belief", "bulk_belief"])
def test_speed_per_truck_type_converges(
    request: pytest.FixtureRequest, mode: str, kind: str, truth: float
) -> None:
    belief: LearnedBelief = request.getfixturevalue(mode)
    assert belief.speed_kmh(kind) == pytest.approx(truth, rel=0.03)
    low, high, _ = estimate_of(belief, "speed", kind)
    assert low < truth < high


@pytest.mark.parametrize(
    ("customer", "truth"), [("C-001", 45.0), ("C-002", 12.0), ("C-003", 25.0), ("C-006", 25.0)]
)
def test_service_time_per_customer_converges(
    screen_belief: LearnedBelief, customer: str, truth: float
) -> None:
    assert screen_belief.service_minutes(customer) == pytest.approx(truth, rel=0.06)
    low, high, seen = estimate_of(screen_belief, "customer_service", customer)
    assert low < truth < high
    assert seen > 100


def test_service_times_from_route_totals_only_are_rougher_but_ranked(
    bulk_belief: LearnedBelief,
) -> None:
    # From totals alone a stop's minutes mix with the drive; the slow and the quick customer
    # still stand out from the others.
    slow, quick = bulk_belief.service_minutes("C-001"), bulk_belief.service_minutes("C-002")
    others = [bulk_belief.service_minutes(c) for c in ("C-003", "C-004", "C-005", "C-006")]
    assert slow == pytest.approx(45.0, rel=0.15)
    assert quick == pytest.approx(12.0, rel=0.25)
    assert quick < min(others) <= max(others) < slow


@pytest.mark.parametrize("mode", ["screen_belief", "bulk_belief"])
def test_cost_factor_converges(request: pytest.FixtureRequest, mode: str) -> None:
    belief: LearnedBelief = request.getfixturevalue(mode)
    assert belief.cost_factor("medium") == pytest.approx(1.3, rel=0.02)
    assert belief.cost_factor("light") == pytest.approx(1.0, rel=0.02)
    assert belief.cost_factor("semi") == 1.0  # no evidence: the truck's own rate


def test_interval_narrows_with_evidence() -> None:
    world = World(TRUTH, seed=5)
    belief = LearnedBelief.start(PRIOR)
    widths = []
    for obs in [world.route([("Nakuru", "C-003")]) for _ in range(30)]:
        belief.update(obs)
        low, high, _ = estimate_of(belief, "corridor", corridor_key("Nairobi", "Nakuru"))
        widths.append(math.log(high / low))  # in log space, where the estimator works
    assert widths[0] < 2 * 1.645 * 0.25  # already narrower than the prior after one route
    assert all(later <= earlier for earlier, later in itertools.pairwise(widths))
    assert estimate_of(belief, "corridor", corridor_key("Nairobi", "Nakuru"))[2] == 30


def test_nothing_learned_is_the_prior() -> None:
    belief = LearnedBelief.start(PRIOR)
    assert belief.corridor_factor("Nairobi", "Nakuru") == 1.3
    assert belief.speed_kmh("medium") == 55.0
    assert belief.speed_kmh("semi") == 50.0  # not in the prior: its default speed
    assert belief.service_minutes() == belief.service_minutes("C-001") == 20.0
    assert belief.cost_factor("medium") == 1.0
    [service] = belief.estimates()
    assert (service.kind, service.key, service.value) == ("service", "", 20.0)
    assert service.observations == 0


def test_follows_a_road_that_got_worse() -> None:
    # The drift lets recent routes weigh more: after 150 routes at 1.3 the road turns to 1.8.
    before = World(replace(TRUTH, corridors={}), seed=11)
    after = World(TRUTH, seed=12)
    nakuru = [("Nakuru", "C-003")]
    belief = LearnedBelief.start(PRIOR)
    for _ in range(150):
        belief.update(before.route(nakuru, "medium"))
    assert belief.corridor_factor("Nairobi", "Nakuru") == pytest.approx(1.3, rel=0.03)
    for _ in range(150):
        result = belief.update(after.route(nakuru, "medium"))
        assert result.used
    assert belief.corridor_factor("Nairobi", "Nakuru") == pytest.approx(1.8, rel=0.05)
