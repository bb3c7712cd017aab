"""mechanics.crush contact against Hertz line contact (Johnson 1985, *Contact Mechanics*, §4.3).

A rigid cylinder of radius R pressed into an elastic half-plane in plane strain: with the load
per unit length P' and E* = E/(1 − ν²) the contact half-width is b = sqrt(4 P' R / (π E*)) and
the pressure p(x) = p0 sqrt(1 − x²/b²), p0 = 2 P'/(π b) (Johnson eqs. 4.43, 4.45). The half-plane
is a slab one element thick with both faces held normal (plane strain), symmetric about x = 0,
graded so that the contact zone has about twenty elements across. P' is the force the solver
finds; the half-width is read from the second moment of the nodal contact forces
(Σ f x² / Σ f = b²/4 for the elliptical distribution, which holds with consistent nodal forces
whatever their lumping), the peak pressure from the pressures that give the nodal forces through
the surface mass matrix of the 6-node triangles (consistent recovery).

Slow: ~5 k quadratic tetrahedra, four steps of about ten Newton iterations; the two checks
share one solve.
"""

from __future__ import annotations

import numpy as np
import pytest

from support.boxes import box_mesh
from support.crush_cases import follow

RADIUS, E, NU = 0.01, 10e9, 0.3
THICKNESS = 2e-4

# consistent mass matrix of a 6-node triangle / area (v0 v1 v2 e01 e12 e02)
_TRI6_MASS = (
    np.array(
        [
            [6, -1, -1, 0, -4, 0],
            [-1, 6, -1, 0, 0, -4],
            [-1, -1, 6, -4, 0, 0],
            [0, 0, -4, 32, 16, 16],
            [-4, 0, 0, 16, 32, 16],
            [0, -4, 0, 16, 16, 32],
        ],
        dtype=float,
    )
    / 180.0
)


def _graded(fine: float, fine_length: float, total: float, growth: float = 1.25) -> np.ndarray:
    """Uniform spacing ``fine`` up to ``fine_length``, then growing geometrically to ``total``."""
    near = np.arange(0.0, fine_length + 0.5 * fine, fine)
    far, h = [near[-1]], fine
    while far[-1] < total:
        h *= growth
        far.append(min(far[-1] + h, total))
    return np.concatenate([near, far[1:]])


def _slab(half_width: float):
    from cellwright.engines.mechanics.contact import Indenter
    from cellwright.engines.mechanics.crush_materials import PlasticMaterial
    from cellwright.engines.mechanics.crush_setup import crush_model
    from cellwright.engines.mechanics.materials import ElasticMaterial, isotropic_stiffness
    from cellwright.engines.mechanics.model import StructuralModel

    size = 30 * half_width
    xs = _graded(half_width / 10, 1.6 * half_width, size)
    depth = _graded(half_width / 10, 0.6 * half_width, size)
    ys = size - depth[::-1]
    pts, tets, faces = box_mesh(xs, ys, [0.0, THICKNESS])
    sm = StructuralModel(pts, tets, {"slab": np.arange(len(tets))}, faces)
    for face, axis in (("zmin", "z"), ("zmax", "z"), ("xmin", "x"), ("ymin", "y")):
        sm.fix(face, axis)
    down, axis = np.array([0.0, -1.0, 0.0]), np.array([0.0, 0.0, 1.0])
    tip = np.array([0.0, size, 0.5 * THICKNESS])
    rod = Indenter("rod", "cylinder", tip, down, axis, RADIUS, friction=0.0)
    material = PlasticMaterial(ElasticMaterial(isotropic_stiffness(E, NU), 7800.0))
    return crush_model(sm, {"slab": material}, [rod], penalty_factor=1000.0), size


def _top_tri6(model, top: float) -> np.ndarray:
    from cellwright.engines.mechanics.contact import skin_tri6

    tri = skin_tri6(model.mesh.tet10)
    on_top = np.all(np.isclose(model.mesh.points[tri[:, :3], 1], top), axis=1)
    return tri[on_top]


def _recovered_pressure(model, tri6: np.ndarray, nodal_force: np.ndarray) -> np.ndarray:
    """Pressures p (per node) whose consistent nodal forces are ``nodal_force`` (-y)."""
    import scipy.sparse as sp
    from scipy.sparse.linalg import spsolve

    nodes, local = np.unique(tri6, return_inverse=True)
    local = local.reshape(tri6.shape)
    p = model.mesh.points[tri6[:, :3]]
    area = 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)
    rows = np.repeat(local, 6, axis=1).ravel()
    cols = np.tile(local, (1, 6)).ravel()
    vals = (area[:, None, None] * _TRI6_MASS).ravel()
    mass = sp.csr_matrix((vals, (rows, cols)), shape=(nodes.size, nodes.size))
    return nodes, spsolve(mass.tocsc(), nodal_force[nodes])


@pytest.fixture(scope="module")
def hertz():
    """The slab pressed to the planned half-width, and what Hertz says of the force found."""
    b_target = 5e-4
    model, top = _slab(b_target)
    # approach of a half-plane of depth d under P': δ ≈ P'/(π E*) (2 ln(2d/b) − 1), about
    e_star = E / (1 - NU**2)
    load = b_target**2 * np.pi * e_star / (4 * RADIUS)
    travel = load / (np.pi * e_star) * (2 * np.log(2 * top / b_target) - 1)
    follower, _ = follow(model, travel, 4)
    done = follower.converged
    # at equilibrium the contact forces on the top nodes balance the internal ones
    force_y = done.evaluation.internal[1::3] + model.stabilisation * done.u[1::3]
    tri6 = _top_tri6(model, top)
    surface = np.unique(tri6)
    f = -force_y[surface]
    load_per_length = 2 * f.sum() / THICKNESS  # the half model carries half
    assert load_per_length == pytest.approx(2 * done.evaluation.forces[0] / THICKNESS, rel=1e-6)
    b_hertz = np.sqrt(4 * load_per_length * RADIUS / (np.pi * e_star))
    assert 0.7 * b_target < b_hertz < 1.3 * b_target  # the contact is resolved as planned
    return model, tri6, force_y, f, model.mesh.points[surface, 0], load_per_length, b_hertz


@pytest.mark.slow
def test_hertz_line_contact_half_width(hertz) -> None:
    _, _, _, f, x, _, b_hertz = hertz
    b = 2 * np.sqrt((f * x**2).sum() / f.sum())
    assert b == pytest.approx(b_hertz, rel=0.02)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="known gap (issue 17): contact acts at the skin nodes only, and on 6-node faces the "
    "recovered pressure oscillates between the columns of vertex and mid-edge nodes (1.26 and "
    "0.94 of p0 at the centre, 1.22 and 0.93 one element out; measured 2026-11-30), so the "
    "peak overshoots by ~25 %; quadrature over the faces (tried in e274275, its Hertz check "
    "not completed) left a round cell on a plate unsupported and was reverted",
)
def test_hertz_line_contact_peak_pressure(hertz) -> None:
    model, tri6, force_y, _, _, load_per_length, b_hertz = hertz
    p0_hertz = 2 * load_per_length / (np.pi * b_hertz)
    nodes, pressure = _recovered_pressure(model, tri6, -force_y)
    p0 = pressure[np.isclose(model.mesh.points[nodes, 0], 0.0)].mean()
    assert p0 == pytest.approx(p0_hertz, rel=0.02)
