"""``cellwright report``: a design's report (HTML or PDF) from a project, headless."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import DESIGN, cli


@cli.command("report", rich_help_panel=DESIGN)
def report(
    design: Annotated[str, typer.Argument(help="design id or name in the project")],
    project: Annotated[Path, typer.Option("--project", "-p", help="the project (.cwproj)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="report.pdf or report.html")],
    template: Annotated[
        Path | None,
        typer.Option("--template", "-t", help="a template folder or .html.j2 file to use"),
    ] = None,
    study: Annotated[
        list[str] | None,
        typer.Option("--study", "-s", help="a study to include (repeat; default: all of it)"),
    ] = None,
    compare: Annotated[
        list[str] | None,
        typer.Option("--compare", "-c", help="a variant to set beside it (repeat)"),
    ] = None,
    design_studies: Annotated[
        bool,
        typer.Option(
            "--design-studies/--no-design-studies",
            help="include the design's design studies (sweeps, DoEs, optimisations)",
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress lines")] = False,
) -> None:
    """Write the design report: summary, design, cost, studies, lab data, passports, provenance.

    The template is a copy of resources/report (report.html.j2 + report.css); the PDF is the
    same HTML laid out on pages by WeasyPrint.
    """
    from cellwright.app.report import write_report

    def progress(fraction: float, message: str) -> None:
        if not quiet:
            typer.echo(f"[{fraction:4.0%}] {message}", err=True)

    written = write_report(project, design, out, template, study or None, compare or (), progress,
                           design_studies)  # fmt: skip
    typer.echo(str(written))
