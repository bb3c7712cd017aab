"""PARDISO factorisations of the crush tangent: one analysis per run, mixed precision when large.

The tangent keeps its sparsity pattern for the whole run (the full block pattern of the mesh,
contact blocks on the skin nodes), so PARDISO's analysis (fill-reducing ordering and symbolic
factorisation, phase 11) is done once and every later factorisation is numeric only (phase 22;
Intel oneMKL PARDISO reference, "phase" and "iparm" parameters); a new pattern is analysed again.
The matrix type is real symmetric indefinite (mtype −2): softening and contact may make the
tangent indefinite.

Mixed precision (Intel oneMKL, iparm(28) = 1; Higham, *Accuracy and Stability of Numerical
Algorithms*, 2nd ed., §12.1, iterative refinement): on a large mesh the numeric factorisation is
most of a Newton iteration, and in single precision it takes half the time and half the memory
(the LG M50 at 1.6 mm, 194k unknowns: 4.2 s against 8.2 s, 1.06 GB against 1.85 GB of factor).
The single-precision solve alone leaves a relative residual of ~7e-2 on the crush tangent (steel
beside a soft jelly roll, penalty contact), so each solve is refined in double precision against
the factorised matrix, x ← x + F⁻¹(b − K x), each pass cutting the residual by that factor again,
until it is below ``refine_to``. Small systems stay in double precision: there the factorisation
costs little next to the element pass. A single-precision factor that refinement cannot bring
to the tolerance (before contact, only weak springs hold the rigid-body modes, and the condition
number passes what float32 carries) is made again in double for that tangent.

The contact's friction adds a non-symmetric part to the tangent, one rank-one block per node in
contact (``contact.py``). An LU factorisation (mtype 11) of the 42k unknowns of the 1.3 mm roll
takes 0.92 s against 0.50 s, so the symmetric part alone is factorised and the blocks join in
the solve: flexible GMRES preconditioned by the factor (:meth:`TangentFactor.solve`) does what
refinement does and takes the blocks in with it, in 2–4 iterations on a crush run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from cellwright.projects.model import InputError

__all__ = ["SINGLE_PRECISION_FROM", "FactorMemoryError", "TangentFactor"]

#: unknowns from which "auto" factorises in single precision. Measured on the LG M50 under the
#: R75 semicylinder (tests/bench/test_crush_bench.py): on the default mesh (34k unknowns) to 30 %
#: in 95 s against 109 s in double (1.15x, the same 4.350 kN at 6.33 mm), on the 1.6 mm mesh
#: (194k) to 5 % in 756 s against 1161 s (1.54x, 0.4234 against 0.4236 kN); below, the
#: factorisation is too small a part of an iteration to pay for the refinement passes
SINGLE_PRECISION_FROM = 30_000

# iparm for mtype -2, keyed 1-based as oneMKL's Fortran reference numbers them (the C array's
# index is one less). iparm(1) = 1 says the caller sets them; PARDISO ignores every other entry
# otherwise. Values are oneMKL's defaults for a symmetric indefinite matrix, written out so the
# precision entry can be changed: 2 nested dissection (METIS), 8 no refinement inside PARDISO
# (the double-precision refinement below is done here, where the matrix is in double),
# 10 pivot perturbation 1e-8, 21 Bunch-Kaufman 1x1 and 2x2 pivoting.
_IPARM = {1: 1, 2: 2, 8: 0, 10: 8, 21: 1}
#: most Krylov iterations of a coupled solve (:meth:`TangentFactor._gmres`); each costs a solve
#: with the factor and a product with K
_KRYLOV_MAX = 12


class FactorMemoryError(InputError):
    """PARDISO's analysis says the factor will not fit in the memory that is free."""


