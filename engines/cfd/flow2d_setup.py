"""From a ``cfd.flow2d`` spec to a grid with its regions, edges and fluid: every input problem
is an :class:`InputError` naming the shape or edge and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from cellwright.engines.cfd.flow2d_boundaries import (
    INLET,
    MOVING,
    OUTFLOW,
    SYMMETRY,
    SideBC,
    directions,
)
from cellwright.engines.cfd.flow2d_grid import Grid2D, SolidRegion
from cellwright.engines.cfd.flow2d_spec import EdgeSpec, Flow2DSpec
from cellwright.engines.cfd.flow2d_validity import staircase_warnings
from cellwright.projects.model import DesignSnapshot, InputError

if TYPE_CHECKING:
    from cellwright.engines.cfd.coolants import Coolant

__all__ = ["Fluid", "Problem2D", "build_problem"]

_SIDES = ("left", "right", "bottom", "top")
_KIND = {"wall": 0, "moving_wall": MOVING, "inlet": INLET, "outlet": OUTFLOW, "symmetry": SYMMETRY}


@dataclass(frozen=True)
class Fluid:
    """Constant properties of the fluid, taken at ``reference_temperature``; ``coolant`` is the
    temperature-dependent data they came from (None when the spec gives all four values)."""

    name: str
    density: float
    viscosity: float
    conductivity: float
    specific_heat: float
    reference_temperature: float = 298.15
    coolant: Coolant | None = None


@dataclass
class Problem2D:
    """The grid, fluid, per-face thermal conditions and what else a run needs."""

    grid: Grid2D
    fluid: Fluid
    sides: dict[str, SideBC]
    thermal: dict[str, dict[str, np.ndarray]]  # side -> {"kind", "value"} per boundary face
    thickness: np.ndarray  # per cell [m]: the depth, or a solid's own thickness (plate)
    cell_heat: np.ndarray  # W per cell
    inlet_temperature: float
    warnings: list[str] = field(default_factory=list)
    reference_speed: float = 1.0
    friction: float = 0.0  # 12 mu / H^2 for a thin channel of depth H [Pa s/m^2]


def _grid_size(spec: Flow2DSpec, length: float, height: float) -> tuple[int, int, float]:
    h = max(length, height) / spec.cells
    nx, ny = max(2, round(length / h)), max(2, round(height / h))
    return nx, ny, h


def _fluid(spec: Flow2DSpec, design: DesignSnapshot) -> Fluid:
    from cellwright.engines.cfd.coolants import coolant_for

    coolant = coolant_for(spec.coolant, design.materials)
    t = spec.reference_temperature
    given = (spec.density, spec.viscosity, spec.conductivity, spec.specific_heat)
    if all(v is not None for v in given):  # a fluid defined by its numbers: no coolant range
        return Fluid(spec.coolant, *given, t)
    coolant.check(t, "spec.reference_temperature")
    return Fluid(
        coolant.name,
        spec.density or float(coolant.density(t)),
        spec.viscosity or float(coolant.viscosity(t)),
        spec.conductivity or float(coolant.conductivity(t)),
        spec.specific_heat or float(coolant.specific_heat(t)),
        t,
        coolant,
    )


def _solid(shape, index: int, design: DesignSnapshot) -> SolidRegion:
    name = shape.name or f"{shape.kind} {index + 1}"
    values = {
        "conductivity": shape.conductivity,
        "density": shape.density,
        "specific_heat": shape.specific_heat,
    }
    if shape.material is not None:
        material = design.materials.get(shape.material)
        if material is None:
            known = ", ".join(sorted(design.materials)) or "none"
            raise InputError(
                f"material {shape.material!r} is not among the design's materials ({known}); "
                "give conductivity, density and specific_heat instead",
                f"spec.shapes[{index}]",
            )
        library = {
            "conductivity": "thermal_conductivity",
            "density": "density",
            "specific_heat": "specific_heat",
        }
        for key, prop in library.items():
            if values[key] is None:
                values[key] = material.value(prop)
    if values["conductivity"] is None:
        return SolidRegion(name, 0.0, 1.0, 1.0, shape.heat)  # an inert, adiabatic wall
    missing = [k for k in ("density", "specific_heat") if values[k] is None]
    if missing and shape.heat:
        raise InputError(f"a heated solid needs {', '.join(missing)}", f"spec.shapes[{index}]")
    return SolidRegion(
        name,
        values["conductivity"],
        values["density"] or 1.0,
        values["specific_heat"] or 1.0,
        shape.heat,
    )


def build_problem(spec: Flow2DSpec, design: DesignSnapshot, cells: int | None = None) -> Problem2D:
    """The :class:`Problem2D` of ``spec`` (at ``cells`` along the longer side if given)."""
    from cellwright.engines.cfd.flow2d_plate import PlateExtras, plate_spec

    extras = PlateExtras()
    if spec.geometry == "plate":
        spec, extras = plate_spec(spec, design)
    if cells is not None:
        spec = spec.model_copy(update={"cells": cells})
    from cellwright.engines.cfd.flow2d_shapes import covered

    nx, ny, h = _grid_size(spec, spec.length, spec.height)
    xc, yc = (np.arange(nx) + 0.5) * h, (np.arange(ny) + 0.5) * h
    region = np.full((nx, ny), -1, np.int64)
    solids: list[SolidRegion] = []
    for k, shape in enumerate(spec.shapes):
        mask = covered(shape, xc, yc, f"spec.shapes[{k}]")
        if shape.region == "fluid":
            region[mask] = -1
            continue
        solids.append(_solid(shape, k, design))
        region[mask] = len(solids) - 1
    grid = Grid2D(nx, ny, h, spec.depth, region, solids)
    problem = _with_edges(spec, design, grid)
    problem.thickness = np.full(grid.shape, spec.depth)
    for index, solid in enumerate(solids):
        if solid.name in extras.thickness_of:
            problem.thickness[region == index] = extras.thickness_of[solid.name]
    problem.cell_heat = _cell_heat(spec, grid, solids)
    for (x0, y0, dx, dy), flux in extras.heated:  # W/m^2 over an area, fluid and solid alike
        inside = np.outer((xc >= x0) & (xc <= x0 + dx), (yc >= y0) & (yc <= y0 + dy))
        if inside.any():  # the area's exact heat, whatever the staircase of cells covers
            problem.cell_heat[inside] += flux * dx * dy / inside.sum()
    problem.warnings += staircase_warnings(spec.shapes, xc, yc, h)
    if (
        abs(nx * h - spec.length) > 0.005 * spec.length
        or abs(ny * h - spec.height) > 0.005 * spec.height
    ):
        problem.warnings.append(
            f"the grid is {nx * h:.4g} m x {ny * h:.4g} m (square cells of {h:.3g} m) for a "
            f"{spec.length:.4g} m x {spec.height:.4g} m domain"
        )
    return problem


def _cell_heat(spec: Flow2DSpec, grid: Grid2D, solids: list[SolidRegion]) -> np.ndarray:
    heat = np.zeros(grid.shape)
    for index, solid in enumerate(solids):
        cells = grid.region == index
        if solid.heat and cells.any():
            heat[cells] = solid.heat / cells.sum()
    return heat


def _faces_of(edge: EdgeSpec, grid: Grid2D, index: int) -> np.ndarray:
    along = grid.ny if edge.side in ("left", "right") else grid.nx
    extent = along * grid.h
    start = edge.start or 0.0
    end = edge.end if edge.end is not None else extent
    if start >= extent - 1e-12 or end > extent * (1 + 1e-9) + 1e-12:
        raise InputError(
            f"edge {edge.name!r} runs from {start:g} to {end:g} m along the {edge.side} side, "
            f"which is {extent:g} m long",
            f"spec.edges[{index}]",
        )
    centres = (np.arange(along) + 0.5) * grid.h
    faces = np.flatnonzero((centres >= start) & (centres <= end))
    if faces.size == 0:
        raise InputError(
            f"edge {edge.name!r} covers no boundary face (cells are {grid.h:.3g} m)",
            f"spec.edges[{index}]",
        )
    return faces


def _boundary_cells(grid: Grid2D, side: str, faces: np.ndarray) -> np.ndarray:
    fluid = grid.fluid
    return {"left": fluid[0], "right": fluid[-1], "bottom": fluid[:, 0], "top": fluid[:, -1]}[side][
        faces
    ]


def _with_edges(spec: Flow2DSpec, design: DesignSnapshot, grid: Grid2D) -> Problem2D:
    sizes = {"left": grid.ny, "right": grid.ny, "bottom": grid.nx, "top": grid.nx}
    sides = {s: SideBC.walls(sizes[s]) for s in _SIDES}
    thermal = {
        s: {"kind": np.zeros(sizes[s], np.int8), "value": np.zeros(sizes[s])} for s in _SIDES
    }
    inlet_t, inlets, outlets, speeds = spec.initial_temperature, [], [], [0.0]
    fluid = _fluid(spec, design)
    owner = {s: np.full(sizes[s], -1) for s in _SIDES}  # which edge holds each face
    for k, edge in enumerate(spec.edges):
        faces = _faces_of(edge, grid, k)
        taken = owner[edge.side][faces]
        if (taken >= 0).any():  # a face cannot be two conditions: the later would win silently
            other = spec.edges[int(taken[taken >= 0][0])].name
            raise InputError(
                f"edge {edge.name!r} overlaps edge {other!r} on the {edge.side} side; "
                "give them start/end that do not overlap",
                f"spec.edges[{k}]",
            )
        owner[edge.side][faces] = k
        open_faces = faces[_boundary_cells(grid, edge.side, faces)]
        if edge.kind in ("inlet", "outlet") and open_faces.size == 0:
            raise InputError(
                f"{edge.kind} {edge.name!r} opens onto no fluid cell", f"spec.edges[{k}]"
            )
        bc = sides[edge.side]
        bc.kind[faces] = _KIND[edge.kind]
        grid.edges[edge.name] = (edge.side, faces)
        grid.edge_specs[edge.name] = edge
        if edge.kind == "moving_wall":
            bc.tangent[faces] = edge.velocity
            speeds.append(abs(edge.velocity))
        if edge.kind == "inlet":
            bc.normal[faces] = _inlet_profile(edge, open_faces.size, grid, faces, open_faces)
            speeds.append(float(np.abs(bc.normal[faces]).max()))
            inlets.append(edge.name)
            inlet_t = edge.temperature if edge.temperature is not None else inlet_t
            _check_inflow(fluid, spec, edge, k)
        outlets += [edge.name] if edge.kind == "outlet" else []
        _thermal(edge, thermal[edge.side], faces, spec.initial_temperature)
    if inlets and not outlets:
        raise InputError(
            f"the domain has inlet(s) {', '.join(map(repr, inlets))} but no outlet: the flow has "
            "nowhere to go; add an edge with kind = 'outlet'",
            "spec.edges",
        )
    warnings = _enclosed_fluid(grid, sides)
    grid.x, grid.y = directions(grid.fluid, sides)
    problem = Problem2D(
        grid,
        fluid,
        sides,
        thermal,
        np.zeros(grid.shape),
        np.zeros(grid.shape),
        inlet_t,
    )
    problem.reference_speed = max(speeds) or 1.0
    problem.warnings += warnings
    if spec.thin_channel:
        problem.friction = 12.0 * problem.fluid.viscosity / spec.depth**2
    return problem


def _check_inflow(fluid: Fluid, spec: Flow2DSpec, edge: EdgeSpec, index: int) -> None:
    """Refuse coolant that enters outside its property data (frozen, boiling, or beyond the
    fit): constant properties at the reference temperature would hide it."""
    if fluid.coolant is None:
        return
    if edge.temperature is not None:
        fluid.coolant.check(edge.temperature, f"spec.edges[{index}].temperature")
    else:  # an inlet without a temperature brings the initial temperature
        fluid.coolant.check(spec.initial_temperature, "spec.initial_temperature")


def _inlet_profile(edge: EdgeSpec, count: int, grid: Grid2D, faces, open_faces) -> np.ndarray:
    """Inflow speed per face of the edge: uniform, or the face averages of a parabola over the
    open part, scaled so that the flow is the given one."""
    mean = (
        edge.velocity
        if edge.velocity is not None
        else (edge.flow_rate / (count * grid.h * grid.depth))
    )
    out = np.zeros(faces.size)
    is_open = np.isin(faces, open_faces)
    if edge.profile == "uniform":
        out[is_open] = mean
        return out
    edges = np.linspace(0.0, 1.0, count + 1)
    cumulative = 3 * edges**2 - 2 * edges**3  # integral of 6 s (1 - s)
    out[is_open] = mean * np.diff(cumulative) * count
    return out


_THERMAL = {"adiabatic": 0, "temperature": 1, "heat_flux": 2, "inlet": 3, "outlet": 4}


def _thermal(edge: EdgeSpec, side: dict[str, np.ndarray], faces: np.ndarray, default: float):
    if edge.kind == "inlet":
        inflow = edge.temperature if edge.temperature is not None else default
        side["kind"][faces], side["value"][faces] = _THERMAL["inlet"], inflow
    elif edge.kind == "outlet":
        side["kind"][faces] = _THERMAL["outlet"]
    elif edge.temperature is not None:
        side["kind"][faces], side["value"][faces] = _THERMAL["temperature"], edge.temperature
    elif edge.heat_flux is not None:
        side["kind"][faces], side["value"][faces] = _THERMAL["heat_flux"], edge.heat_flux
    else:
        side["kind"][faces] = _THERMAL["adiabatic"]


def _open_cells(grid: Grid2D, sides: dict[str, SideBC], code: int) -> np.ndarray:
    """Cells behind boundary faces of kind ``code``."""
    mask = np.zeros(grid.shape, bool)
    mask[0] |= sides["left"].kind == code
    mask[-1] |= sides["right"].kind == code
    mask[:, 0] |= sides["bottom"].kind == code
    mask[:, -1] |= sides["top"].kind == code
    return mask & grid.fluid


def _enclosed_fluid(grid: Grid2D, sides: dict[str, SideBC]) -> list[str]:
    """Fluid pockets the flow cannot reach become inert solid; a pocket fed by an inlet but
    with no outlet is an error. In a closed domain (no outlet) the largest pocket is the one
    solved."""
    from scipy.ndimage import label

    labels, count = label(grid.fluid)  # 4-connected: cells touching across a face
    if count <= 1:
        return []
    outlets = np.unique(labels[_open_cells(grid, sides, OUTFLOW)])
    inlets = np.unique(labels[_open_cells(grid, sides, INLET)])
    sizes = np.bincount(labels.ravel())
    keep = set(outlets[outlets > 0].tolist()) or {int(np.argmax(sizes[1:]) + 1)}
    for pocket in set(inlets[inlets > 0].tolist()) - keep:
        i, j = np.argwhere(labels == pocket)[0]
        raise InputError(
            f"the fluid around ({(i + 0.5) * grid.h:.4g}, {(j + 0.5) * grid.h:.4g}) m has an inlet "
            "but no outlet (a solid shape cuts it off): the flow has nowhere to go"
        )
    enclosed = np.isin(labels, list(keep), invert=True) & grid.fluid
    if not enclosed.any():
        return []
    grid.solids.append(SolidRegion("enclosed fluid", 0.0, 1.0, 1.0))
    grid.region[enclosed] = len(grid.solids) - 1
    grid.__dict__.pop("_fluid", None)
    return [
        f"{int(enclosed.sum())} fluid cell(s) enclosed by solid, out of the flow's reach, are "
        "treated as an inert wall"
    ]
