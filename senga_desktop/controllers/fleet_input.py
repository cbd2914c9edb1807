"""What a manager types for a truck, and the checks that turn it into column values.

The add and edit forms and the vehicle import all go through :func:`check_vehicle_input`, so a
truck is held to the same rules however it arrives. Figures left empty (``None``) are taken from
the truck type's entry in the catalogue (:mod:`~senga_desktop.controllers.vehicle_types`); for a
type not in the catalogue they must be given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from senga_desktop.controllers.fleet_rules import normalise_plate, parse_capabilities
from senga_desktop.controllers.vehicle_types import (
    VehicleType,
    VehicleTypeCatalogue,
    load_vehicle_types,
)
from senga_desktop.domain import MAX_TRIP_DAYS, SpecialHandling
from senga_desktop.errors import ValidationError
from senga_desktop.gazetteer import load_gazetteer, normalise_name

if TYPE_CHECKING:
    from senga_desktop.controllers.fleet_board import VehicleInfo
    from senga_desktop.controllers.settings import GeneralSettings

__all__ = ["FIELD_LABELS", "VehicleInput", "VehicleInvalid", "check_vehicle_input"]

_FLEET_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9 ./_-]{0,31}$")
_CENTS = Decimal("0.01")
_THOUSANDTHS = Decimal("0.001")
MAX_NOTES = 2000

#: Form labels of the fields, for messages that name what the person sees.
FIELD_LABELS = {
    "registration_plate": "Registration plate",
    "vehicle_id": "Fleet number",
    "vehicle_type": "Type",
    "capacity_weight_tonnes": "Capacity (t)",
    "capacity_volume_m3": "Capacity (m³)",
    "town": "Current town",
    "available_from": "Available from",
    "fuel_cost_per_km": "Running cost (KES/km)",
    "driver_cost_per_hour": "Driver cost (KES/h)",
    "fixed_cost_kes": "Fixed cost (KES/day)",
    "max_shift_hours": "Shift (h)",
    "max_trip_days": "Trip length (days)",
    "capabilities": "Capabilities",
    "notes": "Notes",
}

# (low, high, may it equal low?, rounding step) per figure. The upper bounds catch unit
# slips (kilograms typed as tonnes, a truck's price typed as its daily cost), not real trucks:
# Kenya's heaviest legal combination grosses 56 t.
_FIGURES: dict[str, tuple[Decimal, Decimal, bool, Decimal]] = {
    "capacity_weight_tonnes": (Decimal(0), Decimal(50), False, _THOUSANDTHS),
    "capacity_volume_m3": (Decimal(0), Decimal(150), False, _THOUSANDTHS),
    "fuel_cost_per_km": (Decimal(0), Decimal(1000), True, _CENTS),
    "driver_cost_per_hour": (Decimal(0), Decimal(10000), True, _CENTS),
    "fixed_cost_kes": (Decimal(0), Decimal(1000000), True, _CENTS),
    "max_shift_hours": (Decimal(0), Decimal(24), False, _THOUSANDTHS),
}
_UNITS = {
    "capacity_weight_tonnes": "t",
    "capacity_volume_m3": "m³",
    "fuel_cost_per_km": "KES per km",
    "driver_cost_per_hour": "KES per hour",
    "fixed_cost_kes": "KES per day",
    "max_shift_hours": "hours",
}


@dataclass(frozen=True, slots=True)
class VehicleInput:
    """A truck as entered in the add/edit form or an import row.

    ``vehicle_id`` (the fleet number) is generated as ``TRK-0001``… when left empty on adding and
    kept as it is when left empty on editing. ``town`` is a gazetteer town, the depot's name, or
    the truck's current location name (unchanged); empty means at the depot. ``available_from``
    ``None`` means now. Figures and ``capabilities`` left ``None`` come from the type's catalogue
    entry; ``capabilities=()`` means none. ``max_trip_days`` left ``None`` comes from the
    catalogue too, and is 1 (back the same day) for a type not in it.
    """

    registration_plate: str
    vehicle_type: str
    vehicle_id: str | None = None
    capacity_weight_tonnes: Decimal | None = None
    capacity_volume_m3: Decimal | None = None
    town: str | None = None
    available_from: datetime | None = None
    fuel_cost_per_km: Decimal | None = None
    driver_cost_per_hour: Decimal | None = None
    fixed_cost_kes: Decimal | None = None
    max_shift_hours: Decimal | None = None
    max_trip_days: int | Decimal | None = None
    capabilities: tuple[SpecialHandling | str, ...] | None = None
    notes: str | None = None

    @classmethod
    def from_info(cls, info: VehicleInfo) -> VehicleInput:
        """The form filled with a truck's current values, ready to change and save.

        A truck from before plates had their own column carries its plate as its fleet number;
        the form then offers that as the plate.
        """
        plate = info.registration_plate
        if plate is None:
            try:
                plate = normalise_plate(info.vehicle_id)
            except ValidationError:
                plate = ""
        return cls(
            registration_plate=plate,
            vehicle_type=info.vehicle_type,
            vehicle_id=info.vehicle_id,
            capacity_weight_tonnes=info.capacity_weight_tonnes,
            capacity_volume_m3=info.capacity_volume_m3,
            town=info.location_name or None,
            available_from=info.available_at,
            fuel_cost_per_km=info.fuel_cost_per_km,
            driver_cost_per_hour=info.driver_cost_per_hour,
            fixed_cost_kes=info.fixed_cost_kes,
            max_shift_hours=info.max_shift_hours,
            max_trip_days=info.max_trip_days,
            capabilities=info.capabilities,
            notes=info.notes,
        )


class VehicleInvalid(ValidationError):
    """The input breaks one or more rules: ``field``/``message`` give the first, ``problems`` all
    of them (so a form can mark every wrong field at once)."""

    def __init__(self, problems: list[ValidationError]) -> None:
        first = problems[0]
        super().__init__(first.field, first.message)
        self.problems = tuple(problems)


def depot_location(depot: GeneralSettings) -> dict[str, Any]:
    """The JSON location of the depot, as trucks parked there carry it."""
    return {"name": depot.depot_name, "lat": depot.depot_latitude, "lon": depot.depot_longitude}


def resolve_location(
    town: str | None, depot: GeneralSettings, current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The location document for ``town``; ValidationError on field ``town`` if unknown."""
    name = " ".join((town or "").split())
    key = normalise_name(name)
    if not key:
        return depot_location(depot)
    if current and key == normalise_name(str(current.get("name") or "")):
        return current
    if key == normalise_name(depot.depot_name):
        return depot_location(depot)
    gazetteer = load_gazetteer()
    place = gazetteer.get(name)
    if place is None:
        hints = gazetteer.suggest(name)
        hint = f" Did you mean {', '.join(hints)}?" if hints else ""
        raise ValidationError("town", f"{name!r} is not a known town.{hint}")
    return {"name": place.name, "lat": place.latitude, "lon": place.longitude}


