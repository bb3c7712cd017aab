"""Open-circuit voltage from a low-rate cycle.

The pseudo-OCV is the mean of the charge and discharge voltages at the same state of charge:
at a low rate the overpotentials of the two half cycles are close to equal and opposite, so
their average cancels them (Dubarry, Truchot & Liaw, J. Power Sources 219 (2012) 204, §2.2;
Barai et al., J. Power Sources 295 (2015) 99). SOC runs from 0 (end of discharge) to 1 over
the charge passed in each half cycle, so both halves are normalised to their own capacity.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.labdata.differential import _half_cycle
from cellwright.projects.labdata.table import CyclerTable, LabDataError

__all__ = ["ocv_curve"]


def ocv_curve(table: CyclerTable, cycle: float, points: int = 101) -> tuple[np.ndarray, ...]:
    """SOC grid, pseudo-OCV, and the charge and discharge voltages it averages."""
    soc = np.linspace(0.0, 1.0, points)
    curves = []
    for direction in ("charge", "discharge"):
        dq, v = _half_cycle(table, cycle, direction)
        q = np.cumsum(dq)
        if q[-1] <= 0:
            raise LabDataError(f"cycle {cycle} passes no charge on {direction}")
        fraction = q / q[-1]
        # charging raises SOC from 0, discharging lowers it from 1
        level = fraction if direction == "charge" else 1.0 - fraction
        order = np.argsort(level)
        curves.append(np.interp(soc, level[order], v[order]))
    charge_v, discharge_v = curves
    return soc, 0.5 * (charge_v + discharge_v), charge_v, discharge_v
