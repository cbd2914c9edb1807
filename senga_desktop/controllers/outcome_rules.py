"""The arithmetic and the checks behind a route's outcome, apart from the writing of it.

Used by :mod:`~senga_desktop.controllers.outcome_records` (which writes the outcome) and by
:mod:`~senga_desktop.controllers.execution` (which works out what a route recorded on screen
cost). No session is needed here: everything reads rows the caller has loaded already.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol

from senga_desktop.domain import FailureReason, OrderStatus, RouteStatus, StopResult, VehicleStatus
from senga_desktop.errors import ValidationError

if TYPE_CHECKING:
    from senga_desktop.controllers.outcome_records import OrderResult, RouteActuals

__all__ = [
    "OrderFacts",
    "RouteFacts",
    "StopFacts",
    "TruckRates",
    "check_failed_to",
    "cost_breakdown",
    "fill_results",
    "money",
    "order_steps",
    "outcome_fields",
    "recorded_cost",
    "refusal",
    "relative",
    "stop_metrics",
    "truck_after",
    "validate_actuals",
]

CENT = Decimal("0.01")
#: Longer than any road trip a depot truck makes (a week): a larger figure is a typing slip.
LONGEST_ROUTE = timedelta(days=8)
_ORDER = (StopResult.DELIVERED, StopResult.DELIVERED_LATE, StopResult.FAILED)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# What the rules read of a route, its stops, truck and orders: the ORM rows when one route is
# completed on screen, plain rows read in bulk when an import completes thousands.


class StopFacts(Protocol):
    @property
    def stop_id(self) -> str: ...
    @property
    def sequence_order(self) -> int: ...
    @property
    def location(self) -> dict[str, Any]: ...
    @property
    def order_ids(self) -> list[str]: ...
    @property
    def actual_arrival(self) -> datetime | None: ...
    @property
    def actual_departure(self) -> datetime | None: ...


class TruckRates(Protocol):
    @property
    def fuel_cost_per_km(self) -> Decimal: ...
    @property
    def driver_cost_per_hour(self) -> Decimal: ...
    @property
    def fixed_cost_kes(self) -> Decimal: ...


class RouteFacts(Protocol):
    @property
    def route_id(self) -> str: ...
    @property
    def status(self) -> RouteStatus: ...
    @property
    def decision_id(self) -> int | None: ...
    @property
    def stops(self) -> Sequence[StopFacts]: ...
    @property
    def vehicle(self) -> TruckRates: ...
    @property
    def total_distance_km(self) -> Decimal: ...
    @property
    def estimated_duration_minutes(self) -> int: ...
    @property
    def estimated_cost_kes(self) -> Decimal: ...
    @property
    def fuel_cost_kes(self) -> Decimal | None: ...
    @property
    def tolls_kes(self) -> Decimal | None: ...
    @property
    def other_costs_kes(self) -> Decimal | None: ...


class OrderFacts(Protocol):
    @property
    def order_id(self) -> str: ...
    @property
    def price_kes(self) -> Decimal: ...


def check_failed_to(failed_to: OrderStatus) -> None:
    """ValidationError unless failed orders go back to pending or are cancelled."""
    if failed_to not in (OrderStatus.PENDING, OrderStatus.CANCELLED):
        raise ValidationError("failed_to", "Failed orders go back to pending or are cancelled.")


def refusal(route: RouteFacts) -> str | None:
    """Why ``route`` cannot get an outcome, or ``None`` when it can (it is committed)."""
    if route.status in (RouteStatus.PLANNED, RouteStatus.IN_PROGRESS):
        return None
    name = f"Route {route.route_id}"
    return {
        RouteStatus.COMPLETED: f"{name} is completed already; its outcome is recorded.",
        RouteStatus.CANCELLED: f"{name} was cancelled; a cancelled route has no outcome.",
        RouteStatus.PROPOSED: f"{name} is only proposed: commit its decision first.",
        RouteStatus.DISCARDED: f"{name} was discarded with its decision; it never ran.",
    }[route.status]


def validate_actuals(actuals: RouteActuals) -> None:
    """ValidationError naming the figure at fault when ``actuals`` cannot be true."""
    for field, value in (
        ("actual_distance_km", actuals.distance_km),
        ("actual_duration_minutes", actuals.duration_minutes),
        ("actual_cost_kes", actuals.cost_kes),
    ):
        if value < 0:
            raise ValidationError(field, f"The {field.removeprefix('actual_')} cannot be negative.")
    if actuals.fuel_litres is not None and actuals.fuel_litres < 0:
        raise ValidationError("fuel_litres", "The fuel cannot be negative.")
    for field, when in (("departed_at", actuals.departed_at), ("returned_at", actuals.returned_at)):
        if when is not None and (when.tzinfo is None or when.utcoffset() is None):
            raise ValidationError(field, "The time needs a time zone (a bug if seen).")
    if actuals.departed_at and actuals.returned_at:
        if actuals.returned_at < actuals.departed_at:
            raise ValidationError("returned_at", "The truck cannot return before it departed.")
        if actuals.returned_at - actuals.departed_at > LONGEST_ROUTE:
            raise ValidationError(
                "returned_at", "The return is more than a week after the departure: check both."
            )
    if actuals.counts is not None and any(n < 0 for n in actuals.counts):
        raise ValidationError("counts", "The counts of deliveries cannot be negative.")


def _stop_order(route: RouteFacts) -> dict[str, int]:
    seen: dict[str, int] = {}
    for stop in sorted(route.stops, key=lambda s: s.sequence_order):
        for order_id in stop.order_ids:
            seen.setdefault(order_id, len(seen))
    return seen


def fill_results(
    route: RouteFacts,
    orders: Sequence[OrderFacts],
    results: Sequence[OrderResult],
    counts: tuple[int, int, int] | None,
) -> tuple[dict[str, OrderResult], dict[str, StopResult]]:
    """The results named by order id, and the result each order left out is given (see
    :func:`.outcome_records.finish_route`)."""
    mine = {o.order_id for o in orders}
    named: dict[str, OrderResult] = {}
    for result in results:
        if result.order_id not in mine:
            raise ValidationError(
                "results", f"Order {result.order_id} is not on route {route.route_id}."
            )
        if result.order_id in named:
            raise ValidationError("results", f"Order {result.order_id} has two results.")
        if result.minutes_late < 0:
            raise ValidationError("results", f"Order {result.order_id}: lateness is negative.")
        named[result.order_id] = result
    rest = sorted(mine - set(named), key=lambda o: (_stop_order(route).get(o, len(mine)), o))
    if not rest:
        if counts is not None and sum(counts) != len(orders):
            raise _count_mismatch(route, len(orders), counts)
        return named, {}
    if counts is None:
        raise ValidationError(
            "results",
            f"Say what happened to {', '.join(rest)} of route {route.route_id} "
            "(delivered, delivered late or failed).",
        )
    if sum(counts) != len(orders):
        raise _count_mismatch(route, len(orders), counts)
    given = Counter(r.result for r in named.values())
    left = [n - given[kind] for kind, n in zip(_ORDER, counts, strict=True)]
    if any(n < 0 for n in left):
        raise ValidationError(
            "counts", f"The counts of route {route.route_id} contradict the results named."
        )
    kinds = [kind for kind, n in zip(_ORDER, left, strict=True) for _ in range(n)]
    return named, dict(zip(rest, kinds, strict=True))


def _count_mismatch(
    route: RouteFacts, orders: int, counts: tuple[int, int, int]
) -> ValidationError:
    on_time, late, failed = counts
    return ValidationError(
        "counts",
        f"Route {route.route_id} carries {orders} order(s) but the counts add up to "
        f"{sum(counts)} ({on_time} on time, {late} late, {failed} failed): correct them.",
    )


def stop_metrics(
    route: RouteFacts, results: Mapping[str, OrderResult]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per-stop lateness and the recorded failures, as ``additional_metrics`` keeps them."""
    stops: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for stop in sorted(route.stops, key=lambda s: s.sequence_order):
        mine = [results[o] for o in stop.order_ids if o in results]
        stops.append(
            {
                "stop_id": stop.stop_id,
                "sequence": stop.sequence_order + 1,
                "town": str((stop.location or {}).get("name", "")),
                "order_ids": list(stop.order_ids),
                "minutes_late": max((r.minutes_late for r in mine), default=0),
                "arrived_at": stop.actual_arrival.isoformat() if stop.actual_arrival else None,
                "departed_at": (
                    stop.actual_departure.isoformat() if stop.actual_departure else None
                ),
            }
        )
        failures += [
            {
                "order_id": r.order_id,
                "stop_id": stop.stop_id,
                "reason": r.failure_reason.value if r.failure_reason else None,
                "note": r.note,
            }
            for r in mine
            if r.result is StopResult.FAILED
        ]
    return stops, failures


