"""What every Settings page is: a widget that can ``load()``, ``check()`` and ``save()``.

The Picard pattern: the dialog knows pages only through this interface and a registry of page
classes (see :mod:`senga_desktop.ui.settings.dialog`). Each class says who may see it
(``permission``) and how it is listed (``key``, ``title``, ``icon_name``, ``description``).

- ``load()`` fills the page from the database (through the task runner) or from the context.
- ``is_dirty()`` tells whether the page holds edits that OK / Apply would save.
- ``check()`` validates those edits without saving, showing each problem inline at its field.
- ``save()`` starts saving through the task runner and ends by emitting ``saved`` or
  ``save_failed`` (with the reason shown on the page). Pages that act at once through their own
  buttons (Users, Database) are never dirty, so OK just closes them.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from senga_desktop.controllers.permissions import Permission
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.style import heading, muted, unit
from senga_desktop.ui.widgets.forms import FormErrors, InlineMessage
from senga_desktop.ui.widgets.password_field import PasswordField

#: The width a field message assumes before the layout gave it one.
MESSAGE_CHARS = 50


class SettingsPage(QWidget):
    """The base of every Settings page: its header, its layout and the load/check/save protocol.

    Subclasses set the class attributes, add their widgets to :attr:`body` and override the
    protocol methods that apply to them.
    """

    #: Stable identifier, used by :meth:`SettingsDialog.open_page`.
    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    #: A qtawesome icon name for the page list.
    icon_name: ClassVar[str] = "mdi6.cog-outline"
    #: One sentence under the title: what the page is for.
    description: ClassVar[str] = ""
    #: Who sees the page; ``None`` means everyone signed in.
    permission: ClassVar[Permission | None] = None

    #: The page's edits changed (so did, perhaps, :meth:`is_dirty`).
    edited = Signal()
    #: A :meth:`save` finished and stored everything.
    saved = Signal()
    #: A :meth:`save` failed; the page shows why.
    save_failed = Signal()

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{self.key}_page")
        self.context = context
        space = unit(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(space)
        layout.addWidget(heading(self.title, level=1, name=f"{self.key}_title"))
        if self.description:
            about = hint_label(self.description)
            about.setObjectName(f"{self.key}_description")
            layout.addWidget(about)
        layout.addSpacing(space)
        #: Where subclasses put their content.
        self.body = QVBoxLayout()
        self.body.setSpacing(space * 2)
        layout.addLayout(self.body, 1)

    @classmethod
    def visible_to(cls, context: AppContext) -> bool:
        """Whether the signed-in user may see this page (the controllers check again)."""
        if context.actor is None:
            return False
        return cls.permission is None or context.can(cls.permission)

    # -- the protocol -------------------------------------------------------------------------

    def load(self) -> None:
        """Fill the page with the current values."""

    def is_dirty(self) -> bool:
        """Whether the page holds edits that OK or Apply would save."""
        return False

    def check(self) -> bool:
        """Validate the edits, showing each problem at its field; ``True`` when all is well."""
        return True

    def save(self) -> None:
        """Start saving the edits; ends with :attr:`saved` or :attr:`save_failed`."""
        self.saved.emit()

    # -- helpers for subclasses ---------------------------------------------------------------

    def form_layout(self) -> QFormLayout:
        """A form in the house style: labels right of the left edge, fields growing."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(unit(self) * 2)
        form.setVerticalSpacing(unit(self))
        return form


def section(title: str) -> QLabel:
    """A section heading inside a page."""
    return heading(title, level=3)


def add_section(form: QFormLayout, title: str) -> QLabel:
    """A section heading as a row spanning ``form``, with air above unless it is the first row.

    Keeping a page's sections in one form keeps its labels and fields in one column each.
    """
    label = section(title)
    if form.rowCount():
        label.setContentsMargins(0, unit(label), 0, 0)
    form.addRow(label)
    return label


def password_edit(*, name: str) -> PasswordField:
    """A password entry with the shared show/hide eye."""
    return PasswordField(name=name)


class _FitsWidth(QLabel):
    """A word-wrapped label whose size hint is its height at its real width.

    A plain word-wrapped label hints a narrow, tall box (three lines for a short sentence), and a
    form row takes that height, leaving gaps around the text.
    """

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if not self.wordWrap():
            return hint
        chars = self.fontMetrics().averageCharWidth()
        width = self.width() if self.width() >= chars * 10 else chars * MESSAGE_CHARS
        return QSize(hint.width(), self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the height may change with the width


class WrappedLabel(_FitsWidth):
    """Word-wrapped text (hints, explanations) that sits snugly in forms."""

    def __init__(self, text: str = "", *, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)


class Notice(_FitsWidth):
    """A short confirmation ("Password changed.") in the normal text colour; hidden while empty."""

    def __init__(self, *, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.show_message("")


class FieldMessage(_FitsWidth, InlineMessage):
    """An error message under a field or at the top of a form (see :class:`InlineMessage`)."""


def hint_label(text: str) -> WrappedLabel:
    """A muted, word-wrapped explanation."""
    label = WrappedLabel(text)
    muted(label)
    return label


def add_field_row(
    errors: FormErrors, form: QFormLayout, label: str, field: str, widget: QWidget
) -> FieldMessage:
    """Add ``widget`` to ``form`` with its (hidden) message right under it, for ``errors``."""
    message = FieldMessage(name=f"{field}_error")
    form.addRow(label, widget)
    form.addRow("", message)
    errors.register(field, widget, message)
    return message
