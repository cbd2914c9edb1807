"""The plan panel's table pieces: the capacity bar, the colour swatch, a plain table view."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from senga_desktop.ui.style import error_color
from senga_desktop.ui.widgets.plan_panel.roles import SHARE_ROLE

__all__ = ["ShareDelegate", "SwatchDelegate", "plan_table"]


class ShareDelegate(QStyledItemDelegate):
    """Draws a thin capacity bar under the "82 % · 4.1 t" text of the used-capacity columns."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        share = index.data(SHARE_ROLE)
        if share is None:
            return
        rect: QRect = option.rect  # type: ignore[attr-defined]
        height = max(3, rect.height() // 8)
        bar = QRect(rect.left() + 4, rect.bottom() - height - 2, rect.width() - 8, height)
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        track = QColor(palette.color(QPalette.ColorRole.Mid))
        track.setAlpha(90)
        painter.fillRect(bar, track)
        fill = QColor(palette.color(QPalette.ColorRole.Highlight))
        if share > 1.0:
            fill = QColor(error_color(option.widget))  # type: ignore[attr-defined]
        filled = QRect(bar)
        filled.setWidth(round(bar.width() * min(1.0, max(0.0, float(share)))))
        painter.fillRect(filled, fill)
        painter.restore()


class SwatchDelegate(QStyledItemDelegate):
    """The route's map colour as a small square before the truck's plate."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        side = option.fontMetrics.height() - 4  # type: ignore[attr-defined]
        option.decorationSize = QSize(side, side)  # type: ignore[attr-defined]


def plan_table(name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
    return table
