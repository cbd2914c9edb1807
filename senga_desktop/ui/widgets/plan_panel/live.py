"""Showing a plan being edited again after each edit, fast: only what changed is redrawn.

A drop has to reach the new cost and marks on screen in well under 100 ms on a 40-route,
500-stop plan, so :class:`LiveView` does not rebuild the panel as showing a new decision does:

* the route list is updated in place (the rows whose route changed; a model reset only when a
  route came or went), the selection and the selected stop are kept;
* the stop table is rebuilt only when the selected route changed, the held orders only when
  they changed; the totals and the problem marks are set at once;
* the map — its rebuild and paint take longer than the rest together — is redrawn a moment
  later (:data:`MAP_DELAY_MS`, coalescing a burst of edits or undos into one redraw), keeping the
  dispatcher's zoom, from route drawings cached per route view (an edit's unchanged routes keep
  their view objects, so they are not drawn again).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from senga_desktop.controllers.plan_views import DecisionView, HeldView, RouteView
from senga_desktop.ui.widgets.map import MapData, MapMarker, MapRoute, MapStop
from senga_desktop.ui.widgets.map.adapters import held_tooltip, route_tooltip, stop_tooltip

if TYPE_CHECKING:
    from senga_desktop.ui.widgets.plan_panel.panel import PlanPanel

__all__ = ["MAP_DELAY_MS", "LiveView", "MapDrawings"]

#: How long after an edit the map is redrawn (edits and undos within it are drawn once).
MAP_DELAY_MS = 60
_KEPT = 2048  # route drawings kept: many edits' worth of a 40-route plan


class MapDrawings:
    """The map's drawing of each route view and held order, made once per view object."""

    def __init__(self) -> None:
        self._routes: dict[int, tuple[RouteView, MapRoute]] = {}
        self._held: dict[int, tuple[HeldView, MapMarker]] = {}

    def map_data(
        self,
        view: DecisionView,
        routes: Sequence[RouteView],
        held: Sequence[HeldView],
        zone: tzinfo,
    ) -> MapData:
        """What :func:`~senga_desktop.ui.widgets.map.map_data` makes of the plan, reusing the
        drawings of the route and held views seen before."""
        if len(self._routes) > _KEPT:
            self._routes.clear()
        if len(self._held) > _KEPT:
            self._held.clear()
        depot = view.depot
        return MapData(
            depot.name,
            depot.lat,
            depot.lon,
            tuple(self._route(r, zone) for r in routes),
            tuple(self._marker(h, zone) for h in held),
        )

    def _route(self, route: RouteView, zone: tzinfo) -> MapRoute:
        kept = self._routes.get(id(route))
        if kept is not None and kept[0] is route:
            return kept[1]
        drawn = MapRoute(
            route_id=route.route_id,
            title=route.vehicle_id,
            start_lat=route.start_lat,
            start_lon=route.start_lon,
            stops=tuple(
                MapStop(s.sequence, s.lat, s.lon, s.town, stop_tooltip(route, s, zone), s.trip)
                for s in route.stops
            ),
            tooltip=route_tooltip(route, zone),
        )
        self._routes[id(route)] = (route, drawn)
        return drawn

    def _marker(self, held: HeldView, zone: tzinfo) -> MapMarker:
        kept = self._held.get(id(held))
        if kept is not None and kept[0] is held:
            return kept[1]
        drawn = MapMarker(held.order_id, held.lat, held.lon, held_tooltip(held, zone), held.town)
        self._held[id(held)] = (held, drawn)
        return drawn


class LiveView(QObject):
    """Puts an edited plan of the shown decision on a panel (see the module's docstring)."""

    def __init__(self, *, panel: PlanPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.drawings = MapDrawings()
        self._view: DecisionView | None = None
        self.map_timer = QTimer(self)
        self.map_timer.setSingleShot(True)
        self.map_timer.setInterval(MAP_DELAY_MS)
        self.map_timer.timeout.connect(self.redraw_map)

    def show(self, view: DecisionView) -> None:
        """Show ``view`` (the shown decision, edited): lists, totals and marks now, the map
        after :data:`MAP_DELAY_MS`."""
        panel = self.panel
        self._view = view
        selected = panel.selected_route()
        stop_order = panel.current_stop_order()
        old_routes, old_held = panel.routes(), panel.held()
        with panel.updating():
            panel.set_plan(view.routes, view.held)
            if not panel.route_model.update_routes(view.routes):
                panel.route_model.set_routes(view.routes, panel.zone())
                panel.select_route(selected if panel.route_by_id(selected) else None)
            new_route = panel.route_by_id(selected)
            if new_route is not None and new_route is not _route(old_routes, selected):
                panel.show_stops(new_route, keep_order=stop_order)
            elif new_route is None and selected is not None:
                panel.show_stops(None)
            if view.held != old_held:
                panel.held_view.set_held(view.held)
                panel.update_tabs()
            panel.totals.show_totals(view.totals, view)
            panel.refresh_marks(map_too=False)
        self.map_timer.start()

    def redraw_map(self) -> None:
        """The map of the plan shown now, keeping the zoom, the selection and the marks."""
        self.map_timer.stop()
        panel, view = self.panel, self._view
        if view is None:
            return
        data = self.drawings.map_data(view, panel.routes(), panel.held(), panel.zone())
        panel.map.set_data(data, keep_view=True)
        selected = panel.selected_route()
        panel.map.select_route(selected)
        if panel.alone_box.isChecked():
            panel.map.show_only(selected)
        panel.refresh_marks(map_too=True)

    def stop(self) -> None:
        """Forget the edited plan (another decision is shown): no redraw is pending."""
        self.map_timer.stop()
        self._view = None


def _route(routes: Sequence[RouteView], route_id: str | None) -> RouteView | None:
    return next((r for r in routes if r.route_id == route_id), None) if route_id else None
