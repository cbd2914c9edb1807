"""Use cases of the app: Qt-free, one unit of work per call, returning frozen dataclasses."""
