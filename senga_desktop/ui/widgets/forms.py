"""Inline form messages: each problem is shown under the field it concerns, never in a pop-up.

A form registers its fields with :class:`FormErrors`; a controller's ``ValidationError(field, …)``
(or several, from a multi-field check) is routed to the matching field, and anything without a
field goes to the form-level message at the top.

:class:`TaskDialog` is the part the sign-in and form dialogs share: the primary button starts one
controller call through the task runner, inputs are disabled meanwhile, an expected failure comes
back to the form, and closing the dialog while the call runs drops its result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QPushButton, QWidget

from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.style import error_color
from senga_desktop.ui.tasks import report_unexpected


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


class TaskDialog(QDialog):
    """Base of the dialogs that run one controller call at a time.

    Subclasses create :attr:`errors`, :attr:`busy_indicator` and :attr:`accept_button`, register
    their inputs in :attr:`_inputs`, implement :meth:`_on_submit` (which calls :meth:`start`) and
    :meth:`_on_succeeded`, and may refine :meth:`_on_failed`, :meth:`_before_busy` and
    :meth:`_after_busy`.
    """

    errors: FormErrors
    busy_indicator: QWidget
    accept_button: QPushButton

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._request_id: int | None = None
        self._busy = False
        #: What the busy state disables (with the primary button).
        self._inputs: list[QWidget] = []

    def start(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run the controller call ``fn(*args)`` through the task runner, showing the busy state."""
        self.errors.clear()
        self.set_busy(True)
        runner = self.context.runner
        request_id = runner.run(
            fn, *args, on_success=self._on_task_succeeded, on_failure=self._on_task_failed
        )
        # A synchronous runner has delivered the result already.
        self._request_id = request_id if runner.is_pending(request_id) else None

    @property
    def busy(self) -> bool:
        """Whether a controller call is running (inputs disabled)."""
        return self._busy

    def set_busy(self, busy: bool) -> None:
        """Disable the inputs and the primary button and show the busy row (or undo that)."""
        if busy == self._busy:
            return
        self._busy = busy
        if busy:
            self._before_busy()
        for widget in (*self._inputs, self.accept_button):
            widget.setEnabled(not busy)
        self.busy_indicator.setVisible(busy)
        if not busy:
            self._after_busy()

    def _before_busy(self) -> None:
        """Hook: runs before the inputs are disabled."""

    def _after_busy(self) -> None:
        """Hook: re-apply enabled states that depend on the inputs (after they were re-enabled)."""

    def _on_submit(self) -> None:
        raise NotImplementedError

    def _on_succeeded(self, result: Any) -> None:
        raise NotImplementedError

    def _on_failed(self, error: SengaError) -> None:
        """An expected failure: at its field(s), or at the form."""
        self.show_errors(error)

    def show_errors(self, errors: Iterable[ValidationError] | SengaError) -> None:
        self.errors.show(errors)

    def _on_task_succeeded(self, result: Any) -> None:
        self._request_id = None
        self.set_busy(False)
        self._on_succeeded(result)

    def _on_task_failed(self, exc: BaseException) -> None:
        self._request_id = None
        self.set_busy(False)
        if isinstance(exc, SengaError):
            self._on_failed(exc)
        else:
            report_unexpected(exc)

    def done(self, result: int) -> None:
        """Closing (any way) while a call runs drops its result: the dialog is gone."""
        if self._request_id is not None:
            self.context.runner.discard(self._request_id)
            self._request_id = None
            self.set_busy(False)
        super().done(result)
