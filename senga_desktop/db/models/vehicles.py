"""The trucks of the fleet."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from senga_desktop.db.base import Base, TimestampMixin, VersionedMixin
from senga_desktop.db.types import JSONDoc, UTCDateTime, money, quantity, str_enum
from senga_desktop.domain import VehicleStatus

if TYPE_CHECKING:
    from senga_desktop.db.models.routes import Route


class Vehicle(VersionedMixin, TimestampMixin, Base):
    """A truck: its type, capacity, where it is, whether it is free and what it costs to run.

    ``current_location`` is ``{"name", "lat", "lon"}``; ``available_at`` is when it is next free.
    """

    __tablename__ = "vehicles"

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[str] = mapped_column(String(32), unique=True)
    registration_plate: Mapped[str | None] = mapped_column(String(16), unique=True)
    vehicle_type: Mapped[str] = mapped_column(String(64))
    capacity_weight_tonnes: Mapped[Decimal] = mapped_column(quantity())
    capacity_volume_m3: Mapped[Decimal] = mapped_column(quantity())
    current_location: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    status: Mapped[VehicleStatus] = mapped_column(
        str_enum(VehicleStatus, "vehicle_status"), server_default=VehicleStatus.AVAILABLE.value
    )
    available_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fuel_cost_per_km: Mapped[Decimal] = mapped_column(money())
    driver_cost_per_hour: Mapped[Decimal] = mapped_column(money())
    # KES charged to a plan for each truck it uses (depreciation, insurance, turn-boy's day).
    fixed_cost_kes: Mapped[Decimal] = mapped_column(money(), server_default="0")
    # The driver's working day; a long-haul truck's trip may span several of them, with an
    # overnight rest between (engine: TruckState.trip_days).
    max_shift_hours: Mapped[Decimal] = mapped_column(quantity(), server_default="10")
    max_trip_days: Mapped[int] = mapped_column(server_default="1")
    # SpecialHandling values the truck can serve: refrigerated, tail_lift, hazardous, covered…
    capabilities: Mapped[list[str]] = mapped_column(
        JSONDoc, default=list, server_default=text("'[]'")
    )
    notes: Mapped[str | None] = mapped_column(Text)

    # Trucks with route history are retired, not deleted (RESTRICT on routes.vehicle_id).
    routes: Mapped[list[Route]] = relationship(back_populates="vehicle", passive_deletes="all")

    __mapper_args__ = {"version_id_col": VersionedMixin.version}
    __table_args__ = (
        CheckConstraint("capacity_weight_tonnes > 0", name="weight_capacity_positive"),
        CheckConstraint("capacity_volume_m3 > 0", name="volume_capacity_positive"),
        CheckConstraint("fuel_cost_per_km >= 0", name="fuel_cost_not_negative"),
        CheckConstraint("driver_cost_per_hour >= 0", name="driver_cost_not_negative"),
        CheckConstraint("fixed_cost_kes >= 0", name="fixed_cost_not_negative"),
        CheckConstraint("max_shift_hours > 0 AND max_shift_hours <= 24", name="shift_in_a_day"),
        CheckConstraint("max_trip_days >= 1 AND max_trip_days <= 7", name="trip_in_a_week"),
        Index("ix_vehicles_status_available", "status", "available_at"),
        Index("ix_vehicles_type_status", "vehicle_type", "status"),
    )
