"""A decision as the planning and decisions screens show it: :func:`decision_view`.

Everything comes from one unit of work and a fixed number of statements: the decision (with its
state snapshot), its routes through :func:`~senga_desktop.controllers.route_views.load_route_views`,
and the customers of its held orders. Where a held order is (town, coordinates, weight, window)
is read from the snapshot — what the decision saw — not from the order as it is now; the depot
and the run's limits come from the snapshot too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.base import ExecutableOption

from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.plan_views import (
    DecisionView,
    DepotPoint,
    HeldView,
    PlanTotals,
    RouteView,
)
from senga_desktop.controllers.planning_state import NO_ORDERS, fleet_counts, no_truck_message
from senga_desktop.controllers.route_views import load_route_views, snapshot_starts
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import Customer, Decision, Order, Route, User, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import DecisionType, OrderStatus, RouteStatus, VehicleStatus
from senga_desktop.engine.edits import PlanEdit
from senga_desktop.errors import NotFound

__all__ = [
    "PlanningOptions",
    "TownOption",
    "TruckOption",
    "build_decision_view",
    "decision_status",
    "decision_view",
    "depot_point",
    "planning_options",
    "totals_of",
]

ZERO = Decimal(0)
THOUSAND = Decimal(1000)


def decision_status(committed: bool, route_statuses: Iterable[RouteStatus]) -> str:
    """ "committed", "discarded" (routes proposed and every one set aside) or "proposed".

    A decision whose routes were all discarded — or, once committed, later cancelled — keeps
    the status of what was decided then: a committed decision stays "committed".
    """
    if committed:
        return "committed"
    statuses = list(route_statuses)
    if statuses and all(s is RouteStatus.DISCARDED for s in statuses):
        return "discarded"
    return "proposed"


def depot_point(snapshot: Mapping[str, Any]) -> DepotPoint:
    """The depot a decision planned from, as its snapshot recorded it."""
    depot = (snapshot.get("state") or {}).get("depot") or {}
    return DepotPoint(
        name=str(depot.get("name", "")),
        town=str(depot.get("town", "")),
        lat=float(depot.get("lat", 0.0)),
        lon=float(depot.get("lon", 0.0)),
        time_zone=str(depot.get("time_zone", "UTC")),
    )


def totals_of(routes: Sequence[RouteView], orders_held: int) -> PlanTotals:
    """The figures at the top of a plan, summed over its routes."""
    return PlanTotals(
        orders_routed=sum(len(r.order_ids) for r in routes),
        orders_held=orders_held,
        trucks_used=len({r.vehicle_id for r in routes}),
        tonnes=sum((r.load_tonnes for r in routes), ZERO),
        distance_km=sum((r.distance_km for r in routes), ZERO),
        cost_kes=sum((r.cost_kes for r in routes), ZERO),
        revenue_kes=sum((r.revenue_kes for r in routes), ZERO),
    )


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _held(
    session: Session, stored: Sequence[Mapping[str, Any]], snapshot: Mapping[str, Any]
) -> tuple[HeldView, ...]:
    if not stored:
        return ()
    seen = {str(o.get("order_id")): o for o in (snapshot.get("state") or {}).get("orders") or ()}
    ids = [str(h.get("order_id", "")) for h in stored]
    customers = dict(
        session.execute(
            select(Order.order_id, Customer.customer_name)
            .join(Customer, Order.customer_id == Customer.id)
            .where(Order.order_id.in_(ids))
        ).all()
    )
    views = []
    for order_id, held in zip(ids, stored, strict=True):
        order = seen.get(order_id, {})
        views.append(
            HeldView(
                order_id=order_id,
                code=str(held.get("code", "")),
                message=str(held.get("message", "")),
                customer=customers.get(order_id, ""),
                town=str(order.get("town", "")),
                lat=float(order.get("lat", 0.0)),
                lon=float(order.get("lon", 0.0)),
                weight_tonnes=Decimal(int(order.get("weight_kg", 0))) / THOUSAND,
                volume_m3=Decimal(int(order.get("volume_dm3", 0))) / THOUSAND,
                window_end=_time(order.get("window_end")),
                details={str(k): str(v) for k, v in (held.get("details") or {}).items()},
            )
        )
    return tuple(views)


def load_decision(
    session: Session, decision_id: str, *options: ExecutableOption, purpose: str = ""
) -> Decision:
    """The decision ``decision_id`` in ``session``, loaded with ``options``; NotFound, in words
    ("There is no decision D-… to start from": ``purpose``), if there is none."""
    record = session.scalars(
        select(Decision).where(Decision.decision_id == decision_id).options(*options)
    ).first()
    if record is None:
        raise NotFound(f"There is no decision {decision_id}{purpose}.")
    return record


def build_decision_view(session: Session, record: Decision) -> DecisionView:
    """The view of a decision already loaded in ``session``."""
    snapshot: Mapping[str, Any] = record.state_snapshot or {}
    routes = session.scalars(
        select(Route).where(Route.decision_id == record.id).order_by(Route.route_id)
    ).all()
    views = load_route_views(session, routes, starts=snapshot_starts(snapshot))
    held = _held(session, record.held_orders or [], snapshot)
    created_by = (
        session.scalar(select(User.username).where(User.id == record.created_by))
        if record.created_by is not None
        else None
    )
    run = snapshot.get("run") or {}
    time_limit = run.get("time_limit")
    iterations = run.get("iterations")
    edit = _edit_record(session, record, snapshot)
    return DecisionView(
        decision_id=record.decision_id,
        decision_type=record.decision_type,
        policy=record.policy_used,
        parameters=dict(record.policy_parameters),
        seed=record.seed,
        created_at=record.created_at,
        created_by=created_by,
        status=decision_status(record.committed, (r.status for r in routes)),
        committed_at=record.committed_at,
        confidence=record.decision_confidence,
        computation_ms=record.computation_time_ms,
        time_limit=float(time_limit) if time_limit is not None else None,
        iterations=int(iterations) if iterations is not None else None,
        depot=depot_point(snapshot),
        routes=tuple(views),
        held=held,
        totals=totals_of(views, len(held)),
        **edit,
    )


def _edit_record(session: Session, record: Decision, snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A manual edit's base decision, edits, accepted violations and cost change; an engine
    decision's manual edit, if one replaced it (one statement either way)."""
    if record.decision_type is not DecisionType.MANUAL_EDIT:
        edited_as = session.scalar(
            select(Decision.decision_id)
            .where(
                Decision.base_decision_id == record.id,
                Decision.decision_type == DecisionType.MANUAL_EDIT,
                Decision.committed.is_(True),  # a proposed edit (re-plan's base) replaces nothing
            )
            .order_by(Decision.id.desc())
            .limit(1)
        )
        return {"edited_as": edited_as}
    edit = snapshot.get("edit") or {}
    base_id = edit.get("base_decision_id")
    if base_id is None and record.base_decision_id is not None:
        base_id = session.scalar(
            select(Decision.decision_id).where(Decision.id == record.base_decision_id)
        )
    change = edit.get("cost_change_kes")
    return {
        "base_decision_id": base_id,
        "edits": tuple(_edit_sentence(e) for e in record.edits or ()),
        "accepted_violations": tuple(
            str(v.get("message", "")) for v in edit.get("accepted_violations") or ()
        ),
        "cost_change_kes": Decimal(change) if change is not None else None,
    }


