"""Starting points for a new cell design: format templates with a typical, sourced stack.

A template is a complete, valid design: a housing of a standard format and an electrode stack
taken from a published parameterisation of a commercial cell, so the builder shows capacity,
energy, mass and cost at once and every value can be traced.

- Cylindrical formats are named by the IEC 61960-3 designation (diameter and height in mm:
  18650 = 18.0 × 65.0 mm, 21700 = 21.0 × 70.0 mm, 4680 = 46.0 × 80.0 mm); the wound stack is the
  LG M50's as Chen et al. (2020) measured it, wound as long as the can holds.
- The pouch template is the Kokam SLPB 75106100 as Ecker et al. (2015) parameterised it.
- The prismatic template is the VDA/DIN SPEC 91252 "PHEV2" hard case (148 × 91 × 26.5 mm) with
  two flat wound jelly rolls of the Chen2020 stack.

Can walls, caps, clearances and headspace are the typical constructions of
:mod:`cellwright.projects.design.reference_designs` (marked there as assumptions). A template
keeps the PyBaMM parameter set of its stack (Chen2020, Ecker2015) as the base of the parameters
derived from the design, and names no library cell: its figures are its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cellwright.projects.design.reference_designs import kokam_slpb_75106100, lg_m50
from cellwright.projects.model import (
    CellDesign,
    CylindricalGeometry,
    InputError,
    PrismaticGeometry,
)

__all__ = ["TEMPLATES", "CellTemplate", "new_cell_from_template"]

IEC_61960 = "IEC 61960-3 cell designation (diameter and height in mm)"
DIN_91252 = "DIN SPEC 91252:2011 / VDA prismatic format PHEV2 (148 x 91 x 26.5 mm)"


@dataclass(frozen=True)
class CellTemplate:
    """A named starting point: what it is, where its values come from, and the design."""

    key: str
    title: str
    source: str
    make: Callable[[], CellDesign]


def _cylinder(diameter: float, height: float, headspace: float) -> CellDesign:
    base = lg_m50()
    return base.model_copy(
        update={
            "reference_cell": None,
            "geometry": CylindricalGeometry(
                diameter=diameter,
                height=height,
                headspace=headspace,
                mandrel_diameter=3e-3 if diameter < 30e-3 else 6e-3,
                radial_clearance=0.3e-3,
                can_wall_thickness=0.25e-3 if diameter < 30e-3 else 0.5e-3,
                can_bottom_thickness=0.3e-3 if diameter < 30e-3 else 0.6e-3,
                cap_mass=3e-3 if diameter < 30e-3 else 15e-3,
            ),
        }
    )


def _pouch() -> CellDesign:
    return kokam_slpb_75106100().model_copy(update={"reference_cell": None})


def _prismatic() -> CellDesign:
    base = lg_m50()
    return base.model_copy(
        update={
            "format": "prismatic",
            "reference_cell": None,
            "geometry": PrismaticGeometry(
                length=148e-3, width=91e-3, thickness=26.5e-3, construction="wound",
                jelly_rolls=2, headspace=8e-3,
            ),
        }
    )  # fmt: skip


TEMPLATES: dict[str, CellTemplate] = {
    t.key: t
    for t in (
        CellTemplate(
            "18650", "Cylindrical 18650", f"{IEC_61960}; stack: Chen et al. 2020 (LG M50)",
            lambda: _cylinder(18.0e-3, 65.0e-3, 5.0e-3),
        ),
        CellTemplate(
            "21700", "Cylindrical 21700", f"{IEC_61960}; stack: Chen et al. 2020 (LG M50)",
            lambda: _cylinder(21.0e-3, 70.0e-3, 5.15e-3),
        ),
        CellTemplate(
            "4680", "Cylindrical 4680", f"{IEC_61960}; stack: Chen et al. 2020 (LG M50)",
            lambda: _cylinder(46.0e-3, 80.0e-3, 6.0e-3),
        ),
        CellTemplate(
            "pouch", "Pouch (Kokam SLPB 75106100 size)",
            "Ecker et al. 2015, J. Electrochem. Soc. 162 A1836 (stack and pouch)", _pouch,
        ),
        CellTemplate(
            "prismatic", "Prismatic PHEV2", f"{DIN_91252}; stack: Chen et al. 2020 (LG M50)",
            _prismatic,
        ),
    )
}  # fmt: skip


def new_cell_from_template(key: str, name: str | None = None) -> CellDesign:
    """A new cell design (with a new id) from the template ``key``.

    Raises
    ------
    InputError
        If there is no such template; the message lists the templates.
    """
    template = TEMPLATES.get(key)
    if template is None:
        raise InputError(f"template: no template {key!r} (templates: {', '.join(TEMPLATES)})")
    design = template.make()
    data = design.model_dump(exclude={"id"})
    data.update(
        name=name or f"New {template.title} cell", notes=f"From template: {template.source}"
    )
    return CellDesign.model_validate(data)
