"""Driver manifests: what each driver takes on the road, read for one route or a whole plan.

:func:`manifest_for_route` and :func:`manifest_for_decision` read a :class:`Manifest` in one unit
of work through the same view builders the Routes and Decisions screens use
(:func:`~senga_desktop.controllers.route_views.load_route_views` and
:func:`~senga_desktop.controllers.planning_views.build_decision_view`), then add what only a
driver needs: each consignee's address, contact person and phone, the truck's plate, and what to
do about special handling. :func:`manifest_for_id` takes either kind of id (``senga manifest``).

Only committed routes are printed: a proposed route may never run, a discarded or cancelled one
will not, and a sheet for it in a cab would send a truck out for nothing. A whole-plan manifest
leaves out the plan's routes cancelled since and names them. Anyone who may see routes may print
them (:attr:`~senga_desktop.controllers.permissions.Permission.ORDERS_VIEW`, as the Routes
screen). The fleet records no drivers yet, so the driver line is left to fill in by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.manifest_views import (
    HandlingNote,
    Manifest,
    ManifestOrder,
    ManifestReload,
    ManifestStop,
    MapPoint,
    RouteSheet,
)
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.plan_views import DepotPoint, RouteView
from senga_desktop.controllers.planning_views import build_decision_view, depot_point
from senga_desktop.controllers.route_views import load_orders, load_route_views
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import Decision, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import RouteStatus, SpecialHandling
from senga_desktop.errors import NotFound, ValidationError

__all__ = [
    "HANDLING_NOTES",
    "PRINTABLE_STATUSES",
    "manifest_for_decision",
    "manifest_for_id",
    "manifest_for_route",
    "manifest_order",
    "route_sheet",
]

#: Routes a driver can be handed a sheet for: committed, running or done (a reprint).
PRINTABLE_STATUSES = frozenset(
    {RouteStatus.PLANNED, RouteStatus.IN_PROGRESS, RouteStatus.COMPLETED}
)
_H = SpecialHandling
#: What the driver is told about each handling, most consequential first.
HANDLING_NOTES: dict[SpecialHandling, HandlingNote] = {
    _H.HAZARDOUS: HandlingNote(
        _H.HAZARDOUS,
        "Hazardous",
        "Dangerous goods (ADR): ADR-trained driver only, orange plates shown, no smoking or "
        "naked flames near the truck, transport document and extinguishers in the cab. In a "
        "spill or fire keep people back, upwind, and call the depot.",
        warning=True,
    ),
    _H.REFRIGERATED: HandlingNote(
        _H.REFRIGERATED,
        "Refrigerated",
        "Keep the cold chain: reefer running and cold before loading, doors shut between "
        "drops; never leave the goods standing in the sun.",
        warning=True,
    ),
    _H.FRAGILE: HandlingNote(
        _H.FRAGILE,
        "Fragile",
        "Load last, unload first, no stacking; check for damage with the consignee before "
        "they sign.",
    ),
    _H.TAIL_LIFT: HandlingNote(
        _H.TAIL_LIFT, "Tail lift", "No loading bay at the consignee: unload with the tail lift."
    ),
    _H.COVERED: HandlingNote(_H.COVERED, "Covered", "Keep dry: tarpaulin or box body closed."),
}
_REFUSED = {
    RouteStatus.PROPOSED: "is only proposed: commit its decision before printing driver sheets",
    RouteStatus.DISCARDED: "was discarded with its decision; no truck will run it",
    RouteStatus.CANCELLED: "is cancelled; its orders are no longer on it",
}


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _local(moment: datetime | None, zone: tzinfo) -> datetime | None:
    return moment.astimezone(zone) if moment is not None else None


def _handling(values: Iterable[str]) -> tuple[HandlingNote, ...]:
    known = {h.value for h in SpecialHandling}
    chosen = {SpecialHandling(v) for v in values if v in known}
    return tuple(note for code, note in HANDLING_NOTES.items() if code in chosen)


def manifest_order(order: Order) -> ManifestOrder:
    """The sheet's line for one order; its customer must be loaded."""
    customer = order.customer
    where = order.destination_location or {}
    contact = (customer.preferences or {}).get("contact_person")
    return ManifestOrder(
        order_id=order.order_id,
        customer=customer.customer_name,
        contact=str(contact or "").strip(),
        phone=(customer.phone or "").strip(),
        address=str(where.get("address") or customer.address or "").strip(),
        weight_tonnes=order.weight_tonnes,
        volume_m3=order.volume_m3,
        handling=_handling(order.special_handling or ()),
    )


