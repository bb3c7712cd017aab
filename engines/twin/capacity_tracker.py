"""Capacity between reference checks: an EKF over cycles that joins in-use cycle capacities and
the reference (capacity-check) measurements.

State (per cycle n): x = [C, r, b] — the capacity a reference check would measure [A.h], its
drift per cycle [A.h/cycle] and the ratio of an in-use cycle's capacity to C (in-use cycles run
at other rates and depths, so they see a fraction b of the reference capacity). An in-use cycle
whose innovation is beyond three standard deviations (an interrupted or partial cycle) is not
used (chi-square gating, Bar-Shalom et al., *Estimation with Applications to Tracking and
Navigation*, 2001, sect. 5.7). Process:
C' = C + r, r' = r, b' = b, each with a random walk. A reference check measures C; an in-use
cycle measures b C (Plett 2004, Part 3's joint EKF, here with cycles as the time step). Before
each check is used, the filter's prediction of it is kept: that is what "the capacity estimated
between reference cycles" is judged on against the next check.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field

from cellwright.projects.model import InputError

__all__ = ["CapacityTrack", "TrackerSettings", "track_capacity"]


class TrackerSettings(BaseModel):
    """Noise of the capacity tracker, relative to the first reference capacity."""

    reference_noise: float = Field(0.002, gt=0, description="check repeatability [1]")
    cycle_noise: float = Field(0.01, gt=0, description="in-use cycle capacity scatter [1]")
    capacity_walk: float = Field(2e-4, ge=0, description="capacity random walk [1/cycle^0.5]")
    drift_walk: float = Field(2e-6, ge=0, description="drift random walk [1/cycle^1.5]")
    ratio_walk: float = Field(2e-3, ge=0, description="in-use ratio random walk [1/cycle^0.5]")


@dataclass(frozen=True)
class CapacityTrack:
    """The tracker's estimate at every cycle and its predictions of each check."""

    cycle: np.ndarray
    capacity: np.ndarray  # posterior [A.h]
    capacity_sd: np.ndarray
    check_cycle: np.ndarray  # cycles of the reference checks after the first
    check_measured: np.ndarray
    check_predicted: np.ndarray  # the estimate just before the check was seen
    check_predicted_sd: np.ndarray

    @property
    def check_errors(self) -> np.ndarray:
        """Relative error of each prediction against the check it preceded."""
        return self.check_predicted / self.check_measured - 1.0


def _scalar_update(x, p, h, y, r):
    s = float(h @ p @ h) + r
    k = p @ h / s
    x = x + k * (y - float(h @ x) if h[2] == 0 else y - x[0] * x[2])
    p = p - np.outer(k, h @ p)
    return x, 0.5 * (p + p.T)


def track_capacity(
    cycle: np.ndarray,
    capacity: np.ndarray,
    is_reference: np.ndarray,
    settings: TrackerSettings | None = None,
) -> CapacityTrack:
    """Run the tracker over cycles in order; NaN or non-positive capacities are skipped.

    Raises
    ------
    InputError
        Without at least two reference checks.
    """
    settings = settings or TrackerSettings()
    cycle = np.asarray(cycle, dtype=float)
    capacity = np.asarray(capacity, dtype=float)
    is_reference = np.asarray(is_reference, dtype=bool)
    ok = np.isfinite(capacity) & (capacity > 0)
    order = np.argsort(cycle, kind="stable")
    cycle, capacity, is_reference, ok = (
        cycle[order],
        capacity[order],
        is_reference[order],
        ok[order],
    )
    refs = np.flatnonzero(is_reference & ok)
    if refs.size < 2:
        raise InputError("capacity tracking needs at least two reference (capacity-check) cycles")
    c0 = capacity[refs[0]]
    first_use = np.flatnonzero(~is_reference & ok & (cycle > cycle[refs[0]]))
    b0 = capacity[first_use[0]] / c0 if first_use.size else 1.0
    x = np.array([c0, 0.0, b0])
    p = np.diag([(settings.reference_noise * c0) ** 2, (1e-4 * c0) ** 2, 0.05**2])
    q = np.array(
        [
            (settings.capacity_walk * c0) ** 2,
            (settings.drift_walk * c0) ** 2,
            settings.ratio_walk**2,
        ]
    )
    f = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    est, sd, checks = np.empty(cycle.size), np.empty(cycle.size), []
    last = cycle[refs[0]]
    for n in range(refs[0], cycle.size):
        steps = cycle[n] - last
        if steps > 0:
            fn = f.copy()
            fn[0, 1] = steps
            x = fn @ x
            p = fn @ p @ fn.T + np.diag(q * steps)
            last = cycle[n]
        if ok[n] and is_reference[n]:
            if n != refs[0]:
                checks.append((cycle[n], capacity[n], x[0], np.sqrt(p[0, 0])))
            r = (settings.reference_noise * c0) ** 2
            x, p = _scalar_update(x, p, np.array([1.0, 0.0, 0.0]), capacity[n], r)
        elif ok[n]:
            r = (settings.cycle_noise * c0) ** 2
            h = np.array([x[2], 0.0, x[0]])
            # innovation gate (3 sigma): an interrupted or partial cycle is not a capacity
            if (capacity[n] - x[0] * x[2]) ** 2 <= 9.0 * (float(h @ p @ h) + r):
                x, p = _scalar_update(x, p, h, capacity[n], r)
        est[n], sd[n] = x[0], np.sqrt(p[0, 0])
    est[: refs[0]], sd[: refs[0]] = np.nan, np.nan
    cc, cm, cp, cs = (np.array(v) for v in zip(*checks, strict=True))
    return CapacityTrack(cycle, est, sd, cc, cm, cp, cs)
