"""The Planning screen: run a policy in the background, review the proposal, commit it."""

from senga_desktop.ui.pages.planning.page import PlanningPage

__all__ = ["PlanningPage"]
