"""mechanics.crush contact against Hertz line contact (Johnson 1985, *Contact Mechanics*, §4.3).

A rigid cylinder of radius R pressed into an elastic half-plane in plane strain: with the load
per unit length P' and E* = E/(1 − ν²) the contact half-width is b = sqrt(4 P' R / (π E*)) and
the pressure p(x) = p0 sqrt(1 − x²/b²), p0 = 2 P'/(π b) (Johnson eqs. 4.43, 4.45). The half-plane
is a slab one element thick with both faces held normal (plane strain), symmetric about x = 0,
graded so that the contact zone has about twenty elements across. P' is the force the solver
finds; the half-width is read from the second moment of the nodal contact forces
(Σ f x² / Σ f = b²/4 for the elliptical distribution, which holds with consistent nodal forces
whatever their lumping). The pressure checked is the one the engine stores and shows, recovered
from the contact forces of the faces (``CrushModel.contact_pressure``); the nodal penalty
pressures of 6-node faces alternate between a tenth of p0 at vertices and 1.3 p0 at mid-edge
nodes, which is why they are not what it shows.

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
    from cellwright.engines.mechanics.contact import skin_faces

    tri, _ = skin_faces(model.mesh.tet10)
    on_top = np.all(np.isclose(model.mesh.points[tri[:, :3], 1], top), axis=1)
    return tri[on_top]


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
    x = model.mesh.points[surface, 0]
    return model, f, x, top, load_per_length, b_hertz, done


@pytest.mark.slow
def test_hertz_line_contact_half_width(hertz) -> None:
    _, f, x, _, _, b_hertz, _ = hertz
    b = 2 * np.sqrt((f * x**2).sum() / f.sum())
    assert b == pytest.approx(b_hertz, rel=0.02)


@pytest.mark.slow
def test_hertz_line_contact_peak_pressure(hertz) -> None:
    """The contact pressure the engine reports (its stored field) peaks at Hertz' p0, and
    follows p0 sqrt(1 - x²/b²) across the contact."""
    model, _, _, top, load_per_length, b_hertz, done = hertz
    p0_hertz = 2 * load_per_length / (np.pi * b_hertz)
    pressure = model.contact_pressure(done.u, done.travel, done.evaluation.gaps)
    nodes = model.skin_nodes
    x, y = model.mesh.points[nodes, 0], model.mesh.points[nodes, 1]
    vertex = (nodes < model.mesh.n_vertices) & np.isclose(y, top)
    centre = vertex & np.isclose(x, 0.0)
    assert pressure[centre].mean() == pytest.approx(p0_hertz, rel=0.02)
    inside = vertex & (x < 0.8 * b_hertz)
    expected = p0_hertz * np.sqrt(1 - (x[inside] / b_hertz) ** 2)
    assert np.abs(pressure[inside] - expected).max() < 0.05 * p0_hertz


def test_a_uniformly_pressed_face_shows_its_uniform_pressure() -> None:
    """A block on rollers pressed by a frictionless plate is in uniform stress: the contact
    pressure shown is force over area at every node of the face, edges and corners included
    (the side faces, perpendicular to the plate, carry none of it)."""
    from cellwright.engines.mechanics.crush_materials import PlasticMaterial
    from cellwright.engines.mechanics.materials import ElasticMaterial, isotropic_stiffness
    from support.crush_cases import block_between_plates

    size = 0.01
    material = PlasticMaterial(ElasticMaterial(isotropic_stiffness(E, NU), 7800.0))
    model, _ = block_between_plates(material, cells=3, penalty_factor=100.0)
    follower, _ = follow(model, 5e-5, 1)
    done = follower.converged
    pressure = model.contact_pressure(done.u, done.travel, done.evaluation.gaps)
    top = np.isclose(model.mesh.points[model.skin_nodes, 2], size)
    uniform = done.evaluation.forces[0] / size**2
    # about the strain the plate imposes (the smoothing band starts it a few micrometres early)
    assert uniform == pytest.approx(E * 5e-3, rel=0.05)
    assert pressure[top] == pytest.approx(np.full(top.sum(), uniform), rel=5e-3)
    assert not pressure[~top].any()
