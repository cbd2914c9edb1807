"""The Outcomes screen: recording routes, their outcomes against the estimates, and learning."""

from senga_desktop.ui.pages.outcomes.page import OutcomesPage

__all__ = ["OutcomesPage"]
