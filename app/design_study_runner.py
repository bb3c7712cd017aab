"""A design study running behind the window: points off the UI thread, stored on it.

The points run on a :class:`~cellwright.app.studies.threaded.ThreadedBackend` (whose thread waits on
a worker process or on Dask; the tests also hand it an inline backend); a timer on the UI thread
resumes :func:`~cellwright.app.studies.execute.study_steps` whenever an outcome is ready, so each
finished point is stored in the project by the thread that owns it, the progress is told as points
finish, and Cancel stops the running point at its next progress check (finished points are kept;
the study resumes from the Study menu or with ``cellwright study resume``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore

from cellwright.app.studies.backends import StudyInterrupted
from cellwright.app.studies.execute import StudyProgress, study_steps
from cellwright.app.studies.threaded import ThreadedBackend
from cellwright.projects.model import DesignStudy, InputError

__all__ = ["DesignStudyRunner"]

POLL_MS = 50


class DesignStudyRunner(QtCore.QObject):
    """Runs one design study; emits ``progressed`` after each point and ``ended`` once.

    ``ended`` carries the outcome: ``"done"``, ``"cancelled"`` or ``"failed"``, with a message.
    """

    progressed = QtCore.Signal(object)  # StudyProgress
    ended = QtCore.Signal(str, str)  # state, message

    def __init__(
        self, project, study: DesignStudy, make_backend: Callable[[], object], slots: int = 1,
        parent: QtCore.QObject | None = None, fresh: bool = False,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.project, self.study = project, study
        self.backend = ThreadedBackend(make_backend, slots)
        self.progress = StudyProgress(total=0)
        self.state = "running"
        #: a stored study started again from scratch (its old points discarded on start)
        self.fresh = fresh
        self._steps = study_steps(project, study, self.backend, fresh=fresh)
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        """Store the study and its points, queue them, and start polling.

        Raises
        ------
        InputError
            The study is refused before any run (nothing is stored).
        """
        try:
            self.progress = next(self._steps)
        except InputError:
            self.backend.close()
            self.state = "failed"
            raise
        self._timer.start()
        self.progressed.emit(self.progress)

    def cancel(self) -> None:
        """Stop the study; the points finished so far stay stored."""
        if self.state == "running":
            self.backend.cancel()

    @property
    def finished(self) -> bool:
        """True once the study ended (done, cancelled or failed)."""
        return self.state != "running"

    def _poll(self) -> None:
        while self.state == "running":
            if self.backend.in_flight and not self.backend.ready():
                return  # the next point is still running
            try:
                self.progress = next(self._steps)
            except StopIteration:
                self._end("done", f"{self.progress.done} points done, "
                                  f"{self.progress.failed} failed")  # fmt: skip
                return
            except StudyInterrupted as exc:
                cancelled = "(cancelled)" in str(exc)
                self._end("cancelled" if cancelled else "failed", str(exc))
                return
            except Exception as exc:  # a store error: stop, say it, keep what is stored
                self._end("failed", f"{type(exc).__name__}: {exc}")
                return
            self.progressed.emit(self.progress)

    def _end(self, state: str, message: str) -> None:
        self._timer.stop()
        self.state = state
        self.backend.close()
        self.ended.emit(state, message)
