"""Plans for the planning-screen and plan-panel tests: a real one planned on demo data, and a
large synthetic one (40 routes, 500 stops) built from the read models for paint-time checks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pytestqt.qtbot import QtBot

from senga_desktop.controllers import planning
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.plan_views import (
    DecisionView,
    DepotPoint,
    HeldView,
    RouteView,
    StopView,
)
from senga_desktop.controllers.planning import PlanRequest
from senga_desktop.controllers.planning_views import decision_view, totals_of
from senga_desktop.db.engine import Database
from senga_desktop.domain import DecisionType, PolicyName, RouteStatus
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.planning import PlanningPage
from senga_desktop.ui.tasks import SyncTaskRunner

NAIROBI = DepotPoint("Nairobi depot", "Nairobi", -1.2921, 36.8219, "Africa/Nairobi")


def planned_view(
    database: Database, actor: Actor, policy: PolicyName = PolicyName.CFA, iterations: int = 80
) -> DecisionView:
    """Plan the seeded demo day (quickly) and read the decision back as the screens do."""
    summary = planning.plan(
        database.sessions,
        actor,
        PlanRequest(policy=policy, time_limit=None, max_iterations=iterations),
    )
    return decision_view(database.sessions, actor, summary.decision_id)


def focused_page(
    qtbot: QtBot, database: Database, actor: Actor, *, size: tuple[int, int], iterations: int = 60
) -> PlanningPage:
    """The Planning screen shown with the keyboard focus (for its shortcuts), planning quickly."""
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=actor)
    page = PlanningPage(context=context)
    qtbot.addWidget(page)
    page.resize(*size)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.activated()
    page.policy_form.max_iterations.setValue(iterations)
    return page


def big_view(routes: int = 40, stops: int = 500, held: int = 30, seed: int = 7) -> DecisionView:
    """A plan of ``routes`` routes and ``stops`` stops around Kenya, with ``held`` held orders."""
    rng = random.Random(seed)
    start = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
    views: list[RouteView] = []
    per_route = [stops // routes + (1 if i < stops % routes else 0) for i in range(routes)]
    number = 0
    for r, count in enumerate(per_route):
        load = Decimal(count) * Decimal("0.35")
        made: list[StopView] = []
        for s in range(count):
            number += 1
            eta = start + timedelta(minutes=45 * (s + 1))
            made.append(
                StopView(
                    sequence=s + 1,
                    order_ids=(f"ORD-{number:05d}",),
                    customers=(f"Customer {number}",),
                    town=f"Town {r}-{s}",
                    lat=rng.uniform(-4.5, 3.5),
                    lon=rng.uniform(34.2, 41.5),
                    eta=eta,
                    departure=eta + timedelta(minutes=15),
                    window_start=start,
                    window_end=start + timedelta(hours=10),
                    weight_tonnes=Decimal("0.35"),
                    volume_m3=Decimal("1.2"),
                    load_after_tonnes=load - Decimal("0.35") * (s + 1),
                    load_after_m3=Decimal("1.2") * (count - s - 1),
                    special_handling=("fragile",) if s % 7 == 0 else (),
                    revenue_kes=Decimal(4000),
                )
            )
        views.append(
            RouteView(
                route_id=f"RT-{r:03d}",
                vehicle_id=f"KD{chr(65 + r % 26)} {100 + r}{chr(65 + r // 26)}",
                vehicle_type="10t truck",
                status=RouteStatus.PROPOSED,
                decision_id="DEC-BIG",
                start_town="Nairobi",
                start_lat=NAIROBI.lat,
                start_lon=NAIROBI.lon,
                stops=tuple(made),
                load_tonnes=load,
                load_m3=Decimal("1.2") * count,
                capacity_tonnes=Decimal(10),
                capacity_m3=Decimal(40),
                distance_km=Decimal(60 * count),
                duration_minutes=60 * count,
                cost_kes=Decimal(9000 + 700 * count),
                revenue_kes=Decimal(4000 * count),
                departure=start,
                return_at=start + timedelta(hours=count),
            )
        )
    held_views = tuple(
        HeldView(
            order_id=f"ORD-H{i:03d}",
            code=("truck_full", "window_missed", "held_by_policy")[i % 3],
            message=f"Held order {i}: a sentence long enough to wrap in a narrow column of text.",
            customer=f"Held customer {i}",
            town="Nakuru",
            lat=rng.uniform(-4.5, 3.5),
            lon=rng.uniform(34.2, 41.5),
            weight_tonnes=Decimal("1.5"),
            volume_m3=Decimal(3),
            window_end=start + timedelta(hours=9),
        )
        for i in range(held)
    )
    return DecisionView(
        decision_id="DEC-BIG",
        decision_type=DecisionType.PLANNING,
        policy=PolicyName.CFA,
        parameters={},
        seed=0,
        created_at=start,
        created_by="amina",
        status="proposed",
        committed_at=None,
        confidence=0.9,
        computation_ms=30_000,
        time_limit=30.0,
        iterations=1000,
        depot=NAIROBI,
        routes=tuple(views),
        held=held_views,
        totals=totals_of(views, len(held_views)),
    )
