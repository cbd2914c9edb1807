"""How fast a month's route outcomes import: 10,000 committed routes completed from one CSV.

Builds a database with ``--routes`` committed routes (bulk inserts: trucks, customers, routes,
their stops and 1-3 assigned orders each), writes a CSV with one outcome row per route (some
with failed orders), then times the preview and the commit separately and prints them.

    .venv/bin/python benchmarks/outcomes_import.py                       # SQLite in /tmp
    .venv/bin/python benchmarks/outcomes_import.py --database-url postgresql://…/bench

The database must be empty (it is rebuilt each run: the import completes every route). Target
(issue 15): preview + commit of 10,000 rows < 10 s.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from senga_desktop.controllers.imports.outcomes import commit_outcomes, preview_outcomes
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db import migrate
from senga_desktop.db.engine import Database, open_database
from senga_desktop.db.models import Customer, Order, Route, RouteStop, User, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Role, RouteStatus, StopType, VehicleStatus

DEFAULT_FILE = Path(tempfile.gettempdir()) / "senga-bench-outcomes.sqlite3"
TARGET_S = 10.0
DEPOT = {"name": "Depot", "lat": -1.309, "lon": 36.848}
NAKURU = {"name": "Nakuru", "address": "Kenyatta Avenue", "lat": -0.3031, "lon": 36.08}
TRUCKS = 400


def _ids(database: Database, model: Any, key: Any) -> dict[str, int]:
    with unit_of_work(database.sessions) as session:
        return {row[0]: row[1] for row in session.execute(select(key, model.id))}


def build(database: Database, routes: int, seed: int = 7) -> list[tuple[str, list[str]]]:
    """Fill an empty, migrated database; the routes and their orders, in order."""
    rng = random.Random(seed)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=40)
    with unit_of_work(database.sessions) as session:
        session.add(User(username="bench", hashed_password="-", role=Role.ADMIN))
        session.execute(insert(Vehicle), [
            {"vehicle_id": f"KDX {n:03d}B", "vehicle_type": "10 t rigid truck",
             "capacity_weight_tonnes": Decimal(10), "capacity_volume_m3": Decimal(40),
             "current_location": NAKURU, "status": VehicleStatus.ON_ROUTE,
             "fuel_cost_per_km": Decimal(85), "driver_cost_per_hour": Decimal(600)}
            for n in range(TRUCKS)
        ])  # fmt: skip
        session.execute(insert(Customer), [
            {"customer_id": f"CUST-{n:04d}", "customer_name": f"Customer {n} Ltd",
             "constraints": {}, "preferences": {}}
            for n in range(1, 201)
        ])  # fmt: skip
    trucks = list(_ids(database, Vehicle, Vehicle.vehicle_id).values())
    customers = list(_ids(database, Customer, Customer.customer_id).values())
    plan = [
        (f"DEC-BENCH-{n // 10:05d}-R{n % 10 + 1:02d}",
         [f"ORD-B{n:05d}-{k}" for k in range(rng.randint(1, 3))])
        for n in range(routes)
    ]  # fmt: skip
    with unit_of_work(database.sessions) as session:
        session.execute(insert(Route), [
            {"route_id": route_id, "vehicle_id": trucks[n % len(trucks)], "order_ids": orders,
             "destination_cities": ["Nakuru"], "total_distance_km": Decimal("160.5"),
             "estimated_duration_minutes": 240, "estimated_cost_kes": Decimal("15300.00"),
             "status": RouteStatus.PLANNED, "planned_start": start + timedelta(hours=n % 700)}
            for n, (route_id, orders) in enumerate(plan)
        ])  # fmt: skip
    keys = _ids(database, Route, Route.route_id)
    with unit_of_work(database.sessions) as session:
        session.execute(insert(RouteStop), [
            {"stop_id": f"{route_id}-S{k + 1:02d}", "route_id": keys[route_id],
             "order_ids": [order], "location": NAKURU, "stop_type": StopType.DELIVERY,
             "sequence_order": k}
            for route_id, orders in plan for k, order in enumerate(orders)
        ])  # fmt: skip
        window = start + timedelta(days=1)
        session.execute(insert(Order), [
            {"order_id": order, "customer_id": rng.choice(customers), "pickup_location": DEPOT,
             "destination_city": "Nakuru", "destination_location": NAKURU,
             "weight_tonnes": Decimal("2.5"), "volume_m3": Decimal(8),
             "time_window_start": window, "time_window_end": window + timedelta(hours=8),
             "special_handling": [], "price_kes": Decimal(rng.randrange(5000, 60000)),
             "status": OrderStatus.ASSIGNED, "assigned_route_id": keys[route_id]}
            for route_id, orders in plan for order in orders
        ])  # fmt: skip
    with database.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    return plan


def write_file(path: Path, plan: list[tuple[str, list[str]]], seed: int = 11) -> None:
    """One outcome row per route: about one route in ten has a failed order."""
    rng = random.Random(seed)
    returned = datetime.now(UTC) - timedelta(days=1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["route_id", "actual_distance_km", "actual_duration_minutes",
                         "actual_cost_kes", "delivered", "late", "failed", "failed_orders",
                         "departed_at", "returned_at", "fuel_litres", "notes"])  # fmt: skip
        for route_id, orders in plan:
            failed = orders[-1:] if rng.random() < 0.1 else []
            late = 1 if len(orders) - len(failed) > 1 and rng.random() < 0.3 else 0
            minutes = rng.randrange(150, 420)
            back = returned - timedelta(minutes=rng.randrange(0, 20 * 24 * 60))
            left = back - timedelta(minutes=minutes)
            writer.writerow([
                route_id, f"{rng.uniform(120, 220):.1f}", minutes, rng.randrange(9000, 30000),
                len(orders) - len(failed) - late, late, len(failed), ";".join(failed),
                left.strftime("%Y-%m-%dT%H:%M+00:00"), back.strftime("%Y-%m-%dT%H:%M+00:00"),
                f"{rng.uniform(30, 80):.1f}", "",
            ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DEFAULT_FILE}",
                        help="an empty database, or a SQLite file to replace")  # fmt: skip
    parser.add_argument("--routes", type=int, default=10_000)
    args = parser.parse_args()
    url = make_url(args.database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        for suffix in ("", "-wal", "-shm"):
            Path(url.database + suffix).unlink(missing_ok=True)
    database = open_database(args.database_url)
    try:
        migrate.upgrade(database)
        began = time.perf_counter()
        plan = build(database, args.routes)
        orders = sum(len(o) for _, o in plan)
        print(f"built {len(plan):,} committed routes, {orders:,} orders "
              f"in {time.perf_counter() - began:.1f} s ({url.get_backend_name()})")  # fmt: skip
        with unit_of_work(database.sessions) as session:
            user = session.scalars(select(User).where(User.username == "bench")).one()
            actor = Actor(user.id, user.username, user.role)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "outcomes.csv"
            write_file(path, plan)
            began = time.perf_counter()
            preview = preview_outcomes(database.sessions, actor, path)
            preview_s = time.perf_counter() - began
            assert preview.is_clean, [str(p) for p in preview.problems[:5]]
            began = time.perf_counter()
            result = commit_outcomes(database.sessions, actor, preview)
            commit_s = time.perf_counter() - began
        assert result.written == len(plan)
        both = preview_s + commit_s
        flag = "" if both < TARGET_S else "   <-- over target"
        print(f"import {len(plan):,} outcome rows: preview {preview_s:.2f} s + commit "
              f"{commit_s:.2f} s = {both:.2f} s (target < {TARGET_S:.0f} s){flag}")  # fmt: skip
    finally:
        database.dispose()


if __name__ == "__main__":
    main()
