"""Learning from outcomes on real databases (controllers/learning): observations built from the
rows, folding into belief versions, flagged outcomes, resets, permissions and two desktops
folding at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from senga_desktop.controllers import learning
from senga_desktop.controllers.learning_observations import (
    NotObservable,
    customers_of,
    depot_place,
    observe,
)
from senga_desktop.controllers.outcome_records import OrderResult, RouteActuals, finish_route
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.db.models import (
    AuditLog,
    BeliefVersion,
    Customer,
    OperationalOutcome,
    Route,
    RouteStop,
    Vehicle,
)
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import (
    LearningStatus,
    OrderStatus,
    RouteStatus,
    StopResult,
    StopType,
    VehicleStatus,
)
from senga_desktop.engine.learning import LearnedBelief
from senga_desktop.errors import PermissionDenied, ValidationError
from senga_desktop.gazetteer import haversine_km
from tests.factories import make_customer, make_order, make_route, make_vehicle

DAY = datetime(2026, 11, 2, 5, tzinfo=UTC)  # 08:00 in Nairobi
DEPOT = (-1.3090, 36.8480)  # the settings' default depot, in Nairobi
NAKURU = {"name": "Nakuru", "lat": -0.3031, "lon": 36.0800}
THIKA = {"name": "Thika", "lat": -1.0333, "lon": 37.0693}
TRUE_SPEED = 50.0  # a 10 t truck's planning speed: the hidden world agrees
SLOW = 1.8  # Nairobi - Nakuru really runs 80 % over the straight line, not 30 %
NORMAL = 1.3
LOADING, SERVICE = 30.0, 20.0
_PLATES = count(1)


def gc_km(place: dict[str, Any]) -> float:
    return haversine_km(DEPOT[0], DEPOT[1], float(place["lat"]), float(place["lon"]))


@dataclass(frozen=True)
class World:
    """The hidden truth a test's routes are driven in."""

    factors: dict[str, float]
    dwell: dict[str, float]  # customer id -> minutes at the stop (else SERVICE)


def make_truck(session: Session, **fields: Any) -> Vehicle:
    values: dict[str, Any] = {
        "registration_plate": f"KDL {next(_PLATES):03d}L",
        "vehicle_type": "Heavy truck 10 t",
        "status": VehicleStatus.ON_ROUTE,
    }
    return make_vehicle(session, **(values | fields))


def complete_route(
    session: Session,
    world: World,
    *,
    truck: Vehicle,
    place: dict[str, Any],
    customer: Customer,
    day: int,
    distance_scale: float = 1.0,
    timed: bool = True,
) -> OperationalOutcome:
    """A committed one-stop route from the depot to ``place`` and back, driven in ``world``
    and completed through the shared ``finish_route`` (stop times recorded when ``timed``)."""
    start = DAY + timedelta(days=day)
    order = make_order(session, customer, destination_city=place["name"],
                       destination_location=place, status=OrderStatus.ASSIGNED,
                       time_window_start=start,
                       time_window_end=start + timedelta(hours=12))  # fmt: skip
    leg = gc_km(place)
    km = 2 * leg * world.factors[place["name"]]
    drive = leg * world.factors[place["name"]] / TRUE_SPEED * 60
    dwell = world.dwell.get(customer.customer_id, SERVICE)
    route = make_route(session, truck, stops=1, status=RouteStatus.PLANNED, planned_start=start,
                       order_ids=[order.order_id], destination_cities=[place["name"]],
                       total_distance_km=Decimal(f"{2 * leg * NORMAL:.3f}"),
                       estimated_duration_minutes=round(LOADING + 2 * leg * NORMAL / 50 * 60
                                                        + SERVICE))  # fmt: skip
    stop = route.stops[0]
    stop.location = dict(place)
    stop.order_ids = [order.order_id]
    arrived = start + timedelta(minutes=LOADING + drive)
    if timed:
        stop.actual_arrival = arrived
        stop.actual_departure = arrived + timedelta(minutes=dwell)
    order.assigned_route_id = route.id
    session.flush()
    end = arrived + timedelta(minutes=dwell + drive)
    minutes = round((end - start).total_seconds() / 60)
    cost = (
        truck.fuel_cost_per_km * Decimal(f"{km:.3f}")
        + truck.driver_cost_per_hour * Decimal(minutes) / 60
    )
    actuals = RouteActuals(
        distance_km=Decimal(f"{km * distance_scale:.3f}"),
        duration_minutes=minutes,
        cost_kes=cost.quantize(Decimal("0.01")),
        departed_at=start,
        returned_at=end,
    )
    outcome = finish_route(session, route, actuals, [OrderResult(order.order_id,
                           StopResult.DELIVERED)], failed_to=OrderStatus.PENDING,
                           recorded_by=None, now=end)  # fmt: skip
    truck.status = VehicleStatus.ON_ROUTE  # the next test route takes it out again
    return outcome


