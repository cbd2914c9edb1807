"""The Routes screen: committed and past routes, filtered and paged by the database, one opened.

The list is a ``QTableView`` over :class:`~.routes_model.RouteTableModel`, filled one page at a
time by :func:`~senga_desktop.controllers.routes.list_routes` on the task runner (only the newest
answer is shown). Selecting a route reads it in full (:func:`~senga_desktop.controllers.routes.
route_detail`) and shows its stops and map below the list. "Open decision" goes to the Decisions
screen; managers and administrators get "Cancel route…" for planned routes, and whoever may
record outcomes gets "Record execution…" for planned and running routes (the execution dialog).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget

from senga_desktop.controllers.permissions import Permission
from senga_desktop.controllers.plan_views import DepotPoint, RoutePage, RouteView
from senga_desktop.controllers.routes import (
    RouteFilterOptions,
    list_routes,
    route_detail,
    route_filter_options,
)
from senga_desktop.domain import RouteStatus
from senga_desktop.errors import SengaError
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.orders.formatting import plural, zone_caption
from senga_desktop.ui.pages.orders.list_parts import ListFrame, configure_table
from senga_desktop.ui.pages.routes.cancel_dialog import CancelRouteDialog
from senga_desktop.ui.pages.routes.filters import RouteFilters
from senga_desktop.ui.pages.routes.formatting import BadgeDelegate
from senga_desktop.ui.pages.routes.route_detail import RouteDetail
from senga_desktop.ui.pages.routes.routes_model import RouteColumn, RouteTableModel
from senga_desktop.ui.style import icon
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.execution import ExecutionDialog
from senga_desktop.ui.widgets.manifest_actions import ManifestActions

if TYPE_CHECKING:
    from senga_desktop.controllers.plan_views import RouteRow
    from senga_desktop.ui.context import AppContext

__all__ = ["EMPTY", "NO_MATCH", "PAGE_SIZE", "RoutesPage"]

PAGE_SIZE = 100
#: Routes whose execution can be recorded: committed and not completed.
_RECORDABLE = (RouteStatus.PLANNED, RouteStatus.IN_PROGRESS)
EMPTY = "**No committed routes yet** \N{EM DASH} plan on the Planning screen."
NO_MATCH = "**No routes match these filters.** Clear them to see every route."


class RoutesPage(Page):
    """Committed and past routes, their filters, one route's stops and map, and cancelling."""

    key = "routes"
    title = "Routes"
    icon_name = "mdi6.routes"
    permission = Permission.ORDERS_VIEW

    #: A page of routes is on screen (the ``RoutePage``).
    rows_shown = Signal(object)
    #: The detail shows this route (a ``RouteView``).
    route_shown = Signal(object)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        self.model = RouteTableModel(time_zone=context.general.time_zone, parent=self)
        self.filters = RouteFilters(zone=self.model.zone)
        self.offset = 0
        self._generation = 0
        self._detail_generation = 0
        self._request: int | None = None
        self._keep: str | None = None
        self.active_dialog: CancelRouteDialog | ExecutionDialog | None = None
        self.frame = ListFrame(
            title=self.title, name="routes", busy_text="Loading routes…", parent=self
        )
        self.frame.add_filters(self.filters)
        self.table = QTableView()
        self.table.setObjectName("routes_table")
        self.table.setModel(self.model)
        configure_table(self.table)
        self.table.setItemDelegateForColumn(int(RouteColumn.STATUS), BadgeDelegate(self.table))
        self.detail = RouteDetail()
        self.manifest = ManifestActions(context=context, parent=self.detail)
        self.detail.add_title_widget(self.manifest.button)
        self.manifest.done.connect(self.frame.show_notice)
        self.manifest.failed.connect(self.frame.show_problem)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("routes_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        # About nine rows of routes above the detail at first; the user drags from there.
        rows = self.table.verticalHeader().defaultSectionSize()
        self.splitter.setSizes([rows * 10, rows * 18])
        self.splitter.setChildrenCollapsible(False)
        self.frame.stack.addWidget(self.splitter)
        self._build_empty_state()
        self._build_buttons()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.frame)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(300)
        self._busy_timer.timeout.connect(self.frame.busy_indicator.show)
        self.filters.filters_changed.connect(self._on_filters_changed)
        self.frame.previous_button.clicked.connect(self._on_previous_clicked)
        self.frame.next_button.clicked.connect(self._on_next_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.detail.order_open_requested.connect(partial(self.navigation_requested.emit, "orders"))
        self._update_buttons()
        widths = {RouteColumn.TRUCK: 12, RouteColumn.STATUS: 15, RouteColumn.TOWNS: 36,
                  RouteColumn.STOPS: 8, RouteColumn.ORDERS: 9, RouteColumn.DISTANCE: 9,
                  RouteColumn.COST: 13, RouteColumn.START: 21,
                  RouteColumn.DECISION: 29}  # fmt: skip
        chars = self.table.fontMetrics().averageCharWidth()
        for column, width in widths.items():
            self.table.setColumnWidth(int(column), chars * width)

    def _build_empty_state(self) -> None:
        self.empty_planning_button = QPushButton(
            icon("mdi6.map-marker-path", widget=self), "Open Planning"
        )
        self.empty_planning_button.setObjectName("empty_open_planning")
        self.empty_planning_button.setAutoDefault(False)
        self.empty_planning_button.clicked.connect(
            lambda: self.navigation_requested.emit("planning", "")
        )
        self.empty_clear_button = QPushButton("Clear filters")
        self.empty_clear_button.setObjectName("empty_clear_filters")
        self.empty_clear_button.setAutoDefault(False)
        self.empty_clear_button.clicked.connect(self.filters.clear)
        self.frame.set_empty_state(
            icon_name="mdi6.routes", buttons=[self.empty_planning_button, self.empty_clear_button]
        )

    def _build_buttons(self) -> None:
        self.decision_button = QPushButton(icon("mdi6.source-branch", widget=self), "Open decision")
        self.decision_button.setObjectName("open_decision")
        self.decision_button.setToolTip("The planning decision that made this route")
        self.cancel_button = QPushButton(
            icon("mdi6.close-octagon-outline", widget=self), "Cancel route…"
        )
        self.cancel_button.setObjectName("cancel_route")
        self.cancel_button.setToolTip("Take the route back: its orders return to pending")
        self.record_button = QPushButton(
            icon("mdi6.clipboard-edit-outline", widget=self), "Record execution…"
        )
        self.record_button.setObjectName("record_execution")
        self.record_button.setToolTip("Record the departure, each stop and the return; complete it")
        for button in (self.decision_button, self.record_button, self.cancel_button):
            button.setAutoDefault(False)
            self.frame.add_bottom_button(button)
        self.cancel_button.setVisible(self.context.can(Permission.ROUTES_CANCEL))
        self.record_button.setVisible(self.context.can(Permission.OUTCOMES_RECORD))
        self.record_button.clicked.connect(self._on_record_clicked)
        self.decision_button.clicked.connect(self._on_open_decision)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)

    # -- Page protocol --------------------------------------------------------------------------

    def activated(self) -> None:
        self._load_options()
        self.reload()

    def refresh(self) -> None:
        self.activated()

    def open_item(self, item_id: str) -> bool:
        """Show route ``item_id``: selected in the list if it is on the page, in the detail."""
        if not item_id:
            return False
        self._keep = item_id
        if not self.select_route(item_id):
            self._load_detail(item_id)
        return True

    # -- loading --------------------------------------------------------------------------------

    def depot(self) -> DepotPoint:
        general = self.context.general
        return DepotPoint(
            name=general.depot_name,
            town=general.depot_town,
            lat=general.depot_latitude,
            lon=general.depot_longitude,
            time_zone=general.time_zone,
        )

    def _ready(self) -> bool:
        return self.context.database is not None and self.context.actor is not None

    def _load_options(self) -> None:
        if not self._ready():
            return
        self.context.runner.run(
            route_filter_options,
            self.context.sessions,
            self.context.require_actor(),
            on_success=self._on_options_loaded,
            on_failure=self._on_options_failed,
        )

    def reload(self) -> None:
        """Ask for the current page again; an answer still on its way is dropped."""
        if not self._ready():
            return
        runner = self.context.runner
        if self._request is not None:
            runner.discard(self._request)
        self._generation += 1
        wanted = self.filters.apply()
        self._busy_timer.start()
        request = runner.run(
            partial(list_routes, limit=PAGE_SIZE, offset=self.offset),
            self.context.sessions,
            self.context.require_actor(),
            wanted,
            on_success=partial(self._on_page_loaded, self._generation),
            on_failure=partial(self._on_failed, self._generation, "The routes could not be read."),
        )
        self._request = request if runner.is_pending(request) else None

    def _load_detail(self, route_id: str) -> None:
        self._detail_generation += 1
        self.context.runner.run(
            route_detail,
            self.context.sessions,
            self.context.require_actor(),
            route_id,
            on_success=partial(self._on_detail_loaded, self._detail_generation),
            on_failure=partial(self._on_detail_failed, self._detail_generation),
        )

    def _on_options_loaded(self, options: RouteFilterOptions) -> None:
        self.filters.set_options(options.trucks, options.towns)

    def _on_options_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SengaError):
            report_unexpected(exc)

    def _on_page_loaded(self, generation: int, page: RoutePage) -> None:
        if generation != self._generation:
            return
        self._request = None
        self._busy_timer.stop()
        self.frame.busy_indicator.hide()
        self.frame.hide_problem()
        selected = self.selected_route()
        keep, self._keep = self._keep or (selected.route_id if selected else None), None
        shown = self.detail.showing
        self.model.set_time_zone(self.context.general.time_zone)
        self.model.set_page(page, offset=self.offset)
        self._show_summary(page)
        if keep is None or not self.select_route(keep):
            if shown is not None and shown == keep:
                self._load_detail(shown)  # not on this page: keep it shown, fresh
            elif shown is not None:
                self.detail.show_nothing()
        self._update_buttons()
        self.rows_shown.emit(page)

    def _on_failed(self, generation: int, prefix: str, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._request = None
        self._busy_timer.stop()
        self.frame.busy_indicator.hide()
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.frame.show_problem(f"{prefix} {exc.message}")

    def _on_detail_loaded(self, generation: int, route: RouteView) -> None:
        if generation != self._detail_generation:
            return
        self.detail.show_route(route, self.depot())
        self._update_buttons()
        self.route_shown.emit(route)

    def _on_detail_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._detail_generation:
            return
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.detail.show_nothing()
        self.frame.show_problem(f"The route could not be opened. {exc.message}")
        self._update_buttons()

    def _show_summary(self, page: RoutePage) -> None:
        filtering = self.filters.is_filtering()
        count = plural(page.total, "route")
        shown = f"{count} match the filters" if filtering else f"{count} committed or past"
        if filtering and page.total == 1:
            shown = "1 route matches the filters"
        self.frame.subtitle_label.setText(f"{shown} · times in {zone_caption(self.model.zone)}")
        first, last = self.offset + 1, self.offset + len(page.rows)
        self.frame.set_pager(
            f"Rows {first:,}\N{EN DASH}{last:,} of {page.total:,}" if page.rows else "No rows",
            previous=self.offset > 0,
            following=last < page.total,
        )
        empty = page.total == 0
        self.frame.show_empty(empty, NO_MATCH if filtering else EMPTY)
        self.empty_planning_button.setVisible(
            empty and not filtering and self.context.can(Permission.PLAN_RUN)
        )
        self.empty_clear_button.setVisible(empty and filtering)

    # -- selection ------------------------------------------------------------------------------

    def selected_route(self) -> RouteRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.route(rows[0].row()) if rows else None

    def select_route(self, route_id: str) -> bool:
        """Select the route if it is on the page shown (its detail then loads)."""
        row = self.model.row_of(route_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        if self.detail.showing != route_id:
            self._load_detail(route_id)
        return True

    def _update_buttons(self) -> None:
        route = self.detail.route
        self.decision_button.setEnabled(route is not None and bool(route.decision_id))
        self.cancel_button.setEnabled(route is not None and route.status is RouteStatus.PLANNED)
        self.record_button.setEnabled(route is not None and route.status in _RECORDABLE)
        self.manifest.set_route(route)

    # -- slots ----------------------------------------------------------------------------------

    def _on_selection_changed(self, *_args: object) -> None:
        row = self.selected_route()
        if row is not None and row.route_id != self.detail.showing:
            self._load_detail(row.route_id)

    def _on_filters_changed(self) -> None:
        self.offset = 0
        self.reload()

    def _on_previous_clicked(self) -> None:
        self.offset = max(0, self.offset - PAGE_SIZE)
        self.reload()

    def _on_next_clicked(self) -> None:
        if self.offset + PAGE_SIZE < self.model.total:
            self.offset += PAGE_SIZE
            self.reload()

    def _on_open_decision(self) -> None:
        route = self.detail.route
        if route is not None and route.decision_id:
            self.navigation_requested.emit("decisions", route.decision_id)

    def _on_cancel_clicked(self) -> None:
        route = self.detail.route
        if route is None or route.status is not RouteStatus.PLANNED:
            return
        row = self.model.row_of(route.route_id)
        record = self.model.route(row) if row is not None else None
        dialog = CancelRouteDialog(
            context=self.context,
            route=route,
            version=record.version if record is not None else None,
            parent=self,
        )
        dialog.route_cancelled.connect(self._on_route_cancelled)
        dialog.finished.connect(self._on_dialog_finished)
        self.active_dialog = dialog
        dialog.open()

    def _on_record_clicked(self) -> None:
        route = self.detail.route
        if route is None or route.status not in _RECORDABLE:
            return
        dialog = ExecutionDialog(context=self.context, route_id=route.route_id, parent=self)
        dialog.saved.connect(lambda _view: self._reload_keeping(route.route_id))
        dialog.completed.connect(self._on_route_completed)
        dialog.finished.connect(self._on_dialog_finished)
        self.active_dialog = dialog
        dialog.open()

    def _reload_keeping(self, route_id: str) -> None:
        self._keep = route_id
        self._load_detail(route_id)
        self.reload()

    def _on_route_completed(self, route_id: str) -> None:
        self.frame.show_notice(f"Route {route_id} was completed and its outcome recorded.")
        self._reload_keeping(route_id)

    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self.active_dialog = self.active_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _on_route_cancelled(self, route: RouteView) -> None:
        count = plural(len(route.order_ids), "order")
        self.frame.show_notice(
            f"Route {route.route_id} on {route.vehicle_id} was cancelled; its {count} "
            "went back to pending."
        )
        self._keep = route.route_id
        self.detail.show_route(route, self.depot())
        self._load_options()
        self.reload()
