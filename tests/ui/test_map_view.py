"""The map widget offscreen: base map, routes and held orders, clicks, highlight, show-alone,
zoom, tooltips, the adapter from the plan read models, and a crowded 40-route plan."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel, QToolButton
from pytestqt.qtbot import QtBot

from benchmarks.map_view import demo_plan
from senga_desktop.controllers.plan_views import DepotPoint, HeldView, RouteView, StopView
from senga_desktop.domain import RouteStatus
from senga_desktop.gazetteer import load_gazetteer
from senga_desktop.ui.widgets.map import (
    STRAIGHT_LINES_NOTE,
    MapData,
    MapMarker,
    MapRoute,
    MapStop,
    MapView,
    map_data,
    route_color,
)
from senga_desktop.ui.widgets.map.basemap import BaseMapItem, load_basemap, project, unproject
from senga_desktop.ui.widgets.map.items import HeldItem, RouteLineItem, StopItem, route_dash
from senga_desktop.ui.widgets.map.layout import ring_offsets

NAIROBI = (-1.2864, 36.8172)
TOWNS = {t.name: (t.latitude, t.longitude) for t in load_gazetteer()}


def _stop(seq: int, town: str, tip: str = "") -> MapStop:
    lat, lon = TOWNS[town]
    return MapStop(seq, lat, lon, town, tip or f"stop {seq} at {town}")


def small_map() -> MapData:
    """Two routes out of Nairobi (one west, one to the coast) and two held orders in Garissa."""
    west = MapRoute(
        "r-west",
        "KDA 101A",
        *NAIROBI,
        stops=(_stop(1, "Nakuru"), _stop(2, "Kisumu"), _stop(3, "Kakamega")),
        tooltip="KDA 101A west",
    )
    coast = MapRoute(
        "r-coast",
        "KDB 202B",
        *TOWNS["Machakos"],
        stops=(_stop(1, "Voi"), _stop(2, "Mombasa", "Mombasa: Bidco ORD-7")),
    )
    garissa = TOWNS["Garissa"]
    held = (
        MapMarker("ORD-H1", *garissa, "Held: ORD-H1", "Garissa"),
        MapMarker("ORD-H2", *garissa, "Held: ORD-H2", "Garissa"),
    )
    return MapData("Nairobi depot", *NAIROBI, routes=(west, coast), held=held)


@pytest.fixture
def view(qtbot: QtBot) -> MapView:
    widget = MapView()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_data(small_map())
    return widget


def _line(view: MapView, route_id: str) -> RouteLineItem:
    return next(
        i
        for i in view.canvas().scene().items()
        if isinstance(i, RouteLineItem) and i.route_id == route_id
    )


def _stops(view: MapView, route_id: str) -> list[StopItem]:
    return [
        i
        for i in view.canvas().scene().items()
        if isinstance(i, StopItem) and i.route_id == route_id
    ]


def test_the_base_map_loads_with_kenya_its_lakes_and_places() -> None:
    basemap = load_basemap()
    kenya = basemap.country("KEN")
    assert kenya is not None
    assert kenya.name == "Kenya"
    assert {"UGA", "TZA", "SOM", "ETH"} <= {c.iso_a3 for c in basemap.countries}
    assert len(basemap.lakes) >= 20
    nairobi = next(p for p in basemap.places if p.name == "Nairobi")
    assert nairobi.scalerank == 0  # most important first
    assert basemap.places[0] == nairobi
    item = BaseMapItem(basemap)
    assert item.boundingRect().contains(project(*NAIROBI))
    lat, lon = unproject(project(*NAIROBI))
    assert (lat, lon) == pytest.approx(NAIROBI)


def test_set_data_draws_every_route_stop_and_held_order(view: MapView) -> None:
    assert view.route_ids() == ("r-west", "r-coast")
    assert len(_stops(view, "r-west")) == 3
    assert len(_stops(view, "r-coast")) == 2
    held = [i for i in view.canvas().scene().items() if isinstance(i, HeldItem)]
    assert sorted(h.key for h in held) == ["ORD-H1", "ORD-H2"]
    # Two orders in one town do not hide each other.
    first, second = (view.marker_point("ORD-H1"), view.marker_point("ORD-H2"))
    assert first is not None
    assert second is not None
    assert (first - second).manhattanLength() >= 8
    # Every stop is inside the fitted view.
    viewport = view.canvas().viewport().rect()
    for route_id, count in (("r-west", 3), ("r-coast", 2)):
        for seq in range(1, count + 1):
            point = view.stop_point(route_id, seq)
            assert point is not None
            assert viewport.contains(point)
    # The line runs start → stops → depot.
    coast = _line(view, "r-coast").path()
    assert coast.elementCount() == 4
    start, end = QPointF(coast.elementAt(0).x, coast.elementAt(0).y), coast.elementAt(3)
    assert unproject(start) == pytest.approx(TOWNS["Machakos"], abs=0.05)
    assert unproject(QPointF(end.x, end.y)) == pytest.approx(NAIROBI, abs=0.05)


def test_clear_and_replace(view: MapView) -> None:
    view.select_route("r-west")
    view.clear()
    assert view.route_ids() == ()
    assert view.selected_route() is None
    assert not [i for i in view.canvas().scene().items() if isinstance(i, (StopItem, HeldItem))]
    view.set_data(small_map())
    assert view.route_ids() == ("r-west", "r-coast")


def test_clicking_a_stop_emits_route_clicked_and_highlights(qtbot: QtBot, view: MapView) -> None:
    point = view.stop_point("r-coast", 2)
    assert point is not None
    with qtbot.waitSignal(view.route_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.canvas().viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["r-coast"]
    assert view.selected_route() == "r-coast"


def test_clicking_a_line_between_stops_emits_route_clicked(qtbot: QtBot, view: MapView) -> None:
    a, b = view.stop_point("r-west", 1), view.stop_point("r-west", 2)
    assert a is not None
    assert b is not None
    middle = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    with qtbot.waitSignal(view.route_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.canvas().viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert blocker.args == ["r-west"]


def test_clicking_empty_land_or_sea_emits_nothing(qtbot: QtBot, view: MapView) -> None:
    # Inside the loop Nakuru - Kisumu - Kakamega - Nairobi but on no line: an open path's
    # interior must not count as the route.
    inside = view.canvas().mapFromScene(project(-0.45, 35.6))
    sea = view.canvas().mapFromScene(project(-4.6, 40.4))
    with qtbot.assertNotEmitted(view.route_clicked), qtbot.assertNotEmitted(view.marker_clicked):
        for pos in (inside, sea):
            qtbot.mouseClick(view.canvas().viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert view.selected_route() is None


def test_clicking_a_held_marker_emits_marker_clicked(qtbot: QtBot, view: MapView) -> None:
    point = view.marker_point("ORD-H2")
    assert point is not None
    with qtbot.waitSignal(view.marker_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.canvas().viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["ORD-H2"]


def test_dragging_pans_without_clicking(qtbot: QtBot, view: MapView) -> None:
    viewport = view.canvas().viewport()
    point = view.stop_point("r-west", 2)
    assert point is not None
    before = view.canvas().mapToScene(viewport.rect().center())
    with qtbot.assertNotEmitted(view.route_clicked):
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point)
        for step in range(1, 6):
            qtbot.mouseMove(viewport, point + QPoint(step * 20, step * 10))
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point + QPoint(100, 50))
    after = view.canvas().mapToScene(viewport.rect().center())
    assert (after - before).manhattanLength() > 1


def test_select_route_highlights_and_dims_the_others(qtbot: QtBot, view: MapView) -> None:
    with qtbot.assertNotEmitted(view.route_clicked):
        view.select_route("r-west")
    west, coast = _line(view, "r-west"), _line(view, "r-coast")
    assert view.selected_route() == "r-west"
    assert west.pen().widthF() > coast.pen().widthF()
    assert west.zValue() > coast.zValue()
    assert coast.pen().color() != route_color(1)  # faded towards the land colour
    assert coast.pen().color().lightnessF() > route_color(1).lightnessF() + 0.2
    assert west.pen().color() == route_color(0)
    assert all(
        s.zValue() > c.zValue() for s in _stops(view, "r-west") for c in _stops(view, "r-coast")
    )
    assert all(s.numbered for s in _stops(view, "r-west"))
    assert all(c.dimmed for c in _stops(view, "r-coast"))
    view.select_route(None)
    assert view.selected_route() is None
    assert west.pen().widthF() == coast.pen().widthF()
    view.select_route("no-such-route")
    assert view.selected_route() is None


def test_show_only_hides_the_other_routes(qtbot: QtBot, view: MapView) -> None:
    show_all = view.findChild(QToolButton, "map_show_all")
    assert show_all is not None
    assert not show_all.isEnabled()
    view.show_only("r-coast")
    assert view.shown_only() == "r-coast"
    assert not _line(view, "r-west").isVisible()
    assert not any(s.isVisible() for s in _stops(view, "r-west"))
    assert all(s.isVisible() for s in _stops(view, "r-coast"))
    assert view.stop_point("r-west", 1) is None
    assert show_all.isEnabled()
    qtbot.mouseClick(show_all, Qt.MouseButton.LeftButton)
    assert view.shown_only() is None
    assert _line(view, "r-west").isVisible()
    assert all(s.isVisible() for s in _stops(view, "r-west"))


def test_zoom_buttons_keys_and_wheel_change_the_transform(qtbot: QtBot, view: MapView) -> None:
    fitted = view.scale()
    buttons = {
        name: view.findChild(QToolButton, name)
        for name in ("map_zoom_in", "map_zoom_out", "map_fit")
    }
    qtbot.mouseClick(buttons["map_zoom_in"], Qt.MouseButton.LeftButton)
    assert view.scale() == pytest.approx(fitted * 1.5)
    qtbot.mouseClick(buttons["map_zoom_out"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons["map_zoom_out"], Qt.MouseButton.LeftButton)
    assert view.scale() == pytest.approx(fitted / 1.5)
    qtbot.mouseClick(buttons["map_fit"], Qt.MouseButton.LeftButton)
    assert view.scale() == pytest.approx(fitted)
    view.canvas().setFocus()
    qtbot.keyClick(view.canvas(), Qt.Key.Key_Plus)
    assert view.scale() > fitted
    qtbot.keyClick(view.canvas(), Qt.Key.Key_0)
    assert view.scale() == pytest.approx(fitted)
    qtbot.keyClick(view.canvas(), Qt.Key.Key_Minus)
    assert view.scale() < fitted
    # The wheel zooms around the cursor: the place under it stays put.
    view.fit()
    viewport = view.canvas().viewport()
    cursor = QPoint(viewport.width() // 3, viewport.height() // 3)
    under = view.canvas().mapToScene(cursor)
    before = view.scale()
    wheel = QWheelEvent(QPointF(cursor), QPointF(viewport.mapToGlobal(cursor)), QPoint(0, 0),
                        QPoint(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(viewport, wheel)
    assert view.scale() == pytest.approx(before * 2**0.5)
    after = view.canvas().mapToScene(cursor)
    assert abs(after.x() - under.x()) * view.scale() < 3
    assert abs(after.y() - under.y()) * view.scale() < 3
    for _ in range(200):  # zooming stops at a limit
        view.zoom_in()
    assert view.scale() == pytest.approx(MapView.MAX_SCALE)


def test_stops_keep_their_size_and_numbers_show_when_zoomed_in(view: MapView) -> None:
    stop = _stops(view, "r-west")[0]
    point = view.stop_point("r-west", 1)
    assert point is not None

    def on_screen_width() -> float:
        transform = stop.deviceTransform(view.canvas().viewportTransform())
        return float(transform.mapRect(stop.boundingRect()).width())

    before = on_screen_width()
    view.zoom_in()
    view.zoom_in()
    assert view.stop_point("r-west", 1) != point  # the map did zoom
    assert on_screen_width() == pytest.approx(before)
    # A small plan is numbered at any zoom.
    assert all(s.numbered for s in _stops(view, "r-west"))


def test_hovered_items_carry_the_stops_details(view: MapView) -> None:
    point = view.stop_point("r-coast", 2)
    assert point is not None
    top = view.canvas().items(point)[0]
    assert isinstance(top, StopItem)
    assert top.toolTip() == "Mombasa: Bidco ORD-7"
    assert _line(view, "r-west").toolTip() == "KDA 101A west"
    assert _line(view, "r-coast").toolTip() == "KDB 202B"  # the title when there is no tooltip


def test_the_legend_says_lines_are_straight(view: MapView) -> None:
    texts = [label.text() for label in view.findChildren(QLabel)]
    assert STRAIGHT_LINES_NOTE in texts
    assert "by road" in STRAIGHT_LINES_NOTE
    assert any("Natural Earth" in t for t in texts)


def test_route_colours_are_distinct() -> None:
    first = [route_color(i).name() for i in range(12)]
    assert len(set(first)) == 12
    assert route_color(12).name() not in first  # the second cycle is a shade darker
    # The third cycle repeats the colours, dashed.
    assert route_color(24).name() == route_color(0).name()
    assert route_dash(24) != route_dash(0) == route_dash(12)


def test_ring_offsets_keep_symbols_apart() -> None:
    for count in (1, 2, 7, 30, 80):
        offsets = ring_offsets(count, 12.0)
        assert len(offsets) == count
        assert offsets[0] == QPointF(0, 0)
        for i, a in enumerate(offsets):
            for b in offsets[i + 1 :]:
                assert math.hypot(a.x() - b.x(), a.y() - b.y()) >= 12.0 * 0.9
    around = ring_offsets(5, 12.0, inner=11.0)
    assert min(math.hypot(o.x(), o.y()) for o in around) >= 11.0 + 5


# -- the adapter ----------------------------------------------------------------------------

DAY = datetime(2026, 12, 7, tzinfo=UTC)


def _stop_view(
    seq: int, town: str, eta_min: int, *, orders: tuple[str, ...], after: str
) -> StopView:
    lat, lon = TOWNS[town]
    eta = DAY + timedelta(minutes=eta_min)
    return StopView(
        seq,
        orders,
        tuple(f"Customer {o}" for o in orders),
        town,
        lat,
        lon,
        eta,
        eta + timedelta(minutes=20),
        DAY + timedelta(hours=5),
        DAY + timedelta(hours=14),
        Decimal("1.5"),
        Decimal("4.0"),
        Decimal(after),
        Decimal("9.0"),
        ("fragile",) if seq == 2 else (),
    )


def _route_view() -> RouteView:
    stops = (
        _stop_view(1, "Machakos", 7 * 60, orders=("ORD-00011",), after="3.5"),
        _stop_view(2, "Voi", 15 * 60 + 40, orders=("ORD-00012", "ORD-00013"), after="2.0"),
    )
    return RouteView(
        "route-9",
        "KDF 092A",
        "5 t truck",
        RouteStatus.PROPOSED,
        "d-1",
        "Nairobi",
        *NAIROBI,
        stops,
        Decimal("5.0"),
        Decimal("13.0"),
        Decimal(5),
        Decimal(20),
        Decimal(512),
        640,
        Decimal(38000),
        Decimal(52000),
        DAY + timedelta(hours=5),
        DAY + timedelta(hours=16),
    )


def test_map_data_from_plan_read_models_in_depot_time() -> None:
    depot = DepotPoint("Nairobi depot", "Nairobi", *NAIROBI, "Africa/Nairobi")
    held = HeldView(
        "ORD-00077",
        "capacity",
        "KDF 092A is full: 4.9 of 5 t",
        "Mama Mboga Ltd",
        "Garissa",
        *TOWNS["Garissa"],
        Decimal("2.0"),
        Decimal("3.0"),
        DAY + timedelta(hours=14),
    )
    data = map_data(depot, [_route_view()], [held])
    assert (data.depot_name, data.depot_lat, data.depot_lon) == ("Nairobi depot", *NAIROBI)
    (route,) = data.routes
    assert (route.route_id, route.title) == ("route-9", "KDF 092A")
    assert (route.start_lat, route.start_lon) == NAIROBI
    assert [s.sequence for s in route.stops] == [1, 2]
    first, second = route.stops
    assert (first.town, first.lat, first.lon) == ("Machakos", *TOWNS["Machakos"])
    # 07:00 UTC is 10:00 in Nairobi; the window 05:00-14:00 UTC is 08:00-17:00 there.
    assert "KDF 092A · stop 1 of 2" in first.tooltip
    assert "ETA 10:00, window 08:00\u201317:00" in first.tooltip
    assert "Customer ORD-00011" in first.tooltip
    assert "Order: ORD-00011" in first.tooltip
    assert "on board after: 3.5 t" in first.tooltip
    assert "LATE" not in first.tooltip
    # 15:40 UTC = 18:40 local, after the window closes at 17:00.
    assert "ETA 18:40" in second.tooltip
    assert "LATE" in second.tooltip
    assert "Orders: ORD-00012, ORD-00013" in second.tooltip
    assert "Handling: fragile" in second.tooltip
    assert "5.0 of 5.0 t (100%)" in route.tooltip
    assert "512 km by road" in route.tooltip
    assert "Leaves Mon 07 Dec 08:00, back 19:00" in route.tooltip
    (marker,) = data.held
    assert (marker.key, marker.town) == ("ORD-00077", "Garissa")
    assert "KDF 092A is full: 4.9 of 5 t" in marker.tooltip
    assert "Window closes Mon 07 Dec 17:00" in marker.tooltip
    assert "Mama Mboga Ltd" in marker.tooltip


# -- a crowded plan -------------------------------------------------------------------------


def test_forty_routes_and_five_hundred_stops_stay_readable(qtbot: QtBot) -> None:
    depot, routes, held = demo_plan(40, 500, 30)
    widget = MapView()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_data(map_data(depot, routes, held))
    widget.canvas().viewport().grab()  # speed: benchmarks/map_view.py
    scene = widget.canvas().scene()
    stops = [i for i in scene.items() if isinstance(i, StopItem)]
    assert len(stops) == 500
    # Stops sharing a town (of any route) are drawn apart, even in the depot's town.
    town_of = {(r.route_id, s.sequence): s.town for r in routes for s in r.stops}
    by_town: dict[str, list[QPoint]] = {}
    for stop in stops:
        point = widget.canvas().mapFromScene(stop.scenePos())
        by_town.setdefault(town_of[stop.route_id, stop.sequence], []).append(point)
    assert max(len(points) for points in by_town.values()) >= 20  # the test has crowds
    for points in by_town.values():
        for i, a in enumerate(points):
            assert all((a - b).manhattanLength() >= 8 for b in points[i + 1 :])
    # Zoomed out, the numbers are left off; the labels shown never overlap.
    assert not any(s.numbered for s in stops)
    for zoom in range(4):
        shown = [
            widget.canvas().mapFromScene(item.scenePos())
            for item in scene.items()
            if item.isVisible() and type(item).__name__ == "LabelItem"
        ]
        rects = [
            item.text_rect().translated(QPointF(widget.canvas().mapFromScene(item.scenePos())))
            for item in scene.items()
            if item.isVisible() and type(item).__name__ == "LabelItem"
        ]
        assert len(shown) >= 5
        for i, a in enumerate(rects):
            assert not any(a.intersects(b) for b in rects[i + 1 :]), (zoom, a)
        widget.zoom_in()
    assert all(s.numbered for s in stops)  # zoomed in far enough
