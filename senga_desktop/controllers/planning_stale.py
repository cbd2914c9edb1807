"""Why a decision cannot be committed any more, said the way a dispatcher reads it.

A decision is stale when an order or truck it uses changed since it was made. The usual cause is
another plan committed first, so the refusal leads with that — who committed which decision,
when (depot time), and how many of this plan's orders and trucks it took — then sums up every
other kind of change by count ("2 orders were edited, 1 truck was sent to maintenance"). Every
changed row is listed, one line each, in :attr:`StaleDataError.details`.

:func:`find_changes` compares the rows as they are now with the versions the decision's snapshot
recorded; :func:`refusal` turns the changes into the error. :func:`explain_conflict` does both in
a fresh unit of work after a commit failed half-way (another desktop won a race at the database),
so every way a concurrent change can surface ends in the same readable refusal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError as OrmStaleDataError

from senga_desktop.controllers.permissions import COMMAND_LINE
from senga_desktop.controllers.planning_state import STATUS_WORDS
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import AuditLog, Decision, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, RouteStatus, VehicleStatus
from senga_desktop.errors import StaleDataError, StorageUnavailable

__all__ = [
    "Change",
    "committed_elsewhere",
    "explain_conflict",
    "find_changes",
    "lock_rows",
    "refusal",
    "take_write_lock",
]

_TAKEN = frozenset({OrderStatus.ASSIGNED, OrderStatus.IN_TRANSIT, OrderStatus.DELIVERED})
_LIVE_ROUTES = (RouteStatus.PLANNED, RouteStatus.IN_PROGRESS)
_SHOWN = 3  # a kind of change with at most this many rows names them in the summary

# How each kind of change reads: (one, many); "{n}" is the count.
_ORDER_KINDS = {
    "edited": ("1 order was edited", "{n} orders were edited"),
    "deleted": ("1 order no longer exists", "{n} orders no longer exist"),
    "cancelled": ("1 order was cancelled", "{n} orders were cancelled"),
    "failed": ("1 order was marked failed", "{n} orders were marked failed"),
    "assigned": ("1 order was assigned", "{n} orders were assigned"),
    "in_transit": ("1 order is in transit", "{n} orders are in transit"),
    "delivered": ("1 order was delivered", "{n} orders were delivered"),
}
_TRUCK_KINDS = {
    "edited": ("1 truck was edited", "{n} trucks were edited"),
    "maintenance": ("1 truck was sent to maintenance", "{n} trucks were sent to maintenance"),
    "off_duty": ("1 truck was marked off duty", "{n} trucks were marked off duty"),
    "retired": ("1 truck was retired", "{n} trucks were retired"),
    "on_route": ("1 truck is out on a route", "{n} trucks are out on routes"),
}
_ROUTE_KINDS = {  # committed routes a run extends (see planning_amend)
    "changed": ("1 committed route it extends changed", "{n} committed routes it extends changed"),
}


@dataclass(frozen=True, slots=True)
class Change:
    """One order or truck that changed since the decision was made."""

    key: str  # the order id or the truck's id
    kind: str  # "order" or "truck"
    what: str  # a key of _ORDER_KINDS / _TRUCK_KINDS, or "taken"
    line: str  # the sentence for the details list
    route_pk: int | None = None  # for "taken": the route that holds it now


def take_write_lock(session: Session, decision_id: str) -> None:
    """On SQLite, take the file's write lock before reading anything (a no-op write).

    SQLite has no row locks: two commits that both read first and then write would find, at
    their first write, that the other changed the file under their snapshot ("database is
    locked"). Writing first makes the second commit wait (busy timeout) until the first is done
    and then read what it wrote — the readable refusal. PostgreSQL locks rows in
    :func:`lock_rows` instead.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(Decision)
            .where(Decision.decision_id == decision_id)
            .values(committed=Decision.committed)
            .execution_options(synchronize_session=False)
        )


