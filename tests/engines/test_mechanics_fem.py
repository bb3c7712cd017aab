"""The quadratic-tetrahedron elasticity core: against scikit-fem, the patch test, materials."""

from __future__ import annotations

import numpy as np
import pytest
import skfem  # scikit-fem (dev extra) is the reference assembler
from skfem.helpers import ddot, dot, sym_grad

from cellwright.engines.mechanics.assembly import ElasticAssembler
from cellwright.engines.mechanics.materials import (
    ElasticMaterial,
    engineering_constants,
    isotropic_stiffness,
    layered_stiffness,
    orthotropic_stiffness,
    rotate_stiffness,
)
from cellwright.engines.mechanics.quadratic import QuadraticMesh, reference_weights
from support.beams import steel_box

VOIGT = ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1))


@pytest.fixture(scope="module")
def sheared():
    """A graded box mesh under a shear, so element shapes and sizes vary."""
    base = skfem.MeshTet.init_tensor(
        np.linspace(0.0, 0.01, 4) ** 1.3, np.linspace(0.0, 0.02, 4), np.linspace(0.0, 0.005, 3)
    )
    shear = np.array([[1.0, 0.3, 0.0], [0.0, 1.0, 0.2], [0.1, 0.0, 1.0]])
    points = (shear @ base.p).T.copy()
    tets = base.t.T.copy()
    ref = skfem.MeshTet(points.T, tets.T)
    basis = skfem.Basis(ref, skfem.ElementVector(skfem.ElementTetP2()))
    return points, tets, ref, basis


def _permutation(mesh: QuadraticMesh, ref, basis) -> np.ndarray:
    """Our degree of freedom (3 node + c) -> scikit-fem's."""
    nv = mesh.n_vertices
    edge_node = {}
    for t in mesh.tet10:
        for k, (a, b) in enumerate(((0, 1), (1, 2), (0, 2), (0, 3), (1, 3), (2, 3))):
            edge_node[(min(t[a], t[b]), max(t[a], t[b]))] = t[4 + k]
    perm = np.empty(3 * mesh.n_nodes, dtype=np.int64)
    for c in range(3):
        perm[3 * np.arange(nv) + c] = basis.nodal_dofs[c]
        for e, (a, b) in enumerate(ref.edges.T):
            perm[3 * edge_node[(min(a, b), max(a, b))] + c] = basis.edge_dofs[c, e]
    return perm


def _tensor(c: np.ndarray) -> np.ndarray:
    t = np.zeros((3, 3, 3, 3))
    for i, (a, b) in enumerate(VOIGT):
        for j, (p, q) in enumerate(VOIGT):
            t[a, b, p, q] = t[b, a, p, q] = t[a, b, q, p] = t[b, a, q, p] = c[i, j]
    return t


def test_stiffness_and_mass_equal_scikit_fem(sheared) -> None:
    points, tets, ref, basis = sheared
    axes = np.linalg.qr(np.array([[1.0, 0.4, 0.2], [0.1, 1.0, 0.3], [0.2, 0.1, 1.0]]))[0].T
    c_local = orthotropic_stiffness((20e9, 5e9, 3e9), (0.3, 0.25, 0.35), (1e9, 1.5e9, 2e9))
    c_global = rotate_stiffness(c_local, axes[None])[0]
    tensor = _tensor(c_global)
    rho = 2500.0

    @skfem.BilinearForm
    def elasticity(u, v, w):
        eps = sym_grad(u)
        sigma = np.einsum("ijkl,kl...->ij...", tensor, eps)
        return ddot(sigma, sym_grad(v))

    @skfem.BilinearForm
    def inertia(u, v, w):
        return rho * dot(u, v)

    k_ref = elasticity.assemble(basis)
    m_ref = inertia.assemble(basis)
    mesh = QuadraticMesh.from_linear(points, tets)
    asm = ElasticAssembler(mesh)
    k = asm.stiffness(np.broadcast_to(c_global, (len(tets), 6, 6)))
    m = asm.mass(np.full(len(tets), rho))
    perm = _permutation(mesh, ref, basis)
    k_ref = k_ref[perm][:, perm]
    m_ref = m_ref[perm][:, perm]
    assert abs(k - k_ref).max() <= 1e-12 * abs(k_ref).max()
    assert abs(m - m_ref).max() <= 1e-12 * abs(m_ref).max()


