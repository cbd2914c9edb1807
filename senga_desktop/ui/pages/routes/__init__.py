"""The Routes screen: committed and past routes, their stops and map, and cancelling them."""

from senga_desktop.ui.pages.routes.routes_page import RoutesPage

__all__ = ["RoutesPage"]
