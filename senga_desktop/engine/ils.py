"""PyVRP's iterated local search as an object that can be paused, resumed and handed a plan.

:class:`pyvrp.IteratedLocalSearch.IteratedLocalSearch` runs from a start to a stop and forgets
everything: the current solution, the late-acceptance history and — when a new one is built for
the next round — the penalties it had learnt. At 1000 customers a search needs most of a minute
to settle its penalties and trajectory; restarting it every round threw that away (measured in
``benchmarks/scale_gap.py``). :class:`Search` keeps that state between calls of :meth:`run`, and
:meth:`adopt` lets a parallel search hand it a better plan without disturbing the rest.

The loop is PyVRP 0.14's (MIT licence): late-acceptance hill climbing with both enhancements of
Burke and Bykov (2017), an exhaustive search on every new best, restarts from the best after
``num_iters_no_improvement`` iterations without one. Only the bookkeeping is ours.
"""

from __future__ import annotations

from collections.abc import Callable

import pyvrp
from pyvrp import IteratedLocalSearchParams, PenaltyManager
from pyvrp.RingBuffer import RingBuffer
from pyvrp.search import (
    OPERATORS,
    LocalSearch,
    NeighbourhoodParams,
    PerturbationManager,
    PerturbationParams,
    compute_neighbours,
)

__all__ = ["Search", "route_cost"]

Stop = Callable[[int], bool]  # called with the best's cost before every iteration


def route_cost(solution: pyvrp.Solution) -> int:
    """What the solution's routes cost (no penalties, no prizes), in solver units."""
    return solution.distance_cost() + solution.duration_cost() + solution.fixed_vehicle_cost()


class Search:
    """One seed's iterated local search on ``data``, resumable (see the module notes).

    ``penalties`` is the penalty manager to use (its state carries across :meth:`run` calls);
    ``initial``, where to start (``None``: a random plan improved under the largest penalties,
    as :func:`pyvrp.solve` starts). ``on_best`` is called with every new best solution.
    """

    def __init__(
        self,
        data: pyvrp.ProblemData,
        penalties: PenaltyManager,
        *,
        seed: int,
        initial: pyvrp.Solution | None = None,
        on_best: Callable[[pyvrp.Solution], None] | None = None,
    ) -> None:
        self.data = data
        self.penalties = penalties
        self.params = IteratedLocalSearchParams()
        rng = pyvrp.RandomNumberGenerator(seed=seed)
        neighbours = compute_neighbours(data, NeighbourhoodParams())
        self.local_search = LocalSearch(
            data, rng, neighbours, PerturbationManager(PerturbationParams())
        )
        for operator in OPERATORS:
            if operator.supports(data):
                self.local_search.add_operator(operator(data))
        if initial is None:
            random = pyvrp.Solution.make_random(data, rng)
            initial = self.local_search(random, penalties.max_cost_evaluator(), exhaustive=True)
        self.initial = initial
        self.best = self.current = initial
        self.history: RingBuffer[pyvrp.Solution] = RingBuffer(self.params.history_length)
        self.iterations = 0
        self._since_best = 0
        self._on_best = on_best
        if on_best is not None:
            on_best(initial)

    def cost(self, solution: pyvrp.Solution) -> float:
        """The solution's cost under the current penalties (infinite when infeasible)."""
        return float(self.penalties.cost_evaluator().cost(solution))

    def adopt(self, solution: pyvrp.Solution) -> bool:
        """Continue from ``solution`` if it is better than this search's best; returns whether.

        The penalties and the late-acceptance history stay: the search goes on as it was, only
        from a better place.
        """
        if self.cost(solution) >= self.cost(self.best):
            return False
        self.best = self.current = solution
        self._since_best = 0
        if self._on_best is not None:
            self._on_best(solution)
        return True

    def run(self, stop: Stop) -> None:
        """Iterate until ``stop(best cost)`` is true; the state is kept for the next call."""
        params, search, pm, history = self.params, self.local_search, self.penalties, self.history
        cost_eval = pm.cost_evaluator()
        while not stop(cost_eval.cost(self.best)):
            self.iterations += 1
            if self._since_best == params.num_iters_no_improvement:
                history.clear()  # type: ignore[no-untyped-call]
                self.current = self.best
                self._since_best = 0
            cost_eval = pm.cost_evaluator()
            candidate = search(self.current, cost_eval, exhaustive=False)
            pm.register(candidate)
            self._since_best += 1
            if cost_eval.cost(candidate) < cost_eval.cost(self.best):
                self.best = candidate
                self._since_best = 0
                if params.exhaustive_on_best:
                    candidate = search(candidate, cost_eval, exhaustive=True)
                    if candidate.is_feasible():
                        self.best = candidate
                if self._on_best is not None:
                    self._on_best(self.best)
            candidate_cost = cost_eval.penalised_cost(candidate)
            current_cost = cost_eval.penalised_cost(self.current)
            late = history.peek()
            late_cost = cost_eval.penalised_cost(self.initial if late is None else late)
            if candidate_cost < late_cost or candidate_cost < current_cost:
                self.current = candidate
                current_cost = candidate_cost
            if current_cost < late_cost or late is None:
                history.append(self.current)
            else:
                history.skip()  # type: ignore[no-untyped-call]
