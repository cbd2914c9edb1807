"""The depot at a glance: how many customers, trucks, orders and planning decisions there are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.db.models import Customer, Decision, Order, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, VehicleStatus

__all__ = ["DepotOverview", "depot_overview"]


@dataclass(frozen=True, slots=True)
class DepotOverview:
    """Counts for the overview page; ``vehicles`` includes trucks that are not available."""

    customers: int
    vehicles: int
    vehicles_available: int
    orders_pending: int
    orders_total: int
    decisions: int

    @property
    def has_orders(self) -> bool:
        return self.orders_total > 0


def _count(model: type[Any], *where: Any) -> ScalarSelect[int]:
    return select(func.count()).select_from(model).where(*where).scalar_subquery()


def depot_overview(sessions: sessionmaker[Session]) -> DepotOverview:
    """Count the depot's records.

    All counts come from one statement: on PostgreSQL (read committed) separate statements could
    each see a different moment, so pending orders might exceed all orders; one statement is also
    one round trip to a server across the yard.
    """
    query = select(
        _count(Customer),
        _count(Vehicle),
        _count(Vehicle, Vehicle.status == VehicleStatus.AVAILABLE),
        _count(Order, Order.status == OrderStatus.PENDING),
        _count(Order),
        _count(Decision),
    )
    with unit_of_work(sessions) as session:
        row = session.execute(query).one()
    customers, vehicles, available, pending, orders, decisions = (int(n or 0) for n in row)
    return DepotOverview(
        customers=customers,
        vehicles=vehicles,
        vehicles_available=available,
        orders_pending=pending,
        orders_total=orders,
        decisions=decisions,
    )
