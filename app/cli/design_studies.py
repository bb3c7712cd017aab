"""``cellwright study …``: design studies over many points, inline or on Dask."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import STUDIES, group

study_cli = group(
    "study", "Design studies: sweeps, DoE, optimisation (inline or on Dask).", STUDIES
)

ProjectPath = Annotated[Path, typer.Option("--project", "-p", help="the project (.cwproj)")]
Scheduler = Annotated[
    str | None,
    typer.Option(help="Dask scheduler address, tcp://host:8786 (default: settings, else a "
                 "LocalCluster on this machine)"),
]  # fmt: skip
Workers = Annotated[int, typer.Option(min=1, max=256, help="LocalCluster worker processes")]
Inline = Annotated[bool, typer.Option(help="run the points one by one in this process")]


def _backend(scheduler: str | None, workers: int, inline: bool):
    from cellwright.app.studies.backends import DaskBackend, InlineBackend
    from cellwright.app.studies.settings import scheduler_address

    if inline:
        return InlineBackend()
    address = scheduler_address(scheduler)
    typer.echo(f"starting on {address or f'a LocalCluster of {workers} workers'} …", err=True)
    return DaskBackend(address=address, n_workers=workers)


def _show(progress) -> None:
    point = progress.last
    mark = "done  " if point.status == "done" else "FAILED"
    shown = ", ".join(
        f"{k.split('.')[-1]}={v:.4g}" if isinstance(v, float) else f"{k.split('.')[-1]}={v}"
        for k, v in point.values.items()
    )
    tail = f"  {point.error}" if point.error else ""
    typer.echo(f"[{progress.finished:>4}/{progress.total}] {mark} #{point.index} {shown}{tail}")


def _run_steps(p, study, backend, snapshot, fresh: bool):
    """Run ``study``'s points; a ``fresh`` run first says what it discarded."""
    from cellwright.app.studies.execute import StudyProgress, discarded_text, study_steps

    progress = StudyProgress(total=0)
    for progress in study_steps(p, study, backend, _show, snapshot, fresh=fresh):
        if fresh:  # the first step: the study is stored afresh, no point has finished yet
            typer.echo(discarded_text(study, progress))
            fresh = False
    return progress


def _run(project: Path, study, backend, snapshot=None, designs=None, fresh=False) -> None:
    from cellwright.projects.store import Project

    with Project.open(project) as p:
        if designs is not None:
            with p.transaction():
                for design in designs.designs:
                    p.put(design)
        try:
            progress = _run_steps(p, study, backend, snapshot, fresh)
        finally:
            backend.close()
        if progress.note:
            typer.echo(progress.note, err=True)
        typer.echo(f"{study.name}: {progress.done} done, {progress.failed} failed "
                   f"of {progress.total} points")  # fmt: skip
        for point in progress.failures:
            typer.echo(f"  #{point.index}: {point.error}")
        if study.sensitivity:
            _sensitivity(p, study)


def _sensitivity(p, study) -> None:
    """``[study] sensitivity = true``: the Sobol' indices the window computes when a study
    ends, stored with the study (the window shows them on opening it). The CLI stored the
    flag and computed nothing, without a word."""
    from cellwright.app.studies.insight import store_sensitivity, study_sensitivity
    from cellwright.app.studies.table import study_table
    from cellwright.projects.model import InputError

    table = study_table(p, p.get("design_study", study.id))
    try:
        found = study_sensitivity(table.study, table.points, table.output_names)
    except InputError as exc:
        typer.echo(f"sensitivity: not computed ({exc.detail})")
        return
    store_sensitivity(p, table.study, found)
    typer.echo(f"sensitivity (Sobol' indices on a Gaussian-process surrogate) of {len(found)} "
               "outputs, stored with the study:")  # fmt: skip
    for name, values in found.items():
        top = max(range(len(values["names"])), key=lambda k: values["total"][k])
        typer.echo(f"  {name}: most sensitive to {values['names'][top]} (total index "
                   f"{values['total'][top]:.2f}); surrogate R2 {values['r2']:.2f}")  # fmt: skip


@study_cli.command("run")
def study_run(
    study_file: Annotated[
        Path, typer.Argument(help="design-study file (TOML), see docs/design-studies.md")
    ],
    project: ProjectPath,
    scheduler: Scheduler = None,
    workers: Workers = 2,
    inline: Inline = False,
) -> None:
    """Run a design study: every point a real engine run, stored as it finishes."""
    from cellwright.app.run_study import refuse_replacing
    from cellwright.app.studies.study_file import read_design_study_file
    from cellwright.projects.model import InputError
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        parsed = read_design_study_file(study_file, p)
        for stored in p.list("design_study"):
            if stored.name == parsed.study.name:
                raise InputError(
                    f"the project already has a study named {stored.name!r}; resume it with "
                    f"`cellwright study resume {stored.name!r}` or rename [study] name",
                    str(study_file),
                )
        refuse_replacing(parsed.designs, p, str(study_file))
    backend = _backend(scheduler, workers, inline)
    _run(project, parsed.study, backend, parsed.snapshot, parsed.designs)


def find_study(p, name: str):
    """A stored design study by id or name."""
    return p.find("design_study", name)


@study_cli.command("resume")
def study_resume(
    study: Annotated[str, typer.Argument(help="the study's name or id")],
    project: ProjectPath,
    scheduler: Scheduler = None,
    workers: Workers = 2,
    inline: Inline = False,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="start again from scratch on the base design as it is now: "
            "discard the study's finished points and its stored base-design "
            "fingerprint (after the study is checked; nothing else is deleted)",
        ),
    ] = False,
) -> None:
    """Run the points of a stored study that are not done (failed ones again), or with
    ``--fresh`` all of them again."""
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        stored = find_study(p, study)
    _run(project, stored, _backend(scheduler, workers, inline), fresh=fresh)


@study_cli.command("results")
def study_results(
    study: Annotated[str, typer.Argument(help="the study's name or id")],
    project: ProjectPath,
    csv: Annotated[Path | None, typer.Option(help="write the table to this CSV file")] = None,
) -> None:
    """The results table of a study: inputs and outputs per point, failed points with errors."""
    from cellwright.app.studies.table import study_table
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        table = study_table(p, find_study(p, study))
    if csv is not None:
        from cellwright.projects.userfiles import writing

        with writing(csv, "CSV file", newline="") as fh:
            fh.write(table.to_csv())
        typer.echo(f"wrote {len(table.points)} points to {csv}")
        return
    typer.echo(table.to_csv(), nl=False)


@study_cli.command("list")
def study_list(project: ProjectPath) -> None:
    """The design studies of a project with how many points are done."""
    from cellwright.app.studies.execute import load_points
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        for study in p.list("design_study"):
            points = load_points(p, study)
            done = sum(pt.status == "done" for pt in points)
            failed = sum(pt.status == "failed" for pt in points)
            typer.echo(f"{study.id}\t{study.sampler}\t{done} done, {failed} failed, "
                       f"{len(points) - done - failed} pending\t{study.name}")  # fmt: skip
