"""An opened decision's "State it saw" and "Parameters" tabs, in readable form.

:class:`SnapshotPanel` shows a :class:`~senga_desktop.controllers.plan_views.SnapshotView`: the
moment and the depot, the orders and trucks the decision saw (two tables), and the belief — the
speeds per truck type, the arrival rates per town and the other figures. :class:`ParametersPanel`
shows the policy, each parameter with its value, the seed and the run's limits.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.plan_views import (
    DecisionView,
    SnapshotOrder,
    SnapshotTruck,
    SnapshotView,
)
from senga_desktop.ui.pages.decisions.decisions_model import (
    DECISION_TYPE_LABELS,
    RecordColumn,
    RecordsModel,
)
from senga_desktop.ui.pages.orders.formatting import (
    amount,
    depot_zone,
    handling_text,
    local_time,
    money,
    plural,
    zone_caption,
)
from senga_desktop.ui.pages.orders.list_parts import configure_table
from senga_desktop.ui.pages.routes.formatting import (
    NONE_SHOWN,
    POLICY_LABELS,
    POLICY_NOTES,
    compute_text,
    parameter_name,
    parameter_value,
    percent,
)
from senga_desktop.ui.style import heading, muted, unit

__all__ = ["ParametersPanel", "SnapshotPanel"]


def _table(name: str, model: RecordsModel) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    configure_table(table)
    return table


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def _clear(form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)


class SnapshotPanel(QWidget):
    """The state a decision saw: orders, trucks and belief."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snapshot_panel")
        self.snapshot: SnapshotView | None = None
        self._zone = depot_zone("Africa/Nairobi")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("snapshot_summary")
        self.summary_label.setWordWrap(True)
        zone = lambda: self._zone  # noqa: E731 - the tables read the zone when they format
        self.orders_model = RecordsModel(
            columns=[
                RecordColumn("Order", lambda o: o.order_id),
                RecordColumn("Customer", lambda o: o.customer),
                RecordColumn("Town", lambda o: o.town),
                RecordColumn("Tonnes", lambda o: amount(o.weight_tonnes), numeric=True),
                RecordColumn("m³", lambda o: amount(o.volume_m3, places=1), numeric=True),
                RecordColumn("Window start", lambda o: local_time(o.window_start, zone())),
                RecordColumn("Window end", lambda o: local_time(o.window_end, zone())),
                RecordColumn("Priority", lambda o: o.priority.capitalize()),
                RecordColumn("Handling", lambda o: handling_text(o.special_handling)),
                RecordColumn("Revenue (KES)", lambda o: money(o.revenue_kes), numeric=True),
            ],
            parent=self,
        )
        self.trucks_model = RecordsModel(
            columns=[
                RecordColumn("Truck", lambda t: t.vehicle_id),
                RecordColumn("Type", lambda t: t.vehicle_type),
                RecordColumn("At", lambda t: t.town),
                RecordColumn("Tonnes", lambda t: amount(t.capacity_tonnes), numeric=True),
                RecordColumn("m³", lambda t: amount(t.capacity_m3, places=1), numeric=True),
                RecordColumn("Free from", lambda t: local_time(t.free_from, zone())),
                RecordColumn("Shift", lambda t: f"{t.shift_hours:g} h", numeric=True),
                RecordColumn("Trip days", lambda t: str(t.trip_days), numeric=True),
                RecordColumn("Capabilities", lambda t: handling_text(t.capabilities)),
            ],
            parent=self,
        )
        self.rates_model = RecordsModel(
            columns=[
                RecordColumn("Town", lambda r: r[0]),
                RecordColumn("Orders / hour", lambda r: f"{r[1]:.2f}", numeric=True),
            ],
            parent=self,
        )
        self.orders_table = _table("snapshot_orders", self.orders_model)
        self.trucks_table = _table("snapshot_trucks", self.trucks_model)
        self.rates_table = _table("snapshot_rates", self.rates_model)
        self.orders_heading = heading("Orders", level=3)
        self.trucks_heading = heading("Trucks", level=3)
        self.speeds_form = _form()
        self.belief_form = _form()
        self._lay_out()

    def _lay_out(self) -> None:
        u = unit(self)

        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        for title, table in ((self.orders_heading, self.orders_table),
                             (self.trucks_heading, self.trucks_table)):  # fmt: skip
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(u // 2)
            column.addWidget(title)
            column.addWidget(table, 1)
            left.addWidget(box)

        belief = QWidget()
        belief.setObjectName("snapshot_belief")
        column = QVBoxLayout(belief)
        column.setContentsMargins(u, 0, u, 0)
        column.setSpacing(u)
        column.addWidget(heading("Belief", level=3))
        column.addWidget(muted(QLabel("Speeds by truck type")))
        column.addLayout(self.speeds_form)
        column.addWidget(muted(QLabel("Order arrivals by town")))
        column.addWidget(self.rates_table, 1)
        column.addWidget(muted(QLabel("Other figures")))
        column.addLayout(self.belief_form)
        scroll = QScrollArea()
        scroll.setWidget(belief)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(self.fontMetrics().averageCharWidth() * 42)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u, u, u, u)
        layout.setSpacing(u)
        layout.addWidget(self.summary_label)
        layout.addWidget(splitter, 1)

    def show_snapshot(self, snapshot: SnapshotView) -> None:
        self.snapshot = snapshot
        self._zone = depot_zone(snapshot.depot.time_zone)
        depot = snapshot.depot
        self.summary_label.setText(
            f"The state at **{local_time(snapshot.now, self._zone)}** "
            f"({zone_caption(self._zone)}) at {depot.name}, {depot.town}: "
            f"{plural(len(snapshot.orders), 'pending order')} and "
            f"{plural(len(snapshot.trucks), 'truck')}."
        )
        self.summary_label.setTextFormat(Qt.TextFormat.MarkdownText)
        self.orders_model.set_records(snapshot.orders)
        self.trucks_model.set_records(snapshot.trucks)
        self.orders_heading.setText(f"Orders ({len(snapshot.orders):,})")
        self.trucks_heading.setText(f"Trucks ({len(snapshot.trucks):,})")
        rates = sorted(snapshot.arrival_rates.items(), key=lambda item: (-item[1], item[0]))
        self.rates_model.set_records(rates)
        # A few hundred rows at most: fitting the columns to them is quick and nothing is cut.
        for table in (self.orders_table, self.trucks_table):
            table.resizeColumnsToContents()
        _clear(self.speeds_form)
        for kind, speed in sorted(snapshot.speeds_kmh.items()):
            self.speeds_form.addRow(kind, QLabel(f"{speed:.0f} km/h"))
        if not snapshot.speeds_kmh:
            self.speeds_form.addRow(muted(QLabel(NONE_SHOWN)))
        _clear(self.belief_form)
        for name, value in snapshot.belief.items():
            label = QLabel(value)
            label.setWordWrap(True)
            self.belief_form.addRow(parameter_name(name), label)

    def orders(self) -> Sequence[SnapshotOrder]:
        return self.snapshot.orders if self.snapshot is not None else ()

    def trucks(self) -> Sequence[SnapshotTruck]:
        return self.snapshot.trucks if self.snapshot is not None else ()


