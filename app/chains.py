"""Studies that start where another ended: a squeeze's short circuit triggers a runaway study.

A ``mechanics.crush`` result that found a short-circuit onset names its place (in the
undeformed cell) and time. A ``thermal.runaway`` study file can start from it:

    [trigger]
    after = "GB 38031 squeeze"     # the crush study (id or name) in the project
    power = 100.0                  # optional: the short's heat [W]; default the runaway's own
    radius = 0.002                 # optional: radius of the heated zone [m]

The runaway study is then a nail-type trigger at the onset's place (the runaway engine heats a
sphere there while the short lasts), its time zero the moment of the short. Both studies must
model the same cell: the crush engine and the runaway engine mesh it in the same frame
(``engines/mesh/cells.py``), so the place carries over unchanged.
"""

from __future__ import annotations

import math
from typing import Any

from cellwright.projects.model import InputError, Result
from cellwright.projects.model.errors import FINITE

__all__ = ["TRIGGER_KEYS", "runaway_spec_after_crush"]

TRIGGER_KEYS = {"after", "power", "radius"}
_ONSET = ("Short-circuit onset x [m]", "Short-circuit onset y [m]", "Short-circuit onset z [m]")


def runaway_spec_after_crush(
    spec: dict[str, Any], crush: Result, trigger: dict[str, Any], where: str
) -> tuple[dict[str, Any], str]:
    """The runaway ``spec`` with its trigger at ``crush``'s short-circuit onset, and a note.

    Raises
    ------
    InputError
        The crush result found no short, is not a crush result, or the trigger table is wrong
        (``where`` names the study file's table).
    """
    unknown = set(trigger) - TRIGGER_KEYS
    if unknown:
        raise InputError(
            f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(TRIGGER_KEYS)}"
        )
    engine = crush.provenance.engine_id if crush.provenance else ""
    if engine != "mechanics.crush":
        raise InputError(f"{where}.after: {crush.name!r} is a {engine or 'unknown'} result, not a "
                         "mechanics.crush one")  # fmt: skip
    if not all(k in crush.scalars for k in _ONSET):
        raise InputError(
            f"{where}.after: the crush result {crush.name!r} found no short-circuit onset "
            f"({crush.message or 'no message'}); nothing triggers the runaway"
        )
    if spec.get("trigger", "nail") != "nail" or spec.get("target", "cell") != "cell":
        raise InputError(
            f"{where}: a squeeze's short starts a runaway of the same cell; leave spec.trigger "
            "and spec.target unset (they become nail and cell)"
        )
    position = [float(crush.scalars[k]) for k in _ONSET]
    out = {**spec, "target": "cell", "trigger": "nail", "nail_position": position}
    for key, field in (("power", "nail_power"), ("radius", "nail_radius")):
        if key in trigger:
            value = trigger[key]
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and not math.isfinite(value):  # NaN passed "<= 0" to the nail power
                raise InputError(f"{where}.{key}: {FINITE}, got {value!r}")
            if not number or value <= 0:  # true passed as 1 W
                raise InputError(f"{where}.{key}: must be a positive number, got {value!r}")
            out[field] = float(value)
    time = crush.scalars.get("Short-circuit onset time [s]", float("nan"))
    note = (
        f"triggered by the short-circuit onset of {crush.name!r} at "
        f"{[round(v * 1e3, 2) for v in position]} mm, {time:.3g} s into the squeeze "
        "(its time zero here)"
    )
    return out, note
