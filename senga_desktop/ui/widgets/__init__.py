"""Reusable widgets: cards, status items, inline form messages, the form-dialog frame."""
