"""Refuse a design whose active material the base set's open-circuit potential cannot stand for.

A design keeps its base set's OCP curves (design_parameters): an NMC532 positive on Chen2020's
NMC811 curve is a fair stand-in (3.89 V against 3.91 V mean, the library's voltage_average),
but an LTO negative on a graphite curve (1.55 V against ~0.1 V) ran a 2.4 V cell as a 3.6 V one
with no word. The base curve's mean over stoichiometry 0.3-0.8 (inside every set's fitted range)
is compared with the material's stated mean potential.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.design.materials import MaterialTable
from cellwright.projects.model import CellDesign, InputError

__all__ = ["check_base_ocp"]

_TOLERANCE = 0.5  # V: graphite variants and layered oxides stay inside, LTO or LFP do not


def check_base_ocp(design: CellDesign, table: MaterialTable, base, base_name: str) -> None:
    """Raise naming ``<side>.active_material`` when the base curve is another chemistry's."""
    for side in ("negative", "positive"):
        material = getattr(design, side).active_material
        where = f"{side}.active_material"
        stated = table.optional(material, where, "voltage_average")
        if stated is None:
            continue
        mean = _mean_ocp(base[f"{side.capitalize()} electrode OCP [V]"])
        if mean is not None and abs(mean - stated) > _TOLERANCE:
            raise InputError(
                f"{where}: {material} (mean {stated:.2f} V vs Li) cannot run on {base_name}'s "
                f"{side} open-circuit potential (mean {mean:.2f} V); give the cell design a "
                f"pybamm_parameter_set whose {side} electrode is {material}, if PyBaMM has one",
                design.name,
            )


def _mean_ocp(curve) -> float | None:
    import pybamm

    if not callable(curve):
        return None
    try:
        values = [float(curve(pybamm.Scalar(x)).evaluate()) for x in np.linspace(0.3, 0.8, 6)]
    except Exception:  # a curve of (sto, T) or a table: not judged here
        return None
    return float(np.mean(values))
