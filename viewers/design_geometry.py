"""Cells and packs as pyvista surfaces for the builder's 3D preview (no Qt, no meshing).

A preview needs shapes, not a mesh: every part is a closed surface built directly from the builder's
layouts (:func:`cellwright.projects.design.pack_layout`, the cell geometry) with numpy, so a 96s4p
pack (384 cells, plate, channels, busbars) is drawn as a handful of merged ``PolyData`` — one actor
per kind of part — in a few milliseconds. Lengths are in millimetres so the preview reads like a
drawing. gmsh is never involved (that is ``engines.mesh``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cellwright.projects.design import Box, cell_box, cell_summary_for, pack_layout
from cellwright.projects.model import CellDesign, CellFormat, DesignSnapshot, InputError, PackDesign

__all__ = ["GROUP", "boxes_polydata", "cell_parts", "design_parts", "pack_parts", "replicate"]

MM = 1e3
GROUP = "series group"  # cell-data array on the pack's cells: which series group each cell is in

# the 6 quads of a unit box, corners numbered x + 2y + 4z
_BOX_FACES = np.array(
    [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]]
)
_UNIT_CORNERS = np.array([[i & 1, (i >> 1) & 1, (i >> 2) & 1] for i in range(8)], dtype=float)


def boxes_polydata(boxes: Sequence[Box | tuple[float, ...]], scale: float = MM):
    """One ``PolyData`` of many axis-aligned boxes ``(x0, y0, z0, dx, dy, dz)`` [m]."""
    import pyvista as pv

    b = np.array([astuple(box) for box in boxes], dtype=float).reshape(-1, 6) * scale
    points = b[:, None, :3] + _UNIT_CORNERS[None] * b[:, None, 3:]
    faces = _BOX_FACES[None] + 8 * np.arange(len(b))[:, None, None]
    cells = np.concatenate([np.full((*faces.shape[:2], 1), 4), faces], axis=2)
    return pv.PolyData(points.reshape(-1, 3), cells.ravel())


def astuple(box: Box | tuple[float, ...]) -> tuple[float, ...]:
    """``(x0, y0, z0, dx, dy, dz)`` of a box."""
    if isinstance(box, Box):
        return (box.x0, box.y0, box.z0, box.dx, box.dy, box.dz)
    return tuple(box)


def replicate(template, offsets: np.ndarray):
    """``template`` copied to every row of ``offsets`` (n × 3), merged into one ``PolyData``.

    Faces are renumbered with numpy; this is what keeps hundreds of cells one actor.
    """
    import pyvista as pv

    template = template.triangulate()
    n = len(offsets)
    points = template.points[None] + np.asarray(offsets, dtype=float)[:, None, :]
    tri = template.faces.reshape(-1, 4)[:, 1:]
    faces = tri[None] + template.n_points * np.arange(n)[:, None, None]
    cells = np.concatenate([np.full((*faces.shape[:2], 1), 3), faces], axis=2)
    merged = pv.PolyData(points.reshape(-1, 3), cells.ravel())
    merged.cell_data["copy"] = np.repeat(np.arange(n), len(tri))
    return merged


def _cylinder(diameter: float, height: float, axis: str = "z", resolution: int = 24):
    import pyvista as pv

    direction = {"x": (1, 0, 0), "y": (0, 1, 0), "z": (0, 0, 1)}[axis]
    centre = tuple(height / 2 if a == axis else 0.0 for a in "xyz")
    return pv.Cylinder(
        center=centre, direction=direction, radius=diameter / 2, height=height,
        resolution=resolution,
    )  # fmt: skip


def pack_parts(pack: PackDesign, snapshot: DesignSnapshot) -> dict:
    """The pack's parts: ``cells`` (with a :data:`GROUP` array), plate, channels, interface,
    busbars, enclosure — whichever the design has — as ``name -> PolyData`` [mm]."""
    summary, _ = cell_summary_for(snapshot)
    layout = pack_layout(pack, cell_box(summary, pack))
    size = np.array(layout.cell.size) * MM
    corners = np.array(layout.cells, dtype=float).reshape(-1, 3) * MM
    if layout.cell.format == CellFormat.CYLINDRICAL:
        along = "xyz".index(layout.cell.axis)
        diameter = size[(along + 1) % 3]
        template = _cylinder(diameter, size[along], layout.cell.axis)
        centre_offset = size / 2
        centre_offset[along] = 0.0
        cells = replicate(template, corners + centre_offset)
    else:
        cells = replicate(boxes_polydata([(0, 0, 0, *size)], 1.0), corners)
    group_of = np.zeros(len(corners), dtype=int)
    for k, group in enumerate(layout.groups):
        group_of[group] = k
    cells.cell_data[GROUP] = group_of[cells.cell_data["copy"]]
    parts = {"cells": cells}
    if layout.plate is not None:
        parts["cooling plate"] = boxes_polydata([layout.plate])
    if layout.channels:
        parts["channels"] = boxes_polydata(layout.channels)
    if layout.interface is not None:
        parts["thermal interface"] = boxes_polydata([layout.interface])
    if layout.busbars:
        parts["busbars"] = boxes_polydata(layout.busbars)
    if pack.enclosure is not None and layout.bounding is not None:
        parts["enclosure"] = boxes_polydata([_enclosure_box(pack.enclosure, layout.bounding)])
    return parts


def _enclosure_box(enclosure, bounding) -> tuple[float, ...]:
    """The enclosure's outer box, centred on the laid-out pack (its walls outside the room)."""
    wall = enclosure.wall_thickness
    inner = (enclosure.length, enclosure.width, enclosure.height)
    start = [b0 + (span - room) / 2 - wall for b0, span, room in zip(
        (bounding.x0, bounding.y0, bounding.z0), (bounding.dx, bounding.dy, bounding.dz), inner,
        strict=True,
    )]  # fmt: skip
    return (*start, *(room + 2 * wall for room in inner))


