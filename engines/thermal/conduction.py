"""``thermal.conduction``: transient 3D heat conduction in a cell, module or pack.

The design is meshed (:mod:`cellwright.engines.mesh`), every region gets its material
(:mod:`cellwright.engines.thermal.setup`), boundary conditions go on named surface groups, and heat
enters cell by cell: a constant power, a time table, or the Bernardi heat of the electrochemical
engines — one-way (electrochemistry first, its heat fed in) or two-way (each coupling step: cell
temperatures → electrochemistry → cell heat → conduction;
:mod:`cellwright.engines.thermal.coupling`). Time stepping is backward Euler or BDF2 with the
factorisation or AMG hierarchy reused (:mod:`cellwright.engines.thermal.solver`).
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cellwright.engines.api import EngineError, Progress
from cellwright.engines.thermal.cooling import CoolingSpec
from cellwright.projects.model import (
    DesignSnapshot,
    FieldData,
    ImportedGeometry,
    InputError,
    Provenance,
    Result,
    Unit,
)

__all__ = ["BoundarySpec", "ConductionEngine", "ConductionSpec", "HeatSpec"]

Kelvin = Annotated[float, Unit("K"), Field(ge=150, le=1500)]
_STEFAN_BOLTZMANN = 5.670374419e-8  # W/(m^2 K^4), CODATA 2018


class BoundarySpec(BaseModel):
    """A condition on a named surface group of the mesh."""

    model_config = ConfigDict(extra="forbid")

    group: str = Field(description="surface group, e.g. ambient, bottom, channel_walls")
    kind: Literal["convection", "heat_flux", "temperature", "adiabatic"] = "convection"
    h: Annotated[float, Unit("W/(m^2.K)"), Field(ge=0, le=1e6)] = 10.0
    ambient: Kelvin = 298.15
    emissivity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="convection: adds surface radiation linearised about the ambient, "
        "h_rad = 4 eps sigma T_amb^3 (Incropera et al., eq. 1.9)",
    )
    flux: Annotated[float, Unit("W/m^2"), Field(ge=-1e7, le=1e7)] = 0.0
    temperature: Kelvin = 298.15


class HeatSpec(BaseModel):
    """Heat generated in the cells."""

    model_config = ConfigDict(extra="forbid")

    source: Literal["constant", "table", "electrochem"] = "constant"
    power: Annotated[float, Unit("W"), Field(ge=-1e4, le=1e4)] = Field(
        0.0, description="constant heat per cell"
    )
    times: list[float] | None = Field(None, description="table: times [s]")
    powers: list[float] | None = Field(None, description="table: heat per cell [W]")
    coupling: Literal["one-way", "two-way"] = "one-way"
    coupling_step: Annotated[float, Unit("s"), Field(gt=0, le=3600)] = Field(
        10.0, description="two-way: time between temperature/heat exchanges"
    )
    electrochem: dict[str, Any] = Field(
        default_factory=dict,
        description="spec of electrochem.pybamm (a cell) or electrochem.pack (a pack)",
    )

    @model_validator(mode="after")
    def _table(self) -> HeatSpec:
        if self.source == "table":
            if not self.times or not self.powers or len(self.times) != len(self.powers):
                raise ValueError("a heat table needs times and powers of the same length")
            if np.any(np.diff(self.times) <= 0):
                raise ValueError("heat table times must increase")
        return self


class ConductionSpec(BaseModel):
    """What to solve: target, mesh, time, boundary conditions, heat."""

    model_config = ConfigDict(extra="forbid")

    target: Literal["cell", "pack"] = "cell"
    geometry: ImportedGeometry | None = Field(
        None,
        description="run on an imported CAD file or mesh instead of the design (materials per "
        "volume group need a specific heat; heat goes into geometry.heat_regions)",
    )
    mesh_size: Annotated[float, Unit("m"), Field(gt=0, le=0.5)] | None = Field(
        None, description="element size; default: from the geometry"
    )
    duration: Annotated[float, Unit("s"), Field(gt=0, le=1e7)] = 600.0
    time_step: Annotated[float, Unit("s"), Field(gt=0, le=3600)] = Field(
        10.0, description="longest time step; the steps are equal and end on the duration"
    )
    scheme: Literal["backward_euler", "bdf2"] = "bdf2"
    solver: Literal["auto", "direct", "amg"] = "auto"
    output_every: int = Field(1, ge=1, le=100000, description="store fields every N steps")
    initial_temperature: Kelvin = 298.15
    boundaries: list[BoundarySpec] | None = Field(
        None,
        description="default: a cell in still air (h = 10 on every outer face); a pack with "
        "coolant on the channel walls (h = 1000 at 298.15 K) and still air outside",
    )
    heat: HeatSpec = Field(default_factory=HeatSpec)
    probes: dict[str, tuple[float, float, float]] = Field(
        default_factory=dict,
        description="named points [m] whose temperature is recorded every step, e.g. "
        '{"core": [0, 0.0011, 0.035]}',
    )
    cooling: CoolingSpec | None = Field(
        None,
        description="pack: cool the channel walls from the plate's coolant network (h and the "
        "local coolant temperature updated every step) instead of a fixed h",
    )


def _default_boundaries(
    target: str, cooled: bool = False, plate: bool = True
) -> list[BoundarySpec]:
    """Natural convection outside; a cooling plate's channels at a forced-convection h
    unless a coolant network looks after them, or there is no plate (no channel walls)."""
    if target == "imported":
        return [BoundarySpec(group="boundary", h=10.0)]
    if target == "cell":
        return [BoundarySpec(group="ambient", h=10.0)]
    if cooled or not plate:
        return [BoundarySpec(group="ambient", h=5.0)]
    return [
        BoundarySpec(group="channel_walls", h=1000.0),
        BoundarySpec(group="ambient", h=5.0),
    ]


class ConductionEngine:
    """Transient anisotropic conduction with per-cell heat on a meshed cell, module or pack."""

    id: ClassVar[str] = "thermal.conduction"
    title: ClassVar[str] = "3D thermal conduction (cell, module, pack; electro-thermal)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = ConductionSpec
    libraries: ClassVar[tuple[str, ...]] = ("gmsh", "numpy", "scipy", "pyamg")

    def validate(self, spec: ConductionSpec, design: DesignSnapshot) -> None:
        """The design must have geometry (or a reference design) and, for a pack, a pack."""
        if spec.geometry is not None:
            if spec.heat.source == "electrochem":
                raise InputError("spec.heat.source: an imported geometry takes a constant or "
                                 "tabulated heat per heat region, not 'electrochem'")  # fmt: skip
            if (spec.heat.power or spec.heat.source == "table") and not (
                spec.geometry.heat_regions
            ):
                raise InputError("spec.geometry.heat_regions: name the volume groups that "
                                 "generate the heat")  # fmt: skip
            return
        if spec.target == "pack" and design.pack is None:
            raise InputError("spec.target: 'pack' needs a pack design in the study")
        if spec.time_step > spec.duration:
            raise InputError(
                f"spec.time_step: {spec.time_step:g} s is longer than the duration "
                f"({spec.duration:g} s)"
            )
        _with_geometry(design)
        groups = {b.group for b in spec.boundaries or []}
        known = _KNOWN_GROUPS[spec.target]
        unknown = sorted(groups - known)
        if unknown:
            raise InputError(
                f"spec.boundaries: no surface group {', '.join(map(repr, unknown))} on a "
                f"{spec.target} mesh; groups: {', '.join(sorted(known))}"
            )
        if spec.cooling is not None:
            if spec.target != "pack" or design.pack.cooling_plate is None:
                raise InputError("spec.cooling: network cooling needs a pack with a cooling plate")
            if "channel_walls" in groups:
                raise InputError(
                    "spec.boundaries: 'channel_walls' is cooled by spec.cooling; leave it out"
                )
            from cellwright.engines.thermal.cooling import network_spec

            network_spec(spec.cooling)

    def run(
        self, spec: ConductionSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Mesh, assemble, step in time; fields every ``output_every`` steps, probes each step."""
        from cellwright.engines.thermal.setup import (
            build_problem,
            imported_problem,
            one_cell_of_pack_note,
        )

        started = time.perf_counter()
        if spec.geometry is not None:
            progress.update(0.01, f"meshing {spec.geometry.file}")
            problem = imported_problem(spec.geometry, design)
            defaults = _default_boundaries("imported")
        else:
            estimated: list[str] = []
            design = _with_geometry(design, estimated)
            progress.update(0.01, f"meshing the {spec.target}")
            problem = build_problem(design, spec.target, spec.mesh_size)
            problem.warnings[:0] = estimated
            if spec.target == "cell":
                problem.warnings.extend(one_cell_of_pack_note(design, self.id, "pack"))
            plate = design.pack is not None and design.pack.cooling_plate is not None
            defaults = _default_boundaries(spec.target, spec.cooling is not None, plate)
        _apply_boundaries(problem, spec.boundaries or defaults)
        cooling = None
        if spec.cooling is not None:
            from cellwright.engines.thermal.cooling import NetworkCooling

            progress.update(0.08, "coolant network")
            cooling = NetworkCooling(problem, spec.cooling, design)
        progress.update(0.1, f"{problem.quality}; assembling")
        heat = _heat_source(spec, design, problem, progress)
        return _march(spec, problem, heat, progress, started, cooling)


