"""A PyBaMM parameter set for a user's cell design, derived from a base set.

The base set (e.g. Chen2020) supplies everything a design does not describe — open-circuit
potentials, diffusivities, kinetics, electrolyte transport — and the design replaces what it
does: electrode area (from the jelly-roll length or the stack), thicknesses, porosities, active
volume fractions, particle radii, maximum concentrations, initial lithiation, voltage window,
nominal capacity, cell volume and cooling surface.

The cell starts charged with the lithium its electrodes can cycle between them: the electrode
with the smaller usable charge (per unit of the one electrode area PyBaMM models) sets it, and
the other starts where that charge, put back, takes it to its discharged end — the electrode
balance of a cell as built (Newman & Thomas-Alyea 2004, *Electrochemical Systems*, §17.4;
the cyclable lithium of PyBaMM's ``get_min_max_stoichiometries``). Taking the base set's
starting lithiation instead gave a negative 1.5 times thicker than its template's 1.5 times the
lithium, and the cell delivered 121 % of its nominal capacity at C/20.

PyBaMM models one electrode pair; a wound or stacked cell is represented by the coated area of
all positive faces together as "Electrode height [m]" × "Electrode width [m]" (as in Chen2020,
whose 1.58 m width is both faces of a 0.79 m double-sided electrode).
"""

from __future__ import annotations

import math
from typing import Any

from cellwright.engines.electrochem.design_ocp import (
    FOREIGN,
    WINDOW_NOTE,
    check_base_ocp,
    negative_ocp,
    positive_ocp,
)
from cellwright.engines.electrochem.design_thermal import missing_thermal_values
from cellwright.projects.design import cell_figures
from cellwright.projects.design.cell_figures import CellFigures
from cellwright.projects.design.electrode import FARADAY, host_capacity
from cellwright.projects.design.materials import MaterialTable
from cellwright.projects.model import CellDesign, DesignSnapshot, InputError

__all__ = ["derived_parameter_values"]


def derived_parameter_values(
    design: CellDesign, snapshot: DesignSnapshot, notes: list[str] | None = None
) -> dict[str, Any]:
    """PyBaMM parameter name -> number or function for ``design``.

    Parameters
    ----------
    design
        A cell design with geometry and both electrodes.
    snapshot
        Supplies the materials the design names, the reference cell and the base parameter set
        (the design's own ``pybamm_parameter_set`` wins over the reference cell's).
    notes
        Receives what a run's warnings should say (whose open-circuit potentials it runs on).

    Returns
    -------
    dict
        A plain dict, ready for ``pybamm.ParameterValues(values)``.
    """
    from cellwright.engines.electrochem._pybamm import import_pybamm

    base_name = design.pybamm_parameter_set or snapshot.parameter_set
    if not base_name:
        raise InputError(
            "pybamm_parameter_set: the design needs a base PyBaMM parameter set", design.name
        )
    pybamm = import_pybamm()
    try:
        base = pybamm.ParameterValues(base_name)
    except Exception as exc:  # PyBaMM raises several types for unknown sets
        raise InputError(
            f"pybamm_parameter_set: PyBaMM has no parameter set {base_name!r} ({exc})",
            design.name,
        ) from None
    check_base_ocp(design, MaterialTable(snapshot.materials, design.name), base, base_name)
    values = dict(base.items())
    figures = cell_figures(design, snapshot.materials, snapshot.reference_cell)
    table = MaterialTable(snapshot.materials, design.name)
    values.update(_geometry(design, figures))
    for side in ("positive", "negative"):
        values.update(_electrode(design, side, figures, table, base))
    values.update(_separator(design, table))
    values.update(_voltages(figures))
    values.update(missing_thermal_values(design, table, base))
    notes = [] if notes is None else notes
    positive_ocp(design, base, base_name, values, notes)  # may move the positive's start
    windows: list[str] = []
    values.update(_balanced_start(design, figures, values, windows))
    negative_ocp(design, table, base_name, notes)
    if not any(n.startswith(FOREIGN) for n in notes):
        # on another chemistry's curve the windows are that curve's: the note on it says
        # already that the capacity is not the design's, and what the cell delivered
        notes.extend(windows)
    values["Nominal cell capacity [A.h]"] = figures.capacity
    return values