@dataclass(frozen=True)
class History:
    nakuru_customer: str
    thika_customer: str
    outcome_ids: tuple[int, ...]


def record_history(
    database: Database, *, nakuru: int = 6, thika: int = 4, first_day: int = 0
) -> History:
    """``nakuru`` routes on the slow corridor and ``thika`` on a normal one."""
    ids: list[int] = []
    with unit_of_work(database.sessions) as session:
        truck = make_truck(session)
        slow_customer = make_customer(session)
        thika_customer = make_customer(session)
        world = World({"Nakuru": SLOW, "Thika": NORMAL}, {thika_customer.customer_id: 45.0})
        day = first_day
        for place, customer, n in ((NAKURU, slow_customer, nakuru),
                                   (THIKA, thika_customer, thika)):  # fmt: skip
            for _ in range(n):
                outcome = complete_route(session, world, truck=truck, place=place,
                                         customer=customer, day=day)  # fmt: skip
                ids.append(outcome.id)
                day += 1
        truck.status = VehicleStatus.AVAILABLE
        return History(slow_customer.customer_id, thika_customer.customer_id, tuple(ids))


def _statuses(database: Database) -> list[tuple[LearningStatus, int | None]]:
    with unit_of_work(database.sessions) as session:
        rows = session.execute(
            select(OperationalOutcome.learning_status, OperationalOutcome.belief_version).order_by(
                OperationalOutcome.id
            )
        )
        return [(status, version) for status, version in rows]


def _versions(database: Database) -> list[int]:
    with unit_of_work(database.sessions) as session:
        return list(session.scalars(select(BeliefVersion.version).order_by(BeliefVersion.version)))


# --- observations ------------------------------------------------------------------------------


