"""Which open-circuit potentials a derived design runs on.

A design keeps its base set's OCP curves (design_parameters), unless its positive's material
has its own curve in another PyBaMM set (NMC532: Mohtat2020): an NMC532 or LMO positive on
Chen2020's NMC811 curve, with NMC532's maximum concentration, delivered 71-78 % of its nominal
capacity at 1C with no word. The own curve replaces the base's, the positive starting where it
gives the base curve's charged potential; a positive no set models runs on the base curve and
the run's warnings say it is another chemistry's, and what the cell delivered.

Every set's negative is graphite (Chen2020's with ~10 % SiOx), and PyBaMM has no single-phase
curve of a silicon-rich blend or of hard carbon; such a negative runs on the base set's graphite
curve, inside the refusal's 0.5 V, and the run's warnings say so and what the cell delivered.

An LTO negative on a graphite curve (1.55 V against ~0.1 V) ran a 2.4 V cell as a 3.6 V one
with no word, so it is refused: the base curve's mean over stoichiometry 0.3-0.8 (inside every
set's fitted range) is compared with the material's stated mean potential.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cellwright.projects.design.materials import MaterialTable
from cellwright.projects.model import CellDesign, InputError

__all__ = [
    "FOREIGN",
    "WINDOW_NOTE",
    "check_base_ocp",
    "negative_ocp",
    "positive_ocp",
    "with_delivered",
]

#: the library's material each set's positive curve was fitted to, from the sets' papers
_POSITIVE_OF_SET = {
    "Chen2020": "nmc811",  # LG M50, Chen et al. 2020, J. Electrochem. Soc. 167 080534
    "Mohtat2020": "nmc532",  # Mohtat et al. 2020, J. Electrochem. Soc. 167 110561
    "Ai2020": "lco",  # Enertech pouch, Ai et al. 2020, J. Electrochem. Soc. 167 013512
    "Prada2013": "lfp",  # A123 26650, Prada et al. 2013, J. Electrochem. Soc. 160 A616
    "Ecker2015": "nmc111",  # Kokam SLPB 75106100, Ecker et al. 2015, J. Electrochem. Soc. 162 A1836
    "NCA_Kim2011": "nca",  # Kim et al. 2011, J. Electrochem. Soc. 158 A955
}
#: the chemistry (the library's ``chemistry`` column) of each set's negative, from the papers
_NEGATIVE_OF_SET = {
    "Chen2020": "graphite-SiOx",  # graphite with ~10 % SiOx, Chen et al. 2020
    "Mohtat2020": "graphite",
    "Ai2020": "graphite",
    "Prada2013": "graphite",
    "Ecker2015": "graphite",
    "NCA_Kim2011": "graphite",
}
#: negatives that run on a graphite curve as their own: graphite, and Chen2020's blend whose
#: SiOx adds ~10 % (its curve is graphite's staging plateaus)
_GRAPHITES = {"graphite", "graphite-siox"}


def _foreign(side: str) -> str:
    """How a note about an electrode on another chemistry's curve begins."""
    return f"{side}.active_material: PyBaMM has no open-circuit potential of"


#: how the notes on an electrode run on another chemistry's curve begin (with_delivered finds them)
FOREIGN = tuple(_foreign(side) for side in ("positive", "negative"))
#: how the note begins when the electrodes cannot cycle the design's capacity (design_parameters)
WINDOW_NOTE = "capacity: the electrodes' windows cycle"

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


def positive_ocp(
    design: CellDesign, base, base_name: str, values: dict[str, Any], notes: list[str]
) -> None:
    """Put the positive's own open-circuit potential into ``values``, or say in ``notes`` that
    it runs on another chemistry's."""
    import pybamm

    material = design.positive.active_material
    modelled = _POSITIVE_OF_SET.get(base_name)
    if modelled is None or material == modelled:
        return
    own = next((name for name, m in _POSITIVE_OF_SET.items() if m == material), None)
    if own is None:
        notes.append(
            f"{_foreign('positive')} {material}: the positive runs on {base_name}'s {modelled} "
            f"curve, another chemistry's"
        )
        return
    source = pybamm.ParameterValues(own)
    for key in ("Positive electrode OCP [V]", "Positive electrode OCP entropic change [V.K-1]"):
        if key in source:
            values[key] = source[key]
    notes.append(f"positive: {material}'s open-circuit potential from PyBaMM's {own} set")
    if design.positive.stoichiometry_min is None:
        # no window given: start where the own curve gives the base curve's charged potential
        key = "Initial concentration in positive electrode [mol.m-3]"
        c_max = values["Maximum concentration in positive electrode [mol.m-3]"]
        start = values[key] / c_max
        charged = _ocp(base["Positive electrode OCP [V]"], start)
        x = _stoichiometry_at(values["Positive electrode OCP [V]"], charged)
        if x is not None:
            values[key] = x * c_max


def negative_ocp(
    design: CellDesign, table: MaterialTable, base_name: str, notes: list[str]
) -> None:
    """Say in ``notes`` when the negative is not of the chemistry whose curve it runs on.

    A graphite negative runs on any set's graphite curve; a silicon-rich blend, SiOx or hard
    carbon has a curve of its own shape (sloping, with a hysteresis graphite lacks) that no set
    holds, so its run is another chemistry's and says so.
    """
    modelled = _NEGATIVE_OF_SET.get(base_name)
    material = design.negative.active_material
    if modelled is None or not material:
        return
    chemistry = table.material(material, "negative.active_material").chemistry
    if not chemistry or chemistry.lower() in _GRAPHITES:
        return
    notes.append(
        f"{_foreign('negative')} {material} ({chemistry}): the negative runs on {base_name}'s "
        f"{modelled} curve, another chemistry's"
    )


def with_delivered(notes: list[str], delivered: float, nominal: float, how: str) -> list[str]:
    """``notes`` with what the cell delivered added to a note on another chemistry's curve."""
    return [
        f"{n}: {how} the cell delivered {delivered:.3g} A.h of its nominal {nominal:.3g} A.h "
        f"({delivered / nominal:.0%})"
        if n.startswith((*FOREIGN, WINDOW_NOTE))
        else n
        for n in notes
    ]


def _ocp(curve, x: float) -> float:
    import pybamm

    return float(curve(pybamm.Scalar(x)).evaluate())


def _stoichiometry_at(curve, potential: float) -> float | None:
    """The stoichiometry in 0.01-0.99 where a falling curve has ``potential``, or None."""
    from scipy.optimize import brentq

    lo, hi = 0.01, 0.99
    f = lambda x: _ocp(curve, x) - potential  # noqa: E731
    if f(lo) * f(hi) > 0:
        return None
    return float(brentq(f, lo, hi, xtol=1e-6))
