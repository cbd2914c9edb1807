"""Status bar entries: a small icon and a text."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from senga_desktop.ui.style import icon, unit


class StatusItem(QWidget):
    """A status bar entry: a small icon and a text (with the full story in its tooltip)."""

    def __init__(self, *, name: str, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setObjectName(f"{name}_text")
        u = unit(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(u, 0, u, 0)
        layout.setSpacing(u // 2)
        layout.addWidget(self._icon)
        layout.addWidget(self._text)
        self.set_icon(icon_name)

    def set_icon(self, icon_name: str) -> None:
        size = self.fontMetrics().height()
        self._icon.setPixmap(icon(icon_name, widget=self).pixmap(QSize(size, size)))

    def text(self) -> str:
        return self._text.text()

    def setText(self, text: str) -> None:
        self._text.setText(text)
        self.updateGeometry()  # the status bar lays out again for the new width
