"""Differential analysis (dQ/dV, dV/dQ) and DC internal resistance from current steps.

dQ/dV: per half cycle, each interval's charge |dQ| is added to the voltage bin its mean
voltage falls in, divided by the bin width, then smoothed with a Gaussian kernel.  This is
the charge-weighted voltage histogram ("probability density function") method of Feng et
al., J. Power Sources 232 (2013) 209-218; it needs no monotonic V(Q), so voltage noise and
relaxation wiggles cannot produce the divide-by-zero spikes of finite-difference dQ/dV, and
it conserves charge: the integral of dQ/dV over V equals the half cycle's capacity.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.labdata import table as t
from cellwright.projects.labdata.analysis import _require_timeseries, interval_charge
from cellwright.projects.labdata.table import CyclerTable, LabDataError


def _half_cycle(table: CyclerTable, cycle: float, direction: str):
    if direction not in ("charge", "discharge"):
        raise LabDataError(f"direction must be 'charge' or 'discharge', got {direction!r}")
    _require_timeseries(table)
    charge, _ = interval_charge(table)
    in_cycle = table[t.CYCLE][1:] == cycle
    sign = 1.0 if direction == "charge" else -1.0
    selected = in_cycle & (sign * charge > 0)
    if not selected.any():
        raise LabDataError(
            f"{table.metadata.get('source', 'table')}: cycle {cycle} has no {direction} data"
        )
    voltage = table[t.VOLTAGE]
    mid_voltage = 0.5 * (voltage[1:] + voltage[:-1])
    return np.abs(charge[selected]), mid_voltage[selected]


def dqdv(
    table: CyclerTable,
    cycle: float,
    *,
    direction: str = "discharge",
    bin_width_v: float = 0.005,
    smoothing_v: float = 0.01,
) -> tuple[np.ndarray, np.ndarray]:
    """Incremental capacity dQ/dV (Ah/V) of one half cycle.

    Parameters
    ----------
    table, cycle
        Time series and the ``cycle_count`` value to analyse.
    direction
        ``"charge"`` or ``"discharge"`` half of the cycle.
    bin_width_v
        Voltage bin width.
    smoothing_v
        Standard deviation of the Gaussian kernel in volts (0 = none).

    Returns
    -------
    voltage, dq_dv
        Bin centres (V) and dQ/dV (Ah/V, positive for both directions).
    """
    from scipy.ndimage import gaussian_filter1d

    dq, volts = _half_cycle(table, cycle, direction)
    finite = np.isfinite(volts)
    dq, volts = dq[finite], volts[finite]
    # Pad by 4 kernel widths so the smoothing cannot push charge off the grid.
    low, high = float(volts.min()) - 4 * smoothing_v, float(volts.max()) + 4 * smoothing_v
    n_bins = max(int(np.ceil((high - low) / bin_width_v)), 1)
    edges = low + bin_width_v * np.arange(n_bins + 1)
    density = np.histogram(volts, bins=edges, weights=dq)[0] / bin_width_v
    if smoothing_v > 0:
        density = gaussian_filter1d(density, smoothing_v / bin_width_v, mode="constant")
    return 0.5 * (edges[1:] + edges[:-1]), density


def dvdq(
    table: CyclerTable,
    cycle: float,
    *,
    direction: str = "discharge",
    bin_width_ah: float | None = None,
    smoothing_bins: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Differential voltage dV/dQ (V/Ah) vs charge passed in the half cycle.

    Q is monotonic within a half cycle, so V is averaged in equal-Q bins (default: 200
    bins), smoothed with a Gaussian kernel of ``smoothing_bins`` bins, and differentiated
    by central differences (Bloom et al., J. Power Sources 139 (2005) 295, DVA).
    """
    from scipy.ndimage import gaussian_filter1d

    dq, volts = _half_cycle(table, cycle, direction)
    charge = np.cumsum(dq)
    width = bin_width_ah or max(charge[-1] / 200.0, 1e-12)
    n_bins = max(int(np.ceil(charge[-1] / width)), 2)
    index = np.minimum((charge / width).astype(int), n_bins - 1)
    counts = np.bincount(index, minlength=n_bins)
    sums = np.bincount(index, weights=volts, minlength=n_bins)
    filled = counts > 0
    centres = (np.arange(n_bins) + 0.5) * width
    mean_v = np.interp(centres, centres[filled], sums[filled] / counts[filled])
    if smoothing_bins > 0:
        mean_v = gaussian_filter1d(mean_v, smoothing_bins, mode="nearest")
    return centres, np.gradient(mean_v, centres)


def internal_resistance(
    table: CyclerTable,
    *,
    delays_s: tuple[float, ...] = (1.0, 10.0),
    min_step_a: float | None = None,
) -> dict[str, np.ndarray]:
    """DC internal resistance R(dt) = (V(t0+dt) - V(t0-)) / (I(t0+) - I(t0-)) at each step.

    A current step is a ``step_count`` change with |dI| >= ``min_step_a`` (default 5 % of
    max|I|).  V(t0-) and I(t0-) are the last sample of the previous step; V(t0+dt) is
    linearly interpolated inside the new step and NaN if the step is shorter than dt
    (the pulse-resistance definition of e.g. the USABC/INL Battery Test Manual, HPPC, and
    IEC 61960-3:2017 Sec. 7.9.3).

    Returns
    -------
    dict with ``time_second`` (step start), ``step_count``, ``delta_current_ampere`` and
    ``resistance_<d>s_ohm`` for each delay.
    """
    _require_timeseries(table)
    time, volt, cur, steps = (
        table[t.TEST_TIME],
        table[t.VOLTAGE],
        table[t.CURRENT],
        table[t.STEP_COUNT],
    )
    scale = float(np.nanmax(np.abs(cur))) if len(cur) else 0.0
    threshold = min_step_a if min_step_a is not None else 0.05 * scale
    starts = np.flatnonzero(np.diff(steps) != 0) + 1
    ends = np.append(starts[1:], len(steps))[: len(starts)]
    rows: list[tuple] = []
    for start, end in zip(starts, ends, strict=True):
        delta_i = cur[start] - cur[start - 1]
        if not abs(delta_i) >= max(threshold, 1e-12):
            continue
        t0 = time[start - 1]  # the step begins after the last sample at the old current
        values = []
        for delay in delays_s:
            seg_t, seg_v = time[start:end], volt[start:end]
            if seg_t[-1] - t0 < delay - 1e-9:
                values.append(np.nan)
                continue
            values.append((np.interp(t0 + delay, seg_t, seg_v) - volt[start - 1]) / delta_i)
        rows.append((time[start], steps[start], delta_i, *values))
    data = np.array(rows, dtype=float).reshape(-1, 3 + len(delays_s))
    out = {"time_second": data[:, 0], "step_count": data[:, 1], "delta_current_ampere": data[:, 2]}
    for k, delay in enumerate(delays_s):
        out[f"resistance_{delay:g}s_ohm"] = data[:, 3 + k]
    return out
