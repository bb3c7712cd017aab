"""``electrochem.ecm``: a Thevenin equivalent-circuit cell (R0 + 1–3 RC pairs) in numba.

Equations and discretisation: :mod:`cellwright.engines.electrochem.ecm_kernel`. Parameters come from
the design snapshot (fitted and stored in the project) or from a PyBaMM ECM parameter set
(``parameters = "pybamm:ECM_Example"``). The load is a constant current, a C-rate, or a time/current
profile CSV (see :mod:`cellwright.projects.profiles`), optionally repeated.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cellwright.engines.api import Progress
from cellwright.projects.model import DesignSnapshot, InputError, Provenance, Result, Unit
from cellwright.projects.model.ecm import EcmParameters

__all__ = ["EcmEngine", "EcmSpec"]

_MAX_CURRENT = 5000  # A: the largest cell current a study may ask for, constant or profile


class EcmSpec(BaseModel):
    """What to simulate with the equivalent-circuit model."""

    model_config = ConfigDict(extra="forbid")

    parameters: str = Field(
        "design",
        description='"design" (the fitted parameters stored with the design) or '
        '"pybamm:<set>" for a PyBaMM ECM parameter set such as "pybamm:ECM_Example"',
    )
    current: Annotated[float, Unit("A"), Field(ge=-_MAX_CURRENT, le=_MAX_CURRENT)] | None = Field(
        None, description="constant current, positive on discharge"
    )
    c_rate: Annotated[float, Field(ge=-20, le=20)] | None = Field(
        None, description="constant current as a multiple of the capacity, positive on discharge"
    )
    profile_file: str | None = Field(
        None, description="US06, UDDS or a CSV of time [s] and current [A]"
    )
    profile_scale: float = Field(1.0, gt=0, le=1000, description="multiplies the profile")
    repeat: int = Field(1, ge=1, le=10000, description="times the profile is run back to back")
    duration: Annotated[float, Unit("s"), Field(gt=0, le=1e8)] = 3600.0
    dt: Annotated[float, Unit("s"), Field(gt=0, le=600)] = Field(
        1.0, description="time step; under a constant load the steps end on duration"
    )
    initial_soc: Annotated[float, Field(ge=0, le=1)] = 1.0
    ambient_temperature: Annotated[float, Unit("K"), Field(ge=200, le=400)] = 298.15
    initial_temperature: Annotated[float, Unit("K"), Field(ge=200, le=400)] | None = None
    thermal: Literal["lumped", "isothermal"] = "lumped"
    stop_at_voltage_limits: bool = True

    @model_validator(mode="after")
    def _one_load(self) -> EcmSpec:
        given = [n for n in ("current", "c_rate", "profile_file") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of current, c_rate or profile_file"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self


def _parameters(spec: EcmSpec, design: DesignSnapshot) -> EcmParameters:
    if spec.parameters == "design":
        if design.ecm_parameters is None:
            raise InputError(
                'parameters = "design" but this design has no fitted ECM parameters; fit them '
                'or use parameters = "pybamm:ECM_Example"'
            )
        return design.ecm_parameters
    if spec.parameters.startswith("pybamm:"):
        from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm

        return ecm_parameters_from_pybamm(spec.parameters.removeprefix("pybamm:"))
    raise InputError(f'spec.parameters must be "design" or "pybamm:<set>", got {spec.parameters!r}')


def stock_capacity_note(params: EcmParameters, design: DesignSnapshot) -> str:
    """Say so when a stock ECM set is not the design's cell (ECM_Example is a 100 A.h cell:
    on the 5 A.h LG M50 a 1C run gave 98.6 A.h with no word, and on an entered design with no
    library cell behind it, a 6.8 A.h pouch, a 1C pack run drew 100 A a cell with no word)."""
    named = _design_capacity(design)
    if named is None:
        return ""
    label, capacity = named
    ratio = params.capacity / capacity
    if 0.8 <= ratio <= 1.25:
        return ""
    return (
        f"ran on {params.name}'s {params.capacity:.3g} A.h cell, not {label}'s "
        f"{capacity:.3g} A.h: fit ECM parameters to the cell for its own numbers"
    )


def _design_capacity(design: DesignSnapshot) -> tuple[str, float] | None:
    """The capacity of the design's cell and what to call it: the library cell's datasheet,
    else the entered stack's figures (a design of its own has no library cell); None when
    neither is known."""
    ref = design.reference_cell
    if ref is not None and ref.nominal_capacity:
        return ref.id, ref.nominal_capacity
    cell = design.cell
    if cell.positive is None or cell.negative is None or cell.geometry is None:
        return None
    from cellwright.projects.design.cell_figures import cell_figures

    try:
        capacity = cell_figures(cell, design.materials).capacity
    except InputError:  # a stack the figures refuse: the engine's own checks name it
        return None
    return (repr(cell.name), capacity) if capacity > 0 else None


def _span(spec: EcmSpec) -> float:
    """How long the load lasts once [s]: the duration, or the profile's time span."""
    if spec.profile_file is None:
        return spec.duration
    from cellwright.projects.profiles import load_profile

    t = load_profile(spec.profile_file, "spec.profile_file").time
    return float(t[-1] - t[0])


