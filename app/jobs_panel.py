"""The jobs dock: one row per study or background task with a progress bar, message and Cancel.

Jobs run in worker processes (:class:`cellwright.app.jobs.ProcessRunner`); this panel only polls
their state from a QTimer every 100 ms, so the UI thread never waits on a job. A running job whose
engine sends partial results (a crush study's force–displacement curve) has its headline curve
drawn live under the table: the selected job's, or else the latest running one's. Its axes take
their units from the reach the study states (a crush's force and travel stops), so they do not
change unit while the curve grows.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6 import QtCore, QtWidgets

from cellwright.app.jobs import Job, JobRequest, JobState, ProcessRunner
from cellwright.app.tasks import BackgroundTask
from cellwright.viewers.live_plot import LivePlot

__all__ = ["JobsPanel", "expected_reach"]


def expected_reach(request: JobRequest) -> Mapping[str, float]:
    """Unit -> the magnitude a run is expected to reach, where its study states one: a crush's
    force stop (N) and travel stop (m), its standard's when the spec gives none."""
    if request.engine != "mechanics.crush":
        return {}
    from pydantic import ValidationError

    from cellwright.engines.mechanics.crush_spec import CrushSpec

    try:
        stops = CrushSpec.model_validate(request.spec).preset()
    except (ValidationError, TypeError):  # the engine names what is wrong; the plot guesses
        return {}
    reach = {"N": stops.max_force, "m": stops.max_travel}
    return {unit: value for unit, value in reach.items() if value is not None}


class JobsPanel(QtWidgets.QWidget):
    """Running and finished jobs; emits ``finished(job)`` once per study job (a background
    task is handed to its own ``on_finished`` instead)."""

    finished = QtCore.Signal(object)

    def __init__(
        self, runner: ProcessRunner | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner or ProcessRunner()
        self.runner_factory = None  # set by Preferences: builds the runner for the next job
        self.jobs: list[Job] = []
        self._rows: dict[int, int] = {}
        self._reported: set[int] = set()
        self._reach: dict[int, Mapping[str, float]] = {}
        self.table = QtWidgets.QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Job", "Progress", "Message", ""])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(
            2, QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.live = LivePlot()
        self.live.hide()
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.live)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._on_tick)
        self.timer.start()

    def submit(self, request: JobRequest) -> Job:
        """Start a job in a worker process and show its row."""
        if self.runner_factory is not None:
            self.runner, self.runner_factory = self.runner_factory(), None
        job = self.runner.submit(request)
        self._add_row(job, request.title or request.engine)
        return job

    def start_task(self, task: BackgroundTask) -> BackgroundTask:
        """Start the window's own background work (an import, a report) and show its row;
        its ``on_finished`` runs on the UI thread when it ends."""
        self._add_row(task, task.title)
        return task.start()

    def _add_row(self, job: Job | BackgroundTask, title: str) -> None:
        self.jobs.append(job)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._rows[job.id] = row
        self.table.setItem(row, 0, QtWidgets.QTableWidgetItem(title))
        bar = QtWidgets.QProgressBar()
        bar.setRange(0, 1000)
        self.table.setCellWidget(row, 1, bar)
        self.table.setItem(row, 2, QtWidgets.QTableWidgetItem("starting"))
        cancel = QtWidgets.QPushButton("Cancel")
        cancel.clicked.connect(job.cancel)
        self.table.setCellWidget(row, 3, cancel)

    def cancel_button(self, job: Job) -> QtWidgets.QPushButton:
        """The Cancel (or Details) button of a job's row."""
        return self.table.cellWidget(self._rows[job.id], 3)

    def message(self, job: Job) -> str:
        """The message shown for a job."""
        return self.table.item(self._rows[job.id], 2).text()

    def _on_tick(self) -> None:
        for job in self.jobs:
            row = self._rows[job.id]
            bar: QtWidgets.QProgressBar = self.table.cellWidget(row, 1)
            event = job.progress
            if event.fraction is not None:
                bar.setValue(round(1000 * event.fraction))
            if job.finished and job.id not in self._reported:
                self._reported.add(job.id)
                self._show_outcome(job, row, bar)
                if isinstance(job, BackgroundTask):
                    job.deliver()
                else:
                    self.finished.emit(job)
            elif not job.finished:
                self.table.item(row, 2).setText(event.message)
        self._draw_live()

    def live_job(self) -> Job | None:
        """The running job whose partial results are drawn: the selected one, else the latest."""
        running = [j for j in self.jobs if not j.finished and j.progress.partial is not None]
        selected = {self._rows[j.id]: j for j in running}.get(self.table.currentRow())
        return selected or (running[-1] if running else None)

    def _draw_live(self) -> None:
        job = self.live_job()
        if job is None:
            self.live.show_partial(None)
            return
        title = self.table.item(self._rows[job.id], 0).text()
        if job.id not in self._reach:  # once per job, not every tick
            self._reach[job.id] = expected_reach(job.request)
        self.live.show_partial(job.progress.partial, title, self._reach[job.id])

    def _show_outcome(self, job: Job, row: int, bar: QtWidgets.QProgressBar) -> None:
        text = {JobState.DONE: "finished", JobState.CANCELLED: "cancelled"}.get(
            job.state, f"failed: {job.error}"
        )
        self.table.item(row, 2).setText(text)
        if job.state == JobState.DONE:
            bar.setValue(1000)
        button = QtWidgets.QPushButton("Details" if job.details else "Done")
        button.setEnabled(bool(job.details))
        button.clicked.connect(
            lambda: QtWidgets.QMessageBox.information(
                self, "Job details", f"{job.error}\n\n{job.details}"
            )
        )
        self.table.setCellWidget(row, 3, button)
