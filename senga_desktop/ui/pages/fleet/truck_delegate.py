"""Drawing the board's rows: a group header, or a truck as a two-line card.

A card reads left to right in five columns that line up from card to card:

=================  ================  ====================  ================  =================
plate (bold)       type              town                  capability tags   today's routes
fleet number       capacity t · m³   free from (depot)                       hours of shift
=================  ================  ====================  ================  =================

with a stripe in the status colour on the left. Everything is painted, nothing is a widget, so
only the cards on screen cost anything. Sizes follow the font, colours the palette (light or dark).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from senga_desktop.controllers.fleet_board import VehicleInfo
from senga_desktop.domain import SpecialHandling
from senga_desktop.ui.pages.fleet.board_model import HEADER_ROLE, VEHICLE_ROLE, GroupHeader
from senga_desktop.ui.pages.fleet.formatting import (
    CAPABILITY_ICONS,
    CAPABILITY_SHORT,
    capacity_text,
    free_text,
    ordered_capabilities,
    routes_text,
    shift_use_text,
    status_color,
)
from senga_desktop.ui.style import icon, scaled_font, unit

AnyIndex = QModelIndex | QPersistentModelIndex

#: The five columns' shares of a card's width (see the module docstring).
COLUMN_SHARES = (0.14, 0.19, 0.23, 0.25, 0.19)


class TruckDelegate(QStyledItemDelegate):
    """Paints header rows and truck cards for :class:`~.board_model.FleetBoardModel`."""

    def __init__(self, *, parent: QWidget) -> None:
        super().__init__(parent)
        self._view = parent
        self._icons: dict[tuple[SpecialHandling | str, bool], QIcon] = {}

    # -- sizes --------------------------------------------------------------------------------

    def _unit(self) -> int:
        return unit(self._view)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        line = QFontMetrics(option.font).height()
        u = self._unit()
        if index.data(HEADER_ROLE) is not None:
            heading = QFontMetrics(self._heading_font(option.font)).height()
            return QSize(u * 40, heading + u * 2)
        # Two lines of text, air above and below, and the gap between cards.
        return QSize(u * 40, line * 2 + u * 3 // 2 + u * 2)

    def _heading_font(self, base: QFont) -> QFont:
        return scaled_font(base, 1.1, QFont.Weight.DemiBold)

    # -- painting -----------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        header = index.data(HEADER_ROLE)
        info = index.data(VEHICLE_ROLE)
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            if isinstance(header, GroupHeader):
                self._paint_header(painter, option, header)
            elif isinstance(info, VehicleInfo):
                self._paint_card(painter, option, index, info)
        finally:
            painter.restore()

    def _paint_header(
        self, painter: QPainter, option: QStyleOptionViewItem, header: GroupHeader
    ) -> None:
        u = self._unit()
        rect = option.rect.adjusted(u, u, -u, 0)
        palette = option.palette
        font = self._heading_font(option.font)
        metrics = QFontMetrics(font)
        dot = metrics.height() // 2
        centre_y = rect.top() + (rect.height() - u // 2) // 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status_color(header.status, self._view))
        painter.drawEllipse(QRect(rect.left(), centre_y - dot // 2, dot, dot))
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        text_left = rect.left() + dot + u
        text_rect = QRect(text_left, rect.top(), rect.width() - dot - u, rect.height() - u // 2)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, header.label)
        count_left = text_left + metrics.horizontalAdvance(header.label) + u
        painter.setFont(option.font)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        count = header.count_text() if header.shown else "none"
        if header.shown == 0 and header.filtered:
            count = f"none of {header.in_fleet}"
        painter.drawText(
            QRect(count_left, rect.top(), rect.right() - count_left, rect.height() - u // 2),
            Qt.AlignmentFlag.AlignVCenter,
            count,
        )

    def _paint_card(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex, info: VehicleInfo
    ) -> None:
        u = self._unit()
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        card = option.rect.adjusted(u, u // 2, -u, -u // 2)
        radius = max(3, u // 2)
        fill = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
        border = palette.color(QPalette.ColorRole.Highlight if hovered else QPalette.ColorRole.Mid)
        painter.setPen(QPen(border, 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        stripe = QRect(card.left(), card.top(), max(4, u // 2), card.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status_color(info.status, self._view))
        painter.drawRoundedRect(QRectF(stripe), radius / 2, radius / 2)

        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet = text if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        if selected:
            quiet.setAlpha(210)
        body = card.adjusted(stripe.width() + u * 3 // 2, u * 3 // 4, -u, -u * 3 // 4)
        columns = self._columns(body, u)
        line = QFontMetrics(option.font).height()
        top = QRect(0, body.top(), 0, line)
        bottom = QRect(0, body.bottom() - line + 1, 0, line)
        model = index.model()
        zone = getattr(model, "zone", None)
        now = getattr(model, "now", None)
        free = free_text(info, zone, now) if zone is not None and now is not None else ""
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        # Trucks from before plates had a column carry the plate as their fleet number too.
        number = info.vehicle_id if info.vehicle_id != info.label else ""
        cells = (
            (0, info.label, number),
            (1, info.vehicle_type, capacity_text(info)),
            (2, info.location_name or "Location unknown", free),
            (4, routes_text(info), shift_use_text(info) if info.routes_today else ""),
        )
        for column, first, second in cells:
            left, width = columns[column]
            painter.setFont(bold if column == 0 else option.font)
            self._text(painter, QRect(left, top.top(), width, line), first, text)
            painter.setFont(option.font)
            self._text(painter, QRect(left, bottom.top(), width, line), second, quiet)
        left, width = columns[3]
        self._tags(painter, option, info, QRect(left, body.top(), width, body.height()), selected)

    @staticmethod
    def _columns(body: QRect, u: int) -> list[tuple[int, int]]:
        columns = []
        left = body.left()
        for share in COLUMN_SHARES:
            width = int(body.width() * share)
            columns.append((left, max(0, width - u)))
            left += width
        return columns

    @staticmethod
    def _text(painter: QPainter, rect: QRect, text: str, colour: QColor) -> None:
        if not text or rect.width() <= 0:
            return
        painter.setPen(colour)
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)

    def _icon(self, capability: SpecialHandling, selected: bool) -> QIcon:
        key = (capability, selected)
        if key not in self._icons:
            self._icons[key] = icon(
                CAPABILITY_ICONS[capability], accent=not selected, widget=self._view
            )
        return self._icons[key]

    def _tags(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        info: VehicleInfo,
        rect: QRect,
        selected: bool,
    ) -> None:
        """Small outlined tags, an icon and a word each; icons alone when the words do not fit."""
        capabilities = ordered_capabilities(info)
        if not capabilities or rect.width() <= 0:
            return
        u = self._unit()
        metrics = QFontMetrics(option.font)
        size = metrics.height()
        pad = u // 2
        with_words = [
            size + pad * 3 + metrics.horizontalAdvance(CAPABILITY_SHORT[c]) for c in capabilities
        ]
        words = sum(with_words) + u // 2 * (len(capabilities) - 1) <= rect.width()
        palette = option.palette
        colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        outline = QColor(colour)
        outline.setAlpha(110)
        height = size + pad
        top = rect.top() + (rect.height() - height) // 2
        left = rect.left()
        for capability, full in zip(capabilities, with_words, strict=True):
            width = full if words else size + pad * 2
            if left + width > rect.right() + 1:
                break
            tag = QRectF(left + 0.5, top + 0.5, width - 1, height - 1)
            painter.setPen(QPen(outline, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(tag, height / 2, height / 2)
            self._icon(capability, selected).paint(
                painter, QRect(QPoint(left + pad, top + pad // 2), QSize(size, size))
            )
            if words:
                painter.setPen(colour)
                painter.drawText(
                    QRect(left + pad * 2 + size, top, width - size - pad * 2, height),
                    Qt.AlignmentFlag.AlignVCenter,
                    CAPABILITY_SHORT[capability],
                )
            left += width + u // 2
