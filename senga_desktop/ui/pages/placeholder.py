"""Screens whose full version arrives in a later release: say what they will hold and what
can be done meanwhile, instead of an empty grey area."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import QVBoxLayout, QWidget

from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.style import centred, heading, icon, icon_label, markdown_label, muted, unit

if TYPE_CHECKING:
    from senga_desktop.ui.context import AppContext


class PlaceholderPage(Page):
    """A page with an icon, a title, what it is for and what to do meanwhile."""

    purpose: ClassVar[str]
    meanwhile: ClassVar[str]

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        u = unit(self)
        column = QWidget()
        inner = QVBoxLayout(column)
        inner.setSpacing(u * 2)
        inner.addWidget(icon_label(icon(self.icon_name, accent=True, widget=self), u * 8))
        inner.addWidget(heading(self.title, name=f"{self.key}_title"))
        purpose = markdown_label(self.purpose)
        purpose.setObjectName(f"{self.key}_purpose")
        inner.addWidget(purpose)
        inner.addWidget(muted(markdown_label(self.meanwhile)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 4, u * 4, u * 4, u * 4)
        layout.addStretch(1)
        layout.addLayout(centred(column, max_chars=80))
        layout.addStretch(2)
