"""What an outcomes import needs to know about the routes its rows name, loaded in bulk.

For each route: its status, whether it has an outcome already, and the orders assigned to it with
their status (the orders :func:`~senga_desktop.controllers.outcome_records.finish_route` settles).
Two queries per 500 routes, so a 10,000-row file is checked without a query per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from senga_desktop.controllers.order_status import status_phrase
from senga_desktop.db.models import OperationalOutcome, Order, Route
from senga_desktop.domain import OrderStatus, RouteStatus

__all__ = ["RouteFacts", "load_route_facts", "route_problem"]

CHUNK = 500
#: Orders a completion can settle: on the route, not yet delivered or failed.
_OPEN_ORDERS = (OrderStatus.ASSIGNED, OrderStatus.IN_TRANSIT)
_NOT_RUN = {
    RouteStatus.PROPOSED: "was proposed but never committed, so it did not run: commit its "
    "decision first, or remove the row",
    RouteStatus.DISCARDED: "belongs to a discarded plan and never ran: remove the row",
    RouteStatus.CANCELLED: "was cancelled and never ran: remove the row",
    RouteStatus.COMPLETED: "is completed already: remove the row",
}


@dataclass(frozen=True, slots=True)
class RouteFacts:
    """A route as an import checks it."""

    id: int
    route_id: str
    status: RouteStatus
    outcome_id: str | None
    order_ids: tuple[str, ...]  # the orders assigned to it, in the route's order
    order_statuses: tuple[OrderStatus, ...]


def load_route_facts(session: Session, route_ids: Iterable[str]) -> dict[str, RouteFacts]:
    """The routes among ``route_ids`` that exist, by their number case-folded (a number typed
    in lower case still finds its route)."""
    given = {text for r in route_ids if (text := r.strip())}
    wanted = sorted(given | {r.upper() for r in given})
    heads: dict[int, tuple[str, RouteStatus, str | None, list[str]]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = (
            select(
                Route.id,
                Route.route_id,
                Route.status,
                OperationalOutcome.outcome_id,
                Route.order_ids,
            )
            .outerjoin(OperationalOutcome, OperationalOutcome.route_id == Route.id)
            .where(Route.route_id.in_(chunk))
        )
        for key, route_id, status, outcome_id, planned in session.execute(query):
            heads[key] = (route_id, status, outcome_id, list(planned or []))
    orders: dict[int, list[tuple[str, OrderStatus]]] = {key: [] for key in heads}
    keys = sorted(heads)
    for start in range(0, len(keys), CHUNK):
        chunk_keys = keys[start : start + CHUNK]
        assigned = select(Order.assigned_route_id, Order.order_id, Order.status).where(
            Order.assigned_route_id.in_(chunk_keys)
        )
        for route_key, order_id, order_status in session.execute(assigned):
            if route_key is not None:
                orders[route_key].append((order_id, order_status))
    found: dict[str, RouteFacts] = {}
    for key, (number, route_status, recorded, planned) in heads.items():
        position = {order: index for index, order in enumerate(planned)}
        mine = sorted(orders[key], key=lambda o: (position.get(o[0], len(position)), o[0]))
        found[number.casefold()] = RouteFacts(
            key,
            number,
            route_status,
            recorded,
            tuple(o for o, _ in mine),
            tuple(s for _, s in mine),
        )
    return found


def route_problem(text: str, facts: RouteFacts | None) -> str | None:
    """Why the route a row names cannot be completed from a file, or ``None``."""
    if facts is None:
        return (
            f"There is no route {text}: copy its number from the Routes screen "
            "(e.g. DEC-261125-083000-AB12-R01)."
        )
    if facts.outcome_id is not None:
        return (
            f"Route {facts.route_id} has its outcome recorded already ({facts.outcome_id}); "
            "a route has one outcome: remove the row."
        )
    if facts.status in _NOT_RUN:
        return f"Route {facts.route_id} {_NOT_RUN[facts.status]}."
    for order_id, status in zip(facts.order_ids, facts.order_statuses, strict=True):
        if status not in _OPEN_ORDERS:
            return (
                f"Order {order_id} on route {facts.route_id} is {status_phrase(status)} "
                "already: record this route on the Outcomes screen instead."
            )
    return None
