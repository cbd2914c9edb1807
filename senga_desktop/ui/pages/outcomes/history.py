"""The Outcomes screen's "Outcomes" tab: every recorded outcome, estimate against actual.

The list is a ``QTableView`` over :class:`~.history_model.OutcomeTableModel`, filled one page at
a time by :func:`~senga_desktop.controllers.outcomes.list_outcomes` on the task runner (only the
newest answer is shown), filtered and sorted by the database — a click on "Time error" sorts
every outcome, not the page. Selecting one reads it in full
(:func:`~senga_desktop.controllers.outcomes.outcome_detail`) into the detail below the list.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QSplitter, QTableView, QVBoxLayout, QWidget

from senga_desktop.controllers.outcome_views import OutcomeDetail, OutcomeFilterOptions, OutcomePage
from senga_desktop.controllers.outcomes import (
    list_outcomes,
    outcome_detail,
    outcome_filter_options,
)
from senga_desktop.errors import SengaError
from senga_desktop.ui.pages.orders.formatting import plural, zone_caption
from senga_desktop.ui.pages.orders.list_parts import ListFrame, configure_table
from senga_desktop.ui.pages.outcomes.columns import fit_columns
from senga_desktop.ui.pages.outcomes.detail import OutcomeDetailView
from senga_desktop.ui.pages.outcomes.filters import OutcomeFilters
from senga_desktop.ui.pages.outcomes.history_model import (
    COLUMN_OF_SORT,
    DEFAULT_SORT,
    OutcomeColumn,
    OutcomeTableModel,
)
from senga_desktop.ui.pages.routes.formatting import BadgeDelegate
from senga_desktop.ui.style import error_color
from senga_desktop.ui.tasks import report_unexpected

if TYPE_CHECKING:
    from senga_desktop.controllers.outcome_views import OutcomeRow
    from senga_desktop.ui.context import AppContext

__all__ = ["EMPTY", "NO_MATCH", "PAGE_SIZE", "HistoryTab"]

PAGE_SIZE = 100
EMPTY = (
    "**No outcome recorded yet:** complete a route on the To record tab or import a file "
    "(Import outcomes…)."
)
NO_MATCH = "**No outcomes match these filters.** Clear them to see every outcome."


class HistoryTab(QWidget):
    """The outcome list with its filters and pages, and the selected outcome below."""

    #: A page of outcomes is on screen (the ``OutcomePage``).
    rows_shown = Signal(object)
    #: The detail shows this outcome (an ``OutcomeDetail``).
    outcome_shown = Signal(object)
    #: Another screen should show an item: (page key, item id).
    navigation_requested = Signal(str, str)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomes_history")
        self.context = context
        zone = context.general.time_zone
        self.model = OutcomeTableModel(time_zone=zone, parent=self)
        self.filters = OutcomeFilters(zone=self.model.zone)
        self.offset = 0
        self._generation = 0
        self._detail_generation = 0
        self._request: int | None = None
        self._keep: str | None = None
        self.frame = ListFrame(
            title="Outcomes", name="outcomes", busy_text="Loading outcomes…", parent=self
        )
        self.frame.title_label.hide()  # the page's heading says it already
        self.frame.add_filters(self.filters)
        self.table = self._build_table()
        self.detail = OutcomeDetailView(time_zone=zone)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("outcomes_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.splitter.setSizes([rows * 9, rows * 16])
        self.splitter.setChildrenCollapsible(False)
        self.frame.stack.addWidget(self.splitter)
        self.frame.set_empty_state(icon_name="mdi6.clipboard-check-outline", buttons=[])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.frame)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(300)
        self._busy_timer.timeout.connect(self.frame.busy_indicator.show)
        self._connect()

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("outcomes_table")
        table.setModel(self.model)
        configure_table(table)
        self.model.warning = QColor(error_color(table))
        table.setItemDelegateForColumn(int(OutcomeColumn.RESULT), BadgeDelegate(table))
        header = table.horizontalHeader()
        header.setToolTip("Click a column to sort every outcome by it.")
        header.setSortIndicatorShown(True)
        sort, descending = DEFAULT_SORT
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(COLUMN_OF_SORT[sort], order)
        table.setSortingEnabled(True)  # header clicks call model.sort(): the database sorts
        # Route ids are long and differ at the end ("…-R07"): elide in the middle.
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        moment, km, minutes, kes, pct = (
            "30/12/2026 23:59", "1,141.5", "26 h 12 min", "174,715.20", "\N{MINUS SIGN}12.1 %"
        )  # fmt: skip
        fit_columns(table, ["DEC-261207-DAF3-R07", "KDC 273F", moment, "Delivered",
                            km, km, pct, minutes, minutes, pct, kes, kes, pct, "Learned from",
                            moment])  # fmt: skip
        return table

    def _connect(self) -> None:
        self.filters.filters_changed.connect(self._on_filters_changed)
        self.model.sort_changed.connect(self._on_filters_changed)
        self.frame.previous_button.clicked.connect(self._on_previous_clicked)
        self.frame.next_button.clicked.connect(self._on_next_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.detail.route_open_requested.connect(partial(self.navigation_requested.emit, "routes"))
        self.detail.decision_open_requested.connect(
            partial(self.navigation_requested.emit, "decisions")
        )

    # -- loading --------------------------------------------------------------------------------

    def _ready(self) -> bool:
        return self.context.database is not None and self.context.actor is not None

    def reload(self) -> None:
        """Ask for the trucks and the current page again; an answer on its way is dropped."""
        if not self._ready():
            return
        runner = self.context.runner
        runner.run(
            outcome_filter_options,
            self.context.sessions,
            self.context.require_actor(),
            on_success=self._on_options_loaded,
            on_failure=self._on_options_failed,
        )
        if self._request is not None:
            runner.discard(self._request)
        self._generation += 1
        wanted = self.filters.apply(*self.model.sort_key)
        self._busy_timer.start()
        request = runner.run(
            partial(list_outcomes, limit=PAGE_SIZE, offset=self.offset),
            self.context.sessions,
            self.context.require_actor(),
            wanted,
            on_success=partial(self._on_page_loaded, self._generation),
            on_failure=partial(self._on_failed, self._generation),
        )
        self._request = request if runner.is_pending(request) else None

    def show_outcome(self, outcome_id: str) -> None:
        """Select ``outcome_id`` if it is on the page; show it in the detail either way."""
        self._keep = outcome_id
        if not self.select_outcome(outcome_id):
            self._load_detail(outcome_id)

    def _load_detail(self, outcome_id: str) -> None:
        self._detail_generation += 1
        self.context.runner.run(
            outcome_detail,
            self.context.sessions,
            self.context.require_actor(),
            outcome_id,
            on_success=partial(self._on_detail_loaded, self._detail_generation),
            on_failure=partial(self._on_detail_failed, self._detail_generation),
        )

    def _on_options_loaded(self, options: OutcomeFilterOptions) -> None:
        self.filters.set_trucks(options.trucks)

    def _on_options_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SengaError):
            report_unexpected(exc)

    def _on_page_loaded(self, generation: int, page: OutcomePage) -> None:
        if generation != self._generation:
            return
        self._request = None
        self._busy_timer.stop()
        self.frame.busy_indicator.hide()
        self.frame.hide_problem()
        selected = self.selected_outcome()
        keep, self._keep = self._keep or (selected.outcome_id if selected else None), None
        shown = self.detail.showing
        self.model.set_time_zone(self.context.general.time_zone)
        self.model.set_page(page, offset=self.offset)
        self._show_summary(page)
        if keep is not None and self.select_outcome(keep):
            pass
        elif shown is not None and shown == keep:
            self._load_detail(shown)  # not on this page: keep it shown, fresh
        elif page.rows:
            self.select_outcome(page.rows[0].outcome_id)
        else:
            self.detail.show_nothing()
        self.rows_shown.emit(page)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._request = None
        self._busy_timer.stop()
        self.frame.busy_indicator.hide()
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.frame.show_problem(f"The outcomes could not be read. {exc.message}")

    def _on_detail_loaded(self, generation: int, detail: OutcomeDetail) -> None:
        if generation != self._detail_generation:
            return
        self.detail.show_detail(detail, time_zone=self.context.general.time_zone)
        self.outcome_shown.emit(detail)

    def _on_detail_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._detail_generation:
            return
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.detail.show_nothing()
        self.frame.show_problem(f"The outcome could not be opened. {exc.message}")

    def _show_summary(self, page: OutcomePage) -> None:
        filtering = self.filters.is_filtering()
        count = plural(page.total, "outcome")
        shown = f"{count} match the filters" if filtering else f"{count} recorded"
        if filtering and page.total == 1:
            shown = "1 outcome matches the filters"
        self.frame.subtitle_label.setText(
            f"{shown} \N{MIDDLE DOT} errors are actual minus estimate \N{MIDDLE DOT} "
            f"times in {zone_caption(self.model.zone)}"
        )
        first, last = self.offset + 1, self.offset + len(page.rows)
        self.frame.set_pager(
            f"Rows {first:,}\N{EN DASH}{last:,} of {page.total:,}" if page.rows else "No rows",
            previous=self.offset > 0,
            following=last < page.total,
        )
        self.frame.show_empty(page.total == 0, NO_MATCH if filtering else EMPTY)

    # -- selection ------------------------------------------------------------------------------

    def selected_outcome(self) -> OutcomeRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.outcome(rows[0].row()) if rows else None

    def select_outcome(self, outcome_id: str) -> bool:
        """Select the outcome if it is on the page shown (its detail then loads)."""
        row = self.model.row_of(outcome_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        if self.detail.showing != outcome_id:
            self._load_detail(outcome_id)
        return True

    # -- slots ----------------------------------------------------------------------------------

    def _on_selection_changed(self, *_args: object) -> None:
        row = self.selected_outcome()
        if row is not None and row.outcome_id != self.detail.showing:
            self._load_detail(row.outcome_id)

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
