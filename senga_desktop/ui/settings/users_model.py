"""The table of user accounts on the Users settings page.

Holds the :class:`~senga_desktop.controllers.users.UserInfo` rows the controller returned (a
depot has tens of accounts, so the whole list is loaded at once) and formats them; ``data()`` runs
no SQL. Times are stored in UTC and shown in the depot's time zone.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from senga_desktop.controllers.permissions import ROLE_LABELS
from senga_desktop.controllers.users import UserInfo

DEFAULT_TIME_ZONE = "Africa/Nairobi"
NONE_SHOWN = "—"
TIME_FORMAT = "%Y-%m-%d %H:%M"

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    """The table's columns, in order."""

    USERNAME = 0
    EMAIL = 1
    ROLE = 2
    ACTIVE = 3
    LOCKED_UNTIL = 4
    LAST_LOGIN = 5


HEADERS = {
    Column.USERNAME: "User name",
    Column.EMAIL: "E-mail",
    Column.ROLE: "Role",
    Column.ACTIVE: "Active",
    Column.LOCKED_UNTIL: "Locked until",
    Column.LAST_LOGIN: "Last sign-in",
}


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


class UsersTableModel(QAbstractTableModel):
    """Read-only rows of user accounts; :meth:`user` gives the account behind a row."""

    def __init__(
        self, *, time_zone: str = DEFAULT_TIME_ZONE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._users: list[UserInfo] = []
        self._zone = _zone(time_zone)
        self._now = datetime.now(UTC)

    # -- feeding ------------------------------------------------------------------------------

    def set_users(self, users: Sequence[UserInfo], *, now: datetime | None = None) -> None:
        """Show ``users``; ``now`` decides which accounts count as locked."""
        self.beginResetModel()
        self._users = list(users)
        self._now = now or datetime.now(UTC)
        self.endResetModel()

    def set_time_zone(self, name: str) -> None:
        self._zone = _zone(name)
        if self._users:
            self.dataChanged.emit(
                self.index(0, Column.LOCKED_UNTIL),
                self.index(len(self._users) - 1, Column.LAST_LOGIN),
                [Qt.ItemDataRole.DisplayRole],
            )

    def user(self, row: int) -> UserInfo:
        return self._users[row]

    def row_of(self, user_id: int) -> int | None:
        for row, user in enumerate(self._users):
            if user.id == user_id:
                return row
        return None

    def is_locked(self, row: int) -> bool:
        return self._users[row].is_locked(self._now)

    # -- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._users)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._users):
            return None
        if not 0 <= index.column() < len(Column):
            return None
        user = self._users[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(user, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(user, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- formatting ---------------------------------------------------------------------------

    def _time(self, value: datetime | None) -> str:
        if value is None:
            return NONE_SHOWN
        return value.astimezone(self._zone).strftime(TIME_FORMAT)

    def _display(self, user: UserInfo, column: Column) -> str:
        if column is Column.USERNAME:
            return user.username
        if column is Column.EMAIL:
            return user.email or NONE_SHOWN
        if column is Column.ROLE:
            return ROLE_LABELS[user.role]
        if column is Column.ACTIVE:
            return "Yes" if user.is_active else "No"
        if column is Column.LOCKED_UNTIL:
            return self._time(user.locked_until) if user.is_locked(self._now) else NONE_SHOWN
        return self._time(user.last_login)

    def _tooltip(self, user: UserInfo, column: Column) -> str | None:
        if column is Column.USERNAME and user.must_change_password:
            return f"{user.username} must choose a new password at the next sign-in."
        if column is Column.ACTIVE and not user.is_active:
            return "Deactivated: this account cannot sign in."
        if column is Column.LOCKED_UNTIL and user.is_locked(self._now):
            return "Locked after too many failed sign-ins. Unlock lets them try again at once."
        if column in (Column.LOCKED_UNTIL, Column.LAST_LOGIN):
            return f"Times in {self._zone.key}"
        return None
