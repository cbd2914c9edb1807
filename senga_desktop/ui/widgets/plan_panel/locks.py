"""What the dispatcher keeps when re-planning: locked routes and orders kept on their truck.

:class:`LockState` is one immutable value — the decision it applies to, the trucks whose routes
are locked (kept exactly: truck, orders, stop order) and the pins (order → truck). Every change
makes a new value, so an undo stack can keep them as they are. :class:`PlanLocksModel` holds the
current one for a screen and says when it changed; the plan panel reads it to mark the route
list, the stops and the map, and the Planning screen turns it into a re-plan request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QObject, Signal

from senga_desktop.controllers.plan_views import DecisionView

__all__ = ["LockState", "PlanLocksModel"]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@dataclass(frozen=True)
class LockState:
    """Locks and pins on the routes of decision ``decision_id`` (``None``: nothing lockable).

    A locked truck's route keeps all its orders, so no pin ever points at a locked truck: locking
    a route drops the pins to its truck (the controller would refuse them).
    """

    decision_id: str | None = None
    vehicle_ids: frozenset[str] = frozenset()
    pins: Mapping[str, str] = field(default_factory=dict)  # order id → vehicle id

    @property
    def empty(self) -> bool:
        return not self.vehicle_ids and not self.pins

    @property
    def editable(self) -> bool:
        """There is a proposal to lock routes of."""
        return self.decision_id is not None

    def locked(self, vehicle_id: str) -> bool:
        return vehicle_id in self.vehicle_ids

    def pinned_to(self, order_id: str) -> str | None:
        return self.pins.get(order_id)

    def toggled(self, vehicle_id: str) -> LockState:
        """The route of ``vehicle_id`` locked if it was not, unlocked if it was."""
        if vehicle_id in self.vehicle_ids:
            return replace(self, vehicle_ids=self.vehicle_ids - {vehicle_id})
        pins = {o: v for o, v in self.pins.items() if v != vehicle_id}
        return replace(self, vehicle_ids=self.vehicle_ids | {vehicle_id}, pins=pins)

    def with_pins(self, order_ids: Iterable[str], vehicle_id: str) -> LockState:
        """``order_ids`` kept on ``vehicle_id`` (unchanged when that truck's route is locked)."""
        if vehicle_id in self.vehicle_ids:
            return self
        return replace(self, pins={**self.pins, **dict.fromkeys(order_ids, vehicle_id)})

    def without_pins(self, order_ids: Iterable[str]) -> LockState:
        gone = set(order_ids)
        return replace(self, pins={o: v for o, v in self.pins.items() if o not in gone})

    def carried_to(self, view: DecisionView) -> LockState:
        """The same locks on ``view`` (a re-plan of this decision): locked trucks that still have
        a route there, pins whose order is still in it (routed or held)."""
        trucks = {r.vehicle_id for r in view.routes}
        orders = {o for r in view.routes for o in r.order_ids} | {h.order_id for h in view.held}
        locked = frozenset(v for v in self.vehicle_ids if v in trucks)
        pins = {o: v for o, v in self.pins.items() if o in orders and v not in locked}
        return LockState(view.decision_id, locked, pins)

    def request_fields(self) -> tuple[frozenset[str], dict[str, str]]:
        """``locked_vehicle_ids`` and ``pins`` for a :class:`PlanRequest`."""
        pins = {o: v for o, v in sorted(self.pins.items()) if v not in self.vehicle_ids}
        return self.vehicle_ids, pins

    def describe(self) -> str:
        """``2 routes locked · 1 order kept on its truck`` (empty when nothing is kept)."""
        parts = []
        if self.vehicle_ids:
            parts.append(_plural(len(self.vehicle_ids), "route locked", "routes locked"))
        if self.pins:
            parts.append(
                _plural(len(self.pins), "order kept on its truck", "orders kept on their trucks")
            )
        return " \N{MIDDLE DOT} ".join(parts)


class PlanLocksModel(QObject):
    """The current :class:`LockState` of a screen; ``changed`` after every change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = LockState()

    @property
    def state(self) -> LockState:
        return self._state

    def set_state(self, state: LockState) -> None:
        if state != self._state:
            self._state = state
            self.changed.emit()

    def reset(self, decision_id: str | None) -> None:
        """Nothing locked, on ``decision_id`` (``None``: nothing can be locked)."""
        self.set_state(LockState(decision_id))

    def toggle_route(self, vehicle_id: str) -> None:
        if self._state.editable:
            self.set_state(self._state.toggled(vehicle_id))

    def pin(self, order_ids: Iterable[str], vehicle_id: str) -> None:
        if self._state.editable:
            self.set_state(self._state.with_pins(order_ids, vehicle_id))

    def unpin(self, order_ids: Iterable[str]) -> None:
        self.set_state(self._state.without_pins(order_ids))