def step_length(spec: EcmSpec) -> float:
    """The time step [s]: the longest step up to ``dt`` that ends on the duration, or on the
    profile's end (a whole number of ``dt`` steps ran 30 s for a 10 s duration or profile at
    ``dt = 30``, 120 s for 150 s at ``dt = 60``, a 600 s profile in 602 s at ``dt = 7``)."""
    span = _span(spec)
    if span <= 0:
        return spec.dt
    return span / math.ceil(span / spec.dt * (1 - 1e-12))


#: time steps a run may take: every step keeps ~14 values (112 B) in memory, and the Python
#: loop takes ~20 µs a step; duration = 1e8 s at dt = 1 s (both allowed) set 1e8 steps going,
#: 11 GB and hours, with nothing said
MAX_STEPS = 5_000_000


def step_count(spec: EcmSpec) -> int:
    """The number of time steps the load takes (a profile is read to count them)."""
    once = max(round(_span(spec) / step_length(spec)), 1)
    return once if spec.profile_file is None else once * spec.repeat


def check_step_count(spec: EcmSpec, limit: int = MAX_STEPS) -> int:
    """The step count, or a refusal naming ``dt`` when it is beyond ``limit``."""
    steps = step_count(spec)
    if steps > limit:
        span = "the profile" if spec.profile_file is not None else f"{spec.duration:g} s"
        raise InputError(
            f"spec.dt: {span} in {spec.dt:g} s steps is {steps:.3g} steps, beyond the "
            f"{limit:.3g} a run takes; take a longer dt (at least "
            f"{spec.dt * steps / limit:.3g} s) or a shorter duration"
        )
    return steps


def load_schedule(spec: EcmSpec, capacity: float) -> tuple[np.ndarray, np.ndarray]:
    """Step start times [s] and the current [A] held over each step (of :func:`step_length`)."""
    if spec.profile_file is None:
        current = spec.current if spec.current is not None else spec.c_rate * capacity
        dt = step_length(spec)
        n = round(spec.duration / dt)
        return np.arange(n) * dt, np.full(n, float(current))
    from cellwright.projects.profiles import load_profile

    profile = load_profile(spec.profile_file, "spec.profile_file")
    if profile.kind != "current":
        raise InputError("the ECM engine takes current profiles (Time, Current)", spec.profile_file)
    peak = int(np.argmax(np.abs(profile.values)))
    if abs(profile.values[peak]) * spec.profile_scale > _MAX_CURRENT:
        raise InputError(
            f"spec.profile_file: {profile.values[peak] * spec.profile_scale:g} A at "
            f"t = {profile.time[peak]:g} s is beyond the {_MAX_CURRENT:g} A a cell takes "
            "(as spec.current); is the column in mA, or a pack's current?",
            profile.source,
        )
    t, i = profile.time, profile.values
    dt = step_length(spec)
    n = max(round((t[-1] - t[0]) / dt), 1)
    # each step takes the profile's mean current over it, so a profile finer than dt (a 10 Hz
    # cycler log) moves the same charge instead of being sampled (aliased) at the step starts
    grid = t[0] + np.arange(n + 1) * dt
    charge = np.concatenate([[0.0], np.cumsum(i[:-1] * np.diff(t))])
    charge_at = np.interp(grid, t, charge) + np.clip(grid - t[-1], 0.0, None) * i[-1]
    one = np.diff(charge_at) / dt * spec.profile_scale
    times = np.arange(n * spec.repeat) * dt
    return times, np.tile(one, spec.repeat)


_SERIES = (
    "Current [A]",
    "Voltage [V]",
    "Open-circuit voltage [V]",
    "SoC",
    "Cell temperature [K]",
    "Jig temperature [K]",
    "Irreversible heat generation [W]",
    "Reversible heat generation [W]",
)


