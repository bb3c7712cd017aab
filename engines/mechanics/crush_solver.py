"""Quasi-static path following by indenter travel: Newton with line search and step control.

Each load step prescribes the indenter travel δ and solves R(u) = f_int(u) + k_s u − f_c(u, δ) = 0
by Newton's method on the consistent tangent. The first iterate extrapolates the previous step's
increment (a secant predictor), and every Newton direction is scaled by a line search on
s(η) = Δu·R(u + η Δu) (Crisfield, *Non-linear Finite Element Analysis of Solids and Structures*,
Vol. 1, 1991, §9.3: regula falsi to |s(η)| ≤ 0.1 |s(0)|). A step that does not converge within
the iteration limit, turns an element inside out or produces non-finite numbers is rejected and
retried at half the size; a step that converged quickly lets the next one grow by half. Below the
minimum step the run stops with the last converged state kept (:class:`StepFailed`).

The factorisation is reused while it keeps contracting the residual (modified Newton); it is
renewed when the residual falls by less than a factor of ten in an iteration. PARDISO factorises
it (:mod:`cellwright.engines.mechanics.crush_factor`: symmetric indefinite, single precision with
refinement in double on large meshes).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.mechanics.constitutive import P_FRACTURE, S_EQ, S_FAILED, plastic_work
from cellwright.engines.mechanics.crush_factor import TangentFactor
from cellwright.engines.mechanics.crush_fracture import accumulate_damage, triaxiality
from cellwright.engines.mechanics.crush_model import ContactState, Coupling, CrushModel, Evaluation

__all__ = ["Converged", "PathFollower", "StepControl", "StepFailed", "numpy_blas_on_one_thread"]

_ETA_FLOOR = 0.01  # smallest line-search step (a step that small is a sign of stagnation)
# accept a step once |s(η)| ≤ this × |s(0)| (Crisfield §9.3.2 suggests 0.5; a residual evaluation
# costs a tenth of a factorisation here, so a closer line search that saves Newton iterations
# pays: the LG M50 squeeze to 30 % took 144 s with 0.1 against 156 s with 0.25 and 170 s with
# 0.5, the Kokam squeeze to its short 177 s against 199 s, the same forces within 0.4 %)
_LINE_SEARCH_RATIO = 0.1
# while the viscous stabilisation is on, a step grows only after converging within this many
# iterations: the tearing bar of the tests took 1.6 % of its work in dampers so, 13 % with 7
_DAMPED_FAST = 5
# overshoots of an event (a force stop, the short's strain) tried again shorter in one advance
# before one is kept
_LANDING_TRIES = 6
# an overshoot past twice the event's threshold (g > 1) says that the step was far too long for
# the curve, not where the event lies: the path then aims at most this far up in g at a time, so
# a stiff part's curve to its force stop has points on the way (it landed in one step: three
# points to 13 kN on the LF280K between UN 38.3's plates, the trapezoidal work 2.8 % above the
# energy stored; 14 % on the 6061 bar of the tests at 400 N)
_GROSS_OVERSHOOT = 1.0
_MAX_RISE = 0.1


def numpy_blas_on_one_thread() -> contextlib.AbstractContextManager:
    """Limit NumPy's OpenBLAS to one thread inside the block; MKL (PARDISO) keeps its threads.

    Why: after every call OpenBLAS's idle workers busy-wait for their next task, and the path's
    many vector products (norms, line-search slopes) kept one of them spinning on the core the
    element assembly's second thread needs (:func:`~cellwright.engines.mechanics.nonlinear.
    internal_forces`): 23 s of CPU in a 61 s squeeze, the assembly's threads running 60 % of
    their wall time. The vectors are far too short for a second BLAS thread to pay.
    """
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - only the speed differs
        return contextlib.nullcontext()
    return ThreadpoolController().select(internal_api="openblas").limit(limits=1)


class StepFailed(RuntimeError):
    """No step down to the minimum converged; the path's last converged state is kept."""


@dataclass(frozen=True)
class StepControl:
    """Load-step and Newton settings."""

    first: float  # first travel increment [m]
    minimum: float  # smallest increment before giving up [m]
    maximum: float  # largest increment [m]
    max_iterations: int = 16
    tolerance: float = 1e-6  # residual norm relative to the internal force norm (strict)
    #: iterations at or below which the next step grows (at most 5 while dampers are on:
    #: :meth:`PathFollower.advance`)
    fast: int = 7
    # the criterion of implicit structural codes (Abaqus Analysis User's Guide 7.2.3, defaults
    # R_n = 5e-3, C_n = 1e-2): largest residual ≤ force_tolerance × the average nodal force
    # and largest correction ≤ correction_tolerance × the largest displacement increment of
    # the step. Penalty contact leaves a residual floor of about ε_N A times the gap noise, so
    # the strict L2 test alone makes Newton chase the contact edge for ever (None: strict only)
    force_tolerance: float | None = None
    correction_tolerance: float = 1e-2
    #: the viscous stabilisation's factors, tried in turn when a step fails at the minimum
    #: length (:meth:`PathFollower._stabilise_more`); empty: the run stops there
    stabilisation: tuple[float, ...] = ()
    #: the path's first step as a share of ``first`` (later steps grow from it as usual)
    opening: float = 1.0


@dataclass
class Converged:
    """The state at the end of a converged step."""

    travel: float
    u: np.ndarray
    state: np.ndarray
    stress: np.ndarray
    strain: np.ndarray
    contacts: list[ContactState]
    evaluation: Evaluation
    iterations: int
    energy: dict[str, float] = field(default_factory=dict)


class PathFollower:
    """Follows the indenter travel with Newton; reports every converged step."""

    def __init__(self, model: CrushModel, control: StepControl, check: Callable[[], None]):
        self.model, self.control, self.check = model, control, check
        n_contacts = len(model.indenters)
        k = model.skin_nodes.size
        u = np.zeros(model.n_dofs)
        state = model.initial_state()
        contacts = [ContactState(np.zeros((k, 3))) for _ in range(n_contacts)]
        first = model.evaluate(u, 0.0, 0.0, u, state, contacts, with_tangent=False)
        self.converged = Converged(0.0, u, state, first.stress, first.strain, contacts, first, 0)
        self.converged.energy = dict.fromkeys(
            ("external", "internal", "plastic", "contact", "stabilisation"), 0.0
        )
        self.previous_increment = np.zeros(model.n_dofs)
        self.increment = control.first * control.opening
        self.iterations: list[int] = []  # Newton iterations of each kept step
        self.seconds_per_iteration: list[float] = []
        self.factorisations = 0
        self.fractured: list[tuple[float, np.ndarray]] = []  # (travel, elements) per event
        self.damage = np.zeros(state.shape[:2])  # ductile damage per point (crush_fracture)
        self._solver = TangentFactor()
        self._beyond: tuple[float, float] | None = None  # (travel, g) of an overshoot not kept
        self._trial_damage: tuple[Converged, np.ndarray] | None = None  # (trial, its damage)
        self._factor: TangentFactor | None = None
        # the contact's non-symmetric blocks of the factorised tangent's own evaluation: with a
        # factor kept over iterations, blocks of a later iterate would pair the pressure
        # coupling of nodes newly in contact with a tangent that has no normal stiffness for
        # them (the LG M50 with the 1.3 mm roll to 12 %: 104 Newton iterations against 73)
        self._coupling: Coupling | None = None
        self._last_step = control.first
        self._last_rise: tuple[float, float] | None = None  # (step, its rise in g) last kept
        #: a step not kept for rising too far towards a gross overshoot (:meth:`_aim`)
        self._near: tuple[float, float] | None = None
        #: (travel, factor) each time the viscous stabilisation was switched on or raised
        self.stabilised: list[tuple[float, float]] = []
        #: the time a step of the given length from the given state takes, for the metals' rate
        #: hardening (an impact); None: no time scale, every material rate-independent
        self.step_time: Callable[[Converged, float], float] | None = None

    def advance(self, target: float, crossing: Callable[[Converged], float] | None = None,
                within: float = 0.0) -> Converged:  # fmt: skip
        """One converged step towards ``target`` travel (possibly shorter); raises StepFailed.

        ``crossing`` g(state), negative before an event (a force limit: g = F − F_limit), makes
        the step land on the event: a step that ends with g > ``within`` is not kept but tried
        again shorter, its length by regula falsi between the last converged state and the
        overshoot (aiming at g = within / 2), so the step that reaches the event has
        0 ≤ g ≤ within. A shorter step that still falls short is kept as an ordinary step and
        the next one aims again from there. After :data:`_LANDING_TRIES` overshoots, or at the
        minimum step, the overshoot is kept. An overshoot past twice the threshold tells only that
        the step was far too long: the path then climbs towards the event in rises of g of at
        most :data:`_MAX_RISE` (a trial that rises more than three times that is not kept), so
        its curve has points on the way.
        """
        c = self.control
        tries = 0
        while True:
            natural = min(self.increment, target - self.converged.travel)
            step = natural if crossing is None else self._aim(natural, crossing, within)
            try:
                done = self._newton(self.converged.travel + step, step)
            except _Diverged as why:
                self._drop_factor()
                if step <= c.minimum * (1 + 1e-9) and self._stabilise_more():
                    self.increment = self._last_step  # the dampers hold back the jump: try again
                    continue
                if step <= c.minimum * (1 + 1e-9):
                    raise StepFailed(
                        f"no convergence at travel {(self.converged.travel + step) * 1e3:.4g} mm "
                        f"even with the minimum step {c.minimum * 1e3:.3g} mm ({why})"
                    ) from None
                self.increment = max(step / 2, c.minimum)
                continue
            if crossing is not None:
                g = crossing(done)
                retry = tries < _LANDING_TRIES and step > c.minimum * (1 + 1e-9)
                if g > within and retry:
                    self._beyond = (done.travel, g)
                    tries += 1
                    continue
                rise = g - crossing(self.converged)
                if self._approaching() and rise > 3 * _MAX_RISE and retry:
                    self._near = (done.travel, g)  # on the way, but too far up it at once
                    tries += 1
                    continue
                if g >= 0.0:  # the event is reached: its overshoot has served
                    self._beyond = None
                self._last_rise = (step, rise)
            self.iterations.append(done.iterations)  # a kept step (an overshoot is not)
            self._last_step = step
            self.previous_increment = (done.u - self.converged.u) / step
            self._energy(done)
            self._fractures(done)
            self.converged = done
            # a step shortened to land on an event says nothing about the steps the path takes;
            # while dampers are on, what they take depends on the steps (c m* Δu / Δs), and
            # steps grow only after 5 iterations, the rule their cases were validated with
            fast = min(c.fast, _DAMPED_FAST) if self.stabilised else c.fast
            if done.iterations <= fast and step >= natural:
                self.increment = min(step * 1.5, c.maximum)
            return done

    def _stabilise_more(self) -> bool:
        """Switch the viscous stabilisation on, or raise it a step of its ladder, after a step
        failed at the minimum length; False when it is at its top already.

        Where a structure lets go (a cooling plate tearing through, points fracturing by the
        dozen every step) the quasi-static path jumps: no step, however short, finds the
        equilibrium beside the last one, and the run stopped there (the 4s2p module at 3.69 mm
        of GB 38031's 16 mm). Dampers that resist the jump by c m* Δu / Δs carry the path over
        it as Abaqus' automatic stabilisation does (:meth:`CrushModel.stabilise`); they are off
        until then, so a path that needs none is the undamped one, and what they took is
        reported (``Stabilisation / external work``)."""
        level = len(self.stabilised)
        if level >= len(self.control.stabilisation):
            return False
        factor = self.control.stabilisation[level]
        self.model.stabilise(factor, self.control.first)
        self.stabilised.append((self.converged.travel, factor))
        return True

    def _aim(self, step: float, crossing: Callable[[Converged], float], within: float) -> float:
        """The step towards a known overshoot of ``crossing`` (regula falsi), else ``step``."""
        if self._beyond is None:
            return step
        beyond, g_hi = self._beyond
        start = self.converged.travel
        g_lo = crossing(self.converged)
        if not (beyond > start and g_lo < 0.0 < g_hi):
            self._beyond = self._near = None
            return step
        aim = 0.5 * within
        if self._approaching() and aim - g_lo > _MAX_RISE:
            # the curve to the event in steps of _MAX_RISE: neither the chord to so far an
            # overshoot nor the last step's secant alone foresees it (stiff, then flowing; or
            # stiffening), so the shortest of those and of the chord to a nearer trial
            aim = g_lo + _MAX_RISE
            if self._last_rise is not None and self._last_rise[1] > 0.0:
                step = min(step, _MAX_RISE * self._last_rise[0] / self._last_rise[1])
            if self._near is not None and self._near[0] > start and self._near[1] > aim:
                beyond, g_hi = self._near
            self._near = None
        fraction = (aim - g_lo) / (g_hi - g_lo)
        return min(step, max(fraction * (beyond - start), self.control.minimum))

    def _approaching(self) -> bool:
        """Whether the path is on its way to an event it overshot grossly (g > 1)."""
        return self._beyond is not None and self._beyond[1] > _GROSS_OVERSHOOT

    def damage_after(self, state: Converged) -> np.ndarray:
        """The ductile damage per point at the end of ``state``: the converged one's as
        counted, a trial step's with that step's increment added (nothing is kept)."""
        if state is self.converged:
            return self.damage
        # the landing's events and the fracture bookkeeping ask for the same trial: count once
        if self._trial_damage is not None and self._trial_damage[0] is state:
            return self._trial_damage[1]
        limit = self.model.params[self.model.material, P_FRACTURE]
        eta = triaxiality(state.stress, state.strain)
        damage = self.damage.copy()
        accumulate_damage(damage, self.converged.state[:, :, S_EQ], state.state[:, :, S_EQ],
                          eta, limit)  # fmt: skip
        self._trial_damage = (state, damage)
        return damage

    def fracture_crossing(self, elements: np.ndarray) -> Callable[[Converged], float] | None:
        """g(state) = D − 1 of the most damaged point of ``elements`` not yet fractured, for
        :meth:`advance` to land on its fracture; None when none of them can fracture."""
        limit = self.model.params[self.model.material, P_FRACTURE]
        elements = np.asarray(elements, dtype=np.int64)
        elements = elements[limit[elements] > 0]
        intact = self.damage[elements] < 1.0
        if not intact.any():
            return None

        def crossing(state: Converged) -> float:
            return float(self.damage_after(state)[elements][intact].max()) - 1.0

        return crossing

    def _fractures(self, done: Converged) -> None:
        """Points whose damage reached 1 (:mod:`crush_fracture`: plastic strain over the
        fracture strain, counted while not compressed) carry no more load from the next step on
        (explicit in the step, so Newton never chatters)."""
        if not np.any(self.model.params[self.model.material, P_FRACTURE] > 0):
            return
        damage = self.damage_after(done)
        new = (damage >= 1.0) & (self.damage < 1.0) & (done.state[:, :, S_FAILED] == 0)
        self.damage, self._trial_damage = damage, None
        if new.any():
            done.state[:, :, S_FAILED][new] = 1.0
            elements = np.flatnonzero(new.any(axis=1))
            self.fractured.append((done.travel, elements))
            self._hold_orphans(done)
            self._drop_factor()

    def _hold_orphans(self, done: Converged) -> None:
        """Hold the nodes whose every element has fractured through (:meth:`CrushModel.hold`)."""
        tets = self.model.mesh.tet10
        eroded = (done.state[:, :, S_FAILED] > 0).all(axis=1)
        if not eroded.any():
            return
        alive = np.zeros(self.model.mesh.n_nodes, dtype=bool)
        alive[tets[~eroded].ravel()] = True
        orphans = np.setdiff1d(np.unique(tets[eroded]), np.flatnonzero(alive))
        orphans = orphans[~self.model.fixed[3 * orphans]]
        if orphans.size:
            self.model.hold(orphans)
            self.previous_increment[self.model.fixed] = 0.0

    def _drop_factor(self) -> None:
        if self._factor is not None:
            self._factor.release()
            self._factor = None
        self._coupling = None

    def close(self) -> None:
        """Free the solver's memory once the path is finished."""
        self._factor = None
        self._solver.close()

    def _newton(self, travel: float, step: float) -> Converged:
        m, c, last = self.model, self.control, self.converged
        if self.step_time is not None:
            m.set_step_time(self.step_time(last, step))
        u = last.u + self.previous_increment * step
        ev = self._evaluate(u, travel, with_tangent=self._factor is None)
        scale = 1e-300
        previous_norm = np.inf
        correction = np.inf
        history: list[tuple[float, float]] = []  # (residual norm, line-search step) per iteration
        for iteration in range(1, c.max_iterations + 1):
            self.check()
            started = time.perf_counter()
            norm = np.linalg.norm(ev.residual)
            if not np.isfinite(norm):
                raise _Diverged("the residual is not finite")
            if ev.worst_det <= 0:
                raise _Diverged("an element turned inside out")
            scale = max(scale, np.linalg.norm(ev.internal))
            if iteration > 1 and self._small(ev, u, norm, scale, correction, u - last.u):
                return self._converged(travel, u, ev, iteration - 1)
            if _stalled(history, norm):
                raise _Diverged(
                    "Newton stagnated: three line searches in a row at their smallest step"
                )
            if self._factor is None or norm > 0.1 * previous_norm:
                if ev.tangent is None:
                    ev = self._evaluate(u, travel, with_tangent=True)
                self._drop_factor()
                self._solver.factorize(m.system(ev.tangent))
                self._factor = self._solver
                self._coupling = ev.coupling
                self.factorisations += 1
            previous_norm = norm
            du = m.correction(self._factor, ev.residual, self._coupling)
            u_before = u
            u, ev, eta = self._line_search(u, du, travel, ev)
            history.append((norm, eta))
            correction = float(np.abs(u - u_before).max())
            self.seconds_per_iteration.append(time.perf_counter() - started)
        norm = np.linalg.norm(ev.residual)
        if (np.isfinite(norm) and ev.worst_det > 0
                and self._small(ev, u, norm, scale, correction, u - last.u)):  # fmt: skip
            return self._converged(travel, u, ev, c.max_iterations)
        raise _Diverged(f"not converged within {c.max_iterations} Newton iterations")

    def _small(self, ev: Evaluation, u, norm, scale, correction, increment) -> bool:
        """Converged: the strict L2 test, or the force and correction tests of implicit codes."""
        c = self.control
        if norm <= c.tolerance * scale:
            return True
        if c.force_tolerance is None:
            return False
        # the average nodal force of the loads: contact forces and support reactions (the
        # assembled internal forces cancel inside the part, so they cannot set the scale)
        m = self.model
        contact = ev.internal + m.condense(m.stabilisation * u) - ev.residual
        if ev.viscous is not None:
            contact += ev.viscous
        contact[m.fixed] = ev.internal[m.fixed]
        loads = np.abs(contact)
        loads = loads[loads > 1e-9 * max(loads.max(), 1e-300)]
        average = float(loads.mean()) if loads.size else 0.0
        # forces below what one skin node feels at the edge of the contact band are noise
        average = max(average, m.penalty * m.near_gap * float(np.mean(m.skin_area)))
        largest = float(np.abs(ev.residual).max())
        if largest <= 1e-8 * average:
            # equilibrium to round-off (an indenter still short of the part, nothing loaded):
            # the correction test has no displacement to compare with (Abaqus' ε_l = 1e-8,
            # accepted on the residual alone)
            return True
        moved = float(np.abs(increment).max())
        return largest <= c.force_tolerance * average and correction <= (
            c.correction_tolerance * moved
        )

    def _evaluate(self, u, travel, with_tangent) -> Evaluation:
        last = self.converged
        return self.model.evaluate(u, travel, last.travel, last.u, last.state, last.contacts,
                                   with_tangent)  # fmt: skip

    def _line_search(self, u, du, travel, ev) -> tuple[np.ndarray, Evaluation, float]:
        """Illinois regula falsi on s(η) = Δu·R(u + η Δu) (Crisfield 1991, §9.3.2).

        The full step is taken when it reduces |s| to a tenth or s keeps its sign (the root lies
        beyond it); otherwise the root is bracketed in [0, 1] and narrowed until |s| ≤ 0.1 |s(0)|.
        A step that turns an element inside out is halved.
        """
        s0 = du @ ev.residual
        lo, s_lo, hi, s_hi = 0.0, s0, 1.0, np.nan
        eta = 1.0
        trial = self._evaluate(u + du, travel, with_tangent=False)
        for _ in range(8):
            s1 = du @ trial.residual
            if not np.isfinite(s1) or trial.worst_det <= 0:
                hi, s_hi = eta, np.nan
                eta *= 0.5
            elif abs(s1) <= _LINE_SEARCH_RATIO * abs(s0) or (eta == 1.0 and s1 * s0 > 0):
                break
            else:
                if s1 * s0 > 0:  # still short of the root
                    lo, s_lo = eta, s1
                    s_hi = 0.5 * s_hi if np.isfinite(s_hi) else s_hi
                else:
                    hi, s_hi = eta, s1
                    s_lo *= 0.5
                eta = 0.5 * (lo + hi) if not np.isfinite(s_hi) else (
                    hi - s_hi * (hi - lo) / (s_hi - s_lo))  # fmt: skip
            eta = float(np.clip(eta, _ETA_FLOOR, 1.0))
            trial = self._evaluate(u + eta * du, travel, with_tangent=False)
        return u + eta * du, trial, eta

    def _converged(self, travel, u, ev, iterations) -> Converged:
        return Converged(travel, u, ev.state, ev.stress, ev.strain,
                         [ContactState(t) for t in ev.tractions], ev, iterations)  # fmt: skip

    def _energy(self, done: Converged) -> None:
        """Energy accounts by the trapezoidal rule over the step (see docs/engines.md)."""
        m, last = self.model, self.converged
        w = m.assembler.volume / 4.0
        ds = done.travel - last.travel
        moving = [i for i, ind in enumerate(m.indenters) if ind.moving]
        force_new = sum(done.evaluation.forces[i] for i in moving)
        force_old = sum(last.evaluation.forces[i] for i in moving)
        e = dict(last.energy)
        e["external"] += 0.5 * (force_new + force_old) * ds
        de = done.strain - last.strain
        e["internal"] += float(np.einsum("e,eqk,eqk->", w, 0.5 * (done.stress + last.stress), de))
        e["contact_tangential"] = e.get("contact_tangential", 0.0) + sum(
            done.evaluation.tangential_work
        )
        e["contact"] = sum(done.evaluation.penalty_energy) + e["contact_tangential"]
        e["stabilisation"] = 0.5 * m.stabilisation * float(done.u @ done.u)
        e["plastic"] += _plastic_work(m, last, done)
        viscous = done.evaluation.viscous
        e["viscous"] = e.get("viscous", 0.0) + (
            float(viscous @ (done.u - last.u)) if viscous is not None else 0.0)  # fmt: skip
        done.energy = e


def _plastic_work(model: CrushModel, last: Converged, done: Converged) -> float:
    """Σ w T : ΔEᵖ with T from the elastic strain (material axes), trapezoidal in the step."""
    dep = done.state[:, :, :6] - last.state[:, :, :6]
    # only the points that flowed in the step add to it: most of a cell stays elastic, and
    # recomputing T everywhere cost 0.7 s a step on ~50k tetrahedra (5 % of the run)
    flowed = np.any(dep != 0.0, axis=2)
    # a 4-node element's four points are copies of its one: that one, at the whole volume
    # (a linear jelly roll is most of the points of the LG M50's ~50k tetrahedra)
    one = model.one_point
    flowed[one, 1:] = False
    el, pt = np.nonzero(flowed)
    if el.size == 0:
        return 0.0
    w = model.assembler.volume[el] / np.where(one[el], 1.0, 4.0)
    c = np.ascontiguousarray(model.params[:, 12:48].reshape(-1, 6, 6)[model.material[el]])
    axes = np.ascontiguousarray(model.axes[el])
    return plastic_work(w, c, axes, el, pt, last.strain, done.strain, last.state, done.state)


def _stalled(history: list[tuple[float, float]], norm: float) -> bool:
    """Newton has stopped making progress: the last three line searches all ended at their
    smallest step and the residual norm fell by less than 10 % over them.

    Spending the remaining iterations there only delays the cut-back (on a flat-plate crush
    of a 21700 the first 0.35 mm step spent 16 iterations, 25 s, at η = 0.01 before halving);
    the diagnosis of divergence by stagnation follows the time-incrementation controls of
    implicit codes (Abaqus Analysis User's Guide 7.2.2, I_0/I_R checks).
    """
    if len(history) < 3:
        return False
    recent = history[-3:]
    return all(eta <= _ETA_FLOOR * 1.01 for _, eta in recent) and norm > 0.9 * recent[0][0]


class _Diverged(Exception):
    """A Newton step failed (internal: the step is retried smaller)."""
