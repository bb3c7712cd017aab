"""The main window's lab data: the import dialog, importing off the UI thread, run viewers."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6 import QtCore, QtWidgets

__all__ = ["LabDataMixin"]


class _ImportSignals(QtCore.QObject):
    progress = QtCore.Signal(float, str)
    finished = QtCore.Signal(object)


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
            self.import_labdata(dialog.paths, **dialog.options())

    def import_labdata(self, paths: list[Path], **options) -> threading.Thread:
        """Import in a worker thread with its own connection to the working copy (WAL lets
        the window keep reading); the tree refreshes when it is done."""
        from cellwright.projects.labdata.runs import import_paths
        from cellwright.projects.store import Project

        if self.project is None:
            self.new_project()
        signals = _ImportSignals(self)
        # bound methods of the window, queued: the worker thread emits, the UI thread runs them
        # (a lambda slot has no receiver object, so PySide would call it in the worker thread
        # and touch the status bar from there: an intermittent crash)
        queued = QtCore.Qt.ConnectionType.QueuedConnection
        signals.progress.connect(self._on_import_progress, queued)
        signals.finished.connect(self._on_labdata_imported, queued)
        path = self.project.path

        def work() -> None:
            with Project.open(path) as project:
                report = import_paths(project, paths, progress=signals.progress.emit, **options)
            signals.finished.emit(report)

        thread = threading.Thread(target=work, daemon=True, name="labdata-import")
        thread.start()
        self._import_thread = thread
        return thread

    def _on_import_progress(self, fraction: float, message: str) -> None:
        self.statusBar().showMessage(f"importing: {message} ({100 * fraction:.0f} %)")

    def _on_labdata_imported(self, report) -> None:
        for line in report.lines():
            self.log_message(line)
        self.statusBar().showMessage(
            f"imported {len(report.imported)} runs, {len(report.failed)} failed", 8000
        )
        self._refresh_tree()
        self._update_title()

    def compare_runs(self, run_ids: list[str]):
        """Discharge capacity against cycle of several runs in one plot."""
        from cellwright.projects.labdata import cycle_summary
        from cellwright.projects.labdata.runs import load_run
        from cellwright.viewers.plot_viewer import PlotViewer

        plot = PlotViewer()
        for run_id in run_ids:
            run = self.project.get("labrun", run_id)
            summary = cycle_summary(load_run(self.project, run_id))
            plot.add_curve(summary["cycle"], summary["discharge_capacity_ah"], run.name)
        plot.plot.setLabel("bottom", "Cycle")
        plot.plot.setLabel("left", "Discharge capacity [A.h]")
        self.tabs.setCurrentIndex(self.tabs.addTab(plot, "Run comparison"))
        return plot

    def _on_compare_runs_triggered(self) -> None:
        ids = [
            i.data(0, QtCore.Qt.ItemDataRole.UserRole)[1]
            for i in self.tree.selectedItems()
            if (i.data(0, QtCore.Qt.ItemDataRole.UserRole) or ("",))[0] == "labrun"
        ]
        if len(ids) >= 2:
            self.compare_runs(ids)
        else:
            self.statusBar().showMessage("select two or more lab runs in the tree", 5000)

    def open_labrun(self, run_id: str):
        """A tab with the run's curves, cycle statistics, dQ/dV and summary."""
        from cellwright.projects.labdata.runs import load_run
        from cellwright.viewers.labdata_viewer import LabDataViewer

        run = self.project.get("labrun", run_id)
        viewer = LabDataViewer(load_run(self.project, run_id), run.name)
        self.tabs.setCurrentIndex(self.tabs.addTab(viewer, run.name))
        return viewer
