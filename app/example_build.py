"""Building the example project in a worker process, with progress, while the window is used.

The first ``make run`` on a machine builds the example from the real engines (about nine minutes).
That happens in its own process (the engines are CPU-bound and must not stall the window), which
reports ``(fraction, message)`` through a queue; the window polls :attr:`ExampleBuild.progress`
from a timer, as it does for jobs. Qt-free.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ExampleBuild", "start_example_build"]


@dataclass
class ExampleBuild:
    """A running (or finished) build; read it from any thread."""

    path: Path
    progress: tuple[float, str] = (0.0, "starting")
    error: str = ""
    note: str = ""  # the project was built, but something beside it was not (its report)
    _done: threading.Event = field(default_factory=threading.Event, repr=False)
    _process: Any = field(default=None, repr=False)

    @property
    def done(self) -> bool:
        """True once the build finished, well or not (see :attr:`error`)."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until done (tests and the CLI); True if it finished in time."""
        return self._done.wait(timeout)

    def cancel(self) -> None:
        """Stop the build (the window closes): the half-built file is never renamed into place,
        so the next start builds the example again."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()


def _build_in_worker(path: str, queue: Any) -> None:
    from cellwright.app.example_project import build, write_example_report

    try:
        build(Path(path), lambda f, message: queue.put(("progress", (0.9 * f, message))))
    except BaseException as exc:  # reported to the window, which stays usable
        queue.put(("error", f"{type(exc).__name__}: {exc}"))
        return
    note = ""
    try:  # the example's PDF report beside it (the README points there)
        write_example_report(
            Path(path), lambda f, message: queue.put(("progress", (0.9 + 0.1 * f, message)))
        )
    except Exception as exc:  # the project is there and opens; the report is said to be missing
        note = f"the example's report was not written: {type(exc).__name__}: {exc}"
    queue.put(("done", note))


def start_example_build(path: Path) -> ExampleBuild:
    """Build the example at ``path`` in a new process; returns at once."""
    from cellwright.app.worker_process import start_worker

    build = ExampleBuild(Path(path))

    def receive(kind: str, payload: Any) -> None:
        if kind == "progress":
            build.progress = payload
        elif kind == "done":
            build.note = payload
        else:
            build.error = payload

    build._process = start_worker(
        _build_in_worker, (str(path),), "cellwright-example", receive, build._done.set
    )
    return build
