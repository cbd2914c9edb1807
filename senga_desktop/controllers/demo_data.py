"""Demo data: a believable Nairobi depot with customers, trucks and two days of pending orders.

:func:`build_demo_data` is pure and deterministic (a fixed seed); :func:`seed_demo` writes its
result in one unit of work, skipping every record whose business key exists already, so seeding
twice adds nothing. No user accounts are created: the first admin is made by the setup step.
"""

from __future__ import annotations

import logging
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.db.base import Base
from senga_desktop.db.models import Customer, Order, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Priority, SpecialHandling, VehicleStatus
from senga_desktop.gazetteer import haversine_km, load_gazetteer

__all__ = ["DEMO_DEPOT", "DemoData", "DemoSeedReport", "Depot", "build_demo_data", "seed_demo"]

logger = logging.getLogger(__name__)

SEED = 20261125
ORDER_COUNT = 96
DEPOT_TZ = ZoneInfo("Africa/Nairobi")
ROAD_FACTOR = 1.3  # Kenyan roads run about 30 % longer than the straight line
BASE_FEE_KES = 2500  # loading, paperwork and the first kilometres
RATE_KES_PER_TONNE_KM = 11  # a part-load rate; a full semi-trailer pays less per tonne-km
JITTER_KM = 3.0  # consignees are spread around the town centre, not stacked on it


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


_COLD = SpecialHandling.REFRIGERATED
_FRAGILE = SpecialHandling.FRAGILE
_HAZ = SpecialHandling.HAZARDOUS
CUSTOMERS: tuple[CustomerProfile, ...] = (
    CustomerProfile("Jamii Supermarkets Ltd", "+254722410385", "logistics@jamiisupermarkets.co.ke",
                    "Mombasa Road, Nairobi", "Wanjiku Kamau", 24, (6, 14), (1.0, 6.0), 0.35, 16),
    CustomerProfile("Kiambu Highlands Dairy Cooperative", "+254733218904",
                    "dispatch@kiambudairy.co.ke", "Kiambu Road, Kiambu", "Mwangi Njoroge", 12,
                    (6, 12), (0.5, 4.0), 0.9, 12, (_COLD,), 1.0),
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
                    0.15, 6, (_COLD,), 1.0),
    CustomerProfile("Kilimo Grain Millers Ltd", "+254718334702", "sales@kilimomillers.co.ke",
                    "Uganda Road, Eldoret", "Wafula Barasa", 60, (7, 17), (2.0, 8.0), 0.7, 8),
    CustomerProfile("Maji Safi Water Bottlers", "+254740219863", "delivery@majisafi.co.ke",
                    "Garissa Road, Thika", "Fatuma Hassan", 36, (7, 19), (1.0, 6.0), 0.95, 7,
                    (_FRAGILE,), 0.1),
    CustomerProfile("Umeme Electricals Wholesale", "+254702661495", "orders@umemeelectricals.co.ke",
                    "Luthuli Avenue, Nairobi", "Otieno Ochieng", 48, (9, 17), (0.2, 2.5), 0.3, 6,
                    (_FRAGILE,), 0.5),
    CustomerProfile("Lake Basin Fish Traders", "+254791873520", "coldchain@lakebasinfish.co.ke",
                    "Oginga Odinga Street, Kisumu", "Akinyi Adhiambo", 12, (6, 14), (0.3, 3.0),
                    0.6, 5, (_COLD,), 1.0),
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


