"""``cellwright import`` and ``cellwright labdata …``: cycler data in a project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import (
    LABDATA,
    ProjectArgument,
    ProjectOrOption,
    cli,
    either_project,
    end_progress,
    group,
    show_progress,
)

labdata_cli = group("labdata", "Lab runs stored in a project.", LABDATA)

#: the per-cycle columns ``labdata summary`` prints
SUMMARY_COLUMNS = (
    "cycle",
    "charge_capacity_ah",
    "discharge_capacity_ah",
    "coulombic_efficiency",
    "discharge_energy_wh",
    "energy_efficiency",
    "min_voltage_volt",
    "max_voltage_volt",
)


def _cell(value: float) -> str:
    """One value of the summary table: NaN (a charge-only cycle's efficiency, a column the
    file does not hold) is a dash, as a table writes "none"; the CSV keeps "nan"."""
    return f"{'-':>22}" if value != value else f"{value:>22.6g}"


@cli.command("import", rich_help_panel=LABDATA)
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="cycler files or folders")],
    project: Annotated[Path, typer.Option("--project", "-p", help="project to store the runs in")],
    cell: Annotated[str | None, typer.Option(help="serial number of the cell measured")] = None,
    format: Annotated[str | None, typer.Option(help="force a reader (default: detect)")] = None,
    capacity: Annotated[str | None, typer.Option(help='nominal capacity, e.g. "5 Ah"')] = None,
    mass: Annotated[str | None, typer.Option(help='cell mass, e.g. "69 g"')] = None,
    mapping: Annotated[
        str | None,
        typer.Option(
            help='"auto" to use the proposed column mapping of a layout no vendor profile '
            "knows (printed; used when every required column is found), or a column-mapping "
            "JSON file"
        ),
    ] = None,
) -> None:
    """Import cycler files and folders (instrument detected from content) into a project."""
    from cellwright.projects.labdata.mapper import load_mapping
    from cellwright.projects.labdata.runs import check_import_option, import_paths
    from cellwright.projects.model import InputError
    from cellwright.projects.store import Project

    # named as typed: "nominal_capacity: '5 Ahh' …" left the user to guess the option
    capacity = check_import_option("nominal_capacity", capacity, "--capacity")
    mass = check_import_option("mass", mass, "--mass")
    columns: dict | str | None = None
    if mapping == "auto":
        columns = "auto"
        _print_proposals(paths)
    elif mapping is not None:
        columns = load_mapping(Path(mapping))
    with Project.open(project) as p:
        report = import_paths(
            p,
            paths,
            cell_serial=cell,
            format=format,
            nominal_capacity=capacity,
            mapping=columns,
            mass=mass,
            progress=show_progress,  # a large export parses in chunks; Ctrl-C stores nothing
        )
    end_progress()
    if not (report.imported or report.skipped or report.failed):
        # "0 imported, 0 skipped, 0 failed" and status 0 for a folder with nothing in it
        raise InputError(f"no files to import in {', '.join(str(path) for path in paths)}")
    for line in report.lines():
        typer.echo(line)
    typer.echo(
        f"{len(report.imported)} imported, {len(report.skipped)} skipped, "
        f"{len(report.failed)} failed"
    )
    if report.failed:
        raise typer.Exit(2)


def _print_proposals(paths: list[Path]) -> None:
    """The mapping ``--mapping auto`` will use, per file that no vendor profile knows."""
    from cellwright.projects.labdata import LabDataError, detect_format
    from cellwright.projects.labdata.mapper import AUTO_THRESHOLD, propose_mapping
    from cellwright.projects.labdata.runs import lab_files
    from cellwright.projects.labdata.sniff import sniff_layout

    files, _ = lab_files(paths)
    for path in files:
        try:
            if detect_format(path) != "generic":
                continue
            proposal = propose_mapping(sniff_layout(path).headers)
        except LabDataError:
            continue
        typer.echo(f"mapping  {path}:")
        for line in proposal.lines():
            typer.echo(f"    {line}")
        missing = proposal.missing(AUTO_THRESHOLD)
        if missing:
            typer.echo(f"    not used: no column found for {', '.join(missing)}")


@labdata_cli.command("list")
def labdata_list(project: ProjectArgument = None, project_option: ProjectOrOption = None) -> None:
    """The lab runs in a project."""
    from cellwright.projects.store import Project

    project = either_project(project, project_option)

    with Project.open(project, readonly=True) as p:
        cells = {c.id: c.name for c in p.list("physical_cell")}
        for run in p.list("labrun"):
            typer.echo(
                f"{run.id}\t{run.format:<18}\t{run.rows:>8} rows\t"
                f"{cells.get(run.physical_cell, '-'):<12}\t{run.name}"
            )


@labdata_cli.command("link")
def labdata_link(
    run: Annotated[str, typer.Argument(help="run id or name")],
    battery: Annotated[str, typer.Option(help="serial of the cell the run was measured on")],
    project: Annotated[Path, typer.Option("--project", "-p", help="the project holding the run")],
) -> None:
    """Link a lab run to the physical cell it was measured on (and record it in that cell's
    history); a file imported before the cell was known cannot be imported again for it."""
    from cellwright.projects.passport.records import link_run
    from cellwright.projects.store import Project

    with Project.open(project) as p:
        linked = link_run(p, run, battery)
    if not linked:
        typer.echo(f"{run}: linked to {battery} already")
    for name in linked:
        typer.echo(f"linked {name} to {battery}")


@labdata_cli.command("summary")
def labdata_summary(
    run: Annotated[str, typer.Argument(help="run id or name")],
    project: Annotated[Path, typer.Option("--project", "-p", help="the project holding the run")],
    csv_out: Annotated[Path | None, typer.Option("--csv", help="also write the table here")] = None,
) -> None:
    """Per-cycle summary of a run: capacities, energies, efficiencies, voltages."""
    import csv

    from cellwright.projects.labdata import cycle_summary
    from cellwright.projects.labdata.analysis import require_cycling
    from cellwright.projects.labdata.runs import find_run, load_run
    from cellwright.projects.store import Project
    from cellwright.projects.userfiles import check_writable, writing

    if csv_out is not None:  # before the table: it was printed, then the path refused
        check_writable(csv_out, "summary CSV")
    with Project.open(project, readonly=True) as p:
        found = find_run(p, run)
        table = load_run(p, found.id)
    require_cycling(table)  # a sweep's "efficiency" of 992, an OCV's row of zeros
    summary = cycle_summary(table)
    typer.echo("  ".join(f"{n:>22}" for n in SUMMARY_COLUMNS))
    for i in range(len(summary["cycle"])):
        typer.echo("  ".join(_cell(summary[n][i]) for n in SUMMARY_COLUMNS))
    if csv_out is not None:
        with writing(csv_out, "summary CSV", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(list(summary))
            writer.writerows(zip(*(summary[k].tolist() for k in summary), strict=True))
        typer.echo(f"wrote {csv_out}")
