"""Demo data: a believable Nairobi depot with customers, trucks and two days of pending orders.

:func:`build_demo_data` is pure and deterministic (a fixed seed); :func:`seed_demo` writes its
result in one unit of work, skipping every record whose business key exists already, so seeding
twice adds nothing. No user accounts are created: the first admin is made by the setup step.

The book is laid out around the moment it is created, so that the first plan shows the product
at any hour: about a third of the orders are for the next delivery day (today when it is still
morning in Nairobi, else tomorrow), sized to what the fleet carries in one wave, the rest for the
day after. Every window opens only once a truck loaded at the depot can reach it (long-haul
towns a day later), inside the customer's delivery hours. A few orders are honest exceptions
(:data:`EXCEPTIONS`): one too heavy for any truck, one chilled load for a town beyond a reefer's
day, and one whose window closed an hour ago.
"""

from __future__ import annotations

import logging
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.settings_trips import TripSettings, read_trips, write_trips
from senga_desktop.db.base import Base
from senga_desktop.db.models import Customer, Order, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Priority, SpecialHandling, VehicleStatus
from senga_desktop.gazetteer import haversine_km, load_gazetteer

__all__ = [
    "DEMO_DEPOT",
    "DEMO_ORDER_COUNT",
    "EXCEPTIONS",
    "DemoData",
    "DemoSeedReport",
    "Depot",
    "build_demo_data",
    "seed_demo",
]

logger = logging.getLogger(__name__)

SEED = 20261125
# The depot's vans and light trucks may come back at midday, reload and go out again.
DEMO_TRIPS = TripSettings({"light_3t": 3, "reefer_van_2t": 3})
ORDER_COUNT = 96
DEPOT_TZ = ZoneInfo("Africa/Nairobi")
ROAD_FACTOR = 1.3  # Kenyan roads run about 30 % longer than the straight line
BASE_FEE_KES = 3500  # loading, paperwork and the first kilometres
RATE_KES_PER_TONNE_KM = 16  # a part-load rate; a full semi-trailer pays less per tonne-km
JITTER_KM = 3.0  # consignees are spread around the town centre, not stacked on it
NEXT_DAY_SHARE = 0.30  # orders for the next delivery day: about what the fleet carries in a wave
PLANNING_SPEED_KMH = 50.0  # what a loaded truck averages on Kenyan roads, for window openings
DRIVING_DAY_H = 10.0  # a driver's day; a longer drive rests overnight (14 h) on the way
LEAD_H = 2.0  # loading at the depot and a margin, before a truck can leave
NEXT_DAY_REACH_H = 6.0  # long-haul freight is booked two days ahead, not for the next day


@dataclass(frozen=True, slots=True)
class Depot:
    """A named place: the depot trucks load at."""

    name: str
    address: str
    lat: float
    lon: float

    def as_location(self) -> dict[str, Any]:
        """The JSON location document used by orders and trucks."""
        return {"name": self.name, "address": self.address, "lat": self.lat, "lon": self.lon}


DEMO_DEPOT = Depot(
    "Senga Nairobi Depot", "Enterprise Road, Industrial Area, Nairobi", -1.3090, 36.8480
)


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    """A demo customer and the freight it usually sends."""

    name: str
    phone: str
    email: str
    address: str
    contact: str
    max_wait_hours: int
    hours: tuple[int, int]  # preferred delivery hours, local time
    tonnes: tuple[float, float]  # usual consignment weight range
    density: float  # tonnes per m³ of the goods as packed
    share: int  # relative number of orders
    handling: tuple[SpecialHandling, ...] = ()
    handling_share: float = 0.0  # share of its orders that need ``handling``
    towns: tuple[str, ...] = ()  # where it delivers, if not anywhere the depot serves


# Chilled goods go to the supermarkets, markets and the airport around Nairobi: a reefer's day.
_METRO = ("Nairobi", "Thika", "Ruiru", "Kiambu", "Athi River", "Limuru")


