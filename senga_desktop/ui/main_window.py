"""The main window: opening the database, the depot overview, and the status bar.

The central area is a stack of three pages: "opening the database", "the database could not be
opened" (with Retry) and the depot overview. Later screens (sign-in, orders, fleet, planning) slot
into the same stack and menus; all database work goes through the task runner.
"""

from __future__ import annotations

import enum
import html
import logging
import platform
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import PySide6
import qtawesome as qta
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTime, Signal, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QFont, QIcon, QKeySequence, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop import APP_NAME, __version__
from senga_desktop.errors import SengaError
from senga_desktop.logs import log_file_path
from senga_desktop.ui.context import APPLICATION_NAME, ORGANIZATION_NAME, AppContext
from senga_desktop.ui.tasks import report_unexpected

if TYPE_CHECKING:
    from senga_desktop.controllers.database import HealthReport, OpenedDatabase
    from senga_desktop.controllers.overview import DepotOverview
    from senga_desktop.db.engine import Database
    from senga_desktop.ui.context import Controllers

log = logging.getLogger(__name__)

DEFAULT_SIZE = QSize(1200, 800)
EMPTY_STATE_TEXT = (
    "No orders yet. Import or enter orders, or run `senga db seed --demo` "
    "to explore with demo data."
)
CONFIG_HINT = (
    "Check which database the app is set to use with `senga config show`, correct the setting "
    "or start the database server, then retry."
)
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
STATUS_REASON_CHARS = 80  # a longer reason is cut in the status bar; the tooltip has all of it


class WindowState(enum.Enum):
    """Which page the central area shows."""

    OPENING = "opening"
    FAILED = "failed"
    OVERVIEW = "overview"


def _load_overview(
    controllers: Controllers, database: Database
) -> tuple[HealthReport, DepotOverview]:
    """Runs on a worker: the health check first, so an unreachable server is reported as such."""
    return controllers.health(database), controllers.depot_overview(database.sessions)


def _scaled_font(base: QFont, factor: float, weight: QFont.Weight | None = None) -> QFont:
    """A font relative to the widget's own, so sizes follow the user's settings and DPI."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * factor))
    if weight is not None:
        font.setWeight(weight)
    return font


def _muted(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour, so dark palettes keep their contrast."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _icon_label(icon: QIcon, size: int) -> QLabel:
    label = QLabel()
    label.setPixmap(icon.pixmap(QSize(size, size)))
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return label


def _markdown_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.MarkdownText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _centred(widget: QWidget, *, max_chars: int) -> QHBoxLayout:
    """``widget`` centred, at most ``max_chars`` wide.

    Stretches rather than an alignment flag: a layout item with an alignment gets only its size
    hint, so word-wrapped labels inside it would be cut off instead of growing taller.
    """
    widget.setMaximumWidth(widget.fontMetrics().averageCharWidth() * max_chars)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget, 20)
    row.addStretch(1)
    return row


def _unit(widget: QWidget) -> int:
    """The spacing unit: half a line of text, so spacing grows with the font."""
    return max(4, widget.fontMetrics().height() // 2)


class FigureCard(QFrame):
    """One figure on the overview: an icon, a big number, what it counts and a short note."""

    def __init__(
        self, *, key: str, icon_name: str, caption: str, note: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"figure_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        unit = _unit(self)
        accent = self.palette().color(QPalette.ColorRole.Highlight)

        self.value_label = QLabel("\N{EM DASH}")
        self.value_label.setObjectName(f"{key}_value")
        self.value_label.setFont(_scaled_font(self.font(), 2.2, QFont.Weight.DemiBold))
        self.caption_label = QLabel(caption)
        self.caption_label.setFont(_scaled_font(self.font(), 1.0, QFont.Weight.DemiBold))
        self.note_label = _muted(QLabel(note))
        self.note_label.setWordWrap(True)

        top = QHBoxLayout()
        top.setSpacing(unit)
        top.addWidget(self.value_label, 1, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(
            _icon_label(qta.icon(icon_name, color=accent), unit * 4), 0, Qt.AlignmentFlag.AlignTop
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit * 2, unit * 2, unit * 2, unit * 2)
        layout.setSpacing(unit // 2)
        layout.addLayout(top)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.note_label)
        layout.addStretch(1)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)

    def set_value(self, text: str) -> None:
        self.value_label.setText(text)


class FigureGrid(QWidget):
    """Cards in as many columns as fit; only 5, 3, 2 or 1 columns, so no row holds a lone card."""

    COLUMN_CHOICES = (5, 3, 2, 1)

    def __init__(self, *, cards: Sequence[FigureCard], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards = list(cards)
        self._columns = 0
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(_unit(self) * 2)
        self._place(self.COLUMN_CHOICES[-1])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(self._columns_for(event.size().width()))

    def _columns_for(self, width: int) -> int:
        spacing = self._layout.spacing()
        card = max(c.minimumWidth() for c in self._cards)
        for columns in self.COLUMN_CHOICES:
            if columns <= len(self._cards) and columns * card + (columns - 1) * spacing <= width:
                return columns
        return 1

    def _place(self, columns: int) -> None:
        if columns == self._columns:
            return
        for card in self._cards:
            self._layout.removeWidget(card)
        for index, card in enumerate(self._cards):
            self._layout.addWidget(card, index // columns, index % columns)
        for column in range(max(self.COLUMN_CHOICES)):
            self._layout.setColumnStretch(column, 1 if column < columns else 0)
        self._columns = columns


class OpeningPage(QWidget):
    """Shown while the database is opened (and perhaps migrated) in the background."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        unit = _unit(self)
        title = QLabel("Opening the database…")
        title.setObjectName("opening_title")
        title.setFont(_scaled_font(self.font(), 1.4, QFont.Weight.DemiBold))
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        note = _muted(
            QLabel("The first start on a new database also prepares its tables; it takes a moment.")
        )
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        icon = _icon_label(qta.icon("mdi6.database-clock-outline"), unit * 8)
        column = QWidget()
        inner = QVBoxLayout(column)
        inner.setSpacing(unit)
        inner.addWidget(icon, 0, Qt.AlignmentFlag.AlignHCenter)  # fixed size: safe to align
        inner.addWidget(title)
        inner.addWidget(note)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(_centred(column, max_chars=60))
        layout.addStretch(3)


