"""Half-sine shock: the shock response spectrum of the pulse and the modal response in time.

SRS: the maximax absolute acceleration of damped single-degree-of-freedom oscillators on the
base, computed with Smallwood's ramp-invariant recursive filter (Smallwood 1981, "An improved
recursive formula for calculating shock response spectra", Shock Vib. Bull. 51, 211; ISO
18431-4), exact for a base acceleration that is linear between samples. With E = exp(-ζω_nΔt),
K = ω_dΔt, C = E cos K, S = E sin K, S' = S/K:

    y_k = 2C y_{k-1} - E² y_{k-2} + (1 - S') x_k + 2(S' - C) x_{k-1} + (E² - S') x_{k-2}

The structure's response is the sum of its modes, each a damped oscillator driven by -Γ_k a(t)
(:mod:`cellwright.engines.mechanics.random_response`), integrated exactly for piecewise-linear
input by scipy's ``lsim`` on the modes' state space; the record runs on after the pulse for
the residual (free) vibration.
"""

from __future__ import annotations

import numpy as np

__all__ = ["half_sine", "modal_shock_response", "shock_response_spectrum", "shock_time_grid"]


def half_sine(t: np.ndarray, peak: float, duration: float) -> np.ndarray:
    """a(t) = peak sin(π t / T) for 0 ≤ t ≤ T, zero after."""
    t = np.asarray(t, dtype=float)
    return np.where((t >= 0) & (t <= duration), peak * np.sin(np.pi * t / duration), 0.0)


def shock_time_grid(duration: float, f_low: float, f_high: float) -> np.ndarray:
    """Samples covering the pulse and the residual response: 40 per pulse and per period of the
    highest frequency, on until three periods of the lowest (at least five pulse lengths)."""
    dt = min(duration / 40, 1 / (20 * f_high))
    end = max(5 * duration, duration + 3 / f_low)
    return np.arange(0.0, end + dt, dt)


def shock_response_spectrum(
    t: np.ndarray, accel: np.ndarray, freqs: np.ndarray, damping: float
) -> np.ndarray:
    """Maximax absolute acceleration of oscillators at ``freqs`` [Hz] (uniform ``t``)."""
    from scipy.signal import lfilter

    dt = float(t[1] - t[0])
    out = np.empty(len(freqs))
    for i, f in enumerate(freqs):
        w = 2 * np.pi * f
        wd = w * np.sqrt(1 - damping**2)
        e = np.exp(-damping * w * dt)
        k = wd * dt
        c, s = e * np.cos(k), e * np.sin(k)
        sp = s / k
        b = [1 - sp, 2 * (sp - c), e**2 - sp]
        a = [1.0, -2 * c, e**2]
        out[i] = np.abs(lfilter(b, a, accel)).max()
    return out


def modal_shock_response(
    t: np.ndarray, accel: np.ndarray, modes_hz: np.ndarray, gamma: np.ndarray, damping: float
) -> tuple[np.ndarray, np.ndarray]:
    """Modal coordinates q (n_t, m) and their accelerations q̈ (n_t, m) for base ``accel``."""
    from scipy.signal import lsim

    q = np.empty((len(t), len(modes_hz)))
    qdd = np.empty_like(q)
    for k, (f, g) in enumerate(zip(modes_hz, gamma, strict=True)):
        w = 2 * np.pi * f
        a = np.array([[0.0, 1.0], [-(w**2), -2 * damping * w]])
        b = np.array([[0.0], [-g]])
        c = np.array([[1.0, 0.0], [-(w**2), -2 * damping * w]])
        d = np.array([[0.0], [-g]])
        _, y, _ = lsim((a, b, c, d), accel, t, interp=True)
        q[:, k], qdd[:, k] = y[:, 0], y[:, 1]
    return q, qdd
