"""The sequential decision engine: state, travel model, policies and the route solver.

Pure Python: no Qt, no SQLAlchemy (enforced by the import-linter contracts in pyproject.toml).
"""

# Only the light, PyVRP-free vocabulary is re-exported here, so importing the package stays cheap;
# the solver and the policies are imported from their modules (senga_desktop.engine.policies).
from senga_desktop.engine.explain import Reason, ReasonCode
from senga_desktop.engine.plan import Plan, PlannedRoute, PlannedStop
from senga_desktop.engine.problem import RoutingProblem
from senga_desktop.engine.state import Belief, Depot, OrderState, PlanningState, TruckState
from senga_desktop.engine.travel import EuclideanTravel, GreatCircleTravel, Point, TravelModel

__all__ = [
    "Belief",
    "Depot",
    "EuclideanTravel",
    "GreatCircleTravel",
    "OrderState",
    "Plan",
    "PlannedRoute",
    "PlannedStop",
    "PlanningState",
    "Point",
    "Reason",
    "ReasonCode",
    "RoutingProblem",
    "TravelModel",
    "TruckState",
]
