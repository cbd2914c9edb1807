"""A belief version is deterministic, stores exactly as JSON, and one estimate can be reset."""

from __future__ import annotations

import json
import math

import pytest

from senga_desktop.engine.learning import FORMAT, LearnedBelief, Prior, corridor_key
from senga_desktop.engine.learning.estimator import Gaussian
from senga_desktop.errors import ValidationError
from tests.unit.engine.learning.synthetic import Truth, World

PRIOR = Prior(speeds_kmh={"light": 60.0, "medium": 55.0, "heavy": 50.0})
TRUTH = Truth(
    corridors={corridor_key("Nairobi", "Nakuru"): 1.7},
    speeds={"medium": 42.0, "heavy": 38.0},
    service={"C-001": 40.0},
    cost_factors={"heavy": 1.2},
)
NAKURU = corridor_key("Nairobi", "Nakuru")


def learned(routes: int = 120, seed: int = 1, prior: Prior = PRIOR) -> LearnedBelief:
    world = World(TRUTH, seed=seed, vehicle_types=("medium", "heavy", "light"))
    belief = LearnedBelief.start(prior)
    for obs in world.routes(routes):
        belief.update(obs)
    return belief


def test_same_stream_gives_the_same_document() -> None:
    first, second = learned(), learned()
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())
    assert first == second
    assert learned(seed=2) != first


def test_insertion_order_of_the_prior_is_irrelevant() -> None:
    shuffled = Prior(speeds_kmh={"medium": 55.0, "heavy": 50.0, "light": 60.0})
    assert json.dumps(learned(prior=shuffled).to_json()) == json.dumps(learned().to_json())


def test_insertion_order_of_the_values_is_irrelevant() -> None:
    belief = learned()
    doc = belief.to_json()
    values = {
        (kind, key): Gaussian(*entry)
        for kind, entries in doc["values"].items()
        for key, entry in entries.items()
    }
    backwards = dict(reversed(list(values.items())))
    rebuilt = LearnedBelief(PRIOR, backwards, routes=belief.routes)
    assert json.dumps(rebuilt.to_json()) == json.dumps(doc)
    assert rebuilt.estimates() == belief.estimates()
    # A document whose keys were reordered by the database (JSONB sorts them) reads the same.
    reordered = json.loads(json.dumps(doc, sort_keys=True))
    assert LearnedBelief.from_json(reordered) == belief


def test_json_round_trip_is_exact() -> None:
    belief = learned()
    doc = belief.to_json()
    assert doc["format"] == FORMAT
    assert doc["routes"] == belief.routes == 120
    again = LearnedBelief.from_json(json.loads(json.dumps(doc)))
    assert again.to_json() == doc
    assert again.estimates() == belief.estimates()
    assert again.corridor_factor("Nakuru", "Nairobi") == belief.corridor_factor("Nairobi", "Nakuru")
    assert again.prior == belief.prior


def test_learning_goes_on_identically_after_a_round_trip() -> None:
    world = World(TRUTH, seed=4, vehicle_types=("medium", "heavy"))
    stream = world.routes(100)
    straight = LearnedBelief.start(PRIOR)
    for obs in stream:
        straight.update(obs)
    resumed = LearnedBelief.start(PRIOR)
    for obs in stream[:50]:
        resumed.update(obs)
    resumed = LearnedBelief.from_json(json.loads(json.dumps(resumed.to_json())))
    for obs in stream[50:]:
        resumed.update(obs)
    assert resumed.to_json() == straight.to_json()


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"format": 2}, "unknown belief format 2; expected 1"),
        ({"format": 1, "prior": {}}, "malformed belief document"),
        ([], "unknown belief format None"),
    ],
)
def test_bad_documents_are_refused_in_words(doc: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        LearnedBelief.from_json(doc)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "entry"),
    [("corridor", [math.log(9.0), 0.01, 3]), ("speed", [1.0, -0.5, 2]), ("nonsense", [0, 1, 1])],
)
def test_values_out_of_bounds_or_unknown_are_refused(kind: str, entry: list[float]) -> None:
    doc = learned(10).to_json()
    doc["values"][kind] = {"x": entry}
    with pytest.raises(ValidationError, match="malformed belief document"):
        LearnedBelief.from_json(doc)


def test_reset_puts_one_estimate_back_to_its_default() -> None:
    belief = learned()
    others = [e for e in belief.estimates() if (e.kind, e.key) != ("corridor", NAKURU)]
    assert belief.corridor_factor("Nairobi", "Nakuru") == pytest.approx(1.7, rel=0.05)
    belief.reset("corridor", NAKURU)
    assert belief.corridor_factor("Nairobi", "Nakuru") == 1.3
    assert belief.estimates() == others
    assert NAKURU not in belief.to_json()["values"]["corridor"]
    belief.reset("corridor", NAKURU)  # nothing left to forget: no change
    assert belief.estimates() == others


def test_reset_speed_and_cost_factor() -> None:
    belief = learned()
    assert belief.speed_kmh("heavy") == pytest.approx(38.0, rel=0.05)
    assert belief.cost_factor("heavy") == pytest.approx(1.2, rel=0.03)
    belief.reset("speed", "heavy")
    belief.reset("cost_per_km", "heavy")
    assert belief.speed_kmh("heavy") == 50.0
    assert belief.cost_factor("heavy") == 1.0
    assert belief.speed_kmh("medium") == pytest.approx(42.0, rel=0.05)


def test_reset_of_the_global_service_time_keeps_it_listed() -> None:
    belief = learned()
    belief.reset("service", "")
    service = next(e for e in belief.estimates() if e.kind == "service")
    assert (service.value, service.default, service.observations) == (20.0, 20.0, 0)


def test_a_reset_value_learns_again_from_its_default() -> None:
    belief = learned()
    belief.reset("corridor", NAKURU)
    world = World(TRUTH, seed=30)
    belief.update(world.route([("Nakuru", "C-002")], "medium"))
    [nakuru] = [e for e in belief.estimates() if e.key == NAKURU]
    assert nakuru.observations == 1
    assert nakuru.default == 1.3


def test_reset_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown kind of estimate 'road'"):
        learned(5).reset("road", NAKURU)


def test_estimates_show_default_value_interval_and_evidence() -> None:
    estimates = {(e.kind, e.key): e for e in learned().estimates()}
    nakuru = estimates[("corridor", NAKURU)]
    assert (nakuru.default, nakuru.unit) == (1.3, "x")
    assert nakuru.low < nakuru.value < nakuru.high
    assert nakuru.observations > 10
    heavy = estimates[("speed", "heavy")]
    assert (heavy.default, heavy.unit) == (50.0, "km/h")
    customer = estimates[("customer_service", "C-001")]
    assert (customer.default, customer.unit) == (20.0, "min")
    assert customer.low < customer.value < customer.high
    assert estimates[("cost_per_km", "heavy")].unit == "x"
    kinds = [e.kind for e in learned().estimates()]
    assert kinds == sorted(kinds, key=["corridor", "speed", "service", "customer_service",
                                       "cost_per_km"].index)  # fmt: skip
