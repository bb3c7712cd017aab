"""Where the electrode stack goes in a cell: coated areas, housing parts, envelope.

Each format turns its geometry into a :class:`CellLayout`; impossible geometry (no room for the
jelly roll, a stack thicker than the pouch, a stated jelly roll longer than the can holds) is
refused here with an :class:`~cellwright.projects.model.InputError` naming the field, before
anything is computed from it or meshed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cellwright.projects.design import winding
from cellwright.projects.model import CellDesign, CylindricalGeometry, InputError, Tab

__all__ = ["CellLayout", "Part", "Stack", "cell_layout"]


@dataclass(frozen=True)
class Stack:
    """Thicknesses of the layers that repeat in a wound or stacked cell [m]."""

    positive_coating: float
    positive_sides: int
    positive_collector: float
    negative_coating: float
    negative_sides: int
    negative_collector: float
    separator: float
    overhang: float

    @classmethod
    def of(cls, design: CellDesign) -> Stack:
        """The stack of ``design`` (both electrodes must be set)."""
        pos, neg = design.positive, design.negative
        if pos is None or neg is None:
            missing = " and ".join(n for n, e in (("positive", pos), ("negative", neg)) if not e)
            raise InputError(f"{missing}: the electrode is not set", design.name)
        return cls(
            pos.coating_thickness,
            pos.coated_sides,
            pos.collector_thickness,
            neg.coating_thickness,
            neg.coated_sides,
            neg.collector_thickness,
            design.separator_thickness,
            design.negative_overhang,
        )

    @property
    def wound_repeat(self) -> float:
        """Thickness of one turn: both electrodes and two separators."""
        return (
            self.positive_sides * self.positive_coating
            + self.positive_collector
            + self.negative_sides * self.negative_coating
            + self.negative_collector
            + 2.0 * self.separator
        )


@dataclass
class Part:
    """A solid part of the housing (can, cap, laminate, tab) and the field naming its material."""

    name: str
    material: str
    field: str
    volume: float
    mass: float | None = None
    inside: bool = True


@dataclass
class CellLayout:
    """Areas of the electrode stack and the housing of one cell.

    ``positive_area`` is the coated area of all positive faces together (what PyBaMM calls
    electrode height × width); foil areas are sheet areas counted once.
    """

    positive_area: float
    negative_area: float
    separator_area: float
    positive_foil_area: float
    negative_foil_area: float
    electrode_height: float
    envelope_volume: float
    parts: list[Part]
    facts: dict[str, tuple[float, str]] = field(default_factory=dict)


def cell_layout(design: CellDesign) -> CellLayout:
    """The layout of ``design`` from its geometry (which must be set)."""
    from cellwright.projects.design.cell_layout_flat import pouch_layout, prismatic_layout

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


def refuse(design: CellDesign, field: str, message: str) -> InputError:
    """An InputError about ``geometry.<field>`` of ``design``."""
    return InputError(f"geometry.{field}: {message}", design.name)


def wound_areas(length: float, height: float, stack: Stack) -> dict[str, float]:
    """Coated, separator and foil areas of a wound stack of ``length`` and coated ``height``.

    The negative extends ``overhang`` beyond the positive on every edge.
    """
    o = stack.overhang
    neg_sheet = (length + 2 * o) * (height + 2 * o)
    return {
        "positive_area": stack.positive_sides * length * height,
        "negative_area": stack.negative_sides * neg_sheet,
        "separator_area": 2.0 * neg_sheet,
        "positive_foil_area": length * height,
        "negative_foil_area": neg_sheet,
    }


def tab_parts(geometry, inside: bool) -> list[Part]:
    """The positive and negative tabs as parts."""
    parts = []
    for sign in ("positive", "negative"):
        tab: Tab = getattr(geometry, f"{sign}_tab")
        volume = tab.width * tab.thickness * tab.length
        where = f"geometry.{sign}_tab"
        parts.append(Part(f"{sign} tab", tab.material, where, volume, None, inside))
    return parts


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
