"""The JSON form of a :class:`~senga_desktop.engine.state.PlanningState` (the decision snapshot).

Exactness matters more than compactness here: a decision is replayed from this document, so every
value must come back equal. Decimals travel as strings, datetimes as ISO 8601 with their offset,
sets as sorted lists, and floats as JSON numbers (Python writes the shortest repr that reads back
to the same float). Corridor factors become ``[town_a, town_b, factor]`` triples.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from senga_desktop.domain import Priority
from senga_desktop.engine.state import (
    SNAPSHOT_VERSION,
    Belief,
    Depot,
    OrderState,
    PlanningState,
    TruckState,
)
from senga_desktop.errors import ValidationError

__all__ = ["state_from_json", "state_to_json"]


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("state_snapshot", f"expected an ISO 8601 string, got {value!r}")
    return datetime.fromisoformat(value)


def _decimal(value: str) -> Decimal:
    if not isinstance(value, str):
        raise ValidationError("state_snapshot", f"money must be a string, got {value!r}")
    return Decimal(value)


def _optional_float(value: float | None) -> float | None:
    return None if value is None else float(value)


def order_to_json(order: OrderState) -> dict[str, Any]:
    """The JSON document of one order."""
    return {
        "order_id": order.order_id,
        "town": order.town,
        "lat": order.lat,
        "lon": order.lon,
        "weight_kg": order.weight_kg,
        "volume_dm3": order.volume_dm3,
        "window_start": _time(order.window_start),
        "window_end": _time(order.window_end),
        "service_minutes": order.service_minutes,
        "priority": str(order.priority),
        "special_handling": sorted(order.special_handling),
        "revenue_kes": str(order.revenue_kes),
        "created_at": _time(order.created_at),
        "max_wait_hours": order.max_wait_hours,
    }


def order_from_json(doc: Mapping[str, Any]) -> OrderState:
    """Rebuild one order from :func:`order_to_json`'s document."""
    return OrderState(
        order_id=doc["order_id"],
        town=doc["town"],
        lat=float(doc["lat"]),
        lon=float(doc["lon"]),
        weight_kg=doc["weight_kg"],
        volume_dm3=doc["volume_dm3"],
        window_start=_parse_time(doc["window_start"]),
        window_end=_parse_time(doc["window_end"]),
        service_minutes=_optional_float(doc["service_minutes"]),
        priority=Priority(doc["priority"]),
        special_handling=frozenset(doc["special_handling"]),
        revenue_kes=_decimal(doc["revenue_kes"]),
        created_at=_parse_time(doc["created_at"]),
        max_wait_hours=_optional_float(doc["max_wait_hours"]),
    )


def truck_to_json(truck: TruckState) -> dict[str, Any]:
    """The JSON document of one truck."""
    return {
        "vehicle_id": truck.vehicle_id,
        "vehicle_type": truck.vehicle_type,
        "town": truck.town,
        "lat": truck.lat,
        "lon": truck.lon,
        "free_from": _time(truck.free_from),
        "capacity_kg": truck.capacity_kg,
        "capacity_dm3": truck.capacity_dm3,
        "capabilities": sorted(truck.capabilities),
        "cost_per_km": str(truck.cost_per_km),
        "cost_per_hour": str(truck.cost_per_hour),
        "fixed_cost": str(truck.fixed_cost),
        "shift_hours": truck.shift_hours,
        "trip_days": truck.trip_days,
        "max_trips": truck.max_trips,
        "return_by": _time(truck.return_by),
    }


def truck_from_json(doc: Mapping[str, Any]) -> TruckState:
    """Rebuild one truck from :func:`truck_to_json`'s document."""
    free_from = _parse_time(doc["free_from"])
    if free_from is None:
        raise ValidationError("state_snapshot", f"truck {doc['vehicle_id']!r} has no free_from")
    return TruckState(
        vehicle_id=doc["vehicle_id"],
        vehicle_type=doc["vehicle_type"],
        town=doc["town"],
        lat=float(doc["lat"]),
        lon=float(doc["lon"]),
        free_from=free_from,
        capacity_kg=doc["capacity_kg"],
        capacity_dm3=doc["capacity_dm3"],
        capabilities=frozenset(doc["capabilities"]),
        cost_per_km=_decimal(doc["cost_per_km"]),
        cost_per_hour=_decimal(doc["cost_per_hour"]),
        fixed_cost=_decimal(doc["fixed_cost"]),
        shift_hours=_optional_float(doc["shift_hours"]),
        trip_days=doc.get("trip_days", 1),  # snapshots made before multi-day trips
        max_trips=doc.get("max_trips", 1),  # snapshots made before reloading at the depot
        return_by=_parse_time(doc["return_by"]),
    )


def belief_to_json(belief: Belief) -> dict[str, Any]:
    """The JSON document of the belief state."""
    return {
        "road_factor": belief.road_factor,
        "corridor_factors": [[a, b, f] for (a, b), f in belief.corridor_factors.items()],
        "default_speed_kmh": belief.default_speed_kmh,
        "speeds_kmh": dict(belief.speeds_kmh),
        "service_minutes_per_stop": belief.service_minutes_per_stop,
        "loading_minutes": belief.loading_minutes,
        "arrival_rates": dict(belief.arrival_rates),
    }


def belief_from_json(doc: Mapping[str, Any]) -> Belief:
    """Rebuild the belief state from :func:`belief_to_json`'s document."""
    return Belief(
        road_factor=float(doc["road_factor"]),
        corridor_factors={(a, b): float(f) for a, b, f in doc["corridor_factors"]},
        default_speed_kmh=float(doc["default_speed_kmh"]),
        speeds_kmh={k: float(v) for k, v in doc["speeds_kmh"].items()},
        service_minutes_per_stop=float(doc["service_minutes_per_stop"]),
        loading_minutes=float(doc["loading_minutes"]),
        # Snapshots made before arrival rates were kept: the DLA estimated them from the orders.
        arrival_rates={k: float(v) for k, v in doc.get("arrival_rates", {}).items()},
    )


def state_to_json(state: PlanningState) -> dict[str, Any]:
    """The JSON document of a whole planning state (the decision's ``state_snapshot``)."""
    depot = state.depot
    return {
        "version": SNAPSHOT_VERSION,
        "now": state.now.isoformat(),
        "coordinates": state.coordinates,
        "depot": {
            "name": depot.name,
            "town": depot.town,
            "lat": depot.lat,
            "lon": depot.lon,
            "time_zone": depot.time_zone,
        },
        "belief": belief_to_json(state.belief),
        "orders": [order_to_json(o) for o in state.orders],
        "trucks": [truck_to_json(t) for t in state.trucks],
    }


def state_from_json(doc: Mapping[str, Any]) -> PlanningState:
    """Rebuild a planning state from :func:`state_to_json`'s document."""
    if doc.get("version") != SNAPSHOT_VERSION:
        raise ValidationError(
            "state_snapshot", f"unsupported snapshot version {doc.get('version')!r}"
        )
    now = _parse_time(doc["now"])
    if now is None:
        raise ValidationError("state_snapshot", "the snapshot has no 'now'")
    d = doc["depot"]
    return PlanningState(
        now=now,
        depot=Depot(
            name=d["name"],
            town=d["town"],
            lat=float(d["lat"]),
            lon=float(d["lon"]),
            time_zone=d.get("time_zone", "UTC"),  # snapshots made before it was stored
        ),
        orders=tuple(order_from_json(o) for o in doc["orders"]),
        trucks=tuple(truck_from_json(t) for t in doc["trucks"]),
        belief=belief_from_json(doc["belief"]),
        coordinates=doc["coordinates"],
    )
