"""CFA — a cost function approximation: a deterministic optimisation with tuned knobs.

The plan is PyVRP's best for a modified problem whose modifications (θ) make a myopic optimiser
behave well over time:

``due_hours``
    Orders whose window closes within this many hours are required (so are urgent orders and
    orders that have waited their customer's ``max_wait_hours``).
``horizon_hours``
    Orders whose window opens later than this are not offered now: a later run plans them.
``revenue_weight``, ``urgency_weight``, ``age_weight``, ``priority_weight``
    Every other order is optional, carried only if its prize beats what carrying it adds::

        prize = revenue x revenue_weight x (1 + urgency_weight·u + age_weight·a + priority_weight·p)

    with urgency ``u`` rising from 0 (window closes ``due_hours + horizon_hours`` from now) to 1
    (closes at ``due_hours``), age ``a`` the share of the customer's maximum wait used up (48 h if
    none is known) and ``p`` 0, 0.25, 0.5, 1 for low, normal, high, urgent priority.
``time_buffer``
    Multiplier on every travel time (≥ 1): slack for Kenyan traffic, weighbridges and roadworks.
``capacity_margin``
    Share of each truck's kg and dm³ kept free (0-0.5): loading is never perfect.

Pinned orders are always offered and required, on their truck only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import ClassVar

from senga_desktop.domain import PolicyName, Priority
from senga_desktop.engine.explain import Reason, ReasonCode, explain_unassigned
from senga_desktop.engine.plan import Plan
from senga_desktop.engine.policies.base import (
    BasePolicy,
    Decision,
    covering,
    pins_within,
    substate,
)
from senga_desktop.engine.problem import CancelToken, Layout, ProgressCallback, RoutingProblem
from senga_desktop.engine.state import OrderState, PlanningState

__all__ = ["CFAPolicy"]

HOUR = timedelta(hours=1)
DEFAULT_MAX_WAIT_HOURS = 48.0
PRIORITY_SCORE = {
    Priority.LOW: 0.0,
    Priority.NORMAL: 0.25,
    Priority.HIGH: 0.5,
    Priority.URGENT: 1.0,
}
CENTS = Decimal("0.01")


class CFAPolicy(BasePolicy):
    """Deterministic optimisation with required due-soon orders and prized optional ones."""

    NAME = PolicyName.CFA
    DEFAULTS: ClassVar[Mapping[str, float]] = {
        "due_hours": 12.0,
        "horizon_hours": 24.0,
        "revenue_weight": 1.0,
        "urgency_weight": 1.0,
        "age_weight": 1.0,
        "priority_weight": 0.5,
        "time_buffer": 1.1,
        "capacity_margin": 0.05,
    }
    RANGES: ClassVar[Mapping[str, tuple[float, float]]] = {
        "due_hours": (0.0, 168.0),
        "horizon_hours": (0.0, 336.0),
        "revenue_weight": (0.0, 100.0),
        "urgency_weight": (0.0, 100.0),
        "age_weight": (0.0, 100.0),
        "priority_weight": (0.0, 100.0),
        "time_buffer": (1.0, 3.0),
        "capacity_margin": (0.0, 0.5),
    }

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
        """Offer the orders within the horizon to the optimiser and explain the rest."""
        started = time.perf_counter()
        travel = self.travel_for(state)
        offered, held = self.offer(state, pins)
        plan = self.optimise(
            self.routing_problem(substate(state, offered), pins=pins),
            travel,
            seed=seed,
            time_limit=time_limit,
            max_iterations=max_iterations,
            progress=progress,
            cancel=cancel,
            warm_start=warm_start,
        )
        plan = covering(plan, state)
        layout = Layout(self.routing_problem(state, pins=pins), travel)
        return self._decision(seed, plan, explain_unassigned(layout, plan, held=held), started)

    def offer(
        self, state: PlanningState, pins: Mapping[str, str] | None = None
    ) -> tuple[list[OrderState], dict[str, Reason]]:
        """Split the orders into those offered to the optimiser now and those held for later
        (never a pinned order)."""
        limit = state.now + self.theta("horizon_hours") * HOUR
        offered: list[OrderState] = []
        held: dict[str, Reason] = {}
        for order in state.orders:
            opens = order.window_start
            pinned = pins is not None and order.order_id in pins
            if pinned or opens is None or opens <= limit or self.is_required(state.now, order):
                offered.append(order)
                continue
            held[order.order_id] = Reason(
                order.order_id,
                ReasonCode.HELD_BY_POLICY,
                f"Its window opens {state.depot.local(opens)}, beyond the "
                f"{self.theta('horizon_hours'):g} h planning horizon: a later run plans it.",
                {"window_start": opens.isoformat()},
            )
        return offered, held

    def routing_problem(
        self,
        state: PlanningState,
        release: Mapping[str, datetime] | None = None,
        *,
        pins: Mapping[str, str] | None = None,
    ) -> RoutingProblem:
        """The CFA's modified problem for ``state`` (``release``: sampled orders' arrivals;
        ``pins``: orders kept on chosen trucks, those of this state's orders and trucks)."""
        pinned = pins_within(pins, state)
        required: set[str] = set()
        prizes: dict[str, Decimal] = {}
        for order in state.orders:
            if order.order_id in pinned or self.is_required(state.now, order):
                required.add(order.order_id)
            else:
                prizes[order.order_id] = self.prize(state.now, order)
        return RoutingProblem(
            state,
            required=frozenset(required),
            prizes=prizes,
            release=dict(release or {}),
            duration_factor=self.theta("time_buffer"),
            capacity_factor=1.0 - self.theta("capacity_margin"),
            pins=pinned,
        )

    def is_required(self, now: datetime, order: OrderState) -> bool:
        """Due soon, urgent, or waited as long as the customer allows."""
        if order.priority is Priority.URGENT:
            return True
        if (
            order.window_end is not None
            and order.window_end - now <= self.theta("due_hours") * HOUR
        ):
            return True
        return (
            order.max_wait_hours is not None
            and order.created_at is not None
            and now - order.created_at >= order.max_wait_hours * HOUR
        )

    def prize(self, now: datetime, order: OrderState) -> Decimal:
        """What carrying an optional order now is worth, in KES (see the module notes)."""
        due, horizon = self.theta("due_hours"), self.theta("horizon_hours")
        urgency = 0.0
        if order.window_end is not None:
            left = (order.window_end - now) / HOUR
            urgency = 1.0 if horizon <= 0 else 1.0 - (left - due) / horizon
        age = 0.0
        if order.created_at is not None:
            limit = order.max_wait_hours or DEFAULT_MAX_WAIT_HOURS
            age = (now - order.created_at) / HOUR / limit
        factor = (
            1.0
            + self.theta("urgency_weight") * _clamp(urgency)
            + self.theta("age_weight") * _clamp(age)
            + self.theta("priority_weight") * PRIORITY_SCORE[order.priority]
        )
        weight = self.theta("revenue_weight") * factor
        if not math.isfinite(weight):  # pragma: no cover - the ranges keep it finite
            raise ValueError(f"prize weight {weight} is not finite")
        return (order.revenue_kes * Decimal(repr(weight))).quantize(CENTS)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
