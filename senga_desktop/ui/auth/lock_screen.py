"""The lock screen: an opaque overlay that covers the main window until the password is given.

The overlay is a child of the widget it covers (normally the main window, so menus, toolbars and
status bar are covered too) and follows its size through an event filter. What lies underneath is
kept exactly as it was, unsaved input included, but cannot be reached while locked:

* the covered widget's other children (central widget, menu bar, toolbars, docks) are disabled,
  so neither Tab nor a click can give them the focus, and their menu shortcuts stop;
* shortcuts aimed at the covered window itself (actions added to the window, ``QShortcut`` s) are
  swallowed by an application-wide event filter while locked.

Separate top-level windows (dialogs) are left alone: hiding a modal dialog would end its ``exec``
and disabling it would leave no way out. The window should not lock while one is open, or close
it first.

Unlocking checks the password with the same controller call as signing in, off the GUI thread, so
failures count toward the account lockout. When the account becomes locked (AccountLocked) the
screen shows the controller's message and stays: trying again later gives the same message until
the lock expires or an administrator unlocks the account, and "Sign out" lets someone else sign in.
The lock screen never signs out by itself; it emits ``sign_out_requested()`` and the caller
decides (it may ask about unsaved work), then calls :meth:`LockScreen.dismiss`.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers import auth
from senga_desktop.controllers.permissions import ROLE_LABELS, Actor
from senga_desktop.errors import AccountLocked, SengaError
from senga_desktop.ui.auth import BusyIndicator, make_primary
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.style import centred, heading, icon, icon_label, muted, unit
from senga_desktop.ui.tasks import report_unexpected
from senga_desktop.ui.widgets.forms import InlineMessage
from senga_desktop.ui.widgets.password_field import PasswordField

LOCK_ICON = "mdi6.lock-outline"
PROMPT = "Signed in as {username} ({role}) \N{EM DASH} enter your password to continue."
WRONG_PASSWORD = "Wrong password. Try again."
CHECKING_TEXT = "Checking\N{HORIZONTAL ELLIPSIS}"
PANEL_CHARS = 60


class LockScreen(QWidget):
    """Covers ``parent`` (normally the main window) while the app is locked.

    Signals: ``unlocked(Actor)`` when the right password was given (the overlay has hidden and
    the covered widgets work again; the Actor is freshly read, so a role changed meanwhile shows),
    ``sign_out_requested()`` when "Sign out" is pressed (the overlay stays until :meth:`dismiss`).
    """

    unlocked = Signal(object)
    sign_out_requested = Signal()

    def __init__(self, *, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_screen")
        self.context = context
        self.actor: Actor | None = None
        self._covered = parent
        self._locked = False
        self._busy = False
        self._request_id: int | None = None
        self._disabled: list[QWidget] = []
        self._focus_before: QWidget | None = None
        self._build()
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        parent.installEventFilter(self)
        self.hide()

    def _build(self) -> None:
        u = unit(self)
        self.panel = QFrame()
        self.panel.setObjectName("lock_panel")
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel.setAutoFillBackground(True)
        self.panel.setBackgroundRole(QPalette.ColorRole.Base)

        self.icon_label = icon_label(icon(LOCK_ICON, accent=True, widget=self), u * 6)
        self.heading_label = heading("Locked", level=1, name="lock_heading")
        self.heading_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.prompt_label = muted(QLabel())
        self.prompt_label.setObjectName("lock_prompt")
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setTextFormat(Qt.TextFormat.PlainText)
        self.prompt_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.password_edit = PasswordField(name="lock_password", placeholder="Password")
        self.password_edit.setAccessibleName("Password")
        self.password_edit.returnPressed.connect(self._on_unlock_clicked)
        self.message = InlineMessage(name="lock_message")
        self.busy_indicator = BusyIndicator(text=CHECKING_TEXT)

        buttons = self._build_buttons()

        icon_row = QHBoxLayout()
        icon_row.addStretch(1)
        icon_row.addWidget(self.icon_label)
        icon_row.addStretch(1)
        inner = QVBoxLayout(self.panel)
        inner.setContentsMargins(u * 4, u * 4, u * 4, u * 3)
        inner.setSpacing(u * 2)
        inner.addLayout(icon_row)
        inner.addWidget(self.heading_label)
        inner.addWidget(self.prompt_label)
        inner.addWidget(self.password_edit)
        inner.addWidget(self.message)
        inner.addLayout(buttons)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        outer.addStretch(1)
        outer.addLayout(centred(self.panel, max_chars=PANEL_CHARS))
        outer.addStretch(1)
        self.panel.setMinimumWidth(self.fontMetrics().averageCharWidth() * (PANEL_CHARS - 12))
        self.setTabOrder(self.password_edit, self.unlock_button)
        self.setTabOrder(self.unlock_button, self.sign_out_button)

    def _build_buttons(self) -> QHBoxLayout:
        """Sign out (flat, left), the busy row, Unlock (primary, right)."""
        self.unlock_button = QPushButton(
            icon("mdi6.lock-open-variant-outline", widget=self), "&Unlock"
        )
        self.unlock_button.setObjectName("unlock_button")
        self.unlock_button.setDefault(True)
        make_primary(self.unlock_button, source=self.palette())
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.sign_out_button = QPushButton(icon("mdi6.logout", widget=self), "&Sign out")
        self.sign_out_button.setObjectName("sign_out_button")
        self.sign_out_button.setFlat(True)
        self.sign_out_button.setToolTip("Sign out, so that someone else can sign in")
        self.sign_out_button.clicked.connect(self._on_sign_out_clicked)
        buttons = QHBoxLayout()
        buttons.setSpacing(unit(self) * 2)
        buttons.addWidget(self.sign_out_button)
        buttons.addWidget(self.busy_indicator, 1)
        buttons.addWidget(self.unlock_button)
        return buttons

    # -- public API -----------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self._locked

    @property
    def busy(self) -> bool:
        return self._busy

    def lock(self, actor: Actor) -> None:
        """Cover the window for ``actor`` (who must give their password) and focus the field."""
        self.actor = actor
        self.prompt_label.setText(
            PROMPT.format(username=actor.username, role=ROLE_LABELS[actor.role])
        )
        self.message.clear_message()
        self.password_edit.clear_password()
        if not self._locked:
            self._locked = True
            focused = QApplication.focusWidget()
            inside = focused is not None and self._covered.isAncestorOf(focused)
            self._focus_before = focused if inside else None
            self._disabled = [
                child
                for child in self._covered.findChildren(
                    QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
                )
                if child is not self and not child.isWindow() and child.isEnabled()
            ]
            for child in self._disabled:
                child.setEnabled(False)
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
        self.setGeometry(self._covered.rect())
        self.show()
        self.raise_()
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def dismiss(self) -> None:
        """Uncover the window without a password (after signing out); drops a pending check."""
        if self._request_id is not None:
            self.context.runner.discard(self._request_id)
            self._request_id = None
        self._set_busy(False)
        self._release()

    # -- slots ----------------------------------------------------------------------------------

    def _on_unlock_clicked(self) -> None:
        if self._busy or self.actor is None:
            return
        password = self.password_edit.text()
        if not password:
            self.message.show_message("Enter your password.")
            self.password_edit.setFocus()
            return
        self.message.clear_message()
        self._set_busy(True)
        runner = self.context.runner
        request_id = runner.run(
            auth.sign_in,
            self.context.sessions,
            self.actor.username,
            password,
            on_success=self._on_check_succeeded,
            on_failure=self._on_check_failed,
        )
        # A synchronous runner has delivered the result already.
        self._request_id = request_id if runner.is_pending(request_id) else None

    def _on_sign_out_clicked(self) -> None:
        if self._request_id is not None:
            self.context.runner.discard(self._request_id)
            self._request_id = None
        self._set_busy(False)
        self.sign_out_requested.emit()

    def _on_check_succeeded(self, actor: Actor) -> None:
        self._request_id = None
        self._set_busy(False)
        self.actor = actor
        self._release()
        self.unlocked.emit(actor)

    def _on_check_failed(self, exc: BaseException) -> None:
        self._request_id = None
        self._set_busy(False)
        self.password_edit.clear_password()
        self.password_edit.setFocus()
        if isinstance(exc, SengaError):
            # The user name is fixed here, so "wrong user name or password" would only puzzle.
            wrong = not isinstance(exc, AccountLocked) and str(exc) == auth.WRONG_CREDENTIALS
            self.message.show_message(WRONG_PASSWORD if wrong else str(exc))
        else:
            report_unexpected(exc)

    # -- internals ------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy:
            self.panel.setFocus(Qt.FocusReason.OtherFocusReason)
        self.password_edit.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.busy_indicator.setVisible(busy)

    def _release(self) -> None:
        if not self._locked:
            return
        self._locked = False
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for child in self._disabled:
            if shiboken6.isValid(child):
                child.setEnabled(True)
        self._disabled = []
        self.password_edit.clear_password()
        self.message.clear_message()
        self.hide()
        back, self._focus_before = self._focus_before, None
        if back is not None and shiboken6.isValid(back) and back.isEnabled():
            back.setFocus(Qt.FocusReason.OtherFocusReason)

    def _covers(self, target: QObject) -> bool:
        """Whether ``target`` (a shortcut's receiver) lies under the overlay."""
        if isinstance(target, QWidget):
            return target.window() is self.window() and not (
                target is self or self.isAncestorOf(target)
            )
        if isinstance(target, QAction):
            return any(
                isinstance(owner, QWidget) and owner.window() is self.window()
                for owner in target.associatedObjects()
            )
        owner = target.parent()
        return isinstance(owner, QObject) and self._covers(owner)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and watched is self._covered:
            self.setGeometry(self._covered.rect())
        elif kind == QEvent.Type.Shortcut and self._locked and self._covers(watched):
            return True  # a shortcut of the covered window: nothing under the lock may run
        return False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "unlock_button"):
            self.icon_label.setPixmap(
                icon(LOCK_ICON, accent=True, widget=self).pixmap(unit(self) * 6, unit(self) * 6)
            )
            make_primary(self.unlock_button, source=self.palette())
