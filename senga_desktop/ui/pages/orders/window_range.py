"""The filter bar's choice of delivery-window days: any day, today, tomorrow, a week, or from-to.

A compact button ("Window: any day") whose menu offers the usual ranges and a pair of dates for
any other. The days are the depot's: "today" is today in the depot's time zone, and a range runs
from midnight at the depot on its first day to midnight after its last day, so the filter reads
as the dispatcher thinks ("windows starting on the 25th or the 26th").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from senga_desktop.ui.style import icon, unit

__all__ = ["PRESETS", "WindowRangeButton"]

#: The menu's ranges: a label and the first and last day counted from today (``None``: any day).
PRESETS: tuple[tuple[str, tuple[int, int] | None], ...] = (
    ("Any day", None),
    ("Today", (0, 0)),
    ("Tomorrow", (1, 1)),
    ("Today and tomorrow", (0, 1)),
    ("Next 7 days", (0, 6)),
)
DATE_FORMAT = "dd/MM/yyyy"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class WindowRangeButton(QToolButton):
    """Chooses the days whose delivery windows the list shows."""

    #: Another range was chosen.
    range_changed = Signal()

    def __init__(self, *, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("window_range")
        self.zone = zone
        self._days: tuple[date, date] | None = None
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIcon(icon("mdi6.calendar-range", widget=self))
        self.setToolTip("Only orders whose delivery window starts on these days (depot time).")
        self.setAccessibleName("Window start days")
        self.range_menu = QMenu(self)
        self.range_menu.setObjectName("window_range_menu")
        for label, offsets in PRESETS:
            action = self.range_menu.addAction(label)
            action.setObjectName(f"range_{label.lower().replace(' ', '_')}")
            action.triggered.connect(lambda _checked=False, o=offsets: self._on_preset_chosen(o))
        self.range_menu.addSeparator()
        self.range_menu.addAction(self._build_custom())
        self.setMenu(self.range_menu)
        self._show_text()

    def _build_custom(self) -> QWidgetAction:
        """ "From [date] to [date] [Show]" inside the menu."""
        u = unit(self)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(u * 2, u // 2, u, u // 2)
        row.setSpacing(u)
        today = _qdate(self.today())
        self.from_edit = QDateEdit(today)
        self.from_edit.setObjectName("window_from")
        self.to_edit = QDateEdit(today.addDays(6))
        self.to_edit.setObjectName("window_to")
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat(DATE_FORMAT)
        self.apply_button = QPushButton("Show")
        self.apply_button.setObjectName("window_apply")
        self.apply_button.setAutoDefault(False)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        row.addWidget(QLabel("From"))
        row.addWidget(self.from_edit)
        row.addWidget(QLabel("to"))
        row.addWidget(self.to_edit)
        row.addWidget(self.apply_button)
        action = QWidgetAction(self)
        action.setDefaultWidget(box)
        return action

    # -- reading and setting --------------------------------------------------------------------

    def today(self) -> date:
        return datetime.now(self.zone).date()

    def days(self) -> tuple[date, date] | None:
        """The first and last day (depot time), or ``None`` for any day."""
        return self._days

    def window_range(self) -> tuple[datetime | None, datetime | None]:
        """The window starts to show, in UTC: from (inclusive) and to (exclusive)."""
        if self._days is None:
            return None, None
        first, last = self._days

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(0), tzinfo=self.zone).astimezone(UTC)

        return midnight(first), midnight(last + timedelta(days=1))

    def set_days(self, first: date | None, last: date | None = None, *, emit: bool = True) -> None:
        """Show windows starting from ``first`` to ``last`` (in either order); ``None``: any."""
        days = None if first is None else tuple(sorted((first, last or first)))
        if days == self._days:
            return
        self._days = days  # type: ignore[assignment]
        if days is not None:
            self.from_edit.setDate(_qdate(days[0]))
            self.to_edit.setDate(_qdate(days[1]))
        self._show_text()
        if emit:
            self.range_changed.emit()

    # -- showing --------------------------------------------------------------------------------

    def _show_text(self) -> None:
        self.setText(f"Window: {self.describe()}")

    def describe(self) -> str:
        if self._days is None:
            return "any day"
        first, last = self._days
        today = self.today()
        for label, offsets in PRESETS[1:]:
            assert offsets is not None
            if (first, last) == (today + timedelta(offsets[0]), today + timedelta(offsets[1])):
                return label.lower()
        if first == last:
            return f"{first:%d/%m/%Y}"
        if first.year == last.year:
            return f"{first:%d/%m}\N{EN DASH}{last:%d/%m/%Y}"
        return f"{first:%d/%m/%Y}\N{EN DASH}{last:%d/%m/%Y}"

    # -- slots ----------------------------------------------------------------------------------

    def _on_preset_chosen(self, offsets: tuple[int, int] | None) -> None:
        if offsets is None:
            self.set_days(None)
            return
        today = self.today()
        self.set_days(today + timedelta(offsets[0]), today + timedelta(offsets[1]))

    def _on_apply_clicked(self) -> None:
        self.range_menu.close()
        first, last = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        self.set_days(first, last)  # type: ignore[arg-type]
