"""Running slow calls (database, planning) off the GUI thread and handing results back to it.

A screen calls ``runner.run(fn, *args, on_success=..., on_failure=...)``; ``fn`` runs on a
``QThreadPool`` worker and the callbacks run later on the GUI thread, in the order results arrive.
Long work (planning) uses ``runner.run_cancellable(fn, *args, on_progress=..., ...)``: ``fn`` is
called as ``fn(*args, progress=report, cancel=event)``; its reports reach ``on_progress`` on the
GUI thread, coalesced to at most :data:`PROGRESS_INTERVAL` apart (the latest report wins), and
the returned :class:`TaskHandle`'s ``cancel()`` sets ``event``.
Every exception raised by ``fn`` reaches ``on_failure``; without one it goes to ``sys.excepthook``,
which the app points at its crash dialog, so no failure disappears silently.

:class:`SyncTaskRunner` has the same interface but runs ``fn`` at once, for tests and scripts.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException], None]
ProgressCallback = Callable[..., None]

#: Seconds between two progress reports delivered to the GUI thread: ten a second is smooth
#: to the eye and costs the event loop nothing, however often the worker reports.
PROGRESS_INTERVAL = 0.1

#: Worker threads: a few, so a slow planning run does not hold up a quick look-up, and below the
#: PostgreSQL connection pool size (5) so tasks do not queue for connections.
MAX_WORKERS = 4


def report_unexpected(exc: BaseException) -> None:
    """Hand an exception nobody handled to the app's error handler (``sys.excepthook``)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


class BaseTaskRunner(QObject):
    """What both runners share: request ids, the callbacks waiting for them, and delivery.

    ``task_succeeded(request_id, result)`` and ``task_failed(request_id, exception)`` are emitted
    on the GUI thread after the callbacks ran, so tests and progress indicators can follow along.
    """

    task_succeeded = Signal(int, object)
    task_failed = Signal(int, object)

    def __init__(self, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[SuccessCallback | None, FailureCallback | None]] = {}

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: SuccessCallback | None = None,
        on_failure: FailureCallback | None = None,
    ) -> int:
        """Run ``fn(*args)`` and pass its result or exception to the callbacks; returns the id."""
        request_id = next(self._ids)
        self._pending[request_id] = (on_success, on_failure)
        self._start(request_id, fn, args)
        return request_id

    def run_cancellable(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_progress: ProgressCallback | None = None,
        on_success: SuccessCallback | None = None,
        on_failure: FailureCallback | None = None,
    ) -> TaskHandle:
        """Run ``fn(*args, progress=..., cancel=...)``, relaying its progress to ``on_progress``.

        ``progress(*values)`` may be called from the worker as often as it likes; the GUI thread
        sees at most one call per :data:`PROGRESS_INTERVAL`, with the latest values. Progress
        stops being delivered once the result is in (or the request was discarded).
        """
        cancel = threading.Event()
        request_id = next(self._ids)
        relay = self._progress_relay(request_id, on_progress)

        def work() -> Any:
            return fn(*args, progress=relay, cancel=cancel)

        self._pending[request_id] = (on_success, on_failure)
        self._start(request_id, work, ())
        return TaskHandle(request_id, cancel, self)

    def _progress_relay(
        self, request_id: int, on_progress: ProgressCallback | None
    ) -> ProgressCallback:
        raise NotImplementedError

    def discard(self, request_id: int) -> None:
        """Forget a request whose result is no longer wanted (a newer one superseded it).

        The work itself still finishes; only its callbacks are dropped. An exception it raises is
        still logged, because a failure nobody asked about can still be a bug.
        """
        self._pending.pop(request_id, None)

    def is_pending(self, request_id: int) -> bool:
        return request_id in self._pending

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Wait for running work to end (at exit); ``False`` if some was still running."""
        return True

    def _start(self, request_id: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        raise NotImplementedError

    def _deliver_success(self, request_id: int, result: Any) -> None:
        callbacks = self._pending.pop(request_id, None)
        if callbacks is None:
            return  # discarded: a newer request replaced it
        on_success, _ = callbacks
        if on_success is not None:
            on_success(result)
        self.task_succeeded.emit(request_id, result)

    def _deliver_failure(self, request_id: int, exc: BaseException) -> None:
        callbacks = self._pending.pop(request_id, None)
        if callbacks is None:
            log.warning("A discarded background task failed", exc_info=exc)
            return
        _, on_failure = callbacks
        if on_failure is not None:
            on_failure(exc)
        else:
            report_unexpected(exc)
        self.task_failed.emit(request_id, exc)


class TaskHandle:
    """A running cancellable task: its request id, and the way to ask it to stop."""

    def __init__(self, request_id: int, event: threading.Event, runner: BaseTaskRunner) -> None:
        self.request_id = request_id
        self._event = event
        self._runner = runner

    def cancel(self) -> None:
        """Ask the work to stop; it ends soon after, with its usual success or failure."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    @property
    def running(self) -> bool:
        """The result has not been delivered yet."""
        return self._runner.is_pending(self.request_id)