def test_a_timed_route_becomes_legs_visits_and_costs(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        truck = make_truck(session, fixed_cost_kes=Decimal("1000.00"))
        customer = make_customer(session)
        world = World({"Nakuru": SLOW}, {customer.customer_id: 35.0})
        outcome = complete_route(session, world, truck=truck, place=NAKURU, customer=customer,
                                 day=0)  # fmt: skip
        route = session.get_one(Route, outcome.route_id)
        obs = observe(outcome, route, depot_place(session), customers_of(session, [route]),
                      loading_minutes=LOADING)  # fmt: skip
    assert obs.key == outcome.outcome_id
    assert obs.vehicle_type == "Heavy truck 10 t"
    assert [(leg.town_a, leg.town_b) for leg in obs.legs] == [
        ("Nairobi", "Nakuru"),
        ("Nakuru", "Nairobi"),
    ]
    leg_km = gc_km(NAKURU)
    assert [leg.great_circle_km for leg in obs.legs] == pytest.approx([leg_km, leg_km])
    drive = leg_km * SLOW / TRUE_SPEED * 60
    # The clock starts with the loading: the first leg's driving begins 30 minutes later.
    assert [leg.minutes for leg in obs.legs] == pytest.approx([drive, drive], abs=0.02)
    assert [(v.customer_id, v.dwell_minutes) for v in obs.visits] == [(customer.customer_id, 35.0)]
    assert obs.loadings == 1
    assert obs.distance_km == pytest.approx(2 * leg_km * SLOW, abs=0.001)
    assert obs.duration_minutes == outcome.actual_duration_minutes
    hourly = 600 * outcome.actual_duration_minutes / 60
    assert obs.km_cost_kes == pytest.approx(
        float(outcome.actual_cost_kes) - hourly - 1000, abs=0.01
    )
    assert obs.cost_per_km_kes == 85.0


def test_a_route_recorded_in_bulk_has_no_times_and_an_unmeasured_cost_none(
    database: Database,
) -> None:
    with unit_of_work(database.sessions) as session:
        truck = make_truck(session)
        customer = make_customer(session)
        outcome = complete_route(session, World({"Nakuru": SLOW}, {}), truck=truck,
                                 place=NAKURU, customer=customer, day=0, timed=False)  # fmt: skip
        route = session.get_one(Route, outcome.route_id)
        route.actual_start = route.actual_end = None
        outcome.additional_metrics = {**outcome.additional_metrics,
                                      "cost": {"measured": False}}  # fmt: skip
        obs = observe(outcome, route, depot_place(session), customers_of(session, [route]),
                      loading_minutes=LOADING)  # fmt: skip
    assert [leg.minutes for leg in obs.legs] == [None, None]
    assert [v.dwell_minutes for v in obs.visits] == [None]
    assert obs.km_cost_kes is None
    assert obs.distance_km is not None
    assert obs.distance_km > 0


def test_a_second_trip_passes_the_depot_and_counts_a_loading(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        truck = make_truck(session)
        customer = make_customer(session)
        outcome = complete_route(session, World({"Nakuru": NORMAL}, {}), truck=truck,
                                 place=NAKURU, customer=customer, day=0)  # fmt: skip
        route = session.get_one(Route, outcome.route_id)
        first = route.stops[0]
        route.stops.append(
            RouteStop(
                stop_id=f"{route.route_id}-S9", location=dict(THIKA), order_ids=first.order_ids,
                stop_type=StopType.DELIVERY, sequence_order=1, trip=1,
            )
        )  # fmt: skip
        session.flush()
        obs = observe(outcome, route, depot_place(session), customers_of(session, [route]),
                      loading_minutes=LOADING)  # fmt: skip
    towns = [(leg.town_a, leg.town_b) for leg in obs.legs]
    assert towns == [
        ("Nairobi", "Nakuru"),
        ("Nakuru", "Nairobi"),
        ("Nairobi", "Thika"),
        ("Thika", "Nairobi"),
    ]
    assert obs.loadings == 2
    # The reload's times are the plan's: the legs around it are not timed.
    assert obs.legs[0].minutes is not None
    assert [leg.minutes for leg in obs.legs[1:]] == [None, None, None]


def test_a_stop_without_coordinates_cannot_be_observed(database: Database) -> None:
    with unit_of_work(database.sessions) as session:
        truck = make_truck(session)
        customer = make_customer(session)
        outcome = complete_route(session, World({"Nakuru": NORMAL}, {}), truck=truck,
                                 place=NAKURU, customer=customer, day=0)  # fmt: skip
        route = session.get_one(Route, outcome.route_id)
        route.stops[0].location = {"name": "Nakuru"}
        with pytest.raises(NotObservable, match="stop 1 has no coordinates"):
            observe(outcome, route, depot_place(session), {}, loading_minutes=LOADING)


# --- folding -----------------------------------------------------------------------------------


def test_nothing_learned_yet_shows_the_defaults(
    database: Database, people: dict[str, Actor]
) -> None:
    view = learning.learned_view(database.sessions, people["otieno"])
    assert view.version is None
    assert view.created_at is None
    assert view.change.startswith("Nothing learned yet")
    assert view.pending == 0
    assert not view.flagged
    assert not view.can_reset  # a dispatcher may look, not reset
    service = view.row("service", "")
    assert service is not None
    assert service.default == SERVICE
    assert service.value == pytest.approx(SERVICE)
    assert service.label == "Every stop"
    assert learning.fold_outcomes(database.sessions) == learning.FoldResult(None, 0, 0)
    assert _versions(database) == []


def test_folding_moves_the_slow_corridor_and_marks_the_outcomes_used(
    database: Database, people: dict[str, Actor]
) -> None:
    history = record_history(database)
    assert learning.learned_view(database.sessions, people["wanjiku"]).pending == 10
    result = learning.fold_outcomes(database.sessions)
    assert result == learning.FoldResult(1, 10, 0)
    assert _statuses(database) == [(LearningStatus.USED, 1)] * 10
    with unit_of_work(database.sessions) as session:
        row = session.scalars(select(BeliefVersion)).one()
        assert row.change == "learned from 10 routes"
        assert row.last_outcome_id == max(history.outcome_ids)
        assert row.created_by is None
        version, belief = learning.current_belief(session)
    assert version == 1
    slow = belief.corridor_factor("Nakuru", "Nairobi")
    assert slow > 1.55, "six routes at 1.8 should pull the factor well above the default 1.3"
    assert slow < 1.9
    assert belief.corridor_factor("Nairobi", "Thika") == pytest.approx(NORMAL, abs=0.08)
    view = learning.learned_view(database.sessions, people["wanjiku"])
    assert view.version == 1
    assert view.created_by is None
    assert view.can_reset
    assert view.pending == 0
    corridor = view.row("corridor", "Nairobi|Nakuru")
    assert corridor is not None
    assert corridor.label == "Nairobi \u2013 Nakuru"
    assert corridor.what == "Road factor"
    assert corridor.unit == "x"
    assert corridor.default == pytest.approx(NORMAL)
    assert corridor.value == pytest.approx(slow)
    assert corridor.observations == 6
    assert corridor.low <= corridor.value <= corridor.high
    assert corridor.change_pct == pytest.approx((slow - NORMAL) / NORMAL * 100)
    speed = view.row("speed", "Heavy truck 10 t")
    assert speed is not None
    assert speed.label == "Heavy truck 10 t"
    assert speed.default == 50.0
    slow_stops = view.row("customer_service", history.thika_customer)
    assert slow_stops is not None
    assert slow_stops.value > SERVICE  # 45 minutes a stop there
    assert slow_stops.label.endswith(f"({history.thika_customer})")
    kinds = [r.kind for r in view.rows]
    assert kinds == sorted(kinds, key=["corridor", "speed", "cost_per_km", "service",
                                       "customer_service"].index)  # fmt: skip


def test_folding_is_deterministic(database: Database) -> None:
    record_history(database, nakuru=4, thika=2)
    learning.fold_outcomes(database.sessions)
    with unit_of_work(database.sessions) as session:
        stored = session.scalars(select(BeliefVersion)).one().state
        outcomes = session.scalars(select(OperationalOutcome).order_by(OperationalOutcome.id))
        depot = depot_place(session)
        rows = list(outcomes)
        routes = [session.get_one(Route, o.route_id) for o in rows]
        customers = customers_of(session, routes)
        again = LearnedBelief.start(learning.fleet_prior(session))
        for outcome, route in zip(rows, routes, strict=True):
            again.update(observe(outcome, route, depot, customers, loading_minutes=LOADING))
    assert again.to_json() == stored


def test_folding_twice_adds_nothing(database: Database) -> None:
    record_history(database, nakuru=3, thika=1)
    assert learning.fold_outcomes(database.sessions) == learning.FoldResult(1, 4, 0)
    assert learning.fold_outcomes(database.sessions) == learning.FoldResult(1, 0, 0)
    assert _versions(database) == [1]
    record_history(database, nakuru=2, thika=0, first_day=20)
    assert learning.fold_outcomes(database.sessions) == learning.FoldResult(2, 2, 0)
    assert _statuses(database) == [(LearningStatus.USED, 1)] * 4 + [(LearningStatus.USED, 2)] * 2
    with unit_of_work(database.sessions) as session:
        latest = session.scalars(select(BeliefVersion).where(BeliefVersion.version == 2)).one()
        assert latest.change == "learned from 2 routes"


def test_a_tenfold_distance_typo_is_flagged_and_moves_nothing(
    database: Database, people: dict[str, Actor]
) -> None:
    record_history(database)
    learning.fold_outcomes(database.sessions)
    with unit_of_work(database.sessions) as session:
        _, before = learning.current_belief(session)
        truck = make_truck(session)
        customer = make_customer(session)
        typo = complete_route(session, World({"Nakuru": SLOW}, {}), truck=truck, place=NAKURU,
                              customer=customer, day=30, distance_scale=10.0)  # fmt: skip
        typo_id, route_pk = typo.outcome_id, typo.route_id
    result = learning.fold_outcomes(database.sessions)
    assert (result.used, result.flagged) == (0, 1)
    assert result.version == 1  # nothing learned: no new version
    with unit_of_work(database.sessions) as session:
        outcome = session.scalars(
            select(OperationalOutcome).where(OperationalOutcome.outcome_id == typo_id)
        ).one()
        assert outcome.learning_status is LearningStatus.FLAGGED
        assert outcome.belief_version is None
        note = outcome.learning_note or ""
        assert "distance" in note
        assert note.endswith(".")
        _, after = learning.current_belief(session)
        route_id = session.get_one(Route, route_pk).route_id
    assert after.to_json() == before.to_json()
    view = learning.learned_view(database.sessions, people["wanjiku"])
    assert [(f.outcome_id, f.route_id, f.note) for f in view.flagged] == [(typo_id, route_id, note)]


# --- resetting ---------------------------------------------------------------------------------


def test_a_manager_resets_one_estimate_in_a_new_audited_version(
    database: Database, people: dict[str, Actor]
) -> None:
    record_history(database)
    learning.fold_outcomes(database.sessions)
    before = learning.learned_view(database.sessions, people["wanjiku"])
    view = learning.reset_estimate(database.sessions, people["wanjiku"], "corridor",
                                   "Nairobi|Nakuru")  # fmt: skip
    assert view.version == 2
    assert view.created_by == "wanjiku"
    assert view.change == "Road factor for Nairobi \u2013 Nakuru reset to its default"
    corridor = view.row("corridor", "Nairobi|Nakuru")
    assert corridor is None or (corridor.observations == 0 and corridor.value == corridor.default)
    assert view.row("corridor", "Nairobi|Thika") == before.row("corridor", "Nairobi|Thika")
    with unit_of_work(database.sessions) as session:
        _, belief = learning.current_belief(session)
        assert belief.corridor_factor("Nairobi", "Nakuru") == pytest.approx(NORMAL)
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "belief.reset")).one()
        assert entry.username == "wanjiku"
        assert entry.entity_id == "2"
        assert entry.details["kind"] == "corridor"
        assert entry.details["observations"] == 6
        first = session.scalars(select(BeliefVersion).where(BeliefVersion.version == 1)).one()
        assert LearnedBelief.from_json(first.state).corridor_factor("Nairobi", "Nakuru") > 1.5
    assert _statuses(database) == [(LearningStatus.USED, 1)] * 10  # the evidence stays used