class ParametersPanel(QWidget):
    """The policy and its parameters, the seed and the run's limits."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parameters_panel")
        u = unit(self)
        self.policy_label = heading("", level=2, name="parameters_policy")
        self.policy_note = muted(QLabel())
        self.policy_note.setWordWrap(True)
        self.form = _form()
        self.form.setHorizontalSpacing(u * 3)
        self.form.setVerticalSpacing(u)
        self.run_form = _form()
        self.run_form.setHorizontalSpacing(u * 3)
        self.run_form.setVerticalSpacing(u)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        layout.setSpacing(u)
        layout.addWidget(self.policy_label)
        layout.addWidget(self.policy_note)
        layout.addSpacing(u)
        layout.addWidget(heading("Parameters", level=3))
        layout.addLayout(self.form)
        layout.addSpacing(u)
        layout.addWidget(heading("Run", level=3))
        layout.addLayout(self.run_form)
        layout.addStretch(1)

    def show_decision(self, view: DecisionView) -> None:
        self.policy_label.setText(f"{POLICY_LABELS.get(view.policy, view.policy)} policy")
        self.policy_note.setText(POLICY_NOTES.get(view.policy, ""))
        _clear(self.form)
        for key, value in sorted(view.parameters.items()):
            self.form.addRow(parameter_name(key), QLabel(parameter_value(value)))
        if not view.parameters:
            self.form.addRow(muted(QLabel("The policy's defaults.")))
        _clear(self.run_form)
        limit = NONE_SHOWN if view.time_limit is None else f"{view.time_limit:g} s"
        rows = (
            ("Seed", NONE_SHOWN if view.seed is None else str(view.seed)),
            ("Time limit", limit),
            ("Iterations", NONE_SHOWN if view.iterations is None else f"{view.iterations:,}"),
            ("Compute time", compute_text(view.computation_ms)),
            ("Confidence", percent(view.confidence)),
            ("Decision type", DECISION_TYPE_LABELS.get(view.decision_type, view.decision_type)),
        )
        for name, value in rows:
            label = QLabel(value)
            label.setObjectName(f"run_{name.lower().replace(' ', '_')}")
            self.run_form.addRow(name, label)

    def values(self) -> dict[str, str]:
        """Every row's label and value, for tests and copying."""
        found: dict[str, str] = {}
        for form in (self.form, self.run_form):
            for row in range(form.rowCount()):
                label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if label is not None and field is not None:
                    found[label.widget().text()] = field.widget().text()  # type: ignore[attr-defined]
        return found
