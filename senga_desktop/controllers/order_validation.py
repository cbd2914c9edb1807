"""What an order is made of and when it is acceptable: the entry form's and the import's rules.

:func:`order_problems` is pure: given an :class:`OrderInput` and an :class:`OrderContext` (the
customers, the largest trucks, the depot and the clock, loaded once) it returns *every* problem as a
:class:`~senga_desktop.errors.ValidationError` naming the field, so a form can show each message
under its field and an import can check 10,000 rows without a query per row. Field names are the
:class:`OrderInput` attribute names, which are also the import template's column names.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from senga_desktop.controllers.customers import CustomerRef, InvalidInput, load_customer_refs
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import Vehicle
from senga_desktop.domain import Priority, SpecialHandling, VehicleStatus
from senga_desktop.errors import ValidationError
from senga_desktop.gazetteer import KENYA_BOUNDS, Town, in_kenya, load_gazetteer

__all__ = [
    "MAX_VOLUME_M3",
    "MAX_WEIGHT_TONNES",
    "OrderContext",
    "OrderInput",
    "OrderInvalid",
    "OrderValues",
    "Place",
    "load_order_context",
    "order_problems",
]

#: Heavier than any road-legal Kenyan truck (a 6-axle semi carries about 30 t): surely a typo.
MAX_WEIGHT_TONNES = Decimal(40)
#: More than the largest curtain-sider or container holds.
MAX_VOLUME_M3 = Decimal(120)
#: Above this a price is far more likely extra zeros than a real quote.
MAX_PRICE_KES = Decimal(100_000_000)
#: A window opening further ahead than this usually has a mistyped year.
MAX_DAYS_AHEAD = 366
THOUSANDTHS = Decimal("0.001")  # tonnes and m³ are stored to 3 places
CENTS = Decimal("0.01")


class OrderInvalid(InvalidInput):
    """An order was refused; ``errors`` holds one ValidationError per problem, each at its field."""


@dataclass(frozen=True, slots=True)
class Place:
    """A named place with coordinates: the depot, another pickup point, a consignee."""

    name: str
    address: str
    lat: float
    lon: float

    def as_location(self) -> dict[str, Any]:
        """The JSON location document stored on orders."""
        return {"name": self.name, "address": self.address, "lat": self.lat, "lon": self.lon}

    @classmethod
    def from_location(cls, doc: Mapping[str, Any]) -> Place:
        return cls(
            str(doc.get("name") or ""),
            str(doc.get("address") or ""),
            float(doc.get("lat") or 0.0),
            float(doc.get("lon") or 0.0),
        )


@dataclass(frozen=True, slots=True)
class OrderInput:
    """What a clerk enters for an order (or an import row holds).

    ``customer_id`` is the customer's readable key (``CUST-0001``). ``pickup`` ``None`` means the
    depot. Coordinates default to the destination town's centre. Windows are timezone-aware.
    """

    customer_id: str
    destination_city: str
    destination_address: str
    weight_tonnes: Decimal
    volume_m3: Decimal
    window_start: datetime
    window_end: datetime
    price_kes: Decimal
    priority: Priority = Priority.NORMAL
    special_handling: frozenset[SpecialHandling] = frozenset()
    destination_lat: float | None = None
    destination_lon: float | None = None
    pickup: Place | None = None


@dataclass(frozen=True, slots=True)
class OrderContext:
    """What validation needs from the database, loaded once per form check or import."""

    now: datetime
    depot: Place
    time_zone: ZoneInfo
    customers: Mapping[str, CustomerRef]
    max_weight_tonnes: Decimal | None  # ``None``: no truck in service yet, nothing to compare
    max_volume_m3: Decimal | None


@dataclass(frozen=True, slots=True)
class OrderValues:
    """A valid order's column values, normalised (canonical town, UTC times, rounded amounts)."""

    customer_pk: int
    customer_name: str
    pickup: Place
    destination_city: str
    destination: Place
    weight_tonnes: Decimal
    volume_m3: Decimal
    window_start: datetime
    window_end: datetime
    priority: Priority
    special_handling: tuple[str, ...]
    price_kes: Decimal

    def columns(self) -> dict[str, Any]:
        """Keyword arguments for :class:`~senga_desktop.db.models.Order` (or a bulk insert)."""
        return {
            "customer_id": self.customer_pk,
            "pickup_location": self.pickup.as_location(),
            "destination_city": self.destination_city,
            "destination_location": self.destination.as_location(),
            "weight_tonnes": self.weight_tonnes,
            "volume_m3": self.volume_m3,
            "time_window_start": self.window_start,
            "time_window_end": self.window_end,
            "priority": self.priority,
            "special_handling": list(self.special_handling),
            "price_kes": self.price_kes,
        }


