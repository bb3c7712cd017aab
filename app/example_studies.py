"""The example project's design studies and parameter fit (issue 20), run by the real engines.

- a two-objective optimisation of the entered LG M50 (optuna TPE, 14 SPMe trials): the energy
  the electrode stack holds per litre against the share of it a 2C discharge delivers — the
  energy–power trade-off of electrode thickness — with the negative electrode
  kept at least 10 % over the positive (N/P ≥ 1.1, against lithium plating); its Pareto front;
- a 16-point Latin hypercube over C-rate and positive coating thickness (SPM) with its
  surrogate: the GP's cross-validated error and the outputs' Sobol' indices, stored;
- PyBaMM's Chen2020-based SPMe fitted to a measured 1C discharge of the Enertech cell
  (resources/measured): both particle diffusivities, with 95 % intervals, stored on the physical
  cell and copied into the project's library.
"""

from __future__ import annotations

from collections.abc import Callable

from cellwright.projects.model import DesignStudy

__all__ = ["add_example_studies", "lhs_study", "optimisation_study"]

ENERTECH, ENERTECH_SERIAL = "enertech-spb58253172p2", "EN-1"
FITTED = ["Negative particle diffusivity [m2.s-1]", "Positive particle diffusivity [m2.s-1]"]


def optimisation_study(design_id: str) -> DesignStudy:
    """Energy density against 2C utilisation of the LG M50's electrode thicknesses."""
    return DesignStudy.model_validate({
        "id": "m50-energy-vs-rate", "name": "LG M50 electrode thickness: energy vs 2C rate",
        "engine": "electrochem.pybamm_discharge", "spec": {"model": "SPMe", "c_rate": 2.0},
        "design": {"kind": "cell", "id": design_id}, "sampler": "tpe", "points": 14, "seed": 1,
        "inputs": [
            {"path": "design.positive.coating_thickness", "low": 55e-6, "high": 80e-6},
            {"path": "design.negative.coating_thickness", "low": 72e-6, "high": 90e-6},
        ],
        "objectives": [{"output": "Energy density [W.h.L-1]", "direction": "maximize"},
                       {"output": "Capacity utilisation [1]", "direction": "maximize"}],
        "constraints": [{"output": "N/P ratio", "min": 1.1}],
        "notes": "Thicker electrodes hold more energy per litre; at 2C less of it comes out "
                 "(SPMe: electrolyte and particle transport; 93.6 % against 92.7 % over this "
                 "range). N/P >= 1.1 against plating.",
    })  # fmt: skip


def lhs_study(design_id: str) -> DesignStudy:
    """A Latin hypercube over C-rate and positive coating thickness, with its sensitivity."""
    return DesignStudy.model_validate({
        "id": "m50-rate-thickness-lhs", "name": "LG M50: C-rate and coating thickness (LHS)",
        "engine": "electrochem.pybamm_discharge", "spec": {"model": "SPM"},
        "design": {"kind": "cell", "id": design_id}, "sampler": "lhs", "points": 16, "seed": 1,
        "inputs": [{"path": "spec.c_rate", "low": 0.5, "high": 2.0},
                   {"path": "design.positive.coating_thickness", "low": 60e-6, "high": 77e-6}],
        "sensitivity": True,
    })  # fmt: skip


def add_example_studies(
    project, design_id: str, report: Callable[[float, str], None] = lambda _f, _m: None
) -> None:
    """Run the studies on ``design_id`` (an entered cell of the project) and the fit."""
    from cellwright.app.studies.backends import InlineBackend
    from cellwright.app.studies.execute import load_points, run_design_study
    from cellwright.app.studies.insight import store_sensitivity, study_sensitivity
    from cellwright.app.studies.table import study_table

    for share, study in ((0.0, optimisation_study(design_id)), (0.5, lhs_study(design_id))):

        def step(progress, share=share, name=study.name) -> None:
            report(share + 0.5 * progress.finished / max(progress.total, 1),
                   f"{name}: {progress.finished} of {progress.total} points")  # fmt: skip

        outcome = run_design_study(project, study, InlineBackend(), step)
        if not outcome.done:
            raise RuntimeError(f"{study.name}: {outcome.failures[0].error}")
    study = lhs_study(design_id)
    table = study_table(project, study)
    found = study_sensitivity(study, load_points(project, study), table.output_names)
    store_sensitivity(project, study, found)


def add_example_fit(project) -> None:
    """A physical Enertech cell with its measured 1C discharge, and SPMe fitted to it."""
    from cellwright.app.studies.identification import copy_fit_to_library, identify_parameters
    from cellwright.projects.labdata.runs import import_file
    from cellwright.resources import ROOT

    measured = ROOT / "measured" / "enertech_1C_discharge.csv"
    run = import_file(project, measured, cell_serial=ENERTECH_SERIAL, design=ENERTECH,
                      mapping="auto")  # fmt: skip
    fit = identify_parameters(project, ENERTECH_SERIAL, [run.id], FITTED, model="SPMe")
    copy_fit_to_library(project, fit.id)
