"""A study backend that runs its points in a worker process of their own (the window's default).

A point is CPU-bound Python (PyBaMM building and solving its model, a mesh, a numba kernel). Run on
a thread of the window's process it holds the GIL, and every call the UI thread makes into Qt
releases the GIL and then waits up to the interpreter's switch interval (5 ms) to get it back: a
repaint of a plot makes hundreds of such calls, so the window stalls for seconds while a point
runs (measured: one tick of a 20 ms timer in 1.7 s). In a process of its own the point shares
nothing with the window but a pipe.

The process is spawned, not forked (a fork of a process with Qt loaded is not safe), runs the
points one after the other with :class:`~cellwright.app.studies.backends.InlineBackend`, and
sends each :class:`~cellwright.app.studies.point.PointOutcome` back through a pipe, pickled in
the worker, so an outcome that cannot be pickled is an error the study reports, not a lost
point. Cancel sets an event the running point reads at its progress checks; a point that does
not stop within :data:`~cellwright.app.jobs.CANCEL_GRACE` has its process terminated. A worker
whose window went away (killed, crashed) notices within a second and ends.

Qt-free.
"""

from __future__ import annotations

import time
from typing import Any

from cellwright.app.studies.backends import InlineBackend, StudyInterrupted
from cellwright.app.studies.point import PointOutcome
from cellwright.projects.model import DesignSnapshot

__all__ = ["ProcessBackend"]

_POLL = 0.1  # seconds between looks at the worker while waiting for a point


class ProcessBackend:
    """Runs points one after the other in a spawned worker process.

    Starting the process (importing Cellwright and the engine) takes a second or two; it happens
    in the background while the caller queues the points.
    """

    slots = 1
    description = "a worker process on this machine"

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._commands = context.Queue()
        self._receive, send = context.Pipe(duplex=False)
        self._cancel = context.Event()
        self._process = context.Process(
            target=_serve, args=(self._commands, send, self._cancel), daemon=True,
            name="cellwright-study",
        )  # fmt: skip
        self._process.start()
        send.close()  # the worker holds the sending end; its exit closes the pipe
        self._in_flight = 0

    def start(self, engine: str, spec: dict[str, Any], snapshot: DesignSnapshot) -> None:
        """Send the base inputs every point shares."""
        self._commands.put(("start", engine, spec, snapshot))

    def submit(self, index: int, values: dict[str, Any]) -> None:
        """Queue a point."""
        self._commands.put(("submit", index, values))
        self._in_flight += 1

    @property
    def in_flight(self) -> int:
        """Points submitted and not yet handed back."""
        return self._in_flight

    def next_outcome(self) -> PointOutcome:
        """Wait for the next finished point.

        Raises
        ------
        StudyInterrupted
            Cancelled, or the worker process ended or failed.
        """
        from cellwright.app.jobs import CANCEL_GRACE

        deadline = None
        while True:
            if self._cancel.is_set():
                deadline = deadline or time.monotonic() + CANCEL_GRACE
                if time.monotonic() > deadline:  # the point did not stop by itself
                    self._stop_process()
                    raise StudyInterrupted("cancelled")
            ended = False
            if self._receive.poll(_POLL):
                try:
                    kind, payload = self._receive.recv()
                except EOFError:  # the worker has ended: its end of the pipe closed
                    self._process.join(2.0)
                    ended = True
                else:
                    if kind == "outcome":
                        self._in_flight -= 1
                        return payload
                    raise StudyInterrupted(payload)
            if ended or not self._process.is_alive():
                if self._cancel.is_set():
                    raise StudyInterrupted("cancelled")
                raise StudyInterrupted(
                    f"the study's worker process ended unexpectedly (exit code "
                    f"{self._process.exitcode}); the points finished so far are stored"
                )

    def cancel(self) -> None:
        """Stop the running point at its next progress check (or end its process)."""
        self._cancel.set()

    def close(self) -> None:
        """End the worker process."""
        if self._process.is_alive():
            self._commands.put(("stop",))
            self._process.join(2.0)
        self._stop_process()
        self._receive.close()
        self._commands.close()
        # the worker has ended: what it did not read (a dead worker's start, say) stays unsent,
        # and waiting for the queue's feeder to flush it into a full pipe would hang
        self._commands.cancel_join_thread()

    def _stop_process(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(2.0)


def _serve(commands: Any, send: Any, cancel: Any) -> None:
    """The worker process: take commands, run each submitted point, send back how it went."""
    import multiprocessing
    import queue

    parent = multiprocessing.parent_process()
    inline = InlineBackend(cancel)
    while True:
        try:
            command = commands.get(timeout=1.0)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return  # the window is gone: nobody waits for the points
            continue
        if command[0] == "stop":
            return
        if command[0] == "start":
            inline.start(*command[1:])
            continue
        inline.submit(*command[1:])
        try:
            message = ("outcome", inline.next_outcome())
        except StudyInterrupted as exc:
            message = ("stopped", str(exc))
        except BaseException as exc:  # reported to the study, which stops
            message = ("stopped", f"the study's worker failed: {type(exc).__name__}: {exc}")
        try:
            send.send(message)
        except Exception as exc:  # an outcome that cannot be pickled
            send.send(("stopped", f"point {command[1]}: its outcome cannot be sent back ({exc})"))
