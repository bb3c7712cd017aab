"""A study backend driven from a thread of its own, so the window never waits for a point.

:class:`ThreadedBackend` wraps a process, Dask or inline backend and owns it on one worker thread:
the caller's ``start`` and ``submit`` are queued to that thread, which waits on the worker process
or the cluster (or runs the points, inline) and puts each outcome on a queue. The caller asks
:meth:`ready` and resumes :func:`~cellwright.app.studies.execute.study_steps` only then, so
``next_outcome`` never blocks it and every write to the project happens on the caller's thread (the
project's SQLite connection is not shared between threads while it writes).

A point submitted while the worker thread is waiting on a running one (an optimiser asking for
its next trial) reaches the inner backend when that wait returns; sampled studies submit every
point before the first wait, so they lose no parallelism.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from cellwright.app.studies.backends import StudyInterrupted
from cellwright.app.studies.point import PointOutcome
from cellwright.projects.model import DesignSnapshot

__all__ = ["ThreadedBackend"]

_STOP = ("stop",)


class ThreadedBackend:
    """Runs an inner backend on a worker thread; outcomes are collected with :meth:`ready`.

    Parameters
    ----------
    make_inner
        Builds the inner backend on the worker thread (starting a LocalCluster takes seconds,
        which the caller must not wait for). An exception it raises comes back from the next
        :meth:`next_outcome` as a :class:`StudyInterrupted` with its message.
    slots
        Points the inner backend runs at once (optimisers ask for this many trials at a time).
    """

    def __init__(self, make_inner: Callable[[], Any], slots: int = 1) -> None:
        self.slots = slots
        self.description = "starting"
        self._make_inner = make_inner
        self._inner: Any = None
        self._commands: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._outcomes: queue.Queue[PointOutcome | BaseException] = queue.Queue()
        self._in_flight = 0
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._work, name="cw-study", daemon=True)
        self._thread.start()

    # -- the caller's side ----------------------------------------------------------------------
    def start(self, engine: str, spec: dict[str, Any], snapshot: DesignSnapshot) -> None:
        """Queue the base inputs every point shares."""
        self._commands.put(("start", engine, spec, snapshot))

    def submit(self, index: int, values: dict[str, Any]) -> None:
        """Queue a point."""
        self._in_flight += 1
        self._commands.put(("submit", index, values))

    @property
    def in_flight(self) -> int:
        """Points submitted and not yet handed back."""
        return self._in_flight

    def ready(self) -> bool:
        """True when :meth:`next_outcome` would return (or raise) without waiting."""
        return not self._outcomes.empty()

    def next_outcome(self) -> PointOutcome:
        """The next finished point (waits if none is ready).

        Raises
        ------
        StudyInterrupted
            Cancelled, the cluster lost, or the inner backend could not be made.
        """
        item = self._outcomes.get()
        if isinstance(item, BaseException):
            self._outcomes.put(item)  # every later call raises it too
            raise item
        self._in_flight -= 1
        return item

    def cancel(self) -> None:
        """Stop the running point at its next progress check; drop the queued ones."""
        self._cancelled.set()
        inner = self._inner
        if inner is not None:
            inner.cancel()
        self._commands.put(_STOP)

    def close(self, timeout: float = 30.0) -> None:
        """Stop the worker thread and release the inner backend (a LocalCluster shuts down);
        points still running are cancelled."""
        if self._in_flight:
            self.cancel()
        self._commands.put(_STOP)
        self._thread.join(timeout)

    # -- the worker thread ----------------------------------------------------------------------
    def _work(self) -> None:
        try:
            self._inner = self._make_inner()
            self.description = self._inner.description
            if self._cancelled.is_set():
                self._inner.cancel()
            self._loop(self._inner)
        except BaseException as exc:  # handed to the caller; the thread ends
            if not isinstance(exc, StudyInterrupted):
                exc = StudyInterrupted(f"{type(exc).__name__}: {exc}")
            self._outcomes.put(exc)
        finally:
            if self._inner is not None:
                self._inner.close()

    def _loop(self, inner) -> None:
        pending = 0
        while True:
            try:
                command = self._commands.get(block=pending == 0)
            except queue.Empty:
                command = None
            if self._cancelled.is_set():
                raise StudyInterrupted("cancelled")
            if command == _STOP:
                return
            if command is not None:
                if command[0] == "start":
                    inner.start(*command[1:])
                else:
                    inner.submit(*command[1:])
                    pending += 1
                continue  # take every queued command before waiting on a point
            self._outcomes.put(inner.next_outcome())
            pending -= 1
