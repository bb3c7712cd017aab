"""Numba kernels behind :mod:`cellwright.engines.mechanics.assembly`: one pass over the elements.

Quadratic tetrahedra (10 nodes, VTK order: vertices 0-3, then edges 01, 12, 02, 03, 13, 23) are
straight-sided, so the Jacobian is constant per element and the barycentric gradients g_i of the
linear tetrahedron are all the geometry needed. The shape-function gradients are linear in the
barycentric coordinates λ (Zienkiewicz, Taylor & Zhu, *The Finite Element Method*, 7th ed.,
§6.5):

    vertex i:     grad N_i  = (4 λ_i - 1) g_i
    edge (a, b):  grad N_ab = 4 (λ_a g_b + λ_b g_a)

so the integrand B^T D B of the stiffness is quadratic and the 4-point rule of degree 2 integrates
it exactly. Element matrices are computed and scattered straight into the 3x3 blocks of a block
CSR matrix: a 30x30 matrix per element is never stored for the whole mesh.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = ["EDGES", "edge_numbers", "elastic_stiffness", "vertex_stresses", "weighted_sum"]

#: local vertex pairs of the six edge nodes 4..9 (VTK quadratic tetra order)
EDGES = np.array([[0, 1], [1, 2], [0, 2], [0, 3], [1, 3], [2, 3]], dtype=np.int64)

_QA, _QB = 0.5854101966249685, 0.1381966011250105  # degree-2 rule (Keast 1986, 4 points)


@njit(cache=True)
def edge_numbers(
    n_vertices: int,
    elements: np.ndarray,
    local_edges: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Global numbers of the edges ``local_edges`` (k, 2) of every element, from the vertex
    adjacency (CSR with sorted rows) of the tetrahedra.

    Edge (i, j), i < j, is numbered by the position of j among the neighbours of i that are
    greater than i, counted row by row; an element's edge is found by binary search in its
    smaller vertex's row. Triangles of the boundary get the numbers of the tetrahedra's edges.
    """
    first = np.zeros(n_vertices + 1, dtype=np.int64)  # first edge number of each row
    for i in range(n_vertices):
        count = 0
        for p in range(indptr[i], indptr[i + 1]):
            if indices[p] > i:
                count += 1
        first[i + 1] = first[i] + count
    m, k = elements.shape[0], local_edges.shape[0]
    out = np.empty((m, k), dtype=np.int64)
    for t in range(m):
        for e in range(k):
            a = elements[t, local_edges[e, 0]]
            b = elements[t, local_edges[e, 1]]
            i, j = min(a, b), max(a, b)
            lo, hi = indptr[i], indptr[i + 1]
            while lo < hi:  # indices of a row are sorted
                mid = (lo + hi) // 2
                if indices[mid] < j:
                    lo = mid + 1
                else:
                    hi = mid
            above = 0  # neighbours of i greater than i that precede j
            for p in range(indptr[i], lo):
                if indices[p] > i:
                    above += 1
            out[t, e] = first[i] + above
    return out, first[n_vertices]


@njit(cache=True)
def _shape_gradients(g: np.ndarray, lam: np.ndarray, out: np.ndarray) -> None:
    """Gradients (10, 3) of the quadratic shape functions at barycentric point ``lam``."""
    for i in range(4):
        s = 4.0 * lam[i] - 1.0
        for c in range(3):
            out[i, c] = s * g[i, c]
    for e in range(6):
        a, b = EDGES[e, 0], EDGES[e, 1]
        for c in range(3):
            out[4 + e, c] = 4.0 * (lam[a] * g[b, c] + lam[b] * g[a, c])


@njit(cache=True)
def _element_stiffness(g: np.ndarray, volume: float, d: np.ndarray, ke: np.ndarray) -> None:
    """K_e = V/4 sum_q B_q^T D B_q (30, 30), Voigt order xx, yy, zz, yz, xz, xy."""
    dn = np.empty((10, 3))
    db = np.empty((6, 30))
    lam = np.empty(4)
    ke[:, :] = 0.0
    w = volume / 4.0
    for q in range(4):
        for k in range(4):
            lam[k] = _QA if k == q else _QB
        _shape_gradients(g, lam, dn)
        for n in range(10):  # D B, using the three non-zero rows of each column of B
            x, y, z = dn[n, 0], dn[n, 1], dn[n, 2]
            for r in range(6):
                db[r, 3 * n] = d[r, 0] * x + d[r, 4] * z + d[r, 5] * y
                db[r, 3 * n + 1] = d[r, 1] * y + d[r, 3] * z + d[r, 5] * x
                db[r, 3 * n + 2] = d[r, 2] * z + d[r, 3] * y + d[r, 4] * x
        for n in range(10):  # B^T (D B): row 3n+a of B^T has the same three non-zeros
            x, y, z = dn[n, 0], dn[n, 1], dn[n, 2]
            for col in range(30):
                ke[3 * n, col] += w * (x * db[0, col] + z * db[4, col] + y * db[5, col])
                ke[3 * n + 1, col] += w * (y * db[1, col] + z * db[3, col] + x * db[5, col])
                ke[3 * n + 2, col] += w * (z * db[2, col] + y * db[3, col] + x * db[4, col])


