"""How a dispatcher locks routes and keeps orders on their truck in the plan panel.

:class:`LockControls` gives a :class:`~senga_desktop.ui.widgets.plan_panel.PlanPanel` the ways to
change its :class:`~senga_desktop.ui.widgets.plan_panel.locks.PlanLocksModel`, all doing the same:

- the lock column (the route list's row header): click a padlock to lock or unlock that route;
- the route list's context menu ("Lock this route" / "Unlock this route") and Ctrl+K anywhere in
  the panel, for the selected route;
- the stop table's context menu ("Keep on this truck" / "Let the engine move it") and
  Ctrl+Shift+K, for the selected stop's orders.

On a plan being edited both menus, as shown on a right-click, also list the panel's edit
actions (:mod:`~senga_desktop.ui.widgets.plan_panel.edit_controls`).

It only changes the model; the panel redraws its marks when the model says it changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHeaderView, QMenu, QWidget

from senga_desktop.controllers.plan_views import RouteView, StopView
from senga_desktop.ui.widgets.plan_panel.locks import PlanLocksModel
from senga_desktop.ui.widgets.plan_panel.marks import LOCK_SHORTCUT, PIN_SHORTCUT, mark_icon

if TYPE_CHECKING:
    from senga_desktop.ui.widgets.plan_panel.panel import PlanPanel

__all__ = ["LockControls"]


def _action(parent: QWidget, name: str, icon_name: str, text: str, shortcut: str) -> QAction:
    action = QAction(mark_icon(icon_name), text, parent)
    action.setObjectName(name)
    action.setShortcut(QKeySequence(shortcut))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    parent.addAction(action)
    return action


class LockControls(QObject):
    """The lock column, context menus and shortcuts of one plan panel over ``locks``."""

    def __init__(self, *, panel: PlanPanel, locks: PlanLocksModel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.locks = locks
        self.lock_action = _action(
            panel, "lock_route_action", "lock", "Lock this route", LOCK_SHORTCUT
        )
        self.lock_action.triggered.connect(self._on_lock_triggered)
        self.pin_action = _action(
            panel, "pin_stop_action", "pin", "Keep on this truck", PIN_SHORTCUT
        )
        self.pin_action.triggered.connect(self._on_pin_triggered)

        routes = panel.route_table
        header = routes.verticalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        header.sectionClicked.connect(self._on_header_clicked)
        header.show()
        routes.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        routes.customContextMenuRequested.connect(self._on_route_menu_requested)
        stops = panel.stop_table
        stops.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        stops.customContextMenuRequested.connect(self._on_stop_menu_requested)
        stops.selectionModel().currentRowChanged.connect(lambda *_: self.update_actions())
        panel.route_selected.connect(lambda _route_id: self.update_actions())
        locks.changed.connect(self.update_actions)
        self.update_actions()

    # -- what the actions act on ------------------------------------------------------------

    def current_route(self) -> RouteView | None:
        route_id = self.panel.selected_route()
        return next((r for r in self.panel.routes() if r.route_id == route_id), None)

    def current_stop(self) -> StopView | None:
        index = self.panel.stop_table.selectionModel().currentIndex()
        return self.panel.stop_model.stop(index.row()) if index.isValid() else None

    def update_actions(self) -> None:
        """Texts and enabled states for the selected route and stop."""
        state = self.locks.state
        route = self.current_route()
        locked = route is not None and state.locked(route.vehicle_id)
        self.lock_action.setEnabled(state.editable and route is not None)
        self.lock_action.setText("Unlock this route" if locked else "Lock this route")
        self.lock_action.setIcon(mark_icon("unlocked" if locked else "lock"))
        stop = self.current_stop()
        pinned = stop is not None and route is not None and self._pinned(stop, route)
        self.pin_action.setEnabled(state.editable and stop is not None and not locked)
        self.pin_action.setText("Let the engine move it" if pinned else "Keep on this truck")

    def _pinned(self, stop: StopView, route: RouteView) -> bool:
        state = self.locks.state
        return all(state.pinned_to(o) == route.vehicle_id for o in stop.order_ids)

    # -- menus -------------------------------------------------------------------------------

    def route_menu(self, row: int) -> QMenu:
        """The route list's context menu for ``row`` (selected first)."""
        self.panel.select_route(self.panel.route_model.route(row).route_id)
        self.update_actions()
        menu = QMenu(self.panel.route_table)
        menu.setObjectName("route_menu")
        menu.addAction(self.lock_action)
        menu.addSeparator()
        alone = menu.addAction("Show this route alone")
        alone.setCheckable(True)
        alone.setChecked(self.panel.alone_box.isChecked())
        alone.toggled.connect(self.panel.alone_box.setChecked)
        return menu

    def stop_menu(self, row: int) -> QMenu:
        """The stop table's context menu for ``row`` (selected first)."""
        table = self.panel.stop_table
        table.selectionModel().setCurrentIndex(
            self.panel.stop_model.index(row, 0),
            table.selectionModel().SelectionFlag.ClearAndSelect
            | table.selectionModel().SelectionFlag.Rows,
        )
        self.update_actions()
        menu = QMenu(table)
        menu.setObjectName("stop_menu")
        route = self.current_route()
        if route is not None and self.locks.state.locked(route.vehicle_id):
            kept = menu.addAction(mark_icon("lock"), "Kept: the whole route is locked")
            kept.setEnabled(False)
        else:
            menu.addAction(self.pin_action)
        return menu

    def _on_route_menu_requested(self, pos: QPoint) -> None:
        index: QModelIndex = self.panel.route_table.indexAt(pos)
        if index.isValid() and self.locks.state.editable:
            viewport = self.panel.route_table.viewport()
            menu = self.route_menu(index.row())
            if self.panel.edit_controls is not None:
                self.panel.edit_controls.extend_route_menu(menu)
            menu.exec(viewport.mapToGlobal(pos))

    def _on_stop_menu_requested(self, pos: QPoint) -> None:
        index = self.panel.stop_table.indexAt(pos)
        if (
            index.isValid()
            and self.locks.state.editable
            and self.panel.stop_model.stop(index.row()) is not None
        ):
            viewport = self.panel.stop_table.viewport()
            menu = self.stop_menu(index.row())
            if self.panel.edit_controls is not None:
                self.panel.edit_controls.extend_stop_menu(menu)
            menu.exec(viewport.mapToGlobal(pos))

    # -- changes -----------------------------------------------------------------------------

    def _on_header_clicked(self, row: int) -> None:
        if 0 <= row < self.panel.route_model.rowCount():
            self.locks.toggle_route(self.panel.route_model.route(row).vehicle_id)

    def _on_lock_triggered(self) -> None:
        route = self.current_route()
        if route is not None:
            self.locks.toggle_route(route.vehicle_id)

    def _on_pin_triggered(self) -> None:
        route, stop = self.current_route(), self.current_stop()
        if route is None or stop is None or self.locks.state.locked(route.vehicle_id):
            return
        if self._pinned(stop, route):
            self.locks.unpin(stop.order_ids)
        else:
            self.locks.pin(stop.order_ids, route.vehicle_id)
