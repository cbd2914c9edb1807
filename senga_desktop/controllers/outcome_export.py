"""Exporting route outcomes to CSV or XLSX: one row per outcome, oldest first.

The first columns are the outcomes import's (:data:`~.imports.outcomes.OUTCOME_IMPORT_COLUMNS`),
so an export imports into another database whose routes are the same (a training copy, a
rebuilt server) as the same outcomes. The estimates, the prediction errors (actual - estimate,
and as a % of the estimate), revenue, profit, the learning status and who recorded it follow for
the people reading the file; the import passes over them.

Times are in the depot's time zone, as the order export writes them: ISO 8601 with the offset in
CSV, spreadsheet date-times (no zone, read back in the depot's) in XLSX.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.exports import ExportResult
from senga_desktop.controllers.imports.outcome_columns import INFORMATIONAL, OUTCOME_IMPORT_COLUMNS
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.models import OperationalOutcome, Route, User, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.errors import StorageUnavailable, ValidationError

__all__ = ["OUTCOME_EXPORT_COLUMNS", "export_outcomes"]

#: The import's columns, then those for people (which the import passes over), in order.
OUTCOME_EXPORT_COLUMNS = (*OUTCOME_IMPORT_COLUMNS, *INFORMATIONAL)
_TENTH = Decimal("0.1")

Moment = Callable[[datetime | None], Any]


def _percent(error: Decimal | int | None, estimate: Decimal | int) -> Decimal | None:
    if error is None or not estimate:
        return None
    return (Decimal(error) * 100 / Decimal(estimate)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _values(
    outcome: OperationalOutcome, route: Route, vehicle: Vehicle, who: str | None, moment: Moment
) -> list[Any]:
    metrics = outcome.additional_metrics or {}
    failed = [str(f["order_id"]) for f in metrics.get("failures", []) if f.get("order_id")]
    fuel = route.fuel_litres
    if fuel is None and metrics.get("fuel_litres") is not None:
        fuel = Decimal(str(metrics["fuel_litres"]))
    notes = metrics.get("notes") or route.execution_notes
    return [
        route.route_id,
        outcome.actual_distance_km,
        outcome.actual_duration_minutes,
        outcome.actual_cost_kes,
        outcome.on_time_deliveries,
        outcome.late_deliveries,
        outcome.failed_deliveries,
        ";".join(failed),
        moment(route.actual_start),
        moment(route.actual_end),
        fuel,
        notes,
        outcome.outcome_id,
        vehicle.vehicle_id,
        vehicle.vehicle_type,
        route.total_distance_km,
        route.estimated_duration_minutes,
        route.estimated_cost_kes,
        outcome.distance_prediction_error_km,
        _percent(outcome.distance_prediction_error_km, route.total_distance_km),
        outcome.duration_prediction_error_minutes,
        _percent(outcome.duration_prediction_error_minutes, route.estimated_duration_minutes),
        outcome.cost_prediction_error_kes,
        _percent(outcome.cost_prediction_error_kes, route.estimated_cost_kes),
        outcome.total_revenue_kes,
        outcome.net_profit_kes,
        outcome.learning_status.value,
        moment(outcome.recorded_at),
        who,
    ]


def _rows(
    session: Session, since: datetime | None, until: datetime | None, moment: Moment
) -> Iterator[list[Any]]:
    query = (
        select(OperationalOutcome, Route, Vehicle, User.username)
        .join(Route, OperationalOutcome.route_id == Route.id)
        .join(Vehicle, Route.vehicle_id == Vehicle.id)
        .outerjoin(User, OperationalOutcome.recorded_by == User.id)
        .order_by(OperationalOutcome.recorded_at, OperationalOutcome.id)
        .execution_options(yield_per=1000)  # streams: a year of outcomes stays in little memory
    )
    if since is not None:
        query = query.where(OperationalOutcome.recorded_at >= since)
    if until is not None:
        query = query.where(OperationalOutcome.recorded_at < until)
    for outcome, route, vehicle, who in session.execute(query):
        yield _values(outcome, route, vehicle, who, moment)


def _write_csv(path: Path, rows: Iterator[list[Any]]) -> int:
    count = 0
    # utf-8-sig: Excel, which most depots open CSV files with, needs the mark to read UTF-8.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTCOME_EXPORT_COLUMNS)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            count += 1
    return count


def _write_xlsx(path: Path, rows: Iterator[list[Any]]) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Outcomes")
    sheet.append(list(OUTCOME_EXPORT_COLUMNS))
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    workbook.save(path)
    return count


def export_outcomes(
    sessions: sessionmaker[Session],
    actor: Actor,
    path: str | Path,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> ExportResult:
    """Write every outcome recorded from ``since`` (inclusive) to ``until`` (exclusive), or all,
    to ``path`` (.csv or .xlsx). The file appears only when complete (written beside its final
    name, then renamed)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError("file", "Export to a .csv or .xlsx file.")
    spreadsheet = suffix == ".xlsx"
    partial = target.with_name(f".{target.name}.part")
    try:
        with unit_of_work(sessions) as session:
            authorize(session, actor, Permission.OUTCOMES_RECORD)
            zone = ZoneInfo(read_general(session).time_zone)

            def moment(value: datetime | None) -> Any:
                if value is None:
                    return None
                local = value.astimezone(zone)
                if spreadsheet:
                    return local.replace(tzinfo=None)
                spec = "minutes" if local.second == 0 and local.microsecond == 0 else "seconds"
                return local.isoformat(timespec=spec)

            rows = _rows(session, since, until, moment)
            count = (_write_xlsx if spreadsheet else _write_csv)(partial, rows)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StorageUnavailable(f"Cannot write {target}: {exc.strerror or exc}.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ExportResult(target, count)
