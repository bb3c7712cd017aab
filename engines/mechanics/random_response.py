"""Base-excitation response by modal superposition: transfer functions, random and sine response.

With the supports moving as the base, u = r u_b + w and the modal coordinates of the relative
motion w = Σ φ_k q_k obey q̈_k + 2ζω_k q̇_k + ω_k² q_k = -Γ_k ü_b (Chopra, *Dynamics of
Structures*, 4th ed., §13.1). Per unit base acceleration at circular frequency ω:

    relative displacement   W_k(ω) = -Γ_k / D_k,   D_k = ω_k² - ω² + 2iζω_kω
    absolute acceleration   A(ω) = r + Σ φ_k ω² Γ_k / D_k

For a stationary random base acceleration of PSD G(f), any linear response y = Σ_a ψ_a T_a has
the variance σ² = Σ_ab ψ_a ψ_b C_ab with C_ab = ∫ Re(T_a T_b*) G df: the modal covariance, which
keeps the cross terms of closely spaced modes (no SRSS). The von Mises stress of a Gaussian
stress vector is taken as the equivalent process of Preumont & Piéfort (1994, ASME J. Mech. Des.
116, 245), σ_vm² = σᵀ Q σ, whose mean square is trace(Q C_σ) (Segalman et al. 2000, J. Sound
Vib. 230, 393) and whose PSD gives the spectral moments for fatigue.

Miles' equation for a single mode (Miles 1954, J. Aeronaut. Sci. 21, 753): the RMS absolute
acceleration of an oscillator on a flat PSD G is sqrt(π/2 f_n Q G), Q = 1/(2ζ).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "VON_MISES",
    "ModalCovariance",
    "frequency_lines",
    "miles_rms",
    "modal_transfer",
    "random_covariance",
]

#: σ_vm² = σᵀ Q σ in Voigt order xx, yy, zz, yz, xz, xy
VON_MISES = np.array([
    [1.0, -0.5, -0.5, 0, 0, 0],
    [-0.5, 1.0, -0.5, 0, 0, 0],
    [-0.5, -0.5, 1.0, 0, 0, 0],
    [0, 0, 0, 3.0, 0, 0],
    [0, 0, 0, 0, 3.0, 0],
    [0, 0, 0, 0, 0, 3.0],
])  # fmt: skip


def miles_rms(f_n: float, damping: float, psd: float) -> float:
    """Miles' RMS acceleration sqrt(π/2 f_n Q G) of one mode [units of sqrt(G Hz)]."""
    return float(np.sqrt(np.pi / 2 * f_n / (2 * damping) * psd))


def frequency_lines(f_min: float, f_max: float, n: int, modes_hz: np.ndarray, damping: float):
    """``n`` log-spaced lines over the band, plus lines across each resonance in the band.

    Around a mode the half-power bandwidth is 2ζ f_n; 41 lines span ±4 bandwidths, so the
    trapezoidal integral of a peak is accurate however sparse the log grid is there.
    """
    lines = [np.geomspace(f_min, f_max, n)]
    for f in modes_hz:
        if f_min < f < f_max:
            lines.append(f * (1 + np.linspace(-8, 8, 41) * damping))
    out = np.unique(np.concatenate(lines))
    return out[(out >= f_min) & (out <= f_max)]


def modal_transfer(freqs: np.ndarray, modes_hz: np.ndarray, gamma: np.ndarray, damping: float):
    """(relative displacement W (n_f, m), absolute acceleration coefficients ω²Γ/D (n_f, m))."""
    w = 2 * np.pi * freqs[:, None]
    wk = 2 * np.pi * modes_hz[None, :]
    d = wk**2 - w**2 + 2j * damping * wk * w
    relative = -gamma[None, :] / d
    return relative, -(w**2) * relative


@dataclass
class ModalCovariance:
    """Covariances of the modal responses to a random base acceleration."""

    acceleration: np.ndarray  # (m+1, m+1): index 0 the base (rigid motion), 1.. the modes
    displacement: np.ndarray  # (m, m) relative displacement
    moments: list[np.ndarray]  # ∫ f^j Re(W_k W_l*) G df, j = 0, 1, 2, 4 (f in Hz)


def random_covariance(freqs, psd, modes_hz, gamma, damping) -> ModalCovariance:
    """Modal covariance matrices by trapezoidal integration over the frequency lines."""
    relative, accel = modal_transfer(freqs, modes_hz, gamma, damping)
    full = np.hstack([np.ones((len(freqs), 1)), accel])

    def integrate(t: np.ndarray, weight: np.ndarray) -> np.ndarray:
        prod = np.real(t[:, :, None] * np.conj(t[:, None, :])) * weight[:, None, None]
        return np.trapezoid(prod, freqs, axis=0)

    moments = [integrate(relative, psd * freqs**j) for j in (0, 1, 2, 4)]
    return ModalCovariance(integrate(full, psd), moments[0], moments)
