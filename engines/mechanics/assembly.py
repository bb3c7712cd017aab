"""Global stiffness and mass matrices of quadratic tetrahedra for linear elasticity.

Weak form of rho ü = div σ, σ = C : ε (e.g. Hughes, *The Finite Element Method*, 2000, §2.7):

    K = sum_e ∫ B^T D B dV        D: 6x6 Voigt stiffness per element (xx, yy, zz, yz, xz, xy)
    M = sum_e ρ_e ∫ N^T N dV      consistent mass

Degrees of freedom are node-major (3 i + component). The node-level sparsity pattern is built
once (:class:`ElasticAssembler`) with the thermal engine's CSR kernel; stiffness blocks go straight
into a block CSR matrix (:func:`cellwright.engines.mechanics.kernels.elastic_stiffness`), and the
mass, which couples only equal components, is a node-level matrix expanded by the 3x3 identity.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from cellwright.engines.mechanics.quadratic import (
    QuadraticMesh,
    reference_mass,
    reference_tri_mass,
    reference_tri_weights,
)

__all__ = ["ElasticAssembler", "expand_nodal", "tri6_areas"]


def _floats(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64)


def expand_nodal(matrix: sp.spmatrix, weights: tuple[float, float, float] = (1, 1, 1)):
    """A node-level matrix acting on each displacement component: A ⊗ diag(weights), CSR."""
    csr = sp.csr_matrix(matrix)
    csr.sum_duplicates()
    csr.sort_indices()
    blocks = csr.data[:, None, None] * np.diag(np.asarray(weights, dtype=float))
    n = csr.shape[0]
    return sp.bsr_matrix((blocks, csr.indices, csr.indptr), shape=(3 * n, 3 * n)).tocsr()


def tri6_areas(points: np.ndarray, tri6: np.ndarray) -> np.ndarray:
    """Areas of straight 6-node triangles."""
    p = points[tri6[:, :3]]
    return 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)


class ElasticAssembler:
    """Geometry and sparsity pattern of a quadratic mesh; assembles K and M for given materials.

    Parameters
    ----------
    mesh
        The quadratic mesh.

    Raises
    ------
    ValueError
        If a tetrahedron is degenerate (zero volume).
    """

    def __init__(self, mesh: QuadraticMesh) -> None:
        from cellwright.engines.thermal.fem_kernels import csr_pattern, tet_gradients

        self.mesh = mesh
        det, grad = tet_gradients(_floats(mesh.points), np.ascontiguousarray(mesh.tets))
        if det.size and np.min(np.abs(det)) <= 1e-12 * np.max(np.abs(det)):
            bad = int(np.argmin(np.abs(det)))
            raise ValueError(f"tetrahedron {bad} is degenerate (zero volume)")
        self.volume = np.abs(det) / 6.0
        self.grad = grad
        indptr, indices, scatter = csr_pattern(mesh.n_nodes, np.ascontiguousarray(mesh.tet10))
        self.indptr, self.indices, self.scatter = indptr, indices, scatter
        self.n_nodes = mesh.n_nodes

    @property
    def n_dofs(self) -> int:
        """Three displacement components per node."""
        return 3 * self.n_nodes

    def stiffness(self, d: np.ndarray) -> sp.csr_matrix:
        """Global stiffness (CSR, 3n x 3n) for Voigt matrices ``d`` (n_elements, 6, 6)."""
        from cellwright.engines.mechanics.kernels import elastic_stiffness

        data = elastic_stiffness(
            self.grad, self.volume, _floats(d), self.scatter, int(self.indices.size)
        )
        n = self.n_dofs
        bsr = sp.bsr_matrix((data, self.indices, self.indptr), shape=(n, n))
        return bsr.tocsr()

    def nodal_mass(self, density: np.ndarray) -> sp.csr_matrix:
        """Node-level consistent mass ∫ ρ N_i N_j dV (n_nodes x n_nodes)."""
        from cellwright.engines.thermal.fem_kernels import scatter_add

        values = (density * self.volume)[:, None, None] * reference_mass()
        data = scatter_add(self.scatter, _floats(values).ravel(), int(self.indices.size))
        n = self.n_nodes
        return sp.csr_matrix((data, self.indices, self.indptr), shape=(n, n))

    def mass(self, density: np.ndarray) -> sp.csr_matrix:
        """Global consistent mass (CSR, 3n x 3n) for densities [kg/m^3] per element."""
        return expand_nodal(self.nodal_mass(density))

    def surface_matrix(self, tri6: np.ndarray, per_area: float) -> sp.csr_matrix:
        """Node-level ∫ c N_i N_j dA over 6-node triangles, for a constant c per unit area."""
        values = (per_area * tri6_areas(self.mesh.points, tri6))[:, None, None]
        values = values * reference_tri_mass()
        rows = np.repeat(tri6, 6, axis=1).ravel()
        cols = np.tile(tri6, (1, 6)).ravel()
        n = self.n_nodes
        return sp.coo_matrix((values.ravel(), (rows, cols)), shape=(n, n)).tocsr()

    def surface_weights(self, tri6: np.ndarray) -> np.ndarray:
        """∫ N_i dA per node over the triangles (a consistent share of the area)."""
        areas = tri6_areas(self.mesh.points, tri6)
        w = areas[:, None] * reference_tri_weights()
        return np.bincount(tri6.ravel(), weights=w.ravel(), minlength=self.n_nodes)
