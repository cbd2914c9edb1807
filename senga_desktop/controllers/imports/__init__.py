"""Importing spreadsheets (CSV and XLSX): reading, header matching, cell parsing, preview, commit.

The generic parts (:mod:`.table`, :mod:`.columns`, :mod:`.values`, :mod:`.preview`) know nothing
of orders or customers; :mod:`.orders` and :mod:`.customers` describe their columns and rules on
top of them, and a fleet import can do the same. Every import previews without writing, then
commits all its rows in one unit of work, or nothing.
"""

from senga_desktop.controllers.imports.columns import CellError, Column, ColumnMap
from senga_desktop.controllers.imports.customers import commit_customers, preview_customers
from senga_desktop.controllers.imports.orders import ImportedOrder, commit_orders, preview_orders
from senga_desktop.controllers.imports.preview import (
    ImportPreview,
    ImportRefused,
    ImportResult,
    PreviewRow,
)
from senga_desktop.controllers.imports.table import UnreadableFile, read_table
from senga_desktop.controllers.imports.templates import template_path

__all__ = [
    "CellError",
    "Column",
    "ColumnMap",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "ImportedOrder",
    "PreviewRow",
    "UnreadableFile",
    "commit_customers",
    "commit_orders",
    "preview_customers",
    "preview_orders",
    "read_table",
    "template_path",
]
