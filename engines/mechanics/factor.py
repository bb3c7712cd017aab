"""Sparse Cholesky factorisation of symmetric positive-definite systems (K - σM with σ < 0).

CHOLMOD's supernodal Cholesky (through cholespy, which ships it in a wheel) factorises the
stiffness of a 3D quadratic mesh many times faster than SuperLU, which scipy's ``eigsh`` uses
by default for shift-invert and which ignores the symmetry (see tests/bench/test_mechanics_bench.py
for the measured ratio). SuperLU remains the fallback if cholespy cannot be imported.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator

__all__ = ["SpdSolver"]


class SpdSolver:
    """Factorise a symmetric positive-definite sparse matrix once; solve many right-hand sides.

    Parameters
    ----------
    matrix
        The matrix (both triangles stored).
    backend
        ``"cholmod"`` (cholespy), ``"superlu"`` (scipy), or ``"auto"``: CHOLMOD if installed.
    """

    def __init__(self, matrix: sp.spmatrix, backend: str = "auto") -> None:
        self.n = matrix.shape[0]
        if backend == "auto":
            try:
                import cholespy

                backend = "cholmod"
            except ImportError:  # pragma: no cover - cholespy is a declared dependency
                backend = "superlu"
        self.backend = backend
        if backend == "cholmod":
            import cholespy

            csr = sp.csr_matrix(matrix)
            csr.sort_indices()
            self._solver = cholespy.CholeskySolverD(
                self.n,
                csr.indptr.astype(np.int32),
                csr.indices.astype(np.int32),
                csr.data.astype(np.float64),
                cholespy.MatrixType.CSR,
            )
        elif backend == "superlu":
            from scipy.sparse.linalg import splu

            self._lu = splu(sp.csc_matrix(matrix))
        else:
            raise ValueError(f"unknown backend {backend!r}")

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        """Solve for one (n,) or several (n, k) right-hand sides."""
        rhs = np.ascontiguousarray(rhs, dtype=np.float64)
        if self.backend == "superlu":
            return self._lu.solve(rhs)
        out = np.zeros_like(rhs)
        self._solver.solve(rhs, out)
        return out

    def operator(self) -> LinearOperator:
        """The inverse as a LinearOperator (what ``eigsh(..., OPinv=...)`` takes)."""
        return LinearOperator((self.n, self.n), matvec=self.solve, matmat=self.solve, dtype=float)
