"""Drawing on a page in millimetres and points, whatever the device's resolution.

A :class:`Canvas` wraps a ``QPainter`` on a paged device (a ``QPdfWriter`` or a ``QPrinter``):
geometry is given in millimetres (:meth:`Canvas.mm`), fonts in points, and text is wrapped and
measured here with the device's own metrics, so what was measured is what prints. Lines are drawn
one ``drawText`` each, in reading order, which keeps a PDF's text layer in that order too.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

from senga_desktop.reports.fonts import document_font

__all__ = ["Canvas", "Ink", "TextBlock"]


class Ink:
    """The sheet's colours: dark text, muted labels, rules, and the three kinds of warning.

    Each warning also has a symbol and a heavy border, so it still stands out in black and white.
    """

    TEXT = QColor("#1b2027")
    MUTED = QColor("#5d6773")
    FAINT = QColor("#8d96a0")
    RULE = QColor("#9aa3ad")
    HAIRLINE = QColor("#cdd3d9")
    BAND = QColor("#eef1f4")
    HEADER = QColor("#1f2d3d")
    HAZARD = QColor("#b3261e")
    HAZARD_FILL = QColor("#fdecea")
    COLD = QColor("#0b5cad")
    COLD_FILL = QColor("#e8f1fb")
    NOTICE = QColor("#8a5a00")
    NOTICE_FILL = QColor("#fff4d6")
    ROUTE = QColor("#1f77b4")
    WHITE = QColor("#ffffff")


@dataclass(frozen=True)
class TextBlock:
    """Lines of one font and colour, measured: drawn top-down from where it is placed."""

    lines: tuple[str, ...]
    font: QFont
    color: QColor
    line_height: float
    ascent: float

    @property
    def height(self) -> float:
        return self.line_height * len(self.lines)


class Canvas:
    """A painter on a paged device, with millimetre geometry and measured, wrapped text."""

    def __init__(self, painter: QPainter, device: QPaintDevice) -> None:
        self.painter = painter
        self.device = device
        self.unit = device.logicalDpiX() / 25.4  # device pixels per millimetre
        self._fonts: dict[tuple[float, bool], QFont] = {}
        self._metrics: dict[tuple[float, bool], QFontMetricsF] = {}

    def mm(self, value: float) -> float:
        """``value`` millimetres in device pixels."""
        return value * self.unit

    # -- fonts and measuring --------------------------------------------------------------------

    def font(self, points: float, *, bold: bool = False) -> QFont:
        key = (points, bold)
        if key not in self._fonts:
            self._fonts[key] = document_font(points, bold=bold)
        return self._fonts[key]

    def metrics(self, font: QFont) -> QFontMetricsF:
        key = (font.pointSizeF(), font.bold())
        if key not in self._metrics:
            self._metrics[key] = QFontMetricsF(font, self.device)
        return self._metrics[key]

    def width(self, text: str, font: QFont) -> float:
        return self.metrics(font).horizontalAdvance(text)

    def elide(self, text: str, font: QFont, width: float) -> str:
        return self.metrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width)

    def wrap(self, text: str, font: QFont, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` (words, then letters if needed)."""
        metrics = self.metrics(font)
        lines: list[str] = []
        for paragraph in text.replace("\t", " ").split("\n"):
            line = ""
            for word in paragraph.split():
                candidate = f"{line} {word}" if line else word
                if metrics.horizontalAdvance(candidate) <= width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                rest = word
                while metrics.horizontalAdvance(rest) > width and len(rest) > 1:
                    cut = len(rest) - 1
                    while cut > 1 and metrics.horizontalAdvance(rest[:cut]) > width:
                        cut -= 1
                    lines.append(rest[:cut])
                    rest = rest[cut:]
                line = rest
            lines.append(line)
        return [line for line in lines if line] or [""]

    def block(
        self,
        text: str,
        width: float,
        points: float,
        *,
        bold: bool = False,
        color: QColor = Ink.TEXT,
        max_lines: int | None = None,
    ) -> TextBlock:
        """``text`` wrapped to ``width`` (and cut to ``max_lines``, the last one elided)."""
        font = self.font(points, bold=bold)
        lines = self.wrap(text, font, width) if text else []
        if max_lines is not None and len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], self.elide(" ".join(lines[max_lines - 1 :]),
                                                         font, width)]  # fmt: skip
        metrics = self.metrics(font)
        return TextBlock(tuple(lines), font, color, metrics.lineSpacing(), metrics.ascent())

    # -- drawing --------------------------------------------------------------------------------

    def draw_block(
        self, block: TextBlock, x: float, y: float, *, right: float | None = None
    ) -> float:
        """Draw ``block`` from its top at ``y``; right-aligned to ``right`` when given. Returns
        the y under it."""
        painter = self.painter
        painter.setFont(block.font)
        painter.setPen(block.color)
        metrics = self.metrics(block.font)
        for line in block.lines:
            left = x if right is None else right - metrics.horizontalAdvance(line)
            painter.drawText(QPointF(left, y + block.ascent), line)
            y += block.line_height
        return y

    def text(
        self,
        text: str,
        x: float,
        y: float,
        points: float,
        *,
        bold: bool = False,
        color: QColor = Ink.TEXT,
        width: float | None = None,
        right: float | None = None,
    ) -> float:
        """One line (elided to ``width``) with its top at ``y``; returns the y under it."""
        font = self.font(points, bold=bold)
        shown = self.elide(text, font, width) if width is not None else text
        metrics = self.metrics(font)
        block = TextBlock((shown,), font, color, metrics.lineSpacing(), metrics.ascent())
        return self.draw_block(block, x, y, right=right)

    def rule(self, x1: float, y: float, x2: float, *, color: QColor = Ink.RULE,
             weight_mm: float = 0.2) -> None:  # fmt: skip
        pen = QPen(color, self.mm(weight_mm))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self.painter.setPen(pen)
        self.painter.drawLine(QPointF(x1, y), QPointF(x2, y))

    def box(
        self,
        rect: QRectF,
        *,
        fill: QColor | None = None,
        border: QColor | None = None,
        weight_mm: float = 0.2,
        radius_mm: float = 0.0,
    ) -> None:
        painter = self.painter
        if border is not None:
            pen = QPen(border, self.mm(weight_mm))
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(fill) if fill is not None else Qt.BrushStyle.NoBrush)
        if radius_mm > 0:
            painter.drawRoundedRect(rect, self.mm(radius_mm), self.mm(radius_mm))
        else:
            painter.drawRect(rect)
        painter.setBrush(Qt.BrushStyle.NoBrush)
