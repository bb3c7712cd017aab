"""Random base excitation of a single-degree-of-freedom system, profiles and fatigue.

A mass on a spring with damping ζ on a base with a flat acceleration PSD G: the absolute
acceleration transmissibility is T = (1 + 2iζr) / (1 - r² + 2iζr), r = f/f_n, and
∫₀^∞ |T|² df = π f_n (1 + 4ζ²) / (4ζ) (e.g. Crandall & Mark, *Random Vibration in Mechanical
Systems*, 1963, §2.3), which Miles' equation sqrt(π/2 f_n Q G) approximates for small ζ.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.mechanics.fatigue import (
    SNCurve,
    dirlik_damage,
    narrow_band_damage,
    steinberg_damage,
)
from cellwright.engines.mechanics.random_response import (
    frequency_lines,
    miles_rms,
    random_covariance,
)
from cellwright.projects.vibration import G, shipped_vibration_profiles


def test_sdof_transmissibility_integral_equals_miles_and_modal_superposition() -> None:
    f_n, zeta, psd_level = 120.0, 0.05, 0.04 * G**2
    f = frequency_lines(f_n / 1000, f_n * 1000, 200000, np.array([f_n]), zeta)
    r = f / f_n
    transmissibility = (1 + 2j * zeta * r) / (1 - r**2 + 2j * zeta * r)
    numeric = np.trapezoid(np.abs(transmissibility) ** 2 * psd_level, f)
    exact = np.pi * f_n * (1 + 4 * zeta**2) / (4 * zeta) * psd_level
    assert numeric == pytest.approx(exact, rel=1e-3)
    assert miles_rms(f_n, zeta, psd_level) == pytest.approx(np.sqrt(exact), rel=0.5 * 4 * zeta**2)
    # one mode of mass m: φ = 1/sqrt(m), Γ = φᵀ M r = sqrt(m); the base is "mode 0"
    mass = 2.5
    phi, gamma = 1 / np.sqrt(mass), np.sqrt(mass)
    cov = random_covariance(f, np.full(f.size, psd_level), np.array([f_n]), np.array([gamma]), zeta)
    psi = np.array([1.0, phi])
    modal = psi @ cov.acceleration @ psi
    assert modal == pytest.approx(numeric, rel=1e-9)


def test_standard_profiles_match_their_printed_figures() -> None:
    p = shipped_vibration_profiles()
    assert p["GB38031-Z"].rms / G == pytest.approx(0.639, abs=1e-3)
    assert p["GB38031-Y"].rms / G == pytest.approx(0.448, abs=1e-3)
    assert p["GB38031-X"].rms / G == pytest.approx(0.497, abs=1e-3)
    assert p["ISO16750-3-IV"].rms == pytest.approx(27.8, abs=0.05)
    assert p["UN38.3-T3"].crossovers == pytest.approx([17.62, 49.84], abs=0.01)
    assert p["UN38.3-T3-large"].crossovers == pytest.approx([17.62, 24.92], abs=0.01)
    # log-log segments integrate exactly: compare with a fine numerical integral
    gb = p["GB38031-Z"]
    f = np.geomspace(5, 200, 400001)
    assert np.trapezoid(gb.at(f), f) == pytest.approx(gb.mean_square, rel=1e-6)
    sweep = p["UN38.3-T3"]
    a = sweep.acceleration(np.array([10.0, 30.0, 100.0]))
    assert a == pytest.approx([G, (2 * np.pi * 30) ** 2 * 0.8e-3, 8 * G])
    shock = p["UN38.3-T4"]
    assert (shock.peak / G, shock.duration) == (150.0, 6e-3)


def test_dirlik_tends_to_the_narrow_band_damage_and_steinberg_is_close() -> None:
    sn = SNCurve.from_library(310e6, 96.5e6, 5e8)
    assert sn.cycles(96.5e6) == pytest.approx(5e8) and sn.cycles(0.9 * 310e6) == pytest.approx(1e3)
    # a narrow band around 100 Hz: m_j = σ² f^j
    sigma2, f0 = (20e6) ** 2, 100.0
    width = np.linspace(99.95, 100.05, 11)
    moments = [sigma2 * np.mean(width**j) for j in (0, 1, 2, 4)]
    nb = narrow_band_damage(moments[0], moments[2], 3600.0, sn)
    assert dirlik_damage(*moments, 3600.0, sn) == pytest.approx(nb, rel=0.02)
    # Steinberg's three bands stand in for the Rayleigh amplitudes; they match for the moderate
    # exponents Steinberg had in mind (6.4 for solder joints) and cut off the tail beyond 3σ,
    # which dominates for steep curves such as this aluminium's (m = 12.4)
    soft = SNCurve(6.4, 1e60)
    st = steinberg_damage(np.sqrt(moments[0]), moments[0], moments[2], 3600.0, soft)
    assert st / narrow_band_damage(moments[0], moments[2], 3600.0, soft) == pytest.approx(
        1, abs=0.15
    )
    steep = steinberg_damage(np.sqrt(moments[0]), moments[0], moments[2], 3600.0, sn)
    assert steep < nb
    assert nb == pytest.approx(3600 * f0 * np.sqrt(2 * sigma2) ** sn.exponent
                               * __import__("math").gamma(1 + sn.exponent / 2) / sn.coefficient,
                               rel=1e-3)  # fmt: skip


def test_half_sine_srs_against_an_independent_ode_solution() -> None:
    """Smallwood's filter against RK45 on the analytic pulse; the undamped maximax peak 1.77."""
    from scipy.integrate import solve_ivp

    from cellwright.engines.mechanics.shock import half_sine, shock_response_spectrum

    peak, duration, zeta = 150 * G, 6e-3, 0.05
    t = np.arange(0, 0.1, duration / 400)
    base = half_sine(t, peak, duration)
    freqs = np.array([30.0, 120.0, 400.0, 2000.0])
    srs = shock_response_spectrum(t, base, freqs, zeta)
    for f, got in zip(freqs, srs, strict=True):
        w = 2 * np.pi * f

        def rhs(time, y, w=w):
            a = peak * np.sin(np.pi * time / duration) if time <= duration else 0.0
            return [y[1], -a - 2 * zeta * w * y[1] - w**2 * y[0]]

        sol = solve_ivp(rhs, (0, 0.1), [0, 0], max_step=duration / 200, rtol=1e-10, atol=1e-12,
                        dense_output=True)  # fmt: skip
        y = sol.sol(t)
        absolute = -(2 * zeta * w * y[1] + w**2 * y[0])  # ü + a_base
        assert got == pytest.approx(np.abs(absolute).max(), rel=2e-3), f
    # an undamped oscillator's largest maximax response to a half-sine is 1.77 x the peak
    # (Harris & Piersol, Shock and Vibration Handbook, 5th ed., Fig. 8.11), near f T = 0.8
    f = np.geomspace(0.3 / duration, 2.0 / duration, 300)
    undamped = shock_response_spectrum(t, base, f, 1e-6)
    assert undamped.max() / peak == pytest.approx(1.77, abs=0.01)
    # far above the pulse's frequencies the oscillator follows the base
    assert shock_response_spectrum(t, base, np.array([20000.0]), zeta)[0] == pytest.approx(
        peak, rel=0.02
    )
