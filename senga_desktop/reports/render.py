"""Render a manifest onto paper or into a PDF file: :func:`render_manifest`.

The same drawing code serves both: given a ``Path`` it paints an A4 ``QPdfWriter`` (in memory,
then written to the file in one go, so a failure leaves no half-written PDF); given a
``QPagedPaintDevice`` — the ``QPrinter`` of the system print dialog — it paints that, on the
paper the user chose. Pages are laid out per route (:mod:`senga_desktop.reports.sheet`), one
route a page or more, every route of a plan in one document.

Qt's PDF engine writes U+0009 (tab) as the text of the space glyph: it renders a tab with the
space glyph when a font has none, and its glyph→text map keeps the lowest code point. Text
copied or searched in the PDF would then have tabs between words. :func:`_spaces_as_spaces`
corrects that entry of each ToUnicode map in place (same length, so every offset holds); the
sheet never draws a tab.

Needs a ``QGuiApplication`` (:func:`ensure_gui_application` makes one, offscreen without a
display) — no widgets.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF
from PySide6.QtGui import (
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from senga_desktop.controllers.manifest_views import Manifest
from senga_desktop.errors import SengaError
from senga_desktop.reports.canvas import Canvas
from senga_desktop.reports.fonts import register_fonts
from senga_desktop.reports.sheet import SheetPage, draw_page, paginate

__all__ = [
    "MARGIN_MM",
    "PDF_RESOLUTION",
    "RenderResult",
    "ReportError",
    "check_output",
    "ensure_gui_application",
    "render_manifest",
]

MARGIN_MM = 11.0  # at least this much paper around the sheet, whatever the printer allows
PDF_RESOLUTION = 300  # device units per inch of the PDF writer (vector output: precision only)
_CMAP = re.compile(rb"begincmap.*?endcmap", re.DOTALL)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


class ReportError(SengaError):
    """A document could not be produced: the file cannot be written, the printer refused."""


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What was produced: pages, route sheets, and the file (``None`` for a printer)."""

    pages: int
    routes: int
    path: Path | None = None


def ensure_gui_application() -> QGuiApplication:
    """The running ``QGuiApplication`` (a ``QApplication`` counts), or a new one.

    Without a display (a server, an SSH session) Qt's offscreen platform is used unless
    ``QT_QPA_PLATFORM`` says otherwise, so ``senga manifest`` works anywhere.
    """
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(["senga"])


def _spaces_as_spaces(pdf: bytes) -> bytes:
    """``pdf`` with the space glyph's text in every ToUnicode map read as U+0020, not U+0009."""
    return _CMAP.sub(lambda m: m.group(0).replace(b"<0009>", b"<0020>"), pdf)


def _prepare(device: QPagedPaintDevice) -> None:
    """At least :data:`MARGIN_MM` of margin on every side of the page."""
    margins = device.pageLayout().margins(QPageLayout.Unit.Millimeter)
    device.setPageMargins(
        QMarginsF(
            max(margins.left(), MARGIN_MM),
            max(margins.top(), MARGIN_MM),
            max(margins.right(), MARGIN_MM),
            max(margins.bottom(), MARGIN_MM),
        ),
        QPageLayout.Unit.Millimeter,
    )


def _paint(manifest: Manifest, device: QPagedPaintDevice) -> int:
    """Paint every sheet of ``manifest`` onto ``device``; the number of pages."""
    if not manifest.sheets:
        raise ReportError("There is no route to print.")
    register_fonts()
    painter = QPainter()
    if not painter.begin(device):
        raise ReportError("The printer or file could not be opened for printing.")
    try:
        canvas = Canvas(painter, device)
        area = QRectF(0, 0, device.width(), device.height())
        routes: list[list[SheetPage]] = [paginate(canvas, s, area) for s in manifest.sheets]
        pages = 0
        for index, sheet_pages in enumerate(routes):
            for page in sheet_pages:
                if pages and not device.newPage():
                    raise ReportError("The printer refused a new page; nothing more was printed.")
                draw_page(canvas, manifest, page, area, index)
                pages += 1
    finally:
        painter.end()
    return pages


def check_output(path: Path) -> None:
    """ReportError with a sentence unless a PDF can be written at ``path`` (checked up front, so
    a command can refuse before it reads anything)."""
    folder = path.parent
    if path.is_dir():
        raise ReportError(f"Cannot write {path}: it is a folder; give a file name ending in .pdf.")
    if not folder.is_dir():
        raise ReportError(f"Cannot write {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ReportError(f"Cannot write {path}: permission denied.")


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it (all or nothing).

    The temporary file is created with the usual permissions (the user's umask applies), and
    replaces ``path`` only once it is complete.
    """
    check_output(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        hint = " (is it open in another program?)" if isinstance(exc, PermissionError) else ""
        raise ReportError(f"Cannot write {path}: {exc.strerror or exc}{hint}.") from exc


def render_manifest(manifest: Manifest, output: Path | QPagedPaintDevice) -> RenderResult:
    """Draw ``manifest`` into a PDF file (``Path``) or onto a printer (``QPagedPaintDevice``).

    A file is A4 at :data:`PDF_RESOLUTION`; a printer keeps the paper and resolution the user
    chose. ``ReportError`` (with a sentence) when the file cannot be written or the printer
    refuses; nothing is left behind at ``output`` then.
    """
    ensure_gui_application()
    if isinstance(output, QPagedPaintDevice):
        _prepare(output)
        pages = _paint(manifest, output)
        return RenderResult(pages, len(manifest.sheets))
    path = Path(output)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setTitle(f"Driver manifest \N{EM DASH} {manifest.title}")
    writer.setCreator("Senga Dispatch")
    _prepare(writer)
    try:
        pages = _paint(manifest, writer)
    finally:
        del writer  # finishes the document into the buffer
        buffer.close()
    _write(path, _spaces_as_spaces(bytes(data.data())))
    return RenderResult(pages, len(manifest.sheets), path)
