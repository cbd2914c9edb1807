"""Invariants of the estimator over arbitrary streams of outcomes (Hypothesis).

* Whatever is recorded — absurd, zero, negative, missing — every estimate and its interval stay
  within the bounds of their kind, the belief still plans (``apply``) and still stores exactly.
* A route that went exactly as the belief predicted leaves every mean where it was.
"""

from __future__ import annotations

import itertools
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from senga_desktop.engine.learning import LearnedBelief, Leg, Prior, RouteObservation, Visit
from senga_desktop.engine.learning.estimator import BOUNDS, SPECS
from senga_desktop.engine.learning.model import prior_mean
from senga_desktop.engine.state import Belief
from tests.unit.engine.learning.synthetic import DEPOT, TOWNS, great_circle_km

PRIOR = Prior(speeds_kmh={"medium": 55.0, "light": 60.0})
CUSTOMERS = ("C-1", "C-2", "C-3")
KINDS = ("medium", "light", "semi")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A measurement: missing, or anything from a thousandth to a thousand times plausible, or zero
# or negative (a slip of the keyboard).
scale = st.one_of(
    st.none(),
    st.floats(min_value=-3.0, max_value=3.0).map(lambda e: 10.0**e),
    st.sampled_from([0.0, -1.0]),
)


def measured(value: float, factor: float | None) -> float | None:
    return None if factor is None else value * factor


@st.composite
def observations(draw: st.DrawFn, n: int = 0) -> RouteObservation:
    stops = draw(st.lists(st.sampled_from(TOWNS), min_size=1, max_size=6))
    customers = draw(st.lists(st.sampled_from(CUSTOMERS), min_size=len(stops), max_size=len(stops)))
    path = [DEPOT, *stops, DEPOT]
    legs = []
    for a, b in itertools.pairwise(path):
        km = great_circle_km(a, b)
        legs.append(Leg(a, b, km, measured(km * 1.3 / 50 * 60 + 1, draw(scale))))
    visits = tuple(Visit(c, measured(20.0, draw(scale))) for c in customers)
    km = sum(leg.great_circle_km for leg in legs) * 1.3
    return RouteObservation(
        key=f"OUT-{n}",
        vehicle_type=draw(st.sampled_from(KINDS)),
        legs=tuple(legs),
        visits=visits,
        loadings=draw(st.integers(min_value=0, max_value=2)),
        distance_km=measured(km, draw(scale)),
        duration_minutes=measured(km / 50 * 60 + 20 * len(visits) + 30, draw(scale)),
        km_cost_kes=measured(km * 80, draw(scale)),
        cost_per_km_kes=draw(st.sampled_from([None, 80.0])),
    )


streams = st.lists(observations(), max_size=25)


def within(kind: str, value: float) -> bool:
    low, high = BOUNDS["service" if kind == "customer_service" else kind]
    return low - 1e-9 <= value <= high + 1e-9


@SETTINGS
@given(streams)
def test_estimates_always_stay_within_bounds(stream: list[RouteObservation]) -> None:
    belief = LearnedBelief.start(PRIOR)
    for obs in stream:
        result = belief.update(obs)
        assert result.used or result.flags  # a refusal always says why
        for estimate in belief.estimates():
            assert all(within(estimate.kind, v) for v in (estimate.low, estimate.high))
            assert estimate.low <= estimate.value <= estimate.high
            assert within(estimate.kind, estimate.value)
        prediction = belief.predict(obs)
        assert math.isfinite(prediction.duration_minutes)
        assert prediction.duration_minutes >= 0
    planned = belief.apply(Belief())  # a valid engine belief: its own checks pass
    assert all(1.0 <= f <= 4.0 for f in planned.corridor_factors.values())
    assert all(5.0 <= v <= 120.0 for v in planned.speeds_kmh.values())
    assert LearnedBelief.from_json(json.loads(json.dumps(belief.to_json()))) == belief


def as_predicted(belief: LearnedBelief, template: RouteObservation) -> RouteObservation:
    """``template``'s route with every measurement it makes exactly as ``belief`` predicts."""
    kind = template.vehicle_type
    legs = tuple(
        Leg(
            leg.town_a,
            leg.town_b,
            leg.great_circle_km,
            None
            if leg.minutes is None
            else leg.great_circle_km
            * belief.corridor_factor(leg.town_a, leg.town_b)
            / belief.speed_kmh(kind)
            * 60.0,
        )
        for leg in template.legs
    )
    visits = tuple(
        Visit(
            v.customer_id,
            None if v.dwell_minutes is None else belief.service_minutes(v.customer_id),
        )
        for v in template.visits
    )
    blank = RouteObservation(template.key, kind, legs, visits, template.loadings,
                             cost_per_km_kes=80.0)  # fmt: skip
    prediction = belief.predict(blank)
    return RouteObservation(
        template.key,
        kind,
        legs,
        visits,
        template.loadings,
        distance_km=prediction.distance_km,
        duration_minutes=prediction.duration_minutes,
        km_cost_kes=prediction.km_cost_kes,
        cost_per_km_kes=80.0,
    )


@SETTINGS
@given(streams, observations())
def test_a_route_exactly_as_predicted_leaves_the_means_unchanged(
    history: list[RouteObservation], template: RouteObservation
) -> None:
    belief = LearnedBelief.start(PRIOR)
    for obs in history:
        belief.update(obs)
    before = belief.to_json()["values"]
    result = belief.update(as_predicted(belief, template))
    assert result.used
    assert result.flags == ()
    after = belief.to_json()["values"]
    for kind, entries in after.items():
        for key, (mean, variance, _) in entries.items():
            fresh = [prior_mean(PRIOR, kind, key), SPECS[kind].prior_std ** 2, 0]
            old_mean, old_variance, _ = before[kind].get(key, fresh)
            assert math.isclose(mean, old_mean, rel_tol=0, abs_tol=1e-9), (kind, key)
            assert variance <= old_variance + 0.02**2  # no more than a route's drift