def recorded_cost(
    vehicle: TruckRates,
    distance_km: Decimal,
    minutes: int,
    *,
    fuel_kes: Decimal | None,
    tolls_kes: Decimal | None,
    other_kes: Decimal | None,
) -> tuple[Decimal, bool]:
    """What a route recorded on screen cost, and whether the cost was measured: the fuel bought
    (else the truck's cost per km x km, an estimate), tolls, other costs, the driver's hours and
    the truck's fixed cost."""
    running = fuel_kes if fuel_kes is not None else vehicle.fuel_cost_per_km * distance_km
    total = (
        running
        + (tolls_kes or 0)
        + (other_kes or 0)
        + vehicle.driver_cost_per_hour * Decimal(minutes) / 60
        + vehicle.fixed_cost_kes
    )
    return money(total), fuel_kes is not None


def cost_breakdown(route: RouteFacts, actuals: RouteActuals) -> dict[str, Any]:
    """The cost's parts; ``km_cost_kes`` (the total less the driver's hours and the fixed cost)
    is what the learned cost per km is measured against."""
    vehicle = route.vehicle
    hourly = money(vehicle.driver_cost_per_hour * Decimal(actuals.duration_minutes) / 60)
    fixed = money(vehicle.fixed_cost_kes)

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(money(value))

    return {
        "measured": actuals.cost_measured,
        "total_kes": text(actuals.cost_kes),
        "km_cost_kes": text(actuals.cost_kes - hourly - fixed),
        "hourly_kes": text(hourly),
        "fixed_kes": text(fixed),
        "fuel_kes": text(route.fuel_cost_kes),
        "tolls_kes": text(route.tolls_kes),
        "other_kes": text(route.other_costs_kes),
        "cost_per_km_kes": text(vehicle.fuel_cost_per_km),
    }


