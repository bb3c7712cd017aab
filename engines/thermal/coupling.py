"""Electro-thermal coupling: heat per cell from the electrochemical engines.

One-way: the electrochemical study runs first (PyBaMM with a lumped thermal model for a single
cell, the pack ECM for a pack) and its Bernardi heat per cell (ohmic + irreversible reaction +
reversible entropic; Bernardi et al. 1985, J. Electrochem. Soc. 132 5) is fed to conduction as
a time table. Two-way (packs): every coupling step the pack ECM advances with each cell held at
its volume-averaged temperature from the conduction solution, and the heat it returns drives the
next conduction steps, so hotter cells take more current and age the balance as they would.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cellwright.engines.api import Progress, run_study
from cellwright.projects.model import DesignSnapshot, InputError

__all__ = ["electrochemical_heat", "heat_table"]

HeatFunction = Callable[[float, float, np.ndarray], np.ndarray]  # (t0, t1, T) -> W


def electrochemical_heat(spec, design: DesignSnapshot, problem, progress: Progress) -> HeatFunction:
    """Heat per cell [W] as a function of time and the cells' mean temperatures."""
    h = spec.heat
    if spec.target == "cell":
        if h.coupling == "two-way":
            return _pybamm_two_way(spec, design, progress)
        return _pybamm_one_way(spec, design, progress)
    if h.coupling == "one-way":
        return _pack_one_way(spec, design, problem, progress)
    return _pack_two_way(spec, design, problem)


def heat_table(times: np.ndarray, heat: np.ndarray) -> HeatFunction:
    """Mean per-cell heat over each time step from a table (trapezoidal energy, so the energy
    fed to conduction equals the electrochemistry's); no heat after the table ends."""
    times = np.asarray(times, float)
    energy = np.vstack(
        [
            np.zeros(heat.shape[1]),
            np.cumsum(np.diff(times)[:, None] * (heat[1:] + heat[:-1]) / 2, 0),
        ]
    )

    def cumulative(t: float) -> np.ndarray:
        return np.array([np.interp(t, times, energy[:, c]) for c in range(heat.shape[1])])

    def at(t0: float, t1: float, temps: np.ndarray) -> np.ndarray:
        return (cumulative(t1) - cumulative(t0)) / (t1 - t0)

    return at


def _pybamm_one_way(spec, design: DesignSnapshot, progress: Progress) -> HeatFunction:
    from cellwright.engines.electrochem.parameters import parameter_values_for

    echem = {"model": "SPMe", **spec.heat.electrochem, "thermal": "lumped"}
    echem.setdefault("ambient_temperature", spec.initial_temperature)
    progress.update(0.05, "electrochemistry (PyBaMM, lumped thermal)")
    result = run_study("electrochem.pybamm", echem, design)
    volume = float(parameter_values_for(design)["Cell volume [m3]"])
    times = result.series["Time [s]"]
    watts = result.series["Total heat generation [W.m-3]"] * volume
    return heat_table(times, watts[:, None])


