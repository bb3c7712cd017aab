"""Parameter identification on a project's lab data: fit, store on the physical cell, copy into
the project's library.

The measured runs of one physical cell (each starting from full charge) are fitted with
:func:`cellwright.engines.electrochem.identify.fit_pybamm_parameters` on the PyBaMM set of the
cell's design; the fit (factors with 95 % intervals, stock and fitted RMSE) and a result holding
measured, stock and fitted voltage per run are stored in one transaction, and the physical cell
points at the fit. :func:`copy_fit_to_library` puts the factors on the library cell as a project
override, so every later study of that cell in the project runs on the fitted set.
"""

from __future__ import annotations

import contextlib

import numpy as np

from cellwright.projects.model import (
    TIME,
    FittedParameter,
    InputError,
    ParameterFit,
    Provenance,
    Result,
)

__all__ = ["copy_fit_to_library", "identify_parameters", "measured_run"]


def measured_run(project, run_id: str):
    """A stored lab run as the fit reads it (current positive on discharge)."""
    from cellwright.engines.electrochem.identify import MeasuredRun
    from cellwright.projects.labdata import table as cols
    from cellwright.projects.labdata.runs import load_run

    run = project.find("labrun", run_id)
    table = load_run(project, run.id)
    time, voltage = np.asarray(table[cols.TEST_TIME]), np.asarray(table[cols.VOLTAGE])
    current = -np.asarray(table[cols.CURRENT])  # BDF counts charge positive
    keep = np.isfinite(time) & np.isfinite(voltage) & np.isfinite(current)
    if keep.sum() < 10:
        raise InputError(f"lab run {run.name!r} has too few complete time/voltage/current rows")
    time = time[keep] - time[keep][0]
    return run, MeasuredRun(run.name, time, voltage[keep], current[keep])


def _snapshot(project, physical):
    from cellwright.projects.design.resolve import find_design

    if not physical.design:
        raise InputError(f"physical cell {physical.name!r} names no design or library cell; "
                         "set one (cellwright battery …) before fitting")  # fmt: skip
    _design, snapshot = find_design(physical.design, project, prefer="cell")
    if snapshot.parameter_set is None:
        raise InputError(f"{physical.design!r} has no PyBaMM parameter set to fit")
    return snapshot


def identify_parameters(
    project, cell: str, runs: list[str], parameters: list[str], model: str = "SPMe",
    progress=None,
) -> ParameterFit:  # fmt: skip
    """Fit ``parameters`` to the lab ``runs`` of the physical cell ``cell`` and store the fit.

    Raises
    ------
    InputError
        An unknown cell, run or parameter, or a run of another cell.
    """
    from cellwright.engines.electrochem.identify import fit_pybamm_parameters

    physical = project.find("physical_cell", cell)
    loaded = [measured_run(project, r) for r in runs]
    for run, _ in loaded:
        if run.physical_cell and run.physical_cell != physical.id:
            raise InputError(f"lab run {run.name!r} was measured on another cell")
    snapshot = _snapshot(project, physical)
    outcome = fit_pybamm_parameters(snapshot, [m for _, m in loaded], parameters, model, progress)
    result = _curves_result(outcome, physical.name)
    fit = ParameterFit(
        name=f"{physical.name}: {', '.join(p.split(' [')[0] for p in parameters)}",
        physical_cell=physical.id, design=physical.design, base_parameter_set=outcome.base,
        model=model, runs=[r.id for r, _ in loaded],
        parameters=[FittedParameter(name=p.name, factor=p.factor, low=p.low, high=p.high,
                                    stock=p.stock) for p in outcome.parameters],
        rmse_stock=outcome.rmse_stock, rmse_fitted=outcome.rmse_fitted, result=result.id,
    )  # fmt: skip
    result.study_id = fit.id
    with project.transaction():
        project.put_result(result)
        project.put(fit)
        project.put(physical.model_copy(update={"parameter_fit": fit.id}))
    return fit


def _curves_result(outcome, cell_name: str) -> Result:
    """The first run's curves as series; every run's as tables (each its own time axis)."""
    first = next(iter(outcome.curves.values()))
    series = {TIME: first[TIME]}
    series.update({k: np.nan_to_num(v, nan=0.0) for k, v in first.items() if k != TIME})
    tables = {name: {k: np.nan_to_num(v, nan=0.0) for k, v in curves.items()}
              for name, curves in outcome.curves.items()}  # fmt: skip
    return Result(
        name=f"parameter fit of {cell_name} ({outcome.model} on {outcome.base})",
        series=series, tables=tables,
        scalars={"Stock voltage RMSE [V]": outcome.rmse_stock,
                 "Fitted voltage RMSE [V]": outcome.rmse_fitted,
                 "Cost evaluations": float(outcome.evaluations)},
        provenance=Provenance(engine_id="electrochem.identify", engine_version="1.0",
                              spec_hash=""),
    )  # fmt: skip


def copy_fit_to_library(project, fit_id: str):
    """Put a fit's factors on its library cell as a project override; return that cell."""
    from cellwright.projects.design.resolve import library_for

    fit = project.find("parameter_fit", fit_id)
    library = library_for(project)
    ref_id = fit.design
    with contextlib.suppress(InputError):
        ref_id = project.find("cell", fit.design).reference_cell or ""
    if not ref_id:
        raise InputError(f"fit {fit.name!r}: its design has no library cell to copy onto")
    cell = library.cell(ref_id)
    sources = {
        **cell.sources,
        "pybamm_parameter_factors": (
            f"fitted to lab runs {', '.join(fit.runs)} ({fit.model}, {fit.cost}); project fit "
            f"{fit.id}; voltage RMSE {fit.rmse_stock * 1e3:.1f} -> {fit.rmse_fitted * 1e3:.1f} mV"
        ),
    }
    override = cell.model_copy(update={"pybamm_parameter_factors": fit.factors(),
                                       "sources": sources})  # fmt: skip
    override = type(cell).model_validate(override.model_dump())
    project.put(override)
    return override
