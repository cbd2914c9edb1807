"""Re-planning during the day, as the Planning screen shows it: what is committed, what has left,
and which routes of a proposal amend a committed route.

:func:`day_status` says how many committed routes have not left yet (with ``extend_committed``
a run may add stops to them, :mod:`~senga_desktop.controllers.planning_warm`) and how many
trucks are out on route (never re-planned). :func:`amendments` says, for a decision made with
``extend_committed``, which of its routes amend a committed route and what they add — what
committing it will do (:mod:`~senga_desktop.controllers.planning_amend`). Both are read models:
frozen dataclasses, one unit of work per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.planning_amend import extensions
from senga_desktop.controllers.planning_views import load_decision
from senga_desktop.db.models import Decision, Route
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import RouteStatus

__all__ = ["Amendment", "CommittedRoute", "DayStatus", "added_counts", "amendments", "day_status"]


@dataclass(frozen=True, slots=True)
class CommittedRoute:
    """A committed route whose truck has not left: it may take extra stops when allowed."""

    route_id: str
    vehicle_id: str
    orders: int
    planned_start: datetime | None


@dataclass(frozen=True)
class DayStatus:
    """The committed routes that have not left, and the trucks already out on a route."""

    waiting: tuple[CommittedRoute, ...]  # by route id
    out_on_route: tuple[str, ...]  # vehicle ids, sorted

    @property
    def quiet(self) -> bool:
        """Nothing is committed or out: a run plans on a fresh day."""
        return not self.waiting and not self.out_on_route


@dataclass(frozen=True, slots=True)
class Amendment:
    """A proposed route that, committed, amends truck ``vehicle_id``'s committed route.

    ``added_orders`` are the orders it adds (none: the committed route stays as it is);
    ``added_stops`` the stops holding only added orders. ``changed`` is set when the committed
    route changed (or left) since the run read it: committing will be refused.
    """

    vehicle_id: str
    route_id: str  # the committed route
    proposal_route_id: str
    added_orders: tuple[str, ...]
    added_stops: int
    changed: bool = False

    @property
    def sentence(self) -> str:
        """``adds 2 stops to committed route R-…`` (what the plan panel and commit say)."""
        if self.changed:
            return f"committed route {self.route_id} changed since this plan was made"
        if not self.added_orders:
            return f"keeps committed route {self.route_id} as it is (no extra stop)"
        orders = len(self.added_orders)
        if self.added_stops:
            stops = f"{self.added_stops} stop" + ("s" if self.added_stops != 1 else "")
            extra = f" ({orders} orders)" if orders != self.added_stops else ""
            return f"adds {stops}{extra} to committed route {self.route_id}"
        noun = "order" if orders == 1 else "orders"
        return f"adds {orders} {noun} to stops of committed route {self.route_id}"


def day_status(sessions: sessionmaker[Session], actor: Actor) -> DayStatus:
    """Committed routes not yet left, and trucks out on route (two small statements)."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        waiting = session.scalars(
            select(Route)
            .where(Route.status == RouteStatus.PLANNED, Route.actual_start.is_(None))
            .options(selectinload(Route.vehicle))
            .order_by(Route.route_id)
        ).all()
        out = session.scalars(
            select(Route)
            .where(
                or_(
                    Route.status == RouteStatus.IN_PROGRESS,
                    (Route.status == RouteStatus.PLANNED) & Route.actual_start.is_not(None),
                )
            )
            .options(selectinload(Route.vehicle))
        ).all()
        return DayStatus(
            waiting=tuple(
                CommittedRoute(r.route_id, r.vehicle.vehicle_id, len(r.order_ids), r.planned_start)
                for r in waiting
            ),
            out_on_route=tuple(sorted({r.vehicle.vehicle_id for r in out})),
        )


def amendments(
    sessions: sessionmaker[Session], actor: Actor, decision_id: str
) -> tuple[Amendment, ...]:
    """The routes of ``decision_id`` that amend a committed route (none for most decisions)."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        stops = selectinload(Decision.routes).selectinload(Route.stops)
        return _amendments(session, load_decision(session, decision_id, stops))


def _amendments(session: Session, record: Decision) -> tuple[Amendment, ...]:
    extends = extensions(record)
    if not extends:
        return ()
    committed = {
        r.route_id: r
        for r in session.scalars(
            select(Route).where(Route.route_id.in_([str(v["route_id"]) for v in extends.values()]))
        )
    }
    found: list[Amendment] = []
    for proposal in sorted(record.routes, key=lambda r: r.route_id):
        seen = extends.get(proposal.vehicle.vehicle_id)
        if seen is None or proposal.status is RouteStatus.CANCELLED:
            continue
        old = committed.get(str(seen["route_id"]))
        changed = (
            old is None
            or old.status is not RouteStatus.PLANNED
            or old.actual_start is not None
            or old.version != seen.get("version")
        )
        before = set(old.order_ids) if old is not None else set()
        added = tuple(o for o in proposal.order_ids if o not in before)
        found.append(
            Amendment(
                vehicle_id=proposal.vehicle.vehicle_id,
                route_id=str(seen["route_id"]),
                proposal_route_id=proposal.route_id,
                added_orders=added,
                added_stops=_new_stops(proposal, before),
                changed=changed,
            )
        )
    return tuple(found)


def _new_stops(route: Route, before: set[str]) -> int:
    """The route's stops that hold only orders the committed route did not carry."""
    return sum(1 for stop in route.stops if stop.order_ids and not set(stop.order_ids) & before)


def added_counts(found: Sequence[Amendment]) -> tuple[int, int]:
    """Committed routes that take extra stops, and the orders they add, over ``found``."""
    adding = [a for a in found if a.added_orders and not a.changed]
    return len(adding), sum(len(a.added_orders) for a in adding)
