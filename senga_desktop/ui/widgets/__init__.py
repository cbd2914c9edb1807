"""Reusable widgets: cards, status items, inline form messages."""
