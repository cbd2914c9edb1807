"""The one object every window, dialog and screen receives (no globals, no singletons).

It holds the task runner, the open database, the signed-in actor and the depot settings. Screens
call controllers through ``context.runner`` with ``context.sessions`` and ``context.actor``.
Tests build it with a :class:`~senga_desktop.ui.tasks.SyncTaskRunner` and a real database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from senga_desktop.controllers.settings import GeneralSettings

if TYPE_CHECKING:
    from senga_desktop.config import DatabaseSetting
    from senga_desktop.controllers.database import Database, OpenedDatabase, SessionFactory
    from senga_desktop.controllers.permissions import Actor, Permission
    from senga_desktop.ui.tasks import BaseTaskRunner

ORGANIZATION_NAME = "Senga"
APPLICATION_NAME = "Senga Dispatch"


@dataclass(slots=True, eq=False)
class AppContext:
    """What the app shares, passed explicitly.

    The database is attached once it has been opened off the GUI thread; ``actor`` is set by
    signing in and cleared by signing out; ``general`` is refreshed after sign-in and whenever an
    administrator saves the General settings.
    """

    runner: BaseTaskRunner
    #: The ``--database-url`` option; ``None`` lets the settings decide.
    database_url: str | None = None
    #: ``--demo``: add the demo depot when the database is opened.
    demo: bool = False
    database: Database | None = None
    setting: DatabaseSetting | None = None
    #: The schema revision found when the database was opened (then: by the health check).
    revision: str | None = None
    actor: Actor | None = None
    general: GeneralSettings = field(default_factory=GeneralSettings)
    _closed: bool = field(default=False, init=False, repr=False)

    @property
    def sessions(self) -> SessionFactory:
        if self.database is None:
            raise RuntimeError("no database is open")
        return self.database.sessions

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("nobody is signed in")
        return self.actor

    def can(self, permission: Permission) -> bool:
        """For showing and hiding; the controllers check again."""
        return self.actor is not None and self.actor.can(permission)

    def attach(self, opened: OpenedDatabase) -> None:
        """Use a freshly opened database, closing any previous one."""
        if self.database is not None and self.database is not opened.database:
            self.database.dispose()
        self.database = opened.database
        self.setting = opened.setting
        self.revision = opened.upgrade.to_revision

    def close(self) -> None:
        """Release the database's connections (at exit); safe to call twice."""
        if self.database is not None:
            self.database.dispose()
        self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed
