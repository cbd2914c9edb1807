"""The screens of the main window, in navigation order: the one place to add a screen.

The Planning, Routes, Decisions and Outcomes screens are placeholders that say what they will
hold; their issues replace them with the real screens.
"""

from __future__ import annotations

from senga_desktop.controllers.permissions import Permission
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.customers import CustomersPage
from senga_desktop.ui.pages.decisions import DecisionsPage
from senga_desktop.ui.pages.fleet import FleetPage
from senga_desktop.ui.pages.orders import OrdersPage
from senga_desktop.ui.pages.overview import OverviewPage
from senga_desktop.ui.pages.placeholder import PlaceholderPage
from senga_desktop.ui.pages.planning import PlanningPage
from senga_desktop.ui.pages.routes import RoutesPage


class OutcomesPage(PlaceholderPage):
    key = "outcomes"
    title = "Outcomes"
    icon_name = "mdi6.clipboard-check-outline"
    permission = Permission.OUTCOMES_RECORD
    purpose = (
        "What really happened on each route — cost, duration, distance, on time, late or "
        "failed — against the estimates, so the engine learns from the difference."
    )
    meanwhile = "Outcomes can be recorded once routes have run."


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
