"""mechanics.crush material points and kernel against their definitions.

- A foam cube in uniaxial compression reproduces the calibration curve it was given (nominal
  stress against engineering strain; the exact uniaxial mapping of crush_materials.py).
- An elastic-plastic bar reproduces its hardening curve (Kirchhoff stress against the equivalent
  plastic log strain; J2 is symmetric in tension and compression, so it is pressed).
- Pressed at 2 m/s, the bar follows its Cowper–Symonds curve (rate hardening of an impact).
- Patch test: a homogeneous large deformation of an irregular mesh gives zero residual at the
  interior nodes and the same stress at every point (Taylor, Simo & Zienkiewicz 1986).
- Energy: the indenter's work equals internal energy plus contact energy to 1 %.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import brentq

from cellwright.engines.mechanics.crush_materials import (
    PlasticMaterial,
    foam_hardening,
)
from support.crush_cases import (
    E_FOAM,
    NOMINAL,
    STRAIN,
    block_between_plates,
    follow,
    homogeneous_evaluation,
    irregular_elastic_block,
)
from support.crush_cases import calibration_foam as _foam


def _top_strain(model, faces, u, size) -> float:
    top = np.unique(faces["zmax"])
    return float(-u.reshape(-1, 3)[top, 2].mean() / size)


def _uniaxial_nominal(strain: float, eq: np.ndarray, y: np.ndarray) -> float:
    """Nominal stress of the yield curve (ε̂, Y) at engineering strain e in uniaxial stress:
    ε̂ = −ln(1 − e) − Y(ε̂)/E, P = Y/(1 − e) (crush_materials.py), solved for ε̂."""
    total = -np.log1p(-strain)
    last_slope = (y[-1] - y[-2]) / (eq[-1] - eq[-2])

    def hardening(p: float) -> float:  # the last slope continues the curve
        return float(np.interp(p, eq, y)) + last_slope * max(p - eq[-1], 0.0)

    def gap(p: float) -> float:
        return total - hardening(p) / E_FOAM - p

    if gap(0.0) <= 0:  # still elastic
        return E_FOAM * total / (1 - strain)
    plastic = brentq(gap, 0.0, total, xtol=1e-14)
    return hardening(plastic) / (1 - strain)


def test_foam_cube_reproduces_its_calibration_curve() -> None:
    size = 0.01
    # a stiff penalty: the lumped contact of the plate otherwise makes the block's strain
    # non-uniform by ~1 % (error ∝ 1/penalty), which is not what this test is about
    model, faces = block_between_plates(_foam(), cells=2, penalty_factor=1000.0)
    _, states = follow(model, 0.42 * size, 42)
    strain = np.array([_top_strain(model, faces, s.u, size) for s in states])
    stress = np.array([s.evaluation.forces[0] for s in states]) / size**2
    eq, y = foam_hardening(STRAIN, NOMINAL, E_FOAM)
    expected = np.array([_uniaxial_nominal(e, eq, y) for e in strain])
    assert np.allclose(stress, expected, rtol=0.005)
    # and at the calibration points the curve is the one given
    inside = STRAIN[strain[-1] >= STRAIN]
    at_points = [_uniaxial_nominal(e, eq, y) for e in inside]
    assert np.allclose(at_points, np.interp(inside, STRAIN, NOMINAL), rtol=1e-9)
    # zero plastic Poisson ratio: the sides do not move
    side = np.unique(faces["xmax"])
    assert np.abs(states[-1].u.reshape(-1, 3)[side, 0]).max() < 1e-3 * size


def test_elastic_plastic_bar_reproduces_its_hardening_curve() -> None:
    e, nu = 200e9, 0.3
    strain = np.array([0.0, 0.02, 0.05, 0.1, 0.2])
    stress = np.array([180e6, 222.8e6, 261.1e6, 302.5e6, 355.7e6])
    steel = PlasticMaterial.j2(e, nu, 7850.0, strain, stress, name="steel")
    length = 0.02
    # stiff penalty, as for the foam cube: the contact's own compliance is not under test
    model, faces = block_between_plates(steel, size=(0.005, 0.005, length), cells=2,
                                        penalty_factor=1000.0)  # fmt: skip
    _, states = follow(model, 0.15 * length, 30)
    for s in states[5:]:
        lam = 1.0 - _top_strain(model, faces, s.u, length)
        tau = s.evaluation.forces[0] / 0.005**2 * lam
        eq = s.state[:, :, 6].mean()
        assert eq == pytest.approx(-np.log(lam) - tau / e, rel=2e-3, abs=1e-6)
        assert tau == pytest.approx(np.interp(eq, strain, stress), rel=2e-3)


def test_a_bar_pressed_fast_follows_its_cowper_symonds_curve() -> None:
    """Rate hardening: the mild-steel bar above pressed at 2 m/s (100/s over its 20 mm) flows at
    Y(ε̂) [1 + (ε̇/D)^(1/q)] with D = 40.4/s, q = 5 (Cowper & Symonds 1957; Jones 2012, eq. 8.3):
    twice its static curve here. ε̇ is the plastic strain rate of each step (the implicit,
    viscoplastic form); against the bar's total log-strain rate v / (L − δ) it differs only by
    the elastic part of the rate, which the hardening keeps small."""
    e, nu, d, q = 200e9, 0.3, 40.4, 5.0
    strain = np.array([0.0, 0.02, 0.05, 0.1, 0.2])
    stress = np.array([180e6, 222.8e6, 261.1e6, 302.5e6, 355.7e6])
    steel = PlasticMaterial.j2(e, nu, 7850.0, strain, stress, name="steel", rate=(d, q))
    length, speed = 0.02, 2.0
    model, faces = block_between_plates(steel, size=(0.005, 0.005, length), cells=2,
                                        penalty_factor=1000.0)  # fmt: skip
    _, states = follow(model, 0.15 * length, 30, speed=speed)
    checked = 0
    for before, s in itertools.pairwise(states[5:]):
        dt = (s.travel - before.travel) / speed
        travelled = _top_strain(model, faces, s.u, length)
        lam = 1.0 - travelled
        tau = s.evaluation.forces[0] / 0.005**2 * lam
        eq = s.state[:, :, 6].mean()
        rate = (eq - before.state[:, :, 6].mean()) / dt
        static = np.interp(eq, strain, stress)
        assert tau == pytest.approx(static * (1 + (rate / d) ** (1 / q)), rel=2e-3)
        total_rate = speed / (length * lam)  # d(−ln λ)/dt of the bar
        assert tau == pytest.approx(static * (1 + (total_rate / d) ** (1 / q)), rel=0.02)
        assert tau > 1.9 * static
        checked += 1
    assert checked > 20


def test_patch_test_homogeneous_large_deformation() -> None:
    model = irregular_elastic_block(4, 1e-3)
    ev, u, interior = homogeneous_evaluation(model, with_tangent=False)
    residual = (ev.residual - model.stabilisation * u).reshape(-1, 3)[interior]
    assert np.abs(residual).max() < 1e-9 * np.abs(ev.internal).max()
    assert np.allclose(ev.stress, ev.stress[0, 0], rtol=1e-9, atol=1e-6)


def test_energy_balance_to_one_percent() -> None:
    size = 0.01
    model, _ = block_between_plates(_foam(), cells=2, friction=0.0)
    follower, _ = follow(model, 0.4 * size, 40)
    e = follower.converged.energy
    balance = e["internal"] + e["contact"] + e["stabilisation"]
    assert balance == pytest.approx(e["external"], rel=0.01)
    assert 0 < e["plastic"] < e["internal"]
