"""Importing route outcomes from a CSV or XLSX file: the preview and the all-or-nothing commit.

One row per route a truck has driven (``resources/templates/outcomes-template.csv``):
``route_id, actual_distance_km, actual_duration_minutes, actual_cost_kes, delivered, late,
failed`` (the orders delivered on time, late and failed), optional ``failed_orders`` (the order
numbers that failed, needed when ``failed`` is not 0 so they can be planned again),
``departed_at``, ``returned_at`` (in the depot's time zone unless the cell says otherwise),
``fuel_litres`` and ``notes``. An export (:mod:`~senga_desktop.controllers.outcome_export`)
writes these columns first, so it imports into another database again; the estimate and error
columns after them are passed over.

The routes, their orders and whether they have an outcome are loaded once for the whole file,
so 10,000 rows cost a few dozen queries. The commit completes every route through
:func:`~senga_desktop.controllers.outcome_records.finish_route` in one unit of work, or none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError as OrmStaleDataError

from senga_desktop.controllers import audit
from senga_desktop.controllers.imports.columns import CellError, resolve_columns
from senga_desktop.controllers.imports.outcome_columns import (
    DURATION_TOLERANCE_MINUTES,
    INFORMATIONAL,
    LABELS,
    MAX_COST_KES,
    MAX_DISTANCE_KM,
    MAX_DURATION_MINUTES,
    MAX_FUEL_LITRES,
    OUTCOME_COLUMNS,
    OUTCOME_IMPORT_COLUMNS,
)
from senga_desktop.controllers.imports.outcome_routes import (
    RouteFacts,
    load_route_facts,
    route_problem,
)
from senga_desktop.controllers.imports.preview import (
    ImportPreview,
    ImportRefused,
    ImportResult,
    RowCells,
    build_preview,
    column_texts,
    rows_to_write,
)
from senga_desktop.controllers.imports.table import read_table
from senga_desktop.controllers.numbering import is_duplicate_key
from senga_desktop.controllers.outcome_bulk import RouteFinish, finish_routes
from senga_desktop.controllers.outcome_records import (
    OUTCOME_ROUTE_CLASH,
    OrderResult,
    RouteActuals,
)
from senga_desktop.controllers.outcome_rules import check_failed_to
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import FailureReason, OrderStatus, StopResult
from senga_desktop.errors import StaleDataError, ValidationError

__all__ = [
    "OUTCOME_COLUMNS",
    "OUTCOME_IMPORT_COLUMNS",
    "ImportedOutcome",
    "commit_outcomes",
    "preview_outcomes",
]

_SEPARATORS = re.compile(r"[;,\s]+")
_KM = Decimal("0.001")
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class ImportedOutcome:
    """A row read from the file: the route (its number as stored) and what it really took."""

    route_id: str
    distance_km: Decimal
    duration_minutes: int
    cost_kes: Decimal
    on_time: int
    late: int
    failed: int
    failed_orders: tuple[str, ...] = ()
    departed_at: datetime | None = None
    returned_at: datetime | None = None
    fuel_litres: Decimal | None = None
    notes: str | None = None

    def actuals(self) -> RouteActuals:
        return RouteActuals(
            distance_km=self.distance_km,
            duration_minutes=self.duration_minutes,
            cost_kes=self.cost_kes,
            departed_at=self.departed_at,
            returned_at=self.returned_at,
            fuel_litres=self.fuel_litres,
            notes=self.notes,
            counts=(self.on_time, self.late, self.failed),
        )

    def results(self) -> list[OrderResult]:
        """The failed orders only: the file says how many of the others were late but not
        which, so finish_route hands out on time and late from the counts."""
        note = "Recorded from an outcomes file, which gives no reason."
        return [
            OrderResult(o, StopResult.FAILED, failure_reason=FailureReason.OTHER, note=note)
            for o in self.failed_orders
        ]


def _whole_minutes(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _limits(cells: RowCells, name: str, value: Decimal | None, most: Decimal, fix: str) -> None:
    if value is None:
        return
    label = LABELS[name]
    if value < 0:
        cells.problem(name, f"{label[:1].upper()}{label[1:]} cannot be negative.")
    elif value > most:
        cells.problem(name, f"{value:,} is more than {most:,}, which no route reaches: {fix}.")


def _failed_list(
    cells: RowCells, facts: RouteFacts, failed: int | None, text: str | None
) -> tuple[str, ...]:
    """The route's order numbers that ``text`` names (checked against ``failed``)."""
    named = [part for part in _SEPARATORS.split(text or "") if part]
    known = {o.casefold(): o for o in facts.order_ids}
    found: list[str] = []
    for part in named:
        order = known.get(part.casefold())
        if order is None:
            listed = ", ".join(facts.order_ids) or "none"
            cells.problem(
                "failed_orders",
                f"{part} is not on route {facts.route_id} (its orders: {listed}).",
            )
            return ()
        if order not in found:
            found.append(order)
    if failed is None:
        return tuple(found)
    if failed and not found:
        cells.problem(
            "failed_orders",
            f"{failed} orders failed: name them in a failed_orders column (order numbers "
            "separated by ;) so they can go back to pending.",
        )
    elif len(found) != failed:
        cells.problem(
            "failed_orders",
            f"{len(found)} order numbers are listed but failed says {failed}: list exactly "
            "the orders that were not delivered.",
        )
    return tuple(found)