def test_patch_test_reproduces_a_linear_field_exactly() -> None:
    """Distorted interior, linear displacement on the boundary: exact nodal values and stress."""
    model = steel_box(0.02, 0.01, 0.01, (4, 3, 3))
    rng = np.random.default_rng(3)
    pts = model.mesh.points[: model.mesh.n_vertices].copy()
    interior = np.all((pts > 1e-9) & (pts < np.array([0.02, 0.01, 0.01]) - 1e-9), axis=1)
    pts[interior] += rng.uniform(-1.5e-3, 1.5e-3, (interior.sum(), 3)) * [1, 0.6, 0.6]
    from cellwright.engines.mechanics.model import StructuralModel

    tets = model.mesh.tets
    surf = {k: v[:, :3] for k, v in model.mesh.surfaces.items()}
    model = StructuralModel(pts, tets, {"solid": np.arange(len(tets))}, surf)
    model.set_material("solid", ElasticMaterial.isotropic(70e9, 0.33, 2700))
    for g in ("xmin", "xmax", "ymin", "ymax", "zmin", "zmax"):
        model.fix(g)
    system = model.build()
    grad_u = np.array([[1e-3, 2e-4, -3e-4], [5e-4, -2e-3, 1e-4], [-1e-4, 3e-4, 4e-4]])
    exact = (model.mesh.points @ grad_u.T).ravel()
    u = exact.copy()
    f, c = system.free, np.flatnonzero(system.fixed)
    k = system.stiffness
    from scipy.sparse.linalg import spsolve

    u[f] = spsolve(k[f][:, f].tocsc(), -k[f][:, c] @ exact[c])
    assert f.size > 100 and np.abs(u - exact).max() <= 1e-10 * np.abs(exact).max()
    from cellwright.engines.mechanics.kernels import vertex_stresses

    stress = vertex_stresses(
        model.mesh.tet10, system.grad, system.element_stiffness, u[:, None], model.mesh.n_vertices
    )[:, :, 0]
    eps = 0.5 * (grad_u + grad_u.T)
    voigt = np.array([eps[0, 0], eps[1, 1], eps[2, 2], 2 * eps[1, 2], 2 * eps[0, 2], 2 * eps[0, 1]])
    expected = isotropic_stiffness(70e9, 0.33) @ voigt
    assert np.abs(stress - expected).max() <= 1e-8 * np.abs(expected).max()


def test_rigid_body_motion_has_no_strain_energy_and_mass_is_exact() -> None:
    model = steel_box(0.03, 0.02, 0.01, (3, 2, 2), rho=1000.0)
    system = model.build()
    p = model.mesh.points
    rotation = np.cross([0.0, 0.0, 1.0], p).ravel()  # small rotation about z
    for u in (system.rigid_translation(0), rotation):
        assert abs(u @ (system.stiffness @ u)) <= 1e-9 * abs(system.stiffness).max() * len(u)
    assert system.total_mass == pytest.approx(1000.0 * 0.03 * 0.02 * 0.01, rel=1e-12)
    assert reference_weights().sum() == pytest.approx(1.0)


def test_quadratic_mesh_numbers_every_edge_once() -> None:
    model = steel_box(0.02, 0.01, 0.01, (2, 2, 2))
    mesh = model.mesh
    pairs = ((0, 1), (1, 2), (0, 2), (0, 3), (1, 3), (2, 3))
    edges = {tuple(sorted((t[a], t[b]))) for t in mesh.tets for a, b in pairs}
    assert mesh.n_nodes == mesh.n_vertices + len(edges)
    mid = 0.5 * (mesh.points[mesh.tet10[:, 0]] + mesh.points[mesh.tet10[:, 1]])
    np.testing.assert_allclose(mesh.points[mesh.tet10[:, 4]], mid)
    tri6 = mesh.surfaces["xmin"]
    np.testing.assert_allclose(
        mesh.points[tri6[:, 5]], 0.5 * (mesh.points[tri6[:, 0]] + mesh.points[tri6[:, 2]])
    )


def test_rotated_orthotropic_and_backus_limits() -> None:
    c = orthotropic_stiffness((100e9, 10e9, 5e9), (0.3, 0.2, 0.4), (3e9, 4e9, 6e9))
    const = engineering_constants(c)
    assert const["E1"] == pytest.approx(100e9) and const["nu23"] == pytest.approx(0.4)
    quarter = np.array([[[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]])
    swapped = engineering_constants(rotate_stiffness(c, quarter)[0])
    assert swapped["E2"] == pytest.approx(100e9) and swapped["E1"] == pytest.approx(10e9)
    iso = isotropic_stiffness(70e9, 0.33)
    np.testing.assert_allclose(rotate_stiffness(iso, quarter)[0], iso, atol=1e-3)
    # identical layers are the material itself; two layers obey the series/parallel bounds
    np.testing.assert_allclose(layered_stiffness([(1.0, 70e9, 0.33), (2.0, 70e9, 0.33)]), iso)
    two = engineering_constants(layered_stiffness([(1.0, 200e9, 0.0), (1.0, 2e9, 0.0)]))
    assert two["E1"] == pytest.approx(2 / (1 / 200e9 + 1 / 2e9))  # ν = 0: exact series
    assert two["E2"] == pytest.approx(101e9)  # and exact parallel
    mat = ElasticMaterial(c, 1000.0, frame="cylindrical")
    axes = mat.axes(np.array([[0.0, 2.0, 1.0]]))[0]
    np.testing.assert_allclose(axes, [[0, 1, 0], [-1, 0, 0], [0, 0, 1]], atol=1e-12)
