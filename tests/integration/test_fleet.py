"""The fleet controllers on real databases: the board, the changes, who may make them."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from senga_desktop.controllers import auth, fleet, users
from senga_desktop.controllers.fleet import (
    BoardQuery,
    VehicleHasCommittedRoutes,
    VehicleInput,
    VehicleInvalid,
)
from senga_desktop.controllers.fleet_rules import (
    can_carry,
    missing_capabilities,
    normalise_plate,
    parse_capabilities,
)
from senga_desktop.controllers.permissions import Actor
from senga_desktop.controllers.vehicle_types import VehicleTypeCatalogue, load_vehicle_types
from senga_desktop.db.engine import Database
from senga_desktop.db.models import AuditLog, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import Role, RouteStatus, SpecialHandling, VehicleStatus
from senga_desktop.errors import NotFound, PermissionDenied, StaleDataError, ValidationError
from senga_desktop.gazetteer import load_gazetteer
from senga_desktop.paths import resource_path
from tests.factories import make_route, make_vehicle

# 10:00 in Nairobi: "today" there runs from 21:00 UTC the day before to 21:00 UTC.
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
COLD, COVERED, HAZ, LIFT, FRAGILE = (
    SpecialHandling.REFRIGERATED,
    SpecialHandling.COVERED,
    SpecialHandling.HAZARDOUS,
    SpecialHandling.TAIL_LIFT,
    SpecialHandling.FRAGILE,
)


@pytest.fixture
def admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, "amina", "Simba-Depot-2026")


def _person(database: Database, admin: Actor, name: str, role: Role) -> Actor:
    info = users.create_user(
        database.sessions, admin, username=name, email=None, role=role, password="Twiga-Truck-2026"
    )
    return Actor(info.id, info.username, info.role)


def _audit(database: Database, action: str) -> list[AuditLog]:
    with unit_of_work(database.sessions) as session:
        query = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        return list(session.scalars(query))


TIPPER: dict[str, Any] = {
    "capacity_weight_tonnes": Decimal(15),
    "capacity_volume_m3": Decimal(12),
    "fuel_cost_per_km": Decimal(95),
    "driver_cost_per_hour": Decimal(600),
    "fixed_cost_kes": Decimal(0),
    "max_shift_hours": Decimal(9),
}


def _add(database: Database, actor: Actor, plate: str, kind: str = "5t", **fields: Any) -> int:
    data = VehicleInput(plate, kind, **fields)
    return fleet.add_vehicle(database.sessions, actor, data, now=NOW).id


# -- rules without a database ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "plate"),
    [
        ("KDA 123B", "KDA 123B"),
        ("kbz456x", "KBZ 456X"),
        ("  kcy-964 p ", "KCY 964P"),
        ("KAB 123", "KAB 123"),
        ("gka 001b", "GKA 001B"),
    ],
)
def test_plates_are_normalised(typed: str, plate: str) -> None:
    assert normalise_plate(typed) == plate


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("KDA 12B", "not a Kenyan registration plate"),
        ("ABC 123D", "not a Kenyan registration plate"),
        ("KDA 1234B", "not a Kenyan registration plate"),
        ("ZF 3456", "trailer plate"),
        ("  ", "Enter the registration plate"),
    ],
)
def test_bad_plates_say_what_is_expected(typed: str, hint: str) -> None:
    with pytest.raises(ValidationError, match=hint) as caught:
        normalise_plate(typed)
    assert caught.value.field == "registration_plate"


def test_capability_rules() -> None:
    assert can_carry([COLD], [COLD])
    assert can_carry([COLD], [COVERED])  # a reefer body is a closed box
    assert not can_carry([COVERED], [COLD])
    assert can_carry([COVERED], [COVERED, FRAGILE])
    assert can_carry([], [FRAGILE])  # any truck carries fragile goods
    assert can_carry([], [])
    assert not can_carry([COVERED, LIFT], [HAZ])
    assert can_carry(["covered", "hazardous"], ["hazardous", "covered"])  # stored strings
    assert can_carry("refrigerated", "covered")  # lone values are not split into letters
    assert missing_capabilities([COVERED], [COLD, LIFT, FRAGILE, COVERED]) == (COLD, LIFT)
    assert missing_capabilities([COLD, LIFT, HAZ], [COLD, LIFT, HAZ, COVERED]) == ()
    with pytest.raises(ValueError, match="not a valid SpecialHandling"):
        can_carry([COVERED], ["levitating"])


def test_capabilities_are_read_from_what_people_type() -> None:
    assert parse_capabilities("Reefer; Tail-lift, ADR") == (HAZ, COLD, LIFT)
    assert parse_capabilities(["covered", "box body"]) == (COVERED,)
    with pytest.raises(ValueError, match="describes goods, not trucks"):
        parse_capabilities("fragile")
    with pytest.raises(ValueError, match="not a truck capability"):
        parse_capabilities("crane")


def test_the_catalogue_pre_fills_sensible_trucks() -> None:
    catalogue = load_vehicle_types()
    assert len(catalogue) >= 5
    assert catalogue.get("10t") is catalogue.get("Heavy truck 10 t") is catalogue.get("rigid_10t")
    sizes = [t.capacity_weight_tonnes for t in catalogue]
    assert sizes == sorted(sizes)
    for kind in catalogue:
        assert kind.capacity_volume_m3 > kind.capacity_weight_tonnes
        assert 0 < kind.max_shift_hours <= 24
        assert 1 <= kind.max_trip_days <= 7
        assert kind.fixed_cost_kes > 0
    van = catalogue.get("reefer van")
    assert van is not None
    assert van.capabilities == (COLD,)
    by_size = sorted(catalogue, key=lambda t: t.capacity_weight_tonnes)
    assert by_size[1].fuel_cost_per_km < by_size[-1].fuel_cost_per_km
    # Vans and town trucks are back the same day; rigids and semis make long-haul trips.
    trip_days = {t.key: t.max_trip_days for t in catalogue}
    assert trip_days["light_3t"] == trip_days["medium_5t"] == trip_days["reefer_van_2t"] == 1
    assert (trip_days["rigid_10t"], trip_days["semi_20t"], trip_days["semi_28t"]) == (2, 3, 3)


def test_a_catalogue_without_sensible_trip_days_is_refused(tmp_path: Path) -> None:
    good = Path(resource_path("vehicle_types.csv")).read_text(encoding="utf-8")
    header, first, *_ = good.splitlines()
    column = header.split(",").index("max_trip_days")
    for days in ("0", "8", "1.5", ""):
        cells = first.split(",")
        cells[column] = days
        path = tmp_path / "types.csv"
        path.write_text(f"{header}\n{','.join(cells)}\n", encoding="utf-8")
        with pytest.raises(ValueError, match="row 2, column 'max_trip_days'"):
            VehicleTypeCatalogue.from_csv(path)


# -- adding and editing ---------------------------------------------------------------------


def test_a_new_truck_is_pre_filled_numbered_and_audited(database: Database, admin: Actor) -> None:
    first = fleet.add_vehicle(
        database.sessions, admin, VehicleInput("kdq 001a", "10t", town="nakuru"), now=NOW
    )
    assert (first.vehicle_id, first.registration_plate) == ("TRK-0001", "KDQ 001A")
    assert first.vehicle_type == "Heavy truck 10 t"
    assert (first.capacity_weight_tonnes, first.capacity_volume_m3) == (10, 40)
    assert (first.fuel_cost_per_km, first.driver_cost_per_hour) == (80, 550)
    assert (first.fixed_cost_kes, first.max_shift_hours, first.max_trip_days) == (8000, 10, 2)
    assert first.capabilities == (COVERED,)
    nakuru = load_gazetteer().get("Nakuru")
    assert nakuru is not None
    assert (first.location_name, first.latitude) == ("Nakuru", nakuru.latitude)
    assert (first.status, first.available_at, first.version) == (VehicleStatus.AVAILABLE, NOW, 1)

    second = fleet.add_vehicle(
        database.sessions,
        admin,
        VehicleInput(
            "KDQ 002B",
            "Tipper 15 t",
            capacity_weight_tonnes=Decimal("15"),
            capacity_volume_m3=Decimal("12.5"),
            fuel_cost_per_km=Decimal("95.555"),
            driver_cost_per_hour=Decimal(600),
            fixed_cost_kes=Decimal(0),
            max_shift_hours=Decimal(9),
            max_trip_days=3,
            capabilities=(),
            available_from=NOW + timedelta(hours=3),
            notes="  Quarry work  ",
        ),
        now=NOW,
    )
    assert second.vehicle_id == "TRK-0002"
    assert second.location_name == "Senga Nairobi Depot"  # no town: at the depot
    assert second.fuel_cost_per_km == Decimal("95.56")
    assert second.max_trip_days == 3
    assert second.capabilities == ()
    assert second.available_at == NOW + timedelta(hours=3)
    assert second.notes == "Quarry work"
    third = _add(database, admin, "KDQ 003C", vehicle_id=" trk-0050 ")
    assert fleet.get_vehicle(database.sessions, admin, third).vehicle_id == "TRK-0050"
    fourth = _add(database, admin, "KDQ 004D")
    assert fleet.get_vehicle(database.sessions, admin, fourth).vehicle_id == "TRK-0051"
    # A type outside the catalogue comes back the same day unless told otherwise.
    fifth = _add(database, admin, "KDQ 005E", "Tipper 15 t", **TIPPER)
    assert fleet.get_vehicle(database.sessions, admin, fifth).max_trip_days == 1

    (created, *_) = _audit(database, "vehicle.created")
    assert (created.entity_id, created.username) == ("TRK-0001", "amina")
    assert created.details["registration_plate"] == "KDQ 001A"
    assert created.details["current_location"] == "Nakuru"


def test_every_problem_is_reported_at_its_field(database: Database, admin: Actor) -> None:
    with pytest.raises(VehicleInvalid) as caught:
        fleet.add_vehicle(
            database.sessions,
            admin,
            VehicleInput(
                "KDA 12",
                "Crane truck",
                capacity_weight_tonnes=Decimal(10000),  # kilograms typed as tonnes
                town="Nakuuru",
                capabilities=("crane",),
                max_shift_hours=Decimal(30),
                max_trip_days=10,
            ),
        )
    problems = {p.field: p.message for p in caught.value.problems}
    assert set(problems) == {
        "registration_plate",
        "capacity_weight_tonnes",
        "capacity_volume_m3",
        "fuel_cost_per_km",
        "driver_cost_per_hour",
        "fixed_cost_kes",
        "max_shift_hours",
        "max_trip_days",
        "town",
        "capabilities",
    }
    assert "at most 50 t" in problems["capacity_weight_tonnes"]
    assert "'Crane truck' is not in the type catalogue" in problems["capacity_volume_m3"]
    assert "Did you mean Nakuru" in problems["town"]
    assert "from 1 (back the same day) to 7 days (got 10)" in problems["max_trip_days"]
    assert caught.value.field == "registration_plate"
    assert fleet.board(database.sessions, admin).total == 0


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (0, "from 1 (back the same day) to 7 days (got 0)"),
        (8, "from 1 (back the same day) to 7 days (got 8)"),
        (Decimal("2.5"), "a whole number of days (got 2.5)"),
        (True, "a whole number of days (got True)"),
    ],
)
def test_trip_length_is_a_whole_number_of_days_up_to_a_week(
    database: Database, admin: Actor, days: Any, message: str
) -> None:
    with pytest.raises(VehicleInvalid) as caught:
        _add(database, admin, "KDA 123B", "28t", max_trip_days=days)
    assert caught.value.field == "max_trip_days"
    assert caught.value.message == f"Trip length (days) must be {message}."
    assert _add(database, admin, "KDA 123B", "28t", max_trip_days=Decimal("7.0")) > 0


def test_plates_and_fleet_numbers_are_unique(database: Database, admin: Actor) -> None:
    _add(database, admin, "KDA 123B", vehicle_id="TRK-0007")
    with unit_of_work(database.sessions) as session:  # an older truck keyed by its plate
        make_vehicle(session, vehicle_id="KCB 555L", registration_plate=None)
    legacy = next(
        v for v in fleet.board(database.sessions, admin).vehicles if v.label == "KCB 555L"
    )
    assert legacy.registration_plate is None
    form = VehicleInput.from_info(legacy)
    assert form.registration_plate == "KCB 555L"
    fixed = fleet.update_vehicle(
        database.sessions, admin, legacy.id, form, expected_version=legacy.version
    )
    assert (fixed.registration_plate, fixed.vehicle_id) == ("KCB 555L", "KCB 555L")
    for plate, fleet_number, field in (
        ("kda123b", None, "registration_plate"),
        ("KCB 555L", None, "registration_plate"),
        ("KDA 999Z", "trk-0007", "vehicle_id"),
    ):
        with pytest.raises(ValidationError) as caught:
            _add(database, admin, plate, vehicle_id=fleet_number)
        assert caught.value.field == field


def test_edits_are_checked_against_the_version_seen(database: Database, admin: Actor) -> None:
    truck = fleet.get_vehicle(database.sessions, admin, _add(database, admin, "KDA 123B"))
    form = VehicleInput.from_info(truck)
    unchanged = fleet.update_vehicle(
        database.sessions, admin, truck.id, form, expected_version=truck.version, now=NOW
    )
    assert unchanged.version == truck.version  # nothing to write, nothing written
    assert _audit(database, "vehicle.updated") == []

    edited = fleet.update_vehicle(
        database.sessions,
        admin,
        truck.id,
        dataclasses.replace(form, town="Kisumu", notes="New tyres", capabilities=(COVERED, LIFT)),
        expected_version=truck.version,
        now=NOW,
    )
    assert edited.version == truck.version + 1
    assert (edited.location_name, edited.notes) == ("Kisumu", "New tyres")
    assert edited.capabilities == (COVERED, LIFT)
    assert edited.vehicle_id == truck.vehicle_id
    (entry,) = _audit(database, "vehicle.updated")
    assert entry.details["current_location"] == ["Senga Nairobi Depot", "Kisumu"]
    assert entry.details["capabilities"] == [["covered"], ["covered", "tail_lift"]]

    with pytest.raises(StaleDataError, match="Someone else changed KDA 123B"):
        fleet.update_vehicle(
            database.sessions,
            admin,
            truck.id,
            dataclasses.replace(form, notes="Overwrites the tyres note"),
            expected_version=truck.version,
        )
    assert fleet.get_vehicle(database.sessions, admin, truck.id).notes == "New tyres"
    with pytest.raises(StaleDataError):
        fleet.send_to_maintenance(
            database.sessions, admin, truck.id, None, expected_version=truck.version
        )
    with pytest.raises(NotFound):
        fleet.get_vehicle(database.sessions, admin, 999_999)

    # The trip length travels through the form like every other figure.
    current = fleet.get_vehicle(database.sessions, admin, truck.id)
    form = VehicleInput.from_info(current)
    assert form.max_trip_days == 1
    long_haul = fleet.update_vehicle(
        database.sessions,
        admin,
        truck.id,
        dataclasses.replace(form, max_trip_days=2),
        expected_version=current.version,
        now=NOW,
    )
    assert (long_haul.max_trip_days, long_haul.version) == (2, current.version + 1)
    assert _audit(database, "vehicle.updated")[-1].details["max_trip_days"] == [1, 2]


# -- permissions ----------------------------------------------------------------------------


def test_dispatchers_see_the_board_but_change_nothing(database: Database, admin: Actor) -> None:
    dispatcher = _person(database, admin, "otieno", Role.USER)
    manager = _person(database, admin, "wanjiru", Role.MANAGER)
    truck = _add(database, manager, "KDA 123B")  # managers may change the fleet
    assert fleet.board(database.sessions, dispatcher).total == 1
    assert fleet.get_vehicle(database.sessions, dispatcher, truck).label == "KDA 123B"
    form = VehicleInput("KDB 418K", "3t")
    soon = NOW + timedelta(days=400)
    refused = [
        lambda: fleet.add_vehicle(database.sessions, dispatcher, form),
        lambda: fleet.update_vehicle(
            database.sessions, dispatcher, truck, form, expected_version=1
        ),
        lambda: fleet.send_to_maintenance(database.sessions, dispatcher, truck, soon),
        lambda: fleet.set_off_duty(database.sessions, dispatcher, truck),
        lambda: fleet.mark_available(database.sessions, dispatcher, truck, "Thika"),
        lambda: fleet.retire_vehicle(database.sessions, dispatcher, truck),
    ]
    for action in refused:
        with pytest.raises(PermissionDenied, match=r"\(fleet\.edit\)"):
            action()
    info = fleet.get_vehicle(database.sessions, manager, truck)
    assert (info.status, info.version) == (VehicleStatus.AVAILABLE, 1)
    assert [e.username for e in _audit(database, "vehicle.created")] == ["wanjiru"]


# -- the board ------------------------------------------------------------------------------


def test_the_board_groups_filters_and_counts(database: Database, admin: Actor) -> None:
    mombasa = {"name": "Mombasa", "lat": -4.0435, "lon": 39.6682}
    with unit_of_work(database.sessions) as session:
        for plate, kind, status, caps, place, free in (
            ("KDA 111A", "Light truck 3 t", VehicleStatus.AVAILABLE, ["refrigerated"], None, 5),
            ("KDA 222B", "Light truck 3 t", VehicleStatus.AVAILABLE, ["covered"], mombasa, 1),
            ("KDA 333C", "Heavy truck 10 t", VehicleStatus.AVAILABLE, [], None, -2),
            ("KDA 444D", "Heavy truck 10 t", VehicleStatus.ON_ROUTE, ["covered"], mombasa, 8),
            ("KDA 555E", "Heavy truck 10 t", VehicleStatus.MAINTENANCE, ["hazardous"], None, 0),
            ("KDA 666F", "Light truck 3 t", VehicleStatus.OFF_DUTY, [], None, 0),
            ("KDA 777G", "Light truck 3 t", VehicleStatus.RETIRED, ["covered"], mombasa, 0),
        ):
            make_vehicle(
                session,
                vehicle_id=f"TRK-{plate[4:7]}",
                registration_plate=plate,
                vehicle_type=kind,
                status=status,
                capabilities=caps,
                **({"current_location": place} if place else {}),
                available_at=NOW + timedelta(hours=free) if free else None,
            )

    def plates(query: BoardQuery | None = None) -> list[str]:
        return [v.label for v in fleet.board(database.sessions, admin, query, now=NOW).vehicles]

    board = fleet.board(database.sessions, admin, now=NOW)
    assert [g.label for g in board.groups] == ["Available", "On route", "Maintenance", "Off duty"]
    # Free now first (no time, or a time passed), then the soonest free.
    assert [v.label for v in board.group(VehicleStatus.AVAILABLE).vehicles] == [
        "KDA 333C",
        "KDA 222B",
        "KDA 111A",
    ]
    assert board.counts[VehicleStatus.AVAILABLE] == 3
    assert board.fleet_counts[VehicleStatus.RETIRED] == 1
    assert board.total == 6
    assert board.towns == ("Mombasa", "Nairobi")
    assert board.types == ("Heavy truck 10 t", "Light truck 3 t")
    with pytest.raises(KeyError):
        board.group(VehicleStatus.RETIRED)

    with_retired = fleet.board(database.sessions, admin, BoardQuery(include_retired=True))
    assert with_retired.group(VehicleStatus.RETIRED).count == 1
    assert plates(BoardQuery(town="mombasa")) == ["KDA 222B", "KDA 444D"]
    assert plates(BoardQuery(town="Mombasa", include_retired=True))[-1] == "KDA 777G"
    assert plates(BoardQuery(vehicle_type="10t")) == ["KDA 333C", "KDA 444D", "KDA 555E"]
    assert plates(BoardQuery(capability=COLD)) == ["KDA 111A"]
    assert plates(BoardQuery(capability=COVERED)) == ["KDA 222B", "KDA 111A", "KDA 444D"]
    assert plates(BoardQuery(capability=HAZ)) == ["KDA 555E"]
    assert len(plates(BoardQuery(capability=FRAGILE))) == 6
    assert plates(BoardQuery(plate_text="da 5")) == ["KDA 555E"]
    assert plates(BoardQuery(plate_text="trk-44")) == ["KDA 444D"]
    assert plates(BoardQuery(plate_text="%")) == plates()  # nothing searchable: no filter
    assert plates(BoardQuery(town="Mombasa", vehicle_type="Light truck 3 t")) == ["KDA 222B"]


def test_the_board_shows_each_trucks_use_of_the_day(database: Database, admin: Actor) -> None:
    with unit_of_work(database.sessions) as session:
        busy, idle = make_vehicle(session), make_vehicle(session)
        yesterday, tomorrow = NOW - timedelta(days=1), NOW + timedelta(days=1)
        for status, start, km, minutes in (
            (RouteStatus.PLANNED, NOW + timedelta(hours=2), "120.5", 180),
            (RouteStatus.PLANNED, None, "30", 60),  # committed, not yet timed
            (RouteStatus.IN_PROGRESS, yesterday, "200", 300),  # still on the road
            (RouteStatus.PLANNED, tomorrow, "999", 999),
            (RouteStatus.COMPLETED, NOW, "999", 999),
            (RouteStatus.PROPOSED, NOW, "999", 999),
        ):
            make_route(
                session,
                busy,
                status=status,
                planned_start=start,
                total_distance_km=Decimal(km),
                estimated_duration_minutes=minutes,
            )
        make_route(session, idle, status=RouteStatus.COMPLETED, planned_start=NOW)
        busy_id, idle_id = busy.id, idle.id
    board = fleet.board(database.sessions, admin, now=NOW)
    shown = {v.id: v for v in board.vehicles}
    assert (shown[busy_id].routes_today, shown[busy_id].km_today) == (3, Decimal("350.5"))
    assert shown[busy_id].hours_today == Decimal("9.0")
    assert (shown[idle_id].routes_today, shown[idle_id].km_today) == (0, 0)
    assert fleet.get_vehicle(database.sessions, admin, busy_id, now=NOW).routes_today == 3


# -- status changes -------------------------------------------------------------------------


def test_maintenance_and_back_to_work(database: Database, admin: Actor) -> None:
    truck = _add(database, admin, "KDA 123B")
    until = NOW + timedelta(days=2)
    info = fleet.send_to_maintenance(database.sessions, admin, truck, until, now=NOW)
    assert (info.status, info.available_at, info.version) == (VehicleStatus.MAINTENANCE, until, 2)
    board = fleet.board(database.sessions, admin, now=NOW)
    assert [v.id for v in board.group(VehicleStatus.MAINTENANCE).vehicles] == [truck]

    back = NOW + timedelta(days=1, hours=3)
    info = fleet.mark_available(database.sessions, admin, truck, "Athi-River", back, now=NOW)
    assert (info.status, info.location_name, info.available_at) == (
        VehicleStatus.AVAILABLE,
        "Athi River",
        back,
    )
    (entry,) = _audit(database, "vehicle.available")
    assert entry.details["from"] == "maintenance"
    assert (entry.details["was_at"], entry.details["at"]) == ("Senga Nairobi Depot", "Athi River")
    with pytest.raises(ValidationError, match="not a known town") as caught:
        fleet.mark_available(database.sessions, admin, truck, "Atlantis")
    assert caught.value.field == "town"
    info = fleet.mark_available(database.sessions, admin, truck, now=NOW)
    assert (info.location_name, info.available_at) == ("Senga Nairobi Depot", NOW)

    with pytest.raises(ValidationError, match="in the future"):
        fleet.send_to_maintenance(
            database.sessions, admin, truck, NOW - timedelta(hours=1), now=NOW
        )
    off = fleet.set_off_duty(database.sessions, admin, truck, now=NOW)
    assert (off.status, off.available_at) == (VehicleStatus.OFF_DUTY, None)
    (maintenance,) = _audit(database, "vehicle.maintenance")
    assert maintenance.details == {"from": "available", "until": until.isoformat()}
    assert len(_audit(database, "vehicle.off_duty")) == 1


def test_a_committed_route_needs_confirmation(database: Database, admin: Actor) -> None:
    truck = _add(database, admin, "KDA 123B")
    until = NOW + timedelta(days=1)
    with unit_of_work(database.sessions) as session:
        vehicle = session.get(Vehicle, truck)
        assert vehicle is not None
        soon = make_route(
            session,
            vehicle,
            status=RouteStatus.PLANNED,
            planned_start=NOW + timedelta(hours=3),
            destination_cities=["Nakuru"],
            order_ids=["ORD-1", "ORD-2"],
        )
        make_route(session, vehicle, status=RouteStatus.PLANNED, planned_start=until + timedelta(1))
        make_route(session, vehicle, status=RouteStatus.COMPLETED, planned_start=NOW)
        soon_id = soon.route_id

    with pytest.raises(VehicleHasCommittedRoutes) as caught:
        fleet.send_to_maintenance(database.sessions, admin, truck, until, now=NOW)
    (affected,) = caught.value.routes
    assert (affected.route_id, affected.status, affected.order_count) == (
        soon_id,
        RouteStatus.PLANNED,
        2,
    )
    assert affected.destination_cities == ("Nakuru",)
    assert "KDA 123B is on 1 committed route(s)" in str(caught.value)
    info = fleet.get_vehicle(database.sessions, admin, truck)
    assert (info.status, info.version) == (VehicleStatus.AVAILABLE, 1)  # nothing changed

    info = fleet.send_to_maintenance(database.sessions, admin, truck, until, confirm=True, now=NOW)
    assert info.status is VehicleStatus.MAINTENANCE
    with unit_of_work(database.sessions) as session:
        flags = dict(session.execute(select(Route.route_id, Route.attention_reason)).all())
    assert flags.pop(soon_id).startswith("KDA 123B was sent to maintenance until Thu 26 Nov 10:00")
    assert set(flags.values()) == {None}  # the later and the finished route are untouched
    (flagged,) = _audit(database, "route.flagged")
    assert flagged.entity_id == soon_id
    (entry,) = _audit(database, "vehicle.maintenance")
    assert entry.details["flagged_routes"] == [soon_id]


def test_retiring_takes_a_truck_off_the_board_for_good(database: Database, admin: Actor) -> None:
    truck = _add(database, admin, "KDA 123B")
    with unit_of_work(database.sessions) as session:
        vehicle = session.get(Vehicle, truck)
        assert vehicle is not None
        make_route(session, vehicle, status=RouteStatus.IN_PROGRESS, planned_start=NOW)
    with pytest.raises(VehicleHasCommittedRoutes):
        fleet.retire_vehicle(database.sessions, admin, truck)
    with pytest.raises(VehicleHasCommittedRoutes):  # in progress: affected whatever the time
        fleet.set_off_duty(database.sessions, admin, truck, NOW + timedelta(days=900))
    info = fleet.retire_vehicle(database.sessions, admin, truck, reason="Sold", confirm=True)
    assert info.status is VehicleStatus.RETIRED
    assert fleet.board(database.sessions, admin).total == 0
    (entry,) = _audit(database, "vehicle.retired")
    assert entry.details["note"] == "Sold"
    with pytest.raises(ValidationError, match="retired: mark it available first"):
        fleet.send_to_maintenance(database.sessions, admin, truck, None)
    with unit_of_work(database.sessions) as session:  # kept for its route history
        assert session.get(Vehicle, truck) is not None
    info = fleet.mark_available(database.sessions, admin, truck, "Nairobi")
    assert info.status is VehicleStatus.AVAILABLE
