"""Multi-trip days on real databases: the setting (permission, audit, validation), the planning
state reading it, the trip of each stop and the reloads stored and read back, and the demo day.

Every test runs on SQLite and, when a server is configured, on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from senga_desktop.controllers import planning
from senga_desktop.controllers.demo_data import DEMO_TRIPS, seed_demo
from senga_desktop.controllers.permissions import COMMAND_LINE, Actor
from senga_desktop.controllers.planning_state import read_state
from senga_desktop.controllers.planning_views import decision_view
from senga_desktop.controllers.route_views import load_route_views
from senga_desktop.controllers.settings_trips import (
    TRIPS_KEY,
    TripSettings,
    load_trips,
    save_trips,
    trip_rows,
)
from senga_desktop.db import migrate
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Route, RouteStop
from senga_desktop.db.uow import unit_of_work
from senga_desktop.errors import PermissionDenied, ValidationError
from tests.factories import make_route, make_vehicle

NOW = datetime(2026, 11, 25, 7, 23, 41, tzinfo=UTC)


def test_off_by_default(database: Database) -> None:
    settings = load_trips(database.sessions)
    assert settings.by_type == {}
    assert {row.max_trips for row in trip_rows(settings)} == {1}
    assert settings.for_type("Light truck 3 t") == 1


def test_a_manager_enables_trips_and_it_is_audited(
    database: Database, people: dict[str, Actor]
) -> None:
    saved = save_trips(
        database.sessions, people["wanjiku"], {"light_3t": 3, "Refrigerated van 2 t": 2}
    )
    assert saved.by_type == {"light_3t": 3, "reefer_van_2t": 2}
    assert load_trips(database.sessions) == saved
    assert saved.for_type("canter") == 3  # found by alias too
    # Types not named keep theirs; 1 turns a type off.
    again = save_trips(database.sessions, people["admin"], {"reefer_van_2t": 1})
    assert again.by_type == {"light_3t": 3}
    with database.sessions() as session:
        rows = session.scalars(
            select(AuditLog)
            .where(AuditLog.action == "settings.changed", AuditLog.entity_id == TRIPS_KEY)
            .order_by(AuditLog.id)
        ).all()
    assert [r.username for r in rows] == ["wanjiku", "amina"]
    assert rows[0].details == {"light_3t": [1, 3], "reefer_van_2t": [1, 2]}
    assert rows[1].details == {"reefer_van_2t": [2, 1]}


def test_a_dispatcher_may_not_change_trips(database: Database, people: dict[str, Actor]) -> None:
    with pytest.raises(PermissionDenied):
        save_trips(database.sessions, people["otieno"], {"light_3t": 2})
    assert load_trips(database.sessions).by_type == {}


@pytest.mark.parametrize(
    ("trips", "field", "words"),
    [
        ({"light_3t": 0}, "max_trips.light_3t", "from 1"),
        ({"light_3t": 7}, "max_trips.light_3t", "to 6"),
        ({"rigid_10t": 2}, "max_trips.rigid_10t", "several days"),
        ({"hovercraft": 2}, "max_trips.hovercraft", "not a truck type"),
    ],
)
def test_bad_numbers_are_refused_at_their_field(
    database: Database, people: dict[str, Actor], trips: dict[str, int], field: str, words: str
) -> None:
    with pytest.raises(ValidationError, match=words) as caught:
        save_trips(database.sessions, people["wanjiku"], trips)
    assert caught.value.field == field


def test_the_planning_state_gives_each_truck_its_types_trips(
    database: Database, people: dict[str, Actor]
) -> None:
    with unit_of_work(database.sessions) as session:
        make_vehicle(session, vehicle_id="KDA 100A", vehicle_type="Light truck 3 t")
        make_vehicle(session, vehicle_id="KDA 200B", vehicle_type="Medium truck 5 t")
        make_vehicle(session, vehicle_id="KDA 300C", vehicle_type="Custom tipper")
    save_trips(database.sessions, people["wanjiku"], {"light_3t": 3})
    with database.sessions() as session:
        trucks = {t.vehicle_id: t for t in read_state(session, now=NOW).state.trucks}
    assert trucks["KDA 100A"].max_trips == 3
    assert trucks["KDA 200B"].max_trips == 1
    assert trucks["KDA 300C"].max_trips == 1


def test_the_trip_of_each_stop_and_the_reloads_round_trip(database: Database) -> None:
    back = NOW + timedelta(hours=2)
    with unit_of_work(database.sessions) as session:
        van = make_vehicle(session, vehicle_id="KDA 400D", vehicle_type="Light truck 3 t")
        route = make_route(session, van, stops=3, planned_start=NOW)
        third = route.stops[2]
        third.trip = 1
        third.reload_arrival, third.reload_departure = back, back + timedelta(minutes=30)
        route_id = route.route_id
    with database.sessions() as session:
        stored = session.scalars(select(Route).where(Route.route_id == route_id)).one()
        assert [s.trip for s in stored.stops] == [0, 0, 1]
        (view,) = load_route_views(session, [stored])
    assert view.trip_count == 2
    assert [s.trip for s in view.stops] == [0, 0, 1]
    (reload,) = view.reloads
    assert reload.trip == 1
    assert reload.arrival == back
    assert reload.departure == back + timedelta(minutes=30)
    assert view.reload_before(1) == reload
    assert view.reload_before(0) is None


def test_a_route_of_one_trip_has_no_reloads(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        route_id = make_route(session, make_vehicle(session), stops=2).route_id
    with database.sessions() as session:
        stored = session.scalars(select(Route).where(Route.route_id == route_id)).one()
        (view,) = load_route_views(session, [stored])
    assert view.trip_count == 1
    assert view.reloads == ()
    assert view.trip_stops(0) == view.stops


def test_the_demo_day_sends_a_light_truck_out_twice(database: Database) -> None:
    seed_demo(database.sessions, now=NOW)
    assert load_trips(database.sessions) == DEMO_TRIPS
    request = planning.PlanRequest(time_limit=None, max_iterations=1500)
    summary = planning.plan(database.sessions, COMMAND_LINE, request, now=NOW)
    view = decision_view(database.sessions, COMMAND_LINE, summary.decision_id)
    several = [r for r in view.routes if r.trip_count > 1]
    assert several, "no truck made a second trip"
    for route in several:
        assert route.vehicle_type == "Light truck 3 t"
        assert len(route.reloads) == route.trip_count - 1
        assert route.departure is not None
        assert route.return_at is not None
        assert route.return_at - route.departure <= timedelta(hours=10)
        for n in range(route.trip_count):
            tonnes, m3 = route.trip_load(n)
            assert tonnes <= route.capacity_tonnes
            assert m3 <= route.capacity_m3
            assert route.trip_stops(n)
        for reload in route.reloads:
            before = route.trip_stops(reload.trip - 1)[-1]
            after = route.trip_stops(reload.trip)[0]
            assert before.departure is not None
            assert after.eta is not None
            assert before.departure < reload.arrival < reload.departure < after.eta
        assert route.load_tonnes == max(route.trip_load(n)[0] for n in range(route.trip_count))
    # A seeding run later keeps what a manager chose.
    with unit_of_work(database.sessions) as session:
        session.execute(text("DELETE FROM app_settings WHERE key = :k"), {"k": TRIPS_KEY})
    seed_demo(database.sessions, now=NOW)
    assert load_trips(database.sessions) == DEMO_TRIPS
    assert TripSettings() != DEMO_TRIPS


def test_revision_0008_keeps_old_stops_on_one_trip(empty_database: Database) -> None:
    migrate.upgrade(empty_database, target="0007", backup=False)
    with empty_database.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO vehicles (vehicle_id, vehicle_type, capacity_weight_tonnes,"
            " capacity_volume_m3, current_location, fuel_cost_per_km, driver_cost_per_hour)"
            " VALUES ('KDA 1', 'Light truck 3 t', 3, 15, '{}', 40, 450)"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO routes (route_id, vehicle_id, order_ids, destination_cities,"
            " total_distance_km, estimated_duration_minutes, estimated_cost_kes)"
            " SELECT 'RT-OLD', id, '[]', '[]', 10, 60, 100 FROM vehicles"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO route_stops (stop_id, route_id, order_ids, location, stop_type,"
            " sequence_order) SELECT 'RT-OLD-S1', id, '[]', '{}', 'delivery', 0 FROM routes"
        ))  # fmt: skip
    migrate.upgrade(empty_database, target="0008", backup=False)
    with empty_database.engine.connect() as connection:
        row = connection.execute(
            text("SELECT trip, reload_arrival, reload_departure FROM route_stops")
        ).one()
    assert tuple(row) == (0, None, None)
    migrate.downgrade(empty_database, "0007")
    with empty_database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM route_stops")).scalar_one() == 1


def test_the_stop_table_refuses_a_negative_trip(database: Database) -> None:
    with pytest.raises(IntegrityError), unit_of_work(database.sessions) as session:
        route = make_route(session, make_vehicle(session), stops=1)
        route.stops[0].trip = -1
        session.flush()
    with database.sessions() as session:
        assert session.scalars(select(RouteStop)).all() == []
