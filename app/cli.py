"""The headless command line, ``cellwright``. No Qt here (import-linter checks it).

Everything heavy is imported inside the commands so that ``cellwright --help`` is instant.
A user error prints one line, ``error: <what and where>``, and exits with status 2; an
unexpected failure prints a short message and the path of a log with the traceback (status 1).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

cli = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Cellwright: lithium-ion cell and pack engineering.",
)
library_cli = typer.Typer(no_args_is_help=True, help="Browse the materials and cell library.")
cli.add_typer(library_cli, name="library")


def _err(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


# -- projects ---------------------------------------------------------------------------------
@cli.command("new")
def new_command(
    project: Annotated[Path, typer.Argument(help="path of the new .cwproj file")],
    name: Annotated[str | None, typer.Option(help="project name (default: file name)")] = None,
) -> None:
    """Create a new, empty project file."""
    from projects.store import Project

    if project.suffix != ".cwproj":
        project = project.with_suffix(".cwproj")
    Project.create(project, name=name).close()
    typer.echo(f"created {project}")


@cli.command("results")
def results_command(project: Annotated[Path, typer.Argument(help="a .cwproj file")]) -> None:
    """List the results stored in a project."""
    from projects.store import Project

    with Project.open(project, readonly=True) as p:
        for info in p.results():
            typer.echo(f"{info.id}\t{info.status}\t{info.created_at}\t{info.name}")


# -- library ----------------------------------------------------------------------------------
@library_cli.command("list")
def library_list(
    material_class: Annotated[
        str | None, typer.Option("--class", help="e.g. cathode_active")
    ] = None,
    chemistry: Annotated[str | None, typer.Option(help="e.g. NMC811")] = None,
    cells: Annotated[bool, typer.Option("--cells", help="list reference cells only")] = False,
    materials: Annotated[bool, typer.Option("--materials", help="list materials only")] = False,
) -> None:
    """List materials and reference cells."""
    from projects.library import Library

    lib = Library.load_builtin()
    if not cells:
        mats = lib.materials(material_class=material_class, chemistry=chemistry)
        typer.echo(f"Materials ({len(mats)})")
        for m in mats:
            typer.echo(f"  {m.id:<24} {m.material_class!s:<20} {m.name}")
    if not materials and material_class is None:
        cell_list = lib.cells(chemistry=chemistry)
        typer.echo(f"Cells ({len(cell_list)})")
        for c in cell_list:
            pset = f"  [PyBaMM {c.pybamm_parameter_set}]" if c.pybamm_parameter_set else ""
            typer.echo(f"  {c.id:<24} {c.format!s:<12} {c.nominal_capacity:g} A.h  {c.name}{pset}")


@library_cli.command("show")
def library_show(entry: Annotated[str, typer.Argument(help="material or cell id")]) -> None:
    """Show every value of a material or cell with its source."""
    from projects.library import Library
    from projects.model import InputError

    lib = Library.load_builtin()
    try:
        m = lib.material(entry)
    except InputError:
        cell = lib.cell(entry)
        typer.echo(f"{cell.name} ({cell.id}) — {cell.format} cell by {cell.manufacturer}")
        for name, value in cell:
            if isinstance(value, float):
                typer.echo(f"  {name:<24} {value:<12g} {cell.sources.get(name, '')}")
        if cell.pybamm_parameter_set:
            typer.echo(f"  PyBaMM parameter set: {cell.pybamm_parameter_set}")
        return
    typer.echo(f"{m.name} ({m.id}) — {m.material_class}, {m.chemistry}")
    for name, prop in m.properties.items():
        typer.echo(f"  {name:<34} {prop.value:<12g} {prop.unit:<10} {prop.source}")


@library_cli.command("search")
def library_search(text: Annotated[str, typer.Argument(help="text to look for")]) -> None:
    """Search materials and cells by id, name, class or chemistry."""
    from projects.library import Library
    from projects.model import Material

    hits = Library.load_builtin().search(text)
    for hit in hits:
        kind = "material" if isinstance(hit, Material) else "cell"
        typer.echo(f"{kind:<9} {hit.id:<24} {hit.name}")
    if not hits:
        typer.echo(f"nothing matches {text!r}")


# -- engines and studies ----------------------------------------------------------------------
@cli.command("engines")
def engines_command(
    schema: Annotated[bool, typer.Option(help="print each engine's spec JSON Schema")] = False,
) -> None:
    """List the installed engines."""
    from engines.api import available_engines, load_engine, spec_schema

    for engine_id in available_engines():
        typer.echo(f"{engine_id:<32} {load_engine(engine_id).title}")
        if schema:
            typer.echo(json.dumps(spec_schema(engine_id), indent=2))


@cli.command("run")
def run_command(
    study_file: Annotated[Path, typer.Argument(help="study file (TOML), see docs/study-file.md")],
    project: Annotated[Path | None, typer.Option(help="store the study and result here")] = None,
    out: Annotated[Path | None, typer.Option(help="write CSV/JSON/VTU results here")] = None,
) -> None:
    """Run a study file; write its results and store them in the project."""
    from app.run_study import run_study_file

    def show(fraction: float | None, message: str) -> None:
        pct = f"{100 * fraction:5.1f} %" if fraction is not None else "   …   "
        typer.echo(f"\r[{pct}] {message:<60}", err=True, nl=False)

    result = run_study_file(study_file, project, out, show)
    typer.echo("", err=True)
    for name, value in result.scalars.items():
        typer.echo(f"{name:<36} {value:.6g}")
    if result.message:
        typer.echo(f"note: {result.message}")


ecm_cli = typer.Typer(no_args_is_help=True, help="Equivalent-circuit parameters.")
cli.add_typer(ecm_cli, name="ecm")


@ecm_cli.command("fit")
def ecm_fit_command(
    project: Annotated[Path, typer.Option(help="project holding the cell design")],
    cell: Annotated[str, typer.Option(help="cell design id or name (or a library cell id)")],
    model: Annotated[str, typer.Option(help="PyBaMM model simulated: SPM, SPMe or DFN")] = "DFN",
    rc_pairs: Annotated[int, typer.Option(min=1, max=3, help="number of RC pairs")] = 2,
) -> None:
    """Fit ECM tables to a PyBaMM HPPC simulation of a cell and store them with the cell."""
    from engines.electrochem.ecm_fit import fit_ecm_from_pybamm
    from projects.library import Library
    from projects.model import InputError
    from projects.store import Project

    lib = Library.load_builtin()
    with Project.open(project) as p:
        try:
            design = p.find("cell", cell)
        except InputError:
            design = lib.design_for_cell(cell)
        typer.echo(f"simulating HPPC with {model} on {design.name} and fitting …", err=True)
        params = fit_ecm_from_pybamm(lib.snapshot_for(design), model=model, n_rc=rc_pairs)
        with p.transaction():
            p.put(params)
            p.put(design.model_copy(update={"ecm_parameters": params.id}))
    typer.echo(
        f"stored {params.name} (id {params.id}, capacity {params.capacity:.4g} A.h) "
        f"with cell {design.name}"
    )


@cli.command("gui")
def gui_command(
    project: Annotated[Path | None, typer.Argument(help="project to open")] = None,
) -> None:
    """Start the Cellwright window."""
    from app.gui_main import main as gui_main

    raise typer.Exit(gui_main([str(project)] if project else []))


def _log_unexpected(exc: BaseException) -> Path:
    import tempfile
    import traceback

    log = Path(tempfile.gettempdir()) / "cellwright-error.log"
    log.write_text("".join(traceback.format_exception(exc)))
    return log


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit status."""
    try:
        cli(args=argv, standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt):
        _err("interrupted")
        return 130
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except Exception as exc:
        import click

        # projects.model is only imported when there is an error to classify: it loads numpy,
        # and `cellwright --help` must stay instant
        from projects.model import InputError

        if isinstance(exc, InputError):
            _err(str(exc))
            return 2
        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        _err(f"unexpected failure: {exc} (details in {_log_unexpected(exc)})")
        return 1
    return 0


def entry() -> None:
    """The ``cellwright`` executable."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
