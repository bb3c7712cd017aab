"""Natural frequencies of beams, rods and plates against their analytic solutions.

Sources: Euler–Bernoulli beams, f_n = β_n² / (2π L²) sqrt(EI / ρA) with β_nL = 1.87510,
4.69409, 7.85476 (clamped-free) and 4.73004, 7.85320 (free-free, clamped-clamped) — Blevins,
*Formulas for Natural Frequency and Mode Shape* (1979), Table 8-1; axial and torsional rods,
f_n = (2n-1)/(4L) sqrt(E/ρ) and (2n-1)/(4L) sqrt(G J / ρ I_p), J = k a⁴ of a square section by
Saint-Venant's series (Timoshenko & Goodier, *Theory of Elasticity*, 3rd ed., §109); simply
supported square plate λ² = ω a² sqrt(ρh/D) = π²(m² + n²) (Leissa, *Vibration of Plates*,
NASA SP-160, 1969, Table 4.20). The solid model adds shear deformation and rotary inertia, which
lower higher beam modes by a few tenths of a per cent at these slenderness ratios.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.mechanics.eigen import solve_modes
from support.beams import steel_box

E, NU, RHO = 210e9, 0.3, 7850.0


def euler_bernoulli(beta: float, length: float, h: float) -> float:
    return beta**2 / (2 * np.pi * length**2) * np.sqrt(E * h**2 / (12 * RHO))


def test_clamped_free_beam_first_mode_208_88_hz() -> None:
    model = steel_box(0.2, 0.01, 0.01, (30, 3, 3))
    model.fix("xmin")
    modes = solve_modes(model.build(), 4)
    assert euler_bernoulli(1.87510, 0.2, 0.01) == pytest.approx(208.88, abs=0.01)
    for f in modes.frequencies[:2]:  # bending in y and z
        assert f == pytest.approx(208.88, rel=5e-3)
    # the first bending pair carries 61.3 % of the mass (Euler–Bernoulli: 0.6131)
    eff = modes.effective_mass / modes.total_mass
    assert eff[:2, 1].sum() + eff[:2, 2].sum() == pytest.approx(2 * 0.6131, rel=0.01)


@pytest.mark.slow
def test_clamped_free_beam_converges_finely() -> None:
    model = steel_box(0.2, 0.01, 0.01, (60, 6, 6))
    model.fix("xmin")
    f = solve_modes(model.build(), 2).frequencies
    assert f[0] == pytest.approx(208.88, rel=1e-3)


@pytest.mark.parametrize(
    ("supports", "betas"),
    [
        (("xmin",), (1.87510, 4.69409, 7.85476)),
        ((), (4.73004, 7.85320)),
        (("xmin", "xmax"), (4.73004, 7.85320)),
    ],
    ids=["clamped-free", "free-free", "clamped-clamped"],
)
def test_slender_beam_modes(supports, betas) -> None:
    length, h = 0.4, 0.01
    model = steel_box(length, h, h, (80, 2, 2))
    for group in supports:
        model.fix(group)
    modes = solve_modes(model.build(), 14)
    assert modes.rigid.sum() == (0 if supports else 6)
    bending = modes.frequencies[modes.elastic][: 2 * len(betas) + 2]
    for k, beta in enumerate(betas):
        expected = euler_bernoulli(beta, length, h)
        got = bending[np.argmin(abs(bending - expected))]
        tolerance = 5e-3 if k == 0 else 1e-2
        assert got == pytest.approx(expected, rel=tolerance), (k, got, expected)


def _rotation_participation(modes, system, axis_point) -> np.ndarray:
    p = system.mesh.points - np.asarray(axis_point)
    r = np.cross([1.0, 0.0, 0.0], p).ravel()
    return modes.shapes[modes.free].T @ (system.mass @ r)[modes.free]


def test_axial_and_torsional_rod() -> None:
    length, a = 0.2, 0.01
    model = steel_box(length, a, a, (20, 4, 4))
    model.fix("xmin")
    system = model.build()
    modes = solve_modes(system, 12)
    axial = modes.frequencies[modes.effective_mass[:, 0] > 0.05 * modes.total_mass]
    assert axial[0] == pytest.approx(np.sqrt(E / RHO) / (4 * length), rel=5e-3)
    twist = np.abs(_rotation_participation(modes, system, (0, a / 2, a / 2)))
    torsion = modes.frequencies[twist > 0.3 * twist.max()]
    k = (1 - 192 / np.pi**5 * sum(np.tanh(n * np.pi / 2) / n**5 for n in range(1, 41, 2))) / 3
    g = E / (2 * (1 + NU))
    expected = np.sqrt(g * k * a**4 / (RHO * a**4 / 6)) / (4 * length)
    assert torsion[0] == pytest.approx(expected, rel=5e-3)


@pytest.mark.parametrize(
    ("thickness", "n"), [(0.004, 24), pytest.param(0.002, 40, marks=pytest.mark.slow)]
)
def test_simply_supported_square_plate(thickness, n) -> None:
    a = 0.2
    model = steel_box(a, a, thickness, (n, n, 1))
    for group in ("xmin", "xmax", "ymin", "ymax"):
        model.fix(group, "z")
    modes = solve_modes(model.build(), 8)
    d = E * thickness**3 / (12 * (1 - NU**2))
    lam = modes.omega[modes.elastic] * a**2 * np.sqrt(RHO * thickness / d)
    assert modes.rigid.sum() == 3  # in-plane translations and the rotation about z are free
    for got, expected in zip(lam[[0, 1, 2, 3]], (19.739, 49.348, 49.348, 78.957), strict=True):
        assert got == pytest.approx(expected, rel=1e-2)


def test_effective_masses_sum_to_the_moving_mass() -> None:
    """All modes of a small clamped model: Σ Γ² = (Mr)ᵀ M⁻¹ (Mr); a free body: the total mass."""
    from scipy.linalg import eigh

    model = steel_box(0.05, 0.01, 0.01, (5, 1, 1))
    model.fix("xmin")
    system = model.build()
    k, m = system.reduced()
    values, vectors = eigh(k.toarray(), m.toarray())
    modes = solve_modes(system, 10)
    full = vectors.T @ modes.base_load  # φ mass-normalised by eigh
    moving = np.einsum("id,id->d", modes.base_load, np.linalg.solve(m.toarray(), modes.base_load))
    np.testing.assert_allclose((full**2).sum(axis=0), moving, rtol=1e-9)
    assert np.all(moving < system.total_mass) and np.all(moving > 0.8 * system.total_mass)
    np.testing.assert_allclose(np.sqrt(values[:10]) / 2 / np.pi, modes.frequencies, rtol=1e-8)

    free = steel_box(0.05, 0.02, 0.01, (3, 2, 1)).build()
    body = solve_modes(free, 8)
    assert body.rigid.sum() == 6
    np.testing.assert_allclose(
        body.effective_mass[body.rigid].sum(axis=0), free.total_mass, rtol=1e-8
    )


def test_block_on_elastic_supports_bounces_at_sqrt_k_over_m() -> None:
    """A stiff block on a soft elastic support: f_z = sqrt(k A / m) / 2π (rigid-body bounce)."""
    side, height, k = 0.05, 0.02, 1e8  # N/m³ per unit area
    model = steel_box(side, side, height, (3, 3, 2))
    model.spring("zmin", (k, k, k))
    system = model.build()
    modes = solve_modes(system, 6)
    bounce = modes.frequencies[np.argmax(modes.effective_mass[:, 2])]
    expected = np.sqrt(k * side**2 / system.total_mass) / (2 * np.pi)
    assert bounce == pytest.approx(expected, rel=1e-3)
    assert modes.effective_mass[:, 2].max() == pytest.approx(system.total_mass, rel=1e-3)


def test_tip_mass_on_a_cantilever() -> None:
    """A mass M spread over the free end: f = sqrt(3EI / ((M + 0.2357 m) L³)) / 2π (Rayleigh;
    Blevins 1979, Table 8-8, within 0.5 % for M ≥ m)."""
    length, h = 0.2, 0.01
    model = steel_box(length, h, h, (30, 3, 3))
    model.fix("xmin")
    beam = RHO * length * h * h
    model.add_mass("xmax", 2 * beam)
    system = model.build()
    assert system.total_mass == pytest.approx(3 * beam, rel=1e-9)
    f = solve_modes(system, 2).frequencies[0]
    stiffness = 3 * E * h**4 / 12 / length**3
    expected = np.sqrt(stiffness / (2 * beam + 0.2357 * beam)) / (2 * np.pi)
    assert f == pytest.approx(expected, rel=1e-2)
