"""Exporting the order list as it is filtered and sorted on screen, to CSV or XLSX.

The columns are the import template's, after the order number, so an exported file imports again
(into another depot's database, say) as the same orders. Customer name and status follow for the
people reading the file; the import passes over them.

Times are written in the depot's time zone: in CSV as ISO 8601 with the offset
(``2026-11-26T08:00+03:00``), in XLSX as spreadsheet date-times (which have no zone; the import
reads them in the depot's zone again).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from senga_desktop.controllers.imports.orders import ORDER_EXPORT_COLUMNS
from senga_desktop.controllers.orders_query import OrderQuery, OrderRow, order_rows
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.controllers.settings import read_general
from senga_desktop.db.uow import unit_of_work
from senga_desktop.errors import StorageUnavailable, ValidationError

__all__ = ["EXPORT_COLUMNS", "ExportResult", "export_orders"]

EXPORT_COLUMNS = (*ORDER_EXPORT_COLUMNS, "customer_name", "status")


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int


def _values(row: OrderRow, zone: ZoneInfo, *, spreadsheet: bool) -> list[Any]:
    def moment(value: datetime) -> Any:
        local = value.astimezone(zone)
        if spreadsheet:
            return local.replace(tzinfo=None)
        spec = "minutes" if local.second == 0 and local.microsecond == 0 else "seconds"
        return local.isoformat(timespec=spec)

    return [
        row.order_number,
        row.customer_id,
        row.destination_city,
        row.destination_address,
        row.destination_lat,
        row.destination_lon,
        row.weight_tonnes,
        row.volume_m3,
        moment(row.window_start),
        moment(row.window_end),
        row.priority.value,
        ";".join(row.special_handling),
        row.price_kes,
        row.customer_name,
        row.status.value,
    ]


def _write_csv(path: Path, session: Session, query: OrderQuery, zone: ZoneInfo) -> int:
    count = 0
    # utf-8-sig: Excel, which most depots open CSV files with, needs the mark to read UTF-8.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in order_rows(session, query):
            writer.writerow(["" if v is None else v for v in _values(row, zone, spreadsheet=False)])
            count += 1
    return count


def _write_xlsx(path: Path, session: Session, query: OrderQuery, zone: ZoneInfo) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)  # streams rows: 100,000 orders stay in little memory
    sheet = workbook.create_sheet("Orders")
    sheet.append(list(EXPORT_COLUMNS))
    count = 0
    for row in order_rows(session, query):
        sheet.append(_values(row, zone, spreadsheet=True))
        count += 1
    workbook.save(path)
    return count


def export_orders(
    sessions: sessionmaker[Session], actor: Actor, query: OrderQuery, path: str | Path
) -> ExportResult:
    """Write every order ``query`` matches (its paging ignored) to ``path`` (.csv or .xlsx).

    The file appears only when complete: it is written beside its final name and then renamed,
    so a failure never leaves half a file that looks like a full export.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError("file", "Export to a .csv or .xlsx file.")
    writer = _write_csv if suffix == ".csv" else _write_xlsx
    partial = target.with_name(f".{target.name}.part")
    everything = replace(query, offset=0, limit=None)
    try:
        with unit_of_work(sessions) as session:
            authorize(session, actor, Permission.ORDERS_VIEW)
            zone = ZoneInfo(read_general(session).time_zone)
            count = writer(partial, session, everything, zone)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StorageUnavailable(f"Cannot write {target}: {exc.strerror or exc}.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ExportResult(target, count)
