"""How plan figures read on screen: KES with thousands separators, tonnes, depot-time clocks."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DASH = "\N{EM DASH}"
FALLBACK_ZONE = "Africa/Nairobi"


def zone_of(name: str) -> tzinfo:
    """The depot's zone; Nairobi when the stored name is unknown (never the machine's zone)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_ZONE)


def kes(value: Decimal) -> str:
    """``KES 12,480`` — whole shillings: cents mean nothing at the scale of a route."""
    return f"KES {value.quantize(Decimal(1)):,}"


def number(value: Decimal | float, places: int = 1) -> str:
    return f"{value:,.{places}f}"


def duration(minutes: int) -> str:
    """``6 h 05 min``"""
    return f"{minutes // 60} h {minutes % 60:02d} min"


def seconds(ms: int) -> str:
    """Compute time: ``850 ms`` below a second, else ``12.4 s``."""
    return f"{ms} ms" if ms < 1000 else f"{ms / 1000:,.1f} s"


def percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def clock(moment: datetime | None, zone: tzinfo, reference: datetime | None = None) -> str:
    """``14:20`` in the depot's zone, with the day when it is not ``reference``'s day."""
    if moment is None:
        return DASH
    local = moment.astimezone(zone)
    if reference is not None and reference.astimezone(zone).date() == local.date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


def window(start: datetime | None, end: datetime | None, zone: tzinfo, ref: datetime | None) -> str:
    """``08:00-17:00`` (with an en dash), or what is open about it."""
    if start is None and end is None:
        return "any time"
    first = clock(start, zone, ref) if start else "any time"
    last = clock(end, zone, start or ref) if end else "open"
    return f"{first}\N{EN DASH}{last}"
