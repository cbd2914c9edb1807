"""The import preview every import shares: rows, their parsed values and problems, and counts.

An import of any kind (orders, customers, trucks) is:

1. :func:`~senga_desktop.controllers.imports.table.read_table` and
   :func:`~senga_desktop.controllers.imports.columns.resolve_columns`;
2. for each row, a parse function reading typed values through a :class:`RowCells` (which
   collects a :class:`CellError` per bad cell) and validating them, all without writing;
3. :func:`build_preview` → an :class:`ImportPreview` the screen shows;
4. a commit that takes :func:`rows_to_write` (refusing when any row is bad unless bad rows are
   dropped explicitly), re-validates against the database and writes everything in one unit of
   work, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, tzinfo
from decimal import Decimal
from typing import Generic, TypeVar

from senga_desktop.controllers.imports.columns import CellError, ColumnMap
from senga_desktop.controllers.imports.table import Cell, Table, TableRow
from senga_desktop.controllers.imports.values import (
    CellValueError,
    cell_text,
    is_blank,
    parse_datetime,
    parse_decimal,
    parse_float,
    parse_int,
    parse_text,
    parse_time_of_day,
)
from senga_desktop.errors import SengaError, ValidationError

__all__ = [
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "PreviewRow",
    "RowCells",
    "build_preview",
    "column_texts",
    "rows_to_write",
]

T = TypeVar("T")
V = TypeVar("V")


class ImportRefused(SengaError):
    """Nothing was imported; ``problems`` says which cells to fix."""

    def __init__(self, message: str, problems: Sequence[CellError] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class RowCells:
    """One row's cells by column name; reading a bad cell records a problem and gives ``None``.

    Reading every column even after a problem is deliberate: the user sees all of a row's
    problems at once.
    """

    def __init__(self, row: TableRow, columns: ColumnMap, labels: dict[str, str]) -> None:
        self.row_number = row.number
        self._row = row
        self._columns = columns
        self._labels = labels
        self.problems: list[CellError] = []
        #: Columns whose cell could not be read: later checks on them would only repeat that.
        self.failed: set[str] = set()
        if len(row.cells) > len(columns.headers) and any(
            not is_blank(c) for c in row.cells[len(columns.headers) :]
        ):
            self.problem("", "this row has more values than the header has columns.")

    def raw(self, name: str) -> Cell:
        index = self._columns.positions.get(name)
        if index is None or index >= len(self._row.cells):
            return None
        return self._row.cells[index]

    def problem(self, name: str, message: str) -> None:
        """Record a problem in column ``name`` ("" for the whole row)."""
        self.failed.add(name)
        self.problems.append(self._columns.error(self.row_number, name, message))

    def add(self, errors: Iterable[ValidationError]) -> None:
        """Record validation errors whose ``field`` is a column name, except on columns whose
        cell could not be read (their placeholder values would give misleading messages)."""
        for error in [e for e in errors if e.field not in self.failed]:
            self.problem(error.field, error.message)

    def read(self, name: str, parse: Callable[[Cell], V], *, required: bool = False) -> V | None:
        value = self.raw(name)
        if is_blank(value):
            if required:
                label = self._labels.get(name, name)
                self.problem(name, f"{label[:1].upper()}{label[1:]} is missing.")
            return None
        try:
            return parse(value)
        except CellValueError as exc:
            self.problem(name, str(exc))
            return None

    def text(self, name: str, *, required: bool = False) -> str | None:
        return self.read(name, parse_text, required=required)

    def decimal(self, name: str, *, required: bool = False) -> Decimal | None:
        return self.read(name, parse_decimal, required=required)

    def number(self, name: str, *, required: bool = False) -> float | None:
        return self.read(name, parse_float, required=required)

    def integer(self, name: str, *, required: bool = False) -> int | None:
        return self.read(name, parse_int, required=required)

    def moment(
        self, name: str, zone: tzinfo, *, required: bool = False, end_of_day: bool = False
    ) -> datetime | None:
        return self.read(
            name, lambda v: parse_datetime(v, zone, end_of_day=end_of_day), required=required
        )

    def time_of_day(self, name: str, *, required: bool = False) -> time | None:
        return self.read(name, parse_time_of_day, required=required)


@dataclass(frozen=True, slots=True)
class PreviewRow(Generic[T]):
    """A row as the preview shows it: its cells as text, what was read, what is wrong."""

    number: int
    cells: tuple[str, ...]
    value: T | None
    problems: tuple[CellError, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and self.value is not None


@dataclass(frozen=True, slots=True)
class ImportPreview(Generic[T]):
    """Everything an import would write, checked but not written.

    ``file_problems`` are header problems that make every row unusable. ``ignored_columns`` are
    headers no column matched (worth a warning: a misspelt optional column is otherwise lost).
    """

    kind: str
    source: str
    columns: ColumnMap
    rows: tuple[PreviewRow[T], ...]
    file_problems: tuple[CellError, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return self.columns.headers

    @property
    def ignored_columns(self) -> tuple[str, ...]:
        return self.columns.ignored

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def good(self) -> int:
        return sum(1 for row in self.rows if row.ok)

    @property
    def bad(self) -> int:
        return self.total - self.good

    @property
    def problems(self) -> tuple[CellError, ...]:
        """Every problem, the header's first, then row by row."""
        return self.file_problems + tuple(p for row in self.rows for p in row.problems)

    @property
    def is_clean(self) -> bool:
        return not self.file_problems and self.bad == 0 and self.total > 0

    def with_problems(self, extra: dict[int, list[CellError]]) -> ImportPreview[T]:
        """A copy with more problems attached to rows (by row number)."""
        if not extra:
            return self
        rows = tuple(
            replace(row, problems=row.problems + tuple(extra[row.number]), value=None)
            if row.number in extra
            else row
            for row in self.rows
        )
        return replace(self, rows=rows)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What a commit wrote: how many rows, how many bad rows it left out, the new keys."""

    kind: str
    written: int
    dropped: int
    keys: tuple[str, ...]


def column_texts(table: Table, columns: ColumnMap, name: str) -> list[str]:
    """Every row's cell of column ``name`` as text (for loading what the rows refer to)."""
    index = columns.positions.get(name)
    if index is None:
        return []
    return [parse_text(r.cells[index]) for r in table.rows if index < len(r.cells)]