def _path(view: RouteView, depot: MapPoint) -> tuple[MapPoint, ...]:
    """Start, depot (to load), every stop in order with the depot between trips, depot."""
    points = [MapPoint(view.start_lat, view.start_lon, view.start_town), depot]
    trip = 0
    for stop in view.stops:
        if stop.trip != trip:
            points.append(depot)
            trip = stop.trip
        points.append(MapPoint(stop.lat, stop.lon, stop.town))
    points.append(depot)
    return tuple(points)


def route_sheet(
    view: RouteView,
    orders: Mapping[str, ManifestOrder],
    *,
    depot: DepotPoint,
    plate: str = "",
    driver: str = "",
) -> RouteSheet:
    """A route's sheet from its view and its orders' lines (pure: no database).

    An order missing from ``orders`` (deleted since) still shows its number, with no consignee.
    """
    zone = _zone(depot.time_zone)
    depot_point_ = MapPoint(depot.lat, depot.lon, depot.name)
    stops = tuple(
        ManifestStop(
            sequence=stop.sequence,
            trip=stop.trip,
            town=stop.town,
            lat=stop.lat,
            lon=stop.lon,
            eta=_local(stop.eta, zone),
            departure=_local(stop.departure, zone),
            window_start=_local(stop.window_start, zone),
            window_end=_local(stop.window_end, zone),
            orders=tuple(
                orders.get(order_id)
                or ManifestOrder(order_id, "", "", "", "", stop.weight_tonnes, stop.volume_m3)
                for order_id in stop.order_ids
            ),
        )
        for stop in view.stops
    )
    departure = _local(view.departure, zone)
    first = departure or next((s.eta for s in stops if s.eta is not None), None)
    return RouteSheet(
        route_id=view.route_id,
        decision_id=view.decision_id,
        status=view.status,
        depot_name=depot.name,
        depot_town=depot.town,
        time_zone=depot.time_zone,
        day=first.date() if first is not None else None,
        vehicle_id=view.vehicle_id,
        plate=plate,
        vehicle_type=view.vehicle_type,
        capacity_tonnes=view.capacity_tonnes,
        capacity_m3=view.capacity_m3,
        driver=driver,
        start=MapPoint(view.start_lat, view.start_lon, view.start_town),
        depot=depot_point_,
        path=_path(view, depot_point_),
        departure=departure,
        return_at=_local(view.return_at, zone),
        stops=stops,
        reloads=tuple(
            ManifestReload(r.trip, _local(r.arrival, zone), _local(r.departure, zone))
            for r in view.reloads
        ),
        distance_km=view.distance_km,
        duration_minutes=view.duration_minutes,
        load_tonnes=view.load_tonnes,
        load_m3=view.load_m3,
        attention=view.attention,
    )


def _depot(session: Session, snapshot: Mapping[str, object] | None) -> DepotPoint:
    """The depot a decision planned from; the depot's settings when its snapshot has none."""
    if snapshot:
        planned = depot_point(snapshot)
        if planned.name:
            return planned
    general = read_general(session)
    return DepotPoint(
        general.depot_name,
        general.depot_town,
        general.depot_latitude,
        general.depot_longitude,
        general.time_zone,
    )


def _sheets(
    session: Session, views: Iterable[RouteView], depot: DepotPoint
) -> tuple[RouteSheet, ...]:
    """Sheets for ``views``: their orders' lines and the trucks' plates, a statement each."""
    views = list(views)
    orders = {
        order_id: manifest_order(order)
        for order_id, order in load_orders(session, (o for v in views for o in v.order_ids)).items()
    }
    plates = dict(
        session.execute(
            select(Vehicle.vehicle_id, Vehicle.registration_plate).where(
                Vehicle.vehicle_id.in_(sorted({v.vehicle_id for v in views}))
            )
        ).all()
    )
    return tuple(
        route_sheet(view, orders, depot=depot, plate=plates.get(view.vehicle_id) or "")
        for view in views
    )


