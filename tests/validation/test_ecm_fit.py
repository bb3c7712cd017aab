"""ECM fitted to a PyBaMM DFN HPPC simulation tracks the DFN on a US06 drive cycle.

Criterion (issue: electrochemical engines): voltage RMSE ≤ 20 mV over US06 from 80 % SOC,
Chen2020 (LG M50), isothermal 25 °C, 2 RC pairs.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.api import run_study
from cellwright.engines.electrochem.ecm_fit import _response, fit_pulse
from cellwright.projects.model import CellDesign, DesignSnapshot

LG_M50 = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))


def test_pulse_fit_recovers_known_parameters() -> None:
    truth = np.array([0.02, 0.01, 5.0, 0.015, 300.0])
    t = np.arange(0.0, 2410.0, 1.0)
    data = _response(truth, t, 5.0, 10.0)
    fitted = fit_pulse(t, data, 5.0, 10.0, n_rc=2)
    np.testing.assert_allclose(fitted, truth, rtol=1e-4)


def test_fitted_ecm_tracks_dfn_on_us06() -> None:
    from cellwright.engines.electrochem.ecm_fit import fit_ecm_from_pybamm
    from cellwright.resources import ROOT

    params = fit_ecm_from_pybamm(LG_M50, model="DFN", n_rc=2)
    assert "HPPC" in params.source and params.capacity == pytest.approx(5.1, abs=0.1)
    dfn = run_study(
        "electrochem.pybamm", {"model": "DFN", "drive_cycle": "US06", "initial_soc": 0.8}, LG_M50
    )
    ecm = run_study(
        "electrochem.ecm",
        {
            "parameters": "design",
            "initial_soc": 0.8,
            "profile_file": str(ROOT / "profiles" / "US06.csv"),
            "thermal": "isothermal",
        },
        LG_M50.model_copy(update={"ecm_parameters": params}),
    )
    t = ecm.series["Time [s]"]
    v_dfn = np.interp(t, dfn.series["Time [s]"], dfn.series["Voltage [V]"])
    rmse = np.sqrt(np.mean((ecm.series["Voltage [V]"] - v_dfn) ** 2))
    assert rmse <= 0.020, f"RMSE {1000 * rmse:.1f} mV"


def _known_cell():
    from cellwright.projects.model.ecm import EcmParameters, RCTables

    grid = (2, 2, 3)
    r = lambda v: np.full(grid, v)  # noqa: E731
    return EcmParameters(
        name="known",
        source="test: constant tables",
        capacity=5.0,
        temperature_axis=np.array([288.15, 308.15]),
        current_axis=np.array([-5.0, 5.0]),
        soc_axis=np.array([0.0, 0.5, 1.0]),
        r0=r(0.020),
        rc=[
            RCTables(resistance=r(0.010), capacitance=r(5.0 / 0.010)),
            RCTables(resistance=r(0.015), capacitance=r(300.0 / 0.015)),
        ],
        ocv_soc=np.array([0.0, 1.0]),
        ocv=np.array([3.0, 4.2]),
        entropic_ocv_axis=np.array([2.5, 4.5]),
        entropic_temperature_axis=np.array([250.0, 350.0]),
        entropic=np.zeros((2, 2)),
        lower_voltage=2.5,
        upper_voltage=4.3,
    )


def test_fit_to_a_measured_hppc_recovers_the_cell() -> None:
    """An HPPC 'measured' on a cell of known tables (simulated exactly, 1 s samples)."""
    from cellwright.engines.electrochem.ecm_cells import CellBank
    from cellwright.engines.electrochem.ecm_fit import fit_ecm_from_measurement

    known = _known_cell()
    steps = [(0.0, 1200)]
    for _ in range(4):
        steps += [(5.0, 10), (0.0, 1800), (-5.0, 10), (0.0, 1800), (5.0, 720), (0.0, 1800)]
    current = np.concatenate([np.full(n, i) for i, n in steps])
    bank = CellBank(known, 1, initial_soc=0.9)
    voltage = np.empty(current.size)
    for k, i in enumerate(current):
        voltage[k] = bank.step(np.array([i]), 1.0, 298.15, True).voltage[0]
    time = np.arange(current.size, dtype=float)
    fitted = fit_ecm_from_measurement(time, voltage, current, capacity=5.0, initial_soc=0.9)
    assert fitted.r0[0, 1, 2] == pytest.approx(0.020, rel=0.02)
    fast, slow = fitted.rc
    assert fast.resistance[0, 1, 2] == pytest.approx(0.010, rel=0.05)
    assert (fast.resistance * fast.capacitance)[0, 1, 2] == pytest.approx(5.0, rel=0.1)
    assert slow.resistance[0, 1, 2] == pytest.approx(0.015, rel=0.1)
    mid = fitted.ocv_soc[1]
    assert np.interp(mid, fitted.ocv_soc, fitted.ocv) == pytest.approx(3.0 + 1.2 * mid, abs=2e-3)
