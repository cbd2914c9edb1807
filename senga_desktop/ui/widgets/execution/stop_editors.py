"""Editing the stops table by keyboard: the delegates for times and choices, and the table view.

- :class:`TimeDelegate` edits a time as the depot's wall-clock time; an empty cell opens on *now*
  (the usual case: the driver just phoned), which the dispatcher corrects if need be.
- :class:`ChoiceDelegate` edits a result or a failure reason from its list; an empty result opens
  on the suggestion (late when the arrival was after the window).
- :class:`StopTableView` starts editing with Enter (as well as F2 or typing), clears a cell with
  Delete, and keeps Tab moving from cell to cell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from senga_desktop.domain import StopResult
from senga_desktop.ui.widgets.depot_inputs import DepotDateTimeEdit
from senga_desktop.ui.widgets.execution.stop_table import (
    EDITABLE,
    StopColumn,
    StopTableModel,
)

__all__ = ["ChoiceDelegate", "StopTableView", "TimeDelegate", "now_utc"]

AnyIndex = QModelIndex | QPersistentModelIndex
EDITOR_TIME_FORMAT = "ddd dd/MM HH:mm"


def now_utc() -> datetime:
    """The current minute, in UTC (times are recorded to the minute)."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def _python_value(index: AnyIndex) -> Any:
    """The cell's edit value as the model holds it: ``index.data()`` would pass it through Qt,
    which turns a datetime into a QDateTime and an enum member into a string."""
    model = index.model()
    return model.data(index, Qt.ItemDataRole.EditRole) if model is not None else None


class TimeDelegate(QStyledItemDelegate):
    """A cell's time in the depot's zone; an empty cell starts at the current minute."""

    def __init__(
        self, *, model: StopTableModel, clock: Callable[[], datetime], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._clock = clock

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = DepotDateTimeEdit(
            name="stop_time_editor", zone=self._model.zone, display_format=EDITOR_TIME_FORMAT,
            parent=parent,
        )  # fmt: skip
        editor.setCalendarPopup(False)  # a popup would take the keyboard out of the table
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, DepotDateTimeEdit)
        value = _python_value(index)
        editor.set_value(value if isinstance(value, datetime) else self._clock())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, DepotDateTimeEdit)
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class ChoiceDelegate(QStyledItemDelegate):
    """A value from a closed list (``labels``), or none ("—")."""

    def __init__(
        self,
        *,
        labels: Mapping[Any, str],
        suggest: Callable[[int], Any] | None = None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._labels = dict(labels)
        self._values = list(self._labels)
        #: The value an empty cell of a row opens on (``None``: no suggestion).
        self._suggest = suggest

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("stop_choice_editor")
        # Items carry their position: Qt would turn an enum member into a plain string.
        for label in ("\N{EM DASH}", *self._labels.values()):
            combo.addItem(label)
        # Choosing commits at once: one key or click per stop, then Tab to the next cell.
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def value_at(self, position: int) -> Any:
        """The value of the editor's item ``position`` (``None`` for the dash)."""
        return self._values[position - 1] if position > 0 else None

    def position_of(self, value: Any) -> int:
        return self._values.index(value) + 1 if value in self._values else 0

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        value = _python_value(index)
        if value is None and self._suggest is not None:
            value = self._suggest(index.row())
        editor.setCurrentIndex(self.position_of(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, self.value_at(editor.currentIndex()), Qt.ItemDataRole.EditRole)


def suggested_result(model: StopTableModel) -> Callable[[int], StopResult]:
    """The result an empty cell opens on: late after the window, delivered otherwise."""

    def suggest(row: int) -> StopResult:
        late = model.row(row).late_minutes > 0
        return StopResult.DELIVERED_LATE if late else StopResult.DELIVERED

    return suggest


class StopTableView(QTableView):
    """The stops table: Enter edits (or moves on), Delete clears the cell."""

    def __init__(self, *, model: StopTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stop_table")
        self.setModel(model)
        self.stop_model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        index = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid() and not editing:
            if index.flags() & Qt.ItemFlag.ItemIsEditable:
                self.edit(index)
            else:
                self._move_to_next_editable(index)
            event.accept()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and index.isValid() and not editing:
            if index.flags() & Qt.ItemFlag.ItemIsEditable:
                blank = "" if index.column() == int(StopColumn.NOTE) else None
                self.stop_model.setData(index, blank, Qt.ItemDataRole.EditRole)
            event.accept()
            return
        super().keyPressEvent(event)

    def _move_to_next_editable(self, index: QModelIndex) -> None:
        columns = sorted(int(c) for c in EDITABLE)
        for column in columns:
            if column > index.column():
                candidate = self.stop_model.index(index.row(), column)
                if candidate.flags() & Qt.ItemFlag.ItemIsEditable:
                    self.setCurrentIndex(candidate)
                    return
        if index.row() + 1 < self.stop_model.rowCount():
            self.setCurrentIndex(self.stop_model.index(index.row() + 1, columns[0]))
