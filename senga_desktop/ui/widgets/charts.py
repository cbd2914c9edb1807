"""A small chart drawn with QPainter: lines (and bars) over a row of categories, such as weeks.

This PySide6 has no QtCharts, and the screens need little: a few series over a dozen weeks, a
value axis with round ticks, the category labels, a legend, and a tooltip naming the point under
the mouse. :class:`TrendChart` draws exactly that; the data is plain (:class:`ChartSeries`), so
a test checks what is drawn by asking the chart, not by reading pixels::

    chart = TrendChart(name="error_chart", unit="%")
    chart.set_data(["30 Nov", "7 Dec"], [ChartSeries("Duration", (12.5, 8.0))])

A ``None`` value is a gap: a line stops there and starts again after it. A series may be drawn
as bars against a second axis on the right (``right=True``), e.g. how many routes a week had.
Sizes come from the font and colours from the palette, as elsewhere (dark themes keep contrast).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from senga_desktop.ui.style import unit

__all__ = ["SERIES_COLOURS", "ChartSeries", "TrendChart", "nice_ticks"]

#: Colours told apart by colour-blind readers too (Okabe and Ito), in the order series take them.
SERIES_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One line (or, with ``bars``, a row of bars): a value per category, ``None`` for none."""

    name: str
    values: tuple[float | None, ...]
    colour: str | None = None  # None: the next of SERIES_COLOURS
    bars: bool = False
    right: bool = False  # against the right-hand axis (its own scale)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (1, 2 or 5 times a power of ten apart)."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0, 1.0]
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _number(value: float) -> str:
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