_KNOWN_GROUPS = {
    "cell": {"ambient", "bottom", "top", "side", "positive_terminal", "negative_terminal",
             "mandrel_surface", "jelly_roll_can"},
    "pack": {"ambient", "channel_walls", "cell_contact", "plate_bottom"},
}  # fmt: skip


def _with_geometry(design: DesignSnapshot, warnings: list[str] | None = None) -> DesignSnapshot:
    """The design itself, or the library cell's reference design when it has no geometry, or
    else one estimated from its datasheet (said in ``warnings``)."""
    from cellwright.projects.design.reference_designs import with_reference_geometry

    return with_reference_geometry(design, "the thermal engine needs", warnings)


def _apply_boundaries(problem, boundaries: list[BoundarySpec]) -> None:
    model = problem.model
    for b in boundaries:
        if b.group not in model.boundaries or len(model.boundaries[b.group]) == 0:
            raise InputError(
                f"spec.boundaries: the mesh has no faces in group {b.group!r}; groups: "
                + ", ".join(sorted(g for g, t in model.boundaries.items() if len(t)))
            )
        if b.kind == "convection":
            h_rad = 4.0 * b.emissivity * _STEFAN_BOLTZMANN * b.ambient**3
            model.convection(b.group, b.h + h_rad, b.ambient)
        elif b.kind == "heat_flux":
            model.heat_flux(b.group, b.flux)
        elif b.kind == "temperature":
            model.fixed_temperature(b.group, b.temperature)


