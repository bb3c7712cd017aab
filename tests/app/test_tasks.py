"""BackgroundTask: the window's own background work, as the jobs dock sees it."""

from __future__ import annotations

import threading

from cellwright.app.jobs import JobState
from cellwright.app.tasks import BackgroundTask
from cellwright.projects.model import InputError


def _run(work) -> BackgroundTask:
    delivered = []
    task = BackgroundTask("t", work, delivered.append).start()
    assert task.wait(10)
    task.deliver()
    task.deliver()
    assert delivered == [task]  # handed over once
    return task


def test_a_task_reports_and_returns() -> None:
    def work(report, is_cancelled):
        report(0.5, "half")
        return 42

    task = _run(work)
    assert task.state == JobState.DONE and task.result == 42
    assert task.progress.fraction == 1.0


def test_bad_input_is_one_line_and_a_defect_keeps_its_traceback() -> None:
    def bad_input(report, is_cancelled):
        raise InputError("big.csv: line 7: Voltage is not a number")

    def defect(report, is_cancelled):
        return {}["missing"]

    task = _run(bad_input)
    assert task.state == JobState.FAILED and task.error.startswith("big.csv: line 7")
    assert task.details == ""
    task = _run(defect)
    assert task.state == JobState.FAILED and "KeyError" in task.error
    assert "Traceback" in task.details


def test_cancel_ends_cancelled_whether_the_work_returns_or_raises() -> None:
    started = threading.Event()

    def returns(report, is_cancelled):
        started.set()
        while not is_cancelled():
            threading.Event().wait(0.01)
        return "partial"

    def raises(report, is_cancelled):
        started.set()
        while not is_cancelled():
            threading.Event().wait(0.01)
        raise RuntimeError("stopped")

    for work in (returns, raises):
        started.clear()
        task = BackgroundTask("t", work).start()
        assert started.wait(10)
        task.cancel()
        assert task.wait(10) and task.state == JobState.CANCELLED
        assert task.error == ""