class TrendChart(QWidget):
    """Series of values over categories, with axes, a legend and tooltips on the points."""

    def __init__(
        self,
        *,
        name: str,
        unit: str = "",
        right_unit: str = "",
        value_text: Callable[[float], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self._unit = unit
        self._right_unit = right_unit
        self._value_text = value_text or (lambda v: f"{_number(v)}{self._unit}")
        self._categories: tuple[str, ...] = ()
        self._series: tuple[ChartSeries, ...] = ()
        self._empty_text = "Nothing to show yet."
        self._title = ""

    # -- feeding --------------------------------------------------------------------------------

    def set_data(self, categories: Sequence[str], series: Sequence[ChartSeries]) -> None:
        """Show ``series`` over ``categories`` (each series has one value per category)."""
        for one in series:
            if len(one.values) != len(categories):
                raise ValueError(f"series {one.name!r} has {len(one.values)} values")
        self._categories = tuple(categories)
        coloured = []
        for index, one in enumerate(series):
            colour = one.colour or SERIES_COLOURS[index % len(SERIES_COLOURS)]
            coloured.append(
                ChartSeries(one.name, tuple(one.values), colour, bars=one.bars, right=one.right)
            )
        self._series = tuple(coloured)
        self.update()

    def set_empty_text(self, text: str) -> None:
        """What the chart says when no series has a value."""
        self._empty_text = text
        self.update()

    def set_title(self, text: str) -> None:
        self._title = text
        self.update()

    @property
    def categories(self) -> tuple[str, ...]:
        return self._categories

    @property
    def series(self) -> tuple[ChartSeries, ...]:
        return self._series

    def has_values(self) -> bool:
        return any(v is not None for s in self._series for v in s.values)

    # -- geometry -------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        u = unit(self)
        return QSize(u * 70, u * 26)

    def minimumSizeHint(self) -> QSize:
        u = unit(self)
        return QSize(u * 30, u * 16)

    def _plot_rect(self) -> QRectF:
        u = unit(self)
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("-88,888%") + u * 2
        right = u * 2
        if self._has_right():
            # Room for the widest label of the right-hand axis, its unit included ("20 routes").
            widest = max(metrics.horizontalAdvance(self._text(v, True)) for v in self._range(True))
            right = widest + u * 2
        top = metrics.height() * (2 if self._title else 1) + u * 2  # title, legend
        bottom = metrics.height() + u * 2
        return QRectF(
            left, top, max(1.0, self.width() - left - right), max(1.0, self.height() - top - bottom)
        )

    def _has_right(self) -> bool:
        return any(s.right for s in self._series)

    def _range(self, right: bool) -> list[float]:
        values = [v for s in self._series if s.right == right for v in s.values if v is not None]
        if not values:
            return [0.0, 1.0]
        low, high = min(0.0, *values), max(0.0, *values)
        return nice_ticks(low, high if high > low else low + 1.0)

    def _x(self, index: int, plot: QRectF) -> float:
        slot = plot.width() / max(1, len(self._categories))
        return plot.left() + slot * (index + 0.5)

    def _y(self, value: float, ticks: list[float], plot: QRectF) -> float:
        low, high = ticks[0], ticks[-1]
        return plot.bottom() - (value - low) / (high - low) * plot.height()

    def point_position(self, series: int, index: int) -> QPointF | None:
        """Where the value ``index`` of series ``series`` is drawn (``None``: it has none)."""
        one = self._series[series]
        value = one.values[index]
        if value is None:
            return None
        plot = self._plot_rect()
        return QPointF(self._x(index, plot), self._y(value, self._range(one.right), plot))

    def point_at(self, position: QPointF) -> tuple[int, int] | None:
        """The (series, category) whose point or bar is under ``position``, lines first."""
        plot = self._plot_rect()
        if not self._categories or not plot.adjusted(-8, -8, 8, 8).contains(position):
            return None
        slot = plot.width() / len(self._categories)
        index = min(len(self._categories) - 1, max(0, int((position.x() - plot.left()) // slot)))
        reach = unit(self) * 1.5
        best: tuple[float, int] | None = None
        for number, one in enumerate(self._series):
            point = self.point_position(number, index)
            if point is None or one.bars:
                continue
            distance = abs(point.y() - position.y())
            if distance <= reach and (best is None or distance < best[0]):
                best = (distance, number)
        if best is not None:
            return best[1], index
        for number, one in enumerate(self._series):
            point = self.point_position(number, index)
            if one.bars and point is not None and point.y() <= position.y() <= plot.bottom():
                return number, index
        return None

    def tooltip_text(self, series: int, index: int) -> str:
        one = self._series[series]
        value = one.values[index]
        shown = "no value" if value is None else self._text(value, one.right)
        return f"{self._categories[index]}\n{one.name}: {shown}"

    def _text(self, value: float, right: bool) -> str:
        return f"{_number(value)}{self._right_unit}" if right else self._value_text(value)

    # -- events ---------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.point_at(QPointF(event.pos()))
            if hit is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_text(*hit), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        plot = self._plot_rect()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        if self._title:
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(unit(self), unit(self) / 2, self.width(), plot.top()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                self._title,
            )
        if not self._categories or not self.has_values():
            painter.setPen(muted)
            painter.drawText(
                plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._empty_text
            )
            painter.end()
            return
        self._paint_axes(painter, plot, text_colour, muted)
        self._paint_bars(painter, plot)
        self._paint_lines(painter, plot)
        self._paint_legend(painter, plot, text_colour)
        painter.end()

    def _paint_axes(self, painter: QPainter, plot: QRectF, text: QColor, muted: QColor) -> None:
        metrics = self.fontMetrics()
        u = unit(self)
        grid = QColor(muted)
        grid.setAlpha(70)
        ticks = self._range(False)
        for value in ticks:
            y = self._y(value, ticks, plot)
            painter.setPen(QPen(text if value == 0 else grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            label = QRectF(0, y - metrics.height() / 2, plot.left() - u, metrics.height())
            painter.drawText(
                label,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self._text(value, False),
            )
        if self._has_right():
            right = self._range(True)
            counts = all(
                float(v).is_integer() for one in self._series if one.right for v in one.values
                if v is not None
            )  # fmt: skip
            for value in right:
                if counts and not float(value).is_integer():
                    continue  # routes are counted whole: no "1.5 routes" on the axis
                y = self._y(value, right, plot)
                label = QRectF(
                    plot.right() + u,
                    y - metrics.height() / 2,
                    max(1.0, self.width() - plot.right() - u),
                    metrics.height(),
                )
                painter.drawText(
                    label,
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    self._text(value, True),
                )
        # Category labels: as many as fit without touching, always the last one.
        slot = plot.width() / len(self._categories)
        widest = max(metrics.horizontalAdvance(c) for c in self._categories) + u
        every = max(1, math.ceil(widest / slot))
        painter.setPen(muted)
        for index, caption in enumerate(self._categories):
            if (len(self._categories) - 1 - index) % every:
                continue
            x = self._x(index, plot)
            box = QRectF(x - widest / 2, plot.bottom() + u / 2, widest, metrics.height())
            painter.drawText(
                box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, caption
            )

    def _paint_bars(self, painter: QPainter, plot: QRectF) -> None:
        bars = [(n, s) for n, s in enumerate(self._series) if s.bars]
        if not bars:
            return
        slot = plot.width() / len(self._categories)
        width = slot * 0.6 / len(bars)
        for place, (_, one) in enumerate(bars):
            ticks = self._range(one.right)
            fill = QColor(one.colour or SERIES_COLOURS[0])
            fill.setAlpha(60)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            for index, value in enumerate(one.values):
                if value is None:
                    continue
                left = self._x(index, plot) - slot * 0.3 + place * width
                top = self._y(value, ticks, plot)
                base = self._y(max(0.0, ticks[0]), ticks, plot)
                painter.drawRect(QRectF(left, min(top, base), width, abs(base - top)))
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_lines(self, painter: QPainter, plot: QRectF) -> None:
        radius = max(3.0, unit(self) / 2.5)
        for number, one in enumerate(self._series):
            if one.bars:
                continue
            colour = QColor(one.colour or SERIES_COLOURS[0])
            path = QPainterPath()
            drawing = False
            points = []
            for index in range(len(self._categories)):
                point = self.point_position(number, index)
                if point is None:
                    drawing = False
                    continue
                points.append(point)
                if drawing:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    drawing = True
            painter.setPen(QPen(colour, max(2.0, unit(self) / 4)))
            painter.drawPath(path)
            painter.setBrush(colour)
            for point in points:
                painter.drawEllipse(point, radius, radius)
            painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_legend(self, painter: QPainter, plot: QRectF, text: QColor) -> None:
        metrics = self.fontMetrics()
        u = unit(self)
        y = plot.top() - metrics.height() - u / 2
        x = plot.right()
        for one in reversed(self._series):
            width = metrics.horizontalAdvance(one.name)
            x -= width
            painter.setPen(text)
            painter.drawText(
                QRectF(x, y, width + 2, metrics.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                one.name,
            )
            x -= u * 2.5
            colour = QColor(one.colour or SERIES_COLOURS[0])
            if one.bars:
                colour.setAlpha(90)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(x, y + metrics.height() / 2 - u / 2, u * 2, u), 2, 2)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            x -= u * 2
