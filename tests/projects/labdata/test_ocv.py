"""Pseudo-OCV from a low-rate cycle: a symmetric overpotential cancels exactly."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import table as cols
from cellwright.projects.labdata.ocv import ocv_curve
from cellwright.projects.labdata.table import CyclerTable


def _ocv(soc):
    return 3.0 + 1.2 * soc - 0.15 * np.sin(3 * np.pi * soc)


def test_symmetric_overpotential_cancels() -> None:
    n = 2000
    soc_up = np.linspace(0, 1, n)
    soc_down = np.linspace(1, 0, n)
    eta = 0.02  # V, the same magnitude on charge and discharge (C/20)
    voltage = np.concatenate([_ocv(soc_up) + eta, _ocv(soc_down) - eta])
    current = np.concatenate([np.full(n, 0.25), np.full(n, -0.25)])
    time = np.arange(2 * n) * 36.0
    table = CyclerTable(
        {
            cols.TEST_TIME: time,
            cols.VOLTAGE: voltage,
            cols.CURRENT: current,
            cols.CYCLE: np.ones(2 * n),
        }
    )
    soc, ocv, up, down = ocv_curve(table, 1.0)
    inner = (soc > 0.02) & (soc < 0.98)
    assert np.max(np.abs(ocv[inner] - _ocv(soc[inner]))) < 2e-3
    assert np.mean(up[inner] - down[inner]) == pytest.approx(2 * eta, abs=2e-3)
