"""The estimator: how each completed route moves what the engine believes.

What managers are told
----------------------
Every learned value starts at today's default and moves only as far as the evidence carries it.
Each value is a bell curve (a Gaussian) over its *logarithm*, so that "20 % slower" means the same
on a short corridor as on a long one, and a value can never turn negative:

=================  =================================  ==========  ==============  =========
value              what it multiplies                 prior std   drift / route   bounds
=================  =================================  ==========  ==============  =========
corridor factor    road km per great-circle km of a   0.25        0.010           1.0-4.0
                   town pair (``'Nairobi|Nakuru'``)
speed              km/h of a truck type               0.20        0.010           5-120
service time       minutes at a stop (every stop)     0.40        0.010           1-480 min
customer offset    that customer's service time /     0.50        0.020           x1/20-x20
                   the global one
cost factor        the truck's own cost per km        0.25        0.010           0.2-5.0
=================  =================================  ==========  ==============  =========

The prior std says how far from today's default a value may plausibly be before any evidence: a
road factor of 1.3 with std 0.25 puts 90 % of corridors between 0.86 and 1.96 (clipped at 1.0:
no road is shorter than the straight line), which covers Kenya's straight highways and its
escarpment roads; speeds vary less between corridors than roads do (std 0.20: 50 km/h is 36-70
km/h with 90 % confidence); service times vary most (std 0.40 globally, another 0.50 for a single
customer, so a customer taking twice the time is barely one std away).

Updating (a decoupled extended Kalman filter)
---------------------------------------------
Each measurement of a route is turned into one linear equation in the log-errors of the values
it depends on, around the current belief, then applied as a scalar Kalman update to each of those
values separately (the cross-correlations are dropped, which keeps the state one mean and one
variance per value, small enough to store and show):

* distance: ``log(actual / predicted km) = sum over corridors c of w_c x d log f_c``, ``w_c`` the
  corridor's share of the predicted km (noise std 0.06: odometer rounding, detours in towns);
* a leg's measured driving minutes: ``log(actual / predicted) = d log f_c - d log v_type``
  (noise std 0.15 plus one minute of clock resolution);
* a stop's measured minutes: ``log(actual / predicted) = d log s + d log o_customer``
  (noise std 0.35 plus one minute);
* route duration: ``log(actual / predicted) = travel share x (sum_c w_c d log f_c - d log v)
  + sum of stop shares x (d log s + d log o)``, loading at the depot taken as known (noise std
  0.12: traffic, waiting for a window). Legs and stops whose times were measured are taken out of
  the total first (their measured minutes subtracted, their terms dropped) so nothing is counted
  twice, and the noise grows as the unmeasured remainder shrinks;
* cost: ``log(km cost / (rate x actual km)) = d log cost factor`` (noise std 0.10: fuel price,
  idling), only when the distance itself was accepted.

A value's gain is ``P w / S`` with ``S = sum w^2 P + R``. Before a route's first use of a value,
its variance grows by the drift squared (a random walk): recent routes weigh more than old ones,
so a value follows a road that got worse instead of freezing once it has seen enough routes.

Outliers: a measurement more than three times (or less than a third of) what the belief expects
(six times for a stop's minutes, which vary most) is flagged whatever the variance, and so is one
more than four standard deviations of ``S`` away, unless it is within 50 % of the expectation (so
a value that became confident can still follow a real change). Between two and four standard
deviations a measurement counts, but with its noise raised so it moves the value no further than
a two-std measurement would (Huber weighting): one odd route cannot swing the belief.

Everything is deterministic: sums run over sorted keys, no randomness is involved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "BOUNDS",
    "GATE_SIGMAS",
    "HUBER_SIGMAS",
    "KINDS",
    "NO_FLAG_RATIO",
    "SPECS",
    "Gaussian",
    "Spec",
    "Term",
    "kalman_step",
]

Z90 = 1.6448536269514722  # the 95th percentile of the standard normal: a two-sided 90 % interval
GATE_SIGMAS = 4.0
HUBER_SIGMAS = 2.0
NO_FLAG_RATIO = 1.5  # never flag by the std gate within x1.5 of what was expected


@dataclass(frozen=True, slots=True)
class Spec:
    """How one kind of value is learned: its prior std and drift per route (log space), the
    bounds of its mean (log space) and the unit it is shown in."""

    prior_std: float
    drift_std: float
    low: float
    high: float
    unit: str


SPECS: Mapping[str, Spec] = {
    "corridor": Spec(0.25, 0.010, math.log(1.0), math.log(4.0), "x"),
    "speed": Spec(0.20, 0.010, math.log(5.0), math.log(120.0), "km/h"),
    "service": Spec(0.40, 0.010, math.log(1.0), math.log(480.0), "min"),
    "customer_service": Spec(0.50, 0.020, math.log(1 / 20), math.log(20.0), "min"),
    "cost_per_km": Spec(0.25, 0.010, math.log(0.2), math.log(5.0), "x"),
}
KINDS: tuple[str, ...] = tuple(SPECS)

BOUNDS: Mapping[str, tuple[float, float]] = {
    "corridor": (1.0, 4.0),
    "speed": (5.0, 120.0),
    "service": (1.0, 480.0),
    "customer_service": (1.0, 480.0),  # the customer's minutes, global time x offset
    "cost_per_km": (0.2, 5.0),
}
"""Where every shown value (and its interval) stays, in the unit it is shown in."""

# Measurement noise, std of the log-ratio (see the module docstring).
DISTANCE_STD = 0.06
DURATION_STD = 0.12
LEG_STD = 0.15
DWELL_STD = 0.35
COST_STD = 0.10
CLOCK_MINUTES = 1.0  # times are recorded to the minute
MAX_REMAINDER_STD = 1.0  # a remainder of a few minutes out of hours says almost nothing


@dataclass(frozen=True, slots=True)
class Gaussian:
    """One learned value: mean and variance of its logarithm (or log offset), and how many
    routes it rests on."""

    mean: float
    variance: float
    observations: int = 0

    def interval(self) -> tuple[float, float]:
        """The 90 % interval of the log value."""
        half = Z90 * math.sqrt(self.variance)
        return self.mean - half, self.mean + half


@dataclass(frozen=True, slots=True)
class Term:
    """One value a measurement depends on, and the weight ``w`` of its log-error."""

    kind: str
    key: str
    weight: float


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What one scalar update would do: accepted or not, the std of the innovation, and the
    updated values (empty if not accepted)."""

    accepted: bool
    sigma: float
    values: Mapping[tuple[str, str], Gaussian]


