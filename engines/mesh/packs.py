"""Mesh a module or pack: homogenised cells on a thermal interface, a channelled cooling plate
and busbars, all conformal.

At pack scale every cell is one homogenised volume (its jelly roll, can and tabs lumped; the
thermal engine gives it the effective anisotropic conductivity of its layer stack): resolving a
0.25 mm can wall in 384 cells would cost tens of millions of elements for a few per cent of the
cell-to-plate resistance. The layout (positions, plate, channels, busbars) is the one the pack
calculator uses, so figures and mesh describe one pack.

Volume groups: ``cell_0000`` … (one per cell, in the order of the layout's series groups),
``cells`` (all of them), ``cooling_plate``, ``thermal_interface``, ``busbar``.

A structural mesh may keep a prismatic cell's can (``can_wall``): ``can_0000`` … is the wall,
one element through its thickness as the cell mesher has it, and ``cell_0000`` the homogenised
contents. Loaded along its walls a prismatic can carries what its stack cannot (the prismatic
template's 0.8 mm aluminium can took 4.56 kN at 0.3 mm end-on; the 2s1p pack of those cells
without their cans 316 N at 1 mm), and no homogenised solid carries both the foam's crushing
and the walls' plastic buckling. A wound cylinder's can is in its homogenised constants
(:mod:`cellwright.engines.mechanics.cell_properties`); a pouch has none.
Surface groups: ``ambient`` (every outer face except channel walls), ``channel_walls`` (the
coolant-wetted faces), ``cell_contact`` (cell bottoms on the interface or plate),
``plate_bottom``.
"""

from __future__ import annotations

import time

from cellwright.engines.mesh.extract import MeshQuality, extract_mesh
from cellwright.engines.mesh.session import Assembly, MeshSettings, gmsh_session, refuse_oversized
from cellwright.projects.design import PackLayout
from cellwright.projects.model import CellFormat, InputError, MeshData

__all__ = [
    "PackMesh",
    "can_region",
    "cell_region",
    "default_pack_size",
    "mesh_pack",
    "pack_groups",
    "region_words",
]

_HXT = 10  # gmsh's parallel Delaunay: the fastest 3D algorithm for many volumes


def cell_region(k: int) -> str:
    """Name of the volume group of cell ``k`` (0-based, in layout order)."""
    return f"cell_{k:04d}"


def can_region(k: int) -> str:
    """Name of the volume group of cell ``k``'s can wall, in a mesh that keeps it."""
    return f"can_{k:04d}"


def region_words(name: str) -> str:
    """A meshed region as a message names it: ``can_0000`` -> "can of cell 1 (can_0000)",
    ``cell_0001`` -> "cell 2 (cell_0001)", ``cooling_plate`` -> "cooling plate".

    "can 0000" (the name with its underscore spaced out) read as a part number; the 1-based
    cell is what a person counts, the region name is what the exported mesh and the fields carry.
    """
    head, _, number = name.rpartition("_")
    if head in ("cell", "can") and number.isdigit():
        cell = f"cell {int(number) + 1}"
        return f"{cell} ({name})" if head == "cell" else f"can of {cell} ({name})"
    return name.replace("_", " ")


class PackMesh:
    """A meshed pack: the mesh, its quality and the layout it was built from."""

    def __init__(self, mesh: MeshData, quality: MeshQuality, layout: PackLayout) -> None:
        self.mesh = mesh
        self.quality = quality
        self.layout = layout

    @property
    def cell_count(self) -> int:
        """Number of cells in the mesh."""
        return len(self.layout.cells)


def default_pack_size(layout: PackLayout) -> float:
    """Element size: about three elements across a cell's smallest dimension."""
    return min(layout.cell.size) / 3


def mesh_pack(
    layout: PackLayout,
    name: str = "pack",
    settings: MeshSettings | None = None,
    can_wall: float | None = None,
) -> PackMesh:
    """Mesh the pack described by ``layout`` (from :func:`cellwright.projects.design.pack_layout`).

    Parameters
    ----------
    layout
        Where the cells, plate, channels, interface and busbars are.
    name
        Design name, used in error messages.
    settings
        Element size and gmsh algorithm; default: :func:`default_pack_size` with HXT.
    can_wall
        Wall thickness [m] of a prismatic cell's can, meshed as ``can_<k>`` around the
        contents ``cell_<k>``; None (and for other formats): each cell one volume.

    Raises
    ------
    InputError
        If gmsh cannot build the geometry.
    """
    settings = settings or MeshSettings()
    size = settings.size or default_pack_size(layout)
    options = settings.gmsh_options(size, algorithm_3d=_HXT)
    if not settings.curvature:  # round cells: 16 segments per circle keep volumes within 2 %
        options["Mesh.MeshSizeFromCurvature"] = 16
    start = time.perf_counter()
    with gmsh_session(name, options) as gmsh:
        assembly = Assembly(gmsh)
        _add_parts(assembly, layout, _kept_wall(layout, can_wall))
        volumes = assembly.fragment()
        volumes["cells"] = sorted(
            t for k in range(len(layout.cells)) for t in volumes.get(cell_region(k), [])
        )
        surfaces = _surfaces(gmsh, assembly, layout)
        refuse_oversized(gmsh, size, name)
        gmsh.model.mesh.generate(3)
        mesh, quality = extract_mesh(gmsh, volumes, surfaces)
    quality.wall_time = time.perf_counter() - start
    quality.options = options
    return PackMesh(mesh, quality, layout)


