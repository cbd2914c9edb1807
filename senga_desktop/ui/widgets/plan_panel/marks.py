"""The marks of kept routes and orders: the icons, the shortcuts, and the badges on the map.

A locked route gets a padlock badge on its first stop, a stop whose orders are kept on their
truck a pin badge. Badges are child items of the map's stop symbols, so they follow every
re-layout (rings, zoom) and disappear with the stops when the map shows another plan; they
fade with their stop when another route is highlighted. The map itself knows nothing of locks.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import qtawesome as qta
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from senga_desktop.ui.style import icon
from senga_desktop.ui.widgets.map import MapView
from senga_desktop.ui.widgets.map.items import ROUTE_KEY, StopItem
from senga_desktop.ui.widgets.plan_panel.violation_marks import frozen_icon

__all__ = [
    "LOCK_SHORTCUT",
    "PIN_SHORTCUT",
    "BadgeItem",
    "badges",
    "mark_icon",
    "mark_map",
    "refresh_badges",
]

#: Ctrl+L locks the window; Ctrl+K keeps (locks) a route, Ctrl+Shift+K an order on its truck.
LOCK_SHORTCUT = "Ctrl+K"
PIN_SHORTCUT = "Ctrl+Shift+K"

_ICONS = {
    "lock": "mdi6.lock",
    "unlocked": "mdi6.lock-open-variant-outline",
    "pin": "mdi6.pin",
    "added": "mdi6.plus-circle-outline",
}


@cache
def mark_icon(name: str, accent: bool = False) -> QIcon:
    """``lock``, ``unlocked``, ``pin`` or ``added`` (a stop a committed route takes in addition).

    The open padlock of a route that is not locked is drawn faint: it only says "click to lock".
    """
    if name == "unlocked":
        faint = QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        drawn = qta.icon(_ICONS[name], color=faint)
    else:
        drawn = icon(_ICONS[name], accent=accent)
    return frozen_icon(drawn)  # a padlock a row: drawn once, not at every paint


class BadgeItem(QGraphicsItem):
    """A small round badge with a padlock or a pin, on the upper right of a stop symbol."""

    RADIUS = 6.5

    def __init__(self, kind: str, stop: StopItem, tooltip: str) -> None:
        super().__init__(stop)
        self.kind = kind
        self.setData(ROUTE_KEY, stop.route_id)  # a click on the badge selects its route
        self.setToolTip(tooltip)
        self.setAcceptHoverEvents(True)

    def _centre(self) -> QPointF:
        stop = self.parentItem()
        numbered = isinstance(stop, StopItem) and stop.numbered
        r = (StopItem.LARGE if numbered else StopItem.SMALL) * 0.8 + 4
        return QPointF(r, -r)

    def boundingRect(self) -> QRectF:
        reach = StopItem.LARGE * 0.8 + 4 + self.RADIUS + 1
        return QRectF(-reach, -reach, 2 * reach, 2 * reach)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        stop = self.parentItem()
        dimmed = isinstance(stop, StopItem) and stop.dimmed
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setOpacity(0.35 if dimmed else 1.0)
        centre, r = self._centre(), self.RADIUS
        painter.setPen(QPen(QColor("#202a36"), 1.2))
        painter.setBrush(QBrush(QColor("#fffdf5")))
        painter.drawEllipse(centre, r, r)
        side = round(r * 1.5)
        pixmap = mark_icon(self.kind).pixmap(side, side)
        painter.drawPixmap(
            QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side),
            pixmap,
            QRectF(pixmap.rect()),
        )


def badges(view: MapView) -> list[BadgeItem]:
    """The badges on the map now."""
    scene = view.canvas().scene()
    return [item for item in scene.items() if isinstance(item, BadgeItem)]


def mark_map(
    view: MapView,
    *,
    locked: Iterable[tuple[str, str]],
    pinned: Iterable[tuple[str, int, str]],
) -> None:
    """Badges for ``locked`` (route id, truck) on each route's first stop and for ``pinned``
    (route id, stop sequence, truck); the badges shown before are removed."""
    scene = view.canvas().scene()
    for badge in badges(view):
        scene.removeItem(badge)
    stops: dict[tuple[str, int], StopItem] = {}
    first: dict[str, StopItem] = {}
    for item in scene.items():
        if isinstance(item, StopItem):
            stops[(item.route_id, item.sequence)] = item
            if item.route_id not in first or item.sequence < first[item.route_id].sequence:
                first[item.route_id] = item
    for route_id, truck in locked:
        stop = first.get(route_id)
        if stop is not None:
            BadgeItem("lock", stop, f"{truck}: locked, kept exactly when you re-plan the rest")
    for route_id, sequence, truck in pinned:
        stop = stops.get((route_id, sequence))
        if stop is not None:
            BadgeItem("pin", stop, f"Kept on {truck} when you re-plan")


def refresh_badges(view: MapView) -> None:
    """Repaint the badges (after a route was highlighted and their stops faded)."""
    for badge in badges(view):
        badge.update()
