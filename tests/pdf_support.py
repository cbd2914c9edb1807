"""Reading rendered manifests back: the text of a PDF, and checks that stops appear in order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from pypdf import PdfReader

from senga_desktop.controllers.manifest_views import RouteSheet

#: The last column heading of the stop table: what follows it on a page is the table.
TABLE_START = "Received by"


def pdf_pages(path: Path) -> list[str]:
    """The extracted text of every page."""
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """Whitespace (line breaks of wrapped cells) folded to single spaces."""
    return " ".join(text.split())


def assert_in_order(text: str, tokens: Iterable[str], *, start: int = 0) -> int:
    """Every token occurs in ``text`` after the previous one (from ``start``); returns where
    the last one ends."""
    cursor = start
    for token in tokens:
        found = text.find(token, cursor)
        assert found >= 0, f"{token!r} not found after …{text[max(0, cursor - 80) : cursor]!r}"
        cursor = found + len(token)
    return cursor


def stop_tokens(sheet: RouteSheet) -> list[str]:
    """What each stop's row shows, in reading order: ETA, town, consignees, order numbers."""
    tokens: list[str] = []
    for stop in sheet.stops:
        if stop.eta is not None:
            tokens.append(f"{stop.eta:%H:%M}")
        tokens.append(stop.town)
        tokens += [c for c in dict.fromkeys(o.customer for o in stop.orders) if c]
        tokens += stop.order_ids
    return tokens


def assert_sheets_in_order(text: str, sheets: Sequence[RouteSheet]) -> None:
    """Sheet after sheet: its route id (the header), its stop table, then its stops in order."""
    cursor = 0
    for sheet in sheets:
        cursor = assert_in_order(text, [f"Route {sheet.route_id}", TABLE_START], start=cursor)
        cursor = assert_in_order(text, stop_tokens(sheet), start=cursor)
