"""The "Problems" box under a plan's totals: every constraint an edited plan breaks, clickable.

Each line is one sentence of the engine's evaluation with a warning icon; those the engine's own
plan breaks too say so. Clicking (or pressing Enter on) a line emits
:attr:`ProblemsBox.problem_activated` with the truck and order it names, so the panel can select
that route and stop (or the held order). While a plan is being edited the box stays, at one
height, and says when there is no problem (the lists under it do not jump from edit to edit);
otherwise it hides itself when there is nothing to say.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.ui.style import heading, muted, unit
from senga_desktop.ui.widgets.plan_panel.violation_marks import ProblemMarks, warning_icon

__all__ = ["ProblemsBox"]

VEHICLE_ROLE = Qt.ItemDataRole.UserRole + 1
ORDER_ROLE = Qt.ItemDataRole.UserRole + 2
VISIBLE_LINES = 3  # lines shown before the list scrolls: the routes stay in view
NONE_TEXT = "No problem: every route keeps its loads, windows, shifts and handling."
HINT = "Click one to see its route and stop."


class ProblemsBox(QFrame):
    """The list of an edited plan's problems; ``problem_activated(vehicle_id, order_id)``
    (either may be empty) when the dispatcher clicks one."""

    problem_activated = Signal(str, str)

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problems_box")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        u = unit(self)
        self.title = heading("Problems", level=3, name="problems_title")
        self.title.setWordWrap(False)
        self.hint = muted(QLabel("Click one to see its route and stop."))
        self.hint.setObjectName("problems_hint")
        self.list = QListWidget()
        self.list.setObjectName("problems_list")
        self.list.setWordWrap(True)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.itemClicked.connect(self._on_item_activated)
        self.list.itemActivated.connect(self._on_item_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 2, u, u * 2, u)
        layout.setSpacing(u // 2)
        top = QHBoxLayout()
        top.setSpacing(u * 2)
        top.addWidget(self.title)
        top.addWidget(self.hint, 1)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self._active = False
        self._marks = ProblemMarks()
        self._row = 0  # the height of one line, measured once there is one
        self._fit_height()
        self.hide()

    def _fit_height(self) -> None:
        """:data:`VISIBLE_LINES` lines high, whatever they hold (the lists below stay put)."""
        measured = self.list.sizeHintForRow(0) if self.list.count() else 0
        self._row = max(self._row, measured, self.list.fontMetrics().lineSpacing() + 6)
        self.list.setFixedHeight(self._row * VISIBLE_LINES + 2 * self.list.frameWidth() + 8)

    def set_active(self, active: bool) -> None:
        """Whether a plan is being edited (the box stays, even with no problem)."""
        self._active = active
        self.show_problems(self._marks)

    def show_problems(self, marks: ProblemMarks) -> None:
        """List ``marks``' problems (new ones first); hidden when there are none."""
        self._marks = marks
        self.list.clear()
        icon = warning_icon(self)
        for problem in marks.problems:
            text = problem.message if problem.new else f"{problem.message} (the engine's plan too)"
            item = QListWidgetItem(icon, text)
            item.setData(VEHICLE_ROLE, problem.vehicle_id or "")
            item.setData(ORDER_ROLE, problem.order_id or "")
            item.setToolTip(text)
            self.list.addItem(item)
        count, new = len(marks.problems), marks.new_count
        title = f"Problems ({count})" if count else "Problems"
        if 0 < new < count:
            title += f" \N{MIDDLE DOT} {new} new with your edits"
        self.title.setText(title)
        self.hint.setText(HINT if count else "")
        if not count:
            placeholder = QListWidgetItem(NONE_TEXT)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)
        self._fit_height()
        self.setVisible(bool(count) or self._active)

    def count(self) -> int:
        return len(self._marks.problems)

    def texts(self) -> list[str]:
        return [self.list.item(n).text() for n in range(self.count())]

    def activate(self, row: int) -> None:
        """As if the dispatcher clicked line ``row``."""
        self._on_item_activated(self.list.item(row))

    def _on_item_activated(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.problem_activated.emit(
                str(item.data(VEHICLE_ROLE) or ""), str(item.data(ORDER_ROLE) or "")
            )
