"""A Settings page that edits one stored record: loaded, checked and saved off the GUI thread.

The General and Trips-a-day pages differ only in their fields; the protocol around them — load in
the background without overwriting what the user typed meanwhile, dirty when the form differs
from what was loaded, ``check()`` by the controller's own validation shown at the field, save
through the controller, then a notice — lives here once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtWidgets import QWidget

from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings.page import FieldMessage, Notice, SettingsPage
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.forms import FormErrors

__all__ = ["SettingsStore", "StoredSettingsPage"]


@dataclass(frozen=True)
class SettingsStore:
    """The controller calls behind a page: ``load(sessions)``, ``save(sessions, actor,
    values)`` (both return the stored record) and ``validate(values)`` (raises
    ``ValidationError``)."""

    load: Callable[[Any], Any]
    save: Callable[[Any, Any, Any], Any]
    validate: Callable[[Any], Any]


class StoredSettingsPage(SettingsPage):
    """The load/check/save protocol for a page over one stored record (see the module notes).

    Subclasses set :attr:`store` and :attr:`saved_notice`, build their fields (adding
    :attr:`notice` to their form) and implement :meth:`form_values` and :meth:`_show`;
    :meth:`_stored` is told of each saved record.
    """

    store: ClassVar[SettingsStore]
    saved_notice: ClassVar[str] = "Saved."

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        self._loaded: Any = None
        self.form_message = FieldMessage(name=f"{self.key}_form_message")
        self.body.addWidget(self.form_message)
        self.errors = FormErrors(form_message=self.form_message)
        self.notice = Notice(name=f"{self.key}_notice")

    # -- for subclasses -----------------------------------------------------------------------

    def form_values(self) -> Any:
        """What the form holds now, as the controller takes it (not yet validated)."""
        raise NotImplementedError

    def _show(self, stored: Any) -> None:
        """Put a stored record into the fields, without emitting their change signals."""
        raise NotImplementedError

    def _stored(self, stored: Any) -> None:
        """A save stored ``stored`` (already shown)."""

    def _fill(self, stored: Any) -> None:
        self._show(stored)
        self._loaded = self.form_values()
        self.edited.emit()

    # -- protocol -----------------------------------------------------------------------------

    def load(self) -> None:
        self.context.runner.run(
            self.store.load,
            self.context.sessions,
            on_success=self._on_loaded,
            on_failure=self._on_failed,
        )

    def is_dirty(self) -> bool:
        return self._loaded is not None and self.form_values() != self._loaded

    def check(self) -> bool:
        self.errors.clear()
        self.notice.clear_message()
        if not self.is_dirty():
            return True
        try:
            self.store.validate(self.form_values())
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        return True

    def save(self) -> None:
        if not self.is_dirty():
            self.saved.emit()
            return
        self.context.runner.run(
            self.store.save,
            self.context.sessions,
            self.context.require_actor(),
            self.form_values(),
            on_success=self._on_saved,
            on_failure=self._on_save_failed,
        )

    # -- slots --------------------------------------------------------------------------------

    def _on_loaded(self, stored: Any) -> None:
        if not self.is_dirty():  # never overwrite what the user typed meanwhile
            self._fill(stored)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SengaError):
            self.errors.show(exc)
        else:
            report_unexpected(exc)

    def _on_saved(self, stored: Any) -> None:
        self._fill(stored)
        self.errors.clear()
        self.notice.show_message(self.saved_notice)
        self._stored(stored)
        self.saved.emit()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._on_failed(exc)
        self.save_failed.emit()
