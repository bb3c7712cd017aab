"""A worker thread's result handed to a widget on the UI thread.

The worker touches no Qt object: it appends its result to a plain list, and a timer owned by
the widget polls that list. A worker that emitted a signal instead killed the process with a
segmentation fault once the widget it emitted into had been closed (the lab-data viewer's
circuit fit, 3e32866); a widget closed meanwhile takes its timer with it and is handed nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore

__all__ = ["deliver_when_ready"]


def deliver_when_ready(owner: QtCore.QObject, out: list, on_result: Callable[[object], None],
                       interval_ms: int = 50) -> QtCore.QTimer:  # fmt: skip
    """Call ``on_result(out[0])`` on the UI thread once a worker has appended to ``out``.

    Parameters
    ----------
    owner
        The widget the result is for; the polling timer is its child and dies with it.
    out
        The list the worker appends its one result to.
    on_result
        Called once, with that result.
    interval_ms
        How often the list is looked at.
    """
    timer = QtCore.QTimer(owner)
    timer.setInterval(interval_ms)

    def poll() -> None:
        if out:
            timer.stop()
            timer.deleteLater()
            on_result(out[0])

    timer.timeout.connect(poll)
    timer.start()
    return timer
