"""Guards against known-bad Qt binding builds."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


def test_void_qt_calls_do_not_leak_references_to_none(qtbot: QtBot) -> None:
    """PySide6 6.12.0 dropped a reference to None on every call of a method returning nothing,
    which crashed the app ("none_dealloc") after a few thousand repaints."""
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        widget.update()
    assert sys.getrefcount(None) >= before - 100
