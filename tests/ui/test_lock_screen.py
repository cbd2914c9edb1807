"""Idle lock: the idle watcher's timing, and the lock screen over a window with unsaved input.

The watcher's "minute" is shortened to milliseconds and, where the order of events matters, its
clock is a fake the test moves; nothing sleeps. The lock screen checks passwords against a real
database (SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import auth
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.domain import Role
from senga_desktop.ui.auth.idle import IdleWatcher
from senga_desktop.ui.auth.lock_screen import WRONG_PASSWORD, LockScreen
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.tasks import SyncTaskRunner

ADMIN = "admin"
ADMIN_PASSWORD = "depot-admin-2026"
UNSAVED = "Deliver to the Thika Road gate before noon"

# The offscreen platform plugin says so whenever a shown window has a minimum size: a limit of
# the test platform, not a problem of the app. Every other Qt warning still fails a test.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


class FakeClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: float) -> None:
        self.now += ms / 1000


@pytest.fixture
def watcher_factory(qtbot: QtBot) -> Iterator[list[IdleWatcher]]:
    created: list[IdleWatcher] = []
    yield created
    for watcher in created:
        watcher.stop()


def _watcher(created: list[IdleWatcher], **kwargs: object) -> IdleWatcher:
    watcher = IdleWatcher(**kwargs)  # type: ignore[arg-type]
    created.append(watcher)
    return watcher


# -- the idle watcher ---------------------------------------------------------------------------


def test_idle_watcher_times_out_after_the_idle_minutes(
    qtbot: QtBot, watcher_factory: list[IdleWatcher]
) -> None:
    watcher = _watcher(watcher_factory, minutes=2, ms_per_minute=15)
    assert watcher.watching
    with qtbot.waitSignal(watcher.idle_timed_out, timeout=2000):
        pass
    assert not watcher.watching  # once: no second time-out without new activity
    with qtbot.assertNotEmitted(watcher.idle_timed_out, wait=100):
        pass


def test_activity_postpones_the_time_out(qtbot: QtBot, watcher_factory: list[IdleWatcher]) -> None:
    clock = FakeClock()
    field = QLineEdit()
    qtbot.addWidget(field)
    with qtbot.waitExposed(field):
        field.show()
    watcher = _watcher(watcher_factory, minutes=1, ms_per_minute=20, clock=clock)

    clock.advance(15)
    qtbot.keyClick(field, Qt.Key.Key_A)  # a key press 15 ms in: the count starts again
    clock.advance(15)  # 30 ms in, but only 15 ms idle
    with qtbot.assertNotEmitted(watcher.idle_timed_out, wait=120):
        pass

    clock.advance(4)
    qtbot.mouseMove(field)  # mouse moves count too
    clock.advance(10)
    with qtbot.assertNotEmitted(watcher.idle_timed_out, wait=60):
        pass
    with qtbot.waitSignal(watcher.idle_timed_out, timeout=2000):
        clock.advance(10)  # now 20 ms since the mouse move

    # After a time-out, new activity re-arms the watcher.
    qtbot.keyClick(field, Qt.Key.Key_B)
    assert watcher.watching
    with qtbot.waitSignal(watcher.idle_timed_out, timeout=2000):
        clock.advance(20)


def test_zero_minutes_never_locks_and_pause_resume(
    qtbot: QtBot, watcher_factory: list[IdleWatcher]
) -> None:
    watcher = _watcher(watcher_factory, minutes=0, ms_per_minute=10)
    assert not watcher.watching
    with qtbot.assertNotEmitted(watcher.idle_timed_out, wait=80):
        pass

    watcher.set_minutes(1)
    watcher.pause()  # locked or signed out: no time-out
    assert watcher.paused
    assert not watcher.watching
    with qtbot.assertNotEmitted(watcher.idle_timed_out, wait=80):
        pass

    with qtbot.waitSignal(watcher.idle_timed_out, timeout=2000):
        watcher.resume()
    assert watcher.minutes == 1

    watcher.set_minutes(-5)
    assert watcher.minutes == 0
    assert not watcher.watching


# -- the lock screen ----------------------------------------------------------------------------


class SampleWindow(QMainWindow):
    """A main window with a menu shortcut, a window shortcut and a half-filled form."""

    def __init__(self) -> None:
        super().__init__()
        self.triggered: list[str] = []
        menu = self.menuBar().addMenu("&Orders")
        new_order = menu.addAction("&New order")
        new_order.setShortcut(QKeySequence("Ctrl+N"))
        new_order.triggered.connect(lambda: self.triggered.append("new order"))
        refresh = QAction("Refresh", self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.triggered.connect(lambda: self.triggered.append("refresh"))
        self.addAction(refresh)
        self.form = form = QWidget()
        layout = QFormLayout(form)
        self.customer = QLineEdit()
        self.notes = QPlainTextEdit()
        layout.addRow("Customer:", self.customer)
        layout.addRow("Notes:", self.notes)
        self.setCentralWidget(form)
        shortcut = QShortcut(QKeySequence("Ctrl+E"), form)
        shortcut.activated.connect(lambda: self.triggered.append("edit"))
        self.statusBar().showMessage("admin (Administrator)")
        self.resize(760, 520)


@pytest.fixture
def admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, ADMIN, ADMIN_PASSWORD)  # 1 hash


@pytest.fixture
def window(qtbot: QtBot) -> SampleWindow:
    window = SampleWindow()
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def lock_screen(database: Database, window: SampleWindow) -> LockScreen:
    context = AppContext(runner=SyncTaskRunner(), database=database)
    return LockScreen(context=context, parent=window)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


KEYS = {
    "F5": (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier),
    "Ctrl+N": (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
    "Ctrl+E": (Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
    "Tab": (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier),
    "Return": (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
}


def _press(qtbot: QtBot, key: str) -> None:
    """A key (with modifiers) pressed wherever the keyboard focus is."""
    qtbot.keyClick(_focused(), *KEYS[key])


def test_idle_lock_covers_the_window_and_keeps_unsaved_input(
    qtbot: QtBot,
    window: SampleWindow,
    lock_screen: LockScreen,
    admin: Actor,
    watcher_factory: list[IdleWatcher],
) -> None:
    window.customer.setFocus()
    qtbot.keyClicks(window.customer, UNSAVED)
    _press(qtbot, "F5")
    _press(qtbot, "Ctrl+N")
    _press(qtbot, "Ctrl+E")
    assert window.triggered == ["refresh", "new order", "edit"]  # the shortcuts work unlocked
    window.triggered.clear()

    watcher = _watcher(watcher_factory, minutes=1, ms_per_minute=25)

    def on_idle() -> None:
        watcher.pause()
        lock_screen.lock(admin)

    watcher.idle_timed_out.connect(on_idle)
    with qtbot.waitSignal(watcher.idle_timed_out, timeout=2000):
        pass

    # The overlay covers the whole window, menus and status bar included, and follows resizes.
    assert lock_screen.is_locked
    assert lock_screen.isVisible()
    assert lock_screen.geometry() == window.rect()
    for point in (window.rect().center(), window.rect().topLeft(), window.rect().bottomRight()):
        hit = window.childAt(point)  # menu bar, form and status bar are all under the overlay
        assert hit is lock_screen or lock_screen.isAncestorOf(hit)
    window.resize(QSize(640, 600))
    assert lock_screen.geometry() == window.rect()
    assert "Signed in as admin (Administrator)" in lock_screen.prompt_label.text()
    assert lock_screen.heading_label.text() == "Locked"

    # What is underneath is kept but out of reach: the keyboard goes to the password only.
    assert window.customer.text() == UNSAVED
    assert not window.form.isEnabled()
    assert not window.menuBar().isEnabled()
    assert _focused() is lock_screen.password_edit
    for _ in range(8):
        _press(qtbot, "Tab")
        assert lock_screen.isAncestorOf(_focused())
    lock_screen.password_edit.setFocus()
    for key in ("F5", "Ctrl+N", "Ctrl+E"):
        _press(qtbot, key)
    assert window.triggered == []
    qtbot.keyClicks(_focused(), "not my password")
    assert lock_screen.password_edit.text() == "not my password"
    assert window.customer.text() == UNSAVED

    _press(qtbot, "Return")  # 1 verify
    assert lock_screen.message.text() == WRONG_PASSWORD
    assert not lock_screen.message.isHidden()
    assert lock_screen.password_edit.text() == ""
    assert _focused() is lock_screen.password_edit
    assert lock_screen.is_locked

    qtbot.keyClicks(_focused(), ADMIN_PASSWORD)
    with qtbot.waitSignal(lock_screen.unlocked) as blocker:
        qtbot.mouseClick(lock_screen.unlock_button, Qt.MouseButton.LeftButton)  # 1 verify
    assert blocker.args == [admin]
    assert lock_screen.actor == admin
    assert not lock_screen.is_locked
    assert lock_screen.isHidden()
    assert lock_screen.password_edit.text() == ""
    assert lock_screen.message.isHidden()

    # Everything is back as it was, focus included.
    assert window.form.isEnabled()
    assert window.menuBar().isEnabled()
    assert window.customer.text() == UNSAVED
    assert _focused() is window.customer
    _press(qtbot, "F5")
    assert window.triggered == ["refresh"]

    watcher.resume()
    assert watcher.watching


def test_widgets_disabled_before_the_lock_stay_disabled(
    qtbot: QtBot, window: SampleWindow, lock_screen: LockScreen, admin: Actor
) -> None:
    window.statusBar().setEnabled(False)
    lock_screen.lock(admin)
    lock_screen.lock(admin)  # locking twice is harmless
    assert lock_screen.is_locked
    qtbot.keyClicks(lock_screen.password_edit, ADMIN_PASSWORD)
    with qtbot.waitSignal(lock_screen.unlocked):
        _press(qtbot, "Return")  # 1 verify
    assert window.form.isEnabled()
    assert not window.statusBar().isEnabled()


def test_an_empty_password_is_not_checked(
    qtbot: QtBot,
    lock_screen: LockScreen,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(auth, "sign_in", lambda *args: calls.append(args))
    lock_screen.lock(Actor(1, "wanjiru", Role.USER))
    assert "Signed in as wanjiru (Dispatcher)" in lock_screen.prompt_label.text()
    _press(qtbot, "Return")
    assert calls == []
    assert lock_screen.message.text() == "Enter your password."


def test_lockout_on_the_lock_screen_then_sign_out(
    qtbot: QtBot, window: SampleWindow, lock_screen: LockScreen, admin: Actor
) -> None:
    window.customer.setText(UNSAVED)
    lock_screen.lock(admin)
    for _ in range(5):  # 5 verifies: the failures count toward the account lockout
        qtbot.keyClicks(lock_screen.password_edit, "guessing")
        _press(qtbot, "Return")
        assert lock_screen.message.text() == WRONG_PASSWORD

    qtbot.keyClicks(lock_screen.password_edit, ADMIN_PASSWORD)
    with qtbot.assertNotEmitted(lock_screen.unlocked):
        _press(qtbot, "Return")  # refused before any verify: the account is locked
    assert lock_screen.message.text().startswith("This account is locked")
    assert lock_screen.is_locked  # it stays; the user (or someone else) may sign out

    with qtbot.waitSignal(lock_screen.sign_out_requested):
        qtbot.mouseClick(lock_screen.sign_out_button, Qt.MouseButton.LeftButton)
    assert lock_screen.is_locked  # the caller decides, then dismisses
    lock_screen.dismiss()
    assert not lock_screen.is_locked
    assert lock_screen.isHidden()
    assert window.form.isEnabled()
