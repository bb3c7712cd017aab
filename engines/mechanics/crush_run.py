"""One crush run: set-up checks, the loading loop with the standard's stops, live progress."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.api import Progress
from cellwright.engines.mechanics.constitutive import P_RATE_D, P_RATE_DT, P_RATE_Q, S_EQ
from cellwright.engines.mechanics.crush_reach import bring_into_contact, check_reach
from cellwright.engines.mechanics.crush_short import is_housing
from cellwright.engines.mechanics.crush_spec import (
    CrushSpec,
    Standard,
    crush_support_error,
    first_leaves_out,
    t6_mismatch,
)
from cellwright.projects.model import DesignSnapshot, InputError, Result

__all__ = ["CrushRun"]

#: a force stop (the jelly-roll strain criterion, a fracture) counts as met at a step whose force
#: (strain, damage) lies within this fraction above its threshold; a step that passes it by more
#: is tried again shorter (the standards give their limits to two or three figures: 100 kN,
#: 1000 x the weight)
_LANDING = 0.005
#: the viscous stabilisation's factors (CrushModel.stabilise), switched on in turn when a step
#: fails at the smallest step: 1e-5 carried the 4s2p module's GB 38031 squeeze on from 3.69 mm,
#: where the undamped run stopped, to 6.46 mm with the dampers taking 1.1 % of the work; on
#: from the start of the rod's 3 mm into the 6061 bar, 1e-3 took 14 % and left four times the
#: force after the tear, 1e-5 took 1.1 % (docs/crush.md, the solver)
_STABILISATION = (1e-5, 1e-4)
#: the first step opens at this share of the nominal one, as implicit codes open a contact
#: problem with a small initial increment: at first touch a round can meets the indenter at one
#: node, and the nominal step was too long there. The LG M50 under the R75 semicylinder halved
#: its first 0.32 mm step twice (an element turned inside out, then 16 iterations without
#: converging: 20 Newton iterations, 8 % of the squeeze to 30 %) before it went on from a
#: quarter; opening there takes the same path without them (docs/crush.md, "Speed")
_OPENING = 0.25


@dataclass
class Frame:
    """A stored converged state for the fields."""

    travel: float
    u: np.ndarray
    eq: np.ndarray
    volumetric: np.ndarray
    pressure: np.ndarray


@dataclass
class CrushRun:
    """Everything one run needs and what it has found so far."""

    spec: CrushSpec
    preset: Standard
    problem: object
    model: object
    setup: object
    extent: float
    weight: float
    progress: Progress
    rows: list[tuple[float, ...]] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    stop_reason: str = ""
    onset: object = None
    failure: str = ""
    # the run ended at a travel no standard prescribes (the study's max_travel, or half the
    # part's size when nothing else stops it), not at one of the standard's stops
    own_stop: bool = False
    # the first stop switched off that the standard would have stopped at: (what, travel, force)
    standard_stop: tuple[str, float, float] | None = None
    # an impact with rate hardening: the largest factor 1 + (ε̇/D)^(1/q) of any metal point so
    # far, and the equivalent plastic strains of the last kept step it is measured from
    rate_factor: float = 1.0
    _eq_before: np.ndarray | None = None

    @classmethod
    def prepare(cls, spec: CrushSpec, design: DesignSnapshot, progress: Progress) -> CrushRun:
        """Mesh the part, give it materials, place the indenters and check they meet it."""
        from cellwright.engines.mechanics.crush import part_weight
        from cellwright.engines.mechanics.crush_build import (
            body_points,
            fill_core,
            foam_for,
            place_indenters,
            region_materials,
        )
        from cellwright.engines.mechanics.crush_setup import crush_model
        from cellwright.engines.mechanics.spec import (
            StructureSpec,
            prepare_structure,
            with_geometry,
        )

        preset = spec.preset()
        estimated: list[str] = []
        design = with_geometry(design, estimated) if spec.geometry is None else design
        if spec.core == "filled" and spec.geometry is None and spec.target == "cell":
            design = fill_core(design)
        spec = spec.model_copy(update={"direction": spec.load_axis(design)})
        foam = foam_for(spec, design)
        refine = None
        if spec.contact_mesh_size is not None and spec.geometry is None:
            refine = ("xyz".index(spec.direction), spec.contact_mesh_radius, spec.contact_mesh_size)
        structure = StructureSpec(
            target=spec.target, geometry=spec.geometry, mesh_size=spec.mesh_size,
            curvature=spec.curvature, free=spec.support != "fixed", refine_ends=refine,
            supports=[{"group": spec.support_group}] if spec.support == "fixed" else None,
        )  # fmt: skip
        try:
            problem = prepare_structure(structure, design, roll_size=spec.jelly_roll_mesh_size)
        except InputError as exc:
            raise crush_support_error(exc, spec) from None
        imported = spec.geometry.materials if spec.geometry is not None else None
        setup = region_materials(problem, design, foam, imported)
        setup.warnings[:0] = estimated
        progress.update(0.05, f"{problem.quality}; placing the indenter")
        points = problem.model.mesh.points
        indenters, extent = place_indenters(spec, preset, points, body_points(problem.model))
        model = crush_model(problem.model, setup.materials, indenters, spec.penalty_factor,
                            linear_foam=spec.jelly_roll_elements == "linear")  # fmt: skip
        if spec.indenter is None or spec.indenter.position is None:
            bring_into_contact(model)
        mismatch = t6_mismatch(spec, design)
        if mismatch:
            setup.warnings.append(mismatch)
        run = cls(spec, preset, problem, model, setup, extent, part_weight(problem), progress)
        check_reach(run)
        return run

    @property
    def max_travel(self) -> float:
        """The travel at which the deformation or travel stop is reached."""
        limits = [self.preset.max_travel or np.inf]
        if self.preset.max_deformation is not None:
            limits.append(self.preset.max_deformation * self.extent)
        travel = min(limits)
        if np.isfinite(travel):
            return float(travel)
        return float(self.preset.travel_limit * self.extent)

    def solve(self) -> Result:
        """Follow the indenter to the first stop; keep the last converged state on failure."""
        from cellwright.engines.mechanics.crush_factor import FactorMemoryError
        from cellwright.engines.mechanics.crush_result import crush_result
        from cellwright.engines.mechanics.crush_solver import (
            PathFollower,
            StepControl,
            StepFailed,
            numpy_blas_on_one_thread,
        )

        spec, total = self.spec, self.max_travel
        first = total / spec.steps
        control = StepControl(first, first * spec.min_step, first * 4, spec.max_iterations,
                              1e-9, force_tolerance=spec.tolerance,
                              stabilisation=_STABILISATION if spec.stabilisation == "auto"
                              else (), opening=_OPENING)  # fmt: skip
        follower = PathFollower(self.model, control, self.progress.check)
        if self.rate_hardening:
            follower.step_time = self._impact_step_time
        detector = self._detector()
        self._record(follower.converged, follower, detector, store=True)
        # until the first step converges nothing else is said: in the window the pack squeeze
        # sat at "...; placing the indenter" for 44 s (its first run compiling the kernels)
        self.progress.update(
            0.05,
            f"solving the first step ({first * 1e3:.3g} mm of {total * 1e3:.3g} mm, "
            f"{self.model.n_unknowns} unknowns; the first study after an install also "
            "compiles the solver, which can take tens of seconds)",
        )
        with numpy_blas_on_one_thread():
            try:
                last_report, step = 0.0, 0
                while not self.stop_reason:
                    try:
                        done = follower.advance(total, self._crossing(detector, follower), _LANDING)
                    except StepFailed as exc:
                        self.failure = str(exc)
                        break
                    except FactorMemoryError as exc:
                        # a new pattern or the double-precision fallback analysed mid-run:
                        # the path so far is kept, as after a step that fails
                        if step == 0:
                            raise
                        self.failure = str(exc)
                        break
                    step += 1
                    self._record(done, follower, detector, store=step % spec.output_every == 0)
                    self._stops(done, total)
                    if time.perf_counter() - last_report > 0.5 or self.stop_reason:
                        self.progress.update(
                            min(done.travel / total, 1.0),
                            f"{done.travel * 1e3:.2f} mm, {self.rows[-1][2] / 1e3:.2f} kN, "
                            f"{done.iterations} Newton iterations",
                            partial=crush_result(self, follower, partial=True),
                        )
                        last_report = time.perf_counter()
            finally:
                follower.close()
        if self.frames[-1].travel != follower.converged.travel:
            self._record(follower.converged, follower, None, store=True, row=False)
        return crush_result(self, follower)

    def _regions(self) -> np.ndarray:
        return np.array(self.model.region_names)[self.model.region_of]

    def _stack(self) -> np.ndarray:
        """Per element: in an electrode stack (a pouch's margin is foam too, but holds none)."""
        names = self._regions()
        return (names == "jelly_roll") | np.char.startswith(names.astype(str), "cell_")

    def housing_beside_stack(self) -> np.ndarray:
        """The housing elements whose fracture counts as a short: those beside the stack.

        A crack opens onto electrode layers only beside the stack; past its ends along the
        cell's axis (a cylindrical cell's crimp below the header, the can bottom, a prismatic
        cell's lid) no layers lie behind the wall: a leak, not a short.
        """
        housing = np.flatnonzero(is_housing(self._regions()))
        stack = self._stack()
        if not stack.any():
            return housing
        z = self.model.mesh.points[self.model.mesh.tet10[:, :4], 2]
        lo, hi = z[stack].min(), z[stack].max()
        centre = z.mean(axis=1)
        return housing[(centre[housing] >= lo) & (centre[housing] <= hi)]

    def _detector(self):
        """The short-circuit criteria, or None for a part that holds no electrode stack.

        A short needs electrode layers: a force drop or a crack in a bracket, a busbar or any
        imported part without a stack region (``jelly_roll``, ``cell_…``) is not one.
        """
        from cellwright.engines.mechanics.crush_short import ShortDetector, averaging_matrix

        model = self.model
        if not self._stack().any():
            if self.preset.stop_at_short:
                self.setup.warnings.append(
                    "the part holds no electrode stack (no jelly_roll or cell_ region), so no "
                    "short-circuit criterion applies and the short-circuit stop cannot end the run"
                )
            return None
        foam = np.flatnonzero(self._stack() & (model.params[model.material, 0] == 2.0))
        foam_set = self.setup.foam
        critical = self.spec.short_strain or (
            foam_set.short_circuit_strain if foam_set is not None else np.inf
        )
        length = self.spec.short_length
        if length is None:
            length = foam_set.short_circuit_length if foam_set is not None else 0.0
        detector = ShortDetector(self.spec.short_criterion, critical, self.spec.force_drop, foam,
                                 self.housing_beside_stack(),
                                 first_leaves_out(self.spec.target))  # fmt: skip
        if length > 0 and detector.watches_strain:  # the matrix only where it is read
            centres = model.mesh.points[model.mesh.tets[foam]].mean(axis=1)
            cells = self._regions()[foam]  # each cell's roll averages over its own
            detector.average = averaging_matrix(centres, model.assembler.volume[foam], length,
                                                cells)  # fmt: skip
            detector.length = length
        return detector

    def _force(self, done) -> float:
        """The force on the moving indenters of a converged state."""
        return float(sum(f for f, ind in zip(done.evaluation.forces, self.model.indenters,
                                             strict=True) if ind.moving))  # fmt: skip

    def _crossing(self, detector, follower):
        """g(state) of the next event the path lands on, None without one: the nearest force
        stop (:meth:`_next_force_limit`), the jelly-roll strain criterion before its onset, the
        part's first fracture and, while the short is to be found by a crack, the first
        fracture of the housing beside the stack; each relative to its threshold, the largest
        (:meth:`PathFollower.advance`)."""
        from cellwright.engines.mechanics.nonlinear import point_summary

        events = []
        limit = self._next_force_limit()
        if limit is not None:
            events.append(lambda c: (self._force(c) - limit) / limit)
        if self.preset.impact:
            events.append(self._absorbed(follower.converged))
        if detector is not None and detector.watches_strain:
            strain = detector.critical

            def roll(c) -> float:
                eq, _ = point_summary(c.state, c.strain)
                return (float(detector.roll_strain(eq).max()) - strain) / strain

            events.append(roll)
        # the first fracture is reported, and a crack beside the stack may be the short: both
        # where the damage reached 1, not at whatever step passed it (crush_fracture)
        if not follower.fractured:
            events.append(follower.fracture_crossing(np.arange(self.model.material.size)))
        if detector is not None and detector.watches_fracture:
            events.append(follower.fracture_crossing(detector.housing))
        events = [e for e in events if e is not None]
        if not events:
            return None
        if len(events) == 1:
            return events[0]
        return lambda c: max(e(c) for e in events)

    def _time(self, travel: float, work: float) -> float:
        """The time of a new row: travel over the speed; for an impact the dropped mass's own,
        its speed falling as the part takes its energy, v² = 2 (m g (h + δ) − W) / m, each step
        taking 2 Δδ / (v₀ + v₁) (exact for a steady deceleration over the step)."""
        p = self.preset
        if not p.impact or not self.rows:
            return travel / p.speed
        t0, travel0, work0 = self.rows[-1][0], self.rows[-1][1], self.rows[-1][4]
        both = self._mass_speed(travel0, work0) + self._mass_speed(travel, work)
        return t0 + (2.0 * (travel - travel0) / both if both > 0 else 0.0)

    def _mass_speed(self, travel: float, work: float) -> float:
        """An impact's falling mass's speed once the part has taken ``work`` over ``travel``:
        v² = 2 (m g (h + δ) − W) / m, 0 once it is at rest."""
        p = self.preset
        return float(np.sqrt(max(2.0 * (p.drop_energy(travel) - work) / p.drop_mass, 0.0)))

    @property
    def rate_hardening(self) -> bool:
        """Whether the metals harden with their strain rate: in an impact (the falling mass
        sets the time), with ``rate_hardening`` on and a metal that has Cowper–Symonds
        constants. A quasi-static squeeze takes the static curves: the constants of the
        initial yield raise mild steel's flow stress by a third already at the 0.1/s of a
        2 mm/s squeeze (Cowper–Symonds overstates the rise at low rates; Jones 2012, §8.3)."""
        return bool(self.preset.impact and self.spec.rate_hardening
                    and np.any(self.model.params[:, P_RATE_D] > 0))  # fmt: skip

    def _impact_step_time(self, last, step: float) -> float:
        """The time an impact's step of ``step`` travel from ``last`` takes: 2 Δδ / (v₀ + v₁)
        as :meth:`_time` records it, with the work at its end predicted from the force's slope
        over the last step (the step's own is not known before it is solved); 0 once the mass
        is at rest (no time scale, no rate)."""
        work0, force0 = last.energy.get("external", 0.0), self._force(last)
        slope = 0.0
        if len(self.rows) >= 2 and self.rows[-1][1] > self.rows[-2][1]:
            slope = max((self.rows[-1][2] - self.rows[-2][2])
                        / (self.rows[-1][1] - self.rows[-2][1]), 0.0)  # fmt: skip
        work1 = work0 + (force0 + 0.5 * slope * step) * step

        both = self._mass_speed(last.travel, work0) + self._mass_speed(last.travel + step, work1)
        return 2.0 * step / both if both > 0 else 0.0

    def time_at(self, travel: float) -> float:
        """The time at ``travel`` (the rows' times interpolated; see :meth:`_time`)."""
        if not self.preset.impact or len(self.rows) < 2:
            return travel / self.preset.speed
        rows = np.asarray(self.rows)
        return float(np.interp(travel, rows[:, 1], rows[:, 0]))

    def _absorbed(self, last):
        """g(state) of an impact: the work done on the part past what the dropped mass brings,
        relative to it, W(δ) / (m g (h + δ)) − 1 (:attr:`Standard.impact`); the work of a trial
        state by the trapezoid from ``last``, as the energy account takes it."""
        base, force, travel = last.energy.get("external", 0.0), self._force(last), last.travel

        def absorbed(c) -> float:
            work = base + 0.5 * (self._force(c) + force) * (c.travel - travel)
            due = self.preset.drop_energy(c.travel)
            return (work - due) / due

        return absorbed

    def _next_force_limit(self) -> float | None:
        """The lowest force stop above the last step's force: the standard's force and weight
        stops in force, and those switched off while where the test would have ended is not yet
        known. The path lands on it (:meth:`PathFollower.advance`), so the stop is reported
        where the force reached it, not at whatever step passed it."""
        p, force = self.preset, self.rows[-1][2]
        limits = [p.max_force, None if p.weight_factor is None else p.weight_factor * self.weight]
        if self.standard_stop is None and self.spec.stops_off():
            only = self.spec.switched_off()
            limits += [
                only.max_force,
                None if only.weight_factor is None else only.weight_factor * self.weight,
            ]
        above = [f for f in limits if f is not None and f > force]
        return min(above) if above else None

    def _record(self, done, follower, detector, store: bool, row: bool = True) -> None:
        from cellwright.engines.mechanics.nonlinear import point_summary

        m = self.model
        eq, vol = point_summary(done.state, done.strain)
        force = self._force(done)
        e = done.energy
        if row:
            self.rows.append((self._time(done.travel, e.get("external", 0.0)), done.travel, force,
                              done.travel / self.extent, e.get("external", 0.0),
                              e.get("internal", 0.0), e.get("plastic", 0.0),
                              e.get("contact", 0.0),
                              e.get("stabilisation", 0.0) + e.get("viscous", 0.0),
                              float(done.iterations)))  # fmt: skip
        if row and self.rate_hardening:
            self._track_rate_factor(done.state[:, :, S_EQ])
        if detector is not None and self.onset is None:
            # where in the undeformed cell: the place a chained runaway study heats
            centroids = m.mesh.points[m.mesh.tets].mean(axis=1)
            fractured = np.zeros(0, dtype=np.int64)
            if follower.fractured and follower.fractured[-1][0] == done.travel:
                fractured = follower.fractured[-1][1]
            self.onset = detector.check(done.travel, force, eq, centroids, fractured)
        if store:
            pressure = np.zeros(m.mesh.n_vertices)
            vertex = m.skin_nodes < m.mesh.n_vertices
            recovered = m.contact_pressure(done.u, done.travel, done.evaluation.gaps)
            pressure[m.skin_nodes[vertex]] = recovered[vertex]
            self.frames.append(Frame(done.travel, done.u.copy(), eq, vol, pressure))

    def _track_rate_factor(self, eq: np.ndarray) -> None:
        """The largest Cowper–Symonds factor of the step just kept, over its step time."""
        params = self.model.params[self.model.material]
        dt = float(self.model.params[0, P_RATE_DT])
        if self._eq_before is not None and dt > 0:
            d, q = params[:, P_RATE_D, None], params[:, P_RATE_Q, None]
            rate = np.maximum(eq - self._eq_before, 0.0) / dt
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(d > 0, 1.0 + (rate / np.where(d > 0, d, 1.0)) ** (1.0 / q), 1.0)
            self.rate_factor = max(self.rate_factor, float(factor.max()))
        self._eq_before = eq.copy()

    def _stops(self, done, total: float) -> None:
        p = self.preset
        force = self.rows[-1][2]
        if self.standard_stop is None and self.spec.stops_off():
            self.standard_stop = self._switched_off_stop(done.travel, force)
        work = done.energy.get("external", 0.0)
        if p.impact and work >= p.drop_energy(done.travel) * (1 - 1e-9):
            self.stop_reason = (
                f"the impact's energy absorbed: {work:.1f} J, what {p.drop_mass:g} kg dropped "
                f"from {p.drop_height * 1e3:g} mm brings with the {done.travel * 1e3:.2f} mm it "
                "went on (the mass at rest)"
            )
        elif p.max_force is not None and force >= p.max_force:
            self.stop_reason = (
                f"force {force / 1e3:.1f} kN reached the limit {p.max_force / 1e3:g} kN"
            )
        elif p.weight_factor is not None and force >= p.weight_factor * self.weight:
            self.stop_reason = (f"force reached {p.weight_factor:g} x the weight "
                                f"({p.weight_factor * self.weight:.1f} N)")  # fmt: skip
        elif p.stop_at_short and self.onset is not None:
            self.stop_reason = "short-circuit onset (the standard's voltage drop)"
        elif done.travel >= total * (1 - 1e-9):
            by_deformation = p.max_deformation is not None and (
                p.max_deformation * self.extent <= (p.max_travel or np.inf)
            )
            what = (f"{p.max_deformation:.0%} deformation" if by_deformation
                    else f"travel {total * 1e3:.3g} mm")  # fmt: skip
            self.stop_reason = f"{what} reached"
            self.own_stop = not by_deformation
            if p.impact:  # the test ends where the mass is at rest, not here: say how far off
                due = p.drop_energy(done.travel)
                self.stop_reason += (f" with {work:.1f} J of the {due:.1f} J the dropped mass "
                                     "brings absorbed")  # fmt: skip

    def _switched_off_stop(self, travel: float, force: float) -> tuple[str, float, float] | None:
        """The first of the standard's force, weight, deformation and travel stops that this
        step reaches although the spec switched it off (a squeeze continued to find the short
        still says where the standard's test would have ended, and whether before the short)."""
        only = self.spec.switched_off()
        reached = None
        if only.max_force is not None and force >= only.max_force:
            reached = f"the force limit {only.max_force / 1e3:g} kN"
        elif only.weight_factor is not None and force >= only.weight_factor * self.weight:
            reached = (
                f"{only.weight_factor:g} x the weight ({only.weight_factor * self.weight:.1f} N)"
            )
        elif only.max_deformation is not None and (
            travel >= only.max_deformation * self.extent * (1 - 1e-9)
        ):
            reached = f"{only.max_deformation:.0%} deformation"
        elif only.max_travel is not None and travel >= only.max_travel * (1 - 1e-9):
            reached = f"the travel {only.max_travel * 1e3:.3g} mm"
        return None if reached is None else (reached, travel, force)
