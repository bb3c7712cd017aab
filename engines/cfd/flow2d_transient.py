"""Driving transient runs: implicit Euler steps of the flow, each iterated with SIMPLEC to the
tolerance, the temperature stepped with each step's velocities, and the control of the step.

A step whose inner iterations run away (the criteria of the steady solver's guard,
:class:`flow2d_solve._Guard`) or do not reach the tolerance within ``INNER_ITERATIONS`` is
rejected: the run returns to the state at the start of the step and takes it as two implicit
Euler steps of half the time, each cut again the same way if it fails, down to
``time_step / 2**MOST_HALVINGS``; then it carries on at the user's step. This is how implicit
integrators treat a step whose nonlinear iterations fail (Hairer & Wanner, *Solving Ordinary
Differential Equations II*, 2nd ed., §IV.8: reject the step and retry it shorter); a smaller
step adds rho h^2/dt to every momentum diagonal, so SIMPLEC's inner problem is nearer its
previous state and better conditioned (Ferziger & Peric, *Computational Methods for Fluid
Dynamics*, 3rd ed., §7.2 and §6.3).

At the shortest sub-step a step that still does not reach the tolerance (but stays finite and
does not run away) is accepted, as commercial codes move on when a step's inner iterations
are exhausted; it is counted and warned, and the run is not reported converged. Cutting did
not help that run, so from then on a step that only misses the tolerance is kept at once (a
start-up above the tolerance at every step size paid 31 tries a step). One that
still diverges stops the run: the history up to the last converged step is kept and returned
as a partial result naming the time and what to change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.api import EngineError, Progress
from cellwright.engines.cfd.flow2d_flow import FlowSolver
from cellwright.engines.cfd.flow2d_solve import (
    GROWTH,
    RUNAWAY_SPEEDS,
    SETTLING,
    Convergence,
    new_solver,
    residuals,
)

__all__ = ["INNER_ITERATIONS", "MOST_HALVINGS", "TransientHistory", "solve_transient"]

INNER_ITERATIONS = 50  # SIMPLEC iterations a step may take to reach the tolerance
MOST_HALVINGS = 4  # a step is cut down to spec.time_step / 16 at most


@dataclass
class TransientHistory:
    """Flow and temperature snapshots of a transient run, and how its steps went.

    ``times`` … ``temperature`` are the snapshots at the output times (and, if the run stopped
    early, at the last converged state); ``inner_iterations`` holds the iterations of each of
    the user's steps that completed (its sub-steps' together). The ``step_*`` lists hold every
    accepted step, of the user's size or cut.
    """

    times: list[float] = field(default_factory=list)
    velocity: list[np.ndarray] = field(default_factory=list)
    pressure: list[np.ndarray] = field(default_factory=list)
    temperature: list[np.ndarray] = field(default_factory=list)
    inner_iterations: list[int] = field(default_factory=list)
    step_times: list[float] = field(default_factory=list)  # end of each accepted step [s]
    step_sizes: list[float] = field(default_factory=list)  # its dt [s]
    step_iterations: list[int] = field(default_factory=list)
    step_continuity: list[float] = field(default_factory=list)
    step_change: list[float] = field(default_factory=list)
    cut_steps: int = 0  # the user's steps that were taken as shorter sub-steps
    unconverged: int = 0  # shortest sub-steps accepted with residuals above the tolerance
    end_time: float = 0.0  # of the last converged state [s]
    failure: str = ""  # why the run stopped before the duration ("" if it did not)


@dataclass
class _Attempt:
    """One implicit Euler step tried: its outcome, iterations and last residuals."""

    outcome: str  # "converged", "unconverged" or "diverged"
    iterations: int
    continuity: float
    change: float


class _Stepper:
    """Steps the flow (and the temperature) of one transient run, cutting failed steps."""

    def __init__(self, problem, spec, progress: Progress) -> None:
        self.problem, self.spec, self.progress = problem, spec, progress
        self.solver: FlowSolver = new_solver(problem, spec)
        self.conv, self.history = Convergence(), TransientHistory()
        self.system, self.temps = None, None
        self.time = 0.0
        self.step_cut = False  # the user's step under way was cut
        self.cuts_converge = True  # whether cutting a step that misses the tolerance helps

    def _state(self):
        s = self.solver
        return s.u.copy(), s.v.copy(), s.p.copy()

    def _restore(self, state) -> None:
        u, v, p = state
        self.solver.u, self.solver.v, self.solver.p = u.copy(), v.copy(), p.copy()

    def advance(self, dt: float, halvings: int = 0) -> bool:
        """Take a step of ``dt`` from the current state, as sub-steps if it fails; False if
        even the shortest sub-step diverged (the state is then the last converged one)."""
        start = self._state()
        attempt = self._iterate(dt)
        floor = halvings >= MOST_HALVINGS
        if attempt.outcome == "unconverged" and floor and halvings:
            # cutting did not bring this step to the tolerance: a start-up that stays above it
            # at every step would otherwise pay 31 tries a step; later steps that merely miss
            # it are kept at once (those that run away are still cut)
            self.cuts_converge = False
        if attempt.outcome == "converged" or (
            attempt.outcome == "unconverged" and (floor or not self.cuts_converge)
        ):
            self._accept(dt, attempt, halvings)
            return True
        self._restore(start)
        if floor:
            self._fail(dt, attempt)
            return False
        self.step_cut = True
        return self.advance(dt / 2, halvings + 1) and self.advance(dt / 2, halvings + 1)

    def _iterate(self, dt: float) -> _Attempt:
        """SIMPLEC iterations of one implicit Euler step of ``dt``, until the residuals are
        below the tolerance, the iterates run away, or ``INNER_ITERATIONS`` are spent."""
        solver, spec = self.solver, self.spec
        speed = self.problem.reference_speed
        inertia = self.problem.fluid.density * solver.grid.h**2 / dt
        previous = (solver.u.copy(), solver.v.copy())
        best = np.inf
        # a running-away step is caught by its residuals below: its overflows say nothing more
        with np.errstate(over="ignore", invalid="ignore"):
            for inner in range(1, INNER_ITERATIONS + 1):
                raw_c, raw_d = solver.iterate(
                    relax=1.0, sweeps=2, inertia=inertia, previous=previous, pressure_rtol=1e-3
                )
                continuity, change = residuals(solver, raw_c, raw_d, speed)
                self.conv.iterations += 1
                if not (np.isfinite(continuity) and np.isfinite(change)):
                    return _Attempt("diverged", inner, continuity, change)
                # as the steady guard: the first iterations may jump, later ones must not grow
                if inner > SETTLING:
                    if continuity > GROWTH * best or change > RUNAWAY_SPEEDS * speed:
                        return _Attempt("diverged", inner, continuity, change)
                    best = min(best, continuity)
                if continuity < spec.tolerance and change < spec.tolerance:
                    return _Attempt("converged", inner, continuity, change)
                self.progress.check()
        return _Attempt("unconverged", inner, continuity, change)

    def _accept(self, dt: float, attempt: _Attempt, halvings: int) -> None:
        """Keep the step: count it, step the temperature with its dt and velocities."""
        from cellwright.engines.cfd.flow2d_energy import TransientEnergy, energy_system

        h = self.history
        self.time += dt
        h.step_times.append(self.time)
        h.step_sizes.append(dt)
        h.step_iterations.append(attempt.iterations)
        h.step_continuity.append(attempt.continuity)
        h.step_change.append(attempt.change)
        h.unconverged += attempt.outcome != "converged"
        self.conv.continuity.append(attempt.continuity)
        self.conv.change.append(attempt.change)
        if self.spec.energy:
            self.system = energy_system(self.problem, self.solver.u, self.solver.v)
            if self.temps is None:
                self.temps = np.full(self.system.rhs.size, self.spec.initial_temperature)
            self.temps = TransientEnergy(self.system, dt).step(self.temps)
        cut = f" (a step cut to {dt:.3g} s)" if halvings else ""
        self.progress.update(
            0.05 + 0.9 * self.time / self.spec.duration, f"t = {self.time:.6g} s{cut}"
        )

    def _fail(self, dt: float, attempt: _Attempt) -> None:
        spec = self.spec
        how = (
            "gave non-finite values"
            if not np.isfinite(attempt.continuity)
            else f"ran away (continuity residual {attempt.continuity:.3g})"
        )
        self.history.failure = (
            f"the 2D solver diverged in the time step from t = {self.time:.6g} s even cut to "
            f"{dt:.3g} s (spec.time_step / {2**MOST_HALVINGS}): its inner iterations {how} at "
            f"iteration {attempt.iterations}; shorten spec.time_step (now {spec.time_step:g} s) "
            f"or refine the grid (spec.cells, now {spec.cells})"
        )

    def snapshot(self) -> None:
        """Keep the fields of the current state at the current time."""
        h, s = self.history, self.solver
        h.times.append(min(self.time, self.spec.duration))
        h.velocity.append(s.cell_velocity())
        h.pressure.append(s.p.copy())
        h.temperature.append(self.system.temperatures(self.temps) if self.spec.energy else None)


def solve_transient(problem, spec, progress: Progress):
    """Implicit Euler in time from rest; each step iterates SIMPLEC until its residuals are
    below the tolerance, and a step that fails is cut (see the module's docstring).

    Returns the solver (its last converged state), the :class:`Convergence` totals (converged
    only if every step reached the tolerance and the run reached the duration) and the
    :class:`TransientHistory`; ``history.failure`` says why a run stopped early.

    Raises
    ------
    EngineError
        If the first step fails even at its shortest sub-step (nothing to keep).
    """
    run = _Stepper(problem, spec, progress)
    steps = int(np.ceil(spec.duration / spec.time_step - 1e-9))
    started = time.perf_counter()
    for step in range(1, steps + 1):
        run.step_cut = False
        # the last step ends on the duration, not past it
        dt = min(spec.time_step, spec.duration - (step - 1) * spec.time_step)
        iterations = run.conv.iterations
        if not run.advance(dt):
            break
        run.time = min(step * spec.time_step, spec.duration)  # no drift from summed sub-steps
        run.history.step_times[-1] = run.time
        run.history.cut_steps += run.step_cut
        run.history.inner_iterations.append(run.conv.iterations - iterations)
        if step % spec.output_every == 0 or step == steps:
            run.snapshot()
    history, conv = run.history, run.conv
    history.end_time = run.time
    if history.failure:
        if not history.step_times:
            raise EngineError(history.failure)
        if not history.times or history.times[-1] < run.time:
            run.snapshot()
    conv.converged = not history.failure and history.unconverged == 0
    conv.seconds = time.perf_counter() - started
    conv.cell_updates = float(problem.grid.nx * problem.grid.ny) * conv.iterations
    return run.solver, conv, history
