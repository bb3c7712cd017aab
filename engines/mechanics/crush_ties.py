"""Linear tetrahedra inside a quadratic mesh: edge nodes tied to their edges' midpoints.

A crush mesh is of 10-node tetrahedra because the can's thin walls, one element thick, lock in
bending as linear tetrahedra. The jelly roll inside needs no such help: it is a crushable foam
that yields in volume (no incompressibility to lock) and does not bend as a thin wall does, so
over most of a cell's volume a quadratic field buys little for its unknowns. Tying an edge node
to the midpoint of its edge, u_m = (u_a + u_b) / 2, makes the field linear along that edge; a
10-node tetrahedron with all six tied is exactly the 4-node one.

Only the edges no quadratic element has are tied: an edge a roll element shares with the can
(on the can's inner face) keeps its node, so the can's elements keep their whole quadratic
field and the roll elements along it are transition elements, curved on the shared edges and
straight on the rest (Zienkiewicz, Taylor & Zhu, *The Finite Element Method: Its Basis and
Fundamentals*, 7th ed., §6.6, transition elements between element orders). Tying those shared
nodes too stiffened the LG M50's squeeze six times over: the can's inner face then follows a
linear field, and a wall one element thick locks in bending again.

The constraint is u = T v, v the untied unknowns, the linear multipoint constraint of structural
codes (Abaqus' linear MPC); the Newton system becomes Tᵀ K T Δv = −Tᵀ r (Cook, Malkus, Plesha &
Witt, *Concepts and Applications of Finite Element Analysis*, 4th ed., §9.3, elimination of
dependent freedoms), so only the untied unknowns are factorised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from cellwright.engines.mechanics.kernels import EDGES, csr_positions, weighted_sum

__all__ = ["EdgeTies"]


@dataclass
class EdgeTies:
    """The tied nodes of a mesh and the maps between full and untied unknowns.

    Attributes
    ----------
    tied
        Tied node numbers: edge nodes of linear elements, and nodes tied to faces (a jelly roll
        meshed finer than its can, :mod:`~cellwright.engines.mechanics.fine_roll`).
    parents
        (k, m) the nodes whose weighted sum a tied node follows (-1: none); a parent may be
        tied itself (an edge node of the fine roll's outer face: its ends follow the can), and
        is then replaced by its own parents.
    weights
        (k, m) their weights; None: ½ each (edge midpoints, m = 2).
    """

    tied: np.ndarray
    parents: np.ndarray
    n_nodes: int
    weights: np.ndarray | None = None

    @classmethod
    def of(cls, tet10: np.ndarray, linear: np.ndarray, n_nodes: int,
           faces: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> EdgeTies:  # fmt: skip
        """Tie the edge nodes of the elements flagged in ``linear`` (bool per element) that no
        other element has: an edge shared with a quadratic element stays curved. ``faces``
        (nodes, parents (k, 6), weights (k, 6)) ties nodes to faces besides."""
        linear = np.asarray(linear, dtype=bool)
        lin = tet10[linear]
        parents = np.full((n_nodes, 2), -1, dtype=np.int64)
        for k, (a, b) in enumerate(EDGES):
            parents[lin[:, 4 + k], 0] = lin[:, a]
            parents[lin[:, 4 + k], 1] = lin[:, b]
        parents[tet10[~linear].ravel()] = -1
        tied = np.flatnonzero(parents[:, 0] >= 0)
        if faces is None:
            return cls(tied, parents[tied], n_nodes)
        nodes, face_parents, face_weights = faces
        width = max(2, face_parents.shape[1])
        all_parents = np.full((tied.size + nodes.size, width), -1, dtype=np.int64)
        all_weights = np.zeros(all_parents.shape)
        all_parents[: tied.size, :2] = parents[tied]
        all_weights[: tied.size, :2] = 0.5
        all_parents[tied.size :, : face_parents.shape[1]] = face_parents
        all_weights[tied.size :, : face_parents.shape[1]] = face_weights
        return cls(np.concatenate([tied, nodes]), all_parents, n_nodes, all_weights)

    def __post_init__(self) -> None:
        n = self.n_nodes
        keep = np.ones(n, dtype=bool)
        keep[self.tied] = False
        parents = np.asarray(self.parents, dtype=np.int64).reshape(self.tied.size, -1)
        weights = (np.full(parents.shape, 0.5) if self.weights is None
                   else np.asarray(self.weights, dtype=float).reshape(parents.shape))  # fmt: skip
        valid = (parents >= 0) & (weights != 0.0)
        kept = np.flatnonzero(keep)
        # node-level u = A u: the identity on the untied nodes, a tied node's row its parents;
        # chains (a tied parent) resolve by substitution, A A, until only untied ones remain
        rows = np.concatenate([kept, np.repeat(self.tied, valid.sum(axis=1))])
        cols = np.concatenate([kept, parents[valid]])
        vals = np.concatenate([np.ones(kept.size), weights[valid]])
        a = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
        t = a
        for _ in range(4):
            if keep[t.indices].all():
                break
            t = (t @ a).tocsr()
            t.eliminate_zeros()
        else:
            raise ValueError("tied nodes whose parents are tied without end (a cycle)")
        #: the full dofs that are unknowns, in the order of the untied system
        self.dofs = (3 * kept[:, None] + np.arange(3)).ravel()
        self.tied_dofs = (3 * self.tied[:, None] + np.arange(3)).ravel()
        #: u = T v (3 n_nodes x n_unknowns)
        self.t = sp.kron(t[:, kept], sp.identity(3), format="csr")
        self.t.sort_indices()
        self.tt = self.t.T.tocsr()
        self._pattern: tuple[np.ndarray, np.ndarray] | None = None  # (indptr, indices) of K
        self._reduction: tuple[np.ndarray, np.ndarray, np.ndarray, sp.csr_matrix] | None = None
        self._pattern_arrays: tuple[np.ndarray, np.ndarray] | None = None  # the last K's own
        self._held: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # _held_entries

    @property
    def n_unknowns(self) -> int:
        """Unknowns of the untied system."""
        return int(self.dofs.size)

    def condense(self, full: np.ndarray) -> np.ndarray:
        """Tᵀ f written back at the untied dofs, zero at the tied ones (a full-size vector).

        A force on a tied node goes half to each of its parents, so the norm of the result is
        the norm of the untied system's residual: equilibrium of the tied model is its zero.
        """
        out = np.zeros_like(full)
        out[self.dofs] = self.tt @ full
        return out

    def expand(self, unknowns: np.ndarray) -> np.ndarray:
        """The full displacement field T v of the untied unknowns ``v``."""
        return self.t @ unknowns

    def reduce(self, k: sp.csr_matrix, fixed: np.ndarray) -> sp.csr_matrix:
        """Tᵀ K T, with identity rows and columns at the ``fixed`` untied dofs.

        K's pattern stays the same over a run, so Tᵀ K T is mapped out once (which entry of K
        goes, with which weight, to which entry of the product) and each later tangent is one
        weighted sum into that fixed pattern.
        """
        known = self._pattern
        # a crush model's tangents share its pattern's arrays: the same objects need no
        # comparison of their millions of entries (1.5 % of a run on the 1.6 mm mesh)
        same = self._pattern_arrays is not None and (
            self._pattern_arrays[0] is k.indptr and self._pattern_arrays[1] is k.indices
        )
        if not same and (known is None or not (
            np.array_equal(known[0], k.indptr) and np.array_equal(known[1], k.indices)
        )):  # fmt: skip
            self._map(k)
        self._pattern_arrays = (k.indptr, k.indices)
        source, target, weight, pattern = self._reduction
        data = np.zeros(pattern.nnz)
        weighted_sum(source, target, weight, k.data, data)
        out = sp.csr_matrix((data, pattern.indices, pattern.indptr), shape=pattern.shape)
        out.has_sorted_indices = True
        on_fixed, diag = self._held_entries(fixed[self.dofs], pattern)
        out.data[on_fixed] = 0.0
        out.data[diag] = 1.0
        return out

    def _held_entries(self, fixed_r: np.ndarray, pattern: sp.csr_matrix
                      ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """The entries of Tᵀ K T in the rows and columns of held unknowns, and their diagonal
        ones; kept while the held set stays (finding them anew over the 3.2M entries of the
        42k unknowns of ~50k tetrahedra took 14 ms a tangent wherever any unknown is held)."""
        known = self._held
        if known is not None and np.array_equal(known[0], fixed_r):
            return known[1], known[2]
        rows = np.repeat(np.arange(pattern.shape[0]), np.diff(pattern.indptr))
        on_fixed = fixed_r[rows] | fixed_r[pattern.indices]
        diag = on_fixed & (rows == pattern.indices) & fixed_r[rows]
        self._held = (fixed_r.copy(), np.flatnonzero(on_fixed), np.flatnonzero(diag))
        return self._held[1], self._held[2]

    def _map(self, k: sp.csr_matrix) -> None:
        """Which entries of K go, with which weights, to which entries of Tᵀ K T."""
        n = k.shape[0]
        rows = np.repeat(np.arange(n), np.diff(k.indptr))
        cols = k.indices
        t = self.t
        count = np.diff(t.indptr)  # 1 for an untied dof, 2 for a tied one
        # expand each entry (i, j) of K over T's row i, then over T's row j
        source = np.arange(rows.size)
        reps = count[rows[source]]
        source = np.repeat(source, reps)
        offset = np.arange(source.size) - np.repeat(np.cumsum(reps) - reps, reps)
        slot = t.indptr[rows[source]] + offset
        p, wp = t.indices[slot], t.data[slot]
        reps = count[cols[source]]
        source, p, wp = np.repeat(source, reps), np.repeat(p, reps), np.repeat(wp, reps)
        offset = np.arange(source.size) - np.repeat(np.cumsum(reps) - reps, reps)
        slot = t.indptr[cols[source]] + offset
        q, wq = t.indices[slot], t.data[slot]
        # the product's pattern is |T|ᵀ P |T| for P K's pattern (positive entries: nothing
        # cancels out of it); each expanded entry is then found in its row. It replaced
        # np.unique over the 21M expanded keys of ~50k tetrahedra (42k unknowns): 1.9 s
        # against 5.7 s, the same pattern and map
        ones = sp.csr_matrix((np.ones(cols.size), cols, k.indptr), shape=k.shape)
        size = abs(t)
        pattern = (size.T.tocsr() @ ones @ size).tocsr()
        pattern.sort_indices()
        pattern.data[:] = 0.0
        target = np.empty(source.size, dtype=np.int64)
        csr_positions(pattern.indptr, pattern.indices, p, q, target)
        if target.size and target.min() < 0:  # the pattern is made of these very products
            raise RuntimeError("Tᵀ K T: a product entry outside the product's pattern")
        index = np.int32 if max(rows.size, pattern.nnz) < 2**31 else np.int64  # half the bytes
        self._reduction = (source.astype(index), target.astype(index), wp * wq, pattern)
        self._held = None
        self._pattern = (k.indptr.copy(), k.indices.copy())
