"""What every screen in the main window's navigation provides."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from senga_desktop.controllers.permissions import Permission
    from senga_desktop.ui.context import AppContext


class Page(QWidget):
    """A screen. Subclasses set the class attributes and fill themselves in.

    ``activated()`` is called each time the page comes to the front (refresh cheap data there);
    ``refresh()`` on F5. A page is built after sign-in for the signed-in actor and thrown away at
    sign-out, so no page ever shows one user's view to the next.

    Pages link to each other without knowing each other: a page emits
    ``navigation_requested(page_key, item_id)`` (e.g. ``("orders", "ORD-0042")``) and the workspace
    brings that page to the front and calls its :meth:`open_item`.
    """

    navigation_requested = Signal(str, str)

    key: ClassVar[str]
    title: ClassVar[str]
    icon_name: ClassVar[str]
    #: Shown only to users who have this permission (``None``: everyone signed in).
    permission: ClassVar[Permission | None] = None

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName(f"page_{self.key}")

    def activated(self) -> None:
        """The page came to the front."""

    def refresh(self) -> None:
        """Read the page's data again."""

    def open_item(self, item_id: str) -> bool:
        """Show one item of this page (an order, a route, a decision); ``False`` if it cannot."""
        return False
