"""The learned belief: what the engine has learned from outcomes, on top of today's defaults.

A :class:`LearnedBelief` holds a :class:`~senga_desktop.engine.learning.observations.Prior` and one
Gaussian per value that has evidence (see :mod:`~senga_desktop.engine.learning.estimator` for the
estimator); a value without evidence is its prior. :meth:`LearnedBelief.update` folds one route in
(deterministically), :meth:`LearnedBelief.apply` hands what was learned to the planner as an
engine :class:`~senga_desktop.engine.state.Belief`, and :meth:`LearnedBelief.to_json` /
:meth:`LearnedBelief.from_json` store it as a belief version (``"format": 1``), floats exact, so
a decision replayed with the version it recorded plans exactly as it did.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from senga_desktop.engine.learning.estimator import KINDS, SPECS, Gaussian
from senga_desktop.engine.learning.model import (
    BeliefView,
    ValueKey,
    clamp,
    prior_default,
    prior_gaussian,
    stored_lookup,
)
from senga_desktop.engine.learning.observations import (
    CORRIDOR_SEPARATOR,
    Estimate,
    Prediction,
    Prior,
    RouteObservation,
    UpdateResult,
)
from senga_desktop.engine.learning.update import update_route
from senga_desktop.engine.state import Belief
from senga_desktop.errors import ValidationError

__all__ = ["FORMAT", "LearnedBelief"]

FORMAT = 1
Z90 = 1.6448536269514722


class LearnedBelief:
    """Today's defaults plus what completed routes taught; mutable, updated one route at a time.

    Two beliefs are equal when their JSON documents are.
    """

    def __init__(
        self, prior: Prior, values: Mapping[ValueKey, Gaussian] | None = None, *, routes: int = 0
    ) -> None:
        self._prior = prior
        self._values: dict[ValueKey, Gaussian] = dict(values or {})
        self._routes = routes
        self._view = BeliefView(prior, stored_lookup(prior, self._values))

    @classmethod
    def start(cls, prior: Prior) -> LearnedBelief:
        """A belief that has learned nothing yet: every value is its default."""
        return cls(prior)

    @property
    def prior(self) -> Prior:
        """The defaults every value started from."""
        return self._prior

    @property
    def routes(self) -> int:
        """How many routes have been used (in whole or in part)."""
        return self._routes

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LearnedBelief):
            return NotImplemented
        return self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"LearnedBelief({self._routes} routes, {len(self._values)} values learned)"

    # --- learning ---

    def update(self, obs: RouteObservation) -> UpdateResult:
        """Fold one route in; unchanged when the result says it was not used."""
        changes, result = update_route(self._prior, self._values, obs)
        if result.used:
            self._values.update(changes)
            self._routes += 1
        return result

    def reset(self, kind: str, key: str) -> None:
        """Put one value back to its default, forgetting its evidence (no-op if it has none)."""
        if kind not in SPECS:
            raise ValidationError("kind", f"unknown kind of estimate {kind!r}; use one of {KINDS}")
        self._values.pop((kind, key), None)

    # --- reading ---

    def predict(self, obs: RouteObservation) -> Prediction:
        """What the route should take under the current belief (its measurements ignored)."""
        return self._view.predict(obs)

    def corridor_factor(self, town_a: str, town_b: str) -> float:
        """Road km per great-circle km between the two towns."""
        return self._view.corridor_factor(town_a, town_b)

    def speed_kmh(self, vehicle_type: str) -> float:
        """The truck type's average speed."""
        return self._view.speed_kmh(vehicle_type)

    def service_minutes(self, customer_id: str | None = None) -> float:
        """Minutes per stop: the customer's own when it has history, else the global time."""
        return self._view.service_minutes(customer_id)

    def cost_factor(self, vehicle_type: str) -> float:
        """Learned multiplier of a truck type's cost per km (1.0 by default)."""
        return self._view.cost_factor(vehicle_type)

    def estimates(self) -> list[Estimate]:
        """Every value with evidence, plus the global service time, by kind then key."""
        names = set(self._values) | {("service", "")}
        order = {kind: n for n, kind in enumerate(KINDS)}
        return [self._estimate(*name) for name in sorted(names, key=lambda n: (order[n[0]], n[1]))]

    def _estimate(self, kind: str, key: str) -> Estimate:
        value = self._view.value(kind, key)
        mean, variance = value.mean, value.variance
        if kind == "customer_service":
            global_service = self._view.value("service", "")
            mean += global_service.mean
            variance += global_service.variance
        half = Z90 * math.sqrt(variance)
        bounded = "service" if kind == "customer_service" else kind
        return Estimate(
            kind=kind,
            key=key,
            default=prior_default(self._prior, kind, key),
            value=self._view.natural(kind, key),
            low=clamp(bounded, math.exp(mean - half)),
            high=clamp(bounded, math.exp(mean + half)),
            observations=value.observations,
            unit=SPECS[kind].unit,
        )

    def apply(self, belief: Belief) -> Belief:
        """``belief`` with what was learned: corridor factors and speeds that have evidence, and
        the global service time per stop (a customer's own is :meth:`service_minutes`)."""
        corridors = dict(belief.corridor_factors)
        speeds = dict(belief.speeds_kmh)
        for kind, key in sorted(self._values):
            if kind == "corridor":
                a, b = key.split(CORRIDOR_SEPARATOR)
                corridors[(a, b)] = self._view.corridor_factor(a, b)
            elif kind == "speed":
                speeds[key] = self._view.speed_kmh(key)
        return replace(
            belief,
            corridor_factors=corridors,
            speeds_kmh=speeds,
            service_minutes_per_stop=self._view.service_minutes(),
        )

    # --- storage ---

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready document (keys sorted) from which :meth:`from_json` rebuilds this belief."""
        prior = self._prior
        values: dict[str, dict[str, list[float | int]]] = {kind: {} for kind in KINDS}
        for (kind, key), value in sorted(self._values.items()):
            values[kind][key] = [value.mean, value.variance, value.observations]
        return {
            "format": FORMAT,
            "prior": {
                "road_factor": prior.road_factor,
                "speeds_kmh": dict(sorted(prior.speeds_kmh.items())),
                "default_speed_kmh": prior.default_speed_kmh,
                "service_minutes": prior.service_minutes,
                "loading_minutes": prior.loading_minutes,
            },
            "routes": self._routes,
            "values": values,
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> LearnedBelief:
        """Rebuild a belief from :meth:`to_json`'s document; ``ValidationError`` if malformed."""
        if not isinstance(doc, Mapping) or doc.get("format") != FORMAT:
            found = doc.get("format") if isinstance(doc, Mapping) else None
            raise ValidationError("belief", f"unknown belief format {found!r}; expected {FORMAT}")
        try:
            raw = doc["prior"]
            prior = Prior(
                road_factor=float(raw["road_factor"]),
                speeds_kmh={str(k): float(v) for k, v in raw["speeds_kmh"].items()},
                default_speed_kmh=float(raw["default_speed_kmh"]),
                service_minutes=float(raw["service_minutes"]),
                loading_minutes=float(raw["loading_minutes"]),
            )
            values: dict[ValueKey, Gaussian] = {}
            for kind, entries in doc["values"].items():
                if kind not in SPECS:
                    raise ValueError(f"unknown kind {kind!r}")
                for key, (mean, variance, count) in entries.items():
                    checked = _gaussian(float(mean), float(variance), int(count), kind)
                    values[(kind, str(key))] = checked
            routes = int(doc["routes"])
        except ValidationError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValidationError("belief", f"malformed belief document: {exc!r}") from exc
        return cls(prior, dict(sorted(values.items())), routes=routes)


def _gaussian(mean: float, variance: float, count: int, kind: str) -> Gaussian:
    spec = SPECS[kind]
    if not (math.isfinite(mean) and math.isfinite(variance) and variance > 0 and count >= 0):
        raise ValueError(f"bad {kind} value ({mean}, {variance}, {count})")
    if not spec.low - 1e-9 <= mean <= spec.high + 1e-9:
        raise ValueError(f"{kind} mean {mean} outside its bounds")
    return Gaussian(mean, variance, count)


# prior_gaussian is part of the model; re-exported for the belief's readers.
__all__ += ["prior_gaussian"]