class EcmEngine:
    """Thevenin equivalent-circuit simulation of one cell."""

    id: ClassVar[str] = "electrochem.ecm"
    title: ClassVar[str] = "Equivalent-circuit cell (Thevenin, numba)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = EcmSpec
    libraries: ClassVar[tuple[str, ...]] = ("numba", "numpy")

    def validate(self, spec: EcmSpec, design: DesignSnapshot) -> None:
        """Check the parameters and the load before any simulation."""
        if spec.parameters == "design" and design.ecm_parameters is None:
            _parameters(spec, design)
        if spec.profile_file is not None:
            from cellwright.projects.profiles import profile_path

            profile_path(spec.profile_file, "spec.profile_file")
        check_step_count(spec)

    def run(
        self, spec: EcmSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Simulate and return voltage, SOC, temperatures and heat."""
        from cellwright.engines.electrochem.ecm_cells import CellBank

        params = _parameters(spec, design)
        times, current = load_schedule(spec, params.capacity)
        t_init = spec.initial_temperature or spec.ambient_temperature
        bank = CellBank(params, 1, spec.initial_soc, t_init)
        bank.jig_temperature[:] = t_init
        out = {name: np.empty(times.size) for name in _SERIES}
        stop, message = times.size, ""
        step_current, dt = np.zeros(1), step_length(spec)
        for n in range(times.size):
            if n % 5000 == 0:
                progress.update(n / times.size, f"step {n} of {times.size}")
            step_current[0] = current[n]
            temps = bank.temperature[0], bank.jig_temperature[0], bank.soc[0]
            res = bank.step(
                step_current, dt, spec.ambient_temperature, spec.thermal == "isothermal"
            )
            v = res.voltage[0]
            for name, value in zip(
                _SERIES,
                (
                    current[n],
                    v,
                    res.ocv[0],
                    temps[2],
                    temps[0],
                    temps[1],
                    res.heat_irreversible[0],
                    res.heat_reversible[0],
                ),
                strict=True,
            ):
                out[name][n] = value
            if (
                spec.stop_at_voltage_limits
                and not params.lower_voltage <= v <= params.upper_voltage
            ):
                limit = "lower" if v < params.lower_voltage else "upper"
                stop, message = n + 1, f"stopped at the {limit} voltage limit at t = {times[n]:g} s"
                break
        if spec.profile_file is not None and current.sum() < 0:
            from cellwright.projects.profiles import charging_note

            message = "; ".join(m for m in (message, charging_note("current")) if m)
        message = "; ".join(m for m in (message, stock_capacity_note(params, design)) if m)
        result = _result(times[:stop], {k: v[:stop] for k, v in out.items()}, dt, message)
        # the series hold each step's starting state; the run ends after the last step, as the
        # capacity and duration count it (SoC[-1] was 240 s old at the end of 300 s in 60 s steps)
        result.scalars["Final SoC"] = float(bank.soc[0])
        from cellwright.engines.electrochem.parameters import one_cell_note

        result.provenance.warnings.extend(one_cell_note(design, self.id))
        reached = np.append(out["Cell temperature [K]"][:stop], bank.temperature[0])
        result.provenance.warnings.extend(temperature_range_note(params, reached))
        return result


def temperature_range_note(params: EcmParameters, temperatures: np.ndarray) -> list[str]:
    """A warning when the cell's temperature left the tables' axis, where every table is held
    at its edge (an ECM fitted at 288-308 K ran an 18650 at 10C up to 484 K with no word)."""
    lo, hi = float(params.temperature_axis.min()), float(params.temperature_axis.max())
    coldest, hottest = float(np.min(temperatures)), float(np.max(temperatures))
    out = []
    for reached, edge, side in ((hottest, hi, "above"), (coldest, lo, "below")):
        if (reached - edge) * (1 if side == "above" else -1) > _TEMPERATURE_SLACK:
            out.append(
                f"temperature: the cell reached {reached:.1f} K, {side} the {lo:g}-{hi:g} K "
                f"of {params.name}'s tables: their values at {edge:g} K were used there"
            )
    return out


#: how far past the tables' temperature axis a run may go without a word [K]
_TEMPERATURE_SLACK = 0.5


def _result(times: np.ndarray, out: dict[str, np.ndarray], dt: float, message: str) -> Result:
    current, voltage = out["Current [A]"], out["Voltage [V]"]
    series = {"Time [s]": times, **out}
    series["Total heat generation [W]"] = (
        out["Irreversible heat generation [W]"] + out["Reversible heat generation [W]"]
    )
    series["Power [W]"] = voltage * current
    # cumulative charge and energy at the END of each step, as a cycler reports them
    series["Discharge capacity [A.h]"] = np.cumsum(current) * dt / 3600.0
    energy = np.cumsum(voltage * current) * dt / 3600.0
    scalars = {
        "Discharge capacity [A.h]": float(series["Discharge capacity [A.h]"][-1]),
        "Discharge energy [W.h]": float(energy[-1]),
        "Duration [s]": float(times[-1] + dt),
        "Minimum voltage [V]": float(voltage.min()),
        "Maximum temperature [K]": float(out["Cell temperature [K]"].max()),
    }
    return Result(
        name="ECM simulation",
        series=series,
        scalars=scalars,
        message=message,
        provenance=Provenance(
            engine_id=EcmEngine.id, engine_version=EcmEngine.version, spec_hash=""
        ),
    )
