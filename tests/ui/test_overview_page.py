"""The Overview's figures and the clock they are stamped with."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.db.engine import Database
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.overview import OverviewPage
from senga_desktop.ui.tasks import SyncTaskRunner
from tests.ui.support import make_admin


@pytest.mark.parametrize("zone", ["Africa/Nairobi", "Asia/Kolkata"])
def test_figures_are_stamped_in_depot_time(qtbot: QtBot, database: Database, zone: str) -> None:
    seed_demo(database.sessions)
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=make_admin(database))
    context.general = replace(context.general, time_zone=zone)
    page = OverviewPage(context=context)
    qtbot.addWidget(page)
    before = datetime.now(UTC).astimezone(ZoneInfo(zone))
    page.activated()
    after = datetime.now(UTC).astimezone(ZoneInfo(zone))
    text = page.subtitle_label.text()
    city = zone.rsplit("/", 1)[-1]
    assert f"{city} time" in text
    assert any(f"as of {moment:%H:%M} " in text for moment in (before, after))
    assert page.cards["pending"].value_label.text() == "99"


@pytest.mark.parametrize("width", [420, 760, 1000, 1400])
def test_cards_reflow_without_clipping(qtbot: QtBot, database: Database, width: int) -> None:
    """At any window width every caption is shown whole and the page never scrolls sideways:
    the cards re-flow into fewer columns instead."""
    from PySide6.QtWidgets import QScrollArea

    seed_demo(database.sessions)
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=make_admin(database))
    page = OverviewPage(context=context)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.activated()
    page.resize(width, 600)
    qtbot.waitUntil(lambda: page.cards["decisions"].width() <= width)
    scroll = page.findChild(QScrollArea)
    assert scroll is not None
    assert not scroll.horizontalScrollBar().isVisible()
    cards = list(page.cards.values())
    for card in cards:
        caption = card.caption_label
        assert caption.width() >= caption.sizeHint().width()
        layout = card.layout()
        assert layout is not None
        inside = card.contentsRect().marginsRemoved(layout.contentsMargins())
        assert inside.contains(caption.geometry())  # within the margins of its card
        assert card.height() >= card.minimumSizeHint().height()
    # No two cards overlap.
    for i, first in enumerate(cards):
        for second in cards[i + 1 :]:
            assert not first.geometry().intersects(second.geometry())