def normalise_fleet_number(text: str) -> str:
    """A fleet number in capitals with single spaces; ValidationError on ``vehicle_id``."""
    value = " ".join(text.split()).upper()
    if not _FLEET_NUMBER.match(value):
        raise ValidationError(
            "vehicle_id",
            f"{text.strip()!r} is not a usable fleet number: up to 32 letters, digits, spaces "
            "and . / _ -, starting with a letter or digit (e.g. TRK-0012).",
        )
    return value


def _figure(name: str, given: Decimal | None, kind: VehicleType | None, label: str) -> Decimal:
    if given is None:
        if kind is None:
            raise ValidationError(
                name,
                f"{FIELD_LABELS[name]} is needed: {label!r} is not in the type catalogue, so "
                "nothing can be filled in for it.",
            )
        value: Decimal = getattr(kind, name)
    else:
        try:
            value = Decimal(given)
        except (InvalidOperation, TypeError, ValueError):
            raise ValidationError(name, f"{given!r} is not a number.") from None
    low, high, low_ok, step = _FIGURES[name]
    if not value.is_finite() or value < low or (value == low and not low_ok) or value > high:
        sign = "at least" if low_ok else "more than"
        raise ValidationError(
            name,
            f"{FIELD_LABELS[name]} must be {sign} {low} and at most {high} {_UNITS[name]} "
            f"(got {value.normalize():f}).",
        )
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _trip_days(given: int | Decimal | None, kind: VehicleType | None) -> int:
    if given is None:
        return kind.max_trip_days if kind else 1
    label = FIELD_LABELS["max_trip_days"]
    try:
        # bool is an int to Python, but True days is a slip, not a trip length.
        value = None if isinstance(given, bool) else Decimal(given)
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        shown = f"{given.normalize():f}" if isinstance(given, Decimal) else str(given)
        raise ValidationError(
            "max_trip_days", f"{label} must be a whole number of days (got {shown})."
        )
    if not 1 <= value <= MAX_TRIP_DAYS:
        raise ValidationError(
            "max_trip_days",
            f"{label} must be from 1 (back the same day) to {MAX_TRIP_DAYS} days "
            f"(got {value.normalize():f}).",
        )
    return int(value)


