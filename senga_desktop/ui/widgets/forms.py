"""Inline form messages: each problem is shown under the field it concerns, never in a pop-up.

A form registers its fields with :class:`FormErrors`; a controller's ``ValidationError(field, …)``
(or several, from a multi-field check) is routed to the matching field, and anything without a
field goes to the form-level message at the top.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.style import error_color


class InlineMessage(QLabel):
    """A word-wrapped message in the palette-aware error colour; hidden while empty."""

    def __init__(self, *, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(f"color: {error_color(self)};")
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.show_message("")


class FormErrors:
    """The error labels of one form, keyed by the controller's field names."""

    def __init__(self, *, form_message: InlineMessage) -> None:
        self.form_message = form_message
        self._fields: dict[str, tuple[QWidget, InlineMessage]] = {}

    def add_row(self, layout: QFormLayout, label: str, field: str, widget: QWidget) -> None:
        """Add ``widget`` to ``layout`` with its (hidden) message label right under it."""
        message = InlineMessage(name=f"{field}_error")
        layout.addRow(label, widget)
        layout.addRow("", message)
        self.register(field, widget, message)

    def register(self, field: str, widget: QWidget, message: InlineMessage) -> None:
        self._fields[field] = (widget, message)

    def message_for(self, field: str) -> InlineMessage:
        return self._fields[field][1]

    def clear(self) -> None:
        self.form_message.clear_message()
        for _, message in self._fields.values():
            message.clear_message()

    def show(self, errors: Iterable[ValidationError] | SengaError) -> None:
        """Show each error at its field (the first one with focus); others at the top."""
        self.clear()
        if isinstance(errors, SengaError):
            nested = getattr(errors, "errors", None)
            errors = nested if nested else [errors]  # type: ignore[assignment]
        focused = False
        for error in errors:  # type: ignore[union-attr]
            field = getattr(error, "field", None)
            if field in self._fields:
                widget, message = self._fields[field]
                message.show_message(str(error))
                if not focused:
                    widget.setFocus(Qt.FocusReason.OtherFocusReason)
                    focused = True
            else:
                self.form_message.show_message(str(error))

    def has_errors(self) -> bool:
        # isHidden, not isVisible: a form not yet on screen still "has" its errors.
        return not self.form_message.isHidden() or any(
            not message.isHidden() for _, message in self._fields.values()
        )
