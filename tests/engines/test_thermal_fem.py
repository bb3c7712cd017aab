"""Our P1 tetrahedral assembly against scikit-fem's on the same small, distorted mesh."""

from __future__ import annotations

import numpy as np
import pytest
import skfem  # scikit-fem (dev extra) is the reference assembler

from cellwright.engines.thermal import fem


@pytest.fixture(scope="module")
def mesh():
    """A graded box mesh under a shear, so element shapes and sizes vary."""
    base = skfem.MeshTet.init_tensor(
        np.linspace(0.0, 0.01, 6) ** 1.3, np.linspace(0.0, 0.02, 5), np.linspace(0.0, 0.005, 4)
    )
    shear = np.array([[1.0, 0.3, 0.0], [0.0, 1.0, 0.2], [0.1, 0.0, 1.0]])
    points = (shear @ base.p).T.copy()
    tets = base.t.T.copy()
    ref = skfem.MeshTet(points.T, tets.T)
    return points, tets, skfem.Basis(ref, skfem.ElementTetP1())


def _per_quadrature_point(basis, values: np.ndarray) -> np.ndarray:
    return np.repeat(values[:, None], basis.X.shape[-1], axis=1)


def test_isotropic_stiffness_and_mass_equal_scikit_fem(mesh) -> None:
    points, tets, basis = mesh
    rng = np.random.default_rng(1)
    kappa = rng.uniform(0.2, 40.0, len(tets))
    rho_c = rng.uniform(1e6, 3e6, len(tets))

    @skfem.BilinearForm
    def laplace(u, v, w):
        return w.kappa * sum(u.grad[a] * v.grad[a] for a in range(3))

    @skfem.BilinearForm
    def capacity(u, v, w):
        return w.rho_c * u * v

    k_ref = laplace.assemble(basis, kappa=_per_quadrature_point(basis, kappa))
    m_ref = capacity.assemble(basis, rho_c=_per_quadrature_point(basis, rho_c))

    geo = fem.tet_geometry(points, tets)
    pattern = fem.Pattern(len(points), tets)
    k_ours = pattern.matrix(fem.stiffness_values(geo, kappa[:, None, None] * np.eye(3)))
    m_ours = pattern.matrix(fem.mass_values(geo, rho_c))

    assert abs(k_ours - k_ref).max() <= 1e-12 * abs(k_ref).max()
    assert abs(m_ours - m_ref).max() <= 1e-12 * abs(m_ref).max()


def test_anisotropic_stiffness_equals_scikit_fem(mesh) -> None:
    points, tets, basis = mesh
    tensor = np.array([[0.3, 0.1, 0.0], [0.1, 25.0, 2.0], [0.0, 2.0, 18.0]])

    @skfem.BilinearForm
    def conduction(u, v, w):
        return sum(tensor[a, b] * u.grad[b] * v.grad[a] for a in range(3) for b in range(3))

    k_ref = conduction.assemble(basis)
    geo = fem.tet_geometry(points, tets)
    k_ours = fem.Pattern(len(points), tets).matrix(
        fem.stiffness_values(geo, np.broadcast_to(tensor, (len(tets), 3, 3)))
    )
    assert abs(k_ours - k_ref).max() <= 1e-12 * abs(k_ref).max()


def test_pattern_is_sorted_csr_without_duplicates(mesh) -> None:
    points, tets, _ = mesh
    pattern = fem.Pattern(len(points), tets)
    matrix = pattern.matrix(np.ones((len(tets), 4, 4)))
    assert matrix.has_sorted_indices and matrix.has_canonical_format
    assert matrix.nnz == pattern.nnz
    # every entry counts the elements sharing that node pair: the diagonal counts node valence
    valence = np.bincount(tets.ravel(), minlength=len(points))
    np.testing.assert_array_equal(matrix.diagonal(), valence)


def test_degenerate_tetrahedron_is_named() -> None:
    points = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]], dtype=float)
    with pytest.raises(ValueError, match="tetrahedron 0 is degenerate"):
        fem.tet_geometry(points, np.array([[0, 1, 2, 3]]))
