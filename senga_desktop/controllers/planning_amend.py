"""Committing a decision that extends committed routes: amend them, never add a second route.

A run with ``extend_committed`` (:mod:`.planning_warm`) proposes, for a truck already on a
committed route that has not started, a route holding that route's orders plus any extra stops.
Committing it amends the committed route in place — its orders, stops and totals; the row's
version goes up and the change is audited — and sets the proposed row aside as discarded, so the
truck never has two routes (a proposal with no extra stop leaves the committed route as it
is). The same stale rules as for a plain commit hold: if the committed
route started, was cancelled or changed since the run read it, or an extra order is no longer
pending as it was, nothing is written and the refusal says which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from senga_desktop.controllers import audit
from senga_desktop.controllers.order_status import change_status
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.planning_stale import Change
from senga_desktop.db.models import Decision, Order, Route, RouteStop
from senga_desktop.domain import OrderStatus, RouteStatus, VehicleStatus
from senga_desktop.errors import ValidationError

__all__ = ["amend_routes", "extension_changes", "extensions", "split_extensions"]


def extensions(record: Decision) -> dict[str, Mapping[str, Any]]:
    """The committed routes the decision extends, by truck (none for most decisions)."""
    run = (record.state_snapshot or {}).get("run") or {}
    return dict(run.get("extends") or {})


def split_extensions(
    record: Decision, routes: Sequence[Route]
) -> tuple[list[Route], list[tuple[Route, Mapping[str, Any]]]]:
    """The proposed routes that become routes of their own, and those that amend a committed
    route (with what the run read of it)."""
    extends = extensions(record)
    plain = [r for r in routes if r.vehicle.vehicle_id not in extends]
    amend = [(r, extends[r.vehicle.vehicle_id]) for r in routes if r.vehicle.vehicle_id in extends]
    return plain, amend


def _committed(session: Session, route_id: str) -> Route | None:
    query = select(Route).where(Route.route_id == route_id).with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).first()


def extension_changes(
    session: Session,
    snapshot: Mapping[str, Any],
    amend: Sequence[tuple[Route, Mapping[str, Any]]],
    orders: Mapping[str, Order],
) -> list[Change]:
    """What changed, since the run, in the committed routes it extends and their extra orders."""
    versions = (snapshot.get("versions") or {}).get("orders") or {}
    changes: list[Change] = []
    for proposed, seen in amend:
        vid, rid = proposed.vehicle.vehicle_id, str(seen["route_id"])
        old = _committed(session, rid)
        why = None
        if old is None:
            why = "no longer exists"
        elif old.status is not RouteStatus.PLANNED:
            why = f"is {old.status.value.replace('_', ' ')}"
        elif old.actual_start is not None:
            why = "has started"
        elif old.version != seen.get("version"):
            why = "was changed"
        if why is not None or old is None:
            line = f"committed route {rid} of truck {vid} {why}"
            changes.append(Change(rid, "route", "changed", line))
            continue
        if old.vehicle.status is not VehicleStatus.ON_ROUTE:
            changes.append(Change(vid, "truck", old.vehicle.status.value, ""))
        for oid in proposed.order_ids:
            order = orders.get(oid)
            if oid in old.order_ids:
                if order is None or order.assigned_route_id != old.id:
                    changes.append(Change(oid, "order", "edited", f"order {oid} left route {rid}"))
            elif order is None:
                changes.append(Change(oid, "order", "deleted", f"order {oid} was deleted"))
            elif order.status is not OrderStatus.PENDING:
                words = order.status.value.replace("_", " ")
                changes.append(Change(oid, "order", order.status.value, f"order {oid} is {words}"))
            elif order.version != versions.get(oid):
                changes.append(Change(oid, "order", "edited", f"order {oid} was edited"))
    return changes


def amend_routes(
    session: Session,
    actor: Actor,
    record: Decision,
    amend: Sequence[tuple[Route, Mapping[str, Any]]],
    orders: Mapping[str, Order],
) -> None:
    """Each committed route takes its proposal's orders, stops and totals (see the module)."""
    for proposed, seen in amend:
        old = _committed(session, str(seen["route_id"]))
        assert old is not None  # extension_changes refused the commit otherwise
        dropped = [o for o in old.order_ids if o not in proposed.order_ids]
        if dropped:
            raise ValidationError(
                "decision",
                f"Decision {record.decision_id} would take {', '.join(dropped)} off committed "
                f"route {old.route_id}; a loaded truck keeps its orders. Plan again.",
            )
        proposed.status = RouteStatus.DISCARDED
        if list(proposed.order_ids) == list(old.order_ids):
            continue  # no extra stop, same order: the committed route stays exactly as it is
        added = [o for o in proposed.order_ids if o not in old.order_ids]
        old.order_ids = list(proposed.order_ids)
        old.destination_cities = list(proposed.destination_cities)
        old.total_distance_km = proposed.total_distance_km
        old.estimated_duration_minutes = proposed.estimated_duration_minutes
        old.estimated_cost_kes = proposed.estimated_cost_kes
        old.planned_start = proposed.planned_start
        old.stops.clear()
        session.flush()  # the old stops' ids are free again before the new ones take them
        for n, stop in enumerate(sorted(proposed.stops, key=lambda s: s.sequence_order)):
            old.stops.append(
                RouteStop(
                    stop_id=f"{old.route_id}-S{n + 1:02d}",
                    order_ids=list(stop.order_ids),
                    location=dict(stop.location),
                    stop_type=stop.stop_type,
                    sequence_order=n,
                    trip=stop.trip,
                    reload_arrival=stop.reload_arrival,
                    reload_departure=stop.reload_departure,
                    estimated_arrival=stop.estimated_arrival,
                    estimated_departure=stop.estimated_departure,
                )
            )
        for oid in added:
            change_status(session, actor, orders[oid], OrderStatus.ASSIGNED,
                          reason=f"decision {record.decision_id}")  # fmt: skip
            orders[oid].assigned_route_id = old.id
        ends = [s.estimated_departure for s in proposed.stops if s.estimated_departure]
        if ends:
            old.vehicle.available_at = max(ends)
        flag_modified(old, "order_ids")  # the row's version goes up with every amendment
        audit.record_by(session, actor, "route.amended", entity_type="route",
                        entity_id=old.route_id,
                        details={"decision": record.decision_id, "added": added,
                                 "proposal": proposed.route_id})  # fmt: skip
