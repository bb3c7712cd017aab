"""Linear tetrahedral (P1) finite elements for heat conduction, assembled in vectorised form.

Weak form of rho c dT/dt = div(k grad T) + q with Robin and Neumann boundaries (e.g. Reddy &
Gartling, *The Finite Element Method in Heat Transfer and Fluid Dynamics*, 3rd ed., ch. 3):

    M dT/dt + (K + H) T = F_q + F_flux + F_h

    K_ij = sum_e V_e grad(phi_i)^T k_e grad(phi_j)        anisotropic conductivity tensor k_e
    M_ij = sum_e rho_e c_e V_e (1 + delta_ij) / 20        consistent mass of a linear tet
    H_ij = sum_f h_f A_f (1 + delta_ij) / 12              convection on boundary triangles
    F_q  = sum_e q_e V_e / 4,  F_flux = sum_f q''_f A_f / 3,  F_h = sum_f h_f T_inf A_f / 3

The sparsity pattern is computed once per mesh (:class:`Pattern`); every later assembly only
computes element values and scatters them through a precomputed map, which is what makes re-assembly
with new conductivities or heat-transfer coefficients cheap. Geometry, pattern, stiffness and
scatter are numba loops (:mod:`cellwright.engines.thermal.fem_kernels`, imported on first use so
that importing this module stays light).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = [
    "Pattern",
    "TetGeometry",
    "TriGeometry",
    "load_vector",
    "mass_values",
    "robin_matrix",
    "stiffness_values",
    "surface_load",
    "tet_geometry",
    "tri_geometry",
]


@dataclass(frozen=True)
class TetGeometry:
    """Volumes [m^3] and shape-function gradients [1/m] (n_tets, 4, 3) of linear tetrahedra."""

    volume: np.ndarray
    grad: np.ndarray


@dataclass(frozen=True)
class TriGeometry:
    """Areas [m^2] of boundary triangles."""

    area: np.ndarray


def tet_geometry(points: np.ndarray, tets: np.ndarray) -> TetGeometry:
    """Volumes and gradients of the barycentric coordinates of every tetrahedron.

    Raises
    ------
    ValueError
        If any tetrahedron is degenerate (zero volume).
    """
    from cellwright.engines.thermal.fem_kernels import tet_gradients

    det, grad = tet_gradients(_floats(points), _ints(tets))
    if det.size and np.min(np.abs(det)) < 1e-30:
        bad = int(np.argmin(np.abs(det)))
        raise ValueError(f"tetrahedron {bad} is degenerate (zero volume)")
    return TetGeometry(np.abs(det) / 6.0, grad)


def _floats(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64)


def _ints(a: np.ndarray) -> np.ndarray:
    """Connectivity as contiguous int64 (one compiled kernel signature for every mesh)."""
    return np.ascontiguousarray(a, dtype=np.int64)


def tri_geometry(points: np.ndarray, tris: np.ndarray) -> TriGeometry:
    """Areas of boundary triangles."""
    p = points[tris]
    return TriGeometry(0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1))


class Pattern:
    """The CSR sparsity pattern of a mesh and the scatter map from element matrices into it.

    Parameters
    ----------
    n_nodes
        Number of mesh nodes.
    elements
        Connectivity (n_elements, k): tetrahedra (k = 4) and triangles (k = 3) may share one
        pattern because triangles are faces of tetrahedra.
    """

    def __init__(self, n_nodes: int, elements: np.ndarray) -> None:
        from cellwright.engines.thermal.fem_kernels import csr_pattern

        indptr, indices, scatter = csr_pattern(int(n_nodes), _ints(elements))
        self.n = int(n_nodes)
        self.nnz = int(indices.size)
        self.indices = indices
        self.indptr = indptr.astype(np.int32 if self.nnz < 2**31 else np.int64)
        self.scatter = scatter

    def matrix(self, element_values: np.ndarray) -> sp.csr_matrix:
        """A CSR matrix from element matrices (n_elements, k, k) in this pattern's order."""
        from cellwright.engines.thermal.fem_kernels import scatter_add

        data = scatter_add(self.scatter, _floats(element_values).ravel(), self.nnz)
        return sp.csr_matrix((data, self.indices, self.indptr), shape=(self.n, self.n))


def stiffness_values(geo: TetGeometry, conductivity: np.ndarray) -> np.ndarray:
    """Element conductance matrices (n, 4, 4) for tensors ``conductivity`` (n, 3, 3)."""
    from cellwright.engines.thermal.fem_kernels import stiffness

    return stiffness(_floats(geo.grad), _floats(geo.volume), _floats(conductivity))


_TET_MASS = (np.ones((4, 4)) + np.eye(4)) / 20.0
_TRI_MASS = (np.ones((3, 3)) + np.eye(3)) / 12.0


def mass_values(geo: TetGeometry, heat_capacity: np.ndarray) -> np.ndarray:
    """Consistent mass matrices (n, 4, 4) for volumetric heat capacity rho*c [J/(m^3 K)]."""
    return (heat_capacity * geo.volume)[:, None, None] * _TET_MASS


def robin_matrix(n_nodes: int, tris: np.ndarray, tri: TriGeometry, h: np.ndarray) -> sp.csr_matrix:
    """Convection matrix of boundary triangles for coefficients h [W/(m^2 K)] per triangle."""
    values = (h * tri.area)[:, None, None] * _TRI_MASS
    rows = np.repeat(tris, 3, axis=1).ravel()
    cols = np.tile(tris, (1, 3)).ravel()
    return sp.coo_matrix((values.ravel(), (rows, cols)), shape=(n_nodes, n_nodes)).tocsr()


def load_vector(n_nodes: int, tets: np.ndarray, geo: TetGeometry, q: np.ndarray) -> np.ndarray:
    """Nodal load of volumetric sources q [W/m^3] per tetrahedron."""
    return np.bincount(tets.ravel(), weights=np.repeat(q * geo.volume / 4.0, 4), minlength=n_nodes)


def surface_load(n_nodes: int, tris: np.ndarray, tri: TriGeometry, flux: np.ndarray) -> np.ndarray:
    """Nodal load of a surface flux [W/m^2] per triangle (into the body positive)."""
    return np.bincount(tris.ravel(), weights=np.repeat(flux * tri.area / 3.0, 3), minlength=n_nodes)
