"""Mesh one cell: build its solid model, name its faces, generate tetrahedra, report quality.

Surface groups: ``ambient`` (every outer face), ``bottom`` (the face a cell stands on: the
contact face to a cooling plate), ``top``, ``side``, ``positive_terminal``,
``negative_terminal``, and for cylindrical cells ``mandrel_surface`` (the closed centre hole)
and the internal ``jelly_roll_can`` interface.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from cellwright.engines.mesh.cell_model import add_jelly_roll, build_cell
from cellwright.engines.mesh.extract import MeshQuality, extract_mesh
from cellwright.engines.mesh.session import (
    Assembly,
    MeshSettings,
    gmsh_session,
    refuse_oversized,
)
from cellwright.projects.design.cell_layout import cell_layout
from cellwright.projects.model import CellDesign, InputError, MeshData

__all__ = [
    "CELL_VOLUMES", "TAB_VOLUMES", "CellMesh", "default_cell_size", "mesh_cell",
    "mesh_jelly_roll",
]  # fmt: skip

#: the tabs, which a pouch's stick out of its body (a squeeze presses the body, not them)
TAB_VOLUMES = ("positive_tab", "negative_tab")
CELL_VOLUMES = {
    "cylindrical": ("jelly_roll", "can", "cap", "headspace", *TAB_VOLUMES),
    "pouch": ("jelly_roll", "pouch", *TAB_VOLUMES),
    "prismatic": ("jelly_roll", "can", "lid", *TAB_VOLUMES),
}
_EPS = 1e-6  # OCC bounding boxes are padded by about 1e-7 m


@dataclass
class CellMesh:
    """A meshed cell: the mesh with its named regions and the quality report."""

    mesh: MeshData
    quality: MeshQuality


def default_cell_size(design: CellDesign) -> float:
    """An element size that resolves the cell's smallest overall dimension a few times."""
    g = design.geometry
    if g.kind == "cylindrical":
        return g.diameter / 12
    smallest = min(g.length, g.width, g.thickness)
    return max(smallest / 3, min(g.length, g.width) / 40)


def mesh_cell(design: CellDesign, settings: MeshSettings | None = None) -> CellMesh:
    """Mesh ``design`` (its geometry is checked by the cell calculator's rules first).

    Raises
    ------
    InputError
        If the design has no geometry or the geometry is impossible (named field).
    """
    if design.geometry is None:
        raise InputError("geometry: not set; a cell needs a geometry to be meshed", design.name)
    cell_layout(design)  # refuses impossible geometry before gmsh sees it
    settings = settings or MeshSettings()
    size = settings.size or default_cell_size(design)
    options = settings.gmsh_options(size)
    start = time.perf_counter()
    with gmsh_session(design.name, options) as gmsh:
        assembly = build_cell(gmsh, design)
        volumes = assembly.fragment()
        surfaces = _surfaces(gmsh, assembly, design)
        fields = _curved_face_fields(gmsh, volumes, design, size)
        if settings.refine_ends is not None:  # where the indenter meets the body, not the tabs
            body = [t for name, tags in volumes.items() if name not in TAB_VOLUMES for t in tags]
            fields += refine_ends(gmsh, *settings.refine_ends, volumes=body)
        _size_by_smallest(gmsh, fields)
        refuse_oversized(gmsh, size, design.name, refined=_refined_zone(gmsh, settings))
        gmsh.model.mesh.generate(3)
        mesh, quality = extract_mesh(gmsh, volumes, surfaces)
    quality.wall_time = time.perf_counter() - start
    quality.options = options
    return CellMesh(mesh, quality)


