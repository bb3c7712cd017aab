"""The joint EKF recovers a simulated cell's state and capacity.

Reference: a cell simulated by the ECM engine's own kernels (PyBaMM's ECM_Example tables,
100 A.h) whose capacity fades linearly while it is driven by random pulses, rests and CC
recharges, read through a 5 mV voltage sensor and a current sensor with 0.5 % of C noise. The
filter starts 7 % high on capacity and 10 % off on SOC. Required (issue 18): capacity within
1 %, SOC within 2 % RMS.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.twin.ekf import EkfSettings, run_ekf
from support.twin_sim import simulate_fast


@pytest.fixture(scope="module")
def params():
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    return ecm_parameters_from_pybamm("ECM_Example")


def _check(params, hours: float, fade: tuple[float, float], seed: int):
    sim = simulate_fast(params, int(hours * 3600), fade, seed=seed)
    res = run_ekf(
        params,
        sim.time,
        sim.current,
        sim.voltage,
        sim.temperature,
        EkfSettings(out_every=10),
        initial_soc=sim.soc[0] - 0.1,
    )
    soc_rms = float(np.sqrt(np.mean((res.soc - sim.soc[::10]) ** 2)))
    capacity_error = res.capacity[-1] / sim.capacity[-1] - 1.0
    return soc_rms, capacity_error, res


@pytest.mark.parametrize("seed", [0, 1])
def test_capacity_and_soc_over_half_a_day(params, seed):
    soc_rms, capacity_error, res = _check(params, 12, (0.93, 0.92), seed)
    assert soc_rms < 0.02
    assert abs(capacity_error) < 0.01
    assert res.rms_residual < 0.0075  # the 5 mV sensor noise, not model error


@pytest.mark.slow
def test_capacity_tracks_a_month_of_fade(params):
    soc_rms, capacity_error, _ = _check(params, 24 * 30, (0.95, 0.90), 7)
    assert soc_rms < 0.02
    assert abs(capacity_error) < 0.01
