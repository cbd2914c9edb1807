"""The status bar: who is signed in, which database, its schema and whether it answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from senga_desktop.controllers.permissions import ROLE_LABELS
from senga_desktop.ui.widgets.status import StatusItem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from senga_desktop.controllers.database import HealthReport
    from senga_desktop.ui.context import AppContext

BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
REASON_CHARS = 80  # a longer reason is cut in the bar; the tooltip has all of it


class StatusPanel:
    """The permanent status bar entries, updated from the context (never showing a password)."""

    def __init__(self, *, bar: QStatusBar, context: AppContext) -> None:
        self.context = context
        self.user = StatusItem(name="user_status", icon_name="mdi6.account-circle-outline")
        self.database = StatusItem(name="database_status", icon_name="mdi6.database-outline")
        self.revision = StatusItem(name="revision_status", icon_name="mdi6.source-branch")
        self.connection = StatusItem(name="connection_status", icon_name="mdi6.lan-connect")
        for item in (self.user, self.database, self.revision, self.connection):
            bar.addPermanentWidget(item)

    def show_user(self) -> None:
        actor = self.context.actor
        self.user.setVisible(actor is not None)
        if actor is not None:
            self.user.setText(f"{actor.username} ({ROLE_LABELS[actor.role]})")

    def show_database(self) -> None:
        database = self.context.database
        self.revision.setVisible(database is not None)
        if database is None:
            self.database.setText("No database open")
            self.database.setToolTip("")
            return
        backend = BACKEND_NAMES.get(database.backend, database.backend)
        self.database.setText(f"{backend}: {database.location}")
        source = self.context.setting.describe_source() if self.context.setting else ""
        self.database.setToolTip(f"Database chosen by: {source}" if source else "")
        self.revision.setText(f"Schema {self.context.revision or 'empty'}")

    def show_connecting(self, text: str) -> None:
        self._set_connection(text, icon_name="mdi6.database-clock-outline")

    def show_connected(self, health: HealthReport) -> None:
        self.context.revision = health.revision
        self.show_database()
        detail = f"{health.server_version}, round trip {health.latency_ms:.1f} ms"
        self._set_connection("connected", detail, icon_name="mdi6.lan-connect")

    def show_unreachable(self, message: str) -> None:
        # The first sentence names the problem; the advice after it is in the tooltip.
        reason = message.split(". ", 1)[0].rstrip(".")
        if len(reason) > REASON_CHARS:
            reason = reason[: REASON_CHARS - 1].rstrip() + "…"
        self._set_connection(f"unreachable: {reason}", message, icon_name="mdi6.lan-disconnect")

    def _set_connection(self, text: str, tooltip: str = "", *, icon_name: str) -> None:
        self.connection.set_icon(icon_name)
        self.connection.setText(text)
        self.connection.setToolTip(tooltip or text)
