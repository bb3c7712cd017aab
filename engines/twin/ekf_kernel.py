"""Numba kernel of the joint extended Kalman filter for SOC, capacity and resistance.

Joint estimation after Plett, "Extended Kalman filtering for battery management systems of
LiPB-based HEV battery packs, Part 3: State and parameter estimation", J. Power Sources 134
(2004) 277–292, sect. 4 (joint EKF): the state is augmented with the slowly varying parameters,

    x = [z, v_1 … v_n, rho, Q]      SOC, RC overpotentials, R0 growth factor, capacity [A.h]

on the Thevenin model of engines/electrochem/ecm_kernel.py (I > 0 on discharge):

    z'    = z - I dt / (3600 Q)
    v_k'  = a_k v_k - R_k (1 - a_k) I,   a_k = exp(-dt / (R_k C_k))      (exact for held I)
    rho', Q' = rho, Q                                                    (random walks)
    V     = U(z) + sum_k v_k - rho R0(T, I, z) I

Each sample is an update with its voltage, then a prediction over the interval to the next
sample with its current held. The covariance update is Joseph's form, as filterpy's
``ExtendedKalmanFilter`` uses, reduced for a scalar measurement and the optimal gain to
P - a a'/s (O(n^2)); the two agree to rounding (tests/engines/twin).
"""

from __future__ import annotations

import numpy as np

from cellwright.engines.electrochem.ecm_kernel import _locate
from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = ["ekf_run", "increasing", "ocv_and_slope"]


@njit(cache=True)
def increasing(time: np.ndarray) -> int:
    """Index of the first sample not later than the one before it, or -1."""
    for k in range(1, time.shape[0]):
        if time[k] <= time[k - 1]:
            return k
    return -1


@njit(cache=True, inline="always", error_model="numpy")
def ocv_and_slope(axis: np.ndarray, values: np.ndarray, z: float) -> tuple[float, float]:
    """U(z) and dU/dz of the piecewise-linear OCV curve (the end segments extrapolate)."""
    i, f = _locate(axis, z)
    slope = (values[i + 1] - values[i]) / (axis[i + 1] - axis[i])
    return values[i] + f * (values[i + 1] - values[i]), slope


@njit(cache=True, inline="always", error_model="numpy")
def _tri(table, i, f, j, g, k, h) -> float:
    """Trilinear value of ``table`` in the cell located once for all tables."""
    c00 = table[i, j, k] * (1 - f) + table[i + 1, j, k] * f
    c01 = table[i, j, k + 1] * (1 - f) + table[i + 1, j, k + 1] * f
    c10 = table[i, j + 1, k] * (1 - f) + table[i + 1, j + 1, k] * f
    c11 = table[i, j + 1, k + 1] * (1 - f) + table[i + 1, j + 1, k + 1] * f
    return (c00 * (1 - g) + c10 * g) * (1 - h) + (c01 * (1 - g) + c11 * g) * h


@njit(cache=True, error_model="numpy")
def _update(x, p, h, residual, r_meas, n, a):
    """Scalar-measurement update. With a = P h' and s = h P h' + R, Joseph's form
    (I - K H) P (I - K H)' + K R K' with the optimal gain K = a / s equals P - a a' / s,
    computed here in O(n^2) and kept exactly symmetric."""
    s = r_meas
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += p[i, j] * h[j]
        a[i] = acc
        s += h[i] * acc
    inv_s = 1.0 / s  # one division: a dependent chain of n^2 divisions doubled the cost
    for i in range(n):
        gain = a[i] * inv_s
        x[i] += gain * residual
        for j in range(i, n):
            value = p[i, j] - gain * a[j]
            p[i, j] = value
            p[j, i] = value


