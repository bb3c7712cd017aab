"""Identifying PyBaMM parameters from measured voltage: least squares with confidence intervals.

Chosen parameters (numbers or functions of a PyBaMM set: diffusivities, exchange-current
densities, contact resistance …) are multiplied by factors θ that enter the model as input
parameters, so the model is built once and each cost evaluation is one solve. The cost is
PyBOP's sum of squared voltage errors over every sample of every measured run (Planden et al.
2024, *PyBOP*, the cost ``SumSquaredError``), minimised over log θ with scipy's trust-region
reflective least squares within factors of 0.1–10 of the stock values.

Confidence intervals are the standard nonlinear-regression ones (Bates & Watts 1988, §2.3;
Seber & Wild 2003, eq. 5.1): with the residual variance s² = SSE / (n − p) and the Jacobian J
at the optimum, cov(log θ) = s² (JᵀJ)⁻¹, and the 95 % interval of log θᵢ is
log θᵢ ± t₀.₉₇₅,ₙ₋ₚ √covᵢᵢ, mapped back to the parameter (so it is asymmetric). They hold when
the model is right and the noise is independent; with model error they are too narrow, which the
report says beside them (tests/validation/test_parameter_identification.py checks coverage on a
synthetic noisy discharge with known parameters).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import least_squares
from scipy.stats import t as student_t

from cellwright.projects.model import DesignSnapshot, InputError

__all__ = ["FitOutcome", "FittedValue", "MeasuredRun", "fit_pybamm_parameters", "simulate_runs"]


@dataclass(frozen=True)
class MeasuredRun:
    """A measured record: time [s], voltage [V], current [A] positive on discharge."""

    name: str
    time: np.ndarray
    voltage: np.ndarray
    current: np.ndarray
    temperature: float = 298.15
    #: state of charge at the start; None: the parameter set's initial state, as the discharge
    #: engines start (so a fitted set carries over to them unchanged)
    initial_soc: float | None = None


@dataclass(frozen=True)
class FittedValue:
    """One identified parameter: its factor on the stock value with the 95 % interval."""

    name: str
    factor: float
    low: float
    high: float
    stock: float | None  # the stock number (None when the parameter is a function)

    @property
    def value(self) -> float | None:
        """The fitted number (None for a function parameter: its factor is the answer)."""
        return None if self.stock is None else self.stock * self.factor


@dataclass
class FitOutcome:
    """What a fit found, and the curves it compares."""

    parameters: list[FittedValue]
    rmse_stock: float
    rmse_fitted: float
    evaluations: int
    model: str
    base: str
    curves: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    def factors(self) -> dict[str, float]:
        """Parameter name -> fitted factor on the stock value."""
        return {p.name: p.factor for p in self.parameters}


def _scaled(value: Any, scale: Any) -> Any:
    if callable(value):
        return lambda *args: scale * value(*args)
    return scale * value


def _model(snapshot: DesignSnapshot, names: list[str], model: str, run: MeasuredRun):
    """A built simulation of ``run``'s current with each named parameter times an input."""
    from cellwright.engines.electrochem._pybamm import import_pybamm
    from cellwright.engines.electrochem.parameters import parameter_values_for

    pybamm = import_pybamm()
    values = parameter_values_for(snapshot)
    stock = {}
    for k, name in enumerate(names):
        if name not in values:
            close = difflib.get_close_matches(name, list(values.keys()), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise InputError(f"{snapshot.parameter_set} has no parameter {name!r}{hint}")
        original = values[name]
        stock[name] = None if callable(original) else float(original)
        values[name] = _scaled(original, pybamm.InputParameter(f"factor {k}"))
    current = pybamm.Interpolant(run.time, run.current, pybamm.t, interpolator="linear")
    values.update({
        "Current function [A]": current,
        "Ambient temperature [K]": run.temperature,
        "Initial temperature [K]": run.temperature,
        # the model must follow the data to its end, not stop at its own cut-off first
        "Lower voltage cut-off [V]": float(np.min(run.voltage)) - 0.5,
    })  # fmt: skip
    sim = pybamm.Simulation(getattr(pybamm.lithium_ion, model)(), parameter_values=values,
                            solver=pybamm.IDAKLUSolver())  # fmt: skip
    return sim, stock


def simulate_runs(
    snapshot: DesignSnapshot, runs: list[MeasuredRun], factors: dict[str, float], model: str
) -> list[np.ndarray]:
    """The model's voltage at each run's sample times with ``factors`` applied."""
    names = list(factors)
    out = []
    for run in runs:
        sim, _ = _model(snapshot, names, model, run)
        inputs = {f"factor {k}": factors[n] for k, n in enumerate(names)}
        out.append(_solve(sim, run, inputs))
    return out


def _solve(sim, run: MeasuredRun, inputs: dict[str, float]) -> np.ndarray:
    extra = {} if run.initial_soc is None else {"initial_soc": run.initial_soc}
    try:
        solution = sim.solve([0.0, float(run.time[-1])], t_interp=run.time, inputs=inputs,
                             **extra)  # fmt: skip
    except Exception:  # the solver gave up for these factors: as bad as it gets, not an error
        return np.full(run.time.shape, np.nan)
    v = solution["Voltage [V]"].entries
    if v.shape != run.time.shape:  # stopped early: the rest of the record is not reached
        v = np.concatenate([v, np.full(run.time.size - v.size, np.nan)])
    return v


def fit_pybamm_parameters(
    snapshot: DesignSnapshot,
    runs: list[MeasuredRun],
    parameters: list[str],
    model: str = "SPMe",
    progress: Callable[[int, float], None] | None = None,
) -> FitOutcome:
    """Fit factors on ``parameters`` of the snapshot's PyBaMM set to measured ``runs``.

    Raises
    ------
    InputError
        No parameters, a name the set does not have, or a run that is too short.
    """
    if not parameters:
        raise InputError("name at least one PyBaMM parameter to fit")
    for run in runs:
        if run.time.size < len(parameters) + 5:
            raise InputError(f"run {run.name!r} has {run.time.size} samples: too few to fit")
    built = [_model(snapshot, parameters, model, run) for run in runs]
    stock = built[0][1]
    count = [0]

    def residuals(log_factors: np.ndarray) -> np.ndarray:
        count[0] += 1
        inputs = {f"factor {k}": float(np.exp(v)) for k, v in enumerate(log_factors)}
        parts = []
        for (sim, _), run in zip(built, runs, strict=True):
            error = _solve(sim, run, inputs) - run.voltage
            parts.append(np.where(np.isfinite(error), error, 1.0))  # 1 V where it fails
        r = np.concatenate(parts)
        if progress is not None:
            progress(count[0], float(np.sqrt(np.mean(r**2))))
        return r

    start = residuals(np.zeros(len(parameters)))
    fit = least_squares(residuals, np.zeros(len(parameters)), bounds=(np.log(0.1), np.log(10.0)),
                        diff_step=1e-4, x_scale=1.0, method="trf")  # fmt: skip
    values = _intervals(fit, parameters, stock)
    curves = _curves(runs, built, fit.x, start)
    return FitOutcome(
        values, float(np.sqrt(np.mean(start**2))), float(np.sqrt(np.mean(fit.fun**2))),
        count[0], model, str(snapshot.parameter_set), curves,
    )  # fmt: skip


def _intervals(fit, names: list[str], stock: dict[str, float | None]) -> list[FittedValue]:
    n, p = fit.fun.size, fit.x.size
    s2 = float(np.sum(fit.fun**2)) / max(n - p, 1)
    jac = np.asarray(fit.jac)
    try:
        cov = s2 * np.linalg.inv(jac.T @ jac)
    except np.linalg.LinAlgError:  # the data cannot tell these parameters apart
        cov = np.full((p, p), np.inf)
    half = student_t.ppf(0.975, max(n - p, 1)) * np.sqrt(np.clip(np.diag(cov), 0, np.inf))
    return [
        FittedValue(name, float(np.exp(x)), float(np.exp(x - h)), float(np.exp(x + h)), stock[name])
        for name, x, h in zip(names, fit.x, half, strict=True)
    ]


def _curves(runs, built, log_factors, start_residuals) -> dict[str, dict[str, np.ndarray]]:
    inputs = {f"factor {k}": float(np.exp(v)) for k, v in enumerate(log_factors)}
    curves, offset = {}, 0
    for (sim, _), run in zip(built, runs, strict=True):
        stock_v = run.voltage + start_residuals[offset : offset + run.time.size]
        offset += run.time.size
        curves[run.name] = {
            "Time [s]": run.time,
            "Measured voltage [V]": run.voltage,
            "Fitted voltage [V]": _solve(sim, run, inputs),
            "Stock voltage [V]": stock_v,
        }
    return curves
