"""Revision 0009 (manual-edit decisions) on a database holding data: no route or outcome loses
its decision on the way down or up (SQLite rebuilds the decisions table), a manual edit becomes a
planning decision going down, and the widened CHECK takes the new type and nothing else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from senga_desktop.db import migrate
from senga_desktop.db.engine import Database
from senga_desktop.db.models import Decision, OperationalOutcome
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import DecisionType, PolicyName
from tests.factories import make_route, make_vehicle


def _decision(decision_id: str, kind: DecisionType, **fields: object) -> Decision:
    return Decision(
        decision_id=decision_id,
        decision_type=kind,
        policy_used=PolicyName.CFA,
        state_snapshot={"state": {}},
        total_cost_estimate=Decimal("100.00"),
        computation_time_ms=5,
        **fields,
    )


def _links(database: Database) -> dict[str, object]:
    with database.engine.connect() as connection:
        routes = dict(connection.execute(text("SELECT route_id, decision_id FROM routes")).all())
        outcomes = dict(
            connection.execute(
                text("SELECT outcome_id, decision_id FROM operational_outcomes")
            ).all()
        )
        types = dict(
            connection.execute(text("SELECT decision_id, decision_type FROM decisions")).all()
        )
    return {"routes": routes, "outcomes": outcomes, "types": types}


def test_links_to_decisions_survive_downgrading_and_upgrading(empty_database: Database) -> None:
    database = empty_database
    migrate.upgrade(database)
    with unit_of_work(database.sessions) as session:
        engine = _decision("DEC-ENGINE", DecisionType.PLANNING)
        session.add(engine)
        session.flush()
        edited = _decision("DEC-EDITED", DecisionType.MANUAL_EDIT, base_decision_id=engine.id,
                           edits=[{"kind": "swap_truck", "vehicle_id": "KBX 123A"}])  # fmt: skip
        session.add(edited)
        session.flush()
        truck = make_vehicle(session)
        first = make_route(session, truck, route_id="RT-ENGINE", decision=engine)
        make_route(session, truck, route_id="RT-EDITED", decision=edited)
        session.add(
            OperationalOutcome(
                outcome_id="OUT-1",
                route=first,
                decision=engine,
                actual_cost_kes=Decimal(1),
                actual_duration_minutes=1,
                actual_distance_km=Decimal(1),
            )
        )
    before = _links(database)
    assert None not in before["routes"].values()  # type: ignore[attr-defined]

    migrate.downgrade(database, "0008")
    down = _links(database)
    assert down["routes"] == before["routes"]
    assert down["outcomes"] == before["outcomes"]
    assert down["types"] == {"DEC-ENGINE": "planning", "DEC-EDITED": "planning"}

    migrate.upgrade(database)
    assert _links(database) == down
    assert migrate.schema_differences(database) == []
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE decisions SET decision_type = 'manual_edit' WHERE decision_id = :d"),
            {"d": "DEC-EDITED"},
        )
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET decision_type = 'guesswork'"))
