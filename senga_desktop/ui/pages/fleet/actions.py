"""The fleet board's commands for managers and administrators, and the dialogs they open.

Add truck…, Import…, Edit…, Send to maintenance…, Mark available…, Off duty… and Retire… are
``QAction`` objects, so the page's buttons, the card's context menu and double-click share one
enabled state. A dispatcher (no ``fleet.edit``) gets none of them: the actions stay invisible
and disabled, and the controllers would refuse anyway.

Each dialog reports its change through :attr:`FleetActions.vehicle_changed` with a sentence for
the page's notice; the page reloads the board when the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QWidget

from senga_desktop.controllers.fleet import VehicleInfo
from senga_desktop.controllers.fleet_import import (
    commit_vehicle_import,
    preview_vehicle_import,
    vehicles_template_path,
)
from senga_desktop.controllers.imports import ImportResult
from senga_desktop.controllers.permissions import Permission
from senga_desktop.domain import VehicleStatus
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.fleet.formatting import depot_zone, free_text
from senga_desktop.ui.pages.fleet.status_dialogs import MarkAvailableDialog, ServiceStopDialog
from senga_desktop.ui.pages.fleet.vehicle_dialog import VehicleDialog
from senga_desktop.ui.widgets.import_preview import ImportPreviewDialog, ImportSpec
from senga_desktop.ui.widgets.list_controls import PageActions

#: The vehicle import, as the generic import window runs it.
VEHICLE_IMPORT = ImportSpec(
    title="Import trucks",
    singular="truck",
    plural="trucks",
    preview=preview_vehicle_import,
    commit=commit_vehicle_import,
    template=vehicles_template_path,
    intro=(
        "Choose a CSV or Excel file of trucks, one a row; only the plate and the type are needed "
        "(the type fills in the rest). Nothing is written until you press Import, and then every "
        "row is imported or none."
    ),
)


class FleetActions(PageActions):
    """The commands, their enabled state for the selected truck, and the dialog now open."""

    #: A dialog changed a truck: the ``VehicleInfo`` and a sentence saying what happened.
    vehicle_changed = Signal(object, str)
    #: Trucks were imported: the ``ImportResult`` and a sentence saying what happened.
    imported = Signal(object, str)
    #: The dialog that was open has closed (the board should be read again).
    dialog_closed = Signal()

    def __init__(self, *, context: AppContext, parent: QWidget) -> None:
        super().__init__(context=context, parent=parent)
        #: Whether the signed-in user may change trucks at all.
        self.allowed = context.can(Permission.FLEET_EDIT)
        self.vehicle: VehicleInfo | None = None
        self.add = self._action(
            "add_truck", "&Add truck…", "mdi6.truck-plus-outline", self._on_add_triggered, "Ctrl+N"
        )
        self.import_ = self._action(
            "import_trucks", "&Import…", "mdi6.file-import-outline", self._on_import_triggered
        )
        self.edit = self._action(
            "edit_truck", "&Edit…", "mdi6.pencil-outline", self._on_edit_triggered
        )
        self.maintenance = self._action(
            "maintenance",
            "Send to &maintenance…",
            "mdi6.wrench-outline",
            lambda: self._open_stop(VehicleStatus.MAINTENANCE),
        )
        self.available = self._action(
            "mark_available",
            "Mark a&vailable…",
            "mdi6.truck-check-outline",
            self._on_available_triggered,
        )
        self.off_duty = self._action(
            "off_duty", "&Off duty…", "mdi6.sleep", lambda: self._open_stop(VehicleStatus.OFF_DUTY)
        )
        self.retire = self._action(
            "retire",
            "&Retire…",
            "mdi6.archive-outline",
            lambda: self._open_stop(VehicleStatus.RETIRED),
        )
        self.set_vehicle(None)

    def _action(
        self,
        name: str,
        text: str,
        icon_name: str,
        slot: Callable[[], None],
        shortcut: str | None = None,
    ) -> QAction:
        """A command, hidden and off for a user who may not change trucks."""
        action = super()._action(name, text, icon_name, slot, shortcut)
        action.setVisible(self.allowed)
        action.setEnabled(self.allowed)
        return action

    @property
    def vehicle_actions(self) -> list[QAction]:
        """The actions on the selected truck, in menu order."""
        return [self.edit, self.maintenance, self.available, self.off_duty, self.retire]

    def set_vehicle(self, vehicle: VehicleInfo | None) -> None:
        """Enable what makes sense for ``vehicle`` (the selected truck, or none)."""
        self.vehicle = vehicle
        status = vehicle.status if vehicle else None
        in_service = vehicle is not None and status is not VehicleStatus.RETIRED
        states = {
            self.edit: vehicle is not None,
            self.maintenance: in_service,
            self.available: vehicle is not None,
            self.off_duty: in_service,
            self.retire: in_service,
        }
        for action, enabled in states.items():
            action.setEnabled(self.allowed and enabled)
        self.available.setText(
            "Bring &back…" if status is VehicleStatus.RETIRED else "Mark a&vailable…"
        )

    # -- opening dialogs ------------------------------------------------------------------------

    def _on_add_triggered(self) -> None:
        dialog = VehicleDialog(context=self.context, parent=self._parent)
        dialog.vehicle_changed.connect(
            self._report("{label} is on the board as {number}, available at {town}.")
        )
        self._open_dialog(dialog)

    def _on_edit_triggered(self) -> None:
        if self.vehicle is None:
            return
        dialog = VehicleDialog(context=self.context, vehicle=self.vehicle, parent=self._parent)
        dialog.vehicle_changed.connect(self._report("The changes to {label} are saved."))
        self._open_dialog(dialog)

    def _on_available_triggered(self) -> None:
        if self.vehicle is None:
            return
        dialog = MarkAvailableDialog(
            context=self.context, vehicle=self.vehicle, parent=self._parent
        )
        dialog.vehicle_changed.connect(self._report("{label} is available at {town}: {free}."))
        self._open_dialog(dialog)

    def _open_stop(self, status: VehicleStatus) -> None:
        if self.vehicle is None:
            return
        dialog = ServiceStopDialog(
            context=self.context, vehicle=self.vehicle, status=status, parent=self._parent
        )
        text = {
            VehicleStatus.MAINTENANCE: "{label} is in maintenance: {free}.",
            VehicleStatus.OFF_DUTY: "{label} is off duty: {free}.",
            VehicleStatus.RETIRED: "{label} is retired. Tick Show retired to see it.",
        }[status]

        def report(info: VehicleInfo) -> None:
            flagged = [route.route_id for route in dialog.confirmed_routes]
            extra = ""
            if flagged:
                extra = f" Flagged for a dispatcher to reassign: {', '.join(flagged)}."
            self.vehicle_changed.emit(info, self._describe(text, info) + extra)

        dialog.vehicle_changed.connect(report)
        self._open_dialog(dialog)

    def _on_import_triggered(self) -> None:
        dialog = ImportPreviewDialog(context=self.context, spec=VEHICLE_IMPORT, parent=self._parent)
        dialog.imported.connect(self._on_imported)
        self._open_dialog(dialog)

    def _on_imported(self, result: ImportResult) -> None:
        keys = result.keys
        which = f" ({keys[0]} to {keys[-1]})" if len(keys) > 1 else f" ({keys[0]})" if keys else ""
        text = f"Imported {VEHICLE_IMPORT.count(result.written)}{which}."
        if result.dropped:
            rows = "1 bad row was" if result.dropped == 1 else f"{result.dropped} bad rows were"
            text += f" {rows} left out."
        self.imported.emit(result, text)

    def _on_dialog_finished(self, _dialog: QDialog, _result: int) -> None:
        """Whatever dialog closed, the board is read again (the page listens to this)."""
        if self.active_dialog is not None:
            self.active_dialog.deleteLater()
        self.active_dialog = None
        self.dialog_closed.emit()

    # -- describing -----------------------------------------------------------------------------

    def _describe(self, text: str, info: VehicleInfo) -> str:
        zone = depot_zone(self.context.general.time_zone)
        free = free_text(info, zone, datetime.now(UTC))
        return text.format(
            label=info.label,
            number=info.vehicle_id,
            town=info.location_name or "the depot",
            free=free[:1].lower() + free[1:],
        )

    def _report(self, text: str) -> Callable[[VehicleInfo], None]:
        def report(info: VehicleInfo) -> None:
            self.vehicle_changed.emit(info, self._describe(text, info))

        return report
