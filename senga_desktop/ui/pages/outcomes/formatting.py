"""How the Outcomes screen writes its figures: errors with their sign, results, learning states.

An error is *actual minus estimate*: "+12 %" means the route took longer, went further or cost
more than the plan said. The sign is always written (a minus sign, not a hyphen), so a column of
errors reads at a glance.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from senga_desktop.domain import LearningStatus
from senga_desktop.ui.pages.orders.formatting import NONE_SHOWN, amount, money

__all__ = [
    "LEARNING_LABELS",
    "LEARNING_NOTES",
    "RESULT_BADGES",
    "RESULT_LABELS",
    "RESULT_NOTES",
    "minutes_text",
    "pct_text",
    "signed",
    "week_label",
]

MINUS = "\N{MINUS SIGN}"

RESULT_LABELS = {"on_time": "On time", "late": "Late", "failed": "Failed"}
RESULT_NOTES = {
    "on_time": "Every order was delivered within its window.",
    "late": "At least one order was delivered after its window closed.",
    "failed": "At least one delivery failed.",
}
#: The badge colour each result borrows (green, orange, red: the route statuses' colours).
RESULT_BADGES = {"on_time": "completed", "late": "in_progress", "failed": "cancelled"}

LEARNING_LABELS = {
    LearningStatus.PENDING: "Waiting",
    LearningStatus.USED: "Learned from",
    LearningStatus.FLAGGED: "Flagged",
}
LEARNING_NOTES = {
    LearningStatus.PENDING: "Not learned from yet: the next planning run learns from it.",
    LearningStatus.USED: "The engine has learned from this outcome.",
    LearningStatus.FLAGGED: "Implausible against what the engine knows: left out of learning.",
}


def signed(text: str, value: float | Decimal) -> str:
    """``text`` (a figure written without its sign) with ``+`` or a minus sign in front."""
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text}"
    return text


def pct_text(value: float | None, *, places: int = 1) -> str:
    """ "+12.5 %", "-3.0 %" (with a minus sign), or a dash when there is no estimate."""
    if value is None:
        return NONE_SHOWN
    return signed(f"{abs(value):.{places}f} %", round(value, places))


def minutes_text(value: float | Decimal | None) -> str:
    """A duration in minutes as "5 h 20 min" (unsigned)."""
    if value is None:
        return NONE_SHOWN
    whole = round(abs(float(value)))
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def error_text(value: Decimal | None, kind: str) -> str:
    """A signed error in its unit: "+20 km", "-35 min" (a minus sign), "+1,200.00"."""
    if value is None:
        return NONE_SHOWN
    if kind == "km":
        return signed(f"{amount(abs(value), places=1)} km", value)
    if kind == "min":
        return signed(minutes_text(value), value)
    return signed(money(abs(value)), value)


def week_label(monday: date) -> str:
    """ "7 Dec": the Monday a week starts on, short enough for an axis."""
    return f"{monday.day} {monday:%b}"
