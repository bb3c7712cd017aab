"""A PyBaMM parameter set for a user's cell design, derived from a base set.

The base set (e.g. Chen2020) supplies everything a design does not describe — open-circuit
potentials, diffusivities, kinetics, electrolyte transport — and the design replaces what it
does: electrode area (from the jelly-roll length or the stack), thicknesses, porosities, active
volume fractions, particle radii, maximum concentrations, initial lithiation, voltage window,
nominal capacity, cell volume and cooling surface.

PyBaMM models one electrode pair; a wound or stacked cell is represented by the coated area of
all positive faces together as "Electrode height [m]" × "Electrode width [m]" (as in Chen2020,
whose 1.58 m width is both faces of a 0.79 m double-sided electrode).
"""

from __future__ import annotations

import math
from typing import Any

from cellwright.engines.electrochem.design_ocp import check_base_ocp, positive_ocp
from cellwright.engines.electrochem.design_thermal import missing_thermal_values
from cellwright.projects.design import cell_figures
from cellwright.projects.design.cell_figures import CellFigures
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
    positive_ocp(design, base, base_name, values, [] if notes is None else notes)
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
    c_max = base_c_max if c_max is None else c_max
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
