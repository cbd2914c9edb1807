"""What is wrong with a hand-made plan, each in a sentence a dispatcher understands.

A :class:`Violation` names its constraint (:class:`ViolationCode`), the truck and the order when
there is one, the trip on a truck that reloads, and the figure behind it (``amount``: kg, dm³,
seconds or a count, by code). The sentences name trucks by their plate, orders by their number
and times in the depot's own time zone; :class:`Wording` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from senga_desktop.engine.state import OrderState, PlanningState, TruckState

__all__ = ["Violation", "ViolationCode", "Wording"]


class ViolationCode(StrEnum):
    """The constraint a plan breaks; the comment gives the unit of ``Violation.amount``."""

    OVER_WEIGHT = "over_weight"  # kg over the usable capacity, per trip
    OVER_VOLUME = "over_volume"  # dm³ over the usable capacity, per trip
    LATE = "late"  # seconds after the window's end that service starts
    SHIFT_EXCEEDED = "shift_exceeded"  # seconds over the shift
    TRIP_LENGTH_EXCEEDED = "trip_length_exceeded"  # seconds over a multi-day truck's trip length
    BACK_LATE = "back_late"  # seconds after ``return_by`` that the truck is back
    INCOMPATIBLE = "incompatible"  # special-handling labels the truck lacks
    DUPLICATE_ORDER = "duplicate_order"  # further stops of an order already on the plan
    REQUIRED_HELD = "required_held"  # 1: a required order on no route
    UNKNOWN_ORDER = "unknown_order"  # 1: an order the state does not hold
    UNKNOWN_TRUCK = "unknown_truck"  # stops on a truck the state does not hold
    TRUCK_TWICE = "truck_twice"  # routes given to a truck beyond its first
    TOO_MANY_TRIPS = "too_many_trips"  # trips beyond ``TruckState.max_trips``
    PINNED_ELSEWHERE = "pinned_elsewhere"  # 1: an order pinned to another truck


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken constraint of a plan, with the truck, the order and the figure behind it.

    ``vehicle_id`` is ``None`` only for a required order left on no route; ``trip`` (0-based, as
    ``PlannedStop.trip``) is set for what concerns one trip: a stop, or a trip's load.
    """

    code: ViolationCode
    message: str
    vehicle_id: str | None
    order_id: str | None
    amount: int
    trip: int | None = None


