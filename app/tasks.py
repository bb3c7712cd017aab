"""Background work of the window's own (a lab-data import, a report) beside the studies.

A :class:`BackgroundTask` runs a function in a thread with a progress callback and a cancel flag;
the jobs dock polls it like a study's :class:`~cellwright.app.jobs.Job` (same progress bar,
message and Cancel), so every long operation of the window looks and stops the same way. Qt-free:
the dock calls :meth:`BackgroundTask.deliver` from its timer, i.e. on the UI thread.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cellwright.app.jobs import JobState, next_job_id
from cellwright.engines.api import ProgressEvent
from cellwright.projects.model import InputError

__all__ = ["BackgroundTask", "Work"]

#: ``work(report, is_cancelled)``: report(fraction, message) as it goes; poll is_cancelled()
Work = Callable[[Callable[[float | None, str], None], Callable[[], bool]], Any]


@dataclass(eq=False)
class BackgroundTask:
    """One piece of background work; reading it never blocks.

    Parameters
    ----------
    title
        What the jobs dock shows, e.g. ``"Import lab data (3 files)"``.
    work
        The function to run in the worker thread; its return value becomes :attr:`result`. It
        stops early when ``is_cancelled()`` turns true (the task then ends ``cancelled``, with
        whatever it returned).
    on_finished
        Called once with the task on the UI thread when it has ended, whatever the outcome.
    """

    title: str
    work: Work
    on_finished: Callable[[BackgroundTask], None] | None = None
    id: int = field(default_factory=next_job_id)
    state: JobState = JobState.QUEUED
    progress: ProgressEvent = field(default_factory=lambda: ProgressEvent(0.0, "queued"))
    result: Any = None
    error: str = ""
    details: str = ""
    _finished: threading.Event = field(default_factory=threading.Event, repr=False)
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _delivered: bool = field(default=False, repr=False)

    def start(self) -> BackgroundTask:
        """Run the work in a daemon thread (the window never waits for it)."""
        self.state = JobState.RUNNING
        threading.Thread(target=self._run, daemon=True, name=f"task-{self.id}").start()
        return self

    @property
    def finished(self) -> bool:
        """True once the work has returned, failed or been cancelled."""
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the task ends (or ``timeout`` passes); True if it ended."""
        return self._finished.wait(timeout)

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._cancel.set()
        self.progress = ProgressEvent(self.progress.fraction, "cancelling…")

    def deliver(self) -> None:
        """Hand the ended task to ``on_finished`` once (the jobs dock calls this on the UI
        thread)."""
        if self.finished and not self._delivered:
            self._delivered = True
            if self.on_finished is not None:
                self.on_finished(self)

    def _report(self, fraction: float | None, message: str) -> None:
        if not self._cancel.is_set():
            self.progress = ProgressEvent(fraction, message)

    def _run(self) -> None:
        try:
            self.result = self.work(self._report, self._cancel.is_set)
            self.state = JobState.CANCELLED if self._cancel.is_set() else JobState.DONE
        except Exception as exc:
            if self._cancel.is_set():  # the work stopped by raising its own Cancelled
                self.state = JobState.CANCELLED
            elif isinstance(exc, InputError):  # the user's input: one line, no traceback
                self.state, self.error = JobState.FAILED, str(exc)
            else:  # a defect: the message, and the traceback behind Details
                self.state, self.error = JobState.FAILED, f"{type(exc).__name__}: {exc}"
                self.details = traceback.format_exc()
        if self.state == JobState.DONE:
            self.progress = ProgressEvent(1.0, "finished")
        self._finished.set()
