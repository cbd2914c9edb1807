"""How routes and decisions are put into words and colours on the Routes and Decisions screens.

Statuses read the same on both screens ("Planned", "In progress", "Committed") and wear the same
coloured badge (:class:`BadgeDelegate`), picked for the light or the dark palette as the fleet
board picks its colours. Figures go through the orders' formatting (``amount``, ``money``,
``local_time``), so a kilometre or a shilling looks the same on every screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from senga_desktop.domain import PolicyName, RouteStatus
from senga_desktop.ui.pages.orders.formatting import NONE_SHOWN, amount, money, plural
from senga_desktop.ui.style import unit

__all__ = [
    "BADGE_ROLE",
    "DECISION_STATUS_LABELS",
    "NONE_SHOWN",
    "POLICY_LABELS",
    "POLICY_NOTES",
    "ROUTE_STATUS_LABELS",
    "ROUTE_STATUS_NOTES",
    "BadgeDelegate",
    "badge_color",
    "duration_text",
    "kes",
    "km",
    "parameters_text",
    "percent",
    "plural",
]

#: The model role whose value names a badge colour key (a route or decision status value).
BADGE_ROLE = int(Qt.ItemDataRole.UserRole) + 1

ROUTE_STATUS_LABELS = {
    RouteStatus.PROPOSED: "Proposed",
    RouteStatus.PLANNED: "Planned",
    RouteStatus.IN_PROGRESS: "In progress",
    RouteStatus.COMPLETED: "Completed",
    RouteStatus.CANCELLED: "Cancelled",
    RouteStatus.DISCARDED: "Discarded",
}
ROUTE_STATUS_NOTES = {
    RouteStatus.PROPOSED: "Proposed by a decision that has not been committed.",
    RouteStatus.PLANNED: "Committed: the truck is reserved and the orders assigned; not left yet.",
    RouteStatus.IN_PROGRESS: "The truck has left the depot on this route.",
    RouteStatus.COMPLETED: "The truck is back: every stop was served or reported.",
    RouteStatus.CANCELLED: "Cancelled: its orders went back to pending and the truck was freed.",
    RouteStatus.DISCARDED: "Its decision was discarded; kept for the audit trail.",
}
DECISION_STATUS_LABELS = {
    "proposed": "Proposed",
    "committed": "Committed",
    "discarded": "Discarded",
}
POLICY_LABELS = {
    PolicyName.PFA: "PFA",
    PolicyName.CFA: "CFA",
    PolicyName.VFA: "VFA",
    PolicyName.DLA: "DLA",
}
POLICY_NOTES = {
    PolicyName.PFA: "Policy function: a dispatching rule (nearest first, fill the truck).",
    PolicyName.CFA: "Cost function: today's orders optimised with tuned penalties and buffers.",
    PolicyName.VFA: "Value function: today's cost plus a learned value of what is left.",
    PolicyName.DLA: "Direct lookahead: today's plan tested against sampled future orders.",
}

#: (light palette, dark palette) for each badge key.
_BADGE_COLOURS: Mapping[str, tuple[str, str]] = {
    RouteStatus.PROPOSED.value: ("#6a1b9a", "#ce93d8"),
    RouteStatus.PLANNED.value: ("#1565c0", "#64b5f6"),
    RouteStatus.IN_PROGRESS.value: ("#c25e00", "#ffb74d"),
    RouteStatus.COMPLETED.value: ("#2e7d32", "#81c784"),
    RouteStatus.CANCELLED.value: ("#b3261e", "#ff8a80"),
    RouteStatus.DISCARDED.value: ("#6d6d6d", "#bdbdbd"),
    "committed": ("#2e7d32", "#81c784"),
}


def badge_color(key: str, widget: QWidget) -> QColor:
    """The colour of badge ``key`` for the widget's light or dark palette (grey if unknown)."""
    dark = widget.palette().color(QPalette.ColorRole.Base).lightness() < 128
    light_colour, dark_colour = _BADGE_COLOURS.get(key, ("#6d6d6d", "#bdbdbd"))
    return QColor(dark_colour if dark else light_colour)


def km(value: Decimal | float | None) -> str:
    """ "1,234.5 km"."""
    return NONE_SHOWN if value is None else f"{amount(value, places=1)} km"


def kes(value: Decimal | None) -> str:
    """ "KES 18,500.00" (figures in a column headed KES use ``money`` instead)."""
    return NONE_SHOWN if value is None else f"KES {money(value)}"


def percent(value: float | None) -> str:
    return NONE_SHOWN if value is None else f"{value:.0%}"


def duration_text(minutes: int | None) -> str:
    """ "7 h 05 min", "45 min"."""
    if minutes is None:
        return NONE_SHOWN
    hours, rest = divmod(int(minutes), 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def compute_text(milliseconds: int) -> str:
    """ "850 ms", "12.4 s", "2 min 05 s"."""
    if milliseconds < 1000:
        return f"{milliseconds} ms"
    seconds = milliseconds / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"


def parameter_value(value: float) -> str:
    """A parameter as typed: whole numbers without decimals, others with what they need."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.4g}"


def parameter_name(key: str) -> str:
    """ "late_penalty_per_min" → "Late penalty per min"."""
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def parameters_text(parameters: Mapping[str, float], *, limit: int = 3) -> str:
    """The first few parameters, short: "horizon 24 · samples 8 · …"."""
    items = [f"{k.replace('_', ' ')} {parameter_value(v)}" for k, v in sorted(parameters.items())]
    if not items:
        return "defaults"
    shown = " · ".join(items[:limit])
    return shown + (" · …" if len(items) > limit else "")


class BadgeDelegate(QStyledItemDelegate):
    """Paints a cell as a rounded, coloured badge with its text (the status columns).

    The colour comes from the model's :data:`BADGE_ROLE` (a status value); the selected row keeps
    its highlight behind the badge so the row still reads as selected.
    """

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        key = index.data(BADGE_ROLE)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        widget = option.widget  # type: ignore[attr-defined]
        if not key or not text or widget is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # type: ignore[attr-defined]
        style = widget.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        u = unit(widget)
        metrics = QFontMetrics(opt.font)  # type: ignore[attr-defined]
        rect: QRect = opt.rect  # type: ignore[attr-defined]
        height = min(rect.height() - 4, metrics.height() + u // 2)
        width = min(rect.width() - u, metrics.horizontalAdvance(str(text)) + u * 2)
        badge = QRectF(rect.left() + u // 2, rect.center().y() - height / 2 + 1, width, height)
        colour = badge_color(str(key), widget)
        if opt.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            # On the highlight, a status colour can vanish (blue on blue): use its text colour.
            colour = opt.palette.color(QPalette.ColorRole.HighlightedText)  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(colour)
        fill.setAlpha(40)
        painter.setPen(colour)
        painter.setBrush(fill)
        painter.drawRoundedRect(badge.adjusted(0.5, 0.5, -0.5, -0.5), height / 2, height / 2)
        painter.setFont(opt.font)  # type: ignore[attr-defined]
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(text))
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        widget = option.widget  # type: ignore[attr-defined]
        return size + QSize(unit(widget) * 3 if widget is not None else 12, 0)