def _geometry(design: CellDesign, figures: CellFigures) -> dict[str, float]:
    layout = figures.layout
    g = design.geometry
    if g.kind == "cylindrical":
        surface = math.pi * g.diameter * g.height + 2 * math.pi * g.diameter**2 / 4
    else:
        surface = 2 * (g.length * g.width + g.length * g.thickness + g.width * g.thickness)
    return {
        "Electrode height [m]": layout.electrode_height,
        "Electrode width [m]": layout.positive_area / layout.electrode_height,
        "Cell volume [m3]": layout.envelope_volume,
        "Cell cooling surface area [m2]": surface,
        # the area above is every layer's: a base set's layer count (Ai2020: 34) would
        # multiply it again, and a 1C run then moved the electrodes at 1/34C
        "Number of electrodes connected in parallel to make a cell": 1.0,
    }


def _electrode(
    design: CellDesign, side: str, figures: CellFigures, table: MaterialTable, base
) -> dict[str, Any]:
    electrode = getattr(design, side)
    coat = getattr(figures, side)
    name = side.capitalize()
    where = f"{side}.active_material"
    c_max = table.optional(electrode.active_material, where, "max_concentration")
    c_max_key = f"Maximum concentration in {side} electrode [mol.m-3]"
    base_c_max = base[c_max_key]
    if c_max is None:
        # the base set's value is another material's (Chen2020's graphite-SiOx held a hard
        # carbon twice the lithium its 300 mA.h/g states: 137 % of nominal at 1C); the
        # material's own density and capacity give what its electrode holds, c = rho q / F
        # (graphite: 360 mA.h/g at 2.26 g/cm3 gives 30 355 against the 30 555 of Prada2013)
        c_max = _capacity_concentration(table, electrode.active_material, where)
    out: dict[str, Any] = {
        f"{name} electrode thickness [m]": electrode.coating_thickness,
        f"{name} current collector thickness [m]": electrode.collector_thickness,
        f"{name} electrode porosity": electrode.porosity,
        f"{name} electrode active material volume fraction": coat.active_volume_fraction,
        f"{name} particle radius [m]": electrode.particle_radius,
        c_max_key: c_max,
        f"{name} current collector density [kg.m-3]": table.density(
            electrode.current_collector, f"{side}.current_collector"
        ),
        # composite coating density: solids over coating volume (pores empty)
        f"{name} electrode density [kg.m-3]": (coat.active_mass + coat.inactive_mass)
        / electrode.coating_thickness,
    }
    # the cell starts charged: the negative full and the positive empty of lithium
    if electrode.stoichiometry_max is not None:
        full = electrode.stoichiometry_max if side == "negative" else electrode.stoichiometry_min
    else:
        full = base[f"Initial concentration in {side} electrode [mol.m-3]"] / base_c_max
    out[f"Initial concentration in {side} electrode [mol.m-3]"] = full * c_max
    return out