def lock_rows(
    session: Session, routes: Sequence[Route], *, lock: bool = True
) -> tuple[dict[str, Order], dict[int, Vehicle]]:
    """The routes' orders (by order id) and trucks (by primary key), read afresh.

    With ``lock`` they stay locked for the rest of the transaction (PostgreSQL:
    ``SELECT … FOR UPDATE``, in id order so two commits never deadlock; SQLite locks the whole
    file on the first write instead). A commit racing another waits here, then reads what the
    other wrote — so the race ends in the readable refusal rather than at the flush.
    """
    wanted = sorted({o for route in routes for o in route.order_ids})
    order_query = select(Order).where(Order.order_id.in_(wanted)).order_by(Order.id)
    vehicle_query = (
        select(Vehicle)
        .where(Vehicle.id.in_(sorted({r.vehicle_id for r in routes})))
        .order_by(Vehicle.id)
    )
    if lock:
        order_query = order_query.with_for_update()
        vehicle_query = vehicle_query.with_for_update()
    fresh = {"populate_existing": True}
    orders = session.scalars(order_query.execution_options(**fresh)).all()
    vehicles = session.scalars(vehicle_query.execution_options(**fresh)).all()
    return {o.order_id: o for o in orders}, {v.id: v for v in vehicles}


def _versions(snapshot: Mapping[str, Any]) -> tuple[Mapping[str, int], Mapping[str, int]]:
    versions = snapshot.get("versions") or {}
    return versions.get("orders") or {}, versions.get("vehicles") or {}


def _words(status: str) -> str:
    return status.replace("_", " ")


def find_changes(
    session: Session,
    snapshot: Mapping[str, Any],
    routes: Sequence[Route],
    orders: Mapping[str, Order],
    vehicles: Mapping[int, Vehicle],
) -> list[Change]:
    """Every order and truck of ``routes`` that differs from the decision's snapshot."""
    order_versions, vehicle_versions = _versions(snapshot)
    changes: list[Change] = []
    for order_id in sorted({o for route in routes for o in route.order_ids}):
        order = orders.get(order_id)
        if order is None:
            changes.append(Change(order_id, "order", "deleted", f"order {order_id} was deleted"))
        elif order.status in _TAKEN and order.assigned_route_id is not None:
            changes.append(Change(order_id, "order", "taken", "", route_pk=order.assigned_route_id))
        elif order.status is not OrderStatus.PENDING:
            status = order.status.value
            changes.append(
                Change(order_id, "order", status, f"order {order_id} is {_words(status)}")
            )
        elif order.version != order_versions.get(order_id):
            changes.append(Change(order_id, "order", "edited", f"order {order_id} was edited"))
    trucks = sorted(
        (vehicles[pk] for pk in {r.vehicle_id for r in routes} if pk in vehicles),
        key=lambda v: v.vehicle_id,
    )
    holding = _live_routes(session, [v for v in trucks if v.status is VehicleStatus.ON_ROUTE])
    for vehicle in trucks:
        vehicle_id = vehicle.vehicle_id
        if vehicle.status is VehicleStatus.ON_ROUTE and vehicle.id in holding:
            changes.append(Change(vehicle_id, "truck", "taken", "", route_pk=holding[vehicle.id]))
        elif vehicle.status is not VehicleStatus.AVAILABLE:
            line = f"truck {vehicle_id} is {STATUS_WORDS[vehicle.status]}"
            changes.append(Change(vehicle_id, "truck", vehicle.status.value, line))
        elif vehicle.version != vehicle_versions.get(vehicle_id):
            changes.append(Change(vehicle_id, "truck", "edited", f"truck {vehicle_id} was edited"))
    return changes


def _live_routes(session: Session, vehicles: Sequence[Vehicle]) -> dict[int, int]:
    """The latest planned or running route of each truck, by truck pk."""
    if not vehicles:
        return {}
    rows = session.execute(
        select(Route.vehicle_id, Route.id)
        .where(Route.vehicle_id.in_([v.id for v in vehicles]), Route.status.in_(_LIVE_ROUTES))
        .order_by(Route.created_at, Route.id)
    ).all()
    latest: dict[int, int] = dict(rows)  # the last one wins
    return latest


@dataclass(frozen=True, slots=True)
class _Taker:
    label: str  # "decision DEC-…" or "route RT-…"
    who: str | None
    when: datetime | None


