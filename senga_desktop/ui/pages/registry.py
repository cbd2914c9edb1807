"""The screens of the main window, in navigation order: the one place to add a screen.

The Planning, Routes, Decisions and Outcomes screens are placeholders that say what they will
hold; their issues replace them with the real screens.
"""

from __future__ import annotations

from senga_desktop.controllers.permissions import Permission
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.customers import CustomersPage
from senga_desktop.ui.pages.fleet import FleetPage
from senga_desktop.ui.pages.orders import OrdersPage
from senga_desktop.ui.pages.overview import OverviewPage
from senga_desktop.ui.pages.placeholder import PlaceholderPage
from senga_desktop.ui.pages.planning import PlanningPage


class RoutesPage(PlaceholderPage):
    key = "routes"
    title = "Routes"
    icon_name = "mdi6.routes"
    permission = Permission.ORDERS_VIEW
    purpose = "Committed routes: which truck carries which orders, in which order, and when."
    meanwhile = "Routes appear here once a plan has been committed."


class DecisionsPage(PlaceholderPage):
    key = "decisions"
    title = "Decisions"
    icon_name = "mdi6.source-branch"
    permission = Permission.PLAN_RUN
    purpose = (
        "Every planning run as a decision record: the policy and its parameters, the state it "
        "saw, the routes it proposed, their cost and the engine's confidence."
    )
    meanwhile = "No planning runs yet."


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