def _edit_sentence(document: Any) -> str:
    try:
        return PlanEdit.from_json(document).describe()
    except ValueError as exc:
        return f"An edit that cannot be read ({exc})"


def decision_view(sessions: sessionmaker[Session], actor: Actor, decision_id: str) -> DecisionView:
    """One decision with its totals, routes, stops and held orders; NotFound if there is none."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        return build_decision_view(session, load_decision(session, decision_id))


@dataclass(frozen=True, slots=True)
class TownOption:
    """A destination town with pending orders, for the scope filter."""

    town: str
    pending: int


@dataclass(frozen=True, slots=True)
class TruckOption:
    """An available truck the run may use."""

    vehicle_id: str
    vehicle_type: str
    town: str
    capacity_tonnes: Decimal
    capacity_m3: Decimal
    free_from: datetime | None  # None: free now


@dataclass(frozen=True)
class PlanningOptions:
    """What the planning form offers: the pending orders by town and due time, the trucks.

    ``unavailable`` counts the trucks that are not available, by status (retired ones too);
    ``problem`` is the sentence to show instead of a Plan button that cannot work.
    """

    pending_orders: int
    towns: tuple[TownOption, ...]  # by town name
    due_from: datetime | None  # the earliest and latest window end of the pending orders (UTC)
    due_to: datetime | None
    trucks: tuple[TruckOption, ...]  # by vehicle id
    unavailable: Mapping[VehicleStatus, int]
    time_zone: str

    @property
    def problem(self) -> str | None:
        if not self.pending_orders:
            return NO_ORDERS
        if not self.trucks:
            return no_truck_message(self.unavailable)
        return None


def planning_options(sessions: sessionmaker[Session], actor: Actor) -> PlanningOptions:
    """The planning form's choices, read in one unit of work (four small statements)."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        pending = Order.status == OrderStatus.PENDING
        towns = session.execute(
            select(Order.destination_city, func.count())
            .where(pending)
            .group_by(Order.destination_city)
            .order_by(Order.destination_city)
        ).all()
        due_from, due_to = session.execute(
            select(func.min(Order.time_window_end), func.max(Order.time_window_end)).where(pending)
        ).one()
        trucks = session.scalars(
            select(Vehicle)
            .where(Vehicle.status == VehicleStatus.AVAILABLE)
            .order_by(Vehicle.vehicle_id)
        ).all()
        now = datetime.now(UTC)
        counts = fleet_counts(session)
        return PlanningOptions(
            pending_orders=sum(n for _, n in towns),
            towns=tuple(TownOption(town, n) for town, n in towns),
            due_from=_aware(due_from),
            due_to=_aware(due_to),
            trucks=tuple(
                TruckOption(
                    vehicle_id=v.vehicle_id,
                    vehicle_type=v.vehicle_type,
                    town=str((v.current_location or {}).get("name") or ""),
                    capacity_tonnes=v.capacity_weight_tonnes,
                    capacity_m3=v.capacity_volume_m3,
                    free_from=v.available_at if v.available_at and v.available_at > now else None,
                )
                for v in trucks
            ),
            unavailable={s: n for s, n in counts.items() if s is not VehicleStatus.AVAILABLE},
            time_zone=read_general(session).time_zone,
        )


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates skip the column type on some backends: SQLite returns naive text-parsed
    datetimes (stored in UTC), so mark them UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