# Reefers are light and medium because the dairy, flower and fish consignments are small; the
# tail lift serves the pharma and electricals drops; the hazardous-rated truck the agrovet's
# chemicals. The plate doubles as the fleet number (vehicle_id) so that databases seeded by
# earlier versions, keyed by plate, stay idempotent.
TRUCKS: tuple[TruckSpec, ...] = (
    TruckSpec("KDA 123B", "light"), TruckSpec("KDB 418K", "light", capabilities=_REEFER),
    TruckSpec("KDC 732F", "light", capabilities=_TAIL_LIFT), TruckSpec("KDE 205T", "light"),
    TruckSpec("KCY 964P", "light", town="Nakuru", free_in_hours=5),
    TruckSpec("KDA 587M", "medium"), TruckSpec("KDD 311Q", "medium", capabilities=_REEFER),
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


def build_demo_data(now: datetime) -> DemoData:
    """Return the demo records for ``now`` (timezone-aware); the same ``now`` gives equal data.

    Only the time windows depend on ``now``: each draws exactly one random number for its slot, so
    customers, towns, weights and prices are identical whatever the clock says.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"naive datetime {now!r}: give it a time zone")
    rng = random.Random(SEED)
    now = now.astimezone(UTC)
    # Windows start on whole hours counted from the next full hour after `now`.
    base = now.replace(minute=0, second=0, microsecond=0)
    base += timedelta(hours=1) if base < now else timedelta(0)
    customers = {f"CUST-{i:04d}": _customer_columns(p) for i, p in enumerate(CUSTOMERS, 1)}
    vehicles = {t.plate: _vehicle_columns(t, now) for t in TRUCKS}
    keys = list(customers)
    towns = list(DESTINATIONS)
    orders: dict[str, dict[str, Any]] = {}
    for number in range(1, ORDER_COUNT + 1):
        index = rng.choices(range(len(CUSTOMERS)), weights=[c.share for c in CUSTOMERS])[0]
        profile = CUSTOMERS[index]
        town = rng.choices(towns, weights=list(DESTINATIONS.values()))[0]
        low, high = profile.tonnes
        # Most consignments are small: skew the draw towards the lower end of the range.
        tonnes = Decimal(str(round(low + (high - low) * rng.random() ** 1.6, 2)))
        m3 = float(tonnes) / profile.density * rng.uniform(0.85, 1.15)
        priority = rng.choices(list(PRIORITIES), weights=list(PRIORITIES.values()))[0]
        handling = list(profile.handling) if rng.random() < profile.handling_share else []
        destination = _destination(rng, town)
        start, end = _window(rng, base, profile.hours)
        km = ROAD_FACTOR * haversine_km(
            DEMO_DEPOT.lat, DEMO_DEPOT.lon, destination["lat"], destination["lon"]
        )
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
        }
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


def _destination(rng: random.Random, town_name: str) -> dict[str, Any]:
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


def _window(
    rng: random.Random, base: datetime, hours: tuple[int, int]
) -> tuple[datetime, datetime]:
    """A 2 to 10 hour window inside the customer's local delivery hours, within 47 h of ``base``."""
    opens, closes = hours
    slots = [
        base + timedelta(hours=k)
        for k in range(1, 45)
        if opens <= (base + timedelta(hours=k)).astimezone(DEPOT_TZ).hour <= closes - 2
    ]
    start = slots[int(rng.random() * len(slots))]  # exactly one draw, whatever len(slots) is
    length = rng.randint(2, 10)
    local_close = start.astimezone(DEPOT_TZ).replace(hour=closes).astimezone(UTC)
    end = min(start + timedelta(hours=length), local_close, base + timedelta(hours=47))
    return start, end


def seed_demo(sessions: sessionmaker[Session], *, now: datetime | None = None) -> DemoSeedReport:
    """Write the demo depot's customers, trucks and orders, skipping business keys present.

    ``now`` (timezone-aware, default the current time) anchors the trucks' availability and the
    orders' time windows.
    """
    data = build_demo_data(now if now is not None else datetime.now(UTC))
    with unit_of_work(sessions) as session:
        customers_added = _add_missing(session, Customer, "customer_id", data.customers)
        vehicles_added = _add_missing(session, Vehicle, "vehicle_id", data.vehicles)
        session.flush()  # new customers need their ids before orders can refer to them
        ids: dict[str, int] = dict(session.execute(select(Customer.customer_id, Customer.id)).all())
        orders = {}
        for key, columns in data.orders.items():
            fields = dict(columns, status=OrderStatus.PENDING)
            fields["customer_id"] = ids[fields.pop("customer_key")]
            orders[key] = fields
        orders_added = _add_missing(session, Order, "order_id", orders)
        session.flush()
        totals = [
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Customer, Vehicle, Order)
        ]
    report = DemoSeedReport(customers_added, vehicles_added, orders_added, *totals)
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
