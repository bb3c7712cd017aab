"""gmsh solid models of single cells with the volumes and faces a thermal engine needs.

Frames: a cylindrical cell stands on z = 0 with its axis on z; a pouch cell spans
[0, length] × [0, width] × [0, thickness] with tabs leaving at x = length; a prismatic cell spans
[0, length] × [0, thickness] × [0, width] with its terminals on top (z = width).

Volumes: ``jelly_roll`` (the wound or stacked electrodes, homogenised), ``can`` / ``pouch``,
``cap`` / ``lid``, ``headspace`` (gas gaps of a cylindrical cell), ``positive_tab``,
``negative_tab``. The jelly roll is meshed out to the can wall: the radial clearance holds outer
separator wraps and tape that conduct heat, and a 0.1 mm gas film would only spoil the mesh. A
pouch's laminate is lumped into its stack through the thickness (it is 0.1 mm thick).
"""

from __future__ import annotations

from typing import Any

from cellwright.engines.mesh.session import Assembly
from cellwright.projects.model import (
    CellDesign,
    CylindricalGeometry,
    PouchGeometry,
    PrismaticGeometry,
)

__all__ = ["add_jelly_roll", "build_cell", "roll_extent"]


def build_cell(gmsh: Any, design: CellDesign) -> Assembly:
    """Add the parts of ``design`` (which has a geometry) to the gmsh model."""
    assembly = Assembly(gmsh)
    g = design.geometry
    if isinstance(g, CylindricalGeometry):
        _cylindrical(assembly, g)
    elif isinstance(g, PouchGeometry):
        _pouch(assembly, g, design.negative_overhang)
    elif isinstance(g, PrismaticGeometry):
        _prismatic(assembly, g)
    return assembly


def roll_extent(g: CylindricalGeometry) -> tuple[float, float, float, float]:
    """The jelly roll of a cylindrical cell: bottom z, top z, outer and inner radius [m]."""
    z0 = g.can_bottom_thickness + g.bottom_gap
    r_can = g.diameter / 2 - g.can_wall_thickness
    return z0, z0 + g.height - g.headspace, r_can, g.mandrel_diameter / 2


def add_jelly_roll(a: Assembly, g: CylindricalGeometry) -> None:
    """Add a cylindrical cell's jelly roll (a cylinder, hollow round its mandrel hole)."""
    occ = a.occ
    z0, roll_top, r_can, r_in = roll_extent(g)
    roll = occ.addCylinder(0, 0, z0, 0, 0, roll_top - z0, r_can)
    if r_in > 0:
        hole = occ.addCylinder(0, 0, z0, 0, 0, roll_top - z0, r_in)
        cut, _ = occ.cut([(3, roll)], [(3, hole)])
        a.add("jelly_roll", cut)
    else:
        a.add("jelly_roll", roll)


def _cylindrical(a: Assembly, g: CylindricalGeometry) -> None:
    occ = a.occ
    radius, height = g.diameter / 2, g.height
    r_can = radius - g.can_wall_thickness
    outer = occ.addCylinder(0, 0, 0, 0, 0, height, radius)
    cavity = occ.addCylinder(0, 0, g.can_bottom_thickness, 0, 0, height, r_can)
    can, _ = occ.cut([(3, outer)], [(3, cavity)])
    a.add("can", can)
    a.add("cap", occ.addCylinder(0, 0, height - g.cap_thickness, 0, 0, g.cap_thickness, r_can))
    add_jelly_roll(a, g)
    z0, roll_top, _, r_in = roll_extent(g)
    cap_bottom = height - g.cap_thickness
    a.add("headspace", occ.addCylinder(0, 0, g.can_bottom_thickness, 0, 0, g.bottom_gap, r_can))
    a.add("headspace", occ.addCylinder(0, 0, roll_top, 0, 0, cap_bottom - roll_top, r_can))
    x_tab = (r_in + r_can) / 2
    for name, tab, lo, hi in (
        ("positive_tab", g.positive_tab, roll_top, cap_bottom),
        ("negative_tab", g.negative_tab, g.can_bottom_thickness, z0),
    ):
        box = occ.addBox(
            x_tab - tab.width / 2, -tab.thickness / 2, lo, tab.width, tab.thickness, hi - lo
        )
        a.add(name, box)


def _pouch(a: Assembly, g: PouchGeometry, overhang: float) -> None:
    occ = a.occ
    sx, sy = g.electrode_length + 2 * overhang, g.electrode_width + 2 * overhang
    x0, y0 = (g.length - sx) / 2, (g.width - sy) / 2
    envelope = occ.addBox(0, 0, 0, g.length, g.width, g.thickness)
    stack = occ.addBox(x0, y0, 0, sx, sy, g.thickness)
    frame, _ = occ.cut([(3, envelope)], [(3, stack)], removeTool=False)
    a.add("pouch", frame)
    a.add("jelly_roll", stack)
    for name, tab, yc in (
        ("positive_tab", g.positive_tab, g.width / 4),
        ("negative_tab", g.negative_tab, 3 * g.width / 4),
    ):
        start = x0 + sx
        box = occ.addBox(
            start,
            yc - tab.width / 2,
            g.thickness / 2 - tab.thickness / 2,
            g.length + tab.length - start,
            tab.width,
            tab.thickness,
        )
        a.add(name, box)


def _prismatic(a: Assembly, g: PrismaticGeometry) -> None:
    occ = a.occ
    wall, top = g.can_wall_thickness, g.width
    outer = occ.addBox(0, 0, 0, g.length, g.thickness, top)
    inner = (wall, wall, wall, g.length - 2 * wall, g.thickness - 2 * wall, top - wall)
    cavity = occ.addBox(*inner)
    can, _ = occ.cut([(3, outer)], [(3, cavity)])
    a.add("can", can)
    lid_z = top - g.headspace
    a.add("lid", occ.addBox(wall, wall, lid_z, inner[3], inner[4], g.headspace))
    roll_thickness = inner[4] / g.jelly_rolls
    for k in range(g.jelly_rolls):
        y = wall + k * roll_thickness
        a.add("jelly_roll", occ.addBox(wall, y, wall, inner[3], roll_thickness, lid_z - wall))
    for name, tab, xc in (
        ("positive_tab", g.positive_tab, g.length / 4),
        ("negative_tab", g.negative_tab, 3 * g.length / 4),
    ):
        y = g.thickness / 2 - tab.thickness / 2
        a.add(name, occ.addBox(xc - tab.width / 2, y, lid_z, tab.width, tab.thickness, g.headspace))
