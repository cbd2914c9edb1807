"""The stops of a route being recorded: one editable row per stop, in delivery order.

:class:`StopTableModel` keeps what the dispatcher has entered for each stop (arrival, departure,
result, failure reason, note) on top of what the controller said about it (customer, town,
orders, window, ETA), and reads it back as the controller's ``StopEntry`` values. Times are held in
UTC and shown in the depot's zone. A cell the controller refused (``stops[2].arrived_at``) is
marked, with the message as its tooltip.

"Late" is suggested rather than imposed: an arrival after the window's end turns a "Delivered"
into "Delivered late" (and the result editor offers "Delivered late" first), but the dispatcher
may set it back, because the customer may have agreed to the later time.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from senga_desktop.controllers.execution_views import ExecutionStop, StopEntry
from senga_desktop.domain import FailureReason, StopResult
from senga_desktop.ui.pages.orders.formatting import NONE_SHOWN

__all__ = [
    "CELL_TIME_FORMAT",
    "REASON_LABELS",
    "RESULT_LABELS",
    "StopColumn",
    "StopRow",
    "StopTableModel",
    "minutes_late",
]

AnyIndex = QModelIndex | QPersistentModelIndex

#: A time in a cell: the weekday tells the days of a long trip apart.
CELL_TIME_FORMAT = "%a %H:%M"

RESULT_LABELS = {
    StopResult.DELIVERED: "Delivered",
    StopResult.DELIVERED_LATE: "Delivered late",
    StopResult.FAILED: "Failed",
}
REASON_LABELS = {
    FailureReason.CUSTOMER_ABSENT: "Customer absent",
    FailureReason.REFUSED: "Refused",
    FailureReason.DAMAGED: "Damaged",
    FailureReason.ROAD_CLOSED: "Road closed",
    FailureReason.OTHER: "Other (say what in the note)",
}
#: The controller's names for the entered values of a stop, by column.
FIELD_NAMES = {
    "arrived_at": "ARRIVED",
    "departed_at": "DEPARTED",
    "result": "RESULT",
    "failure_reason": "REASON",
    "note": "NOTE",
}


class StopColumn(enum.IntEnum):
    SEQUENCE = 0
    CUSTOMER = 1
    TOWN = 2
    ORDERS = 3
    WINDOW = 4
    ETA = 5
    ARRIVED = 6
    DEPARTED = 7
    RESULT = 8
    REASON = 9
    NOTE = 10


HEADERS = {
    StopColumn.SEQUENCE: "#",
    StopColumn.CUSTOMER: "Customer",
    StopColumn.TOWN: "Town",
    StopColumn.ORDERS: "Orders",
    StopColumn.WINDOW: "Window",
    StopColumn.ETA: "ETA",
    StopColumn.ARRIVED: "Arrived",
    StopColumn.DEPARTED: "Left",
    StopColumn.RESULT: "Result",
    StopColumn.REASON: "Reason",
    StopColumn.NOTE: "Note",
}
HEADER_TIPS = {
    StopColumn.WINDOW: "When the customer expects the delivery",
    StopColumn.ETA: "When the plan expected the truck",
    StopColumn.ARRIVED: "When the truck arrived (double-click or Enter to set; Delete clears)",
    StopColumn.DEPARTED: "When the truck left the stop",
    StopColumn.RESULT: "Delivered, delivered late, or failed",
    StopColumn.REASON: "Why a delivery failed",
    StopColumn.NOTE: "Anything the next dispatcher should know; required for reason Other",
}
EDITABLE = frozenset(
    {StopColumn.ARRIVED, StopColumn.DEPARTED, StopColumn.RESULT, StopColumn.REASON, StopColumn.NOTE}
)


def minutes_late(arrived: datetime | None, window_end: datetime | None) -> int:
    """Whole minutes the arrival was after the window closed (0 when on time or unknown)."""
    if arrived is None or window_end is None:
        return 0
    return max(0, int((arrived - window_end).total_seconds() // 60))


@dataclass(frozen=True, slots=True)
class StopRow:
    """One stop: what the plan said (``stop``) and what has been entered since."""

    stop: ExecutionStop
    arrived_at: datetime | None
    departed_at: datetime | None
    result: StopResult | None
    failure_reason: FailureReason | None
    note: str

    @classmethod
    def from_view(cls, stop: ExecutionStop) -> StopRow:
        return cls(
            stop=stop,
            arrived_at=stop.arrived_at,
            departed_at=stop.departed_at,
            result=stop.result,
            failure_reason=stop.failure_reason,
            note=stop.note or "",
        )

    def entry(self) -> StopEntry:
        return StopEntry(
            stop_id=self.stop.stop_id,
            arrived_at=self.arrived_at,
            departed_at=self.departed_at,
            result=self.result,
            failure_reason=self.failure_reason,
            note=self.note.strip() or None,
        )

    @property
    def late_minutes(self) -> int:
        return minutes_late(self.arrived_at, self.stop.window_end)


class StopTableModel(QAbstractTableModel):
    """The stops of one route, editable where something is recorded."""

    def __init__(self, *, zone: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.zone = zone
        self._rows: list[StopRow] = []
        self._saved: list[StopRow] = []
        #: (row, column) -> the controller's message for that cell.
        self._errors: dict[tuple[int, int], str] = {}
        self.read_only = False

    # -- feeding and reading back -----------------------------------------------------------------

    def set_stops(self, stops: tuple[ExecutionStop, ...], *, zone: ZoneInfo) -> None:
        """Show the stops as the controller last saved them (the new "saved" state)."""
        self.beginResetModel()
        self.zone = zone
        self._rows = [StopRow.from_view(s) for s in stops]
        self._saved = list(self._rows)
        self._errors = {}
        self.endResetModel()

    def entries(self) -> tuple[StopEntry, ...]:
        return tuple(row.entry() for row in self._rows)

    def row(self, index: int) -> StopRow:
        return self._rows[index]

    @property
    def rows(self) -> tuple[StopRow, ...]:
        return tuple(self._rows)

    def is_modified(self) -> bool:
        return self._rows != self._saved

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._emit_all()

    def set_errors(self, errors: dict[tuple[int, int], str]) -> None:
        """Mark the cells the controller refused (``{}`` clears every mark)."""
        self._errors = dict(errors)
        self._emit_all()

    def error_cells(self) -> dict[tuple[int, int], str]:
        return dict(self._errors)

    def _emit_all(self) -> None:
        if self._rows:
            last = self.index(len(self._rows) - 1, len(StopColumn) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    @staticmethod
    def column_of(field: str) -> StopColumn | None:
        """The column of a stop's field name as the controller spells it (``arrived_at``)."""
        name = FIELD_NAMES.get(field)
        return StopColumn[name] if name else None

    def set_value(self, row: int, column: StopColumn, value: Any) -> bool:
        """Enter ``value`` in a cell (a UTC datetime, a result, a reason or a note; ``None``
        clears); the same as editing it in the table."""
        return self.setData(self.index(row, int(column)), value, Qt.ItemDataRole.EditRole)

    # -- QAbstractTableModel ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(StopColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(StopColumn):
            return None
        column = StopColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(column)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        column = StopColumn(index.column())
        if self.read_only or column not in EDITABLE:
            return flags
        if column is StopColumn.REASON and self._rows[index.row()].result is not StopResult.FAILED:
            return flags  # a reason only for a failed delivery
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = StopColumn(index.column())
        error = self._errors.get((index.row(), index.column()))
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return error or self._tooltip(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and error is not None:
            return QBrush(QColor(220, 40, 30, 60))
        if role == Qt.ItemDataRole.ForegroundRole and column in EDITABLE and self.read_only:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column is StopColumn.SEQUENCE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.AccessibleTextRole and error is not None:
            return f"{self._display(row, column)}: {error}"
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        column = StopColumn(index.column())
        if column not in EDITABLE:
            return False
        number = index.row()
        before = self._rows[number]
        after = _entered(before, column, value)
        if after is None:
            return False
        if after == before:
            return True
        self._rows[number] = after
        self._errors.pop((number, index.column()), None)
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(StopColumn) - 1))
        return True

    # -- formatting -------------------------------------------------------------------------------

    def _time(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        return moment.astimezone(self.zone).strftime(CELL_TIME_FORMAT)

    def _display(self, row: StopRow, column: StopColumn) -> str:
        stop = row.stop
        if column is StopColumn.SEQUENCE:
            mark = "\N{CHECK MARK} " if row.result is not None else ""
            return f"{mark}{stop.sequence}"
        if column is StopColumn.CUSTOMER:
            return ", ".join(dict.fromkeys(stop.customers)) or NONE_SHOWN
        if column is StopColumn.TOWN:
            return stop.town
        if column is StopColumn.ORDERS:
            return ", ".join(stop.order_ids)
        if column is StopColumn.WINDOW:
            return self._window(row)
        if column is StopColumn.ETA:
            return self._time(stop.eta) or NONE_SHOWN
        if column is StopColumn.ARRIVED:
            return self._time(row.arrived_at)
        if column is StopColumn.DEPARTED:
            return self._time(row.departed_at)
        if column is StopColumn.RESULT:
            return RESULT_LABELS[row.result] if row.result else ""
        if column is StopColumn.REASON:
            return REASON_LABELS[row.failure_reason].split(" (")[0] if row.failure_reason else ""
        return row.note

    def _window(self, row: StopRow) -> str:
        start, end = row.stop.window_start, row.stop.window_end
        if start is None and end is None:
            return "Any time"
        if start is None:
            return f"by {self._time(end)}"
        if end is None:
            return f"from {self._time(start)}"
        local_end = end.astimezone(self.zone)
        same_day = start.astimezone(self.zone).date() == local_end.date()
        return (
            f"{self._time(start)}\N{EN DASH}{local_end:%H:%M}"
            if same_day
            else (f"{self._time(start)}\N{EN DASH}{self._time(end)}")
        )

    def _edit_value(self, row: StopRow, column: StopColumn) -> Any:
        if column is StopColumn.ARRIVED:
            return row.arrived_at
        if column is StopColumn.DEPARTED:
            return row.departed_at
        if column is StopColumn.RESULT:
            return row.result
        if column is StopColumn.REASON:
            return row.failure_reason
        if column is StopColumn.NOTE:
            return row.note
        return self._display(row, column)

    def _tooltip(self, row: StopRow, column: StopColumn) -> str | None:
        stop = row.stop
        if column is StopColumn.CUSTOMER:
            lines = dict.fromkeys(
                f"{name} \N{MIDDLE DOT} {phone}" if phone else name
                for name, phone in zip(stop.customers, stop.phones, strict=False)
            )
            return "\n".join(lines) or None
        if column is StopColumn.TOWN:
            return stop.address or stop.town
        if column in (StopColumn.ARRIVED, StopColumn.RESULT) and row.late_minutes:
            closed = self._time(stop.window_end)
            return f"Arrived {row.late_minutes} min after the window closed ({closed})."
        if column is StopColumn.SEQUENCE and stop.trip:
            return f"Trip {stop.trip + 1}: the truck reloaded at the depot before this stop."
        return None


def _entered(row: StopRow, column: StopColumn, value: Any) -> StopRow | None:
    """``row`` with ``value`` entered in ``column`` (``None`` if the value does not fit)."""
    if column in (StopColumn.ARRIVED, StopColumn.DEPARTED):
        if value is not None and not isinstance(value, datetime):
            return None
        moment = value.astimezone(UTC) if isinstance(value, datetime) else None
        if column is StopColumn.DEPARTED:
            return replace(row, departed_at=moment)
        changed = replace(row, arrived_at=moment)
        # The suggestion follows the arrival: late after the window, on time within it.
        if changed.result is StopResult.DELIVERED and changed.late_minutes:
            changed = replace(changed, result=StopResult.DELIVERED_LATE)
        return changed
    if column is StopColumn.RESULT:
        if value is not None and not isinstance(value, StopResult):
            return None
        reason = row.failure_reason if value is StopResult.FAILED else None
        return replace(row, result=value, failure_reason=reason)
    if column is StopColumn.REASON:
        if value is not None and not isinstance(value, FailureReason):
            return None
        if row.result is not StopResult.FAILED and value is not None:
            return None
        return replace(row, failure_reason=value)
    if column is StopColumn.NOTE:
        return replace(row, note=str(value or ""))
    return None
