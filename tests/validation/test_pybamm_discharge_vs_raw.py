"""electrochem.pybamm_discharge equals PyBaMM called directly (same model, set, solver).

The reference is the plain PyBaMM script a user would write: ``pybamm.Simulation`` of the
model on ``ParameterValues("Chen2020")`` (LG M50, Chen et al. 2020, J. Electrochem. Soc. 167
080534) with the current set as a number, solved by IDAKLU to the voltage cut-off, and read
through the solution's own cubic Hermite interpolant (its steps are up to 15 minutes apart near
the end, where a straight line between them misses the knee by tenths of a volt).
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
    v_ref = ref["Voltage [V]"](t=common)
    v_ours = np.interp(common, t, ours.series["Voltage [V]"])
    assert np.max(np.abs(v_ours - v_ref)) <= 1e-3  # 1 mV
    # the series resolves the curve: halfway between two output times a straight line is
    # within 1 mV of PyBaMM's interpolant (IDAKLU's own steps miss by up to 0.1 V)
    middle = 0.5 * (common[1:] + common[:-1])
    halfway = np.interp(middle, t, ours.series["Voltage [V]"])
    assert np.max(np.abs(halfway - ref["Voltage [V]"](t=middle))) <= 1e-3
    dense = np.linspace(0.0, ref.t[-1], 20001)
    energy = np.trapezoid(ref["Terminal power [W]"](t=dense), dense) / 3600.0
    assert ours.scalars["Discharge energy [W.h]"] == pytest.approx(energy, rel=1e-3)
    assert ours.scalars["Discharge capacity [A.h]"] == pytest.approx(
        ref["Discharge capacity [A.h]"].entries[-1], rel=1e-4
    )
    if thermal != "isothermal":
        temp = ours.series["Cell temperature [K]"]
        assert temp[-1] > temp[0] + 1.0  # a 1C discharge heats the cell
        temp_ref = ref["Volume-averaged cell temperature [K]"](t=common)
        assert np.max(np.abs(np.interp(common, t, temp) - temp_ref)) < 0.01
