"""Steady and transient solution of the assembled conduction system, with reused solvers.

Time schemes (Hairer & Wanner, *Solving ODEs II*): backward Euler (first order, L-stable) and
BDF2 (second order, L-stable; its first step is backward Euler). With a fixed step the system
matrix never changes, so it is factorised once (SuperLU) or its algebraic-multigrid hierarchy is
built once (pyamg smoothed aggregation, Vanek et al. 1996) and reused for every step.
Fixed-temperature nodes are eliminated: A_ff T_f = b_f - A_fd T_d.

Set-up and solves run with BLAS limited to one thread: their BLAS calls are level-1 (dot,
norm) on vectors of 10^4-10^6 entries, memory bound, and OpenBLAS threads contending for a busy
machine made an AMG-CG step 6x slower (1.8 s instead of 0.29 s on the 36 k-node 21700 of
tests/bench/test_thermal_bench.py on two loaded cores).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

__all__ = ["LinearSystem", "ThermalSystem", "TransientStepper", "solve_steady"]

Scheme = Literal["backward_euler", "bdf2"]
Method = Literal["auto", "direct", "amg"]

_DIRECT_LIMIT = 400_000  # unknowns; measured on the 96s4p pack (263 k nodes, 1 M tets): SuperLU
# in symmetric mode with MMD(A + A^T) factors in 4 s to 33 M entries (0.5 GB) and solves in 70 ms,
# where AMG-CG (smoothed aggregation, Gauss-Seidel) needs 22 V-cycles of 90 ms; fill grows faster
# than n in 3D, so beyond this size AMG is the lighter choice


@dataclass
class ThermalSystem:
    """M dT/dt + A T = f(t), with fixed temperatures on some nodes.

    Attributes
    ----------
    mass, stiffness
        Capacity matrix M and conductance A = K + H (conduction plus convection).
    load
        f(t) [W] per node: sources, fluxes and convection to ambient.
    fixed_nodes, fixed_values
        Dirichlet nodes and their temperatures [K].
    """

    mass: sp.csr_matrix
    stiffness: sp.csr_matrix
    load: Callable[[float], np.ndarray]
    fixed_nodes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    fixed_values: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def free(self) -> np.ndarray:
        """Mask of the unknown (not fixed) nodes."""
        mask = np.ones(self.mass.shape[0], dtype=bool)
        mask[self.fixed_nodes] = False
        return mask


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """Limit BLAS to one thread inside the block (threadpoolctl comes with blosc2)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - only the speed differs
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


class LinearSystem:
    """A symmetric positive definite matrix prepared once and solved many times."""

    def __init__(self, matrix: sp.csr_matrix, method: Method = "auto", rtol: float = 1e-8):
        with _one_blas_thread():
            self._prepare(matrix, method, rtol)

    def _prepare(self, matrix: sp.csr_matrix, method: Method, rtol: float) -> None:
        n = matrix.shape[0]
        self.method = ("direct" if n <= _DIRECT_LIMIT else "amg") if method == "auto" else method
        self.rtol = rtol
        self.matrix = matrix.tocsr()
        self.iterations = 0
        if self.method == "direct":
            from scipy.sparse.linalg import splu

            # symmetric mode keeps the fill-reducing ordering of A + A^T (no row pivoting is
            # needed for an SPD matrix): 70x faster than the default partial pivoting here
            self._lu = splu(
                self.matrix.tocsc(),
                permc_spec="MMD_AT_PLUS_A",
                diag_pivot_thresh=0.0,
                options={"SymmetricMode": True},
            )
        else:
            import pyamg

            self._ml = pyamg.smoothed_aggregation_solver(self.matrix, symmetry="symmetric")
            self._precond = self._ml.aspreconditioner(cycle="V")

    def solve(self, rhs: np.ndarray, guess: np.ndarray | None = None) -> np.ndarray:
        """Solve for ``rhs``; the AMG path warm-starts from ``guess``."""
        with _one_blas_thread():
            return self._solve(rhs, guess)

    def _solve(self, rhs: np.ndarray, guess: np.ndarray | None) -> np.ndarray:
        if self.method == "direct":
            return self._lu.solve(rhs)
        from scipy.sparse.linalg import cg

        count = [0]

        def tick(_x: np.ndarray) -> None:
            count[0] += 1

        x, info = cg(
            self.matrix, rhs, x0=guess, rtol=self.rtol, maxiter=500, M=self._precond, callback=tick
        )
        self.iterations = count[0]
        if info != 0:
            raise RuntimeError(f"AMG-preconditioned CG did not converge ({info} iterations)")
        return x


def _split(system: ThermalSystem, matrix: sp.csr_matrix):
    free = system.free
    a_ff = matrix[free][:, free]
    a_fd = matrix[free][:, ~free]
    return free, a_ff, a_fd


def solve_steady(system: ThermalSystem, t: float = 0.0, method: Method = "auto") -> np.ndarray:
    """Steady temperatures: A T = f(t) with the fixed temperatures imposed."""
    n = system.mass.shape[0]
    if (
        system.fixed_nodes.size == 0
        and abs(system.stiffness.sum()) < 1e-12 * abs(system.stiffness.diagonal()).sum()
    ):
        raise ValueError(
            "steady problem has no fixed temperature and no convection: the "
            "temperature level is undetermined"
        )
    free, a_ff, a_fd = _split(system, system.stiffness)
    temps = np.empty(n)
    temps[system.fixed_nodes] = system.fixed_values
    rhs = system.load(t)[free] - a_fd @ system.fixed_values
    temps[free] = LinearSystem(a_ff, method).solve(rhs)
    return temps


class TransientStepper:
    """Advances T by a fixed step ``dt`` with backward Euler or BDF2, reusing the solver."""

    def __init__(
        self, system: ThermalSystem, dt: float, scheme: Scheme = "bdf2", method: Method = "auto"
    ) -> None:
        self.system, self.dt, self.scheme = system, dt, scheme
        self._free = system.free
        self._solvers: dict[float, tuple[LinearSystem, sp.csr_matrix, sp.csr_matrix]] = {}
        self._method = method
        self._previous: np.ndarray | None = None
        self._last_delta: np.ndarray | None = None

    def _solver(self, weight: float):
        """Solver for (weight M / dt + A), built on first use."""
        if weight not in self._solvers:
            lhs = (self.system.mass * (weight / self.dt) + self.system.stiffness).tocsr()
            _free, a_ff, a_fd = _split(self.system, lhs)
            self._solvers[weight] = (LinearSystem(a_ff, self._method), a_fd, lhs)
        return self._solvers[weight]

    def step(self, temps: np.ndarray, t_next: float) -> np.ndarray:
        """Temperatures at ``t_next`` = t + dt from those at t (and t - dt for BDF2)."""
        s, free = self.system, self._free
        m_t = s.mass @ temps
        if self.scheme == "bdf2" and self._previous is not None:
            weight = 1.5
            history = (2.0 * m_t - 0.5 * (s.mass @ self._previous)) / self.dt
        else:
            weight = 1.0
            history = m_t / self.dt
        solver, _, lhs = self._solver(weight)
        # solve for the increment T_next - T: its residual is what the step changes, so the
        # iterative tolerance applies to the change (not to M T / dt, which is ~300 K / dt
        # everywhere and would make a relative tolerance meaningless)
        start = temps.copy()
        start[s.fixed_nodes] = s.fixed_values
        residual = (s.load(t_next) + history - lhs @ start)[free]
        delta = solver.solve(residual, guess=self._last_delta)
        self._last_delta = delta
        new = start
        new[free] = start[free] + delta
        self._previous = temps
        return new
