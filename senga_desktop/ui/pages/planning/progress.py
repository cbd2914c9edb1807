"""What a running plan shows: a progress bar with elapsed / limit, the best cost so far and how
it has fallen (a sparkline drawn with QPainter), and Cancel."""

from __future__ import annotations

import time
from decimal import Decimal

from PySide6.QtCore import QPointF, QSize, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.ui.style import heading, icon, muted, unit
from senga_desktop.ui.widgets.plan_panel.formatting import kes

__all__ = ["ProgressPanel", "Sparkline"]


class Sparkline(QWidget):
    """The best cost found so far, over the run: a falling line, the latest value as a dot."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cost_sparkline")
        self.values: list[float] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(unit(self) * 30, unit(self) * 6)

    def set_values(self, values: list[float]) -> None:
        self.values = list(values)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(4, 4, -4, -4)
        track = QColor(self.palette().color(QPalette.ColorRole.Mid))
        track.setAlpha(80)
        painter.setPen(QPen(track, 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        if len(self.values) < 2:
            return
        low, high = min(self.values), max(self.values)
        span = high - low or 1.0
        step = rect.width() / (len(self.values) - 1)
        points = QPolygonF(
            [
                QPointF(rect.left() + i * step, rect.top() + (high - v) / span * rect.height())
                for i, v in enumerate(self.values)
            ]
        )
        color = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(color, 2))
        painter.drawPolyline(points)
        painter.setBrush(color)
        painter.drawEllipse(points[points.size() - 1], 3, 3)


class ProgressPanel(QFrame):
    """Shown while a plan runs; ``cancel_requested`` when the user presses Cancel."""

    cancel_requested = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_progress")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        u = unit(self)
        self.title = heading("Planning…", level=2)
        self.bar = QProgressBar()
        self.bar.setObjectName("plan_progress_bar")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.elapsed = QLabel("Starting…")
        self.elapsed.setObjectName("plan_elapsed")
        self.best = QLabel("Best cost so far: —")
        self.best.setObjectName("plan_best_cost")
        self.fallen = muted(QLabel(""))
        self.fallen.setObjectName("plan_cost_fallen")
        self.sparkline = Sparkline()
        self.cancel_button = QPushButton(icon("mdi6.close-circle-outline", widget=self), "Cancel")
        self.cancel_button.setObjectName("cancel_plan")
        self.cancel_button.clicked.connect(self._on_cancel)

        numbers = QVBoxLayout()
        numbers.addWidget(self.best)
        numbers.addWidget(self.fallen)
        row = QHBoxLayout()
        row.addLayout(numbers)
        row.addWidget(self.sparkline, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.elapsed, 1)
        bottom.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addLayout(bottom)
        layout.addLayout(row)

        self._limit: float | None = None
        self._started = 0.0
        self._fraction = 0.0
        self._costs: list[float] = []
        self._first: Decimal | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)

    def start(self, *, limit_seconds: float | None, what: str) -> None:
        self._limit = limit_seconds
        self._started = time.monotonic()
        self._fraction = 0.0
        self._costs = []
        self._first = None
        self.title.setText(f"Planning {what}…")
        self.bar.setValue(0)
        self.best.setText("Best cost so far: —")
        self.fallen.setText("Reading the orders and trucks…")
        self.sparkline.set_values([])
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self._tick()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def report(self, fraction: float, best_cost: Decimal | None) -> None:
        """A progress report from the run (already on the GUI thread)."""
        self._fraction = max(self._fraction, min(1.0, float(fraction)))
        self.bar.setValue(round(self._fraction * 1000))
        if best_cost is not None:
            if self._first is None:
                self._first = best_cost
            self._costs.append(float(best_cost))
            self.sparkline.set_values(self._costs)
            self.best.setText(f"Best cost so far: {kes(best_cost)}")
            fallen = self._first - best_cost
            self.fallen.setText(
                f"Down {kes(fallen)} from the first plan found ({kes(self._first)})"
                if fallen > 0
                else f"First plan found: {kes(best_cost)}"
            )
        elif self._first is None:
            self.fallen.setText("Searching for a first plan…")
        self._tick()

    def _tick(self) -> None:
        elapsed = time.monotonic() - self._started
        if self._limit:
            self.elapsed.setText(f"Elapsed {elapsed:.0f} s of {self._limit:.0f} s")
        else:
            self.elapsed.setText(f"Elapsed {elapsed:.0f} s · {self._fraction * 100:.0f} % done")

    def _on_cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.cancel_requested.emit()
