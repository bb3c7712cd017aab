"""``cellwright new`` and ``cellwright results``: project files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import PROJECTS, ProjectArgument, ProjectOrOption, cli, either_project


@cli.command("new", rich_help_panel=PROJECTS)
def new_command(
    project: Annotated[Path, typer.Argument(help="path of the new .cwproj file")],
    name: Annotated[str | None, typer.Option(help="project name (default: file name)")] = None,
) -> None:
    """Create a new, empty project file."""
    from cellwright.projects.model import InputError
    from cellwright.projects.store import Project

    # "", "." and ".." name a folder, not a file: with_suffix raised ValueError on the first
    # two (an unexpected failure) and turned ".." into a file called "...cwproj"
    if project.name in ("", ".", ".."):
        raise InputError("names a folder; give a file name, e.g. cells.cwproj", str(project))
    if project.suffix != ".cwproj":
        project = project.with_suffix(".cwproj")
    Project.create(project, name=name).close()
    typer.echo(f"created {project}")


@cli.command("results", rich_help_panel=PROJECTS)
def results_command(
    project: ProjectArgument = None, project_option: ProjectOrOption = None
) -> None:
    """List the results stored in a project."""
    from cellwright.projects.store import Project

    project = either_project(project, project_option)

    with Project.open(project, readonly=True) as p:
        for info in p.results():
            typer.echo(f"{info.id}\t{info.status}\t{info.created_at}\t{info.name}")
