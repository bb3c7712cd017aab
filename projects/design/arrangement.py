"""The arrangement wizard: series and parallel counts and modules for a target voltage and energy.

The series count sets the pack's nominal voltage (n_s × the cell's), the parallel count its
capacity (n_p × the cell's), so the nominal energy is n_s × n_p × E_cell. For a target voltage
V and energy E the nearest series count is round(V / V_cell) and the smallest parallel count
meeting E is ceil(E / (n_s E_cell)); neighbouring counts are offered beside it, each with the
modules :func:`~cellwright.projects.design.part_defaults.module_arrangement` proposes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cellwright.projects.design.cell_summary import CellSummary
from cellwright.projects.design.part_defaults import module_arrangement
from cellwright.projects.model import InputError, ModuleArrangement, PackDesign, upper_bound

__all__ = ["ArrangementOption", "energy_note", "propose_arrangements"]


@dataclass(frozen=True)
class ArrangementOption:
    """One proposal: counts, modules and what they give (cells only, before busbars and
    structure)."""

    series: int
    parallel: int
    arrangement: ModuleArrangement
    voltage: float  # nominal [V]
    max_voltage: float | None  # at the cells' upper cut-off [V]
    capacity: float  # [A.h]
    energy: float  # nominal [W.h]
    cell_mass: float  # [kg]

    @property
    def label(self) -> str:
        """ "96s4p in 8 modules of 12s4p"."""
        a = self.arrangement
        modules = self.series * self.parallel // a.cells_per_module
        return (
            f"{self.series}s{self.parallel}p in {modules} module{'s' * (modules > 1)} "
            f"of {a.columns}s{a.rows}p"
        )


def _option(cell: CellSummary, series: int, parallel: int) -> ArrangementOption:
    return ArrangementOption(
        series=series,
        parallel=parallel,
        arrangement=module_arrangement(series, parallel),
        voltage=series * cell.nominal_voltage,
        max_voltage=series * cell.max_voltage if cell.max_voltage else None,
        capacity=parallel * cell.capacity,
        energy=series * parallel * cell.energy,
        cell_mass=series * parallel * cell.mass,
    )


#: how far over the target energy a proposal may go before it says so
ENERGY_OVERSHOOT = 0.25


def energy_note(option: ArrangementOption, energy: float) -> str:
    """Why ``option`` holds far more than the ``energy`` [W.h] asked, or "" (a 441 A.h cell
    at 400 V gave 176 kW.h for 100 kW.h asked, with no word: one string already held it)."""
    if option.energy <= (1.0 + ENERGY_OVERSHOOT) * energy:
        return ""
    over = option.energy / energy - 1.0
    string = option.energy / option.parallel
    why = (
        f"one string of {option.series} cells already holds {string / 1e3:.4g} kW.h"
        if option.parallel == 1
        else f"each of the {option.parallel} strings holds {string / 1e3:.4g} kW.h"
    )
    return (
        f"energy: {option.label} holds {option.energy / 1e3:.4g} kW.h, {over:.0%} more than "
        f"the {energy / 1e3:.4g} kW.h asked: {why}; a smaller cell comes closer"
    )


def propose_arrangements(
    cell: CellSummary,
    voltage: float,
    energy: float,
    max_voltage: float | None = None,
) -> list[ArrangementOption]:
    """Arrangements of ``cell`` for a nominal ``voltage`` [V] and ``energy`` [W.h].

    The first option is the nearest series count with the fewest parallel strings that reach
    the energy; then one series more and one less (each with its own parallel count), all
    that keep the fully charged voltage at or under ``max_voltage`` when it is given.

    Raises
    ------
    InputError
        A non-positive target, or a voltage limit no arrangement meets.
    """
    # written as "not > 0" so that a NaN target is refused too, not rounded into a crash
    if not (0 < voltage < math.inf and 0 < energy < math.inf):
        raise InputError("target voltage and energy must be positive and finite")
    most = (upper_bound(PackDesign, "series"), upper_bound(PackDesign, "parallel"))
    nearest = max(1, round(voltage / cell.nominal_voltage))
    options, too_high, too_many = [], False, 0
    for series in dict.fromkeys((nearest, nearest + 1, nearest - 1)):
        if series < 1 or series > most[0]:
            continue
        parallel = max(1, math.ceil(energy / (series * cell.energy) - 1e-9))
        if parallel > most[1]:
            too_many = max(too_many, parallel)
            continue
        option = _option(cell, series, parallel)
        if max_voltage is not None and (option.max_voltage or option.voltage) > max_voltage:
            too_high = True
            continue
        options.append(option)
    if options:
        return options
    # why none is left, in the order a user would fix it (a pack takes at most 1000 in series
    # and 1000 in parallel; before, a 1 MV target fell through to the voltage limit's message
    # and failed formatting a limit that was not given)
    if nearest - 1 > most[0]:
        raise InputError(
            f"voltage: {voltage:g} V needs about {nearest} cells of {cell.nominal_voltage:.3g} V "
            f"in series, more than the {most[0]} a pack takes"
        )
    if too_many and not too_high:
        raise InputError(
            f"energy: {energy / 1e3:g} kWh needs {too_many} strings in parallel at about "
            f"{nearest} in series, more than the {most[1]} a pack takes"
        )
    raise InputError(
        f"max_voltage: no series count near {nearest} keeps the charged pack under "
        f"{max_voltage:g} V"
    )
