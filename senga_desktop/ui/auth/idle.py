"""Noticing that nobody has used the app for a while, so the window can lock itself.

:class:`IdleWatcher` watches every event the application receives (an application-wide event
filter) and counts key presses, mouse presses, mouse moves, wheel turns and touches as activity.
After ``minutes`` without any it emits ``idle_timed_out()``, once; the next activity starts the
count again.

Activity only records a time stamp: the single-shot timer is not restarted on every mouse move.
When it fires it checks how long ago the last activity was and, if that was recent, sleeps for the
rest of the period.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

#: What counts as someone at the desk. Paint, timer and focus events do not.
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)
MS_PER_MINUTE = 60_000


class IdleWatcher(QObject):
    """Emits ``idle_timed_out()`` after ``minutes`` without user input; 0 minutes disables it.

    It starts watching at once (unless ``minutes`` is 0). The window calls :meth:`pause` while
    it is locked or nobody is signed in, and :meth:`resume` after unlocking or signing in, which
    also restarts the count. ``ms_per_minute`` and ``clock`` (monotonic seconds) are for tests,
    which make a "minute" last a few milliseconds and control the clock.
    """

    idle_timed_out = Signal()

    def __init__(
        self,
        *,
        minutes: int,
        ms_per_minute: int = MS_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ms_per_minute = ms_per_minute
        self._clock = clock
        self._minutes = 0
        self._paused = False
        self._expired = False
        self._last_activity = clock()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("IdleWatcher needs a running QApplication")
        app.installEventFilter(self)
        self.set_minutes(minutes)

    @property
    def minutes(self) -> int:
        return self._minutes

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def watching(self) -> bool:
        """True while a time-out can still come: enabled, not paused, not yet timed out."""
        return self._minutes > 0 and not self._paused and not self._expired

    def set_minutes(self, minutes: int) -> None:
        """Lock after ``minutes`` idle minutes from now on; 0 (or less) never locks."""
        self._minutes = max(0, minutes)
        self._restart()

    def pause(self) -> None:
        """Stop counting (the window is locked, or nobody is signed in)."""
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        """Count again from now."""
        self._paused = False
        self._restart()

    def stop(self) -> None:
        """Stop for good: remove the application-wide event filter (at exit)."""
        self.pause()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def record_activity(self) -> None:
        """Count as activity (the event filter calls this; so may the app, e.g. on a remote
        event that should keep the window open)."""
        self._last_activity = self._clock()
        if self._expired and not self._paused:
            self._restart()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            self.record_activity()
        return False  # only watching: every event goes on to its receiver

    def _timeout_ms(self) -> int:
        return self._minutes * self._ms_per_minute

    def _restart(self) -> None:
        self._expired = False
        self._last_activity = self._clock()
        if self._minutes > 0 and not self._paused:
            self._timer.start(self._timeout_ms())
        else:
            self._timer.stop()

    def _on_timer_timeout(self) -> None:
        if not self.watching:
            return
        idle_ms = (self._clock() - self._last_activity) * 1000
        remaining = self._timeout_ms() - idle_ms
        if remaining >= 1:
            self._timer.start(math.ceil(remaining))  # there was activity: sleep for the rest
            return
        self._expired = True
        self.idle_timed_out.emit()
