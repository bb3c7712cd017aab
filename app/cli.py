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
design_cli = typer.Typer(no_args_is_help=True, help="Cell and pack designs: figures and meshes.")
cli.add_typer(design_cli, name="design")


def _err(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


# -- projects ---------------------------------------------------------------------------------
@cli.command("new")
def new_command(
    project: Annotated[Path, typer.Argument(help="path of the new .cwproj file")],
    name: Annotated[str | None, typer.Option(help="project name (default: file name)")] = None,
) -> None:
    """Create a new, empty project file."""
    from cellwright.projects.store import Project

    if project.suffix != ".cwproj":
        project = project.with_suffix(".cwproj")
    Project.create(project, name=name).close()
    typer.echo(f"created {project}")


@cli.command("results")
def results_command(project: Annotated[Path, typer.Argument(help="a .cwproj file")]) -> None:
    """List the results stored in a project."""
    from cellwright.projects.store import Project

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
    from cellwright.projects.library import Library

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
    from cellwright.projects.library import Library
    from cellwright.projects.model import InputError

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
    from cellwright.projects.library import Library
    from cellwright.projects.model import Material

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
    from cellwright.engines.api import available_engines, load_engine, spec_schema

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
    from cellwright.app.run_study import run_study_file

    def show(fraction: float | None, message: str) -> None:
        pct = f"{100 * fraction:5.1f} %" if fraction is not None else "   …   "
        typer.echo(f"\r[{pct}] {message:<60}", err=True, nl=False)

    result = run_study_file(study_file, project, out, show)
    typer.echo("", err=True)
    for name, value in result.scalars.items():
        typer.echo(f"{name:<36} {value:.6g}")
    if result.message:
        typer.echo(f"note: {result.message}")


labdata_cli = typer.Typer(no_args_is_help=True, help="Lab runs stored in a project.")
cli.add_typer(labdata_cli, name="labdata")


@cli.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="cycler files or folders")],
    project: Annotated[Path, typer.Option(help="project to store the runs in")],
    cell: Annotated[str | None, typer.Option(help="serial number of the cell measured")] = None,
    format: Annotated[str | None, typer.Option(help="force a reader (default: detect)")] = None,
    capacity: Annotated[str | None, typer.Option(help='nominal capacity, e.g. "5 Ah"')] = None,
    mass: Annotated[str | None, typer.Option(help='cell mass, e.g. "69 g"')] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="column-mapping JSON for layouts no reader knows")
    ] = None,
) -> None:
    """Import cycler files (any supported instrument, detected from content) into a project."""
    from cellwright.projects.labdata.readers_more import load_mapping
    from cellwright.projects.labdata.runs import import_paths
    from cellwright.projects.store import Project

    columns = load_mapping(mapping) if mapping is not None else None
    with Project.open(project) as p:
        report = import_paths(
            p,
            paths,
            cell_serial=cell,
            format=format,
            nominal_capacity=capacity,
            mapping=columns,
            mass=mass,
        )
    for line in report.lines():
        typer.echo(line)
    typer.echo(
        f"{len(report.imported)} imported, {len(report.skipped)} skipped, "
        f"{len(report.failed)} failed"
    )
    if report.failed:
        raise typer.Exit(2)


@labdata_cli.command("list")
def labdata_list(project: Annotated[Path, typer.Argument(help="a .cwproj file")]) -> None:
    """The lab runs in a project."""
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        cells = {c.id: c.name for c in p.list("physical_cell")}
        for run in p.list("labrun"):
            typer.echo(
                f"{run.id}\t{run.format:<18}\t{run.rows:>8} rows\t"
                f"{cells.get(run.physical_cell, '-'):<12}\t{run.name}"
            )