class _Pardiso:
    """One PARDISO handle in one precision: its analysis is kept while the pattern stays."""

    def __init__(self, single: bool) -> None:
        from cellwright.engines.mechanics.factor import pardiso_solver

        self.single = single
        self.solver = pardiso_solver(-2)
        self.threads = max(int(self.solver.libmkl.MKL_Get_Max_Threads()), 1)
        self.upper: sp.csr_matrix | None = None
        self.pattern: tuple[np.ndarray, np.ndarray] | None = None
        self.analyses = 0

    def factorize(self, upper: sp.csr_matrix) -> None:
        if self.single:
            upper = sp.csr_matrix((upper.data.astype(np.float32), upper.indices, upper.indptr),
                                  shape=upper.shape)  # fmt: skip
            upper.has_sorted_indices = True
        self.upper = upper
        for k, v in _IPARM.items():
            self.solver.iparm[k - 1] = v
        self.solver.iparm[27] = 1 if self.single else 0
        # iparm(34) > 0: conditional numerical reproducibility on that many threads. Without it
        # the threaded factorisation rounds differently from run to run, and a crush path that
        # meets many near-ties (contact, yielding, fracture) went its own way: the LG M50 to
        # 12 % gave forces differing in the ninth digit, the 4s2p module stopped at 3.47 mm in
        # one run and at 3.30 mm in the next on the same mesh. With it every run is bitwise the
        # same (measured: 56 s against 53 s on that LG M50 run).
        self.solver.iparm[33] = self.threads
        p = self.pattern
        if p is None or not (
            np.array_equal(p[0], upper.indptr) and np.array_equal(p[1], upper.indices)
        ):
            if p is not None:
                self.solver.free_memory(everything=True)
            self._call(11, np.zeros((upper.shape[0], 1)))
            self.pattern = (upper.indptr.copy(), upper.indices.copy())
            self.analyses += 1
            self._check_memory(upper.shape[0])
        self._call(22, np.zeros((upper.shape[0], 1)))

    def _check_memory(self, unknowns: int) -> None:
        """Refuse a factorisation that PARDISO's analysis says will not fit in the free memory
        (peak of the analysis, iparm(15), or what it keeps plus the factor, iparm(16) +
        iparm(17), in KB: oneMKL PARDISO reference, iparm): the mesh check before assembly
        (:func:`~cellwright.engines.mechanics.factor.check_factor_memory`) predicts, this knows."""
        from cellwright.engines.mechanics.factor import available_memory

        iparm = self.solver.iparm
        need = max(int(iparm[14]), int(iparm[15]) + int(iparm[16])) * 1024.0
        free = available_memory()
        if free is not None and need > free:
            self.close()
            precision = "single" if self.single else "double"
            raise FactorMemoryError(
                f"factorising the stiffness of {unknowns} unknowns needs {need / 1e9:.3g} GB in "
                f"{precision} precision (PARDISO's analysis) and {free / 1e9:.3g} GB of memory is "
                "free: choose a larger mesh size",
                "spec.mesh_size",
            )

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        dtype = np.float32 if self.single else np.float64
        x = self._call(33, rhs.astype(dtype).reshape(-1, 1)).ravel()
        return x.astype(np.float64)

    def close(self) -> None:
        if self.pattern is not None:
            self.solver.free_memory(everything=True)
        self.upper = None
        self.pattern = None

    def _call(self, phase: int, rhs: np.ndarray) -> np.ndarray:
        # pypardiso's factorize()/solve() would analyse again and compare matrices on every
        # call, and take double precision only: its ctypes call is driven phase by phase
        self.solver.set_phase(phase)
        return self.solver._call_pardiso(self.upper, np.asfortranarray(rhs))


