"""The main window's studies: the Run dialog, starting jobs, storing what they return."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from cellwright.app.jobs import Job, JobRequest, JobState
from cellwright.projects.model import DesignKind, DesignRef, InputError

__all__ = ["StudiesMixin"]


class StudiesMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its project, tree and
    jobs)."""

    # -- studies ------------------------------------------------------------------------------
    def design_choices(self) -> list[tuple[str, DesignRef]]:
        """Designs a study can run on: the project's cells and packs, then library cells."""
        out: list[tuple[str, DesignRef]] = []
        if self.project is not None:
            out += [
                (f"Cell: {c.name}", DesignRef(kind=DesignKind.CELL, id=c.id))
                for c in self.project.list("cell")
            ]
            out += [
                (f"Pack: {p.name}", DesignRef(kind=DesignKind.PACK, id=p.id))
                for p in self.project.list("pack")
            ]
        if self.library is not None:
            out += [
                (f"Library: {c.name}", DesignRef(kind=DesignKind.LIBRARY_CELL, id=c.id))
                for c in self.library.cells()
            ]
        return out

    def make_run_dialog(self):
        """The Run study dialog for the current project."""
        from cellwright.app.run_dialog import RunStudyDialog
        from cellwright.engines.api import list_engines

        engines = list_engines()
        for broken in (e for e in engines if not e.available):
            self.log_message(f"engine unavailable: {broken.error}")
        dialog = RunStudyDialog(self.design_choices(), engines, self, self.describe_design)
        dialog.start_on(*self.tree_study_start())
        return dialog

    def tree_study_start(self) -> tuple[DesignRef | None, str | None]:
        """The design (and engine) a new study starts on: the design selected in the project
        tree, or a selected study's design and engine; (None, None) when neither is."""
        item = self.tree.currentItem()
        data = item.data(0, QtCore.Qt.ItemDataRole.UserRole) if item is not None else None
        if not data or self.project is None:
            return None, None
        kind, ident = data[0], data[1]
        if kind in ("cell", "pack", "library_cell"):
            return DesignRef(kind=DesignKind(kind), id=ident), None
        if kind == "study":
            try:
                study = self.project.find("study", ident)
            except InputError:  # gone since the tree was drawn
                return None, None
            return study.design, study.engine
        return None, None

    def describe_design(self, ref: DesignRef) -> tuple[str, list[str] | None]:
        """What a study of ``ref`` acts on and the groups of its structural mesh: ("pack",
        groups) for a pack, else ("cell", groups); a design that cannot be laid out yet gives
        no groups (the run says why)."""
        from cellwright.engines.mechanics.setup import (
            cell_structure_groups,
            pack_structure_groups,
        )
        from cellwright.projects.design.resolve import design_snapshot

        target = "pack" if ref.kind == DesignKind.PACK else "cell"
        try:
            if ref.kind == DesignKind.LIBRARY_CELL:
                if self.library is None:
                    return target, None
                snapshot = self.library.snapshot_for(self.library.design_for_cell(ref.id))
            elif self.project is None:
                return target, None
            else:
                snapshot = design_snapshot(self.project.find(target, ref.id), self.project,
                                           self.library)  # fmt: skip
            if target == "pack":
                return target, pack_structure_groups(snapshot)
            return target, cell_structure_groups(snapshot)
        except InputError:
            return target, None

    def show_run_dialog(self) -> None:
        """Let the user describe a study and run it."""
        if self.project is None:
            self.new_project()
        dialog = self.make_run_dialog()
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            study = dialog.study()
            if study is not None:
                self.run_study(study)

    def run_study(self, study) -> Job | None:
        """Store the study and start it in a worker process."""
        from cellwright.projects.design.resolve import study_snapshot

        try:
            snapshot = study_snapshot(study, self.project, self.library)
        except InputError as exc:
            self.show_error("Cannot run the study", str(exc))
            return None
        self.project.put(study)
        self._refresh_tree()
        self._update_title()
        self.log_message(f"started {study.name} ({study.engine})")
        return self.jobs.submit(
            JobRequest(study.engine, study.spec, snapshot, study_id=study.id, title=study.name)
        )

    def _on_job_finished(self, job: Job) -> None:
        title = job.request.title
        if job.state == JobState.DONE and self.project is not None:
            job.result.name = title
            self.project.put_result(job.result)
            self._refresh_tree()
            self._update_title()
            self.open_result(job.result.id)
            self.log_message(f"finished {title} in {job.result.provenance.wall_time:.2f} s")
            for warning in job.result.provenance.warnings:
                self.log_message(f"  {title}: {warning}")
        elif job.state == JobState.CANCELLED:
            self.log_message(f"cancelled {title}; the project is unchanged")
        else:
            self.log_message(f"failed {title}: {job.error}")
            self.statusBar().showMessage(f"{title} failed: {job.error}", 10000)
