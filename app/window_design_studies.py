"""The main window's design studies: the editor, the study running behind the window with its
progress and Cancel, and the study's tab: its table and plots, its Pareto front (a point opens
as a design) and its sensitivity (computed in the background)."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import InputError
from cellwright.viewers.result_units import engine_lengths_in_mm

__all__ = ["DesignStudiesMixin"]


class DesignStudiesMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its project, tree, tabs,
    settings and the Run dialog's design choices)."""

    design_study_runners: list
    study_views: dict

    def make_design_study_dialog(self):
        """The design-study editor for the current project."""
        from cellwright.app.design_study_dialog import DesignStudyDialog
        from cellwright.engines.api import list_engines

        dialog = DesignStudyDialog(self.design_choices(), list_engines(), self)
        dialog.start_on(*self.tree_study_start())
        return dialog

    def show_design_study_dialog(self) -> None:
        """Let the user describe a design study and start it."""
        if self.project is None:
            self.new_project()
        dialog = self.make_design_study_dialog()
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            study = dialog.design_study()
            if study is not None:
                self.start_design_study(study)

    def _study_backend_factory(self):
        """A worker process, or Dask when the preferences say so (never a thread of the
        window's process: a point holds the GIL, and the window would stall)."""
        from cellwright.app.studies.backends import DaskBackend
        from cellwright.app.studies.process_backend import ProcessBackend

        if self.settings.value("jobs/runner", "process") != "dask":
            return ProcessBackend, 1
        address = str(self.settings.value("jobs/dask_address", "") or "").strip() or None
        return (lambda: DaskBackend(address=address, n_workers=2)), 2

    def start_design_study(self, study, make_backend=None, fresh: bool = False):
        """Store ``study`` and run its points behind the window; return the runner (None when
        the study is refused, with the reason shown). ``fresh``: a stored study starts again
        from scratch, its finished points discarded once it is accepted."""
        from cellwright.app.design_study_runner import DesignStudyRunner
        from cellwright.app.studies.execute import discarded_text

        slots = 1
        if make_backend is None:
            make_backend, slots = self._study_backend_factory()
        runner = DesignStudyRunner(self.project, study, make_backend, slots, self, fresh)
        try:
            runner.start()
        except InputError as exc:
            self.show_error("Cannot run the design study", str(exc))
            return None
        self.design_study_runners.append(runner)
        runner.dialog = self._study_progress_dialog(runner)
        runner.progressed.connect(lambda progress: self._on_study_progressed(runner, progress))
        runner.ended.connect(lambda state, text: self._on_study_ended(runner, state, text))
        self._refresh_tree()
        self.log_message(f"started design study {study.name} ({runner.progress.total} points)")
        if fresh:
            self.log_message(discarded_text(study, runner.progress))
            self._update_title()
            if study.id in self.study_views:  # its sensitivity went with the old points
                self.study_views[study.id].show_sensitivity({})
        if runner.progress.note:
            self.log_message(runner.progress.note)
        self.open_design_study(study.id)
        return runner

    def _study_progress_dialog(self, runner) -> QtWidgets.QProgressDialog:
        dialog = QtWidgets.QProgressDialog(
            f"{runner.study.name}: starting", "Cancel", 0, max(runner.progress.total, 1), self
        )
        dialog.setWindowTitle("Design study")
        dialog.setWindowModality(QtCore.Qt.WindowModality.NonModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(runner.cancel)
        dialog.show()
        return dialog

    def _on_study_progressed(self, runner, progress) -> None:
        runner.dialog.setMaximum(max(progress.total, 1))
        runner.dialog.setValue(progress.finished)
        runner.dialog.setLabelText(
            f"{runner.study.name}: {progress.finished} of {progress.total} points "
            f"({progress.failed} failed)"
        )
        self._fill_study_view(runner.study.id)

    def _on_study_ended(self, runner, state: str, text: str) -> None:
        runner.dialog.reset()
        runner.dialog.hide()
        self.design_study_runners.remove(runner)
        self._refresh_tree()
        self._update_title()
        self._fill_study_view(runner.study.id)
        self.log_message(f"design study {runner.study.name} {state}: {text}")
        if state == "failed":
            self.statusBar().showMessage(f"{runner.study.name} stopped: {text}", 10000)
        if state == "done" and runner.study.sensitivity and runner.study.id in self.study_views:
            self.compute_study_sensitivity(runner.study.id)

    def cancel_design_studies(self) -> None:
        """Stop every running design study (the window closes, the project is closed)."""
        for runner in list(self.design_study_runners):
            runner.cancel()
            runner._end("cancelled", "the window closed")

    def open_design_study(self, study_id: str) -> QtWidgets.QWidget:
        """Show a design study's points in a tab (kept up to date while it runs)."""
        study = self.project.get("design_study", study_id)
        view = self.study_views.get(study_id)
        if view is None or self.tabs.indexOf(view) < 0:
            view = self._new_study_view(study)
            self.study_views[study_id] = view
            self.tabs.addTab(view, study.name)
        self._fill_study_view(study_id)
        self.tabs.setCurrentWidget(view)
        return view

    def _new_study_view(self, study) -> QtWidgets.QWidget:
        """A study's tab, wired to the window: open a point's run or design, resume, compute
        the sensitivity (shown at once when the project holds it)."""
        from cellwright.app.studies.insight import load_sensitivity
        from cellwright.viewers.study_view import StudyView

        study_id = study.id
        view = StudyView()
        view.study_id = study_id
        view.lengths_in_mm = engine_lengths_in_mm(study.engine)
        view.key_outputs = [o.output for o in study.objectives]
        view.key_outputs += [c.output for c in study.constraints
                             if c.output not in view.key_outputs]  # fmt: skip
        view.pareto.open_design_requested.connect(
            lambda row: self.open_point_as_design(study_id, row)
        )
        view.sensitivity.compute_requested.connect(lambda: self.compute_study_sensitivity(study_id))
        view.table.table.doubleClicked.connect(
            lambda index: self._open_study_point(study_id, index.row())
        )
        view.resume_button = QtWidgets.QPushButton("Run the points not done")
        view.resume_button.clicked.connect(lambda: self.resume_design_study(study_id))
        view.fresh_button = QtWidgets.QPushButton("Run again from scratch…")
        view.fresh_button.setToolTip("Discard the study's finished points and run every point "
                                     "again on the base design as it is now")  # fmt: skip
        view.fresh_button.clicked.connect(lambda: self.restart_design_study(study_id))
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(view.resume_button)
        buttons.addWidget(view.fresh_button)
        buttons.addStretch(1)
        view.layout().insertLayout(0, buttons)
        view.show_sensitivity(load_sensitivity(self.project, study))
        return view

    def _fill_study_view(self, study_id: str) -> None:
        from cellwright.app.studies.insight import front_rows
        from cellwright.app.studies.table import study_table

        view = self.study_views.get(study_id)
        if view is None or self.tabs.indexOf(view) < 0 or self.project is None:
            return
        table = study_table(self.project, self.project.get("design_study", study_id))
        view.points = table.points
        running = any(r.study.id == study_id for r in self.design_study_runners)
        view.resume_button.setEnabled(not running and len(table.done()) < len(table.points))
        view.fresh_button.setEnabled(not running and bool(table.points))
        view.show_points(table.input_names, table.output_names,
                         [p.model_dump(mode="json") for p in table.points],
                         table.input_headers())  # fmt: skip
        try:
            front = front_rows(table.study, table.points)
        except InputError as exc:  # an objective the engine does not report: say so, go on
            view.pareto.info.setText(f"No front: {exc}")
            view.tabs.setTabVisible(3, True)
            front = None
        if front is not None:
            texts = [_point_text(p, table.study, view) for p in table.points]
            view.show_front(front.names, front.front, front.feasible, texts, front.values)

    def resume_design_study(self, study_id: str):
        """Run the points of a stored study that are not done (pending or failed)."""
        return self.start_design_study(self.project.get("design_study", study_id))

    def restart_design_study(self, study_id: str):
        """Run a stored study again from scratch on the base design as it is now, once the user
        confirms that its finished points are discarded; return the runner (None when declined
        or refused: the old points are then kept)."""
        study = self.project.get("design_study", study_id)
        finished = sum(p.status in ("done", "failed") for p in self.study_views[study_id].points)
        if not self.confirm_fresh_start(study.name, finished):
            return None
        return self.start_design_study(study, fresh=True)

    def confirm_fresh_start(self, name: str, finished: int) -> bool:
        """Ask before discarding a study's ``finished`` points to run it again from scratch."""
        answer = QtWidgets.QMessageBox.warning(
            self,
            "Run again from scratch",
            f"Discard the {finished} finished points of {name!r} (and their runs) and run every "
            "point again on the base design as it is now?\n\nThis cannot be undone. To keep them, "
            "run the study under a new name instead (Study → Design study…).",
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            QtWidgets.QMessageBox.StandardButton.No,
        )
        return answer == QtWidgets.QMessageBox.StandardButton.Yes

    def _open_study_point(self, study_id: str, row: int) -> None:
        view = self.study_views[study_id]
        point = view.points[row]
        if point.result:
            self.open_result(point.result)
        else:
            self.statusBar().showMessage(f"point {point.index}: {point.error or point.status}")

    def design_study_result_ids(self) -> set[str]:
        """Results that belong to a design study's points (listed in its table, not the tree)."""
        studies = {s.id for s in self.project.list("design_study")}
        return {r.id for r in self.project.results() if r.study_id in studies}

    def open_point_as_design(self, study_id: str, row: int) -> list:
        """Add the design variant(s) of a study's point (its design inputs set) to the project
        and select it; return them (empty when refused, with the reason shown)."""
        from cellwright.app.studies.point_design import designs_from_point

        study = self.project.get("design_study", study_id)
        point = self.study_views[study_id].points[row]
        try:
            designs = designs_from_point(self.project, study, point)
        except InputError as exc:
            self.show_error("Cannot open the point as a design", str(exc))
            return []
        for design in designs:
            self.add_design(design)
        return designs

    def compute_study_sensitivity(self, study_id: str):
        """Fit a surrogate to the study's finished points and compute the Sobol' indices of its
        outputs in the background (jobs dock: progress and Cancel); the tab shows them."""
        from cellwright.app.studies.insight import store_sensitivity, study_sensitivity, what_if
        from cellwright.app.studies.table import study_table
        from cellwright.app.tasks import BackgroundTask

        table = study_table(self.project, self.project.get("design_study", study_id))
        view = self.study_views[study_id]
        view.sensitivity.compute_button.setEnabled(False)
        view.sensitivity.status.setText("computing…")

        def work(report, is_cancelled):
            return study_sensitivity(table.study, table.points, table.output_names, report,
                                     is_cancelled)  # fmt: skip

        def finished(task) -> None:
            view.sensitivity.compute_button.setEnabled(True)
            if task.result and self.project is not None:
                store_sensitivity(self.project, table.study, task.result)
                self._update_title()
                view.show_sensitivity(task.result)
                inputs, predict = what_if(table.study, task.result)
                fitted = len(table.done())
                view.set_surrogate(inputs, predict,
                                   f"Gaussian processes fitted to {fitted} finished points "
                                   "(cross-validated error: Sensitivity tab).")  # fmt: skip
            else:
                view.sensitivity.status.setText(f"not computed: {task.error or task.state}")

        task = BackgroundTask(f"Sensitivity of {table.study.name}", work, finished)
        return self.jobs.start_task(task)


def _point_text(point, study, view) -> str:
    """A point's inputs and objectives, named and scaled as the study's ``view`` (a
    :class:`~cellwright.viewers.study_view.StudyView`) shows them in its table."""
    from cellwright.viewers.study_plots import short_name

    values = ", ".join(
        f"{short_name(k)} = {v:.4g}" if isinstance(v, float) else f"{short_name(k)} = {v}"
        for k, v in view.inputs_as_shown(point.values).items()
    )
    shown = view.as_shown({o.output: point.outputs[o.output] for o in study.objectives
                           if o.output in point.outputs})  # fmt: skip
    goals = ", ".join(f"{name} = {value:.4g}" for name, value in shown.items())
    return f"Point #{point.index}: {values}; {goals}"
