"""ECM fitted to a PyBaMM DFN HPPC simulation tracks the DFN on a US06 drive cycle.

Criterion (issue: electrochemical engines): voltage RMSE ≤ 20 mV over US06 from 80 % SOC,
Chen2020 (LG M50), isothermal 25 °C, 2 RC pairs.
"""

from __future__ import annotations

import numpy as np
import pytest

from engines.api import run_study
from engines.electrochem.ecm_fit import _response, fit_pulse
from projects.model import CellDesign, DesignSnapshot

pytest.importorskip("pybamm")
LG_M50 = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))


def test_pulse_fit_recovers_known_parameters() -> None:
    truth = np.array([0.02, 0.01, 5.0, 0.015, 300.0])
    t = np.arange(0.0, 2410.0, 1.0)
    data = _response(truth, t, 5.0, 10.0)
    fitted = fit_pulse(t, data, 5.0, 10.0, n_rc=2)
    np.testing.assert_allclose(fitted, truth, rtol=1e-4)


def test_fitted_ecm_tracks_dfn_on_us06() -> None:
    from engines.electrochem.ecm_fit import fit_ecm_from_pybamm
    from resources import ROOT

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
