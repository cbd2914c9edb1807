"""Locate the data folders shipped with Senga Dispatch at run time.

The ``resources`` and ``migrations`` folders live in different places depending on how the app
was installed:

* a frozen PyInstaller bundle unpacks them under ``sys._MEIPASS/senga_desktop/``;
* a built wheel ships them inside the package, as ``senga_desktop/resources`` and
  ``senga_desktop/migrations``;
* a source checkout or editable install keeps them at the top of the repository, beside the
  ``senga_desktop`` package.

The candidates are tried in that order and the first existing folder wins.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["migrations_dir", "resource_path", "resources_dir"]

_PACKAGE = "senga_desktop"


def _candidates(folder: str) -> list[Path]:
    """Return the places where ``folder`` may live, most specific first."""
    candidates: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and meipass:
        candidates.append(Path(meipass) / _PACKAGE / folder)
    # __file__ is read at call time (not import time) so tests can simulate other layouts.
    package_dir = Path(__file__).resolve().parent
    candidates.append(package_dir / folder)
    candidates.append(package_dir.parent / folder)
    return candidates


def _find_dir(folder: str) -> Path:
    """Return the first existing candidate for ``folder`` or raise ``FileNotFoundError``."""
    candidates = _candidates(folder)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    looked_in = ", ".join(str(candidate) for candidate in candidates)
    raise FileNotFoundError(
        f"Senga Dispatch cannot find its {folder!r} folder; looked in: {looked_in}. "
        "The installation may be incomplete."
    )


def resources_dir() -> Path:
    """Return the folder holding the bundled data files (``towns.csv`` and friends)."""
    return _find_dir("resources")


def migrations_dir() -> Path:
    """Return the folder holding the Alembic migration scripts."""
    return _find_dir("migrations")


def resource_path(*parts: str) -> Path:
    """Return the path of a file or folder inside :func:`resources_dir`.

    The path is not checked for existence, so callers can give a clearer error of their own.
    """
    return resources_dir().joinpath(*parts)
