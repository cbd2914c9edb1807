"""The fleet board as one list: a header row per status group, then that group's trucks.

A flat list model (not a tree) so one ``QListView`` with :class:`~.truck_delegate.TruckDelegate`
draws the whole board: only the rows on screen are painted, which keeps a 1,000-truck fleet
smooth where 1,000 card widgets would not be. The model holds the frozen
:class:`~senga_desktop.controllers.fleet_board.Board` the controller returned; ``data()`` only
formats, it never reaches the database.

Header rows are enabled but not selectable, so a click or the arrow keys land on trucks.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from senga_desktop.controllers.fleet_board import Board, VehicleInfo
from senga_desktop.domain import VehicleStatus
from senga_desktop.ui.pages.fleet.formatting import (
    DEFAULT_TIME_ZONE,
    depot_zone,
    summary,
    tooltip,
)

AnyIndex = QModelIndex | QPersistentModelIndex

#: The truck behind a row (a :class:`VehicleInfo`; ``None`` on header rows).
VEHICLE_ROLE = Qt.ItemDataRole.UserRole + 1
#: The group behind a header row (a :class:`GroupHeader`; ``None`` on truck rows).
HEADER_ROLE = Qt.ItemDataRole.UserRole + 2
#: The :class:`RowKind` of a row.
KIND_ROLE = Qt.ItemDataRole.UserRole + 3


class RowKind(enum.IntEnum):
    """What a row of the board is."""

    HEADER = 0
    VEHICLE = 1


@dataclass(frozen=True, slots=True)
class GroupHeader:
    """A group's header row: its status, how many trucks it shows and how many the fleet has."""

    status: VehicleStatus
    label: str
    shown: int
    in_fleet: int

    @property
    def filtered(self) -> bool:
        return self.shown != self.in_fleet

    def count_text(self) -> str:
        """ "12", or "3 of 12" while filters hide some of the group."""
        return f"{self.shown} of {self.in_fleet}" if self.filtered else str(self.shown)


class FleetBoardModel(QAbstractListModel):
    """The board's rows; :meth:`vehicle` and :meth:`row_of` map between rows and trucks."""

    def __init__(self, *, time_zone: str = DEFAULT_TIME_ZONE, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[VehicleInfo | GroupHeader] = []
        self._row_of: dict[int, int] = {}
        self._board: Board | None = None
        self.zone = depot_zone(time_zone)
        #: When the board was read: "free now" and "today" are relative to this.
        self.now = datetime.now(UTC)

    # -- feeding ------------------------------------------------------------------------------

    def set_board(self, board: Board) -> bool:
        """Show ``board``; ``True`` when the rows changed (a reset), ``False`` when only the
        clock moved on (the rows repaint in place, so selection and hover stay put)."""
        self.now = board.generated_at
        rows = self._rows_for(board)
        if rows == self._rows:
            self._board = board
            self._repaint_all()
            return False
        self.beginResetModel()
        self._board = board
        self._rows = rows
        self._row_of = {
            item.id: row for row, item in enumerate(rows) if isinstance(item, VehicleInfo)
        }
        self.endResetModel()
        return True

    def clear(self) -> None:
        self.beginResetModel()
        self._board = None
        self._rows = []
        self._row_of = {}
        self.endResetModel()

    def set_time_zone(self, name: str) -> None:
        zone = depot_zone(name)
        if zone != self.zone:
            self.zone = zone
            self._repaint_all()

    @staticmethod
    def _rows_for(board: Board) -> list[VehicleInfo | GroupHeader]:
        if board.total == 0:
            return []  # the page shows its empty state instead of four empty headers
        rows: list[VehicleInfo | GroupHeader] = []
        for group in board.groups:
            in_fleet = board.fleet_counts.get(group.status, group.count)
            rows.append(GroupHeader(group.status, group.label, group.count, in_fleet))
            rows.extend(group.vehicles)
        return rows

    def _repaint_all(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    # -- looking up ---------------------------------------------------------------------------

    @property
    def board(self) -> Board | None:
        return self._board

    def vehicle(self, row: int) -> VehicleInfo | None:
        """The truck on ``row``; ``None`` for a header or a row out of range."""
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item if isinstance(item, VehicleInfo) else None

    def header(self, row: int) -> GroupHeader | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item if isinstance(item, GroupHeader) else None

    def row_of(self, vehicle_id: int) -> int | None:
        """The row of the truck with database id ``vehicle_id``, if it is on the board."""
        return self._row_of.get(vehicle_id)

    def header_rows(self) -> list[int]:
        return [row for row, item in enumerate(self._rows) if isinstance(item, GroupHeader)]

    def vehicle_count(self) -> int:
        return len(self._row_of)

    # -- QAbstractListModel -------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column():
            return None
        item = self._rows[index.row()]
        if isinstance(item, GroupHeader):
            return self._header_data(item, role)
        return self._vehicle_data(item, role)

    def _header_data(self, header: GroupHeader, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{header.label} ({header.count_text()})"
        if role == Qt.ItemDataRole.ToolTipRole:
            if header.filtered:
                return (
                    f"{header.shown} of the {header.in_fleet} trucks with the status "
                    f"{header.label.lower()} match the filters."
                )
            return f"{header.in_fleet} truck(s) with the status {header.label.lower()}."
        if role == HEADER_ROLE:
            return header
        if role == KIND_ROLE:
            return int(RowKind.HEADER)
        return None

    def _vehicle_data(self, info: VehicleInfo, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return info.label
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return summary(info, self.zone, self.now)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(info, self.zone, self.now)
        if role == VEHICLE_ROLE:
            return info
        if role == KIND_ROLE:
            return int(RowKind.VEHICLE)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], GroupHeader):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
