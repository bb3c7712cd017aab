"""The kernels of :mod:`flow2d_kernels` written as plain vectorised NumPy (whole-array
expressions, shifted copies at the edges, masks for the red-black colours).

Same scheme, same arithmetic, same results to round-off: the reference the 2D solver's
throughput is measured against, and a check on the compiled kernels.
"""

from __future__ import annotations

import numpy as np

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


def _shift(a: np.ndarray, axis: int, step: int) -> np.ndarray:
    """a[i + step] along ``axis``; the edge repeats the last value (zero gradient)."""
    out = np.empty_like(a)
    src = [slice(None)] * a.ndim
    dst = [slice(None)] * a.ndim
    if step > 0:
        dst[axis], src[axis] = slice(0, -1), slice(1, None)
        edge = -1
    else:
        dst[axis], src[axis] = slice(1, None), slice(0, -1)
        edge = 0
    out[tuple(dst)] = a[tuple(src)]
    index = [slice(None)] * a.ndim
    index[axis] = edge
    out[tuple(index)] = a[tuple(index)]
    return out


def _face(kind, u_nb, u_p, flux_out, mu, wall_u, central):
    a_nb = mu + np.maximum(-flux_out, 0.0)
    upwind = np.where(flux_out > 0.0, u_p, u_nb)
    weight = central * np.minimum(1.0, 2.0 * mu / np.maximum(np.abs(flux_out), 1e-300))
    dc = -flux_out * (0.5 * (u_p + u_nb) - upwind) * weight
    free, wall, known = kind == _FREE, kind == _WALL, kind == _KNOWN
    a_matrix = np.where(kind == _UNKNOWN, a_nb, 0.0)
    a_p = np.where(free, 0.0, np.where(wall, 2.0 * mu, a_nb))
    b = np.where(
        free, 0.0, np.where(wall, 2.0 * mu * wall_u, np.where(known, a_nb * u_nb + dc, dc))
    )
    return a_matrix, a_p, b


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
    """See :func:`flow2d_kernels.momentum`."""
    n = u.shape[0] - 1
    ue, uw = _shift(u, 0, 1), _shift(u, 0, -1)
    un, us = _shift(u, 1, 1), _shift(u, 1, -1)
    fe = rho * h * 0.5 * (u + ue)
    fw = rho * h * 0.5 * (uw + u)
    v_left = np.concatenate([v[:1], v], axis=0)
    v_right = np.concatenate([v, v[-1:]], axis=0)
    v_mean = 0.5 * (v_left + v_right)
    fn, fs = rho * h * v_mean[:, 1:], rho * h * v_mean[:, :-1]
    e0, e1, e2 = _face(east, ue, u, fe, mu, 0.0, central)
    w0, w1, w2 = _face(west, uw, u, -fw, mu, 0.0, central)
    n0, n1, n2 = _face(north, un, u, fn, mu, wall_n, central)
    s0, s1, s2 = _face(south, us, u, -fs, mu, wall_s, central)
    ghost_west = 2.0 * p_out - p[:1]
    ghost_east = 2.0 * p_out - p[-1:]
    pw = np.concatenate([ghost_west, p], axis=0)
    pe = np.concatenate([p, ghost_east], axis=0)
    net = np.maximum(fe - fw + fn - fs, 0.0)
    a_p = e1 + w1 + n1 + s1 + net + friction * h * h + inertia
    relaxed = a_p / relax
    rhs = e2 + w2 + n2 + s2 + h * (pw - pe) + inertia * u_old + (relaxed - a_p) * u
    fixed = kind == 0
    ap[...] = np.where(fixed, 1.0, relaxed)
    for out, coefficient in ((ae, e0), (aw, w0), (an, n0), (a_s, s0)):
        out[...] = np.where(fixed, 0.0, coefficient)
    b[...] = np.where(fixed, value, rhs)
    with np.errstate(divide="ignore", invalid="ignore"):
        d[...] = np.where(fixed, 0.0, h / (relaxed - (e0 + w0 + n0 + s0)))
    del n


def _colour(shape: tuple[int, int], color: int) -> np.ndarray:
    i, j = np.indices(shape)
    return (i + j) % 2 == color


def velocity_smooth(u, kind, ap, ae, aw, an, a_s, b, count, reverse):
    """See :func:`flow2d_kernels.velocity_smooth`."""
    masks = [_colour(u.shape, color) & (kind != 0) for color in (0, 1)]
    for _ in range(count):
        for step in range(2):
            mask = masks[(step + reverse) % 2]
            s = b + ae * _shift(u, 0, 1) + aw * _shift(u, 0, -1) + an * _shift(u, 1, 1)
            s += a_s * _shift(u, 1, -1)
            u[mask] = s[mask] / ap[mask]