class FailurePage(QWidget):
    """The database could not be opened: why, what to check, and a Retry button."""

    retry_requested = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        unit = _unit(self)
        title = QLabel("The database could not be opened")
        title.setFont(_scaled_font(self.font(), 1.4, QFont.Weight.DemiBold))
        self.message_label = QLabel()
        self.message_label.setObjectName("failure_message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = _muted(_markdown_label(CONFIG_HINT))
        hint.setObjectName("failure_hint")
        self.retry_button = QPushButton(qta.icon("mdi6.reload"), "Retry")
        self.retry_button.setObjectName("retry_button")
        self.retry_button.setDefault(True)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        title.setWordWrap(True)
        icon = _icon_label(qta.icon("mdi6.database-alert-outline"), unit * 6)
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)

        column = QWidget()
        inner = QVBoxLayout(column)
        inner.setSpacing(unit * 2)
        inner.addWidget(title)
        inner.addWidget(self.message_label)
        inner.addWidget(hint)
        inner.addSpacing(unit)
        inner.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.setSpacing(unit * 3)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(column, 1)
        framed = QWidget()
        framed.setLayout(row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit * 4, unit * 4, unit * 4, unit * 4)
        layout.addStretch(2)
        layout.addLayout(_centred(framed, max_chars=96))
        layout.addStretch(3)

    def set_message(self, message: str) -> None:
        self.message_label.setText(message)

    def _on_retry_clicked(self) -> None:
        self.retry_requested.emit()


