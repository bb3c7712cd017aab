"""First-order figures of a pack of identical cells (series voltages add, parallel capacities add).

The full pack calculator (busbars, cooling plate, enclosure, BOM) builds on these.
"""

from __future__ import annotations

from projects.model import PackDesign, ReferenceCell

__all__ = ["pack_figures"]


def pack_figures(pack: PackDesign, cell: ReferenceCell) -> dict[str, float]:
    """Voltage window, capacity, energy and cell mass of ``pack`` built from ``cell``.

    Names carry units in brackets, like result scalars.
    """
    return {
        "Cells": float(pack.cell_count),
        "Nominal voltage [V]": pack.series * cell.nominal_voltage,
        "Minimum voltage [V]": pack.series * cell.min_voltage,
        "Maximum voltage [V]": pack.series * cell.max_voltage,
        "Capacity [A.h]": pack.parallel * cell.nominal_capacity,
        "Energy [W.h]": pack.cell_count * cell.nominal_energy,
        "Mass of cells [kg]": pack.cell_count * cell.mass,
    }
