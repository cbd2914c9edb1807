"""Cancelling a planned route: what will happen, a reason (required), and the call.

The dialog says, before anything is done, how many orders go back to pending and that the truck
is freed; the reason is required because the audit trail keeps it. The call
(:func:`~senga_desktop.controllers.routes.cancel_route`) runs on the task runner; a refusal (the
route started meanwhile, someone else changed it) is shown inline and the dialog stays open.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from senga_desktop.controllers.plan_views import RouteView
from senga_desktop.controllers.routes import cancel_route
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders.formatting import depot_zone, local_time, plural
from senga_desktop.ui.style import markdown_label
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.form_dialog import FormDialog

__all__ = ["CancelRouteDialog", "consequence_text"]


def consequence_text(route: RouteView, when: str) -> str:
    """What cancelling ``route`` does, in one paragraph."""
    count = len(route.order_ids)
    orders = plural(count, "order")
    verb = "goes" if count == 1 else "go"
    return (
        f"Route {route.route_id} on **{route.vehicle_id}**, planned to leave {when}, will be "
        f"cancelled. Its {orders} {verb} back to **pending**, to be planned again, and "
        f"{route.vehicle_id} is freed unless it has another committed route. The route stays in "
        "the list as cancelled, and the audit trail records who cancelled it and why."
    )


class CancelRouteDialog(FormDialog):
    """Asks for a reason and cancels one planned route."""

    #: The route as the controller returned it after cancelling (a ``RouteView``).
    route_cancelled = Signal(object)

    def __init__(
        self,
        *,
        context: AppContext,
        route: RouteView,
        version: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        when = local_time(route.departure, depot_zone(context.general.time_zone))
        super().__init__(
            context=context,
            name="cancel_route_dialog",
            title=f"Cancel route {route.route_id}",
            icon_name="mdi6.close-octagon-outline",
            intro="A planned route can be taken back until its truck leaves.",
            accept_text="Cancel route",
            busy_text="Cancelling…",
            parent=parent,
        )
        self.route = route
        #: The route's row version as the list showed it: a change since is refused as stale.
        self.version = version
        self.consequence_label = markdown_label(consequence_text(route, when))
        self.consequence_label.setObjectName("cancel_consequence")
        self.body.addWidget(
            NoteBox(
                name="cancel_consequence_box",
                icon_name="mdi6.information-outline",
                label=self.consequence_label,
            )
        )
        self.reject_button.setText("Keep route")
        form = self.form_layout()
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setPlaceholderText("e.g. customer postponed, truck broke down")
        self.add_row(form, "&Reason:", "reason", self.reason_edit)
        self.body.addLayout(form)
        self.reason_edit.textChanged.connect(self._on_reason_changed)
        self._on_reason_changed()

    def _on_reason_changed(self) -> None:
        if not self.busy:
            self.accept_button.setEnabled(bool(self.reason_edit.text().strip()))

    def _after_busy(self) -> None:
        self._on_reason_changed()

    def _on_submit(self) -> None:
        if not self.reason_edit.text().strip():
            return
        call = partial(cancel_route, reason=self.reason_edit.text(), expected_version=self.version)
        self.start(call, self.context.sessions, self.context.require_actor(), self.route.route_id)

    def _on_succeeded(self, result: RouteView) -> None:
        self.route_cancelled.emit(result)
        self.accept()
