"""The documents package draws with QtGui alone: nothing it imports, even indirectly, reaches
``PySide6.QtWidgets`` (so ``senga manifest`` runs on a ``QGuiApplication`` without a display).

import-linter's forbidden contract in pyproject.toml keeps out the screens, the database layer
and SQLAlchemy, but it cannot name a submodule of an external package; this test can, from the
import lines grimp records.
"""

from __future__ import annotations

import sys

import grimp

PACKAGE = "senga_desktop.reports"


def test_reports_and_everything_they_import_use_no_widgets() -> None:
    graph = grimp.build_graph("senga_desktop", include_external_packages=True)
    upstream = graph.find_upstream_modules(PACKAGE, as_package=True)
    external = {m for m in upstream if not m.startswith("senga_desktop")}
    reached = {PACKAGE, *graph.find_descendants(PACKAGE), *(upstream - external)}
    assert "senga_desktop.controllers.manifest_views" in reached  # the sheets' data
    offending = [
        f"{line['importer']}:{line['line_number']}: {line['line_contents']}"
        for module in sorted(reached)
        for line in graph.get_import_details(importer=module, imported="PySide6")
        if "QtWidgets" in line["line_contents"] or "QtPrintSupport" in line["line_contents"]
    ]
    assert offending == []
    assert not any(m.startswith(("senga_desktop.ui", "senga_desktop.db")) for m in reached)
    third_party = {m for m in external if m not in sys.stdlib_module_names}
    assert third_party == {"PySide6"}  # no SQLAlchemy, no qtawesome
