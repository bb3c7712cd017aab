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

from cellwright.engines.mesh.cell_model import build_cell
from cellwright.engines.mesh.extract import MeshQuality, extract_mesh
from cellwright.engines.mesh.session import Assembly, MeshSettings, gmsh_session
from cellwright.projects.design.cell_layout import cell_layout
from cellwright.projects.model import CellDesign, InputError, MeshData

__all__ = ["CELL_VOLUMES", "TAB_VOLUMES", "CellMesh", "default_cell_size", "mesh_cell"]

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
        if settings.refine_ends is not None:  # where the indenter meets the body, not the tabs
            body = [t for name, tags in volumes.items() if name not in TAB_VOLUMES for t in tags]
            refine_ends(gmsh, *settings.refine_ends, volumes=body)
        gmsh.model.mesh.generate(3)
        mesh, quality = extract_mesh(gmsh, volumes, surfaces)
    quality.wall_time = time.perf_counter() - start
    quality.options = options
    return CellMesh(mesh, quality)


def refine_ends(
    gmsh, axis: int, fraction: float, size: float, volumes: list[int] | None = None
) -> None:
    """Finer elements of ``size`` in balls at the centres of the two faces of the bounding box
    of ``volumes`` (default: the whole model) across ``axis`` (where an indenter and a support
    plate meet the part), of radius ``fraction`` × the extent along the axis, growing back over
    one more radius.

    gmsh takes the smallest of the background field and its other size constraints
    (gmsh reference manual, "Specifying mesh element sizes": Ball and Min fields).
    """
    boxes = np.array([gmsh.model.getBoundingBox(3, v) for v in volumes or []]).reshape(-1, 6)
    if not len(boxes):
        boxes = np.array([gmsh.model.getBoundingBox(-1, -1)])
    lo, hi = boxes[:, :3].min(axis=0), boxes[:, 3:].max(axis=0)
    centre = 0.5 * (lo + hi)
    radius = fraction * (hi[axis] - lo[axis])
    balls = []
    for end in (lo[axis], hi[axis]):
        point = centre.copy()
        point[axis] = end
        tag = gmsh.model.mesh.field.add("Ball")
        for key, value in (("XCenter", point[0]), ("YCenter", point[1]), ("ZCenter", point[2]),
                           ("Radius", radius), ("Thickness", radius), ("VIn", size),
                           ("VOut", 1e22)):  # fmt: skip
            gmsh.model.mesh.field.setNumber(tag, key, float(value))
        balls.append(tag)
    smallest = gmsh.model.mesh.field.add("Min")
    gmsh.model.mesh.field.setNumbers(smallest, "FieldsList", balls)
    gmsh.model.mesh.field.setAsBackgroundMesh(smallest)


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
