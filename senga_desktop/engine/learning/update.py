"""One route's update of the belief: its measurements in order, each gated, all or nothing.

The measurements of a route are applied one after the other, each linearised around the belief as
the previous ones left it: the distance, each leg's measured minutes, each stop's measured
minutes, then what of the route's duration the legs and stops did not already account for, then
the cost. They are applied to a *draft* of the belief; only when the route as a whole is plausible
does the caller merge the draft in. A refused part does not block the others (a distance typo
does not waste a good duration), but a route whose distance and duration are both refused, or
whose every measurement is refused, teaches nothing at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from senga_desktop.engine.learning import messages as say
from senga_desktop.engine.learning.estimator import (
    CLOCK_MINUTES,
    COST_STD,
    DISTANCE_STD,
    DURATION_STD,
    DWELL_STD,
    LEG_STD,
    MAX_REMAINDER_STD,
    Gaussian,
    Term,
    kalman_step,
)
from senga_desktop.engine.learning.model import BeliefView, ValueKey, prior_gaussian
from senga_desktop.engine.learning.observations import (
    Leg,
    Prior,
    RouteObservation,
    UpdateResult,
    Visit,
)

__all__ = ["update_route"]

HARD_RATIO = 3.0
DWELL_HARD_RATIO = 6.0  # time at a stop varies most: a queue at the gate can triple it
SAME_MINUTE = 2.0  # a drive expected to take up to this many clock ticks may read 0 min
STRAIGHT_LINE_SLACK = 0.97  # GPS-rounded town points may sit a little off the real stops
MIN_KM = 0.5  # a predicted distance shorter than this says nothing about a road factor
ODOMETER = "check the odometer readings"
LEG_ADVICE = "check the times recorded at both ends"
DWELL_ADVICE = "check its arrival and departure times"
TIMES_ADVICE = "check the departure and return times"
COST_ADVICE = "check the fuel cost and the other costs"


class _Draft:
    """The belief as this route's accepted measurements leave it, over the stored values."""

    def __init__(self, prior: Prior, base: Mapping[ValueKey, Gaussian]) -> None:
        self.prior = prior
        self.base = base
        self.changes: dict[ValueKey, Gaussian] = {}
        self.touched: set[ValueKey] = set()
        self.view = BeliefView(prior, self.lookup)

    def lookup(self, kind: str, key: str) -> Gaussian:
        name = (kind, key)
        found = self.changes.get(name)
        if found is None:
            found = self.base.get(name)
        return found if found is not None else prior_gaussian(self.prior, kind, key)

    def step(
        self, terms: Sequence[Term], innovation: float, noise: float, hard_ratio: float
    ) -> bool:
        names = {(t.kind, t.key) for t in terms}
        values = {name: self.lookup(*name) for name in names}
        fresh = frozenset(names - self.touched)
        out = kalman_step(values, terms, innovation, noise, fresh=fresh, hard_ratio=hard_ratio)
        if out.accepted:
            self.changes.update(out.values)
            self.touched |= set(out.values)
        return out.accepted