def test_a_dispatcher_may_not_reset(database: Database, people: dict[str, Actor]) -> None:
    record_history(database, nakuru=3, thika=0)
    learning.fold_outcomes(database.sessions)
    with pytest.raises(PermissionDenied, match=r"learning\.manage"):
        learning.reset_estimate(database.sessions, people["otieno"], "corridor", "Nairobi|Nakuru")
    assert _versions(database) == [1]
    # An administrator may.
    view = learning.reset_estimate(database.sessions, people["admin"], "corridor",
                                   "Nairobi|Nakuru")  # fmt: skip
    assert view.version == 2


def test_resetting_what_has_no_evidence_says_so(
    database: Database, people: dict[str, Actor]
) -> None:
    manager = people["wanjiku"]
    with pytest.raises(ValidationError, match="Nothing has been learned yet"):
        learning.reset_estimate(database.sessions, manager, "corridor", "Nairobi|Nakuru")
    record_history(database, nakuru=3, thika=0)
    learning.fold_outcomes(database.sessions)
    with pytest.raises(ValidationError, match="Kisumu \u2013 Nairobi is at its default already"):
        learning.reset_estimate(database.sessions, manager, "corridor", "Kisumu|Nairobi")
    with pytest.raises(ValidationError, match="Unknown kind of estimate"):
        learning.reset_estimate(database.sessions, manager, "weather", "")
    assert _versions(database) == [1]


