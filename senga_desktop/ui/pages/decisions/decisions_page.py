"""The Decisions screen: the audit trail of planning runs, one opened, replayed or compared.

The list (a ``QTableView`` over :class:`~.decisions_model.DecisionTableModel`) is filled one page
at a time by :func:`~senga_desktop.controllers.decisions.list_decisions` on the task runner,
filtered by status and policy in the database. Opening a decision (double-click, Enter, "Open")
shows :class:`~.decision_detail.DecisionDetail` in place of the list, with "Back". Selecting two
rows and pressing "Compare" (or "Compare with…" in an opened decision) shows
:class:`~.compare_dialog.CompareDialog`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.decisions import compare_decisions, list_decisions
from senga_desktop.controllers.permissions import Permission
from senga_desktop.controllers.plan_views import DecisionComparison, DecisionPage
from senga_desktop.domain import PolicyName
from senga_desktop.errors import SengaError
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.decisions.compare_dialog import CompareDialog
from senga_desktop.ui.pages.decisions.decision_detail import DecisionDetail
from senga_desktop.ui.pages.decisions.decisions_model import DecisionColumn, DecisionTableModel
from senga_desktop.ui.pages.orders.formatting import plural, zone_caption
from senga_desktop.ui.pages.orders.list_parts import ListFrame, configure_table
from senga_desktop.ui.pages.routes.formatting import (
    DECISION_STATUS_LABELS,
    POLICY_LABELS,
    BadgeDelegate,
)
from senga_desktop.ui.style import icon, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.list_controls import clear_filters_button

if TYPE_CHECKING:
    from senga_desktop.controllers.plan_views import DecisionRow
    from senga_desktop.ui.context import AppContext

__all__ = ["EMPTY", "PAGE_SIZE", "DecisionsPage"]

PAGE_SIZE = 100
EMPTY = "**No planning runs yet.** Each run on the Planning screen is recorded here."
NO_MATCH = "**No decisions match these filters.** Clear them to see every decision."


class DecisionsPage(Page):
    """The audit trail of decisions, an opened decision, and comparing two."""

    key = "decisions"
    title = "Decisions"
    icon_name = "mdi6.source-branch"
    permission = Permission.PLAN_RUN

    rows_shown = Signal(object)
    compared = Signal(object)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        self.model = DecisionTableModel(time_zone=context.general.time_zone, parent=self)
        self.offset = 0
        self._generation = 0
        self._request: int | None = None
        self.active_dialog: CompareDialog | None = None
        self.frame = ListFrame(
            title=self.title, name="decisions", busy_text="Loading decisions…", parent=self
        )
        self.frame.add_filters(self._build_filters())
        self.table = self.frame.set_table(self.model, name="decisions_table")
        configure_table(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setItemDelegateForColumn(int(DecisionColumn.STATUS), BadgeDelegate(self.table))
        chars = self.table.fontMetrics().averageCharWidth()
        widths = {DecisionColumn.TIME: 21, DecisionColumn.DECISION: 29, DecisionColumn.USER: 10,
                  DecisionColumn.TYPE: 13,
                  DecisionColumn.POLICY: 8, DecisionColumn.PARAMETERS: 30,
                  DecisionColumn.ROUTED: 10, DecisionColumn.HELD: 8, DecisionColumn.ROUTES: 10,
                  DecisionColumn.COST: 15, DecisionColumn.CONFIDENCE: 14,
                  DecisionColumn.COMPUTE: 12}  # fmt: skip
        for column, width in widths.items():
            self.table.setColumnWidth(int(column), chars * width)
        self.frame.set_empty_state(icon_name="mdi6.source-branch", buttons=[])
        self.open_button = QPushButton(icon("mdi6.open-in-app", widget=self), "Open")
        self.open_button.setObjectName("open_decision")
        self.compare_button = QPushButton(icon("mdi6.compare-horizontal", widget=self), "Compare")
        self.compare_button.setObjectName("compare_button")
        self.compare_button.setToolTip("Select two decisions (Ctrl+click) to compare them")
        for button in (self.open_button, self.compare_button):
            button.setAutoDefault(False)
            self.frame.add_bottom_button(button)
        self.detail = DecisionDetail(context=context)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.frame)
        self.stack.addWidget(self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.open_action = QAction("Open", self)
        self.open_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_action.triggered.connect(self._on_open_clicked)
        self.table.addAction(self.open_action)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(300)
        self._busy_timer.timeout.connect(self.frame.busy_indicator.show)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.compare_button.clicked.connect(self._on_compare_clicked)
        self.table.doubleClicked.connect(lambda _index: self._on_open_clicked())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.frame.previous_button.clicked.connect(self._on_previous_clicked)
        self.frame.next_button.clicked.connect(self._on_next_clicked)
        self.detail.back_requested.connect(self.show_list)
        self.detail.compare_requested.connect(self._on_compare_with)
        self.detail.decision_open_requested.connect(self.open_decision)
        self.detail.order_open_requested.connect(partial(self.navigation_requested.emit, "orders"))
        self._update_buttons()

    def _build_filters(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("decision_filters")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("decision_status_filter")
        self.status_combo.addItem("All statuses", None)
        for value, label in DECISION_STATUS_LABELS.items():
            self.status_combo.addItem(label, value)
        self.policy_combo = QComboBox()
        self.policy_combo.setObjectName("decision_policy_filter")
        self.policy_combo.addItem("All policies", None)
        for policy, label in POLICY_LABELS.items():
            self.policy_combo.addItem(label, policy.value)
        self.clear_button = clear_filters_button(self, "Clear")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(unit(self))
        row.addWidget(self.status_combo)
        row.addWidget(self.policy_combo)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        for combo in (self.status_combo, self.policy_combo):
            combo.setMinimumWidth(self.fontMetrics().averageCharWidth() * 16)
            combo.currentIndexChanged.connect(self._on_filters_changed)
        self.clear_button.clicked.connect(self.clear_filters)
        self.clear_button.setEnabled(False)
        return bar

    # -- Page protocol --------------------------------------------------------------------------

    def activated(self) -> None:
        self.reload()

    def refresh(self) -> None:
        self.reload()
        if self.stack.currentWidget() is self.detail and self.detail.decision_id:
            self.detail.open(self.detail.decision_id)

    def open_item(self, item_id: str) -> bool:
        """Open decision ``item_id`` (its detail, in place of the list)."""
        if not item_id:
            return False
        self.open_decision(item_id)
        return True

    # -- filters and loading --------------------------------------------------------------------

    def filters(self) -> tuple[str | None, PolicyName | None]:
        status = self.status_combo.currentData()
        policy = self.policy_combo.currentData()
        return status, PolicyName(policy) if policy else None

    def clear_filters(self) -> None:
        for combo in (self.status_combo, self.policy_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._on_filters_changed()

    def reload(self) -> None:
        if self.context.database is None or self.context.actor is None:
            return
        runner = self.context.runner
        if self._request is not None:
            runner.discard(self._request)
        self._generation += 1
        status, policy = self.filters()
        self._busy_timer.start()
        request = runner.run(
            partial(
                list_decisions, limit=PAGE_SIZE, offset=self.offset, status=status, policy=policy
            ),
            self.context.sessions,
            self.context.actor,
            on_success=partial(self._on_page_loaded, self._generation),
            on_failure=partial(self._on_failed, self._generation),
        )
        self._request = request if runner.is_pending(request) else None

    def _on_page_loaded(self, generation: int, page: DecisionPage) -> None:
        if generation != self._generation:
            return
        self._request = None
        self._busy_timer.stop()
        self.frame.busy_indicator.hide()
        self.frame.hide_problem()
        kept = [d.decision_id for d in self.selected_decisions()]
        self.model.set_time_zone(self.context.general.time_zone)
        self.model.set_page(page, offset=self.offset)
        for decision_id in kept:
            self.select_decision(decision_id, add=True)
        filtering = any(v is not None for v in self.filters())
        count = plural(page.total, "decision")
        shown = f"{count} match the filters" if filtering else f"{count} in all"
        self.frame.subtitle_label.setText(f"{shown} · times in {zone_caption(self.model.zone)}")
        first, last = self.offset + 1, self.offset + len(page.rows)
        self.frame.set_pager(
            f"Rows {first:,}\N{EN DASH}{last:,} of {page.total:,}" if page.rows else "No rows",
            previous=self.offset > 0,
            following=last < page.total,
        )
        self.frame.show_empty(page.total == 0, NO_MATCH if filtering else EMPTY)
        self._update_buttons()
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
        self.frame.show_problem(f"The decisions could not be read. {exc.message}")

    # -- selection, opening, comparing ----------------------------------------------------------

    def selected_decisions(self) -> list[DecisionRow]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [d for row in rows if (d := self.model.decision(row)) is not None]

    def select_decision(self, decision_id: str, *, add: bool = False) -> bool:
        row = self.model.row_of(decision_id)
        if row is None:
            return False
        flags = QItemSelectionModel.SelectionFlag.Rows | (
            QItemSelectionModel.SelectionFlag.Select
            if add
            else QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        return True

    def open_decision(self, decision_id: str) -> None:
        self.select_decision(decision_id)
        self.stack.setCurrentWidget(self.detail)
        self.detail.open(decision_id)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.frame)
        self.reload()

    def compare(self, a_id: str, b_id: str) -> None:
        """Compare decision A with decision B (in the background), then show the dialog."""
        self.context.runner.run(
            compare_decisions,
            self.context.sessions,
            self.context.actor,
            a_id,
            b_id,
            on_success=self._on_compared,
            on_failure=self._on_compare_failed,
        )

    def _on_compared(self, comparison: DecisionComparison) -> None:
        dialog = CompareDialog(comparison=comparison, parent=self)
        self.active_dialog = dialog
        dialog.finished.connect(partial(self._on_dialog_finished, dialog))
        dialog.open()
        self.compared.emit(comparison)

    def _on_dialog_finished(self, dialog: CompareDialog, _result: int) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        dialog.deleteLater()

    def _on_compare_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.frame.show_problem(f"The decisions could not be compared. {exc.message}")

    def _update_buttons(self, *_args: object) -> None:
        selected = self.selected_decisions()
        self.open_button.setEnabled(len(selected) == 1)
        self.compare_button.setEnabled(len(selected) == 2)
        self.clear_button.setEnabled(any(v is not None for v in self.filters()))

    def _on_open_clicked(self) -> None:
        selected = self.selected_decisions()
        if len(selected) >= 1:
            self.open_decision(selected[0].decision_id)

    def _on_compare_clicked(self) -> None:
        selected = self.selected_decisions()
        if len(selected) == 2:
            # The older one is A: the list is newest first.
            self.compare(selected[1].decision_id, selected[0].decision_id)

    def _on_compare_with(self, decision_id: str) -> None:
        """ "Compare with…" in an opened decision: choose another from the list's page."""
        menu = QMenu(self)
        menu.setObjectName("compare_with_menu")
        for row in range(self.model.rowCount()):
            other = self.model.decision(row)
            if other is None or other.decision_id == decision_id:
                continue
            label = (
                f"{other.decision_id} · {POLICY_LABELS.get(other.policy, other.policy)} · "
                f"{DECISION_STATUS_LABELS.get(other.status, other.status)}"
            )
            action = menu.addAction(label)
            action.setData(other.decision_id)
            action.triggered.connect(
                lambda _checked=False, b=other.decision_id: self.compare(decision_id, b)
            )
        if menu.isEmpty():
            menu.addAction("No other decision to compare with").setEnabled(False)
        self.compare_menu = menu
        button = self.detail.compare_button
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

    def _on_filters_changed(self, *_args: object) -> None:
        self.offset = 0
        self.reload()

    def _on_previous_clicked(self) -> None:
        self.offset = max(0, self.offset - PAGE_SIZE)
        self.reload()

    def _on_next_clicked(self) -> None:
        if self.offset + PAGE_SIZE < self.model.total:
            self.offset += PAGE_SIZE
            self.reload()
