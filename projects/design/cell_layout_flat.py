"""Layouts of flat cells: stacked pouch cells and wound or stacked prismatic cells."""

from __future__ import annotations

from cellwright.projects.design import winding
from cellwright.projects.design.cell_layout_parts import (
    CellLayout,
    Part,
    Stack,
    refuse,
    tab_parts,
    wound_areas,
)
from cellwright.projects.model import CellDesign, PouchGeometry, PrismaticGeometry

__all__ = ["pouch_layout", "prismatic_layout", "stacked_areas"]


def stacked_areas(
    layers: int, length: float, width: float, stack: Stack, outer_single: bool
) -> tuple[dict[str, float], float]:
    """Areas of ``layers`` positive sheets of ``length`` × ``width`` between negative sheets.

    There is one more negative sheet than positive sheets, so both faces of every positive
    face a negative; returns the areas and the stack thickness.
    """
    o = stack.overhang
    pos_sheet, neg_sheet = length * width, (length + 2 * o) * (width + 2 * o)
    neg_faces = (layers + 1) * stack.negative_sides
    if outer_single and stack.negative_sides == 2:
        neg_faces -= 2
    separators = 2 * layers
    thickness = (
        layers * (stack.positive_sides * stack.positive_coating + stack.positive_collector)
        + neg_faces * stack.negative_coating
        + (layers + 1) * stack.negative_collector
        + separators * stack.separator
    )
    areas = {
        "positive_area": layers * stack.positive_sides * pos_sheet,
        "negative_area": neg_faces * neg_sheet,
        "separator_area": separators * neg_sheet,
        "positive_foil_area": layers * pos_sheet,
        "negative_foil_area": (layers + 1) * neg_sheet,
    }
    return areas, thickness


def pouch_layout(design: CellDesign, g: PouchGeometry, stack: Stack) -> CellLayout:
    """A stack in a laminate pouch sealed on four sides; tabs stick out beyond ``length``."""
    for name, size, room in (
        ("electrode_length", g.electrode_length, g.length - 2 * g.seal_width),
        ("electrode_width", g.electrode_width, g.width - 2 * g.seal_width),
    ):
        if size + 2 * stack.overhang > room + 1e-12:
            raise refuse(
                design,
                name,
                f"{size * 1e3:.1f} mm plus 2 x {stack.overhang * 1e3:.1f} mm negative overhang "
                f"does not fit the {room * 1e3:.1f} mm inside the seals",
            )
    areas, thickness = stacked_areas(
        g.cathode_layers, g.electrode_length, g.electrode_width, stack,
        g.outer_negatives_single_sided,
    )  # fmt: skip
    room = g.thickness - 2 * g.laminate_thickness
    if thickness > room:
        raise refuse(
            design,
            "cathode_layers",
            f"{g.cathode_layers} layers make a {thickness * 1e3:.2f} mm stack; the pouch holds "
            f"{room * 1e3:.2f} mm inside its laminate",
        )
    laminate_area = 2 * g.length * g.width + 2 * (g.length + g.width) * g.thickness
    parts = [
        Part(
            "pouch laminate", g.laminate_material, "geometry.laminate_material",
            laminate_area * g.laminate_thickness,
        ),
        *tab_parts(g, inside=False),
    ]  # fmt: skip
    layout = CellLayout(
        **areas,
        electrode_height=g.electrode_width,
        envelope_volume=g.length * g.width * g.thickness,
        parts=parts,
    )
    layout.facts = {
        "Positive sheets": (float(g.cathode_layers), "1"),
        "Stack thickness": (thickness, "m"),
        "Free thickness": (room - thickness, "m"),
    }
    return layout


def prismatic_layout(design: CellDesign, g: PrismaticGeometry, stack: Stack) -> CellLayout:
    """Flat jelly rolls or a stack standing in an aluminium can below the lid (headspace)."""
    wall = g.can_wall_thickness
    inner_length = g.length - 2 * wall - 2 * g.clearance
    inner_thickness = g.thickness - 2 * wall - 2 * g.clearance
    roll_height = g.width - wall - g.headspace
    for name, size in (
        ("can_wall_thickness", min(inner_length, inner_thickness)),
        ("headspace", roll_height),
    ):
        if size <= 0:
            raise refuse(design, name, "leaves no room for the electrodes inside the can")
    coated_height = roll_height - 2 * stack.overhang
    if g.construction == "wound":
        areas, facts = _flat_rolls(design, g, stack, inner_length, inner_thickness, coated_height)
    else:
        layers = g.cathode_layers or 0
        length = inner_length - 2 * stack.overhang
        areas, thickness = stacked_areas(layers, length, coated_height, stack, False)
        if thickness > inner_thickness:
            raise refuse(
                design,
                "cathode_layers",
                f"{layers} layers make a {thickness * 1e3:.2f} mm stack; the can holds "
                f"{inner_thickness * 1e3:.2f} mm",
            )
        facts = {"Positive sheets": (float(layers), "1"), "Stack thickness": (thickness, "m"),
                 "Free thickness": (inner_thickness - thickness, "m")}  # fmt: skip
    outer = g.length * g.thickness * g.width
    cavity = (g.length - 2 * wall) * (g.thickness - 2 * wall) * (g.width - wall)
    lid_region = (g.length - 2 * wall) * (g.thickness - 2 * wall) * g.headspace
    parts = [
        Part("can", g.can_material, "geometry.can_material", outer - cavity),
        Part("lid assembly", g.can_material, "geometry.cap_mass", lid_region, g.cap_mass),
        *tab_parts(g, inside=True),
    ]
    layout = CellLayout(**areas, electrode_height=coated_height, envelope_volume=outer, parts=parts)
    layout.facts = facts
    return layout


def _flat_rolls(design, g: PrismaticGeometry, stack: Stack, length, thickness, height):
    roll_thickness = thickness / g.jelly_rolls
    straight = length - roll_thickness
    turns = winding.flat_roll_turns(roll_thickness, g.core_thickness, stack.wound_repeat)
    if turns < 1 or straight <= 0:
        raise refuse(
            design,
            "jelly_rolls",
            f"{g.jelly_rolls} roll(s) of {roll_thickness * 1e3:.2f} mm leave room for "
            f"{turns:.2f} turns of the {stack.wound_repeat * 1e6:.0f} um stack (need >= 1)",
        )
    per_roll = winding.flat_roll_length(straight, g.core_thickness, stack.wound_repeat, turns)
    wound = g.jelly_rolls * per_roll - 2 * stack.overhang * g.jelly_rolls
    facts = {
        "Jelly roll length": (wound, "m"),
        "Jelly roll turns": (turns, "1"),
        "Winding stack thickness": (stack.wound_repeat, "m"),
    }
    return wound_areas(wound, height, stack), facts
