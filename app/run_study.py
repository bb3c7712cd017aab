"""Running a study file from the command line: resolve the design, run, export, store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cellwright.app.jobs import InlineRunner, JobRequest, JobState
from cellwright.app.study_file import read_study_file
from cellwright.projects.model import DesignKind, DesignSnapshot, InputError, Result, Study

__all__ = ["resolve_snapshot", "run_study_file"]


def resolve_snapshot(study: Study, project=None) -> DesignSnapshot:
    """The design snapshot a study refers to, with the project's library overrides applied."""
    from cellwright.projects.library import Library

    lib = Library.load_builtin()
    if project is not None:
        lib = lib.with_overrides(project.list("material"), project.list("library_cell"))
    ref = study.design
    if ref.kind == DesignKind.LIBRARY_CELL:
        return lib.snapshot_for(lib.design_for_cell(ref.id))
    if project is None:
        raise InputError(f"[design] {ref.kind} = {ref.id!r} refers to the project: give --project")
    if ref.kind == DesignKind.CELL:
        cell, pack = project.find("cell", ref.id), None
    else:
        pack = project.find("pack", ref.id)
        try:
            cell = project.find("cell", pack.cell)
        except InputError:
            cell = lib.design_for_cell(pack.cell)
    ecm = project.get("ecm_parameters", cell.ecm_parameters) if cell.ecm_parameters else None
    return lib.snapshot_for(cell, pack).model_copy(update={"ecm_parameters": ecm})


def run_study_file(
    path: Path,
    project_path: Path | None,
    out: Path | None,
    show: Callable[[float | None, str], None] | None = None,
) -> Result:
    """Validate and run a study file; write results to ``out``; store them in the project."""
    from cellwright.projects.store import Project

    study = read_study_file(path).study
    project = Project.open(project_path) if project_path is not None else None
    try:
        snapshot = resolve_snapshot(study, project)
        request = JobRequest(
            study.engine, study.spec, snapshot, study_id=study.id, title=study.name, workdir=out
        )
        job = InlineRunner().submit(
            request, (lambda e: show(e.fraction, e.message)) if show else None
        )
        if job.state != JobState.DONE:
            raise InputError(job.error, str(path))
        result = job.result
        result.name = result.name or study.name
        if out is not None:
            from cellwright.app.export import export_result

            export_result(result, out)
        if project is not None:
            with project.transaction():
                project.put(study)
                project.put_result(result)
        return result
    finally:
        if project is not None:
            project.close()
