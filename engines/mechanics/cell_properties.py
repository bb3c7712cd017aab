"""Elastic properties of a cell design from its layer unit and the library.

The jelly roll (wound or stacked electrodes) is homogenised from its repeating layer unit —
positive collector, positive coatings, two separators, negative coatings, negative collector —
by Backus averaging (:func:`cellwright.engines.mechanics.materials.layered_stiffness`), the exact
long-wave limit of a layered solid; axis 1 is the layer normal (radial in a wound cylinder).

At pack scale a cylindrical cell is one homogenised volume. Along its axis the roll and the can
act in parallel: the axial modulus is the one that gives the cell's bending stiffness EI =
E_roll I_roll + E_can I_can (a cell on a plate vibrates as a short cantilever), the axial shear
moduli add by cross-section area, and the can's wall adds to the hoop stiffness by its share of
the radius; across the layers (radially) the stack is in series with a thin wall and stays as it
is. Flat cells (pouch, prismatic) keep the stack's constants: a pouch has no can, and a
prismatic cell's can is meshed as its own wall around them
(:mod:`cellwright.engines.mesh.packs`), since no single homogenised solid carries both the
stack's crushing and the walls' load along their planes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cellwright.engines.mechanics.materials import (
    engineering_constants,
    layered_stiffness,
    orthotropic_stiffness,
)
from cellwright.projects.design import cell_figures
from cellwright.projects.design.cell_figures import CellFigures
from cellwright.projects.model import CellDesign, DesignSnapshot, InputError, Material

__all__ = ["CellMechanics", "cell_mechanics", "elastic_constants", "homogenised_cell_stiffness"]

#: the housing's entries in the cell calculator's mass breakdown (not the stack's: a pouch's
#: laminate is the margin region's mass, setup._cell, not the roll's)
_HOUSING = ("can", "pouch laminate", "cap assembly", "lid assembly")


@dataclass(frozen=True)
class CellMechanics:
    """The stack's Voigt stiffness (axis 1 = layer normal), masses [kg] and the housing."""

    roll_stiffness: np.ndarray
    roll_mass: float
    cell_mass: float
    housing_material: str
    housing_field: str
    figures: CellFigures


def elastic_constants(
    materials: Mapping[str, Material], material_id: str | None, where: str
) -> tuple[float, float, float]:
    """(Young's modulus, Poisson ratio, density) of a library material.

    Raises
    ------
    InputError
        Naming the field and the material that lacks one of them.
    """
    if material_id is None:
        raise InputError(
            "the design names no material; choose one (the mechanics engines need "
            "its elastic constants)",
            where,
        )
    if material_id not in materials:
        raise InputError(f"material {material_id!r} is not in the snapshot", where)
    mat = materials[material_id]
    values = []
    for prop in ("youngs_modulus", "poisson_ratio", "density"):
        v = mat.value(prop)
        if v is None:
            raise InputError(
                f"material {material_id!r} has no {prop}; the mechanics engines need "
                "it (add it to the material or to a project override)",
                where,
            )
        values.append(float(v))
    return values[0], values[1], values[2]


def cell_mechanics(design: CellDesign, snapshot: DesignSnapshot) -> CellMechanics:
    """Homogenised stack stiffness and the masses of ``design`` (with geometry and electrodes).

    Raises
    ------
    InputError
        Naming the field or material that lacks what the model needs.
    """
    if design.positive is None or design.negative is None or design.geometry is None:
        raise InputError(
            "geometry: the mechanics engines need a cell design with geometry and both electrodes",
            design.name,
        )
    mats = snapshot.materials
    pos, neg = design.positive, design.negative

    def layer(material_id, thickness, where):
        e, nu, _ = elastic_constants(mats, material_id, where)
        return thickness, e, nu

    layers = [
        layer(pos.current_collector, pos.collector_thickness, "positive.current_collector"),
        layer(pos.active_material, pos.coated_sides * pos.coating_thickness,
              "positive.active_material"),
        layer(design.separator, 2 * design.separator_thickness, "separator"),
        layer(neg.active_material, neg.coated_sides * neg.coating_thickness,
              "negative.active_material"),
        layer(neg.current_collector, neg.collector_thickness, "negative.current_collector"),
    ]  # fmt: skip
    figures = cell_figures(design, mats, snapshot.reference_cell)
    masses = figures.mass
    housing = sum(v for n, v in masses.items() if n in _HOUSING or n.endswith("tab"))
    g = design.geometry
    housing_id = getattr(g, "can_material", None) or getattr(g, "laminate_material", None)
    housing_field = (
        "geometry.can_material" if hasattr(g, "can_material") else "geometry.laminate_material"
    )
    total = float(sum(masses.values()))
    return CellMechanics(
        roll_stiffness=layered_stiffness(layers),
        roll_mass=total - housing,
        cell_mass=total,
        housing_material=housing_id,
        housing_field=housing_field,
        figures=figures,
    )


def homogenised_cell_stiffness(
    roll: np.ndarray, can: tuple[float, float], radius: float, wall: float
) -> np.ndarray:
    """Voigt stiffness (1 radial, 2 hoop, 3 axial) of a cylindrical cell as one volume.

    ``roll``: the stack's stiffness (axis 1 normal); ``can``: (E, ν) of the can; ``radius``,
    ``wall``: outer radius and wall thickness [m].
    """
    c = engineering_constants(roll)
    e_can, nu_can = can
    g_can = e_can / (2 * (1 + nu_can))
    inner = radius - wall
    area_share = 1 - (inner / radius) ** 2
    bending_share = 1 - (inner / radius) ** 4
    e_axial = (1 - bending_share) * c["E3"] + bending_share * e_can
    e_hoop = (1 - wall / radius) * c["E2"] + wall / radius * e_can
    g_hoop_axial = (1 - area_share) * c["G23"] + area_share * g_can
    g_radial_axial = (1 - area_share) * c["G13"] + area_share * g_can
    # the stack's Poisson ratios, capped at 0.9 sqrt(E_i / E_j) so that the stiffer axial
    # direction keeps the compliance positive definite (Jones, 2nd ed., eq. 2.47)
    nu13 = min(c["nu13"], 0.9 * np.sqrt(c["E1"] / e_axial))
    nu23 = min(c["nu23"], 0.9 * np.sqrt(e_hoop / e_axial))
    nu12 = min(c["nu12"], 0.9 * np.sqrt(c["E1"] / e_hoop))
    return orthotropic_stiffness(
        (c["E1"], e_hoop, e_axial), (nu12, nu13, nu23), (g_hoop_axial, g_radial_axial, c["G12"])
    )
