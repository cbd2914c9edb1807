"""What the execution screens read and send: frozen views and entries, no ORM rows.

Times are UTC (the screen shows them in ``time_zone``, the depot's); money is exact KES. An
:class:`ExecutionEntry` is the whole form as the dispatcher left it: every value replaces what
was recorded (``None`` clears it), and stops it does not name are left as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from senga_desktop.domain import FailureReason, OrderStatus, RouteStatus, StopResult

__all__ = [
    "CompletedRoute",
    "ExecutionEntry",
    "ExecutionStop",
    "ExecutionView",
    "RecordedRoute",
    "RouteToRecord",
    "StopEntry",
]


@dataclass(frozen=True, slots=True)
class RouteToRecord:
    """A committed route not yet completed, as the list of routes to record shows it."""

    route_id: str
    decision_id: str | None
    vehicle_plate: str  # the plate, else the fleet number
    vehicle_type: str
    towns: tuple[str, ...]
    stops: int
    planned_start: datetime | None
    status: RouteStatus  # planned or in progress
    progress: str  # "not started", "departed 08:10, 3 of 5 stops", "back 17:40, 5 of 5 stops"
    version: int


@dataclass(frozen=True, slots=True)
class ExecutionStop:
    """One stop of a route being recorded: the plan and what was recorded so far."""

    stop_id: str
    sequence: int  # 1, 2, … in route order
    trip: int  # from 0; a later trip starts with a reload at the depot
    town: str
    address: str
    customers: tuple[str, ...]  # names, in the order of order_ids
    phones: tuple[str, ...]  # the customers' phone numbers ("" when unknown)
    order_ids: tuple[str, ...]
    window_start: datetime | None  # the tightest window of the stop's orders
    window_end: datetime | None
    eta: datetime | None
    planned_departure: datetime | None
    arrived_at: datetime | None
    departed_at: datetime | None
    result: StopResult | None
    failure_reason: FailureReason | None
    note: str | None
    minutes_late: int  # arrival after the window's end; 0 when on time or not yet arrived


@dataclass(frozen=True, slots=True)
class RecordedRoute:
    """What was recorded for the route as a whole."""

    departed_at: datetime | None = None
    departure_odometer_km: Decimal | None = None
    returned_at: datetime | None = None
    return_odometer_km: Decimal | None = None
    fuel_litres: Decimal | None = None
    fuel_cost_kes: Decimal | None = None
    tolls_kes: Decimal | None = None
    other_costs_kes: Decimal | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class ExecutionView:
    """A committed route opened for recording (or a completed one, read only)."""

    route_id: str
    decision_id: str | None
    vehicle_plate: str
    vehicle_type: str
    status: RouteStatus
    version: int  # send it back in the entry: a save by another desktop meanwhile is refused
    planned_start: datetime | None
    estimated_duration_minutes: int
    estimated_distance_km: Decimal
    estimated_cost_kes: Decimal
    stops: tuple[ExecutionStop, ...]
    recorded: RecordedRoute
    time_zone: str  # the depot's, for showing and entering times
    missing: tuple[str, ...]  # what is still needed to complete the route, in sentences
    outcome_id: str | None = None  # once completed

    @property
    def can_complete(self) -> bool:
        return self.status in (RouteStatus.PLANNED, RouteStatus.IN_PROGRESS) and not self.missing


@dataclass(frozen=True, slots=True)
class StopEntry:
    """What the dispatcher entered for one stop."""

    stop_id: str
    arrived_at: datetime | None = None
    departed_at: datetime | None = None
    result: StopResult | None = None
    failure_reason: FailureReason | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ExecutionEntry:
    """The execution form of one route; ``version`` is the one the screen showed."""

    route_id: str
    version: int
    departed_at: datetime | None = None
    departure_odometer_km: Decimal | None = None
    returned_at: datetime | None = None
    return_odometer_km: Decimal | None = None
    fuel_litres: Decimal | None = None
    fuel_cost_kes: Decimal | None = None
    tolls_kes: Decimal | None = None
    other_costs_kes: Decimal | None = None
    notes: str | None = None
    stops: tuple[StopEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class CompletedRoute:
    """A completed route's outcome: the figures and how far the estimates were off.

    Errors are actual minus estimate; relative errors are fractions of the estimate (``None``
    when the estimate was zero).
    """

    outcome_id: str
    route_id: str
    distance_km: Decimal
    duration_minutes: int
    cost_kes: Decimal
    cost_measured: bool  # False: no fuel cost entered, the truck's rate per km stood in
    estimated_distance_km: Decimal
    estimated_duration_minutes: int
    estimated_cost_kes: Decimal
    distance_error_km: Decimal
    duration_error_minutes: int
    cost_error_kes: Decimal
    distance_error_relative: float | None
    duration_error_relative: float | None
    cost_error_relative: float | None
    revenue_kes: Decimal
    net_profit_kes: Decimal
    on_time: int
    late: int
    failed: int
    failed_to: OrderStatus  # where the failed orders went: pending or cancelled
    returned_orders: tuple[str, ...]  # the failed orders, back to pending or cancelled
