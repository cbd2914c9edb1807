"""How the fleet screens put a truck into words: times in the depot's zone, capacities, costs,
capabilities and status colours.

One place for these, so the board's cards, its tooltips, the details pane and the dialogs all say
the same thing the same way. Times are stored in UTC and always shown in the depot's time zone
(``context.general.time_zone``), relative to the moment the board was read ("today 14:00").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from senga_desktop.controllers.fleet_board import STATUS_LABELS, VehicleInfo
from senga_desktop.domain import SpecialHandling, VehicleStatus

__all__ = [
    "CAPABILITY_ICONS",
    "CAPABILITY_LABELS",
    "CAPABILITY_ORDER",
    "CAPABILITY_SHORT",
    "DEFAULT_TIME_ZONE",
    "NONE_SHOWN",
    "STATUS_LABELS",
    "capacity_text",
    "depot_zone",
    "figure",
    "free_text",
    "kes",
    "local_time",
    "routes_text",
    "shift_text",
    "shift_use_text",
    "status_color",
    "summary",
    "trip_days_text",
    "use_text",
]

DEFAULT_TIME_ZONE = "Africa/Nairobi"
NONE_SHOWN = "\N{EM DASH}"

#: The capabilities a truck can be fitted with, in the order the screens list them.
CAPABILITY_ORDER = (
    SpecialHandling.REFRIGERATED,
    SpecialHandling.COVERED,
    SpecialHandling.TAIL_LIFT,
    SpecialHandling.HAZARDOUS,
)
CAPABILITY_LABELS = {
    SpecialHandling.REFRIGERATED: "Refrigerated",
    SpecialHandling.COVERED: "Covered",
    SpecialHandling.TAIL_LIFT: "Tail lift",
    SpecialHandling.HAZARDOUS: "Hazardous goods",
}
#: The words on the board's small tags (the full label is in the tooltip).
CAPABILITY_SHORT = {
    SpecialHandling.REFRIGERATED: "Reefer",
    SpecialHandling.COVERED: "Covered",
    SpecialHandling.TAIL_LIFT: "Tail lift",
    SpecialHandling.HAZARDOUS: "ADR",
}
CAPABILITY_ICONS = {
    SpecialHandling.REFRIGERATED: "mdi6.snowflake",
    SpecialHandling.COVERED: "mdi6.home-roof",
    SpecialHandling.TAIL_LIFT: "mdi6.arrow-collapse-down",
    SpecialHandling.HAZARDOUS: "mdi6.alert-rhombus-outline",
}

# (on a light background, on a dark one): readable on both, and told apart without colour too,
# since every card also names its group in the header above it.
_STATUS_COLOURS = {
    VehicleStatus.AVAILABLE: ("#2e7d32", "#81c784"),
    VehicleStatus.ON_ROUTE: ("#1565c0", "#64b5f6"),
    VehicleStatus.MAINTENANCE: ("#c25e00", "#ffb74d"),
    VehicleStatus.OFF_DUTY: ("#6d6d6d", "#bdbdbd"),
    VehicleStatus.RETIRED: ("#8d6e63", "#bcaaa4"),
}


def depot_zone(name: str) -> ZoneInfo:
    """The depot's time zone; Nairobi if the setting names no zone this system knows."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def local_time(when: datetime, zone: ZoneInfo, now: datetime) -> str:
    """``when`` in the depot's zone, as close to speech as is still exact.

    "today 14:00", "tomorrow 08:00", "yesterday 17:30", else "Thu 27 Nov 10:00" (with the year
    when it is not this year's).
    """
    local = when.astimezone(zone)
    today = now.astimezone(zone).date()
    clock = local.strftime("%H:%M")
    days = (local.date() - today).days
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    if days == -1:
        return f"yesterday {clock}"
    if local.year != today.year:
        return local.strftime("%a %d %b %Y %H:%M")
    return local.strftime("%a %d %b %H:%M")


def free_text(info: VehicleInfo, zone: ZoneInfo, now: datetime) -> str:
    """When the truck can next take a load, in words fitting its status."""
    when = info.available_at
    status = info.status
    if status is VehicleStatus.AVAILABLE:
        if when is None or when <= now:
            return "Free now"
        return f"Free from {local_time(when, zone, now)}"
    if status is VehicleStatus.ON_ROUTE:
        return f"Back {local_time(when, zone, now)}" if when else "Return time unknown"
    if status is VehicleStatus.MAINTENANCE:
        return f"Back {local_time(when, zone, now)}" if when else "Return date unknown"
    if status is VehicleStatus.OFF_DUTY:
        return f"Off until {local_time(when, zone, now)}" if when else "Until further notice"
    return "Out of service"


