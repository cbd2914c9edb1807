"""The column chooser of a table: which columns show, in which order and how wide, remembered.

Right-clicking a table's header opens a menu with a check box per column and "Reset columns";
moving and resizing columns is the header's own business. Everything the header knows (hidden
columns, order, widths and the sort indicator) is saved with ``QHeaderView.saveState()`` in
``QSettings`` under the table's key whenever it changes, and restored when the table is built
again, so the choice survives signing out and restarting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QByteArray, QObject, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu

from senga_desktop.ui.context import APPLICATION_NAME, ORGANIZATION_NAME
from senga_desktop.ui.style import unit

__all__ = ["ColumnChooser", "app_settings", "fitting_widths"]

RESET_TEXT = "Reset columns"


def app_settings() -> QSettings:
    """The app's per-user settings (the same store the main window uses)."""
    return QSettings(ORGANIZATION_NAME, APPLICATION_NAME)


def fitting_widths(
    table: QAbstractItemView, texts: Mapping[int, tuple[str, str]], *, icons: Iterable[int] = ()
) -> dict[int, int]:
    """First widths that show each column's title and its usual value (``texts``: both, by
    column), with room for the cell padding and the sort arrow, and for an icon in ``icons``."""
    metrics = table.fontMetrics()
    padding = unit(table) * 2 + metrics.averageCharWidth()
    icon_room = metrics.height() + 6
    with_icon = frozenset(icons)
    return {
        column: padding
        + max(
            metrics.horizontalAdvance(title),
            metrics.horizontalAdvance(sample) + (icon_room if column in with_icon else 0),
        )
        for column, (title, sample) in texts.items()
    }


class ColumnChooser(QObject):
    """Offers and remembers the columns of ``header``.

    ``titles`` names every column (by logical index); ``widths`` gives each column's first width
    in pixels; ``hidden_by_default`` are hidden until the user shows them. The key includes the
    number of columns, so a version of the app with other columns starts from the defaults
    instead of misreading an old layout.
    """

    #: A column was shown or hidden, or the columns were reset (the argument: the column, or -1).
    columns_changed = Signal(int)

    def __init__(
        self,
        *,
        header: QHeaderView,
        key: str,
        titles: Mapping[int, str],
        widths: Mapping[int, int],
        hidden_by_default: Iterable[int] = (),
        settings: Callable[[], QSettings] = app_settings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or header)
        self.header = header
        self.titles = dict(titles)
        self.widths = dict(widths)
        self.hidden_by_default = frozenset(hidden_by_default)
        self.key = f"{key}/header_v{len(self.titles)}"
        self._settings = settings
        # Nothing is saved before the saved layout was read: the header's own first settings
        # (while the table is built) would otherwise overwrite it.
        self._restoring = True
        #: The menu last opened from the header (tests look at it).
        self.menu: QMenu | None = None
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_menu_requested)
        header.setSectionsMovable(True)
        header.sectionResized.connect(self._on_header_changed)
        header.sectionMoved.connect(self._on_header_changed)
        header.sortIndicatorChanged.connect(self._on_header_changed)

    # -- remembering ----------------------------------------------------------------------------

    def restore(self) -> bool:
        """Apply the saved layout; the defaults when none is saved (``False`` then)."""
        state = self._settings().value(self.key)
        try:
            saved = isinstance(state, QByteArray) and not state.isEmpty()
            if saved and self.header.restoreState(state) and self.visible_columns():
                return True
            self.apply_defaults()
            return False
        finally:
            self._restoring = False

    def apply_defaults(self) -> None:
        """The first layout: default widths, default hidden columns, the original order."""
        header = self.header
        for logical in range(header.count()):
            visual = header.visualIndex(logical)
            if visual != logical:
                header.moveSection(visual, logical)
        for logical, width in self.widths.items():
            header.resizeSection(logical, width)
        for logical in self.titles:
            header.setSectionHidden(logical, logical in self.hidden_by_default)

    def save(self) -> None:
        settings = self._settings()
        settings.setValue(self.key, self.header.saveState())

    # -- choosing -------------------------------------------------------------------------------

    def visible_columns(self) -> list[int]:
        """The logical indexes of the shown columns, in their on-screen order."""
        header = self.header
        ordered = sorted(range(header.count()), key=header.visualIndex)
        return [logical for logical in ordered if not header.isSectionHidden(logical)]

    def set_visible(self, column: int, visible: bool) -> bool:
        """Show or hide ``column``; the last shown column cannot be hidden (``False``)."""
        if not visible and self.visible_columns() == [column]:
            return False
        self.header.setSectionHidden(column, not visible)
        if visible and self.header.sectionSize(column) < self.header.minimumSectionSize() * 2:
            self.header.resizeSection(column, self.widths.get(column, 100))
        self.save()
        self.columns_changed.emit(column)
        return True

    def reset(self) -> None:
        self.apply_defaults()
        self.save()
        self.columns_changed.emit(-1)

    def build_menu(self) -> QMenu:
        """The header's menu: a check box per column, then Reset columns."""
        menu = QMenu(self.header)
        menu.setObjectName("column_menu")
        visible = self.visible_columns()
        for logical, title in self.titles.items():
            action = QAction(title, menu)
            action.setObjectName(f"column_{logical}")
            action.setCheckable(True)
            action.setChecked(logical in visible)
            # The last column shown stays: a table without columns shows nothing to click.
            action.setEnabled(visible != [logical])
            action.toggled.connect(
                lambda checked, column=logical: self.set_visible(column, checked)
            )
            menu.addAction(action)
        menu.addSeparator()
        reset = menu.addAction(RESET_TEXT)
        reset.setObjectName("reset_columns")
        reset.triggered.connect(self.reset)
        return menu

    def _on_menu_requested(self, position: QPoint) -> None:
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = self.build_menu()
        self.menu.popup(self.header.mapToGlobal(position))

    def _on_header_changed(self, *_args: object) -> None:
        if not self._restoring:
            self.save()
