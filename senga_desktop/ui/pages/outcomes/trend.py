"""The Outcomes screen's "Estimate vs actual" tab: how far the plans were off, week by week.

:func:`~senga_desktop.controllers.outcomes.estimate_vs_actual_over_time` gives, for each of the
last weeks, the routes and the mean absolute error of their duration, distance and cost (in per
cent of the estimate) and the bias (the mean signed error: positive when plans are too
optimistic). The figures sum the range up, the chart (:class:`~senga_desktop.ui.widgets.charts.
TrendChart`) draws it with the routes per week as bars, and below it
:func:`~senga_desktop.controllers.outcomes.worst_routes` lists the routes of the range whose
duration was furthest from the plan; double-click one to open it on the Outcomes tab.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.outcome_views import ErrorTrend, OutcomeRow, WeekErrors
from senga_desktop.controllers.outcomes import estimate_vs_actual_over_time, worst_routes
from senga_desktop.errors import SengaError
from senga_desktop.ui.pages.decisions.decisions_model import RecordColumn, RecordsModel
from senga_desktop.ui.pages.orders.formatting import depot_zone, local_time, plural
from senga_desktop.ui.pages.orders.list_parts import configure_table
from senga_desktop.ui.pages.outcomes.columns import fit_columns
from senga_desktop.ui.pages.outcomes.formatting import (
    RESULT_LABELS,
    minutes_text,
    pct_text,
    signed,
    week_label,
)
from senga_desktop.ui.style import heading, markdown_label, muted, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.cards import FigureCard, FigureGrid, NoteBox
from senga_desktop.ui.widgets.charts import ChartSeries, TrendChart

if TYPE_CHECKING:
    from senga_desktop.ui.context import AppContext

__all__ = ["EMPTY", "MEASURES", "WEEK_CHOICES", "WORST_SHOWN", "TrendTab"]

WEEK_CHOICES = (4, 8, 12, 26, 52)
WORST_SHOWN = 10
EMPTY = (
    "**No outcome in these weeks yet.** Complete routes on the To record tab or import their "
    "outcomes; the comparison with the estimates appears here week by week."
)
#: What the chart can show: its caption, and the field of each week for duration, distance, cost.
MEASURES = {
    "mape": ("Mean absolute error", ("duration_mape", "distance_mape", "cost_mape")),
    "bias": ("Bias (mean signed error)", ("duration_bias", "distance_bias", "cost_bias")),
}
QUANTITIES = ("Duration", "Distance", "Cost")


def _worst_columns(zone_name: str) -> list[RecordColumn]:
    zone = depot_zone(zone_name)
    return [
        RecordColumn("Route", lambda r: r.route_id),
        RecordColumn("Truck", lambda r: r.vehicle_id),
        RecordColumn("Departed", lambda r: local_time(r.departed_at, zone)),
        RecordColumn("Result", lambda r: RESULT_LABELS[r.result]),
        RecordColumn("Est. time", lambda r: minutes_text(r.duration_minutes.estimated), True),
        RecordColumn("Time", lambda r: minutes_text(r.duration_minutes.actual), True),
        RecordColumn("Time error", lambda r: pct_text(r.duration_minutes.error_pct), True),
        RecordColumn("km error", lambda r: pct_text(r.distance_km.error_pct), True),
        RecordColumn("Cost error", lambda r: pct_text(r.cost_kes.error_pct), True),
    ]


class TrendTab(QWidget):
    """Figures, the weekly chart and the worst routes of the chosen weeks."""

    #: The trend on screen (an ``ErrorTrend``) and then the worst routes (a tuple of rows).
    trend_shown = Signal(object)
    worst_shown = Signal(object)
    #: Open this outcome on the Outcomes tab.
    outcome_open_requested = Signal(str)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomes_trend")
        self.context = context
        self.trend: ErrorTrend | None = None
        self._generation = 0
        u = unit(self)
        controls = self._build_controls()
        self._build_figures()
        self.empty_label = markdown_label(EMPTY)
        self.empty_label.setObjectName("trend_empty")
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.setContentsMargins(0, 0, 0, 0)
        empty_layout.addWidget(
            NoteBox(name="trend_empty_box", icon_name="mdi6.chart-line", label=self.empty_label)
        )
        empty_layout.addStretch(1)
        shown = QWidget()
        shown_layout = QVBoxLayout(shown)
        shown_layout.setContentsMargins(0, 0, 0, 0)
        shown_layout.setSpacing(u * 3 // 2)
        shown_layout.addWidget(self.grid)
        shown_layout.addWidget(self.chart, 3)
        shown_layout.addWidget(heading("The routes that went worst", level=3, name="worst_title"))
        shown_layout.addWidget(self.worst_table, 2)
        # Scrolled, so a narrow window (cards in one column) does not make the whole page taller
        # than the screen: a tab's minimum height is every tab's.
        scroll = QScrollArea()
        scroll.setObjectName("trend_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(shown)
        self.stack = QStackedWidget()
        self.stack.addWidget(scroll)
        self.stack.addWidget(empty)
        self.problem = QLabel()
        self.problem.setObjectName("trend_problem")
        self.problem.setWordWrap(True)
        self.problem_box = NoteBox(
            name="trend_problem_box", icon_name="mdi6.alert-circle-outline", label=self.problem
        )
        self.problem_box.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 4, u * 2, u * 4, u * 3)
        layout.setSpacing(u * 3 // 2)
        layout.addLayout(controls)
        layout.addWidget(self.problem_box)
        layout.addWidget(self.stack, 1)
        self.weeks_combo.currentIndexChanged.connect(lambda _index: self.reload())
        self.measure_combo.currentIndexChanged.connect(lambda _index: self._draw())

    def _build_controls(self) -> QHBoxLayout:
        """How many weeks, what the chart shows, and the range in words."""
        u = unit(self)
        self.weeks_combo = QComboBox()
        self.weeks_combo.setObjectName("trend_weeks")
        self.weeks_combo.setAccessibleName("Weeks shown")
        for weeks in WEEK_CHOICES:
            self.weeks_combo.addItem(f"Last {weeks} weeks", weeks)
        self.weeks_combo.setCurrentIndex(WEEK_CHOICES.index(12))
        self.measure_combo = QComboBox()
        self.measure_combo.setObjectName("trend_measure")
        self.measure_combo.setAccessibleName("What the chart shows")
        for key, (caption, _) in MEASURES.items():
            self.measure_combo.addItem(caption, key)
        self.measure_combo.setToolTip(
            "Mean absolute error: how far off, either way. Bias: whether the plans are too "
            "optimistic (+) or too cautious (\N{MINUS SIGN}) on average."
        )
        self.summary = muted(QLabel())
        self.summary.setObjectName("trend_summary")
        controls = QHBoxLayout()
        controls.setSpacing(u)
        controls.addWidget(self.weeks_combo)
        controls.addWidget(self.measure_combo)
        controls.addSpacing(u)
        controls.addWidget(self.summary, 1)
        return controls

    def _build_figures(self) -> None:
        """The figure cards, the chart and the worst routes' table."""
        self.cards = {
            "routes": FigureCard(key="trend_routes", icon_name="mdi6.truck-check-outline",
                                 caption="Routes compared", note="Completed in these weeks"),
            "duration": FigureCard(key="trend_duration", icon_name="mdi6.timer-outline",
                                   caption="Duration error", note="Mean, either way"),
            "distance": FigureCard(key="trend_distance", icon_name="mdi6.map-marker-distance",
                                   caption="Distance error", note="Mean, either way"),
            "cost": FigureCard(key="trend_cost", icon_name="mdi6.cash",
                               caption="Cost error", note="Mean, either way"),
            "bias": FigureCard(key="trend_bias", icon_name="mdi6.scale-unbalanced",
                               caption="Duration bias", note="+: routes take longer than planned"),
        }  # fmt: skip
        self.grid = FigureGrid(cards=list(self.cards.values()))
        self.chart = TrendChart(name="trend_chart", unit=" %", right_unit=" routes")
        self.chart.set_empty_text("No outcome in these weeks yet.")
        self.worst_model = RecordsModel(columns=_worst_columns(self.context.general.time_zone))
        self.worst_model.setParent(self)
        self.worst_table = QTableView()
        self.worst_table.setObjectName("worst_routes")
        self.worst_table.setModel(self.worst_model)
        configure_table(self.worst_table)
        self.worst_table.setToolTip("Double-click a route to open its outcome")
        self.worst_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "DEC-2612…-R07"
        minutes, pct = "26 h 12 min", "\N{MINUS SIGN}12.1 %"
        fit_columns(self.worst_table, ["DEC-261207-DAF3-R07", "KDC 273F", "30/12/2026 23:59",
                                       "On time", minutes, minutes, pct, pct, pct])  # fmt: skip
        # A stretched last column would push its figures to the far right, away from the rest.
        self.worst_table.horizontalHeader().setStretchLastSection(False)
        self.worst_table.doubleClicked.connect(self._on_worst_double_clicked)

    # -- loading --------------------------------------------------------------------------------

    def weeks(self) -> int:
        return int(self.weeks_combo.currentData())

    def measure(self) -> str:
        return str(self.measure_combo.currentData())

    def reload(self) -> None:
        if self.context.database is None or self.context.actor is None:
            return
        self._generation += 1
        self.context.runner.run(
            partial(estimate_vs_actual_over_time, weeks=self.weeks()),
            self.context.sessions,
            self.context.require_actor(),
            on_success=partial(self._on_trend_loaded, self._generation),
            on_failure=partial(self._on_failed, self._generation),
        )

    def _on_trend_loaded(self, generation: int, trend: ErrorTrend) -> None:
        if generation != self._generation:
            return
        self.problem_box.hide()
        self.trend = trend
        self._draw()
        self.stack.setCurrentIndex(0 if trend.routes else 1)
        self.trend_shown.emit(trend)
        first = trend.weeks[0].week_start
        since = datetime.combine(first, time(0), depot_zone(trend.time_zone)).astimezone(UTC)
        self.context.runner.run(
            partial(worst_routes, limit=WORST_SHOWN, day_from=since),
            self.context.sessions,
            self.context.require_actor(),
            on_success=partial(self._on_worst_loaded, generation),
            on_failure=partial(self._on_failed, generation),
        )

    def _on_worst_loaded(self, generation: int, rows: tuple[OutcomeRow, ...]) -> None:
        if generation != self._generation:
            return
        self.worst_model.set_records(rows)
        self.worst_shown.emit(rows)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.problem.setText(f"The comparison could not be read. {exc.message}")
        self.problem_box.show()

    # -- drawing --------------------------------------------------------------------------------

    def _draw(self) -> None:
        trend = self.trend
        if trend is None:
            return
        overall = trend.overall
        self.cards["routes"].set_value(f"{overall.routes:,}")
        self.cards["duration"].set_value(pct_text(overall.duration_mape).lstrip("+"))
        self.cards["distance"].set_value(pct_text(overall.distance_mape).lstrip("+"))
        self.cards["cost"].set_value(pct_text(overall.cost_mape).lstrip("+"))
        self.cards["bias"].set_value(pct_text(overall.duration_bias))
        minutes = overall.duration_bias_minutes
        self.cards["bias"].note_label.setText(
            "+: routes take longer than planned"
            if minutes is None
            else f"{signed(minutes_text(minutes), round(minutes))} a route on average"
        )
        caption, fields = MEASURES[self.measure()]
        series = [
            ChartSeries(name, tuple(getattr(week, field) for week in trend.weeks))
            for name, field in zip(QUANTITIES, fields, strict=True)
        ]
        series.append(
            ChartSeries(
                "Routes",
                tuple(float(week.routes) for week in trend.weeks),
                colour="#7f7f7f",
                bars=True,
                right=True,
            )
        )
        self.chart.set_title(f"{caption} of the estimates, per week (in % of the estimate)")
        self.chart.set_data([week_label(w.week_start) for w in trend.weeks], series)
        self.summary.setText(self._summary(trend))

    @staticmethod
    def _summary(trend: ErrorTrend) -> str:
        weeks: tuple[WeekErrors, ...] = trend.weeks
        first, last = weeks[0].week_start, weeks[-1].week_start
        return (
            f"{plural(trend.routes, 'route')} from the week of {first:%d/%m/%Y} to the week of "
            f"{last:%d/%m/%Y} \N{MIDDLE DOT} errors are actual minus estimate"
        )

    # -- slots ----------------------------------------------------------------------------------

    def _on_worst_double_clicked(self, index: object) -> None:
        row = self.worst_model.record(index.row())  # type: ignore[attr-defined]
        if isinstance(row, OutcomeRow):
            self.outcome_open_requested.emit(row.outcome_id)