@njit(cache=True, error_model="numpy")
def _predict(p, f_diag, f_zq, q_diag, dt, n, work):
    """P <- F P F' + Qn dt for F = diag(f_diag) with the one off-diagonal dz'/dQ = f_zq;
    the process noise ``q_diag`` is a variance per second (random walks)."""
    iq = n - 1
    for i in range(n):
        for j in range(n):
            acc = f_diag[i] * p[i, j]
            if i == 0:
                acc += f_zq * p[iq, j]
            work[i, j] = acc
    for i in range(n):
        for j in range(n):
            acc = work[i, j] * f_diag[j]
            if j == 0:
                acc += work[i, iq] * f_zq
            p[i, j] = acc
        p[i, i] += q_diag[i] * dt


@njit(cache=True, error_model="numpy")
def ekf_run(
    time,
    current,
    voltage,
    temperature,
    t_axis,
    i_axis,
    s_axis,
    r_tables,
    c_tables,
    ocv_soc,
    ocv,
    x,
    p,
    q_diag,
    r_meas,
    out_every,
    out_x,
    out_sd,
    n_samples,
    current_sign,
):
    """Run the filter over samples; ``x`` (n) and ``p`` (n, n) are updated in place.

    ``current_sign * current`` is > 0 on discharge [A]; ``temperature`` is in the tables' unit,
    one value per sample or a single value for all. The first
    ``n_samples`` samples are filtered (one more may follow: the prediction runs to it). Every
    ``out_every``-th posterior state and its standard deviations go to ``out_x``/``out_sd``.
    Returns the root-mean-square voltage residual [V].
    """
    n = x.shape[0]
    n_rc = n - 3
    per_sample_temperature = temperature.shape[0] > 1
    irho, iq = n - 2, n - 1
    h = np.zeros(n)
    ph = np.zeros(n)
    r_rc = np.zeros(max(n_rc, 1))
    c_rc = np.zeros(max(n_rc, 1))
    work = np.zeros((n, n))
    f_diag = np.ones(n)
    sq = 0.0
    samples = n_samples
    for k in range(samples):
        i_k = current_sign * current[k]
        temp = temperature[k] if per_sample_temperature else temperature[0]
        z = x[0]
        # R and C at the prior state, located once (the same point for every table)
        it, ft = _locate(t_axis, temp)
        ii, fi = _locate(i_axis, i_k)
        iz, fz = _locate(s_axis, z)
        r0 = _tri(r_tables[0], it, ft, ii, fi, iz, fz)
        for m in range(n_rc):
            r_rc[m] = _tri(r_tables[1 + m], it, ft, ii, fi, iz, fz)
            c_rc[m] = _tri(c_tables[m], it, ft, ii, fi, iz, fz)
        u, slope = ocv_and_slope(ocv_soc, ocv, z)
        v_pred = u - x[irho] * r0 * i_k
        for m in range(n_rc):
            v_pred += x[1 + m]
        h[0] = slope
        for m in range(n_rc):
            h[1 + m] = 1.0
        h[irho] = -r0 * i_k
        h[iq] = 0.0
        residual = voltage[k] - v_pred
        sq += residual * residual
        _update(x, p, h, residual, r_meas, n, ph)
        if k % out_every == 0:
            j = k // out_every
            for m in range(n):
                out_x[j, m] = x[m]
                out_sd[j, m] = np.sqrt(max(p[m, m], 0.0))
        if k + 1 == time.shape[0]:
            break
        dt = time[k + 1] - time[k]
        q_ah = x[iq]
        z = x[0]  # posterior SOC; R and C stay those at the prior (SOC moves little per step)
        f_zq = i_k * dt / (3600.0 * q_ah * q_ah)
        x[0] = z - i_k * dt / (3600.0 * q_ah)
        for m in range(n_rc):
            decay = np.exp(-dt / (r_rc[m] * c_rc[m]))
            f_diag[1 + m] = decay
            x[1 + m] = decay * x[1 + m] - r_rc[m] * (1.0 - decay) * i_k
        _predict(p, f_diag, f_zq, q_diag, dt, n, work)
    return np.sqrt(sq / max(samples, 1))
