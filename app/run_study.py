"""Running a study file from the command line: resolve the design, run, export, store."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from cellwright.app.jobs import UNEXPECTED, InlineRunner, JobRequest, JobState
from cellwright.app.study_file import StudyFile, matched_to_project, read_study_file
from cellwright.projects.design.design_file import DesignFile
from cellwright.projects.design.resolve import study_snapshot
from cellwright.projects.model import DesignSnapshot, InputError, Result
from cellwright.projects.tomltext import line_of, where

__all__ = ["EngineCrash", "refuse_replacing", "run_study_file"]


class EngineCrash(RuntimeError):
    """An engine failed on a bug of its own; ``details`` holds its traceback."""

    def __init__(self, message: str, details: str) -> None:
        super().__init__(message)
        self.details = details


def run_study_file(
    path: Path,
    project_path: Path | None,
    out: Path | None,
    show: Callable[[float | None, str], None] | None = None,
) -> Result:
    """Validate and run a study file; write results to ``out``; store them in the project."""
    from cellwright.projects.store import Project

    study_file = read_study_file(path)
    study = study_file.study
    if study_file.trigger is not None and project_path is None:
        raise InputError("[trigger] after: a study chained to another needs --project (where "
                         "that study's result is)", str(path))  # fmt: skip
    project = Project.open(project_path) if project_path is not None else None
    try:
        if project is not None:  # the file run again: the project's designs of its names
            ref, designs = matched_to_project(study.design, study_file.designs, project)
            study = study.model_copy(update={"design": ref})
            study_file = replace(study_file, study=study, designs=designs)
        if study_file.trigger is not None:
            study = _chained(study, study_file.trigger, project, path)
        snapshot = _snapshot(study_file, project)
        at = where(study_file.path, line_of(study_file.text, "file", "design"))
        refuse_replacing(study_file.designs, project, at)
        if out is not None:
            # refuse an unwritable output folder before minutes of solving, but only once the
            # design resolves: a study that cannot start leaves no empty folder behind
            from cellwright.app.export import prepare_output_folder

            prepare_output_folder(Path(out))
        request = JobRequest(
            study.engine, study.spec, snapshot, study_id=study.id, title=study.name, workdir=out
        )
        job = InlineRunner().submit(
            request, (lambda e: show(e.fraction, e.message)) if show else None
        )
        if job.state != JobState.DONE:
            if job.error.startswith(UNEXPECTED):
                # an engine bug, not the file: status 1 and the traceback in the log
                raise EngineCrash(job.error.removeprefix(UNEXPECTED), job.details)
            raise InputError(_at_line(job.error, study_file.text), str(path))
        result = job.result
        result.name = result.name or study.name
        if out is not None:
            from cellwright.app.export import export_result

            export_result(result, out)
        if project is not None:
            with project.transaction():
                for design in study_file.designs.designs if study_file.designs else ():
                    project.put(design)  # the design file's designs, as the study saw them
                project.put(study)
                project.put_result(result)
        return result
    finally:
        if project is not None:
            project.close()


def refuse_replacing(designs: DesignFile | None, project, where: str) -> None:
    """A design file's designs are stored beside its study, but never over a different design
    of the project with the same id (the user's edits were replaced without a word), nor under
    a name another design has (refused only when the result was stored, after the solve);
    ``design import --replace`` does the first on purpose.

    Raises
    ------
    InputError
        At ``where`` (the study file's ``[design] file`` line), naming the design.
    """
    if project is None or designs is None:
        return
    from cellwright.projects.model import CellDesign
    from cellwright.projects.store import NotInProjectError
    from cellwright.projects.store.names import name_clash

    for design in designs.designs:
        kind = "cell" if isinstance(design, CellDesign) else "pack"
        clash = name_clash(project, kind, design.id, design.name)
        if clash:  # found now, not when the result is stored after minutes of solving
            raise InputError(f"[design] file: its {kind}: {clash}", where)
        try:
            there = project.get(kind, design.id)
        except NotInProjectError:
            continue
        if there != design:
            raise InputError(
                f"[design] file: its {kind} {design.id!r} differs from the project's "
                f"{kind} of that id ({there.name!r}), which running would replace; give the "
                "file's design another id and name, or import it with `cellwright design import "
                "--replace` first",
                where,
            )


def _at_line(message: str, text: str) -> str:
    """An engine's refusal of ``spec.<field>…`` with the line of that field in the study file
    (the engine sees the spec, not the file)."""
    field = re.match(r"spec\.([A-Za-z_]\w*)", message)
    line = line_of(text, field.group(1), "spec") if field else 0
    return f"line {line}: {message}" if line else message


def _snapshot(study_file: StudyFile, project) -> DesignSnapshot:
    """The study's design: from its design file when it names one, else from the project."""
    designs = study_file.designs
    if designs is None:
        ref = study_file.study.design
        try:
            return study_snapshot(study_file.study, project)
        except InputError as exc:
            # the library or the project does not say which file asked for the design
            line = line_of(study_file.text, ref.kind, "design")
            detail = exc.detail
            if not detail.startswith("[design]"):
                detail = f"[design] {ref.kind}: {detail}"
            raise InputError(detail, where(study_file.path, line)) from None
    from cellwright.projects.design.resolve import design_snapshot, library_for

    if designs.pack is not None and designs.cell is not None:
        return library_for(project).snapshot_for(designs.cell, designs.pack)
    return design_snapshot(designs.pack or designs.cell, project)


def _chained(study, trigger: dict, project, path: Path):
    """The study with its trigger taken from the latest result of the study it follows."""
    from cellwright.app.chains import runaway_spec_after_crush
    from cellwright.projects.store import ProjectError

    where = f"{path}: [trigger]"
    try:
        before = project.find("study", trigger["after"])
    except ProjectError as exc:
        raise InputError(f"{where} after: {exc.detail}") from None
    if before.design != study.design:
        raise InputError(
            f"{where} after: {before.name!r} squeezed {before.design.kind} {before.design.id!r}, "
            f"this study heats {study.design.kind} {study.design.id!r}; chain studies of one cell"
        )
    results = project.results(before.id)
    if not results:
        raise InputError(f"{where} after: {before.name!r} has no result yet; run it first")
    crush = project.get_result(results[0].id)
    spec, note = runaway_spec_after_crush(study.spec, crush, trigger, where)
    notes = f"{study.notes}\n{note}".strip()
    return study.model_copy(update={"spec": spec, "notes": notes})
