"""Recording one committed route as it runs: departure, each stop, return, then completing it.

::

    Record route RT-…                                       (truck, planned start, estimates)
    ┌ Departure ─────────────┐ ┌ Return ──────────────────────┐
    │ Left the depot [Now] [x]  │ │ Back at the depot [Now] [x]    │
    │ Odometer        km      │ │ Odometer, fuel, tolls, other │
    └─────────────────────────┘ └──────────────────────────────┘
    Trip notes
    [Arrived now] [Left now] [Delivered]          (act on the stop selected in the table)
    ┌ # Customer Town Orders Window ETA Arrived Left Result Reason Note ┐
    └───────────────────────────────────────────────────────────────────┘
    (what is still needed to complete; a problem with a stop)
    [busy…]                         [Save] [Complete route…] [Close]

Every call goes through the task runner: the route is read when the dialog opens
(:func:`~senga_desktop.controllers.execution.load_execution`), "Save" keeps whatever is entered
(:func:`~.save_execution`) so recording can resume later, and "Complete route…" first lists what
is still missing, inline, then asks for confirmation (:class:`CompleteRouteDialog`). A refused
input is shown at that input: ``departed_at`` under its field, ``stops[2].arrived_at`` as a
marked cell of the third row with the message under the table. Closing with unsaved changes
asks whether to save them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from senga_desktop.controllers.execution import load_execution, save_execution
from senga_desktop.controllers.execution_views import (
    CompletedRoute,
    ExecutionEntry,
    ExecutionView,
)
from senga_desktop.domain import RouteStatus
from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.auth import BusyIndicator
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders.formatting import depot_zone, local_time, plural
from senga_desktop.ui.pages.routes.formatting import duration_text, kes, km
from senga_desktop.ui.settings.page import FieldMessage, Notice
from senga_desktop.ui.style import icon, unit
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.depot_inputs import zone_caption
from senga_desktop.ui.widgets.execution.checks import (
    NEEDED,
    missing_inputs,
    split_problems,
    stop_cell,
    unsaved_question,
)
from senga_desktop.ui.widgets.execution.complete_dialog import CompleteRouteDialog
from senga_desktop.ui.widgets.execution.outcome_note import completed_text
from senga_desktop.ui.widgets.execution.route_fields import RouteFields
from senga_desktop.ui.widgets.execution.stop_editors import (
    ChoiceDelegate,
    StopTableView,
    TimeDelegate,
    now_utc,
    suggested_result,
)
from senga_desktop.ui.widgets.execution.stop_table import (
    REASON_LABELS,
    RESULT_LABELS,
    StopColumn,
    StopTableModel,
)
from senga_desktop.ui.widgets.form_dialog import FormDialog

__all__ = ["ExecutionDialog"]

#: Columns wide enough for their usual content, in average characters.
COLUMN_CHARS = {
    StopColumn.SEQUENCE: 5, StopColumn.CUSTOMER: 26, StopColumn.TOWN: 12,
    StopColumn.ORDERS: 22, StopColumn.WINDOW: 20, StopColumn.ETA: 11, StopColumn.ARRIVED: 12,
    StopColumn.DEPARTED: 12, StopColumn.RESULT: 16, StopColumn.REASON: 20,
}  # fmt: skip
#: The dialog's preferred size, in average characters and lines (kept within the screen).
DIALOG_CHARS, DIALOG_LINES = 180, 42


class ExecutionDialog(FormDialog):
    """Records the execution of one committed route; see the module's sketch."""

    width_chars = 150
    busy_indicator: BusyIndicator
    #: The entry was saved (the controller's ``ExecutionView``).
    saved = Signal(object)
    #: The route was completed (its route id).
    completed = Signal(str)

    def __init__(
        self,
        *,
        context: AppContext,
        route_id: str,
        clock: Callable[[], datetime] = now_utc,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            context=context,
            name="execution_dialog",
            title=f"Record route {route_id}",
            icon_name="mdi6.clipboard-edit-outline",
            intro="Reading the route…",
            accept_text="&Save",
            busy_text="Reading the route…",
            parent=parent,
        )
        self.route_id = route_id
        self.view: ExecutionView | None = None
        self.outcome: CompletedRoute | None = None
        self.active_dialog: CompleteRouteDialog | None = None
        self._operation = ""
        self._close_after_save = False
        zone = depot_zone(context.general.time_zone)
        self.fields = RouteFields(zone=zone, clock=clock)
        self.fields.register(self.errors)
        for widget in self.fields.inputs():
            self.add_input(widget)
        self.model = StopTableModel(zone=zone, parent=self)
        self.table = StopTableView(model=self.model)
        self._build_table(clock)
        self.stops_message = FieldMessage(name="stops_error")
        self.saved_notice = Notice(name="saved_notice")
        self.missing_label = QLabel()
        self.missing_label.setObjectName("missing_label")
        self.missing_label.setWordWrap(True)
        self.missing_box = NoteBox(
            name="missing_box", icon_name="mdi6.clipboard-alert-outline", label=self.missing_label
        )
        self.missing_box.hide()
        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("outcome_label")
        self.outcome_label.setWordWrap(True)
        self.outcome_box = NoteBox(
            name="outcome_box", icon_name="mdi6.flag-checkered", label=self.outcome_label
        )
        self.outcome_box.hide()
        self.body.addWidget(self.fields)
        self.body.addLayout(self._quick_buttons())
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.stops_message)
        self.body.addWidget(self.missing_box)
        self.body.addWidget(self.outcome_box)
        self._layout.setStretchFactor(self.body, 10)
        self.complete_button = self.buttons.addButton(
            "Com&plete route…", self.buttons.ButtonRole.ActionRole
        )
        self.complete_button.setObjectName("complete_button")
        self.complete_button.setAutoDefault(False)
        self.complete_button.setIcon(icon("mdi6.flag-checkered", widget=self))
        self.complete_button.clicked.connect(self._on_complete_clicked)
        self.add_input(self.complete_button)
        self.reject_button.setText("Close")
        # The busy row's neighbour: "Saved 14:05" once a save went through.
        for number in range(self._layout.count()):
            item = self._layout.itemAt(number)
            row = item.layout() if item is not None else None
            if row is not None and row.indexOf(self.busy_indicator) >= 0:
                assert isinstance(row, QHBoxLayout)
                row.insertWidget(0, self.saved_notice)
        self.fields.changed.connect(self._on_edited)
        self.model.dataChanged.connect(self._on_edited)
        self._initial_size()
        self.set_read_only(True)  # until the route is read
        self.load()

    # -- building ---------------------------------------------------------------------------------

    def _build_table(self, clock: Callable[[], datetime]) -> None:
        times = TimeDelegate(model=self.model, clock=clock, parent=self.table)
        self.table.setItemDelegateForColumn(int(StopColumn.ARRIVED), times)
        self.table.setItemDelegateForColumn(int(StopColumn.DEPARTED), times)
        self.table.setItemDelegateForColumn(
            int(StopColumn.RESULT),
            ChoiceDelegate(
                labels=RESULT_LABELS, suggest=suggested_result(self.model), parent=self.table
            ),
        )
        self.table.setItemDelegateForColumn(
            int(StopColumn.REASON), ChoiceDelegate(labels=REASON_LABELS, parent=self.table)
        )
        chars = self.table.fontMetrics().averageCharWidth()
        for column, width in COLUMN_CHARS.items():
            self.table.setColumnWidth(int(column), chars * width)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + unit(self.table) * 3 // 2
        )
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 7)
        self._clock = clock
        self.add_input(self.table)

    def _initial_size(self) -> None:
        width = self.fontMetrics().averageCharWidth() * DIALOG_CHARS
        height = self.fontMetrics().height() * DIALOG_LINES
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:
            width = min(width, screen.width() * 95 // 100)
            height = min(height, screen.height() * 92 // 100)
        self.resize(max(width, self.sizeHint().width()), max(height, self.sizeHint().height()))

    def _quick_buttons(self) -> QHBoxLayout:
        """One click for the usual entries of the selected stop."""
        self.arrived_now_button = QPushButton(
            icon("mdi6.map-marker-check-outline", widget=self), "Arri&ved now"
        )
        self.arrived_now_button.setObjectName("arrived_now_button")
        self.arrived_now_button.setToolTip("The selected stop: the truck arrived just now")
        self.departed_now_button = QPushButton(
            icon("mdi6.truck-fast-outline", widget=self), "Left no&w"
        )
        self.departed_now_button.setObjectName("departed_now_button")
        self.departed_now_button.setToolTip("The selected stop: the truck left just now")
        self.delivered_button = QPushButton(icon("mdi6.check", widget=self), "&Delivered")
        self.delivered_button.setObjectName("delivered_button")
        self.delivered_button.setToolTip(
            "The selected stop was delivered (late if the truck arrived after the window)"
        )
        self.zone_hint = QLabel()
        self.zone_hint.setObjectName("stops_zone_hint")
        row = QHBoxLayout()
        row.setSpacing(unit(self))
        title = QLabel("<b>Stops</b>")
        row.addWidget(title)
        row.addSpacing(unit(self))
        for button in (self.arrived_now_button, self.departed_now_button, self.delivered_button):
            button.setAutoDefault(False)
            row.addWidget(button)
            self.add_input(button)
        row.addStretch(1)
        row.addWidget(self.zone_hint)
        self.arrived_now_button.clicked.connect(lambda: self._set_now(StopColumn.ARRIVED))
        self.departed_now_button.clicked.connect(lambda: self._set_now(StopColumn.DEPARTED))
        self.delivered_button.clicked.connect(self._on_delivered_clicked)
        return row

    # -- calls ------------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the route (again), replacing whatever is shown."""
        self._operation = "load"
        self.busy_indicator.set_text("Reading the route…")
        self.start(
            load_execution, self.context.sessions, self.context.require_actor(), self.route_id
        )

    def save(self, *, close_after: bool = False) -> None:
        """Save what is entered (partial entry is fine); the dialog stays open unless asked."""
        entry = self._entry_or_show()
        if entry is None:
            return
        self._operation = "save"
        self._close_after_save = close_after
        self.busy_indicator.set_text("Saving…")
        self.start(save_execution, self.context.sessions, self.context.require_actor(), entry)

    def entry(self) -> ExecutionEntry:
        """The form as an entry for the controller (a figure that is no number raises)."""
        if self.view is None:
            raise RuntimeError("the route has not been read yet")
        values = self.fields.values()
        return ExecutionEntry(
            route_id=self.view.route_id,
            version=self.view.version,
            departed_at=values.departed_at,
            departure_odometer_km=values.departure_odometer_km,
            returned_at=values.returned_at,
            return_odometer_km=values.return_odometer_km,
            fuel_litres=values.fuel_litres,
            fuel_cost_kes=values.fuel_cost_kes,
            tolls_kes=values.tolls_kes,
            other_costs_kes=values.other_costs_kes,
            notes=values.notes,
            stops=self.model.entries(),
        )

    def _entry_or_show(self) -> ExecutionEntry | None:
        try:
            return self.entry()
        except ValidationError as error:
            self.show_errors([error])
            return None

    def _on_submit(self) -> None:
        self.save()

    def _on_succeeded(self, result: ExecutionView) -> None:
        operation, self._operation = self._operation, ""
        self.show_view(result)
        if operation == "save":
            when = local_time(now_utc(), depot_zone(result.time_zone)).split(" ")[-1]
            self.saved_notice.show_message(f"Saved {when}.")
            self.saved.emit(result)
            if self._close_after_save:
                self._close_after_save = False
                self.accept()

    def _on_failed(self, error: SengaError) -> None:
        self._close_after_save = False
        if self._operation == "load":
            self.set_intro("")
        self._operation = ""
        self.show_errors(error)

    # -- showing ----------------------------------------------------------------------------------

    def show_view(self, view: ExecutionView) -> None:
        """Show the route as the controller read or saved it: the new unchanged state."""
        self.view = view
        zone = depot_zone(view.time_zone)
        self.fields.set_zone(zone)
        self.fields.set_values(view.recorded)
        self._saved_values = self.fields.values()
        self.model.set_stops(view.stops, zone=zone)
        self.zone_hint.setText(f"Times in {zone_caption(zone)}")
        self.set_intro(self._facts(view))
        self.errors.clear()
        self.stops_message.clear_message()
        self.missing_box.hide()
        done = view.status is RouteStatus.COMPLETED
        self.heading_label.setText(
            f"Route {view.route_id} (completed)" if done else f"Record route {view.route_id}"
        )
        self.set_read_only(done)
        if done and self.outcome is None:
            self.outcome_label.setText(
                f"Completed; its outcome is {view.outcome_id or 'recorded'}."
            )
            self.outcome_box.show()
        if self.table.currentIndex().row() < 0 and view.stops:
            self.table.setCurrentIndex(self.model.index(0, int(StopColumn.ARRIVED)))

    def _facts(self, view: ExecutionView) -> str:
        zone = depot_zone(view.time_zone)
        stops = plural(len(view.stops), "stop")
        return (
            f"{view.vehicle_plate} ({view.vehicle_type}) · planned to leave "
            f"{local_time(view.planned_start, zone)} · {stops} · estimated "
            f"{km(view.estimated_distance_km)}, {duration_text(view.estimated_duration_minutes)}, "
            f"{kes(view.estimated_cost_kes)}"
        )

    def set_read_only(self, read_only: bool) -> None:
        self.fields.set_read_only(read_only)
        self.model.set_read_only(read_only)
        for widget in (self.accept_button, self.complete_button, self.arrived_now_button,
                       self.departed_now_button, self.delivered_button):  # fmt: skip
            widget.setVisible(not read_only or self.view is None)
            widget.setEnabled(not read_only)

    def _after_busy(self) -> None:
        # Re-enabling the inputs after a call must not undo the read-only state.
        self.set_read_only(self.view is None or self.view.status is RouteStatus.COMPLETED)

    def show_errors(self, errors: Iterable[ValidationError] | SengaError) -> None:
        """Route fields under their inputs; a stop's problems at its cell and under the table."""
        cells, lines, fielded, plain = split_problems(errors)
        super().show_errors(fielded)
        for problem in plain:
            self.form_message.show_message(problem.message)
        self.model.set_errors(cells)
        self.stops_message.show_message("\n".join(dict.fromkeys(lines)))
        if cells and not fielded:
            first_row, first_column = min(cells)
            self.table.setCurrentIndex(self.model.index(first_row, first_column))
            self.table.setFocus()
        self.fit_height()

    # -- slots ------------------------------------------------------------------------------------

    def _on_edited(self, *_args: object) -> None:
        self.saved_notice.clear_message()

    def _current_row(self) -> int | None:
        index: QModelIndex = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def _set_now(self, column: StopColumn) -> None:
        row = self._current_row()
        if row is not None:
            self.model.set_value(row, column, self._clock())

    def _on_delivered_clicked(self) -> None:
        row = self._current_row()
        if row is not None:
            self.model.set_value(row, StopColumn.RESULT, suggested_result(self.model)(row))

    def _on_complete_clicked(self) -> None:
        if self.view is None or self.busy:
            return
        entry = self._entry_or_show()
        if entry is None:
            return
        missing = missing_inputs(self.fields.values(), self.model)
        if missing:
            self._show_missing(missing)
            return
        self.missing_box.hide()
        dialog = CompleteRouteDialog(
            context=self.context, view=self.view, entry=entry, rows=self.model.rows, parent=self
        )
        dialog.route_completed.connect(self._on_route_completed)
        dialog.refused.connect(self.show_errors)
        dialog.finished.connect(self._on_complete_dialog_finished)
        self.active_dialog = dialog
        dialog.open()

    def _show_missing(self, missing: list[tuple[str, str]]) -> None:
        """Each missing input marked where it goes, and the whole list in one box."""
        cells: dict[tuple[int, int], str] = {}
        fields: list[ValidationError] = []
        for field, sentence in missing:
            cell = stop_cell(field)
            if cell is not None:
                cells[cell] = sentence
            else:
                fields.append(ValidationError(field, NEEDED))
        self.errors.show(fields)
        self.model.set_errors(cells)
        self.stops_message.clear_message()
        bullets = "\n".join(f"\N{BULLET} {sentence}" for _, sentence in missing)
        self.missing_label.setText(f"Before the route can be completed:\n{bullets}")
        self.missing_box.show()
        if cells and not fields:
            self.table.setCurrentIndex(self.model.index(*min(cells)))
            self.table.setFocus()
        self.fit_height()

    def _on_complete_dialog_finished(self, _result: int) -> None:
        dialog, self.active_dialog = self.active_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _on_route_completed(self, outcome: CompletedRoute) -> None:
        self.outcome = outcome
        self.outcome_label.setText(completed_text(outcome))
        self.outcome_box.show()
        self.saved_notice.clear_message()
        self.completed.emit(outcome.route_id)
        self.load()  # the route as completed, read only

    # -- closing ----------------------------------------------------------------------------------

    def is_modified(self) -> bool:
        if self.view is None or self.view.status is RouteStatus.COMPLETED:
            return False
        try:
            values = self.fields.values()
        except ValidationError:
            return True
        return values != self._saved_values or self.model.is_modified()

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save, discard or keep recording: the dispatcher decides (a modal question)."""
        box = unsaved_question(self, self.route_id)
        return QMessageBox.StandardButton(box.exec())

    def reject(self) -> None:
        if self.busy or not self.is_modified():
            super().reject()
            return
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            self.save(close_after=True)
        elif answer == QMessageBox.StandardButton.Discard:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not event.spontaneous():
            # Closed by the program (signing out, quitting): no question that could block it.
            self.done(QDialog.DialogCode.Rejected)
            event.accept()
            return
        # The window's close button: the same question as Close and Escape.
        event.ignore()
        self.reject()
