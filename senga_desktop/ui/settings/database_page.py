"""The "Database" settings page (administrators): the connection in use, and switching.

The top half describes the database in use: backend, where it lives (never the password), where
the setting comes from, the schema revision and the round-trip time, measured in the background
when the page loads. The bottom half takes another database (a PostgreSQL URL or the path of a
SQLite file): *Test* connects and reports on it without changing anything; *Switch* is offered
only after a successful test of exactly the text in the field, asks for confirmation, migrates the
new database, stores it in the user's config file and emits :attr:`DatabasePage.database_switched`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from senga_desktop.controllers.database import (
    HealthReport,
    OpenedDatabase,
    health,
    switch_database,
    test_connection,
)
from senga_desktop.controllers.permissions import Permission
from senga_desktop.errors import SengaError
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.settings.page import (
    FieldMessage,
    Notice,
    SettingsPage,
    WrappedLabel,
    add_section,
    hint_label,
)
from senga_desktop.ui.style import icon, icon_label, unit
from senga_desktop.ui.tasks import report_unexpected

BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
URL_HELP = (
    "A PostgreSQL URL, such as postgresql://dispatch:password@db.depot.local:5432/senga, or the "
    "path of a SQLite file. Testing connects and reports; it changes nothing."
)
URL_PLACEHOLDER = "postgresql://user:password@host:5432/senga  or  /path/to/senga.sqlite3"
SWITCH_DETAILS = (
    "You will be signed out and must sign in on the new database, with an account that exists "
    "there (a new, empty database asks for its first administrator). Its tables are brought up "
    "to date first. The choice is saved in your user config file, so Senga Dispatch opens this "
    "database from now on on this computer."
)
SAME_DATABASE = "This is the database in use already."
CHECKING = "checking…"


def entered_url(text: str) -> str:
    """The URL for what was typed: URLs as they are, anything else as a SQLite file path."""
    text = text.strip()
    if not text or "://" in text:
        return text
    path = Path(text).expanduser().absolute()
    return f"sqlite:///{path.as_posix()}"


def backend_name(backend: str) -> str:
    return BACKEND_NAMES.get(backend, backend)


def latency_text(milliseconds: float) -> str:
    return f"{milliseconds:.2f} ms" if milliseconds < 10 else f"{milliseconds:.0f} ms"


def revision_text(report: HealthReport, *, in_use: bool) -> str:
    """The schema revision, and what switching would do to it."""
    if report.revision is None:
        return "empty: the tables are created when you switch"
    if report.up_to_date:
        return f"{report.revision} (current)"
    if in_use:
        return f"{report.revision} (this version expects {report.head_revision})"
    return f"{report.revision}: brought to {report.head_revision} when you switch"


def _value(name: str) -> QLabel:
    label = WrappedLabel()
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DatabasePage(SettingsPage):
    """The connection in use, and testing and switching to another database."""

    key = "database"
    title = "Database"
    icon_name = "mdi6.database-outline"
    description = "The database this computer works on. Every desk sharing it sees the same data."
    permission = Permission.DATABASE_MANAGE

    #: The switch succeeded: the new, migrated database (an ``OpenedDatabase``). The receiver
    #: attaches it and signs the user out; the current database is left open until then.
    database_switched = Signal(object)

    def __init__(self, *, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context=context, parent=parent)
        self._health_request: int | None = None
        self._test_request: int | None = None
        #: The URL of the last successful test, with its report.
        self._tested: tuple[str, HealthReport] | None = None
        #: The confirmation asked before switching, while it is open.
        self.confirmation: QMessageBox | None = None
        self.confirm_switch_button: QPushButton | None = None

        form = self.form_layout()
        self._add_current_rows(form)
        self._add_other_rows(form)
        self.body.addLayout(form)
        self.body.addStretch(1)

    def _add_current_rows(self, form: QFormLayout) -> None:
        add_section(form, "In use")
        self.current_backend = _value("current_backend")
        self.current_location = _value("current_location")
        self.current_source = _value("current_source")
        self.current_revision = _value("current_revision")
        self.current_latency = _value("current_latency")
        form.addRow("Backend:", self.current_backend)
        form.addRow("Location:", self.current_location)
        form.addRow("Setting from:", self.current_source)
        form.addRow("Schema revision:", self.current_revision)
        form.addRow("Round trip:", self.current_latency)
        self.current_message = FieldMessage(name="current_message")
        form.addRow("", self.current_message)

    def _add_other_rows(self, form: QFormLayout) -> None:
        add_section(form, "Switch to another database")
        help_label = hint_label(URL_HELP)
        form.addRow(help_label)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("url_edit")
        self.url_edit.setPlaceholderText(URL_PLACEHOLDER)
        self.url_edit.setClearButtonEnabled(True)
        self.url_edit.textChanged.connect(self._on_url_changed)
        self.url_edit.returnPressed.connect(self._on_test_clicked)
        self.test_button = QPushButton(icon("mdi6.lan-connect", widget=self), "Test")
        self.test_button.setObjectName("test_button")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self._on_test_clicked)
        row = QHBoxLayout()
        row.setSpacing(unit(self))
        row.addWidget(self.url_edit, 1)
        row.addWidget(self.test_button)
        form.addRow("URL or file:", row)
        self.test_message = FieldMessage(name="test_message")
        form.addRow("", self.test_message)
        self._add_result_rows(form)
        self.switch_button = QPushButton(
            icon("mdi6.database-arrow-right-outline", widget=self), "Switch to this database…"
        )
        self.switch_button.setObjectName("switch_button")
        self.switch_button.setAutoDefault(False)
        self.switch_button.setEnabled(False)
        self.switch_button.clicked.connect(self._on_switch_clicked)
        switch_row = QHBoxLayout()
        switch_row.addWidget(self.switch_button)
        switch_row.addStretch(1)
        form.addRow("", switch_row)
        self.switch_notice = Notice(name="switch_notice")
        form.addRow("", self.switch_notice)

    def _add_result_rows(self, form: QFormLayout) -> None:
        """The report of a successful test: rows hidden until there is one."""
        space = unit(self)
        title = QWidget()
        title.setObjectName("test_result")
        row = QHBoxLayout(title)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(space)
        passed = icon("mdi6.check-circle-outline", accent=True, widget=self)
        row.addWidget(icon_label(passed, self.fontMetrics().height()))
        self.result_title = QLabel()
        self.result_title.setObjectName("test_result_title")
        font = self.result_title.font()
        font.setBold(True)
        self.result_title.setFont(font)
        row.addWidget(self.result_title, 1)
        self.test_location = _value("test_location")
        self.test_latency = _value("test_latency")
        self.test_revision = _value("test_revision")
        self._result_rows: tuple[QWidget, ...] = (
            title,
            self.test_location,
            self.test_latency,
            self.test_revision,
        )
        form.addRow("Test:", title)
        form.addRow("Location:", self.test_location)
        form.addRow("Round trip:", self.test_latency)
        form.addRow("Schema revision:", self.test_revision)
        self._form = form
        self._show_result(False)

    def _show_result(self, visible: bool) -> None:
        for widget in self._result_rows:
            self._form.setRowVisible(widget, visible)

    def has_result(self) -> bool:
        """Whether the report of a successful test is shown."""
        return not self._result_rows[0].isHidden()

    # -- protocol -----------------------------------------------------------------------------

    def load(self) -> None:
        database = self.context.database
        setting = self.context.setting
        self.current_backend.setText(backend_name(database.backend) if database else "—")
        self.current_location.setText(database.location if database else "—")
        self.current_source.setText(setting.describe_source() if setting else "—")
        self.current_revision.setText(self.context.revision or "—")
        self.current_latency.setText(CHECKING)
        self.current_message.clear_message()
        if database is None:
            return
        if self._health_request is not None:
            self.context.runner.discard(self._health_request)
        request = self.context.runner.run(
            health, database, on_success=self._on_health, on_failure=self._on_health_failed
        )
        self._health_request = request if self.context.runner.is_pending(request) else None

    # -- the database in use ------------------------------------------------------------------

    def _on_health(self, report: HealthReport) -> None:
        self._health_request = None
        self.current_backend.setText(report.server_version)
        self.current_location.setText(report.location)
        self.current_latency.setText(latency_text(report.latency_ms))
        self.current_revision.setText(revision_text(report, in_use=True))

    def _on_health_failed(self, exc: BaseException) -> None:
        self._health_request = None
        self.current_latency.setText("unreachable")
        if isinstance(exc, SengaError):
            self.current_message.show_message(str(exc))
        else:
            report_unexpected(exc)

    # -- testing another database -------------------------------------------------------------

    def tested_url(self) -> str | None:
        """The URL whose last test succeeded (what Switch would switch to)."""
        return self._tested[0] if self._tested else None

    def _is_in_use(self, report: HealthReport) -> bool:
        database = self.context.database
        return (
            database is not None
            and report.backend == database.backend
            and report.location == database.location
        )

    def _update_switch(self) -> None:
        url = entered_url(self.url_edit.text())
        ready = (
            self._tested is not None
            and self._tested[0] == url
            and not self._is_in_use(self._tested[1])
            and self._test_request is None
        )
        self.switch_button.setEnabled(ready)

    def _on_url_changed(self, _text: str) -> None:
        if self._tested is not None and self._tested[0] != entered_url(self.url_edit.text()):
            self._tested = None
            self._show_result(False)
        self.test_message.clear_message()
        self.switch_notice.clear_message()
        self._update_switch()

    def _on_test_clicked(self) -> None:
        if not self.test_button.isEnabled():
            return  # Enter pressed while a test or a switch is running
        url = entered_url(self.url_edit.text())
        self.switch_notice.clear_message()
        if not url:
            self.test_message.show_message(
                "Enter a PostgreSQL URL or the path of a SQLite file to test."
            )
            return
        self._tested = None
        self._show_result(False)
        self.test_message.clear_message()
        self.test_button.setText("Testing…")
        self.test_button.setEnabled(False)
        self._test_request = -1  # running; set below to the id while the task is pending
        request = self.context.runner.run(
            test_connection,
            url,
            on_success=partial(self._on_test_passed, url),
            on_failure=partial(self._on_test_failed, url),
        )
        if self.context.runner.is_pending(request):
            self._test_request = request

    def _test_done(self) -> None:
        self._test_request = None
        self.test_button.setText("Test")
        self.test_button.setEnabled(True)

    def _on_test_passed(self, url: str, report: HealthReport) -> None:
        self._test_done()
        self._tested = (url, report)
        in_use = self._is_in_use(report)
        self.result_title.setText(
            SAME_DATABASE if in_use else f"Connected to {report.server_version}."
        )
        self.test_location.setText(report.location)
        self.test_latency.setText(latency_text(report.latency_ms))
        self.test_revision.setText(revision_text(report, in_use=in_use))
        self._show_result(True)
        self._update_switch()

    def _on_test_failed(self, _url: str, exc: BaseException) -> None:
        self._test_done()
        self._tested = None
        self._show_result(False)
        if isinstance(exc, SengaError):
            self.test_message.show_message(str(exc))
        else:
            report_unexpected(exc)
        self._update_switch()

    # -- switching ----------------------------------------------------------------------------

    def _on_switch_clicked(self) -> None:
        if self._tested is None:
            return
        url, report = self._tested
        box = QMessageBox(self)
        box.setObjectName("switch_confirmation")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Switch database")
        box.setText(f"Switch to {backend_name(report.backend)} at {report.location}?")
        box.setInformativeText(SWITCH_DETAILS)
        self.confirm_switch_button = box.addButton(
            "Switch and sign out", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(partial(self._on_confirmation_finished, url))
        self.confirmation = box
        box.open()

    def _on_confirmation_finished(self, url: str, _result: int) -> None:
        box = self.confirmation
        self.confirmation = None
        if box is None:
            return
        confirmed = box.clickedButton() is self.confirm_switch_button
        self.confirm_switch_button = None
        box.deleteLater()
        if confirmed and self.tested_url() == url:
            self._switch(url)

    def _switch(self, url: str) -> None:
        self._set_switching(True)
        self.switch_notice.show_message("Switching: bringing the new database up to date…")
        self.context.runner.run(
            switch_database,
            self.context.sessions,
            self.context.require_actor(),
            url,
            on_success=self._on_switched,
            on_failure=self._on_switch_failed,
        )

    def _on_switched(self, opened: OpenedDatabase) -> None:
        self._set_switching(False)
        self.switch_notice.show_message("Switched. Sign in on the new database.")
        self.switch_button.setEnabled(False)
        self.database_switched.emit(opened)

    def _on_switch_failed(self, exc: BaseException) -> None:
        self._set_switching(False)
        self.switch_notice.clear_message()
        if isinstance(exc, SengaError):
            self.test_message.show_message(f"Nothing was changed: {exc}")
        else:
            report_unexpected(exc)
        self._update_switch()

    def _set_switching(self, busy: bool) -> None:
        self.url_edit.setEnabled(not busy)
        self.test_button.setEnabled(not busy)
        self.switch_button.setEnabled(not busy)
