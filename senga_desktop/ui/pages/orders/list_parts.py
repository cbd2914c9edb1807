"""The frame the order and customer lists share: title, commands, filters, messages, table, pages.

::

    Orders                                        [busy…] [New order…] [Import…] …
    246 orders in all · times in Nairobi time
    [filters ………………………………………………………………………………………………………………]
    (a problem, or a notice of what a command did: dismissable)
    ┌ table ─────────────────────────────────────────────────┐   or the empty state
    └────────────────────────────────────────────────────────┘
    [Open…] [Duplicate] [Cancel order…]       Rows 1-100 of 246  [< Previous] [Next >]

:class:`ListFrame` only arranges and shows; the pages own the model, the loading and the commands.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.ui.auth import BusyIndicator
from senga_desktop.ui.style import heading, icon, markdown_label, muted, unit
from senga_desktop.ui.widgets.cards import NoteBox

__all__ = ["ListFrame", "configure_table"]


class _SpacedDelegate(QStyledItemDelegate):
    """Cells a little wider than their text, so columns without grid lines stay apart."""

    def __init__(self, *, padding: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._padding = padding

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return super().sizeHint(option, index) + QSize(self._padding, 0)


def configure_table(table: QTableView) -> None:
    """A read-only list of whole rows, in the look of the app's other tables."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setItemDelegate(_SpacedDelegate(padding=unit(table) * 2, parent=table))
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + unit(table))
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setMinimumSectionSize(table.fontMetrics().averageCharWidth() * 4)


class ListFrame(QWidget):
    """The arrangement of a list screen; see the module's sketch."""

    def __init__(
        self, *, title: str, name: str, busy_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_frame")
        self._name = name
        u = unit(self)
        self.title_label = heading(title, name=f"{name}_title")
        self.subtitle_label = muted(QLabel(busy_text))
        self.subtitle_label.setObjectName(f"{name}_subtitle")
        self.busy_indicator = BusyIndicator(text=busy_text)
        titles = QVBoxLayout()
        titles.setSpacing(u // 2)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        self._top = QHBoxLayout()
        self._top.setSpacing(u)
        self._top.addLayout(titles, 1)
        self._top.addWidget(self.busy_indicator, 0, Qt.AlignmentFlag.AlignBottom)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(u * 4, u * 3, u * 4, u * 3)
        self._layout.setSpacing(u * 2)
        self._layout.addLayout(self._top)
        self._filters_slot = QVBoxLayout()
        self._layout.addLayout(self._filters_slot)
        self._build_messages()
        self.stack = QStackedWidget()
        self._layout.addWidget(self.stack, 1)
        self._layout.addLayout(self._build_bottom())

    def _build_messages(self) -> None:
        """A problem reading the list or from a command, and what a command did (dismissable)."""
        u = unit(self)
        boxes = []
        for kind, icon_name in (
            ("problem", "mdi6.alert-circle-outline"),
            ("notice", "mdi6.check-circle-outline"),
        ):
            label = QLabel()
            label.setObjectName(f"{self._name}_{kind}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box = NoteBox(name=f"{self._name}_{kind}_box", icon_name=icon_name, label=label)
            row = box.layout()
            assert row is not None  # NoteBox lays itself out in a row
            row.setContentsMargins(u * 2, u, u, u)
            close = QToolButton()
            close.setObjectName(f"{kind}_close")
            close.setIcon(icon("mdi6.close", widget=self))
            close.setAutoRaise(True)
            close.setToolTip("Dismiss")
            close.clicked.connect(box.hide)
            row.addWidget(close)
            box.hide()
            self._layout.addWidget(box)
            boxes.append((label, box))
        (self.problem_label, self.problem_box), (self.notice_label, self.notice_box) = boxes

    def _build_bottom(self) -> QHBoxLayout:
        u = unit(self)
        self._bottom = QHBoxLayout()
        self._bottom.setSpacing(u)
        self._bottom_buttons = 0
        self._bottom.addStretch(1)
        self.pager_label = muted(QLabel())
        self.pager_label.setObjectName("pager_label")
        self.previous_button = QPushButton(icon("mdi6.chevron-left", widget=self), "Previous")
        self.previous_button.setObjectName("previous_page")
        self.next_button = QPushButton(icon("mdi6.chevron-right", widget=self), "Next")
        self.next_button.setObjectName("next_page")
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # icon after text
        for button in (self.previous_button, self.next_button):
            button.setAutoDefault(False)
            button.setEnabled(False)
        self._bottom.addWidget(self.pager_label)
        self._bottom.addSpacing(u)
        self._bottom.addWidget(self.previous_button)
        self._bottom.addWidget(self.next_button)
        return self._bottom

    # -- filling --------------------------------------------------------------------------------

    def add_top_button(self, button: QPushButton) -> None:
        self._top.addWidget(button, 0, Qt.AlignmentFlag.AlignBottom)

    def add_bottom_button(self, button: QPushButton) -> None:
        """A command for the selected row, at the bottom left."""
        self._bottom.insertWidget(self._bottom_buttons, button)
        self._bottom_buttons += 1

    def add_filters(self, widget: QWidget) -> None:
        self._filters_slot.addWidget(widget)

    def set_table(self, model: QAbstractItemModel, *, name: str) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        self.stack.addWidget(table)
        return table

    def set_empty_state(self, *, icon_name: str, buttons: Sequence[QPushButton]) -> None:
        u = unit(self)
        self.empty_label = markdown_label("")
        self.empty_label.setObjectName("empty_state")
        self.empty_box = NoteBox(
            name=f"{self._name}_empty_box", icon_name=icon_name, label=self.empty_label
        )
        row = QHBoxLayout()
        row.setSpacing(u)
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        empty = QWidget()
        column = QVBoxLayout(empty)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(u * 3 // 2)
        column.addWidget(self.empty_box)
        column.addLayout(row)
        column.addStretch(1)
        self.stack.addWidget(empty)

    # -- showing --------------------------------------------------------------------------------

    def show_empty(self, empty: bool, text: str) -> None:
        """The empty state (with ``text``) instead of the table, or the table again."""
        if empty:
            self.empty_label.setText(text)
        self.stack.setCurrentIndex(1 if empty else 0)

    @property
    def showing_empty(self) -> bool:
        return self.stack.currentIndex() == 1

    def set_pager(self, text: str, *, previous: bool, following: bool) -> None:
        self.pager_label.setText(text)
        self.previous_button.setEnabled(previous)
        self.next_button.setEnabled(following)

    def show_problem(self, message: str) -> None:
        self.problem_label.setText(message)
        self.problem_box.show()

    def hide_problem(self) -> None:
        self.problem_box.hide()

    def show_notice(self, message: str) -> None:
        self.problem_box.hide()
        self.notice_label.setText(message)
        self.notice_box.show()
