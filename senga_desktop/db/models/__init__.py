"""Every table of the dispatch database; importing this package registers them all."""

from senga_desktop.db.models.audit import AuditLog
from senga_desktop.db.models.customers import Customer
from senga_desktop.db.models.decisions import BeliefVersion, Decision, OperationalOutcome
from senga_desktop.db.models.orders import Order
from senga_desktop.db.models.routes import Route, RouteStop
from senga_desktop.db.models.settings import AppSetting
from senga_desktop.db.models.users import User
from senga_desktop.db.models.vehicles import Vehicle

__all__ = [
    "AppSetting",
    "AuditLog",
    "BeliefVersion",
    "Customer",
    "Decision",
    "OperationalOutcome",
    "Order",
    "Route",
    "RouteStop",
    "User",
    "Vehicle",
]
