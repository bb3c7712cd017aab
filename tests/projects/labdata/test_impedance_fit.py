"""Impedance fits: a synthetic spectrum's parameters are recovered; measured spectra fit."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import read_cycler_file
from cellwright.projects.labdata import table as cols
from cellwright.projects.labdata.impedance_fit import fit_impedance
from cellwright.projects.labdata.table import CyclerTable, LabDataError


def test_randles_parameters_are_recovered() -> None:
    """Z = R0 + R1 / (1 + j w R1 C1): analytic spectrum of a series R and an RC pair."""
    f = np.logspace(-2, 5, 60)
    w = 2 * np.pi * f
    r0, r1, c1 = 0.015, 0.030, 0.5
    z = r0 + r1 / (1 + 1j * w * r1 * c1)
    table = CyclerTable(
        {cols.FREQUENCY: f, cols.Z_REAL: z.real, cols.Z_IMAG: z.imag}, {"kind": "impedance"}
    )
    fit = fit_impedance(table, "R0-p(R1,C1)", initial_guess=[0.01, 0.01, 1.0])
    assert fit.parameters["R0"][0] == pytest.approx(r0, rel=1e-4)
    assert fit.parameters["R1"][0] == pytest.approx(r1, rel=1e-4)
    assert fit.parameters["C1"][0] == pytest.approx(c1, rel=1e-4)
    assert fit.relative_rmse < 1e-6


@pytest.mark.parametrize(
    "name",
    [
        "gamry_eis_dta/exampleDataGamry.DTA",
        pytest.param("biologic_mpr/PEIS-0.mpr", marks=pytest.mark.slow),
        "biologic_mpt/exampleDataBioLogic.mpt",
    ],
)
def test_measured_spectra_fit_the_default_circuit(fixtures_dir, name) -> None:
    fit = fit_impedance(read_cycler_file(fixtures_dir / "cycler" / name))
    assert fit.relative_rmse < 0.15
    assert fit.parameters["R0"][1] == "Ohm" and fit.parameters["R0"][0] >= 0


def test_time_series_is_refused(fixtures_dir) -> None:
    with pytest.raises(LabDataError, match="not an impedance spectrum"):
        fit_impedance(read_cycler_file(fixtures_dir / "cycler/maccor/sample_data_maccor.csv"))
