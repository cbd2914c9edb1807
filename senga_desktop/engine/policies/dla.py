"""DLA — a direct lookahead: decide now by solving sampled futures with the CFA.

For each of ``samples`` futures, orders keep arriving for ``lookahead_hours`` — a Poisson stream
per town, each order a copy of a pending one from that town (or, for a town with none pending, of
any pending order moved there), shifted to its arrival — and the CFA plans the pending orders
together with them (a sampled order cannot leave the depot before it arrives). An order counts as
*dispatched now* in a future if it is on a route that carries no sampled order; sharing a route
with one means waiting for it. Orders dispatched now in at least ``agreement`` of the futures are
planned now with the CFA; the rest are held. ``confidence`` is the mean agreement: for each order,
the share of futures that agree with the decision taken for it.

The rates come from, in order: an :class:`ArrivalModel` given to the policy (configured, or built
from a history with :meth:`ArrivalModel.from_history`); the state's belief
(:attr:`~senga_desktop.engine.state.Belief.arrival_rates`, which the planning controller reads
from the last weeks of orders, so a replay samples the same futures); else the creation times of
the pending orders themselves.

Parameters: every CFA parameter (applied to each future and to the final plan), plus
``samples``, ``lookahead_hours`` and ``agreement``.

A warm start seeds every search (the futures drop what they do not share with it); pinned orders
go now on their truck whatever the futures say.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import ClassVar

import numpy as np

from senga_desktop.domain import PolicyName
from senga_desktop.engine.explain import Reason, ReasonCode, explain_unassigned
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.policies.base import (
    BasePolicy,
    Decision,
    covering,
    sub_progress,
    substate,
)
from senga_desktop.engine.policies.cfa import CFAPolicy
from senga_desktop.engine.problem import CancelToken, Layout, ProgressCallback
from senga_desktop.engine.state import OrderState, PlanningState
from senga_desktop.engine.travel import TravelModel
from senga_desktop.gazetteer import load_gazetteer

__all__ = ["ArrivalModel", "DLAPolicy", "hourly_rates"]

HOUR = timedelta(hours=1)
MIN_HISTORY = timedelta(days=1)  # a younger history is spread over a day, not a few minutes
FUTURE_PREFIX = "~future"


def hourly_rates(counts: Mapping[str, int], first: datetime, last: datetime) -> dict[str, float]:
    """Orders per hour by town: each town's count over the time from the first order to
    ``last`` (the planning moment), at least :data:`MIN_HISTORY`, so that a young history does
    not promise a flood of orders."""
    hours = max(last - first, MIN_HISTORY) / HOUR
    return {town: count / hours for town, count in counts.items()}


class ArrivalModel:
    """Poisson order arrivals per town (orders per hour), with examples to copy sizes from."""

    def __init__(self, rates: Mapping[str, float], examples: Sequence[OrderState] = ()) -> None:
        for town, rate in rates.items():
            if not rate >= 0:
                raise ValueError(f"arrival rate for {town} must be >= 0, got {rate}")
        self.rates = dict(sorted(rates.items()))
        self.examples = tuple(examples)
        self._by_town: dict[str, list[OrderState]] = defaultdict(list)
        for order in self.examples:
            self._by_town[order.town].append(order)

    @classmethod
    def from_history(
        cls,
        history: Sequence[OrderState],
        *,
        now: datetime | None = None,
        span_hours: float | None = None,
    ) -> ArrivalModel:
        """Rates from the orders' ``created_at``: :func:`hourly_rates` up to ``now`` (default:
        the newest order), or each town's count over ``span_hours`` if given."""
        dated = [o for o in history if o.created_at is not None]
        if not dated:
            return cls({}, history)
        counts = Counter(o.town for o in dated)
        if span_hours is not None:
            return cls({town: n / span_hours for town, n in counts.items()}, dated)
        times = [o.created_at for o in dated if o.created_at is not None]
        return cls(hourly_rates(counts, min(times), now or max(times)), dated)

    def sample(
        self, now: datetime, hours: float, rng: np.random.Generator, prefix: str
    ) -> list[tuple[OrderState, datetime]]:
        """Orders arriving in ``(now, now + hours]`` with their arrival times."""
        sampled: list[tuple[OrderState, datetime]] = []
        for town, rate in self.rates.items():
            pool = self._by_town.get(town) or self._relocated(town)
            count = int(rng.poisson(rate * hours)) if pool else 0
            for _ in range(count):
                arrival = now + float(rng.uniform(0.0, hours)) * HOUR
                template = pool[int(rng.integers(len(pool)))]
                order = _shifted(template, arrival, f"{prefix}{len(sampled)}")
                sampled.append((order, arrival))
        return sampled

    def _relocated(self, town: str) -> list[OrderState]:
        """Examples from anywhere, moved to ``town``'s centre (for a town with no history)."""
        place = load_gazetteer().get(town)
        if place is None or not self.examples:
            return []
        moved = [
            replace(o, town=town, lat=place.latitude, lon=place.longitude) for o in self.examples
        ]
        self._by_town[town] = moved
        return moved


