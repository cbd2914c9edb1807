"""The depot at a glance: how many customers, trucks, pending orders and decisions there are."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from senga_desktop.controllers.overview import depot_overview
from senga_desktop.errors import SengaError
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.orders.formatting import depot_zone
from senga_desktop.ui.style import heading, markdown_label, muted, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.cards import FigureCard, FigureGrid, NoteBox
from senga_desktop.ui.widgets.depot_inputs import zone_caption

if TYPE_CHECKING:
    from senga_desktop.controllers.overview import DepotOverview
    from senga_desktop.ui.context import AppContext

EMPTY_STATE_TEXT = (
    "No orders yet. Import or enter orders, or run `senga db seed --demo` "
    "to explore with demo data."
)

_CARDS = (
    ("customers", "mdi6.account-group-outline", "Customers", "who send freight through the depot"),
    ("trucks", "mdi6.truck-outline", "Trucks available / total",
     "free to load now, out of the whole fleet"),
    ("pending", "mdi6.package-variant-closed", "Pending orders",
     "waiting to be planned onto a truck"),
    ("orders", "mdi6.clipboard-list-outline", "All orders",
     "in every status, delivered ones included"),
    ("decisions", "mdi6.map-marker-path", "Planning decisions",
     "planning runs kept for review and learning"),
)  # fmt: skip


class OverviewPage(Page):
    """Figure cards, an empty-state note, and any refresh problem."""

    key = "overview"
    title = "Overview"
    icon_name = "mdi6.view-dashboard-outline"

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        self._request: int | None = None
        body = QWidget()
        u = unit(body)
        self.title_label = heading(context.general.depot_name, name="overview_title")
        self.subtitle_label = muted(QLabel("Loading the figures…"))
        self.subtitle_label.setObjectName("overview_subtitle")
        self.subtitle_label.setWordWrap(True)  # a long database path must not widen the page
        self.cards = {
            key: FigureCard(key=key, icon_name=icon_name, caption=caption, note=note)
            for key, icon_name, caption, note in _CARDS
        }
        self.problem_label = QLabel()
        self.problem_label.setObjectName("overview_problem")
        self.problem_label.setWordWrap(True)
        self.problem_box = NoteBox(
            name="overview_problem_box", icon_name="mdi6.alert-circle-outline",
            label=self.problem_label,
        )  # fmt: skip
        self.empty_label = markdown_label(EMPTY_STATE_TEXT)
        self.empty_label.setObjectName("empty_state")
        self.empty_box = NoteBox(name="empty_box", icon_name="mdi6.inbox-outline",
                                 label=self.empty_label)  # fmt: skip

        titles = QVBoxLayout()
        titles.setSpacing(u // 2)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(u * 4, u * 3, u * 4, u * 3)
        layout.setSpacing(u * 3)
        layout.addLayout(titles)
        layout.addWidget(self.problem_box)
        layout.addWidget(FigureGrid(cards=list(self.cards.values())))
        layout.addWidget(self.empty_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.problem_box.hide()
        self.empty_box.hide()

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.context.database is None:
            return
        if self._request is not None:
            self.context.runner.discard(self._request)  # only the newest result counts
        self._request = self.context.runner.run(
            depot_overview,
            self.context.sessions,
            on_success=self._on_loaded,
            on_failure=self._on_failed,
        )

    def _on_loaded(self, overview: DepotOverview) -> None:
        self._request = None
        self.title_label.setText(self.context.general.depot_name)
        self.cards["customers"].set_value(f"{overview.customers:,}")
        self.cards["trucks"].set_value(f"{overview.vehicles_available:,} / {overview.vehicles:,}")
        self.cards["pending"].set_value(f"{overview.orders_pending:,}")
        self.cards["orders"].set_value(f"{overview.orders_total:,}")
        self.cards["decisions"].set_value(f"{overview.decisions:,}")
        self.empty_box.setVisible(overview.orders_total == 0)
        self.problem_box.hide()
        where = self.context.database.location if self.context.database else ""
        # Depot time, as on every other screen, whatever clock this computer keeps.
        zone = depot_zone(self.context.general.time_zone)
        updated = datetime.now(UTC).astimezone(zone).strftime("%H:%M")
        self.subtitle_label.setText(f"Figures as of {updated} {zone_caption(zone)} from {where}")

    def _on_failed(self, exc: BaseException) -> None:
        self._request = None
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        # Keep the last figures, but say they may be out of date and why.
        self.problem_label.setText(f"The figures could not be refreshed. {exc.message}")
        self.problem_box.show()

    def show_overview(self, overview: DepotOverview) -> None:
        """Show figures already at hand (tests, and the shell after opening)."""
        self._on_loaded(overview)
