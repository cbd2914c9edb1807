"""Senga Dispatch: desktop dispatch and route planning for freight depots in Kenya."""

__version__ = "0.1.0"
APP_NAME = "Senga Dispatch"
APP_ID = "senga-dispatch"
