"""The frame of the form dialogs: a header, forms with inline errors, a busy row, buttons.

Shared by the order, customer and fleet dialogs (and working like the sign-in dialog): the
primary button starts one controller call through
the task runner (inputs disabled and a busy indicator shown meanwhile); an expected failure is
shown inline — each :class:`~senga_desktop.errors.ValidationError` under its own field, several
for one field one under the other, anything else above the buttons — and the dialog stays open.
Closing while a call runs drops its result.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.auth import BusyIndicator, make_primary
from senga_desktop.ui.context import APPLICATION_NAME, AppContext
from senga_desktop.ui.settings.page import FieldMessage, hint_label
from senga_desktop.ui.style import APP_ICON, heading, icon, icon_label, unit
from senga_desktop.ui.widgets.forms import FormErrors, TaskDialog

__all__ = ["DIALOG_WIDTH_CHARS", "FormDialog", "merged_errors"]

#: The narrowest these dialogs get by default, in average characters.
DIALOG_WIDTH_CHARS = 70


def merged_errors(errors: Iterable[ValidationError]) -> list[ValidationError]:
    """One error per field, its messages one a line (``FormErrors`` shows one per field)."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        messages = by_field.setdefault(error.field, [])
        if error.message not in messages:
            messages.append(error.message)
    return [ValidationError(field, "\n".join(messages)) for field, messages in by_field.items()]


class FormDialog(TaskDialog):
    """Base of the form dialogs. Subclasses add rows with :meth:`add_row`, implement
    :meth:`_on_submit` (which calls :meth:`start`) and :meth:`_on_succeeded`, and may refine
    :meth:`_on_failed`."""

    #: The narrowest the dialog gets, in average characters; a class attribute so that a family
    #: of dialogs (the fleet's are narrower) can keep its own width.
    width_chars: int = DIALOG_WIDTH_CHARS

    def __init__(
        self,
        *,
        context: AppContext,
        name: str,
        title: str,
        icon_name: str,
        intro: str,
        accept_text: str,
        busy_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context=context, parent=parent)
        self.setObjectName(name)
        self.setWindowTitle(f"{title} \N{EM DASH} {APPLICATION_NAME}")
        self.setWindowIcon(icon(APP_ICON, accent=True, widget=self))
        self.setModal(True)
        u = unit(self)
        header = self._build_header(title, icon_name, intro)
        #: Problems that belong to no field (a conflict, a refusal), shown above the buttons.
        self.form_message = FieldMessage(name="form_message")
        self.errors = FormErrors(form_message=self.form_message)
        #: Where subclasses put their forms.
        self.body = QVBoxLayout()
        self.body.setSpacing(u * 2)
        self.busy_indicator = BusyIndicator(text=busy_text)
        self.buttons = QDialogButtonBox()
        self.accept_button: QPushButton = self.buttons.addButton(
            accept_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.accept_button.setObjectName("accept_button")
        self.reject_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.reject_button.setObjectName("reject_button")
        for button in (self.accept_button, self.reject_button):
            button.setAutoDefault(False)
        self.accept_button.setDefault(True)
        make_primary(self.accept_button, source=self.palette())
        self.accept_button.clicked.connect(self._on_submit)
        self.reject_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.setSpacing(u * 2)
        bottom.addWidget(self.busy_indicator, 1)
        bottom.addWidget(self.buttons)

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(u * 3, u * 3, u * 3, u * 5 // 2)
        self._layout.setSpacing(u * 2)
        self._layout.addLayout(header)
        self._layout.addLayout(self.body)
        self._layout.addWidget(self.form_message)
        self._layout.addStretch(1)
        self._layout.addLayout(bottom)
        self._layout.addStrut(self.fontMetrics().averageCharWidth() * self.width_chars)

    def _build_header(self, title: str, icon_name: str, intro: str) -> QHBoxLayout:
        u = unit(self)
        self.icon_label = icon_label(icon(icon_name, accent=True, widget=self), u * 5)
        self.heading_label = heading(title, level=2, name="dialog_heading")
        self.intro_label = hint_label(intro)
        self.intro_label.setObjectName("dialog_intro")
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

    def set_intro(self, text: str) -> None:
        """Replace the line under the heading; an empty text hides it."""
        self.intro_label.setText(text)
        self.intro_label.setVisible(bool(text))

    # -- building -------------------------------------------------------------------------------

    def form_layout(self) -> QFormLayout:
        """A form in the house style: labels left, fields growing, message rows under fields."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(unit(self) * 2)
        form.setVerticalSpacing(unit(self))
        return form

    def add_row(
        self,
        form: QFormLayout,
        label: str,
        field: str,
        widget: QWidget,
        *,
        focus: QWidget | None = None,
    ) -> FieldMessage:
        """``widget`` labelled in ``form``, with the (hidden) message for ``field`` under it.

        ``focus`` is the input that gets the focus when ``field`` has a problem (``widget``
        itself by default; a group of inputs names its first).
        """
        widget.setObjectName(widget.objectName() or field)
        caption = QLabel(label)
        caption.setObjectName(f"{field}_label")
        caption.setBuddy(focus or widget)
        (focus or widget).setAccessibleName(label.replace("&", "").rstrip(":"))
        message = FieldMessage(name=f"{field}_error")
        form.addRow(caption, widget)
        form.addRow("", message)
        self.errors.register(field, focus or widget, message)
        self.add_input(widget)
        return message

    def add_input(self, widget: QWidget) -> None:
        """An input the busy state must disable too."""
        if widget not in self._inputs:
            self._inputs.append(widget)

    def show_errors(self, errors: Iterable[ValidationError] | SengaError) -> None:
        """Each problem under its field (several for one field one a line), others at the foot."""
        problems: Iterable[ValidationError]
        if isinstance(errors, SengaError):
            nested = getattr(errors, "errors", None)
            if not nested:
                self.errors.show(errors)
                self.fit_height()
                return
            problems = nested
        else:
            problems = errors
        self.errors.show(merged_errors(problems))
        self.fit_height()

    def fit_height(self) -> None:
        """Grow to show every line: a window does not follow its wrapped labels by itself."""
        layout = self._layout
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "accept_button"):
            make_primary(self.accept_button, source=self.palette())
