"""The rigid indenters' geometry: gaps are distances to the surface and the normals' derivative
(the contact tangent's geometric term) matches central differences, for every kind and, on the
nail, in each of its three regions: ahead of the tip, beside the cone, beside the shank."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.mechanics.contact import Indenter, _curvature, gap_and_normal

D = np.array([0.0, 0.0, -1.0])  # every indenter comes down along -z, its tip at the origin


def _indenter(kind: str) -> Indenter:
    return Indenter("indenter", kind, np.zeros(3), D, axis=np.array([0.0, 1.0, 0.0]),
                    radius=4e-3, spacing=3e-3, half_angle=np.radians(30.0))  # fmt: skip


# points below (ahead of) the indenter and beside it, away from its kinks
POINTS = {
    "plate": [(1e-3, 2e-3, -0.5e-3)],
    "cylinder": [(0.5e-3, 1e-3, -0.2e-3), (2e-3, -1e-3, -1e-3)],
    "sphere": [(0.3e-3, 0.4e-3, -0.5e-3), (3e-3, 1e-3, -1e-3)],
    "three_cylinders": [(0.5e-3, 0.2e-3, -0.3e-3), (8.0e-3, 0.5e-3, -0.6e-3)],
    # ahead of the tip; beside the cone; beside the shank (above the cone's base)
    "nail": [(0.1e-3, 0.05e-3, -0.4e-3), (1.5e-3, 0.4e-3, 0.8e-3), (4.6e-3, 0.5e-3, 9e-3)],
}


@pytest.mark.parametrize("kind", sorted(POINTS))
def test_normal_derivative_matches_central_differences(kind: str) -> None:
    par = _indenter(kind).params()
    h = 1e-8
    for x in map(np.array, POINTS[kind]):
        _, n = gap_and_normal(par, 0.0, x)
        numeric = np.empty((3, 3))
        for j in range(3):
            e = np.zeros(3)
            e[j] = h
            numeric[:, j] = (gap_and_normal(par, 0.0, x + e)[1]
                             - gap_and_normal(par, 0.0, x - e)[1]) / (2 * h)  # fmt: skip
        assert np.allclose(_curvature(par, 0.0, x, n), numeric, atol=1e-5 * np.abs(numeric).max()
                           + 1e-9), (kind, x)  # fmt: skip


def test_the_nails_gap_ahead_of_its_tip_is_the_distance_to_the_tip() -> None:
    """A node straight below the tip is pushed along the travel, not sideways, and its gap is
    its distance: the cone's generator plane would say half of it and push it at 60° off."""
    par = _indenter("nail").params()
    x = np.array([0.0, 1e-9, -1e-3])
    gap, n = gap_and_normal(par, 0.0, x)
    assert gap == pytest.approx(1e-3, rel=1e-9)
    assert n @ D == pytest.approx(1.0, abs=1e-6)  # out of the nail, towards the node
    # the gap is continuous where the tip's region meets the cone's
    phi = np.radians(30.0)
    edge = np.array([np.cos(phi), 0.0, -np.sin(phi)]) * 1e-3  # on the tip's normal cone
    inside, outside = gap_and_normal(par, 0.0, edge * 1.0001), gap_and_normal(par, 0.0, edge)
    assert inside[0] == pytest.approx(outside[0], rel=1e-3)