def _times(
    cells: RowCells,
    departed: datetime | None,
    returned: datetime | None,
    duration: int | None,
    now: datetime,
) -> None:
    for name, moment in (("departed_at", departed), ("returned_at", returned)):
        if moment is not None and moment > now + timedelta(minutes=DURATION_TOLERANCE_MINUTES):
            cells.problem(name, "This time is in the future: record a route after it returned.")
    if departed is None or returned is None or {"departed_at", "returned_at"} & cells.failed:
        return
    if returned < departed:
        cells.problem(
            "returned_at", "The return is before the departure: check both dates and times."
        )
        return
    span = round((returned - departed).total_seconds() / 60)
    if duration is not None and abs(span - duration) > DURATION_TOLERANCE_MINUTES:
        cells.problem(
            "actual_duration_minutes",
            f"{duration} minutes, but from departed_at to returned_at is {span} minutes: "
            f"correct one of them (they may differ by {DURATION_TOLERANCE_MINUTES}).",
        )


def _parse_row(
    cells: RowCells,
    facts: dict[str, RouteFacts],
    seen: dict[str, int],
    zone: ZoneInfo,
    now: datetime,
) -> ImportedOutcome | None:
    route: RouteFacts | None = None
    text = cells.text("route_id", required=True)
    if text is not None:
        route = facts.get(text.casefold())
        key = route.route_id if route else text.casefold()
        if key in seen:
            cells.problem(
                "route_id",
                f"Route {text} appears twice in the file (first in row {seen[key]}): a route "
                "has one outcome; keep one row.",
            )
            route = None
        elif (problem := route_problem(text, route)) is not None:
            cells.problem("route_id", problem)
            route = None
        seen.setdefault(key, cells.row_number)
    distance = cells.decimal("actual_distance_km", required=True)
    raw_duration = cells.decimal("actual_duration_minutes", required=True)
    cost = cells.decimal("actual_cost_kes", required=True)
    counts = [cells.integer(name, required=True) for name in ("delivered", "late", "failed")]
    failed_text = cells.text("failed_orders")
    departed = cells.moment("departed_at", zone)
    returned = cells.moment("returned_at", zone)
    fuel = cells.decimal("fuel_litres")
    notes = cells.text("notes")
    _limits(cells, "actual_distance_km", distance, MAX_DISTANCE_KM, "check it is in km")
    _limits(cells, "actual_duration_minutes", raw_duration, Decimal(MAX_DURATION_MINUTES),
            f"check it is in minutes (a week is {MAX_DURATION_MINUTES:,})")  # fmt: skip
    _limits(cells, "actual_cost_kes", cost, MAX_COST_KES, "check it is in KES")
    _limits(cells, "fuel_litres", fuel, MAX_FUEL_LITRES, "check it is in litres")
    for name, count in zip(("delivered", "late", "failed"), counts, strict=True):
        if count is not None and count < 0:
            cells.problem(name, f"{LABELS[name][:1].upper()}{LABELS[name][1:]} cannot be negative.")
    duration = _whole_minutes(raw_duration) if raw_duration is not None else None
    _times(cells, departed, returned, duration, now)
    failed_orders: tuple[str, ...] = ()
    if route is not None:
        if None not in counts and all(c is not None and c >= 0 for c in counts):
            stated = sum(c for c in counts if c is not None)
            if stated != len(route.order_ids):
                cells.problem(
                    "delivered",
                    f"{counts[0]} on time + {counts[1]} late + {counts[2]} failed is {stated}, "
                    f"but route {route.route_id} carries {len(route.order_ids)} orders: the "
                    "three counts must add up to them.",
                )
        failed = counts[2] if "failed" not in cells.failed else None
        failed_orders = _failed_list(cells, route, failed, failed_text)
    if cells.problems or route is None:
        return None
    assert distance is not None
    assert duration is not None
    assert cost is not None
    on_time, late, failed_count = (c or 0 for c in counts)
    return ImportedOutcome(
        route_id=route.route_id,
        distance_km=distance.quantize(_KM),
        duration_minutes=duration,
        cost_kes=cost.quantize(_CENT, rounding=ROUND_HALF_UP),
        on_time=on_time,
        late=late,
        failed=failed_count,
        failed_orders=failed_orders,
        departed_at=departed.astimezone(UTC) if departed else None,
        returned_at=returned.astimezone(UTC) if returned else None,
        fuel_litres=fuel.quantize(_KM) if fuel is not None else None,
        notes=notes,
    )


