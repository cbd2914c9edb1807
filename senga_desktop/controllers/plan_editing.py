"""Editing a proposed plan by hand: open an editor on a decision, evaluate each edit, commit.

The planning screen edits a plan in three steps:

1. :func:`open_plan_editor` (through the task runner: it takes a moment) reads, in one unit of
   work, everything an editing session needs — the decision's state snapshot, its routes, the
   customers' names, the trucks it left free — and builds the engine's evaluator (its distance
   and time matrices are the slow part). Only a *proposed* decision can be edited.
2. The dispatcher's edits are the pure functions of :mod:`senga_desktop.engine.edits`, reached
   through :meth:`PlanEditor.move_order`, :meth:`~PlanEditor.reorder_stop`,
   :meth:`~PlanEditor.swap_truck` and :meth:`~PlanEditor.split_route`: each takes the current
   drafts (a tuple of :class:`~senga_desktop.engine.evaluate.DraftRoute`) and returns the new
   drafts and a :class:`~senga_desktop.engine.edits.PlanEdit`, or raises ``ValueError`` with a
   sentence to show. Drafts are immutable, so an undo stack keeps (old drafts, new drafts,
   edit) per command and undoes by putting the old drafts back; "back to the engine's plan" is
   :attr:`PlanEditor.base_drafts`. :meth:`PlanEditor.evaluate` turns drafts into an
   :class:`EditedPlan` — the view the plan panel draws, every violation with its sentence, the
   cost change — without the database, in milliseconds (call it on the GUI thread).
3. :func:`~senga_desktop.controllers.plan_edit_commit.commit_edited_plan` commits: it
   evaluates the drafts again itself, refuses violations the dispatcher did not confirm, and
   stores the edited plan as a decision of its own (type manual edit) pointing at the
   engine's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.plan_edit_views import PlanViews
from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.controllers.planning_state import StateSnapshot
from senga_desktop.controllers.planning_views import build_decision_view, load_decision, totals_of
from senga_desktop.controllers.planning_warm import replan_from_json
from senga_desktop.db.models import Customer, Order
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import PolicyName
from senga_desktop.engine import edits
from senga_desktop.engine.edits import Known, PlanEdit
from senga_desktop.engine.evaluate import DraftRoute, Evaluation, PlanEvaluator, Violation
from senga_desktop.engine.policies import CFAPolicy, DLAPolicy, make_policy
from senga_desktop.engine.problem import RoutingProblem
from senga_desktop.engine.state import PlanningState
from senga_desktop.engine.travel import GreatCircleTravel
from senga_desktop.errors import ValidationError

__all__ = [
    "EditContext",
    "EditedPlan",
    "FreeTruck",
    "PlanEditor",
    "evaluation_problem",
    "open_plan_editor",
    "read_edit_context",
]

THOUSAND = Decimal(1000)
Drafts = tuple[DraftRoute, ...]


@dataclass(frozen=True, slots=True)
class FreeTruck:
    """A truck of the decision's state with no route in the engine's plan: a route may be
    moved or split onto it, an order moved to it (``capabilities``: the handling it serves)."""

    vehicle_id: str
    vehicle_type: str
    town: str
    capacity_tonnes: Decimal
    capacity_m3: Decimal
    free_from: datetime
    capabilities: tuple[str, ...]
    max_trips: int


@dataclass(frozen=True)
class EditedPlan:
    """Drafts evaluated: what the plan panel shows and everything wrong with it.

    ``view`` is the decision as the plan panel draws it (routes, stops with their new ETAs,
    held orders, totals; route ids follow the truck), with ``cost_change_kes`` set.
    ``violations`` are all the engine finds, each naming its truck (``vehicle_id``) and, for a
    stop, its order (``order_id``) — mark the route and the stop with ``message``;
    ``introduced`` are those the engine's own plan does not have (by code, truck and order):
    what committing asks the dispatcher to confirm. ``cost_change_kes`` and
    ``margin_change_kes`` are against the engine's plan (negative cost: cheaper). ``changed``
    is whether the drafts are another plan than the engine's at all.
    """

    drafts: Drafts
    view: DecisionView
    evaluation: Evaluation
    violations: tuple[Violation, ...]
    introduced: tuple[Violation, ...]
    cost_change_kes: Decimal
    margin_change_kes: Decimal
    feasible: bool
    changed: bool

    def of_truck(self, vehicle_id: str) -> tuple[Violation, ...]:
        """The violations naming a truck (its route, a trip of it, or one of its stops)."""
        return tuple(v for v in self.violations if v.vehicle_id == vehicle_id)

    def of_order(self, order_id: str) -> tuple[Violation, ...]:
        """The violations naming an order (its stop, or the order held)."""
        return tuple(v for v in self.violations if v.order_id == order_id)


@dataclass(frozen=True)
class EditContext:
    """What an editing session reads from the database once (see :func:`read_edit_context`)."""

    decision_id: str
    policy: PolicyName
    parameters: Mapping[str, float]
    snapshot: StateSnapshot
    document: Mapping[str, Any]  # the decision's state_snapshot record, run included
    pins: Mapping[str, str]
    stored: DecisionView  # the decision as stored
    held_records: tuple[Mapping[str, Any], ...]  # its stored held orders, as stored
    customers: Mapping[str, str]  # customer name by order id, every order of the state

    @property
    def state(self) -> PlanningState:
        return self.snapshot.state


def read_edit_context(session: Session, decision_id: str) -> EditContext:
    """Everything an editing session needs, inside the caller's unit of work; ``ValidationError``
    in words unless the decision is a proposal (committed and discarded ones cannot be edited)."""
    record = load_decision(session, decision_id)
    stored = build_decision_view(session, record)
    if stored.status == "committed":
        edited = f" as {stored.base_decision_id}'s edit" if stored.manual_edit else ""
        raise ValidationError(
            "decision",
            f"Decision {decision_id} was committed{edited}: its routes are planned and can no "
            "longer be edited here. Cancel a route on the Routes screen, or plan again.",
        )
    if stored.status == "discarded":
        what = f"edited and committed as {stored.edited_as}" if stored.edited_as else "discarded"
        raise ValidationError(
            "decision",
            f"Decision {decision_id} was {what}: it can no longer be edited. Plan again to edit "
            "a new proposal.",
        )
    document: Mapping[str, Any] = record.state_snapshot or {}
    snapshot = StateSnapshot.from_json(document)
    pins = replan_from_json(snapshot, document.get("run") or {}).locks.pins
    ids = [o.order_id for o in snapshot.state.orders]
    customers = dict(
        session.execute(
            select(Order.order_id, Customer.customer_name)
            .join(Customer, Order.customer_id == Customer.id)
            .where(Order.order_id.in_(ids))
        ).all()
    )
    return EditContext(
        decision_id=decision_id,
        policy=record.policy_used,
        parameters=dict(record.policy_parameters),
        snapshot=snapshot,
        document=document,
        pins=dict(pins),
        stored=stored,
        held_records=tuple(dict(h) for h in record.held_orders or ()),
        customers=customers,
    )


def evaluation_problem(
    policy: PolicyName,
    parameters: Mapping[str, float],
    state: PlanningState,
    *,
    pins: Mapping[str, str],
    routed: Iterable[str],
) -> RoutingProblem:
    """The problem a policy's plan is evaluated on, as the policy routed it: CFA and DLA plan
    on the CFA's modified problem (travel-time buffer, capacity margin, due-soon orders
    required); PFA sequences each truck on the plain problem, the orders its rule dispatched
    (``routed``) required."""
    made = make_policy(policy, parameters)
    if isinstance(made, CFAPolicy | DLAPolicy):
        cfa = CFAPolicy({k: made.theta(k) for k in CFAPolicy.DEFAULTS})
        return cfa.routing_problem(state, pins=pins)
    known = {t.vehicle_id for t in state.trucks}
    return RoutingProblem(
        state,
        required=frozenset(routed),
        pins={o: v for o, v in pins.items() if v in known},
    )


class PlanEditor:
    """One editing session of one proposed decision: its engine plan as drafts, the trucks it
    left free, and an evaluator for any drafts of it.

    Build it with :func:`open_plan_editor`. It holds no database session; :meth:`evaluate` and
    the edits are fast and need no task runner, but use one editor from one thread at a time
    (the evaluator keeps route results between calls).
    """

    def __init__(self, context: EditContext) -> None:
        self.context = context
        self.decision_id = context.decision_id
        state = context.state
        stored = context.stored
        self.base_drafts: Drafts = tuple(
            DraftRoute(route.vehicle_id, _trips(route.stops)) for route in stored.routes
        )
        routed = [o for draft in self.base_drafts for o in draft.order_ids]
        problem = evaluation_problem(
            context.policy, context.parameters, state, pins=context.pins, routed=routed
        )
        self.evaluator = PlanEvaluator(problem, GreatCircleTravel(state.belief))
        self.known = Known.of(
            (o.order_id for o in state.orders), (t.vehicle_id for t in state.trucks)
        )
        self._views = PlanViews(
            decision_id=self.decision_id,
            state=state,
            customers=context.customers,
            route_ids={r.vehicle_id: r.route_id for r in stored.routes},
            held={h.order_id: h for h in stored.held},
            engine_trucks={o: d.vehicle_id for d in self.base_drafts for o in d.order_ids},
        )
        engine = self.evaluator.evaluate(self.base_drafts)
        self._base_cost = engine.plan.cost_kes
        self._base_keys = {_key(v) for v in engine.violations}
        self._base_margin: Decimal | None = None
        self.base: EditedPlan = self.evaluate(self.base_drafts)
        self._base_margin = self.base.view.totals.margin_kes
        used = {d.vehicle_id for d in self.base_drafts}
        self.free_trucks: tuple[FreeTruck, ...] = tuple(
            _free_truck(t) for t in state.trucks if t.vehicle_id not in used
        )

    @property
    def base_view(self) -> DecisionView:
        """The engine's plan as the editor evaluates it (the same routes, ids and figures as
        the stored decision): what "back to the engine's plan" shows."""
        return self.base.view

    def evaluate(self, drafts: Iterable[DraftRoute]) -> EditedPlan:
        """``drafts`` evaluated (see :class:`EditedPlan`); no database, a few milliseconds."""
        drafts = tuple(drafts)
        result = self.evaluator.evaluate(drafts)
        routes = self._views.routes(result.plan.routes)
        held = self._views.held(result.held)
        cost_change = result.plan.cost_kes - self._base_cost
        totals = totals_of(routes, len(held))
        view = replace(
            self.context.stored,
            routes=routes,
            held=held,
            totals=totals,
            cost_change_kes=cost_change,
        )
        margin = totals.margin_kes
        return EditedPlan(
            drafts=drafts,
            view=view,
            evaluation=result,
            violations=result.violations,
            introduced=tuple(v for v in result.violations if _key(v) not in self._base_keys),
            cost_change_kes=cost_change,
            margin_change_kes=margin - (margin if self._base_margin is None else self._base_margin),
            feasible=result.feasible,
            changed=not edits.same_plan(drafts, self.base_drafts),
        )

    # -- edits (see senga_desktop.engine.edits) --------------------------------------------

    def move_order(
        self,
        drafts: Sequence[DraftRoute],
        order_id: str,
        to_vehicle_id: str | None,
        index: int = 0,
        trip: int = 0,
    ) -> tuple[Drafts, PlanEdit]:
        """:func:`~senga_desktop.engine.edits.move_order` on this decision's orders and trucks:
        ``to_vehicle_id`` ``None`` holds the order; a free truck gets a new route."""
        return edits.move_order(drafts, order_id, to_vehicle_id, index, trip, known=self.known)

    def reorder_stop(
        self, drafts: Sequence[DraftRoute], vehicle_id: str, order_id: str, new_index: int
    ) -> tuple[Drafts, PlanEdit]:
        """:func:`~senga_desktop.engine.edits.reorder_stop`: another place on its own trip."""
        return edits.reorder_stop(drafts, vehicle_id, order_id, new_index, known=self.known)

    def swap_truck(
        self, drafts: Sequence[DraftRoute], vehicle_id: str, other_vehicle_id: str
    ) -> tuple[Drafts, PlanEdit]:
        """:func:`~senga_desktop.engine.edits.swap_truck`: exchange trucks, or move to a free
        one."""
        return edits.swap_truck(drafts, vehicle_id, other_vehicle_id, known=self.known)

    def split_route(
        self, drafts: Sequence[DraftRoute], vehicle_id: str, at_index: int, new_vehicle_id: str
    ) -> tuple[Drafts, PlanEdit]:
        """:func:`~senga_desktop.engine.edits.split_route`: stops from ``at_index`` on (over
        the whole route, from 0) go to a free truck."""
        return edits.split_route(drafts, vehicle_id, at_index, new_vehicle_id, known=self.known)

    def replay(self, recorded: Iterable[PlanEdit]) -> Drafts:
        """The engine's plan with ``recorded`` made in turn; ``ValueError`` if one does not fit."""
        return edits.replay(self.base_drafts, recorded, known=self.known)

    def free_in(self, drafts: Iterable[DraftRoute]) -> tuple[FreeTruck, ...]:
        """The trucks of the state with no route in ``drafts`` (after edits, not the engine's)."""
        used = {d.vehicle_id for d in drafts if d.order_ids}
        return tuple(_free_truck(t) for t in self.context.state.trucks if t.vehicle_id not in used)


