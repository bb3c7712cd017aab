"""A cell design estimated from a library cell's datasheet, for the engines that need a housing
and layers (thermal, crush, vibration, swelling) when the library holds no entered design of it.

It is what a designer does first with a datasheet and a format template:

- the housing of the format's template at the datasheet's dimensions (a cylindrical can of
  30 mm or more takes the 4680 template's walls, a smaller one the 18650/21700 walls; a pouch
  holds as many layers as its thickness takes), as the builder sizes a new part
  (:mod:`cellwright.projects.design.part_defaults`);
- the library's active materials of the datasheet's chemistry in the template's stack (Chen et
  al. 2020 for cans and cases, Ecker et al. 2015 for pouches), changed as the builder changes
  them (:func:`~cellwright.projects.design.authoring.with_active_material`: the particle size
  of the new material, the PyBaMM set of the cell's own datasheet or of the library's cells of
  that chemistry, else the template's as the base), the negative coating set to the template
  stack's own N/P ratio for the new pair of materials;
- both coatings scaled by one factor, within 0.4–2.5 times the template's, until the derived
  capacity meets the datasheet's (the nearest the housing allows when it cannot).

What a datasheet does not give (walls, tabs, porosities, separator) stays the template's. The
design says in its name and notes that it is an estimate, and :func:`estimate_message` is what
an engine adds to its warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cellwright.projects.model import CellDesign, InputError, ReferenceCell

__all__ = ["DatasheetEstimate", "estimate_from_datasheet", "estimate_message"]

#: coating thickness factors tried against the template's: thinner than 0.4× or thicker than
#: 2.5× leaves the range of the template stack's porosities and particle sizes
_SCALE_RANGE = (0.4, 2.5)


@dataclass(frozen=True)
class DatasheetEstimate:
    """An estimated design and how it compares with the datasheet it was made from."""

    design: CellDesign
    template: str
    scale: float
    capacity: float
    mass: float
    reference: ReferenceCell


def template_key(reference: ReferenceCell) -> str:
    """The format template a datasheet cell is estimated from."""
    from cellwright.projects.design.part_defaults import LARGE_CAN

    fmt = str(reference.format)
    if fmt != "cylindrical":
        return fmt
    return "4680" if (reference.diameter or 0.0) >= LARGE_CAN else "21700"


def estimate_from_datasheet(reference: ReferenceCell, library=None) -> DatasheetEstimate:
    """The estimated design of library cell ``reference`` (see the module's description).

    Raises
    ------
    InputError
        When no coating factor in range gives a stack that fits the housing (a library cell
        has the dimensions of its format: the library refuses one without them).
    """
    from cellwright.projects.design.authoring import with_active_material
    from cellwright.projects.design.part_defaults import default_part
    from cellwright.projects.design.templates import new_cell_from_template
    from cellwright.projects.model import DesignSnapshot

    if library is None:
        from cellwright.projects.library import Library

        library = Library.load_builtin()
    key = template_key(reference)
    template = new_cell_from_template(key)
    snap = DesignSnapshot(
        cell=template.model_copy(update={"reference_cell": reference.id}), reference_cell=reference
    )
    design = template.model_copy(update={"geometry": default_part(snap.cell, "geometry", snap)})
    for side in ("positive", "negative"):
        # the chemistry changed as in the builder: the old material's window and particle size
        # go, and the PyBaMM set of the library's cells of that chemistry comes (else the
        # template's stays the base, as a template's does)
        wanted = default_part(snap.cell, side, snap).active_material
        if wanted != getattr(design, side).active_material:
            design = with_active_material(design, side, wanted, library)
    design = design.model_copy(
        update={
            "id": f"estimate-{reference.id}",
            "name": f"{reference.name} (estimated from its datasheet)",
            "reference_cell": reference.id,
            "pybamm_parameter_set": reference.pybamm_parameter_set or design.pybamm_parameter_set,
            "nominal_voltage": reference.nominal_voltage,
            "min_voltage": reference.min_voltage,
            "max_voltage": reference.max_voltage,
        }
    )
    materials = library.snapshot_for(design).materials
    design = _balanced(design, template, library, materials, reference)
    scale, design, figures = _scaled_to_capacity(design, materials, reference)
    notes = (
        f"Estimated from the datasheet of library cell {reference.id!r}: the {key} template's "
        f"housing at the datasheet's dimensions, {design.positive.active_material} on "
        f"{design.negative.active_material} in the template's stack with the coatings scaled "
        f"×{scale:.2f} to the datasheet's capacity. Not the cell's own design."
    )
    return DatasheetEstimate(
        design=design.model_copy(update={"notes": notes}),
        template=key,
        scale=scale,
        capacity=figures.capacity,
        mass=figures.total_mass,
        reference=reference,
    )


def estimate_message(estimate: DatasheetEstimate, needs: str) -> str:
    """The warning an engine gives when it ran on ``estimate``; ``needs`` names the engine
    ("the thermal engine needs")."""
    ref = estimate.reference
    mass = f", {estimate.mass * 1e3:.4g} g" + (
        f" (datasheet {ref.mass * 1e3:.4g} g)" if ref.mass else ""
    )
    return (
        f"{ref.name}: the library holds its datasheet but no entered design, and {needs} a "
        f"housing and layers; ran on a design estimated from the datasheet ({estimate.template} "
        f"template at the datasheet's size, the coatings scaled ×{estimate.scale:.2f}: "
        f"{estimate.capacity:.3g} A.h against the datasheet's {ref.nominal_capacity:.3g} A.h"
        f"{mass}). Walls, tabs and porosities are the template's: enter the cell's design "
        "(its housing and electrodes) for results that are its own"
    )


def _figures(design: CellDesign, materials, reference: ReferenceCell):
    from cellwright.projects.design.cell_figures import cell_figures

    return cell_figures(design, materials, reference)


def _with_coatings(design: CellDesign, positive: float, negative: float) -> CellDesign:
    """``design`` with the coatings ``positive`` and ``negative`` times as thick (a pouch
    re-filled with as many layers as its thickness then holds)."""
    update = {
        "positive": design.positive.model_copy(
            update={"coating_thickness": design.positive.coating_thickness * positive}
        ),
        "negative": design.negative.model_copy(
            update={"coating_thickness": design.negative.coating_thickness * negative}
        ),
    }
    scaled = design.model_copy(update=update)
    if design.geometry.kind == "pouch":
        from cellwright.projects.design.part_defaults import fill_pouch

        scaled = scaled.model_copy(update={"geometry": fill_pouch(scaled, scaled.geometry)})
    return scaled


def _balanced(design: CellDesign, template: CellDesign, library, materials, reference):
    """The negative coating set so the N/P ratio is the template stack's (capacity per area is
    linear in the coating thickness)."""
    target = _figures(template, library.snapshot_for(template).materials, None).np_ratio
    ratio = _figures(design, materials, reference).np_ratio
    return _with_coatings(design, 1.0, target / ratio)


def _scaled_to_capacity(design: CellDesign, materials, reference: ReferenceCell):
    """The common coating factor whose capacity is nearest the datasheet's."""
    wanted = reference.nominal_capacity
    best = None
    lo, hi = _SCALE_RANGE

    def trial(factor: float):
        nonlocal best
        try:
            scaled = _with_coatings(design, factor, factor)
            figures = _figures(scaled, materials, reference)
        except InputError:
            return None  # the stack does not fit the housing at this factor
        miss = figures.capacity - wanted
        if best is None or abs(miss) < abs(best[0]):
            best = (miss, factor, scaled, figures)
        return miss

    grid = np.geomspace(lo, hi, 25)
    misses = [trial(f) for f in grid]
    for k in range(len(grid) - 1):
        m0, m1 = misses[k], misses[k + 1]
        if m0 is None or m1 is None or m0 * m1 >= 0:
            continue
        f0, f1 = float(grid[k]), float(grid[k + 1])
        for _ in range(30):  # bisection, not a secant: a pouch's capacity steps with its layers
            mid = float(np.sqrt(f0 * f1))
            miss = trial(mid)
            if miss is None or miss == 0.0:
                break
            if miss * m0 > 0:
                f0, m0 = mid, miss
            else:
                f1 = mid
        break
    if best is None:
        raise InputError(
            f"geometry: no electrode stack estimated from the template fits the datasheet's "
            f"housing of {reference.name!r}; enter the cell's design",
            reference.name,
        )
    _, factor, scaled, figures = best
    return factor, scaled, figures
