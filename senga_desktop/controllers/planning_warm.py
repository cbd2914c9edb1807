"""Re-planning from a decision: warm starts, locked routes, pinned orders, committed routes.

A planning run may start from another decision's routes (a proposal, a committed plan, a plan
being edited): :func:`prepare_replan` reads that decision's routes as engine routes, keeps the
routes of the trucks the dispatcher locked exactly as they are (refusing, by name, a locked route
whose order or truck is no longer free) and hands the rest to the search as its warm start.

Committed routes keep their loaded trucks as they are: their trucks are on route, so a run never
sees them. With ``extend_committed``, each committed route that has not started brings its truck
and its orders back into the state, the orders pinned to that truck, so the truck may take extra
stops; committing such a decision amends the committed route (:mod:`.planning_amend`).

Everything a replay needs — the warm start, the locked routes, the pins and the extended routes
— is kept in the decision's ``run`` record (:meth:`Replan.to_json`, :func:`replan_from_json`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from senga_desktop.controllers.planning_state import (
    STATUS_WORDS,
    StateSnapshot,
    _order_state,
    _truck_state,
    speed_for_capacity,
)
from senga_desktop.controllers.planning_views import load_decision
from senga_desktop.controllers.settings_trips import read_trips
from senga_desktop.db.models import Decision, Order, Route, Vehicle
from senga_desktop.domain import OrderStatus, RouteStatus
from senga_desktop.engine.locks import PlanLocks, check_locks
from senga_desktop.engine.plan import Plan, PlannedReload, PlannedRoute, PlannedStop
from senga_desktop.engine.state import OrderState, PlanningState
from senga_desktop.errors import ValidationError

__all__ = [
    "Replan",
    "planned_route",
    "prepare_replan",
    "replan_from_json",
    "route_from_json",
    "route_to_json",
]

THOUSAND = Decimal(1000)
NEEDS_BASE = (
    "Locking routes needs the plan they come from: choose the decision to start from "
    "(--warm-start DECISION_ID), then lock its routes."
)


@dataclass(frozen=True)
class Replan:
    """What a run starts from and keeps: the warm start, the locks, the routes it extends.

    ``extends`` maps a truck to the committed route it may add stops to: ``{"route_id",
    "version"}`` as read, so that committing can tell whether the route changed since.
    """

    snapshot: StateSnapshot
    base_decision_id: str | None = None
    warm_start: Plan | None = None
    locks: PlanLocks = field(default_factory=PlanLocks)
    extends: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The ``run`` record's part that replays the run."""
        return {
            "base_decision_id": self.base_decision_id,
            "locked_vehicle_ids": sorted(self.locks.vehicle_ids),
            "locked_routes": [route_to_json(r) for r in self.locks.routes],
            "pins": dict(sorted(self.locks.pins.items())),
            "warm_start": (
                None
                if self.warm_start is None
                else [route_to_json(r) for r in self.warm_start.routes]
            ),
            "extends": {k: dict(v) for k, v in sorted(self.extends.items())},
        }


def replan_from_json(snapshot: StateSnapshot, run: Mapping[str, Any]) -> Replan:
    """The :class:`Replan` a decision's ``run`` record describes (none of it for older ones)."""
    warm = run.get("warm_start")
    return Replan(
        snapshot=snapshot,
        base_decision_id=run.get("base_decision_id"),
        warm_start=None if warm is None else _plan([route_from_json(r) for r in warm]),
        locks=PlanLocks(
            routes=tuple(route_from_json(r) for r in run.get("locked_routes") or ()),
            pins=dict(run.get("pins") or {}),
        ),
        extends=dict(run.get("extends") or {}),
    )


