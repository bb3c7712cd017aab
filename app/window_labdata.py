"""The main window's lab data: the import dialog, importing off the UI thread, run viewers."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6 import QtCore, QtWidgets

from cellwright.app.jobs import JobState

if TYPE_CHECKING:
    from cellwright.app.tasks import BackgroundTask

__all__ = ["LabDataMixin"]


class LabDataMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its project, tree and
    tabs)."""

    def _on_import_labdata_triggered(self) -> None:
        paths, _ = QtWidgets.QFileDialog.getOpenFileNames(self, "Import lab data")
        if paths:
            self.show_import_dialog([Path(p) for p in paths])

    def make_import_dialog(self, paths: list[Path]):
        """The import dialog for ``paths`` (files or folders)."""
        from cellwright.app.labdata_import import ImportDialog

        return ImportDialog(paths, self)

    def show_import_dialog(self, paths: list[Path]) -> None:
        """Let the user check the files, then import them in the background."""
        dialog = self.make_import_dialog(paths)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            options = dialog.options()
            if "mapping" in options:
                options["mapped"] = dialog.mapped_paths()
            self.import_labdata(dialog.paths, **options)

    def import_labdata(
        self, paths: list[Path], mapped: list[Path] | None = None, **options
    ) -> BackgroundTask:
        """Import in the background, shown in the jobs dock with progress and Cancel. The
        worker has its own connection to the working copy (WAL lets the window keep reading);
        each file is stored whole or not at all, so a cancel keeps the files already done.

        ``mapped``, when given, are the only files ``options["mapping"]`` is for; the other
        files are read by their detected format."""
        from cellwright.app.tasks import BackgroundTask
        from cellwright.projects.labdata.runs import import_paths
        from cellwright.projects.store import Project

        if self.project is None:
            self.new_project()
        path = self.project.path

        parts = [(paths, options)]
        if mapped is not None and "mapping" in options:
            unmapped = {k: v for k, v in options.items() if k != "mapping"}
            chosen = set(mapped)
            parts = [
                (files, opts)
                for files, opts in (
                    ([p for p in paths if p not in chosen], unmapped),
                    ([p for p in paths if p in chosen], options),
                )
                if files
            ] or [(paths, options)]

        def work(report, is_cancelled):
            out = None
            with Project.open(path) as project:
                for n, (files, opts) in enumerate(parts):
                    done = import_paths(
                        project,
                        files,
                        progress=_part_progress(report, n, len(parts)),
                        cancelled=is_cancelled,
                        **opts,
                    )
                    out = done if out is None else _merged(out, done)
            return out

        names = paths[0].name if len(paths) == 1 else f"{len(paths)} files and folders"
        task = BackgroundTask(f"Import lab data: {names}", work, self._on_labdata_imported)
        return self.jobs.start_task(task)

    def _on_labdata_imported(self, task: BackgroundTask) -> None:
        report = task.result
        if report is None:  # failed before it had a report
            self.log_message(f"lab-data import failed: {task.error}")
            self.statusBar().showMessage(f"lab-data import failed: {task.error}", 10000)
            return
        for line in report.lines():
            self.log_message(line)
        cancelled = " (cancelled)" if task.state == JobState.CANCELLED else ""
        self.statusBar().showMessage(
            f"imported {len(report.imported)} runs, {len(report.failed)} failed{cancelled}", 8000
        )
        self._refresh_tree()
        self._update_title()

    def compare_runs(self, run_ids: list[str]) -> BackgroundTask | None:
        """Discharge capacity against cycle of several runs in one plot.

        The runs are read and their cycle statistics computed in the background (each run as
        long as opening it: the window froze for the lot), shown in the jobs dock with progress
        and Cancel; the "Run comparison" tab opens when they are ready. Runs without cycles
        (impedance spectra) are left out and said so in the status bar; None when no run with
        cycles remains."""
        from cellwright.app.tasks import BackgroundTask
        from cellwright.projects.store import Project

        runs = [self.project.get("labrun", run_id) for run_id in run_ids]
        # an impedance spectrum has no cycles: its cycle summary raised out of the slot
        skipped = [r.name for r in runs if r.kind == "impedance"]
        runs = [r for r in runs if r.kind != "impedance"]
        if skipped:
            self.statusBar().showMessage(
                f"left out of the comparison (impedance, no cycles): {', '.join(skipped)}", 8000
            )
        if not runs:
            return None
        path, wanted = self.project.path, list(zip(_curve_labels(runs), runs, strict=True))

        def work(report, is_cancelled):
            with Project.open(path, readonly=True) as project:
                return _capacities_per_cycle(project, wanted, report, is_cancelled)

        task = BackgroundTask(
            f"Compare lab runs: {len(runs)} runs",
            work,
            lambda t, p=path: self._on_runs_compared(t, p),
        )
        return self.jobs.start_task(task)

    def _on_runs_compared(self, task: BackgroundTask, path) -> None:
        from cellwright.viewers.cycle_axis import CycleAxis
        from cellwright.viewers.labdata_viewer import capacity_unit, label_capacity_axis
        from cellwright.viewers.plot_viewer import PlotViewer

        if task.state == JobState.CANCELLED:
            return
        if task.state != JobState.DONE:  # a damaged run: say which, as opening one does
            self.show_error("Cannot compare the runs", task.error)
            return
        if self.project is None or self.project.path != path:  # closed while it read
            return
        plot = PlotViewer(x_axis=CycleAxis("bottom"))
        for label, cycle, capacity in task.result:
            plot.add_curve(cycle, capacity, label)
        plot.plot.setLabel("bottom", "Cycle")
        # one unit for all the runs, as a run's own pages choose it (mA.h for coin cells)
        every = [capacity for _, _, capacity in task.result]
        label_capacity_axis(plot, *capacity_unit(np.concatenate(every)))
        self.tabs.setCurrentIndex(self.tabs.addTab(plot, "Run comparison"))

    def _on_compare_runs_triggered(self) -> None:
        ids = [
            i.data(0, QtCore.Qt.ItemDataRole.UserRole)[1]
            for i in self.tree.selectedItems()
            if (i.data(0, QtCore.Qt.ItemDataRole.UserRole) or ("",))[0] == "labrun"
        ]
        if len(ids) >= 2:
            self.compare_runs(ids)  # a damaged run is said when its task ends
        else:
            self.statusBar().showMessage("select two or more lab runs in the tree", 5000)

    def open_labrun(self, run_id: str) -> BackgroundTask | None:
        """A tab with the run's curves, cycle statistics, fade, dQ/dV and summary.

        The run's columns are read and its cycle statistics computed in the background (0.5 s
        for a Landt file, more for a long run: the window froze), shown in the jobs dock with
        progress and Cancel; the tab is built when they are ready. Wait on the returned task
        (then :meth:`labrun_viewer`); None when the run's tab was open already and is shown.
        A run being loaded is not loaded twice: its task is returned again."""
        from cellwright.app.tasks import BackgroundTask
        from cellwright.projects.store import Project

        loading = self._labruns_loading
        if run_id in loading:
            return loading[run_id]
        viewer = self.labrun_viewer(run_id)
        if viewer is not None:
            self.tabs.setCurrentWidget(viewer)
            return None
        run = self.project.get("labrun", run_id)  # an unknown id is said at once
        path = self.project.path

        def work(report, is_cancelled):
            with Project.open(path, readonly=True) as project:
                return _load_for_viewer(project, run_id, report, is_cancelled)

        task = BackgroundTask(
            f"Open lab run: {run.name}",
            work,
            lambda t, r=run_id, name=run.name, p=path: self._on_labrun_loaded(t, r, name, p),
        )
        loading[run_id] = task
        return self.jobs.start_task(task)

    def _on_labrun_loaded(self, task: BackgroundTask, run_id: str, name: str, path) -> None:
        from cellwright.viewers.labdata_viewer import LabDataViewer

        self._labruns_loading.pop(run_id, None)
        if task.state == JobState.CANCELLED:
            return
        if task.state != JobState.DONE:  # a damaged run: say which, keep the window as it is
            self.show_error(f"Cannot open {name}", task.error)
            return
        if self.project is None or self.project.path != path:  # closed while it loaded
            return
        table, summary, fade = task.result
        viewer = LabDataViewer(table, name, summary=summary, fade=fade, run_task=self._run_task)
        viewer.run_id = run_id
        self.tabs.setCurrentIndex(self.tabs.addTab(viewer, name))

    def _run_task(self, title: str, work, on_done) -> BackgroundTask:
        """A viewer's work (a run's dQ/dV) as a task in the jobs dock; ``on_done(result,
        error)`` on the UI thread when it ends (:data:`cellwright.viewers.labdata_dqdv.RunTask`)."""
        from cellwright.app.tasks import BackgroundTask

        def finished(task: BackgroundTask) -> None:
            result = task.result if task.state == JobState.DONE else None
            error = task.error if task.state == JobState.FAILED else ""
            # RuntimeError: the viewer's tab was closed while it computed
            with contextlib.suppress(RuntimeError):
                on_done(result, error)

        return self.jobs.start_task(BackgroundTask(title, work, finished))

    def labrun_viewer(self, run_id: str):
        """The open tab of the run, or None."""
        for index in range(self.tabs.count()):
            if getattr(self.tabs.widget(index), "run_id", None) == run_id:
                return self.tabs.widget(index)
        return None