@labdata_cli.command("summary")
def labdata_summary(
    run: Annotated[str, typer.Argument(help="run id or name")],
    project: Annotated[Path, typer.Option(help="the project holding the run")],
    csv_out: Annotated[Path | None, typer.Option("--csv", help="also write the table here")] = None,
) -> None:
    """Per-cycle summary of a run: capacities, energies, efficiencies, voltages."""
    import csv

    from cellwright.projects.labdata import cycle_summary
    from cellwright.projects.labdata.runs import load_run
    from cellwright.projects.store import Project

    with Project.open(project, readonly=True) as p:
        found = p.find("labrun", run)
        summary = cycle_summary(load_run(p, found.id))
    names = [
        "cycle",
        "charge_capacity_ah",
        "discharge_capacity_ah",
        "coulombic_efficiency",
        "discharge_energy_wh",
        "energy_efficiency",
        "min_voltage_volt",
        "max_voltage_volt",
    ]
    typer.echo("  ".join(f"{n:>22}" for n in names))
    for i in range(len(summary["cycle"])):
        typer.echo("  ".join(f"{summary[n][i]:>22.6g}" for n in names))
    if csv_out is not None:
        with csv_out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(list(summary))
            writer.writerows(zip(*(summary[k].tolist() for k in summary), strict=True))
        typer.echo(f"wrote {csv_out}")


ecm_cli = typer.Typer(no_args_is_help=True, help="Equivalent-circuit parameters.")
cli.add_typer(ecm_cli, name="ecm")


@ecm_cli.command("fit")
def ecm_fit_command(
    project: Annotated[Path, typer.Option(help="project holding the cell design")],
    cell: Annotated[str, typer.Option(help="cell design id or name (or a library cell id)")],
    model: Annotated[str, typer.Option(help="PyBaMM model simulated: SPM, SPMe or DFN")] = "DFN",
    rc_pairs: Annotated[int, typer.Option(min=1, max=3, help="number of RC pairs")] = 2,
    run: Annotated[
        str | None, typer.Option(help="fit to this measured HPPC lab run instead of PyBaMM")
    ] = None,
    initial_soc: Annotated[float, typer.Option(help="SOC at the start of the run")] = 1.0,
) -> None:
    """Fit ECM tables to an HPPC (simulated with PyBaMM, or a measured lab run) and store
    them with the cell."""
    from cellwright.projects.library import Library
    from cellwright.projects.model import InputError
    from cellwright.projects.store import Project

    lib = Library.load_builtin()
    with Project.open(project) as p:
        try:
            design = p.find("cell", cell)
        except InputError:
            design = lib.design_for_cell(cell)
        if run is None:
            from cellwright.engines.electrochem.ecm_fit import fit_ecm_from_pybamm

            typer.echo(f"simulating HPPC with {model} on {design.name} and fitting …", err=True)
            params = fit_ecm_from_pybamm(lib.snapshot_for(design), model=model, n_rc=rc_pairs)
        else:
            params = _fit_measured(p, run, initial_soc, rc_pairs)
        with p.transaction():
            p.put(params)
            p.put(design.model_copy(update={"ecm_parameters": params.id}))
    typer.echo(
        f"stored {params.name} (id {params.id}, capacity {params.capacity:.4g} A.h) "
        f"with cell {design.name}"
    )


def _fit_measured(project, run_name: str, initial_soc: float, rc_pairs: int):
    from cellwright.engines.electrochem.ecm_fit import fit_ecm_from_measurement
    from cellwright.projects.labdata import table as cols
    from cellwright.projects.labdata.runs import load_run
    from cellwright.projects.model import InputError

    run = project.find("labrun", run_name)
    if run.nominal_capacity is None:
        raise InputError(f"lab run {run.name!r} has no nominal capacity; import it with --capacity")
    table = load_run(project, run.id)
    # BDF counts charging current positive; the ECM counts discharge positive
    return fit_ecm_from_measurement(
        table[cols.TEST_TIME],
        table[cols.VOLTAGE],
        -table[cols.CURRENT],
        capacity=run.nominal_capacity,
        initial_soc=initial_soc,
        n_rc=rc_pairs,
        name=run.name,
    )


# -- designs ----------------------------------------------------------------------------------
ProjectOption = Annotated[
    Path | None, typer.Option("--project", "-p", help="project holding the design")
]


