"""Additive-correction multigrid for the momentum equations (five-point, non-symmetric).

Hutchinson & Raithby (1986), Numer. Heat Transfer 9 511: the equations of each 2 x 2 block of
unknowns are summed into one coarse equation for a correction that is constant over the block;
couplings inside the block join its diagonal. For the upwind momentum matrix (an M-matrix)
every coarse level stays an M-matrix, so red-black Gauss-Seidel smooths on all of them. A few
V-cycles solve the momentum equations of a SIMPLEC iteration far better than Gauss-Seidel alone,
whose slowly converging smooth errors otherwise throttle the outer iterations.
"""

from __future__ import annotations

import numpy as np

__all__ = ["StencilMultigrid"]

_SMALLEST = 4
_PARALLEL = 16384  # points: below this one thread beats two (waking the second costs more)


class _System:
    def __init__(self, kind, ap, ae, aw, an, a_s) -> None:
        self.kind, self.ap, self.ae, self.aw, self.an, self.a_s = kind, ap, ae, aw, an, a_s
        self.x = np.zeros_like(ap)
        self.rhs = np.zeros_like(ap)
        self.res = np.zeros_like(ap)

    def coarse(self, k) -> _System:
        n, m = self.kind.shape
        shape = ((n + 1) // 2, (m + 1) // 2)
        arrays = [np.zeros(shape, np.int8)] + [np.zeros(shape) for _ in range(5)]
        k.agglomerate(self.kind, self.ap, self.ae, self.aw, self.an, self.a_s, *arrays)
        return _System(*arrays)


class StencilMultigrid:
    """V-cycles for a_P x_P = sum a_nb x_nb + b on points with ``kind`` != 0.

    Parameters
    ----------
    kind, ap, ae, aw, an, a_s
        The fine system (see :func:`flow2d_kernels.momentum`); inactive points hold their value.
    kernels
        :mod:`flow2d_kernels` or :mod:`flow2d_numpy`.
    """

    def __init__(self, kind, ap, ae, aw, an, a_s, kernels, sweeps: int = 2) -> None:
        self.k, self.sweeps = kernels, sweeps
        self.levels = [_System(kind, ap, ae, aw, an, a_s)]
        while min(self.levels[-1].kind.shape) > _SMALLEST:
            self.levels.append(self.levels[-1].coarse(kernels))

    def _smooth(self, s: _System, b: np.ndarray, count: int, reverse: int = 0) -> None:
        smooth = (
            self.k.velocity_smooth if s.kind.size >= _PARALLEL else self.k.velocity_smooth_serial
        )
        smooth(s.x, s.kind, s.ap, s.ae, s.aw, s.an, s.a_s, b, count, reverse)

    def _vcycle(self, index: int) -> None:
        s, k = self.levels[index], self.k
        s.x[...] = 0.0
        if index == len(self.levels) - 1:
            self._smooth(s, s.rhs, 20)
            return
        self._smooth(s, s.rhs, self.sweeps)
        k.stencil_residual(s.x, s.kind, s.ap, s.ae, s.aw, s.an, s.a_s, s.rhs, s.res)
        coarse = self.levels[index + 1]
        k.restrict_active(s.res, s.kind, coarse.rhs)
        self._vcycle(index + 1)
        k.prolong_active(s.x, s.kind, coarse.x)
        self._smooth(s, s.rhs, self.sweeps, 1)

    def solve(self, x: np.ndarray, b: np.ndarray, cycles: int = 1) -> None:
        """Improve ``x`` in place by ``cycles`` V-cycles on the residual equation."""
        top, k = self.levels[0], self.k
        for _ in range(cycles):
            k.stencil_residual(x, top.kind, top.ap, top.ae, top.aw, top.an, top.a_s, b, top.rhs)
            self._vcycle(0)
            x += top.x