def pack_groups(layout: PackLayout, can_wall: float | None = None) -> list[str]:
    """The groups :func:`mesh_pack` gives ``layout``'s mesh, without meshing it.

    So a study's editor can say at its field that a pack has no group it names (a support on
    ``base_plate``) before the job meshes it; the names follow :func:`mesh_pack`'s module
    docstring.
    """
    n = len(layout.cells)
    names = [cell_region(k) for k in range(n)]
    if _kept_wall(layout, can_wall) is not None:
        names += [can_region(k) for k in range(n)]
    names.append("cells")
    parts = (("cooling_plate", layout.plate), ("thermal_interface", layout.interface),
             ("busbar", layout.busbars or None))  # fmt: skip
    names += [name for name, part in parts if part is not None]
    names.append("ambient")
    if layout.plate is not None:
        names += ["channel_walls"] if layout.channels else []
        names.append("plate_bottom")
    if layout.plate is not None or layout.interface is not None:
        names.append("cell_contact")
    return sorted(names)


def _kept_wall(layout: PackLayout, can_wall: float | None) -> float | None:
    """The can wall to mesh: a prismatic cell's only, and one that leaves it contents."""
    if can_wall is None or layout.cell.format != CellFormat.PRISMATIC:
        return None
    if not 0 < 2 * can_wall < min(layout.cell.size):
        raise InputError(
            f"the can wall ({can_wall * 1e3:g} mm) leaves the cell "
            f"({min(layout.cell.size) * 1e3:g} mm thick) no contents",
            "cell.geometry.can_wall_thickness",
        )
    return can_wall


def _add_parts(a: Assembly, layout: PackLayout, can_wall: float | None = None) -> None:
    occ = a.occ
    if layout.plate is not None:
        p = layout.plate
        plate = occ.addBox(p.x0, p.y0, p.z0, p.dx, p.dy, p.dz)
        if layout.channels:
            holes = [(3, occ.addBox(c.x0, c.y0, c.z0, c.dx, c.dy, c.dz)) for c in layout.channels]
            fused = holes[:1]
            if len(holes) > 1:
                fused, _ = occ.fuse(holes[:1], holes[1:])
            cut, _ = occ.cut([(3, plate)], fused)
            a.add("cooling_plate", cut)
        else:
            a.add("cooling_plate", plate)
    if layout.interface is not None:
        i = layout.interface
        a.add("thermal_interface", occ.addBox(i.x0, i.y0, i.z0, i.dx, i.dy, i.dz))
    box = layout.cell
    dx, dy, dz = box.size
    for k, (x0, y0, z0) in enumerate(layout.cells):
        if box.format == CellFormat.CYLINDRICAL:
            if box.axis == "z":
                tag = occ.addCylinder(x0 + dx / 2, y0 + dy / 2, z0, 0, 0, dz, dx / 2)
            else:
                tag = occ.addCylinder(x0, y0 + dy / 2, z0 + dz / 2, dx, 0, 0, dy / 2)
        elif can_wall is not None:
            t = can_wall
            inner = occ.addBox(x0 + t, y0 + t, z0 + t, dx - 2 * t, dy - 2 * t, dz - 2 * t)
            outer = occ.addBox(x0, y0, z0, dx, dy, dz)
            wall, _ = occ.cut([(3, outer)], [(3, inner)], removeTool=False)
            a.add(can_region(k), wall)
            tag = inner
        else:
            tag = occ.addBox(x0, y0, z0, dx, dy, dz)
        a.add(cell_region(k), tag)
    for bar in layout.busbars:
        a.add("busbar", occ.addBox(bar.x0, bar.y0, bar.z0, bar.dx, bar.dy, bar.dz))
    if not a._parts:
        raise InputError("the pack has no parts to mesh", "layout")


def _surfaces(gmsh, a: Assembly, layout: PackLayout) -> dict[str, list[int]]:
    outer = a.boundary()
    walls: list[int] = []
    plate_bottom: list[int] = []
    if layout.plate is not None:
        eps = 1e-7 + 1e-6 * layout.plate.dz
        for tag in outer:
            x0, y0, z0, x1, y1, z1 = gmsh.model.getBoundingBox(2, tag)
            if z1 < eps:
                plate_bottom.append(tag)
            elif any(_inside_box(c, (x0, y0, z0, x1, y1, z1), eps) for c in layout.channels):
                walls.append(tag)
    cell_names = [cell_region(k) for k in range(len(layout.cells))]
    cell_names += [n for n in map(can_region, range(len(layout.cells))) if n in a.volumes]
    below = [n for n in ("thermal_interface", "cooling_plate") if n in a.volumes]
    contact = a.interface(cell_names, below[:1]) if below else []
    wall_set = set(walls)
    return {
        "ambient": [t for t in outer if t not in wall_set],
        "channel_walls": walls,
        "cell_contact": contact,
        "plate_bottom": plate_bottom,
    }


def _inside_box(c, bbox, eps: float) -> bool:
    x0, y0, z0, x1, y1, z1 = bbox
    return (
        x0 >= c.x0 - eps
        and x1 <= c.x0 + c.dx + eps
        and y0 >= c.y0 - eps
        and y1 <= c.y0 + c.dy + eps
        and z0 >= c.z0 - eps
        and z1 <= c.z0 + c.dz + eps
    )
