"""An engine plan as the screens show it, without the database: routes and held orders as views.

A plan being edited never touches the database between edits, so its
:class:`~senga_desktop.controllers.plan_views.RouteView` s are built here from the engine's
:class:`~senga_desktop.engine.plan.PlannedRoute` and what the decision's state snapshot says
of each order and truck (plus the customers' names, read once), figure for figure as
:func:`~senga_desktop.controllers.route_views.route_view` builds them from stored rows: ETAs are
service starts, loads count per trip, a route returns ``duration`` after it leaves. The views of
unchanged routes are kept, so re-building a plan after an edit builds only the routes it touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from senga_desktop.controllers.plan_views import (
    HeldView,
    ReloadView,
    RouteView,
    StopView,
)
from senga_desktop.domain import RouteStatus
from senga_desktop.engine.plan import PlannedRoute
from senga_desktop.engine.state import OrderState, PlanningState, TruckState

__all__ = ["HELD_BY_DISPATCHER", "PlanViews", "planned_route_view", "route_id_for"]

THOUSAND = Decimal(1000)
MILLI = Decimal("0.001")
ZERO = Decimal(0)
KEPT_VIEWS = 4096  # route views kept: many edits' worth for a 40-route plan

#: The reason code of an order a dispatcher took off the engine's plan.
HELD_BY_DISPATCHER = "held_by_dispatcher"


def _tonnes(kg: int) -> Decimal:
    return Decimal(kg) / THOUSAND


def planned_route_view(
    route: PlannedRoute,
    *,
    route_id: str,
    decision_id: str | None,
    truck: TruckState,
    orders: Mapping[str, OrderState],
    customers: Mapping[str, str],
    status: RouteStatus = RouteStatus.PROPOSED,
) -> RouteView:
    """The view of an engine route; ``orders`` must hold its orders (as the state saw them),
    ``customers`` maps order ids to customer names (missing: no name shown)."""
    loads: dict[int, list[int]] = {}
    for stop in route.stops:
        order = orders[stop.order_id]
        kg_dm3 = loads.setdefault(stop.trip, [0, 0])
        kg_dm3[0] += order.weight_kg
        kg_dm3[1] += order.volume_dm3
    on_board = {trip: list(kg_dm3) for trip, kg_dm3 in loads.items()}
    stops = []
    for sequence, stop in enumerate(route.stops, start=1):
        order = orders[stop.order_id]
        left = on_board[stop.trip]
        left[0] -= order.weight_kg
        left[1] -= order.volume_dm3
        stops.append(
            StopView(
                sequence=sequence,
                order_ids=(order.order_id,),
                customers=(customers.get(order.order_id, ""),),
                town=order.town,
                lat=order.lat,
                lon=order.lon,
                eta=stop.eta,
                departure=stop.departure,
                window_start=order.window_start,
                window_end=order.window_end,
                weight_tonnes=_tonnes(order.weight_kg),
                volume_m3=_tonnes(order.volume_dm3),
                load_after_tonnes=_tonnes(left[0]),
                load_after_m3=_tonnes(left[1]),
                special_handling=tuple(sorted(order.special_handling)),
                revenue_kes=order.revenue_kes,
                trip=stop.trip,
            )
        )
    minutes = round(route.duration_s / 60)
    return RouteView(
        route_id=route_id,
        vehicle_id=route.vehicle_id,
        vehicle_type=route.vehicle_type,
        status=status,
        decision_id=decision_id,
        start_town=truck.town,
        start_lat=truck.lat,
        start_lon=truck.lon,
        stops=tuple(stops),
        load_tonnes=_tonnes(max((kg for kg, _ in loads.values()), default=0)),
        load_m3=_tonnes(max((dm3 for _, dm3 in loads.values()), default=0)),
        capacity_tonnes=_tonnes(truck.capacity_kg),
        capacity_m3=_tonnes(truck.capacity_dm3),
        distance_km=route.distance_km.quantize(MILLI),
        duration_minutes=minutes,
        cost_kes=route.cost_kes,
        revenue_kes=sum((s.revenue_kes for s in stops), ZERO),
        departure=route.start,
        return_at=route.start + timedelta(minutes=minutes),
        reloads=tuple(
            ReloadView(trip, reload.arrival, reload.departure)
            for trip, reload in enumerate(route.reloads, start=1)
        ),
    )


def route_id_for(decision_id: str, vehicle_id: str, known: Mapping[str, str]) -> str:
    """A route's id on screen: the decision's stored route of that truck, else one made from
    the decision and the plate (route ids follow the truck through edits)."""
    return known.get(vehicle_id) or f"{decision_id}-{vehicle_id.replace(' ', '')}"


@dataclass(frozen=True, slots=True)
class _Key:
    route_id: str
    route: PlannedRoute


class PlanViews:
    """Builds the route and held views of one decision's plans (the engine's and its edits).

    ``route_ids`` maps trucks to the decision's stored route ids; ``held`` holds the stored
    held orders (with the engine's reasons) by order id; ``engine_trucks`` maps the orders on
    the engine's routes to their trucks, for the sentence of an order taken off by hand.
    """

    def __init__(
        self,
        *,
        decision_id: str,
        state: PlanningState,
        customers: Mapping[str, str],
        route_ids: Mapping[str, str],
        held: Mapping[str, HeldView],
        engine_trucks: Mapping[str, str],
    ) -> None:
        self.decision_id = decision_id
        self._orders = {o.order_id: o for o in state.orders}
        self._trucks = {t.vehicle_id: t for t in state.trucks}
        self._customers = dict(customers)
        self._route_ids = dict(route_ids)
        self._held = dict(held)
        self._engine_trucks = dict(engine_trucks)
        self._views: dict[_Key, RouteView] = {}

    def routes(self, routes: Iterable[PlannedRoute]) -> tuple[RouteView, ...]:
        """The views of ``routes`` in their order (the views of routes seen before are kept)."""
        views = []
        for route in routes:
            key = _Key(route_id_for(self.decision_id, route.vehicle_id, self._route_ids), route)
            view = self._views.get(key)
            if view is None:
                if len(self._views) >= KEPT_VIEWS:
                    self._views.clear()
                view = self._views[key] = planned_route_view(
                    route,
                    route_id=key.route_id,
                    decision_id=self.decision_id,
                    truck=self._trucks[route.vehicle_id],
                    orders=self._orders,
                    customers=self._customers,
                )
            views.append(view)
        return tuple(views)

    def held(self, order_ids: Iterable[str]) -> tuple[HeldView, ...]:
        """The views of the held orders: the engine's reason where the engine held it too,
        else "taken off by hand"."""
        return tuple(self._held.get(oid) or self._taken_off(oid) for oid in order_ids)

    def _taken_off(self, order_id: str) -> HeldView:
        order = self._orders[order_id]
        truck = self._engine_trucks.get(order_id)
        off = f"Taken off {truck}'s route by hand" if truck else "Held by hand"
        return HeldView(
            order_id=order_id,
            code=HELD_BY_DISPATCHER,
            message=f"{off}: it stays pending for a later run.",
            customer=self._customers.get(order_id, ""),
            town=order.town,
            lat=order.lat,
            lon=order.lon,
            weight_tonnes=_tonnes(order.weight_kg),
            volume_m3=_tonnes(order.volume_dm3),
            window_end=order.window_end,
        )
