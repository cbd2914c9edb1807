"""The plan panel: totals, the route list, the selected route's stops, held orders and the map.

Used by the Planning screen (a proposed decision), the Decisions screen (a past one) and the
Routes screen (committed routes, without totals). Selection is kept in step both ways: a route
chosen in the list is highlighted on the map, and a route clicked on the map is chosen in the
list; "Show this route alone" hides the others on the map.

On the Planning screen the panel also reads a
:class:`~senga_desktop.ui.widgets.plan_panel.locks.PlanLocksModel` (:meth:`PlanPanel.set_locks`):
locked routes and kept orders are marked in the lists and on the map, and
:class:`~senga_desktop.ui.widgets.plan_panel.lock_controls.LockControls` lets the dispatcher change
them. Routes that amend a committed route (:meth:`PlanPanel.set_amendments`) say what they add.

A plan being edited is shown again after each edit with :meth:`PlanPanel.show_edited` (only what
changed is redrawn, :mod:`.live`), its problems marked on routes and stops and listed in the
Problems box under the totals (:meth:`PlanPanel.set_problems`); :meth:`PlanPanel.set_edit_tools`
adds dragging (:mod:`.drag`) and the edit actions (:mod:`.edit_controls`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import tzinfo

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.plan_views import DecisionView, DepotPoint, HeldView, RouteView
from senga_desktop.controllers.planning_day import Amendment
from senga_desktop.controllers.planning_views import totals_of
from senga_desktop.ui.style import error_color, muted, unit
from senga_desktop.ui.widgets.map import MapView, map_data
from senga_desktop.ui.widgets.plan_panel.delegates import ShareDelegate, SwatchDelegate, plan_table
from senga_desktop.ui.widgets.plan_panel.drag import PlanDragDrop
from senga_desktop.ui.widgets.plan_panel.edit_controls import EditControls
from senga_desktop.ui.widgets.plan_panel.formatting import FALLBACK_ZONE, zone_of
from senga_desktop.ui.widgets.plan_panel.held import HeldOrdersView
from senga_desktop.ui.widgets.plan_panel.live import LiveView
from senga_desktop.ui.widgets.plan_panel.lock_controls import LockControls
from senga_desktop.ui.widgets.plan_panel.locks import LockState, PlanLocksModel
from senga_desktop.ui.widgets.plan_panel.marks import mark_map, refresh_badges
from senga_desktop.ui.widgets.plan_panel.models import ROUTE_ID_ROLE, RouteListModel, StopTableModel
from senga_desktop.ui.widgets.plan_panel.problems import ProblemsBox
from senga_desktop.ui.widgets.plan_panel.totals import TotalsStrip
from senga_desktop.ui.widgets.plan_panel.violation_marks import (
    NO_PROBLEMS,
    ProblemMarks,
    problem_tint,
    warning_icon,
)

__all__ = ["PlanPanel"]


class PlanPanel(QWidget):
    """A plan to look at: ``show_decision(view)`` or ``show_routes(depot, routes, held)``.

    ``route_selected(route_id)`` is emitted when the user (list or map) or :meth:`select_route`
    chooses a route; ``order_open_requested(order_id)`` when the user opens a held order.
    """

    route_selected = Signal(str)
    order_open_requested = Signal(str)

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_panel")
        u = unit(self)
        self._zone: tzinfo = zone_of(FALLBACK_ZONE)
        self._depot: DepotPoint | None = None
        self._routes: tuple[RouteView, ...] = ()
        self._held: tuple[HeldView, ...] = ()
        self._syncing = False
        self.locks: PlanLocksModel | None = None
        self.lock_controls: LockControls | None = None
        self._amendments: Mapping[str, Amendment] = {}  # by truck
        self._badged = False
        self._updating = False  # an edited plan is being put in place: the map waits
        self.edit_controls: EditControls | None = None
        self.drag: PlanDragDrop | None = None
        self.problems: ProblemMarks = NO_PROBLEMS
        self.live = LiveView(panel=self)

        self.totals = TotalsStrip()
        self.problems_box = ProblemsBox()
        self.problems_box.problem_activated.connect(self._on_problem_activated)
        self._build_lists(u)
        map_side = self._build_map(u)

        # Routes beside the map on top; the selected route's stops and the held orders below,
        # across the whole width, so their sentences have room to be read.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("plan_splitter")
        self.splitter.addWidget(self.route_table)
        self.splitter.addWidget(map_side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([3000, 2000])  # proportions; the list needs its columns

        self.list_splitter = QSplitter(Qt.Orientation.Vertical)
        self.list_splitter.setObjectName("plan_list_splitter")
        self.list_splitter.addWidget(self.splitter)
        self.list_splitter.addWidget(self.tabs)
        self.list_splitter.setStretchFactor(0, 3)
        self.list_splitter.setStretchFactor(1, 2)
        self.list_splitter.setChildrenCollapsible(False)
        self.list_splitter.setSizes([3000, 2000])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(u)
        layout.addWidget(self.totals)
        layout.addWidget(self.problems_box)
        layout.addWidget(self.list_splitter, 1)

    def _build_lists(self, u: int) -> None:
        self.route_model = RouteListModel(self)
        self.route_table = plan_table("route_table")
        self.route_table.setModel(self.route_model)
        self.route_table.setItemDelegateForColumn(0, SwatchDelegate(self.route_table))
        share = ShareDelegate(self.route_table)
        self.route_table.setItemDelegateForColumn(3, share)
        self.route_table.setItemDelegateForColumn(4, share)
        header = self.route_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.route_table.selectionModel().currentRowChanged.connect(self._on_route_row_changed)

        self.stop_model = StopTableModel(self, late_color=QColor(error_color(self)))
        self.stop_table = plan_table("stop_table")
        self.stop_table.setModel(self.stop_model)
        self.stop_table.horizontalHeader().setStretchLastSection(True)
        self.stop_caption = muted(QLabel("Choose a route to see its stops."))
        self.stop_caption.setObjectName("stop_caption")
        self.stop_caption.setWordWrap(True)
        stops = QWidget()
        stops_layout = QVBoxLayout(stops)
        stops_layout.setContentsMargins(0, u // 2, 0, 0)
        stops_layout.addWidget(self.stop_caption)
        stops_layout.addWidget(self.stop_table, 1)

        self.held_view = HeldOrdersView()
        self.held_view.order_open_requested.connect(self.order_open_requested)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("plan_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(stops, "Stops")
        self.tabs.addTab(self.held_view, "Held orders")

    def _build_map(self, u: int) -> QWidget:
        self.map = MapView()
        self.map.setMinimumWidth(u * 40)
        self.map.route_clicked.connect(self._on_map_route_clicked)
        self.map.marker_clicked.connect(self._on_map_marker_clicked)
        self.alone_box = QCheckBox("Show this route alone")
        self.alone_box.setObjectName("show_route_alone")
        self.alone_box.setEnabled(False)
        self.alone_box.toggled.connect(self._on_alone_toggled)
        # The map's own legend says the lines are straight (STRAIGHT_LINES_NOTE).
        map_bar = QHBoxLayout()
        map_bar.addWidget(self.alone_box)
        map_bar.addStretch(1)
        map_side = QWidget()
        map_layout = QVBoxLayout(map_side)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.addWidget(self.map, 1)
        map_layout.addLayout(map_bar)
        return map_side

    # -- public API --------------------------------------------------------------------------

    def show_decision(self, view: DecisionView) -> None:
        """Show a decision: its totals, routes, held orders and map."""
        self.live.stop()
        self.set_problems(NO_PROBLEMS)
        self._show(view.depot, view.routes, view.held)
        self.totals.show_totals(view.totals, view)

    def show_edited(self, view: DecisionView) -> None:
        """Show ``view``, the shown decision after an edit (undo, redo): only what changed is
        redrawn, the selection stays, the map follows a moment later (:mod:`.live`)."""
        self.live.show(view)

    def set_problems(self, marks: ProblemMarks) -> None:
        """Mark what the shown plan breaks on its routes and stops, and list it."""
        self.problems = marks
        icon, tint = warning_icon(self), problem_tint(self)
        self.route_model.set_problems(marks.by_vehicle, icon=icon, tint=tint)
        self.stop_model.set_problems(marks.by_order, icon=icon, tint=tint)
        self.problems_box.show_problems(marks)

    def set_edit_tools(self) -> tuple[PlanDragDrop, EditControls]:
        """Let the user edit the shown plan: dragging orders about, and the edit actions (both
        disabled until ``set_enabled`` / ``enabled`` say so)."""
        if self.drag is None or self.edit_controls is None:
            self.drag = PlanDragDrop(panel=self)
            self.edit_controls = EditControls(panel=self)
        return self.drag, self.edit_controls

    def set_editable(self, editable: bool) -> None:
        """Whether dragging and the edit actions work now."""
        if self.drag is not None and self.edit_controls is not None:
            self.drag.enabled = editable
            self.edit_controls.set_enabled(editable)
        self.problems_box.set_active(editable)

    def show_routes(
        self, depot: DepotPoint, routes: Sequence[RouteView], held: Sequence[HeldView] = ()
    ) -> None:
        """Show routes that are not (or not only) one decision's, e.g. on the Routes screen."""
        self._show(depot, routes, held)
        self.totals.show_totals(totals_of(routes, len(held)))

    def clear(self) -> None:
        self.live.stop()
        self.set_problems(NO_PROBLEMS)
        self._depot = None
        self._routes, self._held = (), ()
        self.route_model.set_routes((), self._zone)
        self.stop_model.set_route(None, self._zone)
        self.held_view.set_held(())
        self.totals.clear()
        self.map.clear()
        self._badged = False
        self._amendments = {}
        self._update_tabs()
        self._after_selection(None)

    def routes(self) -> tuple[RouteView, ...]:
        return self._routes

    def held(self) -> tuple[HeldView, ...]:
        return self._held

    def route_by_id(self, route_id: str | None) -> RouteView | None:
        return self._route(route_id)

    def route_of_truck(self, vehicle_id: str) -> RouteView | None:
        return next((r for r in self._routes if r.vehicle_id == vehicle_id), None)

    def zone(self) -> tzinfo:
        return self._zone

    def select_stop(self, order_id: str) -> bool:
        """Select the stop delivering ``order_id`` on its route, or the held order."""
        route = next((r for r in self._routes if order_id in r.order_ids), None)
        if route is None:
            if self.held_view.select_order(order_id):
                self.tabs.setCurrentWidget(self.held_view)
                return True
            return False
        self.select_route(route.route_id)
        self._select_stop_row(order_id)
        return True

    def current_stop_order(self) -> str | None:
        """The first order of the selected stop, or ``None``."""
        index = self.stop_table.selectionModel().currentIndex()
        stop = self.stop_model.stop(index.row()) if index.isValid() else None
        return stop.order_ids[0] if stop is not None and stop.order_ids else None

    def select_route(self, route_id: str | None) -> None:
        """Choose a route in the list (and so on the map); ``None`` or unknown: none."""
        row = self.route_model.row_of(route_id) if route_id else None
        selection = self.route_table.selectionModel()
        if row is None:
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
            return
        index = self.route_model.index(row, 0)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.route_table.scrollTo(index)

    def selected_route(self) -> str | None:
        index = self.route_table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        value = index.siblingAtColumn(0).data(ROUTE_ID_ROLE)
        return str(value) if value else None

    def set_totals_visible(self, visible: bool) -> None:
        self.totals.setVisible(visible)

    def set_locks(self, locks: PlanLocksModel) -> None:
        """Mark and let the user change ``locks``: the lock column, menus and shortcuts."""
        self.locks = locks
        self.lock_controls = LockControls(panel=self, locks=locks)
        locks.changed.connect(self._apply_marks)
        self._apply_marks()

    def set_amendments(self, amendments: Sequence[Amendment]) -> None:
        """The shown routes that amend a committed route, and what they add."""
        self._amendments = {a.vehicle_id: a for a in amendments}
        self._apply_marks()

    def amendment(self, vehicle_id: str) -> Amendment | None:
        return self._amendments.get(vehicle_id)

    # -- internals ---------------------------------------------------------------------------

    def _show(
        self, depot: DepotPoint, routes: Sequence[RouteView], held: Sequence[HeldView]
    ) -> None:
        self._depot = depot
        self._zone = zone_of(depot.time_zone)
        self._routes, self._held = tuple(routes), tuple(held)
        self.alone_box.setChecked(False)
        self.route_model.set_routes(self._routes, self._zone)
        self._size_route_columns()
        self.stop_model.set_route(None, self._zone)
        self.held_view.set_held(self._held)
        self.map.set_data(map_data(depot, self._routes, self._held))
        self._badged = False
        self._update_tabs()
        self._after_selection(None)
        self._apply_marks()

    def _lock_state(self) -> LockState:
        return self.locks.state if self.locks is not None else LockState()

    # -- an edited plan, put in place piece by piece (see .live) ------------------------------

    def set_plan(self, routes: Sequence[RouteView], held: Sequence[HeldView]) -> None:
        """The routes and held orders the panel holds (the views are the caller's to update)."""
        self._routes, self._held = tuple(routes), tuple(held)

    @contextmanager
    def updating(self) -> Iterator[None]:
        """Selection changes inside do not move the map (it is redrawn afterwards)."""
        self._updating, before = True, self._updating
        try:
            yield
        finally:
            self._updating = before

    def show_stops(self, route: RouteView | None, *, keep_order: str | None = None) -> None:
        """Show ``route``'s stops (``None``: none), the stop of ``keep_order`` selected."""
        self._after_selection(route.route_id if route is not None else None)
        if keep_order is not None:
            self._select_stop_row(keep_order)

    def update_tabs(self) -> None:
        self._update_tabs()

    def refresh_marks(self, *, map_too: bool) -> None:
        """Locks, pins and amendments marked again (on the map too, after it was redrawn)."""
        if map_too:
            self._badged = False
            self._apply_marks()
            return
        self._apply_list_marks()

    def _select_stop_row(self, order_id: str) -> None:
        row = self.stop_model.row_of_order(order_id)
        if row is None:
            return
        selection = self.stop_table.selectionModel()
        index = self.stop_model.index(row, 0)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.stop_table.scrollTo(index)

    def _on_problem_activated(self, vehicle_id: str, order_id: str) -> None:
        if order_id and self.select_stop(order_id):
            self.stop_table.setFocus()
            return
        route = self.route_of_truck(vehicle_id) if vehicle_id else None
        if route is not None:
            self.select_route(route.route_id)
            self.route_table.setFocus()

    # -- marks --------------------------------------------------------------------------------

    def _apply_list_marks(self) -> None:
        state = self._lock_state()
        locked = frozenset(r.vehicle_id for r in self._routes if state.locked(r.vehicle_id))
        self.route_model.set_marks(lockable=state.editable, locked=locked, notes=self._amendments)
        self._apply_stop_marks(self._route(self.selected_route()))

    def _apply_marks(self) -> None:
        """Locked routes and kept orders in the route list, the stop table and on the map."""
        self._apply_list_marks()
        state = self._lock_state()
        if self.locks is None and not self._badged:
            return
        kept = [
            (route.route_id, stop.sequence, route.vehicle_id)
            for route in self._routes
            if not state.locked(route.vehicle_id)
            for stop in route.stops
            if any(state.pinned_to(o) == route.vehicle_id for o in stop.order_ids)
        ]
        shut = [(r.route_id, r.vehicle_id) for r in self._routes if state.locked(r.vehicle_id)]
        mark_map(self.map, locked=shut, pinned=kept)
        self._badged = bool(kept or shut)

    def _apply_stop_marks(self, route: RouteView | None) -> None:
        if route is None:
            self.stop_model.set_marks(pinned=frozenset(), added=frozenset(), locked=False)
            return
        state = self._lock_state()
        note = self._amendments.get(route.vehicle_id)
        self.stop_model.set_marks(
            pinned=frozenset(o for o in route.order_ids if state.pinned_to(o) == route.vehicle_id),
            added=frozenset(note.added_orders) if note is not None else frozenset(),
            locked=state.locked(route.vehicle_id),
        )
        self.stop_caption.setText(self._caption(route))

    def _size_route_columns(self) -> None:
        # Sized from the font, not from the contents: resizeColumnsToContents on 40 routes
        # would measure every cell, and the widths would jump from one plan to the next.
        chars = (16, 30, 13, 16, 18, 10, 14, 13, 14, 14)  # stops: "12 · 3 trips"
        width = self.fontMetrics().averageCharWidth()
        for column, n in enumerate(chars):
            self.route_table.setColumnWidth(column, width * n)

    def _update_tabs(self) -> None:
        count = len(self._held)
        self.tabs.setTabText(1, f"Held orders ({count})" if count else "Held orders")

    def _route(self, route_id: str | None) -> RouteView | None:
        return next((r for r in self._routes if r.route_id == route_id), None)

    def _after_selection(self, route_id: str | None) -> None:
        route = self._route(route_id)
        shown = self.stop_model.route()
        # The same route after an edit keeps its column widths: nothing jumps under the cursor.
        same = (
            self._updating
            and shown is not None
            and route is not None
            and shown.route_id == route.route_id
        )
        self.stop_model.set_route(route, self._zone)
        self.stop_table.clearSpans()
        for row in self.stop_model.heading_rows():  # a trip's heading spans the table
            self.stop_table.setSpan(row, 0, 1, self.stop_model.columnCount())
        if route is None:
            self.stop_caption.setText(
                "Choose a route in the list or on the map to see its stops."
                if self._routes
                else "No routes."
            )
        else:
            self._apply_stop_marks(route)
            if not same:
                self.stop_table.resizeColumnsToContents()
        self.alone_box.setEnabled(route is not None)
        if route is None and self.alone_box.isChecked():
            self.alone_box.setChecked(False)
        elif route is not None and self.alone_box.isChecked() and not self._updating:
            self.map.show_only(route.route_id)

    def _caption(self, route: RouteView) -> str:
        towns = " → ".join(route.towns)
        caption = f"{route.vehicle_id} ({route.vehicle_type}): {towns}"
        if route.trip_count > 1:
            caption += f" \N{MIDDLE DOT} {route.trip_count} trips"
        if self._lock_state().locked(route.vehicle_id):
            caption += " \N{MIDDLE DOT} locked: kept exactly when you re-plan"
        note = self._amendments.get(route.vehicle_id)
        if note is not None:
            caption += f" \N{MIDDLE DOT} {note.sentence}"
        if route.attention:
            caption += f" — {route.attention}"
        return caption

    def _on_route_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        route_id = (
            str(current.siblingAtColumn(0).data(ROUTE_ID_ROLE)) if current.isValid() else None
        )
        if not self._updating:
            self.map.select_route(route_id)
            if self._badged:
                refresh_badges(self.map)
        self._after_selection(route_id)
        if route_id is not None:
            if self.tabs.currentIndex() != 0 and not (self._syncing or self._updating):
                self.tabs.setCurrentIndex(0)
            self.route_selected.emit(route_id)

    def _on_map_route_clicked(self, route_id: str) -> None:
        self._syncing = True
        try:
            self.select_route(route_id)
        finally:
            self._syncing = False

    def _on_map_marker_clicked(self, order_id: str) -> None:
        if self.held_view.select_order(order_id):
            self.tabs.setCurrentWidget(self.held_view)

    def _on_alone_toggled(self, checked: bool) -> None:
        self.map.show_only(self.selected_route() if checked else None)