class Wording:
    """Writes each violation's sentence for one state (its depot's clock, its capacity margin)."""

    def __init__(self, state: PlanningState, capacity_factor: float) -> None:
        self._state = state
        self._margin = capacity_factor
        self._offset = state.now.second + state.now.microsecond / 1e6
        self._minutes: dict[int, str] = {}

    def _clock(self, seconds: int) -> str:
        # Clocks read to the minute, and time-zone arithmetic is the slow part of a sentence.
        minute = int((seconds + self._offset) // 60)
        text = self._minutes.get(minute)
        if text is None:
            moment = self._state.now + timedelta(seconds=seconds)
            text = self._minutes[minute] = self._state.depot.local(moment)
        return text

    def _moment(self, moment: datetime) -> str:
        return self._state.depot.local(moment)

    def _room(self, full: str, usable: str, same: bool) -> str:
        if same:
            return f"the {usable} it carries"
        percent = f"{(1 - self._margin) * 100:.3g}"
        return f"the {usable} it may carry ({full} less {percent} % kept free)"

    def over_weight(
        self, truck: TruckState, load: int, usable: int, trip: int, trips: int
    ) -> Violation:
        full = f"{_amount(truck.capacity_kg)} kg"
        room = self._room(full, f"{_amount(usable)} kg", usable == truck.capacity_kg)
        text = (
            f"{truck.vehicle_id} is loaded with {_amount(load)} kg{_on_trip(trip, trips)}, "
            f"{_amount(load - usable)} kg over {room}."
        )
        return Violation(
            ViolationCode.OVER_WEIGHT, text, truck.vehicle_id, None, load - usable, trip
        )

    def over_volume(
        self, truck: TruckState, load: int, usable: int, trip: int, trips: int
    ) -> Violation:
        full = f"{_m3(truck.capacity_dm3)} m³"
        room = self._room(full, f"{_m3(usable)} m³", usable == truck.capacity_dm3)
        text = (
            f"{truck.vehicle_id} is loaded with {_m3(load)} m³{_on_trip(trip, trips)}, "
            f"{_m3(load - usable)} m³ over {room}."
        )
        return Violation(
            ViolationCode.OVER_VOLUME, text, truck.vehicle_id, None, load - usable, trip
        )

    def late(
        self, truck: TruckState, order: OrderState, start: int, late: int, trip: int
    ) -> Violation:
        closes = "closed" if late <= 0 else "closes"
        text = (
            f"{truck.vehicle_id} would reach {order.order_id} in {order.town} at "
            f"{self._clock(start)}, {_span(start - late)} after its window {closes} at "
            f"{self._clock(late)}."
        )
        return Violation(
            ViolationCode.LATE, text, truck.vehicle_id, order.order_id, start - late, trip
        )

    def too_long(self, truck: TruckState, duration: int, cap: int) -> Violation:
        if truck.trip_days > 1:
            code, what = ViolationCode.TRIP_LENGTH_EXCEEDED, f"{truck.trip_days}-day trip length"
        else:
            code, what = ViolationCode.SHIFT_EXCEEDED, f"{_span(cap)} shift"
        text = (
            f"{truck.vehicle_id}'s route takes {_span(duration)}, {_span(duration - cap)} over "
            f"its {what}."
        )
        return Violation(code, text, truck.vehicle_id, None, duration - cap)

    def back_late(self, truck: TruckState, end: int, latest: int) -> Violation:
        due = "" if truck.return_by is None else f" at {self._moment(truck.return_by)}"
        text = (
            f"{truck.vehicle_id} would be back at the depot at {self._clock(end)}, "
            f"{_span(end - latest)} after it is due back{due}."
        )
        return Violation(ViolationCode.BACK_LATE, text, truck.vehicle_id, None, end - latest)

    def incompatible(self, truck: TruckState, order: OrderState, trip: int) -> Violation:
        missing = sorted(order.special_handling - truck.capabilities)
        text = (
            f"{truck.vehicle_id} cannot carry {order.order_id} for {order.town}: it needs "
            f"{', '.join(missing)} handling the truck is not fitted for."
        )
        return Violation(
            ViolationCode.INCOMPATIBLE, text, truck.vehicle_id, order.order_id, len(missing), trip
        )

    def pinned_elsewhere(
        self, truck: TruckState, order: OrderState, pin: str, trip: int
    ) -> Violation:
        text = f"{order.order_id} is pinned to {pin} but is on {truck.vehicle_id}."
        return Violation(
            ViolationCode.PINNED_ELSEWHERE, text, truck.vehicle_id, order.order_id, 1, trip
        )

    def duplicate(self, vehicle_id: str, order_id: str, first: str) -> Violation:
        where = f"on {vehicle_id} twice" if first == vehicle_id else f"on {first} already"
        text = f"{order_id} is {where}; its stop on {vehicle_id} here is left out."
        return Violation(ViolationCode.DUPLICATE_ORDER, text, vehicle_id, order_id, 1)

    def required_held(self, order: OrderState) -> Violation:
        text = f"{order.order_id} for {order.town} must go in this run but is on no route."
        return Violation(ViolationCode.REQUIRED_HELD, text, None, order.order_id, 1)

    def unknown_order(self, vehicle_id: str, order_id: str) -> Violation:
        text = f"{order_id} on {vehicle_id} is not among the orders being planned; it is left out."
        return Violation(ViolationCode.UNKNOWN_ORDER, text, vehicle_id, order_id, 1)

    def unknown_truck(self, vehicle_id: str, stops: int) -> Violation:
        text = (
            f"{vehicle_id} is not among the trucks being planned; its {stops} stop"
            f"{'s' if stops != 1 else ''} are left out."
        )
        return Violation(ViolationCode.UNKNOWN_TRUCK, text, vehicle_id, None, stops)

    def truck_twice(self, vehicle_id: str, routes: int) -> Violation:
        text = f"{vehicle_id} has {routes} routes; a truck takes one route (of one or more trips)."
        return Violation(ViolationCode.TRUCK_TWICE, text, vehicle_id, None, routes - 1)

    def too_many_trips(self, truck: TruckState, trips: int) -> Violation:
        allowed = (
            "it is not set to reload at the depot, so it makes one"
            if truck.max_trips == 1
            else f"it may make {truck.max_trips}"
        )
        text = f"{truck.vehicle_id} makes {trips} trips; {allowed}."
        return Violation(
            ViolationCode.TOO_MANY_TRIPS, text, truck.vehicle_id, None, trips - truck.max_trips
        )


def _on_trip(trip: int, trips: int) -> str:
    return f" on trip {trip + 1}" if trips > 1 else ""


def _amount(value: int) -> str:
    return f"{value:,}"


def _m3(dm3: int) -> str:
    """dm³ as m³, exact to the litre (24500 → "24.5")."""
    return f"{dm3 / 1000:,.3f}".rstrip("0").rstrip(".")


def _span(seconds: int) -> str:
    """A duration to the minute, rounded up so that an excess never reads as none."""
    minutes = -(-seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    text = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
    return f"{days} d {text}" if days else text
