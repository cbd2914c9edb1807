"""How long the fleet board takes to build for a big fleet: 1,000 trucks by default.

Times the controller call the board screen makes (:func:`senga_desktop.controllers.fleet.board`,
including the permission check, the SQL and building the frozen rows) with no filter and with
each kind of filter, plus fetching one truck for the edit form. The fleet mixes the catalogue's
types, all statuses, towns across Kenya, capabilities, and about 400 committed routes today, so
"today's use" has work to do. The actor is a dispatcher with a real account row, so the
permission check reads it as in the app.

    .venv/bin/python benchmarks/fleet_board.py [--trucks 1000] [--repeat 30]
        [--database-url postgresql://…/scratch]   # default: a temporary SQLite file

A given database must be new or empty: the benchmark fills it. The target is well under 300 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from senga_desktop.controllers import fleet
from senga_desktop.controllers.fleet import BoardQuery
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.vehicle_types import load_vehicle_types
from senga_desktop.db import migrate
from senga_desktop.db.engine import Database, open_database
from senga_desktop.db.models import Route, User, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role, RouteStatus, SpecialHandling, VehicleStatus
from senga_desktop.gazetteer import load_gazetteer

TARGET_MS = 300
STATUS_MIX = {
    VehicleStatus.AVAILABLE: 0.62,
    VehicleStatus.ON_ROUTE: 0.22,
    VehicleStatus.MAINTENANCE: 0.07,
    VehicleStatus.OFF_DUTY: 0.06,
    VehicleStatus.RETIRED: 0.03,
}
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _plate(rng: random.Random, taken: set[str]) -> str:
    while True:
        plate = (
            f"K{rng.choice('BCD')}{rng.choice(LETTERS)} {rng.randint(100, 999)}"
            f"{rng.choice(LETTERS)}"
        )
        if plate not in taken:
            taken.add(plate)
            return plate


def fill(database: Database, trucks: int, now: datetime, seed: int = 7) -> Actor:
    """Add ``trucks`` trucks, their routes of the day and a dispatcher; return the dispatcher."""
    rng = random.Random(seed)
    types = load_vehicle_types().types
    towns = load_gazetteer().towns
    plates: set[str] = set()
    vehicles: list[dict[str, Any]] = []
    for number in range(1, trucks + 1):
        kind = rng.choice(types)
        status = rng.choices(list(STATUS_MIX), weights=list(STATUS_MIX.values()))[0]
        town = rng.choice(towns)
        extras = [SpecialHandling.TAIL_LIFT] if rng.random() < 0.1 else []
        extras += [SpecialHandling.HAZARDOUS] if rng.random() < 0.05 else []
        vehicles.append(
            {
                "vehicle_id": f"TRK-{number:04d}",
                "registration_plate": _plate(rng, plates),
                "vehicle_type": kind.label,
                "capacity_weight_tonnes": kind.capacity_weight_tonnes,
                "capacity_volume_m3": kind.capacity_volume_m3,
                "current_location": {
                    "name": town.name,
                    "lat": town.latitude,
                    "lon": town.longitude,
                },
                "status": status,
                "available_at": now + timedelta(minutes=rng.randint(-600, 2400)),
                "fuel_cost_per_km": kind.fuel_cost_per_km,
                "driver_cost_per_hour": kind.driver_cost_per_hour,
                "fixed_cost_kes": kind.fixed_cost_kes,
                "max_shift_hours": kind.max_shift_hours,
                "capabilities": sorted({*(c.value for c in kind.capabilities), *extras}),
                "notes": "Service due" if rng.random() < 0.1 else None,
            }
        )
    with unit_of_work(database.sessions) as session:
        if session.scalar(select(func.count()).select_from(Vehicle)):
            raise SystemExit("The database already has trucks: give a new or empty one.")
        session.execute(insert(Vehicle), vehicles)
        ids = dict(session.execute(select(Vehicle.vehicle_id, Vehicle.id)).all())
        routes = []
        for number, truck in enumerate(vehicles):
            if truck["status"] not in (VehicleStatus.ON_ROUTE, VehicleStatus.AVAILABLE):
                continue
            if rng.random() < 0.45:
                on_road = truck["status"] is VehicleStatus.ON_ROUTE
                routes.append(
                    {
                        "route_id": f"RT-BENCH-{number:05d}",
                        "vehicle_id": ids[truck["vehicle_id"]],
                        "order_ids": [f"ORD-B{number:05d}-{i}" for i in range(rng.randint(1, 6))],
                        "destination_cities": [rng.choice(towns).name],
                        "total_distance_km": Decimal(rng.randint(20, 600)),
                        "estimated_duration_minutes": rng.randint(60, 600),
                        "estimated_cost_kes": Decimal(rng.randint(5000, 90000)),
                        "status": RouteStatus.IN_PROGRESS if on_road else RouteStatus.PLANNED,
                        "planned_start": now + timedelta(minutes=rng.randint(-240, 480)),
                    }
                )
        session.execute(insert(Route), routes)
        user = User(username="bench-dispatcher", hashed_password="(not a hash)", role=Role.USER)
        session.add(user)
        session.flush()
        print(f"Filled: {trucks} trucks, {len(routes)} committed routes today.")
        return Actor(user.id, user.username, user.role)


def measure(call: Callable[[], Any], repeat: int) -> tuple[list[float], list[float], Any]:
    """Wall-clock and this process's CPU milliseconds per call.

    CPU time shows the call's own cost when other work shares the machine (wall-clock then
    includes waiting for a core); for PostgreSQL it leaves out the server's share.
    """
    result = call()  # warm-up: first connection, statement compilation caches
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = call()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trucks", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", help="A new or empty database (default: temp SQLite).")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'fleet-bench.sqlite3'}"
        database = open_database(url)
        try:
            migrate.upgrade(database)
            now = datetime.now(UTC)
            actor = fill(database, args.trucks, now)
            some = fleet.board(database.sessions, actor).vehicles[args.trucks // 2]
            cases: dict[str, Callable[[], Any]] = {
                "board, no filter": lambda: fleet.board(database.sessions, actor),
                "board, retired too": lambda: fleet.board(
                    database.sessions, actor, BoardQuery(include_retired=True)
                ),
                "board, town Nakuru": lambda: fleet.board(
                    database.sessions, actor, BoardQuery(town="Nakuru")
                ),
                "board, type 10 t": lambda: fleet.board(
                    database.sessions, actor, BoardQuery(vehicle_type="10t")
                ),
                "board, can carry covered": lambda: fleet.board(
                    database.sessions, actor, BoardQuery(capability=SpecialHandling.COVERED)
                ),
                "board, plate search 'kd'": lambda: fleet.board(
                    database.sessions, actor, BoardQuery(plate_text="kd")
                ),
                "one truck (edit form)": lambda: fleet.get_vehicle(
                    database.sessions, actor, some.id
                ),
            }
            print(f"Database: {database.display_url} ({database.backend})")
            print(
                f"{'call':<28}{'shown':>7}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'CPU ms':>9}"
            )
            worst = 0.0
            for name, call in cases.items():
                times, cpu, result = measure(call, args.repeat)
                shown = result.total if isinstance(result, fleet.Board) else 1
                p95 = statistics.quantiles(times, n=20)[-1]
                worst = max(worst, p95)
                print(
                    f"{name:<28}{shown:>7}{statistics.median(times):>11.1f}{p95:>9.1f}"
                    f"{max(times):>9.1f}{statistics.median(cpu):>9.1f}"
                )
            verdict = "within" if worst < TARGET_MS else "OVER"
            print(f"Slowest p95 {worst:.1f} ms: {verdict} the {TARGET_MS} ms target.")
        finally:
            database.dispose()


if __name__ == "__main__":
    main()
