"""The depot overview counts what is in the database, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from senga_desktop.controllers.overview import DepotOverview, depot_overview
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Customer, Order, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, VehicleStatus

NAIROBI = {"name": "Nairobi", "address": "Enterprise Road", "lat": -1.309, "lon": 36.848}
NAKURU = {"name": "Nakuru", "address": "Kenyatta Avenue", "lat": -0.303, "lon": 36.080}


def _order(number: int, customer: Customer, status: OrderStatus) -> Order:
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC) + timedelta(hours=number)
    return Order(
        order_id=f"ORD-{number:05d}",
        customer=customer,
        pickup_location=NAIROBI,
        destination_city="Nakuru",
        destination_location=NAKURU,
        weight_tonnes=Decimal("2.500"),
        volume_m3=Decimal("8.000"),
        time_window_start=start,
        time_window_end=start + timedelta(hours=4),
        price_kes=Decimal("18500.00"),
        status=status,
    )


def test_empty_database_has_nothing(database: Database) -> None:
    overview = depot_overview(database.sessions)
    assert overview == DepotOverview(0, 0, 0, 0, 0, 0)
    assert not overview.has_orders


def test_counts_customers_trucks_and_orders(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        customer = Customer(customer_id="CUST-0001", customer_name="Mombasa Road Millers")
        session.add_all(
            [
                customer,
                Vehicle(
                    vehicle_id="KCA 123A",
                    vehicle_type="Isuzu FVZ 10 t",
                    capacity_weight_tonnes=Decimal("10.000"),
                    capacity_volume_m3=Decimal("40.000"),
                    current_location=NAIROBI,
                    status=VehicleStatus.AVAILABLE,
                    fuel_cost_per_km=Decimal("42.50"),
                    driver_cost_per_hour=Decimal("350.00"),
                ),
                Vehicle(
                    vehicle_id="KCB 456B",
                    vehicle_type="Mitsubishi Canter 3 t",
                    capacity_weight_tonnes=Decimal("3.000"),
                    capacity_volume_m3=Decimal("15.000"),
                    current_location=NAIROBI,
                    status=VehicleStatus.MAINTENANCE,
                    fuel_cost_per_km=Decimal("21.00"),
                    driver_cost_per_hour=Decimal("300.00"),
                ),
                _order(1, customer, OrderStatus.PENDING),
                _order(2, customer, OrderStatus.DELIVERED),
            ]
        )

    overview = depot_overview(database.sessions)

    assert overview == DepotOverview(
        customers=1,
        vehicles=2,
        vehicles_available=1,
        orders_pending=1,
        orders_total=2,
        decisions=0,
    )
    assert overview.has_orders
