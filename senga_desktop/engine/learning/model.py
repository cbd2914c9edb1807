"""The travel model under a belief: what a route should take, given the learned values.

The same arithmetic as :class:`~senga_desktop.engine.travel.GreatCircleTravel` (road km =
great-circle km x the corridor's road factor, minutes = road km / the truck type's speed) plus the
stops' service times and the loadings, so a prediction here agrees with a plan made under
:meth:`LearnedBelief.apply <senga_desktop.engine.learning.belief.LearnedBelief.apply>` up to the
planner's rounding to whole metres and seconds.

:class:`BeliefView` reads values through a lookup function, so the belief itself and a draft of
it being updated share one implementation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from senga_desktop.engine.learning.estimator import BOUNDS, SPECS, Gaussian
from senga_desktop.engine.learning.observations import (
    Leg,
    Prediction,
    Prior,
    RouteObservation,
    corridor_key,
)

__all__ = ["BeliefView", "Lookup", "ValueKey", "prior_gaussian"]

ValueKey = tuple[str, str]
Lookup = Callable[[str, str], Gaussian]


def prior_mean(prior: Prior, kind: str, key: str) -> float:
    """Today's default of a value, in the log space the estimator works in."""
    if kind == "corridor":
        return math.log(prior.road_factor)
    if kind == "speed":
        return math.log(prior.speed_kmh(key))
    if kind == "service":
        return math.log(prior.service_minutes)
    if kind in ("customer_service", "cost_per_km"):
        return 0.0  # an offset from the global service time, a multiplier of the truck's rate
    raise ValueError(f"unknown kind of estimate {kind!r}")


def prior_default(prior: Prior, kind: str, key: str) -> float:
    """Today's default of a value in the unit it is shown in (1.0 for the multipliers)."""
    if kind == "corridor":
        return prior.road_factor
    if kind == "speed":
        return prior.speed_kmh(key)
    if kind in ("service", "customer_service"):
        return prior.service_minutes
    if kind == "cost_per_km":
        return 1.0
    raise ValueError(f"unknown kind of estimate {kind!r}")


def prior_gaussian(prior: Prior, kind: str, key: str) -> Gaussian:
    """The Gaussian a value starts from: today's default, the kind's prior std, no evidence."""
    spec = SPECS[kind]
    mean = min(spec.high, max(spec.low, prior_mean(prior, kind, key)))
    return Gaussian(mean, spec.prior_std**2, 0)


def clamp(kind: str, value: float) -> float:
    """``value`` kept within the bounds of its kind (:data:`BOUNDS`)."""
    low, high = BOUNDS[kind]
    return min(high, max(low, value))


class BeliefView:
    """Values and predictions under one state of the belief (read through ``lookup``)."""

    def __init__(self, prior: Prior, lookup: Lookup) -> None:
        self.prior = prior
        self._lookup = lookup

    def value(self, kind: str, key: str) -> Gaussian:
        """The Gaussian of one value (its prior if nothing was learned)."""
        return self._lookup(kind, key)

    def natural(self, kind: str, key: str) -> float:
        """One value in the unit it is shown in (within its bounds); exactly its default while
        nothing moved it, since ``exp(log(x))`` is not always ``x`` in floating point."""
        if kind == "customer_service":
            return self.service_minutes(key)
        mean = self._lookup(kind, key).mean
        if mean == prior_mean(self.prior, kind, key):
            return clamp(kind, prior_default(self.prior, kind, key))
        return clamp(kind, math.exp(mean))

    def corridor_factor(self, town_a: str, town_b: str) -> float:
        """Road km per great-circle km between the two towns."""
        return self.natural("corridor", corridor_key(town_a, town_b))

    def speed_kmh(self, vehicle_type: str) -> float:
        """The truck type's average speed."""
        return self.natural("speed", vehicle_type)

    def service_minutes(self, customer_id: str | None = None) -> float:
        """Minutes at a stop: the customer's own when it has history, else the global time."""
        offset = 0.0 if customer_id is None else self._lookup("customer_service", customer_id).mean
        if offset == 0.0:
            return self.natural("service", "")
        return clamp("service", math.exp(self._lookup("service", "").mean + offset))

    def cost_factor(self, vehicle_type: str) -> float:
        """Learned multiplier of a truck type's cost per km."""
        return self.natural("cost_per_km", vehicle_type)

    def leg_km(self, leg: Leg) -> float:
        """Road km of a leg."""
        return leg.great_circle_km * self.corridor_factor(leg.town_a, leg.town_b)

    def leg_minutes(self, leg: Leg, vehicle_type: str) -> float:
        """Driving minutes of a leg."""
        return self.leg_km(leg) / self.speed_kmh(vehicle_type) * 60.0

    def predict(self, obs: RouteObservation) -> Prediction:
        """Distance, duration (loading included) and km-dependent cost the belief expects."""
        distance = math.fsum(self.leg_km(leg) for leg in obs.legs)
        duration = math.fsum(
            [
                *(self.leg_minutes(leg, obs.vehicle_type) for leg in obs.legs),
                *(self.service_minutes(visit.customer_id) for visit in obs.visits),
                obs.loadings * self.prior.loading_minutes,
            ]
        )
        cost = None
        if obs.cost_per_km_kes is not None:
            cost = obs.cost_per_km_kes * self.cost_factor(obs.vehicle_type) * distance
        return Prediction(distance_km=distance, duration_minutes=duration, km_cost_kes=cost)


def stored_lookup(prior: Prior, values: Mapping[ValueKey, Gaussian]) -> Lookup:
    """A lookup over stored values, falling back to the prior."""

    def lookup(kind: str, key: str) -> Gaussian:
        found = values.get((kind, key))
        return found if found is not None else prior_gaussian(prior, kind, key)

    return lookup