def _shifted(template: OrderState, arrival: datetime, order_id: str) -> OrderState:
    """A copy of ``template`` created at ``arrival``, its window moved by the same lead time."""
    created = template.created_at
    start, end = template.window_start, template.window_end
    lead = max(start - created, timedelta(0)) if start and created else timedelta(0)
    new_start = arrival + lead if start is not None else None
    if end is None:
        new_end = None
    elif start is not None:
        new_end = (new_start or arrival) + (end - start)
    else:
        new_end = arrival + (max(end - created, timedelta(0)) if created else timedelta(0))
    return replace(
        template, order_id=order_id, created_at=arrival, window_start=new_start, window_end=new_end
    )


class DLAPolicy(BasePolicy):
    """Dispatch now what most sampled futures dispatch now; hold the rest."""

    NAME = PolicyName.DLA
    DEFAULTS: ClassVar[Mapping[str, float]] = {
        **CFAPolicy.DEFAULTS,
        "samples": 5.0,
        "lookahead_hours": 12.0,
        "agreement": 0.5,
    }
    RANGES: ClassVar[Mapping[str, tuple[float, float]]] = {
        **CFAPolicy.RANGES,
        "samples": (1.0, 100.0),
        "lookahead_hours": (0.0, 168.0),
        "agreement": (0.0, 1.0),
    }

    def __init__(
        self,
        parameters: Mapping[str, float] | None = None,
        *,
        travel: TravelModel | None = None,
        arrivals: ArrivalModel | None = None,
        history: Sequence[OrderState] | None = None,
        workers: int = 1,
        replay: Sequence[Sequence[Sequence[int]]] | None = None,
    ) -> None:
        super().__init__(parameters, travel=travel, workers=workers, replay=replay)
        if arrivals is None and history is not None:
            arrivals = ArrivalModel.from_history(history)
        self.arrivals = arrivals

    def decide(
        self,
        state: PlanningState,
        *,
        seed: int = 0,
        time_limit: float | None = 10.0,
        max_iterations: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        warm_start: Plan | None = None,
        pins: Mapping[str, str] | None = None,
    ) -> Decision:
        """Sample futures, count how often each order goes now, plan the majority."""
        started = time.perf_counter()
        travel = self.travel_for(state)
        cfa = CFAPolicy({k: self.theta(k) for k in CFAPolicy.DEFAULTS}, travel=travel)
        pins = dict(pins or {})
        offered, held = cfa.offer(state, pins)
        arrivals = self.arrivals_for(state)
        samples = int(self.theta("samples"))
        share_time = None if time_limit is None else time_limit / (samples + 1)
        now_counts: Counter[str] = Counter()
        for k in range(samples):
            rng = np.random.default_rng([seed, k])
            futures = arrivals.sample(
                state.now, self.theta("lookahead_hours"), rng, f"{FUTURE_PREFIX}{k}:"
            )
            future_ids = {o.order_id for o, _ in futures}
            scenario = substate(state, [*offered, *(o for o, _ in futures)])
            release = {o.order_id: at for o, at in futures}
            plan = self.optimise(
                cfa.routing_problem(scenario, release, pins=pins),
                travel,
                seed=seed + k,
                time_limit=share_time,
                max_iterations=max_iterations,
                progress=sub_progress(progress, k / (samples + 1), (k + 1) / (samples + 1)),
                cancel=cancel,
                warm_start=warm_start,
            )
            for route in plan.routes:
                if not future_ids.intersection(route.order_ids):
                    now_counts.update(route.order_ids)
        share = {o.order_id: now_counts[o.order_id] / samples for o in offered}
        threshold = self.theta("agreement")
        dispatch = [o for o in offered if share[o.order_id] >= threshold or o.order_id in pins]
        for order in offered:
            if share[order.order_id] < threshold and order.order_id not in pins:
                held[order.order_id] = self._held(order, now_counts[order.order_id], samples)
        plan = self.optimise(
            cfa.routing_problem(substate(state, dispatch), pins=pins),
            travel,
            seed=seed,
            time_limit=share_time,
            max_iterations=max_iterations,
            progress=sub_progress(progress, samples / (samples + 1), 1.0),
            cancel=cancel,
            warm_start=warm_start,
        )
        plan = covering(plan, state)
        agree = [max(s, 1.0 - s) for s in share.values()]
        confidence = sum(agree) / len(agree) if agree else 1.0
        layout = Layout(cfa.routing_problem(state, pins=pins), travel)
        reasons = explain_unassigned(layout, plan, held=held)
        return self._decision(seed, plan, reasons, started, confidence=confidence)

    def arrivals_for(self, state: PlanningState) -> ArrivalModel:
        """Where this decision's futures come from (see the module notes)."""
        if self.arrivals is not None:
            return self.arrivals
        if state.belief.arrival_rates:
            return ArrivalModel(state.belief.arrival_rates, state.orders)
        return ArrivalModel.from_history(state.orders, now=state.now)

    def _held(self, order: OrderState, count: int, samples: int) -> Reason:
        return Reason(
            order.order_id,
            ReasonCode.HELD_BY_POLICY,
            f"Dispatched now in only {count} of {samples} sampled futures (needs "
            f"{self.theta('agreement'):.0%}): in the others it waits to share a truck with "
            "orders expected to arrive.",
            {"futures_dispatching": str(count), "futures": str(samples)},
        )
