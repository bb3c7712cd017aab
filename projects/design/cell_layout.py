"""Where the electrode stack goes in a cell: coated areas, housing parts, envelope.

Each format turns its geometry into a :class:`CellLayout`; impossible geometry (no room for the
jelly roll, a stack thicker than the pouch, a stated jelly roll longer than the can holds) is
refused here with an :class:`~cellwright.projects.model.InputError` naming the field, before
anything is computed from it or meshed.
"""

from __future__ import annotations

import math

from cellwright.projects.design import winding
from cellwright.projects.design.cell_layout_flat import pouch_layout, prismatic_layout
from cellwright.projects.design.cell_layout_parts import (
    CellLayout,
    Part,
    Stack,
    refuse,
    tab_parts,
    wound_areas,
)
from cellwright.projects.model import CellDesign, CylindricalGeometry, InputError

__all__ = ["CellLayout", "Part", "Stack", "cell_layout", "cylindrical_layout"]


def cell_layout(design: CellDesign) -> CellLayout:
    """The layout of ``design`` from its geometry (which must be set)."""
    geometry = design.geometry
    if geometry is None:
        raise InputError(
            "geometry: not set; give the can, pouch or case dimensions to derive figures",
            design.name,
        )
    stack = Stack.of(design)
    if geometry.kind == "cylindrical":
        return cylindrical_layout(design, geometry, stack)
    if geometry.kind == "pouch":
        return pouch_layout(design, geometry, stack)
    return prismatic_layout(design, geometry, stack)


def cylindrical_layout(design: CellDesign, g: CylindricalGeometry, stack: Stack) -> CellLayout:
    """A round jelly roll between mandrel and can wall (see
    :mod:`cellwright.projects.design.winding`)."""
    r_can = g.diameter / 2 - g.can_wall_thickness
    if r_can <= 0:
        raise refuse(design, "can_wall_thickness", "the walls fill the whole diameter")
    r_out, r_in = r_can - g.radial_clearance, g.mandrel_diameter / 2
    if r_out <= r_in + stack.wound_repeat:
        raise refuse(
            design,
            "mandrel_diameter",
            f"no room for one turn of the {stack.wound_repeat * 1e6:.0f} um stack between the "
            f"mandrel (r = {r_in * 1e3:.2f} mm) and the can wall less the radial_clearance "
            f"(r = {r_out * 1e3:.2f} mm)",
        )
    fixed = g.can_bottom_thickness + g.bottom_gap + g.cap_thickness
    if g.headspace <= fixed:
        raise refuse(
            design,
            "headspace",
            f"{g.headspace * 1e3:.2f} mm cannot hold the can bottom, bottom gap and cap "
            f"({fixed * 1e3:.2f} mm together) with room for the positive tab",
        )
    roll_height = g.height - g.headspace
    coated_height = roll_height - 2 * stack.overhang
    if coated_height <= 0:
        raise refuse(design, "headspace", f"leaves no height for the jelly roll in {g.height} m")
    capacity_length = winding.spiral_length(r_in, r_out, stack.wound_repeat)
    length = capacity_length - 2 * stack.overhang
    if g.jelly_roll_length is not None:
        if g.jelly_roll_length > length:
            raise refuse(
                design,
                "jelly_roll_length",
                f"{g.jelly_roll_length:.3f} m is longer than the can holds ({length:.3f} m "
                f"between mandrel and wall with this {stack.wound_repeat * 1e6:.0f} um stack)",
            )
        length = g.jelly_roll_length
        r_out = winding.spiral_outer_radius(r_in, length + 2 * stack.overhang, stack.wound_repeat)
    wall_volume = math.pi * (g.diameter**2 / 4 - r_can**2) * g.height
    parts = [
        Part(
            "can", g.can_material, "geometry.can_material",
            wall_volume + math.pi * r_can**2 * g.can_bottom_thickness,
        ),
        Part(
            "cap assembly", g.can_material, "geometry.cap_mass",
            math.pi * r_can**2 * g.cap_thickness, g.cap_mass,
        ),
        *tab_parts(g, inside=True),
    ]  # fmt: skip
    layout = CellLayout(
        **wound_areas(length, coated_height, stack),
        electrode_height=coated_height,
        envelope_volume=math.pi * g.diameter**2 / 4 * g.height,
        parts=parts,
    )
    layout.facts = {
        "Jelly roll length": (length, "m"),
        "Jelly roll turns": (winding.spiral_turns(r_in, r_out, stack.wound_repeat), "1"),
        "Jelly roll outer diameter": (2 * r_out, "m"),
        "Jelly roll height": (roll_height, "m"),
        "Winding stack thickness": (stack.wound_repeat, "m"),
    }
    return layout
