"""Learning from outcomes: what completed routes teach about roads, trucks, stops and costs.

Pure Python (no database, no Qt). A :class:`LearnedBelief` starts from today's defaults
(:class:`Prior`), folds in one :class:`RouteObservation` at a time with the estimator documented
in :mod:`~senga_desktop.engine.learning.estimator`, flags what is implausible instead of learning
from it, and hands what it learned to the planner (:meth:`LearnedBelief.apply`).
"""

from senga_desktop.engine.learning.belief import FORMAT, LearnedBelief
from senga_desktop.engine.learning.observations import (
    Estimate,
    Leg,
    Prediction,
    Prior,
    RouteObservation,
    UpdateResult,
    Visit,
    corridor_key,
)

__all__ = [
    "FORMAT",
    "Estimate",
    "LearnedBelief",
    "Leg",
    "Prediction",
    "Prior",
    "RouteObservation",
    "UpdateResult",
    "Visit",
    "corridor_key",
]
