"""A library cell's stock PyBaMM set made fit for a thermal run: its whole cell's volume and
surface, and the thermal values the set lacks.

PyBaMM's lumped model heats ``Cell volume [m3]`` of the electrode pair's heat capacity with
the whole cell's heat (the pair's heat × "Number of electrodes connected in parallel") and
cools it through ``Cell cooling surface area [m2]`` (PyBaMM 26.10, ``thermal/base_thermal.py``
and ``thermal/lumped.py``). A set of one layer of a stacked cell (Ecker2015: 1.52 cm³ and
172 cm² of the Kokam SLPB 75106100's 48 layers) scaled to the cell by its layer count
(:func:`~cellwright.engines.electrochem.parameters.stock_layers`) then put the 48 layers' heat
into one layer's volume: 48× the heat per volume, one layer's thermal mass. The library cell's
datasheet envelope replaces them, as a derived design's envelope does
(``design_parameters._geometry``).

A set without thermal values (Prada2013, the A123 ANR26650M1-B's) was refused with PyBaMM's
``KeyError``; they are taken from the parameters derived for the library cell's entered design,
or else for the design estimated from its datasheet (the library's materials:
``design_thermal``), and the run's warnings say so.
"""

from __future__ import annotations

import math
from typing import Any

from cellwright.projects.model import DesignSnapshot, ReferenceCell

__all__ = ["datasheet_envelope", "fill_thermal_values"]

#: what PyBaMM's lumped and x-full models read beyond an isothermal set (Chen2020's names)
_COLLECTOR = (
    "thickness [m]",
    "conductivity [S.m-1]",
    "density [kg.m-3]",
    "specific heat capacity [J.kg-1.K-1]",
    "thermal conductivity [W.m-1.K-1]",
)
_COATING = ("density [kg.m-3]", "specific heat capacity [J.kg-1.K-1]",
            "thermal conductivity [W.m-1.K-1]")  # fmt: skip
_THERMAL = (
    *(f"{s} current collector {q}" for s in ("Negative", "Positive") for q in _COLLECTOR),
    *(f"{s} electrode {q}" for s in ("Negative", "Positive") for q in _COATING),
    *(f"Separator {q}" for q in _COATING),
    "Total heat transfer coefficient [W.m-2.K-1]",
    "Cell volume [m3]",
    "Cell cooling surface area [m2]",
)


def datasheet_envelope(ref: ReferenceCell | None) -> tuple[float, float] | None:
    """(volume [m³], outer surface [m²]) of the datasheet's dimensions, or None without them."""
    if ref is None:
        return None
    if ref.diameter and ref.height:
        d, h = ref.diameter, ref.height
        return math.pi * d**2 / 4 * h, math.pi * d * h + 2 * math.pi * d**2 / 4
    if ref.length and ref.width and ref.thickness:
        a, b, c = ref.length, ref.width, ref.thickness
        return a * b * c, 2 * (a * b + a * c + b * c)
    return None


def fill_thermal_values(values: Any, design: DesignSnapshot, notes: list[str]) -> None:
    """Add to the stock ``values`` the thermal parameters they lack, saying where from in
    ``notes``; a set with all of them is left as it is."""
    from cellwright.engines.electrochem.design_parameters import derived_parameter_values
    from cellwright.projects.design.reference_designs import with_reference_geometry

    missing = [key for key in _THERMAL if key not in values]
    if not missing:
        return
    estimated: list[str] = []
    snap = with_reference_geometry(design, "PyBaMM's thermal model needs", estimated)
    derived = derived_parameter_values(snap.cell, snap)
    values.update({key: derived[key] for key in missing}, check_already_exists=False)
    origin = "the design estimated from its datasheet" if estimated else "its entered design"
    h = float(values["Total heat transfer coefficient [W.m-2.K-1]"])
    notes.append(
        f"{design.parameter_set} has no thermal values: {len(missing)} of them (heat "
        f"capacities, thermal and collector conductivities, collector thicknesses, cell volume "
        f"and cooling surface) are taken from {origin} of {design.cell.name} with the "
        f"library's materials, cooled at {h:g} W/(m² K); its temperatures are estimates"
    )
