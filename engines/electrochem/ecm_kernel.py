"""Numba kernels of the Thevenin equivalent-circuit model, vectorised over cells.

Model (Plett, *Battery Management Systems* Vol. I, 2015, ch. 2; the same equations as PyBaMM's
``pybamm.equivalent_circuit.Thevenin``, with I > 0 on discharge):

    dz/dt      = -I / (3600 Q)                                  state of charge
    dv_i/dt    = -v_i / (R_i C_i) - I / C_i                     RC overpotentials (< 0 on discharge)
    V          = U(z) + sum_i v_i - R_0 I                       terminal voltage
    Q_irr      = I^2 R_0 - I sum_i v_i                          Joule + polarisation heat
    Q_rev      = -I T dU/dT(U, T)                               entropic heat (Bernardi et al. 1985)
    C_c dT_c/dt = Q_irr + Q_rev - h_cj (T_c - T_j)              lumped cell ...
    C_j dT_j/dt = h_cj (T_c - T_j) - h_ja (T_j - T_amb)          ... and jig, as PyBaMM's ECM

Time stepping holds the current and the table values constant over a step (zero-order hold).
For that input the RC and SOC updates below are the exact solution ("exact discretisation",
Plett eq. 2.8): v_i <- a_i v_i - R_i (1 - a_i) I with a_i = exp(-dt / (R_i C_i)). The two-node
thermal system is advanced with the trapezoidal rule (second order, A-stable).
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = ["advance", "cell_heat", "interp1", "interp2", "interp3", "lookup_rc", "terminal"]


@njit(cache=True, inline="always")
def _locate(axis: np.ndarray, x: float) -> tuple[int, float]:
    """Interval index and fraction; past the ends the end interval extrapolates linearly."""
    n = axis.shape[0]
    if x <= axis[0]:
        i = 0
    elif x >= axis[n - 1]:
        i = n - 2
    else:
        lo, hi = 0, n - 1
        while hi - lo > 1:
            mid = (lo + hi) >> 1
            if axis[mid] <= x:
                lo = mid
            else:
                hi = mid
        i = lo
    return i, (x - axis[i]) / (axis[i + 1] - axis[i])


@njit(cache=True)
def interp1(axis: np.ndarray, values: np.ndarray, x: float) -> float:
    """Linear interpolation with linear extrapolation."""
    i, f = _locate(axis, x)
    return values[i] * (1.0 - f) + values[i + 1] * f


@njit(cache=True)
def interp2(ax0: np.ndarray, ax1: np.ndarray, table: np.ndarray, x0: float, x1: float) -> float:
    """Bilinear interpolation on a regular grid, linear extrapolation past the edges."""
    i, f = _locate(ax0, x0)
    j, g = _locate(ax1, x1)
    return (
        table[i, j] * (1 - f) * (1 - g)
        + table[i + 1, j] * f * (1 - g)
        + table[i, j + 1] * (1 - f) * g
        + table[i + 1, j + 1] * f * g
    )


@njit(cache=True)
def interp3(
    ax0: np.ndarray,
    ax1: np.ndarray,
    ax2: np.ndarray,
    table: np.ndarray,
    x0: float,
    x1: float,
    x2: float,
) -> float:
    """Trilinear interpolation on a regular grid, linear extrapolation past the edges."""
    i, f = _locate(ax0, x0)
    j, g = _locate(ax1, x1)
    k, h = _locate(ax2, x2)
    c00 = table[i, j, k] * (1 - f) + table[i + 1, j, k] * f
    c01 = table[i, j, k + 1] * (1 - f) + table[i + 1, j, k + 1] * f
    c10 = table[i, j + 1, k] * (1 - f) + table[i + 1, j + 1, k] * f
    c11 = table[i, j + 1, k + 1] * (1 - f) + table[i + 1, j + 1, k + 1] * f
    c0 = c00 * (1 - g) + c10 * g
    c1 = c01 * (1 - g) + c11 * g
    return c0 * (1 - h) + c1 * h


@njit(cache=True)
def lookup_rc(
    t_axis, i_axis, s_axis, r_tables, c_tables, temp_c, current, soc, r_scale, out_r, out_c
) -> None:
    """R0..Rn [Ohm] into ``out_r[cell, k]`` and C1..Cn [F] into ``out_c[cell, k]``.

    ``temp_c`` is in the tables' temperature unit; ``r_scale`` multiplies every resistance and
    divides every capacitance (keeping the time constants), for cell-to-cell variation.
    """
    n_cells = soc.shape[0]
    n_r = r_tables.shape[0]
    for c in range(n_cells):
        for k in range(n_r):
            out_r[c, k] = r_scale[c] * interp3(
                t_axis, i_axis, s_axis, r_tables[k], temp_c[c], current[c], soc[c]
            )
        for k in range(n_r - 1):
            out_c[c, k] = (
                interp3(t_axis, i_axis, s_axis, c_tables[k], temp_c[c], current[c], soc[c])
                / r_scale[c]
            )


@njit(cache=True)
def terminal(ocv_soc, ocv, soc, vrc, r, current, out_ocv, out_v) -> None:
    """Open-circuit and terminal voltage of each cell: V = U(z) + sum v_i - R0 I."""
    for c in range(soc.shape[0]):
        u = interp1(ocv_soc, ocv, soc[c])
        out_ocv[c] = u
        v = u - r[c, 0] * current[c]
        for k in range(vrc.shape[1]):
            v += vrc[c, k]
        out_v[c] = v


@njit(cache=True)
def cell_heat(c, i, r, vrc, temp, ocv_v, ent_ocv_axis, ent_t_axis, entropic, t_offset):
    """Irreversible and reversible heat [W] of cell ``c`` carrying current ``i``."""
    sum_v = 0.0
    for k in range(vrc.shape[1]):
        sum_v += vrc[c, k]
    q_irr = i * i * r[c, 0] - i * sum_v
    q_rev = -i * temp * interp2(ent_ocv_axis, ent_t_axis, entropic, ocv_v, temp - t_offset)
    return q_irr, q_rev


@njit(cache=True)
def advance(
    dt,
    current,
    capacity,
    soc,
    vrc,
    r,
    cap,
    temp_cell,
    temp_jig,
    temp_ambient,
    ocv_v,
    ent_ocv_axis,
    ent_t_axis,
    entropic,
    t_offset,
    thermal_mass,
    jig_mass,
    h_cj,
    h_ja,
    isothermal,
    out_heat_irr,
    out_heat_rev,
) -> None:
    """Advance SOC, RC overpotentials and temperatures of every cell by ``dt`` in place.

    Heat [W] over the step is written to ``out_heat_irr`` and ``out_heat_rev``. Temperatures are
    in K; ``t_offset`` converts to the unit of the entropic table (273.15 for degC tables).
    """
    for c in range(soc.shape[0]):
        i = current[c]
        q_irr, q_rev = cell_heat(
            c, i, r, vrc, temp_cell[c], ocv_v[c], ent_ocv_axis, ent_t_axis, entropic, t_offset
        )
        out_heat_irr[c] = q_irr
        out_heat_rev[c] = q_rev
        soc[c] -= i * dt / (3600.0 * capacity[c])
        for k in range(vrc.shape[1]):
            tau = r[c, k + 1] * cap[c, k]
            a = np.exp(-dt / tau)
            vrc[c, k] = a * vrc[c, k] - r[c, k + 1] * (1.0 - a) * i
        if isothermal:
            continue
        # trapezoidal rule on [Tc, Tj]' = A [Tc, Tj] + b, solved as a 2x2 system
        cc, cj = thermal_mass[c], jig_mass[c]
        a11, a12 = -h_cj / cc, h_cj / cc
        a21, a22 = h_cj / cj, -(h_cj + h_ja) / cj
        b1 = (q_irr + q_rev) / cc
        b2 = h_ja * temp_ambient / cj
        x1, x2 = temp_cell[c], temp_jig[c]
        r1 = x1 + 0.5 * dt * (a11 * x1 + a12 * x2) + dt * b1
        r2 = x2 + 0.5 * dt * (a21 * x1 + a22 * x2) + dt * b2
        m11, m12 = 1.0 - 0.5 * dt * a11, -0.5 * dt * a12
        m21, m22 = -0.5 * dt * a21, 1.0 - 0.5 * dt * a22
        det = m11 * m22 - m12 * m21
        temp_cell[c] = (r1 * m22 - m12 * r2) / det
        temp_jig[c] = (m11 * r2 - m21 * r1) / det
