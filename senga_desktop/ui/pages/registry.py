"""The screens of the main window, in navigation order: the one place to add a screen."""

from __future__ import annotations

from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.customers import CustomersPage
from senga_desktop.ui.pages.decisions import DecisionsPage
from senga_desktop.ui.pages.fleet import FleetPage
from senga_desktop.ui.pages.orders import OrdersPage
from senga_desktop.ui.pages.outcomes import OutcomesPage
from senga_desktop.ui.pages.overview import OverviewPage
from senga_desktop.ui.pages.planning import PlanningPage
from senga_desktop.ui.pages.routes import RoutesPage

PAGES: tuple[type[Page], ...] = (
    OverviewPage,
    OrdersPage,
    CustomersPage,
    FleetPage,
    PlanningPage,
    RoutesPage,
    DecisionsPage,
    OutcomesPage,
)
