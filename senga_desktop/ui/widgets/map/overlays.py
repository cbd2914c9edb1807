"""Widgets laid over the map: the zoom tool buttons and the legend.

They are children of the graphics view itself, not of its viewport, so scrolling the map does
not move them.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.ui import style
from senga_desktop.ui.widgets.map.items import DEPOT_COLOR, HELD_COLOR, PALETTE

__all__ = ["STRAIGHT_LINES_NOTE", "MapLegend", "MapToolbar"]

STRAIGHT_LINES_NOTE = "Lines are straight between stops; distances and times are by road."

_PANEL_STYLE = (
    "QFrame#{name} {{ background: rgba(255, 255, 255, 232); border: 1px solid #c9c2b5;"
    " border-radius: 5px; }} QFrame#{name} QLabel {{ color: #2f3338; background: transparent; }}"
)


class MapToolbar(QFrame):
    """Zoom in, zoom out, fit, and "all routes" (enabled while one route is shown alone)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("map_toolbar")
        self.setStyleSheet(
            _PANEL_STYLE.format(name="map_toolbar")
            + " QToolButton { border: none; border-radius: 4px; padding: 3px; color: #2f3338; }"
            " QToolButton:hover { background: #e9e5dc; } QToolButton:disabled { color: #b0aaa0; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.setSpacing(1)
        self.zoom_in = self._button("map_zoom_in", "mdi6.plus", "+", "Zoom in (+)")
        self.zoom_out = self._button("map_zoom_out", "mdi6.minus", "-", "Zoom out (-)")
        self.fit = self._button("map_fit", "mdi6.fit-to-screen-outline", "Fit", "Fit the plan (0)")
        self.show_all = self._button(
            "map_show_all", "mdi6.map-marker-multiple-outline", "All", "Show all routes again"
        )
        self.show_all.setEnabled(False)
        for button in (self.zoom_in, self.zoom_out, self.fit, self.show_all):
            layout.addWidget(button)

    def _button(self, name: str, icon_name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setIcon(style.icon(icon_name, widget=self))
        button.setIconSize(QSize(18, 18))
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the map
        return button


def _symbol(kind: str, size: int = 18) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    centre = QPointF(size / 2, size / 2)
    if kind == "depot":
        painter.setPen(QPen(QColor("white"), 1.2))
        painter.setBrush(QBrush(DEPOT_COLOR))
        painter.drawRoundedRect(QRectF(2, 2, size - 4, size - 4), 3, 3)
    elif kind == "stop":
        painter.setPen(QPen(QColor("white"), 1.2))
        painter.setBrush(QBrush(QColor(PALETTE[0])))
        painter.drawEllipse(centre, 7, 7)
        font = painter.font()
        font.setPixelSize(9)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "3")
    elif kind == "start":
        painter.setPen(QPen(QColor("white"), 1.2))
        painter.setBrush(QBrush(QColor(PALETTE[0])))
        painter.drawRect(QRectF(size / 2 - 4, size / 2 - 4, 8, 8))
    elif kind == "held":
        painter.setPen(QPen(HELD_COLOR, 2.0))
        painter.setBrush(QBrush(QColor("white")))
        painter.drawEllipse(centre, 5, 5)
    elif kind == "line":
        for offset, color in ((-3, PALETTE[0]), (3, PALETTE[1])):
            painter.setPen(QPen(QColor(color), 2.0))
            painter.drawPolyline(
                QPolygonF([QPointF(1, size / 2 + offset), QPointF(size - 1, size / 2 + offset)])
            )
    painter.end()
    return pixmap


class MapLegend(QFrame):
    """What the symbols mean, and that lines are straight while figures are by road."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("map_legend")
        self.setStyleSheet(_PANEL_STYLE.format(name="map_legend"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        outer.setSpacing(3)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        rows = (
            ("depot", "Depot"),
            ("stop", "Stop, numbered in delivery order"),
            ("line", "Route, one colour per truck"),
            ("start", "Truck's start, when not at the depot"),
            ("held", "Held order (not routed)"),
        )
        for row, (kind, text) in enumerate(rows):
            symbol = QLabel()
            symbol.setPixmap(_symbol(kind))
            grid.addWidget(symbol, row, 0)
            grid.addWidget(self._small(text), row, 1)
        outer.addLayout(grid)
        note = self._small(STRAIGHT_LINES_NOTE, italic=True)
        note.setObjectName("map_legend_note")
        note.setWordWrap(True)
        outer.addWidget(note)
        credit = QHBoxLayout()
        credit.addWidget(self._small("Base map: Made with Natural Earth", muted=True))
        outer.addLayout(credit)
        self.setMaximumWidth(250)

    @staticmethod
    def _small(text: str, *, italic: bool = False, muted: bool = False) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        font.setItalic(italic)
        label.setFont(font)
        if muted:
            label.setStyleSheet("color: #8a8477;")
        return label