def build_preview(
    kind: str,
    table: Table,
    columns: ColumnMap,
    labels: dict[str, str],
    parse: Callable[[RowCells], T | None],
) -> ImportPreview[T]:
    """Parse every row with ``parse`` (nothing when the header itself is wrong)."""
    if columns.problems:
        return ImportPreview(kind, table.source, columns, (), columns.problems)
    rows: list[PreviewRow[T]] = []
    order = {header: index for index, header in enumerate(columns.headers)}
    for row in table.rows:
        cells = RowCells(row, columns, labels)
        value = parse(cells)
        # Left to right, as the user reads the row; whole-row problems first.
        problems = tuple(sorted(cells.problems, key=lambda p: order.get(p.column, -1)))
        text = tuple(cell_text(c) for c in row.cells)
        rows.append(PreviewRow(row.number, text, None if problems else value, problems))
    return ImportPreview(kind, table.source, columns, tuple(rows))


def rows_to_write(preview: ImportPreview[T], *, drop_bad_rows: bool) -> list[PreviewRow[T]]:
    """The rows a commit writes; ImportRefused when the file (or, unless dropped, a row) is bad."""
    if preview.file_problems:
        raise ImportRefused(
            f"{preview.source}: the header is not usable; nothing was imported.",
            preview.file_problems,
        )
    bad = [row for row in preview.rows if not row.ok]
    if bad and not drop_bad_rows:
        raise ImportRefused(
            f"{len(bad)} of {preview.total} rows of {preview.source} have problems; nothing was "
            "imported. Fix them, or drop the bad rows explicitly.",
            tuple(p for row in bad for p in row.problems),
        )
    good = [row for row in preview.rows if row.ok]
    if not good:
        raise ImportRefused(f"{preview.source} has no row to import.")
    return good
