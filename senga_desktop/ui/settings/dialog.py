"""The Settings dialog: a list of pages on the left, the chosen page on the right, OK/Apply/Cancel.

:data:`PAGE_CLASSES` is the one registry of pages; each class carries its key, title, icon and the
permission needed to see it, and the dialog builds only the pages the signed-in user may see.

OK and Apply first ``check()`` every page with unsaved edits; if one fails, the first such page is
brought to the front with its errors shown at their fields and nothing is saved. Otherwise the
pages save one after another (each through the task runner) and OK closes the dialog when the
last one is done. Pages that act at once through their own buttons (Users, Database) have
nothing left for OK to do.

Usage from the main window::

    dialog = SettingsDialog(context=context, parent=window)
    dialog.general_changed.connect(window._on_general_changed)
    dialog.database_switched.connect(window._on_database_switched)  # attach, then sign out
    dialog.open_page("users")
    dialog.open()
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import qtawesome as qta
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings.account_page import AccountPage
from senga_desktop.ui.settings.database_page import DatabasePage
from senga_desktop.ui.settings.general_page import GeneralPage
from senga_desktop.ui.settings.page import SettingsPage
from senga_desktop.ui.settings.trips_page import TripsPage
from senga_desktop.ui.settings.users_page import UsersPage
from senga_desktop.ui.style import unit

#: Every Settings page, in the order listed. Visibility follows each class's ``permission``.
PAGE_CLASSES: tuple[type[SettingsPage], ...] = (
    AccountPage,
    UsersPage,
    DatabasePage,
    GeneralPage,
    TripsPage,
)

#: The opening size, in device-independent pixels; larger when the user's font is larger.
DEFAULT_SIZE = QSize(900, 600)


class SettingsDialog(QDialog):
    """The Settings dialog for the signed-in user (see the module docstring).

    Signals:
        general_changed(GeneralSettings): the General page saved new settings (``context.general``
            holds them already).
        database_switched(OpenedDatabase): the Database page switched databases; the dialog closes
            and the receiver must attach the new database and sign the user out.
    """

    general_changed = Signal(object)
    database_switched = Signal(object)

    def __init__(
        self,
        *,
        context: AppContext,
        parent: QWidget | None = None,
        page_classes: Sequence[type[SettingsPage]] = PAGE_CLASSES,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle("Settings")
        self.context = context
        self._pages: dict[str, SettingsPage] = {}
        #: Pages still to save in the running OK / Apply, first one saving now.
        self._saving: list[SettingsPage] = []
        self._close_when_saved = False
        space = unit(self)

        self.page_list = QListWidget()
        self.page_list.setObjectName("page_list")
        self.page_list.setIconSize(QSize(space * 3, space * 3))
        self.page_list.setSpacing(space // 4)
        self.page_list.setUniformItemSizes(True)
        # Highlight the icon with its title: otherwise Fusion leaves a seam between the two.
        self.page_list.setStyleSheet("QListView { show-decoration-selected: 1; }")
        self.page_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page_list.setFixedWidth(self.fontMetrics().averageCharWidth() * 24 + space * 6)
        self.stack = QStackedWidget()
        self.stack.setObjectName("page_stack")

        for page_class in page_classes:
            if page_class.visible_to(context):
                self._add_page(page_class(context=context))
        self.page_list.currentRowChanged.connect(self._on_page_chosen)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("dialog_buttons")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.clicked.connect(self._on_button_clicked)

        columns = QHBoxLayout()
        columns.setSpacing(space * 2)
        columns.addWidget(self.page_list)
        columns.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(space * 2, space * 2, space * 2, space * 2)
        layout.setSpacing(space * 2)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)
        self.resize(DEFAULT_SIZE.expandedTo(QSize(space * 112, space * 75)))

        for page in self._pages.values():
            page.load()
        if self._pages:
            self.page_list.setCurrentRow(0)
        self._update_buttons()

    def _add_page(self, page: SettingsPage) -> None:
        space = unit(self)
        self._pages[page.key] = page
        item = QListWidgetItem(self._list_icon(page.icon_name), page.title)
        item.setData(Qt.ItemDataRole.UserRole, page.key)
        item.setSizeHint(QSize(0, space * 5))
        self.page_list.addItem(item)
        # Each page scrolls on its own, so a small screen or a large font never clips it.
        frame = QWidget()
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(space * 2, space, space * 2, space)
        inner.addWidget(page)
        scroll = QScrollArea()
        scroll.setObjectName(f"{page.key}_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(frame)
        self.stack.addWidget(scroll)
        page.edited.connect(self._update_buttons)
        page.saved.connect(partial(self._on_page_saved, page))
        page.save_failed.connect(partial(self._on_page_save_failed, page))
        if isinstance(page, GeneralPage):
            page.general_changed.connect(self.general_changed)
        if isinstance(page, DatabasePage):
            page.database_switched.connect(self._on_database_switched)

    def _list_icon(self, name: str) -> QIcon:
        """The page's icon in the list's text colour, and its selected-text colour when chosen."""
        palette = self.page_list.palette()
        drawn: QIcon = qta.icon(
            name,
            color=palette.color(QPalette.ColorRole.Text),
            color_active=palette.color(QPalette.ColorRole.Text),
            color_selected=palette.color(QPalette.ColorRole.HighlightedText),
        )
        return drawn

    # -- public API ---------------------------------------------------------------------------

    def page_keys(self) -> list[str]:
        """The keys of the pages this user sees, in list order."""
        return list(self._pages)

    def page(self, key: str) -> SettingsPage | None:
        """The page with ``key``, or ``None`` when this user may not see it."""
        return self._pages.get(key)

    def current_page(self) -> SettingsPage | None:
        row = self.page_list.currentRow()
        return list(self._pages.values())[row] if 0 <= row < len(self._pages) else None

    def open_page(self, key: str) -> bool:
        """Bring page ``key`` to the front; ``False`` when this user may not see it."""
        keys = self.page_keys()
        if key not in keys:
            return False
        self.page_list.setCurrentRow(keys.index(key))
        return True

    def dirty_pages(self) -> list[SettingsPage]:
        return [page for page in self._pages.values() if page.is_dirty()]

    def apply(self, *, close: bool = False) -> bool:
        """Check, then save every page with edits; ``False`` when a check failed.

        Saving runs through the task runner; with ``close`` the dialog is accepted once every
        page saved (at once when there was nothing to save).
        """
        if self._saving:
            return True  # a save is running; its end decides
        dirty = self.dirty_pages()
        failed = [page for page in dirty if not page.check()]
        if failed:
            self.open_page(failed[0].key)
            return False
        self._saving = dirty
        self._close_when_saved = close
        self._update_buttons()
        self._save_next()
        return True

    # -- saving one page after another ---------------------------------------------------------

    def _save_next(self) -> None:
        if self._saving:
            self._saving[0].save()  # ends in _on_page_saved or _on_page_save_failed
            return
        self._update_buttons()
        if self._close_when_saved:
            self._close_when_saved = False
            self.accept()

    def _on_page_saved(self, page: SettingsPage) -> None:
        if not self._saving or self._saving[0] is not page:
            return  # saved by the page's own button, not by OK / Apply
        self._saving.pop(0)
        self._save_next()

    def _on_page_save_failed(self, page: SettingsPage) -> None:
        if not self._saving or self._saving[0] is not page:
            return
        self._saving.clear()
        self._close_when_saved = False
        self.open_page(page.key)
        self._update_buttons()

    # -- slots --------------------------------------------------------------------------------

    def _on_page_chosen(self, row: int) -> None:
        self.stack.setCurrentIndex(row)

    def _on_button_clicked(self, button: QAbstractButton) -> None:
        if button is self.ok_button:
            self.apply(close=True)
        elif button is self.apply_button:
            self.apply()
        elif button is self.cancel_button:
            self.reject()

    def _on_database_switched(self, opened: object) -> None:
        self.database_switched.emit(opened)
        self.accept()

    def _update_buttons(self) -> None:
        saving = bool(self._saving)
        self.ok_button.setEnabled(not saving)
        self.apply_button.setEnabled(not saving and bool(self.dirty_pages()))
