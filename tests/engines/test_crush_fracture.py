"""Ductile fracture with the negative-triaxiality cut-off (engines/mechanics/crush_fracture.py)."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.mechanics.crush_fracture import accumulate_damage, triaxiality

_PAIRS = ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1))


def _voigt(t: np.ndarray, engineering: bool) -> np.ndarray:
    return np.array([t[i, j] * (2.0 if engineering and i != j else 1.0) for i, j in _PAIRS])


@pytest.mark.parametrize(
    ("principal", "expected"),
    [((1.0, 0.0, 0.0), 1 / 3), ((-1.0, 0.0, 0.0), -1 / 3), ((1.0, -1.0, 0.0), 0.0),
     ((1.0, 1.0, 0.0), 2 / 3), ((-1.0, -1.0, 0.0), -2 / 3)],
)  # fmt: skip
def test_the_classic_states_have_their_textbook_triaxiality(principal, expected) -> None:
    """Uniaxial tension 1/3, compression −1/3, pure shear 0, equibiaxial ±2/3, undeformed."""
    s = np.diag(principal) * 150e6
    assert triaxiality(_voigt(s, False), np.zeros(6)) == pytest.approx(expected, abs=1e-12)


def test_triaxiality_is_that_of_the_kirchhoff_stress_of_a_large_deformation() -> None:
    """S and E of a random large deformation give η of τ = F S Fᵀ computed directly."""
    rng = np.random.default_rng(7)
    for _ in range(20):
        f = np.eye(3) + 0.4 * rng.standard_normal((3, 3))
        if np.linalg.det(f) < 0.2:
            continue
        s = rng.standard_normal((3, 3)) * 1e8
        s = 0.5 * (s + s.T)
        e = 0.5 * (f.T @ f - np.eye(3))
        tau = f @ s @ f.T
        mean = np.trace(tau) / 3
        dev = tau - mean * np.eye(3)
        expected = mean / np.sqrt(1.5 * np.sum(dev * dev))
        got = triaxiality(_voigt(s, False)[None], _voigt(e, True)[None])[0]
        assert got == pytest.approx(expected, rel=1e-10)


def test_compressed_points_never_fracture_and_stretched_ones_do_at_their_strain() -> None:
    """Plastic strain counts only at η ≥ −1/3; in tension the point fractures at ε_f, once."""
    damage = np.zeros((3, 1))
    limit = np.array([0.25, 0.25, 0.0])  # the last material never fractures
    eta = np.array([[1 / 3], [-0.5], [1 / 3]])
    eq = np.zeros((3, 1))
    first = []
    for step in range(1, 11):
        after = np.full((3, 1), 0.05 * step)
        new = accumulate_damage(damage, eq, after, eta, limit)
        first.extend((step, int(i)) for i in np.flatnonzero(new[:, 0]))
        eq = after
    assert first == [(5, 0)]  # 5 × 0.05 = 0.25 in tension, reported in that step only
    assert damage[1, 0] == 0.0 and damage[2, 0] == 0.0
    assert damage[0, 0] == pytest.approx(2.0)


def test_a_point_that_turns_from_compression_to_tension_counts_only_the_stretched_part() -> None:
    damage = np.zeros((1, 1))
    limit = np.array([0.2])
    accumulate_damage(damage, np.zeros((1, 1)), np.full((1, 1), 0.5), np.full((1, 1), -0.6), limit)
    assert damage[0, 0] == 0.0
    new = accumulate_damage(damage, np.full((1, 1), 0.5), np.full((1, 1), 0.6),
                            np.full((1, 1), 0.1), limit)  # fmt: skip
    assert damage[0, 0] == pytest.approx(0.5) and not new.any()
