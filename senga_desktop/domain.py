"""The vocabulary every layer shares: roles, statuses and other closed sets of values.

Kept apart from the database models so that screens and the planning engine can use the same words
without importing SQLAlchemy.
"""

from __future__ import annotations

from enum import StrEnum

MAX_TRIP_DAYS = 7
MAX_TRIPS = 6  # trips a day for a truck that reloads at the depot (vans, light trucks)
"""The longest trip a truck may be allowed (days); the database's ``ck_vehicles_trip_in_a_week``."""


class Role(StrEnum):
    """What a signed-in person may do; see the permission matrix in README.md."""

    USER = "user"  # a dispatcher
    MANAGER = "manager"
    ADMIN = "admin"


class OrderStatus(StrEnum):
    PENDING = "pending"
    ASSIGNED = "assigned"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class SpecialHandling(StrEnum):
    """Handling an order needs, which a truck must be capable of."""

    REFRIGERATED = "refrigerated"
    FRAGILE = "fragile"
    HAZARDOUS = "hazardous"
    TAIL_LIFT = "tail_lift"
    COVERED = "covered"


class VehicleStatus(StrEnum):
    AVAILABLE = "available"
    ON_ROUTE = "on_route"
    MAINTENANCE = "maintenance"
    OFF_DUTY = "off_duty"
    RETIRED = "retired"


class RouteStatus(StrEnum):
    PROPOSED = "proposed"  # part of a planning decision not yet committed
    PLANNED = "planned"  # committed: the truck is reserved, the orders assigned
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DISCARDED = "discarded"  # its decision was discarded; kept for the audit trail


class StopType(StrEnum):
    PICKUP = "pickup"
    DELIVERY = "delivery"


class StopResult(StrEnum):
    """What happened at a stop of a route being executed."""

    DELIVERED = "delivered"
    DELIVERED_LATE = "delivered_late"
    FAILED = "failed"


class FailureReason(StrEnum):
    """Why a delivery failed (the list a dispatcher picks from)."""

    CUSTOMER_ABSENT = "customer_absent"
    REFUSED = "refused"
    DAMAGED = "damaged"
    ROAD_CLOSED = "road_closed"
    OTHER = "other"  # a note says what


class LearningStatus(StrEnum):
    """Whether the engine has learned from an outcome yet, and if not, why not."""

    PENDING = "pending"  # recorded, not yet folded into the belief
    USED = "used"  # folded into the belief version ``belief_version``
    FLAGGED = "flagged"  # implausible against the belief (e.g. a 10x distance typo): not used


class DecisionType(StrEnum):
    PLANNING = "planning"
    REPLANNING = "replanning"
    SIMULATION = "simulation"
    MANUAL_EDIT = "manual_edit"  # a dispatcher's edit of an engine decision, committed as its own


class PolicyName(StrEnum):
    """Powell's four classes of policy."""

    PFA = "pfa"  # policy function approximation: a rule
    CFA = "cfa"  # cost function approximation: a tuned deterministic optimisation
    VFA = "vfa"  # value function approximation
    DLA = "dla"  # direct lookahead over sampled futures
