"""A realistic depot day from "Plan" to a stored decision, through the planning controller.

500 orders and 40 trucks of 4 types across Kenyan towns (the same day as
``benchmarks/depot_day.py``) are written to a database, then one CFA planning run with a 30 s
solver limit is timed: reading the state, deciding, and saving the decision with its routes.
Targets: under 40 s in all, state building and saving together under 3 s.

    .venv/bin/python benchmarks/plan_depot_day.py [--database-url URL] [--time-limit 30]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from depot_day import NOW, build_records

from senga_desktop.controllers import planning
from senga_desktop.controllers.database import open_configured
from senga_desktop.controllers.permissions import COMMAND_LINE
from senga_desktop.db.models import Customer, Decision, Order, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import PolicyName


def load(url: str, orders: int, trucks: int) -> None:
    records = build_records(orders, trucks, seed=7)
    opened = open_configured(url)
    with unit_of_work(opened.database.sessions) as session:
        customer = Customer(customer_id="CUST-BENCH", customer_name="Benchmark customers",
                            constraints={"max_wait_hours": 24}, preferences={})  # fmt: skip
        session.add(customer)
        for row in records["orders"]:
            fields = {k: v for k, v in row.items() if k not in ("created_at", "max_wait_hours")}
            fields["destination_location"] = {"name": row["destination_city"],
                                              **row["destination_location"]}  # fmt: skip
            session.add(Order(customer=customer, pickup_location={"name": "Depot"}, **fields))
        for row in records["vehicles"]:
            # Two drivers relay on long haul, but a shift stays within a day in the fleet data.
            row["max_shift_hours"] = min(row["max_shift_hours"], Decimal(24))
            row["capabilities"] = [c for c in row["capabilities"] if c != "fragile"]
            session.add(Vehicle(**row))
    opened.database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--trucks", type=int, default=40)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'depot-day.sqlite3'}"
    load(url, args.orders, args.trucks)
    opened = open_configured(url)
    sessions = opened.database.sessions
    request = planning.PlanRequest(policy=PolicyName.CFA, seed=args.seed,
                                   time_limit=args.time_limit)  # fmt: skip
    started = time.perf_counter()
    summary = planning.plan(sessions, COMMAND_LINE, request, now=NOW)
    total = time.perf_counter() - started
    with unit_of_work(sessions) as session:
        run = session.query(Decision).one().state_snapshot["run"]
    read_s, decide_s = run["read_ms"] / 1000, run["decide_ms"] / 1000
    save_s = total - read_s - decide_s
    backend = opened.database.backend
    print(f"depot day on {backend}: {args.orders} orders, {args.trucks} trucks, CFA, "
          f"solver limit {args.time_limit:g} s")  # fmt: skip
    print(f"  read state (S_t)          {read_s:7.3f} s")
    print(f"  decide (policy + solver)  {decide_s:7.3f} s")
    print(f"  save decision + routes    {save_s:7.3f} s")
    print(f"  state building + saving   {read_s + save_s:7.3f} s   (target < 3 s)")
    print(f"  Plan -> stored decision   {total:7.3f} s   (target < 40 s)")
    print(f"  {len(summary.routes)} routes, {len(summary.orders_routed)} orders routed, "
          f"{len(summary.held)} held, KES {summary.total_cost_kes:,.2f}")  # fmt: skip
    opened.database.dispose()


if __name__ == "__main__":
    main()
