"""What the window shows before anyone works in it: opening, failure, signed out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from senga_desktop.ui.style import (
    APP_ICON,
    centred,
    icon,
    icon_label,
    markdown_label,
    muted,
    scaled_font,
    unit,
)

CONFIG_HINT = (
    "Check which database the app is set to use with `senga config show`, correct the setting "
    "or start the database server, then retry."
)


def _column(widgets: list[QWidget], spacing: int) -> QWidget:
    column = QWidget()
    inner = QVBoxLayout(column)
    inner.setSpacing(spacing)
    for widget in widgets:
        inner.addWidget(widget)
    return column


def _centred_page(page: QWidget, column: QWidget, *, max_chars: int) -> None:
    u = unit(page)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(u * 4, u * 4, u * 4, u * 4)
    layout.addStretch(2)
    layout.addLayout(centred(column, max_chars=max_chars))
    layout.addStretch(3)


def _title(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setFont(scaled_font(label.font(), 1.4, QFont.Weight.DemiBold))
    label.setWordWrap(True)
    return label


class OpeningPage(QWidget):
    """Shown while the database is opened (and perhaps migrated) in the background."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        u = unit(self)
        title = _title("Opening the database…", "opening_title")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        note = muted(
            QLabel("The first start on a new database also prepares its tables; it takes a moment.")
        )
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        picture = icon_label(icon("mdi6.database-clock-outline", widget=self), u * 8)
        column = _column([title, note], u)
        column.layout().insertWidget(0, picture, 0, Qt.AlignmentFlag.AlignHCenter)
        _centred_page(self, column, max_chars=60)


class FailurePage(QWidget):
    """The database could not be opened: why, what to check, and a Retry button."""

    retry_requested = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        u = unit(self)
        self.message_label = QLabel()
        self.message_label.setObjectName("failure_message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = muted(markdown_label(CONFIG_HINT))
        hint.setObjectName("failure_hint")
        self.retry_button = QPushButton(icon("mdi6.reload", widget=self), "Retry")
        self.retry_button.setObjectName("retry_button")
        self.retry_button.setDefault(True)
        self.retry_button.clicked.connect(self.retry_requested)
        picture = icon_label(icon("mdi6.database-alert-outline", widget=self), u * 6)
        column = _column(
            [picture, _title("The database could not be opened", "failure_title"),
             self.message_label, hint],
            u * 2,
        )  # fmt: skip
        column.layout().addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        _centred_page(self, column, max_chars=90)

    def set_message(self, message: str) -> None:
        self.message_label.setText(message)


class SignedOutPage(QWidget):
    """Behind the sign-in dialog, and after signing out: the app, the depot, a Sign in button."""

    sign_in_requested = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        u = unit(self)
        self.title_label = _title("Senga Dispatch", "signed_out_title")
        self.note_label = muted(QLabel("Nobody is signed in."))
        self.note_label.setObjectName("signed_out_note")
        self.note_label.setWordWrap(True)
        self.sign_in_button = QPushButton(icon("mdi6.login", widget=self), "Sign in…")
        self.sign_in_button.setObjectName("sign_in_button")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        picture = icon_label(icon(APP_ICON, accent=True, widget=self), u * 8)
        column = _column([picture, self.title_label, self.note_label], u * 2)
        column.layout().addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignLeft)
        _centred_page(self, column, max_chars=60)

    def set_depot(self, depot_name: str, location: str) -> None:
        self.title_label.setText(depot_name)
        self.note_label.setText(f"Nobody is signed in. Database: {location}")