def _trips(stops: Sequence[Any]) -> tuple[tuple[str, ...], ...]:
    """A route's stops (in delivery order) grouped into trips."""
    trips: dict[int, list[str]] = {}
    for stop in stops:
        trips.setdefault(stop.trip, []).extend(stop.order_ids)
    return tuple(tuple(trips[n]) for n in sorted(trips)) or ((),)


def _key(violation: Violation) -> tuple[str, str | None, str | None]:
    return violation.code.value, violation.vehicle_id, violation.order_id


def _free_truck(truck: Any) -> FreeTruck:
    return FreeTruck(
        vehicle_id=truck.vehicle_id,
        vehicle_type=truck.vehicle_type,
        town=truck.town,
        capacity_tonnes=Decimal(truck.capacity_kg) / THOUSAND,
        capacity_m3=Decimal(truck.capacity_dm3) / THOUSAND,
        free_from=truck.free_from,
        capabilities=tuple(sorted(truck.capabilities)),
        max_trips=truck.max_trips,
    )


def open_plan_editor(sessions: sessionmaker[Session], actor: Actor, decision_id: str) -> PlanEditor:
    """An editor on proposed decision ``decision_id`` (one unit of work, then the evaluator's
    set-up: run it through the task runner). ``PermissionDenied`` without the right to plan,
    ``NotFound`` for no such decision, ``ValidationError`` (in words) if it is committed or
    discarded."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        context = read_edit_context(session, decision_id)
    return PlanEditor(context)
