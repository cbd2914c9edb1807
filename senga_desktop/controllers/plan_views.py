"""What the planning, routes and decisions screens show: plain read models, no ORM rows.

A :class:`DecisionView` is one decision as a dispatcher reads it — totals, routes with their stops
and loads, held orders with their reasons and where they are — and a :class:`RouteView` one route
of it (or a committed route on the Routes screen). The screens, the map and (later) manifests all
draw from these, so a figure means the same everywhere. Builders that read them from the database
live in :mod:`~senga_desktop.controllers.planning_views` (decisions) and
:mod:`~senga_desktop.controllers.routes` (routes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from senga_desktop.domain import DecisionType, PolicyName, RouteStatus

__all__ = [
    "DecisionComparison",
    "DecisionPage",
    "DecisionRow",
    "DecisionView",
    "DepotPoint",
    "HeldView",
    "MovedOrder",
    "PlanTotals",
    "ReloadView",
    "RouteFilter",
    "RoutePage",
    "RouteRow",
    "RouteView",
    "SideFigures",
    "SnapshotOrder",
    "SnapshotTruck",
    "SnapshotView",
    "StopView",
]

ZERO = Decimal(0)


def share(used: Decimal, capacity: Decimal) -> float:
    """``used`` as a fraction of ``capacity`` (0 when there is no capacity)."""
    return float(used / capacity) if capacity > 0 else 0.0


@dataclass(frozen=True, slots=True)
class DepotPoint:
    """Where routes load and end, and the time zone every time on screen is shown in."""

    name: str
    town: str
    lat: float
    lon: float
    time_zone: str


@dataclass(frozen=True, slots=True)
class StopView:
    """One stop of a route: where, whose orders, when against their window, load after it."""

    sequence: int  # 1, 2, … in delivery order
    order_ids: tuple[str, ...]
    customers: tuple[str, ...]  # customer names, in the order of order_ids
    town: str
    lat: float
    lon: float
    eta: datetime | None  # service start (UTC)
    departure: datetime | None
    window_start: datetime | None  # the tightest window of the stop's orders (UTC)
    window_end: datetime | None
    weight_tonnes: Decimal  # delivered here
    volume_m3: Decimal
    load_after_tonnes: Decimal  # still on board when the truck leaves the stop
    load_after_m3: Decimal
    special_handling: tuple[str, ...]
    revenue_kes: Decimal = ZERO
    trip: int = 0  # from 0; a truck making several trips a day reloads at the depot between

    @property
    def late(self) -> bool:
        """The ETA is after the window closes."""
        return self.eta is not None and self.window_end is not None and self.eta > self.window_end


@dataclass(frozen=True, slots=True)
class ReloadView:
    """A return to the depot before trip ``trip`` (1 for the second): back at ``arrival``,
    loaded and out again at ``departure`` (UTC)."""

    trip: int
    arrival: datetime | None
    departure: datetime | None


@dataclass(frozen=True, slots=True)
class RouteView:
    """One route as screens show it: the truck, stops in order, loads, distance, time and money.

    A route of several trips has a :class:`ReloadView` per return to the depot and each stop its
    ``trip``; ``load_tonnes`` and ``load_m3`` are then the largest load of one trip (what the
    truck carries at once), and a stop's load after it counts only its own trip's freight.
    """

    route_id: str
    vehicle_id: str  # the truck's id (its plate)
    vehicle_type: str
    status: RouteStatus
    decision_id: str | None
    start_town: str  # where the truck is when the route begins
    start_lat: float
    start_lon: float
    stops: tuple[StopView, ...]
    load_tonnes: Decimal
    load_m3: Decimal
    capacity_tonnes: Decimal
    capacity_m3: Decimal
    distance_km: Decimal
    duration_minutes: int
    cost_kes: Decimal
    revenue_kes: Decimal
    departure: datetime | None  # leaves its start (UTC)
    return_at: datetime | None  # back at the depot (UTC)
    attention: str | None = None  # why a dispatcher must look at it (e.g. truck in maintenance)
    reloads: tuple[ReloadView, ...] = ()

    @property
    def order_ids(self) -> tuple[str, ...]:
        return tuple(o for stop in self.stops for o in stop.order_ids)

    @property
    def trip_count(self) -> int:
        """How many trips the route makes (1 for a route without reloads)."""
        return max([len(self.reloads), *(s.trip for s in self.stops)]) + 1

    def trip_stops(self, trip: int) -> tuple[StopView, ...]:
        """The stops of one trip, in delivery order."""
        return tuple(s for s in self.stops if s.trip == trip)

    def reload_before(self, trip: int) -> ReloadView | None:
        """The return to the depot that starts ``trip`` (``None`` for the first trip)."""
        return next((r for r in self.reloads if r.trip == trip), None)

    def trip_load(self, trip: int) -> tuple[Decimal, Decimal]:
        """Tonnes and m³ on board leaving the depot for ``trip``."""
        stops = self.trip_stops(trip)
        return (
            sum((s.weight_tonnes for s in stops), ZERO),
            sum((s.volume_m3 for s in stops), ZERO),
        )

    @property
    def towns(self) -> tuple[str, ...]:
        """The towns visited, in order, each once."""
        return tuple(dict.fromkeys(stop.town for stop in self.stops))

    @property
    def weight_share(self) -> float:
        return share(self.load_tonnes, self.capacity_tonnes)

    @property
    def volume_share(self) -> float:
        return share(self.load_m3, self.capacity_m3)


@dataclass(frozen=True, slots=True)
class HeldView:
    """An order the decision left out, why, and where it is (for the map and "Open order")."""

    order_id: str
    code: str  # a ReasonCode value
    message: str  # the sentence for the dispatcher
    customer: str
    town: str
    lat: float
    lon: float
    weight_tonnes: Decimal
    volume_m3: Decimal
    window_end: datetime | None
    details: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlanTotals:
    """The figures at the top of a plan."""

    orders_routed: int
    orders_held: int
    trucks_used: int
    tonnes: Decimal
    distance_km: Decimal
    cost_kes: Decimal
    revenue_kes: Decimal

    @property
    def margin_kes(self) -> Decimal:
        return self.revenue_kes - self.cost_kes


@dataclass(frozen=True)
class DecisionView:
    """A decision with everything the planning and decisions screens show of it."""

    decision_id: str
    decision_type: DecisionType
    policy: PolicyName
    parameters: Mapping[str, float]
    seed: int | None
    created_at: datetime | None
    created_by: str | None  # user name; None for the command line or a deleted user
    status: str  # "proposed", "committed" or "discarded"
    committed_at: datetime | None
    confidence: float | None
    computation_ms: int
    time_limit: float | None
    iterations: int | None
    depot: DepotPoint
    routes: tuple[RouteView, ...]
    held: tuple[HeldView, ...]
    totals: PlanTotals
    # A hand-edited plan (decision_type manual_edit): the engine decision it started from, each
    # edit in a sentence, the violations the dispatcher confirmed, and its route cost against
    # the engine's plan (KES, negative: cheaper). A plan being edited has the cost change too.
    base_decision_id: str | None = None
    edits: tuple[str, ...] = ()
    accepted_violations: tuple[str, ...] = ()
    cost_change_kes: Decimal | None = None
    # An engine decision a dispatcher edited and committed: the manual edit that replaced it.
    edited_as: str | None = None

    @property
    def committed(self) -> bool:
        return self.status == "committed"

    @property
    def manual_edit(self) -> bool:
        """A dispatcher's edit of an engine decision."""
        return self.decision_type is DecisionType.MANUAL_EDIT


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One line of the Decisions screen's audit trail."""

    decision_id: str
    created_at: datetime | None
    created_by: str | None
    policy: PolicyName
    parameters: Mapping[str, float]
    orders_routed: int
    orders_held: int
    routes: int
    cost_kes: Decimal
    confidence: float | None
    computation_ms: int
    status: str  # "proposed", "committed" or "discarded"
    decision_type: DecisionType = DecisionType.PLANNING


