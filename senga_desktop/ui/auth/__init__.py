"""Signing in: the sign-in, first-run and change-password dialogs, the lock screen, idle detection.

The public classes live in their modules (import them from there)::

    from senga_desktop.ui.auth.sign_in_dialog import SignInDialog
    from senga_desktop.ui.auth.first_run_dialog import FirstRunDialog
    from senga_desktop.ui.auth.change_password_dialog import ChangePasswordDialog
    from senga_desktop.ui.auth.lock_screen import LockScreen
    from senga_desktop.ui.auth.idle import IdleWatcher

This module holds what they share: :class:`BusyIndicator` (shown while a password is checked or
hashed, which is slow on purpose) and :class:`AuthDialog`, the frame of the three dialogs (a
header, a form whose errors show under their fields, a busy row, a primary button, and at most one
background request at a time through the task runner).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.passwords import MIN_PASSWORD_LENGTH
from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.context import APPLICATION_NAME, AppContext
from senga_desktop.ui.style import APP_ICON, heading, icon, icon_label, muted, unit
from senga_desktop.ui.widgets.forms import FormErrors, InlineMessage, TaskDialog

#: The password policy in words; the controller enforces it (``controllers.passwords``).
PASSWORD_POLICY_TEXT = (
    f"At least {MIN_PASSWORD_LENGTH} characters, not the user name and not a commonly used "
    "password. A short sentence is easy to remember and hard to guess."
)

#: Dialog widths in average characters: about 400 and 430 pixels with a 9-point font at 100 %
#: scaling (the minimum, and the preferred width word-wrapped text is fitted to).
DIALOG_WIDTH_CHARS = 60
DIALOG_PREFERRED_CHARS = 72


class BusyIndicator(QWidget):
    """ "Signing in…" beside an indeterminate progress bar; keeps its space while hidden."""

    def __init__(self, *, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busy_indicator")
        self.label = muted(QLabel(text))
        self.label.setObjectName("busy_label")
        self.bar = QProgressBar()
        self.bar.setObjectName("busy_bar")
        self.bar.setRange(0, 0)  # indeterminate: hashing gives no progress to report
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(max(6, unit(self)))
        self.bar.setMinimumWidth(unit(self) * 3)  # may shrink so the buttons keep their room
        self.bar.setMaximumWidth(unit(self) * 16)
        self.bar.setAccessibleName(text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(unit(self))
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the dialog must not jump when it appears
        self.setSizePolicy(policy)
        self.hide()

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setAccessibleName(text)


def make_primary(button: QPushButton, *, source: QPalette) -> None:
    """Draw ``button`` in the accent colour of ``source``: the one obvious thing to press.

    Only the enabled colours change, so a disabled primary button still looks disabled. Call it
    again after a palette change (the dialogs and the lock screen do, in ``changeEvent``).
    """
    palette = button.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(
            group, QPalette.ColorRole.Button, source.color(group, QPalette.ColorRole.Highlight)
        )
        palette.setColor(
            group,
            QPalette.ColorRole.ButtonText,
            source.color(group, QPalette.ColorRole.HighlightedText),
        )
    button.setPalette(palette)


def hint_label(text: str, *, name: str) -> QLabel:
    """A muted, word-wrapped note under a field (for example the password policy)."""
    label = muted(QLabel(text))
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class AuthDialog(TaskDialog):
    """The frame the sign-in, first-run and change-password dialogs share.

    A subclass adds its fields with :meth:`add_field`, checks its input in :meth:`_on_submit`,
    starts the controller call with :meth:`start` and implements :meth:`_on_succeeded`; expected
    failures (:class:`SengaError`) are shown inline by :meth:`_on_failed`, anything else goes to
    the app's error handler. Closing the dialog while a call runs drops its result.
    """

    def __init__(
        self,
        *,
        context: AppContext,
        name: str,
        title: str,
        icon_name: str,
        heading_text: str,
        intro: str,
        accept_text: str,
        reject_text: str,
        busy_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context=context, parent=parent)
        self.setObjectName(name)
        self._focus_before_busy: QWidget | None = None
        self._icon_name = icon_name
        self.setWindowTitle(f"{title} \N{EM DASH} {APPLICATION_NAME}")
        self.setWindowIcon(icon(APP_ICON, accent=True, widget=self))
        self.setModal(True)
        u = unit(self)

        self.fields_layout = QVBoxLayout()
        self.fields_layout.setSpacing(u * 3 // 2)
        self.form_message = InlineMessage(name="form_message")
        self.errors = FormErrors(form_message=self.form_message)
        self.busy_indicator = BusyIndicator(text=busy_text)
        bottom = QHBoxLayout()
        bottom.setSpacing(u * 2)
        bottom.addWidget(self.busy_indicator, 1)
        bottom.addWidget(self._build_buttons(accept_text, reject_text))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 3, u * 3, u * 3, u * 5 // 2)
        layout.setSpacing(u * 2)
        layout.addLayout(self._build_header(heading_text, intro))
        layout.addLayout(self.fields_layout)
        layout.addWidget(self.form_message)
        layout.addSpacing(u // 2)
        layout.addLayout(bottom)
        # A strut, not setMinimumWidth: the layout's own minimum (long button texts) still counts.
        layout.addStrut(self.fontMetrics().averageCharWidth() * DIALOG_WIDTH_CHARS)

    def _build_header(self, heading_text: str, intro: str) -> QHBoxLayout:
        u = unit(self)
        self.icon_label = icon_label(icon(self._icon_name, accent=True, widget=self), u * 5)
        self.heading_label = heading(heading_text, level=2, name="dialog_heading")
        self.intro_label = muted(QLabel(intro))
        self.intro_label.setObjectName("dialog_intro")
        self.intro_label.setWordWrap(True)
        self.intro_label.setTextFormat(Qt.TextFormat.PlainText)
        self.intro_label.setVisible(bool(intro))
        titles = QVBoxLayout()
        titles.setSpacing(u // 2)
        titles.addWidget(self.heading_label)
        titles.addWidget(self.intro_label)
        header = QHBoxLayout()
        header.setSpacing(u * 2)
        header.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(titles, 1)
        return header

    def _build_buttons(self, accept_text: str, reject_text: str) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox()
        self.accept_button = self.buttons.addButton(
            accept_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.accept_button.setObjectName("accept_button")
        self.reject_button = self.buttons.addButton(
            reject_text, QDialogButtonBox.ButtonRole.RejectRole
        )
        self.reject_button.setObjectName("reject_button")
        for button in (self.accept_button, self.reject_button):
            button.setAutoDefault(False)
        self.accept_button.setDefault(True)  # Enter in any field presses it
        make_primary(self.accept_button, source=self.palette())
        self.accept_button.clicked.connect(self._on_submit)
        self.reject_button.clicked.connect(self.reject)
        return self.buttons

    def sizeHint(self) -> QSize:
        """At most the preferred width: long help texts wrap instead of widening the dialog."""
        hint = super().sizeHint()
        preferred = self.fontMetrics().averageCharWidth() * DIALOG_PREFERRED_CHARS
        width = max(self.minimumSizeHint().width(), min(hint.width(), preferred))
        height = self.heightForWidth(width)
        return QSize(width, height if height > 0 else hint.height())

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self._fit_height()  # a message appeared: grow so that no wrapped line is cut off
        return handled

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()  # narrower means more wrapped lines

    def _fit_height(self) -> None:
        """Keep the dialog exactly as tall as its content needs at its current width.

        Qt's own minimum size for a top-level window ignores height-for-width (word-wrapped
        labels), so an inline error appearing would otherwise squeeze the form; and a message
        that went away would leave a gap. The width stays the user's to change.
        """
        needed = self.heightForWidth(self.width())
        if needed <= 0:
            return
        if needed != self.minimumHeight() or needed != self.maximumHeight():
            self.setMinimumHeight(needed)
            self.setMaximumHeight(needed)
        if self.height() != needed:
            self.resize(self.width(), needed)

    # -- for subclasses -------------------------------------------------------------------------

    def add_field(self, label: str, field: str, widget: QWidget, *, hint: str = "") -> None:
        """A labelled input (label above it), then an optional hint, then the (hidden) message
        that shows the controller's errors for ``field``."""
        widget.setObjectName(widget.objectName() or field)
        caption = QLabel(label)
        caption.setObjectName(f"{field}_label")
        caption.setBuddy(widget)  # the label's mnemonic (Alt+letter) focuses the field
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        message = InlineMessage(name=f"{field}_error")
        group = QVBoxLayout()
        group.setSpacing(max(2, unit(self) // 3))
        group.addWidget(caption)
        group.addWidget(widget)
        if hint:
            group.addWidget(hint_label(hint, name=f"{field}_hint"))
        group.addWidget(message)
        self.fields_layout.addLayout(group)
        self.errors.register(field, widget, message)
        self._inputs.append(widget)

    def show_errors(self, errors: Sequence[ValidationError] | SengaError) -> None:
        """Show errors at their fields (focusing the first) or under the form."""
        self.errors.show(errors)
        focused = self.focusWidget()
        if isinstance(focused, QLineEdit):
            focused.selectAll()

    def _before_busy(self) -> None:
        # Park the focus on the dialog, so it does not move to Cancel when the field holding
        # it is disabled (where a stray Space would press Cancel); it comes back afterwards.
        self._focus_before_busy = self.focusWidget()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _after_busy(self) -> None:
        back = self._focus_before_busy
        self._focus_before_busy = None
        if back is not None and back.isEnabled():
            back.setFocus(Qt.FocusReason.OtherFocusReason)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "accept_button"):
            u = unit(self)
            self.icon_label.setPixmap(
                icon(self._icon_name, accent=True, widget=self).pixmap(u * 5, u * 5)
            )
            make_primary(self.accept_button, source=self.palette())


__all__ = [
    "DIALOG_PREFERRED_CHARS",
    "DIALOG_WIDTH_CHARS",
    "PASSWORD_POLICY_TEXT",
    "AuthDialog",
    "BusyIndicator",
    "hint_label",
    "make_primary",
]
