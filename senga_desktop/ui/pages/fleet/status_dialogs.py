"""Changing a truck's status: maintenance until…, off duty, retire, and available at a town.

The first three take a truck out of service. If it is on committed routes the controller refuses
with :class:`~senga_desktop.controllers.fleet.VehicleHasCommittedRoutes`; the dialog then lists
those routes, says what going ahead does (they are flagged for a dispatcher to reassign) and
turns its button into "… and flag N routes". Pressing it repeats the call with ``confirm=True``.
Changing the time after that asks again, since another time may disrupt other routes.

Every call carries the version of the truck the dialog was opened with; if someone changed the
truck meanwhile, the dialog fetches it again, says so and waits for another press.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import qtawesome as qta
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.fleet import (
    AffectedRoute,
    VehicleHasCommittedRoutes,
    VehicleInfo,
    get_vehicle,
    mark_available,
    retire_vehicle,
    send_to_maintenance,
    set_off_duty,
)
from senga_desktop.domain import VehicleStatus
from senga_desktop.errors import SengaError, StaleDataError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.fleet.dialog_base import FleetDialog
from senga_desktop.ui.pages.fleet.fields import DepotTimeField, town_combo
from senga_desktop.ui.pages.fleet.formatting import (
    STATUS_LABELS,
    depot_zone,
    free_text,
    later_hour,
    local_time,
)
from senga_desktop.ui.settings.page import WrappedLabel
from senga_desktop.ui.style import error_color, icon_label, unit

CHANGED_TEXT = (
    "Someone else changed {label} meanwhile; it is now {status}, {free}. Check the form and "
    "press the button again."
)
ROUTE_HEADERS = ("Route", "Status", "Starts", "To", "Orders")


@dataclass(frozen=True, slots=True)
class _Stop:
    """The words and controller of one way of taking a truck out of service."""

    title: str
    icon_name: str
    intro: str
    accept: str
    until_label: str | None
    none_text: str | None
    #: Days ahead of the default return time; ``None``: "no time" is the default.
    default_days: int | None


STOPS = {
    VehicleStatus.MAINTENANCE: _Stop(
        title="Send {label} to maintenance",
        icon_name="mdi6.wrench-outline",
        intro="The truck leaves the available trucks until it is back. Planning will not use it.",
        accept="Send to maintenance",
        until_label="Back &on:",
        none_text="Not known yet",
        default_days=1,
    ),
    VehicleStatus.OFF_DUTY: _Stop(
        title="Set {label} off duty",
        icon_name="mdi6.sleep",
        intro="For a truck without a driver, or a holiday. Planning will not use it until then.",
        accept="Set off duty",
        until_label="Off &until:",
        none_text="Until further notice",
        default_days=None,
    ),
    VehicleStatus.RETIRED: _Stop(
        title="Retire {label}",
        icon_name="mdi6.archive-outline",
        intro=(
            "Sold or written off: the truck leaves the board for good but stays in the records "
            "for its route history. Mark it available to bring it back."
        ),
        accept="Retire truck",
        until_label=None,
        none_text=None,
        default_days=None,
    ),
}


class _VehicleDialog(FleetDialog):
    """What the status dialogs share: the truck, and reloading it after a conflict."""

    def __init__(self, *, context: AppContext, vehicle: VehicleInfo, **kwargs: Any) -> None:
        super().__init__(context=context, **kwargs)
        self.vehicle = vehicle
        self.zone = depot_zone(context.general.time_zone)

    def _on_failed(self, error: SengaError) -> None:
        if isinstance(error, StaleDataError):
            self._reload()
        else:
            super()._on_failed(error)

    def _reload(self) -> None:
        self.set_busy(True)
        runner = self.context.runner
        request_id = runner.run(
            get_vehicle,
            self.context.sessions,
            self.context.require_actor(),
            self.vehicle.id,
            on_success=self._on_reloaded,
            on_failure=self._on_task_failed,
        )
        self._request_id = request_id if runner.is_pending(request_id) else None

    def _on_reloaded(self, vehicle: VehicleInfo) -> None:
        self._request_id = None
        self.set_busy(False)
        self.vehicle = vehicle
        free = free_text(vehicle, self.zone, datetime.now(UTC)).lower()
        status = STATUS_LABELS[vehicle.status].lower()
        self.show_errors(
            SengaError(CHANGED_TEXT.format(label=vehicle.label, status=status, free=free))
        )

    def _on_succeeded(self, result: VehicleInfo) -> None:
        self.vehicle_changed.emit(result)
        self.accept()


class ServiceStopDialog(_VehicleDialog):
    """Maintenance until a time, off duty (until a time), or retirement, for one truck."""

    def __init__(
        self,
        *,
        context: AppContext,
        vehicle: VehicleInfo,
        status: VehicleStatus,
        parent: QWidget | None = None,
    ) -> None:
        stop = STOPS[status]
        super().__init__(
            context=context,
            vehicle=vehicle,
            name=f"{status.value}_dialog",
            title=stop.title.format(label=vehicle.label),
            icon_name=stop.icon_name,
            intro=stop.intro,
            accept_text=stop.accept,
            busy_text="Saving…",
            parent=parent,
        )
        self.status = status
        self.stop = stop
        #: Routes the person agreed to disrupt (shown, then confirmed).
        self.confirmed_routes: tuple[AffectedRoute, ...] = ()
        self._confirming = False
        form = self.form_layout()
        self.until_field: DepotTimeField | None = None
        self.reason_edit: QLineEdit | None = None
        if stop.until_label is not None:
            self.until_field = DepotTimeField(
                name="until_field", zone=self.zone, none_text=stop.none_text
            )
            self.add_row(form, stop.until_label, "until", self.until_field)
            now = datetime.now(UTC)
            default = later_hour(now, self.zone, days=stop.default_days or 1)
            self.until_field.set_value(default if stop.default_days else None, default=default)
            self.until_field.value_changed.connect(self._on_until_changed)
        else:
            self.reason_edit = QLineEdit()
            self.reason_edit.setPlaceholderText("e.g. sold to Rift Haulage, written off")
            self.add_row(form, "&Reason:", "reason", self.reason_edit)
        self.body.addLayout(form)
        self.routes_box = self._routes_box()
        self.body.addWidget(self.routes_box)
        self.routes_box.hide()

    def _routes_box(self) -> QFrame:
        """The warning shown when the truck is on committed routes: what happens, and to which."""
        u = unit(self)
        self.routes_label = WrappedLabel()
        self.routes_label.setObjectName("routes_message")
        self.routes_table = QTableWidget(0, len(ROUTE_HEADERS))
        self.routes_table.setObjectName("routes_table")
        self.routes_table.setHorizontalHeaderLabels(ROUTE_HEADERS)
        self.routes_table.verticalHeader().hide()
        self.routes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.routes_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.routes_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.routes_table.setShowGrid(False)
        self.routes_table.setWordWrap(False)
        header = self.routes_table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        warning = icon_label(qta.icon("mdi6.alert-outline", color=error_color(self)), u * 3)
        inner = QVBoxLayout()
        inner.setSpacing(u)
        inner.addWidget(self.routes_label)
        inner.addWidget(self.routes_table)
        box = QFrame()
        box.setObjectName("routes_box")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(box)
        row.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        row.setSpacing(u * 2)
        row.addWidget(warning, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(inner, 1)
        return box

    def _call(self) -> partial[VehicleInfo]:
        args: dict[str, Any] = {
            "confirm": self._confirming,
            "expected_version": self.vehicle.version,
        }
        if self.status is VehicleStatus.MAINTENANCE:
            assert self.until_field is not None
            return partial(send_to_maintenance, until=self.until_field.value(), **args)
        if self.status is VehicleStatus.OFF_DUTY:
            assert self.until_field is not None
            return partial(set_off_duty, until=self.until_field.value(), **args)
        assert self.reason_edit is not None
        return partial(retire_vehicle, reason=self.reason_edit.text(), **args)

    def _on_submit(self) -> None:
        self.start(
            self._call(), self.context.sessions, self.context.require_actor(), self.vehicle.id
        )

    def _on_failed(self, error: SengaError) -> None:
        if isinstance(error, VehicleHasCommittedRoutes):
            self._ask_to_confirm(error)
        else:
            super()._on_failed(error)

    def _ask_to_confirm(self, error: VehicleHasCommittedRoutes) -> None:
        routes = error.routes
        count = len(routes)
        now = datetime.now(UTC)
        self.routes_label.setText(
            f"{error.label} is on {count} committed route{'s' if count != 1 else ''} that "
            f"{'start' if count != 1 else 'starts'} before it is back. Going ahead flags "
            f"{'them' if count != 1 else 'it'} for a dispatcher to give the orders another "
            "truck; nothing else changes until then."
        )
        self.routes_table.setRowCount(count)
        for row, route in enumerate(routes):
            starts = local_time(route.planned_start, self.zone, now) if route.planned_start else "—"
            cells = (
                route.route_id,
                route.status.value.replace("_", " "),
                starts,
                ", ".join(route.destination_cities) or "—",
                str(route.order_count),
            )
            for column, text in enumerate(cells):
                self.routes_table.setItem(row, column, QTableWidgetItem(text))
        rows_height = sum(self.routes_table.rowHeight(r) for r in range(count))
        self.routes_table.setFixedHeight(
            self.routes_table.horizontalHeader().height() + rows_height + 4
        )
        self.routes_box.show()
        self.confirmed_routes = routes
        self._confirming = True
        self.accept_button.setText(f"{self.stop.accept} and flag {count} route{'s' * (count != 1)}")
        self.fit_height()

    def _on_until_changed(self) -> None:
        if self._confirming:  # another time may disrupt other routes: ask again
            self._confirming = False
            self.confirmed_routes = ()
            self.routes_box.hide()
            self.accept_button.setText(self.stop.accept)


class MarkAvailableDialog(_VehicleDialog):
    """The truck is free at a town from a time (now by default); also brings back a retired one."""

    def __init__(
        self, *, context: AppContext, vehicle: VehicleInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            context=context,
            vehicle=vehicle,
            name="available_dialog",
            title=f"Mark {vehicle.label} available",
            icon_name="mdi6.truck-check-outline",
            intro="Where the truck is and from when it can take a load.",
            accept_text="Mark available",
            busy_text="Saving…",
            parent=parent,
        )
        form = self.form_layout()
        self.town_combo = town_combo(name="town_combo", depot_name=context.general.depot_name)
        self.town_combo.set_text(vehicle.location_name or context.general.depot_name)
        self.add_row(form, "At &town:", "town", self.town_combo)
        self.from_field = DepotTimeField(name="from_field", zone=self.zone, none_text="Now")
        self.from_field.set_value(None, default=later_hour(datetime.now(UTC), self.zone, days=1))
        self.add_row(form, "&From:", "from_time", self.from_field)
        self.body.addLayout(form)

    def _on_submit(self) -> None:
        call = partial(mark_available, expected_version=self.vehicle.version)
        self.start(
            call,
            self.context.sessions,
            self.context.require_actor(),
            self.vehicle.id,
            self.town_combo.text() or None,
            self.from_field.value(),
        )
