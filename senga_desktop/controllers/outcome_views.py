"""What the Outcomes screen shows: recorded outcomes against their estimates, as plain records.

An :class:`OutcomeRow` is one completed route's outcome with, for distance, duration and cost,
the estimate the plan made, what really happened and the error (a :class:`Figure`). The error is
always *actual minus estimate*, so a positive error means the route took longer, went further or
cost more than planned; in per cent it is relative to the estimate. :class:`ErrorTrend` is the
same comparison per week, and :class:`OutcomeDetail` one outcome opened with its stops.
Builders live in :mod:`senga_desktop.controllers.outcomes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from senga_desktop.domain import FailureReason, LearningStatus, StopResult

__all__ = [
    "OUTCOME_RESULTS",
    "CostPart",
    "ErrorTrend",
    "Figure",
    "OutcomeDetail",
    "OutcomeFilter",
    "OutcomeFilterOptions",
    "OutcomePage",
    "OutcomeRow",
    "OutcomeSort",
    "StopOutcome",
    "WeekErrors",
]

#: How a route went, worst first: any failed delivery makes it "failed", else any late "late".
OUTCOME_RESULTS = ("failed", "late", "on_time")


class OutcomeSort(StrEnum):
    """The database sorts of the outcome list (one per sortable column)."""

    ROUTE = "route"
    TRUCK = "truck"
    DEPARTED = "departed"
    RESULT = "result"
    DISTANCE_ESTIMATED = "distance_estimated"
    DISTANCE_ACTUAL = "distance_actual"
    DISTANCE_ERROR = "distance_error"
    DURATION_ESTIMATED = "duration_estimated"
    DURATION_ACTUAL = "duration_actual"
    DURATION_ERROR = "duration_error"
    COST_ESTIMATED = "cost_estimated"
    COST_ACTUAL = "cost_actual"
    COST_ERROR = "cost_error"
    PROFIT = "profit"
    LEARNING = "learning"
    RECORDED = "recorded"


@dataclass(frozen=True, slots=True)
class OutcomeFilter:
    """Which outcomes the list shows; every field narrows, ``None``/empty means any.

    The days are the route's: when it left (or was planned to leave, or, failing both, when its
    outcome was recorded), as UTC instants of the depot's midnights.
    """

    day_from: datetime | None = None  # at or after
    day_to: datetime | None = None  # before
    vehicle_id: str | None = None
    result: str | None = None  # one of OUTCOME_RESULTS
    search: str = ""  # part of a route id
    sort: OutcomeSort = OutcomeSort.DEPARTED
    descending: bool = True


@dataclass(frozen=True, slots=True)
class Figure:
    """One quantity of a route: the estimate, what really happened, and the error."""

    estimated: Decimal | None
    actual: Decimal

    @property
    def error(self) -> Decimal | None:
        """Actual minus estimate, in the quantity's unit."""
        return None if self.estimated is None else self.actual - self.estimated

    @property
    def error_pct(self) -> float | None:
        """The error relative to the estimate, in per cent (``None``: no estimate to compare)."""
        if self.estimated is None or self.estimated <= 0:
            return None
        return float((self.actual - self.estimated) / self.estimated * 100)


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """One line of the outcome list."""

    outcome_id: str
    route_id: str
    vehicle_id: str
    vehicle_type: str
    departed_at: datetime | None  # the route's actual start, else its planned start (UTC)
    recorded_at: datetime
    distance_km: Figure
    duration_minutes: Figure
    cost_kes: Figure
    on_time: int
    late: int
    failed: int
    net_profit_kes: Decimal | None
    learning: LearningStatus

    @property
    def result(self) -> str:
        """ "failed", "late" or "on_time" (see :data:`OUTCOME_RESULTS`)."""
        if self.failed:
            return "failed"
        return "late" if self.late else "on_time"


@dataclass(frozen=True, slots=True)
class OutcomePage:
    rows: tuple[OutcomeRow, ...]
    total: int


@dataclass(frozen=True, slots=True)
class OutcomeFilterOptions:
    """What the filters offer: the trucks that have recorded outcomes."""

    trucks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StopOutcome:
    """What happened at one stop of a route (nothing recorded: ``result`` is ``None``)."""

    sequence: int  # 1, 2, … in delivery order
    town: str
    order_ids: tuple[str, ...]
    customers: tuple[str, ...]
    estimated_arrival: datetime | None
    actual_arrival: datetime | None
    actual_departure: datetime | None
    result: StopResult | None
    failure_reason: FailureReason | None
    note: str | None
    minutes_late: int | None  # past the end of the window; ``None``: not known


@dataclass(frozen=True, slots=True)
class CostPart:
    """One part of a route's actual cost (fuel, tolls, the driver's hours…)."""

    label: str
    kes: Decimal


@dataclass(frozen=True, slots=True)
class OutcomeDetail:
    """One outcome opened: its figures, money and times, its stops, and what learning made of it."""

    row: OutcomeRow
    decision_id: str | None
    recorded_by: str | None
    departed_at: datetime | None
    returned_at: datetime | None
    revenue_kes: Decimal | None
    net_profit_kes: Decimal | None
    fuel_litres: Decimal | None
    notes: str | None
    learning_note: str | None
    belief_version: int | None
    stops: tuple[StopOutcome, ...]
    cost_parts: tuple[CostPart, ...]
    cost_measured: bool  # False: the cost was estimated (no fuel cost was entered or imported)


@dataclass(frozen=True, slots=True)
class WeekErrors:
    """The estimates against what happened, over the routes of one week (or of a whole range).

    ``*_mape`` is the mean absolute error in per cent of the estimate; ``*_bias`` the mean signed
    error in per cent (positive: the plan underestimated). ``None`` when no route had an estimate
    to compare with.
    """

    week_start: date  # the Monday, in the depot's time zone
    routes: int
    duration_mape: float | None
    distance_mape: float | None
    cost_mape: float | None
    duration_bias: float | None
    distance_bias: float | None
    cost_bias: float | None
    duration_bias_minutes: float | None  # the mean signed error in minutes


@dataclass(frozen=True, slots=True)
class ErrorTrend:
    """Estimate against actual, week by week (every week of the range, empty ones too)."""

    weeks: tuple[WeekErrors, ...]
    overall: WeekErrors  # every route of the range together; ``week_start`` is the first Monday
    time_zone: str

    @property
    def routes(self) -> int:
        return self.overall.routes
