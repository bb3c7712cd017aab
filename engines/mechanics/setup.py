"""From a design (or an imported mesh) to a :class:`StructuralModel` with every region's material.

A cell is meshed with its internals; its headspace gas carries no load and is left out. The
jelly roll is orthotropic in its own frame (radial/hoop/axial in a wound cylinder, normal/in-plane
in a stack) with the Backus-averaged stiffness of its layer unit, and its density spreads the
stack's mass from the cell calculator over the meshed volume, so the cell's mass is exact
whatever the mesh. The cap assembly (cap, vent, CID, gasket) is cap material with the cap mass.
A module or pack is meshed with homogenised cells (:func:`homogenised_cell_stiffness`) on the
thermal interface and the cooling plate, with busbars; every other part is its library material.
A prismatic cell keeps its can there (``can_<k>``, its metal; the contents hold the rest of the
cell's mass): its walls, not its stack, carry a load along them
(:mod:`cellwright.engines.mesh.packs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cellwright.engines.mechanics.cell_properties import (
    cell_mechanics,
    elastic_constants,
    homogenised_cell_stiffness,
)
from cellwright.engines.mechanics.materials import ElasticMaterial
from cellwright.engines.mechanics.model import StructuralModel
from cellwright.projects.model import DesignSnapshot, InputError, MeshData

__all__ = [
    "StructuralProblem",
    "build_structure",
    "cell_structure_groups",
    "model_from_mesh",
    "pack_structure_groups",
]

_VOID = ("headspace",)  # gas: no stiffness, negligible mass
_PACK_UNIONS = ("cells",)  # a pack mesh's sets that only gather its regions: no group


@dataclass
class StructuralProblem:
    """A structural model with the linear mesh its results are shown on."""

    model: StructuralModel
    mesh: MeshData  # vertices and tetrahedra of the model, with its regions
    quality: str = ""
    warnings: list[str] = field(default_factory=list)
    sn_curves: dict = field(default_factory=dict)  # region -> SNCurve of its material

    def add_sn_curve(self, region: str, material) -> None:
        """The region's S–N curve, if its library material has fatigue data."""
        from cellwright.engines.mechanics.fatigue import SNCurve

        values = [material.value(p) for p in ("ultimate_strength", "fatigue_strength",
                                               "fatigue_cycles")]  # fmt: skip
        if all(v is not None for v in values):
            source = material.properties["fatigue_strength"].source
            self.sn_curves[region] = SNCurve.from_library(*values, source=source)


def _volume(points, tets) -> float:
    from cellwright.engines.mesh.extract import tetra_volumes

    return float(np.abs(tetra_volumes(points, tets)).sum())


def model_from_mesh(
    mesh: MeshData, drop: tuple[str, ...] = (), unions: tuple[str, ...] = ()
) -> StructuralProblem:
    """A model on the tetrahedra of ``mesh`` without the regions ``drop``; unused nodes removed.

    Regions are the tetra cell sets (except ``unions``, sets that only gather other regions,
    such as a pack's ``cells``), surface groups the triangle cell sets.
    """
    tets = np.asarray(mesh.cells["tetra"], dtype=np.int64)
    keep = np.ones(len(tets), dtype=bool)
    for name in drop:
        if name in mesh.cell_sets and "tetra" in mesh.cell_sets[name]:
            keep[mesh.cell_sets[name]["tetra"]] = False
    new_index = np.cumsum(keep) - 1
    used = np.zeros(mesh.points.shape[0], dtype=bool)
    used[tets[keep].ravel()] = True
    renumber = np.full(mesh.points.shape[0], -1, dtype=np.int64)
    renumber[used] = np.arange(used.sum())
    points = mesh.points[used]
    kept = renumber[tets[keep]]
    regions, surfaces = {}, {}
    tris = np.asarray(mesh.cells.get("triangle", np.empty((0, 3))), dtype=np.int64)
    for name, blocks in mesh.cell_sets.items():
        if "tetra" in blocks and name not in drop and name not in unions:
            idx = np.asarray(blocks["tetra"], dtype=np.int64)
            idx = new_index[idx[keep[idx]]]
            if idx.size:
                regions[name] = idx
        if "triangle" in blocks:
            t = renumber[tris[np.asarray(blocks["triangle"], dtype=np.int64)]]
            t = t[np.all(t >= 0, axis=1)]
            if len(t):
                surfaces[name] = t
    linear = MeshData(
        points=points,
        cells={"tetra": kept},
        cell_sets={n: {"tetra": i} for n, i in regions.items()},
    )
    return StructuralProblem(StructuralModel(points, kept, regions, surfaces), linear)


