"""The main window: opening the database, signing in, the workspace, locking and signing out.

The central area is a stack: "opening the database", "could not be opened" (with Retry),
"signed out" (behind the sign-in dialog) and the signed-in user's workspace. Everything slow —
opening and migrating the database, hashing passwords, reading figures — runs on the task runner.
"""

from __future__ import annotations

import enum
import html
import logging
import platform
from typing import TYPE_CHECKING, Any

import PySide6
from PySide6.QtCore import QByteArray, QSettings, QSize, QTimer, Signal, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QStackedWidget, QWidget

from senga_desktop import APP_NAME, __version__
from senga_desktop.controllers import auth
from senga_desktop.controllers.database import health, open_configured
from senga_desktop.errors import SengaError
from senga_desktop.logs import log_file_path
from senga_desktop.ui.auth.change_password_dialog import ChangePasswordDialog
from senga_desktop.ui.auth.first_run_dialog import FirstRunDialog
from senga_desktop.ui.auth.idle import IdleWatcher
from senga_desktop.ui.auth.lock_screen import LockScreen
from senga_desktop.ui.auth.sign_in_dialog import SignInDialog
from senga_desktop.ui.context import APPLICATION_NAME, ORGANIZATION_NAME, AppContext
from senga_desktop.ui.shell.startup import FailurePage, OpeningPage, SignedOutPage
from senga_desktop.ui.shell.status_bar import BACKEND_NAMES, StatusPanel
from senga_desktop.ui.shell.workspace import Workspace
from senga_desktop.ui.style import APP_ICON, icon
from senga_desktop.ui.tasks import report_unexpected

if TYPE_CHECKING:
    from senga_desktop.controllers.auth import StartInfo
    from senga_desktop.controllers.database import HealthReport, OpenedDatabase
    from senga_desktop.controllers.permissions import Actor
    from senga_desktop.controllers.settings import GeneralSettings

log = logging.getLogger(__name__)

DEFAULT_SIZE = QSize(1200, 800)
HEALTH_INTERVAL_MS = 60_000


class WindowState(enum.Enum):
    """Which page the central area shows."""

    OPENING = "opening"
    FAILED = "failed"
    SIGNED_OUT = "signed_out"
    WORKSPACE = "workspace"


def open_for_app(database_url: str | None, demo: bool) -> OpenedDatabase:
    """Open and migrate the configured database; with ``--demo`` add the demo depot too, with
    four weeks of history the engine has learned from."""
    opened = open_configured(database_url)
    if demo:
        from senga_desktop.controllers.demo_data import seed_demo

        try:
            seed_demo(opened.database.sessions, history=True)
        except BaseException:
            opened.database.dispose()
            raise
    return opened


