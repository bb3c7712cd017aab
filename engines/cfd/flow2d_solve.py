"""Driving the flow solver: steady iterations (with grid sequencing), convergence monitoring,
divergence detection and progress (transient runs: :mod:`flow2d_transient`).

Steady runs first solve the same problem on grids 2, 4 … times coarser and start from the
interpolated coarse solution (nested iteration; e.g. Ferziger & Peric, *Computational Methods
for Fluid Dynamics*, 3rd ed., §12.4): the fine grid then only removes what the coarse one could
not resolve, which takes far fewer of its expensive iterations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.api import EngineError, Progress
from cellwright.engines.cfd.flow2d_flow import FlowSolver

__all__ = [
    "GROWTH",
    "RUNAWAY_SPEEDS",
    "SETTLING",
    "Convergence",
    "new_solver",
    "residuals",
    "solve_steady_flow",
]

_SEQUENCE_FROM = 96  # grids with more cells along their longer side start from a coarse one
_WINDOW = 100  # iterations between checks that the residuals still fall
_LOWEST_RELAX = 0.5
# Divergence as it starts (see _Guard): the continuity residual this many times its best since
# the level started or last stepped back, or a velocity change in one iteration this many
# reference speeds (runs that converge stay below 5 and 30: the example plate's levels)
# (the transient steps, flow2d_transient.py, watch their iterations by the same limits)
GROWTH = 1e2
RUNAWAY_SPEEDS = 100.0
_CUT = 0.9  # each step back multiplies the relaxation by this
_MOST_CUTS = 4  # 0.98 -> 0.88, 0.79, 0.71, 0.64: then the run gives up
_KEEP_EVERY = 10  # iterations between copies of the last good state
# iterations from rest (or after a step back) that are left alone but for non-finite values:
# their residuals rise from near nothing and their velocities jump tens of reference speeds
SETTLING = 5


@dataclass
class Convergence:
    """How the iterations went: residual histories, iterations, wall time, outcome."""

    continuity: list[float] = field(default_factory=list)
    change: list[float] = field(default_factory=list)
    iterations: int = 0
    coarse_iterations: int = 0
    converged: bool = False
    relaxation: float | None = None  # lowered to this when the iterations stalled or diverged
    cuts: int = 0  # times the iterations began to diverge and stepped back (see _Guard)
    seconds: float = 0.0
    cell_updates: float = 0.0


def residuals(solver: FlowSolver, continuity: float, change: float, speed: float):
    """(mean |div u*| over the fluid cells, largest velocity change), both over the
    reference speed: the mass imbalance the momentum equations still leave each iteration,
    and how far the iteration still moves the solution."""
    cells = max(int(solver.grid.fluid.sum()), 1)
    return continuity / cells / speed, change / speed


def solve_steady_flow(
    problem, spec, progress: Progress, fraction=(0.0, 0.8), build=None
) -> tuple[FlowSolver, Convergence]:
    """Iterate ``problem`` to a steady state (``build(cells)`` makes the coarser problems).

    Raises
    ------
    EngineError
        If the iterations diverge (naming the iteration and what to change).
    """
    start = None
    coarse_iterations = 0
    cells = max(problem.grid.nx, problem.grid.ny)
    if build is not None and cells >= _SEQUENCE_FROM and spec.backend == "numba":
        coarse = build(cells // 2)
        if min(coarse.grid.nx, coarse.grid.ny) >= 8:
            low, high = fraction
            coarse_solver, coarse_conv = solve_steady_flow(
                coarse, spec, progress, (low, low + 0.3 * (high - low)), build
            )
            start = coarse_solver
            coarse_iterations = coarse_conv.iterations + coarse_conv.coarse_iterations
            fraction = (low + 0.3 * (high - low), high)
    solver = new_solver(problem, spec)
    if start is not None:
        _interpolate_from(solver, start)
    conv = _iterate(solver, problem, spec, progress, fraction)
    conv.coarse_iterations = coarse_iterations
    return solver, conv


def new_solver(problem, spec) -> FlowSolver:
    fl = problem.fluid
    return FlowSolver(
        problem.grid, fl.density, fl.viscosity, problem.friction, spec.outlet_pressure, spec.backend
    )


class _Guard:
    """Catches divergence as it starts, at any iteration, and steps back with less relaxation.

    SIMPLE-type iterations converge only while the momentum under-relaxation is small enough
    for the flow at hand, and how small is found by trial (Patankar 1980, *Numerical Heat
    Transfer and Fluid Flow*, ch. 4 and 6; Ferziger & Peric, *Computational Methods for Fluid
    Dynamics*, 3rd ed., ch. 7). The trial is automated here as an implicit time stepper cuts
    its step: where the iterates start to run away (a non-finite value at any iteration; once
    ``SETTLING`` iterations have passed, the continuity residual ``GROWTH`` times its best or
    a velocity change in one iteration of ``RUNAWAY_SPEEDS`` reference speeds), the run
    returns to its last good state, kept every ``_KEEP_EVERY`` iterations (the level's start
    until then), and multiplies the relaxation by ``_CUT``, at most ``_MOST_CUTS`` times
    before it gives up naming what to change. Every level of the grid sequence has its own.
    """

    def __init__(self, solver: FlowSolver, relax: float, speed: float) -> None:
        self.solver, self.relax, self.speed = solver, relax, speed
        self.cuts = 0
        self._restart(0)
        self._kept = self._state()  # the level's start (from rest, or the coarse grid's answer)

    def _state(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s = self.solver
        return s.u.copy(), s.v.copy(), s.p.copy()

    def _restart(self, iteration: int) -> None:
        self.best, self.since = np.inf, iteration

    def watch(self, iteration: int, continuity: float, change: float) -> bool:
        """Whether this iteration is running away; else note its residual and keep the state
        now and then (only while the residual is near its best)."""
        if not (np.isfinite(continuity) and np.isfinite(change)):
            return True
        if iteration - self.since <= SETTLING:
            return False
        if continuity > GROWTH * self.best or change > RUNAWAY_SPEEDS * self.speed:
            return True
        self.best = min(self.best, continuity)
        if iteration % _KEEP_EVERY == 0 and continuity <= 2.0 * self.best:
            self._kept = self._state()
        return False

    def step_back(self, iteration: int, continuity: float, asked: float) -> float:
        """Restore the last good state and lower the relaxation; raise when cut too often."""
        if self.cuts >= _MOST_CUTS or self.relax * _CUT < _LOWEST_RELAX:
            raise EngineError(
                f"the 2D solver diverged at iteration {iteration} (continuity residual "
                f"{continuity:.3g}) even at a relaxation of {self.relax:.3g}, lowered "
                f"{self.cuts} times from the one asked for; lower spec.relaxation (now "
                f"{asked:g}) or refine the grid (spec.cells)"
            )
        self.cuts += 1
        self.relax *= _CUT
        u, v, p = self._kept
        self.solver.u, self.solver.v, self.solver.p = u.copy(), v.copy(), p.copy()
        self._restart(iteration)
        return self.relax


def _iterate(solver: FlowSolver, problem, spec, progress: Progress, fraction) -> Convergence:
    conv = Convergence()
    speed = problem.reference_speed
    cells = solver.grid.nx * solver.grid.ny
    started = last_report = time.perf_counter()
    relax = spec.relaxation
    guard = _Guard(solver, relax, speed)
    window = [np.inf, np.inf]  # smallest velocity change in the previous and current window
    for iteration in range(1, spec.max_iterations + 1):
        raw_c, raw_d = solver.iterate(relax=relax, sweeps=2, pressure_rtol=1e-3)
        continuity, change = residuals(solver, raw_c, raw_d, speed)
        conv.continuity.append(continuity)
        conv.change.append(change)
        conv.iterations = iteration
        if guard.watch(iteration, continuity, change):
            guard.relax = relax
            relax = conv.relaxation = guard.step_back(iteration, continuity, spec.relaxation)
            conv.cuts = guard.cuts
            window = [np.inf, np.inf]
            continue
        if continuity < spec.tolerance and change < spec.tolerance and iteration > 2:
            conv.converged = True
            break
        window[1] = min(window[1], change)
        if iteration % _WINDOW == 0:
            # no progress over a window: the iteration oscillates; relax harder (SIMPLEC with
            # relaxation near 1 converges fastest where it converges at all)
            if window[1] > 0.7 * window[0] and relax > _LOWEST_RELAX:
                relax = max(_LOWEST_RELAX, 1.0 - (1.0 - relax) * 1.5)
                conv.relaxation = relax
            window = [window[1], np.inf]
        now = time.perf_counter()
        if now - last_report > 0.5:
            last_report = now
            done = min(1.0, np.log10(max(change, 1e-30)) / np.log10(spec.tolerance))
            low, high = fraction
            progress.update(
                low + (high - low) * max(done, 0.0),
                f"{solver.grid.nx}x{solver.grid.ny} iteration {iteration}: continuity "
                f"{continuity:.2e}, velocity change {change:.2e}",
            )
        progress.check()
    conv.seconds = time.perf_counter() - started
    conv.cell_updates = float(cells) * conv.iterations
    return conv


def _interpolate_from(fine: FlowSolver, coarse: FlowSolver) -> None:
    """Start ``fine`` from ``coarse``'s solution, bilinear on each staggered variable; fixed
    faces keep their boundary values."""
    fg, cg = fine.grid, coarse.grid
    scale = cg.h / fg.h
    fine.u = _bilinear(coarse.u, (0.0, 0.5), fine.u.shape, scale, (0.0, 0.5))
    fine.v = _bilinear(coarse.v, (0.5, 0.0), fine.v.shape, scale, (0.5, 0.0))
    fine.p = _bilinear(coarse.p, (0.5, 0.5), fine.p.shape, scale, (0.5, 0.5))
    fixed_x, fixed_y = fg.x.kind == 0, fg.y.kind.T == 0
    fine.u[fixed_x] = fg.x.value[fixed_x]
    fine.v[fixed_y] = fg.y.value.T[fixed_y]
    fine.p[~fg.fluid] = fine.p_out


def _bilinear(coarse: np.ndarray, c_offset, shape, scale: float, f_offset) -> np.ndarray:
    """Values at fine points (i + f_offset) h_f from coarse points (I + c_offset) h_c."""
    from scipy.interpolate import RegularGridInterpolator

    axes = [np.arange(n) + off for n, off in zip(coarse.shape, c_offset, strict=True)]
    interp = RegularGridInterpolator(axes, coarse, bounds_error=False, fill_value=None)
    fine_axes = [(np.arange(n) + off) / scale for n, off in zip(shape, f_offset, strict=True)]
    points = np.stack(np.meshgrid(*fine_axes, indexing="ij"), axis=-1)
    return np.ascontiguousarray(interp(points))
