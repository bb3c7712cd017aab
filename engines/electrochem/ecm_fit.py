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

from cellwright.projects.model import DesignSnapshot, InputError
from cellwright.projects.model.ecm import EcmParameters, RCTables

__all__ = [
    "HPPC_MODELS",
    "check_hppc_model",
    "find_pulses",
    "fit_ecm_from_measurement",
    "fit_ecm_from_pybamm",
    "fit_pulse",
    "lumped_thermal",
    "with_design_thermal",
]


def _response(
    params: np.ndarray, t: np.ndarray, current: float, pulse: float, on: np.ndarray | None = None
) -> np.ndarray:
    r0, pairs = params[0], params[1:].reshape(-1, 2)
    # which samples carry the current: given by the data where a sample at the very end of the
    # pulse may belong to either side (a solver's step end, or a cycler's first rest sample)
    during = t <= pulse if on is None else on
    out = np.where(during, -current * r0, 0.0)
    for r, tau in pairs:
        rise = 1.0 - np.exp(-np.minimum(t, pulse) / tau)
        decay = np.where(during, 1.0, np.exp(-(t - pulse) / tau))
        out = out - current * r * rise * decay
    return out


def fit_pulse(
    t: np.ndarray,
    overpotential: np.ndarray,
    current: float,
    pulse: float,
    n_rc: int = 2,
    on: np.ndarray | None = None,
) -> np.ndarray:
    """R0, then (R_i, tau_i) pairs, fitted to one pulse and its relaxation.

    ``on`` marks the samples that carry the pulse current (default: ``t <= pulse``).
    """
    during = t <= pulse if on is None else on
    r_total = max(abs(overpotential[during][-1] / current), 1e-6)
    guess = [0.5 * r_total] + [
        v for i in range(n_rc) for v in (0.5 * r_total / n_rc, 3.0 * 30.0**i)
    ]
    lower = [0.0] + [v for i in range(n_rc) for v in (0.0, 0.3 * 30.0**i)]
    upper = [np.inf] + [v for i in range(n_rc) for v in (np.inf, 50.0 * 30.0**i)]
    fit = least_squares(
        lambda p: _response(p, t, current, pulse, on) - overpotential,
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


#: the PyBaMM models an HPPC simulation runs
HPPC_MODELS = ("SPM", "SPMe", "DFN")


def check_hppc_model(model: str, field: str = "model") -> None:
    """Refuse, naming ``field``, a model an HPPC simulation does not run (PyBaMM's own error
    is an AttributeError of its module)."""
    if model not in HPPC_MODELS:
        raise InputError(f"{field}: {model!r} is not one of {', '.join(HPPC_MODELS)}")


def fit_ecm_from_pybamm(
    design: DesignSnapshot,
    model: str = "DFN",
    n_rc: int = 2,
    soc_points: int = 9,
    pulse_c: float = 1.0,
    temperature: float = 298.15,
) -> EcmParameters:
    """Fit ECM tables to an HPPC simulation of the design's PyBaMM parameter set.

    Raises
    ------
    InputError
        For a model other than :data:`HPPC_MODELS`, or a design without a PyBaMM parameter
        set.
    """
    check_hppc_model(model)
    from cellwright.engines.electrochem._pybamm import import_pybamm
    from cellwright.engines.electrochem.pybamm_protocols import hppc_steps

    pybamm = import_pybamm()
    from cellwright.engines.electrochem.parameters import parameter_label, parameter_values_for

    if design.parameter_set is None:
        raise InputError("the design has no PyBaMM parameter set to simulate HPPC with")
    values = parameter_values_for(design)
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
    window = (
        float(values["Lower voltage cut-off [V]"]),
        float(values["Upper voltage cut-off [V]"]),
    )
    fitted = _tables(
        fits,
        n_rc,
        soc_ocv,
        ocv,
        capacity,
        temperature,
        window,
        name=f"ECM fitted to {model} HPPC ({parameter_label(design)})",
        source=f"fitted by engines/electrochem/ecm_fit.py to a PyBaMM {model} HPPC simulation "
        f"of parameter set {parameter_label(design)} at {temperature:g} K; isothermal, entropic "
        "coefficient not fitted (zero)",
    )
    thermal = lumped_thermal(values)
    if thermal is None:
        return fitted
    return _with_lumped_cell(fitted, *thermal, "the parameter set's lumped cell")


def _with_lumped_cell(
    fitted: EcmParameters, mass: float, conductance: float, whose: str
) -> EcmParameters:
    """``fitted`` with a lumped cell of heat capacity ``mass`` [J/K] cooled through
    ``conductance`` [W/K], its source line saying they are ``whose``."""
    # the cell's own lumped heat capacity and surface cooling, as PyBaMM's lumped model has
    # them; no jig: the model's defaults (a 1000 J/K cell in a 500 J/K jig, 10 W/K between
    # them, PyBaMM's ECM_Example) kept an 18650 at 10C within 3 K of the ambient
    return fitted.model_copy(
        update={
            "cell_thermal_mass": mass,
            "cell_jig_conductance": conductance,
            "jig_thermal_mass": _NO_JIG * mass,
            "jig_air_conductance": conductance / _NO_JIG,
            "source": f"{fitted.source}; thermal mass {mass:.3g} J/K and cooling {conductance:.3g} "
            f"W/K of {whose} (no jig)",
        }
    )


def with_design_thermal(
    fitted: EcmParameters,
    design: DesignSnapshot | None,
    whose: str = "",
    no_design: str = "no cell design is known",
) -> tuple[EcmParameters, str]:
    """``fitted`` with the lumped heat capacity and cooling of ``design``'s cell, and a line
    saying where they came from.

    An ECM fitted to a measured run knows nothing of the cell's heat capacity: it kept the
    model's defaults, ECM_Example's 1000 J/K cell in a 500 J/K jig. The cell's PyBaMM
    parameters (its own or its derived set, thermal values filled as a thermal run fills
    them) give them as :func:`lumped_thermal` reads them. Without a design, or a design
    whose parameters give none, the defaults are kept and the line says so and why.
    ``whose`` says which design it is, e.g. "the design of cell SN-1"; ``no_design`` why
    there is none.
    """
    reason = no_design
    if design is not None:
        from cellwright.engines.electrochem.parameters import describes_own_cell, parameter_label

        thermal, reason = _design_thermal(design)
        if thermal is not None:
            mass, conductance = thermal
            label = parameter_label(design)  # "M50 (derived from Chen2020)" or "Chen2020"
            label = label if describes_own_cell(design) else f"{design.cell.name} ({label})"
            label = f"the lumped cell of {label}{f', {whose}' if whose else ''}"
            return (
                _with_lumped_cell(fitted, mass, conductance, label),
                f"thermal mass {mass:.3g} J/K and cooling {conductance:.3g} W/K: {label}",
            )
        reason = f"cell design {design.cell.name!r}{f' ({whose})' if whose else ''}: {reason}"
    defaults = (
        f"the ECM model's defaults (PyBaMM's ECM_Example: a {fitted.cell_thermal_mass:.4g} J/K "
        f"cell in a {fitted.jig_thermal_mass:.4g} J/K jig), not the measured cell's"
    )
    line = f"thermal mass and cooling: {defaults}, as {reason}"
    return fitted.model_copy(update={"source": f"{fitted.source}; {line}"}), line


def _design_thermal(design: DesignSnapshot) -> tuple[tuple[float, float] | None, str]:
    """(heat capacity, conductance) of the design's lumped cell, or None and why not."""
    from cellwright.engines.electrochem.parameters import parameter_values_for

    try:
        values = parameter_values_for(design, thermal=True)
    except (InputError, KeyError, ValueError) as exc:
        detail = exc.detail if isinstance(exc, InputError) else str(exc).strip("'\"")
        return None, detail or type(exc).__name__
    thermal = lumped_thermal(values)
    if thermal is None:
        return None, (
            "its PyBaMM parameters give no constant heat capacities, cell volume and "
            "cooling surface"
        )
    return thermal, ""


#: the jig of a fitted cell: a vanishing heat capacity tied to the ambient, so the cell cools
#: through its own surface conductance alone
_NO_JIG = 1e-3

#: the layers through the thickness of PyBaMM's pouch-cell unit, as its lumped model averages
_LAYERS = (
    "Negative current collector",
    "Negative electrode",
    "Separator",
    "Positive electrode",
    "Positive current collector",
)


def lumped_thermal(values) -> tuple[float, float] | None:
    """Heat capacity [J/K] and cooling conductance [W/K] of the lumped cell of PyBaMM
    parameter ``values``: the x-averaged volumetric heat capacity, Σ ρᵢ cᵢ Lᵢ / Σ Lᵢ, over the
    cell volume (PyBaMM's lumped thermal model, Timms et al. 2021, J. Electrochem. Soc. 168
    050540, eq. 10) and h A of its cooling surface; None when a value is not a number (a
    function of temperature)."""
    try:
        layers = [
            (
                float(values[f"{name} density [kg.m-3]"]),
                float(values[f"{name} specific heat capacity [J.kg-1.K-1]"]),
                float(values[f"{name} thickness [m]"]),
            )
            for name in _LAYERS
        ]
        volume = float(values["Cell volume [m3]"])
        conductance = float(values["Total heat transfer coefficient [W.m-2.K-1]"]) * float(
            values["Cell cooling surface area [m2]"]
        )
    except (KeyError, TypeError, ValueError):
        return None
    thickness = sum(length for _, _, length in layers)
    if thickness <= 0 or volume <= 0 or conductance <= 0:
        return None
    rho_cp = sum(rho * cp * length for rho, cp, length in layers) / thickness
    return rho_cp * volume, conductance


def _tables(fits, n_rc, soc_ocv, ocv, capacity, temperature, window, name, source):
    """EcmParameters from per-pulse fits: {+1: [(soc, params)], -1: [...]}.

    One table per current direction on the SOC grid of the pulses, extended to 0 and 1; a
    direction without pulses takes the other direction's values.
    """
    if not fits[+1] and not fits[-1]:
        raise InputError("no HPPC pulses to fit")
    for sign in (+1, -1):
        fits[sign] = fits[sign] or fits[-sign]
    socs = np.array(sorted(s for s, _ in fits[+1]))
    grid = np.unique(np.round(np.concatenate([[0.0], socs, [1.0]]), 9))

    def column(sign: int, index: int) -> np.ndarray:
        pts = sorted(fits[sign], key=lambda item: item[0])
        x = np.array([s for s, _ in pts])
        y = np.array([p[index] for _, p in pts])
        return np.interp(grid, x, y)

    def table(index: int) -> np.ndarray:
        by_current = np.stack([column(-1, index), column(+1, index)])
        return np.broadcast_to(by_current, (2, 2, grid.size)).copy()

    pairs = []
    for i in range(n_rc):
        r = np.maximum(table(1 + 2 * i), 1e-7)
        pairs.append(RCTables(resistance=r, capacitance=table(2 + 2 * i) / r))
    return EcmParameters(
        name=name,
        source=source,
        capacity=capacity,
        temperature_axis=np.array([temperature - 10.0, temperature + 10.0]),
        current_axis=np.array([-capacity, capacity]),
        soc_axis=grid,
        r0=np.maximum(table(0), 1e-7),
        rc=pairs,
        ocv_soc=soc_ocv,
        ocv=ocv,
        entropic_ocv_axis=np.array([float(ocv.min()) - 0.5, float(ocv.max()) + 0.5]),
        entropic_temperature_axis=np.array([temperature - 10.0, temperature + 10.0]),
        entropic=np.zeros((2, 2)),
        lower_voltage=window[0],
        upper_voltage=window[1],
    )


def find_pulses(
    time: np.ndarray,
    current: np.ndarray,
    max_pulse: float = 60.0,
    min_rest: float = 60.0,
    threshold: float | None = None,
) -> list[tuple[int, int, int]]:
    """HPPC pulses in a measured record: (start, end, end of the following rest) indices.

    A pulse is a run of non-zero current no longer than ``max_pulse`` seconds, with rests of at
    least ``min_rest`` seconds before and after it. ``current`` is positive on discharge.
    """
    threshold = threshold if threshold is not None else 0.01 * float(np.max(np.abs(current)))
    active = np.abs(current) > threshold
    edges = np.flatnonzero(np.diff(active.astype(int))) + 1
    bounds = np.concatenate([[0], edges, [len(current)]])
    runs = [(bounds[k], bounds[k + 1], bool(active[bounds[k]])) for k in range(len(bounds) - 1)]
    out = []
    for k in range(1, len(runs) - 1):
        (a0, a1, rest_before), (p0, p1, on), (r0, r1, rest_after) = runs[k - 1 : k + 2]
        if not on or rest_before or rest_after:
            continue
        if (
            time[p1 - 1] - time[p0] <= max_pulse
            and time[a1 - 1] - time[a0] >= min_rest
            and time[r1 - 1] - time[r0] >= min_rest
        ):
            out.append((p0, p1, r1))
    return out


def fit_ecm_from_measurement(
    time: np.ndarray,
    voltage: np.ndarray,
    current: np.ndarray,
    capacity: float,
    initial_soc: float = 1.0,
    n_rc: int = 2,
    temperature: float = 298.15,
    name: str = "measured HPPC",
    window: tuple[float, float] = (2.5, 4.2),
) -> EcmParameters:
    """Fit ECM tables to a measured HPPC record (current positive on discharge).

    SOC comes from coulomb counting from ``initial_soc``; OCV points are the relaxed voltages
    at the end of the rests before each pulse; each pulse and its relaxation are fitted as in
    :func:`fit_pulse`.
    """
    pulses = find_pulses(time, current)
    if not pulses:
        # the record named: the CLI's "no HPPC pulses found" left open which run had none
        raise InputError(
            f"{name}: no HPPC pulses found (a pulse is <= 60 s of current between rests of "
            ">= 60 s; this record has none: a cycling test, an OCV or a sweep is no HPPC)"
        )
    # each sample's current holds until the next sample (left Riemann sum)
    charge = np.concatenate([[0.0], np.cumsum(current[:-1] * np.diff(time))]) / 3600.0
    soc = initial_soc - charge / capacity
    # OCV from the relaxed voltage before each pulse; a pulse's overpotential is measured
    # against OCV(SOC(t)) so that the charge the pulse moves does not bias the RC fit
    ocv_points = {round(float(soc[p0 - 1]), 6): float(voltage[p0 - 1]) for p0, _, _ in pulses}
    socs = np.array(sorted(ocv_points))
    if socs.size < 2:
        raise InputError(
            f"{name}: {len(pulses)} HPPC pulse(s) found, all after rests at one state of "
            "charge; the OCV curve needs rests at two or more (an HPPC steps the state of "
            "charge between its pulses)"
        )
    ocv = np.array([ocv_points[s] for s in socs])
    fits = {+1: [], -1: []}
    for p0, p1, r1 in pulses:
        i_pulse = float(np.median(current[p0:p1]))
        # the pulse starts at its first sample and ends at the first rest sample
        t = time[p0:r1] - time[p0]
        drift = np.interp(soc[p0:r1], socs, ocv) - np.interp(soc[p0 - 1], socs, ocv)
        overpotential = voltage[p0:r1] - voltage[p0 - 1] - drift
        on = np.arange(p0, r1) < p1
        params = fit_pulse(t, overpotential, i_pulse, float(time[p1] - time[p0]), n_rc, on)
        fits[+1 if i_pulse > 0 else -1].append((float(soc[p0]), params))
    return _tables(
        fits,
        n_rc,
        socs,
        ocv,
        capacity,
        temperature,
        window,
        name=f"ECM fitted to {name}",
        source=f"fitted by engines/electrochem/ecm_fit.py to measured HPPC data "
        f"({name}); OCV from relaxed rest voltages; isothermal",
    )
