"""Figure cards and note boxes, as used on the overview and (later) report pages."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.ui.style import icon, icon_label, muted, scaled_font, unit


class FigureCard(QFrame):
    """One figure: an icon, a big number, what it counts and a short note."""

    def __init__(
        self, *, key: str, icon_name: str, caption: str, note: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"figure_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        u = unit(self)

        self.value_label = QLabel("\N{EM DASH}")
        self.value_label.setObjectName(f"{key}_value")
        self.value_label.setFont(scaled_font(self.font(), 2.2, QFont.Weight.DemiBold))
        self.caption_label = QLabel(caption)
        self.caption_label.setFont(scaled_font(self.font(), 1.0, QFont.Weight.DemiBold))
        self.note_label = muted(QLabel(note))
        self.note_label.setWordWrap(True)

        top = QHBoxLayout()
        top.setSpacing(u)
        top.addWidget(self.value_label, 1, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(
            icon_label(icon(icon_name, accent=True, widget=self), u * 4),
            0,
            Qt.AlignmentFlag.AlignTop,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        layout.setSpacing(u // 2)
        layout.addLayout(top)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.note_label)
        layout.addStretch(1)
        # Wide enough for the bold caption, so no card clips what it counts.
        caption_width = self.caption_label.sizeHint().width() + u * 4
        self.setMinimumWidth(max(self.fontMetrics().averageCharWidth() * 24, caption_width))

    def set_value(self, text: str) -> None:
        self.value_label.setText(text)


class FigureGrid(QWidget):
    """Cards in as many columns as fit; only 5, 3, 2 or 1 columns, so no row holds a lone card."""

    COLUMN_CHOICES = (5, 3, 2, 1)

    def __init__(self, *, cards: Sequence[FigureCard], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards = list(cards)
        self._columns = 0
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(unit(self) * 2)
        # The widget's minimum comes from minimumSizeHint below, not from the laid-out row.
        self._layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._place(self.COLUMN_CHOICES[-1])

    def minimumSizeHint(self) -> QSize:
        # One card's width, not the current row's: else a scroll area never lets the grid
        # narrow enough to re-flow into fewer columns. The height is the current arrangement's.
        width = max(c.minimumWidth() for c in self._cards)
        return QSize(width, self._layout.totalMinimumSize().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(self._columns_for(event.size().width()))

    def _columns_for(self, width: int) -> int:
        spacing = self._layout.spacing()
        card = max(c.minimumWidth() for c in self._cards)
        for columns in self.COLUMN_CHOICES:
            if columns <= len(self._cards) and columns * card + (columns - 1) * spacing <= width:
                return columns
        return 1

    def _place(self, columns: int) -> None:
        if columns == self._columns:
            return
        for card in self._cards:
            self._layout.removeWidget(card)
        for index, card in enumerate(self._cards):
            self._layout.addWidget(card, index // columns, index % columns)
        for column in range(max(self.COLUMN_CHOICES)):
            self._layout.setColumnStretch(column, 1 if column < columns else 0)
        self._columns = columns
        self.updateGeometry()  # the height needed changes with the number of rows


class NoteBox(QFrame):
    """A framed note with an icon: empty states, problems, hints."""

    def __init__(
        self, *, name: str, icon_name: str, label: QLabel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = label
        u = unit(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        row.setSpacing(u * 2)
        row.addWidget(icon_label(icon(icon_name, widget=self), u * 3), 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(label, 1)
