"""The pack time loop in numba: look-up, network solve, state advance, limits, outputs.

One call advances a chunk of time steps so that Python is only re-entered to report progress
and honour cancellation; everything per cell is in compiled loops.
"""

from __future__ import annotations

import numpy as np

from cellwright.engines.electrochem.ecm_kernel import advance, cell_heat, lookup_rc, terminal
from cellwright.engines.electrochem.pack_network import solve_group
from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = ["run_chunk"]


@njit(cache=True)
def run_chunk(
    start,
    stop,
    dt,
    pack_current,
    n_series,
    n_parallel,
    g_rail,
    r_tab,
    r_series,
    opposite,
    # cell bank state (modified in place)
    soc,
    vrc,
    temp_cell,
    temp_jig,
    capacity,
    r_scale,
    i_prev,
    ip_prev,
    r,
    cap,
    # tables
    t_axis_c,
    i_axis,
    s_axis,
    r_tables,
    c_tables,
    ocv_soc,
    ocv,
    ent_ocv,
    ent_t,
    entropic,
    thermal_mass,
    jig_mass,
    h_cj,
    h_ja,
    ambient,
    isothermal,
    # limits and outputs
    v_min,
    v_max,
    i_max,
    every,
    out_pack_v,
    out_cell_i,
    out_cell_v,
    out_cell_soc,
    out_cell_heat,
    out_cell_temp,
):
    """Advance steps ``start``..``stop``; return (next step, limit code, cell index).

    ``i_prev`` (cell currents) and ``ip_prev`` (pack current, 1-element array) carry the last
    step's currents between chunks.

    Limit code 0: none; 1: a cell below ``v_min``; 2: a cell above ``v_max``; 3: a cell current
    above ``i_max`` in magnitude. On a limit, the step that crossed it is recorded and the state
    is left at the start of that step.
    """
    n = soc.shape[0]
    i_est = np.empty(n)
    i_cell = np.empty(n)
    u = np.empty(n)
    ocv_v = np.empty(n)
    g = np.empty(n)
    v_cell = np.empty(n)
    q_irr = np.empty(n)
    q_rev = np.empty(n)
    zero = np.zeros(n)
    for step in range(start, stop):
        ip = pack_current[step]
        # table look-up current: last step's cell current plus an even share of the change in
        # pack current (exact for one cell and for identical cells; never divides by the
        # pack current, which passes through zero on drive cycles)
        for c in range(n):
            i_est[c] = i_prev[c] + (ip - ip_prev[0]) / n_parallel
        lookup_rc(
            t_axis_c,
            i_axis,
            s_axis,
            r_tables,
            c_tables,
            temp_cell - 273.15,
            i_est,
            soc,
            r_scale,
            r,
            cap,
        )
        terminal(ocv_soc, ocv, soc, vrc, r, zero, ocv_v, u)  # u = OCV + sum v_i
        for c in range(n):
            g[c] = 1.0 / (r[c, 0] + r_tab)
        v_pack = -ip * r_series * (n_series - 1)
        for s in range(n_series):
            lo = s * n_parallel
            hi = lo + n_parallel
            v_pack += solve_group(u[lo:hi], g[lo:hi], g_rail, ip, opposite, i_cell[lo:hi])
        code = 0
        worst = -1
        for c in range(n):
            v_cell[c] = u[c] - r[c, 0] * i_cell[c]
            if v_cell[c] < v_min and code == 0:
                code, worst = 1, c
            elif v_cell[c] > v_max and code == 0:
                code, worst = 2, c
            elif abs(i_cell[c]) > i_max and code == 0:
                code, worst = 3, c
        record = step % every == 0 or code != 0
        if record:
            row = step // every if code == 0 or step % every == 0 else step // every + 1
            out_pack_v[row] = v_pack
            out_cell_i[row] = i_cell
            out_cell_v[row] = v_cell
            out_cell_soc[row] = soc
            out_cell_temp[row] = temp_cell
        if code != 0:
            for c in range(n):
                qi, qr = cell_heat(
                    c, i_cell[c], r, vrc, temp_cell[c], ocv_v[c], ent_ocv, ent_t, entropic, 0.0
                )
                out_cell_heat[row, c] = qi + qr
            return step, code, worst
        advance(
            dt,
            i_cell,
            capacity,
            soc,
            vrc,
            r,
            cap,
            temp_cell,
            temp_jig,
            ambient,
            ocv_v,
            ent_ocv,
            ent_t,
            entropic,
            0.0,
            thermal_mass,
            jig_mass,
            h_cj,
            h_ja,
            isothermal,
            q_irr,
            q_rev,
        )
        if record:
            for c in range(n):
                out_cell_heat[row, c] = q_irr[c] + q_rev[c]
        for c in range(n):
            i_prev[c] = i_cell[c]
        ip_prev[0] = ip
    return stop, 0, -1