def relative(error: Decimal | int, estimate: Decimal | int) -> float | None:
    """``error`` as a fraction of ``estimate``; ``None`` when nothing was estimated."""
    return float(Decimal(error) / Decimal(estimate)) if estimate else None


def outcome_fields(
    route: RouteFacts,
    orders: Sequence[OrderFacts],
    results: Mapping[str, OrderResult],
    actuals: RouteActuals,
) -> dict[str, Any]:
    """The ``operational_outcomes`` columns of ``route`` completed with ``actuals`` and a result
    for each of its ``orders`` (all but the id, who recorded it and when); see
    :func:`.outcome_records.finish_route` for ``additional_metrics``."""
    delivered = [o for o in orders if results[o.order_id].result is not StopResult.FAILED]
    revenue = sum((o.price_kes for o in delivered), Decimal(0))
    counts = actuals.counts or tuple(
        sum(1 for r in results.values() if r.result is kind) for kind in _ORDER
    )
    cost_error = actuals.cost_kes - route.estimated_cost_kes
    duration_error = actuals.duration_minutes - route.estimated_duration_minutes
    distance_error = actuals.distance_km - route.total_distance_km
    stops, failures = stop_metrics(route, results)
    metrics: dict[str, Any] = {
        "relative_errors": {
            "cost": relative(cost_error, route.estimated_cost_kes),
            "duration": relative(duration_error, route.estimated_duration_minutes),
            "distance": relative(distance_error, route.total_distance_km),
        },
        "cost": cost_breakdown(route, actuals),
        "stops": stops,
        "failures": failures,
        "departed_at": actuals.departed_at.isoformat() if actuals.departed_at else None,
        "returned_at": actuals.returned_at.isoformat() if actuals.returned_at else None,
        "fuel_litres": str(actuals.fuel_litres) if actuals.fuel_litres is not None else None,
        "notes": actuals.notes,
        "counts_stated": actuals.counts is not None,
    }
    return {
        "decision_id": route.decision_id,
        "actual_cost_kes": actuals.cost_kes,
        "actual_duration_minutes": actuals.duration_minutes,
        "actual_distance_km": actuals.distance_km,
        "cost_prediction_error_kes": cost_error,
        "duration_prediction_error_minutes": duration_error,
        "distance_prediction_error_km": distance_error,
        "total_revenue_kes": revenue,
        "net_profit_kes": revenue - actuals.cost_kes,
        "on_time_deliveries": counts[0],
        "late_deliveries": counts[1],
        "failed_deliveries": counts[2],
        "additional_metrics": metrics,
    }


def order_steps(
    status: OrderStatus, result: OrderResult, failed_to: OrderStatus, route_id: str
) -> list[tuple[OrderStatus, str, bool]]:
    """The status steps an order of a completed route takes from ``status``, each with the reason
    audited and whether the order lifecycle must allow it (failed -> pending or cancelled is the
    completion's own step: the dispatcher decides there what becomes of the goods)."""
    name = f"route {route_id}"
    steps: list[tuple[OrderStatus, str, bool]] = []
    if status is OrderStatus.ASSIGNED:  # recorded afterwards: it did leave
        steps.append((OrderStatus.IN_TRANSIT, f"{name} departed", True))
    if result.result is StopResult.FAILED:
        why = (result.failure_reason or FailureReason.OTHER).value.replace("_", " ")
        then = "back to pending to plan again" if failed_to is OrderStatus.PENDING else "cancelled"
        steps.append((OrderStatus.FAILED, f"delivery failed on {name}: {why}", True))
        steps.append((failed_to, f"failed on {name}: {then}", False))
    else:
        steps.append((OrderStatus.DELIVERED, f"delivered on {name}", True))
    return steps


def truck_after(
    status: VehicleStatus, available_at: datetime | None, returned: datetime, *, busy: bool
) -> tuple[VehicleStatus, datetime | None]:
    """A truck's status and availability once a route is back at the depot: free from its
    return unless it has another committed route (``busy``: it stays on route) or was sent to
    maintenance or off duty meanwhile (kept)."""
    if status is VehicleStatus.ON_ROUTE and not busy:
        return VehicleStatus.AVAILABLE, returned
    if status is VehicleStatus.AVAILABLE:
        return status, max(returned, available_at or returned)
    return status, available_at