velocity_smooth_serial = velocity_smooth


def divergence(u, v, out):
    """See :func:`flow2d_kernels.divergence`."""
    out[...] = u[1:] - u[:-1] + v[:, 1:] - v[:, :-1]


def _neighbour_sum(x, gx, gy):
    s = np.zeros_like(x)
    s[1:] += gx[1:-1] * x[:-1]
    s[:-1] += gx[1:-1] * x[1:]
    s[:, 1:] += gy[:, 1:-1] * x[:, :-1]
    s[:, :-1] += gy[:, 1:-1] * x[:, 1:]
    return s


def poisson_smooth(x, gx, gy, diag, rhs, count, reverse):
    """See :func:`flow2d_kernels.poisson_smooth`."""
    masks = [_colour(x.shape, color) & (diag != 0.0) for color in (0, 1)]
    for _ in range(count):
        for step in range(2):
            mask = masks[(step + reverse) % 2]
            s = rhs + _neighbour_sum(x, gx, gy)
            x[mask] = s[mask] / diag[mask]


poisson_smooth_serial = poisson_smooth


def poisson_residual(x, gx, gy, diag, rhs, out):
    """See :func:`flow2d_kernels.poisson_residual`."""
    out[...] = np.where(diag != 0.0, rhs - diag * x + _neighbour_sum(x, gx, gy), 0.0)


def restrict_sum(fine, coarse):
    """See :func:`flow2d_kernels.restrict_sum`."""
    coarse[...] = fine[0::2, 0::2] + fine[1::2, 0::2] + fine[0::2, 1::2] + fine[1::2, 1::2]


def prolong_add(fine, coarse, diag):
    """See :func:`flow2d_kernels.prolong_add`."""
    fine += np.where(diag != 0.0, np.repeat(np.repeat(coarse, 2, axis=0), 2, axis=1), 0.0)


def correct_velocity(u, kind, d, pc):
    """See :func:`flow2d_kernels.correct_velocity`."""
    pw = np.concatenate([-pc[:1], pc], axis=0)
    pe = np.concatenate([pc, -pc[-1:]], axis=0)
    u += np.where(kind != 0, d * (pw - pe), 0.0)


def stencil_residual(x, kind, ap, ae, aw, an, a_s, b, out):
    """See :func:`flow2d_kernels.stencil_residual`."""
    s = b - ap * x + ae * _shift(x, 0, 1) + aw * _shift(x, 0, -1)
    s += an * _shift(x, 1, 1) + a_s * _shift(x, 1, -1)
    out[...] = np.where(kind != 0, s, 0.0)


def _padded(a, shape):
    out = np.zeros(shape, a.dtype)
    out[: a.shape[0], : a.shape[1]] = a
    return out


def _blocks(a):
    """The four positions of every 2 x 2 block: (left-bottom, right-bottom, left-top, right-top)."""
    return a[0::2, 0::2], a[1::2, 0::2], a[0::2, 1::2], a[1::2, 1::2]


def agglomerate(kind, ap, ae, aw, an, a_s, ckind, cap, cae, caw, can, cas):
    """See :func:`flow2d_kernels.agglomerate`."""
    shape = (2 * ckind.shape[0], 2 * ckind.shape[1])
    active = _padded(kind, shape) != 0
    ap, ae, aw, an, a_s = (np.where(active, _padded(a, shape), 0.0) for a in (ap, ae, aw, an, a_s))
    lb, rb, lt, rt = range(4)
    p, e, w, north, south = (_blocks(a) for a in (ap, ae, aw, an, a_s))
    count = sum(block.astype(int) for block in _blocks(active))
    sp = sum(p) - e[lb] - e[lt] - w[rb] - w[rt] - north[lb] - north[rb] - south[lt] - south[rt]
    ckind[...] = np.where(count > 0, 1, 0)
    cap[...] = np.where(count > 0, sp, 1.0)
    cae[...] = e[rb] + e[rt]
    caw[...] = w[lb] + w[lt]
    can[...] = north[lt] + north[rt]
    cas[...] = south[lb] + south[rb]


def restrict_active(fine, kind, coarse):
    """See :func:`flow2d_kernels.restrict_active`."""
    shape = (2 * coarse.shape[0], 2 * coarse.shape[1])
    r = _padded(np.where(kind != 0, fine, 0.0), shape)
    coarse[...] = sum(_blocks(r))


def prolong_active(fine, kind, coarse):
    """See :func:`flow2d_kernels.prolong_active`."""
    n, m = fine.shape
    spread = np.repeat(np.repeat(coarse, 2, axis=0), 2, axis=1)[:n, :m]
    fine += np.where(kind != 0, spread, 0.0)
