"""Fitting a Thevenin ECM to a PyBaMM HPPC simulation of a design.

Procedure (after Plett, *Battery Management Systems* Vol. I, 2015, §2.10-2.11, on simulated
instead of measured HPPC data):

1. OCV(SOC): a C/20 discharge of the physics model; the bulk open-circuit voltage (PyBaMM's
   "Bulk open-circuit voltage [V]", from the average particle concentrations) against
   SOC = 1 - Q/Q_total, Q_total being the C/20 capacity.
2. R0, R_i, C_i: for every HPPC pulse (discharge and charge, at nine SOCs), the overpotential
   V - OCV_bulk over the pulse and the rest after it is fitted by least squares with the
   exact step response of R0 + n RC pairs:
       during the pulse  dV(t) = -I (R0 + sum R_i (1 - exp(-t/tau_i)))
       after it          dV(t) = -I sum R_i (1 - exp(-T/tau_i)) exp(-(t - T)/tau_i)
   Discharge pulses give the tables at positive current, charge pulses at negative current.
The fit is isothermal at one temperature: the temperature axis repeats the values, and the
entropic coefficient is zero (documented on the result's source line).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import least_squares

from projects.model import DesignSnapshot, InputError
from projects.model.ecm import EcmParameters, RCTables

__all__ = ["fit_ecm_from_pybamm", "fit_pulse"]


def _response(params: np.ndarray, t: np.ndarray, current: float, pulse: float) -> np.ndarray:
    r0, pairs = params[0], params[1:].reshape(-1, 2)
    during = t <= pulse
    out = np.where(during, -current * r0, 0.0)
    for r, tau in pairs:
        rise = 1.0 - np.exp(-np.minimum(t, pulse) / tau)
        decay = np.where(during, 1.0, np.exp(-(t - pulse) / tau))
        out = out - current * r * rise * decay
    return out


def fit_pulse(
    t: np.ndarray, overpotential: np.ndarray, current: float, pulse: float, n_rc: int = 2
) -> np.ndarray:
    """R0, then (R_i, tau_i) pairs, fitted to one pulse and its relaxation."""
    r_total = max(abs(overpotential[t <= pulse][-1] / current), 1e-6)
    guess = [0.5 * r_total] + [
        v for i in range(n_rc) for v in (0.5 * r_total / n_rc, 3.0 * 30.0**i)
    ]
    lower = [0.0] + [v for i in range(n_rc) for v in (0.0, 0.3 * 30.0**i)]
    upper = [np.inf] + [v for i in range(n_rc) for v in (np.inf, 50.0 * 30.0**i)]
    fit = least_squares(
        lambda p: _response(p, t, current, pulse) - overpotential,
        guess,
        bounds=(lower, upper),
        x_scale="jac",
    )
    return fit.x


def _ocv_curve(pybamm, values, model_name: str):
    model = getattr(pybamm.lithium_ion, model_name)()
    sim = pybamm.Simulation(
        model,
        parameter_values=values.copy(),
        experiment=pybamm.Experiment(
            [f"Discharge at C/20 until {values['Lower voltage cut-off [V]']} V"],
            period="60 seconds",
        ),
        solver=pybamm.IDAKLUSolver(),
    )
    sol = sim.solve(initial_soc=1.0)
    q = sol["Discharge capacity [A.h]"].entries
    soc = 1.0 - q / q[-1]
    ocv = sol["Bulk open-circuit voltage [V]"].entries
    order = np.argsort(soc)
    soc, idx = np.unique(soc[order], return_index=True)
    return soc, ocv[order][idx], float(q[-1])


def fit_ecm_from_pybamm(
    design: DesignSnapshot,
    model: str = "DFN",
    n_rc: int = 2,
    soc_points: int = 9,
    pulse_c: float = 1.0,
    temperature: float = 298.15,
) -> EcmParameters:
    """Fit ECM tables to an HPPC simulation of the design's PyBaMM parameter set."""
    from engines.electrochem._pybamm import import_pybamm
    from engines.electrochem.pybamm_protocols import hppc_steps

    pybamm = import_pybamm()
    if design.parameter_set is None:
        raise InputError("the design has no PyBaMM parameter set to simulate HPPC with")
    values = pybamm.ParameterValues(design.parameter_set)
    values["Ambient temperature [K]"] = temperature
    values["Initial temperature [K]"] = temperature
    soc_ocv, ocv, capacity = _ocv_curve(pybamm, values, model)
    pulse_s, rest_min = 10.0, 40.0
    experiment = pybamm.Experiment(
        hppc_steps(soc_points, pulse_c, pulse_s, rest_min), period="1 second"
    )
    sim = pybamm.Simulation(
        getattr(pybamm.lithium_ion, model)(),
        parameter_values=values,
        experiment=experiment,
        solver=pybamm.IDAKLUSolver(),
    )
    sol = sim.solve(initial_soc=1.0)
    fits = {+1: [], -1: []}
    for k in range(soc_points):
        for sign, offset in ((+1, 1), (-1, 3)):
            pulse, rest = sol.cycles[1 + 6 * k + offset - 1], sol.cycles[2 + 6 * k + offset - 1]
            t = np.concatenate([pulse["Time [s]"].entries, rest["Time [s]"].entries])
            v = np.concatenate([pulse["Voltage [V]"].entries, rest["Voltage [V]"].entries])
            u = np.concatenate(
                [
                    pulse["Bulk open-circuit voltage [V]"].entries,
                    rest["Bulk open-circuit voltage [V]"].entries,
                ]
            )
            q0 = pulse["Discharge capacity [A.h]"].entries[0]
            current = float(pulse["Current [A]"].entries[len(pulse["Current [A]"].entries) // 2])
            params = fit_pulse(t - t[0], v - u, current, pulse_s, n_rc)
            fits[sign].append((1.0 - q0 / capacity, params))
    return _tables(design, model, n_rc, fits, soc_ocv, ocv, capacity, temperature, values)


def _tables(design, model, n_rc, fits, soc_ocv, ocv, capacity, temperature, values):
    socs = np.array(sorted(s for s, _ in fits[+1]))
    # one table per current direction, on the discharge pulses' SOC grid, extended to 0 and 1
    grid = np.unique(np.round(np.concatenate([[0.0], socs, [1.0]]), 9))

    def column(sign: int, index: int) -> np.ndarray:
        pts = sorted(fits[sign])
        x = np.array([s for s, _ in pts])
        y = np.array([p[index] for _, p in pts])
        return np.interp(grid, x, y)

    def table(index: int, transform=lambda y, s: y) -> np.ndarray:
        by_current = np.stack([transform(column(-1, index), -1), transform(column(+1, index), +1)])
        return np.broadcast_to(by_current, (2, 2, grid.size)).copy()

    r0 = table(0)
    pairs = []
    for i in range(n_rc):
        r = table(1 + 2 * i)
        tau = table(2 + 2 * i)
        pairs.append(
            RCTables(resistance=np.maximum(r, 1e-7), capacitance=tau / np.maximum(r, 1e-7))
        )
    current = float(values["Nominal cell capacity [A.h]"])
    return EcmParameters(
        name=f"ECM fitted to {model} HPPC ({design.parameter_set})",
        source=f"fitted by engines/electrochem/ecm_fit.py to a PyBaMM {model} HPPC simulation "
        f"of parameter set {design.parameter_set} at {temperature:g} K; isothermal, "
        "entropic coefficient not fitted (zero)",
        capacity=capacity,
        temperature_axis=np.array([temperature - 10.0, temperature + 10.0]),
        current_axis=np.array([-current, current]),
        soc_axis=grid,
        r0=np.maximum(r0, 1e-7),
        rc=pairs,
        ocv_soc=soc_ocv,
        ocv=ocv,
        entropic_ocv_axis=np.array([float(ocv.min()) - 0.5, float(ocv.max()) + 0.5]),
        entropic_temperature_axis=np.array([temperature - 10.0, temperature + 10.0]),
        entropic=np.zeros((2, 2)),
        lower_voltage=float(values["Lower voltage cut-off [V]"]),
        upper_voltage=float(values["Upper voltage cut-off [V]"]),
    )
