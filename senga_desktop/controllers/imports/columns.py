"""Matching a file's header to the columns an import expects, and where problems are reported.

Headers are compared by a key that ignores case, accents, spaces, ``-`` and ``_`` and other
punctuation (``"Weight (Tonnes)"`` → ``weight_tonnes``), then looked up among each column's name and
synonyms. Problems are :class:`CellError` records that point at a row as a spreadsheet numbers it
and at a column by its header as written in the file (plus its letter in a spreadsheet).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from senga_desktop.controllers.imports.table import Table, column_letter

__all__ = ["HEADER_ROW", "CellError", "Column", "ColumnMap", "header_key", "resolve_columns"]

HEADER_ROW = 1
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class CellError:
    """One problem: a row as a spreadsheet numbers it, the column's header as in the file."""

    row: int
    column: str
    message: str
    letter: str | None = None

    def __str__(self) -> str:
        if not self.column:
            return f"row {self.row}: {self.message}"
        where = f"{self.column} ({self.letter})" if self.letter else self.column
        return f"row {self.row}, column {where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Column:
    """A column an import understands. ``name`` is the template's header; ``label`` says what
    it holds in messages ("the weight in tonnes")."""

    name: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


def header_key(text: str) -> str:
    """The comparison key of a header: ``" Destination-City "`` → ``destination_city``."""
    # NFKD turns "m³" into "m3" and drops accents.
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_WORD.sub("_", plain).strip("_")


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Where each known column is in the file, and what was wrong with the header."""

    positions: Mapping[str, int]
    headers: tuple[str, ...]
    letters: bool
    ignored: tuple[str, ...]
    problems: tuple[CellError, ...]

    def has(self, name: str) -> bool:
        return name in self.positions

    def header(self, name: str) -> str:
        """The column's header as written in the file (its template name if it has none)."""
        index = self.positions.get(name)
        return self.headers[index] if index is not None else name

    def letter(self, name: str) -> str | None:
        index = self.positions.get(name)
        return column_letter(index) if self.letters and index is not None else None

    def error(self, row: int, name: str, message: str) -> CellError:
        """A problem in column ``name`` of ``row`` (``name`` "" for the whole row)."""
        if not name:
            return CellError(row, "", message)
        return CellError(row, self.header(name), message, self.letter(name))


def resolve_columns(
    table: Table, columns: Sequence[Column], *, informational: Iterable[str] = ()
) -> ColumnMap:
    """Match ``table``'s header against ``columns``.

    Problems (all in row 1): a required column missing, two columns meaning the same, a blank
    header over data. Headers that match nothing are listed in ``ignored`` unless they are
    ``informational`` (columns an export adds for people, such as the status).
    """
    lookup: dict[str, str] = {}
    for column in columns:
        for alias in (column.name, *column.synonyms):
            lookup[header_key(alias)] = column.name
    quiet = {header_key(name) for name in informational}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[CellError] = []
    for index, header in enumerate(table.headers):
        letter = column_letter(index) if table.has_letters else None
        key = header_key(header)
        if not key:
            if any(
                len(row.cells) > index and row.cells[index] not in (None, "") for row in table.rows
            ):
                label = f"column {letter}" if letter else f"column {index + 1}"
                problems.append(
                    CellError(HEADER_ROW, "", f"{label} has data but no header: name it.")
                )
            continue
        name = lookup.get(key)
        if name is None:
            if key not in quiet:
                ignored.append(header)
            continue
        if name in positions:
            first = table.headers[positions[name]]
            problems.append(
                CellError(
                    HEADER_ROW,
                    header,
                    f"this column and {first!r} both give the {name} column: keep one.",
                    letter,
                )
            )
            continue
        positions[name] = index
    for column in columns:
        if column.required and column.name not in positions:
            also = ", ".join(column.synonyms[:3])
            hint = f" (also accepted: {also})" if also else ""
            problems.append(
                CellError(
                    HEADER_ROW,
                    column.name,
                    f"the file has no {column.name} column, "
                    f"{column.label}{hint}. Add it, or start from the template.",
                )
            )
    return ColumnMap(positions, table.headers, table.has_letters, tuple(ignored), tuple(problems))
