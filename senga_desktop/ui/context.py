"""The one object every window and screen receives: the database, its setting, the controllers
and the task runner.

Screens may not import controllers: those pull in SQLAlchemy, and an import contract keeps the
``ui`` package free of it (directly or not), so the composition root (``senga_desktop.app``)
hands the controller calls to the UI in :class:`Controllers`. Tests build the same objects with
real controllers and a :class:`~senga_desktop.ui.tasks.SyncTaskRunner`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from senga_desktop.config import DatabaseSetting
    from senga_desktop.controllers.database import HealthReport, OpenedDatabase
    from senga_desktop.controllers.overview import DepotOverview
    from senga_desktop.db.engine import Database
    from senga_desktop.ui.tasks import BaseTaskRunner

ORGANIZATION_NAME = "Senga"
APPLICATION_NAME = "Senga Dispatch"


@dataclass(frozen=True, slots=True)
class Controllers:
    """The use cases the UI calls; each runs on a worker thread through the task runner.

    ``open_database(cli_url)`` opens and migrates the configured database (and seeds the demo
    depot when the app was started with ``--demo``).
    """

    open_database: Callable[[str | None], OpenedDatabase]
    depot_overview: Callable[[sessionmaker[Session]], DepotOverview]
    health: Callable[[Database], HealthReport]


@dataclass(slots=True, eq=False)
class AppContext:
    """What the app shares, passed explicitly (no globals).

    Everything is fixed at start-up except the database, which is attached once it has been
    opened off the GUI thread and detached when the window closes.
    """

    controllers: Controllers
    runner: BaseTaskRunner
    #: The ``--database-url`` option; ``None`` lets the settings decide.
    database_url: str | None = None
    database: Database | None = None
    setting: DatabaseSetting | None = None
    #: The schema revision found when the database was opened (later: from the health check).
    revision: str | None = None
    _closed: bool = field(default=False, init=False, repr=False)

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
