"""How printed sheets spell times, quantities and distances (pure Python, no Qt).

Times arrive already in the depot's zone (see :mod:`senga_desktop.controllers.manifest_views`);
a time on the route's own day prints as ``14:20``, one on another day with the day in front
(``Wed 09 Dec 07:30``), so a two-day trip reads without a calendar.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

__all__ = [
    "DASH",
    "NONE",
    "clock",
    "day_heading",
    "distance",
    "duration",
    "plural",
    "quantity",
    "stamp",
    "window",
    "zone_name",
]

NONE = "\N{EM DASH}"
DASH = "\N{EN DASH}"


def clock(moment: datetime | None, day: date | None = None) -> str:
    """``14:20`` on ``day`` (or with no day given), ``Wed 09 Dec 14:20`` on another day."""
    if moment is None:
        return NONE
    if day is None or moment.date() == day:
        return moment.strftime("%H:%M")
    return moment.strftime("%a %d %b %H:%M")


def window(start: datetime | None, end: datetime | None, day: date | None = None) -> str:
    """``10:00-14:00`` (an en dash); the end with its day when it closes on another day."""
    if start is None and end is None:
        return "any time"
    first = clock(start, day) if start is not None else "any time"
    reference = start.date() if start is not None else day
    last = clock(end, reference) if end is not None else "open"
    return f"{first}{DASH}{last}"


def stamp(moment: datetime) -> str:
    """``Mon 07 Dec 2026 15:02``: when a sheet was printed."""
    return moment.strftime("%a %d %b %Y %H:%M")


def day_heading(day: date | None) -> str:
    """``Tuesday 8 December 2026`` (the day a route leaves)."""
    if day is None:
        return "day not set"
    return f"{day:%A} {day.day} {day:%B %Y}"


def zone_name(moment: datetime | None, zone: str) -> str:
    """``EAT (Africa/Nairobi)``: the clock every time on the sheet is read on."""
    short = moment.tzname() if moment is not None else None
    return f"{short} ({zone})" if short and short != zone else zone


def quantity(value: Decimal, places: int = 2) -> str:
    """``2.5``, ``12``, ``1,250.75``: thousands separators, no trailing zeros."""
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def distance(km: Decimal) -> str:
    return f"{km:,.0f} km"


def duration(minutes: int) -> str:
    """``4 h 05 min``, ``45 min``, ``2 d 3 h 10 min`` for a multi-day trip."""
    days, rest = divmod(max(minutes, 0), 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h {mins:02d} min"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """ "1 stop", "12 stops"."""
    return f"{count:,} {singular if count == 1 else many or singular + 's'}"
