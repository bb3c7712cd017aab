"""Numba kernels of the 2D flow solver: one fused, parallel pass over the grid each.

The same operations written with NumPy slices are in :mod:`flow2d_numpy`; the benchmark runs
both on one problem (tests/bench/test_cfd_flow2d_bench.py) and the tests check they agree.

Momentum (finite volumes on the staggered grid, Patankar 1980 ch. 5-6): for an unknown face P
with neighbours E, W (along) and N, S (across), per unit depth

    a_P u_P = a_E u_E + a_W u_W + a_N u_N + a_S u_S + b,
    a_nb = mu + max(-F_nb_out, 0),   a_P = sum(mu + max(F_out, 0)) + walls + friction + inertia,

with F the mass fluxes through the control volume's faces (first-order upwind in the matrix,
second-order central differences by deferred correction in b, Khosla & Rubin 1974) and the
pressure force h (p_W - p_E) in b. A no-slip wall half a cell away adds 2 mu (u_P - u_wall).
"""

from __future__ import annotations

import os

# Threads that finish a parallel loop early sleep instead of spinning: on a machine shared with
# other work, spinning threads stole the core the other half of the loop waited for (a 256^2
# iteration took 375 ms instead of 55 ms). Read when numba first starts its OpenMP pool.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
from numba import prange

from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = [
    "agglomerate",
    "correct_velocity",
    "divergence",
    "momentum",
    "poisson_residual",
    "poisson_smooth",
    "poisson_smooth_serial",
    "prolong_active",
    "prolong_add",
    "restrict_active",
    "restrict_sum",
    "stencil_residual",
    "velocity_smooth",
    "velocity_smooth_serial",
]

_UNKNOWN, _KNOWN, _WALL, _FREE = 0, 1, 2, 3


@njit(cache=True, inline="always")
def _face(kind, u_nb, u_p, flux_out, mu, wall_u, central):
    """(a_nb kept in the matrix, its share of a_P, its share of b) for one control-volume
    face; the net outflow over all faces enters a_P separately."""
    if kind == _FREE:
        return 0.0, 0.0, 0.0
    if kind == _WALL:
        return 0.0, 2.0 * mu, 2.0 * mu * wall_u
    a_nb = mu + max(-flux_out, 0.0)
    up = u_p if flux_out > 0.0 else u_nb
    # central differences where the cell Peclet number |F|/mu <= 2, fading to upwind beyond
    # (the hybrid scheme's switch, Spalding 1972): stable however coarse the grid
    weight = central * min(1.0, 2.0 * mu / max(abs(flux_out), 1e-300))
    dc = -flux_out * (0.5 * (u_p + u_nb) - up) * weight
    if kind == _KNOWN:
        return 0.0, a_nb, a_nb * u_nb + dc
    return a_nb, a_nb, dc


@njit(parallel=True, cache=True)
def momentum(
    u,
    v,
    p,
    kind,
    value,
    east,
    west,
    north,
    south,
    wall_n,
    wall_s,
    rho,
    mu,
    h,
    friction,
    relax,
    inertia,
    u_old,
    p_out,
    central,
    ap,
    ae,
    aw,
    an,
    a_s,
    b,
    d,
):
    """Coefficients of the along-velocity u (faces (n+1, m)); ``v`` is the across-velocity
    (n, m+1), ``p`` the pressure (n, m). ``relax`` under-relaxes (steady), ``inertia`` is
    rho h^2/dt with ``u_old`` (transient). Writes a_P, a_E, a_W, a_N, a_S, b and the SIMPLEC
    coefficient d = h / (a_P - sum a_nb) into the output arrays."""
    nf, m = u.shape
    n = nf - 1
    for index in prange(nf):
        i = np.int64(index)  # prange counts unsigned: i - 1 must stay an integer
        il, ir = max(i - 1, 0), min(i, n - 1)
        for j in range(m):
            if kind[i, j] == 0:
                ap[i, j] = 1.0
                ae[i, j] = aw[i, j] = an[i, j] = a_s[i, j] = 0.0
                b[i, j] = value[i, j]
                d[i, j] = 0.0
                continue
            up = u[i, j]
            fe = rho * h * (0.5 * (up + u[i + 1, j]) if i < n else up)
            fw = rho * h * (0.5 * (u[i - 1, j] + up) if i > 0 else up)
            fn = rho * h * 0.5 * (v[il, j + 1] + v[ir, j + 1])
            fs = rho * h * 0.5 * (v[il, j] + v[ir, j])
            ue = u[i + 1, j] if i < n else up
            uw = u[i - 1, j] if i > 0 else up
            un = u[i, j + 1] if j < m - 1 else up
            us = u[i, j - 1] if j > 0 else up
            e0, e1, e2 = _face(east[i, j], ue, up, fe, mu, 0.0, central)
            w0, w1, w2 = _face(west[i, j], uw, up, -fw, mu, 0.0, central)
            n0, n1, n2 = _face(north[i, j], un, up, fn, mu, wall_n[i, j], central)
            s0, s1, s2 = _face(south[i, j], us, up, -fs, mu, wall_s[i, j], central)
            pw = p[i - 1, j] if i > 0 else 2.0 * p_out - p[0, j]
            pe = p[i, j] if i < n else 2.0 * p_out - p[n - 1, j]
            # upwind in conservative form: a_P = sum a_nb + net outflow; a net inflow (mass not
            # yet conserved) would make a_P < sum a_nb, so only an outflow is kept (Patankar
            # 1980 §5.2-7: at convergence the net flow is zero either way)
            net = max(fe - fw + fn - fs, 0.0)
            a_p = e1 + w1 + n1 + s1 + net + friction * h * h + inertia
            a_p_relaxed = a_p / relax
            rhs = e2 + w2 + n2 + s2 + h * (pw - pe) + inertia * u_old[i, j]
            rhs += (a_p_relaxed - a_p) * up
            ap[i, j] = a_p_relaxed
            ae[i, j], aw[i, j], an[i, j], a_s[i, j] = e0, w0, n0, s0
            b[i, j] = rhs
            d[i, j] = h / (a_p_relaxed - (e0 + w0 + n0 + s0))


