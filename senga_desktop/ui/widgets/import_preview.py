"""The import window every import shares: choose a file, see every row and its problems, import.

Built over the shared import controllers (:mod:`senga_desktop.controllers.imports`), not over any
one kind of record. A screen describes its import with an :class:`ImportSpec` (its preview and
commit controllers, its template, its nouns) and opens :class:`ImportPreviewDialog`::

    spec = ImportSpec(
        title="Import orders", singular="order", plural="orders",
        preview=preview_orders, commit=commit_orders,
        template=lambda: template_path("orders"),
    )
    dialog = ImportPreviewDialog(context=context, spec=spec, parent=page)
    dialog.imported.connect(page.show_import_result)   # an ImportResult
    dialog.open()

The preview controller is called as ``preview(sessions, actor, path)`` and the commit as
``commit(sessions, actor, preview, drop_bad_rows=...)``, both through the task runner. Nothing is
written until Import is pressed, and then every row or none: Import stays disabled while any row
has a problem unless "Skip the N bad rows" is ticked. Problems name the row as the spreadsheet
numbers it (the header is row 1), the column as headed in the file, and what is wrong.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import qtawesome as qta
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.imports import CellError, ImportPreview, ImportResult
from senga_desktop.errors import SengaError
from senga_desktop.ui.auth import BusyIndicator, make_primary
from senga_desktop.ui.context import APPLICATION_NAME, AppContext
from senga_desktop.ui.settings.page import FieldMessage, WrappedLabel, hint_label
from senga_desktop.ui.style import error_color, heading, icon, icon_label, muted, unit
from senga_desktop.ui.tasks import report_unexpected

__all__ = ["ImportPreviewDialog", "ImportPreviewModel", "ImportProblemsModel", "ImportSpec"]

FILE_FILTER = "Spreadsheets (*.csv *.xlsx);;All files (*)"
NO_FILE = "No file chosen yet. Start from the template if you have no file in this layout."
#: The dialog's first size, in average characters by lines of text.
DIALOG_CHARS = 150
DIALOG_LINES = 46


AnyIndex = QModelIndex | QPersistentModelIndex
_ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def _tint(widget: QWidget | None) -> QColor:
    """A faint wash of the error colour for cells with problems (light and dark palettes)."""
    colour = QColor(error_color(widget) if widget is not None else "#b3261e")
    colour.setAlpha(48)
    return colour


class ImportPreviewModel(QAbstractTableModel):
    """Every row of the file as read: its spreadsheet row number, then its cells as text.

    Cells with a problem are tinted and explain it in their tooltip; the row number cell carries
    an icon (ready / has problems) and every problem of the row. Columns no import column matched
    are marked "(not imported)".
    """

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view_parent = parent
        self._preview: ImportPreview[Any] | None = None
        self._headers: tuple[str, ...] = ()
        self._ignored: frozenset[str] = frozenset()
        self._cell_problems: dict[tuple[int, str], list[str]] = {}
        self._row_of_number: dict[int, int] = {}
        self._icons: dict[bool, QIcon] = {}

    def set_preview(self, preview: ImportPreview[Any] | None) -> None:
        self.beginResetModel()
        self._preview = preview
        self._headers = preview.headers if preview else ()
        self._ignored = frozenset(preview.ignored_columns) if preview else frozenset()
        self._cell_problems = {}
        self._row_of_number = {}
        for index, row in enumerate(preview.rows if preview else ()):
            self._row_of_number[row.number] = index
            for problem in row.problems:
                self._cell_problems.setdefault((index, problem.column), []).append(problem.message)
        self.endResetModel()

    def row_of_number(self, number: int) -> int | None:
        """The model row showing spreadsheet row ``number``."""
        return self._row_of_number.get(number)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._preview is None else len(self._preview.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._preview is None else len(self._headers) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section <= len(self._headers):
            return None
        header = self._headers[section - 1] if section else ""
        if role == Qt.ItemDataRole.DisplayRole:
            if not section:
                return "Row"
            return f"{header} (not imported)" if header in self._ignored else header
        if role == Qt.ItemDataRole.ToolTipRole and header in self._ignored:
            return "No column of this import has this name: its values are not imported."
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._preview is None:
            return None
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._preview.rows) or not 0 <= column <= len(self._headers):
            return None
        item = self._preview.rows[row]
        if column == 0:
            return self._row_data(item, role)
        problems = self._cell_problems.get((row, self._headers[column - 1]))
        if role == Qt.ItemDataRole.DisplayRole:
            return item.cells[column - 1] if column - 1 < len(item.cells) else ""
        if role == Qt.ItemDataRole.ToolTipRole and problems:
            return "\n".join(problems)
        if role == Qt.ItemDataRole.BackgroundRole and problems:
            return _tint(self._view_parent)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN
        return None

    def _row_data(self, item: Any, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(item.number)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(bool(item.ok))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Ready to import" if item.ok else "\n".join(str(p) for p in item.problems)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN
        return None

    def _icon(self, ok: bool) -> QIcon:
        if ok not in self._icons:
            colour = None if ok else error_color(self._view_parent) if self._view_parent else None
            name = "mdi6.check-circle-outline" if ok else "mdi6.alert-circle-outline"
            self._icons[ok] = (
                qta.icon(name, color=colour) if colour else icon(name, widget=self._view_parent)
            )
        return self._icons[ok]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class ImportProblemsModel(QAbstractTableModel):
    """The problems, one a row: the spreadsheet row, the column as headed in the file (with its
    letter in a spreadsheet), and what is wrong."""

    HEADERS = ("Row", "Column", "Problem")

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problems: tuple[CellError, ...] = ()

    def set_problems(self, problems: tuple[CellError, ...]) -> None:
        self.beginResetModel()
        self._problems = problems
        self.endResetModel()

    def problem(self, row: int) -> CellError | None:
        return self._problems[row] if 0 <= row < len(self._problems) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        problem = self.problem(index.row()) if index.isValid() else None
        if problem is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                return str(problem.row)
            if index.column() == 1:
                if not problem.column:
                    return "(whole row)"
                return f"{problem.column} ({problem.letter})" if problem.letter else problem.column
            return problem.message
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


@dataclass(frozen=True, slots=True)
class ImportSpec:
    """What an :class:`ImportPreviewDialog` imports, and how to call its controllers."""

    title: str
    singular: str
    plural: str
    #: ``preview(sessions, actor, path) -> ImportPreview``: reads and checks, writes nothing.
    preview: Callable[..., ImportPreview[Any]]
    #: ``commit(sessions, actor, preview, *, drop_bad_rows) -> ImportResult``: all or nothing.
    commit: Callable[..., ImportResult]
    #: The bundled template's path (``None``: no "Download template" button).
    template: Callable[[], Path] | None = None
    intro: str = ""
    icon_name: str = "mdi6.file-import-outline"

    def count(self, n: int) -> str:
        return f"{n:,} {self.singular if n == 1 else self.plural}"


class ImportPreviewDialog(QDialog):
    """Choose a file → preview every row with its problems → import all (or the good) rows."""

    #: The import was written (an ``ImportResult``); the dialog then closes.
    imported = Signal(object)
    #: A file was read and checked (an ``ImportPreview``).
    previewed = Signal(object)

    def __init__(
        self, *, context: AppContext, spec: ImportSpec, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.context = context
        self.spec = spec
        self.setWindowTitle(f"{spec.title} \N{EM DASH} {APPLICATION_NAME}")
        self.setModal(True)
        #: The file shown, its preview, and the import's result once written.
        self.path: Path | None = None
        self.preview: ImportPreview[Any] | None = None
        self.result: ImportResult | None = None
        self._refused = False
        self._request_id: int | None = None
        u = unit(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 3, u * 3, u * 3, u * 5 // 2)
        layout.setSpacing(u * 3 // 2)
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_file_row())
        self.summary_label = WrappedLabel()
        self.summary_label.setObjectName("summary_label")
        self.summary_label.hide()
        layout.addWidget(self.summary_label)
        layout.addWidget(self._build_tables(), 1)
        self.skip_box = QCheckBox()
        self.skip_box.setObjectName("skip_box")
        layout.addWidget(self.skip_box)
        self.form_message = FieldMessage(name="form_message")
        layout.addWidget(self.form_message)
        self.notice_label = muted(WrappedLabel())
        self.notice_label.setObjectName("notice_label")
        layout.addWidget(self.notice_label)
        layout.addLayout(self._build_buttons())

        self.choose_button.clicked.connect(self.choose_file)
        self.recheck_button.clicked.connect(self._on_recheck_clicked)
        self.template_button.clicked.connect(self.download_template)
        self.skip_box.toggled.connect(self._on_skip_toggled)
        self.import_button.clicked.connect(self.import_rows)
        self.cancel_button.clicked.connect(self.reject)
        self.problems_table.selectionModel().currentRowChanged.connect(self._on_problem_chosen)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(QSize(chars * DIALOG_CHARS, self.fontMetrics().height() * DIALOG_LINES))
        self._show_preview(None)

    def _build_header(self) -> QHBoxLayout:
        u = unit(self)
        spec = self.spec
        titles = QVBoxLayout()
        titles.setSpacing(u // 2)
        titles.addWidget(heading(spec.title, level=2, name="dialog_heading"))
        titles.addWidget(
            hint_label(
                spec.intro
                or f"Choose a CSV or Excel file of {spec.plural}. Nothing is written until you "
                "press Import, and then every row is imported or none."
            )
        )
        header = QHBoxLayout()
        header.setSpacing(u * 2)
        symbol = icon_label(icon(spec.icon_name, accent=True, widget=self), u * 5)
        header.addWidget(symbol, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(titles, 1)
        return header

    def _build_file_row(self) -> QHBoxLayout:
        """The file shown (or "no file yet"), Choose file…, Check again, Download template…."""
        self.file_label = QLabel(NO_FILE)
        self.file_label.setObjectName("file_label")
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = self._button(
            "choose_button", "Choose file…", "mdi6.folder-open-outline"
        )
        self.recheck_button = self._button("recheck_button", "Check again", "mdi6.refresh")
        self.recheck_button.setToolTip("Read the file again, after fixing it in the spreadsheet.")
        self.template_button = self._button(
            "template_button", "Download template…", "mdi6.download-outline"
        )
        self.template_button.setVisible(self.spec.template is not None)
        files = QHBoxLayout()
        files.setSpacing(unit(self))
        files.addWidget(self.file_label, 1)
        for button in (self.choose_button, self.recheck_button, self.template_button):
            files.addWidget(button)
        return files

    def _build_tables(self) -> QSplitter:
        """Every row of the file above, the list of problems below."""
        u = unit(self)
        self.preview_model = ImportPreviewModel(parent=self)
        self.problems_model = ImportProblemsModel(parent=self)
        self.preview_table = self._table("preview_table", self.preview_model)
        self.problems_table = self._table("problems_table", self.problems_model)
        self.problems_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        self.problems_title = heading("Problems", level=3, name="problems_title")
        problems = QWidget()
        problems_layout = QVBoxLayout(problems)
        problems_layout.setContentsMargins(0, u, 0, 0)
        problems_layout.setSpacing(u // 2)
        problems_layout.addWidget(self.problems_title)
        problems_layout.addWidget(self.problems_table)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.preview_table)
        self.splitter.addWidget(problems)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        return self.splitter

    def _build_buttons(self) -> QHBoxLayout:
        self.busy_indicator = BusyIndicator(text="Reading the file…")
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("import_button")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.import_button, self.cancel_button):
            button.setAutoDefault(False)
        make_primary(self.import_button, source=self.palette())
        bottom = QHBoxLayout()
        bottom.setSpacing(unit(self) * 2)
        bottom.addWidget(self.busy_indicator, 1)
        bottom.addWidget(self.buttons)
        return bottom

    def _button(self, name: str, text: str, icon_name: str) -> QPushButton:
        button = QPushButton(icon(icon_name, widget=self), text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    @staticmethod
    def _table(name: str, model: Any) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setMinimumSectionSize(table.fontMetrics().averageCharWidth() * 6)
        return table

    # -- public ---------------------------------------------------------------------------------

    def choose_file(self) -> None:
        """Ask for a file and preview it."""
        path = self.ask_open_path()
        if path:
            self.load_file(Path(path))

    def ask_open_path(self) -> str:
        """The file dialog (tests replace this method)."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            f"{self.spec.title}: choose a file",
            str(self.path.parent if self.path else ""),
            FILE_FILTER,
        )
        return path

    def ask_save_path(self, name: str) -> str:
        """The save dialog for the template (tests replace this method)."""
        path, _ = QFileDialog.getSaveFileName(self, "Save the template", name, FILE_FILTER)
        return path

    def load_file(self, path: Path) -> None:
        """Read and check ``path`` in the background; the preview replaces the previous one."""
        self.path = path
        self.file_label.setText(str(path))
        self.file_label.setToolTip(str(path))
        self._clear_messages()
        self.busy_indicator.set_text("Reading the file…")
        self._run(
            self.spec.preview,
            self.context.sessions,
            self.context.require_actor(),
            path,
            on_success=self._on_previewed,
            on_failure=self._on_preview_failed,
        )

    def import_rows(self) -> None:
        """Write the previewed rows (the good ones only, if "Skip" is ticked)."""
        if self.preview is None or not self.import_button.isEnabled():
            return
        self._clear_messages()
        self.busy_indicator.set_text(f"Importing {self.spec.plural}…")
        commit = partial(self.spec.commit, drop_bad_rows=self.skip_box.isChecked())
        self._run(
            commit,
            self.context.sessions,
            self.context.require_actor(),
            self.preview,
            on_success=self._on_imported,
            on_failure=self._on_import_failed,
        )

    def download_template(self) -> None:
        if self.spec.template is None:
            return
        source = self.spec.template()
        target = self.ask_save_path(source.name)
        if target:
            self.save_template(Path(target))

    def save_template(self, target: Path) -> None:
        """Copy the bundled template to ``target``."""
        if self.spec.template is None:
            return
        self._clear_messages()
        self._run(
            shutil.copyfile,
            self.spec.template(),
            target,
            on_success=self._on_template_saved,
            on_failure=self._on_template_failed,
        )

    # -- running --------------------------------------------------------------------------------

    def _run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        self._set_busy(True)

        def succeeded(result: Any) -> None:
            self._request_id = None
            self._set_busy(False)
            on_success(result)

        def failed(exc: BaseException) -> None:
            self._request_id = None
            self._set_busy(False)
            on_failure(exc)

        runner = self.context.runner
        request = runner.run(fn, *args, on_success=succeeded, on_failure=failed)
        self._request_id = request if runner.is_pending(request) else None

    def _set_busy(self, busy: bool) -> None:
        self.busy_indicator.setVisible(busy)
        for button in (
            self.choose_button,
            self.recheck_button,
            self.template_button,
            self.skip_box,
        ):
            button.setEnabled(not busy)
        self._update_import_button(busy=busy)

    def done(self, result: int) -> None:
        if self._request_id is not None:
            self.context.runner.discard(self._request_id)
            self._request_id = None
        super().done(result)

    # -- results --------------------------------------------------------------------------------

    def _on_previewed(self, preview: ImportPreview[Any]) -> None:
        self._refused = False
        self._show_preview(preview)
        self.previewed.emit(preview)

    def _on_preview_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self._show_preview(None)
        self.form_message.show_message(str(exc))

    def _on_imported(self, result: ImportResult) -> None:
        self.result = result
        self.imported.emit(result)
        self.accept()

    def _on_import_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.form_message.show_message(str(exc))
        problems = getattr(exc, "problems", ())
        if problems:  # the refusal's own reasons (e.g. the data changed since the preview)
            self._refused = True
            self._show_problems(tuple(problems))
        self._update_import_button()

    def _on_template_saved(self, path: str | Path) -> None:
        self.notice_label.setText(f"Template saved as {path}.")

    def _on_template_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, OSError | SengaError):
            report_unexpected(exc)
            return
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.form_message.show_message(f"The template could not be saved: {reason}.")

    # -- showing --------------------------------------------------------------------------------

    def _clear_messages(self) -> None:
        self.form_message.clear_message()
        self.notice_label.setText("")

    def _show_preview(self, preview: ImportPreview[Any] | None) -> None:
        self.preview = preview
        self.preview_model.set_preview(preview)
        self._show_problems(preview.problems if preview else ())
        self.recheck_button.setVisible(self.path is not None)
        spec = self.spec
        self.summary_label.setText(self._summary(preview))
        self.summary_label.setVisible(preview is not None)
        bad, good = (preview.bad, preview.good) if preview else (0, 0)
        self.skip_box.blockSignals(True)
        self.skip_box.setChecked(False)
        self.skip_box.blockSignals(False)
        self.skip_box.setVisible(bool(preview and bad and good and not preview.file_problems))
        self.skip_box.setText(
            f"Skip the {bad:,} bad row{'s' * (bad != 1)} and import the other {spec.count(good)}"
        )
        self.preview_table.resizeColumnsToContents()
        self._update_import_button()

    @staticmethod
    def _summary(preview: ImportPreview[Any] | None) -> str:
        if preview is None:
            return ""
        if preview.file_problems:
            return f"The header row of {preview.source} needs fixing before any row can be read."
        text = (
            f"{preview.total:,} row{'s' * (preview.total != 1)} in {preview.source}: "
            f"{preview.good:,} ready, {preview.bad:,} with problems."
        )
        if preview.ignored_columns:
            ignored = ", ".join(preview.ignored_columns)
            text += f" Columns not recognised, so not imported: {ignored}."
        return text

    def _show_problems(self, problems: tuple[CellError, ...]) -> None:
        self.problems_model.set_problems(problems)
        self.problems_title.setText(f"Problems ({len(problems):,})" if problems else "No problems")
        self.problems_table.resizeColumnToContents(0)
        self.problems_table.resizeColumnToContents(1)

    def _update_import_button(self, *, busy: bool = False) -> None:
        preview = self.preview
        ready = 0
        usable = preview is not None and not preview.file_problems and not self._refused
        if usable and (preview.bad == 0 or self.skip_box.isChecked()):  # type: ignore[union-attr]
            ready = preview.good  # type: ignore[union-attr]
        self.import_button.setEnabled(ready > 0 and not busy)
        self.import_button.setText(f"Import {self.spec.count(ready)}" if ready else "Import")
        if preview is not None and preview.bad and not self.skip_box.isChecked():
            self.import_button.setToolTip(
                "Some rows have problems: fix them in the file and check again, or skip them."
            )
        else:
            self.import_button.setToolTip("")

    def _on_skip_toggled(self, _checked: bool) -> None:
        self._update_import_button()

    def _on_recheck_clicked(self) -> None:
        if self.path is not None:
            self.load_file(self.path)

    def _on_problem_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        problem = self.problems_model.problem(current.row()) if current.isValid() else None
        row = self.preview_model.row_of_number(problem.row) if problem else None
        if row is not None:
            self.preview_table.selectRow(row)
            self.preview_table.scrollTo(self.preview_model.index(row, 0))
