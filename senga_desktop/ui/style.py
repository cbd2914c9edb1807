"""One look for the whole app: spacing, fonts, icons and the few style rules, all from here.

Sizes derive from the font (so they follow display scaling) and colours from the palette (so the
system's light or dark theme is kept).
"""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QSizePolicy, QWidget

APP_ICON = "mdi6.truck-fast-outline"


def unit(widget: QWidget) -> int:
    """The spacing unit: half a line of text, so spacing grows with the font."""
    return max(4, widget.fontMetrics().height() // 2)


def scaled_font(base: QFont, factor: float, weight: QFont.Weight | None = None) -> QFont:
    """A font relative to ``base``, so sizes follow the user's settings and DPI."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * factor))
    if weight is not None:
        font.setWeight(weight)
    return font


def heading(text: str, *, level: int = 1, name: str | None = None) -> QLabel:
    """A page (level 1) or section (level 2) heading."""
    label = QLabel(text)
    factor = {1: 1.6, 2: 1.25, 3: 1.05}[level]
    label.setFont(scaled_font(label.font(), factor, QFont.Weight.DemiBold))
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def muted(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour, so dark palettes keep their contrast."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def icon(name: str, *, accent: bool = False, widget: QWidget | None = None) -> QIcon:
    """A qtawesome icon drawn in the palette's text (or accent) colour."""
    palette = widget.palette() if widget is not None else QApplication.palette()
    role = QPalette.ColorRole.Highlight if accent else QPalette.ColorRole.WindowText
    return qta.icon(name, color=palette.color(role))


def icon_label(icon_: QIcon, size: int) -> QLabel:
    label = QLabel()
    label.setPixmap(icon_.pixmap(QSize(size, size)))
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return label


def markdown_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.MarkdownText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def centred(widget: QWidget, *, max_chars: int) -> QHBoxLayout:
    """``widget`` centred, at most ``max_chars`` wide.

    Stretches rather than an alignment flag: a layout item with an alignment gets only its size
    hint, so word-wrapped labels inside it would be cut off instead of growing taller.
    """
    widget.setMaximumWidth(widget.fontMetrics().averageCharWidth() * max_chars)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget, 20)
    row.addStretch(1)
    return row


def error_color(widget: QWidget) -> str:
    """A red that reads on both light and dark backgrounds."""
    lightness = widget.palette().color(QPalette.ColorRole.Window).lightness()
    return "#ff8a80" if lightness < 128 else "#b3261e"


def apply_app_style(app: QApplication) -> None:
    """Application-wide touches on top of the platform style (kept few on purpose)."""
    if app.style().name().lower() == "windows":
        app.setStyle("Fusion")  # the old Windows style ignores palettes (no dark mode)
    font = app.font()
    if font.pointSizeF() > 0 and font.pointSizeF() < 9:
        font.setPointSizeF(9)  # below 9 pt forms become hard to read on depot monitors
        app.setFont(font)
