"""The offline map of Kenya used by the planning, routes and decisions screens.

Build a :class:`MapData` (from plan read models with :func:`map_data`), give it to a
:class:`MapView`, and connect ``route_clicked`` / ``marker_clicked``. :func:`route_color` is the
colour of the ``i``-th route, so lists beside the map can show the same colour.
"""

from senga_desktop.ui.widgets.map.adapters import map_data
from senga_desktop.ui.widgets.map.data import MapData, MapMarker, MapRoute, MapStop
from senga_desktop.ui.widgets.map.items import route_color
from senga_desktop.ui.widgets.map.overlays import STRAIGHT_LINES_NOTE
from senga_desktop.ui.widgets.map.view import MapView

__all__ = [
    "STRAIGHT_LINES_NOTE",
    "MapData",
    "MapMarker",
    "MapRoute",
    "MapStop",
    "MapView",
    "map_data",
    "route_color",
]
