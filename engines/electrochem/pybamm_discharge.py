"""``electrochem.pybamm_discharge``: a constant-current discharge with a PyBaMM model.

SPM, SPMe or DFN (Marquis et al. 2019; Doyle, Fuller & Newman 1993) on the PyBaMM parameter
set of the design, isothermal or with PyBaMM's lumped or x-full thermal model, solved with
IDAKLU. The model is built once per (model, thermal option, parameter set, cut-off) in a
process and re-solved with the current and temperatures as input parameters, so a sweep over
C-rate or ambient temperature costs one solve per point.

The series are given at evenly spaced times (1001 over the time limit unless the spec says
otherwise), read from IDAKLU's cubic Hermite interpolant of its own steps: those steps grow to
10-15 minutes near the end of a discharge, where the knee is, so a curve drawn or compared
through them alone is off by up to 0.16 V (Enertech at 1C on SPMe) and its energy integral with it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cellwright.engines.api import EngineError, Progress
from cellwright.engines.electrochem.design_ocp import with_delivered
from cellwright.projects.model import DesignSnapshot, InputError, Provenance, Result, Unit

__all__ = [
    "DischargeSpec",
    "PybammDischargeEngine",
    "electrolyte_depletion_note",
    "starts_at_a_limit",
]

_THERMAL = {"isothermal": "isothermal", "lumped": "lumped", "x-full": "x-full"}
#: output times over the time limit (1.2 × the nominal duration + 10 min): about 5 s apart at 1C
DEFAULT_OUTPUT_POINTS = 1001


class DischargeSpec(BaseModel):
    """A constant-current discharge."""

    model_config = ConfigDict(extra="forbid")

    model: Literal["SPM", "SPMe", "DFN"] = "DFN"
    c_rate: Annotated[float, Field(ge=0.01, le=20, description="discharge C-rate")] = 1.0
    ambient_temperature: Annotated[float, Unit("K"), Field(ge=223.15, le=373.15)] = 298.15
    cutoff_voltage: Annotated[float, Unit("V"), Field(gt=0, le=5)] | None = Field(
        None, description="lower cut-off; default: the parameter set's"
    )
    thermal: Literal["isothermal", "lumped", "x-full"] = "isothermal"
    initial_soc: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="state of charge at the start; default: the parameter set's state"
    )
    output_points: int | None = Field(
        None,
        ge=10,
        le=100000,
        description="evenly spaced output times over the time limit; "
        f"default: {DEFAULT_OUTPUT_POINTS}",
    )


_cache: dict[tuple[Any, ...], Any] = {}


def _simulation(spec: DischargeSpec, design: DesignSnapshot):
    """The built simulation for this model/thermal/parameters/cut-off, from the per-process
    cache, and what the run's warnings say about its parameters.

    A user's own cell design is keyed by its content, so an edited design is rebuilt.
    """
    from cellwright.engines.electrochem._pybamm import import_pybamm
    from cellwright.engines.electrochem.parameters import describes_own_cell, parameter_values_for

    pybamm = import_pybamm()
    # a stock set is scaled to its library cell's capacity (parameters.stock_layers)
    ref = design.reference_cell
    which = design.cell.model_dump_json() if describes_own_cell(design) else \
        (design.parameter_set, ref.nominal_capacity if ref else None)  # fmt: skip
    fitted = design.reference_cell.pybamm_parameter_factors if design.reference_cell else {}
    # PyBaMM's solve(initial_soc=...) rewrites the simulation's initial concentrations and
    # keeps them: a cached simulation once run from 50 % started every later run there, even
    # one asked to start full (the set's own state); so each starting state has its own
    key = (spec.model, spec.thermal, which, tuple(sorted(fitted.items())), spec.cutoff_voltage,
           spec.initial_soc)  # fmt: skip
    if key in _cache:
        return _cache[key]
    model = getattr(pybamm.lithium_ion, spec.model)(options={"thermal": _THERMAL[spec.thermal]})
    notes: list[str] = []
    values = parameter_values_for(design, spec.thermal != "isothermal", notes)
    updates: dict[str, Any] = {
        "Current function [A]": "[input]",
        "Ambient temperature [K]": "[input]",
        "Initial temperature [K]": "[input]",
    }
    if spec.cutoff_voltage is not None:
        updates["Lower voltage cut-off [V]"] = spec.cutoff_voltage
    values.update(updates)
    sim = pybamm.Simulation(model, parameter_values=values, solver=pybamm.IDAKLUSolver())
    sim.build()
    _cache[key] = sim, notes
    return sim, notes


@lru_cache(maxsize=1)
def _lithium_ion_sets() -> tuple[str, ...]:
    from cellwright.projects.library import lithium_ion_parameter_sets

    return lithium_ion_parameter_sets()


class PybammDischargeEngine:
    """Constant-current discharge of a cell with a PyBaMM model."""

    id: ClassVar[str] = "electrochem.pybamm_discharge"
    title: ClassVar[str] = "Constant-current discharge (PyBaMM SPM/SPMe/DFN)"
    version: ClassVar[str] = "1.1"
    Spec: ClassVar[type[BaseModel]] = DischargeSpec
    libraries: ClassVar[tuple[str, ...]] = ("pybamm", "pybammsolvers", "casadi", "numpy")

    def validate(self, spec: DischargeSpec, design: DesignSnapshot) -> None:
        """The design must name a lithium-ion PyBaMM parameter set (checked without PyBaMM)."""
        name = design.parameter_set
        known = _lithium_ion_sets()
        if name is None:
            from cellwright.engines.electrochem.parameters import missing_set_message

            raise InputError(missing_set_message(design, known))
        if name not in known:
            raise InputError(f"unknown PyBaMM parameter set {name!r}; known: {', '.join(known)}")

    def run(
        self, spec: DischargeSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Build (or reuse) the model, solve the discharge and collect the series."""
        from cellwright.engines.electrochem.parameters import one_cell_note, parameter_label

        label = parameter_label(design)
        progress.update(0.05, f"building {spec.model} ({spec.thermal}) on {label}")
        try:
            sim, notes = _simulation(spec, design)
        except InputError:
            raise
        except Exception as exc:  # a parameter the model option needs is missing from the set
            raise EngineError(
                f"PyBaMM cannot build {spec.model} with thermal={spec.thermal!r} on "
                f"{parameter_label(design)}: {type(exc).__name__}: {exc}"
            ) from None
        capacity = float(sim.parameter_values["Nominal cell capacity [A.h]"])
        current = spec.c_rate * capacity
        t_end = 3600.0 / spec.c_rate * 1.2 + 600.0
        inputs = {
            "Current function [A]": current,
            "Ambient temperature [K]": spec.ambient_temperature,
            "Initial temperature [K]": spec.ambient_temperature,
        }
        progress.update(0.3, f"solving {spec.c_rate:g}C discharge")
        points = spec.output_points or DEFAULT_OUTPUT_POINTS
        kwargs: dict[str, Any] = {"inputs": inputs, "t_interp": np.linspace(0.0, t_end, points)}
        if spec.initial_soc is not None:
            kwargs["initial_soc"] = spec.initial_soc
        try:
            solution = sim.solve([0.0, t_end], **kwargs)
        except Exception as exc:  # PyBaMM raises SolverError and a few others; all are user-facing
            refusal = starts_at_a_limit(exc, spec.initial_soc)
            if refusal:
                raise InputError(refusal) from None
            raise EngineError(f"PyBaMM could not solve the discharge: {exc}") from None
        progress.update(0.95, "collecting results")
        cutoff = float(sim.parameter_values["Lower voltage cut-off [V]"])
        result = _result(solution, spec, current, cutoff)
        delivered = result.scalars["Discharge capacity [A.h]"]
        how = f"at {spec.c_rate:g}C to {cutoff:g} V"
        result.provenance.warnings.extend(with_delivered(notes, delivered, capacity, how))
        result.provenance.warnings.extend(electrolyte_depletion_note(solution, spec.model))
        result.provenance.warnings.extend(one_cell_note(design, self.id))
        return result


