"""Python's cyclic garbage collector, run on the UI thread only.

CPython collects reference cycles in whichever thread crosses the allocation threshold (the
``gc`` module: a collection starts when allocations minus deallocations exceed ``threshold0``).
The window's Qt objects sit in such cycles (a widget holding a closure or bound method of
itself), and a collection started on the library loader, a background task or a viewer's fit
thread runs their C++ destructors there. Qt's widgets and timers may only be destroyed on the
thread that owns them: from another thread the result is ``QObject::killTimer: Timers cannot be
stopped from another thread`` at best, a segmentation fault at worst, and at random, since it
depends on when a thread happens to allocate.

:class:`UiThreadCollector` turns automatic collection off and collects from a timer on the UI
thread instead, by the same generational thresholds CPython uses, so cycles are still reclaimed
within a tick of where CPython would have done it. This is the remedy of the PyQt mailing list
(Riverbank, pyqt 2011-08, message 030378) that calibre, pyqtgraph, OpenCue (PR 598) and
novelWriter (PR 2940) use for the same crash.
"""

from __future__ import annotations

import gc

from PySide6 import QtCore

__all__ = ["UiThreadCollector"]

#: how often the UI thread looks at the allocation counts. A generation-0 pass costs in
#: proportion to what all threads allocated and kept since the last tick (0.2M objects kept:
#: 8 ms, measured), so the ticks are short.
INTERVAL_MS = 100


class UiThreadCollector(QtCore.QObject):
    """Collect garbage cycles on the thread that created this object (the UI thread).

    Create it with :meth:`install`, which keeps one per application; :meth:`uninstall` gives
    automatic collection back (the tests do that between windows).
    """

    def __init__(self, parent: QtCore.QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._long_lived = 0  # objects that survived the last full pass; none yet, as in CPython
        gc.disable()
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    @classmethod
    def install(cls, app: QtCore.QCoreApplication) -> UiThreadCollector:
        """The application's collector, created on first call; call it on the UI thread."""
        found = app.findChild(cls, cls.__name__)
        if isinstance(found, cls) and found.active:
            return found
        collector = cls(app)
        collector.setObjectName(cls.__name__)
        return collector

    @classmethod
    def uninstall(cls, app: QtCore.QCoreApplication) -> None:
        """Collect everything now, on this thread, and hand collection back to CPython."""
        found = app.findChild(cls, cls.__name__)
        if isinstance(found, cls):
            found.stop()

    @property
    def active(self) -> bool:
        """True while this collector, not CPython, decides when to collect."""
        return self._timer.isActive()

    def collect_due(self) -> tuple[int, int] | None:
        """Collect the oldest generation that is due, as CPython's ``gc_collect_generations``
        (Modules/gcmodule.c) decides: generation 0 counts allocations, 1 the collections of 0,
        2 those of 1; a full collection also waits until the objects that reached the oldest
        generation since the last one exceed a quarter of those that survived it (CPython's
        ``long_lived_pending`` rule, which keeps full passes over a large heap rare).

        Returns
        -------
        tuple of (int, int) or None
            The generation collected and the number of objects found unreachable; None when
            generation 0 has not reached its threshold.
        """
        counts = gc.get_count()
        limits = self._thresholds
        if limits[0] == 0 or counts[0] <= limits[0]:
            return None  # a threshold of 0 turns collection off in CPython too
        generation = 0
        # CPython weighs a full pass at every collection once generation 2's count is past
        # its threshold; here only where a generation-1 pass is due, as the weighing walks
        # the heap (a full pass comes at most 10 generation-0 passes later than there)
        if counts[1] > limits[1]:
            generation = 2 if counts[2] > limits[2] and self._full_pass_is_due() else 1
        found = gc.collect(generation)
        if generation == 2:
            self._long_lived = len(gc.get_objects(2))
        return generation, found

    def _full_pass_is_due(self) -> bool:
        # CPython counts the objects a collection moves into generation 2; the generation's
        # size against its size after the last full pass is the same figure less those freed
        pending = len(gc.get_objects(2)) - self._long_lived
        return pending > self._long_lived // 4

    def stop(self) -> None:
        """Stop the timer, collect all generations here, and restore CPython's collection."""
        if not self.active:
            return
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
        self.setObjectName("")  # a later install makes a new one
        self.deleteLater()
