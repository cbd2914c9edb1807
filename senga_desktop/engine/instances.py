"""Benchmark instances read into the engine's own state and travel model.

Solomon / Gehring-Homberger ``.txt`` files and VRPLIB ``.vrp`` files (CVRP and VRPTW) become a
:class:`~senga_desktop.engine.state.PlanningState` in plane coordinates plus an
:class:`~senga_desktop.engine.travel.EuclideanTravel`, so a benchmark exercises the same code path
as a depot day. Our own small parsers: the engine does not need ``vrplib``.

Conventions, matching the published best-known solutions:

* Time-window instances use DIMACS: distances x10 and truncated, travel time = distance, and all
  times x10 too. One integer unit is one solver second (and metre), so a time ``t`` in the file
  is ``now + 10·t`` seconds and a distance ``d`` in the file is ``10·d`` solver metres.
* CVRP instances (TSPLIB ``EUC_2D``) use nearest-integer distances, scale 1.

Customers keep their file numbers as order ids ("1", "2", …); trucks are "V01", "V02", … of one
type; objective = distance (1 KES per solver km, no time or fixed cost).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from senga_desktop.engine.problem import RoutingProblem
from senga_desktop.engine.state import Belief, Depot, OrderState, PlanningState, TruckState
from senga_desktop.engine.travel import EuclideanTravel

__all__ = ["EPOCH", "Instance", "read_instance", "read_solomon", "read_vrplib"]

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
"""``now`` of every benchmark state: time 0 of the instance."""

_SECTION = re.compile(r"^([A-Z_]+_SECTION)\s*$")
_SPEC = re.compile(r"^([A-Z_]+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Instance:
    """A benchmark instance as engine state, with its travel model and units."""

    name: str
    state: PlanningState
    travel: EuclideanTravel
    scale: int  # solver metres per instance distance unit

    def problem(self) -> RoutingProblem:
        """Every customer required, as a hard constraint: the benchmark's own problem."""
        return RoutingProblem(self.state, hard_required=True)

    def distance(self, metres: int) -> float:
        """A solver distance back in the instance's units (e.g. 8273 → 827.3 for DIMACS)."""
        return metres / self.scale


