"""``electrochem.pybamm``: PyBaMM studies on a design — experiments, drive cycles, cycling.

Models SPM, SPMe, DFN (Marquis et al. 2019; Doyle, Fuller & Newman 1993) and MPM, isothermal
or with PyBaMM's lumped or x-full thermal model, optional degradation submodels (SEI growth,
lithium plating, loss of active material, as PyBaMM provides them). Protocols: a list of
experiment steps in PyBaMM's grammar (CC, CV, CCCV, rest, power, GITT/HPPC sequences), repeated
``cycles`` times, or a drive cycle (US06/UDDS/WLTC shipped, or a user CSV of time/current or
time/power). Heat generation is reported the Bernardi way: ohmic, irreversible reaction and
reversible (entropic) heat, volume-averaged (Bernardi, Pawlikowski & Newman 1985).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cellwright.engines.api import EngineError, Progress
from cellwright.engines.electrochem.design_ocp import with_delivered
from cellwright.engines.electrochem.pybamm_discharge import (
    _lithium_ion_sets,
    electrolyte_depletion_note,
    starts_at_a_limit,
)
from cellwright.projects.model import (
    DesignSnapshot,
    InputError,
    Provenance,
    Result,
    ResultStatus,
    Unit,
)

__all__ = ["PybammStudyEngine", "PybammStudySpec"]

_AGING = {
    "SEI": {"SEI": "solvent-diffusion limited"},
    "lithium plating": {"lithium plating": "irreversible"},
    "loss of active material": {"loss of active material": "stress-driven"},
}
_SERIES = {
    "Voltage [V]": "Voltage [V]",
    "Current [A]": "Current [A]",
    "Power [W]": "Power [W]",
    "Discharge capacity [A.h]": "Discharge capacity [A.h]",
    "Throughput capacity [A.h]": "Throughput capacity [A.h]",
    "Throughput energy [W.h]": "Throughput energy [W.h]",
}
_THERMAL_SERIES = {
    "Cell temperature [K]": "Volume-averaged cell temperature [K]",
    "Total heat generation [W.m-3]": "Volume-averaged total heating [W.m-3]",
    "Ohmic heat generation [W.m-3]": "Volume-averaged Ohmic heating [W.m-3]",
    "Irreversible heat generation [W.m-3]": (
        "Volume-averaged irreversible electrochemical heating [W.m-3]"
    ),
    "Reversible heat generation [W.m-3]": "Volume-averaged reversible heating [W.m-3]",
}


class PybammStudySpec(BaseModel):
    """Model, protocol and conditions of a PyBaMM study."""

    model_config = ConfigDict(extra="forbid")

    model: Literal["SPM", "SPMe", "DFN", "MPM"] = "DFN"
    thermal: Literal["isothermal", "lumped", "x-full"] = "isothermal"
    experiment: list[str] | None = Field(None, description="steps in PyBaMM's grammar")
    cycles: int = Field(1, ge=1, le=5000, description="times the experiment is repeated")
    drive_cycle: str | None = Field(None, description="US06, UDDS, WLTC or a CSV path")
    drive_cycle_scale: float = Field(1.0, gt=0, le=1e4, description="multiplies the profile")
    drive_cycle_repeats: int = Field(1, ge=1, le=1000)
    c_rate: Annotated[float, Field(gt=0, le=20)] | None = Field(
        None, description="constant-current discharge when no other protocol is given"
    )
    ambient_temperature: Annotated[float, Unit("K"), Field(ge=223.15, le=373.15)] = 298.15
    initial_soc: Annotated[float, Field(ge=0, le=1)] | None = None
    aging: list[Literal["SEI", "lithium plating", "loss of active material"]] = Field(
        default_factory=list
    )
    period: Annotated[float, Unit("s"), Field(gt=0, le=3600)] | None = Field(
        None, description="output period of experiment steps"
    )

    @model_validator(mode="after")
    def _one_protocol(self) -> PybammStudySpec:
        given = [n for n in ("experiment", "drive_cycle", "c_rate") if getattr(self, n)]
        if len(given) > 1:
            raise ValueError(
                f"give one protocol: experiment, drive_cycle or c_rate (got {', '.join(given)})"
            )
        if not given:
            self.c_rate = 1.0
        return self


class PybammStudyEngine:
    """PyBaMM electrochemistry on the design's parameter set."""

    id: ClassVar[str] = "electrochem.pybamm"
    title: ClassVar[str] = "PyBaMM study (experiments, drive cycles, cycling)"
    version: ClassVar[str] = "1.1"
    Spec: ClassVar[type[BaseModel]] = PybammStudySpec
    libraries: ClassVar[tuple[str, ...]] = ("pybamm", "pybammsolvers", "casadi", "numpy")

    def validate(self, spec: PybammStudySpec, design: DesignSnapshot) -> None:
        """Parameter set, experiment steps and drive cycle checked before solving."""
        name = design.parameter_set
        if name is None:
            from cellwright.engines.electrochem.parameters import missing_set_message

            raise InputError(missing_set_message(design, _lithium_ion_sets()))
        if name not in _lithium_ion_sets():
            raise InputError(f"the design needs a lithium-ion PyBaMM parameter set, got {name!r}")
        if not (spec.experiment or spec.drive_cycle):
            return
        from cellwright.engines.electrochem.parameters import parameter_values_for

        values = parameter_values_for(design)
        if spec.experiment:
            from cellwright.engines.electrochem.pybamm_protocols import check_steps

            check_steps(
                spec.experiment,
                float(values["Lower voltage cut-off [V]"]),
                float(values["Upper voltage cut-off [V]"]),
            )
        if spec.drive_cycle:
            from cellwright.engines.electrochem.pybamm_protocols import check_drive_cycle_peak

            check_drive_cycle_peak(
                spec.drive_cycle, spec.drive_cycle_scale,
                float(values["Nominal cell capacity [A.h]"]),
                float(values["Upper voltage cut-off [V]"]),
            )  # fmt: skip

    def run(
        self, spec: PybammStudySpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Build the model, solve the protocol, collect series, heat and per-cycle summaries."""
        from cellwright.engines.electrochem._pybamm import import_pybamm

        pybamm = import_pybamm()
        # PyBaMM leaves "Throughput energy [W.h]" a constant 0 unless asked to integrate it
        # (submodels/external_circuit/discharge_throughput.py): the column came out all zeros
        options: dict[str, Any] = {"thermal": spec.thermal, "calculate discharge energy": "true"}
        for item in spec.aging:
            options.update(_AGING[item])
        from cellwright.engines.electrochem.parameters import (
            one_cell_note,
            parameter_label,
            parameter_values_for,
        )

        notes: list[str] = []
        values = parameter_values_for(design, spec.thermal != "isothermal", notes)
        values["Ambient temperature [K]"] = spec.ambient_temperature
        values["Initial temperature [K]"] = spec.ambient_temperature
        kwargs: dict[str, Any] = {}
        experiment = None
        note = ""  # a drive cycle that charges on balance may have the cycler's sign
        if spec.drive_cycle:
            t_end, note = self._drive_cycle(pybamm, spec, values, options)
            kwargs["t_eval"] = [0.0, t_end]
            kwargs["t_interp"] = np.arange(0.0, t_end + 1e-9, 1.0)
        elif spec.experiment:
            # a tuple of steps is one cycle in PyBaMM, so per-cycle summaries follow the protocol
            from cellwright.engines.electrochem.pybamm_protocols import bounded_steps

            steps = bounded_steps(
                spec.experiment,
                float(values["Lower voltage cut-off [V]"]),
                float(values["Upper voltage cut-off [V]"]),
            )
            experiment = pybamm.Experiment(
                [tuple(steps)] * spec.cycles,
                period=(f"{spec.period} seconds" if spec.period else None),
            )
        else:
            values["Current function [A]"] = spec.c_rate * values["Nominal cell capacity [A.h]"]
            t_end = 3600.0 / spec.c_rate * 1.2 + 600.0
            kwargs["t_eval"] = [0.0, t_end]
            # even times from IDAKLU's Hermite interpolant: its own steps near the knee are
            # 10-15 minutes apart (see pybamm_discharge)
            kwargs["t_interp"] = np.linspace(0.0, t_end, 1001)
        progress.update(0.05, f"building {spec.model} ({spec.thermal})")
        try:
            model = getattr(pybamm.lithium_ion, spec.model)(options=options)
        except pybamm.OptionError as exc:
            raise InputError(f"spec.aging/thermal: {exc}") from None
        sim = pybamm.Simulation(
            model, parameter_values=values, experiment=experiment, solver=pybamm.IDAKLUSolver()
        )
        if spec.initial_soc is not None:
            kwargs["initial_soc"] = spec.initial_soc
        progress.update(0.2, "solving")
        try:
            solution = sim.solve(**kwargs)
        except (pybamm.SolverError, ValueError, KeyError) as exc:
            refusal = starts_at_a_limit(exc, spec.initial_soc)
            if refusal:
                raise InputError(refusal) from None
            raise EngineError(
                "; ".join(m for m in (f"PyBaMM could not solve the study: {exc}", note) if m)
            ) from None
        if solution is None or type(solution).__name__ == "EmptySolution":
            # e.g. a charge on a full cell: the step ends at once on the cut-off voltage
            raise InputError(
                "spec.experiment: the first step ends as it starts (the cell is already at "
                "its cut-off voltage); begin with a step away from it or set spec.initial_soc"
            )
        progress.update(0.9, "collecting results")
        result = _result(solution, spec, parameter_label(design))
        if note:
            result.message = "; ".join(m for m in (result.message, note) if m)
        delivered = float(np.max(result.series["Discharge capacity [A.h]"], initial=0.0))
        nominal = float(values["Nominal cell capacity [A.h]"])
        how = f"at {spec.c_rate:g}C" if spec.c_rate else "in this study"
        result.provenance.warnings.extend(with_delivered(notes, delivered, nominal, how))
        result.provenance.warnings.extend(electrolyte_depletion_note(solution, spec.model))
        result.provenance.warnings.extend(one_cell_note(design, self.id))
        return result

    @staticmethod
    def _drive_cycle(pybamm, spec: PybammStudySpec, values, options: dict) -> tuple[float, str]:
        from cellwright.engines.electrochem.pybamm_protocols import drive_cycle
        from cellwright.projects.profiles import charging_note

        profile = drive_cycle(spec.drive_cycle)
        t, load, kind = profile.time, profile.values, profile.kind
        period = t[-1] + (t[1] - t[0])
        t = np.concatenate([t + k * period for k in range(spec.drive_cycle_repeats)])
        load = np.tile(load, spec.drive_cycle_repeats) * spec.drive_cycle_scale
        if kind == "power":
            options["operating mode"] = "power"
            values["Power function [W]"] = pybamm.Interpolant(t, load, pybamm.t)
        else:
            values["Current function [A]"] = pybamm.Interpolant(t, load, pybamm.t)
        return float(t[-1]), charging_note(kind) if profile.charges_on_balance else ""


# a drive cycle's regenerative braking on a cell that starts full ends it at once
_REGEN_HINT = " (a charge on a full cell: set spec.initial_soc below 1)"


def _stop_message(reason: str) -> str:
    hint = _REGEN_HINT if "Maximum voltage" in reason else ""
    return f"stopped: {reason}{hint}"


def _result(solution, spec: PybammStudySpec, parameters: str) -> Result:
    names = dict(_SERIES)
    if spec.thermal != "isothermal":
        names.update(_THERMAL_SERIES)
    series = {"Time [s]": np.asarray(solution["Time [s]"].entries, float)}
    for ours, theirs in names.items():
        series[ours] = np.asarray(solution[theirs].entries, float)
    t, v, p = series["Time [s]"], series["Voltage [V]"], series["Power [W]"]
    scalars = {
        "Duration [s]": float(t[-1]),
        "Minimum voltage [V]": float(v.min()),
        "Maximum voltage [V]": float(v.max()),
        "Discharged energy [W.h]": float(np.trapezoid(np.clip(p, 0, None), t) / 3600),
        "Charged energy [W.h]": float(np.trapezoid(np.clip(-p, 0, None), t) / 3600),
        "Throughput capacity [A.h]": float(series["Throughput capacity [A.h]"][-1]),
    }
    if "Cell temperature [K]" in series:
        scalars["Maximum temperature [K]"] = float(series["Cell temperature [K]"].max())
    tables = {}
    if spec.experiment and getattr(solution, "cycles", None):
        tables["cycles"] = _cycle_table(solution)
    reason = str(solution.termination)
    partial = "event" not in reason and "final time" not in reason
    early = spec.drive_cycle is not None and "event" in reason
    return Result(
        name=f"{spec.model} study on {parameters}",
        series=series,
        scalars=scalars,
        tables=tables,
        status=ResultStatus.PARTIAL if partial else ResultStatus.COMPLETE,
        message=_stop_message(reason) if partial or early else "",
        provenance=Provenance(
            engine_id=PybammStudyEngine.id, engine_version=PybammStudyEngine.version, spec_hash=""
        ),
    )


def _cycle_table(solution) -> dict[str, np.ndarray]:
    """Per-cycle summary: duration, charge and discharge capacity, end voltage."""
    rows = {
        "Cycle": [],
        "Duration [s]": [],
        "Discharge capacity [A.h]": [],
        "Charge capacity [A.h]": [],
        "Minimum voltage [V]": [],
    }
    for n, cycle in enumerate(solution.cycles, start=1):
        if cycle is None:
            continue
        t = cycle["Time [s]"].entries
        i = cycle["Current [A]"].entries
        rows["Cycle"].append(n)
        rows["Duration [s]"].append(t[-1] - t[0])
        rows["Discharge capacity [A.h]"].append(np.trapezoid(np.clip(i, 0, None), t) / 3600)
        rows["Charge capacity [A.h]"].append(np.trapezoid(np.clip(-i, 0, None), t) / 3600)
        rows["Minimum voltage [V]"].append(cycle["Voltage [V]"].entries.min())
    return {k: np.asarray(v, float) for k, v in rows.items()}
