"""Routes (a truck's trip) and their stops."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from senga_desktop.db.base import Base, TimestampMixin, VersionedMixin
from senga_desktop.db.types import JSONDoc, UTCDateTime, money, quantity, str_enum
from senga_desktop.domain import FailureReason, RouteStatus, StopResult, StopType

if TYPE_CHECKING:
    from senga_desktop.db.models.decisions import Decision, OperationalOutcome
    from senga_desktop.db.models.orders import Order
    from senga_desktop.db.models.vehicles import Vehicle


class Route(VersionedMixin, TimestampMixin, Base):
    """One truck's trip: the estimates made when it was planned and what it really took."""

    __tablename__ = "routes"

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[str] = mapped_column(String(40), unique=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="RESTRICT"))
    # The decision that proposed the route; routes outlive a decision record that is purged.
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"))
    order_ids: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    destination_cities: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    total_distance_km: Mapped[Decimal] = mapped_column(quantity())
    estimated_duration_minutes: Mapped[int]
    estimated_cost_kes: Mapped[Decimal] = mapped_column(money())
    status: Mapped[RouteStatus] = mapped_column(
        str_enum(RouteStatus, "route_status"), server_default=RouteStatus.PROPOSED.value
    )
    planned_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actual_distance_km: Mapped[Decimal | None] = mapped_column(quantity())
    actual_duration_minutes: Mapped[int | None]
    actual_cost_kes: Mapped[Decimal | None] = mapped_column(money())
    # What the dispatcher records while the route runs (issue 15); saved as entered, so a half
    # recorded route can be resumed. The outcome row is written when the route is completed.
    departure_odometer_km: Mapped[Decimal | None] = mapped_column(quantity())
    return_odometer_km: Mapped[Decimal | None] = mapped_column(quantity())
    fuel_litres: Mapped[Decimal | None] = mapped_column(quantity())
    fuel_cost_kes: Mapped[Decimal | None] = mapped_column(money())
    tolls_kes: Mapped[Decimal | None] = mapped_column(money())
    other_costs_kes: Mapped[Decimal | None] = mapped_column(money())
    execution_notes: Mapped[str | None] = mapped_column(Text)
    # Set when something happened to a committed route that a dispatcher must look at, e.g. its
    # truck was sent to maintenance; cleared when they have dealt with it.
    attention_reason: Mapped[str | None] = mapped_column(Text)

    vehicle: Mapped[Vehicle] = relationship(back_populates="routes")
    decision: Mapped[Decision | None] = relationship(back_populates="routes")
    orders: Mapped[list[Order]] = relationship(back_populates="assigned_route")
    stops: Mapped[list[RouteStop]] = relationship(
        back_populates="route",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RouteStop.sequence_order",
    )
    outcomes: Mapped[list[OperationalOutcome]] = relationship(
        back_populates="route", passive_deletes="all"
    )

    __mapper_args__ = {"version_id_col": VersionedMixin.version}
    __table_args__ = (
        CheckConstraint("total_distance_km >= 0", name="distance_not_negative"),
        CheckConstraint("estimated_duration_minutes >= 0", name="duration_not_negative"),
        CheckConstraint("estimated_cost_kes >= 0", name="cost_not_negative"),
        CheckConstraint(
            "actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start",
            name="actual_times_ordered",
        ),
        Index("ix_routes_status_created", "status", "created_at"),
        Index("ix_routes_vehicle_status", "vehicle_id", "status"),
        Index("ix_routes_decision", "decision_id"),
    )


class RouteStop(Base):
    """A place a route visits, in order; deleted with its route."""

    __tablename__ = "route_stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[str] = mapped_column(String(48), unique=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id", ondelete="CASCADE"))
    order_ids: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    location: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    stop_type: Mapped[StopType] = mapped_column(str_enum(StopType, "stop_type"))
    sequence_order: Mapped[int]
    # A truck making several trips a day reloads at the depot between them. Trips count from
    # 0; the first stop of each later trip says when the truck was back at the depot and when
    # it left again, loaded (both NULL on every other stop).
    trip: Mapped[int] = mapped_column(default=0, server_default="0")
    reload_arrival: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reload_departure: Mapped[datetime | None] = mapped_column(UTCDateTime())
    estimated_arrival: Mapped[datetime | None] = mapped_column(UTCDateTime())
    estimated_departure: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actual_arrival: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actual_departure: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result: Mapped[StopResult | None] = mapped_column(str_enum(StopResult, "stop_result"))
    failure_reason: Mapped[FailureReason | None] = mapped_column(
        str_enum(FailureReason, "failure_reason")
    )
    result_note: Mapped[str | None] = mapped_column(Text)

    route: Mapped[Route] = relationship(back_populates="stops")

    __table_args__ = (
        UniqueConstraint("route_id", "sequence_order"),
        CheckConstraint("sequence_order >= 0", name="sequence_not_negative"),
        CheckConstraint("trip >= 0", name="trip_not_negative"),
        CheckConstraint(
            "estimated_departure IS NULL OR estimated_arrival IS NULL"
            " OR estimated_departure >= estimated_arrival",
            name="estimated_times_ordered",
        ),
        CheckConstraint(
            "failure_reason IS NULL OR result = 'failed'", name="failure_reason_only_if_failed"
        ),
    )
