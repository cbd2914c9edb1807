"""The columns of an outcomes import and the bounds past which a figure is a typo.

Shared by the import (:mod:`.outcomes`) and the export
(:mod:`~senga_desktop.controllers.outcome_export`), which writes these columns first.
"""

from __future__ import annotations

from decimal import Decimal

from senga_desktop.controllers.imports.columns import Column
from senga_desktop.domain import MAX_TRIP_DAYS

__all__ = [
    "DURATION_TOLERANCE_MINUTES",
    "INFORMATIONAL",
    "LABELS",
    "MAX_COST_KES",
    "MAX_DISTANCE_KM",
    "MAX_DURATION_MINUTES",
    "MAX_FUEL_LITRES",
    "OUTCOME_COLUMNS",
    "OUTCOME_IMPORT_COLUMNS",
]

OUTCOME_COLUMNS = (
    Column(
        "route_id",
        "the route number (as on the Routes screen)",
        required=True,
        synonyms=("route", "route_no", "route_number"),
    ),
    Column(
        "actual_distance_km",
        "the distance driven in km",
        required=True,
        synonyms=("distance_km", "km", "distance"),
    ),
    Column(
        "actual_duration_minutes",
        "the minutes from departure to return",
        required=True,
        synonyms=("duration_minutes", "minutes", "duration"),
    ),
    Column(
        "actual_cost_kes",
        "what the route cost in KES",
        required=True,
        synonyms=("cost_kes", "cost"),
    ),
    Column(
        "delivered",
        "how many orders were delivered on time",
        required=True,
        synonyms=("on_time", "delivered_on_time"),
    ),
    Column(
        "late",
        "how many orders were delivered late",
        required=True,
        synonyms=("delivered_late",),
    ),
    Column(
        "failed",
        "how many orders were not delivered",
        required=True,
        synonyms=("failed_deliveries",),
    ),
    Column(
        "failed_orders",
        "the order numbers that failed",
        synonyms=("failed_order_numbers", "failed_order_ids"),
    ),
    Column("departed_at", "when the truck left the depot", synonyms=("departed", "departure")),
    Column("returned_at", "when the truck was back", synonyms=("returned", "return")),
    Column("fuel_litres", "the fuel bought in litres", synonyms=("fuel", "litres", "fuel_liters")),
    Column("notes", "notes", synonyms=("note", "remarks", "comments")),
)
#: The columns an export writes first, in order, so that it imports again.
OUTCOME_IMPORT_COLUMNS = tuple(c.name for c in OUTCOME_COLUMNS)
#: Columns an export adds for people to read; an import passes over them silently.
INFORMATIONAL = (
    "outcome_id", "vehicle_id", "vehicle_type", "estimated_distance_km",
    "estimated_duration_minutes", "estimated_cost_kes", "distance_error_km",
    "distance_error_pct", "duration_error_minutes", "duration_error_pct", "cost_error_kes",
    "cost_error_pct", "revenue_kes", "net_profit_kes", "learning_status", "recorded_at",
    "recorded_by",
)  # fmt: skip
LABELS = {c.name: c.label for c in OUTCOME_COLUMNS}

#: Beyond these a value is a typo (metres for km, seconds for minutes), not a route.
MAX_DISTANCE_KM = Decimal(5000)
MAX_DURATION_MINUTES = MAX_TRIP_DAYS * 24 * 60
MAX_COST_KES = Decimal(5_000_000)
MAX_FUEL_LITRES = Decimal(3000)
#: How far the stated duration may be from returned - departed (rounding, a clock off).
DURATION_TOLERANCE_MINUTES = 5
