"""``cellwright engines`` and ``cellwright run``: the installed engines and study files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import STUDIES, cli, end_progress, show_progress


@cli.command("engines", rich_help_panel=STUDIES)
def engines_command(
    schema: Annotated[bool, typer.Option(help="print each engine's spec JSON Schema")] = False,
) -> None:
    """List the installed engines (a plug-in that cannot load is listed with its error)."""
    from cellwright.engines.api import list_engines, spec_schema

    for engine in list_engines():
        if not engine.available:
            typer.echo(f"{engine.id:<32} unavailable: {engine.error}")
            continue
        typer.echo(f"{engine.id:<32} {engine.title}")
        if schema:
            typer.echo(json.dumps(spec_schema(engine.id), indent=2))


def scalar_lines(scalars: dict[str, float], in_mm: bool = False) -> list[str]:
    """A result's figures as the window's table and the report show them, one a line with the
    unit shown in brackets: "Maximum temperature [°C]  61.85", not "... [K]  335" (the stored
    K stays in the files ``--out`` writes), "Runaway  yes", "Peak force [kN]  20.42", and
    a mechanical study's lengths in mm where ``in_mm`` ("Final displacement [mm]  6.33", not
    "[m]  0.00633": :mod:`cellwright.viewers.result_units`)."""
    from cellwright.viewers.result_units import result_scalars_shown

    lines = []
    for label, shown, unit in result_scalars_shown(scalars, in_mm):
        name = f"{label} [{unit}]" if unit else label
        lines.append(f"{name:<36} {shown if isinstance(shown, str) else shown.text}")
    return lines


@cli.command("run", rich_help_panel=STUDIES)
def run_command(
    study_file: Annotated[Path, typer.Argument(help="study file (TOML), see docs/study-file.md")],
    project: Annotated[
        Path | None, typer.Option("--project", "-p", help="store the study and result here")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="write CSV/JSON/VTU results here")] = None,
) -> None:
    """Run a study file; write its results and store them in the project."""
    from cellwright.app.run_study import run_study_file
    from cellwright.viewers.result_units import lengths_in_mm

    result = run_study_file(study_file, project, out, show_progress)
    end_progress()
    for line in scalar_lines(result.scalars, lengths_in_mm(result)):
        typer.echo(line)
    if result.message:
        typer.echo(f"note: {result.message}")
    # what the engine assumed or substituted (a design estimated from a datasheet, a metal
    # kept elastic, the mesh's quality): on stderr, so the figures above stay parseable
    for warning in result.provenance.warnings:
        typer.echo(f"warning: {warning}", err=True)
