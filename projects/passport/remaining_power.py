"""The state of charge of the remaining power capability, which Catena-X does not carry.

Battery Pass 1.2 gives the remaining power capability (long-list 63, DIN DKE SPEC 99100
6.7.3.3) with the state of charge it was measured at (``remainingPowerCapabilityValue/atSoC``,
required by the schema); Catena-X 6.1.0's ``/performance/dynamic/power/remaining`` has only
``value`` and ``time``. A Catena-X import cannot know it and must not invent one (power
capability depends strongly on the state of charge): it keeps the one the passport already
holds for the attribute, else says which command supplies it, and a Battery Pass export still
without it names that command instead of the schema's bare "'atSoC' is a required property".
"""

from __future__ import annotations

import copy
import json
import shlex
from pathlib import Path
from typing import Any

from cellwright.projects.model import Passport
from cellwright.projects.passport.attributes import attribute, visible
from cellwright.projects.passport.schemas import Problem

__all__ = [
    "KEY",
    "carry_state_of_charge",
    "explain_missing_soc",
    "lacks_soc",
    "missing_soc_message",
    "set_command",
]

#: the attribute whose state of charge a Catena-X file does not carry
KEY = "remaining_power_capability"
_INNER = "remainingPowerCapabilityValue"
#: what the command shows where the state of charge goes: not JSON, so the command as shown
#: is refused rather than storing a made-up value
_PLACEHOLDER = "SOC"


def _inner(value: Any) -> dict | None:
    inner = value.get(_INNER) if isinstance(value, dict) else None
    return inner if isinstance(inner, dict) else None


def lacks_soc(value: Any) -> bool:
    """Whether a remaining power capability (1.2.1 form) has a value but no ``atSoC``."""
    inner = _inner(value)
    return inner is not None and inner.get("atSoC") is None


def carry_state_of_charge(imported: Any, earlier: Any) -> Any:
    """``imported`` with the ``atSoC`` of ``earlier`` where it has none and ``earlier`` one.

    Parameters
    ----------
    imported
        The remaining power capability taken from a Catena-X file.
    earlier
        What the passport held for it before (entered or imported), or None.

    Returns
    -------
    Any
        A copy with the earlier state of charge, or ``imported`` itself when there is none
        to carry (or it names its own).
    """
    if not lacks_soc(imported) or lacks_soc(earlier) or _inner(earlier) is None:
        return imported
    carried = copy.deepcopy(imported)
    carried[_INNER] = {"atSoC": _inner(earlier)["atSoC"], **carried[_INNER]}
    return carried


def set_command(serial: str, project: str | Path | None, value: Any) -> str:
    """The ``cellwright passport set`` command entering ``value`` with its state of charge.

    The value is shown as the passport holds it with ``"atSoC": SOC`` added: the user puts in
    the state of charge (%) the power was measured at; the rest is what was imported.
    """
    shown = copy.deepcopy(value)
    shown[_INNER] = {"atSoC": _PLACEHOLDER, **shown[_INNER]}
    text = json.dumps(shown, ensure_ascii=False).replace(
        f'"atSoC": "{_PLACEHOLDER}"', f'"atSoC": {_PLACEHOLDER}'
    )
    where = shlex.quote(str(project)) if project is not None else "PROJECT"
    return f"cellwright passport set {shlex.quote(serial)} --project {where} " + shlex.quote(
        f"{KEY}={text}"
    )


def missing_soc_message(serial: str, project: str | Path | None, value: Any) -> str:
    """What to tell a user whose remaining power capability has no state of charge."""
    return (
        f"passport attribute {KEY} (Remaining power capability) has no state of charge "
        "(atSoC), which Battery Pass requires and a Catena-X file does not carry; enter the "
        f"one the power was measured at (SOC, in %): {set_command(serial, project, value)}"
    )


def explain_missing_soc(
    problems: list[Problem], passport: Passport, level: str, project: str | Path | None
) -> list[Problem]:
    """``problems`` of a Battery Pass export, the schema's missing ``atSoC`` of the remaining
    power capability replaced by a problem naming the attribute and the command to enter it."""
    value = passport.values.get(KEY)
    attr = attribute(KEY)
    if value is None or not visible(attr, level) or not lacks_soc(value.value):
        return problems
    where = f"{attr.aspect}{attr.path}/{_INNER}"
    kept = [p for p in problems if not (p.where == where and "'atSoC'" in p.message)]
    message = missing_soc_message(passport.battery, project, value.value)
    return [*kept, Problem(f"{where}/atSoC", message, f"{attr.path}/{_INNER}/atSoC")]
