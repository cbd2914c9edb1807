"""The keyboard and context-menu ways to edit a plan in the plan panel (the same as dragging).

:class:`EditControls` gives a :class:`~senga_desktop.ui.widgets.plan_panel.PlanPanel` these
actions, each acting on the selected stop, route or held order and only saying what was asked
(the screen makes the edit):

=======================  ==============  ==========================================
action                   shortcut        on
=======================  ==============  ==========================================
Move to route…           Ctrl+M          the selected stop, or the selected held order
Hold                     Ctrl+H, Del     the selected stop: off its route, held
Move up / Move down      Alt+Up/Alt+Down the selected stop, one place on its trip
Split route here         Ctrl+Shift+S    the selected stop onwards go to a free truck
Swap truck…              Ctrl+T          the selected route
=======================  ==============  ==========================================

The stop and route menus (:mod:`.lock_controls`) list them after the lock actions; the held
orders get a menu of their own. They are enabled only while :attr:`EditControls.enabled`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from senga_desktop.controllers.plan_views import RouteView, StopView
from senga_desktop.ui.style import icon

if TYPE_CHECKING:
    from senga_desktop.ui.widgets.plan_panel.panel import PlanPanel

__all__ = ["EDIT_SHORTCUTS", "EditControls"]

#: Shortcut(s) of each edit action, by object name.
EDIT_SHORTCUTS: dict[str, tuple[str, ...]] = {
    "move_order_action": ("Ctrl+M",),
    "hold_order_action": ("Ctrl+H", "Del"),
    "move_up_action": ("Alt+Up",),
    "move_down_action": ("Alt+Down",),
    "split_route_action": ("Ctrl+Shift+S",),
    "swap_truck_action": ("Ctrl+T",),
}


def _action(parent: QWidget, name: str, icon_name: str, text: str) -> QAction:
    action = QAction(icon(icon_name, widget=parent), text, parent)
    action.setObjectName(name)
    keys = EDIT_SHORTCUTS[name]
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(f"{text.rstrip('…')} ({keys[0]})")
    parent.addAction(action)
    return action


class EditControls(QObject):
    """The edit actions of one plan panel; each emits a request with the ids it acts on."""

    #: Move an order to a truck to be chosen (order id).
    move_requested = Signal(str)
    #: Take an order off its route (order id).
    hold_requested = Signal(str)
    #: Move a stop's order one place on its trip (order id, -1 up / +1 down).
    shift_requested = Signal(str, int)
    #: Split a route before a stop (truck, stop index over the whole route from 0).
    split_requested = Signal(str, int)
    #: Give a route to another truck, to be chosen (truck).
    swap_requested = Signal(str)

    def __init__(self, *, panel: PlanPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.enabled = False
        self.move_action = _action(panel, "move_order_action", "mdi6.truck-delivery-outline",
                                   "Move to route…")  # fmt: skip
        self.hold_action = _action(panel, "hold_order_action", "mdi6.pause-circle-outline", "Hold")
        self.up_action = _action(panel, "move_up_action", "mdi6.arrow-up", "Move up")
        self.down_action = _action(panel, "move_down_action", "mdi6.arrow-down", "Move down")
        self.split_action = _action(panel, "split_route_action", "mdi6.call-split",
                                    "Split route here")  # fmt: skip
        self.swap_action = _action(panel, "swap_truck_action", "mdi6.swap-horizontal",
                                   "Swap truck…")  # fmt: skip
        self.move_action.triggered.connect(self._on_move_triggered)
        self.hold_action.triggered.connect(self._on_hold_triggered)
        self.up_action.triggered.connect(lambda: self._on_shift_triggered(-1))
        self.down_action.triggered.connect(lambda: self._on_shift_triggered(1))
        self.split_action.triggered.connect(self._on_split_triggered)
        self.swap_action.triggered.connect(self._on_swap_triggered)
        tree = panel.held_view.tree
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._on_held_menu_requested)
        panel.stop_table.selectionModel().currentRowChanged.connect(lambda *_: self.update())
        panel.route_selected.connect(lambda _route_id: self.update())
        panel.tabs.currentChanged.connect(lambda _tab: self.update())
        tree.currentItemChanged.connect(lambda *_: self.update())
        self.update()

    def set_enabled(self, enabled: bool) -> None:
        """Whether the plan can be edited now (a proposal whose editor is open)."""
        self.enabled = enabled
        self.update()

    # -- what the actions act on ------------------------------------------------------------

    def current_route(self) -> RouteView | None:
        return self.panel.route_by_id(self.panel.selected_route())

    def current_stop(self) -> StopView | None:
        index = self.panel.stop_table.selectionModel().currentIndex()
        return self.panel.stop_model.stop(index.row()) if index.isValid() else None

    def current_order(self) -> tuple[str, str | None] | None:
        """The order the move action takes: the selected held order on the held tab, else the
        selected stop's (with its truck)."""
        if self.panel.tabs.currentWidget() is self.panel.held_view:
            held = self.panel.held_view.current_order()
            return (held, None) if held else None
        route, stop = self.current_route(), self.current_stop()
        if route is None or stop is None or not stop.order_ids:
            return None
        return stop.order_ids[0], route.vehicle_id

    def update(self) -> None:
        """Enabled states for what is selected."""
        order = self.current_order()
        on_route = order is not None and order[1] is not None
        stop, route = self.current_stop(), self.current_route()
        trip = route.trip_stops(stop.trip) if route is not None and stop is not None else ()
        place = next((n for n, s in enumerate(trip) if stop and s.sequence == stop.sequence), -1)
        self.move_action.setEnabled(self.enabled and order is not None)
        self.hold_action.setEnabled(self.enabled and on_route)
        self.up_action.setEnabled(self.enabled and on_route and place > 0)
        self.down_action.setEnabled(self.enabled and on_route and 0 <= place < len(trip) - 1)
        self.split_action.setEnabled(
            self.enabled and on_route and stop is not None and stop.sequence > 1
        )
        self.swap_action.setEnabled(self.enabled and route is not None)

    def stop_actions(self) -> list[QAction]:
        return [self.move_action, self.hold_action, self.up_action, self.down_action,
                self.split_action]  # fmt: skip

    def route_actions(self) -> list[QAction]:
        return [self.swap_action]

    # -- menus -------------------------------------------------------------------------------

    def extend_stop_menu(self, menu: QMenu) -> None:
        """The edit actions after the stop menu's lock actions."""
        self.update()
        menu.addSeparator()
        menu.addActions(self.stop_actions())

    def extend_route_menu(self, menu: QMenu) -> None:
        self.update()
        menu.addSeparator()
        menu.addActions(self.route_actions())

    def stop_menu(self, row: int) -> QMenu:
        """The stop table's whole context menu for ``row``, as a right-click shows it."""
        controls = self.panel.lock_controls
        if controls is not None:
            menu = controls.stop_menu(row)
        else:
            self.panel.stop_table.selectRow(row)
            menu = QMenu(self.panel.stop_table)
        self.extend_stop_menu(menu)
        return menu

    def route_menu(self, row: int) -> QMenu:
        """The route list's whole context menu for ``row``, as a right-click shows it."""
        controls = self.panel.lock_controls
        if controls is not None:
            menu = controls.route_menu(row)
        else:
            self.panel.select_route(self.panel.route_model.route(row).route_id)
            menu = QMenu(self.panel.route_table)
        self.extend_route_menu(menu)
        return menu

    def held_menu(self, order_id: str) -> QMenu:
        """The held-orders tree's context menu for ``order_id`` (selected first)."""
        self.panel.held_view.select_order(order_id)
        self.update()
        menu = QMenu(self.panel.held_view.tree)
        menu.setObjectName("held_menu")
        menu.addAction(self.move_action)
        menu.addSeparator()
        menu.addAction(self.panel.held_view.open_action)
        return menu

    def _on_held_menu_requested(self, pos: QPoint) -> None:
        tree = self.panel.held_view.tree
        item = tree.itemAt(pos)
        order_id = self.panel.held_view.order_of(item)
        if order_id:
            self.held_menu(order_id).exec(tree.viewport().mapToGlobal(pos))

    # -- requests ----------------------------------------------------------------------------

    def _on_move_triggered(self) -> None:
        order = self.current_order()
        if self.enabled and order is not None:
            self.move_requested.emit(order[0])

    def _on_hold_triggered(self) -> None:
        order = self.current_order()
        if self.enabled and order is not None and order[1] is not None:
            self.hold_requested.emit(order[0])

    def _on_shift_triggered(self, delta: int) -> None:
        order = self.current_order()
        if self.enabled and order is not None and order[1] is not None:
            self.shift_requested.emit(order[0], delta)

    def _on_split_triggered(self) -> None:
        route, stop = self.current_route(), self.current_stop()
        if self.enabled and route is not None and stop is not None:
            self.split_requested.emit(route.vehicle_id, stop.sequence - 1)

    def _on_swap_triggered(self) -> None:
        route = self.current_route()
        if self.enabled and route is not None:
            self.swap_requested.emit(route.vehicle_id)
