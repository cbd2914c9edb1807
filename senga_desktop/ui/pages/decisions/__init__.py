"""The Decisions screen: the audit trail of planning runs, opened, replayed and compared."""

from senga_desktop.ui.pages.decisions.decisions_page import DecisionsPage

__all__ = ["DecisionsPage"]
