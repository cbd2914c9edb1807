"""Held orders grouped by reason: a group per reason with its count, each order and its sentence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.plan_views import HeldView
from senga_desktop.ui.style import icon, muted, unit
from senga_desktop.ui.widgets.plan_panel.formatting import number

__all__ = ["REASON_TITLES", "HeldOrdersView"]

#: Group titles by reason code, in the order a dispatcher should read them: what they can fix
#: first (trucks, windows), the policy's own choice last.
REASON_TITLES: dict[str, str] = {
    "no_truck_free": "No compatible truck free",
    "truck_full": "Trucks full",
    "window_missed": "Would miss a window",
    "shift_exceeded": "Would overrun a shift",
    "window_unreachable": "Window cannot be reached",
    "window_closed": "Window already closed",
    "beyond_shift": "Too far for any shift",
    "no_compatible_truck": "No truck with the handling needed",
    "too_heavy": "Too heavy for every truck",
    "too_bulky": "Too bulky for every truck",
    "fits_on_route": "Fits, but the policy held it",
    "held_by_policy": "Held for a better load",
}
ORDER_ROLE = Qt.ItemDataRole.UserRole + 1


class _WrappingDelegate(QStyledItemDelegate):
    """Row height from the sentence wrapped to its column's width (the view does not do it)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if index.column() != 1:
            return hint
        width = max(50, self._tree.columnWidth(1) - 8)
        text = str(index.data() or "")
        rect = self._tree.fontMetrics().boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(hint.width(), max(hint.height(), rect.height() + 6))


class HeldOrdersView(QWidget):
    """The tree of held orders; double-click or "Open order" emits ``order_open_requested``."""

    order_open_requested = Signal(str)

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("held_tree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Order", "Why it was held"])
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegateForColumn(1, _WrappingDelegate(self.tree))
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(True)
        # Row heights are measured when items are laid out; measure again when the sentence
        # column changes width, so the sentences wrap instead of running off the edge.
        header.sectionResized.connect(lambda *_: self.tree.scheduleDelayedItemsLayout())
        self.tree.itemDoubleClicked.connect(self._on_double_clicked)
        self.tree.currentItemChanged.connect(self._on_current_changed)

        self.caption = muted(QLabel("No order was held."))
        self.caption.setObjectName("held_caption")
        self.caption.setWordWrap(True)
        self.open_button = QPushButton(icon("mdi6.open-in-app", widget=self), "Open order")
        self.open_button.setObjectName("open_held_order")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.open_action = QAction(icon("mdi6.open-in-app", widget=self), "Open order", self)
        self.open_action.setObjectName("open_held_order_action")
        self.open_action.triggered.connect(self._on_open_clicked)

        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, unit(self) // 2, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)

    def set_held(self, held: Sequence[HeldView]) -> None:
        self.tree.clear()
        groups: dict[str, list[HeldView]] = defaultdict(list)
        for item in held:
            groups[item.code].append(item)
        order = list(REASON_TITLES)
        bold = QFont(self.tree.font())
        bold.setWeight(QFont.Weight.DemiBold)
        for code in sorted(groups, key=lambda c: (order.index(c) if c in order else len(order), c)):
            items = sorted(groups[code], key=lambda h: h.order_id)
            title = REASON_TITLES.get(code, code.replace("_", " ").capitalize())
            group = QTreeWidgetItem([f"{title} ({len(items)})", ""])
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for h in items:
                child = QTreeWidgetItem([h.order_id, h.message])
                child.setData(0, ORDER_ROLE, h.order_id)
                child.setToolTip(0, f"{h.customer} · {h.town} · {number(h.weight_tonnes)} t")
                child.setToolTip(1, h.message)
                group.addChild(child)
            group.setExpanded(True)
        if held:
            self.caption.setText(
                f"{len(held)} orders held, in {len(groups)} groups. Double-click one to open it."
            )
        else:
            self.caption.setText("No order was held: every order in the run is on a route.")
        self.open_button.setEnabled(False)

    def group_titles(self) -> list[str]:
        return [self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())]

    def select_order(self, order_id: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                child = group.child(j)
                if child.data(0, ORDER_ROLE) == order_id:
                    self.tree.setCurrentItem(child)
                    self.tree.scrollToItem(child)
                    return True
        return False

    def current_order(self) -> str | None:
        return self.order_of(self.tree.currentItem())

    @staticmethod
    def order_of(item: QTreeWidgetItem | None) -> str | None:
        """The order of a row of the tree (``None`` for a group's heading)."""
        value = item.data(0, ORDER_ROLE) if item is not None else None
        return str(value) if value else None

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        self.open_button.setEnabled(current is not None and bool(current.data(0, ORDER_ROLE)))

    def _on_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        order_id = item.data(0, ORDER_ROLE)
        if order_id:
            self.order_open_requested.emit(str(order_id))

    def _on_open_clicked(self) -> None:
        order_id = self.current_order()
        if order_id:
            self.order_open_requested.emit(order_id)
