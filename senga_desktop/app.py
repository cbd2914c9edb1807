"""The composition root and the ``senga-desktop`` entry point.

Here the pieces meet: logging, the Qt application and its look, the crash handler, the task
runner and the :class:`~senga_desktop.ui.context.AppContext`, and the main window. The window
opens (and migrates) the database on a worker thread, so it appears at once even when the server
is slow or down, then asks who is signing in.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from senga_desktop import APP_NAME, __version__
from senga_desktop.logs import setup_logging

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="senga-desktop", description=f"{APP_NAME}: dispatch and route planning."
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="the database to use (overrides SENGA_DATABASE_URL and the config files)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="add the demo depot (customers, trucks, orders) to the database; safe to repeat",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


def _route_qt_messages() -> None:
    """Send Qt's own warnings into the log file instead of a console nobody sees."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def _close_on_interrupt(window: QWidget) -> None:
    """Ctrl+C in the terminal closes the window properly (settings saved, database closed).

    Python only runs signal handlers between bytecodes, and Qt's event loop is C++; a timer
    that wakes the interpreter twice a second lets the handler run.
    """
    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGINT, lambda _signum, _frame: window.close())
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(500)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the desktop app; returns the exit status."""
    # A frozen (installer) build starts planning worker processes through this entry point.
    multiprocessing.freeze_support()
    args, qt_args = _parser().parse_known_args(argv)
    if args.version:
        # A GUI script on Windows has no console: sys.stdout is then None.
        if sys.stdout is not None:
            sys.stdout.write(f"{APP_NAME} {__version__}\n")
        return 0

    log_file = setup_logging()
    log.info("%s %s starting (log file: %s)", APP_NAME, __version__, log_file)
    _route_qt_messages()

    # Qt is loaded only now, so `--version` and `--help` stay quick and need no Qt libraries.
    from PySide6.QtWidgets import QApplication

    from senga_desktop.ui.context import APPLICATION_NAME, ORGANIZATION_NAME, AppContext
    from senga_desktop.ui.errors import install_excepthook
    from senga_desktop.ui.shell.main_window import MainWindow
    from senga_desktop.ui.style import apply_app_style
    from senga_desktop.ui.tasks import TaskRunner

    program = sys.argv[0] if sys.argv else "senga-desktop"
    app = QApplication.instance() or QApplication([program, *qt_args])
    QApplication.setApplicationName(APPLICATION_NAME)
    QApplication.setOrganizationName(ORGANIZATION_NAME)
    QApplication.setApplicationVersion(__version__)
    QApplication.setApplicationDisplayName(APP_NAME)
    apply_app_style(app)

    window: MainWindow | None = None
    install_excepthook(lambda: window)
    runner = TaskRunner()
    context = AppContext(runner=runner, database_url=args.database_url, demo=args.demo)
    window = MainWindow(context=context)
    window.show()
    _close_on_interrupt(window)
    status = app.exec()
    log.info("%s stopped (status %d)", APP_NAME, status)
    return status
