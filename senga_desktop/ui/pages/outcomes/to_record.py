"""The Outcomes screen's "To record" tab: committed routes not yet completed, and recording one.

The list comes from :func:`~senga_desktop.controllers.execution.routes_to_record` on the task
runner (only the newest answer is shown), searched by the database as the dispatcher types (after
a short pause). Each row says how far the recording got ("departed 08:10, 3 of 5 stops");
"Record…" (or Enter, or a double-click) opens the execution dialog, and a route completed there
leaves the list, with a notice saying what was recorded.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.execution import routes_to_record
from senga_desktop.controllers.execution_views import RouteToRecord
from senga_desktop.domain import RouteStatus
from senga_desktop.errors import SengaError
from senga_desktop.ui.auth import BusyIndicator
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders.formatting import depot_zone, local_time, plural, zone_caption
from senga_desktop.ui.pages.orders.list_parts import configure_table
from senga_desktop.ui.pages.routes.formatting import (
    BADGE_ROLE,
    ROUTE_STATUS_LABELS,
    BadgeDelegate,
)
from senga_desktop.ui.style import icon, markdown_label, muted, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.execution import ExecutionDialog
from senga_desktop.ui.widgets.list_controls import search_line_edit
from senga_desktop.ui.widgets.table_models import PageTableModel

__all__ = ["NOTHING_TO_RECORD", "NO_MATCH", "ToRecordModel", "ToRecordTab"]

NOTHING_TO_RECORD = (
    "**Nothing to record.** Every committed route has been completed; routes appear here "
    "once a plan is committed on the Planning screen."
)
NO_MATCH = "**No route to record matches this search.** Clear it to see them all."
SEARCH_DELAY_MS = 300


class Column(enum.IntEnum):
    TRUCK = 0
    ROUTE = 1
    TOWNS = 2
    STOPS = 3
    START = 4
    STATUS = 5
    PROGRESS = 6


#: Column widths in average characters (route ids are long; the progress takes the rest).
COLUMN_CHARS = {
    Column.TRUCK: 32, Column.ROUTE: 34, Column.TOWNS: 32, Column.STOPS: 7, Column.START: 20,
    Column.STATUS: 14,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Routes:
    rows: tuple[RouteToRecord, ...]
    total: int


class ToRecordModel(PageTableModel):
    """The routes to record, as the controller listed them."""

    columns: ClassVar[type[enum.IntEnum]] = Column
    headers: ClassVar[dict[Any, str]] = {
        Column.TRUCK: "Truck",
        Column.ROUTE: "Route",
        Column.TOWNS: "Towns",
        Column.STOPS: "Stops",
        Column.START: "Planned start",
        Column.STATUS: "Status",
        Column.PROGRESS: "Recorded so far",
    }

    def __init__(self, *, time_zone: str, parent: Any = None) -> None:
        super().__init__(parent=parent)
        self.zone = depot_zone(time_zone)

    def set_routes(self, routes: list[RouteToRecord], *, time_zone: str) -> None:
        self.zone = depot_zone(time_zone)
        self.set_page(_Routes(tuple(routes), len(routes)), offset=0)

    def route(self, row: int) -> RouteToRecord | None:
        record = self.record(row)
        return record if isinstance(record, RouteToRecord) else None

    def _key(self, record: RouteToRecord) -> str:
        return record.route_id

    def _display(self, record: RouteToRecord, column: Column) -> str:
        if column is Column.TRUCK:
            return f"{record.vehicle_plate} ({record.vehicle_type})"
        if column is Column.ROUTE:
            return record.route_id
        if column is Column.TOWNS:
            return " \N{RIGHTWARDS ARROW} ".join(record.towns)
        if column is Column.STOPS:
            return str(record.stops)
        if column is Column.START:
            return local_time(record.planned_start, self.zone)
        if column is Column.STATUS:
            return ROUTE_STATUS_LABELS[record.status]
        return record.progress[:1].upper() + record.progress[1:]

    def _tooltip(self, record: RouteToRecord, column: Column) -> str | None:
        if column is Column.ROUTE and record.decision_id:
            return f"Committed by decision {record.decision_id}"
        if column is Column.TOWNS:
            return ", ".join(record.towns)
        return None

    def _alignment(self, column: Column) -> Qt.AlignmentFlag:
        if column is Column.STOPS:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return super()._alignment(column)

    def _extra_data(self, record: RouteToRecord, column: Column, role: int) -> Any:
        if role == BADGE_ROLE and column is Column.STATUS:
            return record.status.value
        return None


class ToRecordTab(QWidget):
    """Routes waiting to be recorded; "Record…" opens the execution dialog for one."""

    #: A route was completed from this tab (its route id).
    completed = Signal(str)
    #: The list on screen was refreshed (the number of routes).
    refreshed = Signal(int)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("to_record_tab")
        self.context = context
        self.active_dialog: ExecutionDialog | None = None
        self._request: int | None = None
        self._generation = 0
        self._keep: str | None = None
        self.model = ToRecordModel(time_zone=context.general.time_zone, parent=self)
        self.search_edit = search_line_edit(
            self, name="to_record_search", placeholder="Search route, decision, truck or town",
            accessible_name="Search the routes to record", width_chars=36,
        )  # fmt: skip
        self.summary_label = muted(QLabel())
        self.summary_label.setObjectName("to_record_summary")
        self.busy_indicator = BusyIndicator(text="Loading routes…")
        self.record_button = QPushButton(
            icon("mdi6.clipboard-edit-outline", widget=self), "&Record…"
        )
        self.record_button.setObjectName("record_button")
        self.record_button.setToolTip("Record the selected route's departure, stops and return")
        self.record_button.setAutoDefault(False)
        self.table = self._build_table()
        self._build_messages()
        self._build_layout()
        self._connect()

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("to_record_table")
        table.setModel(self.model)
        configure_table(table)
        table.setItemDelegateForColumn(int(Column.STATUS), BadgeDelegate(table))
        chars = table.fontMetrics().averageCharWidth()
        for column, width in COLUMN_CHARS.items():
            table.setColumnWidth(int(column), chars * width)
        return table

    def _build_messages(self) -> None:
        self.notice_label = QLabel()
        self.notice_label.setObjectName("to_record_notice")
        self.notice_label.setWordWrap(True)
        self.notice_box = NoteBox(
            name="to_record_notice_box", icon_name="mdi6.check-circle-outline",
            label=self.notice_label,
        )  # fmt: skip
        self.notice_box.hide()
        self.problem_label = QLabel()
        self.problem_label.setObjectName("to_record_problem")
        self.problem_label.setWordWrap(True)
        self.problem_box = NoteBox(
            name="to_record_problem_box", icon_name="mdi6.alert-circle-outline",
            label=self.problem_label,
        )  # fmt: skip
        self.problem_box.hide()
        self.empty_label = markdown_label(NOTHING_TO_RECORD)
        self.empty_label.setObjectName("to_record_empty")
        empty = QWidget()
        empty_column = QVBoxLayout(empty)
        empty_column.setContentsMargins(0, 0, 0, 0)
        empty_column.addWidget(
            NoteBox(
                name="to_record_empty_box",
                icon_name="mdi6.clipboard-check-outline",
                label=self.empty_label,
            )
        )
        empty_column.addStretch(1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(empty)

    def _build_layout(self) -> None:
        u = unit(self)
        top = QHBoxLayout()
        top.setSpacing(u)
        top.addWidget(self.search_edit)
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.busy_indicator)
        bottom = QHBoxLayout()
        bottom.addWidget(self.record_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, u, 0, 0)
        layout.setSpacing(u * 3 // 2)
        layout.addLayout(top)
        layout.addWidget(self.notice_box)
        layout.addWidget(self.problem_box)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.flush)
        self.record_button.clicked.connect(self.record_selected)
        self.table.doubleClicked.connect(lambda _index: self.record_selected())
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.record_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # -- loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask for the routes again (with the search typed); an answer on its way is dropped."""
        self._search_timer.stop()
        if self.context.database is None or self.context.actor is None:
            return
        runner = self.context.runner
        if self._request is not None:
            runner.discard(self._request)
        self._generation += 1
        self.busy_indicator.show()
        request = runner.run(
            partial(routes_to_record, search=self.search_edit.text()),
            self.context.sessions,
            self.context.require_actor(),
            on_success=partial(self._on_loaded, self._generation),
            on_failure=partial(self._on_failed, self._generation),
        )
        self._request = request if runner.is_pending(request) else None

    def flush(self) -> None:
        """Search now for what is typed (without waiting for the pause)."""
        if self._search_timer.isActive():
            self.refresh()

    def _on_loaded(self, generation: int, routes: list[RouteToRecord]) -> None:
        if generation != self._generation:
            return
        self._request = None
        self.busy_indicator.hide()
        self.problem_box.hide()
        selected = self.selected_route()
        keep, self._keep = self._keep or (selected.route_id if selected else None), None
        zone_name = self.context.general.time_zone
        self.model.set_routes(routes, time_zone=zone_name)
        searching = bool(self.search_edit.text().strip())
        self.empty_label.setText(NO_MATCH if searching else NOTHING_TO_RECORD)
        self.stack.setCurrentIndex(1 if not routes else 0)
        under_way = sum(r.status is RouteStatus.IN_PROGRESS for r in routes)
        shown = plural(len(routes), "route") + " to record"
        if under_way:
            shown += f" ({under_way} under way)"
        self.summary_label.setText(f"{shown} · times in {zone_caption(depot_zone(zone_name))}")
        row = self.model.row_of(keep) if keep else None
        if row is None and routes:
            row = 0
        if row is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_buttons()
        self.refreshed.emit(len(routes))

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._request = None
        self.busy_indicator.hide()
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.problem_label.setText(f"The routes to record could not be read. {exc.message}")
        self.problem_box.show()

    # -- recording --------------------------------------------------------------------------------

    def selected_route(self) -> RouteToRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.route(rows[0].row()) if rows else None

    def record_selected(self) -> None:
        route = self.selected_route()
        if route is not None:
            self.record(route.route_id)

    def record(self, route_id: str) -> ExecutionDialog:
        """Open the execution dialog for ``route_id`` (kept as ``active_dialog`` while open)."""
        dialog = ExecutionDialog(context=self.context, route_id=route_id, parent=self)
        dialog.saved.connect(lambda _view: self._on_saved(route_id))
        dialog.completed.connect(self._on_completed)
        dialog.finished.connect(self._on_dialog_finished)
        self.active_dialog = dialog
        self.notice_box.hide()
        dialog.open()
        return dialog

    def _on_saved(self, route_id: str) -> None:
        self._keep = route_id
        self.refresh()

    def _on_completed(self, route_id: str) -> None:
        self.notice_label.setText(
            f"Route {route_id} was completed and its outcome recorded; it has left this list."
        )
        self.notice_box.show()
        self.refresh()
        self.completed.emit(route_id)

    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self.active_dialog = self.active_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _update_buttons(self, *_args: object) -> None:
        self.record_button.setEnabled(self.selected_route() is not None)