@dataclass(frozen=True)
class DecisionPage:
    rows: tuple[DecisionRow, ...]
    total: int  # rows matching, over all pages


@dataclass(frozen=True, slots=True)
class SnapshotOrder:
    order_id: str
    customer: str  # name if still known, else the customer id, else ""
    town: str
    weight_tonnes: Decimal
    volume_m3: Decimal
    window_start: datetime | None
    window_end: datetime | None
    priority: str
    special_handling: tuple[str, ...]
    revenue_kes: Decimal


@dataclass(frozen=True, slots=True)
class SnapshotTruck:
    vehicle_id: str
    vehicle_type: str
    town: str
    capacity_tonnes: Decimal
    capacity_m3: Decimal
    free_from: datetime
    shift_hours: float
    trip_days: int
    capabilities: tuple[str, ...]
    max_trips: int = 1  # trips a day, reloading at the depot between them


@dataclass(frozen=True)
class SnapshotView:
    """The state S_t a decision saw, in readable form."""

    decision_id: str
    now: datetime
    depot: DepotPoint
    orders: tuple[SnapshotOrder, ...]
    trucks: tuple[SnapshotTruck, ...]
    speeds_kmh: Mapping[str, float]  # by vehicle type
    arrival_rates: Mapping[str, float]  # orders per hour by town
    belief: Mapping[str, str]  # every other belief figure, name → readable value


@dataclass(frozen=True, slots=True)
class SideFigures:
    decision_id: str
    policy: PolicyName
    cost_kes: Decimal
    distance_km: Decimal
    orders_routed: int
    trucks_used: int


@dataclass(frozen=True, slots=True)
class MovedOrder:
    """An order the two decisions treat differently; ``None`` where a side did not route it."""

    order_id: str
    truck_a: str | None
    truck_b: str | None


@dataclass(frozen=True)
class DecisionComparison:
    a: SideFigures
    b: SideFigures
    moved: tuple[MovedOrder, ...]  # sorted by order id; orders on the same truck in both omitted


@dataclass(frozen=True)
class RouteFilter:
    """Which routes the Routes screen lists; every field narrows, ``None``/empty means any."""

    day_from: datetime | None = None  # planned start at or after (UTC)
    day_to: datetime | None = None  # planned start before (UTC)
    vehicle_id: str | None = None
    town: str | None = None
    statuses: frozenset[RouteStatus] = frozenset()  # empty: every status but proposed/discarded
    order_search: str = ""  # part of an order number


@dataclass(frozen=True, slots=True)
class RouteRow:
    """One line of the Routes screen."""

    route_id: str
    vehicle_id: str
    status: RouteStatus
    towns: tuple[str, ...]
    stops: int
    orders: int
    distance_km: Decimal
    cost_kes: Decimal
    planned_start: datetime | None
    decision_id: str | None
    attention: str | None
    version: int | None = None  # the row version seen; pass to cancel_route(expected_version=)


@dataclass(frozen=True)
class RoutePage:
    rows: tuple[RouteRow, ...]
    total: int
