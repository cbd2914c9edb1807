"""The controls around a list screen's table: its commands and its filter bar.

Commands: the fleet board, the order list and the customer list each keep their commands in one
``QObject`` (:class:`PageActions`): every command is a ``QAction`` (for menus, shortcuts and
buttons alike), the buttons (:func:`action_button`) follow their action's text and state, and a
command that opens a dialog keeps it as ``active_dialog`` until it closes (tests and the page look
at it; it is deleted afterwards).

Filters: the fleet board and the order list collect them the same way (:class:`FilterBar`):
typing waits for a short pause before the list is asked for again (one query per search, not one
per key), choosing from a list applies at once, "Clear" resets every control with one reload, and
Escape in the search box empties it. Each bar adds its own controls, says which of them
:meth:`FilterBar.clear` resets and when it counts as filtering.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QWidget

from senga_desktop.ui.context import AppContext
from senga_desktop.ui.style import icon

__all__ = [
    "FilterBar",
    "PageActions",
    "action_button",
    "clear_filters_button",
    "search_line_edit",
]


def action_button(
    action: QAction, *, name: str | None = None, follow_tooltip: bool = True
) -> QPushButton:
    """A push button that triggers ``action`` and follows its text, state and visibility.

    ``follow_tooltip`` also copies the action's tooltip (the lists explain their commands there;
    the fleet's buttons carry none).
    """
    button = QPushButton(action.icon(), action.text())
    button.setObjectName(name or f"{action.objectName()}_button")
    button.setAutoDefault(False)

    def follow() -> None:
        button.setText(action.text())
        if follow_tooltip:
            button.setToolTip(action.toolTip())
        button.setEnabled(action.isEnabled())
        button.setVisible(action.isVisible())

    action.changed.connect(follow)
    button.clicked.connect(action.trigger)
    follow()
    return button


class PageActions(QObject):
    """Base of a screen's commands: :meth:`_action` makes one, :meth:`_open_dialog` shows a
    dialog as :attr:`active_dialog` until it closes."""

    def __init__(self, *, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        #: The screen: the dialogs' parent, and the widget the icons are drawn for.
        self._parent = parent
        #: The dialog one of the commands opened, while it is open.
        self.active_dialog: QDialog | None = None

    def _action(
        self,
        name: str,
        text: str,
        icon_name: str,
        slot: Callable[[], None],
        shortcut: str | None = None,
    ) -> QAction:
        """A command named ``name`` (its object name) that calls ``slot`` with no arguments."""
        action = QAction(icon(icon_name, widget=self._parent), text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(shortcut)
        # ``triggered`` passes ``checked``; the slots take nothing, so it is dropped here.
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _open_dialog(self, dialog: QDialog) -> None:
        """Show ``dialog`` window-modal, as :attr:`active_dialog` until it finishes."""
        self.active_dialog = dialog
        dialog.finished.connect(partial(self._on_dialog_finished, dialog))
        dialog.open()

    def _on_dialog_finished(self, dialog: QDialog, _result: int) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        # Deleted later, not now: the dialog is still inside its own ``finished`` emission.
        dialog.deleteLater()


# -- filters ------------------------------------------------------------------------------------


def search_line_edit(
    parent: QWidget, *, name: str, placeholder: str, accessible_name: str, width_chars: int
) -> QLineEdit:
    """A search box in the house style: a magnifier in front, a clear button, a sensible width."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.addAction(icon("mdi6.magnify", widget=parent), QLineEdit.ActionPosition.LeadingPosition)
    edit.setAccessibleName(accessible_name)
    edit.setMinimumWidth(parent.fontMetrics().averageCharWidth() * width_chars)
    return edit


def clear_filters_button(parent: QWidget, text: str) -> QPushButton:
    """The bar's "clear the filters" button (``clear_filters``); never the dialog default."""
    button = QPushButton(icon("mdi6.filter-remove-outline", widget=parent), text)
    button.setObjectName("clear_filters")
    button.setAutoDefault(False)
    return button


class FilterBar(QWidget):
    """Base of the filter bars.

    Subclasses create :attr:`search_edit` and :attr:`clear_button` (see :func:`search_line_edit`
    and :func:`clear_filters_button`), connect typed text to :meth:`_on_typed` and choices to
    :meth:`_on_changed`, and implement :meth:`is_filtering`, :meth:`_filter_inputs` and
    :meth:`_reset`.
    """

    #: The filters changed (after the typing pause, for typed text).
    filters_changed = Signal()

    search_edit: QLineEdit
    clear_button: QPushButton

    def __init__(self, *, name: str, delay_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._typing_timer = QTimer(self)
        self._typing_timer.setSingleShot(True)
        self._typing_timer.setInterval(delay_ms)
        self._typing_timer.timeout.connect(self._on_changed)

    # -- what a bar says about itself -----------------------------------------------------------

    def is_filtering(self) -> bool:
        """Whether anything hides rows (enables the clear button)."""
        raise NotImplementedError

    def _filter_inputs(self) -> tuple[QWidget, ...]:
        """The controls whose signals are held while :meth:`clear` resets them."""
        raise NotImplementedError

    def _reset(self) -> None:
        """Put every control back to "everything" (signals held: no reload per control)."""
        raise NotImplementedError

    # -- clearing and flushing ------------------------------------------------------------------

    def clear(self) -> None:
        """Show everything again (one reload, not one per control)."""
        widgets = self._filter_inputs()
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._reset()
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._on_changed()

    def flush(self) -> None:
        """Apply typing still waiting for its pause (tests, and pressing Enter)."""
        if self._typing_timer.isActive():
            self._on_changed()

    # -- slots ----------------------------------------------------------------------------------

    def _on_typed(self, *_args: object) -> None:
        # Each key restarts the pause: the search runs once the user stops typing.
        self._typing_timer.start()

    def _on_changed(self, *_args: object) -> None:
        self._typing_timer.stop()
        self._update_clear_button()
        self.filters_changed.emit()

    def _update_clear_button(self) -> None:
        self.clear_button.setEnabled(self.is_filtering())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search_edit.hasFocus():
            self.search_edit.clear()
            self.flush()
            return
        super().keyPressEvent(event)
