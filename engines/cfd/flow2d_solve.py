"""Driving the flow solver: steady iterations (with grid sequencing), transient steps,
convergence monitoring, divergence detection and progress.

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

__all__ = ["Convergence", "solve_steady_flow"]

_SEQUENCE_FROM = 96  # grids with more cells along their longer side start from a coarse one
_DIVERGED = 1e4  # continuity residual growth over its best that counts as divergence
_WINDOW = 100  # iterations between checks that the residuals still fall
_LOWEST_RELAX = 0.5


@dataclass
class Convergence:
    """How the iterations went: residual histories, iterations, wall time, outcome."""

    continuity: list[float] = field(default_factory=list)
    change: list[float] = field(default_factory=list)
    iterations: int = 0
    coarse_iterations: int = 0
    converged: bool = False
    relaxation: float | None = None  # lowered to this when the iterations stopped progressing
    seconds: float = 0.0
    cell_updates: float = 0.0


def _residuals(solver: FlowSolver, continuity: float, change: float, speed: float):
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
    solver = _new_solver(problem, spec)
    if start is not None:
        _interpolate_from(solver, start)
    conv = _iterate(solver, problem, spec, progress, fraction)
    conv.coarse_iterations = coarse_iterations
    return solver, conv


def _new_solver(problem, spec) -> FlowSolver:
    fl = problem.fluid
    return FlowSolver(
        problem.grid, fl.density, fl.viscosity, problem.friction, spec.outlet_pressure, spec.backend
    )


def _iterate(solver: FlowSolver, problem, spec, progress: Progress, fraction) -> Convergence:
    conv = Convergence()
    speed = problem.reference_speed
    cells = solver.grid.nx * solver.grid.ny
    started = last_report = time.perf_counter()
    best = np.inf
    relax = spec.relaxation
    window = [np.inf, np.inf]  # smallest velocity change in the previous and current window
    for iteration in range(1, spec.max_iterations + 1):
        raw_c, raw_d = solver.iterate(relax=relax, sweeps=2, pressure_rtol=1e-3)
        continuity, change = _residuals(solver, raw_c, raw_d, speed)
        conv.continuity.append(continuity)
        conv.change.append(change)
        conv.iterations = iteration
        if not np.isfinite(continuity) or continuity > _DIVERGED * max(best, 1e-12):
            raise EngineError(
                f"the 2D solver diverged at iteration {iteration} (continuity residual "
                f"{continuity:.3g}); lower spec.relaxation (now {spec.relaxation:g}) or refine "
                "the grid (spec.cells)"
            )
        best = min(best, continuity) if iteration > 5 else best
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


@dataclass
class TransientHistory:
    """Flow and temperature snapshots of a transient run."""

    times: list[float] = field(default_factory=list)
    velocity: list[np.ndarray] = field(default_factory=list)
    pressure: list[np.ndarray] = field(default_factory=list)
    temperature: list[np.ndarray] = field(default_factory=list)
    inner_iterations: list[int] = field(default_factory=list)


def solve_transient(problem, spec, progress: Progress):
    """Implicit Euler in time; each step iterates SIMPLEC until its residuals are below the
    tolerance (at most 50 iterations), then steps the temperature with the new velocities.

    Returns the solver (final state), the :class:`Convergence` totals and the history.
    """
    from cellwright.engines.cfd.flow2d_energy import TransientEnergy, energy_system

    solver = _new_solver(problem, spec)
    g, speed = problem.grid, problem.reference_speed
    steps = int(np.ceil(spec.duration / spec.time_step - 1e-9))
    inertia = problem.fluid.density * g.h**2 / spec.time_step
    conv, history = Convergence(), TransientHistory()
    temps = None
    started = time.perf_counter()
    for step in range(1, steps + 1):
        previous = (solver.u.copy(), solver.v.copy())
        inner = 0
        while inner < 50:
            inner += 1
            raw_c, raw_d = solver.iterate(
                relax=1.0, sweeps=2, inertia=inertia, previous=previous, pressure_rtol=1e-3
            )
            continuity, change = _residuals(solver, raw_c, raw_d, speed)
            if not np.isfinite(continuity):
                raise EngineError(
                    f"the 2D solver diverged in time step {step}; shorten "
                    "spec.time_step or refine the grid"
                )
            if continuity < spec.tolerance and change < spec.tolerance:
                break
        conv.iterations += inner
        conv.continuity.append(continuity)
        conv.change.append(change)
        history.inner_iterations.append(inner)
        if spec.energy:
            system = energy_system(problem, solver.u, solver.v)
            if temps is None:
                temps = np.full(system.rhs.size, spec.initial_temperature)
            temps = TransientEnergy(system, spec.time_step).step(temps)
        if step % spec.output_every == 0 or step == steps:
            history.times.append(min(step * spec.time_step, spec.duration))
            history.velocity.append(solver.cell_velocity())
            history.pressure.append(solver.p.copy())
            history.temperature.append(system.temperatures(temps) if spec.energy else None)
        progress.update(0.05 + 0.9 * step / steps, f"t = {step * spec.time_step:g} s")
    conv.converged = True
    conv.seconds = time.perf_counter() - started
    conv.cell_updates = float(g.nx * g.ny) * conv.iterations
    return solver, conv, history
