"""The frame of the fleet's form dialogs: a header, forms with inline errors, a busy row, buttons.

The edit, maintenance, off-duty, retire and mark-available dialogs all work the same way: the
primary button starts one controller call through the task runner (inputs disabled and a busy
indicator shown meanwhile); an expected failure is shown at its field or at the top, and the
dialog stays open; success emits :attr:`FleetDialog.vehicle_changed` and closes. Closing while a
call runs drops its result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.fleet import VehicleInvalid
from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.auth import BusyIndicator, make_primary
from senga_desktop.ui.context import APPLICATION_NAME, AppContext
from senga_desktop.ui.settings.page import FieldMessage, hint_label
from senga_desktop.ui.style import APP_ICON, heading, icon, icon_label, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.forms import FormErrors

#: The narrowest a fleet dialog gets, in average characters (about 460 px at 9 pt).
DIALOG_WIDTH_CHARS = 66


class FleetDialog(QDialog):
    """Base of the fleet dialogs. Subclasses add rows with :meth:`add_row`, implement
    :meth:`_on_submit` (which calls :meth:`start`) and :meth:`_on_succeeded`, and may refine
    :meth:`_on_failed`."""

    #: The truck as the controller returned it after the change (a ``VehicleInfo``).
    vehicle_changed = Signal(object)

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
        super().__init__(parent)
        self.setObjectName(name)
        self.context = context
        self.setWindowTitle(f"{title} \N{EM DASH} {APPLICATION_NAME}")
        self.setWindowIcon(icon(APP_ICON, accent=True, widget=self))
        self.setModal(True)
        self._request_id: int | None = None
        self._busy = False
        self._inputs: list[QWidget] = []
        u = unit(self)
        header = self._build_header(title, icon_name, intro)
        #: Problems that belong to no field (a conflict, a refusal), shown above the buttons.
        self.form_message = FieldMessage(name="form_message")
        self.errors = FormErrors(form_message=self.form_message)
        #: Where subclasses put their forms and panels.
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
        self._layout.addStrut(self.fontMetrics().averageCharWidth() * DIALOG_WIDTH_CHARS)

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

    # -- building -------------------------------------------------------------------------------

    def form_layout(self) -> QFormLayout:
        """A form in the house style: labels left, fields growing, message rows under fields."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(unit(self) * 2)
        form.setVerticalSpacing(unit(self))
        return form

    def add_row(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> FieldMessage:
        """``widget`` labelled in ``form``, with the (hidden) message for ``field`` under it."""
        widget.setObjectName(widget.objectName() or field)
        caption = QLabel(label)
        caption.setObjectName(f"{field}_label")
        caption.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        message = FieldMessage(name=f"{field}_error")
        form.addRow(caption, widget)
        form.addRow("", message)
        self.errors.register(field, widget, message)
        self._inputs.append(widget)
        return message

    def add_input(self, widget: QWidget) -> None:
        """An input outside :meth:`add_row` that the busy state must disable too."""
        self._inputs.append(widget)

    # -- running the controller -----------------------------------------------------------------

    def start(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args)`` through the task runner with the busy state shown."""
        self.errors.clear()
        self.set_busy(True)
        runner = self.context.runner
        request_id = runner.run(
            fn, *args, on_success=self._on_task_succeeded, on_failure=self._on_task_failed
        )
        self._request_id = request_id if runner.is_pending(request_id) else None

    @property
    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        if busy == self._busy:
            return
        self._busy = busy
        for widget in (*self._inputs, self.accept_button):
            widget.setEnabled(not busy)
        self.busy_indicator.setVisible(busy)
        if not busy:
            self._after_busy()

    def _after_busy(self) -> None:
        """Hook: re-apply enabled states that depend on the inputs (after they were re-enabled)."""

    def show_errors(self, errors: list[ValidationError] | SengaError) -> None:
        self.errors.show(errors)
        self.fit_height()

    def fit_height(self) -> None:
        """Grow to show every line: a window does not follow its wrapped labels by itself."""
        layout = self._layout
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _on_submit(self) -> None:
        raise NotImplementedError

    def _on_succeeded(self, result: Any) -> None:
        raise NotImplementedError

    def _on_failed(self, error: SengaError) -> None:
        """An expected failure: at its field (every field, for several problems) or at the top."""
        if isinstance(error, VehicleInvalid):
            self.show_errors(list(error.problems))
        else:
            self.show_errors(error)

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

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "accept_button"):
            make_primary(self.accept_button, source=self.palette())