def starts_at_a_limit(exc: Exception, initial_soc: float | None) -> str:
    """The refusal of a run whose cell starts at a voltage limit it is driven towards, or "".

    PyBaMM stops before the first step ("Events ['Minimum voltage [V]'] are non-positive at
    initial conditions with inputs {...}"): a discharge from ``initial_soc = 0`` is the
    usual way there.
    """
    text = str(exc)
    if "non-positive at initial conditions" not in text:
        return ""
    limit = "lower" if "Minimum voltage" in text else "upper" if "Maximum voltage" in text else ""
    if not limit:
        return ""
    soc = "" if initial_soc is None else f" (initial_soc = {initial_soc:g})"
    way = "discharge" if limit == "lower" else "charge"
    return (
        f"spec.initial_soc: the cell starts at its {limit} cut-off voltage{soc}, so there is "
        f"nothing to {way}; start it further from that limit"
    )


#: electrolyte below this share of its initial concentration counts as run out
_DEPLETED = 0.01


def electrolyte_depletion_note(solution, model: str) -> list[str]:
    """Say when the electrolyte ran out (its concentration fell to about zero somewhere).

    The discharge is then transport-limited, and ends far short of the cell's capacity; SPMe's
    electrolyte is a linear correction about the initial concentration (Marquis et al. 2019,
    J. Electrochem. Soc. 166 A3693) that goes negative there, and its voltage collapses: the
    LG M50 (Chen2020) at 3C delivered 0.25 A.h in 59 s (concentration -56 mol/m³), the DFN
    2.3 A.h, with no word on either.
    """
    try:
        c = np.asarray(solution["Electrolyte concentration [mol.m-3]"].entries, dtype=float)
    except Exception:  # a model without an electrolyte variable says nothing here
        return []
    c = c.reshape(-1, c.shape[-1])  # (x, t)
    floor = c.min(axis=0)
    c0 = float(c[:, 0].mean())
    out = np.flatnonzero(floor < _DEPLETED * c0)
    if c0 <= 0 or out.size == 0:
        return []
    t = float(np.asarray(solution["Time [s]"].entries)[out[0]])
    why = (
        "; SPMe linearises the electrolyte and is not valid past it (its concentration reached "
        f"{floor.min():.3g} mol/m³): run DFN"
        if model == "SPMe"
        else ""
    )
    return [
        f"from t = {t:.0f} s the electrolyte ran out in part of the cell (below "
        f"{_DEPLETED * c0:.3g} mol/m³): the cell is limited there by transport in the "
        f"electrolyte, not by its capacity{why}"
    ]


