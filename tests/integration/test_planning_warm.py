"""Re-planning on real databases: warm starts, locked routes, pins, committed routes kept or
extended, and ``senga plan``'s options for them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from senga_desktop.cli import cli
from senga_desktop.controllers import auth, planning, users
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Decision, Order, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import OrderStatus, PolicyName, Role, RouteStatus, VehicleStatus
from senga_desktop.errors import StaleDataError, ValidationError
from tests.factories import make_order

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
QUICK = planning.PlanRequest(
    policy=PolicyName.CFA, seed=7, time_limit=None, max_iterations=150, workers=1
)


@pytest.fixture
def dispatcher(database: Database) -> Actor:
    admin = auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")
    info = users.create_user(database.sessions, admin, username="otieno", email=None,
                             role=Role.USER, password="Matatu-Route-46")  # fmt: skip
    seed_demo(database.sessions, now=NOW)
    return Actor(info.id, info.username, info.role)


def _plan(database: Database, actor: Actor, **changes: object) -> planning.DecisionSummary:
    request = replace(QUICK, **changes)  # type: ignore[arg-type]
    return planning.plan(database.sessions, actor, request, now=NOW)


def _rows(database: Database, decision_id: str) -> dict[str, dict[str, object]]:
    """Every stored column that makes a route what it is, by truck."""
    with unit_of_work(database.sessions) as session:
        record = session.scalars(select(Decision).where(Decision.decision_id == decision_id)).one()
        return {
            r.vehicle.vehicle_id: {
                "orders": list(r.order_ids),
                "towns": list(r.destination_cities),
                "km": r.total_distance_km,
                "minutes": r.estimated_duration_minutes,
                "cost": r.estimated_cost_kes,
                "start": r.planned_start,
                "stops": [
                    (s.order_ids, s.sequence_order, s.trip, s.reload_arrival, s.reload_departure,
                     s.estimated_arrival, s.estimated_departure, s.location)
                    for s in sorted(r.stops, key=lambda s: s.sequence_order)
                ],
            }
            for r in record.routes
        }  # fmt: skip


def test_a_warm_started_run_records_where_it_started(database: Database, dispatcher: Actor) -> None:
    first = _plan(database, dispatcher)
    again = _plan(database, dispatcher, base_decision_id=first.decision_id, seed=8)
    with unit_of_work(database.sessions) as session:
        record = session.scalars(
            select(Decision).where(Decision.decision_id == again.decision_id)
        ).one()
        run = record.state_snapshot["run"]
        assert run["base_decision_id"] == first.decision_id
        assert run["workers"] == 1
        assert {r["vehicle_id"] for r in run["warm_start"]} == {r.vehicle_id for r in first.routes}
        audit = session.scalars(
            select(AuditLog).where(AuditLog.entity_id == again.decision_id)
        ).one()
        assert audit.details["base_decision_id"] == first.decision_id
    assert again.routes
    assert planning.replay_decision(database.sessions, dispatcher, again.decision_id).same


def test_locked_routes_are_kept_exactly_and_the_rest_replanned(
    database: Database, dispatcher: Actor
) -> None:
    first = _plan(database, dispatcher)
    locked = frozenset(r.vehicle_id for r in first.routes[:2])
    pin_order = next(h.order_id for h in first.held if h.code != "window_closed")
    free_truck = next(r.vehicle_id for r in first.routes if r.vehicle_id not in locked)
    again = _plan(
        database,
        dispatcher,
        base_decision_id=first.decision_id,
        locked_vehicle_ids=locked,
        pins={first.routes[-1].order_ids[0]: free_truck},
        seed=9,
    )
    before, after = _rows(database, first.decision_id), _rows(database, again.decision_id)
    for vid in locked:
        assert after[vid] == before[vid]
    kept = {o for vid in locked for o in before[vid]["orders"]}  # type: ignore[attr-defined]
    others = [r for r in again.routes if r.vehicle_id not in locked]
    assert not kept & {o for r in others for o in r.order_ids}
    pinned = first.routes[-1].order_ids[0]
    where = next((r.vehicle_id for r in again.routes if pinned in r.order_ids), None)
    assert where == free_truck or any(
        h.order_id == pinned and free_truck in h.message for h in again.held
    )
    assert pin_order  # the demo always leaves some orders for later
    total = sum((r.cost_kes for r in again.routes), Decimal(0))
    assert abs(total - again.total_cost_kes) <= Decimal("0.01") * len(again.routes)
    with unit_of_work(database.sessions) as session:
        run = session.scalars(
            select(Decision).where(Decision.decision_id == again.decision_id)
        ).one().state_snapshot["run"]  # fmt: skip
        assert run["locked_vehicle_ids"] == sorted(locked)
        assert run["pins"] == {pinned: free_truck}
    assert planning.replay_decision(database.sessions, dispatcher, again.decision_id).same


def test_locks_that_cannot_be_kept_are_refused_by_name(
    database: Database, dispatcher: Actor
) -> None:
    with pytest.raises(ValidationError, match="Locking routes needs the plan they come from"):
        _plan(database, dispatcher, locked_vehicle_ids=frozenset({"KDF 092A"}))
    first = _plan(database, dispatcher)
    route = first.routes[0]
    with unit_of_work(database.sessions) as session:
        idle = session.scalars(
            select(Vehicle.vehicle_id).where(
                Vehicle.vehicle_id.not_in([r.vehicle_id for r in first.routes])
            )
        ).first()
    if idle is not None:
        with pytest.raises(ValidationError, match=f"has no route for {idle}"):
            _plan(database, dispatcher, base_decision_id=first.decision_id,
                  locked_vehicle_ids=frozenset({idle}))  # fmt: skip
    gone = route.order_ids[-1]
    with unit_of_work(database.sessions) as session:
        order = session.scalars(select(Order).where(Order.order_id == gone)).one()
        order.status = OrderStatus.CANCELLED
    with pytest.raises(ValidationError, match=f"{gone} is cancelled") as refused:
        _plan(database, dispatcher, base_decision_id=first.decision_id,
              locked_vehicle_ids=frozenset({route.vehicle_id}))  # fmt: skip
    assert f"The route of {route.vehicle_id} cannot be kept" in str(refused.value)
    truck = first.routes[1].vehicle_id
    with unit_of_work(database.sessions) as session:
        row = session.scalars(select(Vehicle).where(Vehicle.vehicle_id == truck)).one()
        row.status = VehicleStatus.MAINTENANCE
    with pytest.raises(ValidationError, match=f"{truck} is in maintenance"):
        _plan(database, dispatcher, base_decision_id=first.decision_id,
              locked_vehicle_ids=frozenset({truck}))  # fmt: skip
    # Any order still pending (a one-stop first route's only order was cancelled above).
    pending = next(o for r in first.routes for o in r.order_ids if o != gone)
    with pytest.raises(ValidationError, match="pinned to KXX 000X, which is not among the trucks"):
        _plan(database, dispatcher, pins={pending: "KXX 000X"})
    with pytest.raises(ValidationError, match="workers must be at least 1"):
        _plan(database, dispatcher, workers=0)


def test_replanning_keeps_loaded_trucks_as_they_are(database: Database, dispatcher: Actor) -> None:
    first = _plan(database, dispatcher)
    planning.commit_decision(database.sessions, dispatcher, first.decision_id)
    before = _rows(database, first.decision_id)
    _new_orders(database, 3)
    again = _plan(database, dispatcher, base_decision_id=first.decision_id)
    loaded = set(before)
    assert not loaded & {r.vehicle_id for r in again.routes}
    assert not set(first.orders_routed) & set(again.orders_routed)
    assert _rows(database, first.decision_id) == before


def _new_orders(database: Database, count: int) -> list[str]:
    """Small orders to towns the demo serves, due today: candidates for extra stops."""
    with unit_of_work(database.sessions) as session:
        template = session.scalars(
            select(Order).where(Order.status == OrderStatus.ASSIGNED).order_by(Order.order_id)
        ).first()
        assert template is not None
        ids = []
        for _ in range(count):
            order = make_order(
                session,
                template.customer,
                destination_city=template.destination_city,
                destination_location=dict(template.destination_location or {}),
                weight_tonnes=Decimal("0.05"),
                volume_m3=Decimal("0.1"),
                time_window_start=NOW,
                time_window_end=NOW + timedelta(hours=20),
                created_at=NOW - timedelta(hours=1),
            )
            ids.append(order.order_id)
        return ids


def test_committed_routes_may_take_extra_stops_and_commit_amends_them(
    database: Database, dispatcher: Actor
) -> None:
    first = _plan(database, dispatcher)
    planning.commit_decision(database.sessions, dispatcher, first.decision_id)
    with unit_of_work(database.sessions) as session:
        committed = {
            r.vehicle.vehicle_id: (r.route_id, list(r.order_ids), r.version)
            for r in session.scalars(select(Route).where(Route.status == RouteStatus.PLANNED))
        }
    added = _new_orders(database, 3)
    again = _plan(database, dispatcher, extend_committed=True, seed=11)
    routes = {r.vehicle_id: r for r in again.routes}
    for vid, (_, orders, _) in committed.items():
        if vid in routes:  # a committed route comes back whole, with any extra stops
            assert set(orders) <= set(routes[vid].order_ids)
    planning.commit_decision(database.sessions, dispatcher, again.decision_id)
    with unit_of_work(database.sessions) as session:
        planned = session.scalars(select(Route).where(Route.status == RouteStatus.PLANNED)).all()
        per_truck = [r.vehicle.vehicle_id for r in planned]
        assert len(per_truck) == len(set(per_truck))  # never a second route for a truck
        by_truck = {r.vehicle.vehicle_id: r for r in planned}
        for vid, (route_id, orders, version) in committed.items():
            route = by_truck[vid]
            assert route.route_id == route_id
            assert set(orders) <= set(route.order_ids)
            if vid in routes:
                assert route.order_ids == list(routes[vid].order_ids)
                if route.order_ids != orders:
                    assert route.version > version  # amended: its version went up
                else:
                    assert route.version == version  # nothing to add: left exactly as it was
                assert len(route.stops) == len(route.order_ids)
        assigned = {
            o.order_id: o.assigned_route_id
            for o in session.scalars(select(Order).where(Order.order_id.in_(added)))
        }
        for oid, route_pk in assigned.items():
            if any(oid in r.order_ids for r in again.routes):
                assert route_pk in {r.id for r in planned}
        amended = session.scalars(select(AuditLog).where(AuditLog.action == "route.amended")).all()
        assert {a.entity_id for a in amended} == {
            committed[v][0]
            for v in committed
            if v in routes and list(routes[v].order_ids) != committed[v][1]
        }


def test_an_extension_of_a_route_that_started_is_refused(
    database: Database, dispatcher: Actor
) -> None:
    first = _plan(database, dispatcher)
    planning.commit_decision(database.sessions, dispatcher, first.decision_id)
    _new_orders(database, 2)
    again = _plan(database, dispatcher, extend_committed=True)
    extended = [r for r in again.routes if r.vehicle_id in {x.vehicle_id for x in first.routes}]
    assert extended, "with extend_committed the committed trucks take part"
    with unit_of_work(database.sessions) as session:
        route = next(
            r
            for r in session.scalars(select(Route).where(Route.status == RouteStatus.PLANNED))
            if r.vehicle.vehicle_id == extended[0].vehicle_id
        )
        started = route.route_id
        route.actual_start = NOW  # the driver left meanwhile
    with pytest.raises(StaleDataError, match="out of date") as refused:
        planning.commit_decision(database.sessions, dispatcher, again.decision_id)
    assert any(started in line and "has started" in line for line in refused.value.details)


def test_senga_plan_warm_start_lock_pin_and_extend(migrated_url: str) -> None:
    runner = CliRunner()
    base = ["--database-url", migrated_url]
    assert runner.invoke(cli, [*base, "db", "seed", "--demo"]).exit_code == 0
    quick = ["--max-iterations", "60", "--workers", "1", "--json"]
    first = json.loads(runner.invoke(cli, [*base, "plan", *quick]).output)
    route = first["routes"][0]
    other = first["routes"][-1]
    result = runner.invoke(
        cli,
        [*base, "plan", *quick, "--warm-start", first["decision_id"], "--lock",
         route["vehicle_id"], "--pin", f"{other['orders'][0]}={other['vehicle_id']}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    again = json.loads(result.output)
    kept = next(r for r in again["routes"] if r["vehicle_id"] == route["vehicle_id"])
    assert kept["orders"] == route["orders"]
    assert [s["eta"] for s in kept["stops"]] == [s["eta"] for s in route["stops"]]
    assert kept["cost_kes"] == route["cost_kes"]
    extended = runner.invoke(cli, [*base, "plan", *quick, "--extend-committed", "--commit"])
    assert extended.exit_code == 0, extended.output
    lonely = runner.invoke(cli, [*base, "plan", "--lock", route["vehicle_id"]])
    assert lonely.exit_code == 2
    assert "--lock needs --warm-start" in lonely.output
    bad = runner.invoke(cli, [*base, "plan", "--pin", "ORD-1"])
    assert bad.exit_code == 2
    assert "is not ORDER_ID=VEHICLE_ID" in bad.output
    help_text = runner.invoke(cli, ["plan", "--help"]).output
    for option in ("--warm-start", "--lock", "--pin", "--keep-committed", "--extend-committed",
                   "--workers"):  # fmt: skip
        assert option in help_text
