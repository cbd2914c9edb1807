"""A completed route's outcome in words, for the execution dialog and the To record tab."""

from __future__ import annotations

from decimal import Decimal

from senga_desktop.controllers.execution_views import CompletedRoute
from senga_desktop.domain import OrderStatus
from senga_desktop.ui.pages.orders.formatting import plural
from senga_desktop.ui.pages.routes.formatting import NONE_SHOWN, duration_text, kes, km

__all__ = ["completed_text", "relative_text"]


def relative_text(relative: float | None) -> str:
    """ "+12 % over the estimate", "4 % under the estimate", or a dash without an estimate."""
    if relative is None:
        return NONE_SHOWN
    if abs(relative) < 0.005:
        return "as estimated"
    side = "over" if relative > 0 else "under"
    return f"{abs(relative):.0%} {side} the estimate"


def _signed(value: Decimal) -> str:
    return kes(value) if value >= 0 else f"\N{MINUS SIGN}{kes(-value)}"


def completed_text(outcome: CompletedRoute) -> str:
    """Two or three sentences: the outcome id, the figures against the plan, the orders."""
    measured = "" if outcome.cost_measured else " (no fuel cost entered: the truck's rate per km)"
    lines = [
        f"Route {outcome.route_id} is completed; its outcome is {outcome.outcome_id}.",
        f"{km(outcome.distance_km)} ({relative_text(outcome.distance_error_relative)}), "
        f"{duration_text(outcome.duration_minutes)} "
        f"({relative_text(outcome.duration_error_relative)}), cost {kes(outcome.cost_kes)} "
        f"({relative_text(outcome.cost_error_relative)}){measured}; revenue "
        f"{kes(outcome.revenue_kes)}, net profit {_signed(outcome.net_profit_kes)}.",
    ]
    delivered = outcome.on_time + outcome.late
    counts = f"{plural(delivered, 'stop')} delivered ({outcome.late} late), {outcome.failed} failed"
    if outcome.returned_orders:
        where = "back to pending" if outcome.failed_to is OrderStatus.PENDING else "cancelled"
        counts += f"; {plural(len(outcome.returned_orders), 'order')} {where}"
    lines.append(counts + ".")
    return " ".join(lines)
