"""Column widths for the Outcomes screen's tables, measured from the text they will hold.

A width in "average characters" under-counts figures (a digit is wider than the average letter),
so lists of numbers came out elided ("20,627…"). Here each column is as wide as its widest
expected text or its header, whichever is wider, measured with the table's own fonts.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from senga_desktop.ui.style import unit

__all__ = ["fit_columns"]


def fit_columns(table: QTableView, samples: Sequence[str | int]) -> None:
    """Set each column's width to hold its sample (text, or a width in pixels) and its header.

    Sorting tables get room for the sort arrow beside each header.
    """
    cells = table.fontMetrics()
    header = table.horizontalHeader()
    titles = header.fontMetrics()
    u = unit(table)
    padding = u * 3  # the cell's margins and the delegate's spacing between columns
    arrow = u * 3 if header.isSortIndicatorShown() else 0
    model = table.model()
    for column, sample in enumerate(samples):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        text = sample if isinstance(sample, int) else cells.horizontalAdvance(sample)
        table.setColumnWidth(
            column, max(text + padding, titles.horizontalAdvance(title) + padding + arrow)
        )
