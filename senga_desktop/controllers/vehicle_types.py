"""The catalogue of truck types that pre-fills a new truck's capacities, costs and capabilities.

The catalogue ships as ``resources/vehicle_types.csv`` (one type a row; edit it in a spreadsheet)
and is read once per process by :func:`load_vehicle_types`. A truck's ``vehicle_type`` column holds
the type's label; trucks of types not in the catalogue are allowed but must state their figures.

Costs are in Kenyan shillings: running cost per km (diesel, tyres and servicing), driver and
turn-boy per hour, and a fixed cost per day the truck is used (depreciation, insurance, licences).
``max_shift_hours`` is the driver's working day; ``max_trip_days`` how many days a trip may span
(long-haul trucks to the coast or the lake rest overnight on the way).

Pure Python (no database, no Qt).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from senga_desktop.controllers.fleet_rules import parse_capabilities
from senga_desktop.domain import MAX_TRIP_DAYS, SpecialHandling
from senga_desktop.gazetteer import normalise_name
from senga_desktop.paths import resource_path

__all__ = ["VehicleType", "VehicleTypeCatalogue", "load_vehicle_types"]

VEHICLE_TYPES_FILE = "vehicle_types.csv"
_NUMBER_COLUMNS = (
    "capacity_weight_tonnes",
    "capacity_volume_m3",
    "fuel_cost_per_km",
    "driver_cost_per_hour",
    "fixed_cost_kes",
    "max_shift_hours",
)
REQUIRED_COLUMNS = ("key", "label", *_NUMBER_COLUMNS, "max_trip_days", "capabilities", "aliases")


@dataclass(frozen=True, slots=True)
class VehicleType:
    """A class of truck and its usual figures, used as defaults for new trucks of the type."""

    key: str
    label: str
    capacity_weight_tonnes: Decimal
    capacity_volume_m3: Decimal
    fuel_cost_per_km: Decimal
    driver_cost_per_hour: Decimal
    fixed_cost_kes: Decimal
    max_shift_hours: Decimal
    max_trip_days: int = 1
    capabilities: tuple[SpecialHandling, ...] = ()
    aliases: tuple[str, ...] = ()


class VehicleTypeCatalogue:
    """The known truck types, found by key, label or alias whatever the case and spacing."""

    def __init__(self, types: list[VehicleType]) -> None:
        """Index ``types`` (kept in the given order); ``ValueError`` if two share a name."""
        self._types = tuple(types)
        self._index: dict[str, VehicleType] = {}
        for kind in self._types:
            for name in (kind.key, kind.label, *kind.aliases):
                known = self._index.setdefault(normalise_name(name), kind)
                if known is not kind:
                    raise ValueError(f"{name!r} names both {known.key!r} and {kind.key!r}")

    @property
    def types(self) -> tuple[VehicleType, ...]:
        """All types, smallest first as listed in the file."""
        return self._types

    def get(self, name: str) -> VehicleType | None:
        """The type called ``name`` (key, label or alias), or ``None``."""
        return self._index.get(normalise_name(name))

    def labels(self) -> list[str]:
        """The labels, for a type picker."""
        return [kind.label for kind in self._types]

    def __iter__(self) -> Iterator[VehicleType]:
        return iter(self._types)

    def __len__(self) -> int:
        return len(self._types)

    @classmethod
    def from_csv(cls, path: str | Path) -> VehicleTypeCatalogue:
        """Read a catalogue; ``ValueError`` naming the row (header = row 1) and column at fault."""
        path = Path(path)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{path}: row 1 (header) lacks column(s) {', '.join(missing)}")
            types = [_parse_row(path, row, record) for row, record in enumerate(reader, start=2)]
        if not types:
            raise ValueError(f"{path}: the file holds no vehicle types")
        return cls(types)


def _parse_row(path: Path, row: int, record: dict[str, str]) -> VehicleType:
    def fail(column: str, problem: str) -> ValueError:
        return ValueError(f"{path}: row {row}, column {column!r}: {problem}")

    key, label = (record.get(c, "").strip() for c in ("key", "label"))
    if not key or not label:
        raise fail("key" if not key else "label", "must not be empty")
    numbers: dict[str, Decimal] = {}
    for column in _NUMBER_COLUMNS:
        raw = (record.get(column) or "").strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise fail(column, f"{raw!r} is not a number") from None
        # Costs and the fixed cost may be zero; capacities and shift hours may not.
        if not value.is_finite() or value < 0 or (value == 0 and "cost" not in column):
            raise fail(column, f"{raw!r} is out of range")
        numbers[column] = value
    raw_days = (record.get("max_trip_days") or "").strip()
    if not (raw_days.isascii() and raw_days.isdigit()) or not 1 <= int(raw_days) <= MAX_TRIP_DAYS:
        raise fail(
            "max_trip_days", f"{raw_days!r} is not a whole number of days from 1 to {MAX_TRIP_DAYS}"
        )
    try:
        capabilities = parse_capabilities(record.get("capabilities") or "")
    except ValueError as exc:
        raise fail("capabilities", str(exc)) from None
    aliases = tuple(a.strip() for a in (record.get("aliases") or "").split(";") if a.strip())
    return VehicleType(
        key,
        label,
        max_trip_days=int(raw_days),
        capabilities=capabilities,
        aliases=aliases,
        **numbers,
    )


@functools.cache
def load_vehicle_types() -> VehicleTypeCatalogue:
    """The catalogue bundled as ``resources/vehicle_types.csv``, read once per process."""
    return VehicleTypeCatalogue.from_csv(resource_path(VEHICLE_TYPES_FILE))
