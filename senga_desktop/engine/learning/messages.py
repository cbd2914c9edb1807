"""The sentences a dispatcher reads when the engine refuses to learn from (part of) an outcome.

Each says what was recorded, how far it is from what the belief expected and what to check, e.g.
"the distance 1,520 km is 9.8 times the 155 km expected on Nairobi-Nakuru: check the odometer
readings". Numbers are written as the screens write them: thousands separated, durations in hours
and minutes, money as KES.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "cost_without_distance",
    "far_off",
    "impossible",
    "kes",
    "km",
    "minutes",
    "nothing_learned",
    "nothing_measured",
    "remainder_negative",
    "route_label",
]

DASH = "\u2013"
MAX_TOWNS_SHOWN = 6


def km(value: float) -> str:
    """``1,520 km``; one decimal below 10 km."""
    return f"{value:,.1f} km" if abs(value) < 10 else f"{value:,.0f} km"


def minutes(value: float) -> str:
    """``6 h 10 min``, ``45 min``."""
    total = round(value)
    if abs(total) < 60:
        return f"{total} min"
    hours, rest = divmod(abs(total), 60)
    sign = "-" if total < 0 else ""
    return f"{sign}{hours:,} h {rest} min" if rest else f"{sign}{hours:,} h"


def kes(value: float) -> str:
    """``KES 12,300``."""
    return f"KES {value:,.0f}"


def route_label(towns: Sequence[str], corridors: Sequence[str]) -> str:
    """``on Nairobi-Nakuru`` for a route on one corridor, else ``for the route A-B-C``."""
    if len(corridors) == 1:
        return "on " + corridors[0].replace("|", DASH)
    shown = list(towns)
    if len(shown) > MAX_TOWNS_SHOWN:
        shown = [*shown[:3], "\u2026", *shown[-2:]]
    return "for the route " + DASH.join(shown) if shown else "for this route"


def _ratio(actual: float, expected: float) -> str:
    ratio = actual / expected
    if ratio >= 1:
        return f"{ratio:,.1f} times"
    return f"only {ratio * 100:.0f} % of"


def far_off(what: str, actual: str, expected: str, ratio: tuple[float, float], tail: str) -> str:
    """``the distance 1,520 km is 9.8 times the 155 km expected on Nairobi-Nakuru: check ...``.

    ``ratio`` is (actual, expected) in the same unit; ``tail`` starts after "expected".
    """
    return f"{what} {actual} is {_ratio(*ratio)} the {expected} expected{tail}"


def impossible(what: str, actual: str, advice: str) -> str:
    """A measurement that cannot be right whatever the belief (0 km, a negative time)."""
    return f"{what} {actual} cannot be right: {advice}"


def remainder_negative(measured: float, total: float) -> str:
    """The stops' recorded times add up to more than the whole route took."""
    return (
        f"the recorded drives and stops add up to {minutes(measured)}, more than the route's "
        f"whole duration of {minutes(total)}: check the departure and return times"
    )


def cost_without_distance() -> str:
    """The cost is counted per km of a distance that was refused."""
    return "the cost was not used either, since it is counted per km of that distance"


def nothing_learned() -> str:
    """The closing sentence when a whole outcome was refused."""
    return "nothing from this route was learned"


def nothing_measured() -> str:
    """An outcome with no measurement at all."""
    return "the outcome records no distance, duration, stop times or cost the engine can learn from"
