"""The twin's joint EKF written with filterpy's ``ExtendedKalmanFilter``: the reference the
numba kernel is checked and benchmarked against (same model, same order of operations)."""

from __future__ import annotations

import numpy as np


def _lookup(model, temp, current, z):
    from cellwright.engines.electrochem.ecm_kernel import interp3

    args = (model.t_axis, model.i_axis, model.s_axis)
    r = [interp3(*args, model.r_tables[m], temp, current, z) for m in range(model.n_rc + 1)]
    c = [interp3(*args, model.c_tables[m], temp, current, z) for m in range(model.n_rc)]
    return r, c


def _ocv(model, z):
    i = int(np.clip(np.searchsorted(model.ocv_soc, z, side="right") - 1, 0, model.ocv_soc.size - 2))
    slope = (model.ocv[i + 1] - model.ocv[i]) / (model.ocv_soc[i + 1] - model.ocv_soc[i])
    return model.ocv[i] + slope * (z - model.ocv_soc[i]), slope


def run_filterpy(model, time, current, voltage, x0, p0, q_diag, r_meas, temperature=298.15):
    """Filter with filterpy; returns the posterior states (samples, n) after each update."""
    from filterpy.kalman import ExtendedKalmanFilter

    n = x0.size
    n_rc = n - 3
    ekf = ExtendedKalmanFilter(dim_x=n, dim_z=1)
    ekf.x = x0.reshape(n, 1).copy()
    ekf.P = p0.copy()
    ekf.R = np.array([[r_meas]])
    out = np.empty((time.size, n))
    lookups = {}

    def hx(x):
        r, _ = lookups["rc"]
        u, _ = _ocv(model, x[0, 0])
        return np.array([[u + x[1 : 1 + n_rc, 0].sum() - x[-2, 0] * r[0] * lookups["i"]]])

    def h_jacobian(x):
        r, _ = lookups["rc"]
        h = np.zeros((1, n))
        h[0, 0] = _ocv(model, x[0, 0])[1]
        h[0, 1 : 1 + n_rc] = 1.0
        h[0, -2] = -r[0] * lookups["i"]
        return h

    for k in range(time.size):
        i_k = -current[k]  # stored > 0 on charge; the model's current is > 0 on discharge
        lookups["i"] = i_k
        lookups["rc"] = _lookup(model, temperature, i_k, ekf.x[0, 0])
        ekf.update(np.array([[voltage[k]]]), h_jacobian, hx)
        out[k] = ekf.x[:, 0]
        if k + 1 == time.size:
            break
        dt = time[k + 1] - time[k]
        r, c = lookups["rc"]
        q_ah = ekf.x[-1, 0]
        f = np.eye(n)
        f[0, -1] = i_k * dt / (3600.0 * q_ah * q_ah)
        decay = [np.exp(-dt / (r[1 + m] * c[m])) for m in range(n_rc)]
        for m in range(n_rc):
            f[1 + m, 1 + m] = decay[m]
        x = ekf.x.copy()
        x[0, 0] -= i_k * dt / (3600.0 * q_ah)
        for m in range(n_rc):
            x[1 + m, 0] = decay[m] * x[1 + m, 0] - r[1 + m] * (1.0 - decay[m]) * i_k
        ekf.F = f
        ekf.Q = np.diag(q_diag * dt)
        ekf.x = x
        ekf.P = f @ ekf.P @ f.T + ekf.Q  # filterpy's predict() with our nonlinear x update
    return out
