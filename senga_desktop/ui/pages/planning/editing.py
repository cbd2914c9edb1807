"""Editing the shown proposal by hand: one session per proposal, one undo command per edit.

:class:`EditSession` opens the controller's
:class:`~senga_desktop.controllers.plan_editing.PlanEditor` on the shown decision in the
background (:meth:`EditSession.open`; reading the decision and building the evaluator takes a
moment, and the panel stays usable meanwhile), then makes the dispatcher's edits:
:meth:`~EditSession.move_order`, :meth:`~EditSession.hold`, :meth:`~EditSession.shift`,
:meth:`~EditSession.swap_truck`, :meth:`~EditSession.split_route` and
:meth:`~EditSession.back_to_engine`. Each edit the engine accepts becomes an
:class:`EditCommand` on :attr:`EditSession.stack` (a ``QUndoStack``; the command's text is the
edit's sentence); an edit it refuses emits :attr:`EditSession.refused` with its sentence and
changes nothing. Every change of plan — an edit, an undo, a redo — emits
:attr:`EditSession.plan_changed` with the evaluated plan (the view to draw, its violations, its
cost change), evaluated on the GUI thread in milliseconds; a command keeps its evaluation, so
undoing and redoing evaluate nothing.

The edits the engine's plan went through to reach the shown plan (:attr:`EditSession.edits`, what
a commit replays) are kept per command too: "Back to the engine's plan" starts them afresh.
Locks and pins are not part of an edit: undoing leaves them as the dispatcher set them.

While an editor is open the objects alive when it opened (the proposal, the evaluator's
matrices, the window) are frozen out of Python's cyclic garbage collector (``gc.freeze()``): a
full collection over them is the one pause that could hold a drop up past 100 ms; they are
handed back to it (``gc.unfreeze()``) when the session closes.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from senga_desktop.controllers.plan_editing import EditedPlan, PlanEditor, open_plan_editor
from senga_desktop.controllers.plan_views import DepotPoint, RouteView
from senga_desktop.engine.edits import PlanEdit
from senga_desktop.engine.evaluate import DraftRoute
from senga_desktop.errors import SengaError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.tasks import report_unexpected

__all__ = ["BACK_TEXT", "NOT_READY", "EditCommand", "EditSession", "best_place"]

Drafts = tuple[DraftRoute, ...]
Edits = tuple[PlanEdit, ...]

NOT_READY = "The plan is still being opened for editing: try again in a moment."
BACK_TEXT = "Back to the engine's plan"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Straight-line distance, near enough to choose where a stop fits best."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


def best_place(
    route: RouteView, depot: DepotPoint, lat: float, lon: float, *, skip: str | None = None
) -> tuple[int, int]:
    """``(trip, index)`` on ``route`` where a stop at ``lat``/``lon`` adds the least distance
    (straight lines: each trip leaves the truck's start or the depot and ends at the depot);
    ``skip`` is an order to leave out (the one being moved)."""
    best, place = math.inf, (0, 0)
    for trip in range(route.trip_count):
        stops = [s for s in route.trip_stops(trip) if skip not in s.order_ids]
        start = (route.start_lat, route.start_lon) if trip == 0 else (depot.lat, depot.lon)
        points = [start, *((s.lat, s.lon) for s in stops), (depot.lat, depot.lon)]
        for index in range(len(points) - 1):
            a, b = points[index], points[index + 1]
            added = _km(*a, lat, lon) + _km(lat, lon, *b) - _km(*a, *b)
            if added < best - 1e-9:
                best, place = added, (trip, index)
    return place


class EditCommand(QUndoCommand):
    """One edit on the undo stack: the plan and edits before, the drafts and edits after."""

    def __init__(
        self,
        session: EditSession,
        *,
        text: str,
        drafts: Drafts,
        edits: Edits,
        after: EditedPlan | None = None,
    ) -> None:
        super().__init__(text)
        self._session = session
        plan = session.plan
        assert plan is not None
        self._before = (plan, session.edits)
        self._drafts, self._edits = drafts, edits
        self._after = after

    def redo(self) -> None:
        editor = self._session.editor
        if self._after is None and editor is not None:
            self._after = editor.evaluate(self._drafts)
        if self._after is not None:
            self._session.put(self._after, self._edits)

    def undo(self) -> None:
        self._session.put(*self._before)


class EditSession(QObject):
    """The editing of one proposal at a time (see the module's docstring)."""

    #: The editor is open (``True``) or closed (``False``).
    ready_changed = Signal(bool)
    #: The editor could not be opened (the sentence).
    open_failed = Signal(str)
    #: The plan changed (the :class:`EditedPlan`).
    plan_changed = Signal(object)
    #: An edit the engine refused (its sentence); nothing changed.
    refused = Signal(str)

    def __init__(self, *, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.stack = QUndoStack(self)
        self.stack.setObjectName("edit_stack")
        self.editor: PlanEditor | None = None
        self.plan: EditedPlan | None = None
        self.edits: Edits = ()
        self.decision_id: str | None = None
        self._frozen = False

    # -- opening and closing --------------------------------------------------------------------

    def open(self, decision_id: str) -> None:
        """Open an editor on proposed decision ``decision_id`` in the background."""
        self.close()
        self.decision_id = decision_id
        self.context.runner.run(
            open_plan_editor,
            self.context.sessions,
            self.context.require_actor(),
            decision_id,
            on_success=partial(self._on_opened, decision_id),
            on_failure=partial(self._on_open_failed, decision_id),
        )

    def close(self) -> None:
        """No editing (another decision is shown, or it was committed or discarded)."""
        was_ready = self.ready
        self.stack.clear()
        self.editor, self.plan, self.edits, self.decision_id = None, None, (), None
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        if was_ready:
            self.ready_changed.emit(False)

    @property
    def ready(self) -> bool:
        return self.editor is not None and self.plan is not None

    @property
    def changed(self) -> bool:
        """The shown plan is not the engine's."""
        return self.plan is not None and self.plan.changed

    def _on_opened(self, decision_id: str, editor: PlanEditor) -> None:
        if decision_id != self.decision_id:
            return  # another decision is shown by now
        self.editor, self.plan, self.edits = editor, editor.base, ()
        if not self._frozen:
            gc.freeze()  # see the module's docstring
            self._frozen = True
        self.ready_changed.emit(True)

    def _on_open_failed(self, decision_id: str, exc: BaseException) -> None:
        if decision_id != self.decision_id:
            return
        self.decision_id = None
        if isinstance(exc, SengaError):
            self.open_failed.emit(exc.message)
        else:
            report_unexpected(exc)

    # -- edits ----------------------------------------------------------------------------------

    def put(self, plan: EditedPlan, edits: Edits) -> None:
        """Show ``plan`` (reached by ``edits``); the commands call this."""
        self.plan, self.edits = plan, edits
        self.plan_changed.emit(plan)

    def _edit(self, make: Callable[[PlanEditor, Drafts], tuple[Drafts, PlanEdit]]) -> bool:
        editor, plan = self.editor, self.plan
        if editor is None or plan is None:
            self.refused.emit(NOT_READY)
            return False
        try:
            drafts, edit = make(editor, plan.drafts)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        command = EditCommand(self, text=edit.describe(), drafts=drafts, edits=(*self.edits, edit))
        self.stack.push(command)
        return True

    def place_of(self, order_id: str, vehicle_id: str) -> tuple[int, int]:
        """Where on ``vehicle_id``'s route ``order_id`` fits best (a truck with no route: the
        start of a new one)."""
        editor, plan = self.editor, self.plan
        if editor is None or plan is None:
            return 0, 0
        route = next((r for r in plan.view.routes if r.vehicle_id == vehicle_id), None)
        if route is None:
            return 0, 0
        order = editor.context.state.order(order_id)
        return best_place(route, plan.view.depot, order.lat, order.lon, skip=order_id)

    def move_order(
        self, order_id: str, vehicle_id: str, trip: int | None = None, index: int | None = None
    ) -> bool:
        """``order_id`` onto ``vehicle_id``'s route: at stop ``index`` of trip ``trip``, or
        where it adds the least distance."""
        if trip is None or index is None:
            trip, index = self.place_of(order_id, vehicle_id)
        at_trip, at_index = trip, index
        return self._edit(lambda e, d: e.move_order(d, order_id, vehicle_id, at_index, at_trip))

    def hold(self, order_id: str) -> bool:
        """``order_id`` off its route: held, pending for a later run."""
        return self._edit(lambda e, d: e.move_order(d, order_id, None))

    def reorder(self, vehicle_id: str, order_id: str, index: int) -> bool:
        """``order_id`` to stop ``index`` (from 0) of its trip on ``vehicle_id``."""
        return self._edit(lambda e, d: e.reorder_stop(d, vehicle_id, order_id, index))

    def shift(self, order_id: str, delta: int) -> bool:
        """``order_id`` one place up (``-1``) or down (``+1``) on its trip."""
        plan = self.plan
        if plan is None:
            self.refused.emit(NOT_READY)
            return False
        found = _place(plan.drafts, order_id)
        if found is None:
            self.refused.emit(f"{order_id} is on no route: move it onto one first.")
            return False
        vehicle_id, index, stops = found
        target = index + delta
        if not 0 <= target < stops:
            where = "first" if delta < 0 else "last"
            self.refused.emit(f"{order_id} is the {where} stop of its trip already.")
            return False
        return self.reorder(vehicle_id, order_id, target)

    def swap_truck(self, vehicle_id: str, other_vehicle_id: str) -> bool:
        """The routes of the two trucks exchanged (or the route moved to a free truck)."""
        return self._edit(lambda e, d: e.swap_truck(d, vehicle_id, other_vehicle_id))

    def split_route(self, vehicle_id: str, at_index: int, new_vehicle_id: str) -> bool:
        """``vehicle_id``'s stops from ``at_index`` (from 0, whole route) onto a free truck."""
        return self._edit(lambda e, d: e.split_route(d, vehicle_id, at_index, new_vehicle_id))

    def back_to_engine(self) -> bool:
        """The engine's plan again, as one more (undoable) command."""
        editor, plan = self.editor, self.plan
        if editor is None or plan is None:
            self.refused.emit(NOT_READY)
            return False
        if not plan.changed and not self.edits:
            self.refused.emit("This is the engine's plan already.")
            return False
        base = editor.base
        self.stack.push(EditCommand(self, text=BACK_TEXT, drafts=base.drafts, edits=(), after=base))
        return True


def _place(drafts: Drafts, order_id: str) -> tuple[str, int, int] | None:
    """(truck, index on its trip, stops on that trip) of an order on the drafts."""
    for draft in drafts:
        for trip in draft.trips:
            if order_id in trip:
                return draft.vehicle_id, trip.index(order_id), len(trip)
    return None