def prepare_replan(
    session: Session,
    snapshot: StateSnapshot,
    *,
    base_decision_id: str | None,
    locked_vehicle_ids: frozenset[str],
    pins: Mapping[str, str],
    extend_committed: bool,
    vehicle_ids: frozenset[str] | None = None,
) -> Replan:
    """The warm start, locks and extended routes of a run on ``snapshot``, inside the caller's
    unit of work; ``ValidationError`` saying what to do when they do not fit."""
    if locked_vehicle_ids and base_decision_id is None:
        raise ValidationError("locks", NEEDS_BASE)
    extends: dict[str, dict[str, Any]] = {}
    committed: list[PlannedRoute] = []
    if extend_committed:
        snapshot, extends, committed = _extend(session, snapshot, vehicle_ids)
    base: list[PlannedRoute] = []
    if base_decision_id is not None:
        base = _base_routes(session, base_decision_id, snapshot.state)
    locked = _locked(session, base_decision_id, base, locked_vehicle_ids, snapshot.state)
    pinned = dict(pins)
    for route in committed:
        if route.vehicle_id not in locked_vehicle_ids:  # a locked one keeps its orders anyway
            pinned.update(dict.fromkeys(route.order_ids, route.vehicle_id))
    locks = PlanLocks(routes=locked, pins=pinned)
    check_locks(snapshot.state, locks)
    starts = {r.vehicle_id for r in base}
    routes = [*base, *(r for r in committed if r.vehicle_id not in starts)]
    warm = _plan(routes) if routes else None
    return Replan(snapshot, base_decision_id, warm, locks, extends)


def _base_routes(session: Session, decision_id: str, state: PlanningState) -> list[PlannedRoute]:
    stops = selectinload(Decision.routes).selectinload(Route.stops)
    record = load_decision(session, decision_id, stops, purpose=" to start from")
    rows = [r for r in record.routes if r.status is not RouteStatus.CANCELLED]
    return [planned_route(r, _weights(session, r, state)) for r in sorted(rows, key=_route_key)]


def _route_key(route: Route) -> str:
    return route.route_id


def _locked(
    session: Session,
    decision_id: str | None,
    base: list[PlannedRoute],
    vehicle_ids: frozenset[str],
    state: PlanningState,
) -> tuple[PlannedRoute, ...]:
    """The base decision's routes of ``vehicle_ids``, refused by name if no longer free."""
    by_truck = {r.vehicle_id: r for r in base}
    trucks = {t.vehicle_id for t in state.trucks}
    orders = {o.order_id for o in state.orders}
    locked = []
    for vid in sorted(vehicle_ids):
        route = by_truck.get(vid)
        if route is None:
            raise ValidationError(
                "locks", f"Decision {decision_id} has no route for {vid}: there is nothing to lock."
            )
        if vid not in trucks:
            status = session.scalar(select(Vehicle.status).where(Vehicle.vehicle_id == vid))
            why = "no longer in the fleet" if status is None else STATUS_WORDS[status]
            raise ValidationError(
                "locks",
                f"The route of {vid} cannot be kept: {vid} is {why}. Unlock it and plan again.",
            )
        gone = [oid for oid in route.order_ids if oid not in orders]
        if gone:
            raise ValidationError("locks", _gone(session, vid, gone))
        locked.append(route)
    return tuple(locked)


def _gone(session: Session, vehicle_id: str, order_ids: list[str]) -> str:
    """Why the locked route's orders are not free, order by order."""
    rows = dict(
        session.execute(
            select(Order.order_id, Order.status).where(Order.order_id.in_(order_ids))
        ).all()
    )
    parts = []
    for oid in order_ids:
        status = rows.get(oid)
        if status is None:
            parts.append(f"{oid} no longer exists")
        elif status is OrderStatus.PENDING:
            parts.append(f"{oid} is outside this run's orders")
        else:
            parts.append(f"{oid} is {status.value.replace('_', ' ')}")
    return (
        f"The route of {vehicle_id} cannot be kept: {', '.join(parts)}. Unlock it, or take "
        "those orders off it, and plan again."
    )