class MainWindow(QMainWindow):
    """The application window. It opens the database itself when the context has none yet,
    asks who is working, and closes the database when it closes."""

    signed_in = Signal(object)
    signed_out = Signal()

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._state = WindowState.OPENING
        self.workspace: Workspace | None = None
        self.dialog: QDialog | None = None  # the sign-in/first-run/password dialog now open
        self.setWindowIcon(icon(APP_ICON))
        self._create_actions()
        self._create_menus()
        self.opening_page = OpeningPage()
        self.failure_page = FailurePage()
        self.failure_page.retry_requested.connect(self.open_database)
        self.signed_out_page = SignedOutPage()
        self.signed_out_page.sign_in_requested.connect(self.prompt_sign_in)
        self._stack = QStackedWidget()
        for page in (self.opening_page, self.failure_page, self.signed_out_page):
            self._stack.addWidget(page)
        self.setCentralWidget(self._stack)
        self.lock_screen = LockScreen(context=context, parent=self)
        self.lock_screen.unlocked.connect(self._on_unlocked)
        self.lock_screen.sign_out_requested.connect(self._on_lock_sign_out_requested)
        self.idle = IdleWatcher(minutes=0, parent=self)
        self.idle.idle_timed_out.connect(self.lock)
        self.status = StatusPanel(bar=self.statusBar(), context=context)
        self._health_timer = QTimer(self)
        self._health_timer.setInterval(HEALTH_INTERVAL_MS)
        self._health_timer.timeout.connect(self.check_connection)
        self._restore_window_settings()
        self._show_state(WindowState.OPENING)
        if context.database is None:
            self.open_database()
        else:
            self._on_database_ready()

    # -- construction -------------------------------------------------------------------------

    def _action(self, icon_name: str, text: str, shortcut: str | None, slot: Any | None) -> QAction:
        action = QAction(icon(icon_name), text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _create_actions(self) -> None:
        self.refresh_action = self._action("mdi6.refresh", "&Refresh", "F5", self.refresh)
        self.lock_action = self._action("mdi6.lock-outline", "&Lock", "Ctrl+L", self.lock)
        self.sign_out_action = self._action(
            "mdi6.logout", "Sign &out", "Ctrl+Shift+L", self.sign_out
        )
        self.quit_action = self._action("mdi6.exit-to-app", "&Quit", "Ctrl+Q", self.close)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.settings_action = self._action(
            "mdi6.cog-outline", "&Settings…", "Ctrl+,", self.open_settings
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.about_action = self._action(
            "mdi6.information-outline", f"&About {APP_NAME}", None, self._on_about_triggered
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.session_actions = [
            self.refresh_action,
            self.lock_action,
            self.sign_out_action,
            self.settings_action,
        ]

    def _create_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        for action in (self.refresh_action, None, self.lock_action, self.sign_out_action, None,
                       self.quit_action):  # fmt: skip
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        self.go_menu = self.menuBar().addMenu("&Go")
        tools_menu = self.menuBar().addMenu("&Tools")
        tools_menu.addAction(self.settings_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.about_action)

    # -- window settings ----------------------------------------------------------------------

    @staticmethod
    def _settings() -> QSettings:
        return QSettings(ORGANIZATION_NAME, APPLICATION_NAME)

    def _restore_window_settings(self) -> None:
        settings = self._settings()
        geometry = settings.value("main_window/geometry")
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(DEFAULT_SIZE)
        state = settings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _save_window_settings(self) -> None:
        settings = self._settings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        if self.workspace is not None and self.workspace.current_key():
            settings.setValue("main_window/page", self.workspace.current_key())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_window_settings()
        self._health_timer.stop()
        self.idle.pause()
        # Let running work finish before the engine goes: a worker may hold a connection.
        if not self.context.runner.shutdown():
            log.warning("Background work was still running at exit")
        self.context.close()
        super().closeEvent(event)

    # -- state --------------------------------------------------------------------------------

    @property
    def state(self) -> WindowState:
        return self._state

    def _show_state(self, state: WindowState) -> None:
        self._state = state
        page = {
            WindowState.OPENING: self.opening_page,
            WindowState.FAILED: self.failure_page,
            WindowState.SIGNED_OUT: self.signed_out_page,
            WindowState.WORKSPACE: self.workspace,
        }[state]
        assert page is not None
        self._stack.setCurrentWidget(page)
        working = state is WindowState.WORKSPACE
        for action in self.session_actions:
            action.setEnabled(working)
        self.go_menu.setEnabled(working)
        self.status.show_user()
        self._update_title()

    def _update_title(self) -> None:
        parts = [APP_NAME]
        if self.context.database is not None and self._state is not WindowState.OPENING:
            parts.append(self.context.general.depot_name)
        if self.context.actor is not None:
            parts.append(self.context.actor.username)
        self.setWindowTitle(" — ".join(parts))

    # -- opening the database -----------------------------------------------------------------

    def open_database(self) -> None:
        """Open (and migrate) the configured database in the background."""
        self._show_state(WindowState.OPENING)
        self.status.show_database()
        self.status.show_connecting("opening…")
        self.context.runner.run(
            open_for_app,
            self.context.database_url,
            self.context.demo,
            on_success=self._on_database_opened,
            on_failure=self._on_database_open_failed,
        )

    def _on_database_opened(self, opened: OpenedDatabase) -> None:
        if self.context.closed:
            opened.database.dispose()  # the window closed while the database was opening
            return
        self.context.attach(opened)
        upgrade = opened.upgrade
        if upgrade.changed and upgrade.from_revision is not None:
            backup = f" A copy was kept at {upgrade.backup_path}." if upgrade.backup_path else ""
            self.statusBar().showMessage(
                f"The database was upgraded to schema {upgrade.to_revision}.{backup}", 15_000
            )
        self._on_database_ready()

    def _on_database_ready(self) -> None:
        self.status.show_database()
        self.status.show_connecting("checking…")
        self.check_connection()
        self._health_timer.start()
        self.context.runner.run(
            auth.start_info,
            self.context.sessions,
            on_success=self._on_start_info,
            on_failure=self._on_database_open_failed,
        )

    def _on_start_info(self, info: StartInfo) -> None:
        self.context.general = info.general
        self.signed_out_page.set_depot(info.general.depot_name, self.context.database.location
                                       if self.context.database else "")  # fmt: skip
        self._show_state(WindowState.SIGNED_OUT)
        if info.needs_first_admin:
            self._open_dialog(FirstRunDialog(context=self.context, parent=self))
        else:
            self.prompt_sign_in()

    def _on_database_open_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SengaError):
            message = exc.message
            log.warning("The database could not be opened: %s", message)
        else:
            message = (
                f"An unexpected error stopped the database from opening ({type(exc).__name__}: "
                f"{exc}). The details are in the log file {log_file_path()}."
            )
            report_unexpected(exc)
        self.failure_page.set_message(message)
        self._show_state(WindowState.FAILED)
        self.status.show_unreachable(message)

    def check_connection(self) -> None:
        """A quick health check for the status bar (also run every minute)."""
        if self.context.database is None:
            return
        self.context.runner.run(
            health,
            self.context.database,
            on_success=self._on_health,
            on_failure=self._on_health_failed,
        )

    def _on_health(self, report: HealthReport) -> None:
        self.status.show_connected(report)

    def _on_health_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.status.show_unreachable(exc.message)

    # -- signing in and out -------------------------------------------------------------------

    def _open_dialog(self, dialog: QDialog) -> None:
        """Show a sign-in-flow dialog window-modally without blocking (tests drive it)."""
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._on_dialog_accepted(dialog))
        dialog.rejected.connect(lambda: self._on_dialog_rejected(dialog))
        dialog.open()

    def prompt_sign_in(self) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        self._open_dialog(SignInDialog(context=self.context, cancel_text="Cancel", parent=self))

    def _on_dialog_accepted(self, dialog: QDialog) -> None:
        self.dialog = None
        actor: Actor = dialog.actor  # type: ignore[attr-defined]
        if actor.must_change_password:
            self._open_dialog(
                ChangePasswordDialog(context=self.context, actor=actor, forced=True, parent=self)
            )
            return
        self._enter_workspace(actor)

    def _on_dialog_rejected(self, dialog: QDialog) -> None:
        self.dialog = None
        if isinstance(dialog, ChangePasswordDialog):
            # A forced change was refused: that user does not get in.
            self._record_sign_out(dialog.signed_in_actor, "password change refused")

    def _enter_workspace(self, actor: Actor) -> None:
        self.context.actor = actor
        self.workspace = Workspace(context=self.context)
        self._stack.addWidget(self.workspace)
        self._fill_go_menu()
        self._show_state(WindowState.WORKSPACE)
        saved = self._settings().value("main_window/page")
        if not (isinstance(saved, str) and self.workspace.show_page(saved)):
            self.workspace.show_page(self.workspace.keys()[0])
        self.idle.set_minutes(self.context.general.idle_lock_minutes)
        self.idle.resume()
        self.signed_in.emit(actor)

    def _fill_go_menu(self) -> None:
        self.go_menu.clear()
        assert self.workspace is not None
        for number, (key, page) in enumerate(self.workspace.pages.items(), start=1):
            action = self._action(page.icon_name, page.title, f"Ctrl+{number}", None)
            action.triggered.connect(lambda _=False, k=key: self.show_page(k))
            self.go_menu.addAction(action)

    def show_page(self, key: str) -> bool:
        return self.workspace is not None and self.workspace.show_page(key)

    def sign_out(self) -> None:
        """Leave the workspace (its screens are discarded) and ask who is next."""
        actor = self.context.actor
        if actor is not None:
            self._record_sign_out(actor, "signed out")
        self._leave_workspace()
        self.prompt_sign_in()

    def _record_sign_out(self, actor: Actor, reason: str) -> None:
        if self.context.database is None:
            return
        self.context.runner.run(
            auth.record_sign_out,
            self.context.sessions,
            actor,
            reason,
            on_failure=lambda exc: log.warning("Recording a sign-out failed: %s", exc),
        )

    def _leave_workspace(self) -> None:
        self.idle.pause()
        self.lock_screen.dismiss()
        self._set_locked(False)
        self.context.actor = None
        if self.workspace is not None:
            self._save_window_settings()
            self._stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        self.go_menu.clear()
        self._show_state(WindowState.SIGNED_OUT)
        self.signed_out.emit()

    # -- locking ------------------------------------------------------------------------------

    def lock(self) -> None:
        """Cover the workspace until the user's password is given again; input underneath stays."""
        if self._state is not WindowState.WORKSPACE or self.context.actor is None:
            return
        self.idle.pause()
        self._set_locked(True)
        self.lock_screen.lock(self.context.actor)

    @property
    def locked(self) -> bool:
        return self.lock_screen.is_locked

    def _set_locked(self, locked: bool) -> None:
        """Menus follow the lock; the lock screen itself disables what it covers."""
        for action in self.session_actions:
            action.setEnabled(not locked and self._state is WindowState.WORKSPACE)
        self.go_menu.setEnabled(not locked and self._state is WindowState.WORKSPACE)

    def _on_unlocked(self, actor: Actor) -> None:
        self.context.actor = actor
        self._set_locked(False)
        self.idle.resume()

    def _on_lock_sign_out_requested(self) -> None:
        self.sign_out()

    # -- other actions ------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._state is WindowState.FAILED:
            self.open_database()
        elif self.workspace is not None:
            self.workspace.refresh_current()
            self.check_connection()

    def open_settings(self) -> None:
        from senga_desktop.ui.settings.dialog import SettingsDialog

        if self.context.actor is None:
            return
        dialog = SettingsDialog(context=self.context, parent=self)
        dialog.general_changed.connect(self._on_general_changed)
        dialog.database_switched.connect(self._on_database_switched)
        self.dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.open()

    def _on_general_changed(self, general: GeneralSettings) -> None:
        self.context.general = general
        self.idle.set_minutes(general.idle_lock_minutes)
        self._update_title()

    def _on_database_switched(self, opened: OpenedDatabase) -> None:
        actor = self.context.actor
        if actor is not None:
            self._record_sign_out(actor, "switched database")
        self._leave_workspace()
        self.context.attach(opened)
        self._on_database_ready()

    # -- help ---------------------------------------------------------------------------------

    def about_text(self) -> str:
        """The About box's rich text (also used by tests)."""
        database = self.context.database
        if database is None:
            where = "not open"
        else:
            backend = BACKEND_NAMES.get(database.backend, database.backend)
            where = f"{backend} at {database.location} (schema {self.context.revision or 'empty'})"
        rows: list[tuple[str, Any]] = [
            ("Version", __version__),
            ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
            ("Python", platform.python_version()),
            ("Database", where),
            ("Log file", log_file_path()),
        ]
        table = "".join(
            f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(str(v))}</td></tr>"
            for k, v in rows
        )
        return (
            f"<h3>{html.escape(APP_NAME)}</h3>"
            "<p>Dispatch and route planning for freight depots in Kenya.</p>"
            f"<table>{table}</table>"
        )

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}", self.about_text())