def depot_place(session: Session) -> Place:
    general = read_general(session)
    return Place(
        general.depot_name, general.depot_town, general.depot_latitude, general.depot_longitude
    )


def largest_capacities(session: Session) -> tuple[Decimal | None, Decimal | None]:
    """The largest weight and the largest volume any truck not retired carries.

    Taken separately: the heaviest carrier and the roomiest may be different trucks, and a load
    must fit one truck on both counts only if some truck has both; that finer check belongs to
    planning, which also knows which trucks are free.
    """
    query = select(
        func.max(Vehicle.capacity_weight_tonnes), func.max(Vehicle.capacity_volume_m3)
    ).where(Vehicle.status != VehicleStatus.RETIRED)
    weight, volume = session.execute(query).one()
    return weight, volume


def load_order_context(
    session: Session, customer_ids: Iterable[str], *, now: datetime
) -> OrderContext:
    """The context to validate orders for ``customer_ids``, inside an open unit of work."""
    general = read_general(session)
    weight, volume = largest_capacities(session)
    return OrderContext(
        now=now,
        depot=depot_place(session),
        time_zone=ZoneInfo(general.time_zone),
        customers=load_customer_refs(session, customer_ids),
        max_weight_tonnes=weight,
        max_volume_m3=volume,
    )


class _Problems(list[ValidationError]):
    """The problems found so far; ``problems(field, message)`` adds one."""

    def __call__(self, field: str, message: str) -> None:
        self.append(ValidationError(field, message))


def _amount(
    problems: _Problems,
    name: str,
    value: Decimal,
    *,
    what: str,
    unit: str,
    capacity: Decimal | None,
) -> Decimal | None:
    if not value.is_finite():
        problems(name, f"Give the {what} as a number of {unit}.")
        return None
    rounded = value.quantize(THOUSANDTHS, ROUND_HALF_UP)
    absurd = MAX_WEIGHT_TONNES if name == "weight_tonnes" else MAX_VOLUME_M3
    shown = f"{rounded.normalize():f} {unit}"
    if rounded <= 0:
        problems(name, f"The {what} must be more than 0 {unit}.")
    elif rounded > absurd:
        problems(
            name,
            f"{shown} is more than {absurd} {unit}, which no truck carries: check the "
            f"{what}; {'it is in tonnes, not kilograms' if unit == 't' else 'it is in m³'}.",
        )
    elif capacity is not None and rounded > capacity:
        problems(
            name,
            f"No truck can carry {shown}: the largest carries "
            f"{capacity.normalize():f} {unit}. Split the consignment into several orders.",
        )
    return rounded


def _coordinates(
    problems: _Problems, lat: float | None, lon: float | None, lat_field: str, lon_field: str
) -> bool:
    """True when the pair is present, finite and inside Kenya (problems added otherwise)."""
    if lat is None and lon is None:
        return False
    if lat is None or lon is None:
        missing, given = (lat_field, lon_field) if lat is None else (lon_field, lat_field)
        problems(missing, f"Give both coordinates, or neither ({given} alone cannot place it).")
        return False
    if not (math.isfinite(lat) and math.isfinite(lon)):
        problems(lat_field, "Coordinates must be numbers.")
        return False
    if in_kenya(lat, lon):
        return True
    min_lat, max_lat, min_lon, max_lon = KENYA_BOUNDS
    hint = (
        "Latitude and longitude look swapped."
        if in_kenya(lon, lat)
        else "Check the signs: Kenya's latitudes are near 0, its longitudes east (positive)."
    )
    if not min_lat <= lat <= max_lat:
        problems(lat_field, f"Latitude {lat} lies outside Kenya ({min_lat} to {max_lat}). {hint}")
    if not min_lon <= lon <= max_lon:
        problems(lon_field, f"Longitude {lon} lies outside Kenya ({min_lon} to {max_lon}). {hint}")
    return False


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def _window(problems: _Problems, data: OrderInput, context: OrderContext, check_past: bool) -> None:
    start, end = data.window_start, data.window_end
    naive = [n for n, t in (("window_start", start), ("window_end", end)) if t.utcoffset() is None]
    for name in naive:
        problems(name, "The time has no time zone.")
    if naive:
        return
    zone = context.time_zone
    if end <= start:
        problems(
            "window_end",
            f"The window must end after it starts ({_local(start, zone)}): "
            "set a later end or an earlier start.",
        )
    elif check_past and end <= context.now:
        problems(
            "window_end",
            f"The window ended on {_local(end, zone)}, in the past: move it to a future time.",
        )
    if start - context.now > timedelta(days=MAX_DAYS_AHEAD):
        problems(
            "window_start", f"{_local(start, zone)} is more than a year ahead: check the year."
        )


