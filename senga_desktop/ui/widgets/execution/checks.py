"""What the execution dialog checks and says: missing inputs, refused stops, unsaved changes.

The controller's field names locate a problem: ``departed_at`` is a route field,
``stops[2].arrived_at`` the arrival cell of the third row of the stops table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtWidgets import QMessageBox, QWidget

from senga_desktop.controllers.execution_views import RecordedRoute
from senga_desktop.domain import FailureReason, StopResult
from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.widgets.execution.stop_table import StopTableModel

__all__ = ["NEEDED", "missing_inputs", "split_problems", "stop_cell", "unsaved_question"]

_STOP_FIELD = re.compile(r"^stops\[(\d+)\]\.(\w+)$")
NEEDED = "Needed to complete the route."

Cells = dict[tuple[int, int], str]


def stop_cell(field: str) -> tuple[int, int] | None:
    """(row, column) of a stop's field as the controller names it, or ``None``."""
    match = _STOP_FIELD.match(field or "")
    column = StopTableModel.column_of(match.group(2)) if match else None
    if match is None or column is None:
        return None
    return int(match.group(1)), int(column)


def missing_inputs(values: RecordedRoute, model: StopTableModel) -> list[tuple[str, str]]:
    """What must still be entered before the route can be completed: (input, sentence) pairs.

    The controller checks the same when completing; checking here first lets the dialog mark
    everything at once, at each input, without a round trip.
    """
    needs = [
        (field, sentence)
        for field, value, sentence in (
            ("departed_at", values.departed_at, "Enter when the truck left the depot."),
            (
                "departure_odometer_km",
                values.departure_odometer_km,
                "Enter the odometer reading at departure.",
            ),
            ("returned_at", values.returned_at, "Enter when the truck came back to the depot."),
            (
                "return_odometer_km",
                values.return_odometer_km,
                "Enter the odometer reading on return.",
            ),
        )
        if value is None
    ]
    for number, row in enumerate(model.rows):
        name = f"stop {row.stop.sequence} ({row.stop.town})"
        if row.result is None:
            needs.append((f"stops[{number}].result", f"Record what happened at {name}."))
        elif row.result is StopResult.FAILED and row.failure_reason is None:
            needs.append((f"stops[{number}].failure_reason", f"Choose why {name} failed."))
        elif row.failure_reason is FailureReason.OTHER and not row.note.strip():
            needs.append((f"stops[{number}].note", f"Say in the note what went wrong at {name}."))
    return needs


def split_problems(
    errors: Iterable[ValidationError] | SengaError,
) -> tuple[Cells, list[str], list[ValidationError], list[SengaError]]:
    """The problems at stop cells (and their lines for under the table), those at other fields,
    and those at no field."""
    if isinstance(errors, SengaError):
        nested = getattr(errors, "errors", None)
        problems: list[SengaError] = list(nested) if nested else [errors]
    else:
        problems = list(errors)
    cells: Cells = {}
    lines: list[str] = []
    fielded: list[ValidationError] = []
    plain: list[SengaError] = []
    for problem in problems:
        cell = stop_cell(getattr(problem, "field", "") or "")
        if cell is not None:
            cells[cell] = problem.message
            lines.append(f"Stop {cell[0] + 1}: {problem.message}")
        elif isinstance(problem, ValidationError):
            fielded.append(problem)
        else:
            plain.append(problem)
    return cells, list(dict.fromkeys(lines)), fielded, plain


def unsaved_question(parent: QWidget, route_id: str) -> QMessageBox:
    """Save, discard or keep recording: the question asked when closing with unsaved entries."""
    box = QMessageBox(parent)
    box.setObjectName("unsaved_box")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"Save what you entered for route {route_id}?")
    box.setInformativeText("Unsaved entries are lost when the window closes.")
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    return box
