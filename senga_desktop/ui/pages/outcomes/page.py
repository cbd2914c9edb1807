"""The Outcomes screen: what really happened on each route, against the estimates.

::

    Outcomes                                        [Import outcomes…] [Export…]
    What really happened on each route, against the plan; the engine learns from the difference.
    (a notice of what an import, export or completion did: dismissable)
    ┌ To record │ Outcomes │ Estimate vs actual │ What the engine learned ┐
    │ …                                                                  │

* **To record** — committed routes still to complete, recorded stop by stop
  (:class:`~.to_record.ToRecordTab`, with the execution dialog);
* **Outcomes** — every outcome with its estimate, actual and error, one opened below
  (:class:`~.history.HistoryTab`);
* **Estimate vs actual** — the errors week by week and the routes that went worst
  (:class:`~.trend.TrendTab`);
* **What the engine learned** — only for those who may reset it (``learning.manage``:
  managers and administrators; :class:`~.learned.LearnedTab`).

A completed route or an import refreshes every tab; each tab reads its data when it comes to the
front, through the task runner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QToolButton, QVBoxLayout, QWidget

from senga_desktop.controllers.permissions import Permission
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.outcomes.actions import OutcomeActions
from senga_desktop.ui.pages.outcomes.history import HistoryTab
from senga_desktop.ui.pages.outcomes.learned import LearnedTab
from senga_desktop.ui.pages.outcomes.to_record import ToRecordTab
from senga_desktop.ui.pages.outcomes.trend import TrendTab
from senga_desktop.ui.style import heading, icon, muted, unit
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.list_controls import action_button

if TYPE_CHECKING:
    from senga_desktop.ui.context import AppContext

__all__ = ["TAB_TITLES", "OutcomesPage"]

PURPOSE = (
    "What really happened on each route, against the plan's estimates; the engine learns from "
    "the difference."
)
TAB_TITLES = ("To record", "Outcomes", "Estimate vs actual", "What the engine learned")


class OutcomesPage(Page):
    """Recording routes, their outcomes, estimate against actual, and what was learned."""

    key = "outcomes"
    title = "Outcomes"
    icon_name = "mdi6.clipboard-check-outline"
    permission = Permission.OUTCOMES_RECORD

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        u = unit(self)
        self.actions = OutcomeActions(context=context, parent=self)
        self.import_button = action_button(self.actions.import_)
        self.export_button = action_button(self.actions.export)
        titles = QVBoxLayout()
        titles.setSpacing(u // 2)
        titles.addWidget(heading(self.title, name="outcomes_page_title"))
        titles.addWidget(muted(QLabel(PURPOSE)))
        top = QHBoxLayout()
        top.setSpacing(u)
        top.addLayout(titles, 1)
        top.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.notice_label, self.notice_box = self._note("notice", "mdi6.check-circle-outline")
        self.problem_label, self.problem_box = self._note("problem", "mdi6.alert-circle-outline")

        self.to_record = ToRecordTab(context=context)
        # The tab is laid out flush (it is built to be embedded); on this page it keeps the
        # margins of the other tabs and of the Routes and Orders lists.
        to_record_layout = self.to_record.layout()
        assert to_record_layout is not None
        to_record_layout.setContentsMargins(u * 4, u * 2, u * 4, u * 3)
        self.history = HistoryTab(context=context)
        self.trend = TrendTab(context=context)
        self.learned: LearnedTab | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("outcomes_tabs")
        self.tabs.setDocumentMode(True)
        for tab, caption, icon_name in (
            (self.to_record, TAB_TITLES[0], "mdi6.clipboard-edit-outline"),
            (self.history, TAB_TITLES[1], "mdi6.clipboard-list-outline"),
            (self.trend, TAB_TITLES[2], "mdi6.chart-line"),
        ):
            self.tabs.addTab(tab, icon(icon_name, widget=self), caption)
        if context.can(Permission.LEARNING_MANAGE):
            self.learned = LearnedTab(context=context)
            self.tabs.addTab(self.learned, icon("mdi6.brain", widget=self), TAB_TITLES[3])
            self.learned.outcome_open_requested.connect(self.show_outcome)
        header = QVBoxLayout()
        header.setContentsMargins(u * 4, u * 3, u * 4, 0)
        header.setSpacing(u * 3 // 2)
        header.addLayout(top)
        header.addWidget(self.notice_box)
        header.addWidget(self.problem_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(u)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self._stale: set[QWidget] = set()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.to_record.completed.connect(self._on_route_completed)
        self.actions.imported.connect(self._on_imported)
        self.actions.done.connect(self.show_notice)
        self.actions.failed.connect(self.show_problem)
        self.history.navigation_requested.connect(self.navigation_requested)
        self.trend.outcome_open_requested.connect(self.show_outcome)

    def _note(self, kind: str, icon_name: str) -> tuple[QLabel, NoteBox]:
        label = QLabel()
        label.setObjectName(f"outcomes_page_{kind}")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = NoteBox(name=f"outcomes_page_{kind}_box", icon_name=icon_name, label=label)
        close = QToolButton()
        close.setObjectName(f"outcomes_{kind}_close")
        close.setIcon(icon("mdi6.close", widget=self))
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(box.hide)
        row = box.layout()
        assert row is not None  # NoteBox lays itself out in a row
        row.addWidget(close)
        box.hide()
        return label, box

    # -- Page protocol --------------------------------------------------------------------------

    def activated(self) -> None:
        self._stale = {self.to_record, self.history, self.trend}
        if self.learned is not None:
            self._stale.add(self.learned)
        self._load_current()

    def refresh(self) -> None:
        self.activated()

    def open_item(self, item_id: str) -> bool:
        """Show outcome ``item_id`` (an outcome id) on the Outcomes tab."""
        if not item_id:
            return False
        self.show_outcome(item_id)
        return True

    # -- tabs -----------------------------------------------------------------------------------

    def show_outcome(self, outcome_id: str) -> None:
        self.tabs.setCurrentWidget(self.history)
        self.history.show_outcome(outcome_id)

    def show_notice(self, message: str) -> None:
        self.problem_box.hide()
        self.notice_label.setText(message)
        self.notice_box.show()

    def show_problem(self, message: str) -> None:
        self.problem_label.setText(message)
        self.problem_box.show()

    def _load_current(self) -> None:
        tab = self.tabs.currentWidget()
        if tab not in self._stale:
            return
        self._stale.discard(tab)
        if tab is self.to_record:
            self.to_record.refresh()
        elif isinstance(tab, HistoryTab | TrendTab | LearnedTab):
            tab.reload()

    def _everything_changed(self) -> None:
        """Outcomes were written: every tab reads again (the one in front now, others later)."""
        self._stale = {self.to_record, self.history, self.trend}
        if self.learned is not None:
            self._stale.add(self.learned)
        self._load_current()

    def _on_tab_changed(self, _index: int) -> None:
        self._load_current()

    def _on_route_completed(self, _route_id: str) -> None:
        self._everything_changed()

    def _on_imported(self, _result: object) -> None:
        self.tabs.setCurrentWidget(self.history)  # where the imported outcomes are
        self._everything_changed()
