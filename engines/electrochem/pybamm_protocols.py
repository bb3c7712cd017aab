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

__all__ = ["check_steps", "drive_cycle", "hppc_steps"]

_VOLTAGE = re.compile(
    r"(?:hold at|charge at .* until|discharge at .* until)\s*([\d.]+)\s*V\b", re.I
)


def check_steps(steps: list[str], v_min: float, v_max: float) -> None:
    """Reject voltage targets outside [v_min, v_max] and steps PyBaMM cannot parse."""
    from cellwright.engines.electrochem._pybamm import import_pybamm

    pybamm = import_pybamm()
    for n, text in enumerate(steps, start=1):
        match = _VOLTAGE.search(text)
        if match:
            volts = float(match.group(1))
            if not v_min <= volts <= v_max:
                raise InputError(
                    f"spec.experiment step {n} ({text!r}): {volts:g} V is outside "
                    f"the cell's window [{v_min:g}, {v_max:g}] V"
                )
        try:
            pybamm.step.string(text)
        except Exception as exc:
            raise InputError(
                f"spec.experiment step {n} ({text!r}) is not PyBaMM's step grammar "
                f"({exc}); for example 'Discharge at 1C until 3 V', 'Hold at 4.2 V "
                "until C/50', 'Rest for 1 hour'"
            ) from None


def drive_cycle(name_or_path: str) -> LoadProfile:
    """A shipped drive cycle (US06, UDDS, WLTC …) or a user's CSV, starting at t = 0.

    Current profiles are in A and power profiles in W, positive on discharge.
    """
    from cellwright.projects.profiles import load_profile

    profile = load_profile(name_or_path, "spec.drive_cycle")
    return replace(profile, time=profile.time - profile.time[0])


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
