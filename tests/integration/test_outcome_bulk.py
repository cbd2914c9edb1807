"""Completing routes in bulk (controllers/outcome_bulk.finish_routes, what an import uses) on real
databases: the same rows as completing each through finish_route, refusals per route, and a
route changed on another desktop meanwhile refusing the whole batch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from senga_desktop.controllers import outcome_bulk
from senga_desktop.controllers.outcome_bulk import RouteFinish, finish_routes
from senga_desktop.controllers.outcome_records import OrderResult, finish_route
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, OperationalOutcome, Order, Route, RouteStop, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import FailureReason, OrderStatus, RouteStatus, StopResult
from senga_desktop.errors import StaleDataError, ValidationError
from tests.integration.test_outcome_records import NOW, Made, _actuals, committed_route


def _results(made: Made) -> list[OrderResult]:
    return [
        OrderResult(made.orders[0], StopResult.DELIVERED),
        OrderResult(made.orders[1], StopResult.DELIVERED_LATE, minutes_late=25),
        OrderResult(made.orders[2], StopResult.DELIVERED_LATE, minutes_late=25),
        OrderResult(made.orders[3], StopResult.FAILED, failure_reason=FailureReason.REFUSED,
                    note="wrong goods"),
    ]  # fmt: skip


def _written(database: Database, made: Made) -> dict[str, Any]:
    """What completing ``made`` wrote, without the keys that differ between two routes."""
    with unit_of_work(database.sessions) as session:
        outcome = session.scalars(
            select(OperationalOutcome).where(OperationalOutcome.route_id == made.route_pk)
        ).one()
        route = session.get_one(Route, made.route_pk)
        truck = session.get_one(Vehicle, made.vehicle_pk)
        orders = session.scalars(select(Order).where(Order.order_id.in_(made.orders))).all()
        stops = session.scalars(
            select(RouteStop).where(RouteStop.route_id == made.route_pk).order_by(RouteStop.id)
        ).all()
        audits = session.scalars(
            select(AuditLog).where(AuditLog.entity_id.in_([*made.orders, made.route_id]))
        ).all()
        metrics = dict(outcome.additional_metrics)
        metrics["stops"] = [{k: v for k, v in s.items() if k not in ("stop_id", "order_ids")}
                            for s in metrics["stops"]]  # fmt: skip
        metrics["failures"] = [{k: v for k, v in f.items() if k not in ("stop_id", "order_id")}
                               for f in metrics["failures"]]  # fmt: skip
        return {
            "outcome": (outcome.actual_cost_kes, outcome.actual_duration_minutes,
                        outcome.actual_distance_km, outcome.cost_prediction_error_kes,
                        outcome.duration_prediction_error_minutes,
                        outcome.distance_prediction_error_km, outcome.total_revenue_kes,
                        outcome.net_profit_kes, outcome.on_time_deliveries,
                        outcome.late_deliveries, outcome.failed_deliveries,
                        outcome.recorded_at, outcome.learning_status),
            "metrics": metrics,
            "route": (route.status, route.actual_start, route.actual_end,
                      route.actual_distance_km, route.actual_duration_minutes,
                      route.actual_cost_kes, route.version),
            "truck": (truck.status, truck.available_at, truck.current_location, truck.version),
            "orders": sorted((o.status, o.assigned_route_id is None, o.version) for o in orders),
            "stops": [(s.result, s.failure_reason, s.result_note) for s in stops],
            "audits": sorted((a.action, a.details.get("from"), a.details.get("to"),
                              a.details.get("reason", "").replace(made.route_id, "R"))
                             for a in audits),
        }  # fmt: skip


@pytest.mark.parametrize("failed_to", [OrderStatus.PENDING, OrderStatus.CANCELLED])
def test_bulk_writes_what_one_by_one_writes(database: Database, failed_to: OrderStatus) -> None:
    with unit_of_work(database.sessions) as session:
        one, bulk = committed_route(session), committed_route(session)
    with unit_of_work(database.sessions) as session:
        route = session.get_one(Route, one.route_pk)
        finish_route(session, route, _actuals(), _results(one), failed_to=failed_to,
                     recorded_by=None, now=NOW)  # fmt: skip
    with unit_of_work(database.sessions) as session:
        done = finish_routes(session, [RouteFinish(bulk.route_id, _actuals(), _results(bulk))],
                             failed_to=failed_to, recorded_by=None, now=NOW)  # fmt: skip
    assert [isinstance(d, str) for d in done] == [True]
    assert _written(database, bulk) == _written(database, one)
    with unit_of_work(database.sessions) as session:
        audit = session.scalars(
            select(AuditLog).where(AuditLog.action == "route.completed",
                                   AuditLog.entity_id == bulk.route_id)
        ).one()  # fmt: skip
        assert audit.details["outcome"] == done[0]


def test_a_refused_route_is_named_and_the_others_go_through(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        good, done_before = committed_route(session), committed_route(session)
    with unit_of_work(database.sessions) as session:
        route = session.get_one(Route, done_before.route_pk)
        finish_route(session, route, _actuals(), _results(done_before),
                     failed_to=OrderStatus.PENDING, recorded_by=None, now=NOW)  # fmt: skip
    items = [
        RouteFinish("RT-NOWHERE", _actuals(), []),
        RouteFinish(done_before.route_id, _actuals(), _results(done_before)),
        RouteFinish(good.route_id, _actuals(distance_km=Decimal(-1)), _results(good)),
        RouteFinish(good.route_id, _actuals(), _results(good)),
        RouteFinish(good.route_id, _actuals(), _results(good)),  # the same route twice
    ]
    with unit_of_work(database.sessions) as session:
        done = finish_routes(session, items, failed_to=OrderStatus.PENDING, recorded_by=None,
                             now=NOW)  # fmt: skip
    messages = [d.message if isinstance(d, ValidationError) else "ok" for d in done]
    assert messages[0] == "There is no route RT-NOWHERE."
    assert "completed already" in messages[1]
    assert "negative" in messages[2] or "cannot" in messages[2]
    assert messages[3] == "ok"
    assert "completed already" in messages[4]


def test_a_route_changed_on_another_desktop_refuses_the_batch(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another desktop changes an order between this import's reading and its writing: the
    versioned UPDATE finds one row fewer and the whole batch is refused."""
    if database.backend == "sqlite":
        pytest.skip("SQLite serialises writers: the other desktop cannot write meanwhile")
    with unit_of_work(database.sessions) as session:
        first, second = committed_route(session), committed_route(session)
    write = outcome_bulk._write

    def other_desktop_first(*args: Any) -> None:
        with database.engine.begin() as other:
            other.execute(update(Order).where(Order.order_id == second.orders[0])
                          .values(version=Order.version + 1))  # fmt: skip
        write(*args)

    monkeypatch.setattr(outcome_bulk, "_write", other_desktop_first)
    items = [RouteFinish(m.route_id, _actuals(), _results(m)) for m in (first, second)]
    stale = pytest.raises(StaleDataError, match="changed on another desktop")
    with stale, unit_of_work(database.sessions) as session:
        finish_routes(session, items, failed_to=OrderStatus.PENDING, recorded_by=None, now=NOW)
    with unit_of_work(database.sessions) as session:
        assert session.scalars(select(OperationalOutcome)).all() == []
        assert session.scalars(select(Route.status).distinct()).all() == [RouteStatus.PLANNED]
