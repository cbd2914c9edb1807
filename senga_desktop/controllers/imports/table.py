"""Reading a spreadsheet file into rows of cells: CSV (comma, semicolon or tab) and XLSX.

Nothing here knows what the columns mean. Rows keep the number a spreadsheet shows (the header is
row 1), blank rows are skipped but still counted, so a message about "row 7" points at the row the
user sees as 7.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Literal

from senga_desktop.errors import SengaError

__all__ = ["Cell", "Table", "TableRow", "UnreadableFile", "column_letter", "read_table"]

#: What a cell may hold: CSV gives text; XLSX also numbers, dates, times and booleans.
Cell = str | int | float | Decimal | datetime | date | time | bool | None

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
_DELIMITERS = (",", ";", "\t")


class UnreadableFile(SengaError):
    """The file cannot be read as a table at all (wrong format, empty, unreadable)."""


@dataclass(frozen=True, slots=True)
class TableRow:
    """A non-blank row: its spreadsheet number and its cells, one per header column or more."""

    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header (as written in it) and its non-blank rows."""

    source: str
    kind: Literal["csv", "xlsx"]
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]

    @property
    def has_letters(self) -> bool:
        """Whether columns have letters (A, B, …) the user sees: spreadsheets, not CSV text."""
        return self.kind == "xlsx"


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index``: 0 → A, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _table(
    source: str, kind: Literal["csv", "xlsx"], rows: list[tuple[int, tuple[Cell, ...]]]
) -> Table:
    filled = [(n, cells) for n, cells in rows if not all(_blank(c) for c in cells)]
    if not filled:
        raise UnreadableFile(f"{source} is empty: it needs a header row and at least one row.")
    (_, header), *body = filled
    headers = [str(h).strip() if h is not None else "" for h in header]
    while headers and not headers[-1]:  # spreadsheets often carry empty trailing columns
        headers.pop()
    return Table(source, kind, tuple(headers), tuple(TableRow(n, cells) for n, cells in body))


def _decode(data: bytes, source: str) -> str:
    # utf-8-sig strips the byte-order mark Excel writes; Excel's plain "CSV" is Windows-1252.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{source} is not text in UTF-8 or Windows-1252: save it as CSV UTF-8.")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties go to the comma, listed first
    return best if counts[best] else ","


def read_csv(data: bytes, source: str) -> Table:
    text = _decode(data, source)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        # One record is one spreadsheet row even when a quoted cell spans several lines.
        rows = [(number, tuple[Cell, ...](record)) for number, record in enumerate(reader, 1)]
    except csv.Error as exc:
        raise UnreadableFile(f"{source}, row {reader.line_num}: {exc}") from exc
    return _table(source, "csv", rows)


def read_xlsx(data: bytes, source: str) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        # From the bytes, not the path: openpyxl judges a path by its extension, and a workbook
        # saved under another name is still a workbook.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(f"{source} is not a readable XLSX workbook ({exc}).") from exc
    try:
        if not workbook.worksheets:
            raise UnreadableFile(f"{source} has no worksheet.")
        sheet = workbook.worksheets[0]
        rows = [
            (number, tuple[Cell, ...](values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
    finally:
        workbook.close()
    return _table(source, "xlsx", rows)


def read_table(path: str | Path) -> Table:
    """The file's header and rows; CSV or XLSX (first sheet), told apart by content."""
    path = Path(path)
    source = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if data.startswith(_XLSX_MAGIC):
        return read_xlsx(data, source)
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile(
            f"{source} is an old Excel .xls file: open it in Excel and save it as .xlsx or CSV."
        )
    return read_csv(data, source)
