"""``cellwright ecm …``: equivalent-circuit parameters fitted to an HPPC."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cellwright.app.cli.root import STUDIES, finite_number, group

ecm_cli = group("ecm", "Equivalent-circuit parameters.", STUDIES)


@ecm_cli.command("fit")
def ecm_fit_command(
    project: Annotated[
        Path, typer.Option("--project", "-p", help="project holding the cell design")
    ],
    cell: Annotated[str, typer.Option(help="cell design id or name (or a library cell id)")],
    model: Annotated[str, typer.Option(help="PyBaMM model simulated: SPM, SPMe or DFN")] = "DFN",
    rc_pairs: Annotated[int, typer.Option(min=1, max=3, help="number of RC pairs")] = 2,
    run: Annotated[
        str | None, typer.Option(help="fit to this measured HPPC lab run instead of PyBaMM")
    ] = None,
    initial_soc: Annotated[
        float | None,
        typer.Option(help="SOC at the start of the --run (default 1)", callback=finite_number),
    ] = None,
) -> None:
    """Fit ECM tables to an HPPC (simulated with PyBaMM, or a measured lab run) and store
    them with the cell."""
    from cellwright.projects.design.resolve import design_snapshot, library_for
    from cellwright.projects.model import InputError
    from cellwright.projects.store import NotInProjectError, Project

    # before any work: a SOC of 2 (or nan) was fitted and stored, and one given without --run
    # was dropped without a word while a simulated HPPC ran for minutes
    if initial_soc is not None and run is None:
        raise InputError("--initial-soc: is the SOC at the start of a measured --run; a "
                         "simulated HPPC starts full")  # fmt: skip
    if initial_soc is not None and not 0 <= initial_soc <= 1:
        raise InputError(f"--initial-soc: a state of charge is between 0 and 1 (got {initial_soc})")

    with Project.open(project) as p:
        try:
            design = p.find("cell", cell)
        except NotInProjectError:
            design = library_for(p).design_for_cell(cell)
            try:  # stored by an earlier fit: that copy, renamed or edited since as it may be
                design = p.get("cell", design.id)
            except NotInProjectError:
                _refuse_name_taken(p, cell, design)  # before the fit: it was refused after it
        if run is None:
            from cellwright.engines.electrochem.ecm_fit import (
                check_hppc_model,
                fit_ecm_from_pybamm,
            )

            check_hppc_model(model, "--model")  # before the "simulating" line, not after it

            typer.echo(f"simulating HPPC with {model} on {design.name} and fitting …", err=True)
            snapshot = design_snapshot(design.model_copy(update={"ecm_parameters": None}), p)
            params = fit_ecm_from_pybamm(snapshot, model=model, n_rc=rc_pairs)
            thermal = ""
        else:
            soc = 1.0 if initial_soc is None else initial_soc
            params, thermal = _fit_measured(p, run, soc, rc_pairs, design)
        with p.transaction():
            p.put(params)
            p.put(design.model_copy(update={"ecm_parameters": params.id}))
    typer.echo(
        f"stored {params.name} (id {params.id}, capacity {params.capacity:.4g} A.h) "
        f"with cell {design.name}"
    )
    if thermal:
        typer.echo(thermal)


def _refuse_name_taken(project, given: str, design) -> None:
    """Refuse fitting the library cell ``given`` when its design, stored with the fit, would
    take a name a cell design of the project has: the fit was made, then refused with "choose
    another name", which ``ecm fit`` has no option for."""
    from cellwright.projects.model import InputError
    from cellwright.projects.store.names import name_clash

    clash = name_clash(project, "cell", design.id, design.name)
    if clash is None:
        return
    others = [i for i in project.ids_named("cell", design.name) if i != design.id]
    how = (
        f"fit that design instead (--cell {others[0]}), or rename it apart first "
        f"(cellwright design rename {others[0]} NEW_NAME)"
        if len(others) == 1
        else "rename the cell design that has the name apart first "
        "(cellwright design rename ID NEW_NAME)"
    )
    clash = clash.removesuffix("; choose another name")
    raise InputError(
        f"--cell {given}: the fit is stored with the library cell as cell design "
        f"{design.name!r} (id {design.id}), but {clash}; {how}",
        str(project.path),
    )


