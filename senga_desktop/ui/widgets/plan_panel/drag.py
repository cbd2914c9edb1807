"""Dragging orders about the plan panel: stops and held orders onto routes, into place, to held.

:class:`PlanDragDrop` makes a :class:`~senga_desktop.ui.widgets.plan_panel.PlanPanel` a place to
drag orders, with event filters on the views' viewports (the views and their models stay as they
are, and the Decisions and Routes screens, which use the same panel, get none of it):

* **from** the stop table (a stop: its order) and the held-orders tree (a held order);
* **onto** a row of the route list or a route on the map (that truck), a place in the stop table
  (between two stops of the shown route; a line shows where), or the held-orders tree (hold it).

A drop only says what was dropped where: :attr:`PlanDragDrop.order_dropped` carries an
:class:`OrderDrag` and a :class:`DropTarget`; the screen decides what edit that is. The payload is
:data:`ORDER_MIME` (JSON), made by :func:`order_mime` and read by :func:`dragged_order`, so a test
can deliver a drop exactly as Qt would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragMoveEvent,
    QDropEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QWidget

from senga_desktop.controllers.plan_views import ReloadView, StopView
from senga_desktop.ui.widgets.map.items import ROUTE_KEY, StopItem
from senga_desktop.ui.widgets.plan_panel.held import ORDER_ROLE

if TYPE_CHECKING:
    from senga_desktop.ui.widgets.plan_panel.panel import PlanPanel

__all__ = ["ORDER_MIME", "DropTarget", "OrderDrag", "PlanDragDrop", "dragged_order", "order_mime"]

ORDER_MIME = "application/x-senga-order"


@dataclass(frozen=True, slots=True)
class OrderDrag:
    """The order being dragged and the truck whose route it is on (``None``: held)."""

    order_id: str
    vehicle_id: str | None = None


@dataclass(frozen=True, slots=True)
class DropTarget:
    """Where an order was dropped.

    ``kind`` is ``"route"`` (a route's row or line: ``vehicle_id``'s route, the place left to the
    screen), ``"stops"`` (before stop ``index``, from 0, of trip ``trip`` of ``vehicle_id``'s
    route, the one the stop table shows) or ``"held"``.
    """

    kind: str
    vehicle_id: str | None = None
    trip: int = 0
    index: int = 0


def order_mime(drag: OrderDrag) -> QMimeData:
    """The drag's payload: :data:`ORDER_MIME` as JSON, and the order number as text."""
    data = QMimeData()
    payload = {"order_id": drag.order_id, "vehicle_id": drag.vehicle_id}
    data.setData(ORDER_MIME, json.dumps(payload).encode())
    data.setText(drag.order_id)
    return data


def dragged_order(data: QMimeData | None) -> OrderDrag | None:
    """The order a payload carries, or ``None`` if it is not one of ours."""
    if data is None or not data.hasFormat(ORDER_MIME):
        return None
    try:
        payload = json.loads(bytes(data.data(ORDER_MIME).data()).decode())
        vehicle = payload.get("vehicle_id")
        return OrderDrag(str(payload["order_id"]), str(vehicle) if vehicle else None)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def place_in(rows: tuple[StopView | ReloadView, ...], before: int) -> tuple[int, int]:
    """``(trip, index)`` of a stop put before row ``before`` of a stop table's ``rows`` (a
    heading row starts a trip; before a trip's heading is the end of the trip before)."""
    trip, index = 0, 0
    for item in rows[: max(0, before)]:
        if isinstance(item, ReloadView):
            trip, index = item.trip, 0
        else:
            trip, index = item.trip, index + 1
    return trip, index


