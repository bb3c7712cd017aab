"""Linear tetrahedral (P1) finite elements for heat conduction, assembled in vectorised form.

Weak form of rho c dT/dt = div(k grad T) + q with Robin and Neumann boundaries (e.g. Reddy &
Gartling, *The Finite Element Method in Heat Transfer and Fluid Dynamics*, 3rd ed., ch. 3):

    M dT/dt + (K + H) T = F_q + F_flux + F_h

    K_ij = sum_e V_e grad(phi_i)^T k_e grad(phi_j)        anisotropic conductivity tensor k_e
    M_ij = sum_e rho_e c_e V_e (1 + delta_ij) / 20        consistent mass of a linear tet
    H_ij = sum_f h_f A_f (1 + delta_ij) / 12              convection on boundary triangles
    F_q  = sum_e q_e V_e / 4,  F_flux = sum_f q''_f A_f / 3,  F_h = sum_f h_f T_inf A_f / 3

The sparsity pattern is computed once per mesh (:class:`Pattern`); every later assembly only
computes element values and scatters them with one ``bincount``, which is
what makes re-assembly with new conductivities or heat-transfer coefficients cheap.
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
    p = points[tets]  # (n, 4, 3)
    jac = np.stack([p[:, 1] - p[:, 0], p[:, 2] - p[:, 0], p[:, 3] - p[:, 0]], axis=1)  # rows
    det = np.linalg.det(jac)
    if np.any(np.abs(det) < 1e-30):
        bad = int(np.argmin(np.abs(det)))
        raise ValueError(f"tetrahedron {bad} is degenerate (zero volume)")
    inv = np.linalg.inv(jac)  # columns are gradients of barycentric coords 1..3
    g123 = np.transpose(inv, (0, 2, 1))
    g0 = -g123.sum(axis=1, keepdims=True)
    return TetGeometry(np.abs(det) / 6.0, np.concatenate([g0, g123], axis=1))


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
        k = elements.shape[1]
        rows = np.repeat(elements, k, axis=1).ravel()
        cols = np.tile(elements, (1, k)).ravel()
        key = rows.astype(np.int64) * n_nodes + cols
        unique, self.scatter = np.unique(key, return_inverse=True)
        self.n = n_nodes
        self.nnz = unique.size
        self.indices = (unique % n_nodes).astype(np.int32)
        counts = np.bincount(unique // n_nodes, minlength=n_nodes)
        self.indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)

    def matrix(self, element_values: np.ndarray) -> sp.csr_matrix:
        """A CSR matrix from element matrices (n_elements, k, k) in this pattern's order."""
        data = np.bincount(self.scatter, weights=element_values.ravel(), minlength=self.nnz)
        return sp.csr_matrix((data, self.indices, self.indptr), shape=(self.n, self.n))


def stiffness_values(geo: TetGeometry, conductivity: np.ndarray) -> np.ndarray:
    """Element conductance matrices (n, 4, 4) for tensors ``conductivity`` (n, 3, 3)."""
    kg = np.einsum("eab,ejb->eja", conductivity, geo.grad)  # k grad(phi_j)
    return np.einsum("eia,eja->eij", geo.grad, kg) * geo.volume[:, None, None]


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
