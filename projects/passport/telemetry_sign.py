"""Checking a telemetry file's current against its own SOC and voltage.

The stored current is > 0 on charge. Many BMS logs count it the other way; read as it is, such
a file imports with charge and discharge swapped. The file itself can tell: the BMS's SOC rises
on charge, and the terminal voltage steps the way the charging current steps (the ohmic
response V = OCV + I R0 of any equivalent-circuit model; Plett, *Battery Management Systems*
vol. 1, 2015, ch. 2). Each check is silent unless its evidence is clear.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import InputError

__all__ = ["check_current_sign_and_unit"]

_SIGN_HINT = 'is the current > 0 on discharge? give "current_sign": -1 in the --mapping'
#: a voltage-step verdict needs this many current steps, this share of them against the sign
MIN_STEPS, AGAINST_SHARE = 5, 0.9


def check_current_sign_and_unit(
    cols: dict[str, np.ndarray], dt: np.ndarray, names: dict[str, str], kind: str, where: str
) -> None:
    """Refuse a current whose sign (or unit) the file's SOC or voltage contradicts.

    Raises
    ------
    InputError
        Naming the current column and asking for ``"current_sign": -1`` (or ``mA``).
    """
    if not _check_against_soc(cols, dt, names, kind, where):
        _check_against_voltage_steps(cols, names, where)


def _check_against_soc(
    cols: dict[str, np.ndarray], dt: np.ndarray, names: dict[str, str], kind: str, where: str
) -> bool:
    """The BMS's own SOC rises on charge: charge counted from a current that falls while SOC
    rises means the file's current is > 0 on discharge, and a charge per unit SOC that no
    battery holds means milliamperes read as amperes. True when the SOC gave a verdict."""
    soc = cols.get("soc")
    if soc is None or soc.max() - soc.min() < 0.05:
        return False
    current = cols["current"]
    charge = np.concatenate(([0.0], np.cumsum(0.5 * (current[1:] + current[:-1]) * dt))) / 3600
    with np.errstate(invalid="ignore", divide="ignore"):
        r = float(np.corrcoef(charge, soc)[0, 1])
    if not np.isfinite(r) or abs(r) < 0.9:
        return False
    if r < 0:
        raise InputError(
            f"column {names['current']!r}: the charge counted from it falls while column "
            f"{names['soc']!r} rises (correlation {r:.2f}); {_SIGN_HINT}",
            where,
        )
    capacity = float(np.polyfit(soc, charge, 1)[0])  # A.h per unit of SOC
    limit = 1500.0 if kind == "cell" else 10000.0  # the largest cells made hold ~1,200 A.h
    if capacity > limit:
        raise InputError(
            f"column {names['current']!r}: with column {names['soc']!r} it implies a capacity "
            f"of {capacity:,.0f} A.h, implausible for a {kind}; in mA? declare 'Current [mA]' "
            "or units in the --mapping",
            where,
        )
    return True


def _check_against_voltage_steps(
    cols: dict[str, np.ndarray], names: dict[str, str], where: str
) -> None:
    """Where the current steps between two samples (a load switched on or off), the voltage
    steps the same way as the charging current. A file whose voltage steps against its current
    on nearly every step counts the current > 0 on discharge. Too few steps: no verdict."""
    d_current = np.diff(cols["current"])
    d_voltage = np.diff(cols["voltage"])
    if d_current.size < MIN_STEPS:
        return
    # sensor noise from the median absolute sample-to-sample change (robust to the steps)
    noise = 1.4826 * float(np.median(np.abs(d_current - np.median(d_current))))
    span = float(np.ptp(cols["current"]))
    steps = np.abs(d_current) > max(8.0 * noise, 0.1 * span, 1e-9)
    n = int(steps.sum())
    if n < MIN_STEPS:
        return
    against = int(np.count_nonzero(d_current[steps] * d_voltage[steps] < 0))
    if against >= AGAINST_SHARE * n:
        raise InputError(
            f"column {names['current']!r}: column {names['voltage']!r} steps down where it "
            f"steps up, and up where it steps down, on {against} of its {n} steps (the "
            f"voltage rises with a charging current); {_SIGN_HINT}",
            where,
        )
