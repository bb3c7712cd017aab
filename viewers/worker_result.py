"""A worker thread's result handed to a widget on the UI thread.

The worker touches no Qt object: it appends its result to a plain list, which timer shots in
the widget's context poll. A worker that emitted a signal instead killed the process with a
segmentation fault once the widget it emitted into had been closed (the lab-data viewer's
circuit fit, 3e32866); a widget closed meanwhile is handed nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore

__all__ = ["deliver_when_ready"]


def deliver_when_ready(owner: QtCore.QObject, out: list, on_result: Callable[[object], None],
                       interval_ms: int = 50) -> None:  # fmt: skip
    """Call ``on_result(out[0])`` on the UI thread once a worker has appended to ``out``.

    The list is looked at by single shots that re-arm themselves with ``owner`` as their
    context: Qt drops a pending shot whose context has been destroyed, and no timer object is
    left behind or deleted from inside its own slot (a polling QTimer deleted with deleteLater
    from its timeout slot crashed the lab-data window's tests now and then).

    Parameters
    ----------
    owner
        The widget the result is for; a closed and deleted one is handed nothing.
    out
        The list the worker appends its one result to.
    on_result
        Called once, with that result.
    interval_ms
        How often the list is looked at.
    """

    def poll() -> None:
        if out:
            on_result(out[0])
        else:
            QtCore.QTimer.singleShot(interval_ms, owner, poll)

    QtCore.QTimer.singleShot(interval_ms, owner, poll)
