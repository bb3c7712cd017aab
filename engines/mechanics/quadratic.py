"""Quadratic (10-node) tetrahedra built from a linear tetrahedral mesh.

The meshers (:mod:`cellwright.engines.mesh`, an imported .msh/.vtu) give linear tetrahedra with
named regions and surface groups; mechanics needs quadratic elements because linear tetrahedra
lock in bending (a cantilever of P1 tetrahedra is several times too stiff at practical sizes).
An edge node is added at the midpoint of every edge, so the elements are straight-sided: the
integrals below are exact, no element can turn inside out the way curved second-order elements
of thin walls do, and every group keeps its name (a surface triangle becomes a 6-node triangle
through the same edge numbering). Node numbers: the vertices keep theirs (0 … n_vertices-1), edge
nodes follow, so a field at the vertices is the first n_vertices rows of a nodal field.

Reference matrices come from the exact integral of barycentric monomials over a simplex,
∫ λ^α dV = d! V α! / (|α| + d)! (Zienkiewicz, Taylor & Zhu, 7th ed., eq. 6.31 and 6.40).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from math import factorial

import numpy as np

__all__ = [
    "TRI_EDGES",
    "QuadraticMesh",
    "reference_mass",
    "reference_tri_mass",
    "reference_tri_weights",
    "reference_weights",
]

TRI_EDGES = np.array([[0, 1], [1, 2], [0, 2]], dtype=np.int64)  # VTK quadratic triangle


def _ints(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.int64)


@dataclass
class QuadraticMesh:
    """Points (vertices, then edge midpoints), tet10 connectivity and tri6 surface groups."""

    points: np.ndarray
    tet10: np.ndarray
    n_vertices: int
    surfaces: dict[str, np.ndarray]  # group -> tri6 connectivity

    @classmethod
    def from_linear(
        cls, points: np.ndarray, tets: np.ndarray, surfaces: dict[str, np.ndarray] | None = None
    ) -> QuadraticMesh:
        """Add the edge midpoints of ``tets`` (m, 4); ``surfaces`` name -> triangles (k, 3).

        Raises
        ------
        ValueError
            If a surface triangle has an edge that no tetrahedron has.
        """
        from cellwright.engines.mechanics.kernels import EDGES, edge_numbers
        from cellwright.engines.thermal.fem_kernels import csr_pattern

        points = np.ascontiguousarray(points, dtype=np.float64)
        tets = _ints(tets)
        n = points.shape[0]
        indptr, indices, _ = csr_pattern(n, tets)
        edges, n_edges = edge_numbers(n, tets, EDGES, indptr, indices.astype(np.int64))
        ends = np.empty((n_edges, 2), dtype=np.int64)
        ends[edges.ravel(), 0] = tets[:, EDGES[:, 0]].ravel()
        ends[edges.ravel(), 1] = tets[:, EDGES[:, 1]].ravel()
        midpoints = 0.5 * (points[ends[:, 0]] + points[ends[:, 1]])
        tri6 = {}
        for name, tris in (surfaces or {}).items():
            tris = _ints(tris).reshape(-1, 3)
            tri_edges, _ = edge_numbers(n, tris, TRI_EDGES, indptr, indices.astype(np.int64))
            if tris.size and not np.all(
                np.sort(ends[tri_edges.ravel()], axis=1)
                == np.sort(tris[:, TRI_EDGES].reshape(-1, 2), axis=1)
            ):
                raise ValueError(f"surface group {name!r} has triangles that are not tet faces")
            tri6[name] = np.hstack([tris, n + tri_edges])
        return cls(np.vstack([points, midpoints]), np.hstack([tets, n + edges]), n, tri6)

    @property
    def n_nodes(self) -> int:
        """Vertices plus edge nodes."""
        return int(self.points.shape[0])

    @property
    def tets(self) -> np.ndarray:
        """The linear (vertex) connectivity."""
        return self.tet10[:, :4]


def _poly_shape_functions(d: int) -> list[dict[tuple[int, ...], float]]:
    """Quadratic Lagrange shape functions on a d-simplex as polynomials in the barycentric λ."""
    n = d + 1
    funcs: list[dict[tuple[int, ...], float]] = []
    for i in range(n):  # λ_i (2 λ_i - 1)
        two, one = [0] * n, [0] * n
        two[i], one[i] = 2, 1
        funcs.append({tuple(two): 2.0, tuple(one): -1.0})
    edges = [(0, 1), (1, 2), (0, 2), (0, 3), (1, 3), (2, 3)] if d == 3 else TRI_EDGES.tolist()
    for a, b in edges:  # 4 λ_a λ_b
        e = [0] * n
        e[a], e[b] = 1, 1
        funcs.append({tuple(e): 4.0})
    return funcs


def _integral(poly: dict[tuple[int, ...], float], d: int) -> float:
    """∫ poly over a d-simplex of unit measure."""
    total = 0.0
    for alpha, c in poly.items():
        num = np.prod([factorial(a) for a in alpha])
        total += c * factorial(d) * num / factorial(sum(alpha) + d)
    return total


def _product(p, q):
    out: dict[tuple[int, ...], float] = {}
    for (a, c), (b, e) in product(p.items(), q.items()):
        key = tuple(x + y for x, y in zip(a, b, strict=True))
        out[key] = out.get(key, 0.0) + c * e
    return out


@lru_cache(maxsize=2)
def _reference(d: int) -> tuple[np.ndarray, np.ndarray]:
    funcs = _poly_shape_functions(d)
    k = len(funcs)
    mass = np.array([[_integral(_product(funcs[i], funcs[j]), d) for j in range(k)]
                     for i in range(k)])  # fmt: skip
    weights = np.array([_integral(f, d) for f in funcs])
    return mass, weights


def reference_mass() -> np.ndarray:
    """∫ N_i N_j dV / V of a straight quadratic tetrahedron (10, 10)."""
    return _reference(3)[0]


def reference_weights() -> np.ndarray:
    """∫ N_i dV / V of a quadratic tetrahedron: -1/20 at the vertices, 1/5 at the edges."""
    return _reference(3)[1]


def reference_tri_mass() -> np.ndarray:
    """∫ N_i N_j dA / A of a straight 6-node triangle (6, 6)."""
    return _reference(2)[0]


def reference_tri_weights() -> np.ndarray:
    """∫ N_i dA / A of a 6-node triangle: 0 at the vertices, 1/3 at the edges."""
    return _reference(2)[1]
