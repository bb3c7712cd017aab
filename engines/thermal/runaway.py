"""``thermal.runaway``: thermal runaway of a cell or a module, and its propagation.

The four decomposition reactions of Hatchard et al. (2001) / Kim et al. (2007)
(:mod:`cellwright.engines.thermal.runaway_kinetics`) run in every jelly-roll element (every
homogenised cell of a module), coupled to 3D conduction
(:mod:`cellwright.engines.thermal.runaway_coupling`). A run is started by an oven, a heater, a nail
(local Joule heat) or a cell forced to a temperature. Each cell's onset is judged by the rate
criterion of GB 38031-2020 Annex C (dT/dt >= 1 °C/s for >= 3 s at the cell's hottest point); the
propagation order and the time from the trigger cell to its first neighbour follow from the onsets.
"""

from __future__ import annotations

import time as wallclock
from pathlib import Path
from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from cellwright.engines.api import Progress
from cellwright.engines.thermal.runaway_coupling import (
    OnsetDetector,
    ReactingElements,
    RunawayStepper,
    StepTooLong,
)
from cellwright.engines.thermal.runaway_triggers import ambient_schedule, trigger_loads
from cellwright.projects.model import DesignSnapshot, InputError, Result, Unit

__all__ = ["RunawayEngine", "RunawaySpec"]

STEFAN_BOLTZMANN = 5.670374419e-8  # W/(m^2 K^4), CODATA 2018
Kelvin = Annotated[float, Unit("K"), Field(ge=200, le=1500)]