class OverviewPage(QScrollArea):
    """The depot at a glance: figure cards, an empty-state note, and any refresh problem."""

    def __init__(self, *, refresh_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        unit = _unit(body)

        title = QLabel("Depot overview")
        title.setObjectName("overview_title")
        title.setFont(_scaled_font(self.font(), 1.6, QFont.Weight.DemiBold))
        self.subtitle_label = _muted(QLabel("Loading the figures…"))
        self.subtitle_label.setObjectName("overview_subtitle")
        refresh_button = QToolButton()
        refresh_button.setDefaultAction(refresh_action)
        refresh_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        refresh_button.setAutoRaise(True)

        titles = QVBoxLayout()
        titles.setSpacing(unit // 2)
        titles.addWidget(title)
        titles.addWidget(self.subtitle_label)
        header = QHBoxLayout()
        header.addLayout(titles, 1)
        header.addWidget(refresh_button, 0, Qt.AlignmentFlag.AlignTop)

        self.cards = {
            "customers": FigureCard(
                key="customers",
                icon_name="mdi6.account-group-outline",
                caption="Customers",
                note="who send freight through the depot",
            ),
            "trucks": FigureCard(
                key="trucks",
                icon_name="mdi6.truck-outline",
                caption="Trucks available / total",
                note="free to load now, out of the whole fleet",
            ),
            "pending": FigureCard(
                key="pending",
                icon_name="mdi6.package-variant-closed",
                caption="Pending orders",
                note="waiting to be planned onto a truck",
            ),
            "orders": FigureCard(
                key="orders",
                icon_name="mdi6.clipboard-list-outline",
                caption="All orders",
                note="in every status, delivered ones included",
            ),
            "decisions": FigureCard(
                key="decisions",
                icon_name="mdi6.map-marker-path",
                caption="Planning decisions",
                note="planning runs kept for review and learning",
            ),
        }
        grid = FigureGrid(cards=list(self.cards.values()))

        self.problem_label = QLabel()
        self.problem_label.setObjectName("overview_problem")
        self.problem_label.setWordWrap(True)
        self.problem_box = self._note_box(
            "mdi6.alert-circle-outline", self.problem_label, unit, "overview_problem_box"
        )
        self.empty_label = _markdown_label(EMPTY_STATE_TEXT)
        self.empty_label.setObjectName("empty_state")
        self.empty_box = self._note_box("mdi6.inbox-outline", self.empty_label, unit, "empty_box")

        layout = QVBoxLayout(body)
        layout.setContentsMargins(unit * 4, unit * 3, unit * 4, unit * 3)
        layout.setSpacing(unit * 3)
        layout.addLayout(header)
        layout.addWidget(self.problem_box)
        layout.addWidget(grid)
        layout.addWidget(self.empty_box)
        layout.addStretch(1)
        self.setWidget(body)

        self.problem_box.hide()
        self.empty_box.hide()

    @staticmethod
    def _note_box(icon_name: str, label: QLabel, unit: int, name: str) -> QFrame:
        box = QFrame()
        box.setObjectName(name)
        box.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(box)
        row.setContentsMargins(unit * 2, unit * 2, unit * 2, unit * 2)
        row.setSpacing(unit * 2)
        row.addWidget(_icon_label(qta.icon(icon_name), unit * 3), 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(label, 1)
        return box

    def show_overview(self, overview: DepotOverview, location: str) -> None:
        self.cards["customers"].set_value(f"{overview.customers:,}")
        self.cards["trucks"].set_value(f"{overview.vehicles_available:,} / {overview.vehicles:,}")
        self.cards["pending"].set_value(f"{overview.orders_pending:,}")
        self.cards["orders"].set_value(f"{overview.orders_total:,}")
        self.cards["decisions"].set_value(f"{overview.decisions:,}")
        self.empty_box.setVisible(overview.orders_total == 0)
        self.problem_box.hide()
        updated = QTime.currentTime().toString("HH:mm")
        self.subtitle_label.setText(f"Figures as of {updated} from {location}")

    def show_problem(self, message: str) -> None:
        """A refresh failed: say why and keep the last figures (marked as possibly stale)."""
        self.problem_label.setText(f"The figures could not be refreshed. {message}")
        self.problem_box.show()


class StatusItem(QWidget):
    """A status bar entry: a small icon and a text."""

    def __init__(self, *, name: str, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setObjectName(f"{name}_text")
        unit = _unit(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(unit, 0, unit, 0)
        layout.setSpacing(unit // 2)
        layout.addWidget(self._icon)
        layout.addWidget(self._text)
        self.set_icon(icon_name)

    def set_icon(self, icon_name: str) -> None:
        size = self.fontMetrics().height()
        self._icon.setPixmap(qta.icon(icon_name).pixmap(QSize(size, size)))

    def text(self) -> str:
        return self._text.text()

    def setText(self, text: str) -> None:
        self._text.setText(text)


class MainWindow(QMainWindow):
    """The application window. Give it an :class:`AppContext`; it opens the database itself
    when the context has none yet, and closes it when the window closes."""

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._state = WindowState.OPENING
        self._refresh_request: int | None = None
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(qta.icon("mdi6.truck-fast-outline"))

        self._create_actions()
        self._create_menus()
        self.opening_page = OpeningPage()
        self.failure_page = FailurePage()
        self.failure_page.retry_requested.connect(self._on_retry_requested)
        self.overview_page = OverviewPage(refresh_action=self.refresh_action)
        self._stack = QStackedWidget()
        for page in (self.opening_page, self.failure_page, self.overview_page):
            self._stack.addWidget(page)
        self.setCentralWidget(self._stack)
        self._create_status_bar()
        self._restore_window_settings()

        if context.database is None:
            self.open_database()
        else:
            self._show_database_opened()

    # -- construction -------------------------------------------------------------------------

    def _create_actions(self) -> None:
        self.refresh_action = QAction(qta.icon("mdi6.refresh"), "&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.setStatusTip("Read the figures from the database again")
        self.refresh_action.triggered.connect(self._on_refresh_triggered)
        self.quit_action = QAction(qta.icon("mdi6.exit-to-app"), "&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(
            qta.icon("mdi6.information-outline"), f"&About {APP_NAME}", self
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self._on_about_triggered)

    def _create_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _create_status_bar(self) -> None:
        bar = self.statusBar()
        self.database_status = StatusItem(name="database_status", icon_name="mdi6.database-outline")
        self.revision_status = StatusItem(name="revision_status", icon_name="mdi6.source-branch")
        self.connection_status = StatusItem(name="connection_status", icon_name="mdi6.lan-connect")
        for item in (self.database_status, self.revision_status, self.connection_status):
            bar.addPermanentWidget(item)

    # -- window settings ----------------------------------------------------------------------

    @staticmethod
    def _settings() -> QSettings:
        return QSettings(ORGANIZATION_NAME, APPLICATION_NAME)

    def _restore_window_settings(self) -> None:
        settings = self._settings()
        geometry = settings.value("main_window/geometry")
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(DEFAULT_SIZE)
        state = settings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _save_window_settings(self) -> None:
        settings = self._settings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_window_settings()
        # Let running work finish before the engine goes: a worker may hold a connection.
        if not self.context.runner.shutdown():
            log.warning("Background work was still running at exit")
        self.context.close()
        super().closeEvent(event)

    # -- state --------------------------------------------------------------------------------

    @property
    def state(self) -> WindowState:
        return self._state

    def _show_state(self, state: WindowState) -> None:
        self._state = state
        page = {
            WindowState.OPENING: self.opening_page,
            WindowState.FAILED: self.failure_page,
            WindowState.OVERVIEW: self.overview_page,
        }[state]
        self._stack.setCurrentWidget(page)
        self.refresh_action.setEnabled(state is not WindowState.OPENING)

    def _set_connection(self, text: str, tooltip: str = "", *, icon_name: str) -> None:
        self.connection_status.set_icon(icon_name)
        self.connection_status.setText(text)
        self.connection_status.setToolTip(tooltip or text)

    def _set_unreachable(self, message: str) -> None:
        # The first sentence names the problem; the advice after it is on the page and tooltip.
        reason = message.split(". ", 1)[0].rstrip(".")
        if len(reason) > STATUS_REASON_CHARS:
            reason = reason[: STATUS_REASON_CHARS - 1].rstrip() + "…"
        self._set_connection(f"unreachable: {reason}", message, icon_name="mdi6.lan-disconnect")

    def _update_database_status(self, revision: str | None) -> None:
        database = self.context.database
        self.revision_status.setVisible(database is not None)
        if database is None:
            self.database_status.setText("No database open")
            self.database_status.setToolTip("")
            self.revision_status.setText("")
            return
        backend = BACKEND_NAMES.get(database.backend, database.backend)
        self.database_status.setText(f"{backend}: {database.location}")
        source = self.context.setting.describe_source() if self.context.setting else ""
        self.database_status.setToolTip(f"Database chosen by: {source}" if source else "")
        self.revision_status.setText(f"Schema {revision or 'empty'}")

    # -- opening the database -----------------------------------------------------------------

    def open_database(self) -> None:
        """Open (and migrate) the configured database in the background."""
        self._show_state(WindowState.OPENING)
        self._update_database_status(None)
        self._set_connection("opening…", icon_name="mdi6.database-clock-outline")
        self.context.runner.run(
            self.context.controllers.open_database,
            self.context.database_url,
            on_success=self._on_database_opened,
            on_failure=self._on_database_open_failed,
        )

    def _on_database_opened(self, opened: OpenedDatabase) -> None:
        if self.context.closed:
            opened.database.dispose()  # the window closed while the database was opening
            return
        self.context.attach(opened)
        upgrade = opened.upgrade
        if upgrade.changed and upgrade.from_revision is not None:
            backup = f" A copy was kept at {upgrade.backup_path}." if upgrade.backup_path else ""
            self.statusBar().showMessage(
                f"The database was upgraded to schema {upgrade.to_revision}.{backup}", 15_000
            )
        self._show_database_opened()

    def _show_database_opened(self) -> None:
        self._show_state(WindowState.OVERVIEW)
        self._update_database_status(self.context.revision)
        # The health check that comes with the figures says "connected" (or why not).
        self._set_connection("checking…", icon_name="mdi6.database-sync-outline")
        self.refresh()

    def _on_database_open_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SengaError):
            message = exc.message
            log.warning("The database could not be opened: %s", message)
        else:
            message = (
                f"An unexpected error stopped the database from opening ({type(exc).__name__}: "
                f"{exc}). The details are in the log file {log_file_path()}."
            )
            report_unexpected(exc)
        self.failure_page.set_message(message)
        self._show_state(WindowState.FAILED)
        self._set_unreachable(message)

    def _on_retry_requested(self) -> None:
        self.open_database()

    # -- refreshing the overview --------------------------------------------------------------

    def refresh(self) -> None:
        """Read the overview figures again (after opening, and on F5)."""
        if self._state is WindowState.FAILED:
            self.open_database()
            return
        database = self.context.database
        if database is None:
            return
        if self._refresh_request is not None:
            self.context.runner.discard(self._refresh_request)  # only the newest result counts
        self._refresh_request = self.context.runner.run(
            _load_overview,
            self.context.controllers,
            database,
            on_success=self._on_overview_loaded,
            on_failure=self._on_overview_failed,
        )

    def _on_refresh_triggered(self) -> None:
        self.refresh()

    def _on_overview_loaded(self, result: tuple[HealthReport, DepotOverview]) -> None:
        health, overview = result
        self.context.revision = health.revision
        self._update_database_status(health.revision)
        self._set_connection(
            "connected",
            f"{health.server_version}, round trip {health.latency_ms:.1f} ms",
            icon_name="mdi6.lan-connect",
        )
        location = self.context.database.location if self.context.database else ""
        self.overview_page.show_overview(overview, location)

    def _on_overview_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SengaError):
            report_unexpected(exc)
            return
        log.warning("Refreshing the overview failed: %s", exc.message)
        self._set_unreachable(exc.message)
        self.overview_page.show_problem(exc.message)

    # -- help ---------------------------------------------------------------------------------

    def about_text(self) -> str:
        """The About box's rich text (also used by tests)."""
        database = self.context.database
        if database is None:
            where = "not open"
        else:
            backend = BACKEND_NAMES.get(database.backend, database.backend)
            revision = self.context.revision or "empty"
            where = f"{backend} at {database.location} (schema {revision})"
        rows: list[tuple[str, Any]] = [
            ("Version", __version__),
            ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
            ("Python", platform.python_version()),
            ("Database", where),
            ("Log file", log_file_path()),
        ]
        table = "".join(
            f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(str(v))}</td></tr>"
            for k, v in rows
        )
        return (
            f"<h3>{html.escape(APP_NAME)}</h3>"
            "<p>Dispatch and route planning for freight depots in Kenya.</p>"
            f"<table>{table}</table>"
        )

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}", self.about_text())