def _pybamm_two_way(spec, design: DesignSnapshot, progress: Progress) -> HeatFunction:
    """PyBaMM stepped between exchanges with its cell held at the conduction temperature.

    PyBaMM's lumped thermal model gets the conduction's volume-averaged jelly-roll temperature
    as its ambient, with a heat-transfer coefficient so large (1e4 W/(m^2 K); time constant
    ~1 s for a 21700) that its cell temperature follows that ambient: the electrochemistry
    then runs at the 3D model's temperature and its Bernardi heat goes back to the mesh.
    """
    from cellwright.engines.electrochem._pybamm import import_pybamm
    from cellwright.engines.electrochem.parameters import parameter_values_for

    pybamm = import_pybamm()
    echem = {"model": "SPMe", **spec.heat.electrochem}
    unknown = sorted(set(echem) - {"model", "c_rate", "current", "initial_soc"})
    if unknown or ("c_rate" in echem) == ("current" in echem):
        raise InputError(
            "spec.heat.electrochem: two-way coupling of a cell takes model, initial_soc and "
            "one constant load, c_rate or current (positive on discharge)"
            + (f"; not {', '.join(unknown)}" if unknown else "")
        )
    values = parameter_values_for(design)
    current = echem.get("current") or echem["c_rate"] * float(values["Nominal cell capacity [A.h]"])
    volume = float(values["Cell volume [m3]"])
    values.update(
        {
            "Ambient temperature [K]": "[input]",
            "Initial temperature [K]": spec.initial_temperature,
            "Current function [A]": current,
            "Total heat transfer coefficient [W.m-2.K-1]": 1e4,
        }
    )
    model = getattr(pybamm.lithium_ion, echem["model"])(options={"thermal": "lumped"})
    values.set_initial_state(echem.get("initial_soc", 1.0), options=model.options)
    sim = pybamm.Simulation(model, parameter_values=values, solver=pybamm.IDAKLUSolver())
    progress.update(0.05, f"electrochemistry ({echem['model']}, stepped with the 3D model)")
    state = {"until": 0.0, "q": 0.0, "done": False}
    exchange = spec.heat.coupling_step

    def at(t0: float, t1: float, temps: np.ndarray) -> np.ndarray:
        if t1 > state["until"] + 1e-9:
            if state["done"]:
                return np.zeros(1)
            dt = max(state["until"] + exchange, t1) - state["until"]
            try:
                sol = sim.step(
                    dt=dt,
                    npts=max(int(dt), 2),
                    inputs={"Ambient temperature [K]": float(temps[0])},
                )
            except pybamm.SolverError as exc:
                raise InputError(f"PyBaMM failed at t = {state['until']:g} s: {exc}") from None
            step = sol.sub_solutions[-1] if sol.sub_solutions else sol
            t = step["Time [s]"].entries
            q = step["Volume-averaged total heating [W.m-3]"].entries * volume
            span = t[-1] - t[0]
            state["q"] = float(np.trapezoid(q, t) / span) * span / dt if span > 0 else 0.0
            state["until"] += dt
            state["done"] = "event" in str(sol.termination)
        return np.array([state["q"]])

    return at


def _pack_one_way(spec, design: DesignSnapshot, problem, progress: Progress) -> HeatFunction:
    progress.update(0.05, "electrochemistry (pack ECM)")
    result = run_study("electrochem.pack", dict(spec.heat.electrochem), design)
    if result.message:
        problem.warnings.append(f"electrochemistry stopped: {result.message}")
    field = next(f for f in result.fields if f.name == "Cell heat generation [W]")
    if field.values.shape[1] != problem.cell_count:
        raise InputError(
            f"the pack ECM has {field.values.shape[1]} cells but the mesh {problem.cell_count}"
        )
    return heat_table(np.asarray(field.times), np.asarray(field.values))


def _pack_two_way(spec, design: DesignSnapshot, problem) -> HeatFunction:
    from cellwright.engines.electrochem.pack import PackStepper

    stepper = PackStepper(dict(spec.heat.electrochem), design)
    if stepper.cell_count != problem.cell_count:
        raise InputError(
            f"the pack ECM has {stepper.cell_count} cells but the mesh {problem.cell_count}"
        )
    exchange = spec.heat.coupling_step
    state = {"until": 0.0, "q": np.zeros(problem.cell_count)}

    def at(t0: float, t1: float, temps: np.ndarray) -> np.ndarray:
        # advance the electrochemistry to the next exchange at the current cell temperatures
        # and hold its mean heat until then; no heat once it has stopped
        if t1 > state["until"] + 1e-9:
            if stepper.finished:
                return np.zeros(problem.cell_count)
            target = max(state["until"] + exchange, t1)
            state["q"] = stepper.advance(target, temps)
            state["until"] = target
            if stepper.code:  # a cell hit a limit: say so in the thermal result
                problem.warnings.append(f"electrochemistry stopped: {stepper.result().message}")
        return state["q"]

    return at
