"""Customers who send freight."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from senga_desktop.db.base import Base, TimestampMixin
from senga_desktop.db.types import JSONDoc

if TYPE_CHECKING:
    from senga_desktop.db.models.orders import Order


class Customer(TimestampMixin, Base):
    """A customer. ``constraints`` holds service limits such as ``max_wait_hours``;
    ``preferences`` holds soft wishes such as preferred delivery hours."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(32), unique=True)
    customer_name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(Text)
    constraints: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    # Customers are deactivated rather than deleted: their orders keep pointing at them.
    is_active: Mapped[bool] = mapped_column(server_default=true())

    orders: Mapped[list[Order]] = relationship(back_populates="customer", passive_deletes="all")
