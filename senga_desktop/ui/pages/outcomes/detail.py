"""The lower half of the Outcomes tab: one outcome opened.

What the list row cannot say in full: the estimate, the actual and the error of distance,
duration and cost side by side; the money (revenue, cost and its parts, profit); what learning
made of the outcome (and why it was flagged); and every stop with its arrival against the plan,
its result and how late it was. "Open route" and "Open decision" go to the other screens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.outcome_views import Figure, OutcomeDetail, StopOutcome
from senga_desktop.domain import LearningStatus
from senga_desktop.ui.pages.decisions.decisions_model import RecordColumn, RecordsModel
from senga_desktop.ui.pages.orders.formatting import (
    NONE_SHOWN,
    amount,
    depot_zone,
    local_time,
    money,
    zone_caption,
)
from senga_desktop.ui.pages.orders.list_parts import configure_table
from senga_desktop.ui.pages.outcomes.columns import fit_columns
from senga_desktop.ui.pages.outcomes.formatting import (
    LEARNING_LABELS,
    LEARNING_NOTES,
    error_text,
    minutes_text,
    pct_text,
)
from senga_desktop.ui.style import heading, icon, muted, unit
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.execution.stop_table import REASON_LABELS, RESULT_LABELS

__all__ = ["NOTHING_SELECTED", "OutcomeDetailView"]

NOTHING_SELECTED = "Select an outcome to see its estimate against what happened, stop by stop."


def _stop_result(stop: StopOutcome) -> str:
    if stop.result is None:
        return "Not recorded"
    text = RESULT_LABELS[stop.result]
    if stop.failure_reason is not None:
        text += f": {REASON_LABELS[stop.failure_reason].split(' (')[0].lower()}"
    return text


def _late(stop: StopOutcome) -> str:
    if stop.minutes_late is None:
        return NONE_SHOWN
    return minutes_text(stop.minutes_late) if stop.minutes_late > 0 else "On time"


class OutcomeDetailView(QWidget):
    """One outcome: figures, money, learning and stops; or a hint to select one."""

    route_open_requested = Signal(str)
    decision_open_requested = Signal(str)

    def __init__(self, *, time_zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcome_detail")
        self.zone = depot_zone(time_zone)
        self.detail: OutcomeDetail | None = None
        u = unit(self)
        self.hint = muted(QLabel(NOTHING_SELECTED))
        self.hint.setObjectName("outcome_detail_hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = heading("", level=2, name="outcome_detail_title")
        self.facts = muted(QLabel())
        self.facts.setObjectName("outcome_facts")
        self.facts.setWordWrap(True)
        self.route_button = QPushButton(icon("mdi6.routes", widget=self), "Open route")
        self.route_button.setObjectName("open_outcome_route")
        self.decision_button = QPushButton(icon("mdi6.source-branch", widget=self), "Open decision")
        self.decision_button.setObjectName("open_outcome_decision")
        for button in (self.route_button, self.decision_button):
            button.setAutoDefault(False)
        self.route_button.clicked.connect(self._on_route_clicked)
        self.decision_button.clicked.connect(self._on_decision_clicked)
        top = QHBoxLayout()
        top.setSpacing(u)
        titles = QVBoxLayout()
        titles.setSpacing(u // 2)
        titles.addWidget(self.title)
        titles.addWidget(self.facts)
        top.addLayout(titles, 1)
        top.addWidget(self.route_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.decision_button, 0, Qt.AlignmentFlag.AlignTop)

        middle = self._build_figures()
        self._build_stops()
        shown = QWidget()
        column_layout = QVBoxLayout(shown)
        column_layout.setContentsMargins(0, u, 0, 0)
        column_layout.setSpacing(u * 3 // 2)
        column_layout.addLayout(top)
        column_layout.addLayout(middle)
        column_layout.addWidget(self.stops_table, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.hint)
        self.stack.addWidget(shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _build_figures(self) -> QHBoxLayout:
        """Estimated, actual and error of distance, duration and cost; the money; learning."""
        u = unit(self)
        self.figures = QGridLayout()
        self.figures.setHorizontalSpacing(u * 3)
        self.figures.setVerticalSpacing(u // 2)
        self.cells: dict[tuple[str, str], QLabel] = {}
        for column, caption in enumerate(("", "Estimated", "Actual", "Error", "Error %")):
            label = muted(QLabel(caption))
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.figures.addWidget(label, 0, column)
        for row, (key, caption) in enumerate(
            (("distance", "Distance"), ("duration", "Duration"), ("cost", "Cost (KES)")), start=1
        ):
            self.figures.addWidget(QLabel(caption), row, 0)
            for column, part in enumerate(("estimated", "actual", "error", "pct"), start=1):
                cell = QLabel()
                cell.setObjectName(f"{key}_{part}")
                # Vertically centred like the row's caption, so each row reads as one line.
                cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.cells[(key, part)] = cell
                self.figures.addWidget(cell, row, column)
        self.money = QLabel()
        self.money.setObjectName("outcome_money")
        self.money.setWordWrap(True)
        self.money.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.learning_label = QLabel()
        self.learning_label.setObjectName("outcome_learning")
        self.learning_label.setWordWrap(True)
        self.learning_box = NoteBox(
            name="outcome_learning_box", icon_name="mdi6.brain", label=self.learning_label
        )
        side = QVBoxLayout()
        side.setSpacing(u)
        side.addWidget(self.money)
        side.addWidget(self.learning_box)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.setSpacing(u * 4)
        middle.addLayout(self.figures, 0)
        middle.addLayout(side, 1)

        return middle

    def _build_stops(self) -> None:
        self.stops_model = RecordsModel(columns=self._stop_columns(), parent=self)
        self.stops_table = QTableView()
        self.stops_table.setObjectName("outcome_stops")
        self.stops_table.setModel(self.stops_model)
        configure_table(self.stops_table)
        moment = "30/12/2026 23:59"
        fit_columns(self.stops_table, ["88", "Athi River", "Pwani Beverages Distributors",
                                       "ORD-HIST-20261205-12", moment, moment,
                                       "Failed: road closed", "2 h 40 min"])  # fmt: skip

    def _stop_columns(self) -> list[RecordColumn]:
        def when(moment: object) -> str:
            return local_time(moment, self.zone)  # type: ignore[arg-type]

        return [
            RecordColumn("#", lambda s: str(s.sequence), numeric=True),
            RecordColumn("Town", lambda s: s.town),
            RecordColumn("Customer", lambda s: ", ".join(dict.fromkeys(c for c in s.customers))),
            RecordColumn("Orders", lambda s: ", ".join(s.order_ids)),
            RecordColumn("Planned arrival", lambda s: when(s.estimated_arrival)),
            RecordColumn("Arrived", lambda s: when(s.actual_arrival)),
            RecordColumn("Result", _stop_result),
            RecordColumn("Late by", _late, numeric=True),
            RecordColumn("Note", lambda s: s.note or ""),
        ]

    # -- showing --------------------------------------------------------------------------------

    @property
    def showing(self) -> str | None:
        return self.detail.row.outcome_id if self.detail is not None else None

    def show_nothing(self) -> None:
        self.detail = None
        self.stack.setCurrentIndex(0)

    def show_detail(self, detail: OutcomeDetail, *, time_zone: str) -> None:
        self.zone = depot_zone(time_zone)
        self.detail = detail
        row = detail.row
        self.title.setText(f"{row.route_id} \N{MIDDLE DOT} {row.vehicle_id} ({row.vehicle_type})")
        back = local_time(detail.returned_at, self.zone) if detail.returned_at else NONE_SHOWN
        who = f" by {detail.recorded_by}" if detail.recorded_by else ""
        self.facts.setText(
            f"Outcome {row.outcome_id} \N{MIDDLE DOT} left "
            f"{local_time(detail.departed_at or row.departed_at, self.zone)}, back {back} "
            f"({zone_caption(self.zone)}) \N{MIDDLE DOT} {row.on_time} on time, {row.late} late, "
            f"{row.failed} failed \N{MIDDLE DOT} recorded "
            f"{local_time(row.recorded_at, self.zone)}{who}"
        )
        self._show_figure("distance", row.distance_km, "km")
        self._show_figure("duration", row.duration_minutes, "min")
        self._show_figure("cost", row.cost_kes, "kes")
        self._show_money(detail)
        self._show_learning(detail)
        self.stops_model.set_records(detail.stops)
        self.decision_button.setEnabled(bool(detail.decision_id))
        self.stack.setCurrentIndex(1)

    def _show_figure(self, key: str, figure: Figure, kind: str) -> None:
        if kind == "km":
            estimated, actual = amount(figure.estimated, places=1), amount(figure.actual, places=1)
            estimated, actual = f"{estimated} km", f"{actual} km"
        elif kind == "min":
            estimated, actual = minutes_text(figure.estimated), minutes_text(figure.actual)
        else:
            estimated, actual = money(figure.estimated), money(figure.actual)
        self.cells[(key, "estimated")].setText(estimated)
        self.cells[(key, "actual")].setText(actual)
        self.cells[(key, "error")].setText(error_text(figure.error, kind))
        self.cells[(key, "pct")].setText(pct_text(figure.error_pct))

    def _show_money(self, detail: OutcomeDetail) -> None:
        lines = [
            f"Revenue KES {money(detail.revenue_kes)} \N{MIDDLE DOT} cost KES "
            f"{money(detail.row.cost_kes.actual)} \N{MIDDLE DOT} net profit KES "
            f"{money(detail.net_profit_kes)}"
        ]
        if detail.cost_parts:
            lines.append(
                "Cost: "
                + " \N{MIDDLE DOT} ".join(f"{p.label} {money(p.kes)}" for p in detail.cost_parts)
            )
        if not detail.cost_measured:
            lines.append("The cost is an estimate: no fuel cost was entered.")
        if detail.fuel_litres is not None:
            lines.append(f"Fuel {amount(detail.fuel_litres, places=1)} litres")
        if detail.notes:
            lines.append(f"Notes: {detail.notes}")
        self.money.setText("\n".join(lines))

    def _show_learning(self, detail: OutcomeDetail) -> None:
        status = detail.row.learning
        text = f"{LEARNING_LABELS[status]}: {LEARNING_NOTES[status]}"
        if status is LearningStatus.USED and detail.belief_version is not None:
            text = f"Learned from in version {detail.belief_version} of what the engine knows."
        if status is LearningStatus.FLAGGED and detail.learning_note:
            text = f"Left out of learning: {detail.learning_note}"
        self.learning_label.setText(text)

    # -- slots ----------------------------------------------------------------------------------

    def _on_route_clicked(self) -> None:
        if self.detail is not None:
            self.route_open_requested.emit(self.detail.row.route_id)

    def _on_decision_clicked(self) -> None:
        if self.detail is not None and self.detail.decision_id:
            self.decision_open_requested.emit(self.detail.decision_id)