# --- two desktops ------------------------------------------------------------------------------


def _run_in_threads(*calls: Any) -> list[Any]:
    """Run the calls at the same moment on their own threads; their results, or raise."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = calls[index]()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a fold never finished"
    if errors:
        raise errors[0]
    return results


def test_two_desktops_folding_at_once_write_one_version(database: Database) -> None:
    record_history(database, nakuru=6, thika=4)
    first, second = _run_in_threads(
        lambda: learning.fold_outcomes(database.sessions),
        lambda: learning.fold_outcomes(database.sessions),
    )
    assert {first, second} == {learning.FoldResult(1, 10, 0), learning.FoldResult(1, 0, 0)}
    assert _versions(database) == [1]
    assert _statuses(database) == [(LearningStatus.USED, 1)] * 10


@pytest.fixture
def competing(database: Database) -> Iterator[Session]:
    """Another desktop's transaction, left open by the test."""
    session = database.sessions()
    yield session
    session.rollback()
    session.close()


def _waiting_on_a_lock(database: Database) -> bool:
    with database.engine.connect() as connection:
        waiting = connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


def test_the_desktop_that_loses_the_version_folds_again_on_the_fresh_state(
    database: Database, competing: Session
) -> None:
    record_history(database, nakuru=4, thika=2)
    # Another desktop has written version 1 (a reset, say) but not committed yet.
    if database.backend == "sqlite":
        competing.execute(text("UPDATE beliefs SET version = version WHERE id < 0"))
    competing.add(
        BeliefVersion(
            version=1,
            state=LearnedBelief.start(learning.fleet_prior(competing)).to_json(),
            change="another desktop",
        )
    )
    competing.flush()
    outcome: list[learning.FoldResult] = []
    thread = threading.Thread(
        target=lambda: outcome.append(learning.fold_outcomes(database.sessions))
    )
    thread.start()
    if database.backend == "postgresql":
        # Let the fold reach the version it cannot take before the other desktop commits.
        deadline = datetime.now(UTC) + timedelta(seconds=60)
        while not _waiting_on_a_lock(database):
            assert datetime.now(UTC) < deadline, "the fold never waited for the other desktop"
            thread.join(timeout=0.05)
    competing.commit()
    thread.join(timeout=120)
    assert outcome == [learning.FoldResult(2, 6, 0)]
    assert _versions(database) == [1, 2]
    assert _statuses(database) == [(LearningStatus.USED, 2)] * 6
    with unit_of_work(database.sessions) as session:
        changes = dict(session.execute(select(BeliefVersion.version, BeliefVersion.change)).all())
        assert changes == {1: "another desktop", 2: "learned from 6 routes"}
        assert session.scalar(select(func.count()).select_from(BeliefVersion)) == 2


def test_a_route_that_cannot_be_observed_is_flagged_with_why(database: Database) -> None:
    record_history(database, nakuru=2, thika=0)
    with unit_of_work(database.sessions) as session:
        truck = make_truck(session)
        odd = complete_route(session, World({"Nakuru": SLOW}, {}), truck=truck, place=NAKURU,
                             customer=make_customer(session), day=30)  # fmt: skip
        session.get_one(Route, odd.route_id).stops[0].location = {"name": "Nakuru"}
        odd_id = odd.id
    assert learning.fold_outcomes(database.sessions) == learning.FoldResult(1, 2, 1)
    with unit_of_work(database.sessions) as session:
        outcome = session.get_one(OperationalOutcome, odd_id)
        assert outcome.learning_status is LearningStatus.FLAGGED
        assert "stop 1 has no coordinates" in (outcome.learning_note or "")
        row = session.scalars(select(BeliefVersion)).one()
        assert row.change == "learned from 2 routes (1 flagged)"
        assert row.last_outcome_id == odd_id
