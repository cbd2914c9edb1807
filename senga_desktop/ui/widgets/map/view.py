"""The map widget: the base map, a plan's routes, its held orders, zoom, pan, hover and click.

One :class:`MapView` serves the planning, routes and decisions screens. It takes a
:class:`~senga_desktop.ui.widgets.map.data.MapData`, draws each route in its own colour from where
its truck starts, through its numbered stops and back to the depot, and keeps crowded plans
readable: stops sharing a town are laid out in rings (in pixels, recomputed on zoom), stop numbers
show only when zoomed in, for small plans or for the highlighted route, and town labels are
placed greedily by importance so that they never overlap each other or the symbols.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QPointF, QRectF, Signal
from PySide6.QtGui import (
    QColor,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.gazetteer import KENYA_BOUNDS, load_gazetteer, normalise_name
from senga_desktop.ui.widgets.map.basemap import BaseMap, BaseMapItem, load_basemap, project
from senga_desktop.ui.widgets.map.canvas import MapCanvas
from senga_desktop.ui.widgets.map.data import MapData, MapRoute
from senga_desktop.ui.widgets.map.items import (
    MARKER_KEY,
    ROUTE_KEY,
    DepotItem,
    HeldItem,
    LabelItem,
    RouteLayerItem,
    RouteLineItem,
    StartItem,
    StopItem,
    route_color,
    route_dash,
)
from senga_desktop.ui.widgets.map.layout import (
    LabelCandidate,
    cluster_radius,
    place_labels,
    ring_offsets,
)
from senga_desktop.ui.widgets.map.overlays import MapLegend, MapToolbar

__all__ = ["MapView"]

_REGION = (-9.0, 8.0, 28.0, 47.0)  # (min lat, max lat, min lon, max lon) the user can pan over
_ZOOM_STEP = 1.5
_FIT_MARGINS = (56, 56, 120, 56)  # left, top, right, bottom pixels kept clear by fit()
_DEPOT_CLEARANCE = 11.0  # pixels around the depot symbol that stops keep clear of


def _rect(min_lat: float, max_lat: float, min_lon: float, max_lon: float) -> QRectF:
    return QRectF(project(max_lat, min_lon), project(min_lat, max_lon)).normalized()


def _location_key(lat: float, lon: float) -> tuple[int, int]:
    return round(lat * 1000), round(lon * 1000)  # about 100 m: the same town centre


@dataclass(eq=False)
class _Group:
    """Symbols sharing one point (a town), laid out in rings around it."""

    centre: QPointF
    town: str
    members: list[StopItem | HeldItem | StartItem] = field(default_factory=list)
    has_depot: bool = False
    label: LabelItem | None = None
    reach: float = 0.0  # pixels from the centre to the outermost visible symbol's edge
    chosen_reach: float = 0.0  # the same for the highlighted route's symbols alone


@dataclass(eq=False)
class _RouteEntry:
    index: int
    route: MapRoute
    line: RouteLineItem
    stops: list[StopItem]
    start: QPointF
    start_item: StartItem | None  # None when the truck starts at the depot


def label_offsets(label: LabelItem, clearance: float) -> list[QPointF]:
    """Where a label may go around its point, ``clearance`` pixels out: right, left, above,
    below (the order a reader expects)."""
    rect = label.text_rect()
    width, height = rect.width(), rect.height()
    return [
        QPointF(clearance, 0),
        QPointF(-clearance - width, 0),
        QPointF(-width / 2, -clearance - height / 2 + 2),
        QPointF(-width / 2, clearance + height / 2 - 2),
    ]


class MapView(QWidget):
    """An offline map of Kenya showing a plan: routes, numbered stops, the depot, held orders.

    ``route_clicked`` carries the id of a route whose line or stop the user clicked (the click
    also highlights it); ``marker_clicked`` the key of a clicked held order.
    """

    route_clicked = Signal(str)
    marker_clicked = Signal(str)

    NUMBER_SCALE = 2.6  # pixels per km from which every stop shows its number
    FEW_STOPS = 40  # plans this small show numbers at any zoom
    MIN_SCALE = 0.3
    MAX_SCALE = 80.0
    MIN_FIT_KM = 40.0  # fitting one stop does not zoom in to street level

    def __init__(self, parent: QWidget | None = None, *, basemap: BaseMap | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map_view")
        self._scene = QGraphicsScene(self)
        self._scene.setSceneRect(_rect(*_REGION))
        self._basemap = basemap if basemap is not None else load_basemap()
        self._base_item = BaseMapItem(self._basemap)
        self._scene.addItem(self._base_item)
        self._lines = RouteLayerItem()
        self._scene.addItem(self._lines)
        self._canvas = MapCanvas(self, self._scene)
        # The view must go before its scene: a scene deleted first (as the map's first child)
        # detaches from a view still alive, which re-lays out its labels, already deleted.
        self._scene.setParent(self._canvas)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._canvas)
        self._toolbar = MapToolbar(self._canvas)
        self._legend = MapLegend(self._canvas)
        self._toolbar.zoom_in.clicked.connect(self.zoom_in)
        self._toolbar.zoom_out.clicked.connect(self.zoom_out)
        self._toolbar.fit.clicked.connect(self.fit)
        self._toolbar.show_all.clicked.connect(lambda: self.show_only(None))

        self._places: list[
            tuple[LabelItem, QPointF, str, float]
        ] = []  # item, anchor, key, min scale
        self._add_places()
        self._data: MapData | None = None
        self._entries: dict[str, _RouteEntry] = {}
        self._held: list[HeldItem] = []
        self._groups: list[_Group] = []
        self._depot_item: DepotItem | None = None
        self._depot_group: _Group | None = None
        self._depot_label: LabelItem | None = None
        self._selected: str | None = None
        self._only: str | None = None
        self._auto_fit = True
        self._laid_out_scale = 0.0
        self.fit()

    # -- public API --------------------------------------------------------------------------

    def set_data(self, data: MapData, *, keep_view: bool = False) -> None:
        """Show ``data`` instead of whatever was shown, and fit the view to it; with
        ``keep_view`` (the same plan, edited) a view the user zoomed or panned stays."""
        self._remove_data()
        self._data = data
        self._build(data)
        if keep_view and not self._auto_fit:
            self._relayout(force=True)
        else:
            self.fit()

    def clear(self) -> None:
        """Show the base map alone."""
        self._remove_data()
        self._data = None
        self.fit()

    def data(self) -> MapData | None:
        return self._data

    def select_route(self, route_id: str | None) -> None:
        """Highlight a route (thicker, on top, numbered; the others dimmed); ``None`` for none.

        Does not emit :attr:`route_clicked`. An unknown id highlights nothing.
        """
        route_id = route_id if route_id in self._entries else None
        if route_id == self._selected:
            return
        self._selected = route_id
        self._apply_emphasis()
        self._relayout(force=True)

    def selected_route(self) -> str | None:
        return self._selected

    def show_only(self, route_id: str | None) -> None:
        """Show one route alone (``None``: all again) and fit the view to what is shown."""
        route_id = route_id if route_id in self._entries else None
        self._only = route_id
        for rid, entry in self._entries.items():
            visible = route_id is None or rid == route_id
            entry.line.setVisible(visible)
            for stop in entry.stops:
                stop.setVisible(visible)
            if entry.start_item is not None:
                entry.start_item.setVisible(visible)
        for item in self._held:  # alone means alone: the held orders come back with the rest
            item.setVisible(route_id is None)
        self._toolbar.show_all.setEnabled(route_id is not None)
        self._apply_emphasis()
        self.fit()

    def shown_only(self) -> str | None:
        return self._only

    def fit(self) -> None:
        """Zoom and centre so that everything shown (or Kenya, when nothing is) fits."""
        rect = self._content_rect()
        if rect.isNull():
            rect = _rect(*KENYA_BOUNDS)
        minimum = self.MIN_FIT_KM
        if rect.width() < minimum or rect.height() < minimum:
            centre = rect.center()
            rect = QRectF(0, 0, max(rect.width(), minimum), max(rect.height(), minimum))
            rect.moveCenter(centre)
        # Margins in pixels: room for the symbols and labels at the edges and for the tool
        # buttons on the right, whatever the zoom.
        left, top, right, bottom = _FIT_MARGINS
        viewport = self._canvas.viewport()
        width = max(viewport.width() - left - right, 50)
        height = max(viewport.height() - top - bottom, 50)
        scale = min(width / rect.width(), height / rect.height())
        scale = min(max(scale, self.MIN_SCALE), self.MAX_SCALE)
        self._canvas.setTransform(QTransform.fromScale(scale, scale))
        self._canvas.centerOn(
            rect.center() + QPointF((right - left) / 2 / scale, (bottom - top) / 2 / scale)
        )
        self._auto_fit = True
        self._relayout()

    def zoom_in(self) -> None:
        self._zoom_by(_ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_by(1 / _ZOOM_STEP)

    def scale(self) -> float:
        """Pixels per kilometre at the current zoom."""
        return self._canvas.transform().m11()

    def canvas(self) -> QGraphicsView:
        """The graphics view inside (for events in tests and for grabbing a picture)."""
        return self._canvas

    def route_ids(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def stop_point(self, route_id: str, sequence: int) -> QPoint | None:
        """Where a stop is drawn, in the canvas viewport's pixels (``None`` if not drawn)."""
        entry = self._entries.get(route_id)
        stop = next((s for s in entry.stops if s.sequence == sequence), None) if entry else None
        if stop is None or not stop.isVisible():
            return None
        return self._canvas.mapFromScene(stop.scenePos())

    def marker_point(self, key: str) -> QPoint | None:
        """Where a held order's marker is drawn, in viewport pixels."""
        item = next((h for h in self._held if h.key == key), None)
        return self._canvas.mapFromScene(item.scenePos()) if item and item.isVisible() else None

    # -- building ----------------------------------------------------------------------------

    def _add_places(self) -> None:
        """Labels of the base map's places and the gazetteer's towns, shown by importance."""
        seen: set[str] = set()
        thresholds = {0: 0.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0, 5: 0.6, 6: 0.7}
        for place in self._basemap.places:
            key = normalise_name(place.name)
            seen.add(key)
            minimum = thresholds.get(place.scalerank, 1.4)
            self._add_place(
                place.name, place.lat, place.lon, key=key, minimum=minimum, rank=place.scalerank
            )
        for town in load_gazetteer():
            key = normalise_name(town.name)
            if key not in seen:
                self._add_place(
                    town.name, town.latitude, town.longitude, key=key, minimum=3.0, rank=11
                )

    def _add_place(
        self, name: str, lat: float, lon: float, *, key: str, minimum: float, rank: int
    ) -> None:
        important = rank <= 4
        item = LabelItem(
            name,
            size=11 if important else 10,
            dot=True,
            color=QColor("#4d4a44" if important else "#6b665d"),
        )
        item.setZValue(-50)  # under every route symbol
        item.setPos(project(lat, lon))
        item.setVisible(False)
        self._scene.addItem(item)
        self._places.append((item, item.pos(), key, minimum))

    def _remove_data(self) -> None:
        for entry in self._entries.values():
            self._scene.removeItem(entry.line)
            for stop in entry.stops:
                self._scene.removeItem(stop)
            if entry.start_item is not None:
                self._scene.removeItem(entry.start_item)
        removed: list[QGraphicsItem | None] = [*self._held, self._depot_item, self._depot_label]
        removed.extend(g.label for g in self._groups)
        for item in removed:
            if item is not None:
                self._scene.removeItem(item)
        self._entries, self._held, self._groups = {}, [], []
        self._lines.lines = []
        self._lines.refresh()
        self._depot_item = self._depot_label = self._depot_group = None
        self._selected = self._only = None
        self._laid_out_scale = 0.0  # new symbols are laid out even if the zoom stays the same
        self._toolbar.show_all.setEnabled(False)

    def _build(self, data: MapData) -> None:
        groups: dict[tuple[int, int], _Group] = {}

        def group(lat: float, lon: float, town: str) -> _Group:
            key = _location_key(lat, lon)
            found = groups.get(key)
            if found is None:
                found = groups[key] = _Group(project(lat, lon), town)
            elif not found.town:
                found.town = town
            return found

        depot_group = group(data.depot_lat, data.depot_lon, "")
        depot_group.has_depot = True
        self._depot_group = depot_group
        self._depot_item = DepotItem(f"{data.depot_name} (depot)\nEvery route ends here.")
        self._depot_item.setPos(depot_group.centre)
        self._depot_label = LabelItem(data.depot_name, bold=True, size=12, color=QColor("#1d242c"))
        self._depot_label.setPos(depot_group.centre)
        self._scene.addItem(self._depot_item)
        self._scene.addItem(self._depot_label)

        for index, route in enumerate(data.routes):
            color = route_color(index)
            line = RouteLineItem(route.route_id, color, route_dash(index))
            line.setToolTip(route.tooltip or route.title)
            self._scene.addItem(line)
            self._lines.lines.append(line)
            stops = []
            for stop in route.stops:
                item = StopItem(route.route_id, stop.sequence, color, stop.tooltip)
                group(stop.lat, stop.lon, stop.town).members.append(item)
                self._scene.addItem(item)
                stops.append(item)
            start_item = None
            if _location_key(route.start_lat, route.start_lon) != _location_key(
                data.depot_lat, data.depot_lon
            ):
                start_item = StartItem(route.route_id, color, f"{route.title} starts here")
                group(route.start_lat, route.start_lon, "").members.insert(0, start_item)
                self._scene.addItem(start_item)
            self._entries[route.route_id] = _RouteEntry(
                index, route, line, stops, project(route.start_lat, route.start_lon), start_item
            )
        for marker in data.held:
            held = HeldItem(marker.key, marker.tooltip)
            group(marker.lat, marker.lon, marker.town).members.append(held)
            self._scene.addItem(held)
            self._held.append(held)

        # One label a town: consignees are spread around its centre, so its stops and held
        # orders fall in several groups; the busiest one with route stops carries the name.
        def weight(found: _Group) -> tuple[bool, int]:
            return any(isinstance(m, StopItem) for m in found.members), len(found.members)

        named: dict[str, _Group] = {}
        for found in groups.values():
            if found.town and not found.has_depot:
                best = named.get(found.town)
                if best is None or weight(found) > weight(best):
                    named[found.town] = found
        for found in named.values():
            found.label = LabelItem(found.town, size=11, color=QColor("#24282d"))
            found.label.setPos(found.centre)
            self._scene.addItem(found.label)
        self._groups = list(groups.values())
        self._apply_emphasis()

    def _content_rect(self) -> QRectF:
        if self._data is None:
            return QRectF()
        points = [project(self._data.depot_lat, self._data.depot_lon)]
        for rid, entry in self._entries.items():
            if self._only is None or rid == self._only:
                points.append(entry.start)
                points.extend(project(s.lat, s.lon) for s in entry.route.stops)
        if self._only is None:
            points.extend(project(m.lat, m.lon) for m in self._data.held)
        xs, ys = [p.x() for p in points], [p.y() for p in points]
        return QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))

    # -- emphasis and layout -----------------------------------------------------------------

    def _emphasised(self) -> set[str]:
        return {rid for rid in (self._selected, self._only) if rid is not None}

    def _apply_emphasis(self) -> None:
        emphasised = self._emphasised()
        for rid, entry in self._entries.items():
            chosen = rid in emphasised
            dimmed = bool(emphasised) and not chosen
            entry.line.set_emphasis(selected=chosen, dimmed=dimmed)
            for stop in entry.stops:
                stop.set_emphasis(selected=chosen, dimmed=dimmed)
            if entry.start_item is not None:
                entry.start_item.set_emphasis(selected=chosen, dimmed=dimmed)
        for item in self._held:
            item.set_emphasis(dimmed=bool(emphasised))
        self._lines.refresh()

    def _zoom_by(self, factor: float, *, around: QPoint | None = None) -> None:
        """Zoom by ``factor`` keeping the place at viewport pixel ``around`` (default: the
        centre) where it is."""
        current = self.scale()
        target = min(max(current * factor, self.MIN_SCALE), self.MAX_SCALE)
        if current <= 0 or abs(target / current - 1) < 1e-6:
            return
        canvas = self._canvas
        pixel = around if around is not None else canvas.viewport().rect().center()
        # The anchor is computed here rather than with AnchorUnderMouse, which uses the last
        # mouse-move position and so drifts when the wheel turns before the mouse has moved.
        fixed = canvas.mapToScene(pixel)
        centre = canvas.mapToScene(canvas.viewport().rect().center())
        canvas.setTransform(QTransform.fromScale(target, target))
        ratio = current / target
        canvas.centerOn(fixed + (centre - fixed) * ratio)
        self._auto_fit = False
        self._relayout()

    def _on_resized(self) -> None:
        canvas = self._canvas
        margin = 8
        self._toolbar.adjustSize()
        self._toolbar.move(canvas.width() - self._toolbar.width() - margin, margin)
        self._legend.adjustSize()
        self._legend.move(margin, canvas.height() - self._legend.height() - margin)
        if self._auto_fit:
            self.fit()

    def _relayout(self, *, force: bool = False) -> None:
        """Place the symbols sharing a town, the route lines through them, and the labels."""
        scale = self.scale()
        if scale <= 0 or (not force and abs(scale - self._laid_out_scale) < 1e-9 * scale):
            return
        self._laid_out_scale = scale
        emphasised = self._emphasised()
        visible_stops = sum(
            len(e.stops)
            for rid, e in self._entries.items()
            if self._only is None or rid == self._only
        )
        numbered = scale >= self.NUMBER_SCALE or visible_stops <= self.FEW_STOPS
        radius = StopItem.LARGE if numbered else StopItem.SMALL
        spacing = 2 * radius + (2.0 if numbered else 2.5)
        for entry in self._entries.values():
            highlighted = entry.route.route_id in emphasised
            for stop in entry.stops:
                stop.set_numbered(numbered or highlighted)
        large = 2 * StopItem.LARGE + 2.0
        for found in self._groups:
            members = [m for m in found.members if m.isVisible()]
            # The highlighted route's stops (numbered, larger) take the inner rings.
            chosen = [m for m in members if getattr(m, "route_id", None) in emphasised]
            others = [m for m in members if getattr(m, "route_id", None) not in emphasised]
            inner = _DEPOT_CLEARANCE if found.has_depot else 0.0
            reach = inner
            placed: list[tuple[StopItem | HeldItem | StartItem, QPointF]] = []
            if chosen:
                offsets = ring_offsets(len(chosen), large, inner=inner)
                placed.extend(zip(chosen, offsets, strict=True))
                reach = max(reach, cluster_radius(offsets, StopItem.LARGE))
            found.chosen_reach = reach if chosen else 0.0
            if others:
                offsets = ring_offsets(len(others), spacing, inner=reach)
                placed.extend(zip(others, offsets, strict=True))
                reach = max(reach, cluster_radius(offsets, radius))
            for member, offset in placed:
                member.setPos(found.centre + offset / scale)
            found.reach = reach
        depot = self._depot_group.centre if self._depot_group else QPointF()
        for entry in self._entries.values():
            start = entry.start_item.pos() if entry.start_item is not None else depot
            entry.line.set_view_scale(scale)
            points = [start]
            for item, stop, before in zip(
                entry.stops,
                entry.route.stops,
                (0, *(x.trip for x in entry.route.stops)),
                strict=False,
            ):
                if stop.trip != before:  # back to the depot to reload between trips
                    points.append(depot)
                points.append(item.pos())
            entry.line.set_points([*points, depot])
        self._lines.refresh()
        self._place_labels(scale)

    def _place_labels(self, scale: float) -> None:
        canvas = self._canvas
        candidates: list[LabelCandidate] = []
        obstacles: list[QRectF] = []
        labels: list[LabelItem] = []
        offsets: list[list[QPointF]] = []
        data_towns: set[str] = set()
        dimmed: set[int] = set()  # obstacles a highlighted route's labels may cover
        emphasised = self._emphasised()

        def add(
            label: LabelItem,
            anchor: QPointF,
            offset: float,
            rank: tuple[float, ...],
            own: int = -1,
            *,
            always: bool = False,
            over_dimmed: bool = False,
        ) -> None:
            at = QPointF(canvas.mapFromScene(anchor))
            spots = label_offsets(label, offset)
            rects = []
            for spot in spots:
                label.set_offset(spot)
                rect = label.text_rect().translated(at)
                if label.dot:
                    rect = rect.united(QRectF(at.x() - 3, at.y() - 3, 6, 6))
                rects.append(rect)
            candidates.append(
                LabelCandidate(rank, tuple(rects), len(labels), own, always, over_dimmed)
            )
            labels.append(label)
            offsets.append(spots)

        for number, found in enumerate(self._groups):
            at = QPointF(canvas.mapFromScene(found.centre))
            visible = [m for m in found.members if m.isVisible()]
            mine = any(getattr(m, "route_id", None) in emphasised for m in visible)
            # With a route highlighted, the dimmed symbols around its stops may be covered.
            r = found.chosen_reach if mine else found.reach
            obstacles.append(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r) if r > 0 else QRectF())
            if emphasised and not mine:
                dimmed.add(number)
            if found.label is None:
                continue
            data_towns.add(normalise_name(found.town))
            if not visible:
                found.label.setVisible(False)
                continue
            add(
                found.label,
                found.centre,
                (found.chosen_reach if mine else found.reach) + 4,
                (1 if mine else 2, -len(visible)),
                number,
                over_dimmed=mine,
            )
        if self._depot_label is not None and self._depot_group is not None:
            depot_index = self._groups.index(self._depot_group)
            add(
                self._depot_label,
                self._depot_group.centre,
                self._depot_group.reach + 4,
                (0,),
                depot_index,
                always=True,
            )
        for item, anchor, key, minimum in self._places:
            if key in data_towns or scale < minimum:
                item.setVisible(False)
                continue
            add(item, anchor, 5, (3, minimum))
        shown = place_labels(candidates, obstacles, dimmed=frozenset(dimmed))
        for index, label in enumerate(labels):
            position = shown.get(index)
            if position is not None:
                label.set_offset(offsets[index][position])
            label.setVisible(position is not None)

    # -- events ------------------------------------------------------------------------------

    def _on_clicked(self, pos: QPoint) -> None:
        for item in self._canvas.items(pos):
            route_id = item.data(ROUTE_KEY)
            if isinstance(route_id, str) and route_id:
                self.select_route(route_id)
                self.route_clicked.emit(route_id)
                return
            key = item.data(MARKER_KEY)
            if isinstance(key, str) and key:
                self.marker_clicked.emit(key)
                return
