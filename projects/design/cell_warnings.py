"""Design-rule warnings: things that are possible but probably not what the engineer wants.

Thresholds are rules of thumb of cell-design practice, not physical models: an N/P ratio of at
least 1.05 so that the negative never fills up on charge (lithium plating), calendered coating
porosities of 20-50 %, and coatings thicker than ~120 µm becoming transport-limited at moderate
rates (Singh, Kaiser & Hahn 2015, J. Electrochem. Soc. 162 A1196).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cellwright.projects.model import CellDesign, ReferenceCell

if TYPE_CHECKING:
    from cellwright.projects.design.cell_figures import CellFigures

__all__ = ["MIN_NP_RATIO", "cell_warnings"]

MIN_NP_RATIO = 1.05
POROSITY_RANGE = (0.2, 0.5)
MAX_COATING = 120e-6
MIN_TURNS = 8.0
REFERENCE_TOLERANCE = 0.10
#: how far the active mass share the masses show may stray from the stated active_fraction
MASS_FRACTION_TOLERANCE = 0.05


def cell_warnings(
    design: CellDesign,
    figures: CellFigures,
    reference: ReferenceCell | None,
    unpriced: list[str],
) -> list[str]:
    """Human-readable warnings about ``design`` (empty when nothing looks wrong)."""
    out = []
    if figures.np_ratio < MIN_NP_RATIO:
        out.append(
            f"N/P ratio {figures.np_ratio:.3f} is below {MIN_NP_RATIO}: the negative may plate "
            "lithium on charge"
        )
    if figures.negative.usable_capacity < 0.99 * figures.positive.usable_capacity:
        out.append("the negative limits the capacity (its usable areal capacity is smaller)")
    for side in ("positive", "negative"):
        electrode = getattr(design, side)
        lo, hi = POROSITY_RANGE
        if not lo <= electrode.porosity <= hi:
            out.append(
                f"{side}.porosity {electrode.porosity:.2f} is outside the usual {lo:.2f}-{hi:.2f}"
            )
        if electrode.coating_thickness > MAX_COATING:
            out.append(
                f"{side}.coating_thickness {electrode.coating_thickness * 1e6:.0f} um is thick: "
                f"above ~{MAX_COATING * 1e6:.0f} um rate capability suffers"
            )
        if design.reference_cell is None:  # a library cell's fractions are its parameter set's
            out.extend(_recipe_warning(side, electrode, getattr(figures, side)))
    turns = figures.layout.facts.get("Jelly roll turns")
    entered = getattr(design.geometry, "jelly_roll_length", None)
    if turns is not None and turns[0] < MIN_TURNS and entered is not None:
        # the length is the user's, not what the can holds: the stack may well be thin
        out.append(
            f"geometry.jelly_roll_length {entered * 1e3:.3g} mm winds only {turns[0]:.1f} turns "
            f"(fewer than {MIN_TURNS:.0f}); leave it empty to fill the can"
        )
    elif turns is not None and turns[0] < MIN_TURNS:
        out.append(
            f"the electrode stack is too thick for the can: only {turns[0]:.1f} turns fit "
            f"(fewer than {MIN_TURNS:.0f}); thinner coatings or a larger can would help"
        )
    free = figures.layout.facts.get("Free thickness")
    if free is not None and free[0] > 0.05 * design.geometry.thickness:  # type: ignore[union-attr]
        housing = "pouch" if design.geometry.kind == "pouch" else "can"  # type: ignore[union-attr]
        out.append(f"the stack leaves {free[0] * 1e3:.2f} mm of the {housing} thickness unused")
    if reference is not None:
        deviation = figures.capacity / reference.nominal_capacity - 1.0
        if abs(deviation) > REFERENCE_TOLERANCE:
            out.append(
                f"derived capacity {figures.capacity:.2f} A.h differs by {deviation:+.0%} from "
                f"the reference cell's {reference.nominal_capacity:g} A.h"
            )
    if unpriced:
        out.append(f"no price for {', '.join(unpriced)}: counted as 0 in the cost")
    return out


def _recipe_warning(side: str, electrode, coating) -> list[str]:
    """A stated active volume fraction takes precedence over the mass fractions (the rest of
    the solid is binder and additive): say so when the masses it gives are not the recipe the
    mass fractions state (the pouch template's graphite, 94 % active by mass, weighed in at
    66 % active with 6.1 g of a "3 %" binder, with no word). A library cell's design is left
    alone: its volume fractions are those of its published parameter set (the Kokam's are
    Ecker et al. 2015's, which leave 0.296 of the positive coating to the rest), and its mass
    is checked against its datasheet (tests/validation/test_design_reference_cells.py)."""
    if electrode.active_volume_fraction is None or coating.inactive_mass <= 0:
        return []
    shown = coating.active_mass / (coating.active_mass + coating.inactive_mass)
    if abs(shown - electrode.active_fraction) <= MASS_FRACTION_TOLERANCE:
        return []
    rest = 1.0 - electrode.porosity - electrode.active_volume_fraction
    return [
        f"{side}.active_volume_fraction {electrode.active_volume_fraction:.3g} at porosity "
        f"{electrode.porosity:.3g} leaves {rest:.3g} of the coating to binder and additive: "
        f"the masses are {shown:.0%} active, not the {electrode.active_fraction:.0%} "
        f"{side}.active_fraction states (the volume fraction takes precedence)"
    ]