def _heat_source(spec: ConductionSpec, design: DesignSnapshot, problem, progress):
    """A function (t, cell temperatures) -> heat per cell [W]."""
    n = problem.cell_count
    h = spec.heat
    if h.source == "constant":
        power = np.full(n, h.power)
        return lambda t0, t1, temps: power
    from cellwright.engines.thermal.coupling import electrochemical_heat, heat_table

    if h.source == "table":
        powers = np.asarray(h.powers, float)[:, None] * np.ones(n)
        return heat_table(np.asarray(h.times, float), powers)

    return electrochemical_heat(spec, design, problem, progress)


def _march(
    spec: ConductionSpec, problem, heat, progress: Progress, started: float, cooling=None
) -> Result:
    from cellwright.engines.thermal.solver import TransientStepper

    system = problem.model.build()
    static = system.load
    b = problem.heat
    state = {"q": np.zeros(problem.cell_count)}
    if cooling is None:
        system.load = lambda t: static(t) + b @ state["q"]
    else:  # the coolant's temperature along the channels changes the wall load every step
        system.load = lambda t: static(t) + b @ state["q"] + cooling.load()
    # equal steps of at most time_step that end on the duration: the stepper's factorised
    # matrix is for one step length, and a last step shortened only in its label (100 s in
    # 30 s steps) stepped a whole 30 s: 120 J stored of 100 J generated
    steps = math.ceil(spec.duration / spec.time_step - 1e-9)
    dt = spec.duration / steps
    stepper = TransientStepper(system, dt, spec.scheme, spec.solver)
    temps = np.full(system.mass.shape[0], spec.initial_temperature)
    temps[system.fixed_nodes] = system.fixed_values
    from cellwright.engines.thermal.probes import locate_points

    points = locate_points(problem.mesh.points, problem.mesh.cells["tetra"], spec.probes)
    probe_series = {name: np.zeros(steps + 1) for name in points}
    weights = [_volume_weights(problem, idx) for idx in problem.cell_tets]
    nodes = [np.unique(problem.mesh.cells["tetra"][idx]) for idx in problem.cell_tets]
    times = np.zeros(steps + 1)
    cell_mean = np.zeros((steps + 1, problem.cell_count))
    cell_max = np.zeros_like(cell_mean)
    cell_heat = np.zeros_like(cell_mean)
    difference = np.zeros(steps + 1)  # hottest minus coldest node: the internal gradient
    field_times, field_values = [0.0], [temps.copy()]
    stored_energy0 = float(system.mass @ temps @ np.ones_like(temps))

    def probe(k: int, t: float) -> None:
        times[k] = t
        for name, (at, w) in points.items():
            probe_series[name][k] = w @ temps[at]
        for c in range(problem.cell_count):
            cell_mean[k, c] = weights[c][1] @ temps[weights[c][0]]
            cell_max[k, c] = temps[nodes[c]].max()

    probe(0, 0.0)
    record = None
    if cooling is not None:
        from cellwright.engines.thermal.cooling import CoolingRecord

        record = CoolingRecord(cooling, problem, system, steps, spec.scheme)
        record.start(temps)
    step_times = []
    t = 0.0
    for k in range(1, steps + 1):
        t_next = spec.duration if k == steps else k * dt
        state["q"] = heat(t, t_next, cell_mean[k - 1])
        tick = time.perf_counter()
        temps = stepper.step(temps, t_next)
        step_times.append(time.perf_counter() - tick)
        if not np.all(np.isfinite(temps)):
            raise EngineError(f"the temperature diverged at t = {t_next:g} s (step {k})")
        t = t_next
        probe(k, t)
        cell_heat[k] = state["q"]
        if record is not None:
            record.step(k, temps, dt, k % spec.output_every == 0 or k == steps)
        difference[k] = temps.max() - temps.min()
        if k % spec.output_every == 0 or k == steps:
            field_times.append(t)
            field_values.append(temps.copy())
        if k % 10 == 0 or k == steps:
            progress.update(0.1 + 0.9 * k / steps, f"t = {t:g} s of {spec.duration:g} s")
    mesh = problem.mesh
    fields = [
        FieldData(
            name="Temperature [K]",
            mesh="design",
            association="point",
            times=np.asarray(field_times),
            values=np.asarray(field_values),
        )
    ]
    series: dict[str, np.ndarray] = {
        "Time [s]": times,
        "Maximum temperature [K]": cell_max.max(axis=1),
        "Mean cell temperature [K]": cell_mean.mean(axis=1),
        "Cell temperature spread [K]": cell_mean.max(axis=1) - cell_mean.min(axis=1),
        "Temperature difference [K]": difference,
        "Total heat generation [W]": cell_heat.sum(axis=1),  # mean over the step ending here
    }
    for name, values in probe_series.items():
        series[f"{name} temperature [K]"] = values
    if problem.cell_count <= 64:  # one curve per cell stays readable
        for c in range(problem.cell_count):
            label = "Cell" if problem.cell_count == 1 else f"Cell {c}"
            series[f"{label} mean temperature [K]"] = cell_mean[:, c]
    # cell_heat[k] is the mean power over step k (from times[k-1] to times[k])
    heat_in = float((cell_heat[1:].sum(axis=1) * np.diff(times)).sum())
    stored = float((system.mass @ temps).sum()) - stored_energy0
    scalars = {
        "Cells": float(problem.cell_count),
        "Tetrahedra": float(mesh.cells["tetra"].shape[0]),
        "Nodes": float(mesh.points.shape[0]),
        "Maximum temperature [K]": float(cell_max.max()),
        "Maximum cell temperature spread [K]": float(series["Cell temperature spread [K]"].max()),
        "Maximum temperature difference [K]": float(difference.max()),
        "Heat generated [J]": heat_in,
        "Heat stored [J]": stored,
        # the median leaves out the first steps, which factorise (or build AMG) once per scheme
        "Median step time [s]": float(np.median(step_times)) if step_times else 0.0,
        "Time stepping wall time [s]": float(np.sum(step_times)),
        "Wall time [s]": time.perf_counter() - started,
    }
    tables = {
        "cells": {
            "Cell": np.arange(problem.cell_count, dtype=float),
            "Final mean temperature [K]": cell_mean[-1],
            "Peak temperature [K]": cell_max.max(axis=0),
            "Heat generated [J]": (cell_heat[1:] * np.diff(times)[:, None]).sum(axis=0),
        }
    }
    prov = Provenance(engine_id=ConductionEngine.id, engine_version="1.0", spec_hash="")
    prov.warnings.extend(problem.warnings)
    prov.warnings.append(f"mesh: {problem.quality}")
    stops = [w for w in problem.warnings if w.startswith("electrochemistry stopped")]
    meshes = {"design": _region_mesh(mesh)}
    if record is not None:
        from cellwright.engines.thermal.cooling import cooling_report

        cooling_report(record, series, scalars, tables, meshes, fields, field_times, prov)
        scalars["Wall time [s]"] = time.perf_counter() - started
    return Result(
        name=f"Thermal conduction ({spec.target})",
        message="; ".join(dict.fromkeys(stops)),
        series=series,
        meshes=meshes,
        fields=fields,
        scalars=scalars,
        tables=tables,
        provenance=prov,
    )


def _volume_weights(problem, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes of a region and weights giving its volume-averaged temperature (P1 exact)."""
    from cellwright.engines.mesh.extract import tetra_volumes

    tets = problem.mesh.cells["tetra"][idx]
    vol = tetra_volumes(problem.mesh.points, tets)
    nodes, inverse = np.unique(tets.ravel(), return_inverse=True)
    w = np.bincount(inverse, weights=np.repeat(vol / 4.0, 4), minlength=nodes.size)
    return nodes, w / w.sum()


def _region_mesh(mesh):
    """The tetrahedra with their volume regions (boundary triangles are not needed to view)."""
    from cellwright.projects.model import MeshData

    sets = {n: s for n, s in mesh.cell_sets.items() if "tetra" in s}
    return MeshData(points=mesh.points, cells={"tetra": mesh.cells["tetra"]}, cell_sets=sets)