def kalman_step(
    values: Mapping[tuple[str, str], Gaussian],
    terms: Sequence[Term],
    innovation: float,
    noise_variance: float,
    *,
    fresh: frozenset[tuple[str, str]],
    hard_ratio: float,
) -> StepOutcome:
    """One decoupled Kalman update of the values ``terms`` name, or a refusal.

    ``values`` holds the current Gaussian of every term's value; ``fresh`` names the values this
    route has not touched yet, whose variance first grows by their drift. ``innovation`` is
    ``log(actual / predicted)``. Refused (``accepted`` False) when the measurement is beyond
    ``hard_ratio`` or beyond the std gate (see the module docstring).
    """
    merged: dict[tuple[str, str], float] = {}
    for term in terms:
        name = (term.kind, term.key)
        merged[name] = merged.get(name, 0.0) + term.weight
    names = sorted(name for name, weight in merged.items() if weight != 0.0)
    before: dict[tuple[str, str], float] = {}
    for name in names:
        variance = values[name].variance
        if name in fresh:
            variance += SPECS[name[0]].drift_std ** 2
        before[name] = variance
    spread = math.fsum(merged[name] ** 2 * before[name] for name in names) + noise_variance
    sigma = math.sqrt(spread)
    size = abs(innovation)
    if size > math.log(hard_ratio) or (
        size > GATE_SIGMAS * sigma and size > math.log(NO_FLAG_RATIO)
    ):
        return StepOutcome(False, sigma, {})
    if size > HUBER_SIGMAS * sigma:
        spread = (size / HUBER_SIGMAS) ** 2  # the noise raised until this is a two-std step
    updated: dict[tuple[str, str], Gaussian] = {}
    for name in names:
        weight, variance = merged[name], before[name]
        gain = variance * weight / spread
        spec = SPECS[name[0]]
        mean = min(spec.high, max(spec.low, values[name].mean + gain * innovation))
        shrunk = variance * (1.0 - gain * weight)
        count = values[name].observations + (1 if name in fresh else 0)
        updated[name] = Gaussian(mean, max(shrunk, 1e-12), count)
    return StepOutcome(True, sigma, updated)
