"""How fast the order list and the order import are on a busy depot's database.

Builds (or with ``--reuse`` reuses) a database with 100,000 orders and 1,000 customers, then times
the list's first page, every filter, every sort column both ways, and a 10,000-row CSV import, and
prints a table in milliseconds (median of ``--runs`` runs after one warm-up run).

    .venv/bin/python benchmarks/orders_list.py                      # SQLite in /tmp
    .venv/bin/python benchmarks/orders_list.py --reuse              # same file, skip building
    .venv/bin/python benchmarks/orders_list.py --database-url postgresql://…/bench

Targets (issue 5): first page and any filter or sort < 300 ms; importing 10,000 rows < 5 s.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from senga_desktop.controllers.imports import commit_orders, preview_orders
from senga_desktop.controllers.orders_query import OrderQuery, OrderSort, list_orders
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db import migrate
from senga_desktop.db.engine import Database, open_database
from senga_desktop.db.models import Customer, Order, User, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, Priority, Role
from senga_desktop.gazetteer import load_gazetteer

DEFAULT_URL = "sqlite:////tmp/senga-bench-orders.sqlite3"
TARGET_LIST_MS = 300.0
TARGET_IMPORT_MS = 5000.0
NAIROBI = ZoneInfo("Africa/Nairobi")
STATUSES = {
    OrderStatus.PENDING: 15, OrderStatus.ASSIGNED: 4, OrderStatus.IN_TRANSIT: 2,
    OrderStatus.DELIVERED: 65, OrderStatus.FAILED: 2, OrderStatus.CANCELLED: 12,
}  # fmt: skip
PRIORITIES = {Priority.LOW: 15, Priority.NORMAL: 55, Priority.HIGH: 22, Priority.URGENT: 8}
FIRST_WORDS = (
    "Jamii",
    "Simba",
    "Baraka",
    "Upendo",
    "Neema",
    "Tumaini",
    "Amani",
    "Pwani",
    "Kilimo",
    "Mwangaza",
    "Umoja",
    "Shamba",
    "Maji",
    "Afya",
    "Bidii",
    "Faraja",
)
SECOND_WORDS = (
    "Hardware",
    "Supermarkets",
    "Distributors",
    "Millers",
    "Traders",
    "Pharmacy",
    "Agrovet",
    "Bottlers",
    "Wholesalers",
    "Electricals",
    "Dairies",
    "Textiles",
)
STREETS = ("Moi Avenue", "Kenyatta Avenue", "Station Road", "Biashara Street")
TOWN_WEIGHTS = {"Nairobi": 30, "Mombasa": 8, "Kisumu": 6, "Nakuru": 6, "Eldoret": 5,
                "Thika": 5, "Machakos": 4, "Nyeri": 3, "Meru": 3, "Ruiru": 3}  # fmt: skip


def build(database: Database, orders: int, customers: int, seed: int = 7) -> None:
    """Fill an empty, migrated database. Orders span two years of windows and creation times."""
    rng = random.Random(seed)
    gazetteer = load_gazetteer()
    towns = [t.name for t in gazetteer]
    weights = [TOWN_WEIGHTS.get(t, 1) for t in towns]
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with unit_of_work(database.sessions) as session:
        session.add(User(username="bench", hashed_password="-", role=Role.ADMIN))
        session.execute(insert(Vehicle), [
            {"vehicle_id": f"KDX {n:03d}B", "vehicle_type": "Semi-trailer 28 t",
             "capacity_weight_tonnes": Decimal(28), "capacity_volume_m3": Decimal(76),
             "current_location": {"name": "Depot", "lat": -1.309, "lon": 36.848},
             "fuel_cost_per_km": Decimal(125), "driver_cost_per_hour": Decimal(650)}
            for n in range(1, 6)
        ])  # fmt: skip
        session.execute(insert(Customer), [
            {"customer_id": f"CUST-{n:04d}",
             "customer_name": f"{rng.choice(FIRST_WORDS)} {rng.choice(SECOND_WORDS)} {n} Ltd",
             "phone": f"+2547{rng.randrange(10**8):08d}", "constraints": {"max_wait_hours": 24},
             "preferences": {}}
            for n in range(1, customers + 1)
        ])  # fmt: skip
        ids = list(session.scalars(select(Customer.id)))
        sequence: dict[str, int] = {}
        batch: list[dict[str, Any]] = []
        for _ in range(orders):
            created = now - timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
            start = created + timedelta(hours=rng.randrange(2, 72))
            month = created.astimezone(NAIROBI).strftime("%y%m")
            sequence[month] = sequence.get(month, 0) + 1
            town = gazetteer.get(rng.choices(towns, weights)[0])
            assert town is not None
            tonnes = Decimal(rng.randrange(100, 20000)) / 1000
            batch.append({
                "order_id": f"ORD-{month}-{sequence[month]:05d}",
                "customer_id": rng.choice(ids),
                "pickup_location": {"name": "Depot", "address": "Nairobi", "lat": -1.309,
                                    "lon": 36.848},
                "destination_city": town.name,
                "destination_location": {"name": town.name, "lat": town.latitude,
                                         "lon": town.longitude,
                                         "address": f"Plot {rng.randrange(1, 900)}, "
                                                    f"{rng.choice(STREETS)}, {town.name}"},
                "weight_tonnes": tonnes,
                "volume_m3": (tonnes * Decimal("2.5")).quantize(Decimal("0.001")),
                "time_window_start": start,
                "time_window_end": start + timedelta(hours=rng.randrange(2, 10)),
                "priority": rng.choices(list(PRIORITIES), list(PRIORITIES.values()))[0],
                "special_handling": [],
                "price_kes": Decimal(rng.randrange(2000, 250000)),
                "status": rng.choices(list(STATUSES), list(STATUSES.values()))[0],
                "created_at": created,
                "updated_at": created,
            })  # fmt: skip
            if len(batch) == 10_000:
                session.execute(insert(Order), batch)
                batch = []
        if batch:
            session.execute(insert(Order), batch)
    if database.backend == "postgresql":
        with database.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    else:
        with database.engine.connect() as connection:
            connection.execute(text("ANALYZE"))


def bench_actor(database: Database) -> Actor:
    with unit_of_work(database.sessions) as session:
        user = session.scalars(select(User).where(User.username == "bench")).one()
        return Actor(user.id, user.username, user.role)


def timed(action: Callable[[], object], runs: int) -> float:
    """Median milliseconds of ``runs`` runs after one warm-up."""
    action()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def write_import_file(path: Path, rows: int, customers: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    towns = [t.name for t in load_gazetteer()]
    start = datetime.now(NAIROBI).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "destination_city", "destination_address",
                         "destination_lat", "destination_lon", "weight_tonnes", "volume_m3",
                         "window_start", "window_end", "priority", "special_handling",
                         "price_kes"])  # fmt: skip
        for _ in range(rows):
            begins = start + timedelta(hours=rng.randrange(0, 96))
            writer.writerow([
                f"CUST-{rng.randrange(1, customers + 1):04d}", rng.choice(towns),
                f"Plot {rng.randrange(1, 900)}, Moi Avenue", "", "",
                f"{rng.uniform(0.2, 20):.2f}", f"{rng.uniform(0.5, 60):.1f}",
                begins.strftime("%d/%m/%Y %H:%M"),
                (begins + timedelta(hours=6)).strftime("%d/%m/%Y %H:%M"),
                rng.choice(["normal", "high", "low", "urgent"]),
                rng.choice(["", "", "", "fragile", "refrigerated;tail_lift"]),
                rng.randrange(2000, 90000),
            ])  # fmt: skip


#: Indexes proposed for a migration (see the closing note of issue 5); ``--proposed-indexes``
#: creates them here so the figures with them can be compared.
PROPOSED_INDEXES = ("CREATE INDEX IF NOT EXISTS ix_orders_status_created ON orders "
                    "(status, created_at)",)  # fmt: skip


def list_cases(database: Database, actor: Actor) -> list[tuple[str, Callable[[], object]]]:
    with unit_of_work(database.sessions) as session:
        some = session.execute(select(Order.time_window_start).limit(1)).scalar_one()

    def page(**fields: Any) -> Callable[[], object]:
        query = OrderQuery(**fields)
        return lambda: list_orders(database.sessions, actor, query)

    week = some.replace(hour=0, minute=0, second=0, microsecond=0)
    pending = frozenset({OrderStatus.PENDING})
    cases: list[tuple[str, Callable[[], object]]] = [
        ("first page (newest first)", page()),
        ("status = pending", page(statuses=pending)),
        ("status = in_transit", page(statuses=frozenset({OrderStatus.IN_TRANSIT}))),
        ("status in pending, assigned",
         page(statuses=frozenset({OrderStatus.PENDING, OrderStatus.ASSIGNED}))),
        ("town = Nakuru", page(town="Nakuru")),
        ("customer = CUST-0500", page(customer_id="CUST-0500")),
        ("window start in one week", page(window_from=week, window_to=week + timedelta(days=7))),
        ("text 'kenyatta' (address)", page(text="kenyatta")),
        ("text 'baraka' (customer)", page(text="baraka")),
        ("text 'ORD-2' (order number)", page(text="ORD-2")),
        ("text 'nakuru' + status pending", page(text="nakuru", statuses=pending)),
        ("town + status + week", page(town="Nairobi", statuses=pending, window_from=week,
                                      window_to=week + timedelta(days=7))),
        ("pending, sorted by window start", page(statuses=pending, sort=OrderSort.WINDOW_START,
                                                 descending=False)),
        ("page 1,000 (offset 49,950)", page(offset=49_950)),
    ]  # fmt: skip
    for sort in OrderSort:
        for descending in (False, True):
            label = f"sort {sort.value} {'desc' if descending else 'asc'}"
            cases.append((label, page(sort=sort, descending=descending)))
    return cases


def time_import(database: Database, actor: Actor, rows: int, customers: int) -> float:
    """Milliseconds to preview and commit a ``rows``-row CSV (median of 3); prints the split."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders-import.csv"
        write_import_file(path, rows, customers)
        previews, commits = [], []
        for _ in range(3):
            began = time.perf_counter()
            preview = preview_orders(database.sessions, actor, path)
            previews.append((time.perf_counter() - began) * 1000)
            assert preview.is_clean, preview.problems[:5]
            began = time.perf_counter()
            commit_orders(database.sessions, actor, preview)
            commits.append((time.perf_counter() - began) * 1000)
    preview_ms, commit_ms = statistics.median(previews), statistics.median(commits)
    both = preview_ms + commit_ms
    flag = "" if both < TARGET_IMPORT_MS else "   <-- over target"
    print(f"\nimport {rows:,} rows: preview {preview_ms:.0f} ms + commit {commit_ms:.0f} ms = "
          f"{both:.0f} ms (median of 3){flag}")  # fmt: skip
    return both


