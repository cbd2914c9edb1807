"""The lower half of the Routes screen: the selected route's heading, figures, stops and map.

The stops and the map are the shared plan panel's (:meth:`PlanPanel.show_routes` with the one
route), so a route looks the same here as on the Planning and Decisions screens; this widget adds
what the list row cannot say in full — the towns in order, the times in depot time, the load
against the truck's capacity, and why the route needs attention.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from senga_desktop.controllers.plan_views import DepotPoint, RouteView
from senga_desktop.ui.pages.orders.formatting import (
    amount,
    depot_zone,
    local_time,
    plural,
    zone_caption,
)
from senga_desktop.ui.pages.routes.formatting import (
    ROUTE_STATUS_LABELS,
    ROUTE_STATUS_NOTES,
    badge_color,
    duration_text,
    kes,
    km,
    percent,
)
from senga_desktop.ui.style import heading, muted, unit
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.plan_panel import PlanPanel

__all__ = ["NOTHING_SELECTED", "RouteDetail", "route_facts", "route_towns"]

NOTHING_SELECTED = "Select a route to see its stops and its map."


def route_facts(route: RouteView, zone_name: str) -> str:
    """The route's figures in one line: times, stops, load, distance, duration, money."""
    zone = depot_zone(zone_name)
    stops = plural(len(route.stops), "stop")
    if route.trip_count > 1:
        stops += f" in {route.trip_count} trips"
    orders = plural(len(route.order_ids), "order")
    load = (
        f"{amount(route.load_tonnes)} t ({percent(route.weight_share)}) · "
        f"{amount(route.load_m3, places=1)} m³ ({percent(route.volume_share)})"
    )
    back = local_time(route.return_at, zone)
    return (
        f"Leaves {local_time(route.departure, zone)}, back {back} ({zone_caption(zone)}) · "
        f"{stops}, {orders} · {load} · {km(route.distance_km)} · "
        f"{duration_text(route.duration_minutes)} · cost {kes(route.cost_kes)}"
    )


def route_towns(route: RouteView) -> str:
    """The towns in order, each once per trip, with the returns to the depot between trips."""
    arrow = " \N{RIGHTWARDS ARROW} "
    trips = [
        arrow.join(dict.fromkeys(s.town for s in route.trip_stops(n)))
        for n in range(route.trip_count)
    ]
    return f"{arrow}depot{arrow}".join(t for t in trips if t)


class RouteDetail(QWidget):
    """The selected route (or a hint to select one); the plan panel shows its stops and map."""

    #: The user asked for an order shown in the stops (its id).
    order_open_requested = Signal(str)

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("route_detail")
        self.route: RouteView | None = None
        u = unit(self)
        self.title_label = heading("", level=2, name="route_detail_title")
        self.title_label.setWordWrap(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("route_detail_status")
        self.towns_label = QLabel()
        self.towns_label.setObjectName("route_detail_towns")
        self.towns_label.setWordWrap(True)
        self.facts_label = muted(QLabel())
        self.facts_label.setObjectName("route_detail_facts")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.attention_label = QLabel()
        self.attention_label.setObjectName("route_attention")
        self.attention_label.setWordWrap(True)
        self.attention_box = NoteBox(
            name="route_attention_box", icon_name="mdi6.alert-outline", label=self.attention_label
        )
        self.attention_box.hide()
        self.panel = PlanPanel()
        self.panel.setObjectName("route_plan_panel")
        self.panel.set_totals_visible(False)
        self.panel.order_open_requested.connect(self.order_open_requested)

        title_row = self.title_row = QHBoxLayout()
        title_row.setSpacing(u * 3 // 2)
        title_row.addWidget(self.title_label)
        title_row.addWidget(self.status_label)
        title_row.addStretch(1)
        shown = QWidget()
        column = QVBoxLayout(shown)
        column.setContentsMargins(0, u, 0, 0)
        column.setSpacing(u // 2)
        column.addLayout(title_row)
        column.addWidget(self.towns_label)
        column.addWidget(self.facts_label)
        column.addSpacing(u // 2)
        column.addWidget(self.attention_box)
        column.addWidget(self.panel, 1)

        self.placeholder = muted(QLabel(NOTHING_SELECTED))
        self.placeholder.setObjectName("route_detail_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def add_title_widget(self, widget: QWidget) -> None:
        """Put ``widget`` (e.g. the driver-manifest button) at the right of the route's title."""
        self.title_row.addWidget(widget)

    def show_route(self, route: RouteView, depot: DepotPoint) -> None:
        self.route = route
        self.title_label.setText(f"{route.vehicle_id} \N{MIDDLE DOT} {route.route_id}")
        colour = badge_color(route.status.value, self).name()
        self.status_label.setText(
            f'<span style="color:{colour}; font-weight:600">'
            f"\N{BLACK CIRCLE} {ROUTE_STATUS_LABELS[route.status]}</span>"
        )
        self.status_label.setToolTip(ROUTE_STATUS_NOTES[route.status])
        towns = route_towns(route) or "No stops"
        start = route.start_town
        self.towns_label.setText(f"{start} \N{RIGHTWARDS ARROW} {towns}" if start else towns)
        self.facts_label.setText(route_facts(route, depot.time_zone))
        self.attention_label.setText(route.attention or "")
        self.attention_box.setVisible(bool(route.attention))
        self.panel.show_routes(depot, [route])
        self.panel.select_route(route.route_id)
        self.stack.setCurrentIndex(1)

    def show_nothing(self, text: str = NOTHING_SELECTED) -> None:
        self.route = None
        self.placeholder.setText(text)
        self.panel.clear()
        self.stack.setCurrentIndex(0)

    @property
    def showing(self) -> str | None:
        """The id of the route shown, if any."""
        return self.route.route_id if self.route is not None else None