def _design_snapshot(design: str, project: Path | None):
    """(design, snapshot) for a cell/pack design of the project, or a library cell id.

    A library cell with an entered reference design (e.g. lg-m50) is shown from that design.
    """
    from cellwright.projects.design.reference_designs import reference_design_for
    from cellwright.projects.library import Library
    from cellwright.projects.model import InputError

    lib = Library.load_builtin()
    if project is not None:
        from cellwright.projects.store import Project

        with Project.open(project, readonly=True) as p:
            lib = lib.with_overrides(p.list("material"), p.list("library_cell"))
            for kind in ("cell", "pack"):
                try:
                    obj = p.find(kind, design)
                except InputError:
                    continue
                if kind == "cell":
                    return obj, lib.snapshot_for(obj)
                try:
                    cell = p.find("cell", obj.cell)
                except InputError:
                    cell = reference_design_for(obj.cell) or lib.design_for_cell(obj.cell)
                return obj, lib.snapshot_for(cell, obj)
    cell = reference_design_for(design)
    if cell is not None:
        from cellwright.projects.design.reference_designs import reference_snapshot

        return cell, reference_snapshot(cell, lib)
    cell = lib.design_for_cell(design)  # raises naming the library's cells
    return cell, lib.snapshot_for(cell)


@design_cli.command("show")
def design_show(
    design: Annotated[str, typer.Argument(help="design id or name, or a library cell id")],
    project: ProjectOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Print the derived figures and warnings of a cell or pack design."""
    from cellwright.projects.design import design_report, design_warnings

    obj, snapshot = _design_snapshot(design, project)
    report = design_report(obj, snapshot)
    warnings = design_warnings(obj, snapshot)
    if as_json:
        data = {name: {"value": v, "unit": u} for name, (v, u) in report.items()}
        typer.echo(json.dumps({"design": obj.name, "figures": data, "warnings": warnings}))
        return
    typer.echo(obj.name)
    width = max(len(n) for n in report)
    for name, (value, unit) in report.items():
        typer.echo(f"  {name:<{width}}  {value:>12.4g} {unit}")
    for warning in warnings:
        typer.echo(f"  warning: {warning}")


@design_cli.command("mesh")
def design_mesh(
    design: Annotated[str, typer.Argument(help="design id or name, or a library cell id")],
    out: Annotated[Path, typer.Option("--out", "-o", help=".vtu, .xdmf or .msh file")],
    project: ProjectOption = None,
    size: Annotated[float | None, typer.Option(help="element size [m]")] = None,
) -> None:
    """Mesh a cell or pack design with gmsh and write it (regions as cell sets) for ParaView."""
    import meshio

    from cellwright.engines.mesh.cells import mesh_cell
    from cellwright.engines.mesh.convert import to_meshio
    from cellwright.engines.mesh.session import MeshSettings
    from cellwright.projects.model import PackDesign

    obj, snapshot = _design_snapshot(design, project)
    settings = MeshSettings(size=size)
    if isinstance(obj, PackDesign):
        from cellwright.engines.mesh.packs import mesh_pack
        from cellwright.projects.design import cell_box, cell_summary_for, pack_layout

        summary, _ = cell_summary_for(snapshot)
        meshed = mesh_pack(pack_layout(obj, cell_box(summary, obj)), obj.name, settings)
    else:
        meshed = mesh_cell(obj, settings)
    meshio.write(out, to_meshio(meshed.mesh))
    typer.echo(f"{out}: {meshed.quality.summary()}")


@cli.command("gui")
def gui_command(
    project: Annotated[Path | None, typer.Argument(help="project to open")] = None,
) -> None:
    """Start the Cellwright window."""
    from cellwright.app.gui_main import main as gui_main

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
        # without standalone mode click returns the code of a typer.Exit instead of raising
        status = cli(args=argv, standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt):
        _err("interrupted")
        return 130
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except Exception as exc:
        import click

        # projects.model is only imported when there is an error to classify: it loads numpy,
        # and `cellwright --help` must stay instant
        from cellwright.projects.model import InputError

        if isinstance(exc, InputError):
            _err(str(exc))
            return 2
        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        _err(f"unexpected failure: {exc} (details in {_log_unexpected(exc)})")
        return 1
    return status if isinstance(status, int) else 0


def entry() -> None:
    """The ``cellwright`` executable."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
