"""From a design to a conduction problem: mesh, region materials, heat-source matrix.

A cell is meshed with its internals (jelly roll, can, cap, headspace gas, tabs); a module or pack
with homogenised cells (see :mod:`cellwright.engines.mesh.packs`). Every region gets a
:class:`cellwright.engines.thermal.model.Material3D`; jelly rolls are anisotropic in their own frame
(a wound roll radial/hoop/axial about its axis, a stack through-plane/in-plane).

Heat enters cell by cell: ``heat_matrix`` maps the power of each cell [W] to nodal loads,
spreading it uniformly over that cell's heat-generating volume (the jelly roll of a single
cell, the homogenised cell of a pack), so P = sum of nodal loads exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

from cellwright.engines.mesh.extract import tetra_volumes
from cellwright.engines.thermal.model import ConductionModel, Material3D
from cellwright.engines.thermal.properties import CellThermal, cell_thermal, library_material
from cellwright.projects.model import DesignSnapshot, InputError, MeshData

__all__ = [
    "ThermalProblem",
    "build_problem",
    "heat_matrix",
    "imported_problem",
    "one_cell_of_pack_note",
]

Target = Literal["cell", "pack"]
_GAS = "air"


@dataclass
class ThermalProblem:
    """A meshed design ready for boundary conditions: model, heat matrix and cell lookup."""

    mesh: MeshData
    model: ConductionModel
    heat: sp.csr_matrix  # (nodes, cells): nodal load [W] per watt in each cell
    cell_regions: list[str]  # the heat-generating region of each cell, in series-major order
    cell_tets: list[np.ndarray]  # tetrahedra of each cell's region
    thermal: CellThermal | None  # None for an imported geometry
    quality: str = ""
    warnings: list[str] = field(default_factory=list)
    layout: object | None = None  # the pack layout the mesh was built from (packs only)

    @property
    def cell_count(self) -> int:
        """Number of cells."""
        return len(self.cell_regions)


def _regions(mesh: MeshData, names: list[str]) -> dict[str, np.ndarray]:
    return {n: np.asarray(mesh.cell_sets[n]["tetra"]) for n in names if n in mesh.cell_sets}


def _boundaries(mesh: MeshData) -> dict[str, np.ndarray]:
    tri = mesh.cells.get("triangle", np.empty((0, 3), np.int64))
    return {n: tri[np.asarray(s["triangle"])] for n, s in mesh.cell_sets.items() if "triangle" in s}


def heat_matrix(mesh: MeshData, cell_tets: list[np.ndarray]) -> sp.csr_matrix:
    """Sparse (nodes × cells) matrix: watts in cell k -> nodal loads, uniform over its volume."""
    tets = mesh.cells["tetra"]
    rows, cols, data = [], [], []
    for k, idx in enumerate(cell_tets):
        vol = tetra_volumes(mesh.points, tets[idx])
        share = np.repeat(vol / (4.0 * vol.sum()), 4)  # P1: a quarter of each element per node
        rows.append(tets[idx].ravel())
        cols.append(np.full(share.size, k))
        data.append(share)
    n = mesh.points.shape[0]
    return sp.csr_matrix(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n, len(cell_tets)),
    )


def _capacity_material(k, heat_capacity: float, volume: float, frame="global", **kw) -> Material3D:
    """A material whose rho*c spreads ``heat_capacity`` [J/K] over ``volume`` [m^3]."""
    return Material3D(
        conductivity=k, density=heat_capacity / volume, specific_heat=1.0, frame=frame, **kw
    )


def _volume(mesh: MeshData, idx: np.ndarray) -> float:
    return float(tetra_volumes(mesh.points, mesh.cells["tetra"][idx]).sum())


def one_cell_of_pack_note(design: DesignSnapshot, engine_id: str, whole: str) -> list[str]:
    """The warning of a study of one cell run on a pack's design (``target = "cell"``, the
    default): a 3s2p pack of 21700s heated as one 21700 was stored as the pack's study without
    a word. ``whole`` is the target that runs the pack."""
    pack = design.pack
    if pack is None:
        return []
    return [
        f'{engine_id} with target = "cell" models one cell: this ran one cell '
        f"({design.cell.name}) of pack {pack.name!r}, {pack.series}s{pack.parallel}p; "
        f'target = "{whole}" runs the pack'
    ]


def build_problem(
    design: DesignSnapshot, target: Target = "cell", mesh_size: float | None = None
) -> ThermalProblem:
    """Mesh ``design`` and assign every region its material.

    Raises
    ------
    InputError
        If the design cannot be meshed or a region's material lacks a thermal property.
    """
    from cellwright.engines.mesh.session import MeshSettings

    settings = MeshSettings(size=mesh_size)
    cell = design.cell
    thermal = cell_thermal(cell, design)
    if target == "pack":
        problem = _pack_problem(design, thermal, settings)
        problem.warnings[:0] = thermal.notes
        return problem
    from cellwright.engines.mesh.cells import CELL_VOLUMES, mesh_cell

    meshed = mesh_cell(cell, settings)
    mesh, g = meshed.mesh, cell.geometry
    names = list(CELL_VOLUMES[g.kind])
    regions = _regions(mesh, names)
    model = ConductionModel(mesh.points, mesh.cells["tetra"], regions, _boundaries(mesh))
    mats = design.materials
    roll = regions["jelly_roll"]
    housing_c = thermal.cell_heat_capacity - thermal.roll_heat_capacity
    k_t, k_i = thermal.k_through, thermal.k_in
    if g.kind == "cylindrical":
        model.set_material(
            "jelly_roll",
            _capacity_material((k_t, k_i, k_i), thermal.roll_heat_capacity,
                               _volume(mesh, roll), frame="cylindrical"),
        )  # fmt: skip
    else:
        normal = (0.0, 0.0, 1.0) if g.kind == "pouch" else (0.0, 1.0, 0.0)
        model.set_material(
            "jelly_roll",
            _capacity_material((k_t, k_i, k_i), thermal.roll_heat_capacity,
                               _volume(mesh, roll), frame="normal", axis=normal),
        )  # fmt: skip
    housing = [n for n in ("can", "cap", "lid", "pouch") if n in regions]
    housing_volume = sum(_volume(mesh, regions[n]) for n in housing)
    housing_id = getattr(g, "can_material", None) or getattr(g, "laminate_material", None)
    k_can = library_material(mats, housing_id, "geometry.can_material")[0]
    for name in housing:  # the housing's metal holds the rest of the cell's heat capacity
        model.set_material(name, _capacity_material(k_can, housing_c, housing_volume))
    warnings: list[str] = list(thermal.notes)
    if "headspace" in regions:
        k, rho, c = library_material(mats, _GAS, "headspace")
        model.set_material("headspace", Material3D(k, rho, c or 1007.0))
    for side in ("positive", "negative"):
        tab = getattr(g, f"{side}_tab")
        k, rho, c = library_material(mats, tab.material, f"geometry.{side}_tab.material")
        model.set_material(f"{side}_tab", Material3D(k, rho, c or 0.0))
    return ThermalProblem(
        mesh=mesh,
        model=model,
        heat=heat_matrix(mesh, [roll]),
        cell_regions=["jelly_roll"],
        cell_tets=[roll],
        thermal=thermal,
        quality=meshed.quality.summary(),
        warnings=warnings,
    )


def _pack_problem(design: DesignSnapshot, thermal: CellThermal, settings) -> ThermalProblem:
    from cellwright.engines.mesh.packs import cell_region, mesh_pack
    from cellwright.projects.design import CellSummary, cell_box, pack_layout

    pack = design.pack
    if pack is None:
        raise InputError("target: 'pack' needs a pack design in the study", "spec.target")
    summary = CellSummary.from_figures(design.cell, thermal.figures)
    layout = pack_layout(pack, cell_box(summary, pack))
    meshed = mesh_pack(layout, pack.name, settings)
    mesh = meshed.mesh
    names = [cell_region(k) for k in range(len(layout.cells))]
    parts = ["cooling_plate", "thermal_interface", "busbar"]
    regions = _regions(mesh, names + parts)
    model = ConductionModel(mesh.points, mesh.cells["tetra"], regions, _boundaries(mesh))
    box = layout.cell
    # homogenised cell: radially the stack (the thin can adds ~1 % resistance in series),
    # axially stack and can in parallel by their cross-section areas
    f = thermal.can_area_fraction
    k_axial = (1 - f) * thermal.k_in + f * thermal.can_conductivity
    dx, dy, dz = box.size
    for k, name in enumerate(names):
        x0, y0, z0 = layout.cells[k]
        if box.format.value == "cylindrical":
            axis = (0.0, 0.0, 1.0) if box.axis == "z" else (1.0, 0.0, 0.0)
            mat = _capacity_material(
                (thermal.k_through, thermal.k_through, k_axial),
                thermal.cell_heat_capacity,
                _volume(mesh, regions[name]),
                frame="cylindrical",
                axis=axis,
                origin=(x0 + dx / 2, y0 + dy / 2, z0 + dz / 2),
            )
        else:  # flat cells stand face to face along x (upright) or lie on their face
            normal = (1.0, 0.0, 0.0) if dx < min(dy, dz) else (0.0, 0.0, 1.0)
            mat = _capacity_material(
                (thermal.k_through, thermal.k_in, thermal.k_in),
                thermal.cell_heat_capacity,
                _volume(mesh, regions[name]),
                frame="normal",
                axis=normal,
            )
        model.set_material(name, mat)
    warnings: list[str] = []
    mats = design.materials
    for part, spec_field in (
        ("cooling_plate", "cooling_plate.material"),
        ("thermal_interface", "thermal_interface.material"),
        ("busbar", "busbar.material"),
    ):
        if part not in regions:
            continue
        material_id = getattr(pack, part).material
        k, rho, c = library_material(mats, material_id, spec_field)
        if c is None:
            # a thin interface stores < 1 % of the pack's heat; without a specific heat in the
            # library it is treated as quasi-steady (no heat capacity), and the result says so
            warnings.append(
                f"{spec_field} {material_id!r} has no specific heat: its heat capacity is neglected"
            )
            c = 0.0
        model.set_material(part, Material3D(k, rho, c))
    return ThermalProblem(
        mesh=mesh,
        model=model,
        heat=heat_matrix(mesh, [regions[n] for n in names]),
        cell_regions=names,
        cell_tets=[regions[n] for n in names],
        thermal=thermal,
        quality=meshed.quality.summary(),
        warnings=warnings,
        layout=layout,
    )


def imported_problem(geometry, design: DesignSnapshot) -> ThermalProblem:
    """A conduction problem on an imported CAD file or mesh, a library material per group.

    Raises
    ------
    InputError
        A volume group without a material, a material without a thermal property, an unknown
        heat region.
    """
    from cellwright.engines.mesh.imported import read_imported

    mesh = read_imported(geometry)
    regions = {n: np.asarray(s["tetra"]) for n, s in mesh.cell_sets.items() if "tetra" in s}
    model = ConductionModel(mesh.points, mesh.cells["tetra"], regions, _boundaries(mesh))
    where = "spec.geometry.materials"
    for name in regions:
        material_id = geometry.materials.get(name, geometry.materials.get("*"))
        if material_id is None:
            raise InputError(f"{where}: volume group {name!r} of {geometry.file} has no material")
        k, rho, c = library_material(design.materials, material_id, f"{where}.{name}")
        if c is None:
            raise InputError(f"{where}.{name}: material {material_id!r} has no specific_heat")
        model.set_material(name, Material3D(k, rho, c))
    unknown = sorted(set(geometry.heat_regions) - set(regions))
    if unknown:
        raise InputError(
            f"spec.geometry.heat_regions: no volume group {', '.join(map(repr, unknown))}; "
            f"volume groups: {', '.join(sorted(regions))}"
        )
    names = list(geometry.heat_regions)
    cells = [regions[n] for n in names]
    if not cells:  # no heat: the whole body is the one "cell" whose temperatures are reported
        names, cells = ["body"], [np.arange(len(mesh.cells["tetra"]))]
    return ThermalProblem(
        mesh=mesh,
        model=model,
        heat=heat_matrix(mesh, cells),
        cell_regions=names,
        cell_tets=cells,
        thermal=None,
        quality=f"{len(mesh.cells['tetra'])} tetrahedra from {geometry.file}",
    )