def read_instance(path: str | Path) -> Instance:
    """Read a Solomon ``.txt`` or VRPLIB ``.vrp`` file (told apart by content, not name)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    if re.search(r"^\s*NAME\s*:", text, re.MULTILINE) and "_SECTION" in text:
        return read_vrplib(path, text=text)
    return read_solomon(path, text=text)


def _build(
    name: str,
    *,
    nodes: list[tuple[float, float, int, float, float | None, float]],
    vehicles: int,
    capacity: int,
    scale: int,
    rounding: str,
) -> Instance:
    """``nodes``: (x, y, demand, ready, due, service) per node, depot first."""
    x0, y0, _, ready0, due0, _ = nodes[0]

    def at(t: float) -> datetime:
        return EPOCH + timedelta(seconds=int(scale * t))

    orders = tuple(
        OrderState(
            order_id=str(number),
            town=f"{name}-{number}",
            lat=y,
            lon=x,
            weight_kg=demand,
            volume_dm3=0,
            window_start=at(ready) if ready else None,
            window_end=None if due is None else at(due),
            service_minutes=int(scale * service) / 60,
            revenue_kes=Decimal(0),
        )
        for number, (x, y, demand, ready, due, service) in enumerate(nodes[1:], 1)
    )
    trucks = tuple(
        TruckState(
            vehicle_id=f"V{k:02d}",
            vehicle_type=name,
            town=f"{name}-0",
            lat=y0,
            lon=x0,
            free_from=at(ready0),
            capacity_kg=capacity,
            capacity_dm3=0,
            cost_per_km=Decimal(1),
            shift_hours=None,
            return_by=None if due0 is None else at(due0),
        )
        for k in range(1, vehicles + 1)
    )
    belief = Belief(service_minutes_per_stop=0.0, loading_minutes=0.0)
    state = PlanningState(
        now=EPOCH,
        depot=Depot(name=f"{name} depot", town=f"{name}-0", lat=y0, lon=x0),
        orders=orders,
        trucks=trucks,
        belief=belief,
        coordinates="plane",
    )
    travel = EuclideanTravel(scale=scale, rounding="trunc" if rounding == "trunc" else "round")
    return Instance(name=name, state=state, travel=travel, scale=scale)


def read_solomon(path: str | Path, *, text: str | None = None) -> Instance:
    """Read a Solomon (or Gehring-Homberger) VRPTW text file under the DIMACS convention."""
    text = Path(path).read_text(encoding="utf-8") if text is None else text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        name = lines[0]
        vehicle_at = next(i for i, line in enumerate(lines) if line.upper().startswith("VEHICLE"))
        vehicles, capacity = (int(v) for v in lines[vehicle_at + 2].split()[:2])
        header = next(i for i, line in enumerate(lines) if line.upper().startswith("CUST NO"))
        nodes: list[tuple[float, float, int, float, float | None, float]] = []
        for line in lines[header + 1 :]:
            number, x, y, demand, ready, due, service = (float(v) for v in line.split()[:7])
            if int(number) != len(nodes):
                raise ValueError(f"customer {int(number)} is out of order")
            nodes.append((x, y, int(demand), ready, due, service))
    except (StopIteration, IndexError, ValueError) as exc:
        raise ValueError(f"{path}: not a Solomon instance ({exc})") from exc
    return _build(
        name, nodes=nodes, vehicles=vehicles, capacity=capacity, scale=10, rounding="trunc"
    )


def read_vrplib(path: str | Path, *, text: str | None = None) -> Instance:
    """Read a VRPLIB ``.vrp`` file: CVRP (``EUC_2D``, nearest integer) or VRPTW (DIMACS)."""
    text = Path(path).read_text(encoding="utf-8") if text is None else text
    specs: dict[str, str] = {}
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if match := _SECTION.match(line):
            current = sections.setdefault(match.group(1), [])
        elif (match := _SPEC.match(line)) and not line[0].isdigit():
            specs[match.group(1).upper()] = match.group(2).strip()
            current = None
        elif current is not None:
            current.append(line.split())
    try:
        name = specs.get("NAME", Path(path).stem)
        if specs.get("EDGE_WEIGHT_TYPE", "EUC_2D") != "EUC_2D":
            raise ValueError(
                f"only EUC_2D instances are supported, not {specs['EDGE_WEIGHT_TYPE']}"
            )
        coords = {int(r[0]): (float(r[1]), float(r[2])) for r in sections["NODE_COORD_SECTION"]}
        demand = {int(r[0]): int(r[1]) for r in sections.get("DEMAND_SECTION", [])}
        windows = {
            int(r[0]): (float(r[1]), float(r[2])) for r in sections.get("TIME_WINDOW_SECTION", [])
        }
        service = {int(r[0]): float(r[1]) for r in sections.get("SERVICE_TIME_SECTION", [])}
        default_service = float(specs.get("SERVICE_TIME", 0))
        depots = [int(r[0]) for r in sections.get("DEPOT_SECTION", [["1"]]) if int(r[0]) > 0]
        capacity = int(specs["CAPACITY"])
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"{path}: not a supported VRPLIB instance ({exc})") from exc
    if depots != [1] or sorted(coords) != list(range(1, len(coords) + 1)):
        raise ValueError(f"{path}: expected nodes numbered from 1 with node 1 as the only depot")
    with_windows = bool(windows)
    nodes: list[tuple[float, float, int, float, float | None, float]] = []
    for node in sorted(coords):
        x, y = coords[node]
        ready, due = windows.get(node, (0.0, math.inf))
        nodes.append(
            (
                x,
                y,
                demand.get(node, 0),
                ready,
                None if math.isinf(due) else due,
                0.0 if node == 1 else service.get(node, default_service),
            )
        )
    vehicles = int(specs.get("VEHICLES", len(nodes) - 1))
    scale, rounding = (10, "trunc") if with_windows else (1, "round")
    return _build(
        name, nodes=nodes, vehicles=vehicles, capacity=capacity, scale=scale, rounding=rounding
    )
