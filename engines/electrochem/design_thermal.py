"""Thermal and collector parameters a base set may lack, from the design's own materials.

PyBaMM's lumped and x-full thermal models read the heat capacities, thermal conductivities
and collector conductivities of every layer. Some base sets have none (Prada2013, the LFP set
the library's LFP cells and LFP designs derive from), so a thermal run on an LFP design failed
with PyBaMM's ``KeyError``. Only what the base set lacks is filled, so a set that has its own
values (Chen2020, Ecker2015) runs unchanged.
"""

from __future__ import annotations

from typing import Any

from cellwright.projects.design.materials import MaterialTable
from cellwright.projects.model import CellDesign

__all__ = ["missing_thermal_values"]

# a coated electrode without its own values: Chen2020's coated-electrode values (Chen et al.
# 2020, J. Electrochem. Soc. 167 080534, as PyBaMM's Chen2020 set gives them)
_COATING = {"specific_heat": 700.0, "thermal_conductivity": {"negative": 1.7, "positive": 2.1}}
# natural convection in still air, 5-25 W/(m^2 K) (Incropera et al., 6th ed., Table 1.1);
# Chen2020 uses 10
_NATURAL_CONVECTION = 10.0


def missing_thermal_values(design: CellDesign, table: MaterialTable, base) -> dict[str, Any]:
    """PyBaMM name -> value for the thermal and collector parameters ``base`` lacks."""
    out: dict[str, Any] = {}
    for side in ("negative", "positive"):
        electrode = getattr(design, side)
        name = side.capitalize()
        cc = electrode.current_collector
        where = f"{side}.current_collector"
        out[f"{name} current collector conductivity [S.m-1]"] = lambda cc=cc, w=where: \
            table.value(cc, w, "electrical_conductivity")  # fmt: skip
        out[f"{name} current collector specific heat capacity [J.kg-1.K-1]"] = \
            lambda cc=cc, w=where: table.value(cc, w, "specific_heat")  # fmt: skip
        out[f"{name} current collector thermal conductivity [W.m-1.K-1]"] = \
            lambda cc=cc, w=where: table.value(cc, w, "thermal_conductivity")  # fmt: skip
        am = electrode.active_material
        aw = f"{side}.active_material"
        out[f"{name} electrode specific heat capacity [J.kg-1.K-1]"] = lambda am=am, aw=aw: \
            table.optional(am, aw, "specific_heat") or _COATING["specific_heat"]  # fmt: skip
        k = _COATING["thermal_conductivity"][side]
        out[f"{name} electrode thermal conductivity [W.m-1.K-1]"] = lambda am=am, aw=aw, k=k: \
            table.optional(am, aw, "thermal_conductivity") or k  # fmt: skip
    sep = design.separator
    out["Separator density [kg.m-3]"] = lambda: table.density(sep, "separator")
    out["Separator specific heat capacity [J.kg-1.K-1]"] = lambda: table.value(
        sep, "separator", "specific_heat"
    )
    out["Separator thermal conductivity [W.m-1.K-1]"] = lambda: table.value(
        sep, "separator", "thermal_conductivity"
    )
    out["Total heat transfer coefficient [W.m-2.K-1]"] = lambda: _NATURAL_CONVECTION
    # evaluate only what the base set lacks: a material without a value then fails only
    # where it is needed
    return {key: get() for key, get in out.items() if key not in base}