def preview_outcomes(
    sessions: sessionmaker[Session],
    actor: Actor,
    path: str | Path,
    *,
    now: datetime | None = None,
) -> ImportPreview[ImportedOutcome]:
    """Read and check every row of the file against the routes it names; write nothing."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    table = read_table(path)
    columns = resolve_columns(table, OUTCOME_COLUMNS, informational=INFORMATIONAL)
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.OUTCOMES_RECORD)
        zone = ZoneInfo(read_general(session).time_zone)
        facts = load_route_facts(session, column_texts(table, columns, "route_id"))
    seen: dict[str, int] = {}
    return build_preview(
        "outcomes",
        table,
        columns,
        LABELS,
        lambda cells: _parse_row(cells, facts, seen, zone, moment),
    )


def _recheck(
    session: Session, preview: ImportPreview[ImportedOutcome], rows: Sequence[int],
    items: Sequence[ImportedOutcome],
) -> list[CellError]:  # fmt: skip
    """What changed in the database since the preview: the routes, their orders."""
    facts = load_route_facts(session, [i.route_id for i in items])
    problems: list[CellError] = []
    for number, item in zip(rows, items, strict=True):
        route = facts.get(item.route_id.casefold())
        problem = route_problem(item.route_id, route)
        if problem is None and route is not None:
            stated = item.on_time + item.late + item.failed
            if stated != len(route.order_ids) or not set(item.failed_orders) <= set(
                route.order_ids
            ):
                problem = f"The orders on route {item.route_id} changed since the preview."
        if problem is not None:
            problems.append(preview.columns.error(number, "route_id", problem))
    return problems


def _finish_all(  # noqa: PLR0917 - the commit's state, passed on
    session: Session,
    preview: ImportPreview[ImportedOutcome],
    numbers: Sequence[int],
    items: Sequence[ImportedOutcome],
    failed_to: OrderStatus,
    actor: Actor,
    moment: datetime,
    problems: list[CellError],
) -> list[str]:
    """Complete each route; the outcome ids, and a problem per row finish_route refused."""
    finishes = [RouteFinish(i.route_id, i.actuals(), i.results()) for i in items]
    done = finish_routes(
        session, finishes, failed_to=failed_to, recorded_by=actor.user_id or None, now=moment
    )
    keys: list[str] = []
    for number, outcome in zip(numbers, done, strict=True):
        if isinstance(outcome, ValidationError):
            field = outcome.field if preview.columns.has(outcome.field) else "route_id"
            problems.append(preview.columns.error(number, field, outcome.message))
        else:
            keys.append(outcome)
    return keys


def commit_outcomes(
    sessions: sessionmaker[Session],
    actor: Actor,
    preview: ImportPreview[ImportedOutcome],
    *,
    failed_to: OrderStatus = OrderStatus.PENDING,
    drop_bad_rows: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    """Complete every route of the file with its outcome in one unit of work, or none.

    Failed orders go back to pending (to plan again) or, with ``failed_to`` CANCELLED, are
    cancelled. Refused (ImportRefused, nothing written) when any row is bad and
    ``drop_bad_rows`` is false, or when the database changed since the preview (a route
    completed or cancelled meanwhile, here or on another desktop).
    """
    check_failed_to(failed_to)
    rows = rows_to_write(preview, drop_bad_rows=drop_bad_rows)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    items = [row.value for row in rows if row.value is not None]
    numbers = [row.number for row in rows]
    changed = (
        "The database changed since the preview and some rows no longer pass; nothing was "
        "imported. Preview the file again."
    )
    try:
        with unit_of_work(sessions) as session:
            authorize(session, actor, Permission.OUTCOMES_RECORD)
            problems = _recheck(session, preview, numbers, items)
            if problems:
                raise ImportRefused(changed, problems)
            keys = _finish_all(session, preview, numbers, items, failed_to, actor, moment, problems)
            if problems:
                raise ImportRefused(changed, problems)
            audit.record_by(
                session,
                actor,
                "outcomes.imported",
                entity_type="outcome",
                details={
                    "file": preview.source,
                    "outcomes": len(keys),
                    "first": keys[0],
                    "last": keys[-1],
                    "on_time": sum(i.on_time for i in items),
                    "late": sum(i.late for i in items),
                    "failed": sum(i.failed for i in items),
                    "failed_to": failed_to.value,
                    "bad_rows_dropped": preview.bad,
                },
            )
    except StaleDataError as exc:
        raise ImportRefused(f"{exc.message} Nothing was imported; preview the file again.") from exc
    except (IntegrityError, OrmStaleDataError) as exc:
        if isinstance(exc, IntegrityError) and not is_duplicate_key(exc, OUTCOME_ROUTE_CLASH):
            raise
        raise ImportRefused(
            "Another desktop recorded or changed some of these routes at the same moment; "
            "nothing was imported. Preview the file again."
        ) from exc
    return ImportResult("outcomes", len(keys), preview.bad, tuple(keys))
