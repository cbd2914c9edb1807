"""The Decisions screen's table models: the audit trail, and the small read-only tables of an
opened decision (the orders and trucks it saw, arrival rates, moved orders).

:class:`DecisionTableModel` is a :class:`~senga_desktop.ui.widgets.table_models.PageTableModel`
over :class:`~senga_desktop.controllers.plan_views.DecisionRow` records, filtered and paged by
the database. :class:`RecordsModel` shows any tuple of records through a list of columns (a
header, a function giving the text, and whether it is a figure).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from senga_desktop.controllers.plan_views import DecisionRow
from senga_desktop.domain import DecisionType
from senga_desktop.ui.pages.orders.formatting import (
    DEFAULT_TIME_ZONE,
    depot_zone,
    local_time,
    money,
    zone_caption,
)
from senga_desktop.ui.pages.routes.formatting import (
    BADGE_ROLE,
    DECISION_STATUS_LABELS,
    POLICY_LABELS,
    POLICY_NOTES,
    compute_text,
    parameters_text,
    percent,
)
from senga_desktop.ui.widgets.table_models import LEFT, RIGHT, AnyIndex, PageTableModel

__all__ = [
    "DECISION_TYPE_LABELS",
    "DecisionColumn",
    "DecisionTableModel",
    "RecordColumn",
    "RecordsModel",
]


class DecisionColumn(enum.IntEnum):
    TIME = 0
    DECISION = 1
    USER = 2
    TYPE = 3
    POLICY = 4
    PARAMETERS = 5
    ROUTED = 6
    HELD = 7
    ROUTES = 8
    COST = 9
    CONFIDENCE = 10
    COMPUTE = 11
    STATUS = 12


#: How each kind of decision reads: the engine's runs, and a dispatcher's edit of one.
DECISION_TYPE_LABELS = {
    DecisionType.PLANNING: "Engine",
    DecisionType.REPLANNING: "Engine re-plan",
    DecisionType.SIMULATION: "Simulation",
    DecisionType.MANUAL_EDIT: "Manual edit",
}
DECISION_TYPE_NOTES = {
    DecisionType.PLANNING: "A plan the engine proposed.",
    DecisionType.REPLANNING: "A plan the engine proposed again during the day.",
    DecisionType.SIMULATION: "A plan made in a simulation, never committed.",
    DecisionType.MANUAL_EDIT: "An engine plan a dispatcher edited by hand and committed.",
}


HEADERS = {
    DecisionColumn.TIME: "Time",
    DecisionColumn.DECISION: "Decision",
    DecisionColumn.USER: "User",
    DecisionColumn.TYPE: "Type",
    DecisionColumn.POLICY: "Policy",
    DecisionColumn.PARAMETERS: "Parameters",
    DecisionColumn.ROUTED: "Routed",
    DecisionColumn.HELD: "Held",
    DecisionColumn.ROUTES: "Routes",
    DecisionColumn.COST: "Cost (KES)",
    DecisionColumn.CONFIDENCE: "Confidence",
    DecisionColumn.COMPUTE: "Compute",
    DecisionColumn.STATUS: "Status",
}
NUMERIC = frozenset(
    {
        DecisionColumn.ROUTED,
        DecisionColumn.HELD,
        DecisionColumn.ROUTES,
        DecisionColumn.COST,
        DecisionColumn.CONFIDENCE,
        DecisionColumn.COMPUTE,
    }
)


class DecisionTableModel(PageTableModel):
    """Read-only rows of one page of decisions."""

    columns = DecisionColumn
    headers = HEADERS

    def __init__(
        self, *, time_zone: str = DEFAULT_TIME_ZONE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent=parent)
        self._zone = depot_zone(time_zone)

    def set_time_zone(self, name: str) -> None:
        self._zone = depot_zone(name)

    @property
    def zone(self) -> Any:
        return self._zone

    def decision(self, row: int) -> DecisionRow | None:
        return self.record(row)

    def _key(self, record: DecisionRow) -> str:
        return record.decision_id

    def _alignment(self, column: DecisionColumn) -> Qt.AlignmentFlag:
        return RIGHT if column in NUMERIC else LEFT

    def _header_tooltip(self, column: DecisionColumn) -> str | None:
        return {
            DecisionColumn.TIME: f"When the plan was made, in {zone_caption(self._zone)}",
            DecisionColumn.ROUTED: "Orders the decision put on a route",
            DecisionColumn.HELD: "Orders it left out, each with a reason",
            DecisionColumn.CONFIDENCE: "How sure the engine was of its estimates",
            DecisionColumn.COMPUTE: "How long the planning run took",
        }.get(column)

    def _display(self, row: DecisionRow, column: DecisionColumn) -> str:
        values: dict[DecisionColumn, Callable[[], str]] = {
            DecisionColumn.TIME: lambda: local_time(row.created_at, self._zone),
            DecisionColumn.DECISION: lambda: row.decision_id,
            DecisionColumn.USER: lambda: row.created_by or "command line",
            DecisionColumn.TYPE: lambda: DECISION_TYPE_LABELS.get(
                row.decision_type, str(row.decision_type)
            ),
            DecisionColumn.POLICY: lambda: POLICY_LABELS.get(row.policy, str(row.policy)),
            DecisionColumn.PARAMETERS: lambda: parameters_text(row.parameters),
            DecisionColumn.ROUTED: lambda: f"{row.orders_routed:,}",
            DecisionColumn.HELD: lambda: f"{row.orders_held:,}",
            DecisionColumn.ROUTES: lambda: f"{row.routes:,}",
            DecisionColumn.COST: lambda: money(row.cost_kes),
            DecisionColumn.CONFIDENCE: lambda: percent(row.confidence),
            DecisionColumn.COMPUTE: lambda: compute_text(row.computation_ms),
            DecisionColumn.STATUS: lambda: DECISION_STATUS_LABELS.get(row.status, row.status),
        }
        return values[column]()

    def _tooltip(self, row: DecisionRow, column: DecisionColumn) -> str | None:
        if column is DecisionColumn.POLICY:
            return POLICY_NOTES.get(row.policy)
        if column is DecisionColumn.TYPE:
            return DECISION_TYPE_NOTES.get(row.decision_type)
        if column is DecisionColumn.PARAMETERS:
            return parameters_text(row.parameters, limit=100).replace(" · ", "\n")
        if column is DecisionColumn.TIME:
            return zone_caption(self._zone)
        return None

    def _extra_data(self, row: DecisionRow, column: DecisionColumn, role: int) -> Any:
        if role == BADGE_ROLE and column is DecisionColumn.STATUS:
            return row.status
        return None


@dataclass(frozen=True, slots=True)
class RecordColumn:
    """One column of a :class:`RecordsModel`: its header, its text, and whether it is a figure."""

    header: str
    text: Callable[[Any], str]
    numeric: bool = False


class RecordsModel(QAbstractTableModel):
    """Any records, read-only, through a list of :class:`RecordColumn`."""

    def __init__(self, *, columns: Sequence[RecordColumn], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._records: tuple[Any, ...] = ()

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = tuple(records)
        self.endResetModel()

    def record(self, row: int) -> Any | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self._columns):
            return None
        record = self.record(index.row())
        if record is None:
            return None
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
