"""The numba joint EKF against the same filter written with filterpy, sample by sample."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.twin.ekf import EkfSettings, TableModel, _start, run_ekf
from cellwright.projects.model import InputError
from support.filterpy_ekf import run_filterpy
from support.twin_sim import simulate_fast


@pytest.fixture(scope="module")
def params():
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

    return ecm_parameters_from_pybamm("ECM_Example")


def test_numba_filter_matches_filterpy(params):
    sim = simulate_fast(params, 3000, (0.95, 0.95), seed=3)
    model = TableModel.from_parameters(params)
    settings = EkfSettings(out_every=1)
    ours = run_ekf(model, sim.time, sim.current, sim.voltage, None, settings, 0.8, 100.0)
    x0, p0, q = _start(model, settings, 0.8, 100.0)
    ref = run_filterpy(model, sim.time, sim.current, sim.voltage, x0, p0, q,
                       settings.voltage_noise**2)  # fmt: skip
    np.testing.assert_allclose(ours.soc, ref[:, 0], rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.capacity, ref[:, -1], rtol=1e-10)
    np.testing.assert_allclose(ours.resistance_factor, ref[:, -2], rtol=1e-9)


def test_bad_samples_are_refused(params):
    t = np.array([0.0, 1.0, 1.0, 2.0])
    with pytest.raises(InputError, match="sample 2"):
        run_ekf(params, t, np.zeros(4), np.full(4, 3.7))