def build_structure(
    design: DesignSnapshot,
    target: str,
    mesh_size: float | None = None,
    curvature: int | None = None,
    refine_ends: tuple[int, float, float] | None = None,
    roll_size: float | None = None,
) -> StructuralProblem:
    """Mesh ``design`` (a cell, or its pack) and give every region its material; with
    ``roll_size`` a cylindrical cell's jelly roll is meshed on its own at that size and tied to
    the can (:mod:`~cellwright.engines.mechanics.fine_roll`).

    Raises
    ------
    InputError
        If the design cannot be meshed or a material lacks an elastic property.
    """
    from cellwright.engines.mesh.session import MeshSettings

    # One gmsh thread, also for a pack's HXT: with more, the mesh of the same module differs from
    # run to run (19800 and 19843 tetrahedra on the 4s2p example), and so does where a crush of
    # it stops. One thread costs the module 0.3 s of its mesh; a structural solve takes minutes.
    settings = MeshSettings(
        size=mesh_size, curvature=curvature or 0, refine_ends=refine_ends, threads=1
    )
    if target == "pack":
        return _pack(design, settings)
    return _cell(design, settings, roll_size)


def _cell(design: DesignSnapshot, settings, roll_size: float | None = None) -> StructuralProblem:
    from cellwright.engines.mesh.cells import mesh_cell

    cell = design.cell
    props = cell_mechanics(cell, design)
    meshed = mesh_cell(cell, settings)
    problem = model_from_mesh(meshed.mesh, drop=_VOID)
    problem.quality = meshed.quality.summary()
    if roll_size is not None:
        from cellwright.engines.mechanics.fine_roll import tie_fine_roll

        problem.model, problem.mesh = tie_fine_roll(problem.model, cell, roll_size)
        ties = problem.model.surface_ties
        problem.quality += (
            f"; jelly roll meshed on its own: {problem.model.regions['jelly_roll'].size} "
            f"tetrahedra of {roll_size * 1e3:.3g} mm, {ties.nodes.size} of its nodes tied to "
            f"the can and tabs ({problem.model.mesh.tets.shape[0]} tetrahedra in all)"
        )
    model, g, mats = problem.model, cell.geometry, design.materials
    roll = model.regions["jelly_roll"]
    roll_volume = _volume(model.mesh.points, model.mesh.tets[roll])
    if g.kind == "cylindrical":
        frame = {"frame": "cylindrical"}
    else:
        frame = {"frame": "normal", "axis": (0.0, 0.0, 1.0) if g.kind == "pouch" else (0, 1, 0)}
    model.set_material(
        "jelly_roll",
        ElasticMaterial(props.roll_stiffness, props.roll_mass / roll_volume, name="jelly roll",
                        **frame),
    )  # fmt: skip
    e, nu, rho = elastic_constants(mats, props.housing_material, props.housing_field)
    cap_mass = getattr(g, "cap_mass", 0.0)
    for name in ("can", "pouch", "cap", "lid"):
        if name not in model.regions:
            continue
        density = rho
        volume = _volume(model.mesh.points, model.mesh.tets[model.regions[name]])
        if name in ("cap", "lid") and cap_mass > 0:  # the whole cap assembly's mass
            density = cap_mass / volume
        elif name == "pouch":
            # the sealed margin is meshed at the full thickness but is folded laminate round a
            # gas pocket: it holds the laminate's mass, not its solid density (at that the
            # Kokam pouch's margin weighed 20 g besides the 4.8 g laminate the roll held, and the
            # crush's 1000 x weight stop came at 1.73 kN for a 155 g cell)
            density = props.figures.mass.get("pouch laminate", rho * volume) / volume
        model.set_material(name, ElasticMaterial.isotropic(e, nu, density, name=name))
    for side in ("positive", "negative"):
        tab = getattr(g, f"{side}_tab")
        e, nu, rho = elastic_constants(mats, tab.material, f"geometry.{side}_tab.material")
        model.set_material(f"{side}_tab", ElasticMaterial.isotropic(e, nu, rho))
    return problem


