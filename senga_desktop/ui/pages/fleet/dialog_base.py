"""The frame of the fleet's form dialogs: the shared form dialog, narrower, speaking of trucks.

The edit, maintenance, off-duty, retire and mark-available dialogs all work the same way (see
:mod:`senga_desktop.ui.widgets.form_dialog`): the primary button starts one controller call
through the task runner; an expected failure is shown at its field or at the top, and the dialog
stays open; success emits :attr:`FleetDialog.vehicle_changed` and closes. Closing while a call
runs drops its result.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal

from senga_desktop.controllers.fleet import VehicleInvalid
from senga_desktop.errors import SengaError, ValidationError
from senga_desktop.ui.widgets.form_dialog import FormDialog

#: The narrowest a fleet dialog gets, in average characters (about 460 px at 9 pt).
DIALOG_WIDTH_CHARS = 66


class FleetDialog(FormDialog):
    """Base of the fleet dialogs. Subclasses add rows with :meth:`add_row`, implement
    :meth:`_on_submit` (which calls :meth:`start`) and :meth:`_on_succeeded`, and may refine
    :meth:`_on_failed`."""

    width_chars = DIALOG_WIDTH_CHARS

    #: The truck as the controller returned it after the change (a ``VehicleInfo``).
    vehicle_changed = Signal(object)

    def show_errors(self, errors: Iterable[ValidationError] | SengaError) -> None:
        """The problems as given, without the frame's merging of several messages for one field:
        the fleet dialogs have always shown one message per field, and keep doing so."""
        self.errors.show(errors)
        self.fit_height()

    def _on_failed(self, error: SengaError) -> None:
        """An expected failure: at its field (every field, for several problems) or at the top."""
        if isinstance(error, VehicleInvalid):
            self.show_errors(list(error.problems))
        else:
            self.show_errors(error)
