"""A spawned worker process that reports ``(kind, payload)`` messages through a queue.

The window hands CPU-bound work that is not a study (building the example, making a report) to a
process of its own, so the UI thread stays free; it polls what a monitor thread records, as it
does for jobs. The process is spawned, not forked: a fork of a process with Qt and a GL context is
not safe. Qt-free.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["start_worker"]


def start_worker(
    target: Callable[..., None],
    args: tuple,
    name: str,
    receive: Callable[[str, Any], None],
    finished: Callable[[], None],
):
    """Run ``target(*args, queue)`` in a new process; returns the process at once.

    ``target`` puts ``("progress", payload)`` messages and ends with one of another kind
    (``"done"``, ``"error"``). A monitor thread hands each message to ``receive`` up to and
    including the final one; a process that ends without one is received as
    ``("error", "the <name> process ended (<exit code>)")``. ``finished`` is called last.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue), daemon=True, name=name)
    process.start()
    threading.Thread(target=_monitor, args=(process, queue, receive, finished), daemon=True,
                     name=f"{name}-monitor").start()  # fmt: skip
    return process


def _monitor(process, queue, receive, finished) -> None:
    import queue as queue_module

    while True:
        try:
            kind, payload = queue.get(timeout=0.2)
        except queue_module.Empty:
            if not process.is_alive():
                receive("error", f"the {process.name} process ended ({process.exitcode})")
                break
            continue
        receive(kind, payload)
        if kind != "progress":
            break
    process.join(5)
    finished()
