"""Valid records for tests, with every field overridable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from senga_desktop.db.models import Customer, Order, Route, RouteStop, Vehicle
from senga_desktop.domain import StopType

_serial = count(1)
NAIROBI = {"name": "Nairobi", "lat": -1.2864, "lon": 36.8172}
NAKURU = {"name": "Nakuru", "address": "Kenyatta Avenue", "lat": -0.3031, "lon": 36.0800}


def make_customer(session: Session, **fields: Any) -> Customer:
    n = next(_serial)
    values: dict[str, Any] = {
        "customer_id": f"CUST-T{n:04d}",
        "customer_name": f"Test Customer {n}",
        "constraints": {"max_wait_hours": 24},
        "preferences": {},
    }
    customer = Customer(**(values | fields))
    session.add(customer)
    session.flush()
    return customer


def make_order(session: Session, customer: Customer, **fields: Any) -> Order:
    n = next(_serial)
    start = datetime(2026, 11, 26, 8, tzinfo=UTC)
    values: dict[str, Any] = {
        "order_id": f"ORD-T{n:05d}",
        "customer": customer,
        "pickup_location": NAIROBI,
        "destination_city": "Nakuru",
        "destination_location": NAKURU,
        "weight_tonnes": Decimal("2.5"),
        "volume_m3": Decimal("8"),
        "time_window_start": start,
        "time_window_end": start + timedelta(hours=6),
        "special_handling": [],
        "price_kes": Decimal("18500.00"),
    }
    order = Order(**(values | fields))
    session.add(order)
    session.flush()
    return order


def make_vehicle(session: Session, **fields: Any) -> Vehicle:
    n = next(_serial)
    values: dict[str, Any] = {
        "vehicle_id": f"KDT {n:03d}T",
        "vehicle_type": "10 t rigid truck",
        "capacity_weight_tonnes": Decimal("10"),
        "capacity_volume_m3": Decimal("40"),
        "current_location": NAIROBI,
        "fuel_cost_per_km": Decimal("85.00"),
        "driver_cost_per_hour": Decimal("600.00"),
    }
    vehicle = Vehicle(**(values | fields))
    session.add(vehicle)
    session.flush()
    return vehicle


def make_route(session: Session, vehicle: Vehicle, *, stops: int = 2, **fields: Any) -> Route:
    n = next(_serial)
    values: dict[str, Any] = {
        "route_id": f"RT-T{n:05d}",
        "vehicle": vehicle,
        "total_distance_km": Decimal("160.5"),
        "estimated_duration_minutes": 240,
        "estimated_cost_kes": Decimal("15300.00"),
    }
    route = Route(**(values | fields))
    for i in range(stops):
        route.stops.append(
            RouteStop(
                stop_id=f"{route.route_id}-S{i}",
                location=NAKURU,
                stop_type=StopType.DELIVERY,
                sequence_order=i,
            )
        )
    session.add(route)
    session.flush()
    return route