def mesh_jelly_roll(design: CellDesign, size: float) -> tuple[np.ndarray, np.ndarray]:
    """The jelly roll of a cylindrical cell alone, in tetrahedra of ``size``: (points, tets).

    For a roll meshed finer than its can and tied to the can's inner face
    (:mod:`~cellwright.engines.mechanics.fine_roll`), in the cell's frame.

    Raises
    ------
    InputError
        If the cell is not cylindrical or ``size`` would give too many tetrahedra.
    """
    g = design.geometry
    if g is None or g.kind != "cylindrical":
        raise InputError("a jelly roll is meshed on its own for cylindrical cells only",
                         "geometry.kind")  # fmt: skip
    settings = MeshSettings(size=size, threads=1)
    with gmsh_session(f"{design.name} jelly roll", settings.gmsh_options(size)) as gmsh:
        assembly = Assembly(gmsh)
        add_jelly_roll(assembly, g)
        gmsh.model.occ.synchronize()
        volumes = {"jelly_roll": [t for _, t in gmsh.model.getEntities(3)]}
        _size_by_smallest(gmsh, _curved_face_fields(gmsh, volumes, design, size))
        refuse_oversized(gmsh, size, design.name, what="jelly_roll_mesh_size")
        gmsh.model.mesh.generate(3)
        mesh, _ = extract_mesh(gmsh, volumes, {})
    return np.asarray(mesh.points), np.asarray(mesh.cells["tetra"], dtype=np.int64)


def _size_by_smallest(gmsh, fields: list[int]) -> None:
    """Make the smallest of ``fields`` the background size, if there are any.

    gmsh takes the smallest of the background field and its other size constraints (gmsh
    reference manual, "Specifying mesh element sizes": the Min field)."""
    if fields:
        smallest = gmsh.model.mesh.field.add("Min")
        gmsh.model.mesh.field.setNumbers(smallest, "FieldsList", fields)
        gmsh.model.mesh.field.setAsBackgroundMesh(smallest)


def _refined_zone(gmsh, settings: MeshSettings) -> tuple[float, float] | None:
    """(volume, size) of the two balls :func:`refine_ends` refines, for the size check."""
    if settings.refine_ends is None:
        return None
    axis, fraction, size = settings.refine_ends
    box = gmsh.model.getBoundingBox(-1, -1)
    radius = fraction * (box[axis + 3] - box[axis])
    return 2 * 4 / 3 * np.pi * radius**3, size


def refine_ends(
    gmsh, axis: int, fraction: float, size: float, volumes: list[int] | None = None
) -> list[int]:
    """Size fields for elements of ``size`` in balls at the centres of the two faces of the
    bounding box of ``volumes`` (default: the whole model) across ``axis`` (where an indenter
    and a support plate meet the part), of radius ``fraction`` × the extent along the axis.

    Returns the field tags, for the caller's Min field. Outside a ball the size grows linearly
    back to the mesh's largest size over one more radius: a ball whose outer size is unbounded
    steps straight from its size to the largest, and gmsh's Frontal-Delaunay surface mesher
    then skipped the refinement on the LG M50's can and the volume mesh failed (0.7 mm and
    finer).
    """
    boxes = np.array([gmsh.model.getBoundingBox(3, v) for v in volumes or []]).reshape(-1, 6)
    if not len(boxes):
        boxes = np.array([gmsh.model.getBoundingBox(-1, -1)])
    lo, hi = boxes[:, :3].min(axis=0), boxes[:, 3:].max(axis=0)
    centre = 0.5 * (lo + hi)
    radius = fraction * (hi[axis] - lo[axis])
    largest = gmsh.option.getNumber("Mesh.MeshSizeMax")
    balls = []
    for end in (lo[axis], hi[axis]):
        point = centre.copy()
        point[axis] = end
        tag = gmsh.model.mesh.field.add("Ball")
        for key, value in (("XCenter", point[0]), ("YCenter", point[1]), ("ZCenter", point[2]),
                           ("Radius", radius), ("Thickness", radius), ("VIn", size),
                           ("VOut", max(largest, size))):  # fmt: skip
            gmsh.model.mesh.field.setNumber(tag, key, float(value))
        balls.append(tag)
    return balls


def thin_wall_size(radius: float, thickness: float) -> float:
    """The largest element on a curved wall of ``thickness`` and mid radius ``radius`` whose
    surface triangles sag by at most half the wall.

    A chord h on a circle of radius R lies h²/8R inside it (the sagitta). gmsh meshes the two
    sides of a wall independently, so when a triangle of one side sags by about the wall's
    thickness it crosses the other side's mesh, and the volume mesh fails ("PLC Error: a
    segment and a facet intersect"): on the LG M50's 0.25 mm can from 5 mm elements up (sag
    0.30 mm), not at 4 mm (0.19 mm). Half the wall leaves a factor two: h = √(4 R t).
    """
    return float(np.sqrt(4.0 * radius * thickness))