def _load_for_viewer(project, run_id: str, report, is_cancelled):
    """The run's table and, for a cycled run, its cycle statistics and fade (Qt-free: the
    worker's)."""
    from cellwright.projects.labdata import cycle_summary
    from cellwright.projects.labdata.fade import cycle_fade
    from cellwright.projects.labdata.runs import load_run

    report(None, "reading the stored columns")
    table = load_run(project, run_id)
    if is_cancelled() or table.metadata.get("kind") == "impedance":
        return table, None, None  # a spectrum has no cycles; its circuit fit runs in the viewer
    report(0.5, "cycle statistics")
    summary = cycle_summary(table)
    if is_cancelled():
        return table, summary, None
    report(0.8, "capacity and resistance per cycle")
    return table, summary, cycle_fade(table, summary)


def _capacities_per_cycle(project, wanted: list, report, is_cancelled) -> list[tuple]:
    """``(label, cycle, discharge capacity [A.h])`` of each ``(label, run)`` wanted (Qt-free:
    the worker's); those done so far when cancelled."""
    from cellwright.projects.labdata import cycle_summary
    from cellwright.projects.labdata.runs import load_run

    out = []
    for n, (label, run) in enumerate(wanted):
        if is_cancelled():
            break
        report(n / len(wanted), f"cycle statistics of {run.name}")
        summary = cycle_summary(load_run(project, run.id))
        out.append((label, summary["cycle"], summary["discharge_capacity_ah"]))
    return out


def _curve_labels(runs: list) -> list[str]:
    """A legend label per run, unique: a curve of the same name replaces the one before, so
    test.nda and test.ndax (both runs named "test") showed as one curve. A shared name takes
    the source file's name, and a number when that is shared too."""
    from collections import Counter

    names = Counter(r.name for r in runs)
    labels = [r.name if names[r.name] == 1 else Path(r.source_file).name for r in runs]
    seen: Counter = Counter()
    out = []
    for label in labels:
        seen[label] += 1
        out.append(label if labels.count(label) == 1 else f"{label} ({seen[label]})")
    return out


def _part_progress(report, n: int, total: int):
    """``report`` of one of ``total`` successive imports, as a fraction of them all."""
    return lambda fraction, message: report((n + fraction) / total, message)


def _merged(first, second):
    """Two import reports as one."""
    first.imported += second.imported
    first.skipped += second.skipped
    first.failed += second.failed
    return first
