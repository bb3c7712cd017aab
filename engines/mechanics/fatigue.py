"""Fatigue damage of stationary Gaussian stress processes from their spectral moments.

S–N curve: Basquin's line N = C S_a^-m through (10³ cycles, 0.9 S_u) and the library's fatigue
strength S_f at N_f cycles (Shigley's Mechanical Engineering Design, 10th ed., §6-7, eqs. 6-13
to 6-16), S_a the stress amplitude; no endurance limit (random loading keeps going below it).

Spectral moments m_j = ∫ f^j G_σ(f) df; zero up-crossings ν₀ = sqrt(m2/m0), peaks
ν_p = sqrt(m4/m2), irregularity γ = m2 / sqrt(m0 m4).

- Steinberg three-band (Steinberg, *Vibration Analysis for Electronic Equipment*, 3rd ed.,
  2000, §8.7): stress cycles at 1σ, 2σ and 3σ for 68.3 %, 27.1 % and 4.33 % of ν₀ T.
- Dirlik (1985, PhD thesis, University of Warwick; formulas as in Halfpenny 1999, Key Eng.
  Mater. 167, 401): the rainflow-range density of a wide-band process, a mixture of one
  exponential and two Rayleigh densities; with Basquin's line its damage has the closed form
  D = T ν_p m0^(m/2) [D1 Q^m Γ(1+m) + 2^(m/2) Γ(1+m/2) (D2 |R|^m + D3)] / C.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gamma as gamma_fn

__all__ = ["SNCurve", "dirlik_damage", "narrow_band_damage", "steinberg_damage"]


@dataclass(frozen=True)
class SNCurve:
    """N = C S_a^-m."""

    exponent: float
    coefficient: float
    source: str = ""

    @classmethod
    def from_library(cls, ultimate: float, strength: float, cycles: float, source: str = ""):
        """Basquin's line through (1e3, 0.9 S_u) and (N_f, S_f)."""
        s1, n1 = 0.9 * ultimate, 1e3
        m = np.log(cycles / n1) / np.log(s1 / strength)
        return cls(float(m), float(n1 * s1**m), source)

    def cycles(self, amplitude: np.ndarray) -> np.ndarray:
        """Cycles to failure at stress amplitude [Pa]."""
        return self.coefficient * np.asarray(amplitude, dtype=float) ** -self.exponent


def steinberg_damage(rms: np.ndarray, m0, m2, duration: float, sn: SNCurve) -> np.ndarray:
    """Miner damage of the three-band technique (rms = sqrt(m0) [Pa])."""
    rate = np.sqrt(np.divide(m2, m0, out=np.zeros_like(m2), where=m0 > 0))
    total = np.zeros_like(rms)
    for k, share in ((1, 0.6831), (2, 0.2718), (3, 0.0433)):
        total += share / sn.cycles(np.maximum(k * rms, 1e-300))
    return duration * rate * total


def narrow_band_damage(m0, m2, duration: float, sn: SNCurve) -> np.ndarray:
    """Rayleigh-distributed amplitudes at ν₀ (Bendat 1964): the narrow-band limit."""
    m = sn.exponent
    rate = np.sqrt(m2 / m0)
    return duration * rate * (np.sqrt(2 * m0)) ** m * gamma_fn(1 + m / 2) / sn.coefficient


def dirlik_damage(m0, m1, m2, m4, duration: float, sn: SNCurve) -> np.ndarray:
    """Miner damage with Dirlik's rainflow-range density (arrays of moments per point)."""
    m0, m1, m2, m4 = (np.asarray(x, dtype=float) for x in (m0, m1, m2, m4))
    ok = (m0 > 0) & (m2 > 0) & (m4 > 0)
    s0, s1, s2, s4 = (np.where(ok, x, 1.0) for x in (m0, m1, m2, m4))
    xm = s1 / s0 * np.sqrt(s2 / s4)
    g = np.minimum(s2 / np.sqrt(s0 * s4), 1 - 1e-9)
    d1 = 2 * (xm - g**2) / (1 + g**2)
    r = (g - xm - d1**2) / (1 - g - d1 + d1**2)
    d2 = (1 - g - d1 + d1**2) / (1 - r)
    d3 = 1 - d1 - d2
    q = 1.25 * (g - d3 - d2 * r) / d1
    m = sn.exponent
    expected = s0 ** (m / 2) * (
        d1 * q**m * gamma_fn(1 + m) + 2 ** (m / 2) * gamma_fn(1 + m / 2) * (d2 * abs(r) ** m + d3)
    )
    damage = duration * np.sqrt(s4 / s2) * expected / sn.coefficient
    return np.where(ok, damage, 0.0)