def _result(solution, spec: DischargeSpec, current: float, cutoff: float = 0.0) -> Result:
    names = {
        "Time [s]": "Time [s]",
        "Voltage [V]": "Voltage [V]",
        "Current [A]": "Current [A]",
        "Discharge capacity [A.h]": "Discharge capacity [A.h]",
    }
    if spec.thermal != "isothermal":
        names["Cell temperature [K]"] = "Volume-averaged cell temperature [K]"
        names["Total heat generation [W.m-3]"] = "Volume-averaged total heating [W.m-3]"
        names["Ohmic heat generation [W.m-3]"] = "Volume-averaged Ohmic heating [W.m-3]"
        names["Irreversible heat generation [W.m-3]"] = (
            "Volume-averaged irreversible electrochemical heating [W.m-3]"
        )
        names["Reversible heat generation [W.m-3]"] = "Volume-averaged reversible heating [W.m-3]"
    series = {
        ours: np.asarray(solution[theirs].entries, dtype=float) for ours, theirs in names.items()
    }
    note = ""
    if series["Voltage [V]"].size > 2 and series["Voltage [V]"][-1] < cutoff - 0.05:
        # the cut-off event found across an open-circuit curve's end (a positive filled
        # within the last step: an LCO 21700 reported -0.40 V): that last state is no voltage
        series = {k: a[:-1] for k, a in series.items()}
        note = "the last point, past an electrode's full lithiation, is left out"
    series["Power [W]"] = series["Voltage [V]"] * series["Current [A]"]
    t, v = series["Time [s]"], series["Voltage [V]"]
    energy = float(np.trapezoid(series["Power [W]"], t)) / 3600.0
    scalars = {
        "Discharge capacity [A.h]": float(series["Discharge capacity [A.h]"][-1]),
        "Discharge energy [W.h]": energy,
        "Duration [s]": float(t[-1]),
        "Minimum voltage [V]": float(v.min()),
        "Current [A]": current,
    }
    if "Cell temperature [K]" in series:
        scalars["Maximum temperature [K]"] = float(series["Cell temperature [K]"].max())
    reason = str(solution.termination)
    message = "; ".join(m for m in ("" if "event" in reason else f"stopped: {reason}", note) if m)
    return Result(
        name=f"{spec.model} {spec.c_rate:g}C discharge",
        series=series,
        scalars=scalars,
        message=message,
        provenance=Provenance(
            engine_id=PybammDischargeEngine.id,
            engine_version=PybammDischargeEngine.version,
            spec_hash="",
        ),
    )
