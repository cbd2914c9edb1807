"""Print or save driver manifests from a screen: one object, two actions, one menu button.

:class:`ManifestActions` holds "Print manifest…" and "Save manifest as PDF…" for whatever a
screen shows — a committed route (:meth:`~ManifestActions.set_route`) or a committed plan
(:meth:`~ManifestActions.set_decision`, every route a page) — and :attr:`button` offers both.
The Routes and Decisions screens use it; the Planning screen can hook it in the same way.

The manifest is read (:mod:`senga_desktop.controllers.manifests`) and drawn
(:func:`senga_desktop.reports.render_manifest`) on the task runner, so the window stays
responsive however many routes a plan has; only the file and print dialogs run on the GUI
thread. Whatever happens is said in one sentence: ``done`` after a file was written or pages
were sent to the printer, ``failed`` when the file cannot be written, the printer refused or
the route is not printable (a bug still reaches the crash handler).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Signal
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QPushButton, QWidget

from senga_desktop.controllers.manifests import (
    PRINTABLE_STATUSES,
    manifest_for_decision,
    manifest_for_route,
)
from senga_desktop.controllers.permissions import Permission
from senga_desktop.errors import SengaError
from senga_desktop.reports import RenderResult, register_fonts, render_manifest
from senga_desktop.ui.style import icon
from senga_desktop.ui.tasks import report_unexpected

if TYPE_CHECKING:
    from senga_desktop.controllers.manifest_views import Manifest
    from senga_desktop.controllers.plan_views import DecisionView, RouteView
    from senga_desktop.ui.context import AppContext

__all__ = ["FOLDER_KEY", "ManifestActions", "default_file_name"]

FOLDER_KEY = "manifests/folder"  # QSettings: where the last manifest was saved
NOT_PRINTABLE = "Only committed routes have driver manifests."


def default_file_name(kind: str, key: str) -> str:
    """``manifest-DEC-…-R01.pdf`` / ``manifests-DEC-….pdf``."""
    return f"{'manifest' if kind == 'route' else 'manifests'}-{key}.pdf"


def _read(kind: str, sessions: Any, actor: Any, key: str) -> Manifest:
    reader = manifest_for_route if kind == "route" else manifest_for_decision
    return reader(sessions, actor, key)


def _save(kind: str, sessions: Any, actor: Any, key: str, path: Path) -> RenderResult:
    """Read and draw in one background call (nothing here touches a widget)."""
    return render_manifest(_read(kind, sessions, actor, key), path)


def _pages(result: RenderResult) -> str:
    pages = f"{result.pages} page{'' if result.pages == 1 else 's'}"
    if result.routes > 1:
        return f"{pages}, {result.routes} routes"
    return pages


class ManifestActions(QObject):
    """The two manifest actions (print, save as PDF) for the route or plan a screen shows."""

    #: A sentence saying what was written or printed.
    done = Signal(str)
    #: A sentence saying why nothing was (or not everything was).
    failed = Signal(str)
    #: A file was written or pages were printed (the ``RenderResult``).
    rendered = Signal(object)

    def __init__(self, *, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self._parent = parent
        self._target: tuple[str, str] | None = None  # ("route" | "decision", its id)
        self._printer: QPrinter | None = None  # kept alive while it prints
        self.print_action = QAction(icon("mdi6.printer-outline", widget=parent),
                                    "Print manifest…", self)  # fmt: skip
        self.print_action.setObjectName("print_manifest")
        self.save_action = QAction(icon("mdi6.file-pdf-box", widget=parent),
                                   "Save manifest as PDF…", self)  # fmt: skip
        self.save_action.setObjectName("save_manifest")
        self.print_action.triggered.connect(self._on_print_triggered)
        self.save_action.triggered.connect(self._on_save_triggered)
        self.menu = QMenu(parent)
        self.menu.setObjectName("manifest_menu")
        self.menu.addAction(self.print_action)
        self.menu.addAction(self.save_action)
        # A push button with a menu, like the buttons beside it on both screens.
        self.button = QPushButton(icon("mdi6.clipboard-text-outline", widget=parent),
                                  "Driver manifest", parent)  # fmt: skip
        self.button.setObjectName("manifest_button")
        self.button.setAutoDefault(False)
        self.button.setMenu(self.menu)
        self.button.setVisible(context.can(Permission.ORDERS_VIEW))
        self._set_target(None, "Select a committed route to print its manifest.")

    # -- what to print --------------------------------------------------------------------------

    def _set_target(self, target: tuple[str, str] | None, why_not: str = "") -> None:
        self._target = target
        for action in (self.print_action, self.save_action):
            action.setEnabled(target is not None)
        self.button.setEnabled(target is not None)
        if target is None:
            self.button.setToolTip(why_not)
        else:
            what = "this route" if target[0] == "route" else "every route of this plan, a page each"
            self.button.setToolTip(f"Print or save the driver's sheet of {what}")

    def set_route(self, route: RouteView | None) -> None:
        """Offer the manifest of ``route`` (``None``, or a route not committed: disabled)."""
        if route is None:
            self._set_target(None, "Select a committed route to print its manifest.")
        elif route.status not in PRINTABLE_STATUSES:
            self._set_target(None, NOT_PRINTABLE)
        else:
            self._set_target(("route", route.route_id))

    def set_decision(self, view: DecisionView | None) -> None:
        """Offer the whole plan's manifests of a committed decision."""
        if view is None or not view.committed:
            self._set_target(None, "Commit the plan first: only committed routes are printed.")
        else:
            self._set_target(("decision", view.decision_id))

    @property
    def target(self) -> tuple[str, str] | None:
        return self._target

    # -- saving ---------------------------------------------------------------------------------

    def _ask_path(self, kind: str, key: str) -> Path | None:
        settings = QSettings()
        folder = str(settings.value(FOLDER_KEY, "") or "") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        chosen, _filter = QFileDialog.getSaveFileName(
            self._parent, "Save manifest as PDF", str(Path(folder) / default_file_name(kind, key)),
            "PDF documents (*.pdf)",
        )  # fmt: skip
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        settings.setValue(FOLDER_KEY, str(path.parent))
        return path

    def save_pdf(self, path: Path | None = None) -> int | None:
        """Write the manifest to ``path`` (``None``: ask with a file dialog); the request id."""
        if self._target is None:
            return None
        kind, key = self._target
        path = path if path is not None else self._ask_path(kind, key)
        if path is None:
            return None
        register_fonts()  # on the GUI thread, before a worker draws with them
        return self.context.runner.run(
            _save, kind, self.context.sessions, self.context.require_actor(), key, path,
            on_success=self._on_saved,
            on_failure=partial(self._on_failed, "The manifest was not saved."),
        )  # fmt: skip

    def _on_saved(self, result: RenderResult) -> None:
        self.done.emit(f"Saved the driver manifest to {result.path} ({_pages(result)}).")
        self.rendered.emit(result)

    # -- printing -------------------------------------------------------------------------------

    def print_on(self, printer: QPrinter) -> int | None:
        """Read the manifest and draw it on ``printer`` (already set up), in the background."""
        if self._target is None:
            return None
        kind, key = self._target
        register_fonts()
        self._printer = printer
        return self.context.runner.run(
            _read, kind, self.context.sessions, self.context.require_actor(), key,
            on_success=partial(self._on_read_for_printer, printer),
            on_failure=partial(self._on_failed, "Nothing was printed."),
        )  # fmt: skip

    def _on_read_for_printer(self, printer: QPrinter, manifest: Manifest) -> None:
        self.context.runner.run(
            render_manifest, manifest, printer,
            on_success=self._on_printed,
            on_failure=partial(self._on_failed, "The manifest was not printed."),
        )  # fmt: skip

    def _on_printed(self, result: RenderResult) -> None:
        self._printer = None
        self.done.emit(f"Sent the driver manifest to the printer ({_pages(result)}).")
        self.rendered.emit(result)

    def _on_print_triggered(self) -> None:
        if self._target is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(default_file_name(*self._target).removesuffix(".pdf"))
        dialog = QPrintDialog(printer, self._parent)
        dialog.setWindowTitle("Print driver manifest")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_on(printer)

    def _on_save_triggered(self) -> None:
        self.save_pdf()

    def _on_failed(self, prefix: str, exc: BaseException) -> None:
        self._printer = None
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        self.failed.emit(f"{prefix} {exc.message}")
