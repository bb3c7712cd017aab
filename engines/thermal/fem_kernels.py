"""Numba kernels behind :mod:`cellwright.engines.thermal.fem`: one pass over the elements each.

Numpy's batched ``det``/``inv``/``einsum`` and ``unique`` over the n_elements * k^2 entry keys
spend most of their time on temporaries and on a global sort; these loops touch every element
once and sort only the (about 15) neighbours of each node, which is what makes our assembly
faster than scikit-fem's on the same mesh (tests/bench/test_thermal_bench.py).
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.jit_cache import njit  # numba's: one process compiles at a time

__all__ = ["csr_pattern", "scatter_add", "stiffness", "tet_gradients"]


@njit(cache=True)
def tet_gradients(points: np.ndarray, tets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Signed 6 x volume and barycentric gradients (n, 4, 3) of every tetrahedron.

    With edge rows e1, e2, e3 from vertex 0 and det = e1 . (e2 x e3), the gradients of the
    barycentric coordinates 1..3 are the columns of the inverse Jacobian: (e2 x e3) / det,
    (e3 x e1) / det, (e1 x e2) / det; that of coordinate 0 is minus their sum.
    """
    n = tets.shape[0]
    det = np.empty(n)
    grad = np.empty((n, 4, 3))
    e = np.empty((3, 3))
    for t in range(n):
        p0 = tets[t, 0]
        for r in range(3):
            pr = tets[t, r + 1]
            for c in range(3):
                e[r, c] = points[pr, c] - points[p0, c]
        for r in range(3):  # row r of the gradient: cross product of the other two edges
            a, b = (r + 1) % 3, (r + 2) % 3
            grad[t, r + 1, 0] = e[a, 1] * e[b, 2] - e[a, 2] * e[b, 1]
            grad[t, r + 1, 1] = e[a, 2] * e[b, 0] - e[a, 0] * e[b, 2]
            grad[t, r + 1, 2] = e[a, 0] * e[b, 1] - e[a, 1] * e[b, 0]
        d = e[0, 0] * grad[t, 1, 0] + e[0, 1] * grad[t, 1, 1] + e[0, 2] * grad[t, 1, 2]
        det[t] = d
        inv = 1.0 / d if d != 0.0 else 0.0
        for c in range(3):
            s = 0.0
            for r in range(1, 4):
                grad[t, r, c] *= inv
                s += grad[t, r, c]
            grad[t, 0, c] = -s
    return det, grad


@njit(cache=True)
def stiffness(grad: np.ndarray, volume: np.ndarray, conductivity: np.ndarray) -> np.ndarray:
    """Element matrices V grad(phi_i)^T k grad(phi_j) (n, 4, 4); k need not be symmetric."""
    n = grad.shape[0]
    out = np.empty((n, 4, 4))
    kg = np.empty((4, 3))
    for t in range(n):
        for j in range(4):
            for a in range(3):
                kg[j, a] = (
                    conductivity[t, a, 0] * grad[t, j, 0]
                    + conductivity[t, a, 1] * grad[t, j, 1]
                    + conductivity[t, a, 2] * grad[t, j, 2]
                )
        v = volume[t]
        for i in range(4):
            for j in range(4):
                out[t, i, j] = v * (
                    grad[t, i, 0] * kg[j, 0] + grad[t, i, 1] * kg[j, 1] + grad[t, i, 2] * kg[j, 2]
                )
    return out


@njit(cache=True)
def csr_pattern(n_nodes: int, elements: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR ``indptr``, sorted ``indices`` and, for every element-matrix entry in C order, its
    position in the CSR data array.

    Row by row: the elements around a node (from a node -> element map built by counting) give
    its neighbours; they are deduplicated with a stamp array and sorted, then every entry of
    those elements' rows is pointed at its column's slot.
    """
    m, k = elements.shape
    count = np.zeros(n_nodes + 1, dtype=np.int64)
    for e in range(m):
        for a in range(k):
            count[elements[e, a] + 1] += 1
    start = np.cumsum(count)  # start[i]: first adjacency slot of node i
    fill = start[:-1].copy()
    adjacent = np.empty(m * k, dtype=np.int64)  # element * k + local index, grouped by node
    for e in range(m):
        for a in range(k):
            i = elements[e, a]
            adjacent[fill[i]] = e * k + a
            fill[i] += 1
    stamp = np.full(n_nodes, -1, dtype=np.int64)
    slot = np.empty(n_nodes, dtype=np.int64)
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    indices = np.empty(m * k * k, dtype=np.int32)
    scatter = np.empty(m * k * k, dtype=np.int64)
    nnz = 0
    for i in range(n_nodes):
        row_start = nnz
        for s in range(start[i], start[i + 1]):
            e = adjacent[s] // k
            for b in range(k):
                j = elements[e, b]
                if stamp[j] != i:
                    stamp[j] = i
                    indices[nnz] = j
                    nnz += 1
        for p in range(row_start + 1, nnz):  # insertion sort: rows hold ~15 columns
            col, q = indices[p], p - 1
            while q >= row_start and indices[q] > col:
                indices[q + 1] = indices[q]
                q -= 1
            indices[q + 1] = col
        for p in range(row_start, nnz):
            slot[indices[p]] = p
        indptr[i + 1] = nnz
        for s in range(start[i], start[i + 1]):
            e, a = adjacent[s] // k, adjacent[s] % k
            base = (e * k + a) * k
            for b in range(k):
                scatter[base + b] = slot[elements[e, b]]
    return indptr, indices[:nnz].copy(), scatter


@njit(cache=True)
def scatter_add(scatter: np.ndarray, values: np.ndarray, nnz: int) -> np.ndarray:
    """Sum flat element-matrix ``values`` into CSR data through ``scatter``."""
    data = np.zeros(nnz)
    for p in range(scatter.shape[0]):
        data[scatter[p]] += values[p]
    return data
