"""The graphics view inside :class:`~senga_desktop.ui.widgets.map.view.MapView`.

It turns input into map actions: the wheel zooms around the cursor, a drag pans, +, - and 0 zoom and
fit, and a press released where it started is a click, handed back to the map to find the
route or held order under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView

from senga_desktop.ui.widgets.map.basemap import SEA

if TYPE_CHECKING:
    from senga_desktop.ui.widgets.map.view import MapView

__all__ = ["MapCanvas"]

_CLICK_SLOP = 5  # pixels a press may move and still count as a click


class MapCanvas(QGraphicsView):
    """The graphics view: wheel zoom around the cursor, drag to pan, keys, click detection."""

    def __init__(self, owner: MapView, scene: QGraphicsScene) -> None:
        super().__init__(scene, owner)
        self._owner = owner
        self._pressed_at: QPoint | None = None
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setBackgroundBrush(SEA)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self._owner._zoom_by(2 ** (delta / 480), around=event.position().toPoint())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self._owner.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self._owner.zoom_out()
        elif key == Qt.Key.Key_0:
            self._owner.fit()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed_at = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pressed, self._pressed_at = self._pressed_at, None
        if pressed is None or event.button() != Qt.MouseButton.LeftButton:
            return
        moved = (event.position().toPoint() - pressed).manhattanLength()
        if moved <= _CLICK_SLOP:
            self._owner._on_clicked(event.position().toPoint())
        else:
            self._owner._auto_fit = False  # the user chose this view: a resize keeps it

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._owner._on_resized()
