"""Confirming that a route is complete: what it took against the plan, and where failed orders go.

The dialog puts the recorded figures beside the estimates (distance from the odometers, duration
from departure to return, the costs entered) and counts the stops delivered, late and failed.
When a delivery failed it asks what becomes of those orders: back to pending, to be planned again
(the usual case), or cancelled. "Complete route" calls
:func:`~senga_desktop.controllers.execution.complete_route`, which saves the entry and writes the
outcome in one transaction; a refusal that names an input (``stops[2].result``) is handed back to
the execution dialog, which shows it at that input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QRadioButton, QVBoxLayout, QWidget

from senga_desktop.controllers.execution import complete_route
from senga_desktop.controllers.execution_views import ExecutionEntry, ExecutionView
from senga_desktop.domain import OrderStatus, StopResult
from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders.formatting import NONE_SHOWN, plural
from senga_desktop.ui.pages.routes.formatting import duration_text, kes, km
from senga_desktop.ui.style import heading, muted, unit
from senga_desktop.ui.widgets.execution.stop_table import StopRow
from senga_desktop.ui.widgets.form_dialog import FormDialog

__all__ = ["CompleteRouteDialog", "Tally", "change_text", "tally"]

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Tally:
    """The stops by result, and the orders of the failed ones."""

    on_time: int
    late: int
    failed: int
    failed_orders: tuple[str, ...]

    def sentence(self) -> str:
        delivered = self.on_time + self.late
        parts = [f"{plural(delivered, 'stop')} delivered"]
        if self.late:
            parts[0] += f" ({self.late} late)"
        if self.failed:
            parts.append(f"{self.failed} failed")
        return ", ".join(parts) + "."


def tally(rows: Sequence[StopRow]) -> Tally:
    failed = [r for r in rows if r.result is StopResult.FAILED]
    return Tally(
        on_time=sum(r.result is StopResult.DELIVERED for r in rows),
        late=sum(r.result is StopResult.DELIVERED_LATE for r in rows),
        failed=len(failed),
        failed_orders=tuple(o for r in failed for o in r.stop.order_ids),
    )


def change_text(actual: float, estimate: float) -> str:
    """ "+12 %" or "-4 %" (a minus sign) of the estimate; nothing when there was no estimate."""
    if estimate <= 0:
        return NONE_SHOWN
    change = (actual - estimate) / estimate
    sign = "+" if change >= 0 else "\N{MINUS SIGN}"
    return f"{sign}{abs(change):.0%}"


def _minutes(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return int((end - start).total_seconds() // 60)


class CompleteRouteDialog(FormDialog):
    """Shows the actuals against the estimates, asks where failed orders go, and completes."""

    width_chars = 88

    #: The route was completed: the controller's ``CompletedRoute``.
    route_completed = Signal(object)
    #: The controller refused an input of the execution (a ``ValidationError``).
    refused = Signal(object)

    def __init__(
        self,
        *,
        context: AppContext,
        view: ExecutionView,
        entry: ExecutionEntry,
        rows: Sequence[StopRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            context=context,
            name="complete_route_dialog",
            title=f"Complete route {view.route_id}",
            icon_name="mdi6.flag-checkered",
            intro=(
                "The route's outcome is recorded, its orders get their final state and the "
                f"truck {view.vehicle_plate} is available at the depot again."
            ),
            accept_text="Complete route",
            busy_text="Completing…",
            parent=parent,
        )
        self.view = view
        self.entry = entry
        self.tally = tally(rows)
        self.reject_button.setText("Back to recording")
        self.body.addWidget(self._figures())
        self.counts_label = QLabel(self.tally.sentence())
        self.counts_label.setObjectName("complete_counts")
        self.body.addWidget(self.counts_label)
        self.pending_radio = QRadioButton("Back to &pending, to be planned again")
        self.pending_radio.setObjectName("failed_to_pending")
        self.cancel_radio = QRadioButton("&Cancel the orders")
        self.cancel_radio.setObjectName("failed_to_cancelled")
        self.failed_group = QButtonGroup(self)
        self.failed_group.addButton(self.pending_radio)
        self.failed_group.addButton(self.cancel_radio)
        self.pending_radio.setChecked(True)
        if self.tally.failed:
            self.body.addWidget(self._failed_choice())
        self.add_input(self.pending_radio)
        self.add_input(self.cancel_radio)

    def _figures(self) -> QWidget:
        """Estimate, recorded and change for distance, duration and the costs entered."""
        entry, view = self.entry, self.view
        box = QWidget()
        box.setObjectName("complete_figures")
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(unit(self) * 3)
        grid.setVerticalSpacing(unit(self) // 2)
        for column, caption in enumerate(("", "Planned", "Recorded", "Change")):
            label = heading(caption, level=3)
            label.setWordWrap(False)
            grid.addWidget(
                label,
                0,
                column,
                Qt.AlignmentFlag.AlignRight if column else Qt.AlignmentFlag.AlignLeft,
            )
        distance = (
            entry.return_odometer_km - entry.departure_odometer_km
            if entry.return_odometer_km is not None and entry.departure_odometer_km is not None
            else None
        )
        minutes = _minutes(entry.departed_at, entry.returned_at)
        entered = sum(
            (v for v in (entry.fuel_cost_kes, entry.tolls_kes, entry.other_costs_kes) if v),
            ZERO,
        )
        rows = [
            ("Distance", km(view.estimated_distance_km), km(distance),
             change_text(float(distance), float(view.estimated_distance_km))
             if distance is not None else NONE_SHOWN),
            ("Duration", duration_text(view.estimated_duration_minutes), duration_text(minutes),
             change_text(minutes, view.estimated_duration_minutes)
             if minutes is not None else NONE_SHOWN),
            ("Costs entered", kes(view.estimated_cost_kes), kes(entered), ""),
        ]  # fmt: skip
        self.figure_labels: dict[str, tuple[QLabel, ...]] = {}
        for number, (caption, planned, recorded, change) in enumerate(rows, start=1):
            cells = tuple(QLabel(text) for text in (caption, planned, recorded, change))
            for column, cell in enumerate(cells):
                align = Qt.AlignmentFlag.AlignRight if column else Qt.AlignmentFlag.AlignLeft
                grid.addWidget(cell, number, column, align)
            self.figure_labels[caption] = cells
        grid.setColumnStretch(4, 1)
        note = muted(
            QLabel(
                "The route's cost adds the truck's hourly and fixed costs to what was entered "
                "(and its cost per km when no fuel cost was entered)."
            )
        )
        note.setWordWrap(True)
        grid.addWidget(note, len(rows) + 1, 0, 1, 5)
        return box

    def _failed_choice(self) -> QWidget:
        orders = self.tally.failed_orders
        box = QWidget()
        box.setObjectName("failed_choice")
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(unit(self) // 2)
        shown = ", ".join(orders[:6]) + (", …" if len(orders) > 6 else "")
        label = QLabel(f"What becomes of the {plural(len(orders), 'failed order')} ({shown})?")
        label.setObjectName("failed_orders_label")
        label.setWordWrap(True)
        column.addWidget(label)
        column.addWidget(self.pending_radio)
        column.addWidget(self.cancel_radio)
        return box

    @property
    def failed_to(self) -> OrderStatus:
        return OrderStatus.CANCELLED if self.cancel_radio.isChecked() else OrderStatus.PENDING

    def _on_submit(self) -> None:
        call = partial(complete_route, failed_to=self.failed_to)
        self.start(call, self.context.sessions, self.context.require_actor(), self.entry)

    def _on_succeeded(self, result: object) -> None:
        self.route_completed.emit(result)
        self.accept()

    def _on_failed(self, error: SengaError) -> None:
        if isinstance(error, ValidationError) and error.field:
            # An input of the execution is at fault: show it there, not in this summary.
            self.refused.emit(error)
            self.reject()
            return
        self.show_errors(error)
