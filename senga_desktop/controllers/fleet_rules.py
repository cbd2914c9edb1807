"""Fleet rules that need no database: Kenyan registration plates and what a truck can carry.

Pure Python (no SQLAlchemy, no Qt) so that the fleet controller, the vehicle import and the
planning controller apply the very same rules; if the planning engine needs them too they can move
to :mod:`senga_desktop.domain` unchanged.

Capability rules (an order's special handling → what the truck must have):

=============  ===================================================================
refrigerated   a refrigerated truck
hazardous      a hazardous-goods (ADR) rated truck
tail_lift      a tail lift
covered        a covered body: a box or curtain body, or a refrigerated body
fragile        nothing special: careful loading is the crew's job, not the truck's
=============  ===================================================================

A refrigerated body counts as covered because it is a closed box; the other capabilities are not
implied by anything else (a reefer has no tail lift, a covered truck is not ADR-rated).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from senga_desktop.domain import SpecialHandling
from senga_desktop.errors import ValidationError

__all__ = [
    "VEHICLE_CAPABILITIES",
    "can_carry",
    "capabilities_for",
    "missing_capabilities",
    "normalise_plate",
    "parse_capabilities",
    "parse_capability",
]

_H = SpecialHandling

#: What a truck can be fitted with; ``fragile`` is a property of goods, not of trucks.
VEHICLE_CAPABILITIES: frozenset[SpecialHandling] = frozenset(
    {_H.REFRIGERATED, _H.HAZARDOUS, _H.TAIL_LIFT, _H.COVERED}
)

#: For each handling, the truck capabilities any one of which suffices; empty: any truck will do.
_ACCEPTED_BY: dict[SpecialHandling, frozenset[SpecialHandling]] = {
    _H.REFRIGERATED: frozenset({_H.REFRIGERATED}),
    _H.HAZARDOUS: frozenset({_H.HAZARDOUS}),
    _H.TAIL_LIFT: frozenset({_H.TAIL_LIFT}),
    _H.COVERED: frozenset({_H.COVERED, _H.REFRIGERATED}),
    _H.FRAGILE: frozenset(),
}

# What people type in spreadsheets and forms, after lower-casing and collapsing separators.
_CAPABILITY_ALIASES: dict[str, SpecialHandling] = {
    "refrigerated": _H.REFRIGERATED,
    "reefer": _H.REFRIGERATED,
    "fridge": _H.REFRIGERATED,
    "chilled": _H.REFRIGERATED,
    "cold chain": _H.REFRIGERATED,
    "hazardous": _H.HAZARDOUS,
    "hazardous goods": _H.HAZARDOUS,
    "hazmat": _H.HAZARDOUS,
    "adr": _H.HAZARDOUS,
    "dangerous goods": _H.HAZARDOUS,
    "tail lift": _H.TAIL_LIFT,
    "taillift": _H.TAIL_LIFT,
    "tail gate": _H.TAIL_LIFT,
    "tailgate": _H.TAIL_LIFT,
    "covered": _H.COVERED,
    "box body": _H.COVERED,
    "box": _H.COVERED,
    "curtain": _H.COVERED,
    "curtainsider": _H.COVERED,
    "closed": _H.COVERED,
}

# Private and commercial vehicles "KDA 123B" (older ones lack the final letter, "KAB 123"), and
# government vehicles "GKA 123B". Checked after removing spaces and hyphens.
_PRIVATE = re.compile(r"^(K[A-Z]{2})(\d{3})([A-Z]?)$")
_GOVERNMENT = re.compile(r"^(GK[A-Z])(\d{3})([A-Z])$")
_TRAILER = re.compile(r"^Z[A-Z]\d{4}$")
_PLATE_SEPARATORS = re.compile(r"[\s\-_.]+")


def normalise_plate(text: str) -> str:
    """Return a Kenyan motor-vehicle plate in the standard form ``"KDA 123B"``.

    Case, spaces and hyphens do not matter (``"kda-123 b"`` gives ``"KDA 123B"``). Raises
    :class:`ValidationError` on field ``registration_plate`` for anything else, with a hint for
    trailer plates: a semi-trailer combination is registered under its prime mover's plate.
    """
    compact = _PLATE_SEPARATORS.sub("", text).upper()
    if not compact:
        raise ValidationError("registration_plate", "Enter the registration plate, e.g. KDA 123B.")
    match = _PRIVATE.match(compact) or _GOVERNMENT.match(compact)
    if match is not None:
        prefix, digits, suffix = match.groups()
        return f"{prefix} {digits}{suffix}"
    if _TRAILER.match(compact):
        raise ValidationError(
            "registration_plate",
            f"{text.strip()!r} is a trailer plate. Enter the prime mover's plate (e.g. KDA 123B) "
            "and put the trailer's plate in the notes.",
        )
    raise ValidationError(
        "registration_plate",
        f"{text.strip()!r} is not a Kenyan registration plate: expected three letters starting "
        "with K, three digits and a letter, e.g. KDA 123B (or GKA 123B for government).",
    )


def parse_capability(text: str) -> SpecialHandling:
    """The truck capability named by ``text`` ("Tail lift", "reefer", "ADR"…).

    ``ValueError`` with a readable message for anything else, including ``fragile``, which is
    not something a truck is fitted with.
    """
    key = " ".join(re.split(r"[\s_\-]+", text.strip().casefold()))
    capability = _CAPABILITY_ALIASES.get(key)
    if capability is not None:
        return capability
    if key == _H.FRAGILE.value:
        raise ValueError(
            "'fragile' describes goods, not trucks: any truck may carry fragile goods. "
            "Leave it out."
        )
    allowed = ", ".join(sorted(c.value.replace("_", " ") for c in VEHICLE_CAPABILITIES))
    raise ValueError(f"{text.strip()!r} is not a truck capability (use {allowed}).")


def parse_capabilities(values: str | Iterable[str]) -> tuple[SpecialHandling, ...]:
    """Capabilities from a list or from text separated by ``;``, ``,``, ``/``, ``|`` or ``+``.

    The result is de-duplicated and sorted so that equal sets compare and store equal.
    """
    items = re.split(r"[;,/|+]", values) if isinstance(values, str) else list(values)
    found = {parse_capability(item) for item in items if item.strip()}
    return tuple(sorted(found))


def _values(items: str | Iterable[str]) -> tuple[str, ...]:
    # A lone value is a str, which is itself iterable (letter by letter): wrap it.
    return (items,) if isinstance(items, str) else tuple(str(item) for item in items)


def capabilities_for(
    special_handling: str | Iterable[str],
) -> dict[SpecialHandling, frozenset[str]]:
    """For each handling an order needs, the truck capabilities any one of which satisfies it.

    Handling that any truck satisfies (``fragile``) is left out. Unknown values raise
    ``ValueError``: an order with handling nobody understands must not be planned silently.
    """
    needs: dict[SpecialHandling, frozenset[str]] = {}
    for value in _values(special_handling):
        handling = SpecialHandling(value)
        accepted = _ACCEPTED_BY[handling]
        if accepted:
            needs[handling] = frozenset(c.value for c in accepted)
    return needs


def missing_capabilities(
    vehicle_capabilities: str | Iterable[str], special_handling: str | Iterable[str]
) -> tuple[SpecialHandling, ...]:
    """The handling in ``special_handling`` that a truck with ``vehicle_capabilities`` cannot
    provide, in a stable order; empty when it can carry the goods.

    Both arguments take one value or several, as enum members or their string values (as stored
    in the database).
    """
    have = set(_values(vehicle_capabilities))
    return tuple(
        sorted(
            h for h, accepted in capabilities_for(special_handling).items() if not have & accepted
        )
    )


def can_carry(
    vehicle_capabilities: str | Iterable[str], special_handling: str | Iterable[str]
) -> bool:
    """Whether a truck with ``vehicle_capabilities`` may carry goods needing ``special_handling``
    (see the table in the module docstring)."""
    return not missing_capabilities(vehicle_capabilities, special_handling)