class _RouteUpdate:
    """The measurements of one route applied to a draft, with the sentences of those refused."""

    def __init__(self, prior: Prior, values: Mapping[ValueKey, Gaussian], obs: RouteObservation):
        self.draft = _Draft(prior, values)
        self.view = self.draft.view
        self.obs = obs
        self.flags: list[str] = []
        self.attempted = 0
        self.accepted = 0
        self.measured: list[float] = []  # minutes of accepted legs and stops
        self.known_legs: set[int] = set()
        self.known_visits: set[int] = set()
        corridors = sorted({leg.corridor for leg in obs.legs if leg.great_circle_km > 0})
        self.label = say.route_label(obs.towns, corridors)

    def _try(self, ok: bool) -> bool:
        self.attempted += 1
        self.accepted += ok
        return ok

    def distance(self) -> bool | None:
        """The route's km against the corridors' factors (``None``: nothing to compare)."""
        actual = self.obs.distance_km
        expected = math.fsum(self.view.leg_km(leg) for leg in self.obs.legs)
        if actual is None or expected <= MIN_KM:
            return None
        if actual <= 0:
            self.flags.append(say.impossible("the distance", say.km(actual), ODOMETER))
            return self._try(False)
        straight = math.fsum(leg.great_circle_km for leg in self.obs.legs)
        if actual < straight * STRAIGHT_LINE_SLACK:
            advice = f"no road is shorter than the straight line ({say.km(straight)}); {ODOMETER}"
            self.flags.append(say.impossible("the distance", say.km(actual), advice))
            return self._try(False)
        terms = [
            Term("corridor", leg.corridor, self.view.leg_km(leg) / expected)
            for leg in self.obs.legs
            if leg.great_circle_km > 0
        ]
        ok = self.draft.step(terms, math.log(actual / expected), DISTANCE_STD**2, HARD_RATIO)
        if not ok:
            shown = say.km(actual), say.km(expected)
            tail = f" {self.label}: {ODOMETER}"
            self.flags.append(say.far_off("the distance", *shown, (actual, expected), tail))
        return self._try(ok)

    def legs(self) -> None:
        """Each leg's measured driving minutes against its corridor and the truck's speed."""
        kind = self.obs.vehicle_type
        for index, leg in enumerate(self.obs.legs):
            if leg.minutes is None:
                continue
            name = f"the drive {leg.town_a}\u2013{leg.town_b} of"
            if leg.great_circle_km == 0 and leg.minutes >= 0:
                self.measured.append(leg.minutes)  # nothing to learn, but its time is known
                self.known_legs.add(index)
                continue
            expected = self.view.leg_minutes(leg, kind)
            if leg.minutes == 0 and expected <= SAME_MINUTE * CLOCK_MINUTES:
                # A hop to the next door: both ends fell in the same minute of the clock. Its
                # time is known, but a zero says nothing about the road.
                self.measured.append(0.0)
                self.known_legs.add(index)
                continue
            if leg.minutes <= 0:
                self.flags.append(say.impossible(name, say.minutes(leg.minutes), LEG_ADVICE))
                self._try(False)
                continue
            terms = [Term("corridor", leg.corridor, 1.0), Term("speed", kind, -1.0)]
            noise = LEG_STD**2 + (CLOCK_MINUTES / expected) ** 2
            innovation = math.log(leg.minutes / expected)
            if self._try(self.draft.step(terms, innovation, noise, HARD_RATIO)):
                self.measured.append(leg.minutes)
                self.known_legs.add(index)
            else:
                shown = say.minutes(leg.minutes), say.minutes(expected)
                ratio = (leg.minutes, expected)
                self.flags.append(say.far_off(name, *shown, ratio, f": {LEG_ADVICE}"))

    def visits(self) -> None:
        """Each stop's measured minutes against the global and the customer's service time."""
        for index, visit in enumerate(self.obs.visits):
            dwell = visit.dwell_minutes
            if dwell is None:
                continue
            name = f"the stop at customer {visit.customer_id} of"
            if dwell <= 0:
                self.flags.append(say.impossible(name, say.minutes(dwell), DWELL_ADVICE))
                self._try(False)
                continue
            expected = self.view.service_minutes(visit.customer_id)
            terms = [Term("service", "", 1.0), Term("customer_service", visit.customer_id, 1.0)]
            noise = DWELL_STD**2 + (CLOCK_MINUTES / expected) ** 2
            innovation = math.log(dwell / expected)
            if self._try(self.draft.step(terms, innovation, noise, DWELL_HARD_RATIO)):
                self.measured.append(dwell)
                self.known_visits.add(index)
            else:
                shown = say.minutes(dwell), say.minutes(expected)
                self.flags.append(say.far_off(name, *shown, (dwell, expected), f": {DWELL_ADVICE}"))

    def duration(self) -> bool | None:
        """What of the route's duration its measured legs and stops leave unexplained."""
        obs, view = self.obs, self.view
        legs = [
            leg
            for i, leg in enumerate(obs.legs)
            if i not in self.known_legs and leg.great_circle_km > 0
        ]
        visits = [v for i, v in enumerate(obs.visits) if i not in self.known_visits]
        total = obs.duration_minutes
        if total is None or not (legs or visits):
            return None  # not measured, or every part of it already was
        if total <= 0:
            self.flags.append(say.impossible("the duration", say.minutes(total), TIMES_ADVICE))
            return self._try(False)
        known = math.fsum(self.measured)
        rest = total - known
        if rest <= 0:
            self.flags.append(say.remainder_negative(known, total))
            return self._try(False)
        terms, expected = self._duration_terms(legs, visits)
        expected_total = view.predict(obs).duration_minutes
        # The total's noise, as a share of the smaller remainder it is now all in.
        std = min(MAX_REMAINDER_STD, DURATION_STD * expected_total / expected)
        ok = 1 / HARD_RATIO <= total / expected_total <= HARD_RATIO and self.draft.step(
            terms, math.log(rest / expected), std**2, math.inf
        )
        if not ok:
            label = say.route_label(obs.towns, sorted({leg.corridor for leg in obs.legs}))
            shown = say.minutes(total), say.minutes(expected_total)
            tail = f" {label}: {TIMES_ADVICE}"
            self.flags.append(say.far_off("the duration", *shown, (total, expected_total), tail))
        return self._try(ok)

    def _duration_terms(
        self, legs: Sequence[Leg], visits: Sequence[Visit]
    ) -> tuple[list[Term], float]:
        view, kind = self.view, self.obs.vehicle_type
        terms: list[Term] = []
        drive = service = 0.0
        for leg in legs:
            minutes = view.leg_minutes(leg, kind)
            drive += minutes
            terms.append(Term("corridor", leg.corridor, minutes))
        for visit in visits:
            minutes = view.service_minutes(visit.customer_id)
            service += minutes
            terms.append(Term("customer_service", visit.customer_id, minutes))
        expected = drive + service + self.obs.loadings * self.draft.prior.loading_minutes
        terms += [Term("speed", kind, -drive), Term("service", "", service)]
        return [Term(t.kind, t.key, t.weight / expected) for t in terms], expected

    def cost(self, distance_ok: bool | None) -> None:
        """The km-dependent cost against the truck's rate x the learned factor x actual km."""
        obs = self.obs
        cost, rate, km = obs.km_cost_kes, obs.cost_per_km_kes, obs.distance_km
        if cost is None or not rate or rate <= 0 or km is None or distance_ok is None:
            return
        if not distance_ok:
            self.flags.append(say.cost_without_distance())
            return
        if cost <= 0:
            advice = (
                "the recorded cost is no more than the truck's hourly and fixed costs; "
                "check the fuel and other costs"
            )
            self.flags.append(say.impossible("the distance cost", say.kes(cost), advice))
            self._try(False)
            return
        expected = rate * self.view.cost_factor(obs.vehicle_type) * km
        terms = [Term("cost_per_km", obs.vehicle_type, 1.0)]
        ok = self.draft.step(terms, math.log(cost / expected), COST_STD**2, HARD_RATIO)
        if not ok:
            shown = say.kes(cost), say.kes(expected)
            tail = f" at this truck's rate: {COST_ADVICE}"
            self.flags.append(say.far_off("the distance cost", *shown, (cost, expected), tail))
        self._try(ok)


def update_route(
    prior: Prior, values: Mapping[ValueKey, Gaussian], obs: RouteObservation
) -> tuple[dict[ValueKey, Gaussian], UpdateResult]:
    """The changed values (empty when nothing is used) and the result of one route."""
    run = _RouteUpdate(prior, values, obs)
    distance_ok = run.distance()
    run.legs()
    run.visits()
    duration_ok = run.duration()
    run.cost(distance_ok)
    if run.attempted == 0:
        return {}, UpdateResult(False, (say.nothing_measured(),))
    if run.accepted == 0 or (distance_ok is False and duration_ok is False):
        return {}, UpdateResult(False, (*run.flags, say.nothing_learned()))
    return run.draft.changes, UpdateResult(True, tuple(run.flags))
