"""The Fleet screen: every truck at a glance, grouped by status, with filters and details.

The board is one ``QListView`` over :class:`~.board_model.FleetBoardModel`, painted by
:class:`~.truck_delegate.TruckDelegate`: a header per status (Available, On route, Maintenance,
Off duty, and Retired when asked for) with its count, then the trucks as cards. Filtering and
searching happen in SQL (the board controller); the page reads the board through the task runner
when it comes to the front, on F5, after each change, and every :data:`REFRESH_INTERVAL_MS` while
it is visible. A reload keeps the selected truck selected and the list where it was scrolled to
(the selected card stays at the same height on screen if it was in view).

Managers and administrators get the commands of :class:`~.actions.FleetActions`; dispatchers see
the same board read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QHideEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.fleet import Board, VehicleInfo, board
from senga_desktop.controllers.permissions import Permission
from senga_desktop.domain import VehicleStatus
from senga_desktop.errors import SengaError
from senga_desktop.ui.auth import BusyIndicator
from senga_desktop.ui.pages.base import Page
from senga_desktop.ui.pages.fleet.actions import FleetActions
from senga_desktop.ui.pages.fleet.board_model import FleetBoardModel
from senga_desktop.ui.pages.fleet.details import TruckDetails
from senga_desktop.ui.pages.fleet.fields import zone_caption
from senga_desktop.ui.pages.fleet.filters import BoardFilters
from senga_desktop.ui.pages.fleet.truck_delegate import TruckDelegate
from senga_desktop.ui.style import heading, icon, markdown_label, muted, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.cards import NoteBox
from senga_desktop.ui.widgets.list_controls import action_button

if TYPE_CHECKING:
    from senga_desktop.ui.context import AppContext

#: How often the visible board reads itself again.
REFRESH_INTERVAL_MS = 30_000
#: A load shorter than this shows no busy indicator (no flicker on every timed refresh).
BUSY_DELAY_MS = 300
EMPTY_FOR_MANAGERS = (
    "**No trucks yet.** Add the first one with **Add truck…**, or bring a whole fleet in from a "
    "spreadsheet with **Import…** (the import window has a template to start from)."
)
EMPTY_FOR_DISPATCHERS = (
    "**No trucks yet.** A fleet manager or administrator adds them; this board fills in by "
    "itself once they do."
)
NO_MATCH = "**No truck matches these filters.** Clear them to see the whole fleet."


class FleetPage(Page):
    """The fleet board with its filters, details pane and (for managers) actions."""

    key = "fleet"
    title = "Fleet"
    icon_name = "mdi6.truck-outline"
    permission = Permission.FLEET_VIEW

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        self.model = FleetBoardModel(time_zone=context.general.time_zone, parent=self)
        self.fleet_actions = FleetActions(context=context, parent=self)
        self._request: int | None = None
        #: The truck to select after the next load (one just changed by an action).
        self._keep_id: int | None = None
        #: A read was dropped unanswered: read again when shown.
        self._stale = False
        u = unit(self)
        self.filters = BoardFilters()
        middle = QHBoxLayout()
        middle.setSpacing(u * 2)
        middle.addWidget(self._build_board(), 1)
        middle.addWidget(self._build_details())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(u * 4, u * 3, u * 4, u * 3)
        layout.setSpacing(u * 2)
        layout.addLayout(self._build_top())
        layout.addWidget(self.filters)
        for box in self._build_messages():
            layout.addWidget(box)
        layout.addLayout(middle, 1)
        for action in (self.fleet_actions.add, self.fleet_actions.import_,
                       *self.fleet_actions.vehicle_actions):  # fmt: skip
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_INTERVAL_MS)
        self.refresh_timer.timeout.connect(self._on_refresh_timer)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self.busy_indicator.show)
        self.filters.filters_changed.connect(self._on_filters_changed)
        self.fleet_actions.vehicle_changed.connect(self._on_vehicle_changed)
        self.fleet_actions.imported.connect(self._on_imported)
        self.fleet_actions.dialog_closed.connect(self.refresh)

    def _build_top(self) -> QHBoxLayout:
        """The title, what the fleet holds, the busy indicator, Add truck… and Import…."""
        u = unit(self)
        self.title_label = heading(self.title, name="fleet_title")
        self.subtitle_label = muted(QLabel("Loading the board…"))
        self.subtitle_label.setObjectName("fleet_subtitle")
        self.busy_indicator = BusyIndicator(text="Loading the board…")
        titles = QVBoxLayout()
        titles.setSpacing(u // 2)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        top = QHBoxLayout()
        top.setSpacing(u)
        top.addLayout(titles, 1)
        top.addWidget(self.busy_indicator, 0, Qt.AlignmentFlag.AlignBottom)
        self.add_button = action_button(self.fleet_actions.add, follow_tooltip=False)
        self.import_button = action_button(self.fleet_actions.import_, follow_tooltip=False)
        for button in (self.add_button, self.import_button):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignBottom)
        return top

    def _build_messages(self) -> tuple[NoteBox, NoteBox]:
        """A problem reading the board, and the notice of what an action did (dismissable)."""
        self.problem_label = QLabel()
        self.problem_label.setObjectName("fleet_problem")
        self.problem_label.setWordWrap(True)
        self.problem_box = NoteBox(
            name="fleet_problem_box", icon_name="mdi6.alert-circle-outline",
            label=self.problem_label,
        )  # fmt: skip
        self.notice_label = QLabel()
        self.notice_label.setObjectName("fleet_notice")
        self.notice_label.setWordWrap(True)
        self.notice_box = NoteBox(
            name="fleet_notice_box", icon_name="mdi6.check-circle-outline",
            label=self.notice_label,
        )  # fmt: skip
        u = unit(self)
        self.notice_box.layout().setContentsMargins(u * 2, u, u, u)
        close = QToolButton()
        close.setObjectName("notice_close")
        close.setIcon(icon("mdi6.close", widget=self))
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.notice_box.hide)
        self.notice_box.layout().addWidget(close)
        self.problem_box.hide()
        self.notice_box.hide()
        return self.problem_box, self.notice_box

    def _build_board(self) -> QStackedWidget:
        """The list of cards, or the empty state in its place."""
        u = unit(self)
        self.view = self._build_view()
        self.empty_label = markdown_label(
            EMPTY_FOR_MANAGERS if self.fleet_actions.allowed else EMPTY_FOR_DISPATCHERS
        )
        self.empty_label.setObjectName("empty_state")
        self.empty_box = NoteBox(
            name="fleet_empty_box", icon_name="mdi6.truck-outline", label=self.empty_label
        )
        self.clear_filters_button = QPushButton("Clear filters")
        self.clear_filters_button.setObjectName("empty_clear_filters")
        self.clear_filters_button.setAutoDefault(False)
        self.clear_filters_button.clicked.connect(self.filters.clear)
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.setContentsMargins(0, 0, 0, 0)
        empty_layout.setSpacing(u)
        empty_layout.addWidget(self.empty_box)
        empty_layout.addWidget(self.clear_filters_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(1)
        self.board_stack = QStackedWidget()
        self.board_stack.addWidget(self.view)
        self.board_stack.addWidget(empty)
        return self.board_stack

    def _build_details(self) -> TruckDetails:
        self.details = TruckDetails()
        for action in self.fleet_actions.vehicle_actions:
            self.details.actions_layout.addWidget(action_button(action, follow_tooltip=False))
        if not self.fleet_actions.allowed:
            note = muted(QLabel("Fleet managers change trucks here; the board is yours to read."))
            note.setObjectName("read_only_note")
            note.setWordWrap(True)
            self.details.actions_layout.addWidget(note)
        return self.details

    def _build_view(self) -> QListView:
        view = QListView()
        view.setObjectName("fleet_board")
        view.setModel(self.model)
        view.setItemDelegate(TruckDelegate(parent=view))
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.verticalScrollBar().setSingleStep(unit(view) * 3)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setMouseTracking(True)
        view.setFrameShape(QFrame.Shape.NoFrame)
        view.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.setAccessibleName("Fleet board")
        view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        view.doubleClicked.connect(self._on_card_double_clicked)
        view.customContextMenuRequested.connect(self._on_context_menu_requested)
        return view

    # -- Page protocol --------------------------------------------------------------------------

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read the board again (F5, the timer, after a change), keeping selection and scroll."""
        if self.context.database is None or self.context.actor is None:
            return
        runner = self.context.runner
        if self._request is not None:
            runner.discard(self._request)  # only the newest board counts
        self._busy_timer.start()
        request = runner.run(
            board,
            self.context.sessions,
            self.context.actor,
            self.filters.query(),
            on_success=self._on_board_loaded,
            on_failure=self._on_board_failed,
        )
        self._request = request if runner.is_pending(request) else None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_timer.start()
        if self._stale:
            self.refresh()  # a read was dropped while the page was hidden

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.refresh_timer.stop()
        if self._request is not None:
            # Hidden (another page, or signing out and about to be deleted): drop the answer.
            self.context.runner.discard(self._request)
            self._request = None
            self._busy_timer.stop()
            self.busy_indicator.hide()
            self._stale = True

    # -- selection ------------------------------------------------------------------------------

    def selected_vehicle(self) -> VehicleInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.vehicle(rows[0].row()) if rows else None

    def select_vehicle(self, vehicle_id: int, *, scroll: bool = True) -> bool:
        """Select the truck with database id ``vehicle_id``; ``False`` if it is not shown."""
        row = self.model.row_of(vehicle_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        if scroll:
            self.view.scrollTo(index)
        return True

    def _scroll_anchor(self) -> tuple[int, int | None, int | None]:
        """The scroll position, the selected truck, and its height on screen if in view."""
        value = self.view.verticalScrollBar().value()
        selected = self.selected_vehicle()
        if selected is None:
            return value, None, None
        rect = self.view.visualRect(self.model.index(self.model.row_of(selected.id) or 0, 0))
        in_view = rect.intersects(self.view.viewport().rect())
        return value, selected.id, rect.top() if in_view else None

    def _restore(self, value: int, vehicle_id: int | None, top: int | None) -> None:
        self.view.doItemsLayout()  # the new rows' geometry, so the scroll range is right
        selected = vehicle_id is not None and self.select_vehicle(vehicle_id, scroll=False)
        bar = self.view.verticalScrollBar()
        bar.setValue(value)
        if selected and top is not None:
            row = self.model.row_of(vehicle_id)  # type: ignore[arg-type]
            now_top = self.view.visualRect(self.model.index(row or 0, 0)).top()
            bar.setValue(bar.value() + now_top - top)  # the card stays where the eye left it

    # -- loading --------------------------------------------------------------------------------

    def _on_board_loaded(self, loaded: Board) -> None:
        self._request = None
        self._stale = False
        self._busy_timer.stop()
        self.busy_indicator.hide()
        self.problem_box.hide()
        value, vehicle_id, top = self._scroll_anchor()
        if self._keep_id is not None:
            vehicle_id, top = self._keep_id, None
        self.model.set_time_zone(self.context.general.time_zone)
        if self.model.set_board(loaded):
            self._restore(value, vehicle_id, top)
            if self._keep_id is not None:
                self.select_vehicle(self._keep_id)
        elif self._keep_id is not None:
            self.select_vehicle(self._keep_id)
        self._keep_id = None
        self.filters.set_choices(loaded.towns, loaded.types)
        self._show_summary(loaded)
        self._show_details()

    def _on_board_failed(self, exc: BaseException) -> None:
        self._request = None
        self._busy_timer.stop()
        self.busy_indicator.hide()
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        # Keep the last board, but say it may be out of date and why.
        self.problem_label.setText(f"The board could not be refreshed. {exc.message}")
        self.problem_box.show()

    def _show_summary(self, loaded: Board) -> None:
        counts = loaded.fleet_counts
        in_service = sum(n for s, n in counts.items() if s is not VehicleStatus.RETIRED)
        available = counts.get(VehicleStatus.AVAILABLE, 0)
        read_at = loaded.generated_at.astimezone(self.model.zone).strftime("%H:%M")
        noun = "truck" if in_service == 1 else "trucks"
        self.subtitle_label.setText(
            f"{in_service:,} {noun} in service · {available:,} available · as of {read_at} "
            f"{zone_caption(self.model.zone)}"
        )
        empty = loaded.total == 0
        filtering = self.filters.is_filtering()
        self.board_stack.setCurrentIndex(1 if empty else 0)
        self.details.setVisible(not empty)  # nothing to select: the empty state says what to do
        if empty:
            self.empty_label.setText(
                NO_MATCH
                if filtering and in_service
                else EMPTY_FOR_MANAGERS
                if self.fleet_actions.allowed
                else EMPTY_FOR_DISPATCHERS
            )
        self.clear_filters_button.setVisible(empty and filtering)

    def _show_details(self) -> None:
        vehicle = self.selected_vehicle()
        self.details.show_vehicle(vehicle, self.model.zone, self.model.now)
        self.fleet_actions.set_vehicle(vehicle)

    # -- slots ----------------------------------------------------------------------------------

    def _on_refresh_timer(self) -> None:
        if self._request is None:  # a slow database: let the last read finish first
            self.refresh()

    def _on_filters_changed(self) -> None:
        self.refresh()

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_details()

    def _on_card_double_clicked(self, index: QModelIndex) -> None:
        if self.model.vehicle(index.row()) is not None and self.fleet_actions.edit.isEnabled():
            self.fleet_actions.edit.trigger()

    def _on_context_menu_requested(self, position: QPoint) -> None:
        if (
            not self.fleet_actions.allowed
            or self.model.vehicle(self.view.indexAt(position).row()) is None
        ):
            return
        menu = QMenu(self)
        menu.addActions(self.fleet_actions.vehicle_actions)
        menu.popup(self.view.viewport().mapToGlobal(position))

    def _on_vehicle_changed(self, vehicle: VehicleInfo, message: str) -> None:
        self.notice_label.setText(message)
        self.notice_box.show()
        self._keep_id = vehicle.id

    def _on_imported(self, _result: object, message: str) -> None:
        self.notice_label.setText(message)
        self.notice_box.show()
