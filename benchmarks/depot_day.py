"""A realistic depot day through the engine: 500 orders, 40 trucks of 4 types, Kenyan towns.

Times each phase from "Plan" to a plan ready to store: building the planning state from the
records a controller would read (and its JSON snapshot), the CFA (screening, travel matrices,
PyVRP with a 30 s limit, explanations), and reading the plan out. Saving the decision is added by
the decision-records work.

The day reuses the demo depot's customers, destinations and truck classes
(:mod:`senga_desktop.controllers.demo_data`), scaled up: more orders, a bigger fleet with
refrigerated, hazardous-goods and fragile-goods trucks, some of them away in other towns.

    .venv/bin/python benchmarks/depot_day.py [--orders 500] [--trucks 40] [--time-limit 30]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from senga_desktop.controllers.demo_data import (
    CUSTOMERS,
    DEMO_DEPOT,
    DEPOT_TZ,
    DESTINATIONS,
    PRIORITIES,
    TRUCK_TYPES,
)
from senga_desktop.domain import Priority, SpecialHandling
from senga_desktop.engine.policies import CFAPolicy
from senga_desktop.engine.state import Belief, Depot, OrderState, PlanningState, TruckState
from senga_desktop.gazetteer import haversine_km, load_gazetteer

NOW = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 08:00 in Nairobi, a Monday
FLEET_MIX = {"light": 0.35, "medium": 0.3, "heavy": 0.22, "semi": 0.13}
SHIFT_HOURS = {"light": 12.0, "medium": 12.0, "heavy": 36.0, "semi": 36.0}  # long haul: 2 drivers
FIXED_KES = {"light": 3000, "medium": 4500, "heavy": 7000, "semi": 12000}
AWAY_TOWNS = ("Nakuru", "Eldoret", "Mombasa", "Kisumu", "Thika", "Nyeri")
SURCHARGE = {"refrigerated": 0.25, "fragile": 0.10, "hazardous": 0.40}


def build_records(orders: int, trucks: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Order and vehicle rows as a controller reads them from the database (plain dicts)."""
    rng = random.Random(seed)
    gazetteer = load_gazetteer()
    towns = list(DESTINATIONS)
    rows: list[dict[str, Any]] = []
    for number in range(1, orders + 1):
        profile = rng.choices(CUSTOMERS, weights=[c.share for c in CUSTOMERS])[0]
        town = gazetteer.get(rng.choices(towns, weights=list(DESTINATIONS.values()))[0])
        assert town is not None
        low, high = profile.tonnes
        tonnes = round(0.2 * low + (high - low) * 0.5 * rng.random() ** 2.5, 2)
        handling = (
            [str(h) for h in profile.handling] if rng.random() < profile.handling_share else []
        )
        jitter, bearing = 3.0 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat = town.latitude + jitter * math.cos(bearing) / 111.32
        lon = town.longitude + jitter * math.sin(bearing) / (111.32 * math.cos(math.radians(lat)))
        opens, closes = profile.hours
        day = rng.choice((0, 0, 1))
        local = NOW.astimezone(DEPOT_TZ).replace(hour=opens, minute=0) + timedelta(days=day)
        start = local + timedelta(hours=rng.randint(0, max(0, closes - opens - 2)))
        end = min(start + timedelta(hours=rng.randint(2, 10)), local.replace(hour=closes))
        if end <= NOW:  # today's window already over: the customer wants it tomorrow
            start, end = start + timedelta(days=1), end + timedelta(days=1)
        priority = rng.choices(list(PRIORITIES), weights=list(PRIORITIES.values()))[0]
        km = 1.3 * haversine_km(DEMO_DEPOT.lat, DEMO_DEPOT.lon, lat, lon)
        markup = 1 + sum(SURCHARGE[h] for h in handling)
        rows.append(
            {
                "order_id": f"ORD-{number:05d}",
                "destination_city": town.name,
                "destination_location": {"lat": round(lat, 5), "lon": round(lon, 5)},
                "weight_tonnes": Decimal(str(max(tonnes, 0.05))),
                "volume_m3": Decimal(str(round(max(0.1, tonnes / profile.density), 1))),
                "time_window_start": start.astimezone(UTC),
                "time_window_end": end.astimezone(UTC),
                "priority": priority,
                "special_handling": handling,
                "price_kes": Decimal(round((2500 + 11 * tonnes * km) * markup)),
                "created_at": NOW - timedelta(hours=rng.uniform(0, 30)),
                "max_wait_hours": profile.max_wait_hours,
            }
        )
    vehicles: list[dict[str, Any]] = []
    kinds = [k for k, share in FLEET_MIX.items() for _ in range(round(share * trucks))]
    kinds = (kinds + ["light"] * trucks)[:trucks]
    for number, kind in enumerate(kinds, 1):
        spec = TRUCK_TYPES[kind]
        caps = ["covered"]
        if kind in ("light", "medium") and number % 3 == 0:
            caps.append(str(SpecialHandling.REFRIGERATED))
        if kind in ("heavy", "semi") and number % 2 == 0:
            caps.append(str(SpecialHandling.HAZARDOUS))
        if number % 5 != 0:
            caps.append(str(SpecialHandling.FRAGILE))
        away = AWAY_TOWNS[number % len(AWAY_TOWNS)] if number % 5 == 1 else None
        place = gazetteer.get(away) if away else None
        vehicles.append(
            {
                "vehicle_id": f"TRK-{number:03d}",
                "vehicle_type": kind,
                "capacity_weight_tonnes": spec.tonnes,
                "capacity_volume_m3": spec.volume_m3,
                "current_location": (
                    {"name": place.name, "lat": place.latitude, "lon": place.longitude}
                    if place
                    else {"name": "Nairobi", "lat": DEMO_DEPOT.lat, "lon": DEMO_DEPOT.lon}
                ),
                "available_at": NOW + timedelta(hours=rng.randint(2, 10) if place else 0),
                "fuel_cost_per_km": spec.fuel_kes_per_km,
                "driver_cost_per_hour": spec.driver_kes_per_hour,
                "fixed_cost_kes": Decimal(FIXED_KES[kind]),
                "max_shift_hours": Decimal(str(SHIFT_HOURS[kind])),
                "capabilities": caps,
            }
        )
    return {"orders": rows, "vehicles": vehicles}


