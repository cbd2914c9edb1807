"""Showing failures: expected ones as a plain message, bugs through a crash dialog.

An expected failure (:class:`~senga_desktop.errors.SengaError`) carries a message written for the
person at the desk and is shown as it is. Anything else is a bug: it is logged with its traceback
and the user sees what happened and where the log file is, and the app keeps running, because
losing an open dispatch screen to one bad click costs more than a possibly inconsistent view.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from senga_desktop.errors import SengaError
from senga_desktop.logs import log_file_path

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the user about an expected failure (a :class:`SengaError`'s message)."""
    QMessageBox.warning(parent, title, message)


def crash_message(exc: BaseException) -> str:
    """The text of the crash dialog: what happened, the exception and where the log is."""
    text = str(exc).strip() or "(no message)"
    return (
        "Something unexpected went wrong inside Senga Dispatch. The app is still running, but "
        "the last action may not have finished; check its result before carrying on.\n\n"
        f"{type(exc).__name__}: {text}\n\n"
        f"The details are in the log file:\n{log_file_path()}\n"
        "Please send that file to your IT contact."
    )


def show_crash_dialog(parent: QWidget | None, exc: BaseException) -> None:
    """The modal dialog for a bug; the traceback is behind "Show Details…" for IT."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Senga Dispatch: unexpected error")
    box.setText(crash_message(exc))
    box.setDetailedText("".join(traceback.format_exception(exc)))
    box.exec()


def install_excepthook(
    parent_getter: Callable[[], QWidget | None],
    *,
    show_crash: Callable[[QWidget | None, BaseException], None] = show_crash_dialog,
    show_expected: Callable[[QWidget | None, str, str], None] = show_error,
) -> ExceptHook:
    """Route uncaught exceptions (in slots, callbacks, event handlers) to a dialog.

    ``parent_getter`` returns the window to put the dialog over (it may not exist yet).
    Returns the previous hook, so a caller can put it back.
    """
    previous = sys.excepthook
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        if isinstance(exc, SengaError):
            # A known failure that no screen caught: show its message, it is not a bug.
            log.warning("Unhandled expected error: %s", exc)
            show_expected(parent_getter(), "Senga Dispatch", exc.message)
            return
        log.error("Unexpected error", exc_info=(exc_type, exc, tb))
        if showing:
            # An error while the dialog is up (a repaint, say) would stack dialogs without end.
            return
        showing = True
        try:
            show_crash(parent_getter(), exc)
        except Exception:
            log.exception("Could not show the error dialog")
        finally:
            showing = False

    sys.excepthook = hook
    return previous