def check_vehicle_input(
    data: VehicleInput,
    *,
    depot: GeneralSettings,
    current_location: dict[str, Any] | None = None,
    catalogue: VehicleTypeCatalogue | None = None,
) -> tuple[dict[str, Any], list[ValidationError]]:
    """Column values for ``data`` and every rule it breaks (empty when it is valid).

    ``vehicle_id`` is ``None`` in the values when not given (the caller generates or keeps one);
    uniqueness against the database is the caller's check, inside its unit of work.
    """
    catalogue = catalogue or load_vehicle_types()
    values: dict[str, Any] = {}
    problems: list[ValidationError] = []

    def attempt(name: str, make: Any) -> None:
        try:
            values[name] = make()
        except ValidationError as exc:
            problems.append(exc)

    attempt("registration_plate", lambda: normalise_plate(data.registration_plate or ""))
    fleet_number = (data.vehicle_id or "").strip()
    attempt("vehicle_id", lambda: normalise_fleet_number(fleet_number) if fleet_number else None)
    kind = catalogue.get(data.vehicle_type or "")
    type_label = kind.label if kind else " ".join((data.vehicle_type or "").split())
    if not type_label:
        problems.append(ValidationError("vehicle_type", "Choose the truck's type."))
    elif len(type_label) > 64:
        problems.append(ValidationError("vehicle_type", "Keep the type under 64 characters."))
    values["vehicle_type"] = type_label
    for name in _FIGURES:
        attempt(name, lambda name=name: _figure(name, getattr(data, name), kind, type_label))
    attempt("max_trip_days", lambda: _trip_days(data.max_trip_days, kind))
    attempt("current_location", lambda: resolve_location(data.town, depot, current_location))
    when = data.available_from
    if when is not None and (when.tzinfo is None or when.utcoffset() is None):
        problems.append(
            ValidationError("available_from", "Available from needs a time zone (a bug if seen).")
        )
    else:
        values["available_at"] = when.astimezone(UTC) if when else None
    if data.capabilities is None:
        values["capabilities"] = [c.value for c in kind.capabilities] if kind else []
    else:
        try:
            values["capabilities"] = [c.value for c in parse_capabilities(data.capabilities)]
        except ValueError as exc:
            problems.append(ValidationError("capabilities", str(exc)))
    notes = (data.notes or "").strip()
    if len(notes) > MAX_NOTES:
        problems.append(ValidationError("notes", f"Keep notes under {MAX_NOTES} characters."))
    values["notes"] = notes or None
    return values, problems