def _balanced_start(
    design: CellDesign, figures: CellFigures, values: dict[str, Any], notes: list[str]
) -> dict[str, float]:
    """Initial concentrations of a charged cell whose electrodes cycle the same lithium.

    Each electrode's charged end is its stated stoichiometry limit (the positive's lowest, the
    negative's highest) or else the base set's start; its window is the usable over the host
    charge of its coating (the stated window exactly; a utilisation of the capacity
    otherwise). The electrode whose window holds less charge starts at its charged end; the
    other starts that charge away from its discharged end, so both reach their discharged
    ends together.
    """
    ends = {}
    for side in ("positive", "negative"):
        electrode = getattr(design, side)
        c_max = values[f"Maximum concentration in {side} electrode [mol.m-3]"]
        coat = getattr(figures, side)
        host = host_capacity(c_max, coat.active_volume_fraction, electrode.coating_thickness)
        # the charged end: the positive's least lithium, the negative's most
        stated = electrode.stoichiometry_min if side == "positive" else electrode.stoichiometry_max
        start = values[f"Initial concentration in {side} electrode [mol.m-3]"] / c_max
        charged = start if stated is None else stated
        # the negative empties downwards, the positive fills upwards; neither past its host
        room = charged if side == "negative" else 1.0 - charged
        window = min(coat.usable_capacity / host, room)
        ends[side] = (c_max, host, charged, window)
    usable = min(host * window for _, host, _, window in ends.values())
    stated = min(figures.positive.usable_capacity, figures.negative.usable_capacity)
    if usable < (1.0 - _WINDOW_SHORT) * stated:
        notes.append(_window_note(design, figures, ends, usable, stated))
    out = {}
    for side, (c_max, host, charged, window) in ends.items():
        moved = usable / host  # of this electrode's window, the cycled share
        sign = 1.0 if side == "negative" else -1.0  # the negative is lithiated when charged
        start = charged - sign * (window - moved)
        out[f"Initial concentration in {side} electrode [mol.m-3]"] = start * c_max
    return out


#: a cycled charge this far below the coatings' stated capacity is told (the stoichiometries
#: are found to 1e-6; 2 % is what a user would notice against a datasheet)
_WINDOW_SHORT = 0.02


def _window_note(
    design: CellDesign, figures: CellFigures, ends: dict, usable: float, stated: float
) -> str:
    """What a user is told when the electrode that sets the cycled charge has less room from its
    charged end than its stated capacity needs: the design's capacity (by the materials'
    specific capacities) is then more than the cell can cycle within its voltage window. Seen
    on NCA: PyBaMM's NCA_Kim2011 curve gives the charged potential at 0.33 of its host's
    lithium, which leaves 0.67 to fill, where the library's 199 mA.h/g (Nitta et al. 2015) needs
    0.72. ``usable`` is the cycled charge, ``stated`` the smaller coating's stated capacity."""
    parts = []
    for side, (_, host, charged, window) in ends.items():
        if host * window > usable * (1.0 + 1e-9):
            continue  # not the electrode that sets the cycled charge
        material = getattr(design, side).active_material
        need = getattr(figures, side).usable_capacity / host
        parts.append(f"the {side} ({material}) has {window:.2f} of its host's lithium between "
                     f"its charged end ({charged:.2f}) and its discharged end, where its stated "
                     f"capacity needs {need:.2f}")  # fmt: skip
    return (
        f"{WINDOW_NOTE} {usable / stated:.0%} of the design's capacity (which counts the active "
        f"materials' specific capacities): {'; '.join(parts)}"
    )


def _capacity_concentration(table: MaterialTable, material: str, where: str) -> float:
    """Lithium an active material holds per volume [mol/m3] by its stated capacity, ρ q / F."""
    density = table.density(material, where)  # kg/m3
    capacity = table.value(material, where, "specific_capacity")  # mA.h/g = A.h/kg
    return density * capacity * 3600.0 / FARADAY


def _separator(design: CellDesign, table: MaterialTable) -> dict[str, float]:
    out = {"Separator thickness [m]": design.separator_thickness}
    porosity = table.optional(design.separator, "separator", "porosity")
    if porosity is not None:
        out["Separator porosity"] = porosity
    return out


def _voltages(figures: CellFigures) -> dict[str, float]:
    out = {}
    if figures.min_voltage is not None:
        out["Lower voltage cut-off [V]"] = figures.min_voltage
        out["Open-circuit voltage at 0% SOC [V]"] = figures.min_voltage
    if figures.max_voltage is not None:
        out["Upper voltage cut-off [V]"] = figures.max_voltage
        out["Open-circuit voltage at 100% SOC [V]"] = figures.max_voltage
    return out