def _extend(
    session: Session, snapshot: StateSnapshot, vehicle_ids: frozenset[str] | None
) -> tuple[StateSnapshot, dict[str, dict[str, Any]], list[PlannedRoute]]:
    """``snapshot`` with the trucks and orders of committed routes that have not started."""
    state = snapshot.state
    query = (
        select(Route)
        .where(Route.status == RouteStatus.PLANNED, Route.actual_start.is_(None))
        .options(selectinload(Route.stops), selectinload(Route.vehicle))
        .order_by(Route.route_id)
    )
    trucks = list(state.trucks)
    orders = list(state.orders)
    order_versions = dict(snapshot.order_versions)
    vehicle_versions = dict(snapshot.vehicle_versions)
    extends: dict[str, dict[str, Any]] = {}
    routes: list[PlannedRoute] = []
    known = {t.vehicle_id for t in trucks}
    trips = read_trips(session)
    learned = snapshot.learned
    for route in session.scalars(query):
        vehicle = route.vehicle
        vid = vehicle.vehicle_id
        if vid in known or vid in extends or (vehicle_ids is not None and vid not in vehicle_ids):
            continue
        rows = session.scalars(select(Order).where(Order.order_id.in_(route.order_ids))).all()
        if any(o.status is not OrderStatus.ASSIGNED for o in rows):
            continue  # something happened to it already: leave it alone
        truck = _truck_state(vehicle, state.now, state.depot, trips, learned)
        free = _free_from(session, route, vid) or route.planned_start or state.now
        trucks.append(replace(truck, free_from=max(free, state.now)))
        carried = [_order_state(o, learned) for o in rows]
        orders += carried
        order_versions.update({o.order_id: o.version for o in rows})
        vehicle_versions[vid] = vehicle.version
        extends[vid] = {"route_id": route.route_id, "version": route.version}
        weights = {o.order_id: (o.weight_kg, o.volume_dm3) for o in carried}
        routes.append(planned_route(route, weights))
    if not extends:
        return snapshot, extends, routes
    # The belief's speeds come from the available trucks: the extended ones need theirs too,
    # or a type no free truck shares would fall back to the default speed.
    speeds = dict(state.belief.speeds_kmh)
    for vehicle in session.scalars(select(Vehicle).where(Vehicle.vehicle_id.in_(list(extends)))):
        speeds.setdefault(vehicle.vehicle_type, speed_for_capacity(vehicle.capacity_weight_tonnes))
    extended = replace(
        state,
        orders=tuple(sorted(orders, key=lambda o: o.order_id)),
        trucks=tuple(sorted(trucks, key=lambda t: t.vehicle_id)),
        belief=replace(state.belief, speeds_kmh=speeds),
    )
    extended_snapshot = replace(
        snapshot, state=extended, order_versions=order_versions, vehicle_versions=vehicle_versions
    )
    return extended_snapshot, extends, routes


def _free_from(session: Session, route: Route, vehicle_id: str) -> datetime | None:
    """When the truck was free before this route was committed, from its decision's state."""
    if route.decision_id is None:
        return None
    document = session.scalar(
        select(Decision.state_snapshot).where(Decision.id == route.decision_id)
    )
    for truck in ((document or {}).get("state") or {}).get("trucks") or ():
        if truck.get("vehicle_id") == vehicle_id and truck.get("free_from"):
            return datetime.fromisoformat(truck["free_from"])
    return None


def _weights(session: Session, route: Route, state: PlanningState) -> dict[str, tuple[int, int]]:
    """kg and dm³ of a route's orders: from the state, else from the order rows."""
    known: dict[str, OrderState] = {o.order_id: o for o in state.orders}
    weights = {o: (known[o].weight_kg, known[o].volume_dm3) for o in route.order_ids if o in known}
    missing = [o for o in route.order_ids if o not in weights]
    if missing:
        rows = session.execute(
            select(Order.order_id, Order.weight_tonnes, Order.volume_m3).where(
                Order.order_id.in_(missing)
            )
        ).all()
        for oid, tonnes, m3 in rows:
            weights[oid] = (int(tonnes * THOUSAND), int(m3 * THOUSAND))
    return weights


