"""The Outcomes screen's "What the engine learned" tab, for managers and administrators.

:func:`~senga_desktop.controllers.learning.learned_view` gives the latest version of the belief:
per corridor (road factor), truck type (speed, cost per km) and stop (service time, overall and
per customer with history) the default planning started from, the learned value, how many
outcomes it rests on, its 90 % interval and the change. Each row has "Reset…", which asks first
and then calls :func:`~senga_desktop.controllers.learning.reset_estimate` (a new version,
audited). Below, the outcomes the engine refused to learn from, each with the sentence saying
why. With outcomes waiting, "Learn now" folds them in
(:func:`~senga_desktop.controllers.learning.fold_outcomes`) instead of waiting for the next plan.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.learning import fold_outcomes, learned_view, reset_estimate
from senga_desktop.controllers.learning_views import EstimateRow, LearnedView
from senga_desktop.errors import SengaError
from senga_desktop.ui.pages.decisions.decisions_model import RecordColumn, RecordsModel
from senga_desktop.ui.pages.orders.formatting import depot_zone, local_time, plural
from senga_desktop.ui.pages.orders.list_parts import configure_table
from senga_desktop.ui.pages.outcomes.columns import fit_columns
from senga_desktop.ui.pages.outcomes.formatting import pct_text
from senga_desktop.ui.style import heading, icon, muted, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.cards import NoteBox

if TYPE_CHECKING:
    from senga_desktop.ui.context import AppContext

__all__ = ["RESET_COLUMN", "LearnedTab", "value_text"]

#: The column of the table holding each row's "Reset…" button.
RESET_COLUMN = 7
NOTHING_FLAGGED = "No outcome was left out: the engine learned from every one it saw."


def value_text(value: float, unit_name: str) -> str:
    """A learned value in its unit: "1.45" and a multiplication sign, "52.0 km/h", "31.5 min"."""
    if unit_name == "x":
        return f"{value:.2f}\N{MULTIPLICATION SIGN}"
    return f"{value:.1f} {unit_name}"


def _interval(row: EstimateRow) -> str:
    return f"{value_text(row.low, row.unit)} \N{EN DASH} {value_text(row.high, row.unit)}"


ESTIMATE_COLUMNS = [
    RecordColumn("What", lambda r: r.what),
    RecordColumn("About", lambda r: r.label),
    RecordColumn("Default", lambda r: value_text(r.default, r.unit), True),
    RecordColumn("Learned", lambda r: value_text(r.value, r.unit), True),
    RecordColumn("Change", lambda r: pct_text(r.change_pct), True),
    RecordColumn("Outcomes", lambda r: f"{r.observations:,}", True),
    RecordColumn("90 % interval", _interval, True),
    RecordColumn("", lambda r: ""),
]


class LearnedTab(QWidget):
    """The learned values with a reset per row, and the flagged outcomes."""

    #: The view on screen (a ``LearnedView``), after every load and reset.
    view_shown = Signal(object)
    #: Open this outcome on the Outcomes tab.
    outcome_open_requested = Signal(str)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomes_learned")
        self.context = context
        self.view: LearnedView | None = None
        self.reset_buttons: dict[tuple[str, str], QPushButton] = {}
        u = unit(self)
        self.version_label = heading("", level=3, name="learned_version")
        self.change_label = muted(QLabel())
        self.change_label.setObjectName("learned_change")
        self.change_label.setWordWrap(True)
        self.learn_button = QPushButton(icon("mdi6.brain", widget=self), "Learn now")
        self.learn_button.setObjectName("learn_now")
        self.learn_button.setAutoDefault(False)
        self.learn_button.clicked.connect(self.learn_now)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(u // 2)
        titles.addWidget(self.version_label)
        titles.addWidget(self.change_label)
        top.addLayout(titles, 1)
        top.addWidget(self.learn_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.notice, self.notice_box = self._note("notice", "mdi6.check-circle-outline")
        self.problem, self.problem_box = self._note("problem", "mdi6.alert-circle-outline")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 4, u * 2, u * 4, u * 3)
        layout.setSpacing(u * 3 // 2)
        layout.addLayout(top)
        layout.addWidget(self.notice_box)
        layout.addWidget(self.problem_box)
        layout.addWidget(self._build_tables(), 1)

    def _build_tables(self) -> QSplitter:
        """The learned values above, the flagged outcomes below."""
        u = unit(self)
        self.model = RecordsModel(columns=ESTIMATE_COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setObjectName("learned_table")
        self.table.setModel(self.model)
        configure_table(self.table)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + u * 2)
        reset = QPushButton(icon("mdi6.restore", widget=self), "Reset…")
        value, interval = "52.0 km/h", "48.4 km/h \N{EN DASH} 55.6 km/h"
        fit_columns(self.table, ["Cost per km", "Athi River \N{EN DASH} Kitengela", value, value,
                                 "\N{MINUS SIGN}23.1 %", "1,000", interval,
                                 reset.sizeHint().width()])  # fmt: skip
        reset.deleteLater()
        # "About" takes the spare width; the buttons keep theirs at the right.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.flagged_model = RecordsModel(
            columns=[
                RecordColumn("Outcome", lambda f: f.outcome_id),
                RecordColumn("Route", lambda f: f.route_id),
                RecordColumn("Recorded", lambda f: local_time(f.recorded_at, self._zone())),
                RecordColumn("Why it was left out", lambda f: f.note),
            ],
            parent=self,
        )
        self.flagged_table = QTableView()
        self.flagged_table.setObjectName("flagged_outcomes")
        self.flagged_table.setModel(self.flagged_model)
        configure_table(self.flagged_table)
        self.flagged_table.setToolTip("Double-click an outcome to open it")
        self.flagged_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        fit_columns(self.flagged_table, ["OUT-20261205-0004", "DEC-261207-DAF3-R07",
                                         "30/12/2026 23:59"])  # fmt: skip
        self.flagged_table.doubleClicked.connect(self._on_flagged_double_clicked)
        self.flagged_label = muted(QLabel(NOTHING_FLAGGED))
        self.flagged_label.setObjectName("flagged_summary")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, u, 0, 0)
        lower_layout.setSpacing(u // 2)
        lower_layout.addWidget(heading("Outcomes left out of learning", level=3))
        lower_layout.addWidget(self.flagged_label)
        lower_layout.addWidget(self.flagged_table, 1)
        lower_layout.addStretch(0)  # with nothing flagged, the note stays under its heading
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("learned_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        return self.splitter

    @staticmethod
    def _note(kind: str, icon_name: str) -> tuple[QLabel, NoteBox]:
        label = QLabel()
        label.setObjectName(f"learned_{kind}")
        label.setWordWrap(True)
        box = NoteBox(name=f"learned_{kind}_box", icon_name=icon_name, label=label)
        box.hide()
        return label, box

    def _zone(self) -> object:
        return depot_zone(self.context.general.time_zone)

    # -- asking (tests replace this) ------------------------------------------------------------

    def ask_confirmation(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        if self.context.database is None or self.context.actor is None:
            return
        self._run(learned_view, self.context.sessions, self.context.require_actor())

    def learn_now(self) -> None:
        """Fold the waiting outcomes into a new version, then show it."""

        def work() -> LearnedView:
            fold_outcomes(self.context.sessions)
            return learned_view(self.context.sessions, self.context.require_actor())

        self._run(work, notice="The engine learned from the outcomes that were waiting.")

    def reset(self, row: EstimateRow) -> None:
        """Ask, then put ``row``'s estimate back to its default in a new version."""
        question = (
            f"Reset the {row.what.lower()} for {row.label} from "
            f"{value_text(row.value, row.unit)} to its default "
            f"{value_text(row.default, row.unit)}? It rests on "
            f"{plural(row.observations, 'outcome')}; planning uses the default from now on "
            "and later outcomes move it again."
        )
        if not self.ask_confirmation("Reset a learned value", question):
            return
        self._run(
            reset_estimate,
            self.context.sessions,
            self.context.require_actor(),
            row.kind,
            row.key,
            notice=f"The {row.what.lower()} for {row.label} is back to its default.",
        )

    def _run(self, fn: object, *args: object, notice: str | None = None) -> None:
        self.context.runner.run(
            fn,  # type: ignore[arg-type]
            *args,
            on_success=partial(self._on_loaded, notice),
            on_failure=self._on_failed,
        )

    def _on_loaded(self, notice: str | None, view: LearnedView) -> None:
        self.view = view
        self.problem_box.hide()
        if notice:
            version = f" (version {view.version})" if view.version else ""
            self.notice.setText(f"{notice}{version}")
            self.notice_box.show()
        else:
            self.notice_box.hide()
        self._show(view)
        self.view_shown.emit(view)

    def _on_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.notice_box.hide()
        self.problem.setText(exc.message)
        self.problem_box.show()

    # -- showing --------------------------------------------------------------------------------

    def _show(self, view: LearnedView) -> None:
        zone = self._zone()
        if view.version is None:
            self.version_label.setText("Nothing learned yet")
        else:
            who = f" by {view.created_by}" if view.created_by else ""
            self.version_label.setText(
                f"Version {view.version} \N{MIDDLE DOT} {local_time(view.created_at, zone)}{who}"  # type: ignore[arg-type]
            )
        waiting = (
            f" {plural(view.pending, 'outcome')} wait to be learned from: the next planning run "
            "learns from them, or press Learn now."
            if view.pending
            else ""
        )
        change = view.change[:1].upper() + view.change[1:]
        self.change_label.setText(f"{change}.{waiting}".replace("..", "."))
        self.learn_button.setVisible(view.pending > 0)
        self.model.set_records(view.rows)
        self.reset_buttons = {}
        for number, row in enumerate(view.rows):
            button = QPushButton(icon("mdi6.restore", widget=self), "Reset…")
            button.setObjectName(f"reset_{row.kind}_{number}")
            button.setAutoDefault(False)
            button.setEnabled(view.can_reset and row.observations > 0)
            button.setToolTip(
                f"Put the {row.what.lower()} for {row.label} back to its default"
                if row.observations
                else "At its default already"
            )
            button.clicked.connect(partial(self.reset, row))
            self.table.setIndexWidget(self.model.index(number, RESET_COLUMN), button)
            self.reset_buttons[(row.kind, row.key)] = button
        self.flagged_model.set_records(view.flagged)
        self.flagged_table.setVisible(bool(view.flagged))
        self.flagged_label.setText(
            f"{plural(len(view.flagged), 'outcome')} the engine found implausible; correct the "
            "figures at the source and import them again if they were typing slips."
            if view.flagged
            else NOTHING_FLAGGED
        )

    def _on_flagged_double_clicked(self, index: object) -> None:
        flagged = self.flagged_model.record(index.row())  # type: ignore[attr-defined]
        if flagged is not None:
            self.outcome_open_requested.emit(flagged.outcome_id)