@njit(parallel=True, cache=True)
def divergence(u, v, out):
    """Net outflow per cell divided by h: u_e - u_w + v_n - v_s [m/s]."""
    n, m = out.shape
    for i in prange(n):
        for j in range(m):
            out[i, j] = u[i + 1, j] - u[i, j] + v[i, j + 1] - v[i, j]


@njit(parallel=True, cache=True)
def correct_velocity(u, kind, d, pc):
    """u += d (p'_W - p'_E) on unknown faces; outlet faces see p' = 0 beyond the boundary."""
    nf, m = u.shape
    n = nf - 1
    for i in prange(nf):
        for j in range(m):
            if kind[i, j] == 0:
                continue
            pw = pc[i - 1, j] if i > 0 else -pc[0, j]
            pe = pc[i, j] if i < n else -pc[n - 1, j]
            u[i, j] += d[i, j] * (pw - pe)


@njit(cache=True)
def agglomerate(kind, ap, ae, aw, an, a_s, ckind, cap, cae, caw, can, cas):
    """Additive-correction coarse equations (Hutchinson & Raithby 1986): each 2 x 2 block of
    active points becomes one unknown; its equation is the sum of theirs, couplings inside the
    block move to its diagonal, couplings across block faces add up."""
    n, m = kind.shape
    cn, cm = ckind.shape
    for ci in range(cn):
        for cj in range(cm):
            sp = se = sw = sn = ss = 0.0
            count = 0
            i_end, j_end = min(2 * ci + 2, n), min(2 * cj + 2, m)
            for i in range(2 * ci, i_end):
                for j in range(2 * cj, j_end):
                    if kind[i, j] == 0:
                        continue
                    count += 1
                    sp += ap[i, j]
                    if i + 1 < i_end:  # east neighbour inside the block
                        sp -= ae[i, j]
                    else:
                        se += ae[i, j]
                    if i > 2 * ci:
                        sp -= aw[i, j]
                    else:
                        sw += aw[i, j]
                    if j + 1 < j_end:
                        sp -= an[i, j]
                    else:
                        sn += an[i, j]
                    if j > 2 * cj:
                        sp -= a_s[i, j]
                    else:
                        ss += a_s[i, j]
            if count == 0:
                ckind[ci, cj] = 0
                cap[ci, cj] = 1.0
                cae[ci, cj] = caw[ci, cj] = can[ci, cj] = cas[ci, cj] = 0.0
            else:
                ckind[ci, cj] = 1
                cap[ci, cj], cae[ci, cj], caw[ci, cj] = sp, se, sw
                can[ci, cj], cas[ci, cj] = sn, ss


# -- smoothers and grid transfers: a row function each, run in parallel on large grids and
# serially on small ones, where waking the second thread costs more than the row work --------


@njit(cache=True, inline="always")
def _velocity_row(u, kind, ap, ae, aw, an, a_s, b, row, color):
    n, m = u.shape
    i = np.int64(row)  # prange counts unsigned: i - 1 must stay an integer
    ie, iw = min(i + 1, n - 1), max(i - 1, 0)  # a missing neighbour has a zero coefficient
    for j in range((i + color) % 2, m, 2):
        if kind[i, j] == 0:
            continue
        jn, js = min(j + 1, m - 1), max(j - 1, 0)
        s = b[i, j] + ae[i, j] * u[ie, j] + aw[i, j] * u[iw, j]
        s += an[i, j] * u[i, jn] + a_s[i, j] * u[i, js]
        u[i, j] = s / ap[i, j]


@njit(parallel=True, cache=True)
def velocity_smooth(u, kind, ap, ae, aw, an, a_s, b, count, reverse):
    """``count`` red-black Gauss-Seidel sweeps of a five-point system (black first when
    ``reverse``: the adjoint order, for symmetric cycles)."""
    for _ in range(count):
        for step in range(2):
            color = (step + reverse) % 2
            for i in prange(u.shape[0]):
                _velocity_row(u, kind, ap, ae, aw, an, a_s, b, i, color)


