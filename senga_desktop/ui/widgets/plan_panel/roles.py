"""The custom item roles and column names the plan panel's models and views share."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

__all__ = [
    "LEFT",
    "LOCKED_ROLE",
    "PINNED_ROLE",
    "PROBLEMS_ROLE",
    "RIGHT",
    "ROUTE_ID_ROLE",
    "SHARE_ROLE",
    "STOP_COLUMNS",
    "Index",
]

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: Custom role: the share of capacity used (0 to 1), for the bar delegate.
SHARE_ROLE = Qt.ItemDataRole.UserRole + 1
ROUTE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: Custom role: the route is locked / the stop's orders are kept on this truck (bool).
LOCKED_ROLE = Qt.ItemDataRole.UserRole + 3
PINNED_ROLE = Qt.ItemDataRole.UserRole + 4
#: Custom role: the sentences of what the route or stop breaks (tuple of str, empty if none).
PROBLEMS_ROLE = Qt.ItemDataRole.UserRole + 5

Index = QModelIndex | QPersistentModelIndex

STOP_COLUMNS = (
    "#",
    "Town",
    "Customer",
    "Orders",
    "ETA",
    "Window",
    "On board after",
    "Handling",
)