class _ProgressSlot:
    """The latest progress report of one task, shared by its worker and the GUI thread.

    The worker overwrites ``values`` and emits a wake-up only when none is on its way, so the
    GUI thread's queue never holds more than one report per task however fast the worker is.
    """

    def __init__(self, callback: ProgressCallback) -> None:
        self.callback = callback
        self.lock = threading.Lock()
        self.values: tuple[Any, ...] | None = None
        self.queued = False  # a wake-up (signal or timer) is on its way to the GUI thread
        self.delivered_at = 0.0  # time.monotonic() of the last delivery


class _WorkerSignals(QObject):
    """The bridge from worker threads: it lives on the GUI thread, so its slots run there."""

    succeeded = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int)


class _Task(QRunnable):
    def __init__(
        self,
        request_id: int,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        signals: _WorkerSignals,
    ) -> None:
        super().__init__()
        self._request_id = request_id
        self._fn = fn
        self._args = args
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn(*self._args)
        except BaseException as exc:  # delivered, not swallowed: on_failure or the excepthook
            self._signals.failed.emit(self._request_id, exc)
        else:
            self._signals.succeeded.emit(self._request_id, result)
        finally:
            # Drop references now: the pool may keep the runnable object around a while.
            self._fn = self._args = None  # type: ignore[assignment]


class TaskRunner(BaseTaskRunner):
    """Runs calls on its own ``QThreadPool``; results come back through queued signals."""

    def __init__(self, *, parent: QObject | None = None, max_workers: int = MAX_WORKERS) -> None:
        super().__init__(parent=parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_workers)
        # One signals object for all tasks, owned by the runner: it cannot be garbage-collected
        # while a queued result is on its way, which a per-task object could.
        self._signals = _WorkerSignals(self)
        self._signals.succeeded.connect(
            self._on_worker_succeeded, Qt.ConnectionType.QueuedConnection
        )
        self._signals.failed.connect(self._on_worker_failed, Qt.ConnectionType.QueuedConnection)
        self._signals.progressed.connect(
            self._on_worker_progressed, Qt.ConnectionType.QueuedConnection
        )
        self._progress: dict[int, _ProgressSlot] = {}

    def _progress_relay(
        self, request_id: int, on_progress: ProgressCallback | None
    ) -> ProgressCallback:
        if on_progress is None:
            return _ignore
        slot = _ProgressSlot(on_progress)
        self._progress[request_id] = slot
        signal = self._signals.progressed

        def report(*values: Any) -> None:  # on the worker thread
            with slot.lock:
                slot.values = values
                if slot.queued:
                    return
                slot.queued = True
            signal.emit(request_id)

        return report

    @Slot(int)
    def _on_worker_progressed(self, request_id: int) -> None:
        slot = self._progress.get(request_id)
        if slot is None or not self.is_pending(request_id):
            return
        wait = slot.delivered_at + PROGRESS_INTERVAL - time.monotonic()
        if wait > 0:
            # Too soon after the last one: deliver whatever is latest when the interval is up.
            QTimer.singleShot(
                max(1, round(wait * 1000)), self, lambda: self._on_worker_progressed(request_id)
            )
            return
        with slot.lock:
            values = slot.values
            slot.queued = False
        slot.delivered_at = time.monotonic()
        if values is not None:
            slot.callback(*values)

    def _deliver_success(self, request_id: int, result: Any) -> None:
        self._progress.pop(request_id, None)
        super()._deliver_success(request_id, result)

    def _deliver_failure(self, request_id: int, exc: BaseException) -> None:
        self._progress.pop(request_id, None)
        super()._deliver_failure(request_id, exc)

    def _start(self, request_id: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        task = _Task(request_id, fn, args, self._signals)
        task.setAutoDelete(True)
        self._pool.start(task)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        self._pool.clear()  # queued but not started: never start them
        return self._pool.waitForDone(timeout_ms)

    @Slot(int, object)
    def _on_worker_succeeded(self, request_id: int, result: Any) -> None:
        self._deliver_success(request_id, result)

    @Slot(int, object)
    def _on_worker_failed(self, request_id: int, exc: BaseException) -> None:
        self._deliver_failure(request_id, exc)


def _ignore(*values: Any) -> None:
    """Progress nobody listens to."""


class SyncTaskRunner(BaseTaskRunner):
    """Runs each call at once on the calling thread: callbacks have run when ``run`` returns.

    Progress reports reach ``on_progress`` at once, every one of them.
    """

    def _progress_relay(
        self, request_id: int, on_progress: ProgressCallback | None
    ) -> ProgressCallback:
        return on_progress if on_progress is not None else _ignore

    def _start(self, request_id: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            result = fn(*args)
        except Exception as exc:  # Ctrl+C and SystemExit keep their usual meaning here
            self._deliver_failure(request_id, exc)
        else:
            self._deliver_success(request_id, result)