def build_state(records: dict[str, list[dict[str, Any]]]) -> PlanningState:
    """What the planning controller does: rows → engine state."""
    orders = tuple(
        OrderState(
            order_id=r["order_id"],
            town=r["destination_city"],
            lat=r["destination_location"]["lat"],
            lon=r["destination_location"]["lon"],
            weight_kg=int(r["weight_tonnes"] * 1000),
            volume_dm3=int(r["volume_m3"] * 1000),
            window_start=r["time_window_start"],
            window_end=r["time_window_end"],
            priority=Priority(r["priority"]),
            special_handling=frozenset(r["special_handling"]),
            revenue_kes=r["price_kes"],
            created_at=r["created_at"],
            max_wait_hours=float(r["max_wait_hours"]),
        )
        for r in records["orders"]
    )
    trucks = tuple(
        TruckState(
            vehicle_id=v["vehicle_id"],
            vehicle_type=v["vehicle_type"],
            town=v["current_location"]["name"],
            lat=v["current_location"]["lat"],
            lon=v["current_location"]["lon"],
            free_from=v["available_at"],
            capacity_kg=int(v["capacity_weight_tonnes"] * 1000),
            capacity_dm3=int(v["capacity_volume_m3"] * 1000),
            capabilities=frozenset(v["capabilities"]),
            cost_per_km=v["fuel_cost_per_km"],
            cost_per_hour=v["driver_cost_per_hour"],
            fixed_cost=v["fixed_cost_kes"],
            shift_hours=float(v["max_shift_hours"]),
        )
        for v in records["vehicles"]
    )
    depot = Depot(name=DEMO_DEPOT.name, town="Nairobi", lat=DEMO_DEPOT.lat, lon=DEMO_DEPOT.lon)
    return PlanningState(now=NOW, depot=depot, orders=orders, trucks=trucks, belief=Belief())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--trucks", type=int, default=40)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    records = build_records(args.orders, args.trucks, args.seed)
    t0 = time.perf_counter()
    state = build_state(records)
    snapshot = json.dumps(state.to_json())
    t1 = time.perf_counter()
    progress: list[float] = []
    decision = CFAPolicy().decide(
        state, seed=args.seed, time_limit=args.time_limit, progress=lambda f, c: progress.append(f)
    )
    t2 = time.perf_counter()
    plan = decision.plan
    document = json.dumps(plan.to_json())
    t3 = time.perf_counter()

    reasons = Counter(str(r.code) for r in decision.held.values())
    kg = sum(r.load_kg for r in plan.routes)
    fleet = ", ".join(f"{n} {k}" for k, n in Counter(t.vehicle_type for t in state.trucks).items())
    print(f"Depot day: {len(state.orders)} orders, {len(state.trucks)} trucks ({fleet}), "
          f"{len({o.town for o in state.orders})} towns")  # fmt: skip
    print(f"  state building + JSON snapshot  {t1 - t0:7.3f} s  ({len(snapshot) / 1e6:.2f} MB)")
    print(f"  CFA decide (solver {args.time_limit:g} s)      {t2 - t1:7.3f} s  "
          f"(solver {plan.runtime_s:.2f} s, {plan.iterations} iterations)")  # fmt: skip
    print(f"  plan read-out + JSON           {t3 - t2:7.3f} s  ({len(document) / 1e3:.0f} kB)")
    print(f"  total                          {t3 - t0:7.3f} s  (target < 40 s incl. the DB save)")
    print(f"  routes {len(plan.routes)}, orders routed {len(plan.order_ids)}, "
          f"held/left out {len(decision.held)}: {dict(reasons)}")  # fmt: skip
    print(f"  cost KES {plan.cost_kes:,} (objective with declined prizes {plan.objective_kes:,}), "
          f"distance {plan.distance_m / 1000:,.0f} km, "
          f"{kg / 1000:,.1f} t carried, feasible {plan.feasible}, "
          f"progress reports {len(progress)}")  # fmt: skip


if __name__ == "__main__":
    main()