def _person(username: str | None, user_id: int | None) -> str:
    """The name of whoever did an audited action, as a sentence names them."""
    if user_id is None and username == COMMAND_LINE.username:
        return "someone at the command line"
    return username or "someone"


def _committers(session: Session, decision_ids: Sequence[str]) -> dict[str, str]:
    rows = session.execute(
        select(AuditLog.entity_id, AuditLog.username, AuditLog.user_id)
        .where(
            AuditLog.action == "decision.committed",
            AuditLog.entity_type == "decision",
            AuditLog.entity_id.in_(decision_ids),
        )
        .order_by(AuditLog.id)
    ).all()
    names = {}
    for entity_id, username, user_id in rows:
        if entity_id is not None and username:
            names[entity_id] = _person(username, user_id)
    return names


def _takers(session: Session, route_pks: set[int]) -> dict[int, _Taker]:
    """Who took each route's orders and trucks: its decision, who committed it and when."""
    if not route_pks:
        return {}
    routes = session.scalars(
        select(Route).options(joinedload(Route.decision)).where(Route.id.in_(sorted(route_pks)))
    ).all()
    decision_ids = sorted({r.decision.decision_id for r in routes if r.decision is not None})
    names = _committers(session, decision_ids) if decision_ids else {}
    takers = {}
    for route in routes:
        decision = route.decision
        if decision is not None:
            takers[route.id] = _Taker(
                f"decision {decision.decision_id}",
                names.get(decision.decision_id),
                decision.committed_at,
            )
        else:
            takers[route.id] = _Taker(f"route {route.route_id}", None, route.created_at)
    return takers


def depot_clock(session: Session, moment: datetime | None) -> str:
    """``moment`` in the depot's time zone: "09:12" today, "Fri 4 Dec 09:12" otherwise."""
    if moment is None:
        return "an unknown time"
    zone = ZoneInfo(read_general(session).time_zone)
    local = moment.astimezone(zone)
    if local.date() == datetime.now(UTC).astimezone(zone).date():
        return f"{local:%H:%M} (depot time)"
    return f"{local:%a} {local.day} {local:%b %H:%M} (depot time)"


def _count(n: int, one: str, many: str) -> str:
    return one if n == 1 else many.format(n=n)


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _taken_clause(session: Session, taker: _Taker, orders: int, trucks: int) -> str:
    took = []
    if orders:
        took.append(f"{orders} of this plan's orders")
    if trucks:
        took.append(f"{trucks} of its trucks" if orders else f"{trucks} of this plan's trucks")
    who = taker.who or "someone"
    return (
        f"{who} committed {taker.label} at {depot_clock(session, taker.when)}, taking {_and(took)}"
    )


def _other_clauses(changes: Sequence[Change]) -> list[str]:
    clauses = []
    for kind, table in (("order", _ORDER_KINDS), ("truck", _TRUCK_KINDS), ("route", _ROUTE_KINDS)):
        groups: dict[str, list[str]] = defaultdict(list)
        for change in changes:
            if change.kind == kind and change.what != "taken":
                groups[change.what].append(change.key)
        for what, keys in sorted(groups.items(), key=lambda item: -len(item[1])):
            one, many = table.get(what, (f"1 {kind} changed", f"{{n}} {kind}s changed"))
            text = _count(len(keys), one, many)
            if len(keys) <= _SHOWN:
                text += f" ({', '.join(keys)})"
            clauses.append(text)
    return clauses


def refusal(session: Session, decision_id: str, changes: Sequence[Change]) -> StaleDataError:
    """The readable refusal for ``changes`` (at least one)."""
    takers = _takers(session, {c.route_pk for c in changes if c.route_pk is not None})
    taken: dict[_Taker, Counter[str]] = defaultdict(Counter)
    lines = []
    for change in changes:
        if change.what == "taken" and change.route_pk in takers:
            taker = takers[change.route_pk]
            taken[taker][change.kind] += 1
            verb = "was assigned by" if change.kind == "order" else "was reserved by"
            lines.append(f"{change.kind} {change.key} {verb} {taker.label}")
        else:
            lines.append(change.line or f"{change.kind} {change.key} changed")
    ordered = sorted(
        taken.items(), key=lambda item: item[0].when or datetime.min.replace(tzinfo=UTC)
    )
    first = [
        _taken_clause(session, taker, counts["order"], counts["truck"]) for taker, counts in ordered
    ]
    others = _other_clauses(changes)
    if first:
        lead = (
            "Another plan was committed first: "
            if len(first) == 1
            else "Other plans were committed first: "
        )
        summary = lead + "; ".join(first) + "."
        if others:
            summary += " Since this plan was made, also " + _and(others) + "."
        summary += " Plan again to use what is left."
    else:
        summary = (
            f"Decision {decision_id} is out of date and was not committed: since it was made, "
            + _and(others)
            + ". Plan again."
        )
    return StaleDataError(summary, keys=[c.key for c in changes], details=lines)


