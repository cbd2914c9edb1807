"""The typeface of printed documents: DejaVu Sans, bundled under ``resources/fonts``.

Printed sheets must show every name as it is spelled — "Njoroge Wanjikũ", "Müller", "Kérugoya" —
on any computer, whatever fonts it has. DejaVu Sans covers every Latin, Greek and Cyrillic
letter and is free to bundle (``resources/fonts/LICENSE-DejaVu.txt``); :func:`register_fonts`
adds it to Qt's font database once per process, and a PDF then embeds the subset it uses. If
the files are missing (an incomplete installation) the system's sans-serif stands in and a
warning is logged: the sheet still prints, perhaps with a box for an unusual letter.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtGui import QFont, QFontDatabase

from senga_desktop.paths import resource_path

__all__ = ["FAMILY", "FONT_FILES", "document_font", "register_fonts"]

log = logging.getLogger(__name__)

FAMILY = "DejaVu Sans"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


@functools.cache
def register_fonts() -> str:
    """Add the bundled fonts to Qt (once; call on the GUI thread) and return the family to use.

    Needs a ``QGuiApplication``.
    """
    families: set[str] = set()
    for name in FONT_FILES:
        path = resource_path("fonts", name)
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        if font_id < 0:
            log.warning("The bundled font %s could not be loaded; printing with another", path)
            continue
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    if FAMILY in families or FAMILY in QFontDatabase.families():
        return FAMILY
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()


def document_font(points: float, *, bold: bool = False) -> QFont:
    """The document typeface at ``points`` (sizes are physical: the same on paper at any dpi)."""
    font = QFont(register_fonts())
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setKerning(True)
    # No ligatures: "fi" stays two letters, so text copied or searched in a PDF reads "Safi",
    # not "Saﬁ" (U+FB01), and a reader's search for a customer's name finds it.
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    # Outlines exactly as designed, at every resolution: a PDF and a print look the same.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setStyleStrategy(QFont.StyleStrategy.PreferOutline)
    return font
