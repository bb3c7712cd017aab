"""The pieces every cell layout is made of: the electrode stack, housing parts, the layout.

:mod:`cellwright.projects.design.cell_layout` (cylindrical) and
:mod:`cellwright.projects.design.cell_layout_flat` (pouch, prismatic) build on these; keeping them
here lets both import them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cellwright.projects.model import CellDesign, InputError, Tab

__all__ = ["CellLayout", "Part", "Stack", "refuse", "tab_parts", "wound_areas"]


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
