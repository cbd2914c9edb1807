"""The signed-in user's workspace: a navigation list on the left, the screens on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QWidget,
)

from senga_desktop.ui.pages.registry import PAGES
from senga_desktop.ui.style import icon, unit

if TYPE_CHECKING:
    from senga_desktop.ui.context import AppContext
    from senga_desktop.ui.pages.base import Page


class Workspace(QWidget):
    """The screens the actor may use, built for them at sign-in and discarded at sign-out."""

    page_changed = Signal(str)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        u = unit(self)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFrameShape(QFrame.Shape.NoFrame)
        self.navigation.setIconSize(QSize(u * 3, u * 3))
        self.navigation.setSpacing(u // 4)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        for page_class in PAGES:
            if page_class.permission is not None and not context.can(page_class.permission):
                continue
            page = page_class(context=context)
            page.navigation_requested.connect(self.open_item)
            self.pages[page.key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(icon(page.icon_name, widget=self), page.title)
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            item.setSizeHint(QSize(0, u * 5))
            self.navigation.addItem(item)
        width = max(self.navigation.sizeHintForColumn(0), u * 20) + u * 3
        self.navigation.setFixedWidth(width)
        self.navigation.currentRowChanged.connect(self._on_row_changed)
        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(separator)
        layout.addWidget(self.stack, 1)

    def keys(self) -> list[str]:
        return list(self.pages)

    def current_key(self) -> str | None:
        page = self.stack.currentWidget()
        return getattr(page, "key", None)

    def show_page(self, key: str) -> bool:
        """Bring the page to the front; False when this user has no such page."""
        if key not in self.pages:
            return False
        self.navigation.setCurrentRow(list(self.pages).index(key))
        return True

    def open_item(self, key: str, item_id: str) -> bool:
        """Bring page ``key`` to the front showing ``item_id``; False when this user has no such
        page or the page cannot show it."""
        if not self.show_page(key):
            return False
        return self.pages[key].open_item(item_id)

    def refresh_current(self) -> None:
        page = self.stack.currentWidget()
        if page is not None:
            page.refresh()  # type: ignore[attr-defined]

    def _on_row_changed(self, row: int) -> None:
        if row < 0:
            return
        page = list(self.pages.values())[row]
        self.stack.setCurrentWidget(page)
        page.activated()
        self.page_changed.emit(page.key)
