"""The arrangement wizard: series and parallel counts and modules for a target voltage and energy.

The series count sets the pack's nominal voltage (n_s × the cell's), the parallel count its
capacity (n_p × the cell's), so the nominal energy is n_s × n_p × E_cell. For a target voltage
V and energy E the nearest series count is round(V / V_cell) and the smallest parallel count
meeting E is ceil(E / (n_s E_cell)); the neighbouring counts nearest the target are offered
beside it, each with the modules
:func:`~cellwright.projects.design.part_defaults.module_arrangement` proposes, passing over a
count that splits into no sensible modules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cellwright.projects.design.cell_summary import CellSummary
from cellwright.projects.design.part_defaults import MODULE_SERIES, module_arrangement
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


def _strings(cell: CellSummary, series: int, energy: float) -> int:
    """The fewest parallel strings of ``series`` cells that hold ``energy`` [W.h]."""
    return max(1, math.ceil(energy / (series * cell.energy) - 1e-9))


#: how many series counts either side of the nearest are looked at for three proposals
_REACH = 4


def _modules_fit(option: ArrangementOption) -> bool:
    """Whether ``option``'s modules are at least a third of the size a module aims at
    (:data:`MODULE_SERIES` series groups, at most 500 cells), or the pack is one module: a
    series count whose divisors are all far from it (a prime, 3 × 37) makes many small ones."""
    arrangement = option.arrangement
    if option.series // arrangement.columns == 1:
        return True
    aim = min(MODULE_SERIES * option.parallel, 500)
    return 3 * arrangement.columns * option.parallel >= aim


def propose_arrangements(
    cell: CellSummary,
    voltage: float,
    energy: float,
    max_voltage: float | None = None,
) -> list[ArrangementOption]:
    """Arrangements of ``cell`` for a nominal ``voltage`` [V] and ``energy`` [W.h].

    Three options, each with the fewest parallel strings that reach the energy: the series
    counts nearest the target voltage (the nearest first) that keep the fully charged voltage
    at or under ``max_voltage`` when it is given and whose modules
    (:func:`~cellwright.projects.design.part_defaults.module_arrangement`) are at least a third
    of the size a module aims at, so a prime count such as 109 (109 modules of one series group)
    is passed over for 108 or 110; when no count near the target splits so, the nearest anyway.

    Raises
    ------
    InputError
        A non-positive target, or a voltage limit no arrangement meets.
    """
    # written as "not > 0" so that a NaN target is refused too, not rounded into a crash
    if not (0 < voltage < math.inf and 0 < energy < math.inf):
        raise InputError("target voltage and energy must be positive and finite")
    most = (upper_bound(PackDesign, "series"), upper_bound(PackDesign, "parallel"))
    exact = voltage / cell.nominal_voltage
    nearest = max(1, round(exact))
    options, too_high, too_many = [], False, False
    # the series counts around the nearest, closest to the target voltage first
    pool = sorted(range(nearest - _REACH, nearest + _REACH + 1), key=lambda s: (abs(s - exact), s))
    for series in pool:
        if series < 1 or series > most[0]:
            continue
        parallel = _strings(cell, series, energy)
        if parallel > most[1]:
            too_many = True
            continue
        option = _option(cell, series, parallel)
        if max_voltage is not None and (option.max_voltage or option.voltage) > max_voltage:
            too_high = True
            continue
        options.append(option)
    if options:
        # a series count that splits into no sensible modules is passed over for the next one
        # that does: 109 (a prime) gave "109s30p in 109 modules of 1s30p"
        fitting = [o for o in options if _modules_fit(o)]
        return (fitting or options)[:3]
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
            f"energy: {energy / 1e3:g} kWh needs {_strings(cell, nearest, energy)} strings in "
            "parallel at about "
            f"{nearest} in series, more than the {most[1]} a pack takes"
        )
    raise InputError(
        f"max_voltage: no series count near {nearest} keeps the charged pack under "
        f"{max_voltage:g} V"
    )
