"""Building the example project in a worker process, with progress, while the window is used.

The first ``make run`` on a machine builds the example from the real engines (about a minute).
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
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def done(self) -> bool:
        """True once the build finished, well or not (see :attr:`error`)."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until done (tests and the CLI); True if it finished in time."""
        return self._done.wait(timeout)


def _build_in_worker(path: str, queue: Any) -> None:
    from cellwright.app.example_project import build

    try:
        build(Path(path), lambda fraction, message: queue.put(("progress", (fraction, message))))
        queue.put(("done", ""))
    except BaseException as exc:  # reported to the window, which stays usable
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def start_example_build(path: Path) -> ExampleBuild:
    """Build the example at ``path`` in a new process; returns at once."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # a fork of a process with Qt is not safe
    queue = context.Queue()
    process = context.Process(
        target=_build_in_worker, args=(str(path), queue), daemon=True, name="cellwright-example"
    )
    build = ExampleBuild(Path(path))
    process.start()

    def monitor() -> None:
        import queue as queue_module

        while True:
            try:
                kind, payload = queue.get(timeout=0.2)
            except queue_module.Empty:
                if not process.is_alive():
                    build.error = build.error or f"the build process ended ({process.exitcode})"
                    break
                continue
            if kind == "progress":
                build.progress = payload
            else:
                build.error = payload if kind == "error" else ""
                break
        process.join(5)
        build._done.set()

    threading.Thread(target=monitor, daemon=True, name="cellwright-example-monitor").start()
    return build
