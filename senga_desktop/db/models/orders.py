"""Delivery orders."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from senga_desktop.db.base import Base, TimestampMixin, VersionedMixin
from senga_desktop.db.types import JSONDoc, UTCDateTime, money, quantity, str_enum
from senga_desktop.domain import OrderStatus, Priority

if TYPE_CHECKING:
    from senga_desktop.db.models.customers import Customer
    from senga_desktop.db.models.routes import Route


class Order(VersionedMixin, TimestampMixin, Base):
    """A consignment to carry from a pickup place to a destination town within a time window.

    Locations are JSON documents ``{"name", "address", "lat", "lon"}``; ``special_handling`` is a
    list of :class:`~senga_desktop.domain.SpecialHandling` values.
    """

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(String(32), unique=True)
    # Customers are deactivated, never deleted while they have orders.
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"))
    pickup_location: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    destination_city: Mapped[str] = mapped_column(String(80))
    destination_location: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    weight_tonnes: Mapped[Decimal] = mapped_column(quantity())
    volume_m3: Mapped[Decimal] = mapped_column(quantity())
    time_window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    time_window_end: Mapped[datetime] = mapped_column(UTCDateTime())
    priority: Mapped[Priority] = mapped_column(
        str_enum(Priority, "order_priority"), server_default=Priority.NORMAL.value
    )
    special_handling: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    price_kes: Mapped[Decimal] = mapped_column(money())
    status: Mapped[OrderStatus] = mapped_column(
        str_enum(OrderStatus, "order_status"), server_default=OrderStatus.PENDING.value
    )
    # A route may be discarded or deleted; the order then simply returns to being unassigned.
    assigned_route_id: Mapped[int | None] = mapped_column(
        ForeignKey("routes.id", ondelete="SET NULL")
    )

    customer: Mapped[Customer] = relationship(back_populates="orders")
    assigned_route: Mapped[Route | None] = relationship(back_populates="orders")

    __mapper_args__ = {"version_id_col": VersionedMixin.version}
    __table_args__ = (
        CheckConstraint("weight_tonnes > 0", name="weight_positive"),
        CheckConstraint("volume_m3 >= 0", name="volume_not_negative"),
        CheckConstraint("price_kes >= 0", name="price_not_negative"),
        CheckConstraint("time_window_end > time_window_start", name="window_ordered"),
        Index("ix_orders_status_window", "status", "time_window_start"),
        Index("ix_orders_city_status", "destination_city", "status"),
        Index("ix_orders_customer_created", "customer_id", "created_at"),
        Index("ix_orders_assigned_route", "assigned_route_id"),
        # The order list sorts and filters by these on 100,000+ rows.
        Index("ix_orders_created", "created_at"),
        Index("ix_orders_window_start", "time_window_start"),
        Index("ix_orders_customer_status", "customer_id", "status"),
        # "Pending, newest first" — the order list's main view — reads this index alone.
        Index("ix_orders_status_created", "status", "created_at"),
    )
