"""What a driver manifest says: plain frozen data, no ORM rows and no Qt.

A :class:`Manifest` is what :mod:`senga_desktop.controllers.manifests` reads for one route or a
whole committed plan, and what :mod:`senga_desktop.reports` draws: one :class:`RouteSheet` per
route, each with its stops (:class:`ManifestStop`) in delivery order, the orders to hand over at
each (:class:`ManifestOrder`), the returns to the depot of a multi-trip day
(:class:`ManifestReload`) and the handling the driver must know about (:class:`HandlingNote`).

Every time here is already in the depot's time zone (an aware ``datetime`` in ``time_zone``), so
the page shows what the depot's clock will say; quantities are ``Decimal`` tonnes and m³.
This module imports nothing but the standard library and the shared vocabulary, so the renderer
can use it without pulling in the database layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from senga_desktop.domain import RouteStatus, SpecialHandling

__all__ = [
    "HandlingNote",
    "Manifest",
    "ManifestOrder",
    "ManifestReload",
    "ManifestStop",
    "MapPoint",
    "RouteSheet",
]

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class HandlingNote:
    """A special handling and what the driver must do about it; ``warning`` ones stand out."""

    code: SpecialHandling
    label: str  # "Hazardous"
    instruction: str  # the sentence printed on the sheet
    warning: bool = False  # hazardous and refrigerated goods: printed in a warning box


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A place on the small map."""

    lat: float
    lon: float
    label: str = ""


@dataclass(frozen=True, slots=True)
class ManifestOrder:
    """One consignment to hand over, and whom to ask for."""

    order_id: str
    customer: str
    contact: str  # the customer's contact person ("" when none is recorded)
    phone: str
    address: str  # where to deliver (the order's address, else the customer's)
    weight_tonnes: Decimal
    volume_m3: Decimal
    handling: tuple[HandlingNote, ...] = ()


@dataclass(frozen=True, slots=True)
class ManifestStop:
    """A stop in delivery order: where, when against its window, what to deliver."""

    sequence: int  # 1, 2, … over the whole route
    trip: int  # from 0; a multi-trip day reloads at the depot before trips 1, 2, …
    town: str
    lat: float
    lon: float
    eta: datetime | None  # depot time
    departure: datetime | None
    window_start: datetime | None  # the tightest window of the stop's orders, depot time
    window_end: datetime | None
    orders: tuple[ManifestOrder, ...]

    @property
    def order_ids(self) -> tuple[str, ...]:
        return tuple(o.order_id for o in self.orders)

    @property
    def weight_tonnes(self) -> Decimal:
        return sum((o.weight_tonnes for o in self.orders), ZERO)

    @property
    def volume_m3(self) -> Decimal:
        return sum((o.volume_m3 for o in self.orders), ZERO)

    @property
    def handling(self) -> tuple[HandlingNote, ...]:
        """Every handling of the stop's orders, each once, in the orders' order."""
        seen: dict[SpecialHandling, HandlingNote] = {}
        for order in self.orders:
            for note in order.handling:
                seen.setdefault(note.code, note)
        return tuple(seen.values())

    @property
    def late(self) -> bool:
        """The ETA is after the window closes."""
        return self.eta is not None and self.window_end is not None and self.eta > self.window_end


@dataclass(frozen=True, slots=True)
class ManifestReload:
    """Back at the depot before trip ``trip`` (1 for the second), reloaded, out again."""

    trip: int
    arrival: datetime | None  # depot time
    departure: datetime | None


@dataclass(frozen=True, slots=True)
class RouteSheet:
    """One route's manifest: the truck, the driver line, the map's path, the stops, the totals."""

    route_id: str
    decision_id: str | None
    status: RouteStatus
    depot_name: str
    depot_town: str
    time_zone: str  # e.g. "Africa/Nairobi": every datetime below is in it
    day: date | None  # the day the route leaves (depot time)
    vehicle_id: str
    plate: str  # the registration plate ("" when the fleet records none)
    vehicle_type: str
    capacity_tonnes: Decimal
    capacity_m3: Decimal
    driver: str  # the truck's driver if recorded; "" leaves a line to fill in
    start: MapPoint  # where the truck is when the route begins
    depot: MapPoint
    path: tuple[MapPoint, ...]  # start, depot, the stops in order (depot between trips), depot
    departure: datetime | None
    return_at: datetime | None
    stops: tuple[ManifestStop, ...]
    reloads: tuple[ManifestReload, ...]
    distance_km: Decimal
    duration_minutes: int
    load_tonnes: Decimal  # the largest load of one trip: what the truck carries at once
    load_m3: Decimal
    attention: str | None = None

    @property
    def order_ids(self) -> tuple[str, ...]:
        return tuple(o for stop in self.stops for o in stop.order_ids)

    @property
    def total_tonnes(self) -> Decimal:
        return sum((s.weight_tonnes for s in self.stops), ZERO)

    @property
    def total_m3(self) -> Decimal:
        return sum((s.volume_m3 for s in self.stops), ZERO)

    @property
    def trip_count(self) -> int:
        return max([len(self.reloads), *(s.trip for s in self.stops)]) + 1

    def reload_before(self, trip: int) -> ManifestReload | None:
        return next((r for r in self.reloads if r.trip == trip), None)

    @property
    def warnings(self) -> tuple[tuple[HandlingNote, tuple[int, ...]], ...]:
        """Each warning handling on board with the stops (sequence numbers) it concerns."""
        found: dict[SpecialHandling, tuple[HandlingNote, list[int]]] = {}
        for stop in self.stops:
            for note in stop.handling:
                if note.warning:
                    found.setdefault(note.code, (note, []))[1].append(stop.sequence)
        return tuple((note, tuple(stops)) for note, stops in found.values())


@dataclass(frozen=True)
class Manifest:
    """The sheets to print: one route, or every route of a committed plan (a route a page)."""

    title: str  # "Route DEC-…-R01" or "Decision DEC-…"
    decision_id: str | None
    sheets: tuple[RouteSheet, ...]
    printed_at: datetime  # depot time
    printed_by: str
    time_zone: str
    skipped: tuple[str, ...] = ()  # routes of the plan left out (cancelled since), by id

    @property
    def route_ids(self) -> tuple[str, ...]:
        return tuple(s.route_id for s in self.sheets)