class _Indicator(QWidget):
    """Where a drop would land: a line between two rows, or a frame around a row or a view."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()
        self._line = False

    def show_line(self, y: int) -> None:
        self._line = True
        self.setGeometry(0, max(0, y - 2), self.parentWidget().width(), 4)
        self.show()
        self.raise_()

    def show_frame(self, rect: QRect) -> None:
        self._line = False
        self.setGeometry(rect)
        self.show()
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        color = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        if self._line:
            painter.fillRect(self.rect(), color)
            return
        painter.setPen(QPen(color, 2))
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))


class PlanDragDrop(QObject):
    """Drag sources and drop targets of one plan panel; ``order_dropped(drag, target)``.

    Nothing can be dragged while :attr:`enabled` is false (the plan is not editable yet).
    """

    order_dropped = Signal(object, object)  # OrderDrag, DropTarget

    def __init__(self, *, panel: PlanPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.enabled = False
        self._pressed: tuple[QWidget, QPoint] | None = None
        self._routes = panel.route_table.viewport()
        self._stops = panel.stop_table.viewport()
        self._held = panel.held_view.tree.viewport()
        self._map = panel.map.canvas().viewport()
        self._indicators: dict[QWidget, _Indicator] = {}
        for viewport in (self._routes, self._stops, self._held, self._map):
            viewport.setAcceptDrops(True)
            viewport.installEventFilter(self)
            self._indicators[viewport] = _Indicator(viewport)

    # -- what is under the cursor ---------------------------------------------------------------

    def target_at(self, viewport: QWidget, pos: QPoint) -> DropTarget | None:
        """The drop target at ``pos`` in one of the panel's viewports, or ``None``."""
        if viewport is self._held:
            return DropTarget("held")
        if viewport is self._routes:
            index = self.panel.route_table.indexAt(pos)
            if not index.isValid():
                return None
            return DropTarget("route", self.panel.route_model.route(index.row()).vehicle_id)
        if viewport is self._map:
            items = self.panel.map.canvas().items(pos)
            # A stop under the cursor names its route better than the lines crossing there.
            for item in [*(i for i in items if isinstance(i, StopItem)), *items]:
                route_id = item.data(ROUTE_KEY)
                route = self.panel.route_by_id(route_id) if isinstance(route_id, str) else None
                if route is not None:
                    return DropTarget("route", route.vehicle_id)
            return None
        if viewport is self._stops:
            route = self.panel.stop_model.route()
            if route is None:
                return None
            trip, index = place_in(self.panel.stop_model.rows(), self._row_before(pos))
            return DropTarget("stops", route.vehicle_id, trip, index)
        return None

    def _row_before(self, pos: QPoint) -> int:
        """The stop-table row a drop at ``pos`` goes before (the row count: at the end)."""
        table = self.panel.stop_table
        index = table.indexAt(pos)
        if not index.isValid():
            return self.panel.stop_model.rowCount()
        rect = table.visualRect(index)
        return index.row() + (1 if pos.y() > rect.center().y() else 0)

    def _indicate(self, viewport: QWidget, target: DropTarget | None, pos: QPoint) -> None:
        indicator = self._indicators[viewport]
        if target is None:
            indicator.hide()
        elif viewport is self._stops:
            table = self.panel.stop_table
            row = self._row_before(pos)
            rows = self.panel.stop_model.rowCount()
            if rows == 0:
                indicator.show_line(0)
            elif row < rows:
                indicator.show_line(table.visualRect(self.panel.stop_model.index(row, 0)).top())
            else:
                last = table.visualRect(self.panel.stop_model.index(rows - 1, 0))
                indicator.show_line(last.bottom() + 1)
        elif viewport is self._routes:
            index = self.panel.route_table.indexAt(pos)
            rect = self.panel.route_table.visualRect(index)
            indicator.show_frame(QRect(0, rect.top(), viewport.width(), rect.height()))
        elif viewport is self._held:
            indicator.show_frame(viewport.rect())
        else:
            indicator.hide()  # the map shows the route under the cursor by itself

    # -- events ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget) or watched not in self._indicators:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.LeftButton:
                self._pressed = (watched, event.position().toPoint())
        elif kind == QEvent.Type.MouseButtonRelease:
            self._pressed = None
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            return self._maybe_start(watched, event)
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragMoveEvent
        ):
            target = self._accepting(watched, event)
            self._indicate(watched, target, event.position().toPoint())
            return True
        elif kind == QEvent.Type.DragLeave:
            self._indicators[watched].hide()
            return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            self._indicators[watched].hide()
            self.drop(watched, event)
            return True
        return False

    def _accepting(self, viewport: QWidget, event: QDragMoveEvent) -> DropTarget | None:
        drag = dragged_order(event.mimeData())
        target = self.target_at(viewport, event.position().toPoint()) if drag else None
        if target is not None and self.enabled:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            return target
        event.ignore()
        return None

    def drop(self, viewport: QWidget, event: QDropEvent) -> None:
        """Handle a drop on ``viewport`` (what Qt delivers at the end of a drag)."""
        drag = dragged_order(event.mimeData())
        target = self.target_at(viewport, event.position().toPoint()) if drag else None
        if drag is None or target is None or not self.enabled:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.order_dropped.emit(drag, target)

    def _maybe_start(self, viewport: QWidget, event: QMouseEvent) -> bool:
        pressed = self._pressed
        if (
            pressed is None
            or pressed[0] is not viewport
            or not self.enabled
            or not event.buttons() & Qt.MouseButton.LeftButton
        ):
            return False
        start = pressed[1]
        moved = (event.position().toPoint() - start).manhattanLength()
        if moved < QApplication.startDragDistance():
            return False
        self._pressed = None
        drag = self.drag_at(viewport, start)
        if drag is None:
            return False
        self.start_drag(viewport, drag)
        return True

    def drag_at(self, viewport: QWidget, pos: QPoint) -> OrderDrag | None:
        """The order a drag started at ``pos`` would carry (a stop's, a held order's)."""
        if viewport is self._stops:
            index = self.panel.stop_table.indexAt(pos)
            route = self.panel.stop_model.route()
            stop = self.panel.stop_model.stop(index.row()) if index.isValid() else None
            if stop is None or route is None or not stop.order_ids:
                return None
            return OrderDrag(stop.order_ids[0], route.vehicle_id)
        if viewport is self._held:
            item = self.panel.held_view.tree.itemAt(pos)
            order_id = item.data(0, ORDER_ROLE) if item is not None else None
            return OrderDrag(str(order_id)) if order_id else None
        return None

    def start_drag(self, viewport: QWidget, drag: OrderDrag) -> None:
        """Run the drag (Qt's own loop, until the drop or Escape)."""
        qdrag = QDrag(viewport)
        qdrag.setMimeData(order_mime(drag))
        qdrag.setPixmap(_drag_pixmap(viewport, drag.order_id))
        qdrag.exec(Qt.DropAction.MoveAction)
        for indicator in self._indicators.values():
            indicator.hide()


def _drag_pixmap(widget: QWidget, text: str) -> QPixmap:
    """A small label with the order number, under the cursor while dragging."""
    metrics = widget.fontMetrics()
    pixmap = QPixmap(metrics.horizontalAdvance(text) + 16, metrics.height() + 8)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    palette = widget.palette()
    painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(pixmap.rect(), 4, 4)
    painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap
