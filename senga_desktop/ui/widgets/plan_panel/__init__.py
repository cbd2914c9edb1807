"""The shared plan display: totals, route list, stop table, held orders by reason, and the map."""

from senga_desktop.ui.widgets.plan_panel.held import REASON_TITLES, HeldOrdersView
from senga_desktop.ui.widgets.plan_panel.models import RouteListModel, StopTableModel
from senga_desktop.ui.widgets.plan_panel.panel import PlanPanel
from senga_desktop.ui.widgets.plan_panel.totals import TotalsStrip

__all__ = [
    "REASON_TITLES",
    "HeldOrdersView",
    "PlanPanel",
    "RouteListModel",
    "StopTableModel",
    "TotalsStrip",
]