class TangentFactor:
    """Factorise symmetric (possibly indefinite) tangents on one pattern; solve against them.

    Parameters
    ----------
    precision
        ``"double"``, ``"single"`` (refined in double; a factor that refinement cannot bring to
        ``refine_to`` is made again in double), or ``"auto"``: single from
        :data:`SINGLE_PRECISION_FROM` unknowns on.
    refine_to
        Relative residual ‖b − K x‖ / ‖b‖ a single-precision solve is refined to.
    max_refinements
        Most refinement passes per solve (each costs a solve and a product with K).
    """

    def __init__(self, precision: str = "auto", refine_to: float = 1e-4,
                 max_refinements: int = 6) -> None:  # fmt: skip
        if precision not in ("auto", "double", "single"):
            raise ValueError(f"precision must be auto, double or single, not {precision!r}")
        self.precision = precision
        self.refine_to, self.max_refinements = refine_to, max_refinements
        self._handles: dict[bool, _Pardiso] = {}
        self._active: _Pardiso | None = None
        self.matrix: sp.csr_matrix | None = None
        self.refinements = 0  # refinement passes over the run (what single precision costs)
        self.fallbacks = 0  # single-precision factors made again in double
        self.uncoupled = 0  # coupled solves that fell back to K alone (:meth:`solve`)
        self._source: tuple[np.ndarray, ...] | None = None

    @property
    def single(self) -> bool:
        """Whether the current factor is in single precision."""
        return self._active is not None and self._active.single

    @property
    def upper(self) -> sp.csr_matrix | None:
        """The factorised upper triangle (float32 when single), None without a factor."""
        return None if self._active is None else self._active.upper

    @property
    def analyses(self) -> int:
        """Symbolic analyses so far (one per pattern and precision)."""
        return sum(h.analyses for h in self._handles.values())

    def factorize(self, matrix: sp.csr_matrix) -> None:
        """Factorise ``matrix`` (both triangles stored; only the upper is read)."""
        single = self.precision == "single" or (
            self.precision == "auto" and matrix.shape[0] >= SINGLE_PRECISION_FROM
        )
        self.matrix = matrix
        self._factorize(single)

    def _factorize(self, single: bool) -> None:
        handle = self._handles.get(single)
        if handle is None:
            handle = self._handles[single] = _Pardiso(single)
        handle.factorize(self._upper(self.matrix))
        self._active = handle

    def solve(self, rhs: np.ndarray,
              extra: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:  # fmt: skip
        """K⁻¹ rhs for the last factorised K (refined in double when factorised in single).

        With ``extra``, the product x ↦ E x of a non-symmetric addition E to K (the contact's
        friction coupling), (K + E)⁻¹ rhs by GMRES with K's factor as the preconditioner
        (:meth:`_gmres`); should it not reach ``refine_to``, K⁻¹ rhs.
        """
        if self._active is None:
            raise RuntimeError("solve() before factorize()")
        rhs = np.asarray(rhs, dtype=np.float64)
        if extra is not None:
            x = self._gmres(rhs, extra)
            if x is None and self._active.single:
                self.fallbacks += 1
                self._factorize(False)
                x = self._gmres(rhs, extra)
            if x is not None:
                return x
            self.uncoupled += 1
        if not self._active.single:
            return self._active.solve(rhs)
        x = self._active.solve(rhs)
        target = self.refine_to * np.linalg.norm(rhs)
        last = np.inf
        for passes in range(self.max_refinements + 1):
            r = rhs - self.matrix @ x
            norm = np.linalg.norm(r)
            if norm <= target:
                return x
            # refinement contracts by the factor's relative error each pass; one that does not
            # halve the residual will not get there
            if passes == self.max_refinements or norm > 0.5 * last:
                break
            last = norm
            x += self._active.solve(r)
            self.refinements += 1
        # the single-precision factor is too far off this tangent (the weak springs that hold
        # the rigid-body modes before contact put its condition beyond single precision): this
        # tangent is factorised again in double; the next one tries single again
        self.fallbacks += 1
        self._factorize(False)
        return self._active.solve(rhs)

    def _gmres(self, rhs: np.ndarray, extra: Callable[[np.ndarray], np.ndarray]
               ) -> np.ndarray | None:  # fmt: skip
        """(K + E)⁻¹ rhs by flexible GMRES preconditioned with K's factor (Saad, *Iterative
        Methods for Sparse Linear Systems*, 2nd ed., 2003, Algorithm 9.6: the preconditioned
        vectors are kept, so a single-precision factor's rounding may vary), to ``refine_to``.

        The preconditioned operator is I + E K⁻¹ plus the factor's own rounding, a low-rank
        change of the identity when E is (one rank-one block per contact node), so a few
        iterations do what refinement does for K alone. None when it does not get there
        within :data:`_KRYLOV_MAX` iterations.
        """
        beta = float(np.linalg.norm(rhs))
        if beta == 0.0:
            return np.zeros_like(rhs)
        basis = [rhs / beta]
        directions = []
        h = np.zeros((_KRYLOV_MAX + 1, _KRYLOV_MAX))
        for j in range(_KRYLOV_MAX):
            z = self._active.solve(basis[j])
            directions.append(z)
            w = self.matrix @ z + extra(z)
            for i in range(j + 1):  # modified Gram–Schmidt
                h[i, j] = w @ basis[i]
                w -= h[i, j] * basis[i]
            h[j + 1, j] = np.linalg.norm(w)
            target = np.zeros(j + 2)
            target[0] = beta
            y = np.linalg.lstsq(h[: j + 2, : j + 1], target, rcond=None)[0]
            left = np.linalg.norm(target - h[: j + 2, : j + 1] @ y)
            if j:
                self.refinements += 1
            if left <= self.refine_to * beta or h[j + 1, j] <= 1e-14 * beta:
                x = np.zeros_like(rhs)
                for yi, zi in zip(y, directions, strict=True):
                    x += yi * zi
                return x
            basis.append(w / h[j + 1, j])
        return None

    def release(self) -> None:
        """Forget the numeric factor; PARDISO's analyses and memory stay for the next one."""
        self._active = None
        self.matrix = None

    def close(self) -> None:
        """Free all of PARDISO's memory (the end of a run)."""
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()
        self._active = None
        self.matrix = None
        self._source = None

    def _upper(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        """The upper triangle PARDISO takes (sorted CSR); the selection is kept for the next
        matrix on the same pattern arrays (the crush model shares one pattern for a run)."""
        source = self._source
        # SciPy copies index arrays it is given (it narrows them to int32), so a pattern kept
        # for a run comes back as new arrays every tangent: compare contents before mapping
        # the triangle out again (16 ms a tangent on ~50k tetrahedra, against 9 ms)
        if source is not None and not (source[0] is matrix.indptr and source[1] is matrix.indices):
            same = np.array_equal(source[0], matrix.indptr) and np.array_equal(
                source[1], matrix.indices
            )
            source = (matrix.indptr, matrix.indices, *source[2:]) if same else None
            self._source = source
        if source is None:
            matrix.sort_indices()
            rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
            keep = np.flatnonzero(matrix.indices >= rows)
            counts = np.bincount(rows[keep], minlength=matrix.shape[0])
            indptr = np.concatenate(([0], np.cumsum(counts))).astype(matrix.indptr.dtype)
            self._source = (matrix.indptr, matrix.indices, keep, indptr, matrix.indices[keep])
            source = self._source
        upper = sp.csr_matrix((matrix.data[source[2]], source[4], source[3]), shape=matrix.shape)
        upper.has_sorted_indices = True
        return upper
