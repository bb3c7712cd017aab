"""Protocols for PyBaMM studies: experiment text, drive cycles, and checks done before solving.

Experiment steps use PyBaMM's grammar ("Discharge at 1C until 2.5 V", "Hold at 4.2 V until
C/50", "Rest for 1 hour", "Discharge at 2 W for 10 minutes"). They are parsed by PyBaMM itself;
a step it rejects, or a voltage step outside the cell's window, is reported by its number.
"""

from __future__ import annotations

import re
from dataclasses import replace

from cellwright.projects.model import InputError
from cellwright.projects.profiles import LoadProfile

__all__ = [
    "bounded_steps",
    "check_drive_cycle_peak",
    "check_steps",
    "drive_cycle",
    "hppc_steps",
]


def check_steps(steps: list[str], v_min: float, v_max: float) -> None:
    """Reject steps PyBaMM cannot parse, voltages outside [v_min, v_max] (in any unit PyBaMM
    reads, "4200 mV" too), and a charge or discharge at zero or of the opposite sign."""
    for n, text in enumerate(steps, start=1):
        step = _parsed(n, text)
        volts = [t.value for t in step.termination if type(t).__name__ == "VoltageTermination"]
        if type(step).__name__ == "Voltage":
            volts.append(step.value)
        for v in volts:
            if not v_min <= v <= v_max:
                raise InputError(
                    f"spec.experiment step {n} ({text!r}): {v:g} V is outside "
                    f"the cell's window [{v_min:g}, {v_max:g}] V"
                )
        _check_direction(n, text, step)


def _parsed(n: int, text: str):
    from cellwright.engines.electrochem._pybamm import import_pybamm

    pybamm = import_pybamm()
    try:
        return pybamm.step.string(text)
    except ZeroDivisionError:  # PyBaMM's reading of "at 0C" (a duration of capacity / 0)
        raise _at_zero(n, text) from None
    except Exception as exc:
        # the first line: PyBaMM follows some refusals with a screenful of examples
        reason = (str(exc).strip() or "?").splitlines()[0].split(". For example")[0]
        raise InputError(
            f"spec.experiment step {n} ({text!r}) is not PyBaMM's step grammar "
            f"({reason}); for example 'Discharge at 1C until 3 V', 'Hold at 4.2 V "
            "until C/50', 'Rest for 1 hour'"
        ) from None


_LOAD = re.compile(r"\s*(dis)?charge\b", re.I)


def _at_zero(n: int, text: str) -> InputError:
    return InputError(
        f"spec.experiment step {n} ({text!r}): a charge or discharge at zero never ends on its "
        "voltage; write 'Rest for …'"
    )


def _check_direction(n: int, text: str, step) -> None:
    """'Discharge at -1 A' charges: a sign against the verb is refused, not guessed."""
    match = _LOAD.match(text)
    if match is None or type(step).__name__ not in ("Current", "CRate", "Power"):
        return
    value = float(step.value)
    if value == 0:
        raise _at_zero(n, text)
    discharge = match.group(1) is not None
    if (value > 0) != discharge:
        verb, other = ("Discharge", "Charge") if discharge else ("Charge", "Discharge")
        raise InputError(
            f"spec.experiment step {n} ({text!r}): a negative value in a {verb} step "
            f"reverses it; write '{other} at …' with a positive value"
        )


def bounded_steps(steps: list[str], v_min: float, v_max: float) -> list:
    """PyBaMM steps, each charge or discharge also ended at the cell's cut-off voltage.

    In an experiment PyBaMM moves the model's voltage cut-offs 1 V outwards
    (``BaseStep.update_voltage_safety_events``), so a step by time alone ("Discharge at 1C
    for 5 minutes") ran on to 1.5 V. A cycler ends such a step at the cell's limit; so do we.
    """
    from cellwright.engines.electrochem._pybamm import import_pybamm

    pybamm = import_pybamm()
    out = []
    for text in steps:
        step = pybamm.step.string(text)
        kind = type(step).__name__
        has_volts = any(type(t).__name__ == "VoltageTermination" for t in step.termination)
        if kind in ("Current", "CRate", "Power") and not has_volts and float(step.value) != 0:
            limit = v_min if float(step.value) > 0 else v_max
            step = step.__class__(
                step.input_value, duration=step.input_duration,
                termination=[*step.termination, f"{limit} V"], period=step.period,
                temperature=step.temperature, tags=step.tags, start_time=step.start_time,
                description=step.description, direction=step.direction, skip_ok=step.skip_ok,
            )  # fmt: skip
        out.append(step)
    return out


def drive_cycle(name_or_path: str) -> LoadProfile:
    """A shipped drive cycle (US06, UDDS, WLTC …) or a user's CSV, starting at t = 0.

    Current profiles are in A and power profiles in W, positive on discharge.
    """
    from cellwright.projects.profiles import load_profile

    profile = load_profile(name_or_path, "spec.drive_cycle")
    return replace(profile, time=profile.time - profile.time[0])


_MAX_C_RATE = 20.0  # the highest c_rate the engines take (pybamm_discharge.DischargeSpec)


def check_drive_cycle_peak(name: str, scale: float, capacity: float, v_max: float) -> None:
    """Refuse a profile whose peak is beyond 20C of the cell (20C at the top voltage for power).

    The shipped WLTC is a whole vehicle's power (up to 43 kW): run unscaled on one cell it
    stopped at the cut-off after 13 s, with numbers that looked like a result.
    """
    import numpy as np

    profile = drive_cycle(name)
    peak = float(np.max(np.abs(profile.values))) * scale
    unit, limit = ("W", _MAX_C_RATE * capacity * v_max) if profile.kind == "power" else \
        ("A", _MAX_C_RATE * capacity)  # fmt: skip
    if peak > limit:
        raise InputError(
            f"spec.drive_cycle: {name} peaks at {peak:.4g} {unit} (times drive_cycle_scale "
            f"{scale:g}), beyond the {limit:.4g} {unit} of 20C on this {capacity:.3g} A.h cell; "
            f"scale it to one cell with spec.drive_cycle_scale (below {scale * limit / peak:.3g})"
        )


def hppc_steps(
    soc_points: int = 9, pulse_c: float = 1.0, pulse_s: float = 10.0, rest_min: float = 40.0
) -> list[str]:
    """A hybrid pulse power characterisation in PyBaMM's grammar.

    Discharge and charge pulses at ``soc_points`` states of charge, each followed by a rest,
    then a C/3 discharge of 1/(soc_points+1) of the capacity (INL Battery Test Manual for
    Electric Vehicles, INL/EXT-15-34184, 2015, §3.3, shortened rests).
    """
    minutes = 180.0 / (soc_points + 1)  # C/3 moves all the charge in 180 min: 1/(n+1) of it
    steps = ["Rest for 10 minutes"]
    for _ in range(soc_points):
        steps += [
            f"Discharge at {pulse_c}C for {pulse_s} seconds",
            f"Rest for {rest_min} minutes",
            f"Charge at {pulse_c}C for {pulse_s} seconds",
            f"Rest for {rest_min} minutes",
            f"Discharge at C/3 for {minutes:.4g} minutes",
            f"Rest for {rest_min} minutes",
        ]
    return steps
