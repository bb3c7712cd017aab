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

__all__ = [
    "SpdSolver",
    "available_memory",
    "check_factor_memory",
    "factor_memory",
    "pardiso_solver",
]

# The memory PARDISO's analysis reports for the LDL^T factor of the crush tangent of the LG M50
# on the 1.6 mm mesh (43362 quadratic tetrahedra, 194409 unknowns, double precision: iparm(16)
# 0.27 GB kept from the analysis + iparm(17) 1.59 GB for the factorisation). In three
# dimensions a nested-dissection factor grows as n^(4/3) (George 1973, SIAM J. Numer. Anal.
# 10, 345); the default mesh (34413 unknowns) measured 0.21 GB against 0.19 GB so predicted.
# A flat module orders better than a compact cell: the 4s2p example (103866 unknowns) reported
# 0.45 GB against 0.81 GB predicted, so the check errs towards refusing. The crush engine also
# checks PARDISO's own report after its analysis (crush_factor), which catches an underestimate.
_MEASURED_UNKNOWNS = 194_409
_MEASURED_FACTOR = 1.864e9  # bytes
# the assembled matrix: ~81 entries per row in both triangles and the upper one, 12 bytes each
_MATRIX_BYTES_PER_UNKNOWN = 2 * 81 * 12


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


def available_memory() -> float | None:
    """Bytes of memory the system can give without swapping (Linux MemAvailable), else None."""
    import os

    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, OSError, ValueError):
        return None


def factor_memory(unknowns: float) -> float:
    """Predicted bytes to assemble and factorise (double precision) a structural tangent of
    quadratic tetrahedra with ``unknowns`` unknowns (the n^(4/3) law from the measured point)."""
    factor = _MEASURED_FACTOR * (unknowns / _MEASURED_UNKNOWNS) ** (4.0 / 3.0)
    return factor + _MATRIX_BYTES_PER_UNKNOWN * unknowns


def check_factor_memory(unknowns: int, tetrahedra: int, where: str,
                        free: float | None = None) -> None:  # fmt: skip
    """Refuse a mesh of ``tetrahedra`` with ``unknowns`` whose stiffness could not be
    factorised in the memory that is free (``free``: default :func:`available_memory`), before
    minutes of assembly end in the system killing the run.

    Raises
    ------
    InputError
        At ``where`` (the mesh size field), with the need, the free memory and what to do.
    """
    from cellwright.projects.model import InputError

    free = available_memory() if free is None else free
    need = factor_memory(unknowns)
    if free is not None and need > free:
        raise InputError(
            f"the mesh has {tetrahedra} tetrahedra ({unknowns} unknowns as quadratic elements); "
            f"factorising its stiffness needs about {need / 1e9:.3g} GB and "
            f"{free / 1e9:.3g} GB of memory is free: choose a larger mesh size (twice the size "
            "needs about a sixteenth of the memory)",
            where,
        )


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
