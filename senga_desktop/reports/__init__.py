"""Printed documents: the driver manifests, drawn with QtGui alone (no widgets, no database).

:func:`render_manifest` draws a :class:`~senga_desktop.controllers.manifest_views.Manifest`
(read by :mod:`senga_desktop.controllers.manifests`) into a PDF file or onto a printer; the
window (:mod:`senga_desktop.ui.widgets.manifest_actions`) and ``senga manifest`` both call it,
so a sheet prints the same from either. An import-linter contract keeps this package free of
``PySide6.QtWidgets``, the screens and the database layer.
"""

from senga_desktop.reports.fonts import register_fonts
from senga_desktop.reports.render import (
    RenderResult,
    ReportError,
    check_output,
    ensure_gui_application,
    render_manifest,
)

__all__ = [
    "RenderResult",
    "ReportError",
    "check_output",
    "ensure_gui_application",
    "register_fonts",
    "render_manifest",
]
