"""Logging: a rotating file in the user's log folder, and stderr for the command line.

Passwords are never passed to a logger; database URLs are logged masked.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from senga_desktop.config import user_log_dir

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
LOG_FILE_BYTES = 2_000_000
LOG_FILE_COUNT = 5


def log_file_path() -> Path:
    return user_log_dir() / "senga.log"


def setup_logging(*, level: int = logging.INFO, to_stderr: bool = False) -> Path | None:
    """Send log records to the rotating log file (and stderr if asked); returns the file used.

    A log folder that cannot be created only loses the file, never the app.
    """
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_senga", False):
            root.removeHandler(handler)
            handler.close()
    path: Path | None = log_file_path()
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_COUNT, encoding="utf-8"
        )
        file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
        file_handler._senga = True  # type: ignore[attr-defined]
        root.addHandler(file_handler)
    except OSError:
        path = None
    if to_stderr:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        stream._senga = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
    return path
