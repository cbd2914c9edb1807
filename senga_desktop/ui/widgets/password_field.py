"""A password entry with a show/hide eye at its trailing edge.

The text is masked until the eye is clicked (or :meth:`PasswordField.set_revealed` is called);
clicking again masks it. :meth:`PasswordField.clear_password` empties the field and masks it again,
so a password shown once is not left visible for the next person at the desk.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QWidget

from senga_desktop.ui.style import icon

SHOW_TEXT = "Show password"
HIDE_TEXT = "Hide password"
_SHOW_ICON = "mdi6.eye-outline"
_HIDE_ICON = "mdi6.eye-off-outline"


class PasswordField(QLineEdit):
    """A ``QLineEdit`` in password echo mode with a trailing "Show password" action.

    ``revealed_changed(bool)`` is emitted when the text is shown (``True``) or masked again.
    """

    revealed_changed = Signal(bool)

    def __init__(
        self,
        *,
        name: str | None = None,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setPlaceholderText(placeholder)
        self.toggle_action = QAction(self)
        self.toggle_action.setObjectName("toggle_password_action")
        self.toggle_action.setCheckable(True)
        self.toggle_action.toggled.connect(self._on_toggle_toggled)
        self.addAction(self.toggle_action, QLineEdit.ActionPosition.TrailingPosition)
        self._update_action()

    @property
    def revealed(self) -> bool:
        return self.echoMode() == QLineEdit.EchoMode.Normal

    def set_revealed(self, revealed: bool) -> None:
        """Show the password in clear text (``True``) or mask it."""
        self.toggle_action.setChecked(revealed)

    def clear_password(self) -> None:
        """Empty the field and mask it again."""
        self.clear()
        self.set_revealed(False)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._update_action()  # redraw the eye in the new text colour (light/dark switch)

    def _on_toggle_toggled(self, checked: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if checked else QLineEdit.EchoMode.Password)
        if checked:  # Qt drops these hints outside password mode: input methods must not
            # learn, predict or capitalise a password just because it is shown.
            self.setInputMethodHints(
                self.inputMethodHints()
                | Qt.InputMethodHint.ImhSensitiveData
                | Qt.InputMethodHint.ImhNoPredictiveText
                | Qt.InputMethodHint.ImhNoAutoUppercase
            )
        self._update_action()
        self.revealed_changed.emit(checked)

    def _update_action(self) -> None:
        text = HIDE_TEXT if self.revealed else SHOW_TEXT
        self.toggle_action.setIcon(icon(_HIDE_ICON if self.revealed else _SHOW_ICON, widget=self))
        self.toggle_action.setText(text)
        self.toggle_action.setToolTip(text)
        for button in self.toggle_action.associatedObjects():
            if isinstance(button, QWidget) and button is not self:
                button.setAccessibleName(text)