@njit(cache=True)
def velocity_smooth_serial(u, kind, ap, ae, aw, an, a_s, b, count, reverse):
    """:func:`velocity_smooth` on one thread."""
    for _ in range(count):
        for step in range(2):
            color = (step + reverse) % 2
            for i in range(u.shape[0]):
                _velocity_row(u, kind, ap, ae, aw, an, a_s, b, i, color)


@njit(cache=True, inline="always")
def _poisson_row(x, gx, gy, diag, rhs, row, color):
    n, m = x.shape
    i = np.int64(row)
    ie, iw = min(i + 1, n - 1), max(i - 1, 0)  # boundary faces carry no conductance here
    for j in range((i + color) % 2, m, 2):
        dg = diag[i, j]
        if dg == 0.0:
            continue
        jn, js = min(j + 1, m - 1), max(j - 1, 0)
        s = rhs[i, j] + gx[i, j] * x[iw, j] + gx[i + 1, j] * x[ie, j]
        s += gy[i, j] * x[i, js] + gy[i, j + 1] * x[i, jn]
        x[i, j] = s / dg


@njit(parallel=True, cache=True)
def poisson_smooth(x, gx, gy, diag, rhs, count, reverse):
    """``count`` red-black Gauss-Seidel sweeps for sum_f g_f (x_P - x_nb) = rhs; ``gx`` on the
    x-faces (n+1, m), ``gy`` on the y-faces (n, m+1); boundary conductances sit in ``diag``."""
    for _ in range(count):
        for step in range(2):
            color = (step + reverse) % 2
            for i in prange(x.shape[0]):
                _poisson_row(x, gx, gy, diag, rhs, i, color)


@njit(cache=True)
def poisson_smooth_serial(x, gx, gy, diag, rhs, count, reverse):
    """:func:`poisson_smooth` on one thread."""
    for _ in range(count):
        for step in range(2):
            color = (step + reverse) % 2
            for i in range(x.shape[0]):
                _poisson_row(x, gx, gy, diag, rhs, i, color)


@njit(cache=True)
def poisson_residual(x, gx, gy, diag, rhs, out):
    """rhs - A x for the operator of :func:`poisson_smooth`."""
    n, m = x.shape
    for i in range(n):
        for j in range(m):
            if diag[i, j] == 0.0:
                out[i, j] = 0.0
                continue
            s = rhs[i, j] - diag[i, j] * x[i, j]
            if i > 0:
                s += gx[i, j] * x[i - 1, j]
            if i < n - 1:
                s += gx[i + 1, j] * x[i + 1, j]
            if j > 0:
                s += gy[i, j] * x[i, j - 1]
            if j < m - 1:
                s += gy[i, j + 1] * x[i, j + 1]
            out[i, j] = s


@njit(cache=True)
def stencil_residual(x, kind, ap, ae, aw, an, a_s, b, out):
    """b + sum a_nb x_nb - a_P x_P on active points (kind != 0), 0 elsewhere."""
    n, m = x.shape
    for i in range(n):
        for j in range(m):
            if kind[i, j] == 0:
                out[i, j] = 0.0
                continue
            s = b[i, j] - ap[i, j] * x[i, j]
            if ae[i, j] != 0.0:
                s += ae[i, j] * x[i + 1, j]
            if aw[i, j] != 0.0:
                s += aw[i, j] * x[i - 1, j]
            if an[i, j] != 0.0:
                s += an[i, j] * x[i, j + 1]
            if a_s[i, j] != 0.0:
                s += a_s[i, j] * x[i, j - 1]
            out[i, j] = s


@njit(cache=True)
def restrict_sum(fine, coarse):
    """Coarse cell = sum of its 2 x 2 fine cells (finite-volume residuals add)."""
    n, m = coarse.shape
    for i in range(n):
        for j in range(m):
            coarse[i, j] = (
                fine[2 * i, 2 * j]
                + fine[2 * i + 1, 2 * j]
                + fine[2 * i, 2 * j + 1]
                + fine[2 * i + 1, 2 * j + 1]
            )


@njit(cache=True)
def prolong_add(fine, coarse, diag):
    """Add each coarse correction to its 2 x 2 fine cells (piecewise constant)."""
    n, m = fine.shape
    for i in range(n):
        for j in range(m):
            if diag[i, j] != 0.0:
                fine[i, j] += coarse[i // 2, j // 2]


@njit(cache=True)
def restrict_active(fine, kind, coarse):
    """Coarse residual = sum over the block's active points."""
    n, m = fine.shape
    cn, cm = coarse.shape
    for ci in range(cn):
        for cj in range(cm):
            s = 0.0
            for i in range(2 * ci, min(2 * ci + 2, n)):
                for j in range(2 * cj, min(2 * cj + 2, m)):
                    if kind[i, j] != 0:
                        s += fine[i, j]
            coarse[ci, cj] = s


@njit(cache=True)
def prolong_active(fine, kind, coarse):
    """Add the block's correction to each of its active points."""
    n, m = fine.shape
    for i in range(n):
        for j in range(m):
            if kind[i, j] != 0:
                fine[i, j] += coarse[i // 2, j // 2]