def _pack_layout(design: DesignSnapshot, props):
    """The pack's layout and the can wall its structural mesh keeps (None: no can)."""
    from cellwright.projects.design import CellSummary, cell_box, pack_layout

    summary = CellSummary.from_figures(design.cell, props.figures)
    layout = pack_layout(design.pack, cell_box(summary, design.pack))
    g = design.cell.geometry
    return layout, (g.can_wall_thickness if g.kind == "prismatic" else None)


#: the surface groups mesh_cell names on every cell (engines/mesh/cells.py _surfaces)
_CELL_SURFACES = ("ambient", "bottom", "top", "side", "positive_terminal", "negative_terminal")


def cell_structure_groups(design: DesignSnapshot) -> list[str]:
    """The groups of ``design``'s cell structural mesh (regions and surfaces), without meshing
    it: what a fixed support may hold. The datasheet estimate stands in for a design without
    geometry, as the crush and structural studies mesh it; a cylindrical cell's
    ``mandrel_surface`` is listed when it has a core hole (a crush fills it by default)."""
    from cellwright.engines.mechanics.spec import with_geometry
    from cellwright.engines.mesh.cells import CELL_VOLUMES

    g = with_geometry(design).cell.geometry
    groups = [v for v in CELL_VOLUMES[g.kind] if v not in _VOID] + list(_CELL_SURFACES)
    if g.kind == "cylindrical" and g.mandrel_diameter > 0:
        groups.append("mandrel_surface")
    if g.kind != "pouch":
        groups.append("jelly_roll_can")
    return sorted(groups)


def pack_structure_groups(design: DesignSnapshot) -> list[str]:
    """The groups of ``design``'s structural pack mesh (cells, cans, plate, surfaces), without
    meshing it: what a fixed support may hold."""
    from cellwright.engines.mesh.packs import pack_groups

    groups = pack_groups(*_pack_layout(design, cell_mechanics(design.cell, design)))
    return [g for g in groups if g not in _PACK_UNIONS]


def _pack(design: DesignSnapshot, settings) -> StructuralProblem:
    from cellwright.engines.mesh.packs import can_region, cell_region, mesh_pack

    pack = design.pack
    if pack is None:
        raise InputError("target: 'pack' needs a pack design in the study", "spec.target")
    props = cell_mechanics(design.cell, design)
    layout, wall = _pack_layout(design, props)
    g = design.cell.geometry
    meshed = mesh_pack(layout, pack.name, settings, can_wall=wall)
    problem = model_from_mesh(meshed.mesh, unions=_PACK_UNIONS)
    problem.quality = meshed.quality.summary()
    model, box, mats = problem.model, layout.cell, design.materials
    can = elastic_constants(mats, props.housing_material, props.housing_field)
    stiffness = props.roll_stiffness
    if box.format.value == "cylindrical":
        stiffness = homogenised_cell_stiffness(
            props.roll_stiffness, can[:2], g.diameter / 2, g.can_wall_thickness
        )
    dx, dy, dz = box.size
    for k, (x0, y0, z0) in enumerate(layout.cells):
        name, mass = cell_region(k), props.cell_mass
        can_tets = model.regions.get(can_region(k))
        if can_tets is not None:  # a prismatic cell's can, its metal; the contents hold the rest
            mass -= can[2] * _volume(model.mesh.points, model.mesh.tets[can_tets])
            model.set_material(can_region(k), ElasticMaterial.isotropic(*can, name=can_region(k)))
        volume = _volume(model.mesh.points, model.mesh.tets[model.regions[name]])
        density = mass / volume
        if box.format.value == "cylindrical":
            axis = (0.0, 0.0, 1.0) if box.axis == "z" else (1.0, 0.0, 0.0)
            centre = (x0 + dx / 2, y0 + dy / 2, z0 + dz / 2)
            mat = ElasticMaterial(stiffness, density, "cylindrical", axis, centre, name=name)
        else:  # flat cells stand face to face along x (upright) or lie on their face
            normal = (1.0, 0.0, 0.0) if dx < min(dy, dz) else (0.0, 0.0, 1.0)
            mat = ElasticMaterial(stiffness, density, "normal", normal, name=name)
        model.set_material(name, mat)
    for part in ("cooling_plate", "thermal_interface", "busbar"):
        if part in model.regions:
            material_id = getattr(pack, part).material
            e, nu, rho = elastic_constants(mats, material_id, f"{part}.material")
            model.set_material(part, ElasticMaterial.isotropic(e, nu, rho, name=part))
            problem.add_sn_curve(part, mats[material_id])
    return problem
