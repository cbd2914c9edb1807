"""The frame of the paged list models: one page of records, read by a controller, formatted here.

The order and customer lists work the same way (the Anki pattern for a big table): the model holds
only the rows of the page on screen, read off the GUI thread and searched, sorted and paged by the
database, and formats them; ``data()`` runs no SQL. :class:`PageTableModel` keeps the page, answers
Qt's questions about rows, columns and flags, and routes each role to a small hook, so that a list
only says what its columns are and how a record reads in them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from senga_desktop.ui.style import icon

__all__ = ["LEFT", "RIGHT", "AnyIndex", "Page", "PageTableModel"]

AnyIndex = QModelIndex | QPersistentModelIndex
#: Text columns read from the left; figures line up on the right.
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class Page(Protocol):
    """What a controller's page of records offers (``OrderPage``, ``CustomerPage``)."""

    @property
    def rows(self) -> tuple[Any, ...]: ...

    @property
    def total(self) -> int: ...


class PageTableModel(QAbstractTableModel):
    """Read-only rows of one page of records.

    Subclasses set :attr:`columns` and :attr:`headers` and implement :meth:`_key`,
    :meth:`_display` and :meth:`_tooltip`; they may refine :meth:`_alignment`,
    :meth:`_header_tooltip` and :meth:`_extra_data` (icons, fonts).
    """

    #: The list's columns, in order (an ``IntEnum`` numbered from 0).
    columns: ClassVar[type[enum.IntEnum]]
    #: The header caption of each column.
    headers: ClassVar[Mapping[Any, str]]

    def __init__(self, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Any, ...] = ()
        self._total = 0
        self._offset = 0
        # Icons are cached per name: data() is called for every visible cell on every repaint.
        self._icons: dict[str, QIcon] = {}

    # -- feeding ------------------------------------------------------------------------------

    def set_page(self, page: Page, *, offset: int) -> None:
        """Show ``page``, the rows from ``offset`` of ``page.total`` matching records."""
        self.beginResetModel()
        self._rows = page.rows
        self._total = page.total
        self._offset = offset
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many records match the filters (all pages)."""
        return self._total

    @property
    def offset(self) -> int:
        """The position of the first row shown among all matching records."""
        return self._offset

    def record(self, row: int) -> Any | None:
        """The record shown in ``row``, or ``None`` past the page."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: str) -> int | None:
        """The row of the record whose key (see :meth:`_key`) is ``key``, if it is on the page."""
        for row, record in enumerate(self._rows):
            if self._key(record) == key:
                return row
        return None

    # -- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tooltip(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.columns):
            return None
        record = self.record(index.row())
        if record is None:
            return None
        column = self.columns(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.UserRole:
            return self._key(record)
        return self._extra_data(record, column, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # -- hooks --------------------------------------------------------------------------------

    def _key(self, record: Any) -> str:
        """The record's identity (``UserRole`` data, and what :meth:`row_of` looks for)."""
        raise NotImplementedError

    def _display(self, record: Any, column: Any) -> str:
        raise NotImplementedError

    def _tooltip(self, record: Any, column: Any) -> str | None:
        raise NotImplementedError

    def _alignment(self, column: Any) -> Qt.AlignmentFlag:
        """Left by default; lists with figures put those columns on the right."""
        return LEFT

    def _header_tooltip(self, column: Any) -> str | None:
        return None

    def _extra_data(self, record: Any, column: Any, role: int) -> Any:
        """Any other role (decoration, font): nothing by default."""
        return None

    def _icon(self, name: str) -> QIcon:
        if name not in self._icons:
            self._icons[name] = icon(name)
        return self._icons[name]