def figure(value: Decimal) -> str:
    """A stored figure without the zeros its column pads it with: 5.000 → "5", 2.50 → "2.5"."""
    text = f"{value.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def kes(value: Decimal) -> str:
    """Shillings as people write them: "KES 8,000" or "KES 85.50"."""
    whole = value == value.to_integral_value()
    return f"KES {value:,.0f}" if whole else f"KES {value:,.2f}"


def capacity_text(info: VehicleInfo) -> str:
    return f"{figure(info.capacity_weight_tonnes)} t · {figure(info.capacity_volume_m3)} m³"


def routes_text(info: VehicleInfo) -> str:
    """Today's committed routes and their distance ("Not used today" when there are none)."""
    if info.routes_today == 0:
        return "Not used today"
    routes = "1 route" if info.routes_today == 1 else f"{info.routes_today} routes"
    return f"{routes} · {figure(info.km_today)} km"


def trip_days_text(days: int) -> str:
    """How far a truck may go: "back the same day" or "trips up to 3 days"."""
    return "back the same day" if days <= 1 else f"trips up to {days} days"


def shift_text(info: VehicleInfo) -> str:
    """The driver's working day and the trip length ("10 h shift · trips up to 3 days")."""
    return f"{figure(info.max_shift_hours)} h shift · {trip_days_text(info.max_trip_days)}"


def shift_use_text(info: VehicleInfo) -> str:
    """Today's hours on routes against the shift ("4 of 10 h shift"), or, for a long-haul truck
    whose trip may outlast the shift, against the trip length ("50 h of a 3-day trip")."""
    if info.max_trip_days > 1:
        return f"{figure(info.hours_today)} h of a {info.max_trip_days}-day trip"
    return f"{figure(info.hours_today)} of {figure(info.max_shift_hours)} h shift"


def use_text(info: VehicleInfo) -> str:
    """Today's use in one line: routes, distance and hours against the shift."""
    if info.routes_today == 0:
        return f"Not used today ({figure(info.max_shift_hours)} h shift)"
    return f"{routes_text(info)} · {shift_use_text(info)}"


def capabilities_text(info: VehicleInfo) -> str:
    if not info.capabilities:
        return "None"
    return ", ".join(CAPABILITY_LABELS.get(c, str(c)) for c in _ordered(info.capabilities))


def _ordered(capabilities: tuple[SpecialHandling, ...]) -> list[SpecialHandling]:
    rank = {c: i for i, c in enumerate(CAPABILITY_ORDER)}
    return sorted(capabilities, key=lambda c: rank.get(c, len(rank)))


def ordered_capabilities(info: VehicleInfo) -> list[SpecialHandling]:
    """The truck's capabilities in the screens' order (the board's tags, the details pane)."""
    return _ordered(info.capabilities)


def summary(info: VehicleInfo, zone: ZoneInfo, now: datetime) -> str:
    """One line for screen readers and the list's plain text."""
    town = info.location_name or "location unknown"
    return (
        f"{info.label} ({info.vehicle_id}), {info.vehicle_type}, {capacity_text(info)}, "
        f"{STATUS_LABELS[info.status].lower()} at {town}, {free_text(info, zone, now).lower()}"
    )


def tooltip(info: VehicleInfo, zone: ZoneInfo, now: datetime) -> str:
    """The card's tooltip: what the card shows, plus the costs and notes it has no room for."""
    lines = [
        f"{info.label} · {info.vehicle_id} · {STATUS_LABELS[info.status]}",
        f"{info.vehicle_type}, {capacity_text(info)}",
        f"{info.location_name or 'Location unknown'} · {free_text(info, zone, now)}",
        f"Capabilities: {capabilities_text(info)}",
        f"Shift: {shift_text(info)}",
        f"Today: {use_text(info)}",
        f"Costs: {kes(info.fuel_cost_per_km)}/km, {kes(info.driver_cost_per_hour)}/h driver, "
        f"{kes(info.fixed_cost_kes)}/day fixed",
    ]
    if info.notes:
        lines.append(f"Notes: {info.notes}")
    return "\n".join(lines)


def status_color(status: VehicleStatus, widget: QWidget) -> QColor:
    """The status's colour, picked for the widget's light or dark palette."""
    dark = widget.palette().color(QPalette.ColorRole.Base).lightness() < 128
    light_colour, dark_colour = _STATUS_COLOURS[status]
    return QColor(dark_colour if dark else light_colour)


def later_hour(now: datetime, zone: ZoneInfo, *, days: int = 0, hour: int = 8) -> datetime:
    """``hour`` o'clock (depot time) ``days`` after ``now``'s date: a default for time pickers."""
    local = now.astimezone(zone)
    day = local.date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)