def _manifest(
    who: str,
    title: str,
    decision_id: str | None,
    sheets: tuple[RouteSheet, ...],
    depot: DepotPoint,
    *,
    skipped: tuple[str, ...] = (),
    now: datetime | None = None,
) -> Manifest:
    zone = _zone(depot.time_zone)
    return Manifest(
        title=title,
        decision_id=decision_id,
        sheets=sheets,
        printed_at=(now or datetime.now(UTC)).astimezone(zone),
        printed_by=who,
        time_zone=depot.time_zone,
        skipped=skipped,
    )


def _route_manifest(session: Session, who: str, route: Route, now: datetime | None) -> Manifest:
    refusal = _REFUSED.get(route.status)
    if refusal is not None:
        raise ValidationError("status", f"Route {route.route_id} {refusal}.")
    view = load_route_views(session, [route])[0]
    snapshot = route.decision.state_snapshot if route.decision is not None else None
    depot = _depot(session, snapshot)
    sheets = _sheets(session, [view], depot)
    title = f"Route {route.route_id}"
    return _manifest(who, title, view.decision_id, sheets, depot, now=now)


def _decision_manifest(
    session: Session, who: str, record: Decision, now: datetime | None
) -> Manifest:
    if not record.committed:
        raise ValidationError(
            "status",
            f"Decision {record.decision_id} is not committed: commit it before printing driver "
            "sheets (a proposal may never run).",
        )
    view = build_decision_view(session, record)
    printable = [r for r in view.routes if r.status in PRINTABLE_STATUSES]
    skipped = tuple(r.route_id for r in view.routes if r.status not in PRINTABLE_STATUSES)
    if not printable:
        raise ValidationError(
            "status",
            f"Every route of decision {record.decision_id} has been cancelled since; there is "
            "no sheet to print.",
        )
    depot = view.depot if view.depot.name else _depot(session, None)
    sheets = _sheets(session, printable, depot)
    title = f"Decision {record.decision_id}"
    return _manifest(who, title, record.decision_id, sheets, depot, skipped=skipped, now=now)


def _who(session: Session, actor: Actor) -> str:
    user = authorize(session, actor, Permission.ORDERS_VIEW)
    return user.username if user is not None else actor.username


def _route(session: Session, route_id: str) -> Route | None:
    return session.scalars(select(Route).where(Route.route_id == route_id.strip())).first()


def _decision(session: Session, decision_id: str) -> Decision | None:
    return session.scalars(
        select(Decision).where(Decision.decision_id == decision_id.strip())
    ).first()


def manifest_for_route(
    sessions: sessionmaker[Session], actor: Actor, route_id: str, *, now: datetime | None = None
) -> Manifest:
    """The driver's sheet of one committed route; NotFound or ValidationError with a sentence."""
    return _manifest_of(sessions, actor, route_id, routes=True, decisions=False, now=now)


def manifest_for_decision(
    sessions: sessionmaker[Session], actor: Actor, decision_id: str, *, now: datetime | None = None
) -> Manifest:
    """Every route of a committed plan, a sheet each, in route order (cancelled ones left out)."""
    return _manifest_of(sessions, actor, decision_id, routes=False, decisions=True, now=now)


def manifest_for_id(
    sessions: sessionmaker[Session], actor: Actor, key: str, *, now: datetime | None = None
) -> Manifest:
    """A route's sheet if ``key`` is a route id, else a whole plan's if it is a decision id."""
    return _manifest_of(sessions, actor, key, routes=True, decisions=True, now=now)


def _manifest_of(
    sessions: sessionmaker[Session],
    actor: Actor,
    key: str,
    *,
    routes: bool,
    decisions: bool,
    now: datetime | None,
) -> Manifest:
    """The manifest of the route or decision ``key`` names (looked up where asked)."""
    with unit_of_work(sessions) as session:
        who = _who(session, actor)
        route = _route(session, key) if routes else None
        if route is not None:
            return _route_manifest(session, who, route, now)
        record = _decision(session, key) if decisions else None
        if record is not None:
            return _decision_manifest(session, who, record, now)
        if not decisions:
            raise NotFound(f"There is no route {key.strip()}.")
        if not routes:
            raise NotFound(f"There is no decision {key.strip()}.")
        raise NotFound(
            f"There is no route or decision {key.strip()!r}: give a route id "
            "(DEC-…-R01, as on the Routes screen) or a decision id (DEC-…)."
        )