class RunawaySpec(BaseModel):
    """Target, trigger, boundary and step control of a thermal-runaway study."""

    model_config = ConfigDict(extra="forbid")

    target: Literal["cell", "module"] = "cell"
    trigger: Literal["oven", "heater", "nail", "forced"] = "oven"
    trigger_cell: int = Field(0, ge=0, description="index of the trigger cell (layout order)")
    initial_temperature: Kelvin = 298.15
    ambient_temperature: Kelvin = 298.15
    heat_transfer_coefficient: Annotated[float, Unit("W/(m^2*K)"), Field(ge=0, le=1e4)] = Field(
        7.17, description="convection on the outer surface (Hatchard et al. 2001: 7.17)"
    )
    emissivity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="surface emissivity; radiation to the surroundings is added to the "
        "convection linearised about the air temperature, 4 eps sigma T^3 (Hatchard 2001 "
        "used 0.8 for an 18650 can)",
    )
    oven_temperature: Kelvin = 428.15
    oven_ramp_rate: Annotated[float, Unit("K/s"), Field(gt=0, le=100)] | None = Field(
        None, description="oven heating rate from ambient; none: the oven is preheated"
    )
    heater_power: Annotated[float, Unit("W"), Field(gt=0, le=1e4)] = 100.0
    heater_location: Literal["surface", "volume"] = "surface"
    nail_power: Annotated[float, Unit("W"), Field(gt=0, le=1e5)] = 100.0
    nail_radius: Annotated[float, Unit("m"), Field(gt=0, le=0.05)] = 2e-3
    nail_position: tuple[float, float, float] | None = Field(
        None, description="centre of the heated sphere [m]; default: mid-roll of the cell"
    )
    forced_temperature: Kelvin = 573.15
    trigger_duration: Annotated[float, Unit("s"), Field(ge=0)] | None = Field(
        None,
        description="how long heater/nail heat or the forced hold last; none: a heater until "
        "the trigger cell's onset (then switched off, as in GB 38031-2020 heating tests), a "
        "nail for the whole run, a forced cell is only started at its temperature",
    )
    duration: Annotated[float, Unit("s"), Field(gt=0, le=1e6)] = 600.0
    time_step: Annotated[float, Unit("s"), Field(gt=0, le=600)] = 2.0
    auto_refine: bool = Field(True, description="halve steps the reactions outrun")
    min_time_step: Annotated[float, Unit("s"), Field(gt=0)] = 1e-6
    max_step_rise: Annotated[float, Unit("K"), Field(gt=0, le=200)] = Field(
        10.0,
        description="largest temperature rise of one element within one step, weighted by "
        "the share of the element's diffusion time the step spans",
    )
    substep_rise: Annotated[float, Unit("K"), Field(gt=0, le=50)] = 5.0
    mesh_size: Annotated[float, Unit("m"), Field(gt=0, le=0.1)] | None = None
    sensor_time_constant: Annotated[float, Unit("s"), Field(ge=0, le=60)] = Field(
        1.0,
        description="first-order lag of the monitoring thermocouple the onset criterion reads "
        "(0: the model's temperature itself)",
    )
    output_every: int = Field(20, ge=1, le=100000, description="store fields every N steps")
    kinetics: dict[str, float] = Field(
        default_factory=dict,
        description="overrides of the Kim 2007 parameters by name (a_sei, e_sei, h_sei, ..., "
        "w_c, w_p, w_e, c_sei0, ...) for another chemistry; stored with the study",
    )

    @field_validator("kinetics")
    @classmethod
    def _known_kinetics(cls, value: dict[str, float]) -> dict[str, float]:
        from dataclasses import fields

        from cellwright.engines.thermal.runaway_kinetics import RunawayKinetics

        known = {f.name for f in fields(RunawayKinetics)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown kinetic parameter(s) {unknown}; known: {sorted(known)}")
        if any(v < 0 for v in value.values()):
            raise ValueError("kinetic parameters must not be negative")
        return value


def _with_geometry(design: DesignSnapshot, warnings: list[str] | None = None) -> DesignSnapshot:
    """The design itself, a library cell's entered design, or one estimated from its datasheet
    (said in ``warnings``): the kinetics need the electrodes and the mesh the housing."""
    from cellwright.projects.design.reference_designs import with_reference_geometry

    return with_reference_geometry(design, "the runaway engine needs", warnings)


def kinetics_chemistry_note(spec: RunawaySpec, design: DesignSnapshot) -> list[str]:
    """A warning when the cell's electrodes are not the chemistry the kinetics were fitted for
    (:data:`~cellwright.engines.thermal.runaway_kinetics.KIM2007_POSITIVE` on graphite)."""
    from cellwright.engines.thermal.runaway_kinetics import KIM2007_SOURCE

    unlike = [
        f"{side} electrode {named} ({chemistry})"
        for side, named, chemistry in _unlike_kim2007(design)
    ]
    if not unlike:
        return []
    own = f"; the study overrides {', '.join(sorted(spec.kinetics))}" if spec.kinetics else ""
    return [
        f"kinetics: {KIM2007_SOURCE} decomposition kinetics were fitted for LiCoO2/graphite "
        f"cells, not for this cell's {' nor its '.join(unlike)}: the runaway "
        f"onset and heat are those of LiCoO2/graphite{own}. Enter kinetics measured on this "
        "chemistry (spec.kinetics) to model it"
    ]


def _unlike_kim2007(design: DesignSnapshot) -> list[tuple[str, str, str]]:
    """(side, material name, chemistry) of each electrode unlike Kim 2007's: a positive not
    LiCoO2, a negative with no graphite (its SEI and lithiated-carbon reactions are graphite's:
    an LTO/LMO cell was told only of its LMO, as if its LTO reacted as graphite does)."""
    from cellwright.engines.thermal.runaway_kinetics import KIM2007_POSITIVE

    out = []
    for side in ("positive", "negative"):
        electrode = getattr(design.cell, side)
        if electrode is None:
            continue
        material = design.materials.get(electrode.active_material)
        chemistry = (
            material.chemistry if material is not None else ""
        ) or electrode.active_material
        named = material.name if material is not None else electrode.active_material
        if side == "positive" and chemistry.upper() not in (KIM2007_POSITIVE, "LICOO2"):
            out.append((side, named, chemistry))
        if side == "negative" and "graphite" not in chemistry.lower():
            out.append((side, named, chemistry))
    return out


def _cell_count(spec: RunawaySpec, design: DesignSnapshot) -> int:
    return design.pack.cell_count if spec.target == "module" and design.pack else 1


class RunawayEngine:
    """Thermal runaway and propagation: Kim 2007 kinetics on 3D conduction."""

    id: ClassVar[str] = "thermal.runaway"
    title: ClassVar[str] = "Thermal runaway and propagation (Kim 2007 kinetics, 3D conduction)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = RunawaySpec
    libraries: ClassVar[tuple[str, ...]] = ("gmsh", "numpy", "scipy")

    def validate(self, spec: RunawaySpec, design: DesignSnapshot) -> None:
        """Refuse what cannot run (named field) before meshing."""
        design = _with_geometry(design)
        if design.cell.negative is None:
            raise InputError("needs a cell design with geometry and both electrodes", "cell")
        if spec.target == "module" and design.pack is None:
            raise InputError("target 'module' needs a pack design in the study", "spec.target")
        n = _cell_count(spec, design)
        if spec.trigger_cell >= n:
            raise InputError(
                f"cell {spec.trigger_cell} does not exist; the {spec.target} has {n} "
                f"cell{'s' if n > 1 else ''} (0 to {n - 1})",
                "spec.trigger_cell",
            )
        if spec.min_time_step > spec.time_step:
            raise InputError("must not exceed spec.time_step", "spec.min_time_step")
        if spec.trigger == "oven" and spec.heat_transfer_coefficient + spec.emissivity == 0:
            raise InputError(
                "an oven needs convection or radiation (> 0)", "spec.heat_transfer_coefficient"
            )

    def run(
        self, spec: RunawaySpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Mesh, step the coupled problem to ``spec.duration`` and summarise every cell."""
        from cellwright.engines.thermal.setup import build_problem, one_cell_of_pack_note

        estimated: list[str] = []
        design = _with_geometry(design, estimated)  # once: validate then meets it complete
        self.validate(spec, design)
        progress.update(0.0, "meshing")
        problem = build_problem(design, "pack" if spec.target == "module" else "cell",
                                spec.mesh_size)  # fmt: skip
        problem.warnings[:0] = estimated
        problem.warnings.extend(kinetics_chemistry_note(spec, design))
        if spec.target == "cell":
            problem.warnings.extend(one_cell_of_pack_note(design, self.id, "module"))
        run = _Run(spec, problem, progress)
        return run.solve()


class _Run:
    """One study's state while it steps (kept apart from the engine, which holds none)."""

    def __init__(self, spec: RunawaySpec, problem, progress: Progress) -> None:
        from cellwright.engines.mesh.extract import tetra_volumes
        from cellwright.engines.thermal.solver import ThermalSystem

        self.spec, self.problem, self.progress = spec, problem, progress
        model, mesh = problem.model, problem.mesh
        self.air = ambient_schedule(spec)
        # radiation exchange eps sigma (T_air^4 - T^4) linearised about the final air
        # temperature (Hatchard et al. 2001 treat the oven walls as a black body at it)
        h = (
            spec.heat_transfer_coefficient
            + 4 * spec.emissivity * STEFAN_BOLTZMANN * self.air[1] ** 3
        )
        if h > 0:
            model.convection("ambient", h, 1.0)  # unit ambient: scaled by T_air(t) below
        base = model.build()
        unit = base.load(0.0)
        self.trigger = trigger_loads(spec, problem)
        tets = mesh.cells["tetra"]
        stack = _stack_volume(problem)
        keys = ("tets", "volume", "rho_c", "scale", "cell", "diffusion_time")
        parts: dict[str, list] = {k: [] for k in keys}
        for k, (region, idx) in enumerate(
            zip(problem.cell_regions, problem.cell_tets, strict=True)
        ):
            vol = tetra_volumes(mesh.points, tets[idx])
            mat = model.materials[region]
            parts["tets"].append(tets[idx])
            parts["volume"].append(vol)
            parts["rho_c"].append(np.full(idx.size, mat.density * mat.specific_heat))
            parts["scale"].append(np.full(idx.size, min(stack / vol.sum(), 1.0)))
            parts["cell"].append(np.full(idx.size, k))
            k_max = float(np.max(np.abs(np.asarray(mat.conductivity, dtype=float))))
            rho_c = mat.density * mat.specific_heat
            parts["diffusion_time"].append(rho_c * np.cbrt(vol) ** 2 / k_max)
        from dataclasses import replace

        from cellwright.engines.thermal.runaway_kinetics import KIM2007

        self.reacting = ReactingElements(
            **{k: np.concatenate(v) for k, v in parts.items()},
            kinetics=replace(KIM2007, **spec.kinetics),
        )
        self.mass_row = np.asarray(base.mass.sum(axis=0)).ravel()  # J/K per node (lumped)
        self.capacity = float(self.mass_row.sum())  # J/K of the whole mesh
        self.available = float(
            (self.reacting.volume * self.reacting.scale)
            @ _total_heat(self.reacting)
        )  # fmt: skip

        def air_load(t: float) -> np.ndarray:
            return unit * self._air(t)

        held = self.trigger.held
        steppers = []
        for fixed in (held, np.zeros(0, dtype=np.int64)):
            system = ThermalSystem(base.mass, base.stiffness, air_load, fixed,
                                   np.full(fixed.size, self.trigger.held_temperature))  # fmt: skip
            steppers.append(
                RunawayStepper(system, self.reacting, spec.time_step, spec.min_time_step,
                               spec.auto_refine, spec.max_step_rise, spec.substep_rise)
            )  # fmt: skip
        self.held_stepper, self.free_stepper = steppers
        self.cells = problem.cell_count
        self.cell_nodes = [np.unique(tets[idx]) for idx in problem.cell_tets]
        # where the standard's thermocouple sits: on the can of a resolved cell; a homogenised
        # module cell has no can of its own, so its volume mean stands for the can temperature
        self.surface_nodes = [np.unique(model.boundaries["ambient"])] if self.cells == 1 else []

    def _mean(self, temps: np.ndarray) -> float:
        """Heat-capacity weighted mean temperature of the whole mesh [K]."""
        return float((self.mass_row @ temps) / self.capacity)

    def _air(self, t: float) -> float:
        start, end, rate = self.air
        return end if not np.isfinite(rate) else min(end, start + rate * t)

    def _trigger_on(self, t: float, onset: np.ndarray) -> bool:
        spec = self.spec
        if spec.trigger_duration is not None:
            return t <= spec.trigger_duration
        if spec.trigger == "nail":  # the nail stays in and keeps shorting the cell
            return True
        return spec.trigger == "heater" and np.isnan(onset[spec.trigger_cell])

    def _cell_temperatures(self, temps: np.ndarray) -> tuple[np.ndarray, ...]:
        r = self.reacting
        elem = r.temperatures(temps)
        weights = r.volume
        mean = np.bincount(r.cell, weights * elem, self.cells) / np.bincount(
            r.cell, weights, self.cells
        )
        peak = np.array([temps[nodes].max() for nodes in self.cell_nodes])
        if self.surface_nodes:
            surface = np.array([temps[nodes].max() for nodes in self.surface_nodes])
        else:
            surface = mean
        return peak, mean, surface

    def solve(self) -> Result:
        spec, progress = self.spec, self.progress
        temps = self.trigger.initial.copy()
        t, step = 0.0, 0
        r = self.reacting
        detector = OnsetDetector(np.bincount(r.cell, r.rho_c * r.volume, self.cells))
        peak, mean, surface = self._cell_temperatures(temps)
        sensor = surface.copy()
        rows = [(t, peak, mean, surface, self._air(t), 0.0, self._mean(temps), 0.0)]
        frames, frame_times = [temps.copy()], [0.0]
        released = 0.0
        zero = np.zeros(temps.size)
        last_report = wallclock.perf_counter()
        while t < spec.duration * (1 - 1e-12):
            on = self._trigger_on(t, detector.onset)
            held = spec.trigger == "forced" and self.trigger.held.size and on
            stepper = self.held_stepper if held else self.free_stepper
            limit = spec.duration
            if spec.trigger_duration is not None and t < spec.trigger_duration:
                limit = min(limit, spec.trigger_duration)
            power = self.trigger.power if on else zero
            try:
                t_new, new, heat = stepper.step(temps, t, limit, lambda _t, p=power: p)
            except StepTooLong as exc:
                hint = stepper.dt * spec.max_step_rise / max(exc.weighted, spec.max_step_rise)
                fix = "set auto_refine" if not spec.auto_refine else "lower min_time_step"
                raise InputError(
                    f"a {stepper.dt:g} s step cannot resolve the runaway: {exc} (limit "
                    f"spec.max_step_rise = {spec.max_step_rise:g} K); use a time_step below "
                    f"about {hint / 2:.2g} s (the runaway itself may need less) or {fix}",
                    "spec.time_step",
                ) from None
            if stepper is self.free_stepper:  # keep both at the same step length
                self.held_stepper.dt = stepper.dt
            released += heat
            new_peak, mean, new_surface = self._cell_temperatures(new)
            lag = spec.sensor_time_constant
            gain = 1.0 - np.exp(-(t_new - t) / lag) if lag > 0 else 1.0
            new_sensor = sensor + gain * (new_surface - sensor)
            external = np.zeros(self.cells)
            external[spec.trigger_cell] = float(power.sum())
            detector.update(t, sensor, t_new, new_sensor, stepper.cell_power, external)
            t, temps, surface, sensor, step = t_new, new, new_surface, new_sensor, step + 1
            rows.append(
                (t, new_peak, mean, surface, self._air(t), heat, self._mean(temps), power.sum())
            )
            if step % spec.output_every == 0:
                frames.append(temps.copy())
                frame_times.append(t)
            if wallclock.perf_counter() - last_report > 0.5:
                progress.update(t / spec.duration, f"t = {t:.1f} s, step {step}")
                last_report = wallclock.perf_counter()
        if frame_times[-1] != t:
            frames.append(temps.copy())
            frame_times.append(t)
        return self._result(rows, detector.onset, frames, frame_times, released)

    def _result(self, rows, onset, frames, frame_times, released) -> Result:
        from cellwright.engines.thermal.runaway_summary import summarise

        return summarise(self, rows, onset, frames, frame_times, released)


def _total_heat(reacting: ReactingElements) -> np.ndarray:
    from cellwright.engines.thermal.runaway_kinetics import total_heat

    return total_heat(reacting.state, reacting.kinetics)


def _stack_volume(problem) -> float:
    """Electrode-stack volume of one cell [m^3]: coatings, collectors and separator."""
    v = problem.thermal.figures.volume
    names = ("positive coating", "negative coating", "current collectors", "separator")
    return float(sum(v.get(n, 0.0) for n in names))
