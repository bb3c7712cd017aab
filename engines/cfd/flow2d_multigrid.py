"""The pressure-correction equation: multigrid-preconditioned conjugate gradients.

sum_f g_f (p'_P - p'_nb) = -div u* on the cells, with face conductances g (zero across walls,
a Dirichlet conductance to p' = 0 on outlet faces). The cell-centred multigrid coarsens 2 x 2
cells into one, averages the two fine conductances under each coarse face (a finite-volume
rediscretisation), sums residuals and injects corrections piecewise constant (Wesseling 1992,
*An Introduction to Multigrid Methods*, ch. 7); symmetric red-black Gauss-Seidel smoothing makes
the V-cycle a symmetric preconditioner for conjugate gradients, which repairs what piecewise
constant prolongation and masked geometry cost the plain V-cycle. Odd grids are padded with
inactive cells. A domain with no outlet (a closed cavity) has p' defined up to a constant:
residuals and corrections are kept at zero mean.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PressureSolver"]

_COARSEST = 8  # cells along the shorter side of the coarsest grid
_PARALLEL = 16384  # cells: below this one thread beats two (waking the second costs more)


class _Level:
    """One grid: interior face conductances and each cell's conductance to p' = 0 (the outlet
    faces' Dirichlet conductances, kept per cell so that coarsening an odd grid cannot bury a
    boundary face inside a coarse cell)."""

    def __init__(self, gx: np.ndarray, gy: np.ndarray, ground: np.ndarray) -> None:
        self.gx, self.gy, self.ground = gx, gy, ground
        self.diag = gx[:-1] + gx[1:] + gy[:, :-1] + gy[:, 1:] + ground
        self.x = np.zeros_like(self.diag)
        self.rhs = np.zeros_like(self.diag)
        self.res = np.zeros_like(self.diag)

    def coarse(self) -> _Level:
        gx, gy, ground = self.gx, self.gy, self.ground
        cgx = 0.5 * (gx[0::2, 0::2] + gx[0::2, 1::2])
        cgy = 0.5 * (gy[0::2, 0::2] + gy[1::2, 0::2])
        cground = 0.5 * (
            ground[0::2, 0::2] + ground[1::2, 0::2] + ground[0::2, 1::2] + ground[1::2, 1::2]
        )
        return _Level(*(np.ascontiguousarray(a) for a in (cgx, cgy, cground)))


class PressureSolver:
    """Solves for p' on a grid of ``gx`` (n+1, m) and ``gy`` (n, m+1) face conductances.

    Parameters
    ----------
    gx, gy
        Face conductances; boundary faces hold the Dirichlet conductance of outlet faces.
    kernels
        :mod:`flow2d_kernels` (numba) or :mod:`flow2d_numpy` (the reference).
    sweeps
        Red-black Gauss-Seidel sweeps before and after each coarse-grid correction.
    """

    def __init__(self, gx: np.ndarray, gy: np.ndarray, kernels, sweeps: int = 2) -> None:
        self.k, self.sweeps = kernels, sweeps
        n, m = gx.shape[0] - 1, gx.shape[1]
        self.shape = (n, m)
        depth = 1
        while min(n, m) / 2**depth >= _COARSEST:
            depth += 1
        block = 2 ** (depth - 1)
        pn, pm = -(-n // block) * block, -(-m // block) * block
        pgx, pgy = np.zeros((pn + 1, pm)), np.zeros((pn, pm + 1))
        pgx[1:n, :m], pgy[:n, 1:m] = gx[1:-1], gy[:, 1:-1]
        ground = np.zeros((pn, pm))
        ground[0, :m] += gx[0]
        ground[n - 1, :m] += gx[-1]
        ground[:n, 0] += gy[:, 0]
        ground[:n, m - 1] += gy[:, -1]
        self.levels = [_Level(pgx, pgy, ground)]
        for _ in range(depth - 1):
            self.levels.append(self.levels[-1].coarse())
        top = self.levels[0]
        self.weight = (top.diag > 0).astype(float)  # 1 on active cells
        self.count = float(self.weight.sum())
        boundary = gx[0].sum() + gx[-1].sum() + gy[:, 0].sum() + gy[:, -1].sum()
        self.singular = boundary <= 0.0
        self.iterations = 0

    def _mean_free(self, a: np.ndarray) -> None:
        if self.singular and self.count:
            a -= (np.vdot(a, self.weight) / self.count) * self.weight

    def _smooth(self, level: _Level, count: int, reverse: int) -> None:
        k = self.k
        smooth = k.poisson_smooth if level.diag.size >= _PARALLEL else k.poisson_smooth_serial
        smooth(level.x, level.gx, level.gy, level.diag, level.rhs, count, reverse)

    def _vcycle(self, index: int) -> None:
        level, k = self.levels[index], self.k
        level.x[...] = 0.0
        if index == len(self.levels) - 1:  # symmetric: forward sweeps, then backward ones
            self._smooth(level, 30, 0)
            self._smooth(level, 30, 1)
            return
        self._smooth(level, self.sweeps, 0)
        k.poisson_residual(level.x, level.gx, level.gy, level.diag, level.rhs, level.res)
        coarse = self.levels[index + 1]
        k.restrict_sum(level.res, coarse.rhs)
        self._vcycle(index + 1)
        k.prolong_add(level.x, coarse.x, level.diag)
        self._smooth(level, self.sweeps, 1)

    def _precondition(self, r: np.ndarray) -> np.ndarray:
        top = self.levels[0]
        top.rhs[...] = r
        self._vcycle(0)
        z = top.x.copy()
        self._mean_free(z)
        return z

    def _apply(self, x: np.ndarray, out: np.ndarray) -> None:
        """out = A x."""
        top = self.levels[0]
        self.k.poisson_residual(x, top.gx, top.gy, top.diag, np.zeros_like(x), out)
        np.negative(out, out=out)

    def solve(self, rhs: np.ndarray, rtol: float = 1e-3, max_iterations: int = 50) -> np.ndarray:
        """p' for ``rhs`` (n, m), to a residual ``rtol`` times the initial one."""
        n, m = self.shape
        top = self.levels[0]
        r = np.zeros_like(top.diag)
        r[:n, :m] = rhs
        r *= self.weight
        self._mean_free(r)
        x = np.zeros_like(r)
        norm0 = float(np.sqrt(np.vdot(r, r)))
        if norm0 == 0.0:
            self.iterations = 0
            return x[:n, :m]
        z = self._precondition(r)
        direction = z.copy()
        rz = float(np.vdot(r, z))
        ap = np.empty_like(r)
        for iteration in range(1, max_iterations + 1):
            self._apply(direction, ap)
            alpha = rz / float(np.vdot(direction, ap))
            x += alpha * direction
            r -= alpha * ap
            self.iterations = iteration
            if np.sqrt(np.vdot(r, r)) <= rtol * norm0:
                break
            z = self._precondition(r)
            rz_new = float(np.vdot(r, z))
            direction = z + (rz_new / rz) * direction
            rz = rz_new
        return x[:n, :m]
