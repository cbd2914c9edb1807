"""The task runner, the crash handler and the entry point's quick exits."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from senga_desktop import __version__, app
from senga_desktop.errors import PlanningCancelled, StorageUnavailable
from senga_desktop.ui.errors import crash_message, install_excepthook
from senga_desktop.ui.tasks import SyncTaskRunner, TaskRunner


def test_version_prints_and_opens_no_window(capsys: pytest.CaptureFixture[str]) -> None:
    before = QApplication.instance()
    windows_before = set(QApplication.topLevelWidgets()) if before else set()

    assert app.main(["--version"]) == 0

    assert capsys.readouterr().out.strip() == f"Senga Dispatch {__version__}"
    after = QApplication.instance()
    assert after is before
    if after is not None:
        assert set(QApplication.topLevelWidgets()) == windows_before


def _worker_call(value: int) -> tuple[int, int]:
    return value * 2, threading.get_ident()


def _worker_failure() -> None:
    raise StorageUnavailable("the server went away")


def test_task_runner_delivers_results_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    received: list[tuple[Any, QThread]] = []

    with qtbot.waitSignal(runner.task_succeeded, timeout=5000) as blocker:
        request = runner.run(
            _worker_call,
            21,
            on_success=lambda result: received.append((result, QThread.currentThread())),
        )

    assert blocker.args is not None
    assert blocker.args[0] == request
    [(result, thread)] = received
    assert result[0] == 42
    assert result[1] != threading.get_ident()  # it ran on a worker
    assert thread is QThread.currentThread()  # and came back to the test's (GUI) thread
    assert not runner.busy
    assert runner.shutdown()


def test_task_runner_delivers_exceptions(qtbot: QtBot) -> None:
    runner = TaskRunner()
    failures: list[BaseException] = []

    with qtbot.waitSignal(runner.task_failed, timeout=5000):
        runner.run(_worker_failure, on_failure=failures.append)

    [failure] = failures
    assert isinstance(failure, StorageUnavailable)
    assert failure.message == "the server went away"
    assert runner.shutdown()


def test_unhandled_task_failures_reach_the_excepthook(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: hooked.append(exc))
    runner = TaskRunner()

    with qtbot.waitSignal(runner.task_failed, timeout=5000):
        runner.run(_worker_failure)

    assert [type(e) for e in hooked] == [StorageUnavailable]
    assert runner.shutdown()


def test_discarded_results_are_dropped(qtbot: QtBot) -> None:
    runner = SyncTaskRunner()
    seen: list[Any] = []
    runner.run(lambda: 1, on_success=seen.append)
    runner.discard(99)  # unknown ids are ignored
    assert seen == [1]


def test_excepthook_logs_and_shows_bugs_and_known_errors(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    crashes: list[BaseException] = []
    messages: list[str] = []
    previous = sys.excepthook

    def show_crash(_parent: QWidget | None, exc: BaseException) -> None:
        crashes.append(exc)

    def show_expected(_parent: QWidget | None, _title: str, message: str) -> None:
        messages.append(message)

    parent: Callable[[], QWidget | None] = lambda: None  # noqa: E731
    try:
        install_excepthook(parent, show_crash=show_crash, show_expected=show_expected)
        bug = RuntimeError("boom")
        with caplog.at_level(logging.ERROR):
            sys.excepthook(RuntimeError, bug, None)
        sys.excepthook(StorageUnavailable, StorageUnavailable("disk full"), None)
    finally:
        sys.excepthook = previous

    assert crashes == [bug]
    assert messages == ["disk full"]
    assert any(r.exc_info and r.exc_info[1] is bug for r in caplog.records)
    text = crash_message(bug)
    assert "RuntimeError: boom" in text
    assert "senga.log" in text


def _counting_work(
    steps: int, *, progress: Callable[..., None], cancel: threading.Event
) -> tuple[int, bool]:
    """Reports far more often than the GUI should see; stops early when cancelled."""
    done = 0
    for done in range(1, steps + 1):
        if cancel.is_set():
            return done, True
        progress(done / steps, done)
        if done % 1000 == 0:
            time.sleep(0.01)
    return done, False


def test_progress_is_coalesced_and_the_latest_wins(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[tuple[float, int]] = []
    results: list[tuple[int, bool]] = []

    with qtbot.waitSignal(runner.task_succeeded, timeout=10_000):
        handle = runner.run_cancellable(
            _counting_work,
            40_000,
            on_progress=lambda fraction, n: seen.append((fraction, n)),
            on_success=results.append,
        )
    assert handle.request_id > 0
    assert not handle.running
    assert results == [(40_000, False)]
    # Forty thousand reports over ~0.4 s: the GUI thread saw a handful, in order, no flood.
    assert 1 <= len(seen) <= 15
    counts = [n for _, n in seen]
    assert counts == sorted(counts)
    assert all(fraction == n / 40_000 for fraction, n in seen)  # values kept together
    assert runner.shutdown()


def _waits_for_cancel(*, progress: Callable[..., None], cancel: threading.Event) -> str:
    progress(0.5, None)
    if not cancel.wait(10):
        return "not cancelled"
    raise PlanningCancelled("stopped")


def test_cancel_sets_the_event_and_the_failure_arrives(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[tuple[float, object]] = []
    failures: list[BaseException] = []
    handle = runner.run_cancellable(
        _waits_for_cancel,
        on_progress=lambda *values: seen.append(values),
        on_failure=failures.append,
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(0.5, None)]
    assert handle.running
    assert not handle.cancelled
    with qtbot.waitSignal(runner.task_failed, timeout=5000):
        handle.cancel()
    assert handle.cancelled
    assert not handle.running
    [failure] = failures
    assert isinstance(failure, PlanningCancelled)
    assert runner.shutdown()


def test_sync_runner_delivers_every_progress_report_at_once() -> None:
    runner = SyncTaskRunner()
    seen: list[int] = []
    results: list[tuple[int, bool]] = []
    handle = runner.run_cancellable(
        _counting_work, 5, on_progress=lambda _f, n: seen.append(n), on_success=results.append
    )
    assert seen == [1, 2, 3, 4, 5]
    assert results == [(5, False)]
    assert not handle.running