def prepare(args: argparse.Namespace) -> Database | None:
    if not args.reuse and args.database_url == DEFAULT_URL:
        for suffix in ("", "-wal", "-shm"):
            Path(f"/tmp/senga-bench-orders.sqlite3{suffix}").unlink(missing_ok=True)
    database = open_database(args.database_url)
    migrate.upgrade(database)
    with unit_of_work(database.sessions) as session:
        existing = session.scalar(select(func.count()).select_from(Order)) or 0
    if not args.reuse:
        if existing:
            print("The database holds orders already: give --reuse, or an empty database.")
            database.dispose()
            return None
        began = time.perf_counter()
        build(database, args.orders, args.customers)
        print(f"Built {args.orders:,} orders and {args.customers:,} customers in "
              f"{time.perf_counter() - began:.1f} s.")  # fmt: skip
    if args.proposed_indexes:
        with database.engine.begin() as connection:
            for statement in PROPOSED_INDEXES:
                connection.execute(text(statement))
            connection.execute(text("ANALYZE"))
    return database


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true", help="Use the database as it is.")
    parser.add_argument(
        "--proposed-indexes",
        action="store_true",
        help="Create the indexes proposed for a migration first.",
    )
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=1_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()  # fmt: skip

    database = prepare(args)
    if database is None:
        return 2
    actor = bench_actor(database)
    with unit_of_work(database.sessions) as session:
        total = session.scalar(select(func.count()).select_from(Order)) or 0
        customers = session.scalar(select(func.count()).select_from(Customer)) or 1
    print(f"{database.backend}: {total:,} orders, {customers:,} customers; median of "
          f"{args.runs} runs after a warm-up, in ms\n")  # fmt: skip
    worst = 0.0
    print(f"{'case':<44}{'ms':>9}")
    for label, action in list_cases(database, actor):
        ms = timed(action, args.runs)
        worst = max(worst, ms)
        flag = "" if ms < TARGET_LIST_MS else "   <-- over target"
        print(f"{label:<44}{ms:9.1f}{flag}")
    both = time_import(database, actor, args.import_rows, min(customers, args.customers))
    print(f"slowest list query: {worst:.1f} ms (target {TARGET_LIST_MS:.0f} ms)")
    database.dispose()
    return 0 if worst < TARGET_LIST_MS and both < TARGET_IMPORT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
