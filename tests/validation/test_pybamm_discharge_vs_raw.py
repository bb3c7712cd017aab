"""electrochem.pybamm_discharge equals PyBaMM called directly (same model, set, solver).

The reference is the plain PyBaMM script a user would write: ``pybamm.Simulation`` of the
model on ``ParameterValues("Chen2020")`` (LG M50, Chen et al. 2020, J. Electrochem. Soc. 167
080534) with the current set as a number, solved by IDAKLU to the voltage cut-off.
"""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from cellwright.engines.api import run_study
from cellwright.projects.model import CellDesign, DesignSnapshot

LG_M50 = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))


def _raw(model_name: str, c_rate: float, thermal: str = "isothermal"):
    values = pybamm.ParameterValues("Chen2020")
    values["Current function [A]"] = c_rate * values["Nominal cell capacity [A.h]"]
    model = getattr(pybamm.lithium_ion, model_name)(options={"thermal": thermal})
    sim = pybamm.Simulation(model, parameter_values=values, solver=pybamm.IDAKLUSolver())
    return sim.solve([0, 3600 / c_rate * 1.2 + 600])


@pytest.mark.parametrize(
    ("model", "thermal"), [("DFN", "isothermal"), ("SPM", "isothermal"), ("SPMe", "lumped")]
)
def test_voltage_curve_equals_raw_pybamm(model, thermal) -> None:
    ours = run_study(
        "electrochem.pybamm_discharge", {"model": model, "c_rate": 1, "thermal": thermal}, LG_M50
    )
    ref = _raw(model, 1.0, thermal)
    t = ours.series["Time [s]"]
    assert t[-1] == pytest.approx(ref.t[-1], rel=1e-4)  # same cut-off time
    common = t[t <= min(t[-1], ref.t[-1])]
    v_ref = np.interp(common, ref.t, ref["Voltage [V]"].entries)
    v_ours = np.interp(common, t, ours.series["Voltage [V]"])
    assert np.max(np.abs(v_ours - v_ref)) <= 1e-3  # 1 mV
    assert ours.scalars["Discharge capacity [A.h]"] == pytest.approx(
        ref["Discharge capacity [A.h]"].entries[-1], rel=1e-4
    )
    if thermal != "isothermal":
        temp = ours.series["Cell temperature [K]"]
        assert temp[-1] > temp[0] + 1.0  # a 1C discharge heats the cell
        temp_ref = np.interp(common, ref.t, ref["Volume-averaged cell temperature [K]"].entries)
        assert np.max(np.abs(np.interp(common, t, temp) - temp_ref)) < 0.01