def planned_route(route: Route, weights: Mapping[str, tuple[int, int]]) -> PlannedRoute:
    """A stored route as the engine's :class:`PlannedRoute`, with the figures it was stored with
    (written back by ``routes_from_plan``, it gives the same row)."""
    start = route.planned_start
    stops: list[PlannedStop] = []
    for stop in sorted(route.stops, key=lambda s: s.sequence_order):
        eta = stop.estimated_arrival or start
        departure = stop.estimated_departure or eta
        assert eta is not None, route.route_id
        assert departure is not None, route.route_id
        for oid in stop.order_ids:
            stops.append(PlannedStop(oid, eta, eta, departure, trip=stop.trip))
    first = start or (stops[0].eta if stops else None)
    assert first is not None, route.route_id
    duration = route.estimated_duration_minutes * 60
    reloads = tuple(
        PlannedReload(s.reload_arrival, s.reload_departure)
        for s in sorted(route.stops, key=lambda s: s.sequence_order)
        if s.reload_arrival is not None and s.reload_departure is not None
    )
    loads = [[0, 0] for _ in range(max([len(reloads), *(s.trip for s in stops)]) + 1)]
    for s in stops:
        kg, dm3 = weights.get(s.order_id, (0, 0))
        loads[s.trip][0] += kg
        loads[s.trip][1] += dm3
    return PlannedRoute(
        vehicle_id=route.vehicle.vehicle_id,
        vehicle_type=route.vehicle.vehicle_type,
        stops=tuple(stops),
        start=first,
        end=first + timedelta(seconds=duration),
        distance_m=int(route.total_distance_km * THOUSAND),
        duration_s=duration,
        cost_kes=route.estimated_cost_kes,
        load_kg=max(kg for kg, _ in loads),
        load_dm3=max(dm3 for _, dm3 in loads),
        reloads=reloads,
    )


def route_to_json(route: PlannedRoute) -> dict[str, Any]:
    """A :class:`PlannedRoute` in full, for the decision's ``run`` record."""
    return {
        "vehicle_id": route.vehicle_id,
        "vehicle_type": route.vehicle_type,
        "stops": [
            [s.order_id, s.arrival.isoformat(), s.eta.isoformat(), s.departure.isoformat(), s.trip]
            for s in route.stops
        ],
        "start": route.start.isoformat(),
        "end": route.end.isoformat(),
        "distance_m": route.distance_m,
        "duration_s": route.duration_s,
        "cost_kes": str(route.cost_kes),
        "load_kg": route.load_kg,
        "load_dm3": route.load_dm3,
        "reloads": [[r.arrival.isoformat(), r.departure.isoformat()] for r in route.reloads],
    }


def route_from_json(document: Mapping[str, Any]) -> PlannedRoute:
    """The :class:`PlannedRoute` :func:`route_to_json` wrote."""
    when = datetime.fromisoformat
    return PlannedRoute(
        vehicle_id=document["vehicle_id"],
        vehicle_type=document["vehicle_type"],
        stops=tuple(
            PlannedStop(oid, when(a), when(e), when(d), trip=int(t))
            for oid, a, e, d, t in document["stops"]
        ),
        start=when(document["start"]),
        end=when(document["end"]),
        distance_m=int(document["distance_m"]),
        duration_s=int(document["duration_s"]),
        cost_kes=Decimal(document["cost_kes"]),
        load_kg=int(document["load_kg"]),
        load_dm3=int(document["load_dm3"]),
        reloads=tuple(PlannedReload(when(a), when(d)) for a, d in document.get("reloads") or ()),
    )


def _plan(routes: list[PlannedRoute]) -> Plan:
    """Routes as a plan to start from (only which orders go on which truck, in which order,
    matter to a warm start)."""
    cost = sum((r.cost_kes for r in routes), Decimal(0))
    return Plan(tuple(routes), (), cost, cost, True, 0.0, 0, 0)
