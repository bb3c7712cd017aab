"""ECM parameters from PyBaMM's shipped equivalent-circuit parameter sets.

PyBaMM's ECM sets define R, C, OCV and dU/dT as ``pybamm.Interpolant`` functions over data
tables; evaluating each function on dummy symbols returns the Interpolant, whose ``x`` and ``y``
are exactly the tables. Temperatures in those tables are in degC; ours are in K.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import InputError
from cellwright.projects.model.ecm import EcmParameters, RCTables

__all__ = ["ecm_parameters_from_pybamm"]

_DEGC = 273.15


def _interpolant(pv, name: str, n_args: int):
    import pybamm

    func = pv[name]
    dummy = [pybamm.Scalar(0.0)] * n_args
    node = func(*dummy) if callable(func) else None
    if not isinstance(node, pybamm.Interpolant):
        raise InputError(f"{name!r} is not a table (Interpolant) in this parameter set")
    return [np.asarray(x, dtype=float) for x in node.x], np.asarray(node.y, dtype=float)


def ecm_parameters_from_pybamm(set_name: str = "ECM_Example") -> EcmParameters:
    """Read a PyBaMM ECM parameter set into :class:`EcmParameters`.

    Parameters
    ----------
    set_name
        A PyBaMM parameter set with ``chemistry == "ecm"`` (``"ECM_Example"`` ships with PyBaMM).
    """
    from cellwright.engines.electrochem._pybamm import import_pybamm

    pybamm = import_pybamm()
    if set_name not in pybamm.parameter_sets:
        raise InputError(f"no PyBaMM parameter set {set_name!r}")
    pv = pybamm.ParameterValues(set_name)
    if pv.get("chemistry", None) != "ecm" and "R0 [Ohm]" not in pv:
        raise InputError(f"PyBaMM parameter set {set_name!r} is not an equivalent-circuit set")
    (t_ax, i_ax, s_ax), r0 = _interpolant(pv, "R0 [Ohm]", 3)
    pairs = []
    k = 1
    while f"R{k} [Ohm]" in pv:
        _, r = _interpolant(pv, f"R{k} [Ohm]", 3)
        _, c = _interpolant(pv, f"C{k} [F]", 3)
        pairs.append(RCTables(resistance=r, capacitance=c))
        k += 1
    (ocv_soc,), ocv = _interpolant(pv, "Open-circuit voltage [V]", 1)
    (e_ocv, e_t), ent = _interpolant(pv, "Entropic change [V/K]", 2)
    return EcmParameters(
        id=f"pybamm-{set_name.lower()}",
        name=f"PyBaMM {set_name}",
        source=f"PyBaMM {pybamm.__version__} parameter set {set_name}",
        capacity=float(pv["Cell capacity [A.h]"]),
        temperature_axis=t_ax + _DEGC,
        current_axis=i_ax,
        soc_axis=s_ax,
        r0=r0,
        rc=pairs,
        ocv_soc=ocv_soc,
        ocv=ocv,
        entropic_ocv_axis=e_ocv,
        entropic_temperature_axis=e_t + _DEGC,
        entropic=ent,
        cell_thermal_mass=float(pv["Cell thermal mass [J/K]"]),
        jig_thermal_mass=float(pv["Jig thermal mass [J/K]"]),
        cell_jig_conductance=float(pv["Cell-jig heat transfer coefficient [W/K]"]),
        jig_air_conductance=float(pv["Jig-air heat transfer coefficient [W/K]"]),
        lower_voltage=float(pv["Lower voltage cut-off [V]"]),
        upper_voltage=float(pv["Upper voltage cut-off [V]"]),
    )
