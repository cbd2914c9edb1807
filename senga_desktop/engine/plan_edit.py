"""The record of one hand edit of a plan: what it did, in a sentence and as JSON.

:class:`PlanEdit` is what each edit of :mod:`senga_desktop.engine.edits` returns alongside the
new drafts: enough to replay the edit (:func:`~senga_desktop.engine.edits.apply_edit`), to say it
to a dispatcher (:meth:`PlanEdit.describe`) and to store it with the decision it led to
(:meth:`PlanEdit.to_json`, :meth:`PlanEdit.from_json`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

__all__ = ["EditKind", "PlanEdit", "describe_place"]


class EditKind(StrEnum):
    """What an edit did."""

    MOVE = "move_order"
    REORDER = "reorder_stop"
    SWAP = "swap_truck"
    SPLIT = "split_route"


@dataclass(frozen=True, slots=True)
class PlanEdit:
    """One edit, as made: enough to replay it and to say it in a sentence (:meth:`describe`).

    By ``kind``:

    * ``MOVE``: ``order_id`` went from ``vehicle_id`` (``None``: it was held) at ``from_trip`` /
      ``from_index`` to ``to_vehicle_id`` (``None``: held) at ``trip`` / ``index``;
      ``to_free_truck`` when that truck had no route before.
    * ``REORDER``: ``order_id`` on ``vehicle_id``'s trip ``trip`` went from ``from_index`` to
      ``index``.
    * ``SWAP``: the route of ``vehicle_id`` went to ``to_vehicle_id``, and that truck's route
      (unless ``to_free_truck``) to ``vehicle_id``.
    * ``SPLIT``: the stops of ``vehicle_id``'s route from ``index`` on (counted over the whole
      route) went to ``to_vehicle_id``, a free truck.

    Trips and indices count from 0, as :attr:`PlannedStop.trip`; sentences count from 1.
    """

    kind: EditKind
    vehicle_id: str | None
    order_id: str | None = None
    to_vehicle_id: str | None = None
    index: int = 0
    trip: int = 0
    from_index: int | None = None
    from_trip: int | None = None
    to_free_truck: bool = False

    def describe(self) -> str:
        """The edit in a sentence, e.g. "Moved order ORD-0042 from KBX 123A to KCA 456B
        (stop 3)." (trucks by their plate, orders by their number)."""
        order, truck, other = self.order_id, self.vehicle_id, self.to_vehicle_id
        if self.kind is EditKind.MOVE:
            where = describe_place(self.trip, self.index)
            if truck is None:
                return f"Put held order {order} on {other}{_free(self.to_free_truck)} ({where})."
            if other is None:
                return f"Took order {order} off {truck} and held it."
            if other == truck:
                was_trip = self.from_trip or 0
                trips = was_trip != self.trip
                was = describe_place(was_trip, self.from_index or 0, trips)
                where = describe_place(self.trip, self.index, trips)
                return f"Moved order {order} on {truck} from {was} to {where}."
            free = _free(self.to_free_truck)
            return f"Moved order {order} from {truck} to {other}{free} ({where})."
        if self.kind is EditKind.REORDER:
            on = f"trip {self.trip + 1} of {truck}" if self.trip else truck
            before = (self.from_index or 0) + 1
            return f"Moved order {order} on {on} from stop {before} to stop {self.index + 1}."
        if self.kind is EditKind.SWAP:
            if self.to_free_truck:
                return f"Gave the route of {truck} to {other}, a free truck."
            return f"Swapped the routes of {truck} and {other}."
        return (
            f"Split the route of {truck} before stop {self.index + 1}: stop {self.index + 1} "
            f"onwards goes to {other}."
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready record (fields left at their defaults are left out)."""
        document: dict[str, Any] = {"kind": self.kind.value, "vehicle_id": self.vehicle_id}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name not in document and value != spec.default:
                document[spec.name] = value
        return document

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> PlanEdit:
        """The edit :meth:`to_json` wrote; ``ValueError`` with a sentence if it is not one."""
        if not isinstance(document, Mapping):
            raise ValueError("A stored edit is not a record of an edit.")
        try:
            kind = EditKind(str(document.get("kind")))
        except ValueError:
            raise ValueError(
                f"A stored edit is of no known kind: {document.get('kind')!r}."
            ) from None
        vehicle_id = document.get("vehicle_id")
        if not isinstance(vehicle_id, str | None):
            raise ValueError(f"A stored {kind.value} edit has a bad vehicle_id: {vehicle_id!r}.")
        values: dict[str, Any] = {}
        for name, types in _FIELD_TYPES.items():
            if name not in document or name == "vehicle_id":
                continue
            value = document[name]
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                raise ValueError(f"A stored {kind.value} edit has a bad {name}: {value!r}.")
            values[name] = value
        unknown = sorted(set(document) - {"kind", *_FIELD_TYPES})
        if unknown:
            raise ValueError(
                f"A stored {kind.value} edit has unknown fields: {', '.join(unknown)}."
            )
        return cls(kind=kind, vehicle_id=vehicle_id, **values)


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "vehicle_id": (str, type(None)),
    "order_id": (str, type(None)),
    "to_vehicle_id": (str, type(None)),
    "index": (int,),
    "trip": (int,),
    "from_index": (int, type(None)),
    "from_trip": (int, type(None)),
    "to_free_truck": (bool,),
}


def describe_place(trip: int, index: int, trips: bool = False) -> str:
    """ "stop 3", or "trip 2, stop 3" off the first trip (or with ``trips``)."""
    return f"trip {trip + 1}, stop {index + 1}" if trip or trips else f"stop {index + 1}"


def _free(free: bool) -> str:
    return ", a free truck" if free else ""
