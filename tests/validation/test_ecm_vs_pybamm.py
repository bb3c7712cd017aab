"""electrochem.ecm against PyBaMM's own Thevenin model on the same ECM_Example tables.

Reference: ``pybamm.equivalent_circuit.Thevenin`` solved by IDAKLU at tight tolerances. Both
implement Plett (2015) ch. 2 with PyBaMM's lumped cell/jig thermal model; ours holds the current
over each 1 s step (exact for piecewise-constant current), PyBaMM integrates adaptively.
"""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from cellwright.engines.api import run_study
from cellwright.projects.model import CellDesign, DesignSnapshot


@pytest.fixture(scope="module")
def snapshot() -> DesignSnapshot:
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    return DesignSnapshot(
        cell=CellDesign(name="ECM example cell"),
        ecm_parameters=ecm_parameters_from_pybamm("ECM_Example"),
    )


def _pybamm_voltage(times, experiment=None, current=None, soc=0.9):
    pv = pybamm.ParameterValues("ECM_Example")
    pv.update({"Initial SoC": soc})
    if current is not None:
        pv.update({"Current function [A]": current})
    solver = pybamm.IDAKLUSolver(rtol=1e-9, atol=1e-10)
    sim = pybamm.Simulation(
        pybamm.equivalent_circuit.Thevenin(),
        parameter_values=pv,
        solver=solver,
        experiment=experiment,
    )
    sol = sim.solve(t_eval=[0, times[-1]], t_interp=times) if experiment is None else sim.solve()
    return (sol["Voltage [V]"](times), sol["Cell temperature [degC]"](times) + 273.15)


def test_constant_discharge_matches_pybamm(snapshot) -> None:
    result = run_study(
        "electrochem.ecm",
        {"parameters": "design", "current": 100.0, "duration": 3000, "initial_soc": 0.9},
        snapshot,
    )
    t = result.series["Time [s]"]
    v_ref, temp_ref = _pybamm_voltage(t, current=100.0)
    assert np.max(np.abs(result.series["Voltage [V]"] - v_ref)) < 1e-4  # 0.1 mV
    assert np.max(np.abs(result.series["Cell temperature [K]"] - temp_ref)) < 0.01
    assert result.scalars["Discharge capacity [A.h]"] == pytest.approx(100 * 3000 / 3600)


def test_pulse_profile_matches_pybamm(snapshot, tmp_path) -> None:
    # 10 min discharge at 100 A, 10 min rest, 10 min charge at 50 A: piecewise constant
    edges = np.arange(0, 1801)
    current = np.where(edges < 600, 100.0, np.where(edges < 1200, 0.0, -50.0))
    csv = tmp_path / "pulse.csv"
    csv.write_text(
        "Time [s],Current [A]\n"
        + "\n".join(f"{t},{i}" for t, i in zip(edges, current, strict=True))
    )
    result = run_study(
        "electrochem.ecm",
        {"parameters": "design", "profile_file": str(csv), "initial_soc": 0.9},
        snapshot,
    )
    experiment = pybamm.Experiment(
        [
            "Discharge at 100 A for 10 minutes",
            "Rest for 10 minutes",
            "Charge at 50 A for 10 minutes",
        ]
    )
    t = result.series["Time [s]"]
    # compare away from the switching instants, where PyBaMM's experiment steps meet
    inside = (t % 600 > 1) & (t % 600 < 599)
    v_ref, temp_ref = _pybamm_voltage(t, experiment=experiment)
    assert np.max(np.abs(result.series["Voltage [V]"][inside] - v_ref[inside])) < 5e-4
    assert np.max(np.abs(result.series["Cell temperature [K]"] - temp_ref)) < 0.02