def _curved_face_fields(gmsh, volumes: dict[str, list[int]], design: CellDesign,
                        size: float) -> list[int]:  # fmt: skip
    """Size fields capping the elements on the cell's cylindrical faces, where the mesh's own
    size is larger: at least three edges around any of them (a 3 mm core hole in 6 mm elements
    got fewer, and gmsh's mesh of it overlapped itself), and on a can's outer face at most
    :func:`thin_wall_size` of its wall.

    Only the can's outer face needs the wall's cap: its triangles sag inwards, towards the
    wall's inner face, while the inner face's sag away from it into the jelly roll. Capping
    both made the default crush mesh of the LG M50 24 % larger (8494 tetrahedra against
    6874), the outer alone 4 %.
    """
    g = design.geometry
    can = set()
    if g.kind == "cylindrical":
        faces = gmsh.model.getBoundary([(3, v) for v in volumes.get("can", [])],
                                       combined=False, oriented=False)  # fmt: skip
        can = {abs(f) for _, f in faces}
    caps: dict[float, list[int]] = {}
    for _, face in gmsh.model.getEntities(2):
        if gmsh.model.getType(2, face) != "Cylinder":
            continue
        lo, hi = gmsh.model.getParametrizationBounds(2, face)
        radius = 1.0 / gmsh.model.getCurvature(2, face, 0.5 * (np.array(lo) + np.array(hi)))[0]
        cap = 2 * np.pi * radius / 3
        if face in can and radius > g.diameter / 2 - g.can_wall_thickness / 2:
            cap = min(cap, thin_wall_size(radius - g.can_wall_thickness / 2, g.can_wall_thickness))
        if cap < size:
            caps.setdefault(round(cap, 9), []).append(face)
    fields = []
    for cap, faces in caps.items():
        tag = gmsh.model.mesh.field.add("Constant")
        gmsh.model.mesh.field.setNumber(tag, "VIn", cap)
        gmsh.model.mesh.field.setNumber(tag, "VOut", 1e22)
        gmsh.model.mesh.field.setNumbers(tag, "SurfacesList", faces)
        fields.append(tag)
    return fields


def _surfaces(gmsh, assembly: Assembly, design: CellDesign) -> dict[str, list[int]]:
    g = design.geometry
    top_z = {"cylindrical": getattr(g, "height", 0), "pouch": getattr(g, "thickness", 0)}.get(
        g.kind, getattr(g, "width", 0)
    )
    groups: dict[str, list[int]] = {
        k: [] for k in ("ambient", "bottom", "top", "side", "positive_terminal",
                        "negative_terminal")
    }  # fmt: skip
    tabs = {name: set(assembly.boundary([name])) for name in TAB_VOLUMES}
    if g.kind == "cylindrical":
        groups["mandrel_surface"] = []
    for tag in assembly.boundary():
        x0, y0, z0, x1, y1, z1 = gmsh.model.getBoundingBox(2, tag)
        if g.kind == "cylindrical" and max(abs(x0), abs(x1), abs(y0), abs(y1)) < (
            g.mandrel_diameter / 2 + _EPS
        ):
            groups["mandrel_surface"].append(tag)
            continue
        groups["ambient"].append(tag)
        if z1 < _EPS:
            groups["bottom"].append(tag)
        elif z0 > top_z - _EPS:
            groups["top"].append(tag)
        else:
            groups["side"].append(tag)
        for name, faces in tabs.items():
            sign = name.split("_")[0]
            if tag in faces and _is_terminal(g, (x0, y0, z0, x1, y1, z1), top_z):
                groups[f"{sign}_terminal"].append(tag)
    if g.kind == "cylindrical":  # the can is the negative terminal, the cap the positive
        groups["negative_terminal"] = list(groups["bottom"])
        groups["positive_terminal"] = list(groups["top"])
    if g.kind != "pouch":
        groups["jelly_roll_can"] = assembly.interface(["jelly_roll"], ["can"])
    return groups


def _is_terminal(g, box, top_z: float) -> bool:
    """A tab face at the far end of the tab: x = length + tab length (pouch) or the lid top."""
    x0, _, z0, _, _, _ = box
    if g.kind == "pouch":
        return x0 > g.length + _EPS
    return z0 > top_z - _EPS
