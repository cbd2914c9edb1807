"""The import templates shipped in ``resources/templates/`` (the app's "Download template")."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from senga_desktop.errors import NotFound
from senga_desktop.paths import resource_path

__all__ = ["TEMPLATES", "TemplateKind", "template_path"]

TemplateKind = Literal["orders", "customers", "outcomes"]

TEMPLATES: dict[TemplateKind, str] = {
    "orders": "orders-template.csv",
    "customers": "customers-template.csv",
    "outcomes": "outcomes-template.csv",
}


def template_path(kind: TemplateKind) -> Path:
    """The bundled template for ``kind``: its header and one example row. The UI copies it to
    where the user saves it; it must not be edited in place."""
    path = resource_path("templates", TEMPLATES[kind])
    if not path.is_file():
        raise NotFound(f"The {kind} import template is missing from the installation ({path}).")
    return path