_COLD = SpecialHandling.REFRIGERATED
_FRAGILE = SpecialHandling.FRAGILE
_HAZ = SpecialHandling.HAZARDOUS
CUSTOMERS: tuple[CustomerProfile, ...] = (
    CustomerProfile("Jamii Supermarkets Ltd", "+254722410385", "logistics@jamiisupermarkets.co.ke",
                    "Mombasa Road, Nairobi", "Wanjiku Kamau", 24, (6, 14), (1.0, 6.0), 0.35, 16),
    CustomerProfile("Kiambu Highlands Dairy Cooperative", "+254733218904",
                    "dispatch@kiambudairy.co.ke", "Kiambu Road, Kiambu", "Mwangi Njoroge", 12,
                    (6, 12), (0.3, 2.0), 0.9, 12, (_COLD,), 1.0, _METRO),
    CustomerProfile("Simba Bora Cement Distributors", "+254711906452", "orders@simbabora.co.ke",
                    "Namanga Road, Athi River", "Kiprop Cheruiyot", 72, (7, 18), (2.0, 8.0), 1.3,
                    10),
    CustomerProfile("Afya Pharma Wholesalers Ltd", "+254720553871", "supply@afyapharma.co.ke",
                    "Lusaka Road, Industrial Area, Nairobi", "Achieng Odhiambo", 24, (8, 17),
                    (0.2, 1.5), 0.25, 9, (_FRAGILE,), 0.8),
    CustomerProfile("Mjengo Hardware Stores", "+254798140266", "stores@mjengohardware.co.ke",
                    "Thika Road, Ruiru", "Mutua Musyoka", 48, (8, 18), (0.5, 5.0), 0.9, 9),
    CustomerProfile("Pwani Beverages Distributors", "+254725677019", "depot@pwanibeverages.co.ke",
                    "Moi Avenue, Mombasa", "Baraka Mwakio", 36, (7, 19), (1.0, 7.0), 0.8, 10,
                    (_FRAGILE,), 0.3),
    CustomerProfile("Shamba Bora Agrovet", "+254712385540", "info@shambabora.co.ke",
                    "Kenyatta Avenue, Nakuru", "Chebet Kiptoo", 48, (8, 17), (0.3, 4.0), 1.0, 8,
                    (_HAZ,), 0.12),
    CustomerProfile("Rift Valley Blooms Exporters", "+254727902318", "cargo@rvblooms.co.ke",
                    "Moi South Lake Road, Naivasha", "Nyambura Wairimu", 12, (6, 16), (0.3, 3.0),
                    0.3, 6, (_COLD,), 1.0, ("Nairobi",)),
    CustomerProfile("Kilimo Grain Millers Ltd", "+254718334702", "sales@kilimomillers.co.ke",
                    "Uganda Road, Eldoret", "Wafula Barasa", 60, (7, 17), (2.0, 8.0), 0.7, 8),
    CustomerProfile("Maji Safi Water Bottlers", "+254740219863", "delivery@majisafi.co.ke",
                    "Garissa Road, Thika", "Fatuma Hassan", 36, (7, 19), (1.0, 6.0), 0.95, 7,
                    (_FRAGILE,), 0.1),
    CustomerProfile("Umeme Electricals Wholesale", "+254702661495", "orders@umemeelectricals.co.ke",
                    "Luthuli Avenue, Nairobi", "Otieno Ochieng", 48, (9, 17), (0.2, 2.5), 0.3, 6,
                    (_FRAGILE,), 0.5),
    CustomerProfile("Lake Basin Fish Traders", "+254791873520", "coldchain@lakebasinfish.co.ke",
                    "Oginga Odinga Street, Kisumu", "Akinyi Adhiambo", 12, (6, 14), (0.2, 1.5),
                    0.6, 5, (_COLD,), 1.0, _METRO),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TruckType:
    """A class of truck: what it carries and what it costs to run (KES)."""

    label: str
    tonnes: Decimal
    volume_m3: Decimal
    fuel_kes_per_km: Decimal
    driver_kes_per_hour: Decimal
    fixed_kes_per_day: Decimal = Decimal(0)
    shift_hours: Decimal = Decimal(10)
    trip_days: int = 1


# The figures match resources/vehicle_types.csv, which pre-fills trucks added by hand.
TRUCK_TYPES: dict[str, TruckType] = {
    "light": TruckType("Light truck 3 t", Decimal(3), Decimal(15), Decimal(40), Decimal(450),
                       Decimal(3500)),
    "medium": TruckType("Medium truck 5 t", Decimal(5), Decimal(25), Decimal(55), Decimal(500),
                        Decimal(5000)),
    "heavy": TruckType("Heavy truck 10 t", Decimal(10), Decimal(40), Decimal(80), Decimal(550),
                       Decimal(8000), trip_days=2),
    "semi": TruckType("Semi-trailer 28 t", Decimal(28), Decimal(76), Decimal(125), Decimal(650),
                      Decimal(15000), Decimal(12), trip_days=3),
}  # fmt: skip

_REEFER = (SpecialHandling.REFRIGERATED,)
_TAIL_LIFT = (SpecialHandling.COVERED, SpecialHandling.TAIL_LIFT)
_ADR = (SpecialHandling.COVERED, SpecialHandling.HAZARDOUS)


@dataclass(frozen=True, slots=True)
class TruckSpec:
    """One demo truck; ``town`` ``None`` means at the depot. Most have a covered (box) body."""

    plate: str
    kind: str
    town: str | None = None
    free_in_hours: int = 0
    status: VehicleStatus = VehicleStatus.AVAILABLE
    capabilities: tuple[SpecialHandling, ...] = (SpecialHandling.COVERED,)


# Four reefers, light and medium because the dairy, flower and fish consignments are small but
# daily; the tail lift serves the pharma and electricals drops; the hazardous-rated truck the
# agrovet's chemicals. The plate doubles as the fleet number (vehicle_id) so that databases
# seeded by earlier versions, keyed by plate, stay idempotent.
TRUCKS: tuple[TruckSpec, ...] = (
    TruckSpec("KDA 123B", "light"), TruckSpec("KDB 418K", "light", capabilities=_REEFER),
    TruckSpec("KDC 732F", "light", capabilities=_TAIL_LIFT),
    TruckSpec("KDE 205T", "light", capabilities=_REEFER),
    TruckSpec("KCY 964P", "light", town="Nakuru", free_in_hours=5),
    TruckSpec("KDA 587M", "medium", capabilities=_REEFER),
    TruckSpec("KDD 311Q", "medium", capabilities=_REEFER),
    TruckSpec("KCX 846R", "medium"), TruckSpec("KDF 092A", "medium"),
    TruckSpec("KDB 650H", "heavy", capabilities=_ADR), TruckSpec("KDC 277W", "heavy"),
    TruckSpec("KCZ 519G", "heavy", town="Eldoret", free_in_hours=8),
    TruckSpec("KDG 148E", "heavy", status=VehicleStatus.MAINTENANCE),
    TruckSpec("KDE 903S", "semi"),
    TruckSpec("KCW 376N", "semi", town="Mombasa", free_in_hours=11),
)  # fmt: skip

# Weighted towards the depot's own metro area and the big towns, as a Nairobi depot's book is.
DESTINATIONS: dict[str, int] = {
    "Nairobi": 26, "Thika": 7, "Ruiru": 6, "Kiambu": 5, "Athi River": 5, "Kitengela": 4,
    "Machakos": 5, "Limuru": 3, "Kajiado": 2, "Nakuru": 6, "Naivasha": 3, "Nyeri": 4,
    "Murang'a": 3, "Karatina": 2, "Nanyuki": 2, "Meru": 3, "Embu": 3, "Mombasa": 5, "Voi": 1,
    "Kisumu": 4, "Kericho": 2, "Eldoret": 4, "Narok": 1,
}  # fmt: skip
# Nairobi areas within ~3 km of the centre, with a street each, so addresses match coordinates.
NAIROBI_STREETS = (
    ("Waiyaki Way", "Westlands"), ("Limuru Road", "Parklands"), ("Hospital Road", "Upper Hill"),
    ("Ngong Road", "Kilimani"), ("Murang'a Road", "Ngara"), ("First Avenue", "Eastleigh"),
    ("Mchumbi Road", "South B"), ("Lunga Lunga Road", "Industrial Area"),
)  # fmt: skip
TOWN_STREETS = ("Kenyatta Avenue", "Moi Avenue", "Biashara Street", "Station Road", "Hospital Road")
PRIORITIES = {Priority.LOW: 15, Priority.NORMAL: 55, Priority.HIGH: 22, Priority.URGENT: 8}
# Special handling costs more to carry: reefer fuel, careful loading, permits and escorts.
SURCHARGES = {_COLD: 0.25, _FRAGILE: 0.10, _HAZ: 0.40}
PRIORITY_SURCHARGES = {Priority.HIGH: 0.10, Priority.URGENT: 0.30}


@dataclass(frozen=True)
class DemoData:
    """Everything :func:`seed_demo` writes, as column values keyed by business key."""

    customers: dict[str, dict[str, Any]]
    vehicles: dict[str, dict[str, Any]]
    orders: dict[str, dict[str, Any]]  # "customer_key" holds the customer's business key


@dataclass(frozen=True, slots=True)
class DemoSeedReport:
    """What a seeding run added, and how many rows exist afterwards."""

    customers_added: int
    vehicles_added: int
    orders_added: int
    customers_total: int
    vehicles_total: int
    orders_total: int
    history_routes_added: int = 0


def build_demo_data(now: datetime) -> DemoData:
    """Return the demo records for ``now`` (timezone-aware); the same ``now`` gives equal data.

    Only the time windows depend on ``now``: each draws exactly one random number for its slot, so
    customers, towns, weights and prices are identical whatever the clock says.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"naive datetime {now!r}: give it a time zone")
    rng = random.Random(SEED)
    now = now.astimezone(UTC)
    customers = {f"CUST-{i:04d}": _customer_columns(p) for i, p in enumerate(CUSTOMERS, 1)}
    vehicles = {t.plate: _vehicle_columns(t, now) for t in TRUCKS}
    keys = list(customers)
    towns = list(DESTINATIONS)
    orders: dict[str, dict[str, Any]] = {}
    for number in range(1, ORDER_COUNT + 1):
        index = rng.choices(range(len(CUSTOMERS)), weights=[c.share for c in CUSTOMERS])[0]
        profile = CUSTOMERS[index]
        served = profile.towns or towns
        town = rng.choices(served, weights=[DESTINATIONS[t] for t in served])[0]
        low, high = profile.tonnes
        # Most consignments are small: skew the draw towards the lower end of the range.
        tonnes = Decimal(str(round(low + (high - low) * rng.random() ** 1.6, 2)))
        m3 = float(tonnes) / profile.density * rng.uniform(0.85, 1.15)
        priority = rng.choices(list(PRIORITIES), weights=list(PRIORITIES.values()))[0]
        # Every third order or so is for the next delivery day, spread evenly over the book.
        next_day = number % 10 < round(NEXT_DAY_SHARE * 10)
        if priority is Priority.URGENT and not next_day:
            priority = Priority.HIGH  # "urgent" is for the next delivery day, not the one after
        handling = list(profile.handling) if rng.random() < profile.handling_share else []
        destination = street_address(rng, town)
        km = ROAD_FACTOR * haversine_km(
            DEMO_DEPOT.lat, DEMO_DEPOT.lon, destination["lat"], destination["lon"]
        )
        start, end = _window(rng, now, profile.hours, reach_hours(km), next_day=next_day)
        markup = 1 + sum(SURCHARGES[h] for h in handling) + PRIORITY_SURCHARGES.get(priority, 0)
        price = (BASE_FEE_KES + RATE_KES_PER_TONNE_KM * float(tonnes) * km) * markup
        orders[f"ORD-DEMO-{number:04d}"] = {
            "customer_key": keys[index],
            "pickup_location": DEMO_DEPOT.as_location(),
            "destination_city": town,
            "destination_location": destination,
            "weight_tonnes": tonnes,
            "volume_m3": Decimal(str(max(0.1, round(m3, 1)))),
            "time_window_start": start,
            "time_window_end": end,
            "priority": priority,
            "special_handling": [str(h) for h in handling],
            "price_kes": Decimal(round(price)),  # whole shillings, as quoted to customers
            # Entered over the last few hours, well inside every customer's patience.
            "created_at": now - timedelta(minutes=1 + 17 * (number % 19)),
        }
    orders.update(_exceptions(now, keys))
    return DemoData(customers, vehicles, orders)


def _customer_columns(profile: CustomerProfile) -> dict[str, Any]:
    start, end = profile.hours
    return {
        "customer_name": profile.name,
        "email": profile.email,
        "phone": profile.phone,
        "address": profile.address,
        "constraints": {"max_wait_hours": profile.max_wait_hours},
        "preferences": {
            "preferred_delivery_start": f"{start:02d}:00",
            "preferred_delivery_end": f"{end:02d}:00",
            "contact_person": profile.contact,
        },
    }


def _vehicle_columns(truck: TruckSpec, now: datetime) -> dict[str, Any]:
    kind = TRUCK_TYPES[truck.kind]
    if truck.town is None:
        location = {"name": DEMO_DEPOT.name, "lat": DEMO_DEPOT.lat, "lon": DEMO_DEPOT.lon}
    else:
        town = load_gazetteer().get(truck.town)
        assert town is not None, truck.town  # the table above names gazetteer towns only
        location = {"name": town.name, "lat": town.latitude, "lon": town.longitude}
    in_service = truck.status is VehicleStatus.AVAILABLE
    return {
        "registration_plate": truck.plate,
        "vehicle_type": kind.label,
        "capacity_weight_tonnes": kind.tonnes,
        "capacity_volume_m3": kind.volume_m3,
        "current_location": location,
        "status": truck.status,
        # A truck in the workshop has no known return time.
        "available_at": now + timedelta(hours=truck.free_in_hours) if in_service else None,
        "fuel_cost_per_km": kind.fuel_kes_per_km,
        "driver_cost_per_hour": kind.driver_kes_per_hour,
        "fixed_cost_kes": kind.fixed_kes_per_day,
        "max_shift_hours": kind.shift_hours,
        "max_trip_days": kind.trip_days,
        "capabilities": [str(c) for c in truck.capabilities],
    }


def street_address(rng: random.Random, town_name: str) -> dict[str, Any]:
    """A street address in the town and its centre moved up to :data:`JITTER_KM` away."""
    town = load_gazetteer().get(town_name)
    assert town is not None, town_name  # DESTINATIONS names gazetteer towns only
    plot = rng.randint(1, 480)
    if town.name == "Nairobi":
        street, area = rng.choice(NAIROBI_STREETS)
        address = f"Plot {plot}, {street}, {area}, Nairobi"
    else:
        address = f"Plot {plot}, {rng.choice(TOWN_STREETS)}, {town.name}"
    # sqrt spreads the points evenly over the disc instead of bunching them at the centre.
    distance, bearing = JITTER_KM * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    lat = town.latitude + distance * math.cos(bearing) / 111.32
    lon = town.longitude + distance * math.sin(bearing) / (111.32 * math.cos(math.radians(lat)))
    return {"name": town.name, "address": address, "lat": round(lat, 5), "lon": round(lon, 5)}


def reach_hours(road_km: float) -> float:
    """Hours from "loading starts at the depot" to arrival ``road_km`` away, overnight rests
    included: the earliest a window there can sensibly open."""
    drive = road_km / PLANNING_SPEED_KMH
    return LEAD_H + drive + math.floor(drive / DRIVING_DAY_H) * (24 - DRIVING_DAY_H)


def delivery_days(now: datetime) -> tuple[date, date]:
    """The next delivery day (today while it is still morning at the depot) and the one after."""
    local = now.astimezone(DEPOT_TZ)
    first = local.date() if local.hour < 12 else local.date() + timedelta(days=1)
    return first, first + timedelta(days=1)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), DEPOT_TZ).astimezone(UTC)


def _window(
    rng: random.Random,
    now: datetime,
    hours: tuple[int, int],
    reach: float,
    *,
    next_day: bool,
) -> tuple[datetime, datetime]:
    """A 2 to 10 hour window on whole hours inside the customer's delivery hours (local time), on
    the next delivery day or the one after, opening no earlier than a truck can be there.

    Draws exactly two random numbers whatever ``now`` is, so the rest of the book is the same at
    any hour. A town out of reach on the chosen day moves to the following one; a long-haul town
    (over :data:`NEXT_DAY_REACH_H` away) is never for the next delivery day.
    """
    opens, closes = hours
    slot_draw, length = rng.random(), rng.randint(2, 10)
    first, second = delivery_days(now)
    next_day = next_day and reach <= NEXT_DAY_REACH_H
    # The day after's windows end beyond the next 24 h: "due within a day" is one delivery day.
    earliest = now + timedelta(hours=reach if next_day else max(reach, 23))
    for day in (first, second, second + timedelta(days=1))[0 if next_day else 1 :]:
        low, high = max(_at(day, opens), earliest), _at(day, closes - 2)
        if low <= high:
            break
    # Whole hours from `low` (rounded up) to `high`.
    low = low.replace(minute=0, second=0, microsecond=0) + (
        timedelta(hours=1) if low.minute or low.second or low.microsecond else timedelta(0)
    )
    slots = max(1, int((high - low).total_seconds() // 3600) + 1)
    start = low + timedelta(hours=int(slot_draw * slots))
    end = min(start + timedelta(hours=length), _at(day, closes))
    return start, end


#: The orders no plan can carry, each for a reason a dispatcher meets in real life.
EXCEPTIONS = ("ORD-DEMO-X001", "ORD-DEMO-X002", "ORD-DEMO-X003")
#: Every order the demo seeds.
DEMO_ORDER_COUNT = ORDER_COUNT + len(EXCEPTIONS)


def _exceptions(now: datetime, customers: list[str]) -> dict[str, dict[str, Any]]:
    """A transformer heavier than the semi-trailer takes, chilled fish for Mombasa (beyond a
    reefer's one-day trip) and cement whose window closed an hour ago."""
    second = delivery_days(now)[1]
    closed = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    gazetteer = load_gazetteer()
    rows: tuple[tuple[Any, ...], ...] = (
        # key, customer, town, street, t, m³, window, handling, KES
        (EXCEPTIONS[0], 10, "Thika", "Plot 12, Garissa Road", "34.5", "30.0",
         (_at(second, 8), _at(second, 16)), ["covered"], 185_000),
        (EXCEPTIONS[1], 11, "Mombasa", "Plot 7, Moi Avenue", "1.8", "3.0",
         (_at(second, 9), _at(second, 17)), ["refrigerated"], 64_000),
        (EXCEPTIONS[2], 2, "Athi River", "Plot 88, Namanga Road", "4.2", "3.3",
         (closed - timedelta(hours=4), closed), [], 9_800),
    )  # fmt: skip
    orders: dict[str, dict[str, Any]] = {}
    for key, customer, town, street, tonnes, m3, (start, end), handling, price in rows:
        where = gazetteer.get(town)
        assert where is not None, town  # the rows above name gazetteer towns only
        orders[key] = {
            "customer_key": customers[customer],
            "pickup_location": DEMO_DEPOT.as_location(),
            "destination_city": town,
            "destination_location": {
                "name": where.name,
                "address": f"{street}, {where.name}",
                "lat": where.latitude,
                "lon": where.longitude,
            },
            "weight_tonnes": Decimal(tonnes),
            "volume_m3": Decimal(m3),
            "time_window_start": start,
            "time_window_end": end,
            "priority": Priority.NORMAL,
            "special_handling": handling,
            "price_kes": Decimal(price),
            "created_at": now - timedelta(minutes=30),
        }
    return orders


def seed_demo(
    sessions: sessionmaker[Session], *, now: datetime | None = None, history: bool = False
) -> DemoSeedReport:
    """Write the demo depot's customers, trucks and orders, skipping business keys present.

    ``now`` (timezone-aware, default the current time) anchors the trucks' availability and the
    orders' time windows. ``history`` adds the last four weeks' completed routes with their
    outcomes (:mod:`~senga_desktop.controllers.demo_history`) and lets the engine learn from them.
    """
    now = now if now is not None else datetime.now(UTC)
    data = build_demo_data(now)
    with unit_of_work(sessions) as session:
        customers_added = _add_missing(session, Customer, "customer_id", data.customers)
        vehicles_added = _add_missing(session, Vehicle, "vehicle_id", data.vehicles)
        if not read_trips(session).by_type:  # a manager's own choice is kept
            write_trips(session, DEMO_TRIPS, user_id=None)
        session.flush()  # new customers need their ids before orders can refer to them
        ids: dict[str, int] = dict(session.execute(select(Customer.customer_id, Customer.id)).all())
        orders = {}
        for key, columns in data.orders.items():
            fields = dict(columns, status=OrderStatus.PENDING)
            fields["customer_id"] = ids[fields.pop("customer_key")]
            orders[key] = fields
        orders_added = _add_missing(session, Order, "order_id", orders)
        session.flush()
        routes_added = 0
        if history:
            # Imported here: the history is built from this module's customers and trucks.
            from senga_desktop.controllers.demo_history import seed_history

            routes_added = seed_history(session, now=now)
        customers, vehicles, orders_total = (
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Customer, Vehicle, Order)
        )
    if routes_added:
        from senga_desktop.controllers.learning import fold_outcomes

        fold_outcomes(sessions)
    report = DemoSeedReport(
        customers_added, vehicles_added, orders_added, customers, vehicles, orders_total,
        history_routes_added=routes_added,
    )  # fmt: skip
    logger.info("Demo data seeded: %s", report)
    return report


def _add_missing(
    session: Session, model: type[Base], key: str, records: dict[str, dict[str, Any]]
) -> int:
    """Add the ``records`` whose business key (column ``key``) is not in the table; count them."""
    column = getattr(model, key)
    have = set(session.scalars(select(column).where(column.in_(list(records)))))
    session.add_all(model(**{key: k}, **v) for k, v in records.items() if k not in have)
    return len(records) - len(have)