def _customer(problems: _Problems, key: str, context: OrderContext) -> CustomerRef | None:
    customer = context.customers.get(key)
    if not key:
        problems("customer_id", "Choose the customer.")
    elif customer is None:
        problems(
            "customer_id",
            f"There is no customer {key}: choose one from the list, or create the customer first.",
        )
    elif not customer.is_active:
        problems(
            "customer_id", f"{customer.name} ({key}) is deactivated: reactivate the customer first."
        )
    return customer


def _town(problems: _Problems, name: str) -> Town | None:
    gazetteer = load_gazetteer()
    town = gazetteer.get(name)
    if not name.strip():
        problems("destination_city", "Choose the destination town.")
    elif town is None:
        hints = gazetteer.suggest(name, limit=3)
        hint = f"Did you mean {' or '.join(hints)}?" if hints else "Pick a town from the list."
        problems("destination_city", f"{name.strip()!r} is not a town we know. {hint}")
    return town


def _price(problems: _Problems, value: Decimal) -> Decimal | None:
    price = value.quantize(CENTS, ROUND_HALF_UP) if value.is_finite() else None
    if price is None:
        problems("price_kes", "Give the price in KES as a number.")
    elif price < 0:
        problems("price_kes", "The price cannot be negative: enter 0 for a free delivery.")
    elif price > MAX_PRICE_KES:
        problems(
            "price_kes",
            f"KES {price:,.2f} is more than KES {MAX_PRICE_KES:,}: check for extra zeros.",
        )
    return price


def order_problems(
    data: OrderInput, context: OrderContext, *, check_past: bool = True
) -> tuple[list[ValidationError], OrderValues | None]:
    """Every problem of ``data`` (empty when valid) and, when valid, its normalised values.

    ``check_past`` is turned off when an existing order is edited without moving its window, so
    a clerk can still correct the price of an order whose window has gone by.
    """
    problems = _Problems()
    key = data.customer_id.strip().upper()
    customer = _customer(problems, key, context)
    pickup = context.depot
    if data.pickup is not None:
        pickup = Place(
            " ".join(data.pickup.name.split()),
            data.pickup.address.strip(),
            data.pickup.lat,
            data.pickup.lon,
        )
        if not pickup.name:
            problems("pickup", "Name the pickup place.")
        _coordinates(problems, pickup.lat, pickup.lon, "pickup", "pickup")
    town = _town(problems, data.destination_city)
    address = " ".join(data.destination_address.split())
    if not address:
        problems(
            "destination_address",
            "Give the street address (plot, street, area) so the driver finds the consignee.",
        )
    elif len(address) > 500:
        problems("destination_address", "Keep the address under 500 characters.")
    exact = _coordinates(
        problems, data.destination_lat, data.destination_lon, "destination_lat", "destination_lon"
    )
    weight = _amount(
        problems,
        "weight_tonnes",
        data.weight_tonnes,
        what="weight",
        unit="t",
        capacity=context.max_weight_tonnes,
    )
    volume = _amount(
        problems,
        "volume_m3",
        data.volume_m3,
        what="volume",
        unit="m³",
        capacity=context.max_volume_m3,
    )
    _window(problems, data, context, check_past)
    price = _price(problems, data.price_kes)
    if problems or customer is None or town is None:
        return list(problems), None
    assert weight is not None and volume is not None and price is not None  # noqa: PT018
    lat, lon = (data.destination_lat, data.destination_lon) if exact else (None, None)
    values = OrderValues(
        customer_pk=customer.pk,
        customer_name=customer.name,
        pickup=pickup,
        destination_city=town.name,
        destination=Place(
            town.name,
            address,
            lat if lat is not None else town.latitude,
            lon if lon is not None else town.longitude,
        ),
        weight_tonnes=weight,
        volume_m3=volume,
        window_start=data.window_start,
        window_end=data.window_end,
        priority=data.priority,
        special_handling=tuple(sorted(h.value for h in data.special_handling)),
        price_kes=price,
    )
    return [], values