@njit(cache=True)
def elastic_stiffness(
    grad: np.ndarray, volume: np.ndarray, stiffness: np.ndarray, scatter: np.ndarray, nnzb: int
) -> np.ndarray:
    """Block CSR data (nnzb, 3, 3) of the global stiffness matrix.

    ``grad`` (n, 4, 3) barycentric gradients, ``volume`` (n,), ``stiffness`` (n, 6, 6) Voigt
    matrices, ``scatter`` (n * 100,) the block slot of every (i, j) node pair of every element.
    """
    data = np.zeros((nnzb, 3, 3))
    ke = np.empty((30, 30))
    for t in range(grad.shape[0]):
        _element_stiffness(grad[t], volume[t], stiffness[t], ke)
        base = t * 100
        for i in range(10):
            for j in range(10):
                slot = scatter[base + i * 10 + j]
                for a in range(3):
                    for b in range(3):
                        data[slot, a, b] += ke[3 * i + a, 3 * j + b]
    return data


@njit(cache=True)
def vertex_stresses(
    tet10: np.ndarray,
    grad: np.ndarray,
    stiffness: np.ndarray,
    displacements: np.ndarray,
    n_vertices: int,
) -> np.ndarray:
    """Stress (n_vertices, 6, m) at the vertices for m displacement vectors (3 n_nodes, m).

    The strain of each element is evaluated at its own corners (exact for the quadratic field)
    and the stresses of the elements around a vertex are averaged.
    """
    m = displacements.shape[1]
    out = np.zeros((n_vertices, 6, m))
    count = np.zeros(n_vertices)
    dn = np.empty((10, 3))
    lam = np.zeros(4)
    eps = np.empty(6)
    for t in range(tet10.shape[0]):
        d = stiffness[t]
        for corner in range(4):
            for k in range(4):
                lam[k] = 1.0 if k == corner else 0.0
            _shape_gradients(grad[t], lam, dn)
            v = tet10[t, corner]
            count[v] += 1.0
            for col in range(m):
                for r in range(6):
                    eps[r] = 0.0
                for n in range(10):
                    node = tet10[t, n]
                    ux = displacements[3 * node, col]
                    uy = displacements[3 * node + 1, col]
                    uz = displacements[3 * node + 2, col]
                    eps[0] += dn[n, 0] * ux
                    eps[1] += dn[n, 1] * uy
                    eps[2] += dn[n, 2] * uz
                    eps[3] += dn[n, 2] * uy + dn[n, 1] * uz
                    eps[4] += dn[n, 2] * ux + dn[n, 0] * uz
                    eps[5] += dn[n, 1] * ux + dn[n, 0] * uy
                for r in range(6):
                    s = 0.0
                    for c in range(6):
                        s += d[r, c] * eps[c]
                    out[v, r, col] += s
    for v in range(n_vertices):
        if count[v] > 0:
            for r in range(6):
                for col in range(m):
                    out[v, r, col] /= count[v]
    return out


@njit(cache=True)
def weighted_sum(source, target, weight, values, out):
    """out[target[i]] += weight[i] × values[source[i]], in order (the same sums every run).

    A fixed linear map of one sparse matrix's data onto another's (the tied system's
    Tᵀ K T, :mod:`~cellwright.engines.mechanics.crush_ties`) in one pass, where
    ``np.bincount(target, weight * values[source])`` makes three over the map's millions of
    entries."""
    for i in range(source.size):
        out[target[i]] += weight[i] * values[source[i]]


@njit(cache=True)
def csr_positions(indptr, indices, rows, cols, out):
    """out[i] = the position of entry (rows[i], cols[i]) in a CSR pattern with sorted rows,
    by binary search in its row; -1 where the pattern has no such entry."""
    for i in range(rows.size):
        lo, hi = indptr[rows[i]], indptr[rows[i] + 1]
        c = cols[i]
        while lo < hi:
            mid = (lo + hi) // 2
            if indices[mid] < c:
                lo = mid + 1
            else:
                hi = mid
        out[i] = lo if lo < indptr[rows[i] + 1] and indices[lo] == c else -1