def _fit_measured(project, run_name: str, initial_soc: float, rc_pairs: int, design):
    """The ECM fitted to lab run ``run_name``, and where its thermal values came from."""
    from cellwright.engines.electrochem.ecm_fit import fit_ecm_from_measurement
    from cellwright.projects.labdata import table as cols
    from cellwright.projects.labdata.runs import find_run, load_run
    from cellwright.projects.model import InputError

    run = find_run(project, run_name)
    if run.kind != "timeseries":
        # an impedance spectrum went through the pulse search as if it were a time record
        # ("no HPPC pulses found"), a cycle summary failed on its missing columns
        what = "an impedance spectrum" if run.kind == "impedance" else f"a {run.kind} run"
        raise InputError(
            f"lab run {run.name!r} is {what}, not a time record: an ECM is fitted to the "
            "pulses of a measured HPPC"
        )
    capacity = run.nominal_capacity or _rated_capacity(project, design, run.name)
    table = load_run(project, run.id)
    # BDF counts charging current positive; the ECM counts discharge positive
    fitted = fit_ecm_from_measurement(
        table[cols.TEST_TIME],
        table[cols.VOLTAGE],
        -table[cols.CURRENT],
        capacity=capacity,
        initial_soc=initial_soc,
        n_rc=rc_pairs,
        name=run.name,
    )
    return _with_cell_thermal(project, run, design, fitted)


def _with_cell_thermal(project, run, design, fitted):
    """The fit with the heat capacity and cooling of the measured cell's design, and the line
    saying where they came from: a run knows no heat capacity, and the fit kept ECM_Example's
    1000 J/K cell in a 500 J/K jig. The design of the battery the run is linked to is the
    cell measured; without one, the --cell design."""
    from cellwright.engines.electrochem.ecm_fit import with_design_thermal
    from cellwright.projects.design.resolve import design_snapshot, find_design
    from cellwright.projects.model import InputError

    missed = ""
    if run.physical_cell:
        try:
            battery = project.get("physical_cell", run.physical_cell)
            if battery.design:
                _, snapshot = find_design(battery.design, project, prefer="cell")
                whose = f"the design of cell {battery.name}, which lab run {run.name!r} measured"
                return with_design_thermal(fitted, snapshot, whose)
        except InputError as exc:  # a project's own NotInProjectError among them
            missed = f"; the design of the cell lab run {run.name!r} measured is not known: {exc}"
    try:
        snapshot = design_snapshot(design.model_copy(update={"ecm_parameters": None}), project)
    except InputError as exc:
        return with_design_thermal(fitted, None, no_design=f"cell {design.name!r}: {exc}{missed}")
    return with_design_thermal(fitted, snapshot, f"the --cell design{missed}")


def _rated_capacity(project, design, run_name: str) -> float:
    """The rated capacity of the cell being fitted, for a run imported without one: the run
    cannot be imported again (the same bytes are refused), so asking for --capacity there
    left the user no way on."""
    from cellwright.projects.design.resolve import design_snapshot
    from cellwright.projects.model import InputError
    from cellwright.projects.passport.design_facts import design_facts

    try:
        fact = design_facts(design, design_snapshot(design, project)).get("rated_capacity")
    except (InputError, ValueError, KeyError):
        fact = None
    if fact is None or not float(fact.value) > 0:
        raise InputError(
            f"lab run {run_name!r} has no nominal capacity and cell {design.name!r} gives none; "
            "import the run with --capacity"
        )
    typer.echo(
        f"capacity {float(fact.value):.4g} A.h: the rated capacity of {design.name} (the lab "
        "run has none)",
        err=True,
    )
    return float(fact.value)
