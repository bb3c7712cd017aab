"""Sparse factorisation of symmetric positive-definite systems (K - σM with σ < 0).

MKL PARDISO (through pypardiso) is a multithreaded supernodal solver: on the quadratic
tetrahedra of a 21700 cell (30 k unknowns) it factorises in seconds where scipy's SuperLU, which
``eigsh`` uses by default for shift-invert and which ignores the symmetry, takes minutes (see
tests/bench/test_mechanics_bench.py for the measured ratio). SuperLU remains the fallback.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator

__all__ = ["SpdSolver", "pardiso_solver"]


def pardiso_solver(mtype: int):
    """A ``pypardiso.PyPardisoSolver`` of matrix type ``mtype`` that does not search for MKL.

    Each new solver looks for the MKL runtime by a recursive glob over the environment (seconds
    in a large one) unless PYPARDISO_MKL_RT names it; the module's own solver has already found
    it when pypardiso is imported, so its path is handed on once for the whole process.
    """
    import os

    import pypardiso

    if "PYPARDISO_MKL_RT" not in os.environ:
        os.environ["PYPARDISO_MKL_RT"] = pypardiso.ps.libmkl._name
    return pypardiso.PyPardisoSolver(mtype=mtype)


class SpdSolver:
    """Factorise a symmetric positive-definite sparse matrix once; solve many right-hand sides.

    Parameters
    ----------
    matrix
        The matrix (both triangles stored).
    backend
        ``"pardiso"`` (pypardiso), ``"superlu"`` (scipy), or ``"auto"``: PARDISO if installed.
    """

    def __init__(self, matrix: sp.spmatrix, backend: str = "auto") -> None:
        self.n = matrix.shape[0]
        if backend == "auto":
            try:
                import pypardiso  # noqa: F401  (is it installed?)

                backend = "pardiso"
            except ImportError:  # pragma: no cover - pypardiso is a declared dependency
                backend = "superlu"
        self.backend = backend
        if backend == "pardiso":
            # mtype 2: real symmetric positive definite; PARDISO reads the upper triangle
            self._upper = sp.triu(matrix, format="csr")
            self._upper.sort_indices()
            self._solver = pardiso_solver(2)
            self._solver.factorize(self._upper)
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
        # no iterative refinement (PARDISO resets it to two steps after the factorisation): it
        # triples every solve, and the Cholesky factor of K - σM solves to ~1e-8 without it,
        # ample for Lanczos
        self._solver.set_iparm(8, 0)
        return self._solver.solve(self._upper, rhs)

    def release(self) -> None:
        """Free PARDISO's factor memory (the solver object stays usable for nothing else)."""
        if self.backend == "pardiso":
            self._solver.free_memory(everything=True)

    def operator(self) -> LinearOperator:
        """The inverse as a LinearOperator (what ``eigsh(..., OPinv=...)`` takes)."""
        return LinearOperator((self.n, self.n), matvec=self.solve, matmat=self.solve, dtype=float)