def _decision_event(session: Session, decision_id: str, action: str) -> tuple[str, datetime | None]:
    row = session.execute(
        select(AuditLog.username, AuditLog.user_id, AuditLog.occurred_at)
        .where(AuditLog.action == action, AuditLog.entity_id == decision_id)
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "someone", None
    username, user_id, when = row
    return _person(username, user_id), when


def committed_elsewhere(
    session: Session, record: Decision, *, doing: str = "confirming"
) -> StaleDataError:
    """Someone else committed this very decision while the user was ``doing`` it."""
    decision_id = record.decision_id
    who, when = _decision_event(session, decision_id, "decision.committed")
    then = (
        " Nothing more to do."
        if doing == "confirming"
        else " It can no longer be discarded: cancel its routes on the Routes screen instead."
    )
    return StaleDataError(
        f"{who} committed decision {decision_id} at "
        f"{depot_clock(session, when or record.committed_at)} while you were {doing} it: its "
        f"routes are planned already.{then}",
        keys=[decision_id],
        details=[f"decision {decision_id} was committed by {who}"],
    )


@contextmanager
def conflicts_explained(
    sessions: sessionmaker[Session],
    decision_id: str,
    *,
    doing: str = "committing",
    otherwise: str | None = None,
) -> Iterator[None]:
    """Around a commit's (or discard's: ``doing``) unit of work: a failure at the database
    (another desktop at the same moment) becomes the readable refusal of
    :func:`explain_conflict`; when nothing the decision uses changed, a row conflict becomes a
    :class:`StaleDataError` saying ``otherwise`` (without it, the failure stands)."""
    try:
        yield
    except (OrmStaleDataError, StorageUnavailable) as exc:
        explained = explain_conflict(sessions, decision_id, doing=doing)
        if explained is not None:
            raise explained from exc
        if otherwise is None or isinstance(exc, StorageUnavailable):
            raise
        raise StaleDataError(otherwise, keys=[decision_id]) from exc


def explain_conflict(
    sessions: sessionmaker[Session], decision_id: str, *, doing: str = "committing"
) -> StaleDataError | None:
    """After a commit (or discard: ``doing``) failed at the database and was rolled back, read
    afresh what changed: the refusal to show, or ``None`` if nothing the decision uses changed
    (a different failure)."""
    with unit_of_work(sessions) as session:
        record = session.scalars(
            select(Decision).where(Decision.decision_id == decision_id)
        ).first()
        if record is None:
            return None
        if record.committed:
            return committed_elsewhere(
                session, record, doing="confirming" if doing == "committing" else doing
            )
        routes = list(record.routes)
        if routes and all(r.status is RouteStatus.DISCARDED for r in routes):
            who, when = _decision_event(session, decision_id, "decision.discarded")
            then = " Plan again." if doing == "committing" else ""
            return StaleDataError(
                f"{who} discarded decision {decision_id} at {depot_clock(session, when)} while "
                f"you were {doing} it. Nothing was written.{then}",
                keys=[decision_id],
                details=[f"decision {decision_id} was discarded by {who}"],
            )
        if doing != "committing":
            return None
        open_routes = [r for r in routes if r.status is RouteStatus.PROPOSED]
        orders, vehicles = lock_rows(session, open_routes, lock=False)
        changes = find_changes(session, record.state_snapshot or {}, open_routes, orders, vehicles)
        return refusal(session, decision_id, changes) if changes else None