def cell_parts(snapshot: DesignSnapshot) -> dict:
    """The cell's parts as ``name -> PolyData`` [mm]: housing, electrode stack, tabs.

    Without a geometry the preview is the reference cell's envelope (``housing``) only.
    """
    design = snapshot.cell
    g = design.geometry
    if g is None:
        summary, _ = cell_summary_for(snapshot)
        if summary.format == CellFormat.CYLINDRICAL:
            return {"housing": _cylinder(summary.dims[0] * MM, summary.dims[1] * MM)}
        length, width, thickness = (d * MM for d in summary.dims)
        return {"housing": boxes_polydata([(0, 0, 0, length, thickness, width)], 1.0)}
    if g.kind == "cylindrical":
        return _cylindrical_parts(design)
    if g.kind == "pouch":
        return _pouch_parts(g)
    return _prismatic_parts(g)


def _cylindrical_parts(design: CellDesign) -> dict:
    g = design.geometry
    roll_d = g.diameter - 2 * (g.can_wall_thickness + g.radial_clearance)
    roll_h = g.height - g.headspace
    try:
        from cellwright.projects.design.cell_layout import cell_layout

        roll_d = cell_layout(design).facts["Jelly roll outer diameter"][0]
    except InputError:  # an impossible cell is still drawn; the figures panel says why
        pass
    z_roll = (g.can_bottom_thickness + g.bottom_gap) * MM
    roll = _cylinder(roll_d * MM, roll_h * MM).translate((0, 0, z_roll))
    tab = g.positive_tab
    top = (g.height - g.cap_thickness - tab.length) * MM
    return {
        "housing": _cylinder(g.diameter * MM, g.height * MM, resolution=48),
        "electrode stack": roll,
        "tabs": boxes_polydata(
            [(-tab.width / 2, -tab.thickness / 2, top / MM, tab.width, tab.thickness, tab.length)]
        ),
    }


def _pouch_parts(g) -> dict:
    seal = g.seal_width
    tabs = []
    for k, tab in enumerate((g.positive_tab, g.negative_tab)):
        y = g.width * (0.25 + 0.5 * k) - tab.width / 2
        tabs.append((g.length, y, g.thickness / 2 - tab.thickness / 2, tab.length, tab.width,
                     tab.thickness))  # fmt: skip
    skin = g.laminate_thickness
    stack = (seal, seal, skin, g.length - 2 * seal, g.width - 2 * seal, g.thickness - 2 * skin)
    return {
        "housing": boxes_polydata([(0, 0, 0, g.length, g.width, g.thickness)]),
        "electrode stack": boxes_polydata([stack]),
        "tabs": boxes_polydata(tabs),
    }


def _prismatic_parts(g) -> dict:
    wall = g.can_wall_thickness
    terminals = []
    for k, tab in enumerate((g.positive_tab, g.negative_tab)):
        x = g.length * (0.25 + 0.5 * k) - tab.width / 2
        terminals.append((x, g.thickness / 4, g.width, tab.width, g.thickness / 2, tab.length))
    inner = (wall, wall, wall, g.length - 2 * wall, g.thickness - 2 * wall,
             g.width - g.headspace - wall)  # fmt: skip
    return {
        "housing": boxes_polydata([(0, 0, 0, g.length, g.thickness, g.width)]),
        "electrode stack": boxes_polydata([inner]),
        "tabs": boxes_polydata(terminals),
    }


def design_parts(design: CellDesign | PackDesign, snapshot: DesignSnapshot) -> dict:
    """The preview parts of a cell or pack design (raises InputError for impossible packs)."""
    if isinstance(design, PackDesign):
        return pack_parts(design, snapshot)
    return cell_parts(snapshot)
