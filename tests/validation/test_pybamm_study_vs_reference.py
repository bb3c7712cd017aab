"""electrochem.pybamm against PyBaMM itself and against measured Enertech discharges.

Measured data: Enertech 2.28 A.h LCO/graphite pouch, 0.5/1/2C discharges (Ai et al. 2020,
J. Electrochem. Soc. 167 013512; shipped with PyBaMM 23.5, ../shared/fixtures/validation).
Parameters: PyBaMM's Ai2020 set exactly as shipped (no fitting), DFN with lumped thermal model,
ambient 298.15 K. Criteria (issue: electrochemical engines): voltage RMSE ≤ 60 mV and
temperature-rise RMSE ≤ 1 K.
"""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from cellwright.engines.api import run_study
from cellwright.projects.model import CellDesign, DesignSnapshot

CHEN = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))
ENERTECH = DesignSnapshot(cell=CellDesign(name="Enertech", pybamm_parameter_set="Ai2020"))
STEPS = [
    "Discharge at 1C until 3.2 V",
    "Rest for 20 minutes",
    "Charge at 0.5C until 4.1 V",
    "Hold at 4.1 V until C/20",
]


def test_experiment_equals_raw_pybamm() -> None:
    ours = run_study("electrochem.pybamm", {"model": "SPMe", "experiment": STEPS}, CHEN)
    sim = pybamm.Simulation(
        # the engine asks PyBaMM to integrate the throughput energy (its two extra states move
        # the adaptive steps: the C/20 end of the hold came 0.9 s later without them)
        pybamm.lithium_ion.SPMe(
            options={"thermal": "isothermal", "calculate discharge energy": "true"}
        ),
        parameter_values=pybamm.ParameterValues("Chen2020"),
        experiment=pybamm.Experiment([tuple(STEPS)]),
        solver=pybamm.IDAKLUSolver(),
    )
    ref = sim.solve()
    t = ours.series["Time [s]"]
    assert t[-1] == pytest.approx(ref.t[-1], rel=1e-6)
    v_ref = np.interp(t, ref.t, ref["Voltage [V]"].entries)
    assert np.max(np.abs(ours.series["Voltage [V]"] - v_ref)) <= 1e-3
    cycle = ours.tables["cycles"]
    discharged = ref.cycles[0]["Discharge capacity [A.h]"].entries
    assert cycle["Discharge capacity [A.h]"][0] == pytest.approx(discharged.max(), rel=1e-3)


def _enertech(fixtures_dir, c_rate: str) -> tuple[float, float]:
    folder = fixtures_dir / "validation/pybamm-23.5/Enertech_cells"
    measured_v = np.loadtxt(folder / f"{c_rate}C_discharge_U.txt")
    measured_t = np.loadtxt(folder / f"{c_rate}C_discharge_T.txt")
    r = run_study(
        "electrochem.pybamm",
        {"model": "DFN", "thermal": "lumped", "c_rate": float(c_rate)},
        ENERTECH,
    )
    t, v = r.series["Time [s]"], r.series["Voltage [V]"]
    rise = r.series["Cell temperature [K]"] - r.series["Cell temperature [K]"][0]
    inside = measured_v[:, 0] <= t[-1]
    rmse_v = np.sqrt(np.mean((np.interp(measured_v[inside, 0], t, v) - measured_v[inside, 1]) ** 2))
    inside_t = measured_t[:, 0] <= t[-1]
    rmse_t = np.sqrt(
        np.mean((np.interp(measured_t[inside_t, 0], t, rise) - measured_t[inside_t, 1]) ** 2)
    )
    return rmse_v, rmse_t


def test_enertech_1c_discharge_against_measurement(fixtures_dir) -> None:
    rmse_v, rmse_t = _enertech(fixtures_dir, "1")
    assert rmse_v <= 0.060 and rmse_t <= 1.0, (rmse_v, rmse_t)


@pytest.mark.slow
@pytest.mark.parametrize("c_rate", ["0.5", "2"])
def test_enertech_other_rates_against_measurement(fixtures_dir, c_rate) -> None:
    rmse_v, rmse_t = _enertech(fixtures_dir, c_rate)
    assert rmse_v <= 0.060 and rmse_t <= 1.0, (rmse_v, rmse_t)
