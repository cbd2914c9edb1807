"""Timing a truck's stops exactly as PyVRP does, in pure Python.

Both the insertion checks (:mod:`~senga_desktop.engine.insertion`) and the evaluation of a
hand-made plan (:mod:`~senga_desktop.engine.evaluate`) time sequences of stops on the solver's
own numbers (:class:`~senga_desktop.engine.problem.Layout`), so that what they call feasible is
what the solver calls feasible.

The rules are PyVRP's. A route leaves its start no earlier than the truck is free and the orders
of its first trip are released; a truck that arrives before a window opens waits; service must
start by the window's end; the route ends at the depot. A truck allowed several trips comes back
to the depot between them (PyVRP's reload depots): the depot row of the matrices holds the
loading time, and the next trip leaves once the truck is back and that trip's orders are
released. The route's duration is the least over all departure times that keep every window:
leaving later by up to the schedule's slack absorbs waiting, at stops and at the depot alike.

A schedule that breaks a window is not "warped back" as PyVRP's penalty arithmetic does: the
truck is late and stays late, which is what a dispatcher needs to see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from senga_desktop.engine.problem import Layout
from senga_desktop.engine.state import TruckState

__all__ = ["HORIZON", "StopTimes", "Timeline", "time_trips"]

HORIZON = 10**15
"""Stands in for "unbounded" (seconds) so that sums of times cannot overflow int64."""


@dataclass(frozen=True)
class StopTimes:
    """Per order of a layout's state (by index): window, service and release, in seconds."""

    early: tuple[int, ...]
    late: tuple[int, ...]  # capped at HORIZON
    service: tuple[int, ...]
    release: tuple[int, ...]

    @classmethod
    def of(cls, layout: Layout) -> StopTimes:
        """The figures the solver gives PyVRP for every order of ``layout``'s state."""
        orders = layout.state.orders
        windows = [layout.window(o) for o in orders]
        return cls(
            early=tuple(w[0] for w in windows),
            late=tuple(min(w[1], HORIZON) for w in windows),
            service=tuple(layout.service_seconds(o) for o in orders),
            release=tuple(layout.release_seconds(o) for o in orders),
        )


@dataclass(frozen=True, slots=True)
class Timeline:
    """Trips of stops timed from the route's earliest departure (seconds from now).

    ``arrivals`` and ``starts`` (service starts) run over all stops of all trips in order;
    ``leaves`` and ``returns`` give each trip's departure (from the truck's start, then from the
    depot) and its arrival back at the depot. ``slack`` is how much later the route could leave
    and keep every window and the latest return (negative when one is already broken), and
    ``duration`` the least over departure times, as PyVRP states it when nothing is broken.
    """

    depart: int
    arrivals: tuple[int, ...]
    starts: tuple[int, ...]
    leaves: tuple[int, ...]
    returns: tuple[int, ...]
    end: int
    waits: int
    slack: int
    duration: int
    distance: int

    @property
    def delay(self) -> int:
        """How much later than its earliest departure the route leaves to wait least."""
        return min(self.waits, max(self.slack, 0))


def time_trips(
    layout: Layout,
    times: StopTimes,
    truck: TruckState,
    trips: Sequence[Sequence[int]],
    *,
    leave: int = 0,
) -> Timeline:
    """Time ``trips`` (each a sequence of order indices into the state; none empty) on
    ``truck``, leaving ``leave`` seconds after the earliest it can (:attr:`Timeline.delay`
    gives the departure that waits least)."""
    free, latest = layout.truck_window(truck)
    latest = min(latest, HORIZON)
    first = layout.first_order
    points = [layout.start_index(truck)]
    for trip in trips:
        points += [first + i for i in trip]
        points.append(0)
    if len(points) == 1:  # no stops: the truck does not drive
        return Timeline(free, (), (), (), (), free, 0, HORIZON, 0, 0)
    # One fancy-indexing call per matrix: far cheaper than an element look-up per leg.
    here, there = points[:-1], points[1:]
    legs: list[int] = layout.truck_durations(truck)[here, there].tolist()
    metres = int(np.asarray(layout.distances[here, there]).sum())
    early, late, service, release = times.early, times.late, times.service, times.release
    clock = max(free, *(release[i] for i in trips[0])) + leave
    depart = clock
    arrivals: list[int] = []
    starts: list[int] = []
    leaves: list[int] = []
    returns: list[int] = []
    waits, slack, leg = 0, HORIZON, 0
    for n, trip in enumerate(trips):
        if n:
            # Back at the depot: the next load goes once its orders are released.
            ready = max(release[i] for i in trip)
            if ready > clock:
                waits += ready - clock
                clock = ready
        leaves.append(clock)
        for i in trip:
            arrive = clock + legs[leg]
            leg += 1
            start = max(arrive, early[i])
            waits += start - arrive
            slack = min(slack, waits + late[i] - start)
            arrivals.append(arrive)
            starts.append(start)
            clock = start + service[i]
        clock += legs[leg]
        leg += 1
        returns.append(clock)
    slack = min(slack, waits + latest - clock)
    # Leaving later by up to ``slack`` keeps every window and absorbs as much waiting.
    duration = clock - depart - min(waits, max(slack, 0))
    return Timeline(
        depart,
        tuple(arrivals),
        tuple(starts),
        tuple(leaves),
        tuple(returns),
        clock,
        waits,
        slack,
        duration,
        metres,
    )
