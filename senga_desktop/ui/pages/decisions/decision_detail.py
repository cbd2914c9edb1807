"""One decision opened: its heading, Replay and Compare, and the Plan, State and Parameters tabs.

The detail reads the decision (:func:`~senga_desktop.controllers.planning_views.decision_view`)
and the state it saw (:func:`~senga_desktop.controllers.decisions.snapshot_view`) on the task
runner. Replay re-runs the solver from the snapshot and seed
(:func:`~senga_desktop.controllers.planning.replay_decision`), which takes a while, so it runs in
the background with a busy indicator and says plainly whether the result is identical.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.decisions import snapshot_view
from senga_desktop.controllers.plan_views import DecisionView, SnapshotView
from senga_desktop.controllers.planning import ReplayResult, replay_decision
from senga_desktop.controllers.planning_views import decision_view
from senga_desktop.errors import SengaError
from senga_desktop.ui.auth import BusyIndicator
from senga_desktop.ui.pages.decisions.edit_record import EditNote, EditsPanel
from senga_desktop.ui.pages.decisions.snapshot_view import ParametersPanel, SnapshotPanel
from senga_desktop.ui.pages.orders.formatting import depot_zone, local_time, plural
from senga_desktop.ui.pages.routes.formatting import (
    DECISION_STATUS_LABELS,
    POLICY_LABELS,
    badge_color,
)
from senga_desktop.ui.style import heading, icon, muted, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.manifest_actions import ManifestActions
from senga_desktop.ui.widgets.plan_panel import PlanPanel

if TYPE_CHECKING:
    from senga_desktop.ui.context import AppContext

__all__ = ["DecisionDetail", "replay_text"]

REPLAY_TIP = (
    "Run the decision again from its stored state and seed and check the result is the same"
)
#: At most this many differing routes are listed after a replay.
DIFFERENCES_SHOWN = 8


def replay_text(result: ReplayResult) -> str:
    """ "Replay matches: the same 12 routes." or what differs."""
    if result.same:
        return f"**Replay matches:** the same {plural(len(result.stored), 'route')}."
    stored, replayed = set(result.stored), set(result.replayed)
    lines = [
        f"**Replay differs:** {plural(len(result.stored), 'route')} stored, "
        f"{plural(len(result.replayed), 'route')} replayed."
    ]
    for truck, orders in sorted(stored - replayed)[:DIFFERENCES_SHOWN]:
        lines.append(f"- stored only: {truck} with {', '.join(orders) or 'no orders'}")
    for truck, orders in sorted(replayed - stored)[:DIFFERENCES_SHOWN]:
        lines.append(f"- replayed only: {truck} with {', '.join(orders) or 'no orders'}")
    return "\n".join(lines)


class DecisionDetail(QWidget):
    """An opened decision; :meth:`open` reads it."""

    #: "Back" was pressed.
    back_requested = Signal()
    #: Compare with another decision was asked for (this decision's id).
    compare_requested = Signal(str)
    #: An order was asked to be opened (its id).
    order_open_requested = Signal(str)
    #: The decision is shown (a ``DecisionView``).
    decision_shown = Signal(object)
    #: A replay finished (a ``ReplayResult``).
    replayed = Signal(object)
    #: Another decision was asked to be opened (its id): the one an edit came from or became.
    decision_open_requested = Signal(str)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decision_detail")
        self.context = context
        self.view: DecisionView | None = None
        self.snapshot: SnapshotView | None = None
        self._generation = 0
        self._build_header()
        self.manifest = ManifestActions(context=context, parent=self)
        self.message_label = QLabel()
        self.message_label.setObjectName("decision_message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.MarkdownText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_box = NoteBox(
            name="decision_message_box", icon_name="mdi6.replay", label=self.message_label
        )
        self.message_box.hide()
        self.edit_note = EditNote()
        self.edits_panel = EditsPanel()
        self.panel = PlanPanel()
        self.panel.setObjectName("decision_plan_panel")
        self.snapshot_panel = SnapshotPanel()
        self.parameters_panel = ParametersPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("decision_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.panel, icon("mdi6.map-outline", widget=self), "Plan")
        self.tabs.addTab(
            self.snapshot_panel, icon("mdi6.database-outline", widget=self), "State it saw"
        )
        self.tabs.addTab(
            self.parameters_panel, icon("mdi6.tune-variant", widget=self), "Parameters"
        )
        self.tabs.addTab(self.edits_panel, icon("mdi6.pencil-outline", widget=self), "Edits")
        self.tabs.setTabVisible(self.tabs.indexOf(self.edits_panel), False)
        self._lay_out()
        self.back_button.clicked.connect(self.back_requested)
        self.replay_button.clicked.connect(self.replay)
        self.compare_button.clicked.connect(self._on_compare_clicked)
        self.panel.order_open_requested.connect(self.order_open_requested)
        self.edit_note.decision_open_requested.connect(self.decision_open_requested)
        self.manifest.done.connect(partial(self._show_message, icon_name="mdi6.printer-check"))
        self.manifest.failed.connect(partial(self._show_message, icon_name="mdi6.alert-outline"))

    def _lay_out(self) -> None:
        u = unit(self)
        titles = QVBoxLayout()
        titles.setSpacing(u // 2)
        title_row = QHBoxLayout()
        title_row.setSpacing(u * 3 // 2)
        title_row.addWidget(self.title_label)
        title_row.addWidget(self.status_label)
        title_row.addStretch(1)
        titles.addLayout(title_row)
        titles.addWidget(self.subtitle_label)
        top = QHBoxLayout()
        top.setSpacing(u)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(u)
        top.addLayout(titles, 1)
        top.addWidget(self.busy_indicator, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.replay_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.compare_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.manifest.button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 4, u * 3, u * 4, u * 3)
        layout.setSpacing(u * 2)
        layout.addLayout(top)
        layout.addWidget(self.edit_note)
        layout.addWidget(self.message_box)
        layout.addWidget(self.tabs, 1)

    def _build_header(self) -> None:
        self.back_button = QPushButton(icon("mdi6.arrow-left", widget=self), "Back")
        self.back_button.setObjectName("decision_back")
        self.title_label = heading("", name="decision_title")
        self.title_label.setWordWrap(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("decision_status")
        self.subtitle_label = muted(QLabel())
        self.subtitle_label.setObjectName("decision_subtitle")
        self.subtitle_label.setWordWrap(True)
        self.busy_indicator = BusyIndicator(text="Replaying…")
        self.busy_indicator.hide()
        self.replay_button = QPushButton(icon("mdi6.replay", widget=self), "Replay")
        self.replay_button.setObjectName("replay_button")
        self.replay_button.setToolTip(REPLAY_TIP)
        self.compare_button = QPushButton(
            icon("mdi6.compare-horizontal", widget=self), "Compare with…"
        )
        self.compare_button.setObjectName("compare_with_button")
        for button in (self.back_button, self.replay_button, self.compare_button):
            button.setAutoDefault(False)

    @property
    def decision_id(self) -> str | None:
        return self.view.decision_id if self.view is not None else None

    # -- reading --------------------------------------------------------------------------------

    def open(self, decision_id: str) -> None:
        """Read decision ``decision_id`` and the state it saw, and show them."""
        self._generation += 1
        generation = self._generation
        self.message_box.hide()
        self.busy_indicator.hide()
        self.replay_button.setEnabled(True)
        self.manifest.set_decision(None)
        runner, sessions, actor = self.context.runner, self.context.sessions, self.context.actor
        runner.run(
            decision_view, sessions, actor, decision_id,
            on_success=partial(self._on_view_loaded, generation),
            on_failure=partial(self._on_failed, generation, "The decision could not be read."),
        )  # fmt: skip
        runner.run(
            snapshot_view, sessions, actor, decision_id,
            on_success=partial(self._on_snapshot_loaded, generation),
            on_failure=partial(self._on_failed, generation, "The state it saw could not be read."),
        )  # fmt: skip

    def _on_view_loaded(self, generation: int, view: DecisionView) -> None:
        if generation != self._generation:
            return
        self.view = view
        zone = depot_zone(view.depot.time_zone)
        policy = POLICY_LABELS.get(view.policy, view.policy)
        edited = ", edited by hand" if view.manual_edit else ""
        self.title_label.setText(f"{view.decision_id} \N{MIDDLE DOT} {policy}{edited}")
        status = DECISION_STATUS_LABELS.get(view.status, view.status)
        colour = badge_color(view.status, self).name()
        self.status_label.setText(
            f'<span style="color:{colour}; font-weight:600">\N{BLACK CIRCLE} {status}</span>'
        )
        who = view.created_by or "the command line"
        when = local_time(view.created_at, zone)
        committed = (
            f" · committed {local_time(view.committed_at, zone)}" if view.committed_at else ""
        )
        totals = view.totals
        made = "Edited" if view.manual_edit else "Planned"
        self.subtitle_label.setText(
            f"{made} by {who} at {when}{committed} · {plural(len(view.routes), 'route')}, "
            f"{plural(totals.orders_routed, 'order')} routed, {totals.orders_held:,} held"
        )
        self.panel.show_decision(view)
        self.parameters_panel.show_decision(view)
        self._show_edit_record(view)
        self.manifest.set_decision(view)
        self.decision_shown.emit(view)

    def _show_edit_record(self, view: DecisionView) -> None:
        """Where a manual edit came from (or what an edited decision became), its Edits tab;
        a hand-edited plan has no engine run to replay."""
        self.edit_note.show_decision(view)
        self.edits_panel.show_decision(view)
        self.tabs.setTabVisible(self.tabs.indexOf(self.edits_panel), view.manual_edit)
        self.replay_button.setEnabled(not view.manual_edit)
        self.replay_button.setToolTip(
            "A hand-edited plan is not an engine run: replay the decision it came from"
            if view.manual_edit
            else REPLAY_TIP
        )

    def _on_snapshot_loaded(self, generation: int, snapshot: SnapshotView) -> None:
        if generation != self._generation:
            return
        self.snapshot = snapshot
        self.snapshot_panel.show_snapshot(snapshot)

    def _on_failed(self, generation: int, prefix: str, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.busy_indicator.hide()
        self.replay_button.setEnabled(True)
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self._show_message(f"{prefix} {exc.message}", "mdi6.alert-circle-outline")

    # -- replay ---------------------------------------------------------------------------------

    def replay(self) -> None:
        """Re-run the decision in the background; the result is shown above the tabs."""
        decision_id = self.decision_id
        if decision_id is None:
            return
        self.message_box.hide()
        self.replay_button.setEnabled(False)
        self.busy_indicator.show()
        generation = self._generation
        self.context.runner.run(
            replay_decision, self.context.sessions, self.context.actor, decision_id,
            on_success=partial(self._on_replayed, generation),
            on_failure=partial(self._on_failed, generation, "The decision could not be replayed."),
        )  # fmt: skip

    def _on_replayed(self, generation: int, result: ReplayResult) -> None:
        if generation != self._generation:
            return
        self.busy_indicator.hide()
        self.replay_button.setEnabled(True)
        ok = "mdi6.check-circle-outline" if result.same else "mdi6.alert-outline"
        self._show_message(replay_text(result), ok)
        self.replayed.emit(result)

    def _show_message(self, text: str, icon_name: str) -> None:
        self.message_label.setText(text)
        icon_widget = self.message_box.findChild(QLabel)
        if icon_widget is not None and icon_widget is not self.message_label:
            size = unit(self) * 3
            icon_widget.setPixmap(icon(icon_name, widget=self).pixmap(size, size))
        self.message_box.show()

    def _on_compare_clicked(self) -> None:
        if self.decision_id is not None:
            self.compare_requested.emit(self.decision_id)
