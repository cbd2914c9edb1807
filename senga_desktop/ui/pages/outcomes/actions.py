"""The Outcomes screen's commands: Import outcomes… and Export….

Import opens the import window every import shares
(:class:`~senga_desktop.ui.widgets.import_preview.ImportPreviewDialog`) over the outcomes import
(:mod:`senga_desktop.controllers.imports.outcomes`): a preview naming each bad row and column,
then every row completed or none. Export writes every recorded outcome to CSV or Excel
(:func:`~senga_desktop.controllers.outcome_export.export_outcomes`), in the import's columns
first, so the file imports again. Each ends in a sentence: :attr:`OutcomeActions.done` (with
:attr:`~OutcomeActions.imported` first after an import) or :attr:`~OutcomeActions.failed`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from senga_desktop.controllers.exports import ExportResult
from senga_desktop.controllers.imports import ImportResult
from senga_desktop.controllers.imports import template_path as bundled_template
from senga_desktop.controllers.imports.outcomes import commit_outcomes, preview_outcomes
from senga_desktop.controllers.outcome_export import export_outcomes
from senga_desktop.errors import SengaError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders.formatting import plural
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.import_preview import ImportPreviewDialog, ImportSpec
from senga_desktop.ui.widgets.list_controls import PageActions

__all__ = ["EXPORT_FILTERS", "OUTCOME_IMPORT", "OutcomeActions"]

OUTCOME_IMPORT = ImportSpec(
    title="Import outcomes",
    singular="outcome",
    plural="outcomes",
    preview=preview_outcomes,
    commit=commit_outcomes,
    template=lambda: bundled_template("outcomes"),
    intro=(
        "Choose a CSV or Excel file with one row per route that has run: route_id, "
        "actual_distance_km, actual_duration_minutes, actual_cost_kes and the orders delivered, "
        "late and failed (failed_orders names the failed ones; departed_at, returned_at, "
        "fuel_litres and notes if you have them). Each route is completed with its outcome and "
        "failed orders go back to pending. Nothing is written until you press Import, and then "
        "every row is imported or none."
    ),
    icon_name="mdi6.clipboard-arrow-down-outline",
)
CSV_FILTER = "CSV file (*.csv)"
XLSX_FILTER = "Excel workbook (*.xlsx)"
EXPORT_FILTERS = f"{CSV_FILTER};;{XLSX_FILTER}"


class OutcomeActions(PageActions):
    """Import outcomes… and Export…, with the dialogs and background calls they start."""

    #: Outcomes were imported (the ``ImportResult``): the screen reads its lists again.
    imported = Signal(object)
    #: Something finished: a sentence for the screen's notice.
    done = Signal(str)
    #: A command was refused or failed: the reason, for the screen's problem box.
    failed = Signal(str)

    def __init__(self, *, context: AppContext, parent: QWidget) -> None:
        super().__init__(context=context, parent=parent)
        self.import_ = self._action(
            "import_outcomes",
            "&Import outcomes…",
            "mdi6.file-import-outline",
            self._on_import_triggered,
        )
        self.import_.setToolTip("Complete routes from a CSV or Excel file of their outcomes")
        self.export = self._action(
            "export_outcomes", "&Export…", "mdi6.file-export-outline", self._on_export_triggered
        )
        self.export.setToolTip("Write every recorded outcome to CSV or Excel")

    # -- asking the user (tests replace this) ---------------------------------------------------

    def ask_save_path(self, caption: str, name: str, filters: str) -> tuple[str, str]:
        return QFileDialog.getSaveFileName(self._parent, caption, name, filters)

    # -- import ---------------------------------------------------------------------------------

    def _on_import_triggered(self) -> None:
        dialog = ImportPreviewDialog(context=self.context, spec=OUTCOME_IMPORT, parent=self._parent)
        dialog.imported.connect(self._on_imported)
        self._open_dialog(dialog)

    def _on_imported(self, result: ImportResult) -> None:
        text = f"Imported {plural(result.written, 'outcome')}"
        if result.keys:
            text += f" ({result.keys[0]} to {result.keys[-1]})"
        if result.dropped:
            text += f"; {plural(result.dropped, 'bad row')} left out"
        self.imported.emit(result)
        self.done.emit(f"{text}. Their routes are completed.")

    # -- export ---------------------------------------------------------------------------------

    def _on_export_triggered(self) -> None:
        name = f"outcomes-{date.today():%Y-%m-%d}.csv"
        path, chosen = self.ask_save_path("Export the outcomes", name, EXPORT_FILTERS)
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            target = target.with_name(target.name + (".xlsx" if chosen == XLSX_FILTER else ".csv"))
        self.export_to(target)

    def export_to(self, target: Path) -> None:
        """Write every recorded outcome to ``target`` (.csv or .xlsx), in the background."""
        self.context.runner.run(
            export_outcomes,
            self.context.sessions,
            self.context.require_actor(),
            target,
            on_success=self._on_exported,
            on_failure=self._on_failure,
        )

    def _on_exported(self, result: ExportResult) -> None:
        self.done.emit(f"Exported {plural(result.rows, 'outcome')} to {result.path}.")

    def _on_failure(self, exc: BaseException) -> None:
        if isinstance(exc, SengaError):
            self.failed.emit(exc.message)
        elif isinstance(exc, OSError):
            self.failed.emit(f"The file could not be written: {exc.strerror or exc}.")
        else:
            report_unexpected(exc)
