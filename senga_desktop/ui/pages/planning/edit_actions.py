"""From what the dispatcher does on the plan panel to the edit it means.

:class:`EditActions` connects the panel's drops (:mod:`~senga_desktop.ui.widgets.plan_panel.drag`)
and edit actions (:mod:`~senga_desktop.ui.widgets.plan_panel.edit_controls`) to an
:class:`~senga_desktop.ui.pages.planning.editing.EditSession`:

* a stop or held order dropped on a route (its row, or its line on the map) moves there, where it
  adds the least distance; dropped between two stops of the shown route it goes there (on its own
  trip, a reordering); dropped on the held orders it is held;
* "Move to route…", "Swap truck…" and "Split route here" ask for the truck
  (:class:`~senga_desktop.ui.pages.planning.pickers.TruckPicker`, through the page's
  ``ask_truck`` so that tests can answer); "Hold" and "Move up/down" need no question.

Whatever the engine refuses comes back as the session's ``refused`` sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject

from senga_desktop.ui.pages.planning.editing import NOT_READY, EditSession
from senga_desktop.ui.pages.planning.pickers import TruckChoice, truck_choices
from senga_desktop.ui.widgets.plan_panel import PlanPanel
from senga_desktop.ui.widgets.plan_panel.drag import DropTarget, OrderDrag
from senga_desktop.ui.widgets.plan_panel.formatting import number

__all__ = ["EditActions", "TruckAsker"]


class TruckAsker(Protocol):
    """What asks the dispatcher for a truck (the Planning page)."""

    def ask_truck(
        self, title: str, prompt: str, choices: Sequence[TruckChoice], ok_text: str
    ) -> str | None: ...


class EditActions(QObject):
    """The panel's drops and edit actions, made edits of ``session``."""

    def __init__(self, *, panel: PlanPanel, session: EditSession, asker: TruckAsker) -> None:
        super().__init__(panel)
        self.panel = panel
        self.session = session
        self.asker = asker
        drag, controls = panel.set_edit_tools()
        drag.order_dropped.connect(self._on_order_dropped)
        controls.move_requested.connect(self._on_move_requested)
        controls.hold_requested.connect(self.session.hold)
        controls.shift_requested.connect(self.session.shift)
        controls.swap_requested.connect(self._on_swap_requested)
        controls.split_requested.connect(self._on_split_requested)

    # -- drops ----------------------------------------------------------------------------------

    def _on_order_dropped(self, drag: OrderDrag, target: DropTarget) -> None:
        order_id, source = drag.order_id, self._truck_of(drag.order_id)
        if target.kind == "held":
            if source is None:
                self.session.refused.emit(f"{order_id} is held already.")
            else:
                self.session.hold(order_id)
        elif target.kind == "route" and target.vehicle_id is not None:
            if source == target.vehicle_id:
                self.session.refused.emit(
                    f"{order_id} is on {source}'s route already: drag it within its stops to "
                    "change its place."
                )
            else:
                self.session.move_order(order_id, target.vehicle_id)
        elif target.kind == "stops" and target.vehicle_id is not None:
            self._drop_in_stops(order_id, source, target)

    def _drop_in_stops(self, order_id: str, source: str | None, target: DropTarget) -> None:
        vehicle_id = target.vehicle_id
        assert vehicle_id is not None
        plan = self.session.plan
        draft = next((d for d in plan.drafts if d.vehicle_id == vehicle_id), None) if plan else None
        at = _trip_place(draft.trips, order_id) if draft is not None else None
        if source == vehicle_id and at is not None and at[0] == target.trip:
            index = at[1]
            new = target.index - 1 if target.index > index else target.index
            if new != index:  # dropped where it was: nothing to do
                self.session.reorder(vehicle_id, order_id, new)
            return
        self.session.move_order(order_id, vehicle_id, target.trip, target.index)

    def _truck_of(self, order_id: str) -> str | None:
        plan = self.session.plan
        if plan is None:
            return None
        return next((d.vehicle_id for d in plan.drafts if order_id in d.order_ids), None)

    # -- questions ------------------------------------------------------------------------------

    def _on_move_requested(self, order_id: str) -> None:
        session = self.session
        editor, plan = session.editor, session.plan
        if editor is None or plan is None:
            session.refused.emit(NOT_READY)
            return
        order = editor.context.state.order(order_id)
        source = self._truck_of(order_id)
        choices = truck_choices(plan.view.routes, editor.free_in(plan.drafts), exclude=source)
        where = f"on {source}" if source else "held"
        weight = number(order.weight_kg / 1000, 2)
        chosen = self.asker.ask_truck(
            "Move to route",
            f"Move {order_id} ({order.town}, {weight} t, now {where}) to which truck? It goes "
            "where it adds the least distance; you can drag it to another place afterwards.",
            choices,
            "Move here",
        )
        if chosen:
            session.move_order(order_id, chosen)

    def _on_swap_requested(self, vehicle_id: str) -> None:
        editor, plan = self.session.editor, self.session.plan
        if editor is None or plan is None:
            self.session.refused.emit(NOT_READY)
            return
        choices = truck_choices(plan.view.routes, editor.free_in(plan.drafts), exclude=vehicle_id)
        chosen = self.asker.ask_truck(
            "Swap truck",
            f"Give {vehicle_id}'s route to which truck? A truck with a route of its own gives "
            f"that route to {vehicle_id} in exchange.",
            choices,
            "Swap",
        )
        if chosen:
            self.session.swap_truck(vehicle_id, chosen)

    def _on_split_requested(self, vehicle_id: str, at_index: int) -> None:
        editor, plan = self.session.editor, self.session.plan
        if editor is None or plan is None:
            self.session.refused.emit(NOT_READY)
            return
        free = editor.free_in(plan.drafts)
        if not free:
            self.session.refused.emit(
                "No truck is free to take the split-off stops: free one first (swap or move its "
                "orders away), then split."
            )
            return
        route = next((r for r in plan.view.routes if r.vehicle_id == vehicle_id), None)
        stops = len(route.stops) if route is not None else at_index + 1
        chosen = self.asker.ask_truck(
            "Split route",
            f"Stops {at_index + 1} to {stops} of {vehicle_id}'s route go to a free truck, in the "
            "same order. Which one?",
            truck_choices((), free),
            "Split",
        )
        if chosen:
            self.session.split_route(vehicle_id, at_index, chosen)


def _trip_place(trips: tuple[tuple[str, ...], ...], order_id: str) -> tuple[int, int] | None:
    for trip, stops in enumerate(trips):
        if order_id in stops:
            return trip, stops.index(order_id)
    return None
