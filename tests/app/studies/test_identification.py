"""Identification in a project: lab runs in, fit stored on the physical cell, copied into the
project's library, and a study of that library cell then runs on the fitted set: the discharge
engine's own curve with it beats the stock set on the measured run, as the fit said it would."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.app.studies.identification import (
    copy_fit_to_library,
    identify_parameters,
    measured_run,
)
from cellwright.engines.api import run_study
from cellwright.projects.design.resolve import study_snapshot
from cellwright.projects.labdata.runs import import_file
from cellwright.projects.model import Study
from cellwright.projects.store import Project
from cellwright.resources import ROOT as RESOURCES

ENERTECH = "enertech-spb58253172p2"
NAMES = ["Negative particle diffusivity [m2.s-1]", "Positive particle diffusivity [m2.s-1]"]


def test_fit_is_stored_on_the_cell_and_a_library_copy_runs_on_it(tmp_path) -> None:
    measured = RESOURCES / "measured" / "enertech_1C_discharge.csv"
    with Project.create(tmp_path / "p.cwproj") as project:
        run = import_file(project, measured, cell_serial="EN-1", design=ENERTECH, mapping="auto")
        fit = identify_parameters(project, "EN-1", [run.id], NAMES)
        cell = project.find("physical_cell", "EN-1")
        assert cell.parameter_fit == fit.id and fit.runs == [run.id]
        assert fit.rmse_fitted < fit.rmse_stock
        curves = project.get_result(fit.result)
        assert set(curves.series) >= {"Time [s]", "Measured voltage [V]", "Fitted voltage [V]"}
        assert curves.study_id == fit.id
        copied = copy_fit_to_library(project, fit.id)
        assert copied.pybamm_parameter_factors == fit.factors()
        assert "fitted to lab runs" in copied.sources["pybamm_parameter_factors"]
        study = Study(name="1C", engine="electrochem.pybamm_discharge",
                      design={"kind": "library_cell", "id": ENERTECH})  # fmt: skip
        fitted = study_snapshot(study, project)
        stock = study_snapshot(study, None)
        _, measured = measured_run(project, run.id)
    from cellwright.engines.electrochem.parameters import parameter_values_for

    assert fitted.reference_cell.pybamm_parameter_factors == fit.factors()
    assert stock.reference_cell.pybamm_parameter_factors == {}
    import pybamm

    for name in NAMES:  # functions of (stoichiometry, temperature) in Ai2020
        at = (pybamm.Scalar(0.5), pybamm.Scalar(298.15))
        ratio = (parameter_values_for(fitted)[name](*at).evaluate()
                 / parameter_values_for(stock)[name](*at).evaluate())  # fmt: skip
        assert float(ratio) == pytest.approx(fit.factors()[name], rel=1e-12)

    def engine_rmse(snapshot) -> float:  # the engine at the run's rate (2.28 A = 1C)
        r = run_study("electrochem.pybamm_discharge", {"model": "SPMe", "c_rate": 1.0}, snapshot)
        simulated = np.interp(measured.time, r.series["Time [s]"], r.series["Voltage [V]"])
        return float(np.sqrt(np.mean((simulated - measured.voltage) ** 2)))

    on_fitted, on_stock = engine_rmse(fitted), engine_rmse(stock)
    assert on_fitted < 0.5 * on_stock, (on_stock, on_fitted)
    # and the engine reproduces what the fit reported (same model, set and current)
    assert on_fitted == pytest.approx(fit.rmse_fitted, rel=0.01)
    assert on_stock == pytest.approx(fit.rmse_stock, rel=0.01)
