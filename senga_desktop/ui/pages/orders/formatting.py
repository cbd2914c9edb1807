"""How orders are put into words on screen: statuses, priorities, handling, amounts, money, times.

Every screen of this package formats through here, so the list, the form, the notices and the
customers page say "In transit", "2.5 t", "KES 18,500.00" and "26/11/2026 08:00" the same way.
Times are stored in UTC and shown in the depot's time zone (``AppContext.general.time_zone``); the
day-first format is the one the controllers' messages use too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from senga_desktop.domain import OrderStatus, Priority, SpecialHandling
from senga_desktop.ui.widgets.depot_inputs import zone_caption

__all__ = [
    "DATE_FORMAT",
    "DEFAULT_TIME_ZONE",
    "HANDLING_LABELS",
    "HANDLING_ORDER",
    "NONE_SHOWN",
    "PRIORITY_LABELS",
    "STATUS_ICONS",
    "STATUS_LABELS",
    "amount",
    "clock",
    "depot_zone",
    "handling_text",
    "local_time",
    "money",
    "plural",
    "zone_caption",
]

DEFAULT_TIME_ZONE = "Africa/Nairobi"
#: Day first, as Kenyan paperwork and the controllers' messages write dates.
TIME_FORMAT = "%d/%m/%Y %H:%M"
DATE_FORMAT = "%d/%m/%Y"
NONE_SHOWN = "\N{EM DASH}"

STATUS_LABELS = {
    OrderStatus.PENDING: "Pending",
    OrderStatus.ASSIGNED: "Assigned",
    OrderStatus.IN_TRANSIT: "In transit",
    OrderStatus.DELIVERED: "Delivered",
    OrderStatus.FAILED: "Failed",
    OrderStatus.CANCELLED: "Cancelled",
}
STATUS_ICONS = {
    OrderStatus.PENDING: "mdi6.clock-outline",
    OrderStatus.ASSIGNED: "mdi6.truck-check-outline",
    OrderStatus.IN_TRANSIT: "mdi6.truck-fast-outline",
    OrderStatus.DELIVERED: "mdi6.check-circle-outline",
    OrderStatus.FAILED: "mdi6.alert-circle-outline",
    OrderStatus.CANCELLED: "mdi6.cancel",
}
#: What each status means, for tooltips.
STATUS_NOTES = {
    OrderStatus.PENDING: "Waiting to be planned onto a truck.",
    OrderStatus.ASSIGNED: "On a committed route; the truck has not left yet.",
    OrderStatus.IN_TRANSIT: "On a truck that has left the depot.",
    OrderStatus.DELIVERED: "Delivered: finished.",
    OrderStatus.FAILED: "The delivery failed: duplicate the order to send the goods again.",
    OrderStatus.CANCELLED: "Cancelled: duplicate the order to send the goods after all.",
}
PRIORITY_LABELS = {
    Priority.LOW: "Low",
    Priority.NORMAL: "Normal",
    Priority.HIGH: "High",
    Priority.URGENT: "Urgent",
}
#: Check boxes and lists show handling in this order (the most consequential first).
HANDLING_ORDER = (
    SpecialHandling.REFRIGERATED,
    SpecialHandling.HAZARDOUS,
    SpecialHandling.FRAGILE,
    SpecialHandling.TAIL_LIFT,
    SpecialHandling.COVERED,
)
HANDLING_LABELS = {
    SpecialHandling.REFRIGERATED: "Refrigerated",
    SpecialHandling.HAZARDOUS: "Hazardous",
    SpecialHandling.FRAGILE: "Fragile",
    SpecialHandling.TAIL_LIFT: "Tail lift",
    SpecialHandling.COVERED: "Covered",
}
HANDLING_NOTES = {
    SpecialHandling.REFRIGERATED: "Chilled or frozen goods: needs a reefer truck.",
    SpecialHandling.HAZARDOUS: "Dangerous goods: needs an ADR-rated truck and driver.",
    SpecialHandling.FRAGILE: "Load last, unload first, no stacking.",
    SpecialHandling.TAIL_LIFT: "No loading bay at the consignee: needs a truck with a tail lift.",
    SpecialHandling.COVERED: "Keep dry: a box body or tarpaulin.",
}


def depot_zone(name: str) -> ZoneInfo:
    """The depot's zone, or Nairobi's when the setting names none that this computer knows."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def local_time(moment: datetime | None, zone: ZoneInfo) -> str:
    """``26/11/2026 08:00`` in the depot's zone (a naive time is taken as UTC)."""
    if moment is None:
        return NONE_SHOWN
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime(TIME_FORMAT)


def clock(value: time | None) -> str:
    return NONE_SHOWN if value is None else value.strftime("%H:%M")


def amount(value: Decimal | float | None, *, places: int = 3) -> str:
    """A quantity with thousands separators and no trailing zeros: ``2.5``, ``12``, ``1,250.75``."""
    if value is None:
        return NONE_SHOWN
    text = f"{Decimal(str(value)):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: Decimal | None) -> str:
    """Shillings with thousands separators and cents: ``18,500.00`` (the column says KES)."""
    return NONE_SHOWN if value is None else f"{value:,.2f}"


def handling_text(values: Iterable[str]) -> str:
    """ "Refrigerated, fragile" from stored handling values, in :data:`HANDLING_ORDER`."""
    known = {h.value: h for h in SpecialHandling}
    chosen = {known[v] for v in values if v in known}
    words = [HANDLING_LABELS[h] for h in HANDLING_ORDER if h in chosen]
    if not words:
        return ""
    return ", ".join([words[0], *(w.lower() for w in words[1:])])


def plural(count: int, singular: str, many: str | None = None) -> str:
    """ "1 order", "1,250 orders"."""
    return f"{count:,} {singular if count == 1 else many or singular + 's'}"
